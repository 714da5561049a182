import Foundation
import VCore

/// Writes a table by the output's extension, atomically (a temporary file renamed over the
/// target): `.xlsx` (libxlsxwriter, bold header, text cells; `numericColumns` as numbers), `.tsv` (VLMEvalKit's
/// QUOTE_ALL), `.csv` (RFC 4180), `.json` (a list of objects) or `.jsonl`.
public enum TableWriter {
  /// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break.
  public static func csvCell(_ c: String) -> String {
    c.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c
  }

  /// `sheetName` names an `.xlsx` file's one sheet (pandas' `Sheet1` unless the writer names it).
  public static func write(
    _ header: [String], _ rows: [[String]], to path: String, numericColumns: Set<Int> = [], sheetName: String = "Sheet1", diag: Diagnostics
  ) throws {
    let ext = (path as NSString).pathExtension.lowercased()
    guard ["xlsx", "tsv", "csv", "json", "jsonl"].contains(ext) else {
      throw SimpleToolError("cannot write '\(path)': the extension must be .xlsx, .tsv, .csv, .json or .jsonl", status: .usage)
    }
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileIO.makeDirectories(dir) }
    FileIO.removeStaleTemporaries(for: path)
    let tmp = FileIO.temporaryName(for: path)
    do {
      switch ext {
      case "xlsx":
        let wb = try Workbook(path: tmp, sheetName: sheetName)
        var cut = 0
        try wb.writeRow(0, header.map { CellText.sanitize($0).text }, bold: true)
        for (r, row) in rows.enumerated() {
          try wb.writeRow(
            r + 1,
            row.map { cell in
              let (t, c) = CellText.sanitize(cell)
              if c { cut += 1 }
              return t
            }, numeric: numericColumns)
        }
        try wb.close()
        guard rename(tmp, path) == 0 else { throw StreamError.io(path: path, errno: errno) }
        if cut > 0 { diag.warning("\(cut) cells were longer than Excel allows and were cut; the full text is in the JSONL") }
      case "tsv":
        let q: (String) -> String = { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var text = header.map(q).joined(separator: "\t") + "\n"
        for row in rows { text += row.map(q).joined(separator: "\t") + "\n" }
        try FileIO.writeAtomically(path, Array(text.utf8))
      case "csv":
        var text = header.map(csvCell).joined(separator: ",") + "\r\n"
        for row in rows { text += row.map(csvCell).joined(separator: ",") + "\r\n" }
        try FileIO.writeAtomically(path, Array(text.utf8))
      default:
        var bytes: [UInt8] = ext == "json" ? [UInt8(ascii: "[")] : []
        for (r, row) in rows.enumerated() {
          let obj = JSONObject(zip(header, row).map { ($0, JSONValue.string($1)) })
          if ext == "json" && r > 0 { bytes.append(UInt8(ascii: ",")) }
          if ext == "json" { bytes.append(0x0A) }
          JSONSerializer.write(.object(obj), into: &bytes)
          if ext == "jsonl" { bytes.append(0x0A) }
        }
        if ext == "json" { bytes.append(contentsOf: Array("\n]\n".utf8)) }
        try FileIO.writeAtomically(path, bytes)
      }
    } catch {
      FileIO.remove(tmp)
      throw error
    }
  }
}
