import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// Video-Holmes. Every expected value here came from running VLMEvalKit's own functions
/// (`Video_Holmes.build_prompt`, `utils/videoholmes.extract_option`, `Video_Holmes.evaluate` with
/// `exact_matching`) at commit e8e78f05 on the same rows.
@Suite struct VideoHolmesTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func build(_ rec: JSONObject, videoLLM: Bool = false) throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data", subtitles: false, strict: false, warn: { _ in })
    return .array(try VideoHolmesPrompt().build(t).map(\.json))
  }

  static let record = JSONObject([
    ("video", .string("abc123")), ("question", .string("Why does the man hide the key?")),
    ("candidates", .string("['A. He is afraid', 'B. He wants to surprise her', 'C. Its not his']")),
    ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
    ("video_info", .object(JSONObject([("path", .string("/data/video/abc123.mp4"))]))),
  ])

  static let text =
    #"{"type": "text", "value": "\n    Based on the given video, reason and answer the single-choice question. Provide your reasoning between the <think> and </think> tags, and then give your final answer between the <answer> and </answer> tags.     The question is: Why does the man hide the key?. The options are: ['A. He is afraid', 'B. He wants to surprise her', 'C. Its not his'].     Your answer:\n    "}"#

  @Test func goldenPrompt() throws {
    let expected = try JSONParser.parse(
      #"[{"type": "text", "value": ""}, {"type": "image", "value": "/c/f1.jpg"}, {"type": "image", "value": "/c/f2.jpg"}, "# + Self.text + "]")
    #expect(try Self.build(Self.record) == expected)
  }

  @Test func goldenPromptVideoLLM() throws {
    let expected = try JSONParser.parse(#"[{"type": "text", "value": ""}, {"type": "video", "value": "/data/video/abc123.mp4"}, "# + Self.text + "]")
    #expect(try Self.build(Self.record, videoLLM: true) == expected)
  }

  @Test func jsonArrayCandidatesAreWrittenAsPythonsListRepr() throws {
    var rec = Self.record
    rec["candidates"] = .array([.string("A. it's"), .string("B. no")])
    let got = try Self.build(rec).arrayValue?.last?.objectValue?["value"]?.stringValue ?? ""
    #expect(got.contains(#"The options are: ["A. it's", 'B. no']."#))
  }

  @Test func extractOptionVectors() {
    let vectors: [(String, String)] = [
      ("<answer>B</answer>", "B"), ("<think>A or C</think><answer>C</answer>", "C"), ("<answer>A</answer> then <answer>D: x</answer>", "D"),
      ("B", "WRONG"), ("<answer>The answer is B</answer>", "B"), ("<answer>[E]</answer>", "E"), ("<answer>  f </answer>", "WRONG"),
      ("<answer>BC</answer>", "B"), ("<answer>F. x and A </answer>", "A"), ("<answer>\nD\n</answer>", "D"), ("<answer></answer>", "WRONG"),
      ("Failed to obtain answer via API.", "WRONG"), ("nan", "WRONG"), ("<answer>G</answer>", "WRONG"), ("<answer>option b</answer>", "WRONG"),
      ("<ANSWER>B</ANSWER>", "WRONG"),
    ]
    for (pred, letter) in vectors { #expect(VideoHolmesScorer.extractOption(pred) == letter, "\(pred)") }
  }

  /// The table given to `Video_Holmes.evaluate`; its `_rating.json` and score column are below.
  static let table = Rows(
    table: ResultTable(
      columns: ["index", "video", "question", "candidates", "answer", "question_type", "prediction"],
      rows: [
        ["0", "v0", "q", "['A. a', 'B. b']", "A", "SR", "<think>hmm</think><answer>A</answer>"],
        ["1", "v1", "q", "['A. a', 'B. b']", "B", "SR", "<answer>C</answer>"],
        ["2", "v2", "q", "['A. a', 'B. b']", "C", "IMC", nil],
        ["3", "v3", "q", "['A. a', 'B. b']", "D", "IMC", "Failed to obtain answer via API."],
        ["4", "v4", "q", "['A. a', 'B. b']", "E", "TCI", "<answer>E: the end</answer>"],
        ["5", "v5", "q", "['A. a', 'B. b']", "F", "IMC", "F"],
        ["6", "v6", "q", "['A. a', 'B. b']", "B", "SR", "<answer>b</answer>"],
      ], name: "M_Video_Holmes"))

  @Test func ratingEqualsEvaluate() {
    for strict in [false, true] {
      let o = VideoHolmesScorer(rows: Self.table).score(
        ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: "Video_Holmes", diag: Self.diag))
      #expect(o.scores == ["1", "0", "0", "0", "1", "0", "0"])
      #expect(
        JSONSerializer.pretty(o.rating!) == """
          {
              "acc_by_type": {
                  "IMC": {
                      "correct": 0,
                      "total": 3,
                      "acc": 0.0
                  },
                  "SR": {
                      "correct": 1,
                      "total": 3,
                      "acc": 0.3333333333333333
                  },
                  "TCI": {
                      "correct": 1,
                      "total": 1,
                      "acc": 1.0
                  }
              },
              "total": {
                  "correct": 2,
                  "total": 7,
                  "acc": 0.2857142857142857
              }
          }
          """)
      #expect(o.summary.notes.contains { $0.contains("2 failed or missing answers count as wrong") })
    }
  }

  @Test func indexThatIsNotThePositionIsNamedInTheNotes() {
    let t = Rows(
      table: ResultTable(
        columns: ["index", "answer", "question_type", "prediction"], rows: [["7", "A", "SR", "<answer>A</answer>"]], name: "t"))
    let o = VideoHolmesScorer(rows: t).score(ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "Video_Holmes", diag: Self.diag))
    #expect(o.scores == ["1"])
    #expect(o.summary.notes.contains { $0.contains("data.loc") })
  }
}
