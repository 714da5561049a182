/// One input record and where it came from.
public struct InputRecord: Sendable {
  public var location: SourceLocation
  /// The record's fields; always holds a string `id`.
  public var fields: JSONObject
  /// The record id.
  public var id: String { fields["id"]?.stringValue ?? "" }
}

/// The input formats every tool reads.
public enum RecordFormat: String, Sendable, CaseIterable {
  case tsv, jsonl

  /// The format a file name implies, or nil when it says nothing.
  public static func fromExtension(_ path: String) -> RecordFormat? {
    let lower = path.lowercased()
    if lower.hasSuffix(".tsv") { return .tsv }
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
    return nil
  }
}

/// Reads dataset rows (TSV with a header) or records (JSON Lines) from a file or stdin and gives
/// each a string `id`: the `id` field if present, else the dataset `index` as text, else the
/// 0-based row position (VLMEvalKit adds `index = 0..N-1` to a TSV without one; so do we).
///
/// A malformed line is returned as an `InputError` naming file, line and JSON path; reading goes
/// on with the next line.
public final class RecordReader {
  private let bytes: ByteReader
  private var tsv: TSVReader?
  private var position = 0
  public let format: RecordFormat
  /// The name used in messages.
  public var name: String { bytes.name }
  /// The TSV header, for TSV input.
  public var header: [String]? { tsv?.header }

  /// Opens `path` (`-` for stdin); the format comes from `format`, the extension, or the first
  /// byte (`{` means JSON Lines).
  public init(path: String, format: RecordFormat? = nil) throws {
    bytes = try ByteReader(path: path)
    try bytes.skipBOM()
    var f = format ?? RecordFormat.fromExtension(path)
    if f == nil {
      f = .tsv
      while let b = try bytes.peekByte() {
        if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
          if b == 0x0A { bytes.countLine() }
          _ = try bytes.nextByte()
          continue
        }
        if b == UInt8(ascii: "{") { f = .jsonl }
        break
      }
    }
    self.format = f ?? .tsv
    if self.format == .tsv { tsv = try TSVReader(bytes) }
  }

  /// The next record, an input error for a malformed one, or nil at the end.
  public func next() throws -> Result<InputRecord, InputError>? {
    switch format {
    case .tsv:
      guard let tsv else { return nil }
      let row: (SourceLocation, [String])?
      do {
        row = try tsv.next()
      } catch let e as InputError {
        position += 1
        return .failure(e)
      }
      guard let (loc, cells) = row else { return nil }
      defer { position += 1 }
      var obj = JSONObject()
      let hasIndex = tsv.header.contains("index")
      let idText = hasIndex ? cells[tsv.header.firstIndex(of: "index")!] : String(position)
      obj["id"] = .string(idText)
      if !hasIndex { obj["index"] = .string(idText) }
      for (h, c) in zip(tsv.header, cells) where h != "id" { obj[h] = .string(c) }
      return .success(InputRecord(location: loc, fields: obj))
    case .jsonl:
      while let line = try bytes.nextLine() {
        let loc = SourceLocation(file: bytes.name, line: bytes.lineNumber)
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
        defer { position += 1 }
        let value: JSONValue
        do {
          value = try JSONParser.parse(line)
        } catch {
          return .failure(InputError(loc, "invalid JSON \(error)"))
        }
        guard case .object(let o) = value else {
          return .failure(InputError(loc, "expected a JSON object, found \(value.typeName)"))
        }
        return .success(InputRecord(location: loc, fields: Self.withID(o, position: position)))
      }
      return nil
    }
  }

  /// `fields` with a string `id` first: the existing `id` (a number becomes its text), else the
  /// `index` as text, else the row position.
  public static func withID(_ fields: JSONObject, position: Int) -> JSONObject {
    if case .string = fields["id"] { return fields }
    var id: String
    if let existing = fields["id"]?.scalarText, !existing.isEmpty {
      id = existing
    } else if let index = fields["index"]?.scalarText, !index.isEmpty {
      id = index
    } else {
      id = String(position)
    }
    var out = JSONObject()
    out["id"] = .string(id)
    for (k, v) in fields.pairs where k != "id" { out[k] = v }
    return out
  }
}
