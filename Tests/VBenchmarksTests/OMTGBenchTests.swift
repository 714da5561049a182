import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// OMTG-Bench. Every expected value here came from running VLMEvalKit's own functions
/// (`parse_time_intervals`, `compute_one_to_many_metrics`, `OMTGBench.evaluate` on the table
/// below) at commit e8e78f05, with OMTG.NumPy 2.4 and SciPy's `linear_sum_assignment`.
@Suite struct OMTGBenchTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static let parseVectors: [(String, [[Double]])] = [
    ("<time>1.5 - 3 seconds</time>", [[1.5, 3.0]]),
    ("<TIME>2-4 SECONDS</TIME> and <time>0:10 - 0:20 second</time>", [[2.0, 4.0], [10.0, 20.0]]),
    ("<time>5 - 3 seconds</time> 1 - 2 seconds", [[1.0, 2.0]]),
    ("<time>a - b seconds</time> 7 - 9 seconds", [[7.0, 9.0]]),
    ("From 12.5 - 20 seconds and 1:05 - 1:10.5 seconds", [[12.5, 20.0], [65.0, 70.5]]),
    ("01:02:03 - 01:02:09 seconds", []),
    ("The event starts at 10 seconds and ends at 20 seconds.", []),
    ("starts at 3 and ends at 9", [[3.0, 9.0]]),
    ("starts at 3s and ends at 9s", []),
    ("The start is at 4 seconds and the end is at 8 seconds", [[4.0, 8.0]]),
    ("start is at 1:00 and end is at 2:00", []),
    ("from 3 to 7.5 and again 10 to 12", [[3.0, 7.5], [10.0, 12.0]]),
    ("10-20.5 seconds", [[10.0, 20.5]]),
    ("[1, 2], [3.5,4.5] and [3.5, 4.5]", [[1.0, 2.0], [3.5, 4.5]]),
    ("12 - 15 and 3 - 4", [[3.0, 4.0], [12.0, 15.0]]),
    ("110-120", [[110.0, 120.0]]),
    ("x1-2", [[1.0, 2.0]]),
    ("a12-15", [[12.0, 15.0]]),
    ("The action occurs from 2.0 - 6.0s", [[2.0, 6.0]]),
    ("5 - 3", []),
    ("[2, 2]", []),
    ("nan", []),
    ("", []),
    ("between 3 to 5 seconds and 3 - 5 and [3, 5]", [[3.0, 5.0]]),
    ("<time>1 - 2 seconds</time>", [[1.0, 2.0]]),
    ("1 – 2 seconds", []),
    ("starts at ١٠ and ends at ٢٠", []),
    ("1_0 to 2_0", [[0.0, 2.0]]),
    ("<time>1e1 - 2e1 seconds</time>", [[10.0, 20.0]]),
    ("<time>1:2:3:4 - 5 seconds</time><time>1 - inf seconds</time>", [[1.0, .infinity]]),
    ("starts at 10 seconds and ends at 2.5 seconds", []),
    ("3 - 5 Seconds", [[3.0, 5.0]]),
    ("3-5 secondsx", [[3.0, 5.0]]),
    ("[[0.0, 5.2], [10.1, 15.0]]", [[0.0, 5.2], [10.1, 15.0]]),
    ("[0.0, 5.2]\n[3.0, 8.0]", [[0.0, 5.2], [3.0, 8.0]]),
    ("[ 7 , 9 ]", [[7.0, 9.0]]),
    ("10 to 5 and 1 to 3", [[1.0, 3.0]]),
    ("ſtarts at 1 and ends at 9", [[1.0, 9.0]]),
    ("1 -  2 </time>", []),
    ("١٢ - ١٥ seconds", [[12.0, 15.0]]),
    ("starts at 5 and ends at 50 seconds", []),
    ("THE START IS AT 2 AND THE END IS AT 3", [[2.0, 3.0]]),
    ("1.5.5 - 3 seconds", []),
    (".5 - 1 seconds", []),
  ]
  static let metricVectors: [(pred: [[Double]], gt: [[Double]], expected: [String: Double])] = [
    (
      [], [],
      [
        "C-Acc": 1.0, "tIoU": 0.0, "tP@0.3": 1.0, "tR@0.3": 1.0, "tF1@0.3": 1.0, "tP@0.5": 1.0, "tR@0.5": 1.0, "tF1@0.5": 1.0, "tP@0.7": 1.0,
        "tR@0.7": 1.0, "tF1@0.7": 1.0, "EtF1": 1.0,
      ]
    ),
    (
      [[1.0, 2.0]], [],
      [
        "C-Acc": 0.0, "tIoU": 0.0, "tP@0.3": 0.0, "tR@0.3": 0.0, "tF1@0.3": 0.0, "tP@0.5": 0.0, "tR@0.5": 0.0, "tF1@0.5": 0.0, "tP@0.7": 0.0,
        "tR@0.7": 0.0, "tF1@0.7": 0.0, "EtF1": 0.0,
      ]
    ),
    (
      [], [[1.0, 2.0]],
      [
        "C-Acc": 0.0, "tIoU": 0.0, "tP@0.3": 0.0, "tR@0.3": 0.0, "tF1@0.3": 0.0, "tP@0.5": 0.0, "tR@0.5": 0.0, "tF1@0.5": 0.0, "tP@0.7": 0.0,
        "tR@0.7": 0.0, "tF1@0.7": 0.0, "EtF1": 0.0,
      ]
    ),
    (
      [[0.0, 10.0]], [[0.0, 10.0]],
      [
        "C-Acc": 1.0, "tIoU": 1.0, "tP@0.3": 1.0, "tR@0.3": 1.0, "tF1@0.3": 1.0, "tP@0.5": 1.0, "tR@0.5": 1.0, "tF1@0.5": 1.0, "tP@0.7": 1.0,
        "tR@0.7": 1.0, "tF1@0.7": 1.0, "EtF1": 1.0,
      ]
    ),
    (
      [[0.0, 10.0]], [[5.0, 15.0]],
      [
        "C-Acc": 1.0, "tIoU": 0.3333333333333333, "tP@0.3": 1.0, "tR@0.3": 1.0, "tF1@0.3": 1.0, "tP@0.5": 0.0, "tR@0.5": 0.0, "tF1@0.5": 0.0,
        "tP@0.7": 0.0, "tR@0.7": 0.0, "tF1@0.7": 0.0, "EtF1": 0.3333333333333333,
      ]
    ),
    (
      [[0.0, 10.0], [5.0, 20.0]], [[0.0, 20.0]],
      [
        "C-Acc": 0.0, "tIoU": 1.0, "tP@0.3": 0.5, "tR@0.3": 1.0, "tF1@0.3": 0.6666666666666666, "tP@0.5": 0.5, "tR@0.5": 1.0,
        "tF1@0.5": 0.6666666666666666, "tP@0.7": 0.5, "tR@0.7": 1.0, "tF1@0.7": 0.6666666666666666, "EtF1": 0.0,
      ]
    ),
    (
      [[0.0, 4.0], [6.0, 10.0]], [[0.0, 5.0], [5.0, 10.0]],
      [
        "C-Acc": 1.0, "tIoU": 0.8, "tP@0.3": 1.0, "tR@0.3": 1.0, "tF1@0.3": 1.0, "tP@0.5": 0.5, "tR@0.5": 0.5, "tF1@0.5": 0.5, "tP@0.7": 0.5,
        "tR@0.7": 0.5, "tF1@0.7": 0.5, "EtF1": 0.6666666666666666,
      ]
    ),
    (
      [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [[0.0, 1.0], [4.0, 5.0]],
      [
        "C-Acc": 0.0, "tIoU": 0.6666666666666666, "tP@0.3": 0.6666666666666666, "tR@0.3": 1.0, "tF1@0.3": 0.8, "tP@0.5": 0.6666666666666666,
        "tR@0.5": 1.0, "tF1@0.5": 0.8, "tP@0.7": 0.6666666666666666, "tR@0.7": 1.0, "tF1@0.7": 0.8, "EtF1": 0.0,
      ]
    ),
    (
      [[0.0, 10.0], [0.0, 10.0]], [[0.0, 10.0], [2.0, 8.0]],
      [
        "C-Acc": 1.0, "tIoU": 1.0, "tP@0.3": 1.0, "tR@0.3": 1.0, "tF1@0.3": 1.0, "tP@0.5": 1.0, "tR@0.5": 1.0, "tF1@0.5": 1.0, "tP@0.7": 0.5,
        "tR@0.7": 0.5, "tF1@0.7": 0.5, "EtF1": 0.8333333333333334,
      ]
    ),
    (
      [[0.0, 2.0], [1.0, 3.0], [10.0, 12.0]], [[0.0, 3.0], [10.0, 11.0], [11.0, 12.0]],
      [
        "C-Acc": 1.0, "tIoU": 1.0, "tP@0.3": 0.6666666666666666, "tR@0.3": 0.6666666666666666, "tF1@0.3": 0.6666666666666666,
        "tP@0.5": 0.6666666666666666, "tR@0.5": 0.6666666666666666, "tF1@0.5": 0.6666666666666666, "tP@0.7": 0.3333333333333333,
        "tR@0.7": 0.3333333333333333, "tF1@0.7": 0.3333333333333333, "EtF1": 0.5555555555555555,
      ]
    ),
    (
      [[0.5, 2.25], [3.1, 7.9]], [[0.4, 2.0], [3.0, 8.0], [9.0, 9.5]],
      [
        "C-Acc": 0.0, "tIoU": 0.8571428571428573, "tP@0.3": 1.0, "tR@0.3": 0.6666666666666666, "tF1@0.3": 0.8, "tP@0.5": 1.0,
        "tR@0.5": 0.6666666666666666, "tF1@0.5": 0.8, "tP@0.7": 1.0, "tR@0.7": 0.6666666666666666, "tF1@0.7": 0.8, "EtF1": 0.0,
      ]
    ),
    (
      [[0.0, 6.0], [4.0, 10.0]], [[0.0, 5.0], [5.0, 10.0]],
      [
        "C-Acc": 1.0, "tIoU": 1.0, "tP@0.3": 1.0, "tR@0.3": 1.0, "tF1@0.3": 1.0, "tP@0.5": 1.0, "tR@0.5": 1.0, "tF1@0.5": 1.0, "tP@0.7": 1.0,
        "tR@0.7": 1.0, "tF1@0.7": 1.0, "EtF1": 1.0,
      ]
    ),
    (
      [[1.0, 3.0]], [[3.0, 5.0]],
      [
        "C-Acc": 1.0, "tIoU": 0.0, "tP@0.3": 0.0, "tR@0.3": 0.0, "tF1@0.3": 0.0, "tP@0.5": 0.0, "tR@0.5": 0.0, "tF1@0.5": 0.0, "tP@0.7": 0.0,
        "tR@0.7": 0.0, "tF1@0.7": 0.0, "EtF1": 0.0,
      ]
    ),
    (
      [[0.0, 10.0]], [[2.0, 4.0], [6.0, 8.0]],
      [
        "C-Acc": 0.0, "tIoU": 0.4, "tP@0.3": 0.0, "tR@0.3": 0.0, "tF1@0.3": 0.0, "tP@0.5": 0.0, "tR@0.5": 0.0, "tF1@0.5": 0.0, "tP@0.7": 0.0,
        "tR@0.7": 0.0, "tF1@0.7": 0.0, "EtF1": 0.0,
      ]
    ),
  ]

  /// `OMTGBench.build_prompt` on a row whose `video` has its extension (so its frame path and
  /// its video-LLM path agree), with the frames `save_video_frames` names.
  @Test func goldenPrompts() throws {
    let question = "Find all moments when the dog jumps. Give the start and end time in seconds."
    let record = JSONObject([
      ("index", .string("0")), ("video", .string("v1.mp4")), ("question", .string(question)),
      ("frames", .array((1...3).map { .string("/c/OMTGBench/v1.mp4/frame-\($0)-of-3-2.0fps.jpg") })),
      ("video_info", .object(JSONObject([("path", .string("/data/OMTGBench/videos/v1.mp4"))]))),
    ])
    let template = Benchmark.omtgBench.prompt
    func build(_ videoLLM: Bool) throws -> JSONValue {
      let t = TemplateInput(record: record, videoLLM: videoLLM, datasetRoot: "/data/OMTGBench", subtitles: false, strict: false, warn: { _ in })
      return .array(try template.build(t).map(\.json))
    }
    #expect(
      try build(false)
        == JSONParser.parse(
          #"[{"type": "image", "value": "/c/OMTGBench/v1.mp4/frame-1-of-3-2.0fps.jpg"}, {"type": "image", "value": "/c/OMTGBench/v1.mp4/frame-2-of-3-2.0fps.jpg"}, {"type": "image", "value": "/c/OMTGBench/v1.mp4/frame-3-of-3-2.0fps.jpg"}, {"type": "text", "value": "Find all moments when the dog jumps. Give the start and end time in seconds."}]"#
        ))
    #expect(
      try build(true)
        == JSONParser.parse(
          #"[{"type": "video", "value": "/data/OMTGBench/videos/v1.mp4"}, {"type": "text", "value": "Find all moments when the dog jumps. Give the start and end time in seconds."}]"#
        ))
    #expect(Benchmark.omtgBench.configs.map(\.spec.fps) == [1.0, 2.0])
  }

  @Test func parserVectors() {
    for (text, expected) in Self.parseVectors {
      let got = OMTG.Parser.parse(text).map { [$0.start, $0.end] }
      #expect(got == expected, "\(text)")
    }
  }

  @Test func metricVectors() throws {
    for v in Self.metricVectors {
      let m = try OMTGBenchScorer.metrics(
        pred: v.pred.map { OMTG.Interval(start: $0[0], end: $0[1]) }, gt: v.gt.map { OMTG.Interval(start: $0[0], end: $0[1]) })
      #expect(m == v.expected, "\(v.pred) vs \(v.gt)")
      #expect(Set(m.keys) == Set(OMTGBenchScorer.keys))
    }
  }

  @Test func pythonFloat() {
    let cases: [(String, Double?)] = [
      ("1", 1), (" 2.5 ", 2.5), ("+.5", 0.5), ("5.", 5), ("5.e1", 50), ("1_000", 1000), ("1__0", nil), ("_1", nil), ("1_", nil), ("1e", nil),
      ("-INF", -.infinity), ("Infinity", .infinity), ("\u{661}\u{662}", 12), ("0x10", nil), ("", nil), (".", nil), ("1.5.5", nil), ("1e-2", 0.01),
    ]
    for (s, v) in cases { #expect(OMTG.PyFloat.parse(s) == v, "\(s)") }
    #expect(OMTG.PyFloat.parse("nan")?.isNaN == true)
  }

  @Test func numpyMeanIsPairwise() {
    // 0.1 repeated: the pairwise sum differs from the running sum in the last bits.
    let xs = [Double](repeating: 0.1, count: 1000)
    #expect(OMTG.NumPy.mean(xs) == 0.10000000000000002)  // np.mean([0.1] * 1000)
    #expect(OMTG.NumPy.pairwiseSum(xs[...]) != xs.reduce(0, +))
    #expect(OMTG.NumPy.mean([]).isNaN)
  }

  /// The table given to `OMTGBench.evaluate`; its `_score.json` below.
  static let table = Rows(
    table: ResultTable(
      columns: ["index", "video", "question", "answer", "prediction"],
      rows: [
        ["0", "v0", "q", "<time>1.0 - 5.0 seconds</time>", "<time>1.0 - 4.0 seconds</time>"],
        ["1", "v1", "q", "[10.0, 20.0], [30.0, 42.0]", "The event happens from 10 to 20 and from 30 to 40"],
        ["2", "v2", "q", "[3.0, 7.0]", "I am not sure"],
        ["3", "v3", "q", "[0, 5], [5, 10]", "[0, 6], [4, 10]"],
        ["4", "v4", "q", "[1.0, 2.0]", nil],
        ["5", "v5", "q", "<time>3 - 9 seconds</time>", "starts at 3 seconds and ends at 9 seconds"],
        ["6", "v6", "q", "<time>2 - 6 seconds</time><time>8 - 10 seconds</time>", "2 - 6 seconds, 8 - 9 seconds"],
        ["7", "v7", "q", "[0.5, 1.5]", "Failed to obtain answer via API."],
        ["8", "v8", "q", "none", "no event"],
      ], name: "m_OMTGBench_1fps"))

  @Test func scoreEqualsEvaluate() throws {
    let o = try OMTGBenchScorer(rows: Self.table).score(
      ScoreContext(strict: false, judged: nil, judgeName: "judge", dataset: "OMTGBench_1fps", diag: Self.diag))
    #expect(o.rating == nil)
    #expect(o.extraRatings.map(\.suffix) == ["_score"])
    #expect(
      JSONSerializer.pretty(o.extraRatings[0].value)
        == #"{\#n    "tIoU": 49.91582491582491,\#n    "C-Acc": 66.66666666666666,\#n    "EtF1": 64.81481481481482,\#n    "tF1@0.3": 66.66666666666666,\#n    "tP@0.3": 66.66666666666666,\#n    "tR@0.3": 66.66666666666666,\#n    "tF1@0.5": 66.66666666666666,\#n    "tP@0.5": 66.66666666666666,\#n    "tR@0.5": 66.66666666666666,\#n    "tF1@0.7": 61.111111111111114,\#n    "tP@0.7": 61.111111111111114,\#n    "tR@0.7": 61.111111111111114\#n}"#
    )
    #expect(o.badRows == 0)
  }
}
