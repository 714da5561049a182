import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// CG-Bench MCQ/grounding (VLMEvalKit `cgbench.py`, `utils/cgbench.py`). The expected prompts,
/// clue samples, reply scores, score file and rating are in `Tests/Fixtures/vlmevalkit/cgbench.json`,
/// printed by `cgbench_golden.py` beside it from VLMEvalKit's own code (commit e8e78f05).
@Suite struct CGBenchTests {
  static let golden = GoldenFixture("cgbench.json")

  @Test func configsAreVideoDatasetConfigs() throws {
    let b = Benchmark.cgBenchMCQ
    #expect(
      b.configs.map(\.name) == [
        "CGBench_MCQ_Grounding_Mini_8frame_subs_subt", "CGBench_MCQ_Grounding_32frame_subs", "CGBench_MCQ_Grounding_16frame_subs_subt_ft",
      ])
    #expect(b.configs.map(\.dataset) == ["CG-Bench_MCQ_Grounding_Mini", "CG-Bench_MCQ_Grounding", "CG-Bench_MCQ_Grounding"])
    #expect(b.configs.map { $0.spec.nframe } == [8, 32, 16])
    #expect(b.configs.allSatisfy { $0.subtitles && $0.video.keyField == "video_uid" && $0.video.clue?.maxFrames == 32 })
    #expect(b.configs.map { $0.prompt?.name } == ["cgbench-mcq-subt", "cgbench-mcq", "cgbench-mcq-subt-ft"])
    #expect(Registry.datasetName(fromFileStem: "M_CGBench_MCQ_Grounding_32frame_subs") == "CGBench_MCQ_Grounding_32frame_subs")
  }

  /// `merge_intervals` and `sample_frames_clue_average`.
  @Test func clueSamplerIsSampleFramesClueAverage() throws {
    let cases = try #require(Self.golden["clue"]?.arrayValue).compactMap { $0.objectValue }
    #expect(cases.count == 6)
    for c in cases {
      let ivs = try #require(c["intervals"]?.arrayValue).map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] }
      let merged = FrameIndexFormula.mergeIntervals(ivs)
      #expect(merged == c["merged"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] })
      let got = FrameIndexFormula.clueAverage(merged, nframe: c["nframe"]?.intValue ?? 0, fps: c["fps"]?.doubleValue ?? 0)
      #expect(got == c["indices"]?.arrayValue?.compactMap(\.intValue), "\(c)")
    }
    // fps mode: per interval at the rate, else 32 clue-average frames.
    #expect(FrameIndexFormula.clueFPS([[1, 2]], avgFPS: 30, fps: 1) == FrameIndexFormula.clueAverage([[1, 2]], nframe: 32, fps: 30))
    #expect(FrameIndexFormula.clueFPS([[0, 40]], avgFPS: 10, fps: 1) == Array(stride(from: 0, to: 400, by: 10)))
    #expect((try? ClueRule.intervals(.string("[[1, 2.5], [3, 4]]")).get()) == [[1, 2.5], [3, 4]])
    if case .success = ClueRule.intervals(.string("[[1, 2, 3]]")) { Issue.record("a three-number interval is not an interval") }
  }

  /// `build_prompt` of the three configs, frames and video LLM, each task mode: the record is what
  /// vframes gives (the base rule, or the clue sampler for clue_acc rows), the subtitles a file.
  @Test func promptsAreBuildPrompt() throws {
    let d = TempDir()
    d.write("data/cg_subtitles/v1.srt", Self.golden["srt"]?.stringValue ?? "")
    let rows = try #require(Self.golden["rows"]?.arrayValue).compactMap { $0.objectValue }
    let videos = try #require(Self.golden["videos"]?.objectValue)
    let prompts = try #require(Self.golden["prompts"]?.objectValue)
    #expect(prompts.count == 24)
    for (key, expected) in prompts.pairs {
      let parts = key.split(separator: "|").map(String.init)
      let preset = try #require(Registry.preset(named: parts[0]))
      let row = try #require(rows.first { $0["index"]?.intValue == Int(parts[1]) })
      let llm = parts[2] == "1"
      var o = JSONObject()
      for (k, v) in row.pairs { o[k] = v == .null ? .string("") : .string(v.scalarText ?? "") }
      let uid = o["video_uid"]?.stringValue ?? ""
      let video = try #require(videos[uid + ".mp4"]?.arrayValue)
      let (n, fps) = (video[0].intValue ?? 0, video[1].doubleValue ?? 0)
      let indices: [Int]
      let folder: String
      if o["task_mode"]?.stringValue == "clue_acc" {
        let ivs = try ClueRule.intervals(o["clue_intervals"]!).get()
        indices = FrameIndexFormula.clueAverage(FrameIndexFormula.mergeIntervals(ivs), nframe: min(preset.config.spec.nframe, 32), fps: fps)
        folder = "clue_images/\(preset.config.dataset)/\(o["qid"]?.stringValue ?? "")"
      } else {
        indices = FrameIndexFormula.uniform(frameCount: n, nframe: preset.config.spec.nframe)
        folder = "images/\(preset.config.dataset)/\(uid)"
      }
      o["frames"] = .array((1...indices.count).map { .string(d.file("\(folder)/frame-\($0)-of-\(indices.count).jpg")) })
      o["frame_indices"] = .array(indices.map { .int($0) })
      o["video_info"] = .object(
        JSONObject([("n_frames", .int(n)), ("avg_fps", .double(fps)), ("path", .string(d.file("data/" + (o["video"]?.stringValue ?? ""))))]))
      let input = TemplateInput(
        record: o, videoLLM: llm, datasetRoot: d.file("data"), subtitles: preset.config.subtitles, strict: false, warn: { _ in })
      let got = try preset.prompt.build(input).map { MessageItem(type: $0.type, value: $0.value.replacingOccurrences(of: d.path + "/", with: "")) }
      let want = (expected.arrayValue ?? []).compactMap(\.objectValue).map {
        MessageItem(type: $0["type"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "")
      }
      #expect(got == want, "\(key)")
    }
  }

  /// `post_process` on canned replies: the JSON answer, the bare-word quoting, the letter and
  /// number fallbacks, the ×duration rule and the interval-union IoU.
  @Test func repliesScoreAsPostProcess() throws {
    let cases = try #require(Self.golden["post_process"]?.arrayValue).compactMap { $0.objectValue }
    #expect(cases.count == 24)
    for c in cases {
      let got = try CGBenchParse.score(
        response: c["response"]?.stringValue, answer: c["answer"]?.stringValue, mode: c["mode"]?.stringValue ?? "",
        duration: c["duration"]?.doubleValue ?? 0)
      #expect(got == c["score"]?.doubleValue, "\(c)")
    }
  }

  /// `evaluate` on the generated table: the score file's row order and scores, and the rating
  /// file byte for byte.
  @Test func evaluateIsVLMEvalKits() throws {
    let ev = try #require(Self.golden["evaluate"]?.objectValue)
    let table = try #require(ev["table"]?.arrayValue).compactMap { $0.objectValue }
    let columns = try #require(table.first).pairs.map { $0.key }
    let rows = Rows(
      table: ResultTable(
        columns: columns, rows: table.map { r in columns.map { r[$0] == .null ? nil : r[$0]?.scalarText } },
        name: "M_CGBench_MCQ_Grounding_32frame_subs"))
    let ctx = ScoreContext(
      strict: false, judged: nil, judgeName: "judge", dataset: "CGBench_MCQ_Grounding_32frame_subs", diag: Diagnostics(tool: "vscore", verbosity: -1))
    let out = CGBenchMCQRule().score(rows, ctx)
    let scored = try #require(out.table)
    let at = try #require(scored.columns.firstIndex(of: "index"))
    #expect(scored.rows.map { $0[at] } == ev["score_index"]?.arrayValue?.map { $0.scalarText })
    // The score file holds 16 significant digits, as xlsxwriter (and libxlsxwriter) write a number.
    #expect(out.scores.map { Double($0 ?? "").flatMap { Double(String(format: "%.16g", $0)) } } == ev["score"]?.arrayValue?.map(\.doubleValue))
    #expect(JSONSerializer.pretty(try #require(out.rating)) == ev["rating_text"]?.stringValue)
  }
}

/// CG-Bench open-ended: the prompt, and both judge rounds against VLMEvalKit's `evaluate` with a
/// canned judge (`cgbench.json`'s `oe_*`).
@Suite struct CGBenchOpenEndedTests {
  static let golden = CGBenchTests.golden

  @Test func configsAreVideoDatasetConfigs() {
    let b = Benchmark.cgBenchOpenEnded
    #expect(
      b.configs.map(\.name) == ["CGBench_OpenEnded_Mini_8frame_subs_subt_ft", "CGBench_OpenEnded_8frame", "CGBench_OpenEnded_16frame_subs_subt_ft"])
    #expect(b.configs.map(\.dataset) == ["CG-Bench_OpenEnded_Mini", "CG-Bench_OpenEnded", "CG-Bench_OpenEnded"])
    #expect(b.configs.map(\.subtitles) == [true, false, true])
    #expect(b.configs.allSatisfy { $0.judgeFrames?.spec.nframe == 32 && $0.judgeFrames?.video.clue?.modeField == nil })
    let p = Registry.preset(named: "CGBench_OpenEnded_8frame")
    #expect(
      p?.judgeFrameSettings?.video.clue?.keyField == "qid" && Registry.preset(named: "CGBench_MCQ_Grounding_32frame_subs")?.judgeFrameSettings == nil)
  }

  @Test func promptsAreBuildPrompt() throws {
    let d = TempDir()
    d.write("data/cg_subtitles/v1.srt", Self.golden["srt"]?.stringValue ?? "")
    let row = try #require(Self.golden["oe_row"]?.objectValue)
    let prompts = try #require(Self.golden["oe_prompts"]?.objectValue)
    #expect(prompts.count == 6)
    for (key, expected) in prompts.pairs {
      let parts = key.split(separator: "|").map(String.init)
      let preset = try #require(Registry.preset(named: parts[0]))
      var o = JSONObject()
      for (k, v) in row.pairs { o[k] = .string(v.scalarText ?? "") }
      let indices = FrameIndexFormula.uniform(frameCount: 900, nframe: preset.config.spec.nframe)
      o["frames"] = .array((1...indices.count).map { .string(d.file("images/\(preset.config.dataset)/v1/frame-\($0)-of-\(indices.count).jpg")) })
      o["frame_indices"] = .array(indices.map { .int($0) })
      o["video_info"] = .object(
        JSONObject([("n_frames", .int(900)), ("avg_fps", .double(30)), ("path", .string(d.file("data/cg_videos_720p/v1.mp4")))]))
      let input = TemplateInput(
        record: o, videoLLM: parts[1] == "1", datasetRoot: d.file("data"), subtitles: preset.config.subtitles, strict: false, warn: { _ in })
      let got = try preset.prompt.build(input).map { MessageItem(type: $0.type, value: $0.value.replacingOccurrences(of: d.path + "/", with: "")) }
      let want = (expected.arrayValue ?? []).compactMap(\.objectValue).map {
        MessageItem(type: $0["type"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "")
      }
      #expect(got == want, "\(key)")
    }
  }

  /// Both rounds: every judge call VLMEvalKit makes is a record of vtools' (same system prompt,
  /// text and, in round 2, the text then the 32-frame clue sample's files); the canned replies
  /// give the score file (its row order, added columns, scores) and the rating byte for byte.
  @Test func judgeRoundsAreEvaluate() throws {
    let ev = try #require(Self.golden["oe_evaluate"]?.objectValue)
    let table = try #require(ev["table"]?.arrayValue).compactMap { $0.objectValue }
    var columns = try #require(table.first).pairs.map { $0.key }
    columns.append("judge_frames")
    let cells: [[String?]] = table.map { r in
      // The frames `vframes --judge-frames` writes: 32 clue-average frames of each row's intervals.
      let ivs = (try? ClueRule.intervals(r["clue_intervals"] ?? .null).get()) ?? []
      let k = FrameIndexFormula.clueAverage(FrameIndexFormula.mergeIntervals(ivs), nframe: 32, fps: 25).count
      let qid = r["qid"]?.scalarText ?? ""
      let frames = JSONValue.array((1...k).map { .string("clue_images/CG-Bench_OpenEnded/\(qid)/frame-\($0)-of-\(k).jpg") })
      return columns.dropLast().map { r[$0] == .null ? nil : r[$0]?.scalarText } + [JSONSerializer.serialize(frames)]
    }
    let rows = Rows(table: ResultTable(columns: columns, rows: cells, name: "M_CGBench_OpenEnded_8frame"))
    let calls = try #require(ev["calls"]?.arrayValue).compactMap { $0.objectValue }
    let rule = CGBenchOpenRule()
    guard case .prompts(let one) = rule.judgePrompts(rows, strict: false) else {
      Issue.record("no judge")
      return
    }
    var replies = JudgeReplies()
    for r in ev["replies"]?.arrayValue?.compactMap(\.objectValue) ?? [] {
      let id = r["index"]?.scalarText ?? ""
      if let t = r["step1"]?.stringValue { replies[id] = JudgeReply(text: t, failed: t == FailMarker.message) }
      if let t = r["step2"]?.stringValue { replies["r2:" + id] = JudgeReply(text: t, failed: false) }
    }
    let two = rule.judgePrompts(rows, strict: false, round: 2, replies: replies)
    #expect(rule.judgePrompts(rows, strict: false, round: 3, replies: replies).isEmpty)
    #expect(one.count + two.count == calls.count)
    func asCall(_ p: JudgePrompt) -> JSONObject {
      let items = p.record["messages"]?.arrayValue?.compactMap { $0.objectValue?["value"] } ?? []
      return JSONObject([("system", .string(p.system ?? "")), ("message", p.round == 1 ? items[0] : .array(items))])
    }
    #expect((one + two).map(asCall) == calls)
    #expect(two.allSatisfy { $0.record["messages"]?.arrayValue?.first?.objectValue?["type"] == .string("text") })

    let ctx = ScoreContext(
      strict: false, judged: replies, judgeName: "gpt-4o-0806", dataset: "CGBench_OpenEnded_8frame", diag: Diagnostics(tool: "vscore", verbosity: -1))
    let out = try rule.score(rows, ctx)
    let scored = try #require(out.table)
    #expect(scored.columns.filter { $0 != "judge_frames" } == ev["score_columns"]?.arrayValue?.compactMap(\.stringValue))
    let want = try #require(ev["score_rows"]?.arrayValue).compactMap { $0.objectValue }
    #expect(scored.rows.count == want.count)
    let col = { (name: String) in scored.columns.firstIndex(of: name)! }
    for (k, (got, w)) in zip(scored.rows, want).enumerated() {
      #expect(got[col("index")] == w["index"]?.scalarText, "row \(k)")
      #expect(got[col("model_result")] == w["model_result"]?.scalarText, "row \(k)")
      for c in ["step_1_result", "step_2_result"] { #expect(got[col(c)].flatMap(Double.init) == w[c]?.doubleValue, "row \(k) \(c)") }
      #expect(out.scores[k].flatMap(Double.init) == w["score"]?.doubleValue, "row \(k) score")
    }
    #expect(JSONSerializer.pretty(try #require(out.rating)) == ev["rating_text"]?.stringValue)
  }
}
