import VCore
import VScore

// The multiple-choice scoring VLMEvalKit's EASI code gives STI-Bench, DSR-Bench
// (`utils/spatial_bench/cal_scores.py` `eval_mcq_score`), SITE-Bench video
// (`sitebench.py` `SiteBenchBase.evaluate`, with class-adjusted accuracy) and MMSI-Video-Bench;
// the option matcher itself is `EASI.canMatchOption` (VScore/EASI.swift).

/// The EASI multiple-choice rule on the rules path (`judge_tag` `extract_matching`): each row's
/// `hit` is `exact_match(can_match_option(prediction), can_match_option(answer))`, then the
/// accuracy overall and per `groupColumn` value (the family's order first, the others in order
/// of first appearance), or SITE's accuracy and CAA per category.
struct EASIMCQRule: ScoringRule {
  let name: String
  /// The family's name in the score table.
  let rules: String
  let groupColumn: String
  let order: [String]
  /// SITE-Bench's table: `overall_accuracy`, `overall_caa`, `{cat}_accuracy`, `{cat}_caa` for
  /// the listed categories only, written long (`metric`, `value`).
  var classAdjusted = false
  /// Further grouping columns after `groupColumn`, each with its order (MMSI-Video-Bench's
  /// `sub_task_type`): with any, every group metric is named `{column}.{value}_accuracy`, and the
  /// `_acc.csv` lists each column's ordered values first, then the others (`eval_mcq_score` with
  /// a list `group_col`).
  var moreGroups: [EASIGroupColumn] = []

  /// Every grouping column with its order.
  var groupColumns: [EASIGroupColumn] { [EASIGroupColumn(column: groupColumn, order: order)] + moreGroups }

  /// VLMEvalKit's LLM path (`compute_score_llm`, mode `mcq`): one grading prompt a row
  /// (`EASI.mcqGradingPrompt`). Plain `vscore` takes the rule path; `--judged` the LLM's grades.
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .prompts(
      (0..<rows.count).map { r in
        JudgePrompt(
          id: rows.id(r), kind: "easi_mcq",
          prompt: EASI.mcqGradingPrompt(
            prediction: rows.prediction(r) ?? "nan", has: rows.table.has, cell: { rows.cell(r, $0) }))
      })
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { EASIMCQScorer(rule: self, rows: rows).score(ctx) }
}

/// A grouping column of `eval_mcq_score` and its preferred order.
struct EASIGroupColumn: Sendable {
  let column: String
  let order: [String]
}

struct EASIMCQScorer {
  let rule: EASIMCQRule
  let rows: Rows

  /// The notes naming the path a table was scored on (EASI's judge_tag), and the judge replies
  /// that were missing or unreadable on the LLM path.
  static func pathNotes(llm: Bool, tag: String, unjudged: Int, invalid: Int) -> [String] {
    var notes = [
      llm
        ? "VLMEvalKit's EASI LLM path (judge_tag \(tag)): each row graded A (correct), B (incorrect) or C (invalid) by the judge's reply to its grading prompt, hit when A; _\(tag).xlsx (with judge_grade) and _\(tag)_acc.csv as it writes them; its _result.pkl and _judge.pkl cache are not written"
        : "VLMEvalKit's EASI rule path (judge_tag \(tag)): _\(tag).xlsx and _\(tag)_acc.csv as it writes them; its _result.pkl (a pickle) is not written"
    ]
    if unjudged > 0 { notes.append("\(unjudged) rows have no judge reply: graded C (invalid)") }
    if invalid > 0 {
      notes.append(
        "\(invalid) judge replies failed or could not be read: graded C with N/A, as VLMEvalKit does once its retries are spent (it asks up to 3 times; vtools reads the one reply)"
      )
    }
    return notes
  }

  /// The file-name tag of the rule path (`build_eval_paths`).
  static let judgeTag = EASI.JudgeTag.extractMatching.text

  /// The tag of the path `ctx` takes: `extract_matching` without judge replies, else
  /// `llm_{judge}` (`get_judge_tag_from_score_fn`).
  static func tag(_ ctx: ScoreContext) -> String {
    (ctx.judged == nil ? EASI.JudgeTag.extractMatching : .llm(ctx.judgeName)).text
  }

  /// `data.sort_values(by='index')`: by number when every index is one (pandas reads them as
  /// numbers from the result table), else by text.
  static func sortedPositions(_ rows: Rows) -> [Int] {
    let keys = (0..<rows.count).map { rows.cell($0, "index") ?? "" }
    let numbers = keys.map { Double($0) }
    if numbers.allSatisfy({ $0 != nil }) {
      return (0..<rows.count).sorted { (numbers[$0]!, $0) < (numbers[$1]!, $1) }
    }
    let scalars = keys.map { Array($0.unicodeScalars.map(\.value)) }
    return (0..<rows.count).sorted { scalars[$0] == scalars[$1] ? $0 < $1 : scalars[$0].lexicographicallyPrecedes(scalars[$1]) }
  }

  /// One row of `compute_mcq_score`: the extracted option (nil for its `False`) and the hit.
  static func hit(prediction: String, answer: String) -> (extracted: String?, hit: Bool) {
    (EASI.canMatchOption(prediction), EASI.mcqHit(prediction: prediction, answer: answer) == 1)
  }

  /// `_ensure_options_count_row`: the `candidates` list's length, else (no such column) the
  /// `options` list's; 4 when it is not a non-empty list.
  static func optionCount(_ rows: Rows, _ r: Int) -> Int {
    let column = rows.table.has("candidates") ? "candidates" : rows.table.has("options") ? "options" : nil
    return EASI.optionCount(column.flatMap { rows.cell(r, $0) })
  }

  /// pandas' `to_csv` cell: quoted (with `"` doubled) when it holds the separator, a quote or a
  /// line end.
  static func csvCell(_ s: String, separator: Character = "\t") -> String {
    s.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
      ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    let order = Self.sortedPositions(rows)
    var extracted = [String?](repeating: nil, count: rows.count)
    var hits = [Bool](repeating: false, count: rows.count)
    var grades = [String](repeating: "C", count: rows.count)
    var unjudged = 0, invalid = 0
    for r in 0..<rows.count {
      if let judged = ctx.judged {
        // `compute_score_llm`: the judge's grade, hit when it is A.
        let reply = judged.reply(round: 1, rows.id(r))
        let read = reply.flatMap { $0.failed ? nil : EASI.readGrade($0.text) }
        if reply == nil { unjudged += 1 } else if read == nil { invalid += 1 }
        let g = read ?? ("C", "N/A")
        (grades[r], extracted[r], hits[r]) = (g.grade, g.extracted, g.grade == "A")
        continue
      }
      // `str(prediction)`: a missing one is `nan`.
      let h = Self.hit(prediction: rows.prediction(r) ?? "nan", answer: rows.cell(r, "answer") ?? "nan")
      extracted[r] = h.extracted
      hits[r] = h.hit
    }
    let tag = Self.tag(ctx)
    let llm = ctx.judged != nil
    func accuracy(_ positions: [Int]) -> Double {
      positions.isEmpty ? 0 : Double(positions.filter { hits[$0] }.count) / Double(positions.count) * 100
    }
    var metrics: [(String, Double)] = []
    var summaryRows: [SummaryRow] = []
    let correct = hits.filter { $0 }.count
    if rule.classAdjusted {
      let caa = EASI.caa(hits: order.map { hits[$0] }, optionCounts: order.map { Self.optionCount(rows, $0) }) * 100
      metrics += [("overall_accuracy", accuracy(order)), ("overall_caa", caa)]
      summaryRows.append(SummaryRow(group: "overall", name: "overall", correct: Double(correct), total: rows.count, value: accuracy(order)))
      summaryRows.append(SummaryRow(group: "overall", name: "overall CAA", total: rows.count, value: caa))
    } else {
      metrics.append(("overall", accuracy(order)))
      summaryRows.append(SummaryRow(group: "overall", name: "overall", correct: Double(correct), total: rows.count, value: accuracy(order)))
    }
    // The `_acc.csv` order: overall, each column's ordered values that are present, then the rest
    // in summary order.
    var preferredNames: [String] = []
    var caaMetrics: [(String, Double)] = []
    let prefixed = rule.groupColumns.count > 1
    for gc in rule.groupColumns {
      // Group values in the family's order, then the others in order of first appearance (sorted rows).
      var present: [String] = []
      for r in order {
        if let v = rows.cell(r, gc.column), !present.contains(v) { present.append(v) }
      }
      let groups = rule.classAdjusted ? gc.order : gc.order + present.filter { !gc.order.contains($0) }
      let prefix = prefixed ? gc.column + "." : ""
      preferredNames += gc.order.map { prefix + $0 + "_accuracy" }
      for g in groups {
        let members = order.filter { rows.cell($0, gc.column) == g }
        guard !members.isEmpty else { continue }
        let acc = accuracy(members)
        metrics.append((prefix + g + "_accuracy", acc))
        summaryRows.append(
          SummaryRow(group: gc.column, name: g, correct: Double(members.filter { hits[$0] }.count), total: members.count, value: acc))
        if rule.classAdjusted {
          let caa =
            EASI.caa(hits: members.map { hits[$0] }, optionCounts: members.map { Self.optionCount(rows, $0) }) * 100
          caaMetrics.append((prefix + g + "_caa", caa))
          summaryRows.append(SummaryRow(group: gc.column + " CAA", name: g, total: members.count, value: caa))
        }
      }
    }
    let accText: String
    if rule.classAdjusted {
      // Long, `metric\tvalue`, each value as Python's repr of the float (no float_format).
      accText = "metric\tvalue\n" + (metrics + caaMetrics).map { Self.csvCell($0.0) + "\t" + Num.repr($0.1) + "\n" }.joined()
    } else {
      // Wide (`acc_df.T`): one header line of metric names, one line of values, `%.4f`.
      let ordered =
        metrics.prefix(1) + preferredNames.compactMap { n in metrics.first { $0.0 == n } }
        + metrics.dropFirst().filter { !preferredNames.contains($0.0) }
      accText =
        ordered.map { Self.csvCell($0.0) }.joined(separator: "\t") + "\n" + ordered.map { String(format: "%.4f", $0.1) }.joined(separator: "\t")
        + "\n"
    }
    // `{stem}_extract_matching.xlsx`: the sorted rows with `pred_extracted` and `hit`, the
    // preferred columns first.
    let base = rows.table.columns + (llm ? ["judge_grade"] : []) + ["pred_extracted", "hit"]
    let front = ["index", "question_type", rule.classAdjusted ? "category" : rule.groupColumn, "prediction", "pred_extracted", "answer", "hit"]
    let columns = front.filter { base.contains($0) } + base.filter { !front.contains($0) }
    let sheetRows: [[String]] = order.map { r in
      columns.map { c in
        switch c {
        case "pred_extracted": return extracted[r] ?? "False"
        case "hit": return hits[r] ? "1" : "0"
        case "judge_grade" where llm: return grades[r]
        case "prediction": return rows.prediction(r) ?? "nan"
        default: return rows.cell(r, c) ?? ""
        }
      }
    }
    var summary = Summary(
      dataset: ctx.dataset, rules: llm ? "\(rule.rules) (judge_tag \(tag))" : rule.rules, mode: ctx.mode, metric: "accuracy %",
      rows: summaryRows)
    summary.notes += Self.pathNotes(llm: llm, tag: tag, unjudged: unjudged, invalid: invalid)
    let unanswered = (0..<rows.count).filter { r in rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? true }.count
    if unanswered > 0 && !llm { summary.notes.append("\(unanswered) failed or missing answers count as wrong, as in VLMEvalKit") }
    var outcome = Outcome(scores: hits.map { $0 ? "1" : "0" }, summary: summary)
    outcome.scoreColumn = "hit"
    let hitColumn = columns.firstIndex(of: "hit")!
    outcome.sheets = [("_" + tag, columns, sheetRows, [hitColumn])]
    outcome.sheetNames["_" + tag] = "ALL"  // cal_scores: `to_excel(writer, sheet_name='ALL')`
    outcome.textFiles = [("_" + tag + "_acc.csv", accText)]
    return outcome
  }
}
