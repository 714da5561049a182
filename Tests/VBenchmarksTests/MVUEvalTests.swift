import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// MVU-Eval. Every expected value here came from running VLMEvalKit's own functions
/// (`check_model_output`, `MVUEval.build_prompt` with the frames of `save_video_frames_single`,
/// `MVUEval.evaluate` with its `self.data` given) at commit e8e78f05 on the same rows: the
/// dataset cannot be loaded there (no `video` column), so the methods were called on an object
/// holding the table.
@Suite struct MVUEvalTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)
  static let prompt = MVUEvalPrompt(video: Benchmark.mvuEval.configs[0].video)

  static func build(_ rec: JSONObject, videoLLM: Bool = false) throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data/MVU-Eval", subtitles: false, strict: false, warn: { _ in })
    return .array(try prompt.build(t).map(\.json))
  }

  /// The row given to `build_prompt`; vframes' record of it (frames of the three videos, two
  /// each, and their groups).
  static var record: JSONObject {
    var frames: [JSONValue] = []
    var groups: [JSONValue] = []
    for v in ["a", "b", "c"] {
      frames += (1...2).map { .string("/c/MVU-Eval/\(v)/frame-\($0)-of-2.jpg") }
      groups.append(
        .object(
          JSONObject([
            ("video", .string(v)), ("frames", .int(2)), ("video_info", .object(JSONObject([("path", .string("/data/MVU-Eval/\(v).mp4"))]))),
          ])))
    }
    return JSONObject([
      ("index", .string("0")), ("video_paths", .string("video/a.mp4; b.mp4;;  video/c ")), ("question", .string("Which video shows a cat?")),
      ("options", .string(#"["A. The first", "B. The second", "C. The third’s"]"#)), ("ground_truth", .string("A")),
      ("task", .string("Counting")), ("frames", .array(frames)), ("frame_groups", .array(groups)),
    ])
  }

  @Test func goldenPrompt() throws {
    let expected = try JSONParser.parse(
      #"[{"type": "text", "value": "The following is the Video 1"}, {"type": "image", "value": "/c/MVU-Eval/a/frame-1-of-2.jpg"}, {"type": "image", "value": "/c/MVU-Eval/a/frame-2-of-2.jpg"}, {"type": "text", "value": "The following is the Video 2"}, {"type": "image", "value": "/c/MVU-Eval/b/frame-1-of-2.jpg"}, {"type": "image", "value": "/c/MVU-Eval/b/frame-2-of-2.jpg"}, {"type": "text", "value": "The following is the Video 3"}, {"type": "image", "value": "/c/MVU-Eval/c/frame-1-of-2.jpg"}, {"type": "image", "value": "/c/MVU-Eval/c/frame-2-of-2.jpg"}, {"type": "text", "value": "Which video shows a cat?"}, {"type": "text", "value": "A. The first\nB. The second\nC. The third’s"}, {"type": "text", "value": "Please select the correct answer from the options. Answer with the option’s letter directly."}]"#
    )
    #expect(try Self.build(Self.record) == expected)
  }

  @Test func goldenPromptVideoLLM() throws {
    let expected = try JSONParser.parse(
      #"[{"type": "text", "value": "The following is the Video 1"}, {"type": "video", "value": "/data/MVU-Eval/a.mp4"}, {"type": "text", "value": "The following is the Video 2"}, {"type": "video", "value": "/data/MVU-Eval/b.mp4"}, {"type": "text", "value": "The following is the Video 3"}, {"type": "video", "value": "/data/MVU-Eval/c.mp4"}, {"type": "text", "value": "Which video shows a cat?"}, {"type": "text", "value": "A. The first\nB. The second\nC. The third’s"}, {"type": "text", "value": "Please select the correct answer from the options. Answer with the option’s letter directly."}]"#
    )
    // From vframes' groups, and without a vframes record (the data root and the listing).
    #expect(try Self.build(Self.record, videoLLM: true) == expected)
    var bare = Self.record
    bare["frames"] = nil
    bare["frame_groups"] = nil
    #expect(try Self.build(bare, videoLLM: true) == expected)
  }

  @Test func listingNamesTheVideosAsBuildPromptDoes() {
    let rule = Benchmark.mvuEval.configs[0].video
    #expect(rule.listedVideos("video/a.mp4; b.mp4;;  video/c ") == ["a", "b", "c"])
    #expect(rule.listedVideos("x.mp4.mp4;video/video/y") == ["x", "y"])
    #expect(rule.listedVideos(" ; ") == [])
  }

  @Test func framesThatDoNotAddUpAreAnError() throws {
    var rec = Self.record
    rec["frames"] = .array([.string("/c/one.jpg")])
    #expect(throws: PromptError.self) { try Self.build(rec) }
  }

  @Test func optionsMustBeAJSONListOfStrings() throws {
    var rec = Self.record
    rec["options"] = .string("['A. x']")
    #expect(throws: PromptError.self) { try Self.build(rec) }
    rec["options"] = .array([.string("A. x"), .string("B. y")])
    let items = try Self.build(rec).arrayValue ?? []
    #expect(items[items.count - 2].objectValue?["value"]?.stringValue == "A. x\nB. y")
  }

  /// `check_model_output`'s parsed letter for each prediction.
  static let letterVectors: [(String, String)] = [
    ("B", "B"),
    ("b", "B"),
    (" c ", "C"),
    ("The answer is C", "C"),
    ("the best answer is d.", "D"),
    ("Answer: E", "E"),
    ("answer:  f and more", "F"),
    ("\\boxed{A}", "A"),
    ("\\boxed{a} or \\boxed{b}", "\\"),
    ("A. apple", "A"),
    ("A.", "A"),
    ("(A)", "("),
    ("I think B", "I"),
    ("", ""),
    ("nan", "N"),
    ("ANSWER IS Q", "Q"),
    ("The correct order is B, then A", "B"),
    ("the answer\nis C", "C"),
    ("the long\nanswer is D", "D"),
    ("THE\nANSWER IS B", "B"),
    ("Answer: A. Answer: B", "A"),
    ("Answer: A, answer: a", "A"),
    ("the answer is BECAUSE", "B"),
    ("xthe answer is C", "C"),
    ("Option B is right; the answer is b", "B"),
    ("ß", "S"),
    ("ſtart", "S"),
    ("The answer is  \t C", "C"),
    ("Answer:\nB", "B"),
    ("Answer:", "A"),
    ("Z", "Z"),
    ("The answer is 1 or the answer is C", "C"),
    ("théthe answer is C", "C"),
    ("the answer is c and the order is d", "C"),
    ("é the final answer is E", "E"),
  ]
  @Test func letterVectors() {
    for (pred, letter) in Self.letterVectors { #expect(MVUEvalScorer.extract(pred) == letter, "\(pred)") }
  }

  /// The table given to `MVUEval.evaluate` (ground truth `x` is no letter: ValueError, wrong).
  static let table = Rows(
    table: ResultTable(
      columns: ["index", "video_paths", "question", "options", "ground_truth", "task", "prediction"],
      rows: [
        ["0", "a.mp4", "q", "[]", "A", "Counting", "A"], ["1", "a.mp4", "q", "[]", "C", "Counting", "The answer is B"],
        ["2", "a.mp4", "q", "[]", "N", "Order", nil], ["3", "a.mp4", "q", "[]", "C", "Order", "c"],
        ["4", "a.mp4", "q", "[]", "x", "Order", "Answer: D"], ["5", "a.mp4", "q", "[]", "F", "Counting", "Failed to obtain answer via API."],
      ], name: "m_MVU-Eval_8frame"))

  @Test func ratingAndDetailEqualEvaluate() throws {
    let o = try MVUEvalScorer(rows: Self.table).score(
      ScoreContext(strict: false, judged: nil, judgeName: "judge", dataset: "MVU-Eval_8frame", diag: Self.diag))
    #expect(o.rating == nil)
    #expect(o.extraRatings.map(\.suffix) == ["_acc_rating", "_acc_detail"])
    #expect(
      JSONSerializer.pretty(o.extraRatings[0].value) == #"{\#n    "Overall": {\#n        "Accuracy": "0.6667"\#n    },\#n    "num_total": 6\#n}"#)
    #expect(
      JSONSerializer.pretty(o.extraRatings[1].value)
        == #"[\#n    {\#n        "index": 0,\#n        "prediction_raw": "A",\#n        "parsed_answer": "A",\#n        "ground_truth": "A",\#n        "correct": true\#n    },\#n    {\#n        "index": 1,\#n        "prediction_raw": "The answer is B",\#n        "parsed_answer": "B",\#n        "ground_truth": "C",\#n        "correct": false\#n    },\#n    {\#n        "index": 2,\#n        "prediction_raw": "nan",\#n        "parsed_answer": "N",\#n        "ground_truth": "N",\#n        "correct": true\#n    },\#n    {\#n        "index": 3,\#n        "prediction_raw": "c",\#n        "parsed_answer": "C",\#n        "ground_truth": "C",\#n        "correct": true\#n    },\#n    {\#n        "index": 4,\#n        "prediction_raw": "Answer: D",\#n        "parsed_answer": "D",\#n        "ground_truth": "X",\#n        "correct": false\#n    },\#n    {\#n        "index": 5,\#n        "prediction_raw": "Failed to obtain answer via API.",\#n        "parsed_answer": "F",\#n        "ground_truth": "F",\#n        "correct": true\#n    }\#n]"#
    )
    #expect(o.scores == ["1", "0", "1", "1", "0", "1"])
  }
}
