import VCore

/// RFC 4180 CSV (what vmerge and pandas write): `"` quoting, `""` inside quotes, CRLF or LF.
enum CSV {
  static func parse(_ bytes: [UInt8], name: String) throws -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell: [UInt8] = []
    var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var quoted = false
    var line = 1
    var startLine = 1
    func endCell() {
      row.append(String(decoding: cell, as: UTF8.self))
      cell = []
    }
    while i < bytes.count {
      let c = bytes[i]
      if quoted {
        if c == UInt8(ascii: "\"") {
          if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
            cell.append(c)
            i += 2
            continue
          }
          quoted = false
        } else {
          if c == 0x0A { line += 1 }
          cell.append(c)
        }
        i += 1
        continue
      }
      switch c {
      case UInt8(ascii: "\""): quoted = true
      case UInt8(ascii: ","): endCell()
      case 0x0D: break
      case 0x0A:
        endCell()
        if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
        row = []
        line += 1
        startLine = line
      default: cell.append(c)
      }
      i += 1
    }
    if quoted { throw InputError(SourceLocation(file: name, line: startLine), "unterminated quoted cell (the file ends inside it)") }
    if !cell.isEmpty || !row.isEmpty {
      endCell()
      rows.append(row)
    }
    return rows
  }
}
