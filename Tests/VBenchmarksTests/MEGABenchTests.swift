import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// MEGA-Bench. Every expected value comes from `Tests/Fixtures/vlmevalkit/megabench.json`,
/// printed by `megabench.py` from VLMEvalKit's own `MEGABench._set_sampling_config`,
/// `build_prompt` (with its `_process_video` on a stand-in capture), parsers, metric classes and
/// `MEGABenchEvaluator.evaluate` at commit e8e78f05.
@Suite struct MEGABenchTests {
  static let fixture = GoldenFixture("megabench.json")

  @Test func frameGapIndicesAreVLMEvalKits() throws {
    let cases = Self.fixture["sampling"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(cases.count == 12)
    for c in cases {
      let n = c["count"]?.intValue ?? -1, fps = c["fps"]?.doubleValue ?? -1, k = c["nframe"]?.intValue ?? -1
      let want = c["indices"]?.arrayValue?.compactMap(\.intValue) ?? []
      #expect(FrameIndexFormula.frameGap(frameCount: n, fps: fps, nframe: k) == want, "count \(n) fps \(fps) n \(k)")
    }
  }

  @Test func budgetsAreVLMEvalKits() {
    let cases = Self.fixture["budgets"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(cases.count == 12)
    for c in cases {
      let got = MediaListRule.budgets(
        maxFrames: c["nframe"]?.intValue ?? -1, demoVideos: c["demo_videos"]?.intValue ?? -1, queryVideos: c["query_videos"]?.intValue ?? -1)
      if c["error"] != nil {
        #expect(got == nil)
      } else {
        #expect(got?.demo == c["demo"]?.intValue && got?.query == c["query"]?.intValue, "\(c)")
      }
    }
  }

  @Test func mediaKinds() {
    #expect(MediaListRule.isVideo("/a/b.MP4") && MediaListRule.isVideo("x.webm") && !MediaListRule.isVideo("x.gif"))
    #expect(!MediaListRule.isVideo("/a.mp4/b") && !MediaListRule.isVideo(".mp4"))
    #expect(MediaListRule.list("['/a.jpg', '/b.mp4']") == ["/a.jpg", "/b.mp4"])
    #expect(MediaListRule.list("[]") == nil && MediaListRule.list("not a list") == nil)
  }

  /// The record vframes writes for a prompt row: each listed video's frames (the names
  /// VLMEvalKit's frames get) and its group, in column order.
  static func record(_ row: JSONObject, nframe: Int) -> JSONObject {
    var rec = row
    var videos: [(String, Bool)] = []
    for c in MEGABenchPrompt.columns {
      for m in MediaListRule.list(row[c.media]?.stringValue) ?? [] where MediaListRule.isVideo(m) { videos.append((m, c.demo)) }
    }
    let demo = videos.filter(\.1).count
    let b = MediaListRule.budgets(maxFrames: nframe, demoVideos: demo, queryVideos: videos.count - demo)!
    var frames: [JSONValue] = []
    var groups: [JSONValue] = []
    for (v, isDemo) in videos {
      let n = isDemo ? b.demo : b.query
      // The fixture's videos: 40 frames at 30 fps.
      let idx = FrameIndexFormula.frameGap(frameCount: 40, fps: 30, nframe: n)
      let stem = FrameLock.splitextRoot(v)
      frames += idx.indices.map { k in
        .string(stem + "_num_frames_\(n)_frame_" + String(repeating: "0", count: 4 - String(k).count) + String(k) + ".jpg")
      }
      groups.append(
        .object(JSONObject([("video", .string(v)), ("frames", .int(idx.count)), ("video_info", .object(JSONObject([("path", .string(v))])))])))
    }
    rec["frames"] = .array(frames)
    rec["frame_groups"] = .array(groups)
    return rec
  }

  @Test func goldenPrompts() throws {
    let rows = Self.fixture["prompt_rows"]?.objectValue ?? JSONObject()
    #expect(rows.count == 4)
    for (name, value) in rows.pairs {
      var row = JSONObject()
      for (k, v) in value.objectValue?.pairs ?? [] where v != .null { row[k] = v }
      for n in [16, 64] {
        for videoLLM in [false, true] {
          let key = "\(name)_\(n)" + (videoLLM ? "_videollm" : "")
          let t = TemplateInput(
            record: videoLLM ? row : Self.record(row, nframe: n), videoLLM: videoLLM, datasetRoot: "/m/MEGABench", subtitles: false, strict: false,
            warn: { _ in })
          let got = try MEGABenchPrompt().build(t)
          let want = GoldenFixture.items(Self.fixture["prompts"]?.objectValue?[key])
          #expect(!want.isEmpty && got == want, "\(key)")
        }
      }
    }
  }

  @Test func answerParserIsVLMEvalKits() {
    let cases = Self.fixture["answer_parse"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(cases.count == 40)
    for c in cases {
      let r = c["response"]?.stringValue ?? "", single = c["single_line"] == .bool(true)
      #expect(MEGAParser.answerString.answer(r, singleLine: single) == c["parsed"]?.stringValue, "\(r) \(single)")
    }
  }

  static func pyObj(_ v: JSONValue?) -> PyObj? {
    guard let o = v?.objectValue, let t = o["t"]?.stringValue else { return nil }
    let x = o["v"]
    switch t {
    case "none": return PyObj.none
    case "bool": return x.map { PyObj.bool($0 == .bool(true)) }
    case "int": return x?.intValue.map { PyObj.int($0) }
    case "float": return x?.doubleValue.map { PyObj.float($0) }
    case "str": return x?.stringValue.map { PyObj.str($0) }
    case "list": return .list((x?.arrayValue ?? []).compactMap { pyObj($0) })
    case "tuple": return .tuple((x?.arrayValue ?? []).compactMap { pyObj($0) })
    case "dict":
      return .dict(
        (x?.arrayValue ?? []).compactMap { p -> (PyObj, PyObj)? in
          guard let a = p.arrayValue, a.count == 2, let k = pyObj(a[0]), let v = pyObj(a[1]) else { return nil }
          return (k, v)
        })
    default: return nil
    }
  }

  @Test func jsonParserIsVLMEvalKits() {
    let cases = Self.fixture["json_parse"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(cases.count == 8)
    for c in cases {
      var got = MEGAParse.parseJSON(c["response"]?.stringValue ?? "")
      if case .dict(let d) = got { got = .dict(d.map { ($0.0, MEGAParse.evaluateAsString($0.1)) }) }
      #expect(got == Self.pyObj(c["parsed"]), "\(c["response"]?.stringValue ?? "")")
    }
  }

  @Test func metricsAreVLMEvalKits() {
    let cases = Self.fixture["metrics"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(cases.count > 70)
    var names = Set<String>()
    for c in cases {
      let name = c["metric"]?.stringValue ?? ""
      names.insert(name)
      guard let metric = MEGAMetric(rawValue: name), let response = Self.pyObj(c["response"]) else {
        Issue.record("unknown metric or response in \(c)")
        continue
      }
      let target = MEGAParse.evaluateAsString(.str(c["target"]?.stringValue ?? ""))
      let got = try? metric.match(response, target)
      if c["raises"] != nil {
        #expect(got == nil, "\(name) \(response.repr) \(target.repr) should fail as VLMEvalKit raises")
      } else {
        let want = c["score"]?.doubleValue ?? -99
        #expect(got.map { abs($0 - want) < 1e-12 } == true, "\(name) \(response.repr) \(target.repr): \(String(describing: got)) vs \(want)")
      }
    }
    #expect(names == Set(MEGAMetric.allCases.map(\.rawValue)))
  }

  /// The evaluator's per-task and overall scores on the rule tasks, plus a judge task and one
  /// with a metric vtools lacks: those two are listed as not scored and the means are
  /// VLMEvalKit's over the others.
  @Test func evaluatorMeansAreVLMEvalKits() throws {
    let ev = Self.fixture["evaluator"]?.objectValue ?? JSONObject()
    var rows = (ev["rows"]?.arrayValue ?? []).compactMap(\.objectValue)
    #expect(rows.count == 13)
    let judge =
      "{'field_score_function': {'answer': 'gpt_4o_as_judge'}, 'aggregation': {'function': 'mean', 'field_weights': {'answer': 1}}, 'response_parse_function': 'dummy'}"
    let bleu =
      "{'field_score_function': {'answer': 'bleu'}, 'aggregation': {'function': 'mean', 'field_weights': {'answer': 1}}, 'response_parse_function': 'answer_string'}"
    rows.append(
      JSONObject([
        ("index", .int(100)), ("task_name", .string("open_story")), ("answer", .string(#"{"answer": "x"}"#)), ("metric_info", .string(judge)),
        ("eval_context", .string("{}")), ("prediction", .string("a story")),
      ]))
    rows.append(
      JSONObject([
        ("index", .int(101)), ("task_name", .string("translation")), ("answer", .string(#"{"answer": "x"}"#)), ("metric_info", .string(bleu)),
        ("eval_context", .string("{}")), ("prediction", .string("x")),
      ]))
    let columns = ["index", "task_name", "answer", "metric_info", "eval_context", "prediction"]
    let table = ResultTable(columns: columns, rows: rows.map { r in columns.map { r[$0]?.scalarText } }, name: "t.xlsx")
    let ctx = ScoreContext(
      strict: false, judged: nil, judgeName: "", dataset: "MEGABench_core_16frame", diag: Diagnostics(tool: "vscore", verbosity: -1))
    let o = MEGABenchScorer(rows: Rows(table: table)).score(ctx)
    let want = ev["summary"]?.objectValue ?? JSONObject()
    let head = o.summary.rows
    #expect(abs((head[0].value ?? 0) / 100 - (want["macro_mean_score"]?.doubleValue ?? -1)) < 1e-12)
    #expect(abs((head[1].value ?? 0) / 100 - (want["micro_mean_score"]?.doubleValue ?? -1)) < 1e-12)
    #expect(head[2].value == 2 && head[2].total == 2)
    #expect(o.summary.notes.contains { $0.contains("open_story") && $0.contains("VLM judge") })
    #expect(o.summary.notes.contains { $0.contains("translation") && $0.contains("not implemented") })
    for t in (ev["tasks"]?.arrayValue ?? []).compactMap(\.objectValue) {
      let row = head.first { $0.name == t["task_name"]?.stringValue }
      #expect(row.map { abs(($0.value ?? 0) / 100 - (t["mean_task_score"]?.doubleValue ?? -1)) < 1e-12 } == true)
    }
    #expect(o.scores.suffix(2) == [nil, nil])
  }
}

extension GoldenFixture {
  static func items(_ v: JSONValue?) -> [MessageItem] {
    (v?.arrayValue ?? []).compactMap(\.objectValue).map {
      MessageItem(type: $0["type"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "", role: $0["role"]?.stringValue)
    }
  }
}
