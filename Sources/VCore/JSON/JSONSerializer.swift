/// Writes JSON values as compact, one-line UTF-8 (non-ASCII characters as they are, `/` unescaped).
public enum JSONSerializer {
  /// The value as one line of JSON (no newline).
  public static func serialize(_ value: JSONValue) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(value, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the value's JSON bytes to `out`.
  public static func write(_ value: JSONValue, into out: inout [UInt8]) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): out.append(contentsOf: n.utf8)
    case .string(let s): writeString(s, into: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        write(item, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let obj):
      out.append(UInt8(ascii: "{"))
      for (i, pair) in obj.pairs.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        writeString(pair.key, into: &out)
        out.append(UInt8(ascii: ":"))
        write(pair.value, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// A string as a JSON string literal.
  public static func quoted(_ s: String) -> String {
    var out: [UInt8] = []
    writeString(s, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The value as Python's `json.dump(value, f, indent=4, ensure_ascii=False)` writes it (what
  /// VLMEvalKit's rating files look like): one member or element per line, `": "` after keys.
  public static func pretty(_ value: JSONValue, indent: Int = 4) -> String {
    var out: [UInt8] = []
    writePretty(value, level: 0, indent: indent, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private static func writePretty(_ value: JSONValue, level: Int, indent: Int, into out: inout [UInt8]) {
    func pad(_ n: Int) {
      out.append(0x0a)
      out.append(contentsOf: repeatElement(0x20, count: n * indent))
    }
    switch value {
    case .array(let items) where !items.isEmpty:
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        pad(level + 1)
        writePretty(item, level: level + 1, indent: indent, into: &out)
      }
      pad(level)
      out.append(UInt8(ascii: "]"))
    case .object(let obj) where !obj.isEmpty:
      out.append(UInt8(ascii: "{"))
      for (i, pair) in obj.pairs.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        pad(level + 1)
        writeString(pair.key, into: &out)
        out.append(contentsOf: ": ".utf8)
        writePretty(pair.value, level: level + 1, indent: indent, into: &out)
      }
      pad(level)
      out.append(UInt8(ascii: "}"))
    default:
      write(value, into: &out)
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// A JSON string literal: runs of bytes that need no escape are copied whole.
  static func writeString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
      var run = 0
      for i in 0..<bytes.count {
        let b = bytes[i]
        guard b < 0x20 || b == 0x22 || b == 0x5c || b == 0x7f else { continue }
        if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
        writeEscape(b, into: &out)
        run = i + 1
      }
      if run < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// The escape of a quote, a backslash or a control character.
  private static func writeEscape(_ b: UInt8, into out: inout [UInt8]) {
    out.append(0x5c)
    switch b {
    case 0x22: out.append(0x22)
    case 0x5c: out.append(0x5c)
    case 0x0a: out.append(UInt8(ascii: "n"))
    case 0x0d: out.append(UInt8(ascii: "r"))
    case 0x09: out.append(UInt8(ascii: "t"))
    case 0x08: out.append(UInt8(ascii: "b"))
    case 0x0c: out.append(UInt8(ascii: "f"))
    default:
      out.append(contentsOf: "u00".utf8)
      out.append(hexDigits[Int(b >> 4)])
      out.append(hexDigits[Int(b & 0xf)])
    }
  }
}
