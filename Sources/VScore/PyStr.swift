import VCore

/// A string as Python sees it: a sequence of code points, compared and searched code point by
/// code point (Swift's `String` compares by canonical equivalence and treats `\r\n` as one
/// character; VLMEvalKit's rules are Python `str` operations, so parity needs this view).
package struct PyStr: Equatable, Hashable, CustomStringConvertible {
  package var u: [Unicode.Scalar]

  package init(_ s: String) { u = Array(s.unicodeScalars) }
  package init(_ u: [Unicode.Scalar]) { self.u = u }
  package init(_ u: ArraySlice<Unicode.Scalar>) { self.u = Array(u) }

  package var description: String { String(String.UnicodeScalarView(u)) }
  package var string: String { description }
  package var count: Int { u.count }
  package var isEmpty: Bool { u.isEmpty }

  /// `needle in self`.
  package func contains(_ needle: PyStr) -> Bool { find(needle) != nil }
  package func contains(_ needle: String) -> Bool { contains(PyStr(needle)) }

  /// `self.find(needle)` (nil for -1).
  package func find(_ needle: PyStr, from start: Int = 0) -> Int? {
    let n = needle.u.count
    if n == 0 { return start <= u.count ? start : nil }
    guard u.count >= n else { return nil }
    var i = start
    while i <= u.count - n {
      if u[i] == needle.u[0] && u[i..<(i + n)].elementsEqual(needle.u) { return i }
      i += 1
    }
    return nil
  }

  /// `self.replace(old, new)`.
  package func replacing(_ old: String, with new: String) -> PyStr {
    let o = PyStr(old), r = PyStr(new)
    guard !o.isEmpty else { return self }
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(u.count)
    var i = 0
    while i < u.count {
      if let j = find(o, from: i) {
        out += u[i..<j]
        out += r.u
        i = j + o.u.count
      } else {
        out += u[i...]
        break
      }
    }
    return PyStr(out)
  }

  /// `self.split()` (runs of Unicode whitespace).
  package func split() -> [PyStr] {
    var out: [PyStr] = []
    var cur: [Unicode.Scalar] = []
    for c in u {
      if PyText.isSpace(c) {
        if !cur.isEmpty {
          out.append(PyStr(cur))
          cur = []
        }
      } else {
        cur.append(c)
      }
    }
    if !cur.isEmpty { out.append(PyStr(cur)) }
    return out
  }

  /// `self.split(sep)` (keeps empty pieces).
  package func split(_ sep: String) -> [PyStr] {
    let s = PyStr(sep)
    var out: [PyStr] = []
    var i = 0
    while let j = find(s, from: i) {
      out.append(PyStr(u[i..<j]))
      i = j + s.count
    }
    out.append(PyStr(u[i...]))
    return out
  }

  package func lower() -> PyStr { PyStr(string.lowercased()) }
  package func strip() -> PyStr { PyStr(PyText.strip(string)) }
  package func hasPrefix(_ p: String) -> Bool {
    let q = PyStr(p)
    return u.count >= q.count && u[0..<q.count].elementsEqual(q.u)
  }
  package subscript(_ r: Range<Int>) -> PyStr { PyStr(u[max(0, r.lowerBound)..<min(u.count, r.upperBound)]) }
}
