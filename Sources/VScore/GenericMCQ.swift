import VCore

/// Any multiple-choice set: choices from `A`..`Z` columns or `candidates`, the answer a letter or
/// an option's text, extraction by `can_infer` (then the judge); accuracy overall and per
/// `category` (or `task_type`) in `_acc.csv`.
struct GenericMCQScorer {
  let rows: Rows

  func truth(_ r: Int) throws -> (letter: String, choices: [(String, String)]) {
    var choices = rows.optionColumns(r)
    if choices.isEmpty { choices = lettered(try rows.candidates(r)) }
    guard let answer = rows.cell(r, "answer") else { throw SimpleToolError("row \(rows.id(r)): no answer", status: .dataError) }
    if choices.contains(where: { $0.0 == answer }) { return (answer, choices) }
    if let hit = choices.last(where: { $0.1 == answer }) { return (hit.0, choices) }
    throw SimpleToolError("row \(rows.id(r)): the answer '\(answer)' is neither an option letter nor an option's text", status: .dataError)
  }

  /// The letter `can_infer` reads ("" for a failed or missing answer), or nil (the judge decides).
  func ruleLetter(_ r: Int, choices: [(String, String)], strict: Bool) -> String? {
    guard let pred = rows.prediction(r), !PyStr(pred).contains(failMarker) else { return "" }
    if case .letter(let l) = Matching.canInfer(pred, choices: choices, strict: strict) { return l }
    return nil
  }

  func judgePrompts(strict: Bool) -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      guard let t = try? truth(r), ruleLetter(r, choices: t.choices, strict: strict) == nil, let pred = rows.prediction(r) else { return nil }
      return JudgePrompt(
        id: rows.id(r), kind: "mcq", prompt: mcqJudgePrompt(question: rows.cell(r, "question") ?? "", choices: t.choices, prediction: pred))
    }
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [Double?] = []
    var bad = 0, unmatched = 0
    for r in 0..<rows.count {
      do {
        let t = try truth(r)
        var l = ruleLetter(r, choices: t.choices, strict: ctx.strict)
        if l == nil {
          let reply = ctx.judged?[rows.id(r)]
          if reply == nil { unmatched += 1 }
          l = judgedChoice(id: rows.id(r), choices: t.choices, reply: reply, strict: ctx.strict)
        }
        scores.append(l == t.letter ? 1 : 0)
      } catch {
        ctx.diag.warning(String(describing: error))
        bad += 1
        scores.append(nil)
      }
    }
    let groupColumn = rows.table.has("category") ? "category" : (rows.table.has("task_type") ? "task_type" : nil)
    var b = Buckets()
    var all: [Double] = []
    for (r, s) in scores.enumerated() {
      guard let s else { continue }
      all.append(s)
      if let g = groupColumn { b.add(rows.cell(r, g) ?? "unknown", s) }
    }
    func row(_ group: String, _ name: String, _ v: [Double]) -> SummaryRow {
      SummaryRow(group: group, name: name, correct: v.reduce(0, +), total: v.count, value: v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) * 100)
    }
    var printed = [row("overall", "overall", all)]
    for k in b.keys { printed.append(row(groupColumn!, k, b[k])) }
    let accRows = printed.map {
      [$0.group, $0.name, Num.cell($0.correct) ?? "0", String($0.total), $0.value.map { Num.repr(Num.round($0, 2)) } ?? "nan"]
    }
    var summary = Summary(dataset: ctx.dataset, rules: "multiple choice (can_infer)", mode: ctx.mode, metric: "accuracy %", rows: printed)
    if unmatched > 0 {
      summary.notes.append(
        "\(unmatched) answers matched no option and were scored wrong (exact matching); a judge can read them: see --judge-prompts")
    }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    return Outcome(scores: scores.map(Num.cell), acc: (["group", "name", "correct", "total", "acc"], accRows), summary: summary, badRows: bad)
  }
}

/// The generic multiple-choice rule (`--rules mcq`), for datasets no benchmark family covers.
package struct GenericMCQRule: ScoringRule {
  package init() {}
  package var name: String { "mcq" }
  package func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(GenericMCQScorer(rows: rows).judgePrompts(strict: strict)) }
  package func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { GenericMCQScorer(rows: rows).score(ctx) }
}
