import Foundation
import VCore
import VData
import VPrompt
import VScore

// DREAM-1K (VLMEvalKit `vlmeval/dataset/dream.py`, configs in `video_dataset_config.py`; families
// reference 4.17): detailed video captions scored by AutoDQ, a chained judge: round 1 extracts
// the events of the reference caption and of the prediction, round 2 classifies each event
// against the other caption (entailment both ways); recall, precision and F1 as `evaluate` has
// them.

extension Benchmark {
  /// `save_video_frames` and `build_prompt` read `{root}/{video.replace('video/', '')}.mp4` (the
  /// root is `LMUData/datasets/DREAM`, where the zip is flattened) and cache the frames under
  /// `images/DREAM-1K/{the same name}`; a video LLM gets the same file.
  public static let dream: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", valueRemovals: ["video/"])
    return Benchmark(
      name: "DREAM-1K", datasets: ["DREAM-1K"],
      configs: [
        BenchmarkConfig("DREAM-1K_8frame", dataset: "DREAM-1K", spec: .frames(8), video: video),
        BenchmarkConfig("DREAM-1K_64frame", dataset: "DREAM-1K", spec: .frames(64), video: video),
        BenchmarkConfig("DREAM-1K_2fps", dataset: "DREAM-1K", spec: .perSecond(2), video: video),
        BenchmarkConfig("DREAM-1K_1fps", dataset: "DREAM-1K", spec: .perSecond(1), video: video),
        BenchmarkConfig("DREAM-1K_0.5fps", dataset: "DREAM-1K", spec: .perSecond(0.5), video: video),
      ],
      // `build_prompt`: the frames (or the video), then the question: the generic `vqa`.
      prompt: GenericTemplates.VQA(), scoring: DREAMRule(),
      sources: [
        DatasetSource(
          name: "DREAM-1K", repo: "omni-research/DREAM-1K", include: { $0 == "video/video.zip" },
          tsvFile: HubFile(repo: "mjuicem/DREAM-1k-VLMEvalKit", path: "DREAM-1K.tsv"), preparation: DREAMPreparation(video: video))
      ])
  }()
}

/// `DREAM.prepare_dataset`: the TSV from `mjuicem/DREAM-1k-VLMEvalKit` (vtools copies it into the
/// root), `video/video.zip` from `omni-research/DREAM-1K` (the only file downloaded) flattened
/// into the root, entries with `__MACOSX` in their name skipped, when the root has no `.mp4`.
/// Upstream's root is `LMUData/datasets/DREAM` with the zip moved there; vdata's is the snapshot,
/// the zip stays at `video/video.zip`. The check: every row's `{root}/{video}.mp4` (`video/`
/// removed) exists.
struct DREAMPreparation: DatasetPreparation {
  let video: VideoRule

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { [video] in $0["video"].map { V2PBenchPreparation.withExtension(video.removingValueParts($0), ".mp4") } }
      .holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    ArchiveExtractor.removeStaleStaging(in: root)
    if Tree.list(root).contains(where: { $0.hasSuffix(".mp4") && !Tree.isDirectory(Tree.join(root, $0)) }) { return }
    let zip = Tree.join(root, "video/video.zip")
    guard Tree.exists(zip) else { throw .missing(path: zip, hint: "DREAM-1K's videos are omni-research/DREAM-1K's video/video.zip") }
    diag.verbose("extracting video/video.zip")
    try ArchiveExtractor.extractFlat(zip, into: root, skippingNamesContaining: "__MACOSX")
  }
}

/// The judge prompts of `dream.py`, verbatim (the `.format` fields filled in).
enum DREAMTexts {
  /// `EXTRACTION_PROMPT.format(caption=...)`.
  static func extraction(caption: String) -> String {
    "Bellow is a description of a video clip:\nVideo Description: \(caption)\n\nExtract at most 10 key events from the above video description paragraph. Requirements\n:- An event must include an action, motion or movement (NOT STATIC INFORMATION). DON'T repeat same events.\n- Every event is represented by a brief sentence within 10 words, with a subject,  a predicate and optionally an object, avoid unnecessary appearance descriptions.\n- Every event must be atomic, meaning that it cannot be further split into multiple events.\n- Scene cuts and camera motions are NOT events.\n- Substitute pronouns by the nouns they refer to.\n\nPlease generate the response in the form of a Python dictionary string with keys \"events\".The value of \"events\" is a List(str), of which each item is an event. DO NOT PROVIDE ANY OTHER OUTPUT TEXT OR EXPLANATION. Only provide the Python dictionary string. For example, your response should look like this: {\"events\": [event1, event2, ...]}"
  }

  /// `RELATIONSHIP_PROMPT.format(prediction=..., events=str(events))`.
  static func relationship(description: String, events: String) -> String {
    "Given a video description and a list of events. For each event, classify the relationship between the video description and the event into three classes: entailment, neutral, contradiction.\n- \"entailment\" means that the video description entails the event.\n- \"contradiction\" means that some detail in the video description contradicts with the event.\n- \"neutral\" means that the relationship is neither \"entailment\" or \"contradiction\".\n\nVideo Description:\n\(description)\n\nEvents: \(events)\nOutput a JSON formed as:\n{\n  \"events\": [\n{\"event\":\"copy an event here\",\"relationship\":\"put class name here\",\"reason\":\"give your reason here\"},\n    ...\n  ]\n}\n\nDO NOT PROVIDE ANY OTHER OUTPUT TEXT OR EXPLANATION. Only output the JSON. Output:"
  }
}

/// AutoDQ (`DREAM.evaluate`). Record ids: round 1 `{id}:gt` (the reference's events, unless the
/// row's `events` cell is JSON) and `{id}:pred`; round 2 `r2:{id}:recall` (the reference's events
/// against the prediction) and `r2:{id}:precision` (the prediction's events against the
/// reference). An empty event list is not asked about (VLMEvalKit answers `{"events": []}`
/// itself).
struct DREAMRule: ScoringRule {
  var name: String { "dream" }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    // Without the reference captions nothing is asked; `score` says why.
    guard rows.table.has("answer") else { return .prompts([]) }
    return .prompts(
      (0..<rows.count).flatMap { r -> [JudgePrompt] in
        guard let pred = rows.prediction(r) else { return [] }
        let id = rows.id(r)
        var out: [JudgePrompt] = []
        if DREAMScorer.columnEvents(rows, r) == nil {
          out.append(JudgePrompt(id: id + ":gt", kind: "dream_extract", prompt: DREAMTexts.extraction(caption: DREAMScorer.answer(rows, r))))
        }
        out.append(JudgePrompt(id: id + ":pred", kind: "dream_extract", prompt: DREAMTexts.extraction(caption: pred)))
        return out
      })
  }

  func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt] {
    guard round == 2 else { return [] }
    return (0..<rows.count).flatMap { r -> [JudgePrompt] in
      guard let pred = rows.prediction(r) else { return [] }
      let s = DREAMScorer(rows: rows, replies: replies, strict: strict)
      guard case .events(let gt)? = s.gtEvents(r), case .events(let mine)? = s.predEvents(r) else { return [] }
      let id = rows.id(r)
      var out: [JudgePrompt] = []
      if DREAMParse.truthy(gt) {
        out.append(
          JudgePrompt(
            id: id + ":recall", kind: "dream_relationship",
            prompt: DREAMTexts.relationship(description: pred, events: DREAMParse.repr(gt)), round: 2))
      }
      if DREAMParse.truthy(mine) {
        out.append(
          JudgePrompt(
            id: id + ":precision", kind: "dream_relationship",
            prompt: DREAMTexts.relationship(description: DREAMScorer.answer(rows, r), events: DREAMParse.repr(mine)), round: 2))
      }
      return out
    }
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else { throw CaptionQAJudge.needsJudge("DREAM-1K") }
    guard rows.table.has("answer") else {
      throw SimpleToolError(
        "the table has no 'answer' column (DREAM-1K's reference captions: merge the results with vmerge --meta on the dataset's TSV)",
        status: .dataError)
    }
    return DREAMScorer(rows: rows, replies: judged, strict: ctx.strict).score(ctx)
  }
}

/// `parse_json` and the Python semantics `process_sample` relies on (truthiness, `len`, `str`).
enum DREAMParse {
  /// `parse_json`: stripped; a leading ```` ```json ```` or ```` ```python ```` fence removed
  /// (every such marker and every ```` ``` ````); `True`/`False` replaced by `true`/`false`
  /// everywhere; cut to start at the first `{` and end at the last `}`; `json.loads`, else
  /// `ast.literal_eval`, else nil (None).
  static func parse(_ text: String) -> JSONValue? {
    var t = PyText.strip(text)
    if t.hasPrefix("```json") {
      t = PyText.strip(t.replacingOccurrences(of: "```json", with: "").replacingOccurrences(of: "```", with: ""))
    } else if t.hasPrefix("```python") {
      t = PyText.strip(t.replacingOccurrences(of: "```python", with: "").replacingOccurrences(of: "```", with: ""))
    }
    t = t.replacingOccurrences(of: "True", with: "true").replacingOccurrences(of: "False", with: "false")
    var u = Array(t.unicodeScalars)
    if u.first != "{", let i = u.firstIndex(of: "{") { u = Array(u[i...]) }
    if u.last != "}", let j = u.lastIndex(of: "}") { u = Array(u[...j]) }
    t = String(String.UnicodeScalarView(u))
    if let v = try? JSONParser.parse(t) { return v }
    return PyLiteralValue.parse(t)
  }

  /// Python's truth value of a parsed value.
  static func truthy(_ v: JSONValue) -> Bool {
    switch v {
    case .null: false
    case .bool(let b): b
    case .number(let n): (Double(n) ?? 0) != 0
    case .string(let s): !s.isEmpty
    case .array(let a): !a.isEmpty
    case .object(let o): !o.isEmpty
    }
  }

  /// Python's `len`, nil where it raises (numbers, booleans, None).
  static func len(_ v: JSONValue) -> Int? {
    switch v {
    case .string(let s): s.unicodeScalars.count
    case .array(let a): a.count
    case .object(let o): o.count
    default: nil
    }
  }

  /// Python's `str` of a parsed value (the repr of its items).
  static func repr(_ v: JSONValue) -> String {
    switch v {
    case .string(let s): PyText.repr(s)
    default: itemRepr(v)
    }
  }

  static func itemRepr(_ v: JSONValue) -> String {
    switch v {
    case .null: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .number(let n):
      if n.contains(where: { ".eE".contains($0) }) || Int(n) == nil, let d = Double(n) { return Num.repr(d) }
      return n
    case .string(let s): return PyText.repr(s)
    case .array(let a): return "[" + a.map(itemRepr).joined(separator: ", ") + "]"
    case .object(let o): return "{" + o.pairs.map { PyText.repr($0.key) + ": " + itemRepr($0.value) }.joined(separator: ", ") + "}"
    }
  }

  /// The entailments of a relationship reply (`parsed['events']`, each item's `relationship`
  /// lower-cased equal to `entailment`); nil where `process_sample` raises (an item that is no
  /// dict, a relationship that is no string, events that are no list).
  static func entailments(_ reply: String) -> Int? {
    guard let p = parse(reply), truthy(p) else { return 0 }
    switch p {
    case .object(let o):
      guard let events = o["events"] else { return 0 }
      switch events {
      case .array(let items):
        var n = 0
        for item in items {
          guard case .object(let e) = item else { return nil }
          let rel = e["relationship"] ?? .string("")
          guard case .string(let s) = rel else { return nil }
          if s.lowercased() == "entailment" { n += 1 }
        }
        return n
      // Iterating a dict's keys or a string's characters calls `.get` on a str: raises,
      // unless there is nothing to iterate.
      case .object(let d): return d.isEmpty ? 0 : nil
      case .string(let s): return s.isEmpty ? 0 : nil
      default: return nil
      }
    case .array(let a): return a.contains(.string("events")) ? nil : 0
    case .string(let s): return s.contains("events") ? nil : 0
    default: return 0
    }
  }
}

/// The per-row arithmetic of `process_sample` and the rating of `evaluate`.
struct DREAMScorer {
  let rows: Rows
  let replies: JudgeReplies
  let strict: Bool

  /// An event list, or why the row is scored -1.
  enum Events {
    case events(JSONValue)
    /// `process_sample` raises (its `except` scores the row -1).
    case raises
  }

  /// `gt_row['answer']` as `.format` prints it (`nan` for an empty cell).
  static func answer(_ rows: Rows, _ r: Int) -> String { rows.cell(r, "answer") ?? "nan" }

  /// `json.loads(gt_row['events'])` where the cell is there and is JSON.
  static func columnEvents(_ rows: Rows, _ r: Int) -> JSONValue? {
    guard let cell = rows.cell(r, "events") else { return nil }
    return try? JSONParser.parse(cell)
  }

  /// `parsed.get('events', []) if parsed else []` of an extraction reply.
  static func extracted(_ text: String) -> Events {
    guard let p = DREAMParse.parse(text), DREAMParse.truthy(p) else { return .events(.array([])) }
    guard case .object(let o) = p else { return .raises }
    return .events(o["events"] ?? .array([]))
  }

  /// The reply to a record, nil when it is not there yet or (`--strict`) failed.
  func reply(round: Int, _ id: String) -> JudgeReply? {
    guard let r = replies.reply(round: round, id) else { return nil }
    return strict && r.failed ? nil : r
  }

  func gtEvents(_ r: Int) -> Events? {
    if let e = Self.columnEvents(rows, r) { return .events(e) }
    return reply(round: 1, rows.id(r) + ":gt").map { Self.extracted($0.text) }
  }

  func predEvents(_ r: Int) -> Events? { reply(round: 1, rows.id(r) + ":pred").map { Self.extracted($0.text) } }

  /// What a row scores: (recall, precision, f1), all -1 where it raises; nil where a reply it
  /// needs is missing.
  func sample(_ r: Int) -> (Double, Double, Double)? {
    guard let gtE = gtEvents(r), let predE = predEvents(r) else { return nil }
    guard case .events(let gt) = gtE, case .events(let mine) = predE else { return (-1, -1, -1) }
    func side(_ events: JSONValue, _ id: String) -> Double?? {
      var matches = 0
      if DREAMParse.truthy(events) {
        guard let reply = reply(round: 2, rows.id(r) + ":" + id) else { return .some(nil) }
        guard let n = DREAMParse.entailments(reply.text) else { return nil }
        matches = n
        guard let count = DREAMParse.len(events) else { return nil }
        return .some(Double(matches) / Double(count))
      }
      return .some(1.0)
    }
    guard let recall = side(gt, "recall"), let precision = side(mine, "precision") else { return (-1, -1, -1) }
    guard let recall, let precision else { return nil }
    let f1 = recall + precision > 0 ? 2 * recall * precision / (recall + precision) : 0
    return (recall, precision, f1)
  }

  /// The score file (the table with `score_r`, `score_p`, `f1`; -1 for a row without a
  /// prediction, not judged, or raising) and `_rating.json`.
  func score(_ ctx: ScoreContext) -> Outcome {
    var recall: [Double] = [], precision: [Double] = [], f1: [Double] = []
    var unjudged = 0, raised = 0, failed = 0
    for r in 0..<rows.count {
      var s: (Double, Double, Double) = (-1, -1, -1)
      if rows.prediction(r) != nil {
        if let got = sample(r) {
          s = got
          if got.0 < 0 { raised += 1 }
        } else {
          unjudged += 1
        }
        let id = rows.id(r)
        for (k, i) in [(1, ":gt"), (1, ":pred"), (2, ":recall"), (2, ":precision")] where replies.reply(round: k, id + i)?.failed == true {
          failed += 1
        }
      }
      recall.append(s.0)
      precision.append(s.1)
      f1.append(s.2)
    }
    let valid = recall.indices.filter { recall[$0] >= 0 }
    var overall: JSONObject
    var printed: [SummaryRow]
    if valid.isEmpty {
      overall = JSONObject([("Recall", .number("0.0")), ("Precision", .number("0.0")), ("F1", .number("0.0"))])
      printed = ["Recall", "Precision", "F1"].map { SummaryRow(group: "AutoDQ", name: $0, total: 0, value: nil) }
    } else {
      let r = valid.map { recall[$0] }.reduce(0, +) / Double(valid.count)
      let p = valid.map { precision[$0] }.reduce(0, +) / Double(valid.count)
      let f = r + p > 0 ? 2 * r * p / (r + p) : 0
      let four = { (x: Double) in JSONValue.string(String(format: "%.4f", x)) }
      overall = JSONObject([("Recall", four(r)), ("Precision", four(p)), ("F1", four(f))])
      printed = [("Recall", r), ("Precision", p), ("F1", f)].map { SummaryRow(group: "AutoDQ", name: $0.0, total: valid.count, value: $0.1) }
    }
    let rating = JSONValue.object(
      JSONObject([("Overall", .object(overall)), ("num_valid", .int(valid.count)), ("num_total", .int(rows.count))]))
    var summary = Summary(dataset: ctx.dataset, rules: "DREAM-1K AutoDQ", mode: ctx.mode, metric: "mean", rows: printed)
    summary.notes.append(
      "judge: \(ctx.judgeName), two rounds (extract the events of the reference and the prediction, then entailment both ways); F1 from the mean recall and precision"
    )
    if unjudged > 0 { summary.notes.append("\(unjudged) rows with a prediction lack a judge reply: -1, out of the rating") }
    if raised > 0 { summary.notes.append("\(raised) rows whose replies VLMEvalKit's parsing raises on: -1, out of the rating, as in VLMEvalKit") }
    if failed > 0 {
      summary.notes.append(
        strict
          ? "\(failed) failed judgements: --strict leaves their rows unscored (-1)"
          : "\(failed) failed judgements read as replies, as VLMEvalKit reads them (an extraction that failed is an empty event list, scored 1.0)")
    }
    let cells = (0..<rows.count).map { r in rows.table.rows[r] + [Num.cell(recall[r]), Num.cell(precision[r])] }
    var o = Outcome(scores: f1.map { Num.cell($0) }, rating: rating, fileInfix: "_\(ctx.judgeName)", summary: summary)
    o.table = (rows.table.columns + ["score_r", "score_p"], cells)
    o.scoreColumn = "f1"
    return o
  }
}

/// `ast.literal_eval` of the literals a judge writes: dicts, lists, tuples and sets (as
/// arrays), strings (quotes and escapes as Python reads them, adjacent strings joined),
/// numbers, `None` (`True`/`False` never reach it: `parse_json` lower-cases them, which
/// `literal_eval` refuses). nil where `literal_eval` raises.
enum PyLiteralValue {
  static func parse(_ text: String) -> JSONValue? {
    var p = Parser(s: Array(text.unicodeScalars))
    p.skipSpace()
    guard let v = p.value(depth: 0) else { return nil }
    p.skipSpace()
    return p.pos == p.s.count ? v : nil
  }

  struct Parser {
    let s: [Unicode.Scalar]
    var pos = 0

    mutating func skipSpace() {
      while pos < s.count, [" ", "\t", "\n", "\r", "\u{0C}", "\u{0B}"].contains(s[pos]) { pos += 1 }
    }

    mutating func value(depth: Int) -> JSONValue? {
      guard depth < 256, pos < s.count else { return nil }
      switch s[pos] {
      case "{": return dict(depth: depth)
      case "[": return sequence(close: "]", depth: depth)
      case "(": return sequence(close: ")", depth: depth)
      case "'", "\"": return strings()
      default: return atom()
      }
    }

    mutating func dict(depth: Int) -> JSONValue? {
      pos += 1
      var o = JSONObject()
      var isSet = false
      var items: [JSONValue] = []
      while true {
        skipSpace()
        if pos < s.count, s[pos] == "}" {
          pos += 1
          return isSet ? .array(items) : .object(o)
        }
        guard let k = value(depth: depth + 1) else { return nil }
        skipSpace()
        if pos < s.count, s[pos] == ":", !isSet || (items.isEmpty && o.isEmpty) {
          pos += 1
          skipSpace()
          guard let v = value(depth: depth + 1) else { return nil }
          guard case .string(let key) = k else { return nil }
          o[key] = v
        } else if o.isEmpty {
          isSet = true
          items.append(k)
        } else {
          return nil
        }
        skipSpace()
        if pos < s.count, s[pos] == "," {
          pos += 1
        } else if pos >= s.count || s[pos] != "}" {
          return nil
        }
      }
    }

    mutating func sequence(close: Unicode.Scalar, depth: Int) -> JSONValue? {
      pos += 1
      var items: [JSONValue] = []
      while true {
        skipSpace()
        if pos < s.count, s[pos] == close {
          pos += 1
          return .array(items)
        }
        guard let v = value(depth: depth + 1) else { return nil }
        items.append(v)
        skipSpace()
        if pos < s.count, s[pos] == "," {
          pos += 1
        } else if pos >= s.count || s[pos] != close {
          return nil
        }
      }
    }

    /// One or more adjacent string literals, decoded by `PythonLiteral.stringList`.
    mutating func strings() -> JSONValue? {
      var out = ""
      repeat {
        let start = pos
        let q = s[pos]
        pos += 1
        while pos < s.count, s[pos] != q {
          if s[pos] == "\\" { pos += 1 }
          if pos < s.count, s[pos] == "\n" { return nil }
          pos += 1
        }
        guard pos < s.count else { return nil }
        pos += 1
        let literal = String(String.UnicodeScalarView(s[start..<pos]))
        guard let decoded = try? PythonLiteral.stringList("[" + literal + "]"), decoded.count == 1 else { return nil }
        out += decoded[0]
        skipSpace()
      } while pos < s.count && (s[pos] == "'" || s[pos] == "\"")
      return .string(out)
    }

    /// A number (an optional sign, digits, a fraction, an exponent) or `None`.
    mutating func atom() -> JSONValue? {
      if s.count - pos >= 4, String(String.UnicodeScalarView(s[pos..<(pos + 4)])) == "None" {
        pos += 4
        return .null
      }
      let start = pos
      if pos < s.count, s[pos] == "-" || s[pos] == "+" { pos += 1 }
      let digits = pos
      while pos < s.count, ("0"..."9").contains(s[pos]) || s[pos] == "." || s[pos] == "_" { pos += 1 }
      if pos < s.count, s[pos] == "e" || s[pos] == "E" {
        pos += 1
        if pos < s.count, s[pos] == "-" || s[pos] == "+" { pos += 1 }
        while pos < s.count, ("0"..."9").contains(s[pos]) { pos += 1 }
      }
      guard pos > digits else { return nil }
      let text = String(String.UnicodeScalarView(s[start..<pos])).replacingOccurrences(of: "_", with: "")
      guard Double(text) != nil else { return nil }
      let clean = text.hasPrefix("+") ? String(text.dropFirst()) : text
      return .number(clean)
    }
  }
}
