import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// V2P-Bench. Every expected value here came from running VLMEvalKit's own functions
/// (`V2PBench.build_prompt`, `cau_acc.remove_think_blocks` and `extract_characters_regex`,
/// `V2PBench.evaluate` writing `_score.xlsx`, `_score.json` and `_score.txt`) at commit e8e78f05 on
/// the same rows.
@Suite struct V2PBenchTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func build(_ rec: JSONObject, videoLLM: Bool = false) throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data/V2P", subtitles: false, strict: false, warn: { _ in })
    return .array(try V2PBenchPrompt().build(t).map(\.json))
  }

  static let record = JSONObject([
    ("index", .string("0")), ("video", .string("EgoSchema/x.mp4")), ("video_path", .string("EgoSchema/x.mp4")),
    ("frame_path", .string("EgoSchema/x.jpg")), ("question", .string("What is in the box?\nA: a cat\nB: a dog\nC: a box\nD: nothing")),
    ("frames", .array([.string("/c/V2P-Bench/EgoSchema/x.mp4/frame-1-of-2.jpg"), .string("/c/V2P-Bench/EgoSchema/x.mp4/frame-2-of-2.jpg")])),
  ])

  static let question =
    #"{"type": "text", "value": "What is in the box?\nA: a cat\nB: a dog\nC: a box\nD: nothing\nGive only your option letter that accurately addresses the question, no other words."}"#

  @Test func goldenPrompt() throws {
    let expected = try JSONParser.parse(
      #"[{"type": "text", "value": "\nYou will be provided with 2 separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer to the question about the video content.\n"}, {"type": "image", "value": "/c/V2P-Bench/EgoSchema/x.mp4/frame-1-of-2.jpg"}, {"type": "image", "value": "/c/V2P-Bench/EgoSchema/x.mp4/frame-2-of-2.jpg"}, {"type": "image", "value": "/data/V2P/frames/EgoSchema/x.jpg"}, "#
        + Self.question + "]")
    #expect(try Self.build(Self.record) == expected)
  }

  @Test func goldenPromptVideoLLM() throws {
    let expected = try JSONParser.parse(
      "[" + Self.question
        + #", {"type": "video", "value": "/data/V2P/videos/EgoSchema/x.mp4"}, {"type": "image", "value": "/data/V2P/frames/EgoSchema/x.jpg"}]"#)
    #expect(try Self.build(Self.record, videoLLM: true) == expected)
  }

  @Test func missingVisualPromptIsAnError() {
    var rec = Self.record
    rec["frame_path"] = .string("")
    #expect(throws: PromptError.self) { try Self.build(rec) }
  }

  @Test func presets() throws {
    let expected: [(String, SamplingSpec)] =
      [2, 8, 16, 64, 128].map { ("V2PBench_\($0)frame_nopack", .frames($0)) } + [
        ("V2PBench_1fps_nopack", .perSecond(1))
      ]
    for (name, spec) in expected {
      let p = try #require(Registry.preset(named: name))
      #expect(p.config.spec == spec)
      #expect(p.frameSettings.dataset == "V2P-Bench")
      #expect(p.config.video.field == "video_path" && p.config.video.subfolder == "videos")
    }
  }

  /// (prediction, extract_characters_regex(remove_think_blocks(prediction))).
  @Test func extractionVectors() {
    let vectors: [(String, String)] = [
      ("B", "B"), ("The answer is C", "C"), ("<think>A maybe</think>D", "D"), ("<think>A</think>\n<think>B</think> C", "C"),
      ("<think>unclosed A", "A"),
      ("The best option is D", "D"), ("Best option: (C)", "C"), ("none of these words here are options at all just many words okay", ""),
      ("the answer is b", ""), ("<think>x<\\/think>A", "A"), ("Option: A", "A"), ("Answer: The correct answer is B", "B"), ("nan", ""),
      ("Failed to obtain answer via API.", "A"),
    ]
    for (p, l) in vectors { #expect(V2PBenchScorer.extract(p) == l, "\(p)") }
  }

  /// The table given to `V2PBench.evaluate` (its `_score.txt` and `_score.json` are below).
  static let table = ResultTable(
    columns: ["index", "video", "video_path", "duration", "question", "answer", "frame_path", "dimension", "category", "prediction"],
    rows: [
      ["0", "EgoSchema/a.mp4", "EgoSchema/a.mp4", "179", "q0", "B", "EgoSchema/a.jpg", "2", "1", "B"],
      ["1", "EgoSchema/b.mp4", "EgoSchema/b.mp4", "180", "q1", "D", "EgoSchema/b.jpg", "1", "1", "The answer is D"],
      ["2", "MLVU/c.mp4", "MLVU/c.mp4", "900", "q2", "A", "MLVU/c.jpg", "1", "2", "<think>B?</think>A"],
      ["3", "MLVU/d.mp4", "MLVU/d.mp4", "1799", "q3", "C", "MLVU/d.jpg", "12", "3", "C"],
      ["4", "LVBench/e.mp4", "LVBench/e.mp4", "4000", "q4", "A", "LVBench/e.jpg", "14", "1", "Failed to obtain answer via API."],
      ["5", "LVBench/f.mp4", "LVBench/f.mp4", "1800", "q5", "B", "LVBench/f.jpg", "9", "4", "I cannot tell"],
      ["6", "TVBench/g.mp4", "TVBench/g.mp4", "240", "q6", "C", "TVBench/g.jpg", "3", "1", "<think>long</think> The best option is C"],
      ["7", "TVBench/h.mp4", "TVBench/h.mp4", "30", "q7", "D", "TVBench/h.jpg", "2", "2", "d"],
      ["8", "MSVD-QA/i.mp4", "MSVD-QA/i.mp4", "12", "q8", "A", "MSVD-QA/i.jpg", "13", "1", "A"],
      ["9", "MSVD-QA/j.mp4", "MSVD-QA/j.mp4", "239", "q9", "B", "MSVD-QA/j.jpg", "7", "1", nil],
    ], name: "M_V2PBench_8frame_nopack")

  static let scoreText = """
    OA: 1.000
    HA: 0.500
    OD: 1.000
    Dimension is zero: FM
    Dimension is zero: CR
    Dimension is zero: PU
    CI: 0.000
    FT: 0.000
    Dimension is zero: RT
    AS: 1.000
    SR: 1.000
    GC: 1.000
    ----------------------------------------------------------
    Short
    Correct: 3, Total: 5, Accuracy: 0.600
    Medium
    Correct: 3, Total: 3, Accuracy: 1.000
    Long
    Correct: 1, Total: 2, Accuracy: 0.500
    ----------------------------------------------------------
    Total Correct: 7
    Total Success: 10
    Accuracy:      0.700

    """

  static let scoreJSON =
    #"[{"index":0,"video":"EgoSchema\/a.mp4","video_path":"EgoSchema\/a.mp4","duration":179,"question":"q0","answer":"B","frame_path":"EgoSchema\/a.jpg","dimension":2,"category":1,"prediction":"B","score":1},{"index":1,"video":"EgoSchema\/b.mp4","video_path":"EgoSchema\/b.mp4","duration":180,"question":"q1","answer":"D","frame_path":"EgoSchema\/b.jpg","dimension":1,"category":1,"prediction":"The answer is D","score":1},{"index":2,"video":"MLVU\/c.mp4","video_path":"MLVU\/c.mp4","duration":900,"question":"q2","answer":"A","frame_path":"MLVU\/c.jpg","dimension":1,"category":2,"prediction":"<think>B?<\/think>A","score":1},{"index":3,"video":"MLVU\/d.mp4","video_path":"MLVU\/d.mp4","duration":1799,"question":"q3","answer":"C","frame_path":"MLVU\/d.jpg","dimension":12,"category":3,"prediction":"C","score":1},{"index":4,"video":"LVBench\/e.mp4","video_path":"LVBench\/e.mp4","duration":4000,"question":"q4","answer":"A","frame_path":"LVBench\/e.jpg","dimension":14,"category":1,"prediction":"Failed to obtain answer via API.","score":1},{"index":5,"video":"LVBench\/f.mp4","video_path":"LVBench\/f.mp4","duration":1800,"question":"q5","answer":"B","frame_path":"LVBench\/f.jpg","dimension":9,"category":4,"prediction":"I cannot tell","score":0},{"index":6,"video":"TVBench\/g.mp4","video_path":"TVBench\/g.mp4","duration":240,"question":"q6","answer":"C","frame_path":"TVBench\/g.jpg","dimension":3,"category":1,"prediction":"<think>long<\/think> The best option is C","score":1},{"index":7,"video":"TVBench\/h.mp4","video_path":"TVBench\/h.mp4","duration":30,"question":"q7","answer":"D","frame_path":"TVBench\/h.jpg","dimension":2,"category":2,"prediction":"d","score":0},{"index":8,"video":"MSVD-QA\/i.mp4","video_path":"MSVD-QA\/i.mp4","duration":12,"question":"q8","answer":"A","frame_path":"MSVD-QA\/i.jpg","dimension":13,"category":1,"prediction":"A","score":1},{"index":9,"video":"MSVD-QA\/j.mp4","video_path":"MSVD-QA\/j.mp4","duration":239,"question":"q9","answer":"B","frame_path":"MSVD-QA\/j.jpg","dimension":7,"category":1,"prediction":null,"score":0}]"#

  @Test func evaluateEqualsVLMEvalKit() {
    let o = V2PBenchScorer(rows: Rows(table: Self.table)).score(
      ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "V2PBench_8frame_nopack", diag: Self.diag))
    #expect(o.scores == ["1", "1", "1", "1", "1", "0", "1", "0", "1", "0"])
    #expect(o.rating == nil)
    #expect(o.badRows == 0)
    let files = Dictionary(uniqueKeysWithValues: o.textFiles.map { ($0.suffix, $0.text) })
    #expect(files["_score.txt"] == Self.scoreText)
    #expect(files["_score.json"] == Self.scoreJSON)
    #expect(o.summary.rows.first == SummaryRow(group: "overall", name: "overall", correct: 7, total: 10, value: 70))
    #expect(o.summary.rows.filter { $0.group == "dimension" }.map(\.name) == ["OA", "HA", "OD", "CI", "FT", "AS", "SR", "GC"])
    #expect(o.summary.rows.filter { $0.group == "duration" }.map(\.name) == ["short", "medium", "long"])
  }

  @Test func badDimensionIsABadRowAndPythonIndicesWrap() {
    let t = ResultTable(
      columns: ["index", "duration", "answer", "dimension", "prediction"],
      rows: [["0", "10", "A", "0", "A"], ["1", "10", "A", "17", "A"], ["2", "x", "A", "1", "A"], ["3", "10", "B", "-15", "B"]], name: "t")
    let o = V2PBenchScorer(rows: Rows(table: t)).score(
      ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "V2P-Bench", diag: Self.diag))
    #expect(o.badRows == 2)
    // dim 0 counts in dimension 16 (not reported), dim -15 in dimension 1 (OA).
    let text = o.textFiles.first { $0.suffix == "_score.txt" }?.text ?? ""
    #expect(text.hasPrefix("OA: 1.000\n"))
    #expect(text.contains("Total Correct: 2\nTotal Success: 2\n"))
  }
}
