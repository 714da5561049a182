import Foundation
import Testing
import VCore
import VTestSupport

/// Video-MME-v2 through the five tools on generated videos and word-level JSONL subtitles.
@Suite(.serialized) struct VideoMMEv2EndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  /// Videos 7 and 12 (files `video/007.mp4`, `video/012.mp4`), a relevance group and a logic
  /// group of 4 questions, subtitles for video 7 only; the option block is a quoted multi-line
  /// TSV cell, as pandas writes it.
  func dataset(_ d: TempDir) throws {
    try FileManager.default.createDirectory(atPath: d.file("root/video"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/video/007.mp4"), codec: "libx264", frames: 90, gop: 30)
    try BarcodeVideo.make(d.file("root/video/012.mp4"), codec: "libx264", frames: 60, gop: 30)
    d.write(
      "root/subtitle/007.jsonl",
      """
      {"text": "Hello", "start_time": 0.0, "end_time": 0.4}
      {"text": "world", "start_time": 0.4, "end_time": 1.9}

      {"text": "again", "start_time": 2.0, "end_time": 2.9}

      """)
    var tsv =
      "index\tvideo\tvideo_path\tsubtitle_path\turl\tgroup_type\tgroup_structure\tquestion_id\tquestion\toptions\tanswer\tlevel\tsecond_head\tthird_head\n"
    for i in 0..<8 {
      let video = i < 4 ? "7" : "12"
      let group = i < 4 ? "relevance\t" : "logic\t[1, [2, 3], 4]"
      tsv +=
        "\(i)\t\(video)\t./video/\(video).mp4\t./subtitle/\(video).jsonl\thttps://example.invalid\t\(group)\tq\(i)\tWhat happens \(i)?\t"
        + "\"A. one\nB. two\nC. three\nD. four\"\t\(["A", "B", "C", "D"][i % 4])\t\(1 + i / 4)\tPerception\tCounting\n"
    }
    d.write("root/Video-MME-v2.tsv", tsv)
  }

  @Test func interleavedSubtitlesThroughThePipeline() throws {
    let d = TempDir()
    try dataset(d)
    let preset = "Video-MME-v2_64frame_subs_interleave"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/Video-MME-v2.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/Video-MME-v2.tsv --dataset \(preset) -o out/"
        + " && vscore out/chance_\(preset).xlsx",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    // vframes: the zero-padded id names the video and the cache folder.
    #expect(FileManager.default.fileExists(atPath: d.file("cache/Video-MME-v2/007/frame-64-of-64.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/Video-MME-v2/012/frame-1-of-64.jpg")))
    // vprompt: video 7's frames carry its words with their spans; video 12 has no subtitle file.
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 8)
    let first = try #require(prompts[0]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    let texts = first.filter { $0["type"] == .string("text") }.compactMap { $0["value"]?.stringValue }
    // Frames 1 and 2 are indices 1 and 2 (steps of 90/65) at 30 fps; "Hello" spans 0-0.4 s.
    #expect(texts.first == "[Subtitle 0.03s - 0.07s]: Hello", "\(texts.prefix(3))")
    #expect(texts.contains { $0.hasSuffix("]: again") })
    #expect(
      texts[texts.count - 2]
        == "These are the frames of a video with corresponding subtitles shown between frames. The subtitles indicate what is being said during the time interval between adjacent frames."
    )
    #expect(texts.last?.hasPrefix("Question: What happens 0?\nA. one\nB. two\nC. three\nD. four\nSelect the best answer") == true)
    #expect(first.filter { $0["type"] == .string("image") }.count == 64)
    let other = try #require(prompts[4]["messages"]?.arrayValue)
    #expect(other.count == 66, "64 frames, no subtitle texts, the description and the question")
    #expect(run.stderr.contains("subtitle file") && run.stderr.contains("012.jsonl not found"))
    #expect(prompts[0]["template"]?.objectValue?["name"] == .string("videommev2_interleave"))
    // vscore: the v2 rules and VLMEvalKit's file names.
    #expect(run.stdout.hasPrefix("\(preset): Video-MME-v2 rules, parity mode\n"), "\(run.stdout)")
    #expect(run.stdout.contains("no judge"))
    let rating = try #require(try JSONParser.parse(Array(d.read("out/chance_\(preset)_rating.json").utf8)).objectValue)
    let final = try #require(rating["final_rating"]?.objectValue)
    #expect(final.pairs.map(\.key) == ["level_1", "level_2", "level_3", "relevance_score", "relevance_linear_score", "logic_score", "total"])
    // The chance letters, scored by hand: group 1 by the count right, group 2 by [1, [2, 3], 4].
    let answers = try d.read("answers.jsonl").split(separator: "\n").map { try parse(String($0)) }
    let byId = Dictionary(uniqueKeysWithValues: answers.map { ($0["id"]?.stringValue ?? "", $0["prediction"]?.stringValue ?? "") })
    let right = (0..<8).map { byId[String($0)] == ["A", "B", "C", "D"][$0 % 4] }
    let relevance = [0, 6.25, 25, 56.25, 100][right[0..<4].filter { $0 }.count]
    var k = 0
    while k < 4 && right[4 + k] { k += 1 }
    if k == 1 && right[6] { k = 2 }
    let logic = [0, 100.0 / 12, 100.0 * 4 / 12, 100.0 * 7 / 12, 100][k]
    #expect(final["relevance_score"]?.doubleValue == relevance && final["logic_score"]?.doubleValue == logic)
    #expect(final["level_1"]?.doubleValue == relevance && final["level_2"]?.doubleValue == logic)
    #expect(final["total"]?.doubleValue == (relevance + logic) / 2)
    #expect(rating["second_head_rating"]?.objectValue?.pairs.map(\.key) == ["Perception"])
    #expect(FileManager.default.fileExists(atPath: d.file("out/chance_\(preset)_score.xlsx")))
  }

  @Test func resizeFolderAndVideoLLMItem() throws {
    let d = TempDir()
    try dataset(d)
    let resize = try ToolRunner.sh(
      "vframes --preset Video-MME-v2_64frame_resize --video-root root --frame-root cache root/Video-MME-v2.tsv > /dev/null", cwd: d.path)
    #expect(resize.status == 0, "\(resize)")
    #expect(FileManager.default.fileExists(atPath: d.file("cache/Video-MME-v2_resize200704/007/frame-1-of-64.jpg")))
    let llm = try ToolRunner.sh(
      "vframes --preset Video-MME-v2_1fps_subs --video-root root --frame-root cache root/Video-MME-v2.tsv"
        + " | vprompt --preset Video-MME-v2_1fps_subs --data-root root --video-llm",
      cwd: d.path)
    #expect(llm.status == 0, "\(llm)")
    let rec = try parse(try #require(llm.lines.first))
    let items = try #require(rec["messages"]?.arrayValue)
    // 160 x 96 scaled to about 448 x 448 in multiples of 16: 576 x 352 (VLMEvalKit's formula).
    #expect(
      JSONSerializer.serialize(items[0])
        == #"{"type":"video","value":"\#(d.file("root/video/007.mp4"))","resized_height":352,"resized_width":576,"fps":1.0}"#)
    #expect(
      items[1].objectValue?["value"] == .string("These are the frames of a video. This video's subtitles are listed below:\nHello world again\n"))
  }
}
