import VCore

/// MMBench-Video (reference 5.4): a judge rates each answer 0-3 against the ground truth; the
/// rating file holds coarse and fine means over all rows (-1 counted as 0) and over valid rows.
struct MMBenchVideoScorer {
  let rows: Rows

  static let system = "\nAs an AI assistant, your task is to evaluate a candidate answer in comparison to a given correct answer.\nThe question itself, the correct 'groundtruth' answer, and the candidate answer will be provided to you.\nYour assessment should range from 0 to 3, based solely on the semantic similarity between the groundtruth and the candidate answer, disregarding any grammatical differences.\nA rating of 0 suggests no similarity, implying the candidate answer is entirely incorrect.\nA rating of 1 suggests low similarity, meaning the candidate answer is largely incorrect.\nA rating of 2 suggests high similarity, meaning the candidate answer is largely correct.\nLastly, a rating of 3 indicates complete similarity, which means the candidate answer is entirely correct.\nYour response should be a single integer from 0, 1, 2, or 3.\n"

  static let groups: [(String, [String])] = [
    ("CP", ["Video Topic", "Video Emotion", "Video Scene", "Video Style"]),
    ("FP-S", ["OCR", "Object Recognition", "Attribute Recognition", "Event Recognition", "Human Motion", "Counting"]),
    ("FP-C", ["Spatial Relationship", "Human-object Interaction", "Human Interaction"]),
    ("HL", ["Hallucination"]),
    ("LR", ["Structuralized Image-Text Understanding", "Mathematical Calculation"]),
    ("AR", ["Physical Property", "Function Reasoning", "Identity Reasoning"]),
    ("RR", ["Natural Relation", "Physical Relation", "Social Relation"]),
    ("CSR", ["Common Sense Reasoning"]),
    ("TR", ["Counterfactual Reasoning", "Causal Reasoning", "Future Prediction"]),
  ]

  /// The 12 coarse groups in VLMEvalKit's order, with their L3 dimensions.
  static var coarse: [(String, [String])] {
    let g = Dictionary(uniqueKeysWithValues: groups)
    let perception = g["CP"]! + g["FP-C"]! + g["FP-S"]! + g["HL"]!
    let reasoning = g["LR"]! + g["AR"]! + g["RR"]! + g["CSR"]! + g["TR"]!
    return groups + [("Perception", perception), ("Reasoning", reasoning), ("Overall", perception + reasoning)]
  }

  func judgePrompts() -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      // Only rows with a prediction are judged.
      guard let pred = rows.prediction(r) else { return nil }
      return JudgePrompt(
        id: rows.id(r), kind: "mmbench_video", system: Self.system,
        prompt: "Question: \(rows.cell(r, "question") ?? "nan")\nGroundtruth answer: \(rows.cell(r, "answer") ?? "nan")\nCandidate answer: \(pred)\nYour response: ")
    }
  }

  func score(_ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else {
      throw SimpleToolError(
        "MMBench-Video is scored by a judge: write its prompts with --judge-prompts, answer them with vinfer, and pass the answers with --judged (pipelines/judge.sh does all three)",
        status: .usage)
    }
    var scores: [Double] = []
    var missing = 0, failed = 0, unreadable = 0, outOfRange = 0
    for r in 0..<rows.count {
      guard let reply = judged[rows.id(r)] else { missing += 1; scores.append(-1); continue }
      if reply.failed { failed += 1; scores.append(-1); continue }
      let v = Matching.integerRating(reply.text)
      if v == -1 && PyText.strip(reply.text) != "-1" { unreadable += 1 }
      if v > 3 || v < -1 { outOfRange += 1 }
      scores.append(Double(v))
    }
    var fine = Buckets(Self.groups.flatMap(\.1))
    var coarse = Buckets(Self.coarse.map(\.0))
    var bad = 0
    for (r, s) in scores.enumerated() {
      let dims: [String]
      do {
        dims = try PythonLiteral.stringList(rows.cell(r, "dimensions") ?? "[]")
      } catch {
        ctx.diag.warning("row \(rows.id(r)): dimensions is not a Python list of strings")
        bad += 1
        continue
      }
      for d in dims { fine.add(d, s) }
      for (g, members) in Self.coarse where dims.contains(where: members.contains) { coarse.add(g, s) }
    }
    func means(_ b: Buckets, valid: Bool) -> JSONValue {
      var o = JSONObject()
      for k in b.keys { o[k] = .string(valid ? Num.meanText(b[k], digits: 2) : Num.meanText(b[k].map { max($0, 0) }, digits: 2, validOnly: false)) }
      return .object(o)
    }
    let rating = JSONObject([
      ("coarse_all", means(coarse, valid: false)), ("coarse_valid", means(coarse, valid: true)),
      ("fine_all", means(fine, valid: false)), ("fine_valid", means(fine, valid: true)),
    ])
    var printed: [SummaryRow] = []
    for k in ["Overall", "Perception", "Reasoning"] + Self.groups.map(\.0) {
      let v = coarse[k]
      if v.isEmpty { continue }
      let all = v.map { max($0, 0) }
      printed.append(SummaryRow(group: k == "Overall" ? "overall" : "coarse", name: k, correct: all.reduce(0, +), total: v.count, value: all.reduce(0, +) / Double(v.count)))
    }
    for k in fine.keys where !fine[k].isEmpty {
      let all = fine[k].map { max($0, 0) }
      printed.append(SummaryRow(group: "fine", name: k, correct: all.reduce(0, +), total: all.count, value: all.reduce(0, +) / Double(all.count)))
    }
    var summary = Summary(dataset: ctx.dataset, rules: "MMBench-Video", mode: ctx.mode, metric: "mean score (0-3)", rows: printed)
    summary.notes.append("judge: \(ctx.judgeName); means over all rows, -1 counted as 0 (coarse_all); the rating file also has the means over valid rows")
    if missing + failed + unreadable > 0 {
      summary.notes.append("\(missing) rows without a judgement, \(failed) failed judgements and \(unreadable) unreadable ratings score -1")
    }
    if outOfRange > 0 { summary.notes.append("\(outOfRange) ratings outside 0-3 kept as VLMEvalKit keeps them (no clamping)") }
    return Outcome(scores: scores.map(Num.cell), rating: .object(rating), fileInfix: "_\(ctx.judgeName)", summary: summary, badRows: bad)
  }
}

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
      return JudgePrompt(id: rows.id(r), kind: "mcq", prompt: mcqJudgePrompt(question: rows.cell(r, "question") ?? "", choices: t.choices, prediction: pred))
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
    let accRows = printed.map { [$0.group, $0.name, Num.cell($0.correct) ?? "0", String($0.total), $0.value.map { Num.repr(Num.round($0, 2)) } ?? "nan"] }
    var summary = Summary(dataset: ctx.dataset, rules: "multiple choice (can_infer)", mode: ctx.mode, metric: "accuracy %", rows: printed)
    if unmatched > 0 { summary.notes.append("\(unmatched) answers matched no option and were scored wrong (exact matching); a judge can read them: see --judge-prompts") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    return Outcome(scores: scores.map(Num.cell), acc: (["group", "name", "correct", "total", "acc"], accRows), summary: summary, badRows: bad)
  }
}
