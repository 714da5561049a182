import VCore

/// MMMU's answer parsers as VLMEvalKit's VideoMMMU copies them (`videommmu.py`; MMMU's
/// `eval_utils.py`): `parse_multi_choice_response`, `parse_open_response` with its number
/// extraction and normalisation, and `eval_open`. Python `str` and `re` semantics, code point by
/// code point; the three number patterns are matched by hand with `re.findall`'s scanning.
public enum MMMUMatching {
  /// What `parse_*_response` returns for an empty answer (such rows are left out of the score).
  public static let apiError = "API Error"
  /// What `parse_multi_choice_response` returns when nothing matches (sic).
  public static let noAnswer = "No Answere Found"

  // MARK: multiple choice

  /// `parse_multi_choice_response(response, all_choices, index2ans)`: `options` are the option
  /// texts, lettered A, B, ... in order. Returns a letter, `noAnswer` or `apiError`.
  public static func parseMultiChoice(_ response: String, options: [String]) -> String {
    if response == apiError || response.isEmpty { return apiError }
    var r = PyStr(response)
    for c in [",", ".", "!", "?", ";", ":", "'"] { r = strip(r, Unicode.Scalar(c)!) }
    r = PyStr(" " + r.string + " ")
    let choices = options.indices.map(letter)
    var candidates: [String] = []
    var withPeriod = false, withColon = false, withBracket = false, byIndex = true
    for c in choices where r.contains(c + ".") {
      candidates.append(c)
      withPeriod = true
    }
    for c in choices where r.contains(c + ":") {
      candidates.append(c)
      withColon = true
    }
    if candidates.isEmpty {
      for c in choices where r.contains("(" + c + ")") {
        candidates.append(c)
        withBracket = true
      }
    }
    if candidates.isEmpty {
      for c in choices where r.contains(c + " ") { candidates.append(c) }
    }
    let lower = r.lower()
    if candidates.isEmpty && r.split().count > 5 {
      for (c, text) in zip(choices, options) where lower.contains(PyStr(text).lower()) {
        candidates.append(c)
        byIndex = false
      }
    }
    guard let first = candidates.first else { return noAnswer }
    guard candidates.count > 1 else { return first }
    // The last occurrence wins (np.argmax: the first of equal positions).
    let starts: [Int] = candidates.map { c in
      if !byIndex { return rfind(lower, PyStr(options[choices.firstIndex(of: c)!]).lower()) }
      if withPeriod { return rfind(r, PyStr(c + ".")) }
      if withColon { return rfind(r, PyStr(c + ":")) }
      if withBracket { return rfind(r, PyStr("(" + c + ")")) }
      return rfind(r, PyStr(" " + c + " "))
    }
    var best = 0
    for i in starts.indices where starts[i] > starts[best] { best = i }
    return candidates[best]
  }

  /// `chr(ord('A') + i)`: past Z it runs on into `[`, `\\`, ...
  public static func letter(_ i: Int) -> String { String(Character(Unicode.Scalar(UInt32(65 + i)) ?? "?")) }

  // MARK: open answers

  /// One normalised prediction of an open answer: a number (rounded to 2 decimals) or a
  /// lowercased text.
  public enum OpenItem: Equatable, Hashable, Sendable {
    case number(Double)
    case text(String)

    /// The item as Python's `repr` writes it inside a list.
    public var repr: String {
      switch self {
      case .number(let x): return Num.repr(x)
      case .text(let s): return MMMUMatching.pythonRepr(s)
      }
    }
  }

  /// `parse_open_response(response)`: nil for `API Error` (an empty answer), else the
  /// predictions, first occurrence first (VLMEvalKit's `list(set(...))` leaves the order to
  /// Python's string hashing; it does not change a score).
  ///
  /// `strict` drops the numbers the simple pattern finds inside a number that the comma or
  /// scientific pattern found whole (`1,234` parses to 1234 and 234 in VLMEvalKit, `1.5e3` to
  /// 1500, 1 and 3).
  public static func parseOpen(_ response: String, strict: Bool = false) -> [OpenItem]? {
    if response == apiError || response.isEmpty { return nil }
    let keys = keySubresponses(PyStr(response))
    var preds: [PyStr] = keys
    for k in keys { preds += extractNumbers(k, strict: strict).map(\.text) }
    // set(): equal items once; each NaN is its own object, so every NaN stays.
    var seen = Set<OpenItem>()
    var out: [OpenItem] = []
    for item in preds.flatMap(normalize) {
      if case .number(let x) = item, x.isNaN {
        out.append(item)
      } else if seen.insert(item).inserted {
        out.append(item)
      }
    }
    return out
  }

  /// The list as VLMEvalKit's `_score.xlsx` holds it: Python's `str(list)`.
  public static func listRepr(_ items: [OpenItem]) -> String { "[" + items.map(\.repr).joined(separator: ", ") + "]" }

  static let indicators = [
    "could be ", "so ", "is ", "thus ", "therefore ", "final ", "answer ", "result ", "are ", "in total ", "total ", "identify ",
    "recognize ", "calculated as ", "counted as ", "measured as ", "observed as ", "concluded as ", "found to be ", "equals ",
    "determined to be ", "number of ", "value is ", "adds up to ", "have ", "has ",
  ].map { PyStr($0) }
  static let trivial: Set<String> = [":", ",", ".", "!", "?", ";", "'"]

  /// `get_key_subresponses`: per line, the shortest tail after a key phrase (`=` too on the last
  /// line), else the whole cleaned response. The split pattern's `\.\s(?=[A-Z])` never matches
  /// the lowercased text, so lines are the only pieces (as in VLMEvalKit).
  static func keySubresponses(_ response: PyStr) -> [PyStr] {
    let cleaned = strip(response.strip(), ".").lower()
    let subs = cleaned.split("\n")
    var keys: [PyStr] = []
    for (i, resp) in subs.enumerated() {
      let ind = i == subs.count - 1 ? indicators + [PyStr("=")] : indicators
      var shortest: PyStr?
      for k in ind where resp.contains(k) {
        let tail = resp.split(k.string).last!.strip()
        // `if not shortest` also replaces an empty tail.
        if let s = shortest, !s.isEmpty {
          if tail.count < s.count { shortest = tail }
        } else {
          shortest = tail
        }
      }
      if let s = shortest, !s.isEmpty, !trivial.contains(s.strip().string) { keys.append(s) }
    }
    return keys.isEmpty ? [cleaned] : keys
  }

  /// A number found in a text, with where it was found.
  struct Found {
    var text: PyStr
    var range: Range<Int>
  }

  /// `extract_numbers`: the comma pattern's matches, then the scientific one's, then the simple
  /// one's, each in `re.findall` order.
  static func extractNumbers(_ s: PyStr, strict: Bool) -> [Found] {
    let commas = findAll(s, commaNumber)
    let scientific = findAll(s, scientificNumber)
    var simple = findAll(s, simpleNumber)
    if strict {
      let whole = commas + scientific
      simple.removeAll { f in whole.contains { $0.range.lowerBound <= f.range.lowerBound && f.range.upperBound <= $0.range.upperBound } }
    }
    return commas + scientific + simple
  }

  /// `re.findall` for a matcher that gives the end of a match at a position (never empty).
  static func findAll(_ s: PyStr, _ match: (PyStr, Int) -> Int?) -> [Found] {
    var out: [Found] = []
    var i = 0
    while i < s.count {
      if let e = match(s, i) {
        out.append(Found(text: s[i..<e], range: i..<e))
        i = e
      } else {
        i += 1
      }
    }
    return out
  }

  static func isDigit(_ s: PyStr, _ i: Int) -> Bool { i >= 0 && i < s.count && s.u[i].properties.generalCategory == .decimalNumber }
  static func isWord(_ s: PyStr, _ i: Int) -> Bool {
    guard i >= 0 && i < s.count else { return false }
    let u = s.u[i]
    if u == "_" || u.properties.numericType != nil { return true }
    switch u.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }
  /// `\b` at position `i`.
  static func boundary(_ s: PyStr, _ i: Int) -> Bool { isWord(s, i - 1) != isWord(s, i) }
  static func digitRun(_ s: PyStr, _ i: Int) -> Int {
    var j = i
    while isDigit(s, j) { j += 1 }
    return j
  }
  static func at(_ s: PyStr, _ i: Int, _ c: Unicode.Scalar) -> Bool { i >= 0 && i < s.count && s.u[i] == c }

  /// The match of `body` at `i`, with an optional leading `-` taken first.
  static func signed(_ s: PyStr, _ i: Int, _ body: (Int) -> Int?) -> Int? {
    if at(s, i, "-"), let e = body(i + 1) { return e }
    return body(i)
  }

  /// `-?\b\d{1,3}(?:,\d{3})+\b`
  static func commaNumber(_ s: PyStr, _ i: Int) -> Int? {
    signed(s, i) { p in
      guard boundary(s, p), isDigit(s, p) else { return nil }
      let run = digitRun(s, p)
      guard run - p <= 3 else { return nil }
      var ends: [Int] = []
      var q = run
      while at(s, q, ","), isDigit(s, q + 1), isDigit(s, q + 2), isDigit(s, q + 3) {
        q += 4
        ends.append(q)
      }
      return ends.last { boundary(s, $0) }
    }
  }

  /// `-?\d+(?:\.\d+)?[eE][+-]?\d+`
  static func scientificNumber(_ s: PyStr, _ i: Int) -> Int? {
    signed(s, i) { p in
      guard isDigit(s, p) else { return nil }
      var q = digitRun(s, p)
      if at(s, q, "."), isDigit(s, q + 1) { q = digitRun(s, q + 1) }
      return exponentEnd(s, q)
    }
  }

  /// The end of `[eE][+-]?\d+` at `q`.
  static func exponentEnd(_ s: PyStr, _ q: Int) -> Int? {
    guard at(s, q, "e") || at(s, q, "E") else { return nil }
    if (at(s, q + 1, "+") || at(s, q + 1, "-")) && isDigit(s, q + 2) { return digitRun(s, q + 2) }
    return isDigit(s, q + 1) ? digitRun(s, q + 1) : nil
  }

  /// `-?(?:\d+\.\d+|\.\d+|\d+\b)(?![eE][+-]?\d+)(?![,\d])`
  static func simpleNumber(_ s: PyStr, _ i: Int) -> Int? {
    signed(s, i) { p in
      func tail(_ e: Int) -> Int? { exponentEnd(s, e) == nil && !at(s, e, ",") && !isDigit(s, e) ? e : nil }
      if isDigit(s, p) {
        let run = digitRun(s, p)
        if at(s, run, "."), isDigit(s, run + 1), let e = tail(digitRun(s, run + 1)) { return e }
        if boundary(s, run), let e = tail(run) { return e }
        return nil
      }
      if at(s, p, "."), isDigit(s, p + 1) { return tail(digitRun(s, p + 1)) }
      return nil
    }
  }

  /// `normalize_str`: a number (commas dropped, `round(x, 2)`), else the lowercased text, a
  /// one-character text padded both ways.
  static func normalize(_ text: PyStr) -> [OpenItem] {
    let s = text.strip()
    if let x = pythonFloat(s.replacing(",", with: "")) { return [.number(Num.round(x, 2))] }
    let l = s.lower()
    if l.count == 1 { return [.text(" " + l.string), .text(l.string + " ")] }
    return [.text(l.string)]
  }

  /// `normalize_str` of a gold answer.
  public static func normalizeGold(_ answer: String) -> [OpenItem] { normalize(PyStr(answer)) }

  /// `eval_open(gold, preds)`: a text prediction is right when it contains a text form of the
  /// gold answer, a number when it equals the gold number.
  public static func evalOpen(gold: String, _ preds: [OpenItem]) -> Bool {
    let answers = normalizeGold(gold)
    for p in preds {
      switch p {
      case .text(let t):
        let pt = PyStr(t)
        for case .text(let a) in answers where pt.contains(PyStr(a)) { return true }
      case .number(let x):
        if answers.contains(where: { if case .number(let y) = $0 { return x == y } else { return false } }) { return true }
      }
    }
    return false
  }

  /// `eval_open(gold, str(preds))` as VLMEvalKit's evaluate() runs it: the list comes back from
  /// `_score.xlsx` as its text, so each character is one text prediction.
  public static func evalOpenOnText(gold: String, _ text: String) -> Bool {
    evalOpen(gold: gold, text.unicodeScalars.map { .text(String($0)) })
  }

  // MARK: Python helpers

  /// `s.strip(c)` for one character.
  static func strip(_ s: PyStr, _ c: Unicode.Scalar) -> PyStr {
    var lo = 0, hi = s.count
    while lo < hi && s.u[lo] == c { lo += 1 }
    while hi > lo && s.u[hi - 1] == c { hi -= 1 }
    return s[lo..<hi]
  }

  /// `s.rfind(sub)` (-1 when absent).
  static func rfind(_ s: PyStr, _ sub: PyStr) -> Int {
    var last = -1
    var from = 0
    while let i = s.find(sub, from: from) {
      last = i
      from = i + 1
    }
    return last
  }

  /// Python's `float(text)`: optional whitespace and sign, decimal digits with single
  /// underscores between them, a fraction, an exponent; or `inf`, `infinity`, `nan`.
  package static func pythonFloat(_ text: PyStr) -> Double? {
    let u = text.strip().u
    var i = 0
    var negative = false
    if i < u.count && (u[i] == "+" || u[i] == "-") {
      negative = u[i] == "-"
      i += 1
    }
    let word = String(String.UnicodeScalarView(u[i...])).lowercased()
    if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
    if word == "nan" { return .nan }
    func digit(_ j: Int) -> Int? {
      guard j < u.count, u[j].properties.generalCategory == .decimalNumber, let v = u[j].properties.numericValue else { return nil }
      return Int(v)
    }
    // Digits from i, underscores only between two digits.
    func digits() -> String {
      var out = ""
      while i < u.count {
        if let d = digit(i) {
          out += String(d)
          i += 1
        } else if u[i] == "_", !out.isEmpty, digit(i + 1) != nil {
          i += 1
        } else {
          break
        }
      }
      return out
    }
    let whole = digits()
    var fraction = ""
    if i < u.count && u[i] == "." {
      i += 1
      fraction = digits()
    }
    guard !whole.isEmpty || !fraction.isEmpty else { return nil }
    var exponent = "0"
    if i < u.count && (u[i] == "e" || u[i] == "E") {
      i += 1
      var sign = ""
      if i < u.count && (u[i] == "+" || u[i] == "-") {
        sign = String(u[i])
        i += 1
      }
      let e = digits()
      guard !e.isEmpty else { return nil }
      exponent = sign + e
    }
    guard i == u.count else { return nil }
    let text = (negative ? "-" : "") + (whole.isEmpty ? "0" : whole) + "." + (fraction.isEmpty ? "0" : fraction) + "e" + exponent
    return Double(text)
  }

  /// Python's `repr(s)` for a string.
  public static func pythonRepr(_ s: String) -> String { PyText.repr(s) }
}
