import CZlib
import VSheet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let sheet = try? XLSXReader.readSparse(bytes: bytes, name: "fuzz.xlsx") {
    // Every cell lies in Excel's grid, rows and columns in order, each once.
    var lastRow = -1
    for r in sheet.rows {
      if r.index <= lastRow || r.index >= XLSXReader.maxRows { fatalError("row \(r.index) after \(lastRow)") }
      lastRow = r.index
      var lastCol = -1
      for c in r.cells {
        if c.column <= lastCol || c.column >= XLSXReader.maxColumns || c.text.isEmpty { fatalError("cell \(c) in row \(r.index)") }
        lastCol = c.column
      }
    }
  }
  _ = try? XLSXReader.read(bytes: bytes, name: "fuzz.xlsx")
  return 0
}

// MARK: - Structure-aware mutation: unzip, edit the XML, zip again, edit zip fields.

/// One zip entry, inflated, as the mutator sees it.
struct ZipEntry {
  var name: [UInt8]
  var data: [UInt8]
}

func le16(_ b: [UInt8], _ i: Int) -> Int { i + 2 <= b.count ? Int(b[i]) | Int(b[i + 1]) << 8 : 0 }
func le32(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | le16(b, i + 2) << 16 }

func rawInflate(_ input: ArraySlice<UInt8>, limit: Int) -> [UInt8]? {
  var s = z_stream()
  guard czlib_inflate_init_raw(&s) == Z_OK else { return nil }
  defer { inflateEnd(&s) }
  var inp = Array(input)
  var out = [UInt8](repeating: 0, count: limit)
  let (status, n): (Int32, Int) = inp.withUnsafeMutableBufferPointer { i in
    out.withUnsafeMutableBufferPointer { o in
      s.next_in = i.baseAddress
      s.avail_in = uInt(i.count)
      s.next_out = o.baseAddress
      s.avail_out = uInt(o.count)
      let st = CZlib.inflate(&s, Z_FINISH)
      return (st, o.count - Int(s.avail_out))
    }
  }
  guard status == Z_STREAM_END else { return nil }
  return Array(out[0..<n])
}

func rawDeflate(_ input: [UInt8]) -> [UInt8] {
  var s = z_stream()
  guard deflateInit2_(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return input }
  defer { deflateEnd(&s) }
  var inp = input
  var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, uLong(input.count))) + 64)
  let n: Int = inp.withUnsafeMutableBufferPointer { i in
    out.withUnsafeMutableBufferPointer { o in
      s.next_in = i.baseAddress
      s.avail_in = uInt(i.count)
      s.next_out = o.baseAddress
      s.avail_out = uInt(o.count)
      _ = deflate(&s, Z_FINISH)
      return o.count - Int(s.avail_out)
    }
  }
  return Array(out[0..<n])
}

/// The entries of a well-formed zip (the seeds and what the mutator made of them), or nil.
func unzip(_ b: [UInt8]) -> [ZipEntry]? {
  guard b.count >= 22 else { return nil }
  var e = b.count - 22
  while e >= 0 && !(b[e] == 0x50 && b[e + 1] == 0x4B && b[e + 2] == 5 && b[e + 3] == 6) { e -= 1 }
  guard e >= 0 else { return nil }
  let count = le16(b, e + 10)
  var p = le32(b, e + 16)
  var out: [ZipEntry] = []
  for _ in 0..<count {
    guard p + 46 <= b.count, le32(b, p) == 0x0201_4B50 else { return nil }
    let method = le16(b, p + 10), csize = le32(b, p + 20), usize = le32(b, p + 24)
    let nl = le16(b, p + 28), xl = le16(b, p + 30), cl = le16(b, p + 32), off = le32(b, p + 42)
    guard p + 46 + nl <= b.count, off + 30 <= b.count, usize <= 1 << 22 else { return nil }
    let name = Array(b[(p + 46)..<(p + 46 + nl)])
    let start = off + 30 + le16(b, off + 26) + le16(b, off + 28)
    guard start + csize <= b.count else { return nil }
    let raw = b[start..<(start + csize)]
    if method == 0 {
      out.append(ZipEntry(name: name, data: Array(raw)))
    } else if method == 8, let d = rawInflate(raw, limit: usize) {
      out.append(ZipEntry(name: name, data: d))
    } else {
      return nil
    }
    p += 46 + nl + xl + cl
  }
  return out
}

/// Where `zip` put each number, for the field mutations.
struct ZipLayout {
  var fields16: [Int] = []
  var fields32: [Int] = []
  var centralEntries: [Int] = []
  var eocd = 0
}

/// A zip of `entries` (deflated or stored), with the offsets of its numeric fields.
func zip(_ entries: [ZipEntry], deflated: Bool, rng: inout FuzzRNG) -> ([UInt8], ZipLayout) {
  var local: [UInt8] = []
  var central: [UInt8] = []
  var layout = ZipLayout()
  var centralFields16: [Int] = [], centralFields32: [Int] = []
  func put16(_ a: inout [UInt8], _ v: Int) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
  func put32(_ a: inout [UInt8], _ v: Int) {
    put16(&a, v & 0xFFFF)
    put16(&a, v >> 16 & 0xFFFF)
  }
  for e in entries {
    let crc = e.data.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, uInt($0.count))) }
    let comp = deflated ? rawDeflate(e.data) : e.data
    let method = deflated ? 8 : 0
    let off = local.count
    put32(&local, 0x0403_4B50)
    put16(&local, 20)
    put16(&local, 0)
    put16(&local, method)
    put16(&local, 0)
    put16(&local, 0)
    put32(&local, crc)
    put32(&local, comp.count)
    put32(&local, e.data.count)
    layout.fields16 += [off + 26, off + 28]
    put16(&local, e.name.count)
    put16(&local, 0)
    local += e.name + comp
    let c = central.count
    layout.centralEntries.append(c)
    put32(&central, 0x0201_4B50)
    put16(&central, 20)
    put16(&central, 20)
    put16(&central, 0)
    put16(&central, method)
    put16(&central, 0)
    put16(&central, 0)
    put32(&central, crc)
    put32(&central, comp.count)
    put32(&central, e.data.count)
    put16(&central, e.name.count)
    put16(&central, 0)
    put16(&central, 0)
    put16(&central, 0)
    put16(&central, 0)
    put32(&central, 0)
    put32(&central, off)
    central += e.name
    centralFields16 += [c + 8, c + 10, c + 28, c + 30, c + 32]
    centralFields32 += [c + 16, c + 20, c + 24, c + 42]
  }
  let dir = local.count
  layout.fields16 += centralFields16.map { $0 + dir }
  layout.fields32 += centralFields32.map { $0 + dir }
  layout.centralEntries = layout.centralEntries.map { $0 + dir }
  var out = local + central
  layout.eocd = out.count
  put32(&out, 0x0605_4B50)
  put16(&out, 0)
  put16(&out, 0)
  put16(&out, entries.count)
  put16(&out, entries.count)
  put32(&out, central.count)
  put32(&out, dir)
  put16(&out, 0)
  layout.fields16 += [layout.eocd + 8, layout.eocd + 10]
  layout.fields32 += [layout.eocd + 12, layout.eocd + 16]
  return (out, layout)
}

let interesting16 = [0, 1, 0x7FFF, 0xFFFE, 0xFFFF]
let interesting32 = [0, 1, 30, 46, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]
let interesting64: [UInt64] = [0, 1, 1 << 31, 1 << 32, 1 << 40, 1 << 62, UInt64(Int64.max), 1 << 63, UInt64.max]

/// Hostile XML pieces: references past the grid, huge indices, entities, nesting.
let xmlTokens = [
  "ABCDEFGHIJKL99999999999999999999", "XFD1048576", "XFE1", "A1048577", "A0", "ZZZZ1", "99999999999999999999", "-1",
  "<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>", "&a;", "&b;", "&#99999999999;", "&#x110000;", "&#0;",
  "_xD800_", "_x0000_", "<![CDATA[", "]]>", "<!--", "-->", "<?x?>", "<c r=\"XFD1048576\" t=\"inlineStr\"><is><t>z</t></is></c>",
  "<c t=\"s\"><v>4294967296</v></c>", "<row r=\"1048576\">", "<row>", "</row>", "<rPh>", "</rPh>", "\u{FF}", "\"", "'", "=",
]

func mutateXML(_ x: inout [UInt8], _ rng: inout FuzzRNG, maxSize: Int) {
  let at = rng.below(x.count + 1)
  switch rng.below(7) {
  case 0:  // replace an attribute value or element text with a hostile token
    let quotes = x.indices.filter { x[$0] == UInt8(ascii: "\"") || x[$0] == UInt8(ascii: ">") }
    guard let q = quotes.isEmpty ? nil : rng.pick(quotes) else { break }
    var end = q + 1
    while end < x.count && x[end] != UInt8(ascii: "\"") && x[end] != UInt8(ascii: "<") { end += 1 }
    x.replaceSubrange((q + 1)..<end, with: Array(rng.pick(xmlTokens).utf8))
  case 1:  // insert a token
    x.insert(contentsOf: Array(rng.pick(xmlTokens).utf8), at: at)
  case 2:  // deep nesting
    let n = rng.pick([100, 1000, 5000])
    x.insert(contentsOf: run("<a>", 3 * n), at: at)
  case 3:  // many copies of a row (counts)
    guard let r = findRange(x, "<row", "</row>", &rng) else { break }
    let piece = Array(x[r])
    for _ in 0..<rng.pick([10, 100, 1000]) where x.count + piece.count < maxSize * 64 { x.insert(contentsOf: piece, at: r.upperBound) }
  case 4:  // truncate
    x.removeLast(x.count - at)
  case 5:  // a DTD in front
    let decl = Array("<!DOCTYPE x [<!ENTITY e \"e\">]>".utf8)
    x.insert(contentsOf: decl, at: x.starts(with: Array("<?xml".utf8)) ? (x.firstIndex(of: UInt8(ascii: ">")) ?? -1) + 1 : 0)
  default:  // libFuzzer's bytes, on the XML alone
    let cap = x.count + 64
    x += [UInt8](repeating: 0, count: 64)
    let n = x.withUnsafeMutableBufferPointer { LLVMFuzzerMutate($0.baseAddress!, cap - 64, cap) }
    x.removeLast(x.count - n)
  }
}

func findRange(_ x: [UInt8], _ open: String, _ close: String, _ rng: inout FuzzRNG) -> Range<Int>? {
  let o = Array(open.utf8), c = Array(close.utf8)
  var starts: [Int] = []
  var i = 0
  while i + o.count <= x.count {
    if x[i..<(i + o.count)].elementsEqual(o) { starts.append(i) }
    i += 1
  }
  guard !starts.isEmpty else { return nil }
  let s = rng.pick(starts)
  var j = s
  while j + c.count <= x.count {
    if x[j..<(j + c.count)].elementsEqual(c) { return s..<(j + c.count) }
    j += 1
  }
  return nil
}

/// Sets numeric zip fields to interesting values; may add a zip64 extra field (sizes, offset)
/// or a zip64 end-of-directory locator.
func mutateZipFields(_ z: inout [UInt8], _ layout: ZipLayout, _ rng: inout FuzzRNG) {
  func set(_ at: Int, _ v: UInt64, _ width: Int) {
    for k in 0..<width where at + k < z.count { z[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
  }
  for _ in 0..<(1 + rng.below(3)) {
    switch rng.below(4) {
    case 0 where !layout.fields16.isEmpty:
      set(rng.pick(layout.fields16), UInt64(rng.pick(interesting16)), 2)
    case 1 where !layout.fields32.isEmpty:
      let f = rng.pick(layout.fields32)
      let cur = UInt64(le32(z, f))
      set(f, rng.chance(30) ? cur &+ UInt64(rng.below(3)) &- 1 : UInt64(rng.pick(interesting32)), 4)
    case 2 where !layout.centralEntries.isEmpty:
      // A zip64 extra on one entry: its sizes and offset become 0xFFFFFFFF and the extra
      // holds interesting 64-bit values (or is cut short).
      let c = rng.pick(layout.centralEntries)
      let nameLen = le16(z, c + 28)
      var extra: [UInt8] = [1, 0]
      let fields = rng.below(4)
      let len = rng.chance(20) ? rng.below(24) : 8 * fields
      extra += [UInt8(len & 0xFF), UInt8(len >> 8)]
      for _ in 0..<fields {
        var v = rng.pick(interesting64)
        for _ in 0..<8 {
          extra.append(UInt8(v & 0xFF))
          v >>= 8
        }
      }
      let at = c + 46 + nameLen
      guard at <= z.count else { break }
      z.insert(contentsOf: extra, at: at)
      set(c + 30, UInt64(extra.count), 2)
      for (k, f) in [c + 24, c + 20, c + 42].enumerated() where k < max(1, fields) { set(f, 0xFFFF_FFFF, 4) }
      // The directory grew: keep the end record's size in step most of the time.
      if rng.chance(80), let e = lastEOCD(z) { set(e + 12, UInt64(le32(z, e + 12) + extra.count), 4) }
    default:
      // A zip64 locator before the end record, pointing somewhere interesting.
      guard let e = lastEOCD(z) else { break }
      var loc: [UInt8] = [0x50, 0x4B, 6, 7, 0, 0, 0, 0]
      var v = rng.chance(50) ? rng.pick(interesting64) : UInt64(rng.below(z.count + 1))
      for _ in 0..<8 {
        loc.append(UInt8(v & 0xFF))
        v >>= 8
      }
      loc += [1, 0, 0, 0]
      z.insert(contentsOf: loc, at: e)
    }
  }
}

func lastEOCD(_ z: [UInt8]) -> Int? {
  guard z.count >= 22 else { return nil }
  var e = z.count - 22
  while e >= 0 && !(z[e] == 0x50 && z[e + 1] == 0x4B && z[e + 2] == 5 && z[e + 3] == 6) { e -= 1 }
  return e >= 0 ? e : nil
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
  var rng = FuzzRNG(seed)
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // A quarter of the time, or when the input is no zip we can take apart: libFuzzer's bytes.
  guard !rng.chance(25), var entries = unzip(bytes), !entries.isEmpty else { return LLVMFuzzerMutate(data, size, maxSize) }
  // XML edits, mostly on the sheet and the shared strings.
  if rng.chance(75) {
    let parts = entries.indices.filter { String(decoding: entries[$0].name, as: UTF8.self).hasPrefix("xl/") }
    let sheet = entries.indices.filter {
      let n = String(decoding: entries[$0].name, as: UTF8.self)
      return n.contains("worksheets/") || n.hasSuffix("sharedStrings.xml")
    }
    let k = !sheet.isEmpty && rng.chance(70) ? rng.pick(sheet) : rng.pick(parts.isEmpty ? Array(entries.indices) : parts)
    for _ in 0..<(1 + rng.below(2)) { mutateXML(&entries[k].data, &rng, maxSize: maxSize) }
  }
  var (z, layout) = zip(entries, deflated: rng.chance(80), rng: &rng)
  if rng.chance(40) { mutateZipFields(&z, layout, &rng) }
  return emit(z, data, size, maxSize)
}
