import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// MVTamperBench. Every expected value here came from running VLMEvalKit's own functions
/// (`MVTamperBench.build_prompt`, `MVTamperBench.evaluate` with `exact_matching`, which writes the
/// three rating files and the two F1 tables) at commit e8e78f05 on the same rows.
@Suite struct MVTamperBenchTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func build(_ rec: JSONObject, videoLLM: Bool = false) throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data", subtitles: false, strict: false, warn: { _ in })
    return .array(try MVTamperBenchPrompt().build(t).map(\.json))
  }

  static let record = JSONObject([
    ("prefix", .string("video/clevrer/video_validation/")), ("video", .string("video_10000.mp4")), ("bound", .bool(false)),
    ("question", .string("Is the video tampered?")), ("candidates", .string("['Yes', 'No ']")), ("answer", .string("No ")),
    ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
    ("video_info", .object(JSONObject([("path", .string("/data/video/clevrer/video_validation/video_10000.mp4"))]))),
  ])

  static let head =
    #"[{"type": "text", "value": "Carefully watch the video and pay attention to the cause and sequence of events, ", "role": "system"}, {"type": "text", "value": "Question: Is the video tampered?\nOptions:\n(A) Yes\n(B) No"}, "#
  static let tail = #"{"type": "text", "value": "\nOnly give the best option."}, {"type": "text", "value": "Best option:(", "role": "assistant"}]"#

  @Test func goldenPromptQuestionBeforeFrames() throws {
    let expected = try JSONParser.parse(
      Self.head + #"{"type": "image", "value": "/c/f1.jpg"}, {"type": "image", "value": "/c/f2.jpg"}, "# + Self.tail)
    #expect(try Self.build(Self.record) == expected)
  }

  @Test func goldenPromptVideoLLM() throws {
    let expected = try JSONParser.parse(
      Self.head + #"{"type": "video", "value": "/data/video/clevrer/video_validation/video_10000.mp4"}, "# + Self.tail)
    #expect(try Self.build(Self.record, videoLLM: true) == expected)
  }

  static let table: Rows = {
    let rows: [(String, String, String, String?)] = [
      ("Action Count", "original", "Yes", "(A) Yes"), ("Action Count", "original", "No", "B"), ("Action Count", "masking", "Yes", "B"),
      ("Action Count", "masking", "No", nil), ("Action Count", "rotation", "Yes", "Failed to obtain answer via API."),
      ("Action Count", "rotation", "No", "("), ("Moving Count", "original", "No", "No"), ("Moving Count", "masking", "Yes", "A"),
      ("Moving Count", "masking", "No", "I really cannot say"), ("State Change", "masking", "Yes", "A"),
    ]
    return Rows(
      table: ResultTable(
        columns: [
          "task_type", "prefix", "bound", "video", "question", "answer", "candidates", "tamper_type", "task_tamper_type", "index", "prediction",
        ],
        rows: rows.enumerated().map { i, r in
          [r.0, "video/x/", "False", "v\(i).mp4", "Is it?", r.2, "['Yes', 'No']", r.1, "\(r.0)_\(r.1)", String(i), r.3]
        }, name: "Mod_MVTamperBench"))
  }()

  static func ctx(strict: Bool) -> ScoreContext {
    var c = ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: "MVTamperBench", diag: diag)
    c.fileStem = "Mod_MVTamperBench"
    return c
  }

  static func rating(_ o: Outcome, _ suffix: String) -> String {
    o.extraRatings.first { $0.suffix == suffix }.map { JSONSerializer.serialize($0.value) } ?? "none"
  }

  @Test func parityRatingsCountFailedAndMissingAnswersCorrect() {
    let o = MVTamperBenchScorer(rows: Self.table).score(Self.ctx(strict: false))
    #expect(o.scores == ["1", "1", "0", nil, "-1", "1", "1", "1", "0", "1"])
    #expect(o.rating == nil)
    #expect(o.extraRatings.map(\.suffix) == ["_task_type_rating", "_tamper_type_rating", "_task_tamper_type_rating"])
    #expect(
      Self.rating(o, "_task_type_rating")
        == #"{"Action Count":[5,6,"83.33%"],"Moving Count":[2,3,"66.67%"],"State Change":[1,1,"100.00%"],"overall":[8,10,"80.00%"]}"#)
    #expect(
      Self.rating(o, "_tamper_type_rating")
        == #"{"original":[3,3,"100.00%"],"masking":[3,5,"60.00%"],"rotation":[2,2,"100.00%"],"overall":[8,10,"80.00%"]}"#)
    #expect(
      Self.rating(o, "_task_tamper_type_rating")
        == #"{"Action Count_original":[2,2,"100.00%"],"Action Count_masking":[1,2,"50.00%"],"Action Count_rotation":[2,2,"100.00%"],"Moving Count_original":[1,1,"100.00%"],"Moving Count_masking":[1,2,"50.00%"],"State Change_masking":[1,1,"100.00%"],"overall":[8,10,"80.00%"]}"#
    )
    #expect(o.summary.notes.contains { $0.contains("1 failed and 1 missing answers count as correct in the ratings") })
  }

  @Test func f1TablesCountFailedAndMissingAnswersWrong() throws {
    do {
      let o = MVTamperBenchScorer(rows: Self.table).score(Self.ctx(strict: false))
      let f1 = try #require(o.sheets.first { $0.suffix == "_score_f1" })
      #expect(f1.columns == ["Model", "Task", "Accuracy", "Precision", "Recall", "F1 Score", "Confusion Matrix"])
      #expect(
        f1.rows == [
          ["Mod", "masking", "0.625", "0.6", "0.75", "0.6666666667", "[[2, 2], [1, 3]]"],
          ["Mod", "rotation", "0.8", "1.0", "0.5", "0.6666666667", "[[3, 0], [1, 1]]"],
          ["Mod", "overall", "0.7125", "0.8", "0.625", "0.6666666667", "N/A"],
        ])
      let action = try #require(o.sheets.first { $0.suffix == "_action_f1" })
      #expect(action.columns == ["task_type", "tamper_type", "Accuracy", "Precision", "Recall", "F1 Score"])
      #expect(
        action.rows == [
          ["Action Count", "masking", "0.5", "0.5", "0.5", "0.5"],
          ["Action Count", "overall", "0.625", "0.75", "0.5", "0.5833333333333333"],
          ["Action Count", "rotation", "0.75", "1.0", "0.5", "0.6666666666666666"],
          ["Moving Count", "masking", "0.6666666666666666", "0.5", "1.0", "0.6666666666666666"],
          ["Moving Count", "overall", "0.6666666666666666", "0.5", "1.0", "0.6666666666666666"],
        ])
    }
  }

  @Test func strictRatingsCountFailedAndMissingAnswersWrong() throws {
    let o = MVTamperBenchScorer(rows: Self.table).score(Self.ctx(strict: true))
    // The F1 tables already count failed and missing answers wrong; only the answer `(` (right by
    // MVBench's substring rule in parity, wrong under --strict) changes them.
    let f1 = try #require(o.sheets.first { $0.suffix == "_score_f1" })
    #expect(f1.rows[0] == ["Mod", "masking", "0.625", "0.6", "0.75", "0.6666666667", "[[2, 2], [1, 3]]"])
    #expect(f1.rows[1] == ["Mod", "rotation", "0.6", "0.5", "0.5", "0.5", "[[2, 1], [1, 1]]"])
    #expect(o.scores == ["1", "1", "0", "0", "0", "0", "1", "1", "0", "1"])
    #expect(
      Self.rating(o, "_tamper_type_rating")
        == #"{"original":[3,3,"100.00%"],"masking":[2,5,"40.00%"],"rotation":[0,2,"0.00%"],"overall":[5,10,"50.00%"]}"#)
  }

  @Test func judgePromptsForAnswersNoRuleReads() {
    guard case .prompts(let p) = MVTamperBenchRule().judgePrompts(Self.table, strict: false) else {
      Issue.record("MVTamperBench takes a judge")
      return
    }
    #expect(p.map(\.id) == ["8"])
    #expect(
      p[0].prompt.hasSuffix("Question: Is it??\nOptions: There are several options: \nA. Yes\nB. No\n\nAnswer: I really cannot say\nYour output: "))
    let judged = MVTamperBenchScorer(rows: Self.table).score(
      ScoreContext(strict: false, judged: ["8": JudgeReply(text: "B", failed: false)], judgeName: "j", dataset: "MVTamperBench", diag: Self.diag))
    #expect(judged.scores[8] == "1")
  }

  @Test func confusionMatrixAndModelName() {
    #expect(MVTamperBenchScorer.metrics([(true, true), (true, true)]).matrix == "[[2]]")
    #expect(MVTamperBenchScorer.metrics([(false, true)]) == .init(accuracy: 0, precision: 0, recall: 0, f1: 0, matrix: "[[0, 1], [0, 0]]"))
    #expect(MVTamperBenchScorer.modelName("GPT4o_MVTamperBenchStart_8frame") == "GPT4o")
    #expect(MVTamperBenchScorer.modelName("results") == "results_score.xlsx")
  }

  @Test func answersOtherThanYesOrNoAreLeftOutOfTheF1Tables() {
    let t = Rows(
      table: ResultTable(
        columns: ["index", "task_type", "tamper_type", "task_tamper_type", "question", "answer", "candidates", "prediction"],
        rows: [
          ["0", "T", "original", "T_original", "q", "Yes", "['Yes', 'No']", "A"],
          ["1", "T", "masking", "T_masking", "q", "No", "['Yes', 'No']", "B"],
          ["2", "T", "masking", "T_masking", "q", "red", "['red', 'blue']", "A"],
        ], name: "M_MVTamperBench"))
    let o = MVTamperBenchScorer(rows: t).score(Self.ctx(strict: false))
    #expect(o.sheets.first { $0.suffix == "_score_f1" }?.rows.first == ["Mod", "masking", "1.0", "1.0", "1.0", "1.0", "[[1, 0], [0, 1]]"])
    #expect(o.summary.notes.contains { $0.contains("1 rows have an answer other than Yes or No") })
  }
}
