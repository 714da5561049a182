import VCore

/// A cell of a table built as VLMEvalKit builds its TSVs: a Python value in a `pd.DataFrame`.
public enum PyValue: Sendable, Equatable {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case str(String)
  case list([PyValue])
  case dict([(String, PyValue)])

  public static func == (a: PyValue, b: PyValue) -> Bool { a.pythonRepr == b.pythonRepr && a.kind == b.kind }

  private var kind: Int {
    switch self {
    case .none: return 0
    case .bool: return 1
    case .int: return 2
    case .float: return 3
    case .str: return 4
    case .list: return 5
    case .dict: return 6
    }
  }

  /// A JSON value as `json.load` gives it to Python.
  public init(json: JSONValue) {
    switch json {
    case .null: self = .none
    case .bool(let b): self = .bool(b)
    case .number(let text):
      if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let i = Int(text) {
        self = .int(i)
      } else {
        self = .float(Double(text) ?? .nan)
      }
    case .string(let s): self = .str(s)
    case .array(let a): self = .list(a.map(PyValue.init(json:)))
    case .object(let o): self = .dict(o.pairs.map { ($0.key, PyValue(json: $0.value)) })
    }
  }

  /// Python's `str(value)` (`repr` inside lists).
  public var pythonStr: String {
    switch self {
    case .str(let s): return s
    default: return pythonRepr
    }
  }

  var pythonRepr: String {
    switch self {
    case .none: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .float(let d): return PandasTSV.floatRepr(d)
    case .str(let s): return PyText.repr(s)
    case .list(let l): return "[" + l.map(\.pythonRepr).joined(separator: ", ") + "]"
    case .dict(let d): return "{" + d.map { PyText.repr($0.0) + ": " + $0.1.pythonRepr }.joined(separator: ", ") + "}"
    }
  }
}

/// `pd.DataFrame(rows).to_csv(path, sep='\t', index=False)` as pandas writes it: columns in first
/// appearance order; a column whose values are all numbers (not booleans) becomes float64 when
/// one is a float or missing, so its integers print as `3.0` and missing ones as empty; any other
/// column prints each value with `str()` (lists as Python's `str(list)`), missing ones empty. A
/// field is quoted only when it holds a tab, a `"` or a newline (a lone `\r` is not), with inner
/// quotes doubled; lines end with `\n`.
public struct PandasTSV: Sendable {
  public private(set) var columns: [String] = []
  public private(set) var rows: [[String: PyValue]] = []

  public init() {}

  /// Appends a row as a list of (column, value) pairs: the dict VLMEvalKit appends.
  public mutating func append(_ row: [(String, PyValue)]) {
    var dict: [String: PyValue] = [:]
    for (k, v) in row {
      if !columns.contains(k) { columns.append(k) }
      dict[k] = v
    }
    rows.append(dict)
  }

  /// `df.assign(name=range(len(df)))`: a column of row numbers (replacing one of the same name).
  public mutating func assignRange(_ name: String) {
    if !columns.contains(name) { columns.append(name) }
    for i in rows.indices { rows[i][name] = .int(i) }
  }

  /// Keeps and orders the columns as `df[[...]]` does.
  public mutating func select(_ names: [String]) {
    columns = names
  }

  /// The TSV text.
  public func text() -> String {
    var out = columns.map(Self.field).joined(separator: "\t") + "\n"
    let floatColumns = Set(columns.filter(isFloatColumn))
    for row in rows {
      out +=
        columns.map { c -> String in
          let v = row[c] ?? .none
          switch v {
          case .none: return ""
          case .float(let d) where d.isNaN: return ""
          case .int(let i) where floatColumns.contains(c): return Self.floatRepr(Double(i))
          default: return Self.field(v.pythonStr)
          }
        }.joined(separator: "\t") + "\n"
    }
    return out
  }

  /// float64 when every present value is an int or a float and one is a float or missing.
  private func isFloatColumn(_ c: String) -> Bool {
    var sawFloatOrMissing = false
    var sawNumber = false
    for row in rows {
      switch row[c] ?? .none {
      case .none: sawFloatOrMissing = true
      case .float:
        sawFloatOrMissing = true
        sawNumber = true
      case .int: sawNumber = true
      default: return false
      }
    }
    return sawNumber && sawFloatOrMissing
  }

  /// Python's `csv` QUOTE_MINIMAL with `sep='\t'` and `lineterminator='\n'`.
  static func field(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 34 }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// `repr(float)`: the shortest text that reads back, with Python's exponent form
  /// (`1e-05`, `1e+16`) and `.0` on integral values.
  static func floatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description is also the shortest round-trip digits; only the switch to exponent
    // form differs (Python: exponent < -4 or >= 16).
    let s = d.description
    let (digits, exponent) = Self.decompose(s)
    let neg = d < 0
    if exponent < -4 || exponent >= 16 {
      let mantissa = digits.count == 1 ? digits : String(digits.first!) + "." + digits.dropFirst()
      let e = exponent < 0 ? "-" + pad(-exponent) : "+" + pad(exponent)
      return (neg ? "-" : "") + mantissa + "e" + e
    }
    var plain: String
    if exponent < 0 {
      plain = "0." + String(repeating: "0", count: -exponent - 1) + digits
    } else if digits.count > exponent + 1 {
      let i = digits.index(digits.startIndex, offsetBy: exponent + 1)
      plain = digits[..<i] + "." + digits[i...]
    } else {
      plain = digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
    }
    if neg { plain = "-" + plain }
    return plain
  }

  private static func pad(_ e: Int) -> String { e < 10 ? "0\(e)" : "\(e)" }

  /// The significant digits (no leading or trailing zeros) and the decimal exponent of the
  /// first digit, from Swift's shortest representation.
  private static func decompose(_ s: String) -> (String, Int) {
    var t = s
    if t.hasPrefix("-") { t.removeFirst() }
    var exp = 0
    if let e = t.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exp = Int(t[t.index(after: e)...]) ?? 0
      t = String(t[..<e])
    }
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    let whole = String(parts[0])
    let frac = parts.count > 1 ? String(parts[1]) : ""
    var all = whole + frac
    var pointPos = whole.count  // digits before the point
    while all.hasPrefix("0") && all.count > 1 {
      all.removeFirst()
      pointPos -= 1
    }
    while all.hasSuffix("0") && all.count > 1 { all.removeLast() }
    return (all, pointPos - 1 + exp)
  }
}
