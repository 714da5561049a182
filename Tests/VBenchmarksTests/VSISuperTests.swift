import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// VSI-SUPER-Recall and VSI-SUPER-Count. Every expected value here came from VLMEvalKit's own
/// `VsiSuperRecall` / `VsiSuperCount` (`build_prompt`, `evaluate` with the real spatial_bench
/// scorer, `VsiSuperCount.prepare_dataset`'s streaming filter) at commit e8e78f05 on the same
/// rows, pandas 3.1, numpy 2.4: `Tests/Fixtures/vsisuper/make-vsisuper-expected.py`.
@Suite struct VSISuperTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  @Test func presetsAreVideoDatasetConfigs() throws {
    // `_build_video_variants(supported_datasets(), cls)` with `VSI_FRAME_VARIANTS`.
    let suffixes = ["128frame", "64frame", "32frame", "16frame", "2fps", "1fps"]
    let specs: [SamplingSpec] = [
      .frames(128, sampler: .linspace), .frames(64, sampler: .linspace), .frames(32, sampler: .linspace), .frames(16, sampler: .linspace),
      .perSecond(2), .perSecond(1),
    ]
    for (benchmark, family, minutes) in [
      (Benchmark.vsiSuperRecall, "VsiSuperRecall", [10, 30, 60, 120, 240]), (Benchmark.vsiSuperCount, "VsiSuperCount", [10, 30, 60, 120]),
    ] {
      let subsets = minutes.map { "\(family)_\($0)mins" }
      #expect(benchmark.configs.map(\.name) == subsets.flatMap { s in suffixes.map { s + "_" + $0 } })
      #expect(benchmark.configs.map(\.dataset) == subsets.flatMap { Array(repeating: $0, count: 6) })
      #expect(benchmark.configs.map(\.spec) == Array(Array(repeating: specs, count: minutes.count).joined()))
      #expect(benchmark.datasets == subsets && benchmark.nframeSampler == .linspace)
      for c in benchmark.configs {
        let p = try #require(Registry.preset(named: c.name))
        #expect(p.frameSettings.video == VideoRule(field: "video") && p.frameSettings.nativeSampler == .linspace)
        #expect(p.frameSettings.rows == (family == "VsiSuperCount" ? RowSubset.excluding(column: "question_type", containing: "_streaming") : nil))
      }
    }
    #expect(Benchmark.vsiSuperRecall.configs.count + Benchmark.vsiSuperCount.configs.count == 54)
    // The base fps rule: `int(i * avg_fps / fps)` for `i < int(len / avg_fps * fps)`, no tail frame.
    #expect(FrameIndexFormula.fps(frameCount: 75, avgFPS: 30, fps: 2) == [0, 15, 30, 45, 60])
    #expect(FrameIndexFormula.linspace(frameCount: 75, nframe: 4) == [0, 24, 49, 74])
  }

  static func input(_ rec: JSONObject, videoLLM: Bool = false) -> TemplateInput {
    TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data/root", subtitles: false, strict: false, warn: { _ in })
  }

  static func record(_ fields: [(String, String)], video: String) -> JSONObject {
    JSONObject(
      fields.map { ($0.0, JSONValue.string($0.1)) } + [
        ("video", .string(video)), ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
        ("video_info", .object(JSONObject([("path", .string("/data/root/" + video))]))),
      ])
  }

  @Test func recallGoldenPrompts() throws {
    let a = Self.record(
      [
        ("question", "  Which of the following correctly represents the order in which the teddy bear appeared in the video?\n"),
        (
          "options",
          #"['A. Bathroom, Kitchen, Bedroom, Living Room', 'B. Kitchen, Bedroom, Bathroom, Living Room', "C. It's the Hall", 'D. Bedroom']"#
        ),
      ], video: "30mins/00000012.mp4")
    let textA =
      "Which of the following correctly represents the order in which the teddy bear appeared in the video?\nOptions:\nA. Bathroom, Kitchen, Bedroom, Living Room\nB. Kitchen, Bedroom, Bathroom, Living Room\nC. It's the Hall\nD. Bedroom\nAnswer with the option's letter from the given choices directly."
    #expect(try VSISuperRecallPrompt().build(Self.input(a)) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(textA)])
    #expect(try VSISuperRecallPrompt().build(Self.input(a, videoLLM: true)) == [.video("/data/root/30mins/00000012.mp4"), .text(textA)])
    let b = Self.record([("question", "Q?"), ("options", #"["A. 1", "B. 2"]"#)], video: "x.mp4")
    let textB = "Q?\nOptions:\nA. 1\nB. 2\nAnswer with the option's letter from the given choices directly."
    #expect(try VSISuperRecallPrompt().build(Self.input(b)) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(textB)])
    #expect(try VSISuperRecallPrompt().build(Self.input(b, videoLLM: true)) == [.video("/data/root/x.mp4"), .text(textB)])
  }

  @Test func countGoldenPrompts() throws {
    let a = Self.record([("question", "\tHow many chairs are there in the video?  ")], video: "60mins/scene_0003.mp4")
    let textA = "These are frames of a video.\nHow many chairs are there in the video?\nPlease answer the question using a single word or phrase."
    #expect(try VSISuperCountPrompt().build(Self.input(a)) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(textA)])
    #expect(try VSISuperCountPrompt().build(Self.input(a, videoLLM: true)) == [.video("/data/root/60mins/scene_0003.mp4"), .text(textA)])
    let b = Self.record([("question", "How many tables?")], video: "b.mp4")
    let textB = "These are frames of a video.\nHow many tables?\nPlease answer the question using a single word or phrase."
    #expect(try VSISuperCountPrompt().build(Self.input(b)) == [.image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(textB)])
    #expect(try VSISuperCountPrompt().build(Self.input(b, videoLLM: true)) == [.video("/data/root/b.mp4"), .text(textB)])
  }

  /// `prepare_dataset`: `~question_type.astype(str).str.contains('_streaming')` (a NaN type reads
  /// `nan` and stays); without the column every row stays.
  @Test func countDropsTheStreamingRowsAsPrepareDatasetDoes() throws {
    let types: [String?] = ["10mins", "10mins_streaming", nil, "streaming", "x_streaming_y", "A_STREAMING", "_streaming"]
    let subset = try #require(Registry.preset(named: "VsiSuperCount_10mins_2fps")?.config.rows)
    #expect(subset.keep(types).enumerated().filter(\.element).map(\.offset) == [0, 2, 3, 5])
    #expect(subset.keep(types.map { $0 ?? "" }).enumerated().filter(\.element).map(\.offset) == [0, 2, 3, 5])
    #expect(!subset.needsColumn && subset.description == "'_streaming' not in question_type")
    #expect(Registry.preset(named: "VsiSuperRecall_10mins_2fps")?.config.rows == nil)
  }

  @Test func recallScoreFilesEqualVLMEvalKit() throws {
    // (index, answer, question_type, prediction), in this (unsorted) row order.
    let data: [(String, String, String, String)] = [
      ("12", "A", "spatial_recall", "A"), ("3", "B", "spatial_recall", "The answer is B."), ("7", "C", "temporal_recall", "<think>A?</think>C"),
      ("1", "D", "spatial_recall", "I think A or B"), ("10", "A", "temporal_recall", "Failed to obtain answer via API."),
      ("2", "B", "spatial_recall", "(B) kitchen"), ("5", "C", "odd_type", "c"), ("4", "D", "temporal_recall", "Answer: D"),
      ("0", "A", "spatial_recall", "B"),
    ]
    let options = "['A. a', 'B. b', 'C. c', 'D. d']"
    let videos = ["12": "v1", "3": "v1", "7": "v2", "1": "v2", "10": "v3", "2": "v3", "5": "v4", "4": "v4", "0": "v5"]
    let table = ResultTable(
      columns: ["index", "video", "question", "options", "answer", "question_type", "prediction"],
      rows: data.map { [$0.0, videos[$0.0]! + ".mp4", "q", options, $0.1, $0.2, $0.3] }, name: "M_VsiSuperRecall_10mins_32frame")
    let rule = try #require(Registry.catalog.rule(forDataset: "VsiSuperRecall_10mins_32frame"))
    let o = try rule.score(
      Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "VsiSuperRecall_10mins_32frame", diag: Self.diag))
    #expect(
      o.textFiles.map(\.suffix) == ["_extract_matching_acc.csv"]
        && o.textFiles.first?.text
          == "overall\tspatial_recall_accuracy\ttemporal_recall_accuracy\todd_type_accuracy\n66.6667\t60.0000\t66.6667\t100.0000\n"
    )
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_extract_matching")
    // `prefer_front` names question_type twice (as itself and as the group column): twice it is.
    #expect(
      sheet.columns == ["index", "question_type", "question_type", "prediction", "pred_extracted", "answer", "hit", "video", "question", "options"])
    let expected: [[String]] = [
      ["0", "spatial_recall", "spatial_recall", "B", "B", "A", "0", "v5.mp4", "q", options],
      ["1", "spatial_recall", "spatial_recall", "I think A or B", "False", "D", "0", "v2.mp4", "q", options],
      ["2", "spatial_recall", "spatial_recall", "(B) kitchen", "B", "B", "1", "v3.mp4", "q", options],
      ["3", "spatial_recall", "spatial_recall", "The answer is B.", "B", "B", "1", "v1.mp4", "q", options],
      ["4", "temporal_recall", "temporal_recall", "Answer: D", "D", "D", "1", "v4.mp4", "q", options],
      ["5", "odd_type", "odd_type", "c", "C", "C", "1", "v4.mp4", "q", options],
      ["7", "temporal_recall", "temporal_recall", "<think>A?</think>C", "C", "C", "1", "v2.mp4", "q", options],
      ["10", "temporal_recall", "temporal_recall", "Failed to obtain answer via API.", "False", "A", "0", "v3.mp4", "q", options],
      ["12", "spatial_recall", "spatial_recall", "A", "A", "A", "1", "v1.mp4", "q", options],
    ]
    #expect(sheet.rows == expected)
    #expect(o.summary.rows.first?.value == 66.66666666666666 && o.summary.rules == "VSI-SUPER-Recall")
  }

  @Test func countScoreFilesEqualVLMEvalKit() throws {
    // (index, video, answer, question_type, prediction), in this (unsorted) row order.
    let data: [(String, String, String, String, String)] = [
      ("20", "a", "12", "10mins", "12"), ("3", "a", "12", "10mins", "There are about 11 chairs."), ("7", "b", "5", "10mins", "five"),
      ("1", "b", "8", "10mins", "<answer>6</answer>"), ("11", "c", "0", "10mins", "0"), ("2", "c", "0", "10mins", "1"),
      ("9", "d", "20", "10mins", "none"), ("4", "d", "20", "10mins", "Failed to obtain answer via API."), ("6", "e", "3", "10mins", "[4, 5]"),
      ("5", "e", "10", "10mins", "14.5"), ("8", "f", "7", "10mins", "<think>maybe 9</think> 7"), ("10", "f", "30", "10mins", "16.5"),
      ("0", "g", "9", "other_split", "9.0"), ("13", "g", "4", "other_split", "I count 2, then 3"),
    ]
    let table = ResultTable(
      columns: ["index", "video", "question", "answer", "question_type", "prediction"],
      rows: data.map { [$0.0, $0.1 + ".mp4", "q", $0.2, $0.3, $0.4] }, name: "M_VsiSuperCount_10mins_1fps")
    let rule = try #require(Registry.catalog.rule(forDataset: "VsiSuperCount_10mins_1fps"))
    let o = try rule.score(
      Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "VsiSuperCount_10mins_1fps", diag: Self.diag))
    // Long (`metric`, `value`), Python's float repr, no float_format.
    #expect(
      o.textFiles.map(\.suffix) == ["_extract_matching_acc.csv"]
        && o.textFiles.first?.text
          == "metric\tvalue\noverall\t65.41666666666667\n10mins_MRA:.5:.95:.05\t50.83333333333333\nother_split_MRA:.5:.95:.05\t80.0\n"
    )
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_extract_matching")
    #expect(sheet.columns == ["index", "question_type", "prediction", "pred_extracted", "answer", "MRA:.5:.95:.05", "video", "question"])
    #expect(sheet.numeric == [3, 5])
    let expected: [[String]] = [
      ["0", "other_split", "9.0", "9.0", "9", "1.0", "g.mp4", "q"], ["1", "10mins", "<answer>6</answer>", "6.0", "8", "0.6", "b.mp4", "q"],
      ["2", "10mins", "1", "1.0", "0", "0.0", "c.mp4", "q"], ["3", "10mins", "There are about 11 chairs.", "11.0", "12", "0.9", "a.mp4", "q"],
      ["4", "10mins", "Failed to obtain answer via API.", "", "20", "0.0", "d.mp4", "q"], ["5", "10mins", "14.5", "14.5", "10", "0.1", "e.mp4", "q"],
      ["6", "10mins", "[4, 5]", "4.0", "3", "0.4", "e.mp4", "q"], ["7", "10mins", "five", "5.0", "5", "1.0", "b.mp4", "q"],
      ["8", "10mins", "<think>maybe 9</think> 7", "7.0", "7", "1.0", "f.mp4", "q"], ["9", "10mins", "none", "", "20", "0.0", "d.mp4", "q"],
      ["10", "10mins", "16.5", "16.5", "30", "0.1", "f.mp4", "q"], ["11", "10mins", "0", "0.0", "0", "1.0", "c.mp4", "q"],
      ["13", "other_split", "I count 2, then 3", "3.0", "4", "0.6", "g.mp4", "q"], ["20", "10mins", "12", "12.0", "12", "1.0", "a.mp4", "q"],
    ]
    #expect(sheet.rows == expected)
    #expect(o.scoreColumn == "MRA:.5:.95:.05" && o.summary.rows.map(\.value) == [65.41666666666667, 50.83333333333333, 80.0])
  }

  /// `_aggregate` by hand: no rows gives overall 0 (VLMEvalKit's file); a row without a type is
  /// in no group (VLMEvalKit's `sorted()` of the types raises on its NaN: vtools leaves it out
  /// of the means, as the groupby before it does).
  @Test func countAggregationEdges() throws {
    let rule = VSISuperCountRule()
    let ctx = ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "VsiSuperCount_30mins_16frame", diag: Self.diag)
    let empty = ResultTable(columns: ["index", "answer", "question_type", "prediction"], rows: [], name: "M")
    #expect(rule.score(Rows(table: empty), ctx).textFiles.first?.text == "metric\tvalue\noverall\t0.0\n")
    let typeless = ResultTable(
      columns: ["index", "answer", "question_type", "prediction"], rows: [["0", "4", "a", "4"], ["1", "4", nil, "0"], ["2", "10", "a", "5"]],
      name: "M")
    // a: (1.0 + 0.1) / 2 (an error of 0.5 passes only the 0.5 threshold); the typeless row is
    // in the sheet only.
    let o = rule.score(Rows(table: typeless), ctx)
    #expect(o.textFiles.first?.text == "metric\tvalue\noverall\t55.00000000000001\na_MRA:.5:.95:.05\t55.00000000000001\n")
    #expect(o.sheets.first?.rows.count == 3)
  }
}
