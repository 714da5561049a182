import VCore

/// What a first-letter benchmark (Video-MME, LongVideoBench, WorldSense) fixes: its letters, its
/// answer column and the dimensions of its nested `_rating.json`, in VLMEvalKit's key order.
package struct LetterRating: Sendable {
  /// The rules' name in the printed table (`Video-MME`).
  package var name: String
  /// The option letters the extraction looks for.
  package var letters: String
  /// Where the answer letter comes from.
  package var answer: AnswerColumn
  /// The duration groups, in order, and the column holding a row's group.
  package var durations: [String]
  package var durationColumn: String
  /// Duration values are integers written as floats in some tables (`15.0`).
  package var integerDurations = false
  /// The rating's dimensions with their known keys, in order; the first one's lists make
  /// each group's `overall`.
  package var dims: [(String, [String])]
  /// Dimensions whose cell is a Python list of labels (WorldSense `audio_class`).
  package var multiLabel: Set<String> = []
  /// The dimension printed per category.
  package var detail: String

  package enum AnswerColumn: Sendable {
    /// A letter column (`answer`).
    case letter(String)
    /// An option number column (`correct_choice`: 0 is A).
    case optionNumber(String)
  }

  package init(
    name: String, letters: String, answer: AnswerColumn, durations: [String], durationColumn: String, integerDurations: Bool = false,
    dims: [(String, [String])], multiLabel: Set<String> = [], detail: String
  ) {
    self.name = name
    self.letters = letters
    self.answer = answer
    self.durations = durations
    self.durationColumn = durationColumn
    self.integerDurations = integerDurations
    self.dims = dims
    self.multiLabel = multiLabel
    self.detail = detail
  }
}

/// Video-MME, LongVideoBench and WorldSense (reference 4.5, 5.3, 5.5, 5.8): the first uppercase
/// option letter of the cleaned prediction against the answer letter; VLMEvalKit's judge
/// fallback can never change a score there (Q5), so none is offered.
package struct LetterScorer {
  let rows: Rows
  let spec: LetterRating

  package init(rows: Rows, spec: LetterRating) {
    self.rows = rows
    self.spec = spec
  }

  /// The rule for a first-letter benchmark.
  package struct Rule: ScoringRule {
    package let name: String
    package let spec: LetterRating
    package init(name: String, spec: LetterRating) {
      self.name = name
      self.spec = spec
    }
    package func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
      .none("VLMEvalKit's judge fallback cannot change its scores (Q5)")
    }
    package func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { LetterScorer(rows: rows, spec: spec).score(ctx) }
  }

  /// The answer letter of row `r`.
  func answer(_ r: Int) throws -> String {
    switch spec.answer {
    case .optionNumber(let column):
      guard let c = rows.cell(r, column), let i = Int(Num.integerText(c)), (0..<26).contains(i) else {
        throw SimpleToolError("row \(rows.id(r)): \(column) must be an option number", status: .dataError)
      }
      return OptionLetter.at(i)
    case .letter(let column):
      guard let a = rows.cell(r, column) else { throw SimpleToolError("row \(rows.id(r)): no answer", status: .dataError) }
      return a
    }
  }

  package func score(_ ctx: ScoreContext) -> Outcome {
    let letters = spec.letters
    var scores: [Double?] = []
    var bad = 0
    var failedAsCorrect = 0
    for r in 0..<rows.count {
      // pred = str(prediction): NaN is 'nan'.
      let pred = rows.prediction(r) ?? "nan"
      do {
        let gt = try answer(r)
        if ctx.strict && PyStr(pred).contains(failMarker) {
          scores.append(0)
          continue
        }
        let l = Matching.extractCharacters(pred, letters: letters, strict: ctx.strict)
        // An empty extraction goes to extract_option, which always yields Z (Q5): 0.
        let s: Double = !l.isEmpty && l == gt ? 1 : 0
        if s == 1 && PyStr(pred).contains(failMarker) { failedAsCorrect += 1 }
        scores.append(s)
      } catch {
        ctx.diag.warning(String(describing: error))
        bad += 1
        scores.append(nil)
      }
    }
    let (rating, summaryRows) = self.rating(scores)
    var summary = Summary(dataset: ctx.dataset, rules: spec.name, mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    if failedAsCorrect > 0 {
      summary.notes.append(
        "\(failedAsCorrect) failed answers scored as correct: the 'A' of 'API' in VLMEvalKit's failure text is read as option A (Q4); --strict counts them wrong"
      )
    }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    return Outcome(scores: scores.map(Num.cell), rating: rating, summary: summary, badRows: bad)
  }

  /// The nested `_rating.json` and the printed rows.
  func rating(_ scores: [Double?]) -> (JSONValue, [SummaryRow]) {
    let durations = spec.durations
    let dims = spec.dims
    let durationColumn = spec.durationColumn
    // WorldSense lists the 6 durations, then overall; the others overall last too.
    var bucketKeys = durations
    var buckets: [String: [String: Buckets]] = [:]
    for d in durations + ["overall"] { buckets[d] = Dictionary(uniqueKeysWithValues: dims.map { ($0.0, Buckets($0.1)) }) }
    for (r, s) in scores.enumerated() {
      guard let s else { continue }
      var d = rows.cell(r, durationColumn) ?? "unknown"
      if spec.integerDurations { d = Num.integerText(d) }
      if buckets[d] == nil {
        bucketKeys.append(d)
        buckets[d] = Dictionary(uniqueKeysWithValues: dims.map { ($0.0, Buckets($0.1)) })
      }
      for (dim, _) in dims {
        var values = [rows.cell(r, dim) ?? "unknown"]
        if spec.multiLabel.contains(dim), let raw = rows.cell(r, dim) { values = (try? PythonLiteral.stringList(raw)) ?? [raw] }
        for v in values {
          buckets[d]![dim]!.add(v, s)
          buckets["overall"]![dim]!.add(v, s)
        }
      }
    }
    var out = JSONObject()
    let overallSource = dims[0].0  // VLMEvalKit's overall is the mean over the first dimension's lists
    for d in bucketKeys + ["overall"] {
      var o = JSONObject()
      o["overall"] = .string(Num.meanText(buckets[d]![overallSource]!.all))
      for (dim, _) in dims {
        var inner = JSONObject()
        let b = buckets[d]![dim]!
        for k in b.keys { inner[k] = .string(Num.meanText(b[k])) }
        o[dim] = .object(inner)
      }
      out[d] = .object(o)
    }
    // Printed: overall, per duration, then per category of the main dimension over all durations.
    var printed: [SummaryRow] = []
    func row(_ group: String, _ name: String, _ v: [Double]) -> SummaryRow {
      let valid = v.filter { $0 >= 0 }
      return SummaryRow(group: group, name: name, correct: valid.reduce(0, +), total: valid.count, value: Num.mean(valid).map { $0 * 100 })
    }
    printed.append(row("overall", "overall", buckets["overall"]![overallSource]!.all))
    for d in bucketKeys where !buckets[d]![overallSource]!.all.isEmpty {
      printed.append(row(durationColumn, d, buckets[d]![overallSource]!.all))
    }
    let detail = spec.detail
    let b = buckets["overall"]![detail]!
    for k in b.keys where !b[k].isEmpty { printed.append(row(detail, k, b[k])) }
    return (.object(out), printed)
  }
}
