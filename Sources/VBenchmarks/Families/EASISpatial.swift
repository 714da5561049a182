import Foundation
import VCore
import VScore

// VLMEvalKit's EASI matchers (`vlmeval/dataset/utils/spatial_bench/matching_func.py`), shared by
// the spatial family (VSI-Bench, SITE, STI, DSR, MMSI-Video-Bench).

/// `can_match_option`, the seven-step tail-first option extractor (letters A-F), with Python's
/// `re` patterns run by ICU (the same backtracking semantics for these patterns; ICU's `\s` lacks
/// Python's U+001C-U+001F, the only difference found).
enum EASIMatching {
  private static func re(_ pattern: String, _ options: NSRegularExpression.Options = []) -> NSRegularExpression {
    try! NSRegularExpression(pattern: pattern, options: options)
  }

  /// `ZW_RE`: zero-width characters (BOM, ZWSP, ZWNJ, ZWJ).
  static let zeroWidth: Set<Unicode.Scalar> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}"]
  static let taggedAnswerBlock = re(
    #"<\s*answer\b[^>]*>\s*([A-Ja-j])(?:\s*[\.．:：\)\]】、])?.*?<\s*/\s*answer\s*>"#, [.caseInsensitive, .dotMatchesLineSeparators])
  static let answerTail = re(#"(?<![A-Za-z])[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?\s*</\s*answer\s*>"#, .caseInsensitive)
  static let thinkTail = re(#"(?<![A-Za-z])[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?\s*</\s*think\s*>"#, .caseInsensitive)
  static let thinkEnd = re(#"</\s*think\s*>"#, .caseInsensitive)
  static let thinkStart = re(#"<\s*think\s*>"#, .caseInsensitive)
  static let optionLinePrefix = re(#"^(?:[*_>\-\s]*)(?:option|选项)\s+[A-J]\s*[:：]"#, .caseInsensitive)
  static let markdownSingle = re(#"^\s*[*_`>（）\[\]【】\(\)]*\s*([A-Fa-f])\s*[*_`（）\[\]【】\(\)]*\s*$"#)
  static let lineStartLabeled = re(#"^\s*([A-F])\s*[\.．:：\)\]】、-]\s+"#, .caseInsensitive)
  static let tokenInline = re(#"(?<![A-Za-z])[*_`（\[\{\(]*\s*([A-F])\s*[*_`）\]\})]*(?=$|[\s\.,:;!?\)\]】》」』，。；、：）】》」』])"#)
  static let phraseAfter = re(
    #"(?i)(?:final\s*answer|the\s*answer\s*is|answer(?:\s*is)?|correct\s*answer|答案|最终答案|结论|所以|因此|我选(?:择)?|选择|选)\s*[:：>＝=]?\s*[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?(?:\b|[.)、。])"#
  )
  static let tokenUpperGlobal = re(#"(?<![A-Za-z])[\(\[\{（【]?\s*([ABCDEF])\s*[\)\]\}）】]?(?![A-Za-z])"#)

  /// The first capture of the first match (`pattern.search(s).group(1)`).
  static func search(_ pattern: NSRegularExpression, _ s: String) -> String? {
    let ns = s as NSString
    guard let m = pattern.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)), m.range(at: 1).location != NSNotFound else {
      return nil
    }
    return ns.substring(with: m.range(at: 1))
  }

  /// `pattern.findall(s)` of a one-group pattern.
  static func findAll(_ pattern: NSRegularExpression, _ s: String) -> [String] {
    let ns = s as NSString
    return pattern.matches(in: s, range: NSRange(location: 0, length: ns.length)).map {
      $0.range(at: 1).location == NSNotFound ? "" : ns.substring(with: $0.range(at: 1))
    }
  }

  /// `pattern.fullmatch(s).group(1)`.
  static func fullMatch(_ pattern: NSRegularExpression, _ s: String) -> String? {
    let ns = s as NSString
    let all = NSRange(location: 0, length: ns.length)
    for m in pattern.matches(in: s, options: .anchored, range: all) where m.range == all {
      return m.range(at: 1).location == NSNotFound ? nil : ns.substring(with: m.range(at: 1))
    }
    return nil
  }

  /// The text after the last match of `pattern`, or nil when there is none.
  static func afterLast(_ pattern: NSRegularExpression, _ s: String) -> String? {
    let ns = s as NSString
    guard let m = pattern.matches(in: s, range: NSRange(location: 0, length: ns.length)).last else { return nil }
    return ns.substring(from: m.range.location + m.range.length)
  }

  /// Python's `str.splitlines()`: split at `\n`, `\r`, `\r\n`, `\v`, `\f`, U+001C-U+001E, U+0085,
  /// U+2028, U+2029; no empty last line for a final separator.
  static func splitLines(_ s: String) -> [String] {
    let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
    let u = Array(s.unicodeScalars)
    var lines: [String] = []
    var start = 0, i = 0
    while i < u.count {
      if breaks.contains(u[i].value) {
        lines.append(String(String.UnicodeScalarView(u[start..<i])))
        if u[i] == "\r" && i + 1 < u.count && u[i + 1] == "\n" { i += 1 }
        start = i + 1
      }
      i += 1
    }
    if start < u.count { lines.append(String(String.UnicodeScalarView(u[start...]))) }
    return lines
  }

  /// `s[-n:]` on code points.
  static func tail(_ s: String, _ n: Int) -> String {
    let u = Array(s.unicodeScalars)
    return u.count <= n ? s : String(String.UnicodeScalarView(u[(u.count - n)...]))
  }

  /// `_pick_from_lines`: from the last non-blank (stripped) line up, skipping `option X:` lines,
  /// a line that is one letter, a line that starts `X.`/`X)`, or a line with exactly one distinct
  /// standalone capital A-F.
  static func pick(_ lines: [String]) -> String? {
    for line in lines.map({ PyText.strip($0) }).filter({ !$0.isEmpty }).reversed() {
      if optionLinePrefix.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil { continue }
      if let m = fullMatch(markdownSingle, line) { return m.uppercased() }
      if let m = lineStartLabeled.firstMatch(in: line, options: .anchored, range: NSRange(location: 0, length: (line as NSString).length)) {
        return (line as NSString).substring(with: m.range(at: 1)).uppercased()
      }
      let tokens = Set(findAll(tokenInline, line).map { $0.uppercased() })
      if tokens.count == 1 { return tokens.first }
    }
    return nil
  }

  /// `can_match_option(answer_text)` (no `choices`): the option letter, or nil where upstream
  /// returns `False`.
  static func canMatchOption(_ answer: String) -> String? {
    let text = String(String.UnicodeScalarView(PyText.strip(answer).unicodeScalars.filter { !zeroWidth.contains($0) }))
    // 2) <answer>X ...</answer> anywhere.
    if let m = search(taggedAnswerBlock, text) { return m.uppercased() }
    // 3) a letter just before </answer> or </think> in the last 800 characters.
    let window = tail(text, 800)
    for p in [answerTail, thinkTail] {
      if let m = search(p, window) { return m.uppercased() }
    }
    // 4) the last six lines after the last </think> (else <think>).
    let segment = afterLast(thinkEnd, text).map(PyText.strip) ?? afterLast(thinkStart, text).map(PyText.strip) ?? text
    if let m = pick(Array(splitLines(segment).suffix(6))) { return m }
    // 5) the last six lines of the last 800 characters.
    if let m = pick(Array(splitLines(window).suffix(6))) { return m }
    // 6) the first "answer is X"-style phrase (the whole text, as the code searches it).
    if let m = search(phraseAfter, text) { return m.uppercased() }
    // 7) exactly one distinct standalone capital A-F outside `option X:` lines.
    let cleaned = splitLines(text).filter { optionLinePrefix.firstMatch(in: $0, range: NSRange(location: 0, length: ($0 as NSString).length)) == nil }
      .joined(separator: "\n")
    let tokens = Set(findAll(tokenUpperGlobal, cleaned))
    return tokens.count == 1 ? tokens.first : nil
  }
}
