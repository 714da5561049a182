import Foundation
import Testing
import VCore
import VTestSupport

/// SITE-Bench video and MMSI-Video-Bench end to end on generated data: `vframes | vprompt |
/// vinfer --backend chance`, then `vmerge` and `vscore`; then hand-written answers through
/// `vmerge` and `vscore` into VLMEvalKit's EASI file names.
@Suite(.serialized) struct SiteMMSIEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  static let siteTSV: String = {
    var tsv = "index\tvideo_path\tquestion\tcandidates\tanswer\tcategory\n"
    tsv += "0\tvideos/a.mp4\tHow many cups?\t['1', '2', '3']\tB\tcounting & existence\n"
    tsv += "1\tvideos/a.mp4\tWhere is the cup?\t['left', 'right']\tA\tspatial relationship reasoning\n"
    tsv += "2\tclips/b.mp4\tWhat comes next?\t['x', 'y', 'z', 'w']\tD\tmovement prediction & navigation\n"
    return tsv
  }()

  @Test func siteBenchVideo() throws {
    let d = TempDir()
    for dir in ["root/videos", "root/clips"] { try FileManager.default.createDirectory(atPath: d.file(dir), withIntermediateDirectories: true) }
    // 60 frames at 30 fps: 2 seconds, so 1 fps samples frames 0 and 30.
    try BarcodeVideo.make(d.file("root/videos/a.mp4"), codec: "libx264", frames: 60, gop: 10)
    try BarcodeVideo.make(d.file("root/clips/b.mp4"), codec: "libx264", frames: 90, gop: 10)
    d.write("SiteBenchVideo.tsv", Self.siteTSV)
    // A frame VLMEvalKit already wrote for _1fps (its name says `1fps`): vframes uses it as it is.
    let cached = d.file("cache/SiteBenchVideo/videos/a.mp4")
    try FileManager.default.createDirectory(atPath: cached, withIntermediateDirectories: true)
    let p32 = try ToolRunner.sh(
      "vframes --preset SiteBenchVideo_32frame --video-root root --frame-root cache SiteBenchVideo.tsv | vprompt --preset SiteBenchVideo_32frame > p32.jsonl",
      cwd: d.path)
    #expect(p32.status == 0, "\(p32)")
    let first = try parse(String(try #require(d.read("p32.jsonl").split(separator: "\n").first)))
    // np.linspace(0, 59, 32, dtype=int)
    let linspace = (0..<32).map { $0 == 31 ? 59 : Int((Double($0) * (59.0 / 31.0)).rounded(.down)) }
    #expect(first["frame_indices"] == .array(linspace.map { .int($0) }))
    #expect(messages(first).first?["value"]?.stringValue?.hasSuffix("/cache/SiteBenchVideo/videos/a.mp4/frame-1-of-32.jpg") == true)
    // Planted under VLMEvalKit's 1 fps name: a JPEG of frame 2 of the 32-frame run.
    try FileManager.default.copyItem(atPath: cached + "/frame-2-of-32.jpg", toPath: cached + "/frame-1-of-2-1fps.jpg")
    let planted = try Data(contentsOf: URL(fileURLWithPath: cached + "/frame-1-of-2-1fps.jpg"))

    let p = try ToolRunner.sh(
      "vframes --preset SiteBenchVideo_1fps --video-root root --frame-root cache SiteBenchVideo.tsv | vprompt --preset SiteBenchVideo_1fps > prompts.jsonl",
      cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 3)
    #expect(prompts[0]["frame_indices"] == .array([.int(0), .int(30)]))
    #expect(prompts[2]["frame_indices"] == .array([.int(0), .int(30), .int(60)]))
    let items = messages(prompts[0])
    #expect(items.map { $0["type"]?.stringValue ?? "" } == ["image", "image", "text"])
    #expect(items[0]["value"]?.stringValue == cached + "/frame-1-of-2-1fps.jpg")
    #expect(items[1]["value"]?.stringValue == cached + "/frame-2-of-2-1fps.jpg")
    #expect(try Data(contentsOf: URL(fileURLWithPath: cached + "/frame-1-of-2-1fps.jpg")) == planted)
    #expect(
      items[2]["value"]
        == .string(
          "Select the best answer to the following multiple-choice question based on the video. Respond with only the letter of the correct option.\nQuestion: How many cups?\nOptions:\nA: 1\nB: 2\nC: 3\nGive me the answer letter directly. The best answer is:"
        ))
    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta SiteBenchVideo.tsv -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let chance = try ToolRunner.run("vscore", ["out/chance_SiteBenchVideo.xlsx"], cwd: d.path)
    #expect(chance.status == 0, "\(chance)")
    #expect(chance.stdout.hasPrefix("SiteBenchVideo: SITE-Bench rules, parity mode\n"), "\(chance.stdout)")

    d.write("answers.jsonl", answers(["The answer is B.", "B", "<answer>D</answer>"]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta SiteBenchVideo.tsv -o M_SiteBenchVideo_1fps.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_SiteBenchVideo_1fps.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    // CAA overall: (2 - (1/3 + 1/2 + 1/4)) / (3 - 13/12); per category 100, -100, 100.
    let acc = d.read("M_SiteBenchVideo_1fps_extract_matching_acc.csv")
    #expect(acc.hasPrefix("metric\tvalue\noverall_accuracy\t66.66666666666666\noverall_caa\t"), "\(acc)")
    #expect(acc.hasSuffix("spatial relationship reasoning_caa\t-100.0\nmovement prediction & navigation_caa\t100.0\n"), "\(acc)")
    #expect(FileManager.default.fileExists(atPath: d.file("M_SiteBenchVideo_1fps_extract_matching.xlsx")))
  }

  static let mmsiTSV: String = {
    let a = (1...6).map { "'frames/a/\(String(repeating: "0", count: 4))\($0).jpg'" }.joined(separator: ", ")
    let b = (1...4).map { "'frames/b/0000\($0).jpg'" }.joined(separator: ", ")
    var tsv =
      "index\tsystem_prompt\ttask_prompt\tuser_prompt\tformat_prompt\timage_path\tvideo_fps\tref_images\tanswer\ttask_type\tsub_task_type\tEasy2hard\n"
    tsv += "0\tYou are an expert.\tVideo 1: <video> Video 2: <video>\\n\tWhere is <image>?\\nA. left\\nB. right\\n\tAnswer with a letter.\t"
    tsv += "[[\(a)], [\(b)]]\t2\t['refs/cup.jpg']\tB\tMotion Understanding\tCamera Motion\tlevel_1\n"
    tsv += "1\tS\t\t<video>What next?\\nA. x\\nB. y\tAnswer.\t[\(b)]\t1\t[]\tA\tPrediction\tPrediction\t\n"
    return tsv
  }()

  @Test func mmsiVideoBench() throws {
    let d = TempDir()
    for dir in ["root/frames/a", "root/frames/b", "root/refs"] {
      try FileManager.default.createDirectory(atPath: d.file(dir), withIntermediateDirectories: true)
    }
    try BarcodeVideo.makeFolder(d.file("root/frames/a"), count: 6)
    try BarcodeVideo.makeFolder(d.file("root/frames/b"), count: 4)
    try FileManager.default.copyItem(atPath: d.file("root/frames/b/00003.jpg"), toPath: d.file("root/refs/cup.jpg"))
    // The prompt cells hold `\n` as two characters (one line per row); they pass through as such.
    d.write("MMSIVideoBench.tsv", Self.mmsiTSV)
    let p = try ToolRunner.sh(
      "vframes --preset MMSIVideoBench_1fps --video-root root --frame-root cache MMSIVideoBench.tsv | vprompt --preset MMSIVideoBench_1fps --data-root root > prompts.jsonl",
      cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 2)
    // 10 listed frames at 2 fps: 5 s, so 1 fps takes global 0, 2, 4, 6, 8 (clip a: 0, 2, 4; clip b: 0, 2).
    #expect(prompts[0]["frame_indices"] == .array([0, 2, 4, 6, 8].map { .int($0) }))
    let items = messages(prompts[0])
    #expect(items.map { $0["type"]?.stringValue ?? "" } == ["text", "image", "image", "image", "text", "image", "image", "text", "image", "text"])
    let images = items.filter { $0["type"]?.stringValue == "image" }.compactMap { $0["value"]?.stringValue }
    #expect(images.first == d.file("root/frames/a/00001.jpg"))
    // The frames are the listed files themselves (their barcodes: 1, 3, 5 of a; 1, 3 of b; the reference).
    #expect(try images.map { try BarcodeVideo.read(file: $0) } == [1, 3, 5, 1, 3, 3])
    #expect(items[0]["value"] == .string("You are an expert.\nVideo 1: "))
    #expect(items.last?["value"] == .string("?\\nA. left\\nB. right\\nAnswer with a letter."))
    #expect(!FileManager.default.fileExists(atPath: d.file("cache/MMSIVideoBench")))
    // One clip of 4 frames at 1 fps: 4 frames.
    #expect(prompts[1]["frame_indices"] == .array([0, 1, 2, 3].map { .int($0) }))

    // 32 frames of 10 listed: all of them.
    let all = try ToolRunner.sh("vframes --preset MMSIVideoBench_32frame --video-root root MMSIVideoBench.tsv > f32.jsonl", cwd: d.path)
    #expect(all.status == 0, "\(all)")
    let f32 = try parse(String(try #require(d.read("f32.jsonl").split(separator: "\n").first)))
    #expect(f32["frame_indices"] == .array((0..<10).map { .int($0) }))
    #expect(f32["frame_groups"]?.arrayValue?.compactMap { $0.objectValue?["frames"]?.intValue } == [6, 4])

    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta MMSIVideoBench.tsv -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let chance = try ToolRunner.run("vscore", ["out/chance_MMSIVideoBench.xlsx"], cwd: d.path)
    #expect(chance.status == 0, "\(chance)")
    #expect(chance.stdout.hasPrefix("MMSIVideoBench: MMSI-Video-Bench rules, parity mode\n"), "\(chance.stdout)")

    d.write("answers.jsonl", answers(["B", "The answer is B"]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta MMSIVideoBench.tsv -o M_MMSIVideoBench_1fps.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_MMSIVideoBench_1fps.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(
      d.read("M_MMSIVideoBench_1fps_extract_matching_acc.csv")
        == "overall\ttask_type.Motion Understanding_accuracy\ttask_type.Prediction_accuracy\tsub_task_type.Camera Motion_accuracy\tsub_task_type.Prediction_accuracy\n50.0000\t100.0000\t0.0000\t100.0000\t0.0000\n"
    )
    #expect(
      d.read("M_MMSIVideoBench_1fps_extract_matching_subset_acc.csv") == "metric\tvalue\n(Easy2hard)Avg\t100.0000\n(Easy2hard)level_1\t100.0000\n")

    // A listed frame that is missing: that row's error, the others go on.
    try FileManager.default.removeItem(atPath: d.file("root/frames/a/00003.jpg"))
    let bad = try ToolRunner.sh("vframes --preset MMSIVideoBench_32frame --video-root root MMSIVideoBench.tsv > bad.jsonl", cwd: d.path)
    #expect(bad.status == 1, "\(bad)")
    let badRecs = try d.read("bad.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(badRecs[0]["error"]?.objectValue?["code"] == .string("frame_missing"))
    #expect(badRecs[1]["error"] == nil)
  }
}
