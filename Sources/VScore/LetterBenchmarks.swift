import VCore

/// Video-MME, LongVideoBench and WorldSense (reference 4.5, 5.3, 5.5, 5.8): the first uppercase
/// option letter of the cleaned prediction against the answer letter; VLMEvalKit's judge
/// fallback can never change a score there (Q5), so none is offered.
struct LetterScorer {
  enum Kind { case videoMME, longVideoBench, worldSense }
  let rows: Rows
  let kind: Kind

  static let videoMMEDurations = ["short", "medium", "long"]
  static let videoMMEDomains = ["Knowledge", "Film & Television", "Sports Competition", "Artistic Performance", "Life Record", "Multilingual"]
  static let videoMMESubCategories = [
    "Humanity & History", "Literature & Art", "Biology & Medicine", "Finance & Commerce", "Astronomy", "Geography", "Law",
    "Life Tip", "Technology", "Animation", "Movie & TV Show", "Documentary", "News Report", "Esports", "Basketball", "Football",
    "Athletics", "Other Sports", "Stage Play", "Magic Show", "Variety Show", "Acrobatics", "Handicraft", "Food", "Fashion",
    "Daily Life", "Travel", "Pet & Animal", "Exercise", "Multilingual",
  ]
  static let videoMMETaskTypes = [
    "Temporal Perception", "Spatial Perception", "Attribute Perception", "Action Recognition", "Object Recognition",
    "OCR Problems", "Counting Problem", "Temporal Reasoning", "Spatial Reasoning", "Action Reasoning", "Object Reasoning",
    "Information Synopsis",
  ]
  static let lvbDurations = ["15", "60", "600", "3600"]
  static let lvbCategories = ["S2E", "S2O", "S2A", "E2O", "O2E", "T2E", "T2O", "T2A", "E3E", "O3O", "SSS", "SOS", "SAA", "T3E", "T3O", "TOS", "TAA"]
  static let wsDurations = ["<1min", "1-2min", "2-4min", "4-6min", "6-8min", ">8min"]
  static let wsDomains = ["Tech & Science", "Culture & Politics", "Daily Life", "Film & TV", "Performance", "Games", "Sports", "Music"]
  static let wsSubCategories = [
    "Academic Lectures", "Auto", "Software", "Physics", "Climate Change", "Space Missions", "Chemistry", "Engineering Projects",
    "Biology", "Science Explainers", "Artificial Intelligence", "Astronomy", "Tech Reviews", "Editorials", "Politics",
    "Historical Analysis", "Social Commentary", "Book Reviews", "Cultural Explainers", "Drawing Tutorials", "Celebrity Interviews",
    "Art Exhibitions", "Fashion", "Travel", "Daily Vlogs", "Cooking", "Pranks", "Camping", "Nutrition & Health", "Home Improvement",
    "Painting & Photography", "Unboxing Videos", "Family Vlogs", "DIY & Crafts", "Skincare & Makeup", "Documentaries",
    "Film Trailers", "Event Livestreams", "Short Films", "Documentary Profiles", "Movie Reviews", "World News", "Talks", "Parodies",
    "Storytime", "Stand-up", "Sketches", "FPS Game", "Casual Game", "Role Playing Game", "Sports Game", "Basketball", "Racing",
    "Football", "Bowling Ball", "Soccer", "Motorsport", "swimming", "Boxing", "Other Sports", "Fitness", "Fishing", "Hiking",
    "Covers", "Music Videos", "Remixes", "Walkthroughs",
  ]
  static let wsTaskDomains = ["Recognition", "Understanding", "Reasoning"]
  static let wsTaskTypes = [
    "Anomaly Recognition", "Event Recognition", "Attribute Recognition", "Human Interaction", "Temporal Localization",
    "Video Emotions", "Event Sorting", "Hallucination", "Text and Diagram Understanding", "Attribute Reasoning", "Causal Reasoning",
    "Object Counting", "Action Counting", "Temporal Prediction", "Emotion Change", "Audio Counting", "Scene Recognition",
    "Human-object Interaction", "Human Emotions", "Object State Change", "Relation Reasoning", "Spatial Relation",
    "Audio Source Localization", "Audio Recognition", "Object Existence Recognition", "Audio Change",
  ]
  static let wsAudioClasses = ["Speech", "Event", "Music"]

  var name: String {
    switch kind {
    case .videoMME: "Video-MME"
    case .longVideoBench: "LongVideoBench"
    case .worldSense: "WorldSense"
    }
  }

  /// The answer letter of row `r`.
  func answer(_ r: Int) throws -> String {
    if kind == .longVideoBench {
      guard let c = rows.cell(r, "correct_choice"), let i = Int(Num.integerText(c)), (0..<26).contains(i) else {
        throw SimpleToolError("row \(rows.id(r)): correct_choice must be an option number", status: .dataError)
      }
      return String(UnicodeScalar(UInt8(65 + i)))
    }
    guard let a = rows.cell(r, "answer") else { throw SimpleToolError("row \(rows.id(r)): no answer", status: .dataError) }
    return a
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    let letters = kind == .longVideoBench ? "ABCDE" : "ABCD"
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
    var summary = Summary(dataset: ctx.dataset, rules: name, mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    if failedAsCorrect > 0 {
      summary.notes.append("\(failedAsCorrect) failed answers scored as correct: the 'A' of 'API' in VLMEvalKit's failure text is read as option A (Q4); --strict counts them wrong")
    }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    return Outcome(scores: scores.map(Num.cell), rating: rating, summary: summary, badRows: bad)
  }

  /// The nested `_rating.json` and the printed rows.
  func rating(_ scores: [Double?]) -> (JSONValue, [SummaryRow]) {
    let durations: [String]
    let dims: [(String, [String])]
    let durationColumn: String
    switch kind {
    case .videoMME:
      durations = Self.videoMMEDurations
      durationColumn = "duration"
      dims = [("domain", Self.videoMMEDomains), ("sub_category", Self.videoMMESubCategories), ("task_type", Self.videoMMETaskTypes)]
    case .longVideoBench:
      durations = Self.lvbDurations
      durationColumn = "duration_group"
      dims = [("question_category", Self.lvbCategories)]
    case .worldSense:
      durations = Self.wsDurations
      durationColumn = "duration"
      dims = [
        ("domain", Self.wsDomains), ("sub_category", Self.wsSubCategories), ("task_domain", Self.wsTaskDomains),
        ("task_type", Self.wsTaskTypes), ("audio_class", Self.wsAudioClasses),
      ]
    }
    // WorldSense lists the 6 durations, then overall; the others overall last too.
    var bucketKeys = durations
    var buckets: [String: [String: Buckets]] = [:]
    for d in durations + ["overall"] { buckets[d] = Dictionary(uniqueKeysWithValues: dims.map { ($0.0, Buckets($0.1)) }) }
    for (r, s) in scores.enumerated() {
      guard let s else { continue }
      var d = rows.cell(r, durationColumn) ?? "unknown"
      if kind == .longVideoBench { d = Num.integerText(d) }
      if buckets[d] == nil {
        bucketKeys.append(d)
        buckets[d] = Dictionary(uniqueKeysWithValues: dims.map { ($0.0, Buckets($0.1)) })
      }
      for (dim, _) in dims {
        var values = [rows.cell(r, dim) ?? "unknown"]
        if dim == "audio_class", let raw = rows.cell(r, dim) { values = (try? PythonLiteral.stringList(raw)) ?? [raw] }
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
    let detail = kind == .longVideoBench ? "question_category" : "task_type"
    let b = buckets["overall"]![detail]!
    for k in b.keys where !b[k].isEmpty { printed.append(row(detail, k, b[k])) }
    return (.object(out), printed)
  }
}
