internal import CXLSXWriter
import VCore

/// A failure of libxlsxwriter, with the function and its message.
public struct SheetError: LocatedToolError {
  public var message: String
  public var exitStatus: ExitStatus
  /// The file a read error is about (the message then does not name it): reported as
  /// `tool: FILE: error: message`.
  public var file: String?
  public var description: String { file.map { "\($0): \(message)" } ?? message }

  public init(message: String, status: ExitStatus = .ioError, file: String? = nil) {
    self.message = message
    self.exitStatus = status
    self.file = file
  }

  /// `FILE` for a read error (`tool: FILE: error: message`).
  public var location: SourceLocation? { file.map { SourceLocation(file: $0) } }
}

/// One-sheet .xlsx writer over libxlsxwriter in constant-memory mode (rows stream to a
/// temporary file, so memory does not grow with the table). Every cell is written as a string,
/// never a formula, as it is given: `CellText.sanitize` makes text fit a cell. The file is written
/// by `close()`, whose error must be checked.
public final class Workbook {
  private var wb: UnsafeMutablePointer<lxw_workbook>?
  private let sheet: UnsafeMutablePointer<lxw_worksheet>
  private let bold: UnsafeMutablePointer<lxw_format>?
  private let path: String

  /// Excel's limit on the characters of one cell (UTF-16 code units; `CellText.maxUTF16`).
  public static let maxCellCharacters = CellText.maxUTF16

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
      if !numeric.isEmpty, numeric.contains(c), let v = Double(text), v.isFinite {
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
}

/// Making text fit a spreadsheet cell (what `Workbook` writes must be valid XML and within
/// Excel's limit on one cell).
public enum CellText {
  /// Excel's limit on the characters of one cell, in UTF-16 code units (as Excel counts them).
  public static let maxUTF16 = 32_767

  /// What ends a cut cell.
  public static let cutMarker = " [...cut: over Excel's 32767-character limit; the full text is in the JSONL]"

  /// The cell `s` as a spreadsheet can hold it: control characters other than tab, LF and CR,
  /// and the noncharacters U+FFFE and U+FFFF (XML cannot carry them) become U+FFFD; text over
  /// `maxUTF16` UTF-16 code units is cut at a character boundary so that, with `cutMarker`
  /// appended, it has at most `maxUTF16` units. Returns the text and whether it was cut.
  ///
  /// Works on the UTF-8 bytes: a clean cell (no such character, and not over the limit) is
  /// returned as it is, without a copy.
  public static func sanitize(_ s: String) -> (text: String, cut: Bool) {
    if let r = s.utf8.withContiguousStorageIfAvailable({ sanitize(bytes: $0) }) {
      return r ?? (s, false)
    }
    var copy = s
    return copy.withUTF8 { sanitize(bytes: $0) } ?? (s, false)
  }

  private static let markerBytes = Array(cutMarker.utf8)
  private static let markerUTF16 = cutMarker.utf16.count

  // Eight bytes at a time (SWAR).
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Nonzero when the eight bytes of `x` (in memory order) may hold a character to replace: a
  /// byte below 0x20, or 0xEF followed by 0xBF (U+FFC0...U+FFFF), or 0xEF last (its next bytes
  /// are in the next word). Zero only when they hold none.
  @inline(__always) private static func suspects(_ x: UInt64) -> UInt64 {
    let low = (x &- 0x20 &* ones) & ~x
    let pair = (x ^ (0xEF * ones)) | ((x >> 8) ^ (0xBF * ones))  // little-endian: byte k+1 at k
    let ef = (pair &- ones) & ~pair
    return (low | ef) & highs | (x >> 56 == 0xEF ? 1 : 0)
  }

  /// UTF-16 code units of the UTF-8 bytes in `x`: one per byte that is not a continuation byte
  /// (10xxxxxx), one more per lead byte of four (11110xxx).
  @inline(__always) private static func units(_ x: UInt64) -> Int {
    let lead = ~(x & ~(x << 1)) & highs
    let four = x & (x << 1) & (x << 2) & (x << 3) & highs
    // 0, 1 or 2 in each byte, summed into the top byte (at most 16).
    return Int((((lead >> 7) &+ (four >> 7)) &* ones) >> 56)
  }

  @inline(__always) private static func units(_ c: UInt8) -> Int {
    (c & 0xC0 != 0x80 ? 1 : 0) + (c >= 0xF0 ? 1 : 0)
  }

  /// Whether the byte at `i` starts a character that must become U+FFFD.
  @inline(__always) private static func isBad(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
    let c = b[i]
    if c < 0x20 { return c != 0x09 && c != 0x0A && c != 0x0D }
    return c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBF && b[i + 2] >= 0xBE
  }

  /// nil when the cell is clean.
  private static func sanitize(bytes b: UnsafeBufferPointer<UInt8>) -> (text: String, cut: Bool)? {
    let n = b.count
    guard let base = b.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    // Pass 1: the first byte that needs a change (n if none).
    var firstBad = n
    var i = 0
    scan: while i < n {
      if i + 8 <= n {
        if suspects(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) == 0 {
          i += 8
          continue
        }
        for k in i..<i + 8 where isBad(b, k) {
          firstBad = k
          break scan
        }
        i += 8
      } else {
        if isBad(b, i) {
          firstBad = i
          break
        }
        i += 1
      }
    }
    // The UTF-16 length can exceed the limit only when the byte count does.
    var end = n  // the bytes kept
    var cut = false
    if n > maxUTF16 {
      // The units in all, and the word where the cut falls if there is one.
      let limit = maxUTF16 - markerUTF16
      var total = 0
      var stop = -1  // the first word that does not fit whole with the marker
      var before = 0  // the units before it
      i = 0
      while i + 8 <= n {
        let u = units(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if stop < 0 && total + u > limit {
          stop = i
          before = total
        }
        total += u
        i += 8
      }
      if stop < 0 {  // every whole word fits: the cut, if any, is in the last bytes
        stop = i
        before = total
      }
      while i < n {
        total += units(b[i])
        i += 1
      }
      if total > maxUTF16 {
        cut = true
        // Keep whole characters while they fit with the marker, byte by byte from that word
        // (possibly inside a character: its continuation bytes count 0).
        var count = before
        i = stop
        while i < n {
          count += units(b[i])
          if count > limit { break }
          i += 1
        }
        end = i
      }
    }
    if firstBad >= end && !cut { return nil }

    // Pass 2: copy the bytes kept, with U+FFFD for the characters that need it.
    var out: [UInt8] = []
    out.reserveCapacity(end + (cut ? markerBytes.count : 0))
    var run = 0  // the start of the bytes not yet copied
    i = firstBad
    while i < end {
      if isBad(b, i) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
        out.append(contentsOf: [0xEF, 0xBF, 0xBD] as [UInt8])
        i += b[i] < 0x20 ? 1 : 3
        run = i
      } else {
        i += 1
      }
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<end]))
    if cut { out.append(contentsOf: markerBytes) }
    return (String(decoding: out, as: UTF8.self), cut)
  }
}
