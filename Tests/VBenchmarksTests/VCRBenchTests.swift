import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// VCR-Bench (VLMEvalKit `vcrbench.py`, `utils/vcrbench/`). The expected judge texts, prompts,
/// judge calls and output files are in `Tests/Fixtures/vlmevalkit/vcr.json`, printed by
/// `vcr_judge.py` beside it: VLMEvalKit's own `build_prompt` and `evaluate` (with a fake judge
/// answering canned replies), commit e8e78f05.
@Suite struct VCRBenchTests {
  static let golden = GoldenFixture("vcr.json")

  @Test func configsAreVideoDatasetConfigs() throws {
    let configs = Benchmark.vcrBench.configs
    #expect(
      configs.map(\.name) == [
        "VCRBench_8frame_nopack", "VCRBench_16frame_nopack", "VCRBench_32frame_nopack", "VCRBench_64frame_nopack", "VCRBench_1fps_nopack",
      ])
    #expect(configs.map { $0.spec.nframe } == [8, 16, 32, 64, 0])
    #expect(configs.map { $0.spec.fps } == [0, 0, 0, 0, 1])
    #expect(configs.allSatisfy { $0.dataset == "VCR-Bench" && $0.video == VideoRule(field: "video", ext: ".mp4") && !$0.pack })
    #expect(Registry.datasetName(fromFileStem: "M_VCRBench_1fps_nopack") == "VCRBench_1fps_nopack")
  }

  @Test func judgeTextsAreVLMEvalKits() {
    #expect(Self.golden["Answer_Extraction_Prompt_part1"]?.stringValue == VCRBenchTexts.extractionSystem)
    #expect(Self.golden["Answer_Scoring_Prompt_part1"]?.stringValue == VCRBenchTexts.scoringSystem)
    #expect(Self.golden["Precision_Evaluation_Prompt"]?.stringValue == VCRBenchTexts.precisionSystem)
    #expect(Self.golden["Recall_Evaluation_Prompt"]?.stringValue == VCRBenchTexts.recallSystem)
    #expect(Self.golden["FRAMES_TMPL_NOPACK"]?.stringValue?.replacingOccurrences(of: "{}", with: "7") == V2PBenchPrompt.head(7))
    #expect(VCRBenchTexts.extractionSystem.contains("-\u{0C}rac{1}{3}x") && VCRBenchTexts.precisionSystem.contains("[\n  {{\n"))
  }

  /// `build_prompt`, frames and video LLM.
  @Test func promptsAreBuildPrompt() throws {
    var o = JSONObject([("id", .string("3")), ("index", .string("3")), ("video", .string("clip_3"))])
    o["video_path"] = .string("v1/videos/video/clip_3.mp4")
    o["question"] = .string("What happens first?\nA. x\nB. y")
    o["frames"] = .array([1, 2].map { .string("/L/images/VCR-Bench/clip_3/frame-\($0)-of-2.jpg") })
    let preset = try #require(Registry.preset(named: "VCRBench_8frame_nopack"))
    for llm in [false, true] {
      let got = try preset.prompt.build(
        TemplateInput(record: o, videoLLM: llm, datasetRoot: "/L/VCR-Bench", subtitles: false, strict: false, warn: { _ in }))
      #expect(got == Self.golden.messages(llm ? "prompt_video" : "prompt_frames"))
    }
  }

  /// The generated rows of `vcr_judge.py`: (index, question, answer, prediction, reasoning,
  /// dimension, duration).
  static let rows: Rows = {
    let r: [(String, String, String, String?, String, String?, String)] = [
      ("0", "Q0? A. a B. b", "A", "First the man runs (00:05), so A.", "The man runs at 00:05.", "Temporal", "30"),
      ("1", "Q1? A. a B. b C. c", "B", "It is C.", "A dog barks.\nThe dog leaves.", "Spatial", "120"),
      ("2", "Q2?", "5", nil, "Five cups.", "Temporal", "400"),
      ("3", "Q3? When does it start and end?", "[90, 150]", "From 1:30 to 2:30.", "Starts at 90 s.", nil, "60"),
      ("4", "Q4?", "B", "B", "Nothing.", "Spatial", "300"), ("5", "Q5?", "A", "Unsure.", "r5", "Counting", "59.5"),
      ("6", "Q6?", "C", "C!", "r6", "Counting", "301"), ("7", "Q7?", "D", "D", "r7", "Temporal", "10"),
    ]
    return Rows(
      table: ResultTable(
        columns: ["index", "video", "video_path", "question", "answer", "reasoning", "dimension", "duration", "prediction"],
        rows: r.map { [$0.0, "v\($0.0)", "v1/videos/video/v\($0.0).mp4", $0.1, $0.2, $0.4, $0.5, $0.6, $0.3] }, name: "M_VCRBench_8frame_nopack"))
  }()

  /// Both rounds against `evaluate`: every judge call VLMEvalKit makes (system prompt and text)
  /// is a record of vtools', none more; the canned replies give VLMEvalKit's files byte for byte.
  @Test func fourPassesAreEvaluate() throws {
    let calls = (Self.golden["calls"]?.arrayValue ?? []).compactMap { $0.arrayValue?.compactMap(\.stringValue) }
    #expect(calls.count == 31)
    var answer: [String: String] = [:]
    for c in calls where c.count == 3 { answer[c[0] + "\u{0}" + c[1]] = c[2] }
    let rule = VCRBenchRule()
    guard case .prompts(let one) = rule.judgePrompts(Self.rows, strict: false) else {
      Issue.record("no judge")
      return
    }
    #expect(one.count == 23 && one.prefix(3).map(\.recordID) == ["0:extract", "0:precision", "0:recall"])
    #expect(one.filter { $0.id.hasSuffix(":extract") }.count == 7, "row 2 has no prediction: nothing to extract")
    var replies = JudgeReplies()
    for p in one { replies[p.recordID] = JudgeReply(text: try #require(answer[(p.system ?? "") + "\u{0}" + p.prompt], "\(p.id)"), failed: false) }
    let two = rule.judgePrompts(Self.rows, strict: false, round: 2, replies: replies)
    #expect(two.map(\.recordID) == (0..<8).map { "r2:\($0):score" })
    #expect(two.allSatisfy { $0.round == 2 && $0.kind == "vcrbench_score" })
    for p in two { replies[p.recordID] = JudgeReply(text: try #require(answer[(p.system ?? "") + "\u{0}" + p.prompt], "\(p.id)"), failed: false) }
    #expect(Set((one + two).map { (($0.system ?? "") + "\u{0}" + $0.prompt) }) == Set(answer.keys))
    #expect(rule.judgePrompts(Self.rows, strict: false, round: 3, replies: replies).isEmpty)

    let ctx = ScoreContext(
      strict: false, judged: replies, judgeName: "gpt-4o-0806", dataset: "VCRBench_8frame_nopack", diag: Diagnostics(tool: "vscore", verbosity: -1))
    let o = try rule.score(Self.rows, ctx)
    #expect(o.fileInfix == "_gpt-4o-0806" && o.scoreFileSuffix == "_answer_score.xlsx" && o.scoreColumn == "answer_scoring")
    for (suffix, text) in o.textFiles {
      #expect(text == Self.golden[suffix]?.stringValue, "\(suffix)")
    }
    #expect(
      o.textFiles.map(\.suffix).sorted() == [
        "_answer_score.json", "_answer_score.txt", "_pre_score.json", "_precision_recall_score.txt", "_recall_score.json",
      ])
    let sheets = Dictionary(uniqueKeysWithValues: o.sheets.map { ($0.suffix, $0) })
    for name in ["_extracted_answer", "_pre_score", "_recall_score"] {
      #expect(sheets[name]?.columns == Self.golden.strings(name + "_columns"), "\(name)")
      let index = (Self.golden[name + "_index"]?.arrayValue ?? []).compactMap(\.intValue).map(String.init)
      #expect(sheets[name]?.rows.map { $0[0] } == index, "\(name)")
    }
    #expect(o.table.map { $0.columns + [o.scoreColumn] } == Self.golden.strings("_answer_score_columns"))
    #expect(o.summary.notes.contains { $0.hasPrefix("4 rows left out of the precision table and 2 out of the recall table") })
    #expect(o.summary.rows.first == SummaryRow(group: "accuracy", name: "overall", correct: 4, total: 8, value: 0.5))

    // No references: nothing asked, and scoring says why; no judge: scoring says so.
    let bare = Rows(table: ResultTable(columns: ["index", "video", "question", "prediction"], rows: [["0", "v0", "q", "x"]], name: "M"))
    guard case .prompts(let nothing) = rule.judgePrompts(bare, strict: false) else { return }
    #expect(nothing.isEmpty)
    #expect(throws: SimpleToolError.self) { try rule.score(bare, ctx) }
  }

  /// `eval.py`'s parsing: what raises drops the row.
  @Test func stepParsingIsEvalPys() {
    let v = "Video Description Steps", l = "Logical Inference Steps", b = "Background Review Steps"
    func steps(_ s: [(String, String)]) -> String {
      "[" + s.map { "{\"step\": \"x\", \"step_type\": \"\($0.0)\", \"judgment\": \"\($0.1)\"}" }.joined(separator: ", ") + "]"
    }
    #expect(VCRBenchSteps.precision(steps([(v, "Matched"), (l, "Wrong"), (b, "Redundant"), (v, "Wrong")])) == [0.5, 0, nil, 1.0 / 3, 0.75])
    #expect(VCRBenchSteps.precision("[]") == nil && VCRBenchSteps.precision("{}") == nil, "no step: efficiency divides by zero")
    #expect(
      VCRBenchSteps.recall("[]") == [nil, nil, nil, nil] && VCRBenchSteps.recall("{}") == [nil, nil, nil, nil] && VCRBenchSteps.recall("\"\"") != nil)
    #expect(VCRBenchSteps.recall(steps([(b, "Matched"), (l, "Unmatched")])) == [nil, 0, 1, 0])
    #expect(VCRBenchSteps.recall(steps([(v, "Match")])) == nil && VCRBenchSteps.recall(steps([("video", "Matched")])) == nil)
    #expect(VCRBenchSteps.recall("{\"a\": 1}") == nil && VCRBenchSteps.recall("[1]") == nil && VCRBenchSteps.recall("1") == nil)
    #expect(VCRBenchSteps.recall("```json\n[]\n```") == nil && VCRBenchSteps.recall(" \n[]\n") != nil)
    #expect(VCRBenchSteps.recall("[{\"step_type\": \"\(v)\"}]") == nil, "no judgment: KeyError")
    #expect(PandasRecords.float(2.0 / 3) == "0.6666666667" && PandasRecords.float(1) == "1.0" && PandasRecords.float(1e17) == "1e+17")
  }

  /// A failed judgement: parity reads its text; `--strict` reads it as missing (no round-2
  /// record, the row not correct).
  @Test func failedJudgements() throws {
    let rows = Rows(
      table: ResultTable(
        columns: ["index", "question", "answer", "reasoning", "dimension", "duration", "prediction"],
        rows: [["0", "q", "A", "r", "d", "5", "A"]], name: "M"))
    var replies = JudgeReplies()
    replies["0:extract"] = JudgeReply(text: "Failed to obtain answer via API.", failed: true)
    #expect(VCRBenchRule().judgePrompts(rows, strict: false, round: 2, replies: replies).count == 1)
    #expect(VCRBenchRule().judgePrompts(rows, strict: true, round: 2, replies: replies).isEmpty)
    replies["r2:0:score"] = JudgeReply(text: "1", failed: false)
    let diag = Diagnostics(tool: "vscore", verbosity: -1)
    let parity = try VCRBenchRule().score(
      rows, ScoreContext(strict: false, judged: replies, judgeName: "j", dataset: "VCRBench_8frame_nopack", diag: diag))
    #expect(parity.scores == ["1"] && parity.table?.rows[0].last == "Failed to obtain answer via API.")
    let strict = try VCRBenchRule().score(
      rows, ScoreContext(strict: true, judged: replies, judgeName: "j", dataset: "VCRBench_8frame_nopack", diag: diag))
    #expect(strict.table?.rows[0].last == "-1" && strict.scores == ["-1"] && strict.summary.rows.first?.value == 0)
  }
}
