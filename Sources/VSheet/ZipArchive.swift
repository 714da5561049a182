internal import CZlib
import VCore

/// A read-only view of a zip file held in memory (an .xlsx is one): the central directory, and
/// entries inflated on demand with zlib. Zip64 sizes and offsets are understood (libxlsxwriter
/// writes them); encryption and multi-disk archives are refused.
struct ZipArchive {
  struct Entry {
    var name: String
    var method: UInt16
    var compressedSize: Int
    var size: Int
    var crc: UInt32
    var localHeaderOffset: Int
  }

  let bytes: [UInt8]
  let path: String
  private(set) var entries: [String: Entry] = [:]

  init(path: String, bytes: [UInt8]) throws(SheetError) {
    self.path = path
    self.bytes = bytes
    try readDirectory()
  }

  private func fail(_ why: String) -> SheetError {
    SheetError(message: "'\(path)' is not a readable .xlsx (zip) file: \(why)", status: .dataError)
  }

  private func u16(_ at: Int) -> Int {
    Int(bytes[at]) | Int(bytes[at + 1]) << 8
  }

  private func u32(_ at: Int) -> Int {
    u16(at) | u16(at + 2) << 16
  }

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
      if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x05 && bytes[i + 3] == 0x06 { eocd = i; break }
      i -= 1
    }
    guard eocd >= 0 else { throw fail("no end-of-central-directory record") }
    var count = u16(eocd + 10)
    var dirSize = u32(eocd + 12)
    var dirOffset = u32(eocd + 16)
    // Zip64 locator just before the record.
    if eocd >= 20, u32(eocd - 20) == 0x0706_4B50 {
      let z64 = u64(eocd - 20 + 8)
      guard z64 >= 0, z64 + 56 <= bytes.count, u32(z64) == 0x0606_4B50 else { throw fail("bad zip64 end record") }
      count = u64(z64 + 32)
      dirSize = u64(z64 + 40)
      dirOffset = u64(z64 + 48)
    }
    guard dirOffset >= 0, dirSize >= 0, dirOffset <= bytes.count, dirSize <= bytes.count - dirOffset else {
      throw fail("the central directory lies outside the file (truncated?)")
    }
    var p = dirOffset
    for _ in 0..<count {
      guard p + 46 <= bytes.count, u32(p) == 0x0201_4B50 else { throw fail("bad central directory entry at byte \(p)") }
      let flags = u16(p + 8)
      let method = UInt16(u16(p + 10))
      let crc = UInt32(u32(p + 16))
      var csize = u32(p + 20)
      var usize = u32(p + 24)
      let nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32)
      var offset = u32(p + 42)
      guard p + 46 + nameLen + extraLen + commentLen <= bytes.count else { throw fail("truncated central directory") }
      let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
      // Zip64 extra field: the 0xFFFFFFFF fields, in order usize, csize, offset.
      var e = p + 46 + nameLen
      let extraEnd = e + extraLen
      while e + 4 <= extraEnd {
        let id = u16(e), len = u16(e + 2)
        if id == 0x0001 {
          var q = e + 4
          if usize == 0xFFFF_FFFF && q + 8 <= e + 4 + len { usize = u64(q); q += 8 }
          if csize == 0xFFFF_FFFF && q + 8 <= e + 4 + len { csize = u64(q); q += 8 }
          if offset == 0xFFFF_FFFF && q + 8 <= e + 4 + len { offset = u64(q); q += 8 }
        }
        e += 4 + len
      }
      if flags & 1 != 0 { throw fail("'\(name)' is encrypted") }
      entries[name] = Entry(name: name, method: method, compressedSize: csize, size: usize, crc: crc, localHeaderOffset: offset)
      p += 46 + nameLen + extraLen + commentLen
    }
  }

  /// The inflated bytes of `name`, or nil when the archive has no such entry.
  func read(_ name: String, limit: Int = 1 << 31) throws(SheetError) -> [UInt8]? {
    guard let entry = entries[name] else { return nil }
    let h = entry.localHeaderOffset
    guard h >= 0, h + 30 <= bytes.count, u32(h) == 0x0403_4B50 else { throw fail("bad local header for '\(name)'") }
    let start = h + 30 + u16(h + 26) + u16(h + 28)
    guard entry.compressedSize >= 0, start <= bytes.count, entry.compressedSize <= bytes.count - start else {
      throw fail("'\(name)' runs past the end of the file (truncated?)")
    }
    guard entry.size <= limit else { throw fail("'\(name)' is larger than \(limit) bytes") }
    let data = bytes[start..<(start + entry.compressedSize)]
    var out: [UInt8]
    switch entry.method {
    case 0:
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

  private func inflate(_ data: ArraySlice<UInt8>, expected: Int, name: String) throws(SheetError) -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflate_init_raw(&stream) == Z_OK else { throw fail("zlib could not start") }
    defer { inflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: max(expected, 1))
    var input = Array(data)
    let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
      out.withUnsafeMutableBufferPointer { outBuf in
        stream.next_in = inBuf.baseAddress
        stream.avail_in = uInt(inBuf.count)
        stream.next_out = outBuf.baseAddress
        stream.avail_out = uInt(outBuf.count)
        return CZlib.inflate(&stream, Z_FINISH)
      }
    }
    guard status == Z_STREAM_END else { throw fail("'\(name)' does not inflate (zlib status \(status))") }
    out.removeLast(out.count - Int(stream.total_out))
    return out
  }
}
