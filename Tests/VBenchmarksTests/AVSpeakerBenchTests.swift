import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// AV-SpeakerBench, visual configs. Every expected value here came from running VLMEvalKit's own
/// functions (`AVSpeakerBench.build_prompt` with `use_audio=False`, `_parse_multi_choice_response`,
/// `AVSpeakerBench.evaluate` on an .xlsx whose cells are text, as vmerge writes them) at commit
/// e8e78f05 on the same rows.
@Suite struct AVSpeakerBenchTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func build(_ rec: JSONObject, videoLLM: Bool = false) throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data", subtitles: false, strict: false, warn: { _ in })
    return .array(try AVSpeakerBenchPrompt().build(t).map(\.json))
  }

  static let record = JSONObject([
    ("video", .string("clip7")), ("visual_path", .string("visual/clip7.mp4")), ("question", .string("Who speaks first?")),
    ("choices", .string(#"['A. The man in red', 'B. The woman', "C. Nobody's there", 'D. The child']"#)),
    ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
    ("video_info", .object(JSONObject([("path", .string("/data/visual/clip7.mp4"))]))),
  ])

  static let head =
    #"[{"type": "text", "value": "Carefully watch and listen to the clip. Based on your observations, select the best option that accurately addresses the question."}, "#
  static let tail =
    #"{"type": "text", "value": "\nSelect the best answer to the following multiple-choice question based on the silent visual clip.\nRely on the visuals only and respond with the letter (A, B, C, or D).\n"}, {"type": "text", "value": "Who speaks first?\nA. The man in red\nB. The woman\nC. Nobody's there\nD. The child\nThe best answer is:"}]"#

  @Test func goldenPrompt() throws {
    let expected = try JSONParser.parse(
      Self.head + #"{"type": "image", "value": "/c/f1.jpg"}, {"type": "image", "value": "/c/f2.jpg"}, "# + Self.tail)
    #expect(try Self.build(Self.record) == expected)
  }

  @Test func goldenPromptVideoLLM() throws {
    let expected = try JSONParser.parse(Self.head + #"{"type": "video", "value": "/data/visual/clip7.mp4"}, "# + Self.tail)
    #expect(try Self.build(Self.record, videoLLM: true) == expected)
  }

  @Test func choicesThatAreNoLiteralAreSplitIntoLines() throws {
    var rec = Self.record
    rec["choices"] = .string("A. yes\nB. no")
    let last = try Self.build(rec).arrayValue?.last
    #expect(last == (try JSONParser.parse(#"{"type": "text", "value": "Who speaks first?\nA. yes\nB. no\nThe best answer is:"}"#)))
  }

  @Test func parseVectors() {
    // nil: no letter; VLMEvalKit then returns its fallback 'A'.
    let vectors: [(String, String?)] = [
      ("B", "B"), ("The best answer is: C.", "C"), ("(d) the child", "D"), ("<think>A? B?</think><answer>C</answer>", "C"),
      ("I cannot tell", nil), ("Failed to obtain answer via API.", nil), ("Answer: b", "B"), ("Based on the clip, D", "D"),
      ("a cat is here", "A"), ("E", nil), ("The answer(B)", "B"), ("<answer> d </answer> and A", "D"), ("\u{261E}C", "C"), ("", nil),
      ("Best option:(B", "B"),
    ]
    for (pred, letter) in vectors { #expect(AVSpeakerBenchScorer.parse(pred) == letter, "\(pred)") }
  }

  static let table = Rows(
    table: ResultTable(
      columns: ["index", "video", "task_id", "question", "answer", "prediction"],
      rows: [
        ["0", "v0", "10", "q", "B", "B"], ["1", "v1", "2", "q", "A", "no idea"], ["2", "v2", "2", "q", "C", nil],
        ["3", "v3", "10", "q", "D", "Failed to obtain answer via API."], ["4", "v4", "3", "q", "a", "The best answer is: a."],
        ["5", "v5", "2", "q", "B", "<answer>C</answer>"],
      ], name: "M_AV-SpeakerBench_visual_8frame"))

  static func ctx(strict: Bool) -> ScoreContext {
    ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: "AV-SpeakerBench_visual_8frame", diag: diag)
  }

  @Test func ratingEqualsEvaluate() {
    let o = AVSpeakerBenchScorer(rows: Self.table).score(Self.ctx(strict: false))
    #expect(o.scores == ["1", "1", "0", "0", "1", "0"])
    // pandas reads the text cells back as integers, so task ids sort as numbers.
    #expect(
      JSONSerializer.pretty(o.rating!) == """
        {
            "overall": 50.0,
            "by_task": {
                "2": 33.33333333333333,
                "3": 100.0,
                "10": 50.0
            }
        }
        """)
    #expect(o.summary.notes.contains { $0.contains("count as A") })
  }

  @Test func strictCountsAnswersWithoutALetterWrong() {
    let o = AVSpeakerBenchScorer(rows: Self.table).score(Self.ctx(strict: true))
    #expect(o.scores == ["1", "0", "0", "0", "1", "0"])
    #expect(o.rating?.objectValue?["by_task"]?.objectValue?["2"] == .double(0))
  }

  @Test func taskIdOrder() {
    #expect(AVSpeakerBenchScorer.groupOrder(["10", "2", "3"], missingValues: false).map(\.1) == ["2", "3", "10"])
    #expect(AVSpeakerBenchScorer.groupOrder(["10", "2"], missingValues: true).map(\.1) == ["2.0", "10.0"])
    #expect(AVSpeakerBenchScorer.groupOrder(["b", "B", "a"], missingValues: false).map(\.1) == ["B", "a", "b"])
  }
}
