import VCore

/// MMBench-Video pack answers, parsed as VLMEvalKit's `robust_json_load` does (reference
/// section 10), with its quirks.
public enum PackAnswers {
  /// A Python-ish result: keys and values as text (non-string JSON values as their JSON text).
  public typealias Parsed = [String: String]

  /// The deepest nesting `robustLoad` reads (a pack answer is one flat object).
  public static let maxDepth = 64

  /// `robust_json_load(s)`: a strict pass collecting every JSON object that starts at a `{`
  /// (exactly one wins); else, when the text has exactly one `{`, a line-by-line `key: value`
  /// fallback; else nil.
  ///
  /// A parse starts at every `{`, so nesting is bounded more tightly than elsewhere
  /// (`maxDepth`): a failed parse costs at most that many levels, and a hostile answer of
  /// nested braces cannot make the scan quadratic in its length.
  public static func robustLoad(_ s: String) -> Parsed? {
    let bytes = Array(s.utf8)
    var found: [JSONObject] = []
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "{"), let (v, end) = try? JSONParser.parsePrefix(bytes, at: i, maxDepth: maxDepth), case .object(let o) = v {
        found.append(o)
        i = end
        continue
      }
      i += 1
    }
    if found.count == 1 {
      var out: Parsed = [:]
      for (k, v) in found[0].pairs { out[k] = v.stringValue ?? JSONSerializer.serialize(v) }
      return out
    }
    // Fallback: exactly one '{'.
    let braces = s.indices.filter { s[$0] == "{" }
    guard braces.count == 1, let first = braces.first else { return nil }
    var out: Parsed = [:]
    let rest = PyText.strip(String(s[s.index(after: first)...]))
    for rawLine in rest.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = PyText.strip(String(rawLine))
      let parts = line.components(separatedBy: ": ")
      guard parts.count >= 2 else { continue }
      let key = removeSideQuote(parts[0])
      let val = removeSideQuote(parts[1])
      if !key.isEmpty && !val.isEmpty { out[key] = val }
    }
    return out
  }

  /// `--strict`: the text from the first `{` to the last `}` read as a Python dict literal
  /// with scalar values; nil when it is not one.
  public static func pythonDict(_ s: String) -> Parsed? {
    guard let a = s.firstIndex(of: "{"), let b = s.lastIndex(of: "}"), a < b else { return nil }
    guard let pairs = try? PythonLiteral.stringDict(String(s[a...b])) else { return nil }
    var out: Parsed = [:]
    for (k, v) in pairs { out[k] = v }
    return out
  }

  /// `remove_side_quote`: a string of only `,`, `"` and `'` becomes empty; otherwise those are
  /// stripped from both ends.
  static func removeSideQuote(_ s: String) -> String {
    let set: Set<Character> = [",", "\"", "'"]
    if s.allSatisfy({ set.contains($0) }) { return "" }
    var t = Substring(s)
    while let f = t.first, set.contains(f) { t = t.dropFirst() }
    while let l = t.last, set.contains(l) { t = t.dropLast() }
    return String(t)
  }

}

extension String {
  /// Splits on a multi-character separator (Python's `str.split(sep)`).
  func components(separatedBy sep: String) -> [String] {
    var out: [String] = []
    var rest = Substring(self)
    while let r = rest.range(of: sep) {
      out.append(String(rest[..<r.lowerBound]))
      rest = rest[r.upperBound...]
    }
    out.append(String(rest))
    return out
  }
}

extension Substring {
  func range(of sep: String) -> Range<Substring.Index>? {
    guard !sep.isEmpty else { return nil }
    var i = startIndex
    while i < endIndex {
      if self[i...].hasPrefix(sep) { return i..<index(i, offsetBy: sep.count) }
      i = index(after: i)
    }
    return nil
  }
}
