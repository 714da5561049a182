import VCore
import VData
import VPrompt
import VScore

// OMTG-Bench (VLMEvalKit `vlmeval/dataset/omtgbench.py`, configs in `video_dataset_config.py`;
// families reference 4.19): temporal grounding, intervals parsed from the answers.

extension Benchmark {
  /// VLMEvalKit reads frames from `{root}/videos/{video}.mp4` (the base class) but gives a video
  /// LLM `{root}/videos/{video}`: vtools reads `{root}/videos/{video}`, `.mp4` added when the
  /// value has no extension, for both; frames cache under `images/OMTGBench/{video}/`.
  public static let omtgBench: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "videos")
    return Benchmark(
      name: "OMTG-Bench", datasets: ["OMTGBench"],
      configs: [("1fps", 1.0), ("2fps", 2.0)].map {
        BenchmarkConfig("OMTGBench_\($0.0)", dataset: "OMTGBench", spec: .perSecond($0.1), video: video)
      },
      // `build_prompt`: the frames (or the video), then the question: the generic `vqa`.
      prompt: GenericTemplates.VQA(), scoring: OMTGBenchRule(),
      sources: [DatasetSource(name: "OMTGBench", repo: "insomnia7/omtg_bench", preparation: OMTGBenchPreparation())])
  }()
}

/// `OMTGBench.prepare_dataset`: the repo's `videos.zip` extracted into the root (its own tree)
/// when `videos/` is not there; the TSV is the repo's. Upstream's check is only that the TSV
/// and `videos/` exist; vtools also checks each row's video, `videos/{video}` (`.mp4` added to
/// a value without an extension), the file it reads.
struct OMTGBenchPreparation: DatasetPreparation {
  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video"].map { "videos/" + V2PBenchPreparation.withExtension($0, ".mp4") } }
      .holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    ArchiveExtractor.removeStaleStaging(in: root)
    let zip = Tree.join(root, "videos.zip")
    if Tree.exists(zip) && !Tree.exists(Tree.join(root, "videos")) {
      diag.verbose("extracting videos.zip")
      try ArchiveExtractor.extract(zip, into: root)
    }
    guard Tree.exists(source.tsvPath(root: root)) else { throw .missing(path: source.tsvPath(root: root), hint: "the repo ships it") }
  }
}

/// OMTG-Bench's parser and arithmetic (a namespace).
enum OMTG {}

struct OMTGBenchRule: ScoringRule {
  var name: String { "omtgbench" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("OMTGBench.evaluate parses time intervals from the answers; no judge")
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { try OMTGBenchScorer(rows: rows).score(ctx) }
}

extension OMTG {
  /// A time interval `[start, end]` in seconds.
  struct Interval: Equatable {
    var start: Double
    var end: Double
  }
}

extension OMTG {
  /// `parse_time_intervals(text)`: the `[start, end]` intervals a text names, `end > start` only.
  /// The first of these that finds any decides, the intervals sorted by start: `<time>S - E
  /// second(s)</time>`, then `S - E second(s)` (times may be `m:ss`); otherwise the union of
  /// `starts at S ... and ends at E`, `start is at S ... and (the) end is at E`, `S to E`, a bare
  /// `S - E` not followed by `second(s)` or `</time>`, and `[S, E]`, sorted by start with
  /// repeats dropped. Each pattern is Python's `re.findall` with `re.IGNORECASE`, run by a
  /// backtracking matcher of our own (`OMTG.Pattern`), so the captures are the ones Python takes
  /// (its lazy `(\S+?)` at the end of a pattern takes one character, for one).
  enum Parser {
    typealias P = OMTG.Pattern

    /// `\d+(?::\d+(?:\.\d+)?)?(?:\.\d+)?`.
    static let clock = P.seq([
      .plus(.digit), .optional(.seq([.text(":"), .plus(.digit), .optional(.seq([.text("."), .plus(.digit)]))])),
      .optional(.seq([.text("."), .plus(.digit)])),
    ])
    /// `\d+(?:\.\d+)?`.
    static let decimal = P.seq([.plus(.digit), .optional(.seq([.text("."), .plus(.digit)]))])
    /// `(?:\s+seconds?)?`.
    static let unit = P.optional(.seq([.plus(.space), .text("second"), .optional(.text("s"))]))

    static let timeTag = P.seq([
      .text("<time>"), .capture(.lazyPlus(.nonSpace)), .star(.space), .text("-"), .star(.space), .capture(.lazyPlus(.nonSpace)), .star(.space),
      .text("second"), .optional(.text("s")), .text("</time>"),
    ])
    static let withUnit = P.seq([
      .capture(clock), .star(.space), .text("-"), .star(.space), .capture(clock), .star(.space), .text("second"), .optional(.text("s")),
    ])
    static let startsAt = P.seq([
      .text("starts"), .plus(.space), .text("at"), .plus(.space), .capture(.lazyPlus(.nonSpace)), unit, .plus(.space), .text("and"), .plus(.space),
      .text("ends"), .plus(.space), .text("at"), .plus(.space), .capture(.lazyPlus(.nonSpace)), unit,
    ])
    static let startIsAt = P.seq([
      .text("start"), .plus(.space), .text("is"), .plus(.space), .text("at"), .plus(.space), .capture(.lazyPlus(.nonSpace)), unit, .plus(.space),
      .text("and"), .plus(.space), .optional(.seq([.text("the"), .plus(.space)])), .text("end"), .plus(.space), .text("is"), .plus(.space),
      .text("at"), .plus(.space), .capture(.lazyPlus(.nonSpace)), unit,
    ])
    static let to = P.seq([.capture(decimal), .plus(.space), .text("to"), .plus(.space), .capture(decimal)])
    static let dash = P.seq([
      .notAfterDigit, .capture(decimal), .star(.space), .text("-"), .star(.space), .capture(decimal),
      .notAhead(.seq([.star(.space), .alt([.seq([.text("second"), .optional(.text("s"))]), .text("</time>")])])),
    ])
    static let bracket = P.seq([
      .text("["), .star(.space), .capture(decimal), .star(.space), .text(","), .star(.space), .capture(decimal), .star(.space), .text("]"),
    ])

    static func parse(_ text: String) -> [OMTG.Interval] {
      let u = Array(text.unicodeScalars)
      var found: [OMTG.Interval] = []
      func add(_ pairs: [[String]], _ convert: (String) -> Double?) {
        for p in pairs {
          // `converter(s.strip())`; a ValueError drops the pair.
          guard let s = convert(PyText.strip(p[0])), let e = convert(PyText.strip(p[1])) else { continue }
          if e > s { found.append(OMTG.Interval(start: s, end: e)) }
        }
      }
      for p in [timeTag, withUnit] {
        add(p.findAll(u), seconds)
        if !found.isEmpty { return stableSorted(found) }
      }
      add(startsAt.findAll(u), seconds)
      add(startIsAt.findAll(u), seconds)
      for p in [to, dash, bracket] { add(p.findAll(u), OMTG.PyFloat.parse) }
      var unique: [OMTG.Interval] = []
      for i in stableSorted(found) where !unique.contains(i) { unique.append(i) }
      return unique
    }

    static func stableSorted(_ xs: [OMTG.Interval]) -> [OMTG.Interval] {
      xs.enumerated().sorted { $0.element.start < $1.element.start || ($0.element.start == $1.element.start && $0.offset < $1.offset) }.map(\.element)
    }

    /// `parse_time_to_seconds`: `s`, `m:s` or `h:m:s`, each part Python's `float`.
    static func seconds(_ text: String) -> Double? {
      let parts = PyText.strip(text).unicodeScalars.split(separator: ":", omittingEmptySubsequences: false).map {
        String(String.UnicodeScalarView($0))
      }
      let v = parts.map(OMTG.PyFloat.parse)
      guard v.allSatisfy({ $0 != nil }) else { return nil }
      switch v.count {
      case 1: return v[0]!
      case 2: return v[0]! * 60 + v[1]!
      case 3: return v[0]! * 3600 + v[1]! * 60 + v[2]!
      default: return nil
      }
    }
  }
}

extension OMTG {
  /// Python's `float(text)` for a `str`: surrounding whitespace, a sign, digits of any script with
  /// single `_` between them, a fraction, an exponent, or `inf`/`infinity`/`nan` in any case; nil
  /// where Python raises ValueError.
  enum PyFloat {
    static func parse(_ text: String) -> Double? {
      var ascii: [UInt8] = []
      for c in PyText.strip(text).unicodeScalars {
        if c.isASCII {
          ascii.append(UInt8(c.value))
        } else if c.properties.generalCategory == .decimalNumber, let d = c.properties.numericValue {
          ascii.append(UInt8(48 + Int(d)))
        } else {
          return nil
        }
      }
      var s = ascii[...]
      var sign = ""
      if let f = s.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
        sign = f == UInt8(ascii: "-") ? "-" : ""
        s = s.dropFirst()
      }
      let word = String(decoding: s, as: UTF8.self).lowercased()
      if word == "inf" || word == "infinity" { return sign == "-" ? -.infinity : .infinity }
      if word == "nan" { return .nan }
      // digits ('_' digits)*, with an optional '.', and an exponent.
      func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
      var out = sign
      var i = s.startIndex
      func digits() -> Bool {
        guard i < s.endIndex, isDigit(s[i]) else { return false }
        while i < s.endIndex {
          if isDigit(s[i]) {
            out.append(Character(UnicodeScalar(s[i])))
            i += 1
          } else if s[i] == UInt8(ascii: "_"), i + 1 < s.endIndex, isDigit(s[i + 1]) {
            i += 1
          } else {
            break
          }
        }
        return true
      }
      let whole = digits()
      if !whole { out += "0" }
      var fraction = false
      if i < s.endIndex, s[i] == UInt8(ascii: ".") {
        out += "."
        i += 1
        fraction = digits()
        if !fraction { out += "0" }
      }
      guard whole || fraction else { return nil }
      if i < s.endIndex, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
        out += "e"
        i += 1
        if i < s.endIndex, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
          out.append(Character(UnicodeScalar(s[i])))
          i += 1
        }
        guard digits() else { return nil }
      }
      guard i == s.endIndex else { return nil }
      return Double(out)
    }
  }
}

extension OMTG {
  /// A pattern of Python's `re`, as a value: just the parts OMTG-Bench's patterns use, matched
  /// with `re.IGNORECASE` on code points by backtracking in Python's order (greedy repeats try the
  /// longest first, lazy ones the shortest, alternatives left to right).
  indirect enum Pattern: Sendable {
    /// Literal text, ASCII, case-insensitive (with Python's `ı`, `İ`, `ſ` and Kelvin sign).
    case text(String)
    /// `\d` (any decimal digit), `\s` (Python's whitespace), `\S`.
    case digit, space, nonSpace
    case seq([OMTG.Pattern])
    case alt([OMTG.Pattern])
    case repeated(OMTG.Pattern, min: Int, max: Int?, lazy: Bool)
    /// A capturing group, numbered by its place among the captures of the pattern.
    case capture(OMTG.Pattern)
    /// `(?!...)`.
    case notAhead(OMTG.Pattern)
    /// `(?<!\d)`.
    case notAfterDigit

    static func plus(_ p: OMTG.Pattern) -> OMTG.Pattern { .repeated(p, min: 1, max: nil, lazy: false) }
    static func lazyPlus(_ p: OMTG.Pattern) -> OMTG.Pattern { .repeated(p, min: 1, max: nil, lazy: true) }
    static func star(_ p: OMTG.Pattern) -> OMTG.Pattern { .repeated(p, min: 0, max: nil, lazy: false) }
    static func optional(_ p: OMTG.Pattern) -> OMTG.Pattern { .repeated(p, min: 0, max: 1, lazy: false) }

    /// `re.findall`: the groups of each match, left to right, a match resuming where the last
    /// ended.
    func findAll(_ u: [Unicode.Scalar]) -> [[String]] {
      let numbered = numbering()
      var out: [[String]] = []
      var i = 0
      while i <= u.count {
        var groups: [Range<Int>?] = Array(repeating: nil, count: numbered.count)
        var end = -1
        let m = OMTG.Matcher(u: u)
        if m.match(
          numbered.pattern, i, &groups,
          { j, _ in
            end = j
            return true
          })
        {
          out.append(groups.map { r in r.map { String(String.UnicodeScalarView(u[$0])) } ?? "" })
          i = end > i ? end : i + 1
        } else {
          i += 1
        }
      }
      return out
    }

    /// The pattern with its captures numbered.
    private func numbering() -> (pattern: OMTG.Numbered, count: Int) {
      var n = 0
      func walk(_ p: OMTG.Pattern) -> OMTG.Numbered {
        switch p {
        case .text(let t): return .text(Array(t.unicodeScalars))
        case .digit: return .digit
        case .space: return .space
        case .nonSpace: return .nonSpace
        case .seq(let ps): return .seq(ps.map(walk))
        case .alt(let ps): return .alt(ps.map(walk))
        case .repeated(let p, let lo, let hi, let lazy): return .repeated(walk(p), min: lo, max: hi, lazy: lazy)
        case .capture(let p):
          let k = n
          n += 1
          return .capture(k, walk(p))
        case .notAhead(let p): return .notAhead(walk(p))
        case .notAfterDigit: return .notAfterDigit
        }
      }
      let p = walk(self)
      return (p, n)
    }
  }
}

extension OMTG {
  indirect enum Numbered {
    case text([Unicode.Scalar])
    case digit, space, nonSpace
    case seq([OMTG.Numbered])
    case alt([OMTG.Numbered])
    case repeated(OMTG.Numbered, min: Int, max: Int?, lazy: Bool)
    case capture(Int, OMTG.Numbered)
    case notAhead(OMTG.Numbered)
    case notAfterDigit
  }
}

extension OMTG {
  /// The backtracking matcher: `match(p, i, groups, k)` tries `p` at `i` in Python's order and
  /// calls the continuation `k` with each end; true when the continuation accepted one.
  struct Matcher {
    let u: [Unicode.Scalar]

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.generalCategory == .decimalNumber }

    /// `re.IGNORECASE` for an ASCII pattern character.
    static func sameIgnoringCase(_ p: Unicode.Scalar, _ c: Unicode.Scalar) -> Bool {
      if p == c { return true }
      let lp = p.value | 0x20
      guard p.isASCII, (0x61...0x7A).contains(lp) else { return false }
      if c.isASCII { return c.value | 0x20 == lp && (0x41...0x5A).contains(c.value & ~0x20) }
      switch (lp, c.value) {
      case (0x69, 0x130), (0x69, 0x131), (0x73, 0x17F), (0x6B, 0x212A): return true
      default: return false
      }
    }

    func match(_ p: OMTG.Numbered, _ i: Int, _ g: inout [Range<Int>?], _ k: (Int, inout [Range<Int>?]) -> Bool) -> Bool {
      switch p {
      case .text(let t):
        guard i + t.count <= u.count else { return false }
        for (o, c) in t.enumerated() where !Self.sameIgnoringCase(c, u[i + o]) { return false }
        return k(i + t.count, &g)
      case .digit:
        return i < u.count && Self.isDigit(u[i]) && k(i + 1, &g)
      case .space:
        return i < u.count && PyText.isSpace(u[i]) && k(i + 1, &g)
      case .nonSpace:
        return i < u.count && !PyText.isSpace(u[i]) && k(i + 1, &g)
      case .seq(let ps):
        return sequence(ps[...], i, &g, k)
      case .alt(let ps):
        for q in ps where match(q, i, &g, k) { return true }
        return false
      case .repeated(let q, let lo, let hi, let lazy):
        return repeated(q, lo, hi, lazy, 0, i, &g, k)
      case .capture(let n, let q):
        let saved = g[n]
        if match(
          q, i, &g,
          { j, g2 in
            let before = g2[n]
            g2[n] = i..<j
            if k(j, &g2) { return true }
            g2[n] = before
            return false
          })
        {
          return true
        }
        g[n] = saved
        return false
      case .notAhead(let q):
        var scratch = g
        if match(q, i, &scratch, { _, _ in true }) { return false }
        return k(i, &g)
      case .notAfterDigit:
        if i > 0 && Self.isDigit(u[i - 1]) { return false }
        return k(i, &g)
      }
    }

    private func sequence(_ ps: ArraySlice<OMTG.Numbered>, _ i: Int, _ g: inout [Range<Int>?], _ k: (Int, inout [Range<Int>?]) -> Bool) -> Bool {
      guard let first = ps.first else { return k(i, &g) }
      return match(first, i, &g) { j, g2 in sequence(ps.dropFirst(), j, &g2, k) }
    }

    private func repeated(
      _ q: OMTG.Numbered, _ lo: Int, _ hi: Int?, _ lazy: Bool, _ count: Int, _ i: Int, _ g: inout [Range<Int>?],
      _ k: (Int, inout [Range<Int>?]) -> Bool
    ) -> Bool {
      let canStop = count >= lo
      let canGo = hi.map { count < $0 } ?? true
      if lazy && canStop && k(i, &g) { return true }
      // One more: an iteration that matches nothing ends the repeat (Python's guard).
      if canGo && match(q, i, &g, { j, g2 in j > i && repeated(q, lo, hi, lazy, count + 1, j, &g2, k) }) { return true }
      if !lazy && canStop { return k(i, &g) }
      return false
    }
  }
}

/// `compute_one_to_many_metrics` per row, then `evaluate`'s means x 100 to `_score.json`.
struct OMTGBenchScorer {
  let rows: Rows

  static let thresholds: [(Double, String)] = [(0.3, "0.3"), (0.5, "0.5"), (0.7, "0.7")]
  /// `evaluate`'s metric keys, in its order.
  static let keys: [String] = ["tIoU", "C-Acc", "EtF1"] + thresholds.flatMap { ["tF1@\($0.1)", "tP@\($0.1)", "tR@\($0.1)"] }

  /// `calculate_iou`.
  static func iou(_ a: OMTG.Interval, _ b: OMTG.Interval) -> Double {
    let inter = pyMax(0, pyMin(a.end, b.end) - pyMax(a.start, b.start))
    let union = (a.end - a.start) + (b.end - b.start) - inter
    return union > 0 ? inter / union : 0
  }

  /// Python's `min(a, b)` / `max(a, b)`: the first unless the second is strictly beyond it.
  static func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
  static func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

  /// `merge_segments` (the input is sorted by start already).
  static func merge(_ segs: [OMTG.Interval]) -> [OMTG.Interval] {
    guard let first = segs.first else { return [] }
    var merged = [first]
    for s in segs.dropFirst() {
      if s.start <= merged[merged.count - 1].end {
        merged[merged.count - 1].end = pyMax(merged[merged.count - 1].end, s.end)
      } else {
        merged.append(s)
      }
    }
    return merged
  }

  /// One row's metrics, keyed as `keys`.
  static func metrics(pred predIn: [OMTG.Interval], gt gtIn: [OMTG.Interval]) throws(Assignment.Failure) -> [String: Double] {
    var pred = predIn, gt = gtIn
    let cAcc: Double = pred.count == gt.count ? 1 : 0
    let mp = merge(pred), mg = merge(gt)
    // `merge_segments` extends the end of the first segment object in place (merged[0] is it),
    // so the IoU matrix below sees the first interval of each side with its merged run's end.
    if let m = mp.first { pred[0].end = m.end }
    if let m = mg.first { gt[0].end = m.end }
    let predLen = mp.reduce(0.0) { $0 + ($1.end - $1.start) }
    let gtLen = mg.reduce(0.0) { $0 + ($1.end - $1.start) }
    var inter = 0.0
    for p in mp { for g in mg { inter += pyMax(0, pyMin(p.end, g.end) - pyMax(p.start, g.start)) } }
    let union = predLen + gtLen - inter
    var out: [String: Double] = ["C-Acc": cAcc, "tIoU": union > 0 ? inter / union : 0]
    if pred.isEmpty || gt.isEmpty {
      let v: Double = pred.isEmpty && gt.isEmpty ? 1 : 0
      for (_, t) in thresholds {
        out["tP@\(t)"] = v
        out["tR@\(t)"] = v
        out["tF1@\(t)"] = v
      }
      out["EtF1"] = v
      return out
    }
    let matrix = pred.map { p in gt.map { iou(p, $0) } }
    let pairs = try Assignment.minimize(matrix.map { $0.map { -$0 } })
    let matched = pairs.map { matrix[$0.row][$0.column] }
    var f1s: [Double] = []
    for (th, t) in thresholds {
      let tp = Double(matched.filter { $0 >= th }.count)
      let precision = tp / Double(pred.count), recall = tp / Double(gt.count)
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      out["tP@\(t)"] = precision
      out["tR@\(t)"] = recall
      out["tF1@\(t)"] = f1
      f1s.append(f1)
    }
    out["EtF1"] = cAcc * OMTG.NumPy.mean(f1s)
    return out
  }

  func score(_ ctx: ScoreContext) throws -> Outcome {
    guard rows.table.has("answer") else { throw SimpleToolError("the table has no 'answer' column (OMTG-Bench's intervals)", status: .dataError) }
    var columns: [String: [Double]] = [:]
    var scores: [String?] = []
    var unanswered = 0, noGold = 0, bad = 0
    for r in 0..<rows.count {
      // `str(row[...])`: a missing cell is NaN, 'nan', which names no interval.
      let predText = rows.prediction(r) ?? "nan"
      if rows.prediction(r).map({ PyStr($0).contains(failMarker) }) ?? true { unanswered += 1 }
      let pred = OMTG.Parser.parse(predText), gt = OMTG.Parser.parse(rows.cell(r, "answer") ?? "nan")
      if gt.isEmpty { noGold += 1 }
      let m: [String: Double]
      do {
        m = try Self.metrics(pred: pred, gt: gt)
      } catch {
        // linear_sum_assignment raises on a NaN IoU (intervals reaching infinity): VLMEvalKit stops.
        ctx.diag.warning("row \(rows.id(r)): the IoU matrix cannot be matched (\(error)); the row is left out (VLMEvalKit raises)")
        bad += 1
        scores.append(nil)
        continue
      }
      for k in Self.keys { columns[k, default: []].append(m[k]!) }
      scores.append(Num.repr(m["EtF1"]!))
    }
    var result = JSONObject()
    var summaryRows: [SummaryRow] = []
    for k in Self.keys {
      let v = OMTG.NumPy.mean(columns[k] ?? []) * 100
      result[k] = .double(v)
      summaryRows.append(SummaryRow(group: "metric", name: k, total: columns[k]?.count ?? 0, value: v))
    }
    var summary = Summary(dataset: ctx.dataset, rules: "OMTG-Bench", mode: ctx.mode, metric: "mean x 100", rows: summaryRows)
    summary.notes.append(
      "videos read from {root}/videos/{video} (.mp4 added when it has no extension) for frames and video LLMs alike: VLMEvalKit's frame path adds .mp4 to the value and its video-LLM path does not, so at most one of them works"
    )
    if unanswered > 0 { summary.notes.append("\(unanswered) failed or missing answers are parsed as text ('nan' when missing), as in VLMEvalKit") }
    if noGold > 0 { summary.notes.append("\(noGold) answers name no interval VLMEvalKit's parser reads") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be matched and are left out (VLMEvalKit raises)") }
    var outcome = Outcome(scores: scores, summary: summary, badRows: bad)
    outcome.extraRatings = [("_score", .object(result))]
    outcome.numericScores = true
    return outcome
  }
}

extension OMTG {
  /// OMTG.NumPy's arithmetic where VLMEvalKit's numbers come from it.
  enum NumPy {
    /// `np.mean(values)` of float64: OMTG.NumPy's pairwise sum (blocks of eight accumulators up to 128
    /// items, halves above), divided by the count; NaN for no values.
    static func mean(_ values: [Double]) -> Double {
      values.isEmpty ? .nan : pairwiseSum(values[...]) / Double(values.count)
    }

    static func pairwiseSum(_ a: ArraySlice<Double>) -> Double {
      let n = a.count, b = a.startIndex
      if n < 8 {
        var r = -0.0
        for x in a { r += x }
        return r
      }
      if n <= 128 {
        var r = Array(a[b..<(b + 8)])
        var i = 8
        while i < n - n % 8 {
          for j in 0..<8 { r[j] += a[b + i + j] }
          i += 8
        }
        var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n {
          res += a[b + i]
          i += 1
        }
        return res
      }
      var half = n / 2
      half -= half % 8
      return pairwiseSum(a[b..<(b + half)]) + pairwiseSum(a[(b + half)...])
    }
  }
}
