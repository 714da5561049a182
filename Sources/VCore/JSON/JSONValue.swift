/// A JSON value that keeps what a pass-through stage must not change.
///
/// Numbers keep their source text, so `1.0`, `1e3` and 20-digit integers are written back exactly
/// as they were read. Objects keep their key order: input fields first, then the keys a stage adds.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number, as its JSON text.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// A number from an integer.
  public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

  /// A number from a double; NaN and infinities (not JSON) become `null`.
  public static func double(_ value: Double) -> JSONValue {
    guard value.isFinite else { return .null }
    return .number(String(describing: value))
  }

  /// The string, when this is a string.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The object, when this is an object.
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The array, when this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The number as a double, when this is a number.
  public var doubleValue: Double? {
    if case .number(let text) = self { return Double(text) }
    return nil
  }

  /// The number as an integer, when this is a number with an exact integer value.
  public var intValue: Int? {
    guard case .number(let text) = self else { return nil }
    if let i = Int(text) { return i }
    if let d = Double(text), d == d.rounded(), abs(d) < 9e15 { return Int(d) }
    return nil
  }

  /// A scalar as text the way a TSV cell would hold it: strings as they are, numbers as their
  /// JSON text, booleans as `True`/`False` (pandas), null as the empty string. `nil` for arrays
  /// and objects.
  public var scalarText: String? {
    switch self {
    case .string(let s): return s
    case .number(let n): return n
    case .bool(let b): return b ? "True" : "False"
    case .null: return ""
    case .array, .object: return nil
    }
  }

  /// The JSON type name, for error messages.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}

/// A JSON object that keeps its key order.
public struct JSONObject: Sendable, Equatable {
  public private(set) var keys: [String] = []
  private var storage: [String: JSONValue] = [:]

  public init() {}

  /// An object with the given pairs, in order; a repeated key keeps its first position and
  /// its last value (as Python's `json` does).
  public init(_ pairs: [(String, JSONValue)]) {
    for (k, v) in pairs { self[k] = v }
  }

  public var count: Int { keys.count }
  public var isEmpty: Bool { keys.isEmpty }

  public subscript(key: String) -> JSONValue? {
    get { storage[key] }
    set {
      if let newValue {
        if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  /// The pairs in order.
  public var pairs: [(key: String, value: JSONValue)] { keys.map { ($0, storage[$0] ?? .null) } }

  public static func == (a: JSONObject, b: JSONObject) -> Bool {
    a.keys == b.keys && a.storage == b.storage
  }
}
