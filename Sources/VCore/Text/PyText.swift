/// Python string behaviour that VLMEvalKit parity depends on (`strip`, `json.dumps`, `round`).
public enum PyText {
  /// Python's `str.isspace()` for one scalar.
  public static func isSpace(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }

  /// `s.rstrip()`.
  public static func rstrip(_ s: String) -> String {
    var scalars = Array(s.unicodeScalars)
    while let last = scalars.last, isSpace(last) { scalars.removeLast() }
    return String(String.UnicodeScalarView(scalars))
  }

  /// `s.strip()`.
  public static func strip(_ s: String) -> String {
    var scalars = Array(s.unicodeScalars)
    while let last = scalars.last, isSpace(last) { scalars.removeLast() }
    let start = scalars.firstIndex { !isSpace($0) } ?? scalars.count
    return String(String.UnicodeScalarView(scalars[start...]))
  }

  /// `json.dumps(s)` with Python's defaults (`ensure_ascii=True`) for a string.
  public static func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if u.value < 0x20 || u.value > 0x7E {
          if u.value > 0xFFFF {
            let v = u.value - 0x10000
            out += hex4(0xD800 + (v >> 10)) + hex4(0xDC00 + (v & 0x3FF))
          } else {
            out += hex4(u.value)
          }
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  private static func hex4(_ v: UInt32) -> String {
    let h = String(v, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - h.count) + h
  }

  /// `json.dumps({int(k): v, ...})` with Python's default separators.
  public static func jsonObject(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\(jsonString($0.0)): \(jsonString($0.1))" }.joined(separator: ", ") + "}"
  }

  /// Python's `int(text)` accepting surrounding whitespace and a sign; nil when not an integer.
  public static func int(_ text: String) -> Int? {
    Int(strip(text))
  }

  /// Python's `round()` (half to even) to an integer.
  public static func round(_ x: Double) -> Int { Int(x.rounded(.toNearestOrEven)) }

  /// Python's `str.split(sep)` on code points (no Unicode equivalence, as Python compares).
  public static func split(_ s: String, _ sep: String) -> [String] {
    let u = Array(s.unicodeScalars), p = Array(sep.unicodeScalars)
    guard !p.isEmpty else { return [s] }
    var parts: [String] = []
    var start = 0, i = 0
    while i + p.count <= u.count {
      if u[i..<(i + p.count)].elementsEqual(p) {
        parts.append(String(String.UnicodeScalarView(u[start..<i])))
        i += p.count
        start = i
      } else {
        i += 1
      }
    }
    parts.append(String(String.UnicodeScalarView(u[start...])))
    return parts
  }

  /// Python's `repr(s)` for a string.
  public static func repr(_ s: String) -> String {
    let quote: Unicode.Scalar = s.unicodeScalars.contains("'") && !s.unicodeScalars.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for u in s.unicodeScalars {
      switch u {
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case quote: out += "\\" + String(quote)
      default:
        if isPrintable(u) {
          out.unicodeScalars.append(u)
        } else if u.value < 0x100 {
          out += "\\x" + hex(u.value, 2)
        } else if u.value < 0x10000 {
          out += "\\u" + hex(u.value, 4)
        } else {
          out += "\\U" + hex(u.value, 8)
        }
      }
    }
    return out + String(quote)
  }

  private static func hex(_ v: UInt32, _ width: Int) -> String {
    let h = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - h.count)) + h
  }

  /// Python's `str.isprintable()` for one character.
  public static func isPrintable(_ u: Unicode.Scalar) -> Bool {
    if u == " " { return true }
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
    default: return true
    }
  }
}
