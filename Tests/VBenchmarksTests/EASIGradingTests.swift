import Foundation
import Testing
import VCore
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// The EASI LLM grading path against VLMEvalKit's own functions: `Tests/Fixtures/easi/llm-vectors.json`,
/// made by `Tests/Fixtures/easi/make-easi-llm-vectors.py` (the prompt `extract_ans_by_llm` sends,
/// the grade `call_llm_extract` reads, and the files `eval_mcq_score` writes with
/// `build_mcq_score_fn`'s LLM scorer, the judge a stub with fixed replies).
@Suite struct EASIGradingTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static var vectors: [String: Any] {
    let path = FakeServer.repoRoot + "/Tests/Fixtures/easi/llm-vectors.json"
    guard let data = FileManager.default.contents(atPath: path),
      let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return obj
  }

  @Test func gradingPromptIsVLMEvalKits() throws {
    let cases = try #require(Self.vectors["prompts"] as? [[String: Any]])
    #expect(cases.count == 15)
    for c in cases {
      let row = try #require(c["row"] as? [String: Any])
      let prompt = EASI.mcqGradingPrompt(
        prediction: row["prediction"] as! String, has: { row[$0] != nil }, cell: { row[$0] as? String })
      #expect(prompt == c["prompt"] as? String, "\(row)")
    }
  }

  @Test func replyParsingIsVLMEvalKits() throws {
    let cases = try #require(Self.vectors["replies"] as? [[String: Any]])
    #expect(cases.count == 30)
    for c in cases {
      let reply = c["reply"] as! String
      let g = EASI.parseGrade(reply)
      #expect(g.grade == c["grade"] as? String && g.extracted == c["extracted"] as? String, "\(reply.debugDescription)")
    }
    #expect(EASI.parseGrade("A\tfine", failed: true) == ("C", "N/A"))
    // An empty reply: VLMEvalKit's splitlines()[0] raises; vtools grades it invalid.
    #expect(EASI.parseGrade("  \n ") == ("C", "N/A"))
  }

  static func stiTable(_ e: [String: Any]) -> (ResultTable, [[Any]]) {
    let data = e["rows"] as! [[Any]]
    let rows: [[String?]] = data.map { r in
      let i = "\(r[0] as! Int)"
      return [i, "v\(i).mp4", "question \(i)?", r[2] as? String, r[3] as? String, r[1] as? String, r[4] as? String]
    }
    let columns = ["index", "video", "question", "candidates", "answer", "task_type", "prediction"]
    return (ResultTable(columns: columns, rows: rows, name: "M_STI-Bench_32frame"), data)
  }

  @Test func llmScoreFilesEqualVLMEvalKit() throws {
    let e = try #require(Self.vectors["eval"] as? [String: Any])
    let (table, data) = Self.stiTable(e)
    let rule = EASIMCQRule(name: "sti-bench", rules: "STI-Bench", groupColumn: "task_type", order: e["order"] as! [String])
    let rows = Rows(table: table)
    // One grading prompt a row, the prompt VLMEvalKit sent its judge.
    guard case .prompts(let prompts) = rule.judgePrompts(rows, strict: false) else {
      Issue.record("no judge prompts")
      return
    }
    let sent = e["prompts"] as! [String: String]
    #expect(prompts.map(\.id) == data.map { "\($0[0] as! Int)" })
    for p in prompts { #expect(p.prompt == sent[p.id] && p.kind == "easi_mcq", "\(p.id)") }
    var replies = JudgeReplies()
    for r in data { replies["\(r[0] as! Int)"] = JudgeReply(text: r[5] as! String, failed: false) }
    let ctx = ScoreContext(strict: false, judged: replies, judgeName: "gpt-4o-mini", dataset: "STI-Bench_32frame", diag: Self.diag)
    let o = rule.score(rows, ctx)
    let tag = e["judge_tag"] as! String
    #expect(o.textFiles.map(\.suffix) == ["_\(tag)_acc.csv"])
    #expect(o.textFiles.first?.text == e["acc_csv"] as? String)
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_" + tag)
    #expect(sheet.columns == e["xlsx_columns"] as! [String])
    #expect(sheet.rows == e["xlsx_rows"] as! [[String]])
    #expect(o.summary.rules.contains("judge_tag \(tag)"))
    #expect(o.summary.notes.contains { $0.contains("EASI LLM path (judge_tag \(tag))") })
    // One reply unreadable ("the answer is right"): graded C, noted.
    #expect(o.summary.notes.contains { $0.hasPrefix("1 judge replies failed or could not be read") })

    // A missing reply counts as invalid; without replies the rule path is taken.
    replies["3"] = nil
    let partial = rule.score(rows, ScoreContext(strict: false, judged: replies, judgeName: "j", dataset: "d", diag: Self.diag))
    #expect(partial.summary.notes.contains("1 rows have no judge reply: graded C (invalid)"))
    #expect(partial.sheets.first?.suffix == "_llm_j")
    let rules = rule.score(rows, ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "d", diag: Self.diag))
    #expect(rules.sheets.first?.suffix == "_extract_matching" && rules.summary.rules == "STI-Bench")
    #expect(rules.sheets.first?.columns.contains("judge_grade") == false)
  }

  /// VSI-Bench's LLM path: the multiple-choice rows by `compute_score_llm`, the numeric ones by
  /// `compute_na_score_llm` (the judge's extracted number, MRA; 0 when graded C).
  @Test func vsiBenchLLMPathIsVLMEvalKits() throws {
    let e = try #require(Self.vectors["vsi"] as? [String: Any])
    let data = e["rows"] as! [[Any]]
    let table = ResultTable(
      columns: ["index", "question_type", "question", "candidates", "answer", "prediction"],
      rows: data.map { r in ["\(r[0] as! Int)", r[1] as? String, r[2] as? String, r[3] as? String, r[4] as? String, r[5] as? String] },
      name: "M_VSI-Bench_16frame")
    let rule = try #require(Registry.catalog.rule(forDataset: "VSI-Bench_16frame"))
    let rows = Rows(table: table)
    guard case .prompts(let prompts) = rule.judgePrompts(rows, strict: false) else {
      Issue.record("no judge prompts")
      return
    }
    let sent = e["prompts"] as! [String: String]
    #expect(prompts.count == data.count)
    for p in prompts { #expect(p.prompt == sent[p.id], "\(p.id)") }
    var replies = JudgeReplies()
    for r in data { replies["\(r[0] as! Int)"] = JudgeReply(text: r[6] as! String, failed: false) }
    let o = try rule.score(rows, ScoreContext(strict: false, judged: replies, judgeName: "gpt-4o", dataset: "VSI-Bench_16frame", diag: Self.diag))
    let sheet = try #require(o.sheets.first)
    #expect(sheet.suffix == "_llm_gpt-4o" && o.textFiles.first?.suffix == "_llm_gpt-4o_acc.csv")
    func col(_ name: String) -> Int { sheet.columns.firstIndex(of: name)! }
    #expect(sheet.columns.prefix(8) == ["index", "question_type", "task_type", "prediction", "pred_extracted", "answer", "hit", "MRA:.5:.95:.05"])
    #expect(sheet.columns.last == "judge_grade")
    let byIndex = Dictionary(sheet.rows.map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
    for m in e["mcq"] as! [[Any]] {
      let row = try #require(byIndex["\(m[0] as! Int)"])
      #expect(row[col("judge_grade")] == m[1] as? String && row[col("pred_extracted")] == m[2] as? String, "\(m)")
      #expect(Double(row[col("hit")]) == (m[3] as! NSNumber).doubleValue, "\(m)")
    }
    for n in e["na"] as! [[Any]] {
      let row = try #require(byIndex["\(n[0] as! Int)"])
      #expect(row[col("judge_grade")] == n[1] as? String, "\(n)")
      #expect(Double(row[col("pred_extracted")]) == (n[2] as? NSNumber)?.doubleValue, "\(n)")
      #expect(Double(row[col("MRA:.5:.95:.05")]) == (n[3] as! NSNumber).doubleValue, "\(n)")
    }
    #expect(o.summary.rules == "VSI-Bench (judge_tag llm_gpt-4o)")
    #expect(o.summary.notes.contains { $0.hasPrefix("1 judge replies failed or could not be read") })
  }

  @Test func everyEASIMCQFamilyOffersTheGradingPrompts() throws {
    let table = ResultTable(
      columns: ["index", "question", "candidates", "options", "answer", "prediction"], rows: [["1", "q?", "['a', 'b']", "['a', 'b']", "A", "a"]],
      name: "t")
    for dataset in ["STI-Bench_32frame", "DSRBench_32frame", "SiteBenchVideo_32frame", "MMSIVideoBench_32frame", "VsiSuperRecall_10mins_32frame"] {
      let rule = try #require(Registry.catalog.rule(forDataset: dataset), "\(dataset)")
      guard case .prompts(let p) = rule.judgePrompts(Rows(table: table), strict: false) else {
        Issue.record("\(dataset): no grading prompts")
        continue
      }
      #expect(p.count == 1 && p[0].prompt.hasPrefix("You are an expert grading assistant.\n"), "\(dataset)")
    }
  }
}
