/// Substring tests on UTF-8 bytes for the merge's hot path (Foundation's `contains`, through
/// `range(of:)`, converts every answer to UTF-16 and folds it; answers can be 40,000 characters).
extension String {
  /// Whether `needle`'s UTF-8 bytes occur in this string's (byte equality, as `==` on strings of
  /// the same normalisation; vinfer's failure marker is ASCII).
  func containsBytes(of needle: String) -> Bool {
    var hay = self
    var pin = needle
    return hay.withUTF8 { h in
      pin.withUTF8 { n in
        guard let first = n.first else { return true }
        let m = n.count
        if h.count < m { return false }
        var i = 0
        let last = h.count - m
        while i <= last {
          if h[i] == first {
            var k = 1
            while k < m && h[i + k] == n[k] { k += 1 }
            if k == m { return true }
          }
          i += 1
        }
        return false
      }
    }
  }
}
