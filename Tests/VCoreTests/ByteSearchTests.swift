import Testing
import VCore

@Suite struct TextSearchTests {
  @Test func failureMarkerSearch() {
    let m = "Failed to obtain answer via API."
    #expect(m.containsBytes(of: m))
    #expect(!"".containsBytes(of: m))
    #expect("".containsBytes(of: ""))
    #expect(!"Failed to obtain answer via API".containsBytes(of: m))
    #expect(!String(repeating: "F", count: 100).containsBytes(of: m))
    // At every offset (both sides of the eight-byte steps), after non-ASCII text.
    for k in 0..<40 {
      let pad = String(repeating: "中", count: k % 3) + String(repeating: "a", count: k)
      #expect((pad + m).containsBytes(of: m), "\(k)")
      #expect((pad + m + " 😀").containsBytes(of: m), "\(k)")
      #expect(!(pad + "Failed to obtain answer via API!").containsBytes(of: m), "\(k)")
    }
    // Scalars, as Python's `in`: a combining accent after the marker does not hide it.
    #expect((m + "\u{301}").containsBytes(of: m))
    #expect((String(repeating: "é", count: 20_000) + m).containsBytes(of: m))
  }
}
