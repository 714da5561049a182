import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// EgoExoBench: presets, media lists, sampling, prompts and score files. Every expected value
/// comes from `Tests/Fixtures/vlmevalkit/egoexobench.json`, printed by `egoexobench.py`, which
/// runs VLMEvalKit's own `EgoExoBench_MCQ` (`get_index`, `build_prompt`, `evaluate`) at commit
/// e8e78f05 on generated rows, with pandas 3.1.
@Suite struct EgoExoBenchTests {
  static let golden = GoldenFixture("egoexobench.json")

  static func ctx(strict: Bool = false) -> ScoreContext {
    ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: "EgoExoBench_64frame", diag: Diagnostics(tool: "vscore", verbosity: -1))
  }

  @Test func presetsAreVLMEvalKitsConfigs() throws {
    #expect(Benchmark.egoExoBench.configs.map(\.name) == ["EgoExoBench_64frame", "EgoExoBench_64frame_skip_EgoExo4D"])
    for name in ["EgoExoBench_64frame", "EgoExoBench_64frame_skip_EgoExo4D"] {
      let p = try #require(Registry.preset(named: name))
      #expect(p.config.dataset == "EgoExoBench_MCQ" && p.config.spec == .frames(64, sampler: .mvbench))
      #expect(p.config.video.mediaDicts == MediaDictRule(field: "medias", frameFolder: "processed_frames"))
      #expect(p.frameSettings.nativeSampler == .mvbench)
    }
    #expect(try #require(Registry.preset(named: "EgoExoBench_64frame")).config.rows == nil)
    #expect(
      try #require(Registry.preset(named: "EgoExoBench_64frame_skip_EgoExo4D")).config.rows == .excluding(column: "medias", containing: "EgoExo4D"))
  }

  /// `get_index(bound, fps, max_frame, first_idx=0, num_segments=nframes)`.
  @Test func samplingEqualsGetIndex() throws {
    let cases = try #require(Self.golden["get_index"]?.arrayValue)
    #expect(cases.count == 8)
    for c in cases.compactMap(\.objectValue) {
      let b = c["bound"]?.arrayValue?.compactMap(\.doubleValue)
      let bounds = b.map { ClipBounds(start: $0[0], end: $0[1]) }
      let got = FrameIndexFormula.mvbench(
        nframe: try #require(c["n"]?.intValue), fps: try #require(c["fps"]?.doubleValue), maxFrame: try #require(c["max_frame"]?.intValue),
        firstIndex: 0, bounds: bounds)
      #expect(got.map { JSONValue.int($0) } == c["indices"]?.arrayValue, "\(c)")
    }
  }

  @Test func mediaListsParse() throws {
    let prompts = try #require(Self.golden["prompts"]?.arrayValue?.compactMap { $0.objectValue })
    let medias = prompts.compactMap { $0["row"]?.objectValue?["medias"] }
    #expect(medias.count == 3)
    #expect(
      try ListedMedia.parse(medias[0]) == [
        .video(path: "LEMMA/a.mp4", nframes: 8, bounds: nil), .video(path: "EgoMe/b.mp4", nframes: 4, bounds: ClipBounds(start: 1.5, end: 3.25)),
        .video(path: "EgoExoLearn/c.mp4", nframes: 6, bounds: nil), .images(type: "image", paths: ["CVMHAT/data/s1/bbox/12_3.jpg"]),
      ])
    #expect(
      try ListedMedia.parse(medias[1]) == [
        .images(type: "frames", paths: ["TF2023/data/s1/f3.jpg", "TF2023/data/s1/f1.jpg", "TF2023/data/s1/f2.jpg"]),
        .video(path: "LEMMA/a.mp4", nframes: 3, bounds: ClipBounds(start: 0.5, end: 2)),
      ])
    // Nested literals: tuples, None, numbers, adjacent strings; JSON arrays as they are.
    #expect(
      try PythonLiteral.value("[{'a': (1, 2.50), \"b\": None, 'c': ['x' 'y', True]}]")
        == .array([
          .object(
            JSONObject([
              ("a", .array([.number("1"), .number("2.5")])), ("b", .null), ("c", .array([.string("xy"), .bool(true)])),
            ]))
        ]))
    #expect(throws: ListedMedia.ParseError.self) { try ListedMedia.parse(.string("[{'type': 'audio'}]")) }
    #expect(throws: ListedMedia.ParseError.self) { try ListedMedia.parse(.string("[{'type': 'video', 'video_path': 'a.mp4'}]")) }
    #expect(throws: ListedMedia.ParseError.self) { try ListedMedia.parse(.string("[{'type': 'video', 'video_path': 'a.mp4', 'nframes': 4")) }
  }

  /// The template on records whose `frames` and `frame_groups` are what VLMEvalKit's own
  /// `save_video_into_images` gave (paths relative to the video root).
  @Test func goldenPrompts() throws {
    let prompts = try #require(Self.golden["prompts"]?.arrayValue?.compactMap { $0.objectValue })
    for p in prompts {
      let row = try #require(p["row"]?.objectValue)
      let expected = (p["messages"]?.arrayValue ?? []).compactMap(\.objectValue).map {
        MessageItem(type: $0["type"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "", role: nil)
      }
      let media = try ListedMedia.parse(try #require(row["medias"]))
      let counts = media.map { m -> Int in
        switch m {
        case .video(_, let n, _): return n
        case .images(_, let paths): return paths.count
        }
      }
      var rec = row
      let images = expected.filter { $0.type == "image" }.map(\.value)
      rec["frames"] = .array(images.map { .string($0) })
      rec["frame_groups"] = .array(counts.map { .object(JSONObject([("frames", .int($0))])) })
      for videoLLM in [false, true] {
        let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/d", subtitles: false, strict: false, warn: { _ in })
        #expect(try EgoExoBenchPrompt().build(t) == expected)
      }
      // The skip variant leaves out exactly the rows VLMEvalKit's build_prompt returns None for.
      let skip = try #require(Registry.preset(named: "EgoExoBench_64frame_skip_EgoExo4D")?.config.rows)
      #expect(skip.keep([row["medias"]?.stringValue]) == [p["skipped_by_skip_variant"] != .bool(true)])
    }
    // One group short of the placeholders: VLMEvalKit's assertion.
    var rec = try #require(prompts[1]["row"]?.objectValue)
    rec["frames"] = .array([.string("a.jpg")])
    rec["frame_groups"] = .array([.object(JSONObject([("frames", .int(1))]))])
    let t = TemplateInput(record: rec, videoLLM: false, datasetRoot: "/d", subtitles: false, strict: false, warn: { _ in })
    #expect(throws: PromptError.self) { try EgoExoBenchPrompt().build(t) }
  }

  @Test func extractionEqualsVLMEvalKit() throws {
    let vectors = try #require(Self.golden["extract"]?.arrayValue?.compactMap { $0.arrayValue })
    #expect(vectors.count == 11)
    for v in vectors {
      #expect(Matching.extractCharacters(v[0].stringValue ?? "") == v[1].stringValue, "\(v)")
    }
  }

  static func table() throws -> Rows {
    let e = try #require(golden["evaluate"]?.objectValue)
    let t = try #require(e["table"]?.objectValue)
    let columns = ["index", "question", "options", "answer", "subtask_type", "prediction"]
    let cols = columns.map { c in (t[c]?.arrayValue ?? []).map { $0.scalarText } }
    let rows = (0..<cols[0].count).map { r in cols.map { $0[r] } }
    return Rows(table: ResultTable(columns: columns, rows: rows, name: "t"))
  }

  @Test func scoreFilesEqualVLMEvalKit() throws {
    let e = try #require(Self.golden["evaluate"]?.objectValue)
    let o = EgoExoBenchScorer(rows: try Self.table()).score(Self.ctx())
    #expect(JSONSerializer.pretty(try #require(o.rating)) == e["rating_json"]?.stringValue)
    #expect(o.csvFiles.map(\.suffix) == ["_score.csv"])
    #expect(o.csvFiles.first?.text == e["score_csv"]?.stringValue)
    #expect(o.scores == ["1", "1", "0", "1", "1", "1", "1", "0"])
    #expect(o.summary.notes.count == 1 && o.summary.notes[0].contains("1 failed answers scored as correct"))
    // --strict: the failed answer counts wrong.
    let strict = EgoExoBenchScorer(rows: try Self.table()).score(Self.ctx(strict: true))
    #expect(strict.scores[6] == "0")
  }

  /// A table whose indices are not positions (a `_skip_EgoExo4D` run): scored row by row, noted.
  @Test func indicesOtherThanPositionsAreScoredInPlace() throws {
    let t = Rows(
      table: ResultTable(
        columns: ["index", "question", "answer", "subtask_type", "prediction"],
        rows: [["0", "Q", "A", "x", "A"], ["5", "Q", "B", "y", "B"], ["6", "Q", "C", "y", "D"]], name: "t"))
    let o = EgoExoBenchScorer(rows: t).score(Self.ctx())
    #expect(o.scores == ["1", "1", "0"])
    #expect(
      o.rating
        == .object(
          JSONObject([
            ("x", .array([.int(1), .int(1), .string("100.00%")])), ("y", .array([.int(1), .int(2), .string("50.00%")])),
            ("overall", .array([.int(2), .int(3), .string("66.67%")])),
          ])))
    #expect(o.summary.notes.contains { $0.contains("2 rows have an index other than their position") })
  }
}
