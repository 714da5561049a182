import Foundation

// The EASI spatial scorer core: VLMEvalKit's `vlmeval/dataset/utils/spatial_bench/` (shared by
// VSI-Bench, VSI-SUPER, SITE-Bench, STI-Bench, DSR-Bench, MMSI-Video-Bench), rules path.
// What it offers (all on `EASI`):
// - `canMatchOption(_:)`: `matching_func.can_match_option` with its default letters A-F (nil for
//   its `False`); `optionText(_:)` is `str()` of that result, as `compute_mcq_score` compares it.
// - `canMatchNA(_:)`: `matching_func.can_match_na` (number words zero..twenty, <answer> tags,
//   last number after </think>, the bracketed-list form), nil for its `None`.
// - `exactMatch(_:_:)`: `cal_scores.exact_match`; `mcqHit(prediction:answer:)` is one row of
//   `compute_mcq_score` (both sides through can_match_option, so two misses are a hit, as there).
// - `mraThresholds`, `meanRelativeAccuracy(_:_:)`: `mean_relative_accuracy(.5, .95, .05)`, its 10
//   numpy thresholds and float comparisons (an error of 0.45 fails 0.55); `naScore(prediction:answer:)`
//   is one row of `compute_na_score` (0 when either side is not a number).
// - `caa(hits:optionCounts:)`: `compute_caa_score`; `optionCount(_:)` its `_safe_len_candidates`
//   with the default 4.
// - `pairwiseSum`, `pandasMean`: numpy's summation, what pandas' `mean` gives.
// - `groupMeans(keys:values:preferred:)`: eval_mcq_score's per-category means (preferred order
//   first, then first appearance, missing keys left out).
// - `JudgeTag`, `evalPaths(evalFile:judgeTag:)`: `build_eval_paths` names
//   (`{stem}_{judge_tag}.xlsx`, `{stem}_{judge_tag}_acc.csv`); `accTable(_:)` the wide
//   tab-separated `_acc.csv` text (`float_format='%.4f'`, NaN rows dropped).
// Regexes run on ICU (NSRegularExpression) with VLMEvalKit's patterns, made to read as Python's
// `re` reads them (`pythonPattern`): `\s` and `\S` with U+001C..U+001F as space, only `\n`
// ending a line for `.`, `^` and `$`.

public enum EASI {
  // MARK: - can_match_option

  static func re(_ p: String, _ o: NSRegularExpression.Options = []) -> NSRegularExpression {
    // The patterns are constants checked by the tests.
    try! NSRegularExpression(pattern: pythonPattern(p), options: o.union(.useUnixLineSeparators))  // swiftlint:disable:this force_try
  }

  /// A Python `re` pattern for ICU: Python's `\s` on str is `str.isspace()`, which holds for
  /// U+001C..U+001F too (ICU's White_Space does not), so `\s` and `\S` get them, inside a
  /// character class or not. `re` adds `.useUnixLineSeparators`: for Python only `\n` ends a
  /// line (ICU also `\r`, U+0085, U+2028, U+2029).
  static func pythonPattern(_ p: String) -> String {
    let space = #"\s\x{1C}-\x{1F}"#
    var out = "", inClass = false, escaped = false
    for c in p {
      if escaped {
        escaped = false
        switch (c, inClass) {
        case ("s", false): out += "[" + space + "]"
        case ("s", true): out += space
        case ("S", false): out += "[^" + space + "]"
        case ("S", true): out += "[^" + space + "]"  // a nested set: ICU unites it with the class
        default: out += "\\" + String(c)
        }
        continue
      }
      switch c {
      case "\\": escaped = true
      case "[" where !inClass:
        inClass = true
        out.append(c)
      case "]" where inClass:
        inClass = false
        out.append(c)
      default: out.append(c)
      }
    }
    return out
  }

  static let zeroWidth = re(#"[\x{200b}\x{200c}\x{200d}\x{feff}]"#)
  static let taggedBlock = re(
    #"<\s*answer\b[^>]*>\s*([A-Ja-j])(?:\s*[\.．:：\)\]】、])?.*?<\s*/\s*answer\s*>"#, [.caseInsensitive, .dotMatchesLineSeparators])
  static let beforeAnswer = re(#"(?<![A-Za-z])[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?\s*</\s*answer\s*>"#, .caseInsensitive)
  static let beforeThink = re(#"(?<![A-Za-z])[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?\s*</\s*think\s*>"#, .caseInsensitive)
  static let optionLinePrefix = re(#"^(?:[*_>\-\s]*)(?:option|选项)\s+[A-J]\s*[:：]"#, .caseInsensitive)
  static let mdSingle = re(#"^\s*[*_`>（）\[\]【】\(\)]*\s*([A-Fa-f])\s*[*_`（）\[\]【】\(\)]*\s*$"#)
  static let lineStartLabeled = re(#"^\s*([A-F])\s*[\.．:：\)\]】、-]\s+"#, .caseInsensitive)
  static let tokenInline = re(#"(?<![A-Za-z])[*_`（\[\{\(]*\s*([A-F])\s*[*_`）\]\})]*(?=$|[\s\.,:;!?\)\]】》」』，。；、：）】》」』])"#)
  static let phraseAfter = re(
    #"(?:final\s*answer|the\s*answer\s*is|answer(?:\s*is)?|correct\s*answer|答案|最终答案|结论|所以|因此|我选(?:择)?|选择|选)\s*[:：>＝=]?\s*[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?(?:\b|[.)、。])"#,
    .caseInsensitive)
  static let tokenUpperGlobal = re(#"(?<![A-Za-z])[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?(?![A-Za-z])"#)
  static let thinkEnd = re(#"</\s*think\s*>"#, .caseInsensitive)
  static let thinkStart = re(#"<\s*think\s*>"#, .caseInsensitive)

  static func matches(_ r: NSRegularExpression, _ s: String) -> [NSTextCheckingResult] {
    r.matches(in: s, range: NSRange(s.startIndex..., in: s))
  }

  static func group(_ m: NSTextCheckingResult, _ s: String, _ i: Int = 1) -> String? {
    Range(m.range(at: i), in: s).map { String(s[$0]) }
  }

  static func search(_ r: NSRegularExpression, _ s: String) -> String? {
    r.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)).flatMap { group($0, s) }
  }

  /// `str.upper()` of one ASCII letter.
  static func upper(_ s: String) -> String { s.uppercased() }

  /// `text[-n:]` by code points.
  static func tail(_ s: String, _ n: Int) -> String {
    let u = Array(s.unicodeScalars)
    return String(String.UnicodeScalarView(u.suffix(n)))
  }

  /// `str.splitlines()`: Python's line boundaries, `\r\n` as one.
  static func splitLines(_ s: String) -> [String] {
    let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
    var out: [String] = [], cur = String.UnicodeScalarView()
    let u = Array(s.unicodeScalars)
    var i = 0
    while i < u.count {
      if breaks.contains(u[i].value) {
        out.append(String(cur))
        cur = String.UnicodeScalarView()
        if u[i] == "\r" && i + 1 < u.count && u[i + 1] == "\n" { i += 1 }
      } else {
        cur.append(u[i])
      }
      i += 1
    }
    if !cur.isEmpty { out.append(String(cur)) }
    return out
  }

  static func removeZeroWidth(_ s: String) -> String {
    zeroWidth.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "")
  }

  /// `text[last match of r .end():].strip()`, nil when `r` does not occur.
  static func afterLast(_ r: NSRegularExpression, _ s: String) -> String? {
    guard let m = matches(r, s).last, let range = Range(m.range, in: s) else { return nil }
    return PyStr(String(s[range.upperBound...])).strip().string
  }

  static func pickFromLines(_ lines: [String]) -> String? {
    for line in lines.map({ PyStr($0).strip().string }).filter({ !$0.isEmpty }).reversed() {
      if !matches(optionLinePrefix, line).isEmpty { continue }
      if let g = search(mdSingle, line) { return upper(g) }
      if let m = lineStartLabeled.firstMatch(in: line, options: .anchored, range: NSRange(line.startIndex..., in: line)),
        let g = group(m, line)
      {
        return upper(g)
      }
      let tokens = Set(matches(tokenInline, line).compactMap { group($0, line) }.map(upper))
      if tokens.count == 1 { return tokens.first }
    }
    return nil
  }

  /// `can_match_option(answer_text)` with the default letters A-F: nil where it returns `False`.
  public static func canMatchOption(_ answerText: String) -> String? {
    let text = removeZeroWidth(PyStr(answerText).strip().string)
    if let g = search(taggedBlock, text) { return upper(g) }
    let tailBlock = tail(text, 800)
    for p in [beforeAnswer, beforeThink] {
      if let g = search(p, tailBlock) { return upper(g) }
    }
    let segment = afterLast(thinkEnd, text) ?? afterLast(thinkStart, text) ?? text
    if let p = pickFromLines(Array(splitLines(segment).suffix(6))) { return p }
    if let p = pickFromLines(Array(splitLines(tailBlock).suffix(6))) { return p }
    if let g = search(phraseAfter, text) { return upper(g) }
    let cleaned = splitLines(text).filter { matches(optionLinePrefix, $0).isEmpty }.joined(separator: "\n")
    let tokens = Set(matches(tokenUpperGlobal, cleaned).compactMap { group($0, cleaned) })
    return tokens.count == 1 ? tokens.first : nil
  }

  /// `str()` of can_match_option's result.
  public static func optionText(_ answerText: String) -> String { canMatchOption(answerText) ?? "False" }

  // MARK: - exact match, MCQ rows

  /// `exact_match(pred, target)`: stripped, lowercased equality.
  public static func exactMatch(_ pred: String, _ target: String) -> Double {
    PyStr(pred).strip().lower() == PyStr(target).strip().lower() ? 1 : 0
  }

  /// One row of `compute_mcq_score`: `exact_match(can_match_option(pred), can_match_option(gt))`,
  /// `False` against `False` a hit, as there.
  public static func mcqHit(prediction: String, answer: String) -> Double {
    exactMatch(optionText(prediction), optionText(PyStr(answer).strip().string))
  }

  // MARK: - can_match_na

  static let numberPattern = #"[-+]?(?:\d*\.\d+|\d+)(?:[eE][-+]?\d+)?"#
  static let number = re(numberPattern)
  static let taggedNumber = re(
    #"<\s*answer\b[^>]*>\s*("# + numberPattern + #")(?:[^\d<][^<]*)?<\s*/\s*answer\s*>"#, [.caseInsensitive, .dotMatchesLineSeparators])
  static let numberWords = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
  ]
  static let wordNumber = re(#"\b("# + numberWords.joined(separator: "|") + #")\b"#, .caseInsensitive)

  /// `normalize_number_words`: each word zero..twenty as its numeral.
  static func normalizeNumberWords(_ s: String) -> String {
    var out = "", last = s.startIndex
    for m in matches(wordNumber, s) {
      guard let r = Range(m.range, in: s) else { continue }
      out += s[last..<r.lowerBound]
      let w = String(s[r]).lowercased()
      out += numberWords.firstIndex(of: w).map(String.init) ?? String(s[r])
      last = r.upperBound
    }
    return out + s[last...]
  }

  /// Python's `float()` of a NUMERIC_PATTERN match (its digits may be any Unicode decimal digit).
  static func float(_ s: String) -> Double? {
    let ascii = String(
      String.UnicodeScalarView(
        s.unicodeScalars.map { c in
          if c.properties.generalCategory == .decimalNumber, let v = c.properties.numericValue, c.value > 0x7F {
            return Unicode.Scalar(UInt8(48 + Int(v)))
          }
          return c
        }))
    return Double(ascii)
  }

  /// The first element of `ast.literal_eval(s)` for a list of numbers, strings, True/False/None
  /// (as `str()` gives it, nil for an element with no number in it): `.some(nil)` for an empty
  /// list, nil where literal_eval would raise (names, other forms). Python's tokenizer takes only
  /// space, tab, form feed, CR and LF as white space (U+000B, U+001C..U+001F, NBSP, U+2028 are a
  /// SyntaxError), around the list and its elements alike.
  static func firstListElement(_ s: String) -> String?? {
    let blank: Set<Character> = [" ", "\t", "\u{0C}", "\n", "\r", "\r\n"]
    func trimmed(_ t: Substring) -> Substring {
      var t = t
      while let c = t.first, blank.contains(c) { t.removeFirst() }
      while let c = t.last, blank.contains(c) { t.removeLast() }
      return t
    }
    let list = trimmed(Substring(s))
    guard list.hasPrefix("["), list.hasSuffix("]") else { return nil }
    let body = list.dropFirst().dropLast()
    let items = body.split(separator: ",", omittingEmptySubsequences: false).map { String(trimmed($0)) }
    var elements = items
    if elements.last == "" { elements.removeLast() }
    if elements.isEmpty { return items.count <= 1 ? .some(nil) : nil }
    var firstText: String?
    for (i, e) in elements.enumerated() {
      var text: String
      if ["True", "False", "None"].contains(e) {
        text = e
      } else if e.count >= 2, let q = e.first, q == "'" || q == "\"", e.last == q, !e.dropFirst().dropLast().contains(q),
        !e.contains("\\")
      {
        text = String(e.dropFirst().dropLast())
      } else if let v = Double(e.replacingOccurrences(of: "_", with: "")), e.first.map({ "+-.0123456789".contains($0) }) ?? false {
        text = Num.repr(v)
        if !e.contains("."), !e.lowercased().contains("e"), let n = Int(e) { text = String(n) }
      } else {
        return nil
      }
      if i == 0 { firstText = text }
    }
    return .some(firstText)
  }

  /// `can_match_na(pred)` on a string: nil for its `None`.
  public static func canMatchNA(_ pred: String) -> Double? {
    var candidate = pred
    let s = PyStr(pred).strip().string
    if s.hasPrefix("[") && s.hasSuffix("]") {
      guard let first = firstListElement(pred) else { return nil }
      if let f = first { candidate = f }
    }
    let text = normalizeNumberWords(removeZeroWidth(PyStr(candidate).strip().string))
    if let g = search(taggedNumber, text), let v = float(g) { return v }
    let tailText = afterLast(thinkEnd, text) ?? afterLast(thinkStart, text) ?? text
    if let g = matches(number, tailText).last.flatMap({ group($0, tailText, 0) }) { return float(g) }
    if let g = matches(number, text).last.flatMap({ group($0, text, 0) }) { return float(g) }
    return nil
  }

  // MARK: - MRA

  /// `np.linspace(0.5, 0.95, int((0.95 - 0.5) / 0.05 + 2))`: the float quotient is just under
  /// 9, so there are 10 thresholds (not 11), computed as numpy does (`i * step + start`, the
  /// last set to `stop`).
  public static let mraThresholds: [Double] = {
    let count = Int((0.95 - 0.5) / 0.05 + 2)
    let step = (0.95 - 0.5) / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? 0.95 : Double($0) * step + 0.5 }
  }()

  /// `abs_dist_norm`: `abs((pred - target) / target)`, `abs(pred - target)` for a zero target.
  public static func absDistNorm(_ pred: Double, _ target: Double) -> Double {
    target == 0 ? abs(pred - target) : abs((pred - target) / target)
  }

  /// `mean_relative_accuracy(pred, target, .5, .95, .05)`: the share of thresholds `c` with
  /// `err <= 1 - c`, compared in float (1 - 0.55 is 0.44999999999999996).
  public static func meanRelativeAccuracy(_ pred: Double, _ target: Double) -> Double {
    let err = absDistNorm(pred, target)
    return Double(mraThresholds.filter { err <= 1 - $0 }.count) / Double(mraThresholds.count)
  }

  /// One row of `compute_na_score`: MRA of can_match_na(prediction) against `float(answer)`, 0
  /// when either is missing or the answer is NaN.
  public static func naScore(prediction: String, answer: String?) -> Double {
    guard let p = canMatchNA(prediction), let a = answer, let g = MMMUMatching.pythonFloat(PyStr(a)), !g.isNaN else { return 0 }
    return meanRelativeAccuracy(p, g)
  }

  // MARK: - CAA

  /// `_ensure_options_count_row`: the length of a `candidates` / `options` list literal, else 4.
  public static func optionCount(_ cell: String?, default d: Int = 4) -> Int {
    guard let c = cell, PyStr(c).strip().hasPrefix("[") else { return d }
    var depth = 0, n = 0, item = false
    var quote: Character?
    for ch in PyStr(c).strip().string {
      if let q = quote {
        if ch == q { quote = nil }
        continue
      }
      switch ch {
      case "'", "\"":
        quote = ch
        if depth == 1 { item = true }
      case "[", "(", "{":
        depth += 1
        if depth > 1 { item = true }
      case "]", ")", "}": depth -= 1
      case ",":
        if depth == 1 && item {
          n += 1
          item = false
        }
      default: if depth == 1 && !ch.isWhitespace { item = true }
      }
    }
    if item { n += 1 }
    return n > 0 ? n : d
  }

  /// `compute_caa_score`: `(sum X - sum 1/n) / (N - sum 1/n)`, 0 for no rows or a zero denominator.
  public static func caa(hits: [Bool], optionCounts: [Int]) -> Double {
    guard !hits.isEmpty else { return 0 }
    let inv = pairwiseSum(optionCounts.map { 1 / Double($0) }[...])
    let denom = Double(hits.count) - inv
    return denom != 0 ? (Double(hits.filter { $0 }.count) - inv) / denom : 0
  }

  // MARK: - numpy / pandas sums

  /// numpy's pairwise sum of a float64 array (what pandas' `mean` divides): blocks of up to
  /// 128 summed in eight interleaved partial sums, longer runs split in halves.
  public static func pairwiseSum(_ a: ArraySlice<Double>) -> Double {
    let n = a.count, s = a.startIndex
    if n < 8 { return a.reduce(0, +) }
    if n <= 128 {
      var r = Array(a[s..<(s + 8)])
      var i = 8
      while i < n - n % 8 {
        for j in 0..<8 { r[j] += a[s + i + j] }
        i += 8
      }
      var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
      while i < n {
        res += a[s + i]
        i += 1
      }
      return res
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(a[s..<(s + half)]) + pairwiseSum(a[(s + half)...])
  }

  /// pandas' `Series.mean()`: NaN left out of the count (summed as 0); NaN when none is left.
  public static func pandasMean(_ values: [Double?]) -> Double {
    let n = values.filter { $0 != nil }.count
    guard n > 0 else { return .nan }
    return pairwiseSum(values.map { $0 ?? 0 }[...]) / Double(n)
  }

  // MARK: - aggregation and files

  /// eval_mcq_score's per-group means: the preferred keys first, then the others in order of
  /// first appearance; rows without a key and keys without rows left out.
  public static func groupMeans(keys: [String?], values: [Double], preferred: [String] = []) -> [(key: String, mean: Double)] {
    var present: [String] = []
    var byKey: [String: [Double?]] = [:]
    for (k, v) in zip(keys, values) {
      guard let k else { continue }
      if byKey[k] == nil { present.append(k) }
      byKey[k, default: []].append(v)
    }
    let order = preferred + present.filter { !preferred.contains($0) }
    return order.compactMap { k in byKey[k].map { (k, pandasMean($0)) } }
  }

  /// `judge_tag`: `extract_matching` for the rules, `llm_{model}` (or `llm_matching`) for a judge.
  public enum JudgeTag: Equatable, Sendable {
    case extractMatching
    case llm(String?)

    public var text: String {
      switch self {
      case .extractMatching: "extract_matching"
      case .llm(let m): m.map { "llm_" + $0 } ?? "llm_matching"
      }
    }
  }

  /// `build_eval_paths(eval_file, judge_tag)`: the `_{tag}.xlsx` and `_{tag}_acc.csv` paths
  /// (get_intermediate_file_path replaces every `.{ext}` in the path, as str.replace does).
  public static func evalPaths(evalFile: String, judgeTag: JudgeTag) -> (xlsx: String, acc: String) {
    let ext = evalFile.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? evalFile
    func with(_ suffix: String, _ format: String) -> String {
      PyStr(evalFile).replacing("." + ext, with: suffix + "." + format).string
    }
    return (with("_" + judgeTag.text, "xlsx"), with("_" + judgeTag.text + "_acc", "csv"))
  }

  /// The `_acc.csv` text: one header row of metric names and one row of `%.4f` values,
  /// tab-separated; NaN values dropped (`dropna`).
  public static func accTable(_ metrics: [(String, Double)]) -> String {
    let kept = metrics.filter { !$0.1.isNaN }
    return kept.map(\.0).joined(separator: "\t") + "\n" + kept.map { String(format: "%.4f", $0.1) }.joined(separator: "\t") + "\n"
  }
}
