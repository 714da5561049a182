import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// Video-MMLU (VLMEvalKit `video_mmlu.py`, `utils/video_mmlu.py`). The expected prompt lists,
/// judge texts, prompts, judge calls, score columns and ratings are in
/// `Tests/Fixtures/vlmevalkit/caption-judges.json`, printed by `caption_judges.py` beside it:
/// VLMEvalKit's own `build_prompt` (its `random.choice` patched to vtools' seeded pick),
/// `evaluate` (with a fake judge; one QA pair per caption) and `get_dimension_rating`, commit
/// e8e78f05.
@Suite struct VideoMMLUTests {
  static let golden = GoldenFixture("caption-judges.json")

  static func strings(_ key: String) -> [String] { golden.strings(key) }

  static func messages(_ key: String) -> [MessageItem] { golden.messages(key) }

  /// The golden judge calls: (system, prompt).
  static func calls(_ key: String) -> [(String, String)] {
    (golden[key]?.arrayValue ?? []).compactMap(\.arrayValue).map { ($0[0].stringValue ?? "", $0[1].stringValue ?? "") }
  }

  static func build(_ preset: String, _ record: JSONObject, videoLLM: Bool = false) throws -> [MessageItem] {
    try #require(Registry.preset(named: preset)).prompt.build(
      TemplateInput(record: record, videoLLM: videoLLM, datasetRoot: "/D", subtitles: false, strict: false, warn: { _ in }))
  }

  static func record(id: String, dataset: String, video: String, _ fields: [(String, String)], videoPath: String) -> JSONObject {
    var o = JSONObject([("id", .string(id)), ("index", .string(id)), ("video", .string(video))])
    for (k, v) in fields { o[k] = .string(v) }
    let stem = (video as NSString).deletingPathExtension
    o["frames"] = .array([1, 2].map { .string("/L/images/\(dataset)/\(stem)/frame-\($0)-of-2.jpg") })
    o["video_info"] = .object(JSONObject([("path", .string(videoPath))]))
    return o
  }

  @Test func configsAreVideoDatasetConfigs() throws {
    #expect(Benchmark.videoMMLUCap.configs.map(\.name) == ["Video_MMLU_CAP_16frame", "Video_MMLU_CAP_64frame"])
    #expect(Benchmark.videoMMLUQA.configs.map(\.name) == ["Video_MMLU_QA_16frame", "Video_MMLU_QA_64frame"])
    let all = Benchmark.videoMMLUCap.configs + Benchmark.videoMMLUQA.configs
    #expect(all.map { $0.spec.nframe } == [16, 64, 16, 64] && all.allSatisfy { $0.spec.sampler == .uniform })
    #expect(all.map(\.dataset) == ["Video_MMLU_CAP", "Video_MMLU_CAP", "Video_MMLU_QA", "Video_MMLU_QA"])
    #expect(all.allSatisfy { $0.video == VideoRule(field: "video", ext: ".mp4", subfolder: "youtube_videos", keyStripsExtension: true) })
    #expect(Registry.datasetName(fromFileStem: "M_Video_MMLU_QA_64frame") == "Video_MMLU_QA_64frame")
  }

  /// The caption instructions and judge texts are VLMEvalKit's, verbatim.
  @Test func textsAreVLMEvalKits() {
    #expect(VideoMMLUTexts.detailedCaptionPrompts == Self.strings("video_mmlu.detailed_caption_prompts"))
    #expect(Self.golden["utils.video_mmlu.SYSTEM_GENER_PRED_PROMPT"]?.stringValue == VideoMMLUTexts.answerSystem)
    #expect(Self.golden["utils.video_mmlu.SYSTEM_CAL_SCORE_PROMPT_CAP"]?.stringValue == VideoMMLUTexts.capScoreSystem)
    #expect(Self.golden["utils.video_mmlu.SYSTEM_CAL_SCORE_PROMPT_QA"]?.stringValue == VideoMMLUTexts.qaScoreSystem)
    #expect(
      Self.golden["utils.video_mmlu.USER_GENER_PRED_PROMPT"]?.stringValue?.replacingOccurrences(of: "{pred_cap}", with: "C")
        .replacingOccurrences(of: "{q}", with: "Q") == VideoMMLUTexts.answerPrompt(caption: "C", question: "Q"))
    #expect(Self.golden["qa_score_prompt"]?.stringValue == MovieChat1kScorer.judgePrompt(question: "Why?", answer: "Because.", prediction: "So."))
  }

  /// `build_prompt_nopack`, frames and video LLM; the caption instruction is the one seeded by
  /// the row id (rows 7 and 3 draw different ones).
  @Test func promptsAreBuildPrompt() throws {
    let cap = Self.record(
      id: "7", dataset: "Video_MMLU_CAP", video: "lec_1.mp4", [("question", "[{'question': 'Q?', 'answer': 'A.'}]")],
      videoPath: "/D/vm/youtube_videos/lec_1.mp4")
    #expect(try Self.build("Video_MMLU_CAP_16frame", cap) == Self.messages("cap_frames"))
    #expect(try Self.build("Video_MMLU_CAP_64frame", cap, videoLLM: true) == Self.messages("cap_video"))
    var three = cap
    three["id"] = .string("3")
    #expect(try Self.build("Video_MMLU_CAP_16frame", three).last == Self.messages("cap_frames_3").last)
    #expect(Self.messages("cap_frames").last != Self.messages("cap_frames_3").last)
    let qa = Self.record(
      id: "12", dataset: "Video_MMLU_QA", video: "lec_2.mp4", [("question", "Why is the sum of odd numbers a square?")],
      videoPath: "/D/vm/youtube_videos/lec_2.mp4")
    #expect(try Self.build("Video_MMLU_QA_16frame", qa) == Self.messages("qa_frames"))
    #expect(try Self.build("Video_MMLU_QA_16frame", qa, videoLLM: true) == Self.messages("qa_video"))
  }

  /// The generated rows of `caption_judges.py`: (index, category, caption, question, answer).
  static func captionRows(_ key: String, column: String) -> Rows {
    let rows: [(String, String, String, String, String)] =
      key == "cap"
      ? [
        ("0", "Math", "A red circle.", "What shape?", "A red circle."), ("1", "physics", "A ball falls.", "What falls?", "A stone."),
        ("2", "Chemistry", "It's blue.", "Colour?", "It's blue."), ("3", "physics", "Two.", "How many?", "Two."), ("4", "biology", "x", "q", "x"),
      ]
      : [
        ("0", "short", "A red circle.", "What shape?", "A red circle."), ("1", "camera", "It pans.", "How?", "It zooms."),
        ("2", "Main_Object", "A dog runs.", "Who runs?", "A dog runs."), ("3", "background", "Two.", "How many?", "Two."),
        ("4", "other", "x", "q", "x"),
      ]
    return Rows(
      table: ResultTable(
        columns: ["index", "video", "question", column, "prediction"],
        rows: rows.map { [$0.0, "v\($0.0).mp4", "[{'question': '\($0.3)', 'answer': \"\($0.4)\"}]", $0.1, $0.2] }, name: "M_\(key)"))
  }

  /// The fake judge of `caption_judges.py`.
  static func fakeJudge(_ p: JudgePrompt) -> String {
    if p.round == 1 { return p.prompt.components(separatedBy: "detailed description: ")[1].components(separatedBy: "\nquestion: ")[0] }
    if p.prompt.contains("Two.") { return "Sure: {'pred': 'yes', 'score': 4}" }
    let correct = p.prompt.components(separatedBy: "Correct Answer: ")[1].components(separatedBy: "\n")[0]
    let predicted = p.prompt.components(separatedBy: "Predicted Answer: ")[1].components(separatedBy: "\n")[0]
    return correct == predicted ? "{'pred': 'yes', 'score': 5}" : "{'pred': 'no', 'score': 1}"
  }

  /// Both rounds against VLMEvalKit's `evaluate`: the judge's calls in order (system prompt and
  /// text), its request (temperature 0 where VLMEvalKit sets it), the score column and the rating.
  static func checkChain(_ rule: any ScoringRule, _ rows: Rows, key: String, dataset: String, temperature: Bool) throws {
    guard case .prompts(let one) = rule.judgePrompts(rows, strict: false) else {
      Issue.record("no judge")
      return
    }
    var replies = JudgeReplies()
    for p in one { replies[p.recordID] = JudgeReply(text: fakeJudge(p), failed: false) }
    let two = rule.judgePrompts(rows, strict: false, round: 2, replies: replies)
    for p in two { replies[p.recordID] = JudgeReply(text: fakeJudge(p), failed: false) }
    #expect(rule.judgePrompts(rows, strict: false, round: 3, replies: replies).isEmpty)
    #expect(one.map(\.recordID) == ["0:0", "1:0", "2:0", "3:0", "4:0"] && two.map(\.recordID) == ["r2:0:0", "r2:1:0", "r2:2:0", "r2:3:0", "r2:4:0"])
    let expected = calls(key + "_calls")
    #expect(expected.count == 10)
    for (p, c) in zip(one + two, expected) {
      #expect(p.system == c.0)
      #expect(p.prompt == c.1)
    }
    #expect((one + two).allSatisfy { ($0.request?["temperature"] != nil) == temperature })
    let ctx = ScoreContext(
      strict: false, judged: replies, judgeName: "gpt-4o-mini", dataset: dataset, diag: Diagnostics(tool: "vscore", verbosity: -1))
    let o = try rule.score(rows, ctx)
    #expect(o.scores == strings(key + "_score").map { Optional($0) })
    #expect(o.rating == golden[key + "_rating"])
    #expect(o.fileInfix == "_gpt-4o-mini")
    #expect(o.table?.columns.last == "pred_response" && o.table?.rows.count == 5)
  }

  @Test func captionJudgeIsEvaluate() throws {
    try Self.checkChain(
      VideoMMLUCapRule(), Self.captionRows("cap", column: "discipline"), key: "cap", dataset: "Video_MMLU_CAP_16frame", temperature: true)
  }

  /// Every QA pair of a caption is judged, keyed `{index}:{k}`, and rated; VLMEvalKit keeps one.
  @Test func everyPairIsKept() throws {
    let rows = Rows(
      table: ResultTable(
        columns: ["index", "video", "question", "discipline", "prediction"],
        rows: [
          ["5", "v.mp4", "[{'question': 'Colour?', 'answer': 'Red.'}, {\"question\": \"Shape?\", \"answer\": \"Round.\"}]", "math", "Red."],
          ["6", "w.mp4", "[{'question': 'Q?', 'answer': 'A.'}]", "physics", nil], ["8", "w.mp4", "not a list", "physics", "x"],
        ], name: "M"))
    let rule = VideoMMLUCapRule()
    guard case .prompts(let one) = rule.judgePrompts(rows, strict: false) else {
      Issue.record("no judge")
      return
    }
    #expect(one.map(\.recordID) == ["5:0", "5:1"])
    var replies = JudgeReplies()
    for p in one { replies[p.recordID] = JudgeReply(text: Self.fakeJudge(p), failed: p.id == "5:1") }
    let two = rule.judgePrompts(rows, strict: false, round: 2, replies: replies)
    #expect(two.map(\.recordID) == ["r2:5:0", "r2:5:1"])
    #expect(two[1].prompt.contains("Predicted Answer: Red.\n"), "a failed answer goes on as its text")
    for p in two { replies[p.recordID] = JudgeReply(text: Self.fakeJudge(p), failed: false) }
    let o = try rule.score(
      rows,
      ScoreContext(strict: false, judged: replies, judgeName: "j", dataset: "Video_MMLU_CAP_16frame", diag: Diagnostics(tool: "t", verbosity: -1)))
    #expect(o.scores == ["{'pred': 'yes', 'score': 5}", "{'pred': 'no', 'score': 1}", "-1", "-1"])
    #expect(o.table?.rows.map { $0[2] } == ["Colour?", "Shape?", "Q?", "not a list"])
    #expect(o.rating?.objectValue?["coarse_valid"]?.objectValue?["math"] == .string("3.00"))
    #expect(o.rating?.objectValue?["coarse_accuracy"]?.objectValue?["math"] == .string("0.50"))
    #expect(o.badRows == 1, "the unreadable row")
  }

  /// `Video_MMLU_QA`: one round; the rating of a score file is `get_dimension_rating`'s.
  @Test func qaJudgeAndRatingAreVLMEvalKits() throws {
    let rows = Rows(
      table: ResultTable(
        columns: ["index", "video", "question", "answer", "discipline", "prediction"],
        rows: [["0", "a", "Why?", "Because.", "Math", "So."], ["1", "b", "Q", "A", "physics", nil]], name: "M"))
    guard case .prompts(let p) = VideoMMLUQARule().judgePrompts(rows, strict: false) else {
      Issue.record("no judge")
      return
    }
    #expect(p.map(\.recordID) == ["0"] && p[0].system == VideoMMLUTexts.qaScoreSystem && p[0].prompt == Self.golden["qa_score_prompt"]?.stringValue)
    #expect(p[0].request?["temperature"] != nil)
    // The score cells of the golden score file, as judge replies.
    let cells: [(String, String?, JudgeReply?)] = [
      ("Math", "p", JudgeReply(text: "{'pred': 'yes', 'score': 4}", failed: false)),
      ("math", "p", JudgeReply(text: "{\"pred\": \"no\", \"score\": 2}", failed: false)), ("Physics", nil, nil),
      ("chemistry", "p", JudgeReply(text: "Failed to obtain answer via API.", failed: true)),
      ("chemistry", "p", JudgeReply(text: "{'pred': 'YES', 'score': 3}", failed: false)),
      ("art", "p", JudgeReply(text: "{'pred': 'yes', 'score': 5}", failed: false)),
    ]
    let t = Rows(
      table: ResultTable(
        columns: ["index", "question", "answer", "discipline", "prediction"],
        rows: cells.enumerated().map { ["\($0.offset)", "q", "a", $0.element.0, $0.element.1] },
        name: "M"))
    var judged = JudgeReplies()
    for (i, c) in cells.enumerated() { if let r = c.2 { judged["\(i)"] = r } }
    let o = try VideoMMLUQARule().score(
      t, ScoreContext(strict: false, judged: judged, judgeName: "j", dataset: "Video_MMLU_QA_16frame", diag: Diagnostics(tool: "t", verbosity: -1)))
    #expect(o.rating == Self.golden["qa_rating"])
    #expect(o.scores[2] == "-1")
  }
}
