import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// Video-MME-v2 (VLMEvalKit `videommev2.py`). The expected prompts, extractions, scores and
/// rating below are the outputs of VLMEvalKit's own `VideoMMEv2.build_prompt`,
/// `extract_characters_regex_v2` and `VideoMMEv2.evaluate` (commit e8e78f05), run on these rows
/// in a scratch script; the group tables are also worked out by hand in the comments.
@Suite struct VideoMMEv2Tests {
  // MARK: Configs

  @Test func configsAreVideoDatasetConfigs() throws {
    // (name, nframe or fps, with_subtitle, subtitle_interleave, reasoning, resize_target_area), from `videommev2_dataset`.
    let want: [(String, Double, Bool, Bool, Bool, Bool)] = [
      ("64frame", 64, false, false, false, false), ("1fps", -1, false, false, false, false), ("64frame_subs", 64, true, false, false, false),
      ("1fps_subs", -1, true, false, false, false), ("64frame_subs_interleave", 64, true, true, false, false),
      ("1fps_subs_interleave", -1, true, true, false, false), ("64frame_reasoning", 64, false, false, true, false),
      ("64frame_reasoning_subs", 64, true, false, true, false), ("64frame_reasoning_subs_interleave", 64, true, true, true, false),
      ("64frame_resize", 64, false, false, false, true), ("1fps_resize", -1, false, false, false, true),
      ("64frame_resize_subs", 64, true, false, false, true), ("64frame_resize_subs_interleave", 64, true, true, false, true),
      ("64frame_resize_reasoning", 64, false, false, true, true),
    ]
    let configs = Benchmark.videoMMEv2.configs
    #expect(configs.map(\.name) == want.map { "Video-MME-v2_" + $0.0 })
    for (c, w) in zip(configs, want) {
      if w.1 > 0 {
        #expect(c.spec.sampler == .uniform && c.spec.nframe == 64, "\(c.name)")
      } else {
        #expect(c.spec.sampler == .fps && c.spec.fps == 1, "\(c.name)")
      }
      #expect(c.subtitles == w.2, "\(c.name)")
      let prompt = try #require(c.prompt as? VideoMMEv2Prompt)
      #expect(prompt.interleave == w.3 && prompt.reasoning == w.4, "\(c.name)")
      #expect(c.resize == (w.5 ? FrameResize(area: 200704) : nil), "\(c.name)")
      #expect(c.video == VideoRule(field: "video", ext: ".mp4", subfolder: "video", zeroPadding: 3))
    }
  }

  /// `_resize` presets: the resize and VLMEvalKit's own frame-cache folder (`frame_root + '_resize200704'`).
  @Test func resizePresetsCarryTheResizeAndTheirFolder() throws {
    for name in ["Video-MME-v2_64frame_resize", "Video-MME-v2_1fps_resize", "Video-MME-v2_64frame_resize_subs_interleave"] {
      let f = try #require(Registry.preset(named: name)).frameSettings
      #expect(f.resize == FrameResize(area: 448 * 448) && f.dataset == "Video-MME-v2_resize200704", "\(name)")
    }
    let plain = try #require(Registry.preset(named: "Video-MME-v2_64frame")).frameSettings
    #expect(plain.resize == nil && plain.dataset == "Video-MME-v2" && plain.video.zeroPadding == 3)
    #expect(Registry.preset(named: "Video-MME-v2_64frame_reasoning_subs_interleave")?.prompt.name == "videommev2_reasoning_interleave")
    #expect(Registry.template(named: "videommev2_interleave") != nil && Registry.template(named: "videommev2_reasoning") != nil)
  }

  // MARK: Prompts

  /// `subtitle/007.jsonl`: one word a line, a blank line and a padded line among them.
  static let subtitles =
    "{\"text\": \"Hello\", \"start_time\": 0.0, \"end_time\": 0.4}\n{\"text\": \"world,\", \"start_time\": 0.4, \"end_time\": 1.0}\n\n  {\"text\": \"this\", \"start_time\": 1.0, \"end_time\": 1.5}  \n{\"text\": \"is\", \"start_time\": 1.6, \"end_time\": 2.0}\n{\"text\": \"\\\"quoted\\\" caf\\u00e9\", \"start_time\": 2.1, \"end_time\": 2.6}\n{\"text\": \"end\", \"start_time\": 3, \"end_time\": 3.2}\n"

  static let frames: JSONValue = .array((1...4).map { .string("/c/007/frame-\($0)-of-4.jpg") })

  /// Video 7 (key 007), four frames at indices 15, 30, 45, 60 of 90 at 30 fps (0.5 s to 2.0 s).
  static func record(sampling: JSONObject = JSONObject([("method", .string("uniform")), ("nframe", .int(64))])) -> JSONObject {
    JSONObject([
      ("video", .string("7")), ("question", .string("What does the speaker say first?")),
      ("options", .string("A. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later")), ("frames", frames),
      ("frame_indices", .array([15, 30, 45, 60].map { .int($0) })),
      (
        "video_info",
        .object(
          JSONObject([
            ("n_frames", .int(90)), ("avg_fps", .number("30.0")), ("width", .int(640)), ("height", .int(360)),
            ("path", .string("/data/video/007.mp4")),
          ]))
      ),
      ("sampling", .object(sampling)),
    ])
  }

  func build(
    interleave: Bool = false, reasoning: Bool = false, subtitles: Bool = false, videoLLM: Bool = false, root: String? = nil,
    record: JSONObject = VideoMMEv2Tests.record(), warnings: ((String) -> Void)? = nil
  ) throws -> JSONValue {
    let d = TempDir()
    d.write("subtitle/007.jsonl", Self.subtitles)
    let t = TemplateInput(
      record: record, videoLLM: videoLLM, datasetRoot: root ?? d.path, subtitles: subtitles, strict: false, warn: warnings ?? { _ in })
    return .array(try VideoMMEv2Prompt(interleave: interleave, reasoning: reasoning).build(t).map(\.json))
  }

  func expected(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

  /// Frames, the description, the question with its option block and INSTRUCT_PROMPT.
  @Test func promptPlain() throws {
    #expect(
      try build()
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"These are the frames of a video."},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."}]"#
        ))
  }

  /// All words joined with spaces between the subtitle head and a newline.
  @Test func promptSubs() throws {
    #expect(
      try build(subtitles: true)
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"These are the frames of a video. This video's subtitles are listed below:\nHello world, this is \"quoted\" café end\n"},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."}]"#
        ))
  }

  /// Each frame, then the words of [its time, the next frame's time) (`end >= s`, `start < e`; the last interval ends at n_frames/fps), when any.
  @Test func promptInterleave() throws {
    #expect(
      try build(interleave: true, subtitles: true)
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"text","value":"[Subtitle 0.50s - 1.00s]: world,"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"text","value":"[Subtitle 1.00s - 1.50s]: world, this"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"text","value":"[Subtitle 1.50s - 2.00s]: this is"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"[Subtitle 2.00s - 3.00s]: is \"quoted\" café"},{"type":"text","value":"These are the frames of a video with corresponding subtitles shown between frames. The subtitles indicate what is being said during the time interval between adjacent frames."},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."}]"#
        ))
  }

  /// Interleave without subtitles is the plain form (`with_subtitle and subtitle_interleave`).
  @Test func promptInterleaveNosubsFlag() throws {
    #expect(
      try build(interleave: true)
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"These are the frames of a video."},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."}]"#
        ))
  }

  /// THINK_PROMPT, its quote left open.
  @Test func promptReasoning() throws {
    #expect(
      try build(reasoning: true)
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"These are the frames of a video."},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nPlease perform a detailed reasoning based on the provided video frames to answer the following multiple-choice question selecting the best option from A through H and providing your final response strictly in the format: 'Final Answer: <letter>."}]"#
        ))
  }

  /// Reasoning with interleaved subtitles.
  @Test func promptReasoningSubsInterleave() throws {
    #expect(
      try build(interleave: true, reasoning: true, subtitles: true)
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"text","value":"[Subtitle 0.50s - 1.00s]: world,"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"text","value":"[Subtitle 1.00s - 1.50s]: world, this"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"text","value":"[Subtitle 1.50s - 2.00s]: this is"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"[Subtitle 2.00s - 3.00s]: is \"quoted\" café"},{"type":"text","value":"These are the frames of a video with corresponding subtitles shown between frames. The subtitles indicate what is being said during the time interval between adjacent frames."},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nPlease perform a detailed reasoning based on the provided video frames to answer the following multiple-choice question selecting the best option from A through H and providing your final response strictly in the format: 'Final Answer: <letter>."}]"#
        ))
  }

  /// The video-LLM form: one video item with resized_height/resized_width (448x448 area, /16) and nframes.
  @Test func promptVideollm() throws {
    #expect(
      try build(videoLLM: true)
        == expected(
          #"[{"type":"video","value":"/data/video/007.mp4","resized_height":336,"resized_width":592,"nframes":64},{"type":"text","value":"These are the frames of a video."},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."}]"#
        ))
  }

  /// fps sampling gives `fps`; subtitles are never interleaved there.
  @Test func promptVideollmFpsReasoningSubs() throws {
    #expect(
      try build(
        interleave: true, reasoning: true, subtitles: true, videoLLM: true,
        record: Self.record(sampling: JSONObject([("method", .string("fps")), ("fps", .number("1.0"))])))
        == expected(
          #"[{"type":"video","value":"/data/video/007.mp4","resized_height":336,"resized_width":592,"fps":1.0},{"type":"text","value":"These are the frames of a video. This video's subtitles are listed below:\nHello world, this is \"quoted\" café end\n"},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nPlease perform a detailed reasoning based on the provided video frames to answer the following multiple-choice question selecting the best option from A through H and providing your final response strictly in the format: 'Final Answer: <letter>."}]"#
        ))
  }

  /// A missing subtitle file keeps the subtitle prompt with no words, with a warning.
  @Test func missingSubtitleFileKeepsTheSubtitlePrompt() throws {
    var warned: [String] = []
    let got = try build(subtitles: true, root: "/nonexistent", warnings: { warned.append($0) })
    #expect(
      try got
        == expected(
          #"[{"type":"image","value":"/c/007/frame-1-of-4.jpg"},{"type":"image","value":"/c/007/frame-2-of-4.jpg"},{"type":"image","value":"/c/007/frame-3-of-4.jpg"},{"type":"image","value":"/c/007/frame-4-of-4.jpg"},{"type":"text","value":"These are the frames of a video. This video's subtitles are listed below:\n\n"},{"type":"text","value":"Question: What does the speaker say first?\nA. Hello\nB. Goodbye\nC. Thanks\nD. Sorry\nE. Yes\nF. No\nG. Maybe\nH. Later\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."}]"#
        ))
    #expect(warned.count == 1 && warned[0].contains("/nonexistent/subtitle/007.jsonl"))
    // Interleaved: frames only.
    let inter = try build(interleave: true, subtitles: true, root: "/nonexistent")
    #expect(inter.arrayValue?.filter { $0.objectValue?["type"] == .string("image") }.count == 4)
    #expect(inter.arrayValue?.count == 6)
  }

  @Test func badRowsAreErrors() throws {
    var r = Self.record()
    r["video"] = .string("abc")
    #expect(throws: PromptError.self) { try build(record: r) }
    r = Self.record()
    r["options"] = nil
    #expect(throws: PromptError.self) { try build(record: r) }
    r = Self.record()
    r["video_info"] = nil
    #expect(throws: PromptError.self) { try build(videoLLM: true, record: r) }
    let d = TempDir()
    d.write("subtitle/007.jsonl", "{\"text\": \"a\", \"start_time\": 0, \"end_time\": 1}\nnot json\n")
    let t = TemplateInput(record: Self.record(), videoLLM: false, datasetRoot: d.path, subtitles: true, strict: false, warn: { _ in })
    #expect(throws: PromptError.self) { try VideoMMEv2Prompt(interleave: false, reasoning: false).build(t) }
  }

  @Test func wordSubtitlesAreReadAsVLMEvalKitReadsThem() throws {
    let d = TempDir()
    let path = d.write(
      "s.jsonl", "{\"text\": \"a\", \"start_time\": 0, \"end_time\": 1}\r\n\r\n  {\"text\": \"b\", \"start_time\": 1, \"end_time\": 2.5}  \r\n")
    let words = try #require(try WordSubtitles.load(path))
    #expect(words == [SubtitleWord(text: "a", start: 0, end: 1), SubtitleWord(text: "b", start: 1, end: 2.5)])
    #expect(WordSubtitles.joined(words) == "a b")
    // A word ending exactly where the interval starts is kept; one starting where it ends is not.
    #expect(try WordSubtitles.between(words, start: 1, end: 2) == "a b")
    #expect(try WordSubtitles.between(words, start: 0, end: 1) == "a")
    #expect(try WordSubtitles.between(words, start: 2.6, end: 3) == "")
    #expect(try WordSubtitles.load(d.file("none.jsonl")) == nil)
    let noText = d.write("t.jsonl", "{\"start_time\": 0, \"end_time\": 1}\n")
    #expect(throws: PromptError.self) { try WordSubtitles.load(noText) }
    let noTimes = try #require(try WordSubtitles.load(d.write("u.jsonl", "{\"text\": \"x\"}\n")))
    #expect(WordSubtitles.joined(noTimes) == "x")
    #expect(throws: PromptError.self) { try WordSubtitles.between(noTimes, start: 0, end: 1) }
  }

  @Test func videoHintsSerialiseInVLMEvalKitsOrder() {
    let item = MessageItem.video("/v.mp4", hints: VideoHints(resizedHeight: 448, resizedWidth: 448, fps: 0.5))
    #expect(JSONSerializer.serialize(item.json) == #"{"type":"video","value":"/v.mp4","resized_height":448,"resized_width":448,"fps":0.5}"#)
    #expect(JSONSerializer.serialize(MessageItem.video("/v.mp4").json) == #"{"type":"video","value":"/v.mp4"}"#)
  }

  // MARK: Extraction

  /// `extract_characters_regex_v2` on each input: outputs from VLMEvalKit's function.
  @Test func parityExtractorIsVLMEvalKits() {
    let vectors: [(String, String)] = [
      ("C", "C"),
      ("C.", "C"),
      ("(B)", "B"),
      (" h ", ""),
      ("The answer is E", "E"),
      ("Final Answer: G", "G"),
      ("Final Answer: <letter>.", ""),
      ("Failed to obtain answer via API.", "F"),
      ("Because the man waves, the answer is C. Final Answer: C", "B"),
      ("Let me think. The video shows a dog. Final Answer: D", "D"),
      ("Each frame shows a dog running. Final Answer: D", "E"),
      ("the video shows a cat. Final Answer: H", "H"),
      ("so the answer is d", ""),
      ("I cannot tell from these frames at all, sorry about that my friend really", ""),
      ("Best option: (F)", "F"),
      ("Option: A", "A"),
      ("The correct option is B", "B"),
      ("answer: none", ""),
      ("Z", ""),
      ("nan", ""),
      ("", ""),
      ("**Final Answer: B**", "B"),
      ("Final Answer: C\nFinal Answer: A", "C"),
      ("I think it is H, not A", "H"),
      ("final answer: c", ""),
      ("Ｂ", ""),
      ("The answerE", "E"),
      ("Final Answer: **E**", "E"),
      ("Answer: (G) because", "G"),
      ("The answer is: c", ""),
      ("Best answer: B", "B"),
    ]
    for (input, want) in vectors { #expect(VideoMMEv2Answer.parity(input) == want, "\(input)") }
  }

  /// The fixes: no letter from the failure text, the last `Final Answer:` letter, standalone letters only.
  @Test func strictExtractorFixesTheWeaknesses() {
    let vectors: [(String, String)] = [
      ("C", "C"), ("C.", "C"), ("(B)", "B"), ("The answer is E", "E"), ("Final Answer: G", "G"), ("Failed to obtain answer via API.", ""),
      ("Because the man waves, the answer is C. Final Answer: C", "C"), ("Because the ball is red, Final Answer: A", "A"),
      ("Each frame shows a dog running. Final Answer: D", "D"), ("Final Answer: C\nFinal Answer: A", "A"), ("**Final Answer: B**", "B"),
      ("Final Answer: **E**", "E"), ("Final Answer: <letter>.", ""), ("Because", ""), ("Best option: (F)", "F"), ("I think it is H, not A", "H"),
      ("BCD", ""), ("Answer: (G) because", "G"), ("A", "A"),
    ]
    for (input, want) in vectors { #expect(VideoMMEv2Answer.strict(input) == want, "\(input)") }
    #expect(VideoMMEv2Answer.parityLetterInsideWord("Because it is C"))
    #expect(!VideoMMEv2Answer.parityLetterInsideWord("C because"))
  }

  // MARK: Groups

  @Test func groupStructures() {
    #expect(VideoMMEv2Structure("[1, 2, 3, 4]") == .chain)
    #expect(VideoMMEv2Structure("[1,[2,3],4]") == .middlePair)
    #expect(VideoMMEv2Structure(" [[1, 2], 3, 4,] ") == .firstPair)
    for bad in ["", "nan", "[1, 2, 3]", "(1, 2, 3, 4)", "[1, 2, 3, 4", "[01, 2, 3, 4]", "[[1, 2], 3, 4]]", "[1 2 3 4]"] {
      #expect(VideoMMEv2Structure(bad) == nil, "\(bad)")
    }
  }

  /// `cal_relevance` and `cal_logic`, by hand.
  @Test func groupRatingsByHand() {
    let t = true
    let f = false
    // Relevance: the count right through {0, 6.25, 25, 56.25, 100}; linear 25 each.
    #expect(VideoMMEv2Groups.relevance([f, f, f, f]) == (0, 0))
    #expect(VideoMMEv2Groups.relevance([f, t, f, f]) == (6.25, 25))
    #expect(VideoMMEv2Groups.relevance([t, f, t, f]) == (25, 50))
    #expect(VideoMMEv2Groups.relevance([f, t, t, t]) == (56.25, 75))
    #expect(VideoMMEv2Groups.relevance([t, t, t, t]) == (100, 100))
    // [1,2,3,4]: right answers before the first wrong one, same map.
    #expect(VideoMMEv2Groups.logic([f, t, t, t], .chain) == 0)
    #expect(VideoMMEv2Groups.logic([t, f, t, t], .chain) == 6.25)
    #expect(VideoMMEv2Groups.logic([t, t, f, t], .chain) == 25)
    #expect(VideoMMEv2Groups.logic([t, t, t, f], .chain) == 56.25)
    #expect(VideoMMEv2Groups.logic([t, t, t, t], .chain) == 100)
    // [1,[2,3],4]: /12 map {0, 1, 4, 7, 12}; 1 right, 2 wrong, 3 right counts 2.
    #expect(VideoMMEv2Groups.logic([f, f, f, f], .middlePair) == 0)
    #expect(VideoMMEv2Groups.logic([t, f, f, t], .middlePair) == 100.0 / 12)
    #expect(VideoMMEv2Groups.logic([t, f, t, f], .middlePair) == 100.0 * 4 / 12)
    #expect(VideoMMEv2Groups.logic([t, t, f, t], .middlePair) == 100.0 * 4 / 12)
    #expect(VideoMMEv2Groups.logic([t, t, t, f], .middlePair) == 100.0 * 7 / 12)
    #expect(VideoMMEv2Groups.logic([t, f, t, t], .middlePair) == 100.0 * 4 / 12)
    #expect(VideoMMEv2Groups.logic([t, t, t, t], .middlePair) == 100)
    // [[1,2],3,4]: /10 map {0, 1, 2, 5, 10}; 1 wrong, 2 right counts 1.
    #expect(VideoMMEv2Groups.logic([f, f, t, t], .firstPair) == 0)
    #expect(VideoMMEv2Groups.logic([f, t, t, t], .firstPair) == 10)
    #expect(VideoMMEv2Groups.logic([t, f, t, t], .firstPair) == 10)
    #expect(VideoMMEv2Groups.logic([t, t, f, t], .firstPair) == 20)
    #expect(VideoMMEv2Groups.logic([t, t, t, f], .firstPair) == 50)
    #expect(VideoMMEv2Groups.logic([t, t, t, t], .firstPair) == 100)
    // A short last group: missing questions are wrong.
    #expect(VideoMMEv2Groups.logic([t, t, t], .chain) == 56.25)
    #expect(VideoMMEv2Groups.logic([t], .middlePair) == 100.0 / 12)
  }

  /// 18 groups of 4: every structure, all right, all wrong, and the weaknesses (a failed answer
  /// read as F, `Because` read as B). The scores and the rating are VLMEvalKit's evaluate() on
  /// this table written as vmerge writes it (text cells; the empty prediction is NaN).
  static let groupRows: [(String, String, String, String, String, [(String, String)])] = [
    ("relevance", "", "1", "Perception", "Counting", [("A", "A"), ("B", "B"), ("C", "The answer is C"), ("D", "Final Answer: D")]),
    ("relevance", "", "2", "Perception", "OCR", [("A", "B"), ("B", "C"), ("C", "I cannot tell"), ("D", "")]),
    ("relevance", "", "3", "Reasoning", "Causal", [("A", "A"), ("B", "C"), ("C", "C"), ("D", "A")]),
    ("relevance", "", "1", "Reasoning", "Causal", [("E", "E"), ("F", "Failed to obtain answer via API."), ("G", "H"), ("H", "A")]),
    ("relevance", "", "2", "Perception", "Counting", [("A", "A"), ("B", "Because it moves, Final Answer: A"), ("C", "C"), ("D", "D")]),
    ("relevance", "", "3", "Perception", "OCR", [("A", "A"), ("B", "x"), ("C", "y"), ("D", "z")]),
    ("logic", "[1, 2, 3, 4]", "1", "Reasoning", "Temporal", [("A", "A"), ("B", "B"), ("C", "D"), ("D", "D")]),
    ("logic", "[1, 2, 3, 4]", "2", "Reasoning", "Temporal", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "A")]),
    ("logic", "[1, 2, 3, 4]", "3", "Reasoning", "Temporal", [("A", "B"), ("B", "B"), ("C", "C"), ("D", "D")]),
    ("logic", "[1, [2, 3], 4]", "1", "Reasoning", "Causal", [("A", "A"), ("B", "A"), ("C", "C"), ("D", "A")]),
    ("logic", "[1, [2, 3], 4]", "2", "Perception", "Causal", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "A")]),
    ("logic", "[1, [2, 3], 4]", "3", "Perception", "Causal", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]),
    ("logic", "[1, [2, 3], 4]", "1", "Perception", "Counting", [("A", "A"), ("B", "A"), ("C", "A"), ("D", "D")]),
    ("logic", "[[1, 2], 3, 4]", "2", "Reasoning", "OCR", [("A", "B"), ("B", "B"), ("C", "C"), ("D", "D")]),
    ("logic", "[[1, 2], 3, 4]", "3", "Reasoning", "OCR", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "A")]),
    ("logic", "[[1, 2], 3, 4]", "1", "Reasoning", "OCR", [("A", "B"), ("B", "A"), ("C", "C"), ("D", "D")]),
    ("logic", "[[1, 2], 3, 4]", "2", "Reasoning", "OCR", [("A", "A"), ("B", "A"), ("C", "C"), ("D", "D")]),
    ("logic", "[1,[2,3],4]", "3", "Reasoning", "Spatial", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]),
  ]

  static func table(_ groups: [(String, String, String, String, String, [(String, String)])]) -> Rows {
    var rows: [[String?]] = []
    for (g, group) in groups.enumerated() {
      for (k, qa) in group.5.enumerated() {
        let i = String(g * 4 + k)
        rows.append([
          i, String(g + 1), "./video/\(g + 1).mp4", "./subtitle/\(g + 1).jsonl", "u", group.0, group.1.isEmpty ? nil : group.1, i, "Q\(i)?",
          "A. a\nB. b\nC. c\nD. d\nE. e\nF. f\nG. g\nH. h", qa.0, group.2, group.3, group.4, qa.1.isEmpty ? nil : qa.1,
        ])
      }
    }
    return Rows(
      table: ResultTable(
        columns: [
          "index", "video", "video_path", "subtitle_path", "url", "group_type", "group_structure", "question_id", "question", "options", "answer",
          "level", "second_head", "third_head", "prediction",
        ], rows: rows, name: "test"))
  }

  static let diag = Diagnostics(tool: "vscore", verbosity: -1)
  static func ctx(strict: Bool = false, dataset: String = "Video-MME-v2_64frame") -> ScoreContext {
    ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: dataset, diag: diag)
  }

  @Test func ratingIsVLMEvalKitsEvaluate() throws {
    let o = try VideoMMEv2Rule().score(Self.table(Self.groupRows), Self.ctx())
    #expect(
      o.scores == [
        "1", "1", "1", "1", "0", "0", "0", "0", "1", "0", "1", "0", "1", "1", "0", "0", "1", "1", "1", "1", "1", "0", "0", "0", "1", "1", "0", "1",
        "1", "1", "1", "0", "0", "1", "1", "1", "1", "0", "1", "0", "1", "1", "1", "0", "1", "1", "1", "1", "1", "0", "0", "1", "0", "1", "1", "1",
        "1", "1", "1", "0", "0", "0", "1", "1", "1", "0", "1", "1", "1", "1", "1", "1",
      ])
    // `_rating.json` as VLMEvalKit dumps it (json.dump, indent 4).
    #expect(
      JSONSerializer.pretty(try #require(o.rating)) == """
        {
            "final_rating": {
                "level_1": 31.944444444444446,
                "level_2": 39.09722222222222,
                "level_3": 46.875,
                "relevance_score": 42.708333333333336,
                "relevance_linear_score": 54.166666666666664,
                "logic_score": 37.604166666666664,
                "total": 39.30555555555556
            },
            "second_head_rating": {
                "Perception": 53.27380952380952,
                "Reasoning": 30.41666666666667
            },
            "third_head_rating": {
                "Counting": 69.44444444444444,
                "OCR": 12.708333333333334,
                "Causal": 48.333333333333336,
                "Temporal": 27.083333333333332,
                "Spatial": 100.0
            }
        }
        """)
    #expect(o.fileInfix == "" && o.acc == nil && o.badRows == 0)
    let notes = o.summary.notes.joined(separator: "\n")
    #expect(notes.contains("no judge"))
    #expect(notes.contains("1 failed answers are read as option F") && notes.contains("1 of them scored right"))
    #expect(notes.contains("('Because' reads as B)"))
    #expect(notes.contains("1 answers with 'Final Answer:' were read from an earlier capital"))
    #expect(notes.contains("1 rows have no prediction"))
    #expect(o.summary.rows.first == SummaryRow(group: "overall", name: "total", total: 18, value: 39.30555555555556))
  }

  @Test func strictCountsTheFailedAnswerAndReadsTheFinalAnswer() throws {
    let parity = try VideoMMEv2Rule().score(Self.table(Self.groupRows), Self.ctx())
    let strict = try VideoMMEv2Rule().score(Self.table(Self.groupRows), Self.ctx(strict: true))
    let changed = (0..<parity.scores.count).filter { parity.scores[$0] != strict.scores[$0] }
    // Row 13: the failed answer (read as F, its answer) is wrong; row 17, "Because it moves, Final Answer: A"
    // (read as B, its answer), is read as A and is wrong too.
    #expect(changed == [13, 17])
    #expect(strict.summary.mode == "strict")
    #expect(strict.summary.notes.contains { $0.contains("2 answers read differently") })
    // Group 4 keeps 1 right of 4 (6.25), group 5 keeps 3 (56.25).
    let r = try #require(strict.rating?.objectValue?["final_rating"]?.objectValue)
    #expect(r["relevance_score"] == .double((100 + 0 + 25 + 6.25 + 56.25 + 6.25) / 6))
  }

  @Test func shortAndBadGroups() throws {
    // 7 rows: a group of 4 and one of 3 (VLMEvalKit rates the 3 so).
    let g: [(String, String, String, String, String, [(String, String)])] = [
      ("relevance", "", "1", "S", "T", [("A", "A"), ("B", "B"), ("C", "x"), ("D", "D")]),
      ("logic", "[1, 2, 3, 4]", "2", "S", "T", [("A", "A"), ("B", "B"), ("C", "C")]),
    ]
    let o = try VideoMMEv2Rule().score(Self.table(g), Self.ctx())
    let r = try #require(o.rating?.objectValue?["final_rating"]?.objectValue)
    #expect(r["relevance_score"] == .double(56.25) && r["logic_score"] == .double(56.25) && r["level_3"] == .double(0))
    #expect(o.summary.notes.contains { $0.contains("not whole groups of 4") })
    // Unknown type or structure: the group is left out, reported, exit status 1 (VLMEvalKit raises).
    let bad: [(String, String, String, String, String, [(String, String)])] = [
      ("other", "", "1", "S", "T", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]),
      ("logic", "[4, 3, 2, 1]", "1", "S", "T", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]),
      ("relevance", "", "None", "S", "T", [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]),
    ]
    let b = try VideoMMEv2Rule().score(Self.table(bad), Self.ctx())
    #expect(b.badRows == 8)
    let br = try #require(b.rating?.objectValue?["final_rating"]?.objectValue)
    #expect(br["total"] == .double(100) && br["level_1"] == .double(0))
    #expect(b.summary.notes.contains { $0.contains("no level") })
    // The fallback reads options from the question's lines (extract_option), as VLMEvalKit.
    let fb = Rows(
      table: ResultTable(
        columns: ["index", "group_type", "question", "answer", "prediction"],
        rows: [["0", "relevance", "Q?\nA. red\nB. blue", "B", "it is blue"], ["1", "relevance", "Q?", "B", "blue"]], name: "t"))
    #expect(try VideoMMEv2Rule().score(fb, Self.ctx()).scores == ["1", "0"])
  }

  @Test func oneFPSConfigsSayVLMEvalKitCannotBuildThem() throws {
    let o = try VideoMMEv2Rule().score(Self.table(Array(Self.groupRows.prefix(1))), Self.ctx(dataset: "Video-MME-v2_1fps_subs"))
    #expect(o.summary.notes.contains { $0.contains("VLMEvalKit cannot build Video-MME-v2_1fps_subs") })
  }

  /// A result file of a v2 config goes to the v2 rule, never Video-MME's.
  @Test func resultFilesRouteToTheV2Rule() {
    for c in Benchmark.videoMMEv2.configs {
      let stem = "GPT-4o_" + c.name
      #expect(Registry.datasetName(fromFileStem: stem) == c.name)
      #expect(Registry.catalog.rule(forDataset: Registry.datasetName(fromFileStem: stem))?.name == "video-mme-v2")
    }
    #expect(Registry.catalog.rule(forDataset: Registry.datasetName(fromFileStem: "GPT-4o_Video-MME_64frame"))?.name == "video-mme")
    #expect(Registry.catalog.rule(forDataset: "Video-MME-v2")?.name == "video-mme-v2")
    #expect(Registry.catalog.rule(forDataset: "Video-MME-v2_resize200704")?.name == "video-mme-v2")
    if case .none = VideoMMEv2Rule().judgePrompts(Self.table([]), strict: false) {} else { Issue.record("Video-MME-v2 takes no judge") }
  }
}
