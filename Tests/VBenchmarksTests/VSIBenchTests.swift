import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// VSI-Bench and VSI-Bench-Debiased against VLMEvalKit's own `VsiBench` (commit e8e78f05):
/// `Tests/Fixtures/easi/vsibench.json`, made by `Tests/Fixtures/easi/make-vsibench-fixtures.py`
/// (its `save_video_frames` indices and file names, `build_prompt` for every question type,
/// `evaluate`'s `_extract_matching.xlsx` cells and `_acc.csv` text on generated result tables).
@Suite struct VSIBenchTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static let fixture: JSONObject = {
    let path = FakeServer.repoRoot + "/Tests/Fixtures/easi/vsibench.json"
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "{}"
    return (try? JSONParser.parse(text).objectValue) ?? JSONObject()
  }()

  static func list(_ key: String) -> [JSONObject] { fixture[key]?.arrayValue?.compactMap(\.objectValue) ?? [] }

  @Test func fixtureIsThere() {
    #expect(Self.list("sampling").count == 14)
    #expect(Self.list("prompts").count == 10)
    #expect(Self.list("scoring").count == 3)
  }

  @Test func presetsAreVLMEvalKitsConfigs() throws {
    var names: [String] = []
    for subset in ["VSI-Bench", "VSI-Bench-Debiased"] {
      for (suffix, spec) in [
        ("128frame", SamplingSpec(sampler: .uniformTail, nframe: 128)), ("64frame", SamplingSpec(sampler: .uniformTail, nframe: 64)),
        ("32frame", SamplingSpec(sampler: .uniformTail, nframe: 32)), ("16frame", SamplingSpec(sampler: .uniformTail, nframe: 16)),
        ("2fps", SamplingSpec(sampler: .uniformTail, fps: 2)), ("1fps", SamplingSpec(sampler: .uniformTail, fps: 1)),
      ] {
        let p = try #require(Registry.preset(named: "\(subset)_\(suffix)"))
        #expect(p.config.dataset == subset && p.config.spec == spec && p.frameSettings.nativeSampler == .uniformTail)
        #expect(p.config.video == VideoRule(field: "video") && p.prompt.name == "vsi-bench")
        names.append(p.name)
      }
    }
    #expect(Benchmark.vsiBench.configs.map(\.name) == names)
    #expect(Registry.benchmark(forDataset: "VSI-Bench-Debiased")?.name == "VSI-Bench")
  }

  @Test func samplingIsVLMEvalKits() throws {
    for c in Self.list("sampling") {
      let len = try #require(c["frame_count"]?.intValue)
      let rate = try #require(c["avg_fps"]?.doubleValue)
      let nframe = c["nframe"]?.intValue ?? 0
      let fps = c["fps"]?.doubleValue ?? 0
      let got = FrameIndexFormula.uniformTail(frameCount: len, avgFPS: rate, nframe: nframe, fps: fps)
      guard let want = c["indices"]?.arrayValue?.compactMap(\.intValue) else {
        // VLMEvalKit raises (IndexError: no fps index); vtools takes the last frame alone.
        #expect(c["error"] == .string("IndexError") && got == [len - 1], "\(c)")
        continue
      }
      #expect(got == want, "\(c)")
      #expect(c["decoded"]?.arrayValue?.compactMap(\.intValue) == want)
      // The names: nframe-mode `frame-i-of-n.jpg`, fps-mode `frame-i-of-{N+1}-{fps}fps.jpg`.
      let spec = SamplingSpec(sampler: .uniformTail, nframe: nframe, fps: fps)
      let names = (1...want.count).map {
        spec.isPerSecond ? "frame-\($0)-of-\(want.count)-\(spec.fpsText)fps.jpg" : "frame-\($0)-of-\(want.count).jpg"
      }
      let frames = c["frames"]?.arrayValue?.compactMap(\.stringValue) ?? []
      #expect(frames.map { String($0.split(separator: "/").last ?? "") } == names)
      #expect(frames.allSatisfy { $0.hasPrefix("VSI-Bench/scene/v") })
    }
  }

  static func items(_ v: JSONValue?) -> [MessageItem] {
    (v?.arrayValue ?? []).compactMap(\.objectValue).map {
      MessageItem(type: $0["type"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "", role: nil)
    }
  }

  @Test func goldenPromptsAreVLMEvalKits() throws {
    for p in Self.list("prompts") {
      var rec = try #require(p["row"]?.objectValue)
      let want = Self.items(p["messages"])
      // VLMEvalKit's frame paths (relative to its LMUData root) as vframes' record carries them.
      rec["frames"] = .array(want.filter { $0.type == "image" }.map { .string("/lmu/" + $0.value) })
      rec["video_info"] = .object(JSONObject([("path", .string("/data/vsi/arkitscenes/41069025.mp4"))]))
      let input = TemplateInput(record: rec, videoLLM: false, datasetRoot: "/data/vsi", subtitles: false, strict: false, warn: { _ in })
      let expected = want.map { $0.type == "image" ? MessageItem.image("/lmu/" + $0.value) : $0 }
      #expect(try VSIBenchPrompt().build(input) == expected, "\(rec["question_type"] ?? .null)")
      var video = input
      video.videoLLM = true
      #expect(try VSIBenchPrompt().build(video) == Self.items(p["video_llm"]))
    }
    var odd = JSONObject([("question", .string("q")), ("question_type", .string("room_size")), ("frames", .array([]))])
    #expect(throws: PromptError.self) {
      try VSIBenchPrompt().build(TemplateInput(record: odd, videoLLM: false, datasetRoot: ".", subtitles: false, strict: false, warn: { _ in }))
    }
    odd["question_type"] = .string("route_planning")
    #expect(throws: PromptError.self) {
      try VSIBenchPrompt().build(TemplateInput(record: odd, videoLLM: false, datasetRoot: ".", subtitles: false, strict: false, warn: { _ in }))
    }
  }

  /// `evaluate` on three result tables (all types; Debiased without the medium direction type;
  /// numeric types only): `_acc.csv` byte for byte, the xlsx cell for cell (text, number, blank).
  @Test func scoreFilesEqualVLMEvalKits() throws {
    for c in Self.list("scoring") {
      let config = try #require(c["config"]?.stringValue)
      let columns = c["columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
      let rows = (c["rows"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).map(\.stringValue) }
      let table = ResultTable(columns: columns, rows: rows, name: "M_\(config)")
      let rule = try #require(Registry.catalog.rule(forDataset: config))
      let o = try rule.score(Rows(table: table), ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: config, diag: Self.diag))
      #expect(o.badRows == 0)
      let acc = try #require(o.textFiles.first)
      #expect(acc.suffix == "_extract_matching_acc.csv")
      #expect(acc.text == c["acc_csv"]?.stringValue, "\(config)")
      let sheet = try #require(o.sheets.first)
      #expect(sheet.suffix == "_extract_matching")
      #expect(o.sheetNames[sheet.suffix] == c["sheet_name"]?.stringValue, "\(config)")
      #expect(sheet.columns == c["sheet_header"]?.arrayValue?.compactMap(\.stringValue), "\(config)")
      let want = c["sheet_rows"]?.arrayValue?.map { $0.arrayValue ?? [] } ?? []
      #expect(sheet.rows.count == want.count)
      for (r, (got, expected)) in zip(sheet.rows, want).enumerated() {
        for (k, (cell, e)) in zip(got, expected).enumerated() {
          let where_ = "\(config) row \(r) \(sheet.columns[k])"
          guard let pair = e.arrayValue, let kind = pair.first?.stringValue, let value = pair.last?.stringValue else {
            #expect(cell.isEmpty, "\(where_): \(cell) for a blank")
            continue
          }
          switch kind {
          case "number":
            #expect(sheet.numeric.contains(k) && Double(cell) == Double(value), "\(where_): \(cell) for the number \(value)")
          case "bool": #expect(cell == value, "\(where_)")
          default: #expect(cell == value && (!sheet.numeric.contains(k) || Double(cell) == nil), "\(where_): \(cell) for the text \(value)")
          }
        }
      }
      // The table on stdout: overall first, as VLMEvalKit's summary.
      let overall = try #require(c["summary"]?.objectValue?["overall"]?.stringValue)
      #expect(o.summary.rows.first.flatMap(\.value).map(Num.repr) == overall)
    }
  }

  @Test func aggregationByHand() {
    // Debiased-like: easy 1.0 and hard 0.0 count apart (no medium), with counting 0.5:
    // (1 + 0 + 0.5) / 3; neither direction type is reported.
    let means: [(key: String, mean: Double, count: Int)] = [
      ("object_rel_direction_easy_accuracy", 1, 2), ("object_rel_direction_hard_accuracy", 0, 1), ("object_counting_MRA:.5:.95:.05", 0.5, 4),
    ]
    let a = VSIBenchScorer.aggregate(means)
    #expect(a.metrics.map(\.0) == ["overall", "object_counting_MRA:.5:.95:.05"])
    #expect(a.metrics[0].1 == 1.5 / 3 * 100)
    // All three: averaged into one, appended last, the overall over (counting, direction).
    let all = VSIBenchScorer.aggregate(means + [("object_rel_direction_medium_accuracy", 0.5, 2)])
    #expect(all.averaged == ["object_counting_MRA:.5:.95:.05", "object_rel_direction_accuracy"])
    #expect(all.metrics.map(\.0) == ["overall", "object_counting_MRA:.5:.95:.05", "object_rel_direction_accuracy"])
    #expect(all.metrics[2].1 == (1.0 + 0.5 + 0.0) / 3.0 * 100)
    #expect(all.metrics[0].1 == (0.5 + 0.5) / 2 * 100)
    #expect(VSIBenchScorer.aggregate([]).metrics.map(\.1) == [0])
  }

  @Test func unknownTypesAreLeftOutAndReported() throws {
    let table = ResultTable(
      columns: ["index", "question_type", "answer", "prediction"],
      rows: [["0", "object_counting", "3", "3"], ["1", "mystery", "A", "A"], ["2", "route_planning", "B", "B"]], name: "M_VSI-Bench_1fps")
    let o = VSIBenchScorer(rows: Rows(table: table)).score(
      ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "VSI-Bench_1fps", diag: Self.diag))
    #expect(o.badRows == 1)
    #expect(o.scores == ["1", nil, "1"])
    #expect(o.textFiles.first?.text == "overall\tobject_counting_MRA:.5:.95:.05\troute_planning_accuracy\n100.0\t100.0\t100.0\n")
    #expect(o.summary.notes.contains { $0.contains("mystery") })
  }
}
