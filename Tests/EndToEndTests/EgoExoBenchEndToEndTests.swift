import Foundation
import Testing
import VCore
import VTestSupport

/// EgoExoBench end to end on generated data: rows of several videos (each with its own frame
/// count, some clipped), a frame list and an image, one video whose frames are already in
/// `processed_frames` (VLMEvalKit's pre-extracted folders); `vframes | vprompt` against the
/// messages VLMEvalKit's own `build_prompt` gave (`Tests/Fixtures/vlmevalkit/egoexobench.json`),
/// the `_skip_EgoExo4D` variant, then `vinfer --backend chance`, `vmerge`, `vscore`.
@Suite(.serialized) struct EgoExoBenchEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  static let golden: JSONObject = {
    let bytes = (try? FileIO.readFile(FakeServer.repoRoot + "/Tests/Fixtures/vlmevalkit/egoexobench.json")) ?? []
    return (try? JSONParser.parse(bytes).objectValue) ?? JSONObject()
  }()

  /// pandas' TSV quoting: a cell with a tab, newline or quote is quoted, `"` doubled.
  static func cell(_ s: String) -> String {
    s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\"" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  static func answerLog(_ pairs: [(String, String)]) -> String {
    pairs.map { id, p in
      var bytes: [UInt8] = []
      let o = JSONObject([("id", .string(id)), ("prediction", .string(p)), ("inference", .object(JSONObject([("model", .string("M"))])))])
      JSONSerializer.write(.object(o), into: &bytes)
      return String(decoding: bytes, as: UTF8.self) + "\n"
    }.joined()
  }

  @Test func severalVideosAndImagesPerRow() throws {
    let d = TempDir()
    let prompts = try #require(Self.golden["prompts"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(prompts.count == 3)
    // The videos VLMEvalKit's stand-in decord reported: (frames, fps).
    for (path, frames, fps) in [
      ("LEMMA/a.mp4", 90, 30), ("EgoMe/b.mp4", 60, 25), ("EgoExoLearn/c.mp4", 45, 30), ("EgoExo4D/takes/t1/ego.mp4", 30, 30),
    ] {
      let file = d.file("root/" + path)
      try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try BarcodeVideo.make(file, codec: "libx264", frames: frames, fps: fps, gop: 10)
    }
    // Images showing 1..4: the frame list (in its listed order f3, f1, f2) and the bbox image.
    try FileManager.default.createDirectory(atPath: d.file("gen"), withIntermediateDirectories: true)
    try BarcodeVideo.makeFolder(d.file("gen"), count: 4)
    for (n, path) in [(1, "TF2023/data/s1/f1.jpg"), (2, "TF2023/data/s1/f2.jpg"), (3, "TF2023/data/s1/f3.jpg"), (4, "CVMHAT/data/s1/bbox/12_3.jpg")] {
      let file = d.file("root/" + path)
      try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: d.file("gen/0000\(n).jpg"), toPath: file)
    }
    // Question 7's clip of a.mp4 (3 frames of 0.5-2 s: 22, 37, 52) is pre-extracted: planted
    // images that show 4, used as they are.
    let pre = d.file("root/processed_frames/question7_video1")
    try FileManager.default.createDirectory(atPath: pre, withIntermediateDirectories: true)
    for i in ["0000022", "0000037", "0000052"] { try FileManager.default.copyItem(atPath: d.file("gen/00004.jpg"), toPath: pre + "/\(i).jpg") }

    let answers = ["3": ("A", "Ego-Exo Relation"), "7": ("B", "Temporal Reasoning"), "9": ("A", "Ego-Exo Relation")]
    var tsv = "index\tquestion\toptions\tresponse_format\tmedias\tanswer\tsubtask_type\n"
    for p in prompts {
      let row = try #require(p["row"]?.objectValue)
      let id = try #require(row["index"]?.scalarText)
      tsv += ([id] + ["question", "options", "response_format", "medias"].map { Self.cell(row[$0]?.stringValue ?? "") }).joined(separator: "\t")
      tsv += "\t" + answers[id]!.0 + "\t" + answers[id]!.1 + "\n"
    }
    d.write("EgoExoBench_MCQ.tsv", tsv)

    let run = try ToolRunner.sh(
      "vframes --preset EgoExoBench_64frame --video-root root EgoExoBench_MCQ.tsv | vprompt --preset EgoExoBench_64frame > prompts.jsonl",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let recs = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(recs.map { $0["id"]?.stringValue } == ["3", "7", "9"])
    let root = d.file("root")
    for (rec, p) in zip(recs, prompts) {
      let row = try #require(p["row"]?.objectValue)
      let media = try ListedMedia.parse(try #require(row["medias"]))
      // VLMEvalKit copies a frame list's and an image's files into processed_frames/question{i}_video{k}/;
      // vtools sends them from where they are (the same bytes).
      let expected = try (p["messages"]?.arrayValue ?? []).compactMap(\.objectValue).map { m -> [String] in
        var v = m["value"]?.stringValue ?? ""
        if m["type"]?.stringValue == "image" {
          let parts = v.split(separator: "/").map(String.init)
          let k = try #require(parts[1].split(separator: "_video").last.flatMap { Int($0) })
          if case .images(_, let paths) = media[k] {
            v = try #require(paths.first { $0.hasSuffix("/" + parts[2]) })
          }
          v = root + "/" + v
        }
        return [m["type"]?.stringValue ?? "", v]
      }
      #expect(messages(rec).map { [$0["type"]?.stringValue ?? "", $0["value"]?.stringValue ?? ""] } == expected)
      #expect(
        (rec["frame_groups"]?.arrayValue ?? []).compactMap { $0.objectValue?["type"]?.stringValue }
          == media.map {
            if case .images(let t, _) = $0 { return t }
            return "video"
          })
    }
    // Decoded frames show their own index; the frame list its order; the planted ones stay.
    let frames3 = (recs[0]["frames"]?.arrayValue ?? []).compactMap(\.stringValue)
    #expect(try frames3.map { try BarcodeVideo.read(file: $0) } == [5, 16, 27, 38, 49, 61, 72, 83, 40, 45, 50, 56, 3, 10, 18, 25, 32, 40, 4])
    let frames7 = (recs[1]["frames"]?.arrayValue ?? []).compactMap(\.stringValue)
    #expect(try frames7.map { try BarcodeVideo.read(file: $0) } == [3, 1, 2, 4, 4, 4])
    #expect(recs[1]["frame_indices"] == .array([0, 1, 2, 22, 37, 52].map { .int($0) }))
    #expect(recs[1]["frame_times"] == nil)
    #expect(recs[0]["frame_groups"]?.arrayValue?[1].objectValue?["bound"] == .array([.double(1.5), .double(3.25)]))
    #expect(FileManager.default.fileExists(atPath: root + "/processed_frames/question3_video1/0000056.jpg"))

    // The skip variant: the EgoExo4D row is left out, by vframes and by vmerge.
    let skip = try ToolRunner.sh(
      "vframes --preset EgoExoBench_64frame_skip_EgoExo4D --video-root root EgoExoBench_MCQ.tsv | vprompt --preset EgoExoBench_64frame_skip_EgoExo4D > skip.jsonl"
        + " && vinfer --backend chance skip.jsonl > chance.jsonl && vmerge chance.jsonl --meta EgoExoBench_MCQ.tsv --preset EgoExoBench_64frame_skip_EgoExo4D -o out/"
        + " && vscore out/chance_EgoExoBench_64frame_skip_EgoExo4D.xlsx",
      cwd: d.path)
    #expect(skip.status == 0, "\(skip)")
    #expect(d.read("skip.jsonl").split(separator: "\n").count == 2)
    #expect(skip.stdout.hasPrefix("EgoExoBench_64frame_skip_EgoExo4D: EgoExoBench rules, parity mode\n"), "\(skip.stdout)")

    d.write("answers.jsonl", Self.answerLog([("3", "The answer is A."), ("7", "Option: B"), ("9", "C")]))
    let scored = try ToolRunner.sh(
      "vmerge answers.jsonl --meta EgoExoBench_MCQ.tsv -o M_EgoExoBench_64frame.xlsx && vscore M_EgoExoBench_64frame.xlsx", cwd: d.path)
    #expect(scored.status == 0, "\(scored)")
    #expect(
      d.read("M_EgoExoBench_64frame_rating.json")
        == "{\n    \"Ego-Exo Relation\": [\n        1,\n        2,\n        \"50.00%\"\n    ],\n    \"Temporal Reasoning\": [\n        1,\n        1,\n        \"100.00%\"\n    ],\n    \"overall\": [\n        2,\n        3,\n        \"66.67%\"\n    ]\n}\n"
    )
    let csv = d.read("M_EgoExoBench_64frame_score.csv")
    #expect(csv.hasPrefix("\"index\",\"question\",\"options\",\"response_format\",\"medias\",\"answer\",\"subtask_type\",\"prediction\",\"score\"\n"))
    #expect(csv.hasSuffix("\"Ego-Exo Relation\",\"C\",\"0.0\"\n"), "\(csv)")
  }
  /// Bad media lists are error records, the other rows go on; exit status 1.
  @Test func badMediaListsFailTheirRowsOnly() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/v"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/v/a.mp4"), codec: "libx264", frames: 30, gop: 10)
    var tsv = "index\tquestion\toptions\tresponse_format\tmedias\tanswer\tsubtask_type\n"
    tsv += "0\t<video>\tA. x\tAnswer.\t[{'type': 'video', 'video_path': 'v/a.mp4', 'nframes': 2}]\tA\tt\n"
    tsv += "1\t<video>\tA. x\tAnswer.\t[{'type': 'video', 'video_path': 'v/a.mp4'}]\tA\tt\n"
    tsv += "2\t<image>\tA. x\tAnswer.\t[{'type': 'image', 'image_paths': ['gone.jpg']}]\tA\tt\n"
    tsv += "3\t<video>\tA. x\tAnswer.\t[{'type': 'audio'\tA\tt\n"
    tsv += "x\t<video>\tA. x\tAnswer.\t[{'type': 'video', 'video_path': 'v/a.mp4', 'nframes': 2}]\tA\tt\n"
    d.write("t.tsv", tsv)
    let r = try ToolRunner.sh("vframes --preset EgoExoBench_64frame --video-root root t.tsv > f.jsonl", cwd: d.path)
    #expect(r.status == 1, "\(r)")
    let recs = try d.read("f.jsonl").split(separator: "\n").map { try parse(String($0)) }
    let codes = recs.map { $0["error"]?.objectValue?["code"]?.stringValue }
    #expect(codes == [nil, "bad_field", "frame_missing", "bad_field", "bad_field"])
    // 30 frames, 2 segments: get_index gives 7 and 21.
    #expect(recs[0]["frame_indices"] == .array([.int(7), .int(21)]))
    #expect(FileManager.default.fileExists(atPath: d.file("root/processed_frames/question0_video0/0000021.jpg")))
  }
}
