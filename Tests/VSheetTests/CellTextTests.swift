import Testing
import VSheet

/// `CellText.sanitize`: what a cell must be for a spreadsheet (XML-safe, within Excel's limit).
@Suite struct CellTextTests {
  static let marker = " [...cut: over Excel's 32767-character limit; the full text is in the JSONL]"

  /// The rule, one scalar at a time (the implementation before the UTF-8 rewrite).
  static func reference(_ s: String) -> (String, Bool) {
    let cut = s.utf16.count > 32_767
    let limit = cut ? 32_767 - marker.utf16.count : Int.max
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

  static func storage(_ s: String) -> UnsafeRawPointer? {
    s.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
  }

  @Test func constants() {
    #expect(CellText.maxUTF16 == 32_767)
    #expect(CellText.cutMarker == Self.marker)
    #expect(Workbook.maxCellCharacters == 32_767)
  }

  @Test func cleanASCIIIsReturnedAsItIs() {
    for s in ["", "B", "(B) The person drinks from the cup.", "tab\tLF\nCR\r end", String(repeating: "abcdefgh", count: 4_000)] {
      let r = CellText.sanitize(s)
      #expect(r.text == s)
      #expect(r.text.utf8.elementsEqual(s.utf8))
      #expect(r.cut == false)
    }
    // Not rebuilt: the same storage comes back.
    let big = String(repeating: "the cup is on the table. ", count: 1_000)
    #expect(Self.storage(CellText.sanitize(big).text) == Self.storage(big))
  }

  @Test func cleanNonASCIIIsReturnedAsItIs() {
    let samples = [
      "(C) 那个人拿起杯子喝了一口，然后把它放回桌子上。", "café crème — naïve façade", "🙂👋🚪 答案是 D。",
      "Человек пьёт", "사람이 컵을", "𝑡𝑎𝑏𝑙𝑒 𠀀𠀁", "\u{FFFD}\u{FFEF}\u{FEFF}\u{FFBE}\u{7F}\u{80}\u{9F}\u{2028}",
    ]
    for s in samples {
      let r = CellText.sanitize(s)
      #expect(r.text.utf8.elementsEqual(s.utf8), "\(s)")
      #expect(r.cut == false)
    }
    // Over 32767 bytes but not over 32767 UTF-16 units: not cut.
    let cjk = String(repeating: "中", count: 32_767)
    let r = CellText.sanitize(cjk)
    #expect(r.cut == false && r.text == cjk)
    #expect(Self.storage(r.text) == Self.storage(cjk))
  }

  @Test func controlCharactersBecomeReplacementCharacters() {
    #expect(CellText.sanitize("\u{0}a\u{7}b\u{1F}\t\n\r\u{B}\u{C}\u{1B}").text == "\u{FFFD}a\u{FFFD}b\u{FFFD}\t\n\r\u{FFFD}\u{FFFD}\u{FFFD}")
    for v in UInt32(0)..<0x20 {
      let s = "x" + String(UnicodeScalar(v)!) + "y"
      let keep = v == 0x09 || v == 0x0A || v == 0x0D
      #expect(CellText.sanitize(s).text == (keep ? s : "x\u{FFFD}y"), "U+\(v)")
      #expect(CellText.sanitize(s).cut == false)
    }
    // DEL and C1 controls are valid XML: kept.
    #expect(CellText.sanitize("a\u{7F}\u{85}b").text == "a\u{7F}\u{85}b")
    // At every position of an eight-byte block, and after multi-byte characters.
    for k in 0..<20 {
      let s = String(repeating: "a", count: k) + "\u{1}" + "é中😀\u{2}"
      #expect(CellText.sanitize(s).text == String(repeating: "a", count: k) + "\u{FFFD}é中😀\u{FFFD}")
    }
    // Line breaks made of CR LF stay (pandas writes them as they are).
    #expect(CellText.sanitize("a\r\nb").text == "a\r\nb")
  }

  @Test func nonCharactersBecomeReplacementCharacters() {
    #expect(CellText.sanitize("a\u{FFFE}b\u{FFFF}c").text == "a\u{FFFD}b\u{FFFD}c")
    #expect(CellText.sanitize("\u{FFFE}").text == "\u{FFFD}")
    #expect(CellText.sanitize("中\u{FFFF}").text == "中\u{FFFD}")
    // Neighbours with the same lead byte stay.
    #expect(CellText.sanitize("\u{FFBD}\u{FFFD}\u{FFEE}\u{F000}").text == "\u{FFBD}\u{FFFD}\u{FFEE}\u{F000}")
    for k in 0..<20 {
      let s = String(repeating: "b", count: k) + "\u{FFFF}"
      #expect(CellText.sanitize(s).text == String(repeating: "b", count: k) + "\u{FFFD}")
    }
  }

  @Test func cutAtTheLimitCountsUTF16Units() {
    let m = Self.marker.utf16.count
    // Exactly at the limit: kept whole.
    let full = String(repeating: "a", count: 32_767)
    #expect(CellText.sanitize(full) == (full, false))
    let fullAstral = String(repeating: "😀", count: 16_383) + "a"  // 32,767 units, 65,533 bytes
    #expect(CellText.sanitize(fullAstral) == (fullAstral, false))

    // One unit over: cut to 32,767 - marker units, then the marker.
    let over = String(repeating: "a", count: 32_768)
    let r = CellText.sanitize(over)
    #expect(r.cut)
    #expect(r.text == String(repeating: "a", count: 32_767 - m) + Self.marker)
    #expect(r.text.utf16.count == 32_767)

    // Astral characters (a surrogate pair each) are never split: with an odd room the last
    // one that does not fit whole is dropped.
    let emoji = String(repeating: "😀", count: 16_384)  // 32,768 units
    let e = CellText.sanitize(emoji)
    #expect(e.cut)
    #expect(e.text == String(repeating: "😀", count: (32_767 - m) / 2) + Self.marker)
    #expect(e.text.utf16.count == 32_767 - (32_767 - m) % 2)
    // Shifted by one unit, the pair fits exactly at the limit.
    let shifted = "a" + emoji
    let s = CellText.sanitize(shifted)
    #expect(s.cut)
    #expect(s.text == "a" + String(repeating: "😀", count: (32_767 - m - 1) / 2) + Self.marker)
    #expect(s.text.utf16.count == 32_767 - (32_767 - m - 1) % 2)
    for pad in 0..<10 {
      let t = String(repeating: "x", count: pad) + String(repeating: "é中😀", count: 9_000)
      #expect(CellText.sanitize(t) == Self.reference(t), "pad \(pad)")
      #expect(CellText.sanitize(t).text.utf16.count <= 32_767)
    }
  }

  @Test func cutFlag() {
    #expect(CellText.sanitize(String(repeating: "中", count: 32_767)).cut == false)
    #expect(CellText.sanitize(String(repeating: "中", count: 32_768)).cut == true)
    #expect(CellText.sanitize(String(repeating: "\u{1}", count: 32_767)).cut == false)
    let ctl = CellText.sanitize(String(repeating: "\u{1}", count: 32_768))
    #expect(ctl.cut && ctl.text.hasSuffix(Self.marker) && ctl.text.hasPrefix("\u{FFFD}\u{FFFD}"))
    // Bad characters before and after the cut: the kept part is cleaned, the rest dropped.
    let mixed = "\u{FFFE}" + String(repeating: "é", count: 40_000) + "\u{2}"
    #expect(CellText.sanitize(mixed) == Self.reference(mixed))
    #expect(CellText.sanitize(mixed).text.hasPrefix("\u{FFFD}éé"))
  }

  @Test func agreesWithTheScalarRule() {
    // Deterministic pseudo-random strings over the interesting characters and lengths.
    let alphabet: [String] = [
      "a", " ", "\t", "\n", "\r", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é", "中", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}", "\u{FFEF}", "😀", "𠀀", "\u{301}",
    ]
    var state: UInt64 = 12
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    for round in 0..<300 {
      let length = round < 200 ? next() % 40 : 16_000 + next() % 24_000
      var s = ""
      for _ in 0..<length { s += alphabet[next() % alphabet.count] }
      let got = CellText.sanitize(s)
      let want = Self.reference(s)
      #expect(got.cut == want.1, "round \(round)")
      #expect(got.text.utf8.elementsEqual(want.0.utf8), "round \(round)")
    }
  }
}
