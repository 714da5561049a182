import Foundation
import Testing
import VCore
import VTestSupport

/// CG-Bench MCQ/grounding through the five tools on generated videos: the clue sampler for the
/// clue_acc rows, frame times and subtitles in the prompt, JSON answers from a command model,
/// then the score file and the rating.
@Suite(.serialized) struct CGBenchEndToEndTests {
  func records(_ d: TempDir, _ name: String) throws -> [JSONObject] {
    try d.read(name).split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
  }

  @Test func clueFramesTimesSubtitlesAndRating() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/cg_videos_720p"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/cg_videos_720p/v1.mp4"), codec: "libx264", frames: 90, fps: 30, gop: 30)
    try BarcodeVideo.make(d.file("root/cg_videos_720p/v2.mp4"), codec: "libx264", frames: 60, fps: 30, gop: 30)
    d.write("root/cg_subtitles/v1.srt", "1\n00:00:00,100 --> 00:00:01,500\nHello.\n\n2\n00:00:02,000 --> 00:00:03,000\nBye.\n")
    let head =
      "index\tvideo_uid\tvideo\tduration\tdomain\tchoices\tsub_category\tsubtitle_path\tquestion\tanswer\ttask_mode\tclue_intervals\tqid\tclue_video_path\n"
    var tsv = head
    let q = [
      ("v1", 4, "cg_subtitles/v1.srt", "B", "[[0.5, 1.0], [2.0, 2.4]]", 7),
      ("v2", 2, "", "A", "[[1.0, 1.2]]", 8),
    ]
    var k = 0
    for mode in ["long_acc", "clue_acc", "miou"] {
      for (uid, dur, srt, ans, clue, qid) in q {
        let answer = mode == "miou" ? clue : ans
        let intervals = mode == "clue_acc" ? clue : ""
        let clueVideo = mode == "clue_acc" ? "cg_clue_videos/\(qid).mp4" : ""
        tsv +=
          "\(k)\t\(uid)\tcg_videos_720p/\(uid).mp4\t\(dur)\tGUI\t['red', 'green']\tText Perception\t\(srt)\tWhich?\t\(answer)\t\(mode)\t\(intervals)\t\(qid)\t\(clueVideo)\n"
        k += 1
      }
    }
    d.write("root/cgbench.tsv", tsv)
    // The model answers B, and [[0.5, 1.0]] (fractions of the video) where asked for intervals.
    d.write(
      "model.sh",
      "#!/bin/sh\nif grep -q 'clue intervals'; then printf '```json\\n{\"result\": [[0.5, 1.0]]}\\n```'; else printf '```json\\n{\"result\": \"B\"}\\n```'; fi\n"
    )
    chmod(d.file("model.sh"), 0o755)
    let preset = "CGBench_MCQ_Grounding_16frame_subs_subt_ft"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root L/images root/cgbench.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend command --command ./model.sh --media-root . prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/cgbench.tsv --preset \(preset) -o out/ && vscore out/command_\(preset).xlsx",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let frames = try records(d, "frames.jsonl")
    #expect(frames.count == 6)
    // long_acc and miou: 16 frames of the whole video, cached under the video_uid.
    #expect(frames[0]["frame_indices"]?.arrayValue?.count == 16)
    #expect(FileManager.default.fileExists(atPath: d.file("L/images/CG-Bench_MCQ_Grounding/v1/frame-16-of-16.jpg")))
    // clue_acc, question 7: frames (15, 30) and (60, 72), 27 in all, 8 + 7 of them taken.
    let clue7 = try #require(frames[2]["frame_indices"]?.arrayValue).compactMap { $0.intValue }
    #expect(clue7.count == 15 && clue7.prefix(8) == [15, 17, 19, 21, 23, 25, 27, 29] && clue7.dropFirst(8).allSatisfy { (60..<72).contains($0) })
    #expect(frames[2]["sampling"]?.objectValue?["method"] == .string("clue_average"))
    #expect(FileManager.default.fileExists(atPath: d.file("L/clue_images/CG-Bench_MCQ_Grounding/7/frame-15-of-15.jpg")))
    // Question 8: 6 clue frames, fewer than 16: all of them.
    #expect(frames[3]["frame_indices"]?.arrayValue?.compactMap(\.intValue) == [30, 31, 32, 33, 34, 35])
    #expect(FileManager.default.fileExists(atPath: d.file("L/clue_images/CG-Bench_MCQ_Grounding/8/frame-6-of-6.jpg")))

    let prompts = try records(d, "prompts.jsonl")
    let items = try #require(prompts[2]["messages"]?.arrayValue).compactMap { $0.objectValue }
    #expect(items.count == 16)
    let text = items.last?["value"]?.stringValue ?? ""
    #expect(text.contains("A total of 15 frames are sampled. Their corresponding timestamps are:\n\n0.5, 0.5667, 0.6333,"), "\(text)")
    #expect(
      text.contains("The subtitles of the video are as follows:\n\n[0.1, 1.5] Hello.\n[2.0, 3.0] Bye.\n\nQuestion: Which?\n\nA:red\nB:green\n\n"))
    let miou = prompts[4]["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue ?? ""
    #expect(miou.contains("in seconds where relevant clues can be found") && miou.contains("[0.1, 1.5] Hello."))

    // Scores: question 7 right (B), question 8 wrong; miou [[0.5, 1]] x duration: IoU 0.16 and
    // 0.2 (just under, as floats go).
    // Python's json writes NaN for an empty group's mean (CRR of an empty duration bin).
    let ratingText = try d.read("out/command_\(preset)_rating.json")
    #expect(ratingText.contains("\"10 ~ 20\": NaN"))
    let rating = try #require(try JSONParser.parse(ratingText.replacingOccurrences(of: "NaN", with: "null")).objectValue)
    func overall(_ m: String) -> Double? { rating[m]?.objectValue?["overall"]?.doubleValue }
    #expect(overall("long_acc") == 0.5 && overall("clue_acc") == 0.5 && overall("miou") == 0.18 && overall("CRR") == 1.0)
    #expect(overall("rec@iou") == 0.2 && overall("acc@iou") == 0.1)
    #expect(rating["long_acc"]?.objectValue?["duration"]?.objectValue?["10 ~ 20"] == .number("0"))
    #expect(rating.keys == ["long_acc", "clue_acc", "miou", "CRR", "acc@iou", "rec@iou"])
    #expect(FileManager.default.fileExists(atPath: d.file("out/command_\(preset)_score.xlsx")))
    #expect(run.stdout.contains("long_acc"), "\(run.stdout)")
  }

  /// Open-ended: the model's frames, the judge's clue frames (`vframes --judge-frames`), then
  /// pipelines/judge.sh's two rounds against the loopback server (round 2 only for the reply of 2,
  /// shown that row's clue frames).
  @Test func openEndedTwoJudgeRounds() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/cg_videos_720p"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/cg_videos_720p/v1.mp4"), codec: "libx264", frames: 90, fps: 30, gop: 30)
    try BarcodeVideo.make(d.file("root/cg_videos_720p/v2.mp4"), codec: "libx264", frames: 60, fps: 30, gop: 30)
    var tsv = "index\tvideo_uid\tvideo\tduration\tdomain\tsub_category\tsubtitle_path\tquestion\tanswer\tclue_intervals\tqid\n"
    for (i, (uid, answer, clue)) in [("v1", "a red car", "[[0.1, 0.4]]"), ("v1", "a dog", "[[0.5, 1.0]]"), ("v2", "a cat", "[[1.0, 2.0]]")]
      .enumerated()
    {
      tsv += "\(i)\t\(uid)\tcg_videos_720p/\(uid).mp4\t3\tNews\tHallucination\t\tWhat is in scene \(i)?\t\(answer)\t\(clue)\t\(i + 1)\n"
    }
    d.write("root/cgbench_oe.tsv", tsv)
    d.write(
      "model.sh",
      "#!/bin/sh\nr=$(cat)\ncase $r in *'scene 0'*) printf '```json\\n{\"result\": \"a red car\"}\\n```';; *'scene 1'*) echo 'maybe a wolf';; *) echo 'a bird';; esac\n"
    )
    chmod(d.file("model.sh"), 0o755)
    let preset = "CGBench_OpenEnded_8frame"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root L/images root/cgbench_oe.tsv > frames.jsonl"
        + " && vframes --preset \(preset) --judge-frames --video-root root --frame-root L/images root/cgbench_oe.tsv > judge_frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend command --command ./model.sh --media-root . prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/cgbench_oe.tsv --preset \(preset) -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    #expect(FileManager.default.fileExists(atPath: d.file("L/images/CG-Bench_OpenEnded/v1/frame-8-of-8.jpg")))
    // Row 1's clue frames: (15, 30), 15 frames, fewer than 32: all of them.
    let judgeFrames = try records(d, "judge_frames.jsonl")
    #expect(judgeFrames[1]["frame_indices"]?.arrayValue?.compactMap(\.intValue) == Array(15..<30))
    #expect(FileManager.default.fileExists(atPath: d.file("L/clue_images/CG-Bench_OpenEnded/2/frame-15-of-15.jpg")))
    let server = try FakeServer()
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"]
    let judged = try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh out/command_\(preset).xlsx --judge-frames judge_frames.jsonl --judge-name gpt-4o-0806 --format csv"
        + " -- --api-base \(server.url) --model gpt-4o --backoff 0.01 --media-root .",
      cwd: d.path, env: env)
    #expect(judged.status == 0, "\(judged)")
    // Three text-only requests, then one with row 1's 15 clue frames.
    let requests = server.requests.filter { $0["valid"] as? Bool == true }
    #expect(requests.count == 4)
    #expect(requests.map { $0["images"] as? Int } == [0, 0, 0, 15])
    #expect(FileManager.default.fileExists(atPath: d.file("out/command_\(preset)_judge_prompts_r2.jsonl")))
    let rating = try #require(try JSONParser.parse(d.read("out/command_\(preset)_rating.json")).objectValue)
    #expect(rating["overall"] == .number("0.6667"))
    #expect(rating["domain"]?.objectValue?["News"] == .number("0.6667"))
    #expect(FileManager.default.fileExists(atPath: d.file("out/command_\(preset)_score.xlsx")))
  }
}
