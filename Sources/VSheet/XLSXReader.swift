import VCore

/// A worksheet as it is stored: only the cells that hold text, by row, in order. Memory follows
/// the cells the file really has, whatever references they carry (a cell at XFD1048576 is one
/// cell, not a grid).
public struct SparseSheet: Sendable, Equatable {
  public struct Row: Sendable, Equatable {
    /// 0-based row number.
    public var index: Int
    /// (0-based column, text), by column, each column once.
    public var cells: [Cell]
  }

  public struct Cell: Sendable, Equatable {
    public var column: Int
    public var text: String
  }

  /// The rows that hold at least one cell, by index.
  public var rows: [Row]
  /// The number of cells.
  public var cellCount: Int { rows.reduce(0) { $0 + $1.cells.count } }
}

/// Reads the first worksheet of an .xlsx file (ours, VLMEvalKit's pandas/openpyxl output,
/// Excel's, LibreOffice's) into rows of cells. A cell that is absent or blank is nil (what pandas
/// reads as NaN); text cells (shared or inline strings) come back as written; number cells come back
/// as their stored text (`3`, `0.5`, `1E-3`): VLMEvalKit's round trip turns numeric-looking
/// predictions into numbers (reference Q10), and a scorer needs them as text again.
///
/// The file is untrusted: every failure is a `SheetError` (exit 65) naming the file, never a
/// trap. Cell references must lie in Excel's grid (columns A..XFD, rows 1..1048576); a DOCTYPE
/// or entity declaration is refused (nothing is ever expanded); zip sizes and offsets are
/// checked (`ZipArchive`).
public enum XLSXReader {
  /// Excel's grid: 16384 columns (XFD), 1048576 rows.
  public static let maxColumns = 16384
  public static let maxRows = 1_048_576

  public static func read(path: String) throws(SheetError) -> [[String?]] {
    try dense(readSparse(path: path), name: path)
  }

  /// Reads an .xlsx held in memory (`name` is for messages).
  public static func read(bytes: [UInt8], name path: String) throws(SheetError) -> [[String?]] {
    try dense(readSparse(bytes: bytes, name: path), name: path)
  }

  public static func readSparse(path: String) throws(SheetError) -> SparseSheet {
    let bytes: [UInt8]
    do {
      bytes = try FileIO.readFile(path, limit: Int(Int32.max))
    } catch {
      throw SheetError(message: String(describing: error), status: error.exitStatus)
    }
    return try readSparse(bytes: bytes, name: path)
  }

  public static func readSparse(bytes: [UInt8], name path: String) throws(SheetError) -> SparseSheet {
    let zip = try ZipArchive(path: path, bytes: bytes)
    let shared = try zip.read("xl/sharedStrings.xml").map { (xml) throws(SheetError) in try sharedStrings(xml, path: path) } ?? []
    let sheetPath = try firstSheetPath(zip)
    guard let sheet = try zip.read(sheetPath) else {
      throw SheetError(message: "no worksheet ('\(sheetPath)' is missing)", status: .dataError, file: path)
    }
    return try cells(sheet, shared: shared, path: path, part: sheetPath)
  }

  /// The sheet as a dense matrix of rows (trailing absent cells omitted per row). Refused when
  /// the matrix would be far larger than the cells it holds (a few cells at the far corners of
  /// the grid): use `readSparse` for such sheets.
  public static func dense(_ sheet: SparseSheet, name path: String) throws(SheetError) -> [[String?]] {
    guard let last = sheet.rows.last else { return [] }
    var size = last.index + 1
    for r in sheet.rows { size += (r.cells.last?.column ?? 0) + 1 }
    let cells = sheet.cellCount
    guard size <= 64 * cells + (1 << 20) else {
      throw SheetError(
        message:
          "the sheet's \(cells) cells are spread over \(last.index + 1) rows and up to \(sheet.rows.map { ($0.cells.last?.column ?? 0) + 1 }.max() ?? 0) columns; too sparse to read as a table",
        status: .dataError, file: path)
    }
    var rows = [[String?]](repeating: [], count: last.index + 1)
    for r in sheet.rows {
      var row = [String?](repeating: nil, count: (r.cells.last?.column ?? 0) + 1)
      for c in r.cells { row[c.column] = c.text }
      rows[r.index] = row
    }
    return rows
  }

  /// `xl/workbook.xml`'s first `<sheet>`, through `xl/_rels/workbook.xml.rels`.
  static func firstSheetPath(_ zip: ZipArchive) throws(SheetError) -> String {
    let fallback = "xl/worksheets/sheet1.xml"
    guard let wb = try zip.read("xl/workbook.xml") else { return fallback }
    var x = XMLScanner(wb, path: zip.path, part: "xl/workbook.xml")
    var rid: String?
    while let ev = try x.next() {
      if case .start(let name, let attrs, _) = ev, name == "sheet" {
        rid = attrs.first { $0.0 == "id" || $0.0.hasSuffix(":id") }?.1
        break
      }
    }
    guard let rid, let rels = try zip.read("xl/_rels/workbook.xml.rels") else { return fallback }
    var r = XMLScanner(rels, path: zip.path, part: "xl/_rels/workbook.xml.rels")
    while let ev = try r.next() {
      if case .start(let name, let attrs, _) = ev, name == "Relationship",
        attrs.first(where: { $0.0 == "Id" })?.1 == rid, let target = attrs.first(where: { $0.0 == "Target" })?.1
      {
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
      }
    }
    return fallback
  }

  /// The shared-string table: each `<si>`'s `<t>` texts (rich-text runs joined; phonetic
  /// `<rPh>` runs left out).
  static func sharedStrings(_ xml: [UInt8], path: String = "<memory>") throws(SheetError) -> [String] {
    var out: [String] = []
    var x = XMLScanner(xml, path: path, part: "xl/sharedStrings.xml")
    var current: String?
    var inT = false
    var phonetic = 0
    var closed = false
    while let ev = try x.next() {
      switch ev {
      case .start(let name, _, let empty):
        if name == "sst" && empty { closed = true }
        if name == "si" {
          current = ""
          if empty {
            out.append("")
            current = nil
          }
        }
        if name == "rPh" && !empty { phonetic += 1 }
        if name == "t" && !empty { inT = true }
      case .end(let name):
        if name == "sst" { closed = true }
        if name == "si", let c = current {
          out.append(c)
          current = nil
        }
        if name == "rPh" { phonetic = max(0, phonetic - 1) }
        if name == "t" { inT = false }
      case .text(let t):
        if inT && phonetic == 0 { current? += t }
      }
    }
    // A shared-string table cut short would shift no index but lose strings: refuse it.
    guard closed else {
      throw SheetError(message: "xl/sharedStrings.xml ends before </sst> (truncated?)", status: .dataError, file: path)
    }
    return out
  }

  /// The sheet's cells that hold text, sparse.
  static func cells(_ xml: [UInt8], shared: [String], path: String, part: String = "xl/worksheets/sheet1.xml") throws(SheetError) -> SparseSheet {
    var byRow: [Int: [Int: String]] = [:]
    var x = XMLScanner(xml, path: path, part: part)
    var rowIndex = -1
    var col = -1
    var type: String?
    var value: String?
    var inline: String?
    var capture = false
    var inInline = false
    var phonetic = 0
    var sheetDataEnded = false

    func fail(_ why: String) -> SheetError {
      SheetError(message: "\(part): \(why)", status: .dataError, file: path)
    }

    func store() throws(SheetError) {
      var text: String?
      switch type {
      case "s":
        guard let v = value, let i = Int(v.trimmingSpaces), i >= 0, i < shared.count else {
          throw fail("row \(rowIndex + 1) refers to a shared string that does not exist")
        }
        text = shared[i]
      case "inlineStr":
        text = inline
      case "b":
        text = value.map { $0 == "1" ? "True" : "False" }
      default:
        text = value
      }
      guard let text, !text.isEmpty, rowIndex >= 0, col >= 0 else { return }
      byRow[rowIndex, default: [:]][col] = text
    }

    while let ev = try x.next() {
      switch ev {
      case .start(let name, let attrs, let empty):
        switch name {
        case "sheetData":
          if empty { sheetDataEnded = true }
        case "row":
          if let r = attrs.first(where: { $0.0 == "r" })?.1 {
            guard let n = Int(r.trimmingSpaces), n >= 1, n <= maxRows else {
              throw fail("row number '\(r.prefix(40))' is outside Excel's grid (1...\(maxRows))")
            }
            rowIndex = n - 1
          } else {
            guard rowIndex + 1 < maxRows else { throw fail("more than \(maxRows) rows") }
            rowIndex += 1
          }
          col = -1
        case "c":
          if let r = attrs.first(where: { $0.0 == "r" })?.1 {
            switch columnIndex(r) {
            case .some(let c):
              col = c
            case .none where r.utf8.first.map({ $0 >= 65 && $0 <= 90 }) == true:
              throw fail("cell reference '\(r.prefix(40))' is outside Excel's grid (columns A...XFD)")
            case .none:
              guard col + 1 < maxColumns else { throw fail("row \(rowIndex + 1) has more than \(maxColumns) cells") }
              col += 1
            }
          } else {
            guard col + 1 < maxColumns else { throw fail("row \(rowIndex + 1) has more than \(maxColumns) cells") }
            col += 1
          }
          type = attrs.first(where: { $0.0 == "t" })?.1
          value = nil
          inline = nil
          if empty { try store() }
        case "v":
          if !empty {
            capture = true
            value = ""
          }
        case "is":
          if !empty {
            inInline = true
            inline = ""
          }
        case "rPh":
          if !empty { phonetic += 1 }
        case "t":
          if inInline && !empty { capture = true }
        default:
          break
        }
      case .end(let name):
        switch name {
        case "v", "t": capture = false
        case "is": inInline = false
        case "rPh": phonetic = max(0, phonetic - 1)
        case "c": try store()
        case "sheetData": sheetDataEnded = true
        default: break
        }
      case .text(let t):
        guard capture else { continue }
        if inInline { if phonetic == 0 { inline? += t } } else { value? += t }
      }
    }
    // Cut short, the sheet would silently lose rows: a truncated part is an error.
    guard sheetDataEnded else { throw fail("the sheet ends before </sheetData> (truncated?)") }
    var rows: [SparseSheet.Row] = []
    rows.reserveCapacity(byRow.count)
    for (r, cells) in byRow.sorted(by: { $0.key < $1.key }) {
      rows.append(SparseSheet.Row(index: r, cells: cells.sorted { $0.key < $1.key }.map { SparseSheet.Cell(column: $0.key, text: $0.value) }))
    }
    return SparseSheet(rows: rows)
  }

  /// `AB12` -> 27 (0-based column); nil without leading capitals, or past column XFD (16384).
  static func columnIndex(_ ref: String) -> Int? {
    var n = 0
    var letters = 0
    for u in ref.utf8 {
      guard u >= 65 && u <= 90 else { break }
      letters += 1
      // Three letters reach XFD; more cannot be in the grid (and could overflow).
      guard letters <= 3 else { return nil }
      n = n * 26 + Int(u - 64)
    }
    guard letters > 0, n <= maxColumns else { return nil }
    return n - 1
  }
}

extension String {
  fileprivate var trimmingSpaces: String { PyText.strip(self) }
}

/// A minimal pull scanner for the XML of OOXML parts: elements with attributes, text with
/// entities (`&amp;`, `&#10;`, ...) and OOXML's `_xHHHH_` escapes decoded, CDATA as text;
/// declarations, comments and processing instructions skipped. Element and attribute names lose
/// their namespace prefix (`x:c` is `c`), except `r:id`-style attributes, which keep it.
/// A `<!DOCTYPE` or `<!ENTITY` is an error (OOXML parts have no DTD; nothing is ever expanded,
/// so entity bombs and external entities cannot happen); other entities than the five
/// predefined ones and character references stay as they are written. The scanner is flat (no
/// recursion): nesting depth costs nothing.
struct XMLScanner {
  enum Event {
    case start(String, [(String, String)], Bool)
    case end(String)
    case text(String)
  }

  private let b: [UInt8]
  private var i = 0
  private let path: String
  private let part: String

  init(_ bytes: [UInt8], path: String = "<memory>", part: String = "xml") {
    b = bytes
    self.path = path
    self.part = part
  }

  mutating func next() throws(SheetError) -> Event? {
    while i < b.count {
      if b[i] != UInt8(ascii: "<") {
        let s = i
        while i < b.count && b[i] != UInt8(ascii: "<") { i += 1 }
        return .text(Self.decode(b[s..<i]))
      }
      if starts("<!--") {
        skip(past: "-->")
        continue
      }
      if starts("<![CDATA[") {
        let s = i + 9
        skip(past: "]]>")
        return .text(String(decoding: b[s..<max(s, i - 3)], as: UTF8.self))
      }
      if starts("<!DOCTYPE") || starts("<!ENTITY") || starts("<!doctype") {
        throw SheetError(
          message: "\(part): a DOCTYPE or ENTITY declaration at byte \(i) (not allowed in OOXML; entities are never expanded)", status: .dataError,
          file: path)
      }
      if starts("<?") || starts("<!") {
        skip(past: ">")
        continue
      }
      i += 1
      if i < b.count && b[i] == UInt8(ascii: "/") {
        i += 1
        let name = readName()
        skip(past: ">")
        return .end(Self.local(name))
      }
      let name = readName()
      var attrs: [(String, String)] = []
      var empty = false
      while i < b.count {
        skipSpace()
        guard i < b.count else { break }
        if b[i] == UInt8(ascii: "/") {
          empty = true
          i += 1
          continue
        }
        if b[i] == UInt8(ascii: ">") {
          i += 1
          break
        }
        let an = readName()
        if an.isEmpty {
          i += 1
          continue
        }
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "=") else { continue }
        i += 1
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { continue }
        let q = b[i]
        i += 1
        let s = i
        while i < b.count && b[i] != q { i += 1 }
        let v = Self.decode(b[s..<i])
        i += 1
        attrs.append((an.hasSuffix(":id") ? an : Self.local(an), v))
      }
      return .start(Self.local(name), attrs, empty)
    }
    return nil
  }

  private func starts(_ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard i + n <= b.count else { return false }
    return s.withUTF8Buffer { p in (0..<n).allSatisfy { b[i + $0] == p[$0] } }
  }

  private mutating func skip(past s: StaticString) {
    while i < b.count && !starts(s) { i += 1 }
    i = min(b.count, i + s.utf8CodeUnitCount)
  }

  private mutating func skipSpace() {
    while i < b.count && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D) { i += 1 }
  }

  private mutating func readName() -> String {
    let s = i
    while i < b.count {
      let c = b[i]
      if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") { break }
      i += 1
    }
    return String(decoding: b[s..<i], as: UTF8.self)
  }

  private static func local(_ name: String) -> String {
    if let c = name.lastIndex(of: ":") { return String(name[name.index(after: c)...]) }
    return name
  }

  /// Entities and `_xHHHH_` escapes.
  static func decode(_ raw: ArraySlice<UInt8>) -> String {
    if !raw.contains(UInt8(ascii: "&")) && !raw.contains(UInt8(ascii: "_")) { return String(decoding: raw, as: UTF8.self) }
    let s = String(decoding: raw, as: UTF8.self)
    var out = String.UnicodeScalarView()
    let u = Array(s.unicodeScalars)
    var k = 0
    while k < u.count {
      let c = u[k]
      if c == "&", let semi = u[k...].prefix(12).firstIndex(of: ";") {
        let ent = String(String.UnicodeScalarView(u[(k + 1)..<semi]))
        var rep: Unicode.Scalar?
        switch ent {
        case "amp": rep = "&"
        case "lt": rep = "<"
        case "gt": rep = ">"
        case "quot": rep = "\""
        case "apos": rep = "'"
        default:
          if ent.hasPrefix("#x") || ent.hasPrefix("#X") {
            rep = UInt32(ent.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
          } else if ent.hasPrefix("#") {
            rep = UInt32(ent.dropFirst()).flatMap(Unicode.Scalar.init)
          }
        }
        if let rep {
          out.append(rep)
          k = semi + 1
          continue
        }
      }
      if c == "_", k + 6 < u.count, u[k + 1] == "x", u[k + 6] == "_" {
        let hex = String(String.UnicodeScalarView(u[(k + 2)..<(k + 6)]))
        if let v = UInt32(hex, radix: 16), let rep = Unicode.Scalar(v) {
          out.append(rep)
          k += 7
          continue
        }
      }
      out.append(c)
      k += 1
    }
    return String(out)
  }
}
