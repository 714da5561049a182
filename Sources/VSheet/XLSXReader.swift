import VCore

/// Reads the first worksheet of an .xlsx file (ours, VLMEvalKit's pandas/openpyxl output,
/// Excel's, LibreOffice's) into rows of cells. A cell that is absent or blank is nil (what pandas
/// reads as NaN); text cells (shared or inline strings) come back as written; number cells come back
/// as their stored text (`3`, `0.5`, `1E-3`): VLMEvalKit's round trip turns numeric-looking
/// predictions into numbers (reference Q10), and a scorer needs them as text again.
public enum XLSXReader {
  public static func read(path: String) throws(SheetError) -> [[String?]] {
    let bytes: [UInt8]
    do {
      bytes = try FileIO.readFile(path, limit: Int(Int32.max))
    } catch {
      throw SheetError(message: String(describing: error), status: error.exitStatus)
    }
    return try read(bytes: bytes, name: path)
  }

  /// Reads an .xlsx held in memory (`name` is for messages).
  public static func read(bytes: [UInt8], name path: String) throws(SheetError) -> [[String?]] {
    let zip = try ZipArchive(path: path, bytes: bytes)
    let shared = try zip.read("xl/sharedStrings.xml").map(sharedStrings) ?? []
    let sheetPath = try firstSheetPath(zip)
    guard let sheet = try zip.read(sheetPath) else {
      throw SheetError(message: "'\(path)' has no worksheet ('\(sheetPath)' is missing)", status: .dataError)
    }
    return try cells(sheet, shared: shared, path: path)
  }

  /// `xl/workbook.xml`'s first `<sheet>`, through `xl/_rels/workbook.xml.rels`.
  static func firstSheetPath(_ zip: ZipArchive) throws(SheetError) -> String {
    let fallback = "xl/worksheets/sheet1.xml"
    guard let wb = try zip.read("xl/workbook.xml") else { return fallback }
    var x = XMLScanner(wb)
    var rid: String?
    while let ev = x.next() {
      if case .start(let name, let attrs, _) = ev, name == "sheet" {
        rid = attrs.first { $0.0 == "id" || $0.0.hasSuffix(":id") }?.1
        break
      }
    }
    guard let rid, let rels = try zip.read("xl/_rels/workbook.xml.rels") else { return fallback }
    var r = XMLScanner(rels)
    while let ev = r.next() {
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
  static func sharedStrings(_ xml: [UInt8]) -> [String] {
    var out: [String] = []
    var x = XMLScanner(xml)
    var current: String?
    var inT = false
    var phonetic = 0
    while let ev = x.next() {
      switch ev {
      case .start(let name, _, let empty):
        if name == "si" { current = ""; if empty { out.append(""); current = nil } }
        if name == "rPh" && !empty { phonetic += 1 }
        if name == "t" && !empty { inT = true }
      case .end(let name):
        if name == "si", let c = current { out.append(c); current = nil }
        if name == "rPh" { phonetic -= 1 }
        if name == "t" { inT = false }
      case .text(let t):
        if inT && phonetic == 0 { current? += t }
      }
    }
    return out
  }

  /// The sheet's cells as a dense matrix of rows (trailing absent cells omitted per row).
  static func cells(_ xml: [UInt8], shared: [String], path: String) throws(SheetError) -> [[String?]] {
    var rows: [[String?]] = []
    var x = XMLScanner(xml)
    var rowIndex = -1
    var col = -1
    var type: String?
    var value: String?
    var inline: String?
    var capture = false
    var inInline = false
    var phonetic = 0

    func store() throws(SheetError) {
      var text: String?
      switch type {
      case "s":
        guard let v = value, let i = Int(v.trimmingSpaces), i >= 0, i < shared.count else {
          throw SheetError(message: "'\(path)': row \(rowIndex + 1) refers to a shared string that does not exist", status: .dataError)
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
      while rows.count <= rowIndex { rows.append([]) }
      if rows[rowIndex].count <= col { rows[rowIndex] += Array(repeating: nil, count: col + 1 - rows[rowIndex].count) }
      rows[rowIndex][col] = text
    }

    while let ev = x.next() {
      switch ev {
      case .start(let name, let attrs, let empty):
        switch name {
        case "row":
          if let r = attrs.first(where: { $0.0 == "r" })?.1, let n = Int(r), n >= 1 { rowIndex = n - 1 } else { rowIndex += 1 }
          col = -1
        case "c":
          if let r = attrs.first(where: { $0.0 == "r" })?.1, let c = columnIndex(r) { col = c } else { col += 1 }
          type = attrs.first(where: { $0.0 == "t" })?.1
          value = nil
          inline = nil
          if empty { try store() }
        case "v":
          if !empty { capture = true; value = "" }
        case "is":
          if !empty { inInline = true; inline = "" }
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
        case "rPh": phonetic -= 1
        case "c": try store()
        default: break
        }
      case .text(let t):
        guard capture else { continue }
        if inInline { if phonetic == 0 { inline? += t } } else { value? += t }
      }
    }
    return rows
  }

  /// `AB12` -> 27 (0-based column).
  static func columnIndex(_ ref: String) -> Int? {
    var n = 0
    var letters = 0
    for u in ref.utf8 {
      guard u >= 65 && u <= 90 else { break }
      n = n * 26 + Int(u - 64)
      letters += 1
    }
    return letters > 0 ? n - 1 : nil
  }
}

extension String {
  fileprivate var trimmingSpaces: String { PyText.strip(self) }
}

/// A minimal pull scanner for the XML of OOXML parts: elements with attributes, text with
/// entities (`&amp;`, `&#10;`, ...) and OOXML's `_xHHHH_` escapes decoded, CDATA as text;
/// declarations, comments and processing instructions skipped. Element and attribute names lose
/// their namespace prefix (`x:c` is `c`), except `r:id`-style attributes, which keep it.
struct XMLScanner {
  enum Event {
    case start(String, [(String, String)], Bool)
    case end(String)
    case text(String)
  }

  private let b: [UInt8]
  private var i = 0

  init(_ bytes: [UInt8]) { b = bytes }

  mutating func next() -> Event? {
    while i < b.count {
      if b[i] != UInt8(ascii: "<") {
        let s = i
        while i < b.count && b[i] != UInt8(ascii: "<") { i += 1 }
        return .text(Self.decode(b[s..<i]))
      }
      if starts("<!--") { skip(past: "-->"); continue }
      if starts("<![CDATA[") {
        let s = i + 9
        skip(past: "]]>")
        return .text(String(decoding: b[s..<max(s, i - 3)], as: UTF8.self))
      }
      if starts("<?") || starts("<!") { skip(past: ">"); continue }
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
        if b[i] == UInt8(ascii: "/") { empty = true; i += 1; continue }
        if b[i] == UInt8(ascii: ">") { i += 1; break }
        let an = readName()
        if an.isEmpty { i += 1; continue }
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
        if let rep { out.append(rep); k = semi + 1; continue }
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
