/// Reads the Python list literals VLMEvalKit's TSVs hold in `candidates` (e.g.
/// `['a dog', "it's", 'x, y']`), as `eval()` would: single- or double-quoted strings with
/// Python escapes, `r`/`u` prefixes, adjacent literals concatenated, numbers, `True`/`False`/
/// `None` (formatted as Python's `str()` would), a trailing comma.
public enum PythonLiteral {
  public struct ParseError: Error, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "at character \(offset + 1): \(reason)" }
  }

  /// The items of a list (or tuple) literal, each as Python's `str(item)`.
  public static func stringList(_ text: String) throws(ParseError) -> [String] {
    var p = Parser(Array(text.unicodeScalars))
    p.skipSpace()
    guard let open = p.peek(), open == "[" || open == "(" else { throw p.error("expected a list literal starting with '['") }
    let close: Unicode.Scalar = open == "[" ? "]" : ")"
    p.pos += 1
    var items: [String] = []
    while true {
      p.skipSpace()
      if p.peek() == close {
        p.pos += 1
        break
      }
      items.append(try p.item())
      p.skipSpace()
      if p.peek() == "," {
        p.pos += 1
        continue
      }
      if p.peek() == close {
        p.pos += 1
        break
      }
      throw p.error(p.peek() == nil ? "unterminated list" : "expected ',' or '\(close)'")
    }
    p.skipSpace()
    if p.pos != p.s.count { throw p.error("unexpected text after the list") }
    return items
  }

  /// A list literal of lists of scalars (`[['a.jpg', 'b.jpg'], ['c.jpg']]`), each item as Python's
  /// `str(item)`; a flat list of scalars is one list (`['a.jpg']` -> `[['a.jpg']]`), as
  /// MMSI-Video-Bench's `parse_image_path` wraps it. A list that mixes lists and scalars is an error.
  public static func stringLists(_ text: String) throws(ParseError) -> [[String]] {
    var p = Parser(Array(text.unicodeScalars))
    p.skipSpace()
    guard let open = p.peek(), open == "[" || open == "(" else { throw p.error("expected a list literal starting with '['") }
    p.pos += 1
    var lists: [[String]] = []
    var scalars: [String] = []
    while true {
      p.skipSpace()
      if p.peek() == "]" || p.peek() == ")" {
        p.pos += 1
        break
      }
      if let c = p.peek(), c == "[" || c == "(" {
        guard scalars.isEmpty else { throw p.error("a list of lists and scalars") }
        let start = p.pos
        var depth = 0
        var quote: Unicode.Scalar?
        // The inner list's extent (strings may hold brackets), then its items.
        while let d = p.peek() {
          p.pos += 1
          if let q = quote {
            if d == "\\" { p.pos += 1 } else if d == q { quote = nil }
            continue
          }
          if d == "'" || d == "\"" { quote = d } else if d == "[" || d == "(" { depth += 1 } else if d == "]" || d == ")" { depth -= 1 }
          if depth == 0 { break }
        }
        guard depth == 0 else { throw p.error("unterminated list") }
        do {
          lists.append(try stringList(String(String.UnicodeScalarView(p.s[start..<p.pos]))))
        } catch {
          throw ParseError(offset: start + error.offset, reason: error.reason)
        }
      } else {
        guard lists.isEmpty else { throw p.error("a list of lists and scalars") }
        scalars.append(try p.item())
      }
      p.skipSpace()
      if p.peek() == "," {
        p.pos += 1
        continue
      }
      if p.peek() == "]" || p.peek() == ")" {
        p.pos += 1
        break
      }
      throw p.error(p.peek() == nil ? "unterminated list" : "expected ',' or ']'")
    }
    p.skipSpace()
    if p.pos != p.s.count { throw p.error("unexpected text after the list") }
    return scalars.isEmpty ? lists : [scalars]
  }

  /// The pairs of a dict literal with scalar keys and values (`{'12': 'A cat.', 13: "Two"}`),
  /// each as Python's `str()`, in order.
  public static func stringDict(_ text: String) throws(ParseError) -> [(String, String)] {
    var p = Parser(Array(text.unicodeScalars))
    p.skipSpace()
    let pairs = try p.dict()
    p.skipSpace()
    if p.pos != p.s.count { throw p.error("unexpected text after the dict") }
    return pairs
  }

  /// The dicts of a list literal of dict literals with scalar keys and values
  /// (`[{'question': 'Why?', 'answer': 'So.'}, ...]`, Video-MMLU's and VDC's QA pairs), each
  /// dict's pairs as `stringDict` gives them.
  public static func dictList(_ text: String) throws(ParseError) -> [[(String, String)]] {
    var p = Parser(Array(text.unicodeScalars))
    p.skipSpace()
    guard p.peek() == "[" else { throw p.error("expected a list literal starting with '['") }
    p.pos += 1
    var items: [[(String, String)]] = []
    while true {
      p.skipSpace()
      if p.peek() == "]" {
        p.pos += 1
        break
      }
      items.append(try p.dict())
      p.skipSpace()
      if p.peek() == "," {
        p.pos += 1
        continue
      }
      if p.peek() == "]" {
        p.pos += 1
        break
      }
      throw p.error(p.peek() == nil ? "unterminated list" : "expected ',' or ']'")
    }
    p.skipSpace()
    if p.pos != p.s.count { throw p.error("unexpected text after the list") }
    return items
  }

  /// A literal of nested lists, tuples and dicts over strings, numbers, `True`, `False` and
  /// `None` (EgoExoBench's `medias`: `[{'type': 'frames', 'image_paths': ['a.jpg']}]`), as
  /// JSON: strings as `.string`, numbers as `.number` (Python's `str()` of them), `None` as
  /// `.null`; dict keys as Python's `str()`, in order (a repeated key keeps its first place and
  /// its last value, as a dict display does).
  public static func value(_ text: String) throws(ParseError) -> JSONValue {
    var p = Parser(Array(text.unicodeScalars))
    p.skipSpace()
    let v = try p.nested(depth: 0)
    p.skipSpace()
    if p.pos != p.s.count { throw p.error("unexpected text after the literal") }
    return v
  }

  private struct Parser {
    let s: [Unicode.Scalar]
    var pos = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { pos + k < s.count ? s[pos + k] : nil }

    /// A dict literal at `pos` (after any space), up to its closing brace.
    mutating func dict() throws(ParseError) -> [(String, String)] {
      guard peek() == "{" else { throw error("expected a dict literal starting with '{'") }
      pos += 1
      var pairs: [(String, String)] = []
      while true {
        skipSpace()
        if peek() == "}" {
          pos += 1
          break
        }
        let k = try item()
        skipSpace()
        guard peek() == ":" else { throw error("expected ':' after a key") }
        pos += 1
        skipSpace()
        let v = try item()
        pairs.append((k, v))
        skipSpace()
        if peek() == "," {
          pos += 1
          continue
        }
        if peek() == "}" {
          pos += 1
          break
        }
        throw error(peek() == nil ? "unterminated dict" : "expected ',' or '}'")
      }
      return pairs
    }
    func error(_ r: String) -> ParseError { ParseError(offset: pos, reason: r) }

    /// A nested literal at `pos` (see `PythonLiteral.value`).
    mutating func nested(depth: Int) throws(ParseError) -> JSONValue {
      guard depth < 64 else { throw error("literal nested too deeply") }
      skipSpace()
      guard let c = peek() else { throw error("expected a value") }
      if c == "[" || c == "(" {
        let close: Unicode.Scalar = c == "[" ? "]" : ")"
        pos += 1
        var items: [JSONValue] = []
        while true {
          skipSpace()
          if peek() == close {
            pos += 1
            return .array(items)
          }
          items.append(try nested(depth: depth + 1))
          skipSpace()
          if peek() == "," {
            pos += 1
          } else if peek() != close {
            throw error(peek() == nil ? "unterminated list" : "expected ',' or '\(Character(close))'")
          }
        }
      }
      if c == "{" {
        pos += 1
        var o = JSONObject()
        while true {
          skipSpace()
          if peek() == "}" {
            pos += 1
            return .object(o)
          }
          let k = try item()
          skipSpace()
          guard peek() == ":" else { throw error("expected ':' after a key") }
          pos += 1
          o[k] = try nested(depth: depth + 1)
          skipSpace()
          if peek() == "," {
            pos += 1
          } else if peek() != "}" {
            throw error(peek() == nil ? "unterminated dict" : "expected ',' or '}'")
          }
        }
      }
      if isQuoteStart() { return .string(try item()) }
      for (word, v) in [("True", JSONValue.bool(true)), ("False", .bool(false)), ("None", .null)] where matches(word) {
        pos += word.unicodeScalars.count
        return v
      }
      return .number(try item())
    }

    mutating func skipSpace() {
      while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { pos += 1 }
    }

    mutating func item() throws(ParseError) -> String {
      guard let c = peek() else { throw error("expected an item") }
      if isQuoteStart() {
        var out = try string()
        // Adjacent string literals concatenate.
        while true {
          let save = pos
          skipSpace()
          if isQuoteStart() {
            out += try string()
          } else {
            pos = save
            break
          }
        }
        return out
      }
      if c == "-" || c == "+" || c == "." || (c.value >= 48 && c.value <= 57) {
        let start = pos
        pos += 1
        while let d = peek(),
          d.properties.isAlphabetic || (d.value >= 48 && d.value <= 57) || d == "." || d == "_"
            || ((d == "-" || d == "+") && (s[pos - 1] == "e" || s[pos - 1] == "E"))
        { pos += 1 }
        let text = String(String.UnicodeScalarView(s[start..<pos].filter { $0 != "_" }))
        if let i = Int(text) { return String(i) }
        // Python's ints have no size limit: an integer too large for Int is still that
        // integer (its digits), not a float.
        let unsigned = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        if !unsigned.isEmpty, unsigned.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
          let digits = unsigned.drop { $0 == "0" }
          return digits.isEmpty ? "0" : (text.first == "-" ? "-" : "") + digits
        }
        if let d = Double(text) { return SamplingSpec.pythonFloat(d) }
        throw ParseError(offset: start, reason: "invalid number '\(text)'")
      }
      for word in ["True", "False", "None"] where matches(word) {
        pos += word.unicodeScalars.count
        return word
      }
      throw error("expected a string or number, found '\(Character(c))'")
    }

    func matches(_ w: String) -> Bool {
      let ws = Array(w.unicodeScalars)
      guard pos + ws.count <= s.count else { return false }
      return Array(s[pos..<(pos + ws.count)]) == ws
    }

    func isQuoteStart() -> Bool {
      var k = 0
      while let c = peek(k), "rRuUbB".unicodeScalars.contains(c), k < 2 { k += 1 }
      guard let q = peek(k) else { return false }
      return q == "'" || q == "\""
    }

    mutating func string() throws(ParseError) -> String {
      var raw = false
      while let c = peek(), c != "'" && c != "\"" {
        if c == "r" || c == "R" { raw = true }
        pos += 1
      }
      let q = s[pos]
      let triple = peek(1) == q && peek(2) == q
      pos += triple ? 3 : 1
      var out = String.UnicodeScalarView()
      while true {
        guard let c = peek() else { throw error("unterminated string") }
        if c == q && (!triple || (peek(1) == q && peek(2) == q)) {
          pos += triple ? 3 : 1
          return String(out)
        }
        if c == "\n" && !triple { throw error("newline in a single-quoted string") }
        if c == "\\" {
          guard let e = peek(1) else { throw error("unterminated string") }
          if raw {
            out.append(c)
            out.append(e)
            pos += 2
            continue
          }
          pos += 2
          switch e {
          case "\n": break
          case "\\": out.append("\\")
          case "'": out.append("'")
          case "\"": out.append("\"")
          case "n": out.append("\n")
          case "t": out.append("\t")
          case "r": out.append("\r")
          case "a": out.append("\u{07}")
          case "b": out.append("\u{08}")
          case "f": out.append("\u{0C}")
          case "v": out.append("\u{0B}")
          case "0"..."7":
            var v = e.value - 48
            var n = 1
            while n < 3, let d = peek(), d.value >= 48 && d.value <= 55 {
              v = v * 8 + d.value - 48
              pos += 1
              n += 1
            }
            guard let u = Unicode.Scalar(v) else { throw error("invalid octal escape") }
            out.append(u)
          case "x", "u", "U":
            let len = e == "x" ? 2 : e == "u" ? 4 : 8
            var v: UInt32 = 0
            for _ in 0..<len {
              guard let d = peek(), let h = hexValue(d) else {
                throw error("invalid \\\(e) escape")
              }
              v = v * 16 + h
              pos += 1
            }
            guard let u = Unicode.Scalar(v) else { throw error("invalid \\\(e) escape") }
            out.append(u)
          default:
            // Python keeps unknown escapes as they are.
            out.append("\\")
            out.append(e)
          }
          continue
        }
        out.append(c)
        pos += 1
      }
    }

    func hexValue(_ c: Unicode.Scalar) -> UInt32? {
      switch c.value {
      case 48...57: return c.value - 48
      case 65...70: return c.value - 55
      case 97...102: return c.value - 87
      default: return nil
      }
    }
  }
}
