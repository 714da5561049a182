internal import CXLSXWriter
import VCore

/// A failure of libxlsxwriter, with the function and its message.
public struct SheetError: ToolError {
  public var message: String
  public var exitStatus: ExitStatus
  public var description: String { message }

  public init(message: String, status: ExitStatus = .ioError) {
    self.message = message
    self.exitStatus = status
  }
}

/// One-sheet .xlsx writer over libxlsxwriter in constant-memory mode (rows stream to a
/// temporary file, so memory does not grow with the table). Every cell is written as a string,
/// never a formula. The file is written by `close()`, whose error must be checked.
public final class Workbook {
  private var wb: UnsafeMutablePointer<lxw_workbook>?
  private let sheet: UnsafeMutablePointer<lxw_worksheet>
  private let bold: UnsafeMutablePointer<lxw_format>?
  private let path: String

  /// Excel's limit on the characters of one cell.
  public static let maxCellCharacters = 32_767

  /// `constantMemory: false` keeps the sheet in memory and writes a shared-string table, as
  /// pandas' xlsxwriter engine does (for tests that need VLMEvalKit-shaped files).
  public init(path: String, sheetName: String = "Sheet1", constantMemory: Bool = true) throws(SheetError) {
    var options = lxw_workbook_options()
    options.constant_memory = constantMemory ? 1 : 0
    options.use_zip64 = 1
    guard let wb = workbook_new_opt(path, &options) else {
      throw SheetError(message: "cannot create '\(path)' (workbook_new_opt)")
    }
    guard let ws = workbook_add_worksheet(wb, sheetName) else {
      workbook_close(wb)
      throw SheetError(message: "cannot add a worksheet (workbook_add_worksheet)")
    }
    self.wb = wb
    self.sheet = ws
    self.path = path
    let f = workbook_add_format(wb)
    if let f { format_set_bold(f) }
    bold = f
  }

  deinit {
    if let wb { workbook_close(wb) }
  }

  /// Writes one row of text cells (rows must come in increasing order). Cells in `numeric`
  /// columns whose text is a finite number are written as numbers; empty cells stay blank.
  public func writeRow(_ row: Int, _ cells: [String], bold isBold: Bool = false, numeric: Set<Int> = []) throws(SheetError) {
    for (c, text) in cells.enumerated() where !text.isEmpty {
      let err: lxw_error
      let function: String
      if numeric.contains(c), let v = Double(text), v.isFinite {
        err = worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(c), v, nil)
        function = "worksheet_write_number"
      } else {
        err = worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(c), text, isBold ? bold : nil)
        function = "worksheet_write_string"
      }
      if err != LXW_NO_ERROR {
        throw SheetError(message: "cannot write row \(row + 1), column \(c + 1): \(String(cString: lxw_strerror(err))) (\(function))")
      }
    }
  }

  /// Writes the file (`workbook_close`).
  public func close() throws(SheetError) {
    guard let wb else { return }
    self.wb = nil
    let err = workbook_close(wb)
    if err != LXW_NO_ERROR {
      throw SheetError(message: "cannot write '\(path)': \(String(cString: lxw_strerror(err))) (workbook_close)")
    }
  }

  /// A cell's text as a spreadsheet can hold it: control characters XML cannot carry become
  /// U+FFFD, and text over Excel's limit is cut with a marker. Returns the text and whether it
  /// was cut.
  public static func cellText(_ s: String) -> (String, Bool) {
    let marker = " [...cut: over Excel's 32767-character limit; the full text is in the JSONL]"
    // Excel counts UTF-16 code units.
    let cut = s.utf16.count > maxCellCharacters
    let limit = cut ? maxCellCharacters - marker.utf16.count : Int.max
    var scalars = String.UnicodeScalarView()
    var count = 0
    for u in s.unicodeScalars {
      let v = u.value
      count += v > 0xFFFF ? 2 : 1
      if count > limit { break }
      let bad = (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF
      scalars.append(bad ? "\u{FFFD}" : u)
    }
    return (String(scalars) + (cut ? marker : ""), cut)
  }
}
