import Foundation
import Testing
import VCore
import VTestSupport

/// MVU-Eval (several videos per question) and OMTG-Bench (fps sampling, intervals) through the
/// five tools on generated videos.
@Suite(.serialized) struct MVUOMTGEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }
  func records(_ d: TempDir, _ name: String) throws -> [JSONObject] { try d.read(name).split(separator: "\n").map { try parse(String($0)) } }

  @Test func mvuEvalSeveralVideosPerQuestion() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/a.mp4"), codec: "libx264", frames: 60, gop: 30)
    try BarcodeVideo.make(d.file("root/b.mp4"), codec: "libx264", frames: 45, gop: 15)
    try BarcodeVideo.make(d.file("root/c.mp4"), codec: "libx264", frames: 30, gop: 10)
    // The TSV prepare_dataset writes: no `video` column; `video_paths` ';'-joined.
    d.write(
      "MVU-Eval_8frame.tsv",
      """
      index\tvideo_paths\tquestion\toptions\tground_truth\ttask
      0\tvideo/a.mp4;video/b.mp4\tWhich is longer?\t["A. first", "B. second"]\tA\tComparison
      1\tb.mp4;c.mp4;a.mp4\tHow many clips show a bar?\t["A. one", "B. two", "C. three"]\tC\tCounting
      2\tvideo/missing.mp4;a.mp4\tq\t["A. x", "B. y"]\tB\tCounting

      """)
    let preset = "MVU-Eval_8frame"
    let p = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache MVU-Eval_8frame.tsv > frames.jsonl; echo $? > vframes.status;"
        + " vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl; echo $? > vprompt.status", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    // Row 2 names a missing video: that row fails (exit 1), naming the video; the others do not.
    #expect(d.read("vframes.status") == "1\n" && d.read("vprompt.status") == "0\n", "\(p)")
    let frames = try records(d, "frames.jsonl")
    #expect(frames.count == 3)
    let groups = try #require(frames[1]["frame_groups"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(groups.map { $0["video"]?.stringValue } == ["b", "c", "a"])
    #expect(groups.map { $0["frames"]?.intValue } == [8, 8, 8])
    #expect(groups.map { $0["video_info"]?.objectValue?["n_frames"]?.intValue } == [45, 30, 60])
    #expect(frames[1]["video_info"] == nil)
    // Each video sampled on its own with the base formula: int(i * len / 9), i = 1..8.
    let indices = try #require(frames[1]["frame_indices"]?.arrayValue?.compactMap { $0.intValue })
    #expect(indices == (1...8).map { $0 * 45 / 9 } + (1...8).map { $0 * 30 / 9 } + (1...8).map { $0 * 60 / 9 })
    #expect(FileManager.default.fileExists(atPath: d.file("cache/MVU-Eval/a/frame-8-of-8.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/MVU-Eval/c/frame-1-of-8.jpg")))
    let error = try #require(frames[2]["error"]?.objectValue)
    #expect(error["message"]?.stringValue?.hasPrefix("video 1 of 2 (missing): ") == true, "\(error)")
    // The prompt: per video its heading and its frames, then question, options and instruction.
    let prompts = try records(d, "prompts.jsonl")
    let items = try #require(prompts[1]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(items.count == 3 * 9 + 3)
    #expect(items[0]["value"] == .string("The following is the Video 1") && items[9]["value"] == .string("The following is the Video 2"))
    #expect(items[10]["value"]?.stringValue?.hasSuffix("/cache/MVU-Eval/c/frame-1-of-8.jpg") == true)
    #expect(items[27]["value"] == .string("How many clips show a bar?") && items[28]["value"] == .string("A. one\nB. two\nC. three"))
    #expect(items[29]["value"]?.stringValue?.hasSuffix("option\u{2019}s letter directly.") == true)
    // The video-LLM prompt: each video's path.
    let v = try ToolRunner.sh("vprompt --preset \(preset) --video-llm --data-root root frames.jsonl", cwd: d.path)
    let vitems = try #require(try parse(String(v.stdout.split(separator: "\n")[0]))["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(
      vitems.filter { $0["type"] == .string("video") }.compactMap { $0["value"]?.stringValue?.split(separator: "/").last } == ["a.mp4", "b.mp4"])

    // Answers (chance letters), the table, the score.
    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > answers.jsonl; vmerge answers.jsonl --meta MVU-Eval_8frame.tsv -o out/; vscore out/chance_\(preset).xlsx",
      cwd: d.path)
    #expect(run.stdout.contains("MVU-Eval_8frame: MVU-Eval rules, parity mode"), "\(run)")
    let answers = try records(d, "answers.jsonl")
    let truth = ["0": "A", "1": "C"]
    let correct = answers.filter { a in
      guard let t = truth[a["id"]?.stringValue ?? ""] else { return false }
      return a["prediction"]?.stringValue == t
    }.count
    let rating = try #require(try JSONParser.parse(d.read("out/chance_\(preset)_acc_rating.json")).objectValue)
    #expect(rating["num_total"] == .int(3))
    #expect(rating["Overall"]?.objectValue?["Accuracy"] == .string(String(format: "%.4f", Double(correct) / 3)))
    let detail = try #require(try JSONParser.parse(d.read("out/chance_\(preset)_acc_detail.json")).arrayValue)
    #expect(detail.count == 3 && detail[2].objectValue?["correct"] == .bool(false))
  }

  @Test func omtgBenchFpsAndIntervals() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/videos"), withIntermediateDirectories: true)
    // 25 fps: 75 frames are 3 s, 50 frames 2 s.
    try BarcodeVideo.make(d.file("root/videos/v1.mp4"), codec: "libx264", frames: 75, fps: 25, gop: 25)
    try BarcodeVideo.make(d.file("root/videos/v2.mp4"), codec: "libx264", frames: 50, fps: 25, gop: 25)
    d.write(
      "OMTGBench_2fps.tsv",
      """
      index\tvideo\tquestion\tanswer
      0\tv1\tWhen does the bar move?\t<time>0.5 - 1.5 seconds</time>
      1\tv2.mp4\tWhen does it stop?\t[0.0, 1.0], [1.5, 2.0]

      """)
    let preset = "OMTGBench_2fps"
    d.write("model.sh", "#!/bin/sh\ncat > /dev/null\necho 'It happens from 0.5 to 1.5 seconds.'\n")
    chmod(d.file("model.sh"), 0o755)
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache OMTGBench_2fps.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend command --command ./model.sh --media-root . prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta OMTGBench_2fps.tsv -o out/ && vscore out/command_\(preset).xlsx",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let frames = try records(d, "frames.jsonl")
    // fps mode: int(duration * 2) frames at int(i * 25 / 2).
    #expect(frames[0]["frame_indices"]?.arrayValue?.compactMap { $0.intValue } == [0, 12, 25, 37, 50, 62])
    #expect(frames[1]["frame_indices"]?.arrayValue?.compactMap { $0.intValue } == [0, 12, 25, 37])
    #expect(FileManager.default.fileExists(atPath: d.file("cache/OMTGBench/v1/frame-6-of-6-2.0fps.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/OMTGBench/v2.mp4/frame-1-of-4-2.0fps.jpg")))
    let prompts = try records(d, "prompts.jsonl")
    let items = try #require(prompts[0]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(items.count == 7 && items.last?["value"] == .string("When does the bar move?"))
    // Row 0: [0.5, 1.5] both sides: all 1. Row 1: one of two, IoU 1 with [0, 1]? No: [0.5, 1.5] vs
    // [0, 1] is 1/3 and vs [1.5, 2] is 0; tIoU 0.5 / 2 = 0.25; tP@.3 = 1, tR@.3 = 0.5.
    let score = try #require(try JSONParser.parse(d.read("out/command_\(preset)_score.json")).objectValue)
    #expect(score.keys == ["tIoU", "C-Acc", "EtF1", "tF1@0.3", "tP@0.3", "tR@0.3", "tF1@0.5", "tP@0.5", "tR@0.5", "tF1@0.7", "tP@0.7", "tR@0.7"])
    #expect(score["C-Acc"] == .double(50.0))
    #expect(score["tIoU"] == .double(62.5))
    #expect(score["tP@0.3"] == .double(100.0))
    #expect(score["tR@0.3"] == .double(75.0))
    #expect(score["EtF1"] == .double(50.0))
  }
}
