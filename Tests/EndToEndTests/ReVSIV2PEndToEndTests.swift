import Foundation
import Testing
import VCore
import VTestSupport

/// ReVSI and V2P-Bench end to end on generated videos: `vframes | vprompt | vinfer --backend
/// chance`, then `vmerge` and `vscore`; then hand-written answers through `vmerge` and `vscore`.
@Suite(.serialized) struct ReVSIV2PEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  @Test func revsi() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/16_frame"), withIntermediateDirectories: true)
    // A pre-sampled 16-frame video: the 16-frame config takes every frame.
    try BarcodeVideo.make(d.file("root/16_frame/scene1.mp4"), codec: "libx264", frames: 16, gop: 8)
    var tsv = "index\tscene_id\tquestion_type\tquestion\toptions\tground_truth\tvideo\n"
    tsv += "0\tscene1\tobject_counting_single\tHow many chairs?\t\t4\tscene1.mp4\n"
    tsv += "1\tscene1\troute_planning\tWhere to?\t['A. left', 'B. right']\tB\tscene1.mp4\n"
    tsv += "2\tscene1\tobject_size_estimation\tHow long is the bed?\t\t200\tscene1.mp4\n"
    d.write("ReVSI.tsv", tsv)
    let p = try ToolRunner.sh(
      "vframes --preset revsi_16_frame --video-root root --frame-root cache ReVSI.tsv | vprompt --preset revsi_16_frame > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 3)
    #expect(prompts[0]["frame_indices"] == .array((0..<16).map { .int($0) }))
    let items = messages(prompts[0])
    #expect(items.count == 17)
    #expect(items[0]["value"]?.stringValue?.hasSuffix("/cache/ReVSI/16_frame/scene1/frame-1-of-16.jpg") == true)
    #expect(
      messages(prompts[1]).last?["value"]
        == .string(
          "These are frames of a video.\nWhere to?\nOptions:\nA. left\nB. right\nAnswer with the option's letter from the given choices directly."))
    let run = try ToolRunner.sh("vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta ReVSI.tsv -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let chance = try ToolRunner.run("vscore", ["out/chance_ReVSI.xlsx"], cwd: d.path)
    #expect(chance.status == 0, "\(chance)")
    #expect(chance.stdout.hasPrefix("ReVSI: ReVSI rules, parity mode\n"), "\(chance.stdout)")

    d.write("answers.jsonl", answers(["4 chairs", "b.", "180"]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta ReVSI.tsv -o M_revsi_16_frame.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_revsi_16_frame.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    let rating = try #require(try JSONParser.parse(d.read("M_revsi_16_frame_rating.json")).objectValue)
    // 180 against 200: relative error 0.1, within 1 - c for c = 0.5..0.9 (9 of 10 thresholds,
    // 0.8999999999999999 included).
    #expect(rating.keys == ["object_size_estimation_accuracy", "route_planning_accuracy", "object_counting_accuracy", "overall_accuracy"])
    #expect(rating["object_size_estimation_accuracy"] == .double(0.9))
    let overall: Double = (0.9 + 1.0 + 1.0) / 3.0
    #expect(rating["overall_accuracy"] == JSONValue.double(overall))
    #expect(FileManager.default.fileExists(atPath: d.file("M_revsi_16_frame_score.xlsx")))
  }

  @Test func v2pBench() throws {
    let d = TempDir()
    for dir in ["root/videos/EgoSchema", "root/frames/EgoSchema"] {
      try FileManager.default.createDirectory(atPath: d.file(dir), withIntermediateDirectories: true)
    }
    for v in ["a", "b"] { try BarcodeVideo.make(d.file("root/videos/EgoSchema/\(v).mp4"), codec: "libx264", frames: 30, gop: 10) }
    var tsv = "index\tvideo\tvideo_path\tduration\tquestion\tanswer\tframe_path\tdimension\tcategory\n"
    for i in 0..<4 {
      let v = ["a", "b"][i % 2]
      tsv +=
        "\(i)\tEgoSchema/\(v).mp4\tEgoSchema/\(v).mp4\t\([10, 300, 2000, 60][i])\tWhat is boxed?\\nA: x\\nB: y\\nC: z\\nD: w\t\(["A", "B", "C", "D"][i])\t"
      tsv += "EgoSchema/\(v).jpg\t\([1, 2, 2, 9][i])\t1\n"
    }
    d.write("V2P-Bench.tsv", tsv)
    let f = try ToolRunner.sh(
      "vframes --preset V2PBench_2frame_nopack --video-root root --frame-root cache V2P-Bench.tsv > frames.jsonl", cwd: d.path)
    #expect(f.status == 0, "\(f)")
    // The visual-prompt images: any JPEG will do.
    for v in ["a", "b"] {
      try FileManager.default.copyItem(
        atPath: d.file("cache/V2P-Bench/EgoSchema/\(v).mp4/frame-1-of-2.jpg"), toPath: d.file("root/frames/EgoSchema/\(v).jpg"))
    }
    let p = try ToolRunner.sh("vprompt --preset V2PBench_2frame_nopack --data-root root frames.jsonl > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    let items = messages(prompts[0])
    #expect(items.map { $0["type"]?.stringValue ?? "" } == ["text", "image", "image", "image", "text"])
    #expect(items[1]["value"]?.stringValue?.hasSuffix("/cache/V2P-Bench/EgoSchema/a.mp4/frame-1-of-2.jpg") == true)
    #expect(items[3]["value"]?.stringValue?.hasSuffix("root/frames/EgoSchema/a.jpg") == true)
    #expect(
      items[4]["value"]?.stringValue?.hasSuffix("w\nGive only your option letter that accurately addresses the question, no other words.") == true)
    let run = try ToolRunner.sh(
      "vinfer --backend chance --media-root . prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta V2P-Bench.tsv -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let chance = try ToolRunner.run("vscore", ["out/chance_V2P-Bench.xlsx"], cwd: d.path)
    #expect(chance.status == 0, "\(chance)")

    d.write("answers.jsonl", answers(["A", "<think>maybe A</think>B", "The answer is D", "Failed to obtain answer via API."]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta V2P-Bench.tsv -o M_V2PBench_2frame_nopack.xlsx", cwd: d.path)
    // The failed answer is written with VLMEvalKit's marker; vmerge says so and exits 1.
    #expect(merged.status == 1 && merged.stderr.contains("1 questions have failed answers"), "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_V2PBench_2frame_nopack.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(score.stdout.hasPrefix("V2PBench_2frame_nopack: V2P-Bench rules, parity mode\n"), "\(score.stdout)")
    let text = d.read("M_V2PBench_2frame_nopack_score.txt")
    #expect(text.hasPrefix("OA: 1.000\nHA: 0.500\n"), "\(text)")
    #expect(text.contains("Short\nCorrect: 1, Total: 2, Accuracy: 0.500\nMedium\nCorrect: 1, Total: 1, Accuracy: 1.000\nLong\nCorrect: 0, Total: 1"))
    #expect(text.hasSuffix("Total Correct: 2\nTotal Success: 4\nAccuracy:      0.500\n"))
    let records = try #require(try JSONParser.parse(d.read("M_V2PBench_2frame_nopack_score.json")).arrayValue)
    #expect(records.count == 4)
    #expect(records[1].objectValue?["score"] == .int(1) && records[1].objectValue?["dimension"] == .int(2))
    #expect(FileManager.default.fileExists(atPath: d.file("M_V2PBench_2frame_nopack_score.xlsx")))
  }
}
