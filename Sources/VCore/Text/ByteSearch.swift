/// Substring tests on UTF-8 bytes for the hot paths of merging and resuming (Foundation's `contains`, through
/// `range(of:)`, converts every answer to UTF-16 and compares character clusters; answers can be
/// 40,000 characters).
extension String {
  /// Whether `needle`'s UTF-8 bytes occur in this string's: a search by Unicode scalars, as
  /// Python's `in` (what VLMEvalKit does with its failure marker).
  public func containsBytes(of needle: String) -> Bool {
    var hay = self
    var pin = needle
    return hay.withUTF8 { h in
      pin.withUTF8 { n in
        guard let first = n.first, let base = h.baseAddress else { return n.isEmpty }
        let m = n.count
        guard h.count >= m else { return false }
        let last = h.count - m  // the last start
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let pattern = UInt64(first) &* ones
        func matches(at i: Int) -> Bool {
          var k = 1
          while k < m && h[i + k] == n[k] { k += 1 }
          return k == m
        }
        var i = 0
        // Eight starts at a time: skip words without the first byte.
        while i + 8 <= last + 1 {
          let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
          if (x &- ones) & ~x & (ones << 7) != 0 {
            for k in i..<i + 8 where h[k] == first && matches(at: k) { return true }
          }
          i += 8
        }
        while i <= last {
          if h[i] == first && matches(at: i) { return true }
          i += 1
        }
        return false
      }
    }
  }
}
