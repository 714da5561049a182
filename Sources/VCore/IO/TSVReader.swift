/// An error in a TSV input, with its location.
public struct InputError: ToolError {
  public var location: SourceLocation
  public var message: String
  public var exitStatus: ExitStatus
  public init(_ location: SourceLocation, _ message: String, status: ExitStatus = .dataError) {
    self.location = location
    self.message = message
    self.exitStatus = status
  }
  public var description: String { "\(location): \(message)" }
}

/// Reads VLMEvalKit-style TSV: a header row, tab-separated cells, pandas' quoting (a cell that
/// starts with `"` runs to the next lone `"`, `""` inside is one quote, and it may hold tabs
/// and newlines). Blank lines are skipped; `\r\n` is accepted; a row with fewer cells than the
/// header is padded with empty cells (as pandas does); more cells is an error.
public final class TSVReader {
  private let reader: ByteReader
  /// The header cells.
  public private(set) var header: [String] = []

  public init(_ reader: ByteReader) throws(InputError) {
    self.reader = reader
    do {
      try reader.skipBOM()
      while true {
        guard let (cells, _, _) = try readRow() else {
          throw InputError(SourceLocation(file: reader.name, line: max(1, reader.lineNumber)), "empty TSV: no header row")
        }
        if cells.count == 1 && cells[0].isEmpty { continue }
        header = cells
        break
      }
      var seen = Set<String>()
      for h in header where !seen.insert(h).inserted {
        throw InputError(SourceLocation(file: reader.name, line: reader.lineNumber), "duplicate column '\(h)' in header")
      }
    } catch let e as InputError {
      throw e
    } catch {
      throw InputError(SourceLocation(file: reader.name, line: reader.lineNumber), String(describing: error))
    }
  }

  /// The next row as (location of its first line, cells), or nil at the end.
  ///
  /// - Throws: `InputError` for a malformed row (the reader stays usable: the next call reads
  ///   the following row), `StreamError` for a read failure.
  public func next() throws -> (SourceLocation, [String])? {
    while true {
      guard let (cells, loc, extra) = try readRow(keepAtMost: header.count) else { return nil }
      if cells.count == 1 && cells[0].isEmpty && extra == 0 { continue }  // blank line
      if extra > 0 || cells.count > header.count {
        throw InputError(loc, "row has \(cells.count + extra) cells, the header has \(header.count)")
      }
      if cells.count < header.count {
        return (loc, cells + Array(repeating: "", count: header.count - cells.count))
      }
      return (loc, cells)
    }
  }

  /// One row: its cells (at most `keepAtMost`; the others are parsed, counted in `extra` and
  /// dropped, so a row of a million tabs costs no more memory than its text) and location.
  private func readRow(keepAtMost: Int = Int.max) throws -> ([String], SourceLocation, extra: Int)? {
    guard var line = try reader.nextLine() else { return nil }
    let loc = SourceLocation(file: reader.name, line: reader.lineNumber)
    var cells: [String] = []
    var extra = 0
    var cell: [UInt8] = []
    var i = 0
    var inQuotes = false
    var atCellStart = true
    func finishCell() throws {
      if cells.count >= keepAtMost {
        extra += 1
        cell.removeAll(keepingCapacity: true)
        atCellStart = true
        return
      }
      guard let s = String(validating: cell, as: UTF8.self) else {
        throw InputError(loc, "invalid UTF-8 in column \(cells.count + 1)")
      }
      cells.append(s)
      cell.removeAll(keepingCapacity: true)
      atCellStart = true
    }
    while true {
      if i >= line.count {
        if inQuotes {
          // The quoted cell continues on the next physical line.
          guard let more = try reader.nextLine() else {
            throw InputError(loc, "unterminated quote in column \(cells.count + 1) (the file ends inside a quoted cell)")
          }
          cell.append(0x0A)
          line = more
          i = 0
          continue
        }
        try finishCell()
        return (cells, loc, extra)
      }
      let b = line[i]
      if inQuotes {
        if b == 0x22 {
          if i + 1 < line.count && line[i + 1] == 0x22 {
            cell.append(0x22)
            i += 2
            continue
          }
          inQuotes = false
          i += 1
          continue
        }
        cell.append(b)
        i += 1
        continue
      }
      if b == 0x09 {
        try finishCell()
        i += 1
        continue
      }
      if b == 0x22 && atCellStart {
        inQuotes = true
        atCellStart = false
        i += 1
        continue
      }
      atCellStart = false
      cell.append(b)
      i += 1
    }
  }
}
