internal import CZlib
import VCore

/// A read-only view of a zip file held in memory (an .xlsx is one): the central directory, and
/// entries inflated on demand with zlib. Zip64 sizes and offsets are understood (libxlsxwriter
/// writes them); encryption and multi-disk archives are refused.
///
/// Every number read from the file is untrusted: offsets and lengths are checked against the
/// bytes that are really there before they are used (no arithmetic on them can overflow), an
/// entry that claims more than `maxEntrySize` bytes is refused without inflating anything, and
/// inflating stops as soon as the output passes the size the directory states (a deflate bomb
/// costs at most that much memory, never what it would expand to).
struct ZipArchive {
  struct Entry {
    var name: String
    var method: UInt16
    var flags: Int
    var compressedSize: Int
    var size: Int
    var crc: UInt32
    var localHeaderOffset: Int
  }

  /// The largest inflated entry read (1 GiB): an .xlsx part larger than this is refused.
  static let maxEntrySize = 1 << 30

  let bytes: [UInt8]
  let path: String
  private(set) var entries: [String: Entry] = [:]

  init(path: String, bytes: [UInt8]) throws(SheetError) {
    self.path = path
    self.bytes = bytes
    try readDirectory()
  }

  private func fail(_ why: String) -> SheetError {
    SheetError(message: "not a readable .xlsx (zip) file: \(why)", status: .dataError, file: path)
  }

  /// Whether `length` bytes at `offset` lie inside the file (no overflow for any inputs).
  private func inFile(_ offset: Int, _ length: Int) -> Bool {
    offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
  }

  // Callers check `inFile` first.
  private func u16(_ at: Int) -> Int {
    Int(bytes[at]) | Int(bytes[at + 1]) << 8
  }

  private func u32(_ at: Int) -> Int {
    u16(at) | u16(at + 2) << 16
  }

  /// A 64-bit field; values past `Int.max` become `Int.max` (and then fail every range check).
  private func u64(_ at: Int) -> Int {
    let lo = UInt64(u32(at)), hi = UInt64(u32(at + 4))
    let v = lo | hi << 32
    return v > UInt64(Int.max) ? Int.max : Int(v)
  }

  private mutating func readDirectory() throws(SheetError) {
    // The end-of-central-directory record: 22 bytes plus a comment of at most 65535.
    guard bytes.count >= 22 else { throw fail("too short (\(bytes.count) bytes)") }
    var eocd = -1
    var i = bytes.count - 22
    let stop = max(0, bytes.count - 22 - 65535)
    while i >= stop {
      if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x05 && bytes[i + 3] == 0x06 {
        eocd = i
        break
      }
      i -= 1
    }
    guard eocd >= 0 else { throw fail("no end-of-central-directory record") }
    if u16(eocd + 4) != 0 || (u16(eocd + 6) != 0 && u16(eocd + 6) != 0xFFFF) { throw fail("multi-disk archives are not supported") }
    var count = u16(eocd + 10)
    var dirSize = u32(eocd + 12)
    var dirOffset = u32(eocd + 16)
    // Zip64 locator just before the record.
    if eocd >= 20, u32(eocd - 20) == 0x0706_4B50 {
      let z64 = u64(eocd - 20 + 8)
      guard inFile(z64, 56), u32(z64) == 0x0606_4B50 else { throw fail("bad zip64 end record") }
      count = u64(z64 + 32)
      dirSize = u64(z64 + 40)
      dirOffset = u64(z64 + 48)
    }
    guard inFile(dirOffset, dirSize) else {
      throw fail("the central directory lies outside the file (truncated?)")
    }
    // Each entry takes at least 46 bytes: a count the directory cannot hold is a lie.
    guard count <= dirSize / 46 else {
      throw fail("the central directory claims \(count) entries in \(dirSize) bytes")
    }
    var p = dirOffset
    for _ in 0..<count {
      guard inFile(p, 46), u32(p) == 0x0201_4B50 else { throw fail("bad central directory entry at byte \(p)") }
      let flags = u16(p + 8)
      let method = UInt16(u16(p + 10))
      let crc = UInt32(u32(p + 16))
      var csize = u32(p + 20)
      var usize = u32(p + 24)
      let nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32)
      var offset = u32(p + 42)
      let recordLen = 46 + nameLen + extraLen + commentLen
      guard inFile(p, recordLen) else { throw fail("truncated central directory") }
      let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
      // Zip64 extra field: the 0xFFFFFFFF fields, in order usize, csize, offset.
      var e = p + 46 + nameLen
      let extraEnd = e + extraLen
      while e + 4 <= extraEnd {
        let id = u16(e), len = u16(e + 2)
        let end = e + 4 + len
        guard end <= extraEnd else { throw fail("'\(name)' has an extra field longer than its extra data") }
        if id == 0x0001 {
          var q = e + 4
          if usize == 0xFFFF_FFFF {
            guard q + 8 <= end else { throw fail("'\(name)' has a zip64 field too short for its size") }
            usize = u64(q)
            q += 8
          }
          if csize == 0xFFFF_FFFF {
            guard q + 8 <= end else { throw fail("'\(name)' has a zip64 field too short for its compressed size") }
            csize = u64(q)
            q += 8
          }
          if offset == 0xFFFF_FFFF {
            guard q + 8 <= end else { throw fail("'\(name)' has a zip64 field too short for its offset") }
            offset = u64(q)
            q += 8
          }
        }
        e = end
      }
      entries[name] = Entry(name: name, method: method, flags: flags, compressedSize: csize, size: usize, crc: crc, localHeaderOffset: offset)
      p += recordLen
    }
  }

  /// The inflated bytes of `name`, or nil when the archive has no such entry.
  ///
  /// - Parameter limit: The most bytes the entry may inflate to; a larger stated size is an
  ///   error before anything is inflated.
  func read(_ name: String, limit: Int = ZipArchive.maxEntrySize) throws(SheetError) -> [UInt8]? {
    guard let entry = entries[name] else { return nil }
    if entry.flags & 1 != 0 { throw fail("'\(name)' is encrypted") }
    let h = entry.localHeaderOffset
    guard inFile(h, 30), u32(h) == 0x0403_4B50 else { throw fail("bad local header for '\(name)' (offset \(h))") }
    // h + 30 <= bytes.count, so these sums cannot overflow.
    let start = h + 30 + u16(h + 26) + u16(h + 28)
    guard inFile(start, entry.compressedSize) else {
      throw fail("'\(name)' runs past the end of the file (truncated?)")
    }
    guard entry.size <= limit else { throw fail("'\(name)' claims \(entry.size) bytes, more than the limit of \(limit)") }
    let data = bytes[start..<(start + entry.compressedSize)]
    var out: [UInt8]
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.size else { throw fail("'\(name)' is stored with two different sizes") }
      out = Array(data)
    case 8:
      out = try inflate(data, expected: entry.size, name: name)
    default:
      throw fail("'\(name)' uses compression method \(entry.method) (only stored and deflate are supported)")
    }
    let crc = out.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    guard crc == entry.crc, out.count == entry.size else { throw fail("'\(name)' is corrupt (CRC or size mismatch)") }
    return out
  }

  /// Raw deflate of `data`, at most `expected` bytes: the output grows with what zlib really
  /// produces (not with the stated size), and inflating stops once it passes `expected`.
  private func inflate(_ data: ArraySlice<UInt8>, expected: Int, name: String) throws(SheetError) -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflate_init_raw(&stream) == Z_OK else { throw fail("zlib could not start") }
    defer { inflateEnd(&stream) }
    let chunk = 1 << 16
    var out: [UInt8] = []
    // Room for a typical ratio, never more than the stated size.
    out.reserveCapacity(min(expected, max(chunk, data.count.multipliedReportingOverflow(by: 8).partialValue)))
    // zlib keeps pointers into both buffers between calls: allocate them, do not borrow.
    let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, data.count))
    defer { input.deallocate() }
    _ = input.initialize(from: data)
    let piece = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunk)
    defer { piece.deallocate() }
    stream.next_in = input.baseAddress
    stream.avail_in = uInt(data.count)
    while true {
      stream.next_out = piece.baseAddress
      stream.avail_out = uInt(chunk)
      let status = CZlib.inflate(&stream, Z_NO_FLUSH)
      let produced = chunk - Int(stream.avail_out)
      if produced > expected - out.count { throw fail("'\(name)' inflates to more than its stated \(expected) bytes") }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: piece[0..<produced]))
      if status == Z_STREAM_END { break }
      if status == Z_OK { continue }
      if status == Z_BUF_ERROR && stream.avail_in == 0 { throw fail("'\(name)' is truncated (its deflate stream does not end)") }
      throw fail("'\(name)' does not inflate (zlib status \(status))")
    }
    return out
  }
}
