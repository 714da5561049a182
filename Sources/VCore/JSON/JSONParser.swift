/// A JSON syntax error: where it is (byte offset in the text) and what was wrong.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
  /// Byte offset of the error, 0-based.
  public var offset: Int
  /// The path of the value being read when the error happened, e.g. `$.frames[2]`.
  public var path: String
  public var reason: String
  public var description: String { "at \(path) (byte \(offset + 1)): \(reason)" }
}

/// A strict JSON (RFC 8259) parser over UTF-8 bytes that keeps number text and key order.
public struct JSONParser: ~Copyable {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var pos = 0
  private var path: [PathComponent] = []
  private let maxDepth: Int

  private enum PathComponent {
    case key(String)
    case index(Int)
  }

  /// Parses one JSON text.
  ///
  /// - Parameter maxDepth: Nesting deeper than this is rejected (no stack overflow on hostile input).
  public static func parse(_ text: some Collection<UInt8>, maxDepth: Int = 512) throws(JSONSyntaxError)
    -> JSONValue
  {
    let array = Array(text)
    let result: Result<JSONValue, JSONSyntaxError> = array.withUnsafeBufferPointer { buf in
      var p = JSONParser(bytes: buf, maxDepth: maxDepth)
      do throws(JSONSyntaxError) {
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.pos != buf.count { throw p.error("unexpected text after the JSON value") }
        return .success(v)
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Parses one JSON value that starts at `start` and may be followed by anything (Python's
  /// `JSONDecoder.raw_decode`); returns the value and the offset just after it.
  public static func parsePrefix(_ bytes: [UInt8], at start: Int, maxDepth: Int = 512) throws(JSONSyntaxError) -> (JSONValue, Int) {
    let result: Result<(JSONValue, Int), JSONSyntaxError> = bytes.withUnsafeBufferPointer { buf in
      var p = JSONParser(bytes: buf, maxDepth: maxDepth)
      p.pos = start
      do throws(JSONSyntaxError) {
        let v = try p.value(depth: 0)
        return .success((v, p.pos))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Parses a string that holds one JSON text.
  public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
    try parse(Array(text.utf8), maxDepth: maxDepth)
  }

  private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  private func pathString() -> String {
    var s = "$"
    // A path hundreds of levels deep is shown by its ends (a message, not a dump).
    let shown: [PathComponent?] = path.count > 16 ? path.prefix(8).map { $0 } + [nil] + path.suffix(8).map { $0 } : path.map { $0 }
    for c in shown {
      guard let c else {
        s += "[...\(path.count - 16) levels...]"
        continue
      }
      switch c {
      case .key(let k):
        if !k.isEmpty, k.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == 0x5f }) {
          s += "." + k
        } else {
          s += "[" + JSONSerializer.quoted(k) + "]"
        }
      case .index(let i): s += "[\(i)]"
      }
    }
    return s
  }

  private func error(_ reason: String) -> JSONSyntaxError {
    JSONSyntaxError(offset: pos, path: pathString(), reason: reason)
  }

  private mutating func skipSpace() {
    while pos < bytes.count {
      switch bytes[pos] {
      case 0x20, 0x09, 0x0A, 0x0D: pos += 1
      default: return
      }
    }
  }

  private func describeHere() -> String {
    guard pos < bytes.count else { return "end of input" }
    let b = bytes[pos]
    if b >= 0x20 && b < 0x7f { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x" + String(b, radix: 16)
  }

  private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
    guard pos < bytes.count else { throw error("expected a value, found end of input") }
    switch bytes[pos] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("expected a value, found \(describeHere())")
    }
  }

  private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let n = word.utf8CodeUnitCount
    guard pos + n <= bytes.count else { throw error("expected '\(word)'") }
    let w = word.utf8Start
    for i in 0..<n where bytes[pos + i] != w[i] { throw error("expected '\(word)'") }
    pos += n
  }

  private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    pos += 1
    var obj = JSONObject()
    skipSpace()
    if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
      pos += 1
      return .object(obj)
    }
    while true {
      skipSpace()
      guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
        throw error("expected a string key, found \(describeHere())")
      }
      let key = try string()
      skipSpace()
      guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
        throw error("expected ':' after key, found \(describeHere())")
      }
      pos += 1
      skipSpace()
      path.append(.key(key))
      obj[key] = try value(depth: depth + 1)
      path.removeLast()
      skipSpace()
      guard pos < bytes.count else { throw error("unterminated object") }
      if bytes[pos] == UInt8(ascii: ",") {
        pos += 1
        continue
      }
      if bytes[pos] == UInt8(ascii: "}") {
        pos += 1
        return .object(obj)
      }
      throw error("expected ',' or '}' in object, found \(describeHere())")
    }
  }

  private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    pos += 1
    var items: [JSONValue] = []
    skipSpace()
    if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
      pos += 1
      return .array(items)
    }
    while true {
      skipSpace()
      path.append(.index(items.count))
      items.append(try value(depth: depth + 1))
      path.removeLast()
      skipSpace()
      guard pos < bytes.count else { throw error("unterminated array") }
      if bytes[pos] == UInt8(ascii: ",") {
        pos += 1
        continue
      }
      if bytes[pos] == UInt8(ascii: "]") {
        pos += 1
        return .array(items)
      }
      throw error("expected ',' or ']' in array, found \(describeHere())")
    }
  }

  private mutating func number() throws(JSONSyntaxError) -> String {
    let start = pos
    if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
    guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("invalid number") }
    if bytes[pos] == UInt8(ascii: "0") {
      pos += 1
    } else {
      while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
    }
    if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
      pos += 1
      guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("invalid number: digit expected after '.'") }
      while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
    }
    if pos < bytes.count, bytes[pos] | 0x20 == UInt8(ascii: "e") {
      pos += 1
      if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
      guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("invalid number: digit expected in exponent") }
      while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
    }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
  }

  @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard pos + 4 <= bytes.count else { throw error("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[pos]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      v = v << 4 | d
      pos += 1
    }
    return v
  }

  private mutating func string() throws(JSONSyntaxError) -> String {
    pos += 1  // opening quote
    let start = pos
    // Fast path: no escapes. Skip eight bytes at a time while none of them is a quote, a
    // backslash or a control byte (long answers are tens of kilobytes).
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      let ones: UInt64 = 0x0101_0101_0101_0101
      let high: UInt64 = 0x8080_8080_8080_8080
      while pos + 8 <= bytes.count {
        let w = raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self)
        // A zero byte of w ^ c marks c; a byte below 0x20 has w - 0x20 borrow into its top bit.
        let q = w ^ (ones &* 0x22), bs = w ^ (ones &* 0x5C)
        let hits = ((q &- ones) & ~q) | ((bs &- ones) & ~bs) | ((w &- ones &* 0x20) & ~w)
        if hits & high != 0 { break }
        pos += 8
      }
    }
    while pos < bytes.count {
      let b = bytes[pos]
      if b == UInt8(ascii: "\"") {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<pos])
        guard let s = String(validating: slice, as: UTF8.self) else {
          pos = start
          throw error("invalid UTF-8 in string")
        }
        pos += 1
        return s
      }
      if b == UInt8(ascii: "\\") { break }
      if b < 0x20 { throw error("control character (byte 0x\(String(b, radix: 16))) in string; it must be escaped") }
      pos += 1
    }
    var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
    while pos < bytes.count {
      let b = bytes[pos]
      if b == UInt8(ascii: "\"") {
        pos += 1
        guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
        return s
      }
      if b < 0x20 { throw error("control character (byte 0x\(String(b, radix: 16))) in string; it must be escaped") }
      if b != UInt8(ascii: "\\") {
        out.append(b)
        pos += 1
        continue
      }
      pos += 1
      guard pos < bytes.count else { break }
      let e = bytes[pos]
      pos += 1
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5c)
      case UInt8(ascii: "/"): out.append(0x2f)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0c)
      case UInt8(ascii: "n"): out.append(0x0a)
      case UInt8(ascii: "r"): out.append(0x0d)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if scalar >= 0xD800 && scalar < 0xDC00 {
          // A high surrogate must be followed by a low one.
          if pos + 6 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
            pos += 2
            let low = try hex4()
            guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid surrogate pair in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            throw error("unpaired surrogate in \\u escape")
          }
        } else if scalar >= 0xDC00 && scalar < 0xE000 {
          throw error("unpaired surrogate in \\u escape")
        }
        guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
        out.append(contentsOf: Array(String(Character(u)).utf8))
      default:
        pos -= 1
        throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
      }
    }
    throw error("unterminated string")
  }
}
