import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// CG-AV-Counting. Every expected value comes from `Tests/Fixtures/vlmevalkit/cgav-counting.json`,
/// which `cgav_counting.py` printed by running VLMEvalKit's own `CGAVCounting.build_prompt`,
/// `frame_paths_clue`, `CGAVCounting/utils.py`'s `post_process` and `CGAVCounting.evaluate`
/// (with its own utils' `post_process`, which it means to import) at commit e8e78f05.
@Suite struct CGAVCountingTests {
  static let fixture = GoldenFixture("cgav-counting.json")
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  /// The record vframes gives a fixture row: its frames, indices, rate and size.
  static func record(_ c: JSONObject) -> JSONObject {
    var rec = JSONObject()
    for (k, v) in c["row"]?.objectValue?.pairs ?? [] { rec[k] = .string(v.scalarText ?? "") }
    let images = (c["messages"]?.arrayValue ?? []).compactMap(\.objectValue).filter { $0["type"] == .string("image") }.compactMap { $0["value"] }
    rec["frames"] = .array(images)
    rec["frame_indices"] = fixture["prompt_indices"] ?? .array([])
    let ref = rec["ref_video_path"]?.stringValue ?? ""
    rec["video_info"] = .object(
      JSONObject([
        ("avg_fps", fixture["prompt_fps"] ?? .null), ("width", .int(1280)), ("height", .int(720)),
        ("path", .string("/data/" + (ref.isEmpty ? rec["video"]?.stringValue ?? "" : ref))),
      ]))
    return rec
  }

  @Test func goldenPromptsEveryModeAndCategory() throws {
    let cases = Self.fixture["prompts"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(cases.count == 10)
    for c in cases {
      let llm = c["video_llm"] == .bool(true)
      let t = TemplateInput(record: Self.record(c), videoLLM: llm, datasetRoot: "/data", subtitles: false, strict: false, warn: { _ in })
      let got = JSONValue.array(try CGAVCountingPrompt().build(t).map(\.json))
      let row = c["row"]?.objectValue
      #expect(got == c["messages"], "\(row?["task_mode"] ?? .null) \(row?["category"] ?? .null) video_llm=\(llm)")
    }
  }

  @Test func unknownCategoryAndModeAreErrors() {
    for (mode, cat) in [("clue_acc", "sound"), ("other", "object")] {
      let rec = JSONObject([("task_mode", .string(mode)), ("category", .string(cat)), ("question", .string("q")), ("frames", .array([]))])
      let t = TemplateInput(record: rec, videoLLM: false, datasetRoot: "/data", subtitles: false, strict: false, warn: { _ in })
      #expect(throws: PromptError.self) { try CGAVCountingPrompt().build(t) }
    }
  }

  /// `frame_paths_clue`'s names (`frame-{t}.jpg`, `t` as Python's `str`), and the timestamps
  /// `build_prompt` collects from a clue answer.
  @Test func clueFrameNamesAndTimestamps() throws {
    let names = try #require(Self.fixture["clue_frame_names"]?.objectValue)
    #expect(names.count == 3)
    for (key, expected) in names.pairs {
      let values = try #require(try JSONParser.parse(Array(key.utf8)).arrayValue)
      let got = values.compactMap { v -> String? in
        guard case .number(let n) = v else { return nil }
        return FrameTimestamp(jsonNumber: n)?.fileName
      }
      #expect(.array(got.map { .string($0) }) == expected, "\(key)")
    }
    let rule = try #require(Registry.preset(named: "CG-AV-Counting_32frame")?.config.video.timestampFrames)
    let prompts = Self.fixture["prompts"]?.arrayValue?.compactMap { $0.objectValue?["row"]?.objectValue } ?? []
    var seen: [[String]] = []
    for row in prompts {
      var rec = JSONObject()
      for (k, v) in row.pairs { rec[k] = .string(v.scalarText ?? "") }
      guard rule.applies(to: rec) else { continue }
      let t = try rule.timestamps(rec).get()
      seen.append(t.map(\.name))
    }
    #expect(seen == [["3", "7.5", "12.25"], ["3", "7.5", "12.25"], ["2.0", "4", "9.125"], ["2.0", "4", "9.125"]])
    #expect(FrameIndexFormula.atTimestamps([3, 7.5, 12.25], avgFPS: 29.97) == [89, 224, 367])
    #expect(FrameIndexFormula.atTimestamps([0.5, 1, 1.24], avgFPS: 25) == [12, 25, 31])
    let bad = JSONObject([("task_mode", .string("clue_acc")), ("category", .string("object")), ("answer", .string("[{\"bbox\": [1]}]"))])
    #expect(throws: TimestampFrameError.self) { try rule.timestamps(bad).get() }
  }

  /// A fixture number as the metric cell Python produced: an int, or a float.
  static func cell(_ v: JSONValue?) -> MetricCell? {
    guard case .number(let n)? = v else { return nil }
    if n.contains(".") || n.contains("e") { return .float(Double(n)!) }
    return .int(Int(n)!)
  }

  @Test func postProcessVectors() throws {
    let vectors = Self.fixture["post_process"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(vectors.count > 150)
    for v in vectors {
      let response = v["response"]?.stringValue ?? "", answer = v["answer"]?.stringValue ?? ""
      let expected = try #require(v["result"]?.objectValue)
      let got: [String: MetricCell]
      if v["task_mode"] == .string("clue_acc") {
        got = CGAVCountingScorer.clue(
          response: response, clues: try JSONParser.parse(Array(answer.utf8)), category: v["category"]?.stringValue ?? "")
      } else {
        got = CGAVCountingScorer.count(response: response, answer: Double(answer)!)
      }
      #expect(Set(got.keys) == Set(expected.keys), "\(response)")
      for (k, e) in expected.pairs { #expect(got[k] == Self.cell(e), "\(k) of \(response) (answer \(answer))") }
    }
  }

  @Test func evaluateFilesEqualVLMEvalKits() throws {
    let e = try #require(Self.fixture["evaluate"]?.objectValue)
    let columns = (e["columns"]?.arrayValue ?? []).compactMap(\.stringValue)
    let rows = (e["rows"]?.arrayValue ?? []).map { r in (r.arrayValue ?? []).map { $0 == .null ? nil : $0.scalarText } }
    #expect(rows.count == 11)
    let table = Rows(table: ResultTable(columns: columns, rows: rows, name: "M_CG-AV-Counting_32frame"))
    let o = CGAVCountingScorer(rows: table).score(
      ScoreContext(strict: false, judged: nil, judgeName: "judge", dataset: "CG-AV-Counting_32frame", diag: Self.diag))
    #expect(o.csvFiles.map(\.suffix) == ["_score.csv"])
    #expect(o.csvFiles.first?.text == e["score_csv"]?.stringValue)
    #expect(JSONSerializer.pretty(try #require(o.rating)) == e["rating_json"]?.stringValue)
    #expect(o.scores.prefix(2) == ["-1.0", "-1.0"] && o.scores.dropFirst(2).allSatisfy { $0 == nil })
    #expect(o.badRows == 0)
    #expect(o.summary.notes.contains { $0.contains("imports CG-Bench's post_process") })
  }

  @Test func wordToNumberEdges() {
    #expect(WordToNumber.value("twenty-one") == 21)
    #expect(WordToNumber.value("3\n") == nil)
    #expect(WordToNumber.value("²") == nil)
    #expect(WordToNumber.value("٣") == 3)
    #expect(WordToNumber.value("thousand thousand") == nil)
  }
}
