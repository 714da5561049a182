import Foundation
import VCore
import VSheet

/// A result table (vmerge's or VLMEvalKit's): columns and rows of cells. A missing, blank or
/// null cell is nil, which is what pandas reads as NaN.
public struct ResultTable: Sendable {
  public var columns: [String]
  public var rows: [[String?]]
  /// Where the table came from, for messages.
  public var name: String
  /// JSON Lines that could not be read (skipped; reported by the caller).
  public var malformed: [InputError] = []

  public init(columns: [String], rows: [[String?]], name: String) {
    self.columns = columns
    self.rows = rows.map { r in r.count >= columns.count ? Array(r.prefix(columns.count)) : r + Array(repeating: nil, count: columns.count - r.count)
    }
    self.name = name
  }

  public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
  public func has(_ name: String) -> Bool { columns.contains(name) }

  /// The cell of `row` in column `name` (nil when the column is absent or the cell is NaN).
  public func cell(_ row: Int, _ name: String) -> String? {
    guard let c = column(name) else { return nil }
    return rows[row][c]
  }

  /// Adds the column, or replaces it where it exists.
  public mutating func setColumn(_ name: String, _ values: [String?]) {
    if let c = column(name) {
      for r in rows.indices { rows[r][c] = values[r] }
    } else {
      columns.append(name)
      for r in rows.indices { rows[r].append(values[r]) }
    }
  }

  /// The formats vscore reads, by extension.
  public static let extensions = ["xlsx", "tsv", "csv", "jsonl", "json"]

  /// Reads a table by its extension.
  public static func load(_ path: String) throws -> ResultTable {
    let ext = (path as NSString).pathExtension.lowercased()
    switch ext {
    case "xlsx":
      // Sparse first: memory follows the cells the file holds, not the references they carry.
      let sheet = try XLSXReader.readSparse(path: path)
      guard !sheet.rows.isEmpty else { throw InputError(SourceLocation(file: path), "the first sheet is empty: no header row") }
      let header = sheet.rows.first { $0.index == 0 }?.cells ?? []
      let data = sheet.rows.filter { $0.index > 0 }
      // pandas names every column up to the widest row; columns no cell uses are kept as long
      // as they are few (a cell far out at XFD does not make 16,000 empty columns).
      var used = Set<Int>()
      for r in sheet.rows { for c in r.cells { used.insert(c.column) } }
      let width = (used.max() ?? -1) + 1
      let kept = width <= used.count + 64 ? Array(0..<width) : used.sorted()
      try checkDensity(rows: data.count, columns: kept.count, cells: sheet.cellCount, path: path)
      var slot = [Int: Int]()
      for (k, c) in kept.enumerated() { slot[c] = k }
      let names = Dictionary(header.map { ($0.column, $0.text) }, uniquingKeysWith: { a, _ in a })
      let columns = kept.map { names[$0] ?? "Unnamed: \($0)" }
      let rows: [[String?]] = data.map { r in
        var row = [String?](repeating: nil, count: kept.count)
        for c in r.cells { if let k = slot[c.column] { row[k] = c.text } }
        return row
      }
      return ResultTable(columns: columns, rows: rows, name: path)
    case "tsv":
      let reader = try TSVReader(try ByteReader(path: path))
      var rows: [[String?]] = []
      while let (_, cells) = try reader.next() { rows.append(cells.map { $0.isEmpty ? nil : $0 }) }
      return ResultTable(columns: reader.header, rows: rows, name: path)
    case "csv":
      let bytes = try FileIO.readFile(path, limit: Int(Int32.max))
      var records = try CSV.parse(bytes, name: path)
      guard !records.isEmpty else { throw InputError(SourceLocation(file: path), "empty: no header row") }
      let header = records.removeFirst()
      return ResultTable(columns: header, rows: records.map { $0.map { $0.isEmpty ? nil : $0 } }, name: path)
    case "jsonl", "json":
      let bytes = try FileIO.readFile(path, limit: Int(Int32.max))
      var objects: [(Int, JSONObject)] = []
      var malformed: [InputError] = []
      let text = bytes.first == 0xEF ? Array(bytes.dropFirst(3)) : bytes
      if ext == "json", let first = text.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }), first == UInt8(ascii: "[") {
        let v: JSONValue
        do { v = try JSONParser.parse(text) } catch { throw InputError(SourceLocation(file: path, line: 1), "invalid JSON \(error)") }
        for (i, item) in (v.arrayValue ?? []).enumerated() {
          guard let o = item.objectValue else {
            throw InputError(SourceLocation(file: path, line: 1), "$[\(i)] is \(item.typeName), expected an object")
          }
          objects.append((i + 1, o))
        }
      } else {
        var line = 0
        for raw in text.split(separator: 0x0A, omittingEmptySubsequences: false) {
          line += 1
          var l = Array(raw)
          if l.last == 0x0D { l.removeLast() }
          if l.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
          // A bad line is skipped and reported; the other rows are scored.
          let v: JSONValue
          do {
            v = try JSONParser.parse(l)
          } catch {
            malformed.append(InputError(SourceLocation(file: path, line: line), "invalid JSON \(error)"))
            continue
          }
          guard let o = v.objectValue else {
            malformed.append(InputError(SourceLocation(file: path, line: line), "expected a JSON object, found \(v.typeName)"))
            continue
          }
          objects.append((line, o))
        }
      }
      var columns: [String] = []
      var seen = Set<String>()
      var fields = 0
      for (_, o) in objects {
        for k in o.keys where seen.insert(k).inserted { columns.append(k) }
        fields += o.count
      }
      try checkDensity(rows: objects.count, columns: columns.count, cells: fields, path: path)
      let rows: [[String?]] = objects.map { (_, o) in
        columns.map { k in
          guard let v = o[k] else { return nil }
          let t = v.scalarText ?? JSONSerializer.serialize(v)
          return t.isEmpty ? nil : t
        }
      }
      var table = ResultTable(columns: columns, rows: rows, name: path)
      table.malformed = malformed
      return table
    default:
      throw SimpleToolError("cannot read '\(path)': the extension must be .xlsx, .tsv, .csv, .jsonl or .json", status: .usage)
    }
  }
}

extension ResultTable {
  /// A table is held dense (rows x columns): refuse one whose cells are so scattered (a
  /// different key on every JSON line, a diagonal of spreadsheet cells) that the dense table
  /// would be far larger than the file's content.
  static func checkDensity(rows: Int, columns: Int, cells: Int, path: String) throws {
    let (dense, overflow) = rows.multipliedReportingOverflow(by: columns)
    guard overflow || dense > 64 * cells + (1 << 22) else { return }
    throw InputError(
      SourceLocation(file: path), "\(cells) cells spread over \(rows) rows and \(columns) columns; too sparse to read as a result table")
  }
}
