import Foundation
import Testing
import VCore
import VScore

@testable import VSheet

/// Regression tests of issue #13 (crafted .xlsx files that killed vscore with a signal) and of
/// the reader's bounds, on zips built here byte by byte (stored entries, so every field is ours).
struct XLSXHostileTests {
  struct Part {
    var name: String
    var data: [UInt8]
    /// Central-directory overrides.
    var offset: UInt32?
    var size: UInt32?
    var extra: [UInt8] = []
  }

  static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
  static func le32(_ v: UInt32) -> [UInt8] { le16(Int(v & 0xFFFF)) + le16(Int(v >> 16)) }
  static func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(v & 0xFFFF_FFFF)) + le32(UInt32(v >> 32)) }

  /// A zip of stored entries; `locator` adds a zip64 end-of-directory locator pointing there.
  static func zip(_ parts: [Part], locator: UInt64? = nil) -> [UInt8] {
    var local: [UInt8] = [], central: [UInt8] = []
    for p in parts {
      let crc = UInt32(CRC32.checksum(p.data))
      let off = UInt32(local.count)
      let name = Array(p.name.utf8)
      local +=
        le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(UInt32(p.data.count)) + le32(UInt32(p.data.count))
      local += le16(name.count) + le16(0) + name + p.data
      central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc)
      central +=
        le32(UInt32(p.data.count)) + le32(p.size ?? UInt32(p.data.count)) + le16(name.count) + le16(p.extra.count) + le16(0) + le16(0) + le16(0)
      central += le32(0) + le32(p.offset ?? off) + name + p.extra
    }
    var out = local + central
    if let locator { out += le32(0x0706_4B50) + le32(0) + le64(locator) + le32(1) }
    out +=
      le32(0x0605_4B50) + le16(0) + le16(0) + le16(parts.count) + le16(parts.count) + le32(UInt32(central.count)) + le32(UInt32(local.count))
      + le16(0)
    return out
  }

  static func sheet(_ rows: String) -> Part {
    Part(name: "xl/worksheets/sheet1.xml", data: Array("<worksheet><sheetData>\(rows)</sheetData></worksheet>".utf8))
  }

  static let table =
    #"<row r="1"><c r="A1" t="inlineStr"><is><t>index</t></is></c><c r="B1" t="inlineStr"><is><t>prediction</t></is></c></row><row r="2"><c r="A2"><v>0</v></c><c r="B2" t="inlineStr"><is><t>A</t></is></c></row>"#

  func error(_ bytes: [UInt8]) -> String? {
    do {
      _ = try XLSXReader.readSparse(bytes: bytes, name: "t.xlsx")
      return nil
    } catch {
      #expect(error.exitStatus == .dataError)
      return error.message
    }
  }

  @Test func aStoredZipOfOursReads() throws {
    let s = try XLSXReader.readSparse(bytes: Self.zip([Self.sheet(Self.table)]), name: "t.xlsx")
    #expect(s.rows.map { $0.cells.map(\.text) } == [["index", "prediction"], ["0", "A"]])
    #expect(try XLSXReader.read(bytes: Self.zip([Self.sheet(Self.table)]), name: "t.xlsx") == [["index", "prediction"], ["0", "A"]])
  }

  /// Issue #13, first crash: offset 0xFFFFFFFF with a zip64 extra of 2^64-1 trapped on `h + 30`.
  @Test func zip64OffsetOfAllOnesIsAnErrorNotATrap() {
    var p = Self.sheet(Self.table)
    p.offset = 0xFFFF_FFFF
    p.extra = Self.le16(1) + Self.le16(8) + Self.le64(UInt64.max)
    #expect(error(Self.zip([p]))?.contains("bad local header for 'xl/worksheets/sheet1.xml'") == true)
    // The same with a huge but representable offset, and with sizes of 2^62 and 2^64-1.
    p.extra = Self.le16(1) + Self.le16(8) + Self.le64(UInt64(Int64.max) - 10)
    #expect(error(Self.zip([p]))?.contains("bad local header") == true)
    var q = Self.sheet(Self.table)
    q.size = 0xFFFF_FFFF
    q.extra = Self.le16(1) + Self.le16(8) + Self.le64(1 << 62)
    #expect(error(Self.zip([q]))?.contains("claims 4611686018427387904 bytes") == true)
    q.extra = Self.le16(1) + Self.le16(8) + Self.le64(UInt64.max)
    #expect(error(Self.zip([q]))?.contains("claims \(Int.max) bytes") == true)
    // A zip64 field shorter than the value it must hold.
    q.extra = Self.le16(1) + Self.le16(4) + Self.le32(5)
    #expect(error(Self.zip([q]))?.contains("too short") == true)
  }

  /// A zip64 locator pointing at 2^64-1 trapped on `z64 + 56` (found by this audit).
  @Test func zip64LocatorPastTheEndIsAnError() {
    for at in [UInt64.max, UInt64(Int64.max), 1 << 40, 3] {
      #expect(error(Self.zip([Self.sheet(Self.table)], locator: at))?.contains("bad zip64 end record") == true, "\(at)")
    }
  }

  /// Issue #13, second crash: a dozen letters and twenty digits allocated ~10^17 bytes.
  @Test func cellReferencesPastTheGridAreErrorsNotAllocations() {
    let bad = [
      #"<row r="3"><c r="ABCDEFGHIJKL99999999999999999999"><v>1</v></c></row>"#:
        "cell reference 'ABCDEFGHIJKL99999999999999999999' is outside Excel's grid",
      #"<row r="3"><c r="ABCDEFGHIJKLMNOPQRSTUVWXYZ1"><v>1</v></c></row>"#: "is outside Excel's grid",
      #"<row r="3"><c r="XFE3"><v>1</v></c></row>"#: "cell reference 'XFE3'",
      #"<row r="99999999999999999"><c><v>1</v></c></row>"#: "row number '99999999999999999' is outside Excel's grid",
      #"<row r="99999999999999999999"><c><v>1</v></c></row>"#: "row number",
      #"<row r="0"><c><v>1</v></c></row>"#: "row number '0'",
      #"<row r="1048577"><c><v>1</v></c></row>"#: "row number '1048577'",
      #"<row r="1048576"/><row><c><v>1</v></c></row>"#: "more than 1048576 rows",
      "<row r=\"3\">" + String(repeating: "<c><v>1</v></c>", count: 16385) + "</row>": "row 3 has more than 16384 cells",
    ]
    for (rows, message) in bad {
      let e = error(Self.zip([Self.sheet(Self.table + rows)]))
      #expect(e?.contains(message) == true, "\(rows.prefix(60)): \(e ?? "read")")
    }
    #expect(XLSXReader.columnIndex("XFD1048576") == 16383)
    #expect(XLSXReader.columnIndex("A1") == 0)
    #expect(XLSXReader.columnIndex("AB12") == 27)
    #expect(XLSXReader.columnIndex("XFE1") == nil)
    #expect(XLSXReader.columnIndex("ZZZZZZZZZZZZZZZZZZZZ1") == nil)
  }

  /// A cell at XFD1048576 is one cell, not a grid of 17 billion.
  @Test func aCellAtTheGridsCornerIsOneCell() throws {
    let s = try XLSXReader.readSparse(
      bytes: Self.zip([Self.sheet(Self.table + #"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>"#)]), name: "t.xlsx")
    #expect(s.cellCount == 5)
    #expect(s.rows.last == SparseSheet.Row(index: 1_048_575, cells: [SparseSheet.Cell(column: 16383, text: "far")]))
    // The dense form refuses a sheet that sparse rather than building it.
    var diagonal = ""
    for r in 3...40000 { diagonal += "<row r=\"\(r * 26)\"><c r=\"XFD\(r * 26)\"><v>1</v></c></row>" }
    let e = error(Self.zip([Self.sheet(Self.table + diagonal)]))
    #expect(e == nil, "sparse reads it")
    #expect(throws: SheetError.self) { try XLSXReader.read(bytes: Self.zip([Self.sheet(Self.table + diagonal)]), name: "t.xlsx") }
  }

  @Test func doctypeAndEntitiesAreRefusedNeverExpanded() {
    let dtd = #"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"#
    var p = Self.sheet(Self.table)
    p.data = Array((dtd + "<worksheet><sheetData>\(Self.table)</sheetData></worksheet>").utf8)
    #expect(error(Self.zip([p]))?.contains("a DOCTYPE or ENTITY declaration") == true)
    let sst = Part(
      name: "xl/sharedStrings.xml",
      data: Array(#"<?xml version="1.0"?><!DOCTYPE sst SYSTEM "file:///etc/passwd"><sst><si><t>&b;</t></si></sst>"#.utf8))
    #expect(error(Self.zip([sst, Self.sheet(Self.table)]))?.contains("xl/sharedStrings.xml: a DOCTYPE") == true)
    // Undeclared entities are text as written; absurd character references too.
    let odd = Self.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>&b;&#99999999999;&#x110000;</t></is></c></row>"#)
    #expect((try? XLSXReader.readSparse(bytes: Self.zip([odd]), name: "t"))?.rows.first?.cells.first?.text == "&b;&#99999999999;&#x110000;")
  }

  @Test func truncatedXMLAndShortSharedStringsAreErrors() {
    var p = Self.sheet(Self.table)
    p.data = Array("<worksheet><sheetData>\(Self.table)".utf8)
    #expect(error(Self.zip([p]))?.contains("the sheet ends before </sheetData>") == true)
    let sst = Part(name: "xl/sharedStrings.xml", data: Array("<sst><si><t>a</t></si>".utf8))
    #expect(error(Self.zip([sst, Self.sheet(Self.table)]))?.contains("ends before </sst>") == true)
    // Every prefix of a good file ends in an error or in the whole table, never a trap.
    let good = Self.zip([Self.sheet(Self.table)])
    for n in 0..<good.count {
      #expect(error(Array(good.prefix(n))) != nil, "prefix \(n)")
    }
  }

  @Test func countsAndExtraLengthsThatLieAreErrors() {
    var bytes = Self.zip([Self.sheet(Self.table)])
    let eocd = bytes.count - 22
    bytes[eocd + 10] = 0xFF
    bytes[eocd + 11] = 0xFF
    #expect(error(bytes)?.contains("claims 65535 entries") == true)
    var p = Self.sheet(Self.table)
    p.extra = Self.le16(0x5455) + Self.le16(0xFFFF)
    #expect(error(Self.zip([p]))?.contains("extra field longer than its extra data") == true)
  }

  /// ResultTable keeps the columns cells use: a lone far cell adds one column, not 16,000.
  @Test func aFarCellAddsOneColumnToTheTable() throws {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-far-\(getpid()).xlsx").path
    defer { unlink(d) }
    let bytes = Self.zip([Self.sheet(Self.table + #"<row r="3"><c r="XFD3" t="inlineStr"><is><t>far</t></is></c></row>"#)])
    #expect(FileManager.default.createFile(atPath: d, contents: Data(bytes)))
    let t = try ResultTable.load(d)
    #expect(t.columns == ["index", "prediction", "Unnamed: 16383"])
    #expect(t.rows == [["0", "A", nil], [nil, nil, "far"]])
  }
}

/// CRC-32 (IEEE), for building zips without zlib here.
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { i in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }
  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
