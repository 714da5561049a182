import Foundation
import Testing
import VCore
import VTestSupport

/// Video-Holmes, AV-SpeakerBench (visual) and MVTamperBench end to end on generated videos:
/// `vframes | vprompt | vinfer --backend chance`, then `vmerge` and `vscore`.
@Suite(.serialized) struct HolmesSpeakerTamperEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  /// Runs the pipeline for `preset` on `meta` and returns the prompt records and vscore's output.
  func pipeline(_ d: TempDir, preset: String, meta: String) throws -> (prompts: [JSONObject], score: ToolOutput) {
    let p = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache \(meta) | vprompt --preset \(preset) > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    let run = try ToolRunner.sh("vinfer --backend chance prompts.jsonl > answers.jsonl && vmerge answers.jsonl --meta \(meta) -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let stem = (meta as NSString).deletingPathExtension
    return (prompts, try ToolRunner.run("vscore", ["out/chance_\(stem).xlsx"], cwd: d.path))
  }

  func frameValues(_ rec: JSONObject) -> [String] {
    (rec["messages"]?.arrayValue ?? []).compactMap { $0.objectValue }.filter { $0["type"] == .string("image") }.compactMap {
      $0["value"]?.stringValue
    }
  }

  @Test func videoHolmes() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/video"), withIntermediateDirectories: true)
    for v in ["h1", "h2"] { try BarcodeVideo.make(d.file("root/video/\(v).mp4"), codec: "libx264", frames: 60, gop: 30) }
    var tsv = "index\tvideo\tvideo_path\tcandidates\tquestion\tanswer\tquestion_id\tquestion_type\texplanation\n"
    for i in 0..<4 { tsv += "\(i)\th\(i % 2 + 1)\t./video/h\(i % 2 + 1).mp4\t['A. yes', 'B. no']\tWhy?\tA\tq\(i)\t\(["SR", "TCI"][i % 2])\tx\n" }
    d.write("Video_Holmes.tsv", tsv)
    let (prompts, score) = try pipeline(d, preset: "Video_Holmes_32frame", meta: "Video_Holmes.tsv")
    #expect(prompts.count == 4)
    let frames = frameValues(prompts[0])
    #expect(frames.count == 32)
    #expect(frames.first?.hasSuffix("/cache/Video_Holmes/h1/frame-1-of-32.jpg") == true)
    // The base formula: int(i * 60 / 33) for i = 1..32.
    #expect(prompts[0]["frame_indices"]?.arrayValue?.first == .int(1))
    #expect(prompts[0]["frame_indices"]?.arrayValue?.last == .int(58))
    #expect(prompts[0]["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue?.contains("The options are: ['A. yes', 'B. no'].") == true)
    // Chance answers are bare letters, never inside <answer>: all wrong.
    #expect(score.status == 0, "\(score)")
    #expect(score.stdout.hasPrefix("Video_Holmes: Video-Holmes rules, parity mode\n"), "\(score.stdout)")
    let rating = try #require(try JSONParser.parse(d.read("out/chance_Video_Holmes_rating.json")).objectValue)
    #expect(rating["total"]?.objectValue?["correct"] == .int(0))
    #expect(rating["acc_by_type"]?.objectValue?.keys == ["SR", "TCI"])
  }

  @Test func avSpeakerBenchVisual() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/visual"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/visual/c1_silent.mp4"), codec: "libx264", frames: 45, gop: 15)
    var tsv = "index\tvideo\tvisual_path\taudio_visual_path\taudio_path\tquestion\tchoices\tanswer\ttask_id\n"
    for i in 0..<3 { tsv += "\(i)\tc1\tvisual/c1_silent.mp4\tav/c1.mp4\taudio/c1.wav\tWho speaks?\t['A. x', 'B. y', 'C. z', 'D. w']\tA\t\(i + 1)\n" }
    d.write("AV-SpeakerBench.tsv", tsv)
    let (prompts, score) = try pipeline(d, preset: "AV-SpeakerBench_visual_8frame", meta: "AV-SpeakerBench.tsv")
    let frames = frameValues(prompts[0])
    #expect(frames.count == 8)
    // Frames of visual_path, cached under the video column.
    #expect(frames.first?.hasSuffix("/cache/AV-SpeakerBench/c1/frame-1-of-8.jpg") == true)
    #expect(prompts[0]["messages"]?.arrayValue?.last?.objectValue?["value"] == .string("Who speaks?\nA. x\nB. y\nC. z\nD. w\nThe best answer is:"))
    // Records without candidates get the chance placeholder, which names no letter: A by the fallback.
    #expect(score.status == 0, "\(score)")
    #expect(d.read("out/chance_AV-SpeakerBench_rating.json").contains(#""overall": 100.0"#), "\(score.stdout)")
    let strict = try ToolRunner.run("vscore", ["out/chance_AV-SpeakerBench.xlsx", "--strict", "--no-files"], cwd: d.path)
    #expect(strict.stdout.contains("overall  overall         0      3        0.00"), "\(strict.stdout)")
  }

  @Test func mvTamperBench() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/video/clevrer"), withIntermediateDirectories: true)
    for v in ["t1", "t2"] { try BarcodeVideo.make(d.file("root/video/clevrer/\(v).mp4"), codec: "libx264", frames: 100, gop: 25) }
    var tsv = "task_type\tprefix\tdata_type\tbound\tstart\tend\tvideo\tquestion\tanswer\tcandidates\ttamper_type\ttask_tamper_type\tindex\n"
    let tampers = ["original", "masking", "original", "rotation"]
    for i in 0..<4 {
      tsv += "Moving Count\tvideo/clevrer/\tvideo\tFalse\t1.0\t2.0\tt\(i % 2 + 1).mp4\tIs it tampered?\t\(i % 2 == 0 ? "No" : "Yes")\t['Yes', 'No']\t"
      tsv += "\(tampers[i])\tMoving Count_\(tampers[i])\t\(i)\n"
    }
    d.write("MVTamperBench.tsv", tsv)
    let (prompts, score) = try pipeline(d, preset: "MVTamperBench_8frame", meta: "MVTamperBench.tsv")
    let frames = frameValues(prompts[0])
    // bound=False: start and end are ignored; the MVBench segment formula over 100 frames.
    #expect(frames.first?.hasSuffix("/cache/MVTamperBench/t1.mp4/frame-1-of-8.jpg") == true)
    #expect(prompts[0]["frame_indices"] == .array([6, 18, 31, 43, 56, 68, 80, 93].map { .int($0) }))
    let items = prompts[0]["messages"]?.arrayValue ?? []
    #expect(items[1].objectValue?["value"] == .string("Question: Is it tampered?\nOptions:\n(A) Yes\n(B) No"))
    #expect(items[2].objectValue?["type"] == .string("image"))
    #expect(score.status == 0, "\(score)")
    for suffix in [
      "_score.xlsx", "_task_type_rating.json", "_tamper_type_rating.json", "_task_tamper_type_rating.json", "_score_f1.xlsx", "_action_f1.xlsx",
    ] {
      #expect(FileManager.default.fileExists(atPath: d.file("out/chance_MVTamperBench\(suffix)")), "\(suffix)")
    }
    #expect(!FileManager.default.fileExists(atPath: d.file("out/chance_MVTamperBench_rating.json")))
    let rating = try #require(try JSONParser.parse(d.read("out/chance_MVTamperBench_tamper_type_rating.json")).objectValue)
    #expect(rating.keys == ["original", "masking", "rotation", "overall"])
    #expect(rating["overall"]?.arrayValue?[1] == .int(4))
  }
}
