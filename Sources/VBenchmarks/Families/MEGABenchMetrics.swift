import Foundation
import VCore

// MEGA-Bench's response parsers and metrics (VLMEvalKit `vlmeval/dataset/utils/megabench/`),
// on Python values as `ast.literal_eval` gives them.

/// A Python value: what `ast.literal_eval` returns and the metrics compare. Numbers compare and
/// hash by value (`1 == 1.0 == True`), as Python's do; a list and a tuple differ.
indirect enum PyObj: Hashable, Sendable {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case str(String)
  case list([PyObj])
  case tuple([PyObj])
  case set([PyObj])
  case dict([(PyObj, PyObj)])

  var number: Double? {
    switch self {
    case .bool(let b): return b ? 1 : 0
    case .int(let i): return Double(i)
    case .float(let d): return d
    default: return nil
    }
  }

  var isNumber: Bool { number != nil }
  var string: String? {
    if case .str(let s) = self { return s }
    return nil
  }

  static func == (a: PyObj, b: PyObj) -> Bool {
    if let x = a.number, let y = b.number { return x == y }
    switch (a, b) {
    case (.none, .none): return true
    case (.str(let x), .str(let y)): return Array(x.unicodeScalars) == Array(y.unicodeScalars)
    case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)): return x == y
    case (.set(let x), .set(let y)): return Set(x) == Set(y)
    case (.dict(let x), .dict(let y)):
      guard x.count == y.count else { return false }
      return x.allSatisfy { kv in y.contains { $0.0 == kv.0 && $0.1 == kv.1 } }
    default: return false
    }
  }

  func hash(into h: inout Hasher) {
    if let n = number {
      h.combine(0)
      h.combine(n)
      return
    }
    switch self {
    case .none: h.combine(1)
    case .str(let s): h.combine(Array(s.unicodeScalars).map(\.value))
    case .list(let a), .tuple(let a): a.forEach { $0.hash(into: &h) }
    case .set(let a): h.combine(Set(a))
    case .dict(let d): h.combine(d.count)
    default: break
    }
  }

  /// `freeze_structure`: lists to tuples (so they can be set members), recursively.
  var frozen: PyObj {
    switch self {
    case .list(let a), .tuple(let a): return .tuple(a.map(\.frozen))
    case .dict(let d): return .set(d.map { .tuple([$0.0, $0.1.frozen]) })
    default: return self
    }
  }

  /// Python's `str(x)`: a string as it is, anything else as `repr`.
  var pyStr: String {
    if case .str(let s) = self { return s }
    return repr
  }

  /// Python's `repr(x)` for these types.
  var repr: String {
    switch self {
    case .none: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .float(let d): return PyFloat.repr(d)
    case .str(let s): return PyObj.reprString(s)
    case .list(let a): return "[" + a.map(\.repr).joined(separator: ", ") + "]"
    case .tuple(let a): return a.count == 1 ? "(" + a[0].repr + ",)" : "(" + a.map(\.repr).joined(separator: ", ") + ")"
    case .set(let a): return a.isEmpty ? "set()" : "{" + a.map(\.repr).joined(separator: ", ") + "}"
    case .dict(let d): return "{" + d.map { $0.0.repr + ": " + $0.1.repr }.joined(separator: ", ") + "}"
    }
  }

  /// `repr(str)`.
  static func reprString(_ s: String) -> String { PyText.repr(s) }

  /// The value as JSON (the results file): tuples and sets as arrays, dict keys as `str`.
  var json: JSONValue {
    switch self {
    case .none: return .null
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let d): return .double(d)
    case .str(let s): return .string(s)
    case .list(let a), .tuple(let a), .set(let a): return .array(a.map(\.json))
    case .dict(let d): return .object(JSONObject(d.map { ($0.0.pyStr, $0.1.json) }))
    }
  }

  init(json v: JSONValue) {
    switch v {
    case .null: self = .none
    case .bool(let b): self = .bool(b)
    case .number(let n): self = Int(n).map { .int($0) } ?? .float(Double(n) ?? .nan)
    case .string(let s): self = .str(s)
    case .array(let a): self = .list(a.map(PyObj.init(json:)))
    case .object(let o): self = .dict(o.pairs.map { (.str($0.key), PyObj(json: $0.value)) })
    }
  }

  subscript(key: String) -> PyObj? {
    guard case .dict(let d) = self else { return nil }
    return d.last { $0.0 == .str(key) }?.1
  }
}

/// Python's `repr(float)`: the shortest text that reads back, `.0` on integral values,
/// `inf`/`nan`, exponent form outside 1e-4..<1e16.
enum PyFloat {
  static func repr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == d.rounded(), abs(d) < 1e16 { return String(Int64(d)) + ".0" }
    var s = String(describing: d)
    if let e = s.firstIndex(of: "e") {
      var exp = String(s[s.index(after: e)...])
      let sign = exp.hasPrefix("-") ? "-" : "+"
      exp = exp.trimmingPrefix { $0 == "-" || $0 == "+" }.description
      if exp.count < 2 { exp = "0" + exp }
      s = String(s[..<e]) + "e" + sign + exp
    }
    return s
  }
}

/// `ast.literal_eval` of a text: strings (adjacent ones joined), numbers, `True`, `False`,
/// `None`, lists, tuples, sets, dicts, a leading `-`/`+`; nil where it raises.
enum PyLiteral {
  static func eval(_ text: String) -> PyObj? {
    var p = P(s: Array(text.unicodeScalars))
    p.space()
    guard let v = p.value(0) else { return nil }
    p.space()
    guard p.peek() == "," else { return p.i == p.s.count ? v : nil }
    // A bare tuple (`1, 2`).
    var items = [v]
    while p.peek() == "," {
      p.i += 1
      p.space()
      if p.i == p.s.count { break }
      guard let next = p.value(0) else { return nil }
      items.append(next)
      p.space()
    }
    return p.i == p.s.count ? .tuple(items) : nil
  }

  struct P {
    let s: [Unicode.Scalar]
    var i = 0

    mutating func space() { while i < s.count, [" ", "\t", "\n", "\r", "\u{0C}", "\u{0B}"].contains(s[i]) { i += 1 } }

    func peek() -> Unicode.Scalar? { i < s.count ? s[i] : nil }

    mutating func value(_ depth: Int) -> PyObj? {
      guard depth < 200, let c = peek() else { return nil }
      switch c {
      case "[": return seq("]", depth).map { .list($0) }
      case "(":
        let save = i
        i += 1
        space()
        if peek() == ")" {
          i += 1
          return .tuple([])
        }
        guard let first = value(depth + 1) else { return nil }
        space()
        if peek() == ")" {
          i += 1
          return first  // a parenthesised value
        }
        i = save
        return seq(")", depth).map { .tuple($0) }
      case "{": return braces(depth)
      case "'", "\"": return strings()
      default: return atom()
      }
    }

    mutating func seq(_ close: Unicode.Scalar, _ depth: Int) -> [PyObj]? {
      i += 1
      var out: [PyObj] = []
      while true {
        space()
        if peek() == close {
          i += 1
          return out
        }
        guard let v = value(depth + 1) else { return nil }
        out.append(v)
        space()
        if peek() == "," {
          i += 1
        } else if peek() != close {
          return nil
        }
      }
    }

    mutating func braces(_ depth: Int) -> PyObj? {
      i += 1
      var pairs: [(PyObj, PyObj)] = []
      var items: [PyObj] = []
      while true {
        space()
        if peek() == "}" {
          i += 1
          if !items.isEmpty { return .set(Array(Set(items.map(\.frozen)))) }
          return .dict(pairs)
        }
        guard let k = value(depth + 1) else { return nil }
        space()
        if peek() == ":", items.isEmpty {
          i += 1
          space()
          guard let v = value(depth + 1) else { return nil }
          // A later duplicate key replaces the earlier value in place.
          if let at = pairs.firstIndex(where: { $0.0 == k }) { pairs[at].1 = v } else { pairs.append((k, v)) }
        } else if pairs.isEmpty {
          items.append(k)
        } else {
          return nil
        }
        space()
        if peek() == "," {
          i += 1
        } else if peek() != "}" {
          return nil
        }
      }
    }

    mutating func strings() -> PyObj? {
      var out = ""
      repeat {
        let start = i
        let q = s[i]
        // Triple quotes.
        let triple = i + 2 < s.count && s[i + 1] == q && s[i + 2] == q
        i += triple ? 3 : 1
        while true {
          guard i < s.count else { return nil }
          if s[i] == "\\" {
            i += 2
            continue
          }
          if triple {
            if i + 2 < s.count, s[i] == q, s[i + 1] == q, s[i + 2] == q {
              i += 3
              break
            }
          } else {
            if s[i] == q {
              i += 1
              break
            }
            if s[i] == "\n" { return nil }
          }
          i += 1
        }
        let body = Array(s[(start + (triple ? 3 : 1))..<(i - (triple ? 3 : 1))])
        guard let decoded = Self.unescape(body) else { return nil }
        out += decoded
        space()
      } while i < s.count && (s[i] == "'" || s[i] == "\"")
      return .str(out)
    }

    static func unescape(_ b: [Unicode.Scalar]) -> String? {
      var out = String.UnicodeScalarView()
      var k = 0
      while k < b.count {
        let c = b[k]
        guard c == "\\", k + 1 < b.count else {
          out.append(c)
          k += 1
          continue
        }
        let e = b[k + 1]
        k += 2
        switch e {
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "r": out.append("\r")
        case "\\": out.append("\\")
        case "'": out.append("'")
        case "\"": out.append("\"")
        case "\n": break
        case "a": out.append("\u{07}")
        case "b": out.append("\u{08}")
        case "f": out.append("\u{0C}")
        case "v": out.append("\u{0B}")
        case "0"..."7":
          var v = e.value - 48
          var n = 1
          while n < 3, k < b.count, ("0"..."7").contains(b[k]) {
            v = v * 8 + b[k].value - 48
            k += 1
            n += 1
          }
          guard let u = Unicode.Scalar(v) else { return nil }
          out.append(u)
        case "x", "u", "U":
          let len = e == "x" ? 2 : e == "u" ? 4 : 8
          guard k + len <= b.count, let v = UInt32(String(String.UnicodeScalarView(b[k..<(k + len)])), radix: 16), let u = Unicode.Scalar(v)
          else { return nil }
          out.append(u)
          k += len
        default:
          out.append("\\")
          out.append(e)
        }
      }
      return String(out)
    }

    mutating func atom() -> PyObj? {
      for (word, v) in [("None", PyObj.none), ("True", .bool(true)), ("False", .bool(false))] {
        let w = Array(word.unicodeScalars)
        if i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w, i + w.count == s.count || !Self.isIdent(s[i + w.count]) {
          i += w.count
          return v
        }
      }
      var sign = 1.0
      var neg = false
      if peek() == "-" || peek() == "+" {
        neg = peek() == "-"
        sign = neg ? -1 : 1
        i += 1
        space()
      }
      let start = i
      var isFloat = false
      while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "_" { i += 1 }
      if peek() == "." {
        isFloat = true
        i += 1
        while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "_" { i += 1 }
      }
      if i > start, peek() == "e" || peek() == "E" {
        isFloat = true
        i += 1
        if peek() == "-" || peek() == "+" { i += 1 }
        let d = i
        while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
        if i == d { return nil }
      }
      guard i > start else { return nil }
      if i < s.count, Self.isIdent(s[i]) { return nil }
      let text = String(String.UnicodeScalarView(s[start..<i])).replacingOccurrences(of: "_", with: "")
      if text == "." { return nil }
      if !isFloat {
        // Python ints have no leading zeros (except 0 itself).
        if text.count > 1 && text.hasPrefix("0") && text.contains(where: { $0 != "0" }) { return nil }
        guard let v = Int(text) else { return Double(text).map { .float(sign * $0) } }
        return .int(neg ? -v : v)
      }
      guard let d = Double(text) else { return nil }
      return .float(sign * d)
    }

    static func isIdent(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) }
  }
}

/// The parsing helpers of `parsing/common/utils.py` and `parsers.py`, with VLMEvalKit's patterns
/// on ICU.
enum MEGAParse {
  static func re(_ p: String, _ o: NSRegularExpression.Options = []) -> NSRegularExpression {
    try! NSRegularExpression(pattern: p, options: o)  // swiftlint:disable:this force_try
  }

  /// `re.search` with groups (nil for a group that did not take part).
  static func search(_ r: NSRegularExpression, _ s: String) -> [String?]? {
    let ns = s as NSString
    guard let m = r.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
    return (0..<m.numberOfRanges).map { k in
      let range = m.range(at: k)
      return range.location == NSNotFound ? nil : ns.substring(with: range)
    }
  }

  static func strip(_ s: String) -> String { PyText.strip(s) }

  /// Python's `str.split(sep)` on code points.
  static func split(_ s: String, _ sep: String) -> [String] { PyText.split(s, sep) }

  /// Python's `str.splitlines()`: at `\n`, `\r`, `\r\n` and the other line boundaries, no
  /// empty last line.
  static func splitLines(_ s: String) -> [String] {
    let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
    let u = Array(s.unicodeScalars)
    var out: [String] = []
    var start = 0, i = 0
    while i < u.count {
      if breaks.contains(u[i].value) {
        out.append(String(String.UnicodeScalarView(u[start..<i])))
        if u[i] == "\r", i + 1 < u.count, u[i + 1] == "\n" { i += 1 }
        i += 1
        start = i
      } else {
        i += 1
      }
    }
    if start < u.count { out.append(String(String.UnicodeScalarView(u[start...]))) }
    return out
  }
  static func rstrip(_ s: String) -> String {
    var u = Array(s.unicodeScalars)
    while let l = u.last, PyText.isSpace(l) { u.removeLast() }
    return String(String.UnicodeScalarView(u))
  }

  static let answerPlain = re(#"\*\*?Answer:\s*(.*?)\*\*?|\bAnswer:\s*(.*)"#, [.dotMatchesLineSeparators])
  static let answerASCII = re(#"\*\*?Answer:(.*?)\*\*?|\bAnswer:(.*)"#, [.dotMatchesLineSeparators])
  static let blankRuns = re(#"^\s*$(\n^\s*$)+"#, [.anchorsMatchLines])
  static let trailingBlankLines = re(#"(\n\s*)+$"#)
  static let leadingBlankLines = re(#"^(\s*\n)+"#)

  /// `extract_answer_content`.
  static func answerContent(_ response: String, ascii: Bool, removeSpace: Bool = true) -> String {
    var r = response
    if let g = search(ascii ? answerASCII : answerPlain, r) {
      let first = g[1] ?? ""
      r = first.isEmpty ? (g[2] ?? "") : first
    }
    guard ascii else { return strip(r) }
    r = sub(blankRuns, r, "")
    r = removeSpace ? rstrip(r) : sub(trailingBlankLines, r, "")
    return sub(leadingBlankLines, r, "")
  }

  static func sub(_ r: NSRegularExpression, _ s: String, _ with: String) -> String {
    r.stringByReplacingMatches(in: s, range: NSRange(location: 0, length: (s as NSString).length), withTemplate: with)
  }

  static let codeAny = re(#"```\w*\s*\n*(.*?)\s*```"#, [.dotMatchesLineSeparators])
  static let codeJSON = re(#"```json\s*\n*(.*?)\s*```"#, [.dotMatchesLineSeparators])
  static let codeASCII = re(#"```\w*(?:\s*\n+)?(.*?)\s*```"#, [.dotMatchesLineSeparators])
  static let codeVerbatim = re(#"```\w*(?:\s*\n+)?(.*?)(?:\n+\s*)?```"#, [.dotMatchesLineSeparators])

  /// `extract_code_block_content`: the content of the first code block, and whether there was one.
  static func codeBlock(_ response: String, json: Bool = false, ascii: Bool = false, removeSpace: Bool = true) -> (String, Bool) {
    var r = response
    let pattern: NSRegularExpression
    if json {
      pattern = codeJSON
    } else if ascii {
      if strip(r).isEmpty || r.unicodeScalars.count > 10000 { r = rstrip(r) }
      pattern = removeSpace ? codeASCII : codeVerbatim
    } else {
      pattern = codeAny
    }
    guard let g = search(pattern, r) else { return (r, false) }
    return (ascii ? (g[1] ?? "") : strip(g[1] ?? ""), true)
  }

  static let lineAnswer = re(#"^(?:\*\*Answer:|Answer:)\s*(.+)"#, [.anchorsMatchLines])

  /// `extract_answer_at_beginning_of_line`.
  static func answerAtLineStart(_ response: String) -> String {
    if let g = search(lineAnswer, response) { return strip(g[1] ?? "") }
    return strip(response)
  }

  static let singleLine = re(#"^(?:(?:[a-zA-Z0-9_-]+)(?:,\s*[a-zA-Z0-9_-]+)*|(?:[a-zA-Z0-9_-]+)\.|\((?:[a-zA-Z0-9_-]+)\)$)"#)

  /// `drop_additional_text`: the first paragraph alone when it looks like a short answer and the
  /// answer is not multi-line.
  static func dropAdditionalText(_ result: String) -> String {
    let first = strip(split(result, "\n\n")[0])
    let looks = search(singleLine, first) != nil
    return looks && !first.isEmpty && !isMultiline(result) ? first : result
  }

  /// `_is_multiline_answer`: the first non-blank line is followed by a line that is not blank.
  static func isMultiline(_ text: String) -> Bool {
    let lines = splitLines(text)
    for (i, line) in lines.enumerated() where !strip(line).isEmpty {
      return !(i + 1 < lines.count && strip(lines[i + 1]).isEmpty)
    }
    return false
  }

  /// `evaluate_as_string`: the string a text is the literal of, else the value as it is.
  static func evaluateAsString(_ v: PyObj) -> PyObj {
    guard case .str(let s) = v, let e = PyLiteral.eval(s), case .str = e else { return v }
    return e
  }

  /// `parse_json`: the last literal among the `{...}`/`[...]` spans of the text (after an
  /// `Answer:` line start and a json code block are taken off), read as JSON or as a Python
  /// literal; `{}` (`[]` when the text starts with `[`) when there is none. The spans are found
  /// by bracket matching in the way VLMEvalKit's recursive pattern
  /// `(\{(?:[^{}]|(?R))*\}|\[(?:[^{}]|(?R))*\])` takes them from well-formed text; its rewriting
  /// of JSON nested inside strings and of single quotes is not done.
  static func parseJSON(_ response: String) -> PyObj {
    var text = answerAtLineStart(response)
    text = codeBlock(text, json: true).0
    var found: PyObj?
    for span in spans(text) {
      if let v = PyLiteral.eval(span) {
        found = v
      } else if let j = try? JSONParser.parse(Array(span.utf8)) {
        found = PyObj(json: j)
      }
    }
    if let found { return found }
    return text.hasPrefix("[") ? .list([]) : .dict([])
  }

  /// The spans `re.findall` takes with that pattern: at each position from the left, a `{`
  /// with its balanced `}` (brackets inside are plain text), or a `[` running over text and
  /// balanced brace groups to the last `]` before an unbalanced brace; the search resumes after.
  static func spans(_ text: String) -> [String] {
    let u = Array(text.unicodeScalars)
    var out: [String] = []
    var i = 0
    func braceEnd(_ at: Int) -> Int? {
      var depth = 0
      var k = at
      while k < u.count {
        if u[k] == "{" {
          depth += 1
        } else if u[k] == "}" {
          depth -= 1
          if depth == 0 { return k }
        }
        k += 1
      }
      return nil
    }
    while i < u.count {
      if u[i] == "{", let e = braceEnd(i) {
        out.append(String(String.UnicodeScalarView(u[i...e])))
        i = e + 1
        continue
      }
      if u[i] == "[" {
        var k = i + 1
        var lastClose: Int?
        while k < u.count {
          if u[k] == "]" { lastClose = k }
          if u[k] == "{" {
            guard let e = braceEnd(k) else { break }
            k = e + 1
            continue
          }
          if u[k] == "}" { break }
          k += 1
        }
        if let e = lastClose {
          out.append(String(String.UnicodeScalarView(u[i...e])))
          i = e + 1
          continue
        }
      }
      i += 1
    }
    return out
  }
}

/// The response parsers (`response_parse_type.py`).
enum MEGAParser: String {
  case json
  case answerString = "answer_string"
  case asciiAnswerString = "ascii_answer_string"
  case verbatimAnswerString = "verbatim_answer_string"
  case dummy, unsupported

  var singleField: Bool { self == .answerString || self == .asciiAnswerString || self == .verbatimAnswerString }

  /// `AnswerStrParse._parse` (and its ASCII and verbatim forms).
  func answer(_ response: String, singleLine: Bool) -> String {
    let ascii = self != .answerString
    let removeSpace = self != .verbatimAnswerString
    var content = MEGAParse.answerContent(response, ascii: ascii, removeSpace: removeSpace)
    let (inner, isCode) = MEGAParse.codeBlock(content, ascii: ascii, removeSpace: removeSpace)
    content = inner
    if !isCode && singleLine && !ascii { content = MEGAParse.dropAdditionalText(content) }
    if content.hasPrefix("{") || content.hasPrefix("[") {
      let obj = MEGAParse.parseJSON(content)
      if obj == .dict([]), case .dict = obj, !content.contains("{}") { return content }
      if case .list(let a) = obj, a.isEmpty, !content.contains("[]") { return content }
      return obj.pyStr
    }
    return MEGAParse.evaluateAsString(.str(content)).pyStr
  }
}

/// The metrics of `metric_type.py` that vtools scores, each as its class's `match`. A Python
/// exception in a metric (a type its code does not expect, a division by zero) stops VLMEvalKit's
/// whole evaluation; vtools gives the field `MEGAMetricError` and the task is reported, not scored.
enum MEGAMetric: String, CaseIterable {
  case exactStrMatch = "exact_str_match"
  case simpleStrMatch = "simple_str_match"
  case codeResultExactStrMatch = "code_result_exact_str_match"
  case exactStrMatchCaseInsensitive = "exact_str_match_case_insensitive"
  case normSimDamerauLevenshtein = "normalized_similarity_damerau_levenshtein"
  case numberRelDiffRatio = "number_rel_diff_ratio"
  case setEquality = "set_equality"
  case setEqualityCaseInsensitive = "set_equality_case_insensitive"
  case jaccardIndex = "jaccard_index"
  case jaccardIndexCaseInsensitive = "jaccard_index_case_insensitive"
  case setPrecision = "set_precision"
  case positiveIntMatch = "positive_int_match"
  case longestCommonListPrefixRatio = "longest_common_list_prefix_ratio"
  case strSetEqualityLineBreak = "str_set_equality_line_break"
  case strSetEqualityComma = "str_set_equality_comma"
  case sequenceEquality = "sequence_equality"
  case sequenceEqualityCaseInsensitive = "sequence_equality_case_insensitive"
  case sequenceAccuracyCaseInsensitive = "sequence_accuracy_case_insensitive"
  case dictEquality = "dict_equality"
  case dictPrecision = "dict_precision"

  struct Failure: Error { let why: String }

  func match(_ response: PyObj, _ target: PyObj) throws(Failure) -> Double {
    switch self {
    case .exactStrMatch: return Self.exact(response, target)
    case .simpleStrMatch:
      guard case .str(let t) = target else { throw Failure(why: "simple_str_match: the answer is not a string") }
      return Self.exact(.str(Self.simplify(response.pyStr)), .str(Self.simplify(t)))
    case .codeResultExactStrMatch:
      guard case .str(let t) = target else { throw Failure(why: "code_result_exact_str_match: the answer is not a string") }
      return Self.exact(response, .str(MEGAParse.codeBlock(t, ascii: true, removeSpace: false).0))
    case .exactStrMatchCaseInsensitive:
      guard case .str(let r) = response else {
        if case .str = target { return 0 }
        throw Failure(why: "exact_str_match_case_insensitive: the response is not a string")
      }
      guard case .str(let t) = target else { throw Failure(why: "exact_str_match_case_insensitive: the answer is not a string") }
      return Self.exact(.str(r.lowercased()), .str(t.lowercased()))
    case .normSimDamerauLevenshtein:
      guard case .str(let r) = response, case .str(let t) = target else {
        if case .str = target { return 0 }
        throw Failure(why: "normalized_similarity_damerau_levenshtein: the answer is not a string")
      }
      return Self.normalizedSimilarity(r, t)
    case .numberRelDiffRatio:
      let pred: Double
      if let n = response.number {
        pred = n
      } else {
        guard case .str(let s) = response, let v = PyLiteral.eval(s), let n = v.number else { return 0 }
        pred = n
      }
      guard case .str(let t) = target, let g = PyLiteral.eval(t) else { return 0 }
      guard let gt = g.number else { throw Failure(why: "number_rel_diff_ratio: the answer is not a number") }
      guard gt != 0 else { throw Failure(why: "number_rel_diff_ratio: the answer is 0 (ZeroDivisionError)") }
      return max(0, 1 - abs((pred - gt) / gt))
    case .setEquality:
      func asSet(_ v: PyObj) -> PyObj {
        switch v {
        case .list(let a), .tuple(let a): return .set(Array(Set(a.map { if case .list(let l) = $0 { return PyObj.tuple(l) } else { return $0 } })))
        default: return v
        }
      }
      return asSet(response) == asSet(target) ? 1 : 0
    case .setEqualityCaseInsensitive:
      guard let r = try Self.castToSet(response), let t = try Self.castToSet(target) else { return 0 }
      let ru = r.compactMap { $0.string?.uppercased() }, tu = t.compactMap { $0.string?.uppercased() }
      guard ru.count == r.count, tu.count == t.count else { return 0 }
      return Set(ru) == Set(tu) ? 1 : 0
    case .jaccardIndex:
      if response == .none { return 0 }
      guard let r = try Self.castToSet(response), let t = try Self.castToSet(target) else { return 0 }
      return Self.relevance(r, t, union: true)
    case .jaccardIndexCaseInsensitive:
      if response == .none { return 0 }
      guard let r = try Self.castToSet(response), let t = try Self.castToSet(target) else { return 0 }
      guard let first = t.first else { throw Failure(why: "jaccard_index_case_insensitive: the answer is empty (IndexError)") }
      switch first {
      case .str:
        let tl = try t.map { (v: PyObj) throws(Failure) -> PyObj in
          guard case .str(let s) = v else { throw Failure(why: "jaccard_index_case_insensitive: an answer item is not a string") }
          return .str(s.lowercased())
        }
        return Self.relevance(Set(r.map { PyObj.str($0.pyStr.lowercased()) }), Set(tl), union: true)
      case .tuple:
        func norm(_ v: PyObj) -> PyObj? {
          guard case .tuple(let items) = v else { return nil }
          let texts = items.compactMap(\.string)
          guard texts.count == items.count else { return nil }
          return .tuple(texts.map { .str(Self.squash($0.lowercased(), underscore: true)) })
        }
        let rn = r.map(norm), tn = t.map(norm)
        guard rn.allSatisfy({ $0 != nil }) else { return 0 }
        guard tn.allSatisfy({ $0 != nil }) else { throw Failure(why: "jaccard_index_case_insensitive: an answer tuple item is not a string") }
        return Self.relevance(Set(rn.compactMap { $0 }), Set(tn.compactMap { $0 }), union: true)
      default: return 0
      }
    case .setPrecision:
      if response == .none { return 0 }
      guard let r = try Self.castToSet(response), let t = try Self.castToSet(target) else { return 0 }
      return Self.relevance(r, t, union: false)
    case .positiveIntMatch:
      guard case .str(let s) = response, let rv = PyLiteral.eval(s) else { return 0 }
      guard case .str(let ts) = target, !ts.isEmpty else { return 0 }
      guard let tv = PyLiteral.eval(ts), let t = Self.pyInt(tv) else { throw Failure(why: "positive_int_match: the answer is not an integer") }
      guard let r = Self.pyInt(rv) else { return 0 }
      if t <= 0 && r <= 0 { return -1 }
      return r == t ? 1 : 0
    case .longestCommonListPrefixRatio:
      let r = Self.strToList(response), t = Self.strToList(target)
      guard !t.isEmpty else { throw Failure(why: "longest_common_list_prefix_ratio: the answer is empty (ZeroDivisionError)") }
      var k = 0
      while k < min(r.count, t.count), r[k] == t[k] { k += 1 }
      return Double(k) / Double(t.count)
    case .strSetEqualityLineBreak:
      guard case .str(var r) = response, case .str(var t) = target else { throw Failure(why: "str_set_equality_line_break: not strings") }
      r = r.replacingOccurrences(of: "\\n", with: "\n")
      t = t.replacingOccurrences(of: "\\n", with: "\n")
      return Set(MEGAParse.split(r, "\n").map { $0.lowercased() }) == Set(MEGAParse.split(t, "\n").map { $0.lowercased() }) ? 1 : 0
    case .strSetEqualityComma:
      func lowered(_ v: PyObj) -> Set<PyObj> {
        Set(Self.strToIterable(v).map { if case .str(let s) = $0 { return PyObj.str(s.lowercased()) } else { return $0 } })
      }
      return lowered(response) == lowered(target) ? 1 : 0
    case .sequenceEquality:
      return Self.strToList(.str(response.pyStr)) == Self.strToList(target) ? 1 : 0
    case .sequenceEqualityCaseInsensitive:
      let r = Self.strToList(.str(response.pyStr)).map { v -> PyObj in .str(v.string?.lowercased() ?? v.pyStr) }
      let t = try Self.strToList(target).map { (v: PyObj) throws(Failure) -> PyObj in
        guard case .str(let s) = v else { throw Failure(why: "sequence_equality_case_insensitive: an answer item is not a string") }
        return .str(s.lowercased())
      }
      return r == t ? 1 : 0
    case .sequenceAccuracyCaseInsensitive:
      let r = Self.strToList(response), t = Self.strToList(target)
      guard r.count == t.count else { return 0 }
      guard !t.isEmpty else { throw Failure(why: "sequence_accuracy_case_insensitive: the answer is empty (ZeroDivisionError)") }
      var correct = 0
      for (a, b) in zip(r, t) {
        if case .str(let bs) = b {
          guard case .str(let a) = a else { throw Failure(why: "sequence_accuracy_case_insensitive: a response item is not a string") }
          if a.lowercased() == bs.lowercased() { correct += 1 }
        } else if b.isNumber, a.isNumber, a == b {
          correct += 1
        }
      }
      return Double(correct) / Double(t.count)
    case .dictEquality, .dictPrecision:
      let r = Self.castToDict(response), t = Self.castToDict(target)
      guard case .dict(let rd) = r else { return 0 }
      if self == .dictEquality { return r == t ? 1 : 0 }
      guard !rd.isEmpty else { return 0 }
      var matched = 0
      for (k, v) in rd {
        guard case .dict(let td) = t, let tv = td.last(where: { $0.0 == k })?.1 else { continue }
        if Self.exact(v, tv) == 1 { matched += 1 }
      }
      return Double(matched) / Double(rd.count)
    }
  }

  /// `int` values (`bool` is one).
  static func pyInt(_ v: PyObj) -> Int? {
    switch v {
    case .int(let i): return i
    case .bool(let b): return b ? 1 : 0
    default: return nil
    }
  }

  /// `ExactStrMatch.match`: `str()` of both; a one-letter answer takes the response's leading
  /// choice letter (`^\(?([A-Za-z])\)?`).
  static func exact(_ response: PyObj, _ target: PyObj) -> Double {
    var r = response.pyStr
    let t = target.pyStr
    let tu = Array(t.unicodeScalars)
    if tu.count == 1, tu[0].properties.isAlphabetic, r.unicodeScalars.count > 1 {
      let u = Array(r.unicodeScalars)
      var k = 0
      if u.first == "(" { k = 1 }
      if k < u.count, Self.isASCIILetter(u[k]) {
        r = String(u[k])
      } else if k == 1, Self.isASCIILetter(u[0]) {
        r = String(u[0])
      }
    }
    return Array(r.unicodeScalars) == tu ? 1 : 0
  }

  static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { ("A"..."Z").contains(c) || ("a"..."z").contains(c) }

  /// `SimpleStrMatch`'s normalisation: no spaces, hyphens, newlines, tabs or dots, lower case.
  static func simplify(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars where ![" ", "-", "\n", "\t", "."].contains(u) { out.append(u) }
    return String(out).lowercased()
  }

  /// `JaccardCaseInsensitive`'s tuple item normalisation (after `lower()`).
  static func squash(_ s: String, underscore: Bool) -> String {
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars where ![" ", "-", "\n", "\t", "_", "."].contains(u) { out.append(u) }
    return String(out)
  }

  /// `set_relevance_score`: |pred ∩ target| over |pred ∪ target| (`jaccard_index`) or |pred|
  /// (`set_precision`); 1 when that is 0.
  static func relevance(_ p: Set<PyObj>, _ t: Set<PyObj>, union: Bool) -> Double {
    let d = union ? p.union(t).count : p.count
    return d == 0 ? 1 : Double(p.intersection(t).count) / Double(d)
  }

  /// `cast_to_set`: a frozen tuple, set or dict as a set, else `str_to_set`; nil where
  /// `str_to_iterable` gives no set (`""` for a literal `None`).
  static func castToSet(_ v: PyObj) throws(Failure) -> Set<PyObj>? {
    switch v.frozen {
    case .tuple(let a), .set(let a): return Set(a)
    case .str:
      // `set(...)` of a literal's items: a list or dict item is unhashable (TypeError).
      let items = strToIterable(v)
      for i in items {
        switch i {
        case .list, .dict, .set: throw Failure(why: "an item of the literal is unhashable (TypeError)")
        default: continue
        }
      }
      return Set(items)
    default: return []
    }
  }

  static func badBrackets(_ s: String) -> Bool {
    for (o, c) in [("(", ")"), ("{", "}"), ("[", "]")] where s.hasPrefix(o) { return !s.hasSuffix(c) }
    return false
  }

  /// `str_to_iterable`: the items of a text's literal (a number as one item; a string's
  /// characters; a dict's keys), else the comma-separated parts inside its brackets, stripped;
  /// nothing for a non-string, a blank text or unbalanced brackets.
  static func strToIterable(_ v: PyObj) -> [PyObj] {
    guard case .str(let raw) = v else { return [] }
    let s = raw.trimmingCharacters(in: CharacterSet(charactersIn: " "))
    if s.isEmpty || badBrackets(s) { return [] }
    let inBrackets = s.hasPrefix("(") || s.hasPrefix("{") || s.hasPrefix("[")
    if let e = PyLiteral.eval(s) {
      switch e {
      case .none: return []
      case .int, .float, .bool: return [e]
      case .str(let t): return t.unicodeScalars.map { .str(String($0)) }
      case .list(let a), .tuple(let a), .set(let a): return a
      case .dict(let d): return d.map(\.0)
      }
    }
    var body = Array(s.unicodeScalars)
    if inBrackets { body = Array(body.dropFirst().dropLast()) }
    return split(String(String.UnicodeScalarView(body)), ",").map { .str(PyText.strip($0)) }
  }

  static func split(_ s: String, _ sep: String) -> [String] { MEGAParse.split(s, sep) }

  static func strToList(_ v: PyObj) -> [PyObj] { strToIterable(v) }

  /// `cast_to_dict`: a dict as it is; a string's `parse_json` when that is not empty, else the
  /// string.
  static func castToDict(_ v: PyObj) -> PyObj {
    guard case .str(let s) = v else { return v }
    let j = MEGAParse.parseJSON(s)
    switch j {
    case .dict(let d) where !d.isEmpty: return j
    case .list(let a) where !a.isEmpty: return j
    default: return v
    }
  }

  /// rapidfuzz's `DamerauLevenshtein.normalized_similarity`: 1 - distance / max(len), the
  /// unrestricted Damerau-Levenshtein distance over code points; 1 for two empty texts.
  static func normalizedSimilarity(_ a: String, _ b: String) -> Double {
    let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
    let m = max(s.count, t.count)
    guard m > 0 else { return 1 }
    return 1 - Double(damerauLevenshtein(s, t)) / Double(m)
  }

  static func damerauLevenshtein(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Int {
    let n = s.count, m = t.count
    let inf = n + m
    var last: [Unicode.Scalar: Int] = [:]
    var d = [[Int]](repeating: [Int](repeating: 0, count: m + 2), count: n + 2)
    d[0][0] = inf
    for i in 0...n {
      d[i + 1][0] = inf
      d[i + 1][1] = i
    }
    for j in 0...m {
      d[0][j + 1] = inf
      d[1][j + 1] = j
    }
    for i in 1...max(1, n) where n > 0 {
      var db = 0
      for j in 1...max(1, m) where m > 0 {
        let i1 = last[t[j - 1]] ?? 0
        let j1 = db
        var cost = 1
        if s[i - 1] == t[j - 1] {
          cost = 0
          db = j
        }
        d[i + 1][j + 1] = min(d[i][j] + cost, d[i + 1][j] + 1, d[i][j + 1] + 1, d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1))
      }
      last[s[i - 1]] = i
    }
    return d[n + 1][m + 1]
  }
}
