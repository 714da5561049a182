import Foundation
import Testing
import VCore
import VTestSupport

/// MEGA-Bench through the five tools on generated media: the frame gap with demo and query
/// budgets, frames beside the videos, the interleaved prompt, the rule score and a judge task
/// listed as not scored.
@Suite(.serialized) struct MEGABenchEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }
  func records(_ d: TempDir, _ name: String) throws -> [JSONObject] { try d.read(name).split(separator: "\n").map { try parse(String($0)) } }

  @Test func megaBenchCore16() throws {
    let d = TempDir()
    for sub in ["g", "e", "q"] { try FileManager.default.createDirectory(atPath: d.file("root/\(sub)"), withIntermediateDirectories: true) }
    try BarcodeVideo.make(d.file("root/g/clip.mp4"), codec: "libx264", frames: 60, gop: 30)
    try BarcodeVideo.make(d.file("root/e/demo.mp4"), codec: "libx264", frames: 40, gop: 20)
    try BarcodeVideo.make(d.file("root/q/pic.jpg"), codec: "mjpeg", frames: 1, fps: 1, gop: 1)
    let rule =
      "{'field_score_function': {'answer': 'exact_str_match'}, 'aggregation': {'function': 'mean', 'field_weights': {'answer': 1}}, 'response_parse_function': 'answer_string'}"
    let judge =
      "{'field_score_function': {'answer': 'gpt_4o_as_judge'}, 'aggregation': {'function': 'mean', 'field_weights': {'answer': 1}}, 'response_parse_function': 'dummy'}"
    // What prepare_dataset writes: 12 headers, 11 tab-joined fields (no `video`).
    d.write(
      "MEGABench_core.tsv",
      """
      index\ttask_name\ttask_description\tglobal_media\texample_text\texample_media\tquestion\tquery_media\tanswer\tmetric_info\teval_context\tvideo
      0\tletter_choice\tWatch <video> then answer.\t['g/clip.mp4']\tExample: <video> Answer: A\t['e/demo.mp4']\tWhich one? <image>\t['q/pic.jpg']\t{"answer": "B"}\t\(rule)\t{}
      1\tletter_choice\tWatch <video> then answer.\t['g/clip.mp4']\t\t[]\tAnd now?\t[]\t{"answer": "C"}\t\(rule)\t{}
      2\topen_story\tTell a story.\t[]\t\t[]\tAbout a cat.\t[]\t{"answer": "A cat sat."}\t\(judge)\t{}

      """)
    let preset = "MEGABench_core_16frame"
    let p = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root MEGABench_core.tsv > frames.jsonl && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl",
      cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let frames = try records(d, "frames.jsonl")
    #expect(frames.count == 3)
    // Row 0: one demo video (ceil(16/4) = 4 frames), one query video (16 - 4 = 12): gaps
    // max(ceil(30/5), ceil(60/12)) = 6 and max(6, ceil(40/4)) = 10.
    let groups = try #require(frames[0]["frame_groups"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(groups.map { $0["video"]?.stringValue } == ["g/clip.mp4", "e/demo.mp4"])
    #expect(frames[0]["frame_indices"]?.arrayValue?.compactMap(\.intValue) == Array(stride(from: 0, to: 60, by: 6)) + [0, 10, 20, 30])
    #expect(FileManager.default.fileExists(atPath: d.file("root/g/clip_num_frames_12_frame_0009.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("root/e/demo_num_frames_4_frame_0003.jpg")))
    // Row 1: no demo video, so the query video has all 16 (gap 6 again: 10 frames), beside it.
    #expect(FileManager.default.fileExists(atPath: d.file("root/g/clip_num_frames_16_frame_0009.jpg")))
    let prompts = try records(d, "prompts.jsonl")
    let items = try #require(prompts[0]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    let texts = items.filter { $0["type"] == .string("text") }.compactMap { $0["value"]?.stringValue }
    #expect(
      texts == [
        "Watch", "<video_frame_start>", "<video_frame_end>", "then answer.", "Example:", "<video_frame_start>", "<video_frame_end>", "Answer: A",
        "Which one?",
      ])
    #expect(items.count == 9 + 10 + 4 + 1)
    #expect(items.last?["value"]?.stringValue?.hasSuffix("root/q/pic.jpg") == true)
    #expect(items[2]["value"]?.stringValue?.hasSuffix("root/g/clip_num_frames_12_frame_0000.jpg") == true)

    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > answers.jsonl; vmerge answers.jsonl --meta MEGABench_core.tsv -o out/chance_\(preset).xlsx; vscore out/chance_\(preset).xlsx",
      cwd: d.path)
    #expect(run.stdout.contains("MEGA-Bench"), "\(run)")
    #expect(run.stdout.contains("not scored") || run.stderr.contains("not scored"), "\(run)")
    let acc = try #require(try JSONParser.parse(d.read("out/chance_\(preset)_acc_{self.subset_name}.json")).objectValue)
    let summary = try #require(acc["summary"]?.objectValue)
    // The chance baseline's placeholder answer matches no letter; the judge task is not scored.
    #expect(summary["num_tasks"] == .int(1) && summary["num_queries"] == .int(2))
    #expect(summary["macro_mean"]?.doubleValue == 0 && summary["micro_mean"]?.doubleValue == 0)
    let detail = try #require(try JSONParser.parse(d.read("out/chance_\(preset)_megabench_score.json")).objectValue)
    let notScored = detail["summary"]?.objectValue?["not_scored"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(notScored.map { $0["task_name"]?.stringValue } == ["open_story"])
  }
}
