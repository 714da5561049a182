import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// The EASI spatial family's matchers and prompts. Every expected value here came from running
/// VLMEvalKit's own functions (`can_match_option`, `eval_mcq_score`, `STIBench.build_prompt`,
/// `DSRBench.build_prompt`) at commit e8e78f05 on the same inputs, with pandas 3.1 and numpy 2.4.
@Suite struct EASISpatialTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  /// (prediction, `can_match_option(prediction)`; nil where it returns False).
  static let optionVectors: [(String, String?)] = [
    ("A", "A"), ("B.", "B"), (" c ", "C"), ("(D)", "D"), ("**E**", "E"), ("The answer is B.", "B"), ("answer: c", "C"), ("I think A or B", nil),
    ("<answer>C. because</answer>", "C"), ("<think>maybe A</think>B", "A"), ("<think>hmm A... B</think>", "B"),
    ("Option A: x\nOption B: y\nSo B", "B"), ("A. left\nB. right", "B"), ("x\nB) right", "B"), ("final answer: (D)", "D"),
    ("The answer is d", "D"), ("none", nil), ("", nil), ("nan", nil), ("\u{6211}\u{9009} B", "B"), ("\u{7B54}\u{6848}\u{FF1A}C", "C"),
    ("It is A, not B", nil), ("A A A", "A"), ("foo\n\nE\n", "E"), ("\u{200B}B", "B"), ("Explanation... [F]", "F"), ("G", nil),
    ("the answer is G", nil), ("<answer>g</answer>", "G"), ("Both A and A.", "A"), ("a", "A"), ("Answer:\nB", "B"), ("b) yes", "B"),
    ("The correct answer isB", "B"), ("Based on frames, B is the answer.", "B"), ("I'd pick c.", nil), ("2", nil), ("A\r\nB", "B"),
    ("B\u{2028}C", "C"), ("Answer is (C)", "C"), ("so the best answer is: E", "E"), ("Option C: something", nil), ("selection: A", "A"),
    ("The best option is C)", "C"), ("A: 3.2 m", "A"),
    // A letter before </think> more than 800 characters from the end is not a tail anchor, but
    // the last lines after the think block hold none, and step 7 finds the one capital.
    ("<think>long " + String(repeating: "x", count: 900) + " A</think> the result", "A"),
  ]

  @Test func canMatchOptionEqualsVLMEvalKit() {
    for (text, expected) in Self.optionVectors { #expect(EASI.canMatchOption(text) == expected, "\(text.debugDescription)") }
  }

  @Test func splitLinesIsPythons() {
    #expect(EASI.splitLines("a\r\nb\rc\u{0B}d\u{85}e\n") == ["a", "b", "c", "d", "e"])
    #expect(EASI.splitLines("\n\nx") == ["", "", "x"])
    #expect(EASI.splitLines("") == [])
  }

  static func input(_ rec: JSONObject, videoLLM: Bool = false, root: String) -> TemplateInput {
    TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: root, subtitles: false, strict: false, warn: { _ in })
  }

  static let frames: [JSONValue] = [.string("/c/f1.jpg"), .string("/c/f2.jpg")]

  static func stiRecord(_ q: String, _ start: String, _ end: String, _ options: String, video: String, info: JSONObject, sampling: JSONObject)
    -> JSONObject
  {
    JSONObject([
      ("index", .string("0")), ("video", .string(video)), ("question", .string(q)), ("time_start", .string(start)), ("time_end", .string(end)),
      ("options", .string(options)), ("frames", .array(frames)), ("video_info", .object(info)), ("sampling", .object(sampling)),
    ])
  }

  @Test func stiBenchGoldenPrompts() throws {
    // 2 frames of a 300-frame 30 fps video: 2 / 10 s = 0.20 FPS.
    var info = JSONObject([("n_frames", .int(300)), ("avg_fps", .double(30)), ("path", .string("/data/sti/videos/a.mp4"))])
    let nframe = JSONObject([("method", .string("linspace")), ("nframe", .int(2))])
    let a = Self.stiRecord(
      "What is the distance travelled by the red car?", "0", "12.5", #"['3.2 m', '5 m', "It's 7 m", '9.1 m', '11 m']"#, video: "videos/a.mp4",
      info: info, sampling: nframe)
    let textA =
      "Answer the question below based on the frames provided, which are sampled at about 0.20 FPS.\nQuestion: From 0 seconds to 12.5 seconds. What is the distance travelled by the red car?\nA 3.2 m\nB 5 m\nC It's 7 m\nD 9.1 m\nE 11 m\nPlease output only the option you choose!"
    #expect(try STIBenchPrompt().build(Self.input(a, root: "/data/sti")) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(textA)])
    #expect(try STIBenchPrompt().build(Self.input(a, videoLLM: true, root: "/data/sti")) == [.video("/data/sti/videos/a.mp4"), .text(textA)])
    // A zero frame rate leaves the duration at 0: the unspecified-rate text.
    info["avg_fps"] = .double(0)
    let b = Self.stiRecord("Q2", "1.0", "2", #"["x", "y"]"#, video: "b.mp4", info: info, sampling: nframe)
    let textB =
      "Answer the question below based on the frames provided, which are sampled at an unspecified frame rate.\nQuestion: From 1.0 seconds to 2 seconds. Q2\nA x\nB y\nPlease output only the option you choose!"
    #expect(try STIBenchPrompt().build(Self.input(b, root: "/data/sti")) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(textB)])
  }

  @Test func stiBenchSampleFPS() {
    // f"{len(indices) / (n_frames / fps):.2f}" from Python for (n, n_frames, fps).
    for (n, count, fps, text) in [(30, 1000, 29.97, "0.90"), (64, 7, 30.0, "274.29"), (32, 12345, 23.976023976023978, "0.06")] {
      let rec = JSONObject([
        ("video_info", .object(JSONObject([("n_frames", .int(count)), ("avg_fps", .double(fps))]))),
        ("sampling", .object(JSONObject([("method", .string("linspace")), ("nframe", .int(n))]))),
      ])
      #expect(STIBenchPrompt.sampleFPS(rec).map { String(format: "%.2f", $0) } == text)
    }
    let fpsMode = JSONObject([
      ("video_info", .object(JSONObject([("n_frames", .int(300)), ("avg_fps", .double(30))]))),
      ("sampling", .object(JSONObject([("method", .string("fps")), ("fps", .double(1))]))),
    ])
    #expect(STIBenchPrompt.sampleFPS(fpsMode) == 1)
  }

  @Test func dsrBenchGoldenPrompts() throws {
    let head =
      "\nThese are the frames of a video. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"
    let a = JSONObject([
      ("video", .string("clips/x.mp4")), ("question", .string("Which way does the car turn?")),
      ("options", .string(#"["A. left", "B. right", "C. It's straight", "D. back"]"#)), ("frames", .array(Self.frames)),
      ("video_info", .object(JSONObject([("path", .string("/data/dsr/clips/x.mp4"))]))),
    ])
    let text = "Question: Which way does the car turn?\nA. left\nB. right\nC. It's straight\nD. back\nAnswer: "
    #expect(try DSRBenchPrompt().build(Self.input(a, root: "/data/dsr")) == [.text(head), .image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(text)])
    #expect(
      try DSRBenchPrompt().build(Self.input(a, videoLLM: true, root: "/data/dsr")) == [.text(head), .video("/data/dsr/clips/x.mp4"), .text(text)])
    var b = a
    b["question"] = .string("Q")
    b["options"] = .string("['A. 1', 'B. 2']")
    #expect(try DSRBenchPrompt().build(Self.input(b, root: "/data/dsr")).last == .text("Question: Q\nA. 1\nB. 2\nAnswer: "))
  }

  @Test func presetsAreVLMEvalKitsConfigs() throws {
    let expected: [(String, String, SamplingSpec)] = [
      ("STI-Bench_64frame", "STI-Bench", .frames(64, sampler: .linspace)), ("STI-Bench_32frame", "STI-Bench", .frames(32, sampler: .linspace)),
      ("STI-Bench_30frame", "STI-Bench", .frames(30, sampler: .linspace)), ("STI-Bench_1fps", "STI-Bench", .perSecond(1)),
      ("DSRBench_64frame", "DSRBench", .frames(64, sampler: .linspace)), ("DSRBench_32frame", "DSRBench", .frames(32, sampler: .linspace)),
      ("DSRBench_30frame", "DSRBench", .frames(30, sampler: .linspace)), ("DSRBench_1fps", "DSRBench", .perSecond(1)),
    ]
    for (name, dataset, spec) in expected {
      let p = try #require(Registry.preset(named: name))
      #expect(p.config.dataset == dataset && p.config.spec == spec && p.frameSettings.nativeSampler == .linspace)
    }
    #expect(Benchmark.stiBench.configs.map(\.name) == expected.prefix(4).map(\.0))
    #expect(Benchmark.dsrBench.configs.map(\.name) == expected.suffix(4).map(\.0))
  }

  @Test func stiBenchScoreFilesEqualVLMEvalKit() throws {
    // (index, task_type, answer, prediction), in this (unsorted) row order.
    let data: [(Int, String, String, String)] = [
      (3, "Spatial Relation", "B", "The answer is B."), (1, "Dimensional Measurement", "A", "A"),
      (2, "Dimensional Measurement", "C", "I think A or B"),
      (0, "Pose Estimation", "D", "<answer>D</answer>"), (5, "Odd Type", "A", "none"),
      (4, "Spatial Relation", "E", "Failed to obtain answer via API."),
      (6, "Odd Type", "nope", "whatever"), (7, "Dimensional Measurement", "B", "b) yes"),
    ]
    let table = ResultTable(
      columns: ["index", "video", "question", "options", "answer", "task_type", "prediction"],
      rows: data.map { [String($0.0), "v\($0.0).mp4", "q", "['x', 'y']", $0.2, $0.1, $0.3] }, name: "M_STI-Bench_32frame")
    let rule = try #require(Registry.catalog.rule(forDataset: "STI-Bench_32frame"))
    let o = try rule.score(
      Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "STI-Bench_32frame", diag: Self.diag))
    // Two failed extractions are equal (`False == False`): row 6 is a hit, as upstream.
    #expect(o.scores == ["1", "1", "0", "1", "0", "0", "1", "1"])
    let acc = try #require(o.textFiles.first)
    #expect(acc.suffix == "_extract_matching_acc.csv")
    #expect(
      acc.text
        == "overall\tDimensional Measurement_accuracy\tSpatial Relation_accuracy\tPose Estimation_accuracy\tOdd Type_accuracy\n62.5000\t66.6667\t50.0000\t100.0000\t50.0000\n"
    )
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_extract_matching")
    #expect(sheet.columns == ["index", "task_type", "prediction", "pred_extracted", "answer", "hit", "video", "question", "options"])
    #expect(
      sheet.rows.map { [$0[0], $0[3], $0[5]] } == [
        ["0", "D", "1"], ["1", "A", "1"], ["2", "False", "0"], ["3", "B", "1"], ["4", "False", "0"], ["5", "False", "0"], ["6", "False", "1"],
        ["7", "B", "1"],
      ])
  }

  @Test func dsrBenchScoreFilesEqualVLMEvalKit() throws {
    let data: [(Int, String, String, String)] = [
      (10, "rel_dir", "A", "A"), (2, "abs_dis", "B", "Answer: C"), (3, "non_temp", "C", "<think>B?</think>C"), (4, "abs_dis", "D", "D."),
      (11, "rel_dir", "B", "option B: yes"),
    ]
    let table = ResultTable(
      columns: ["index", "video", "question", "options", "answer", "task_type", "prediction"],
      rows: data.map { [String($0.0), "v.mp4", "q", #"["A. x", "B. y"]"#, $0.2, $0.1, $0.3] }, name: "M_DSRBench_1fps")
    let rule = try #require(Registry.catalog.rule(forDataset: "DSRBench_1fps"))
    let o = try rule.score(Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "DSRBench_1fps", diag: Self.diag))
    #expect(o.textFiles.first?.text == "overall\tabs_dis_accuracy\trel_dir_accuracy\tnon_temp_accuracy\n60.0000\t50.0000\t50.0000\t100.0000\n")
    #expect(
      o.sheets.first?.rows.map { [$0[0], $0[3], $0[5]] } == [
        ["2", "C", "0"], ["3", "C", "1"], ["4", "D", "1"], ["10", "A", "1"], ["11", "False", "0"],
      ])
  }
}
