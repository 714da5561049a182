/// The escaping every piece of text goes through before it reaches a page. Text from a dataset,
/// a prompt or a model is never trusted: the pages build the question list with `textContent`,
/// and everything vreport writes into HTML or SVG itself passes `HTML.text` / `HTML.attribute`.
public enum HTML {
  /// Text for an element's content or an attribute value: `&`, `<`, `>`, `"` and `'` as
  /// entities, and the C0 controls other than tab and newline dropped (not allowed in HTML).
  public static func text(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(u)
      default:
        if u.value < 0x20 || u.value == 0x7F { continue }
        out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// An attribute value (quoted with `"` by the caller): the same rules as `text`.
  public static func attribute(_ s: String) -> String { text(s) }

  /// A relative URL from path segments: each segment percent-encoded except RFC 3986's
  /// unreserved characters, so a name holding `"`, `#`, `?`, `%` or `:` stays one segment and
  /// can never become a scheme (`javascript:`) or leave the attribute.
  public static func relativeURL(_ segments: [String]) -> String {
    segments.map(percentEncoded).joined(separator: "/")
  }

  static func percentEncoded(_ segment: String) -> String {
    if segment == ".." { return segment }
    var out = ""
    for b in segment.utf8 {
      let c = Character(Unicode.Scalar(b))
      if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
        out.append(c)
      } else {
        out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
      }
    }
    // A segment of dots only ("." or "...") must not be read as a path step.
    if !out.isEmpty && out.allSatisfy({ $0 == "." }) { return out.replacingOccurrences(of: ".", with: "%2E") }
    return out
  }

  /// A file name made from any text: letters, digits, `-`, `_` and `.` kept, the rest `_`,
  /// at most 60 characters, never empty or a dot name.
  public static func slug(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars.prefix(60) {
      let v = u.value
      let keep = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x2D || v == 0x5F || v == 0x2E
      out.unicodeScalars.append(keep ? u : "_")
    }
    if out.isEmpty || out.allSatisfy({ $0 == "." }) { return "_" + out }
    return out
  }
}

extension String {
  func leftPadded(_ width: Int, with pad: Character = "0") -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
