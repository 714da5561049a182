import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// ReVSI. Every expected value here came from running VLMEvalKit's own functions
/// (`ReVSI.build_prompt`, `_mean_relative_accuracy`, `ReVSI.evaluate`) at commit e8e78f05 on the
/// same rows, with pandas 3.1 and numpy 2.4.
@Suite struct ReVSITests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func build(_ rec: JSONObject, videoLLM: Bool = false, subset: String? = "16_frame") throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data/revsi_videos", subtitles: false, strict: false, warn: { _ in })
    return .array(try ReVSIPrompt(subset: subset).build(t).map(\.json))
  }

  static func record(_ type: String, _ question: String, options: String? = nil) -> JSONObject {
    var o = JSONObject([
      ("index", .string("0")), ("scene_id", .string("scene0011_00")), ("video", .string("scene0011_00.mp4")), ("question_type", .string(type)),
      ("question", .string(question)),
      (
        "frames",
        .array([.string("/c/ReVSI/16_frame/scene0011_00/frame-1-of-2.jpg"), .string("/c/ReVSI/16_frame/scene0011_00/frame-2-of-2.jpg")])
      ),
    ])
    if let options { o["options"] = .string(options) }
    return o
  }

  static let frames =
    #"{"type": "image", "value": "/c/ReVSI/16_frame/scene0011_00/frame-1-of-2.jpg"}, {"type": "image", "value": "/c/ReVSI/16_frame/scene0011_00/frame-2-of-2.jpg"}"#
  static let video = #"{"type": "video", "value": "/data/revsi_videos/16_frame/scene0011_00.mp4"}"#
  static let numericText =
    #"{"type": "text", "value": "These are frames of a video.\nHow many chair(s) are in this room?\nAnswer the question using a single integer or decimal number."}"#
  static let choiceText =
    #"{"type": "text", "value": "These are frames of a video.\nYou are a robot beginning at the door. Navigate to the sofa.\nOptions:\nA. Turn Left\nB. It's right\nC. Go forward\nAnswer with the option's letter from the given choices directly."}"#

  static let numeric = record("object_counting_single", "How many chair(s) are in this room?")
  static let choice = record(
    "route_planning", "You are a robot beginning at the door. Navigate to the sofa.", options: #"['A. Turn Left', "B. It's right", 'C. Go forward']"#)

  @Test func goldenPrompts() throws {
    #expect(try Self.build(Self.numeric) == JSONParser.parse("[" + Self.frames + ", " + Self.numericText + "]"))
    #expect(try Self.build(Self.numeric, videoLLM: true) == JSONParser.parse("[" + Self.video + ", " + Self.numericText + "]"))
    #expect(try Self.build(Self.choice) == JSONParser.parse("[" + Self.frames + ", " + Self.choiceText + "]"))
    #expect(try Self.build(Self.choice, videoLLM: true) == JSONParser.parse("[" + Self.video + ", " + Self.choiceText + "]"))
  }

  @Test func unknownQuestionTypeIsAnError() {
    #expect(throws: PromptError.self) { try Self.build(Self.record("object_appearance_order", "q")) }
  }

  @Test func presetsUsePerSubsetVideosAndCacheFolders() throws {
    let expected = [
      ("revsi_16_frame", 16, "16_frame"), ("revsi_32_frame", 32, "32_frame"), ("revsi_64_frame", 64, "64_frame"),
      ("revsi_all_frame", 128, "all_frame"),
    ]
    for (name, n, subset) in expected {
      let p = try #require(Registry.preset(named: name))
      #expect(p.config.spec == .frames(n))
      #expect(p.frameSettings.dataset == "ReVSI")
      #expect(p.config.video.keyPrefix == subset)
      #expect(p.config.video.subfolder == subset)
      #expect(p.config.video.keyStripsExtension)
      #expect(
        p.config.video.lock.path(directory: "/c/ReVSI/\(subset)/scene0011_00", video: "/d/x.mp4") == "/c/ReVSI/\(subset)/scene0011_00.\(n)frame.lock")
    }
  }

  @Test func thresholdsAreNumpysTen() {
    // np.linspace(0.5, 0.95, int((0.95 - 0.5) / 0.05 + 2)).tolist()
    #expect(ReVSIScorer.thresholds == [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95])
  }

  /// (prediction, ground_truth, question_type, accuracy) from VLMEvalKit's per-row code.
  static let vectors: [(String, String, String, Double)] = [
    ("3", "3", "object_counting_single", 1.0), ("3.", "3", "object_counting_single", 1.0), (" 2.7 chairs", "3", "object_counting_single", 0.9),
    ("4", "3", "object_counting_single", 0.4), ("1_0", "10", "object_abs_distance", 1.0), ("nan", "2", "object_abs_distance", 0.0),
    ("inf", "2", "object_abs_distance", 0.0), ("5", "0", "object_abs_distance", 0.0), ("-1", "-2", "object_abs_distance", 1.0),
    ("2.55", "3", "room_size_estimation_single", 0.7), ("1.65", "1.5", "object_size_estimation", 0.9), ("3\n4", "3", "object_counting_single", 0.0),
    ("three", "3", "object_counting_single", 0.0), ("B.", "B", "route_planning", 1.0), ("b", "B", "route_planning", 1.0),
    ("(B)", "B", "route_planning", 0.0), ("B. Turn left", "B", "route_planning", 1.0),
    ("Failed to obtain answer via API.", "A", "route_planning", 0.0),
    ("..", "", "route_planning", 1.0), ("1.35", "1.5", "object_size_estimation", 0.9), ("0.6", "1", "object_size_estimation", 0.3),
    ("1.5", "1", "object_size_estimation", 0.1), ("1.05", "1", "object_size_estimation", 1.0), ("1.1", "1", "object_size_estimation", 0.9),
    ("\u{FF11}\u{FF12}", "12", "object_counting_multiple", 1.0),
  ]

  @Test func accuracyVectors() {
    for (p, g, t, a) in Self.vectors { #expect(ReVSIScorer.accuracy(prediction: p, truth: g, type: t) == a, "\(p) vs \(g)") }
  }

  @Test func evaluateEqualsVLMEvalKit() {
    let table = Rows(
      table: ResultTable(
        columns: ["index", "question_type", "ground_truth", "prediction"],
        rows: Self.vectors.enumerated().map { [String($0.offset), $0.element.2, $0.element.1, $0.element.0] }, name: "M_revsi_16_frame"))
    let o = ReVSIScorer(rows: table).score(ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "revsi_16_frame", diag: Self.diag))
    #expect(o.scores == Self.vectors.map { Num.cell($0.3) })
    #expect(o.scoreColumn == "accuracy")
    #expect(
      JSONSerializer.pretty(o.rating!) == """
        {
            "object_abs_distance_accuracy": 0.4,
            "object_size_estimation_accuracy": 0.6833333333333335,
            "route_planning_accuracy": 0.6666666666666666,
            "object_counting_accuracy": 0.7749999999999999,
            "room_size_estimation_accuracy": 0.7,
            "overall_accuracy": 0.6449999999999999
        }
        """)
  }

  @Test func pairwiseSumIsNumpys() {
    // Means pandas gives for k/10 values where the plain left-to-right sum differs.
    // pd.Series([((i * 9) % 11) / 10 for i in range(n)]).mean() for n = 400, 129, 17 (the plain
    // sums give 0.50025, 0.5023255813953488, 0.47058823529411764).
    let values = (0..<400).map { Double(($0 * 9) % 11) / 10 }
    #expect(ReVSIScorer.pandasMean(values) == 0.5002499999999999)
    #expect(ReVSIScorer.pandasMean(Array(values[..<129])) == 0.5023255813953489)
    #expect(ReVSIScorer.pandasMean(Array(values[..<17])) == 0.4705882352941176)
  }
}
