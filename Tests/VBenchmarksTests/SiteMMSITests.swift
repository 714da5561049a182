import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// SITE-Bench video and MMSI-Video-Bench: presets, prompts, sampling and score files. Every
/// expected value here was printed by `Tests/Fixtures/easi/make-site-mmsi-expected.py`, which runs
/// VLMEvalKit's own `SiteBenchVideo` and `MMSIVideoBench` (`build_prompt`, `save_video_frames`,
/// `evaluate` on the rule path) at commit e8e78f05 on the same inputs, with pandas 3.1.
@Suite struct SiteMMSITests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func input(_ rec: JSONObject, videoLLM: Bool = false, root: String = "/data") -> TemplateInput {
    TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: root, subtitles: false, strict: false, warn: { _ in })
  }

  // MARK: - SITE-Bench video

  @Test func sitePresetsAreVLMEvalKitsConfigs() throws {
    let expected: [(String, SamplingSpec)] = [
      ("SiteBenchVideo_64frame", .frames(64, sampler: .linspace)), ("SiteBenchVideo_32frame", .frames(32, sampler: .linspace)),
      ("SiteBenchVideo_1fps", SamplingSpec(sampler: .fps, fps: 1, fpsName: "1")),
    ]
    for (name, spec) in expected {
      let p = try #require(Registry.preset(named: name))
      #expect(p.config.dataset == "SiteBenchVideo" && p.config.spec == spec && p.frameSettings.nativeSampler == .linspace)
      #expect(p.config.video.field == "video_path")
    }
    #expect(Benchmark.siteBenchVideo.configs.map(\.name) == expected.map(\.0))
    // `fps=1` is an int in the config: VLMEvalKit's frame files say `1fps`, not `1.0fps`.
    #expect(try #require(Registry.preset(named: "SiteBenchVideo_1fps")).config.spec.fpsText == "1")
  }

  @Test func siteGoldenPrompts() throws {
    let head =
      "Select the best answer to the following multiple-choice question based on the video. Respond with only the letter of the correct option.\n"
    let cases: [(String, String, String)] = [
      (
        "How many chairs are in the room?", #"['2', '3', "It's 4", '5']"#,
        "Question: How many chairs are in the room?\nOptions:\nA: 2\nB: 3\nC: It's 4\nD: 5\nGive me the answer letter directly. The best answer is:"
      ),
      (
        "Which object is closer to the camera?\nAnswer carefully.", "['the lamp', 'the sofa']",
        "Question: Which object is closer to the camera?\nAnswer carefully.\nOptions:\nA: the lamp\nB: the sofa\nGive me the answer letter directly. The best answer is:"
      ),
    ]
    for (q, cands, text) in cases {
      let rec = JSONObject([
        ("question", .string(q)), ("candidates", .string(cands)), ("video_path", .string("videos/a.mp4")),
        ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
        ("video_info", .object(JSONObject([("path", .string("/data/site/videos/a.mp4"))]))),
      ])
      #expect(try SITEBenchVideoPrompt().build(Self.input(rec)) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(head + text)])
      #expect(try SITEBenchVideoPrompt().build(Self.input(rec, videoLLM: true)) == [.video("/data/site/videos/a.mp4"), .text(head + text)])
    }
  }

  @Test func siteScoreFilesEqualVLMEvalKit() throws {
    let cats = SITEBenchVideoPrompt.categories
    // (index, category, candidates, answer, prediction), in this (unsorted) row order.
    let data: [(Int, String, String, String, String)] = [
      (7, cats[0], "['1', '2', '3', '4']", "B", "The answer is B."), (2, cats[0], "['1', '2']", "A", "B"),
      (3, cats[1], "['x', 'y', 'z']", "C", "<answer>C</answer>"), (1, cats[2], "['a', 'b', 'c', 'd', 'e']", "A", "a"),
      (5, cats[2], "['a', 'b', 'c', 'd', 'e']", "D", "I think A or B"), (4, cats[4], "['p', 'q']", "B", "Failed to obtain answer via API."),
      (0, "other category", "['p', 'q']", "A", "A"), (6, cats[5], "not a list", "B", "B"), (8, cats[5], "['m', 'n', 'o']", "A", "C"),
    ]
    let table = ResultTable(
      columns: ["index", "video", "video_path", "question", "candidates", "answer", "category", "prediction"],
      rows: data.map { [String($0.0), "v\($0.0).mp4", "videos/v\($0.0).mp4", "q", $0.2, $0.3, $0.1, $0.4] }, name: "M_SiteBenchVideo_32frame")
    let rule = try #require(Registry.catalog.rule(forDataset: "SiteBenchVideo_32frame"))
    let o = try rule.score(
      Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "SiteBenchVideo_32frame", diag: Self.diag))
    let acc = try #require(o.textFiles.first)
    #expect(acc.suffix == "_extract_matching_acc.csv")
    // VLMEvalKit's file, byte for byte: long, values as pandas writes floats (repr).
    #expect(
      acc.text
        == "metric\tvalue\noverall_accuracy\t55.55555555555556\noverall_caa\t32.58426966292134\ncounting & existence_accuracy\t50.0\nobject localization & positioning_accuracy\t100.0\n3d information understanding_accuracy\t50.0\nspatial relationship reasoning_accuracy\t0.0\nmovement prediction & navigation_accuracy\t50.0\ncounting & existence_caa\t20.0\nobject localization & positioning_caa\t100.0\n3d information understanding_caa\t37.49999999999999\nspatial relationship reasoning_caa\t-100.0\nmovement prediction & navigation_caa\t29.411764705882355\n"
    )
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_extract_matching")
    #expect(sheet.columns == ["index", "category", "prediction", "pred_extracted", "answer", "hit", "video", "video_path", "question", "candidates"])
    #expect(
      sheet.rows.map { [$0[0], $0[3], $0[5]] } == [
        ["0", "A", "1"], ["1", "A", "1"], ["2", "B", "0"], ["3", "C", "1"], ["4", "False", "0"], ["5", "False", "0"], ["6", "B", "1"],
        ["7", "B", "1"], ["8", "C", "0"],
      ])
    // The summary: accuracy and CAA overall and per listed category (the other one only overall).
    let overall = o.summary.rows.filter { $0.group == "overall" }.map { ($0.name, $0.value ?? .nan) }
    #expect(overall.map(\.0) == ["overall", "overall CAA"])
    #expect(overall.map(\.1) == [55.55555555555556, 32.58426966292134])
    #expect(!o.summary.rows.contains { $0.name == "other category" })
  }

  // MARK: - MMSI-Video-Bench

  @Test func mmsiPresetsAreVLMEvalKitsConfigs() throws {
    let names = ["MMSIVideoBench_300frame", "MMSIVideoBench_64frame", "MMSIVideoBench_50frame", "MMSIVideoBench_32frame", "MMSIVideoBench_1fps"]
    #expect(Benchmark.mmsiVideoBench.configs.map(\.name) == names)
    for (name, n) in zip(names, [300, 64, 50, 32]) {
      #expect(try #require(Registry.preset(named: name)).config.spec == .frames(n, sampler: .linspace))
    }
    let fps = try #require(Registry.preset(named: "MMSIVideoBench_1fps"))
    #expect(fps.config.spec == SamplingSpec(sampler: .fps, fps: 1, fpsName: "1"))
    #expect(fps.frameSettings.video.frameList == FrameListRule(field: "image_path", fpsField: "video_fps"))
  }

  /// `save_video_frames` over clips of 7, 5, 0 and 3 listed frames: (nframe, fps, video_fps,
  /// the local indices per clip VLMEvalKit picks).
  static let samplingVectors: [(Int, Double, Double?, [[Int]])] = [
    (4, -1, nil, [[0, 4], [2], [], [2]]), (32, -1, nil, [[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4], [], [0, 1, 2]]),
    (15, -1, nil, [[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4], [], [0, 1, 2]]), (14, -1, nil, [[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4], [], [0, 2]]),
    (-1, 1, 2.0, [[0, 2, 4, 6], [1, 3], [], [0]]), (-1, 1, 0.5, [[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4], [], [0, 1, 2]]),
    (-1, 1, 30, [[0], [], [], []]), (-1, 1, 3.3, [[0, 3, 6], [2], [], []]),
  ]

  @Test func mmsiFrameListSamplingEqualsVLMEvalKit() {
    let lengths = [7, 5, 0, 3]
    for (n, fps, videoFPS, expected) in Self.samplingVectors {
      let global =
        n > 0
        ? FrameIndexFormula.frameList(total: 15, nframe: n) : FrameIndexFormula.frameList(total: 15, videoFPS: videoFPS ?? 0, fps: fps)
      #expect(FrameIndexFormula.splitByClip(global, lengths: lengths) == expected, "nframe \(n) fps \(fps) video_fps \(videoFPS ?? 0)")
    }
    #expect(FrameIndexFormula.frameList(total: 0, nframe: 4).isEmpty)
  }

  @Test func mmsiImagePathLiterals() throws {
    #expect(try PythonLiteral.stringLists("[['a/0.jpg', \"b]/1.jpg\"], ['c.jpg'], []]") == [["a/0.jpg", "b]/1.jpg"], ["c.jpg"], []])
    // A flat list is one clip, as parse_image_path wraps it.
    #expect(try PythonLiteral.stringLists("['/d/c/0.jpg', '/d/c/1.jpg']") == [["/d/c/0.jpg", "/d/c/1.jpg"]])
    #expect(try PythonLiteral.stringLists("[]") == [])
    #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.stringLists("[['a'], 'b']") }
    #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.stringLists("[['a']") }
  }

  static func mmsiRecord(_ row: [(String, String)], groups: [[String]]) -> JSONObject {
    var o = JSONObject(row.map { ($0.0, JSONValue.string($0.1)) })
    o["frames"] = .array(groups.flatMap { $0.map { .string($0) } })
    o["frame_groups"] = .array(groups.map { .object(JSONObject([("video", .string("")), ("frames", .int($0.count))])) })
    return o
  }

  @Test func mmsiGoldenPrompts() throws {
    let rowA: [(String, String)] = [
      ("system_prompt", "You are a spatial expert."), ("task_prompt", "Watch the videos: <video> then <video>.\n"),
      ("user_prompt", "Is the cup in <image> still on the table?\nA. yes\nB. no\n"), ("format_prompt", "Answer with the letter."),
      ("ref_images", "['/d/ref/cup.png']"),
    ]
    let rowB: [(String, String)] = [
      ("system_prompt", "S"), ("task_prompt", ""), ("user_prompt", "<video>Q?"), ("format_prompt", ""), ("ref_images", "[]"),
    ]
    // 4 frames (nframe mode) of clips of 6 and 2 frames, and of one clip of 3.
    let a = Self.mmsiRecord(rowA, groups: [["/d/a/0.jpg", "/d/a/2.jpg", "/d/a/4.jpg"], ["/d/b/1.jpg"]])
    let expectedA: [MessageItem] = [
      .text("You are a spatial expert.\nWatch the videos: "), .image("/d/a/0.jpg"), .image("/d/a/2.jpg"), .image("/d/a/4.jpg"), .text(" then "),
      .image("/d/b/1.jpg"), .text(".\nIs the cup in "), .image("/d/ref/cup.png"),
      .text(" still on the table?\nA. yes\nB. no\nAnswer with the letter."),
    ]
    #expect(try MMSIVideoPrompt().build(Self.input(a)) == expectedA)
    // No video-LLM form: the frames go either way.
    #expect(try MMSIVideoPrompt().build(Self.input(a, videoLLM: true)) == expectedA)
    let b = Self.mmsiRecord(rowB, groups: [["/d/c/0.jpg", "/d/c/1.jpg", "/d/c/2.jpg"]])
    #expect(
      try MMSIVideoPrompt().build(Self.input(b)) == [.text("S\n"), .image("/d/c/0.jpg"), .image("/d/c/1.jpg"), .image("/d/c/2.jpg"), .text("Q?")])
    // A relative reference image is under the data root; counts that disagree are errors.
    var c = a
    c["ref_images"] = .string("['ref/cup.png']")
    #expect(try MMSIVideoPrompt().build(Self.input(c, root: "/snap"))[7] == .image("/snap/ref/cup.png"))
    c["ref_images"] = .string("[]")
    #expect(throws: PromptError.self) { try MMSIVideoPrompt().build(Self.input(c)) }
    let one = Self.mmsiRecord(rowA, groups: [["/d/a/0.jpg"]])
    #expect(throws: PromptError.self) { try MMSIVideoPrompt().build(Self.input(one)) }
    #expect(MMSIVideoPrompt.split("<video><image>x<vid<video>") == [.video, .image, .text("x<vid"), .video])
  }

  @Test func mmsiScoreFilesEqualVLMEvalKit() throws {
    // (index, task_type, sub_task_type, answer, prediction, Easy2hard, Grounding, Indoor_Scene_Perception, Robot)
    let data: [[String?]] = [
      ["5", "Motion Understanding", "Camera Motion", "B", "B", "level_1", nil, "Dynamic Scene", nil],
      ["1", "Spatial Construction", "Instance/Scene Attribute", "A", "The answer is A", "level_2", "yes", nil, nil],
      ["3", "Spatial Construction", "Camera-Scene Spatial Relationship", "C", "D", "level_1", nil, "Static Scene", "nav"],
      ["2", "Planning", "Planning", "D", "<answer>D</answer>", nil, nil, nil, "nav"],
      ["4", "Odd Task", "Odd Sub", "A", "none", "level_3", "no", nil, nil],
      ["0", "Cross-Video", "Memoery Update", "B", "B.", "null", nil, "Dynamic Scene", "manip"],
      ["6", "Motion Understanding", "Instance Motion", "A", "C", "level_1", " ", nil, nil],
    ]
    let columns = [
      "index", "question", "task_type", "sub_task_type", "answer", "prediction", "Easy2hard", "Grounding", "Indoor_Scene_Perception", "Robot",
    ]
    let table = ResultTable(columns: columns, rows: data.map { [$0[0], "q"] + Array($0[1...]) }, name: "M_MMSIVideoBench_32frame")
    let rule = try #require(Registry.catalog.rule(forDataset: "MMSIVideoBench_32frame"))
    let o = try rule.score(
      Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "MMSIVideoBench_32frame", diag: Self.diag))
    let files = Dictionary(o.textFiles.map { ($0.suffix, $0.text) }, uniquingKeysWith: { a, _ in a })
    #expect(
      files["_extract_matching_acc.csv"]
        == "overall\ttask_type.Spatial Construction_accuracy\ttask_type.Motion Understanding_accuracy\ttask_type.Cross-Video_accuracy\ttask_type.Planning_accuracy\tsub_task_type.Instance/Scene Attribute_accuracy\tsub_task_type.Camera-Scene Spatial Relationship_accuracy\tsub_task_type.Camera Motion_accuracy\tsub_task_type.Instance Motion_accuracy\tsub_task_type.Memoery Update_accuracy\tsub_task_type.Planning_accuracy\ttask_type.Odd Task_accuracy\tsub_task_type.Odd Sub_accuracy\n57.1429\t50.0000\t50.0000\t100.0000\t100.0000\t100.0000\t0.0000\t100.0000\t0.0000\t100.0000\t100.0000\t0.0000\t0.0000\n"
    )
    #expect(
      files["_extract_matching_subset_acc.csv"]
        == "metric\tvalue\n(Indoor_Scene_Perception)Avg\t66.6667\n(Indoor_Scene_Perception)Dynamic Scene\t100.0000\n(Robot)Avg\t66.6667\n(Robot)manip\t100.0000\n(Easy2hard)Avg\t40.0000\n(Easy2hard)level_2\t100.0000\n(Grounding)Avg\t50.0000\n(Grounding)yes\t100.0000\n(Robot)nav\t50.0000\n(Easy2hard)level_1\t33.3333\n(Indoor_Scene_Perception)Static Scene\t0.0000\n(Easy2hard)level_3\t0.0000\n(Grounding)no\t0.0000\n"
    )
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_extract_matching")
    #expect(
      sheet.columns == [
        "index", "task_type", "prediction", "pred_extracted", "answer", "hit", "question", "sub_task_type", "Easy2hard", "Grounding",
        "Indoor_Scene_Perception", "Robot",
      ])
    #expect(
      sheet.rows.map { [$0[0], $0[3], $0[5]] } == [
        ["0", "B", "1"], ["1", "A", "1"], ["2", "D", "1"], ["3", "D", "0"], ["4", "False", "0"], ["5", "B", "1"], ["6", "C", "0"],
      ])
  }
}
