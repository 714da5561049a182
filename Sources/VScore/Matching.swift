import VCore

/// VLMEvalKit's failure marker (written by vinfer and VLMEvalKit's API wrappers).
public let failMessage = "Failed to obtain answer via API."
/// The broader text VLMEvalKit's matchers look for.
package let failMarker = "Failed to obtain answer via API"

/// VLMEvalKit's answer-extraction rules (reference sections 4.3-4.5 and 5), each a pure function
/// of the prediction text. `strict` selects the documented fixes; without it the behaviour is
/// VLMEvalKit's, bugs included.
public enum Matching {
  // MARK: can_infer (reference 4.3)

  /// The result of `can_infer`: an option letter, `Z` (refusal), or nothing.
  public enum Inferred: Equatable, Sendable {
    case letter(String)
    case none
  }

  package static let refusals = [
    "Sorry, I can't help with images of people yet.", "I can't process this file.",
    "I'm sorry, but without the image provided", "Cannot determine the answer",
  ]

  /// `can_infer(answer, choices)`: `choices` are (letter, text) in letter order.
  ///
  /// Parity reproduces Q6 (the case-insensitive `answer is a` regex and the article "A" read as
  /// option A). `strict` makes the regex case-sensitive and does not read a lone "A" that is
  /// followed by more words as the option.
  public static func canInfer(_ answer: String, choices: [(String, String)], strict: Bool = false, verboseEnv: Bool = false) -> Inferred {
    let a = PyStr(answer)
    if let l = canInferOption(a, choices: choices, strict: strict, verboseEnv: verboseEnv) { return l }
    return canInferText(a, choices: choices)
  }

  package static func canInferOption(_ answer: PyStr, choices: [(String, String)], strict: Bool, verboseEnv: Bool) -> Inferred? {
    if answer.contains(failMarker) { return nil }
    for r in refusals where answer.contains(r) { return .letter("Z") }
    var mod = answer
    for c in ".()[],:;!*#{}" { mod = mod.replacing(String(c), with: " ") }
    let splits = mod.split()
    let letters = choices.map { PyStr($0.0) }
    let present = letters.filter { splits.contains($0) }
    if present.count == 1 {
      let ch = present[0]
      let aToken = PyStr("A")
      let articleA = splits.contains(aToken) && splits.count > 3
      if verboseEnv && articleA { return nil }
      if strict && ch == aToken && hasArticleA(answer) {
        // "A man is walking": the article, not the option (Q6).
      } else if let i = splits.firstIndex(of: ch), i > splits.count - 5 {
        return .letter(ch.string)
      }
    } else if present.isEmpty && splits.contains(PyStr("Z")) {
      return .letter("Z")
    }
    // (?i)(?:correct\s+)?answer\s+is\s+\**([ABCD])\**  (strict: case-sensitive letter).
    if let l = answerIsLetter(answer, strict: strict), letters.contains(PyStr(l)) { return .letter(l) }
    return nil
  }

  /// An English article "A": `A` at a word start, then whitespace, then a lowercase letter.
  package static func hasArticleA(_ answer: PyStr) -> Bool {
    let u = answer.u
    for i in u.indices where u[i] == "A" && (i == 0 || PyText.isSpace(u[i - 1])) {
      var k = i + 1
      var ws = 0
      while k < u.count, PyText.isSpace(u[k]) {
        k += 1
        ws += 1
      }
      if ws > 0, k < u.count, u[k].properties.isLowercase { return true }
    }
    return false
  }

  /// The letter after "answer is" (with optional `**`), as VLMEvalKit's regex finds it.
  package static func answerIsLetter(_ answer: PyStr, strict: Bool) -> String? {
    let low = answer.lower()
    guard low.count == answer.count else { return nil }
    let target = PyStr("answer")
    var from = 0
    while let i = low.find(target, from: from) {
      from = i + 1
      var k = i + target.count
      var ws = 0
      while k < low.count, PyText.isSpace(low.u[k]) {
        k += 1
        ws += 1
      }
      guard ws > 0, k + 2 <= low.count, low.u[k] == "i", low.u[k + 1] == "s" else { continue }
      k += 2
      ws = 0
      while k < low.count, PyText.isSpace(low.u[k]) {
        k += 1
        ws += 1
      }
      guard ws > 0 else { continue }
      while k < low.count, low.u[k] == "*" { k += 1 }
      guard k < answer.count else { continue }
      let c = answer.u[k]
      let upper: Unicode.Scalar? =
        switch c {
        case "A", "B", "C", "D": c
        case "a", "b", "c", "d": strict ? nil : Unicode.Scalar(c.value - 32)
        default: nil
        }
      if let upper { return String(upper) }
    }
    return nil
  }

  package static func canInferText(_ answer: PyStr, choices: [(String, String)]) -> Inferred {
    let low = answer.lower()
    let texts = choices.map { PyStr($0.1).lower() }
    if low.count > 2 * texts.reduce(0, { $0 + $1.count }) { return .none }
    let hits = zip(choices, texts).filter { low.contains($0.1) }.map { $0.0.0 }
    return hits.count == 1 ? .letter(hits[0]) : .none
  }

  // MARK: extract_characters_regex (reference 4.5)

  /// The prefixes VLMEvalKit strips, as its list with missing commas actually reads (Q4).
  package static let parityPrefixes = [
    "The best answer is", "The correct answer is", "The answer is", "The answer",
    "The best option isThe correct option is", "Best answer:Best option:", "Answer:", "Option:",
  ]
  /// The list as intended.
  package static let strictPrefixes = [
    "The best answer is", "The correct answer is", "The answer is", "The answer",
    "The best option is", "The correct option is", "Best answer:", "Best option:", "Answer:", "Option:",
  ]

  /// Video-MME / LongVideoBench / WorldSense: the first uppercase option letter of the cleaned
  /// prediction, or "" (`letters` is "ABCD" or "ABCDE").
  public static func extractCharacters(_ prediction: String, letters: String = "ABCD", strict: Bool = false) -> String {
    var s = PyStr(prediction).strip()
    for p in strict ? strictPrefixes : parityPrefixes { s = s.replacing(p, with: "") }
    let set = Set(letters.unicodeScalars)
    let first = s.u.first { set.contains($0) }
    if s.split().count > 10 && first == nil { return "" }
    return first.map { String($0) } ?? ""
  }

  // MARK: MVBench (reference 5.1)

  /// `check_ans`: the first space-separated token of the lowercased prediction against the
  /// first token of `({L}) {answer}`. Parity accepts an empty token, `(` and `)` (Q1); strict
  /// requires the token to hold the letter.
  public static func mvbenchFirstToken(_ prediction: String, gt: String, strict: Bool = false) -> Bool {
    let predOption = PyStr(prediction).lower().strip().split(" ")[0]
    let gtOption = PyStr(gt).lower().split(" ")[0]
    let p = predOption.replacing(".", with: "")
    if strict {
      let core = p.replacing("(", with: "").replacing(")", with: "")
      if !core.isEmpty && gtOption.contains(p) { return true }
    } else if gtOption.contains(p) {
      return true
    }
    return !gtOption.isEmpty && predOption.contains(gtOption)
  }

  // MARK: MLVU MCQ (reference 5.6)

  /// The single character before the prediction's first `)`, or the whole prediction when it
  /// has none; compared case-sensitively with the GT letter.
  public static func mlvuOption(_ prediction: String) -> String {
    let p = PyStr(prediction)
    guard let i = p.find(PyStr(")")) else { return prediction }
    return p[(i - 1)..<i].string
  }

  // MARK: TempCompass (reference 5.7)

  /// The `multi-choice` rule: 1, 0, or nil for "fail".
  public static func tempCompassMultiChoice(_ prediction: String, answer: String) -> Int? {
    let p = PyStr(prediction), a = PyStr(answer)
    if p == a { return 1 }
    let first = a.isEmpty ? PyStr("") : a[0..<1]
    if ["A", "B", "C", "D"].contains(prediction) { return p == first ? 1 : 0 }
    for l in ["A", "B", "C", "D"] where p.hasPrefix(l + ".") {
      return p.split(".")[0] == first ? 1 : 0
    }
    for l in ["A", "B", "C", "D"] where p.hasPrefix(l + ")") {
      return p.split(")")[0] == first ? 1 : 0
    }
    return nil
  }

  /// The yes/no rule: a `yes`/`no` prefix of the lowercased prediction against the answer.
  public static func tempCompassYesNo(_ prediction: String, answer: String) -> Int? {
    let p = PyStr(prediction).lower()
    let a = PyStr(answer).lower()
    for w in ["yes", "no"] where p.hasPrefix(w) {
      return PyStr(w) == a ? 1 : 0
    }
    return nil
  }

  /// A TempCompass judge reply: 1 if it starts with `Correct`, 0 with `Incorrect`, else 1 if it
  /// says `Correct` and not `Incorrect`.
  public static func tempCompassVerdict(_ reply: String) -> Int {
    let r = PyStr(reply)
    if r.hasPrefix("Correct") { return 1 }
    if r.hasPrefix("Incorrect") { return 0 }
    return r.contains("Correct") && !r.contains("Incorrect") ? 1 : 0
  }

  // MARK: judge replies

  /// MMBench-Video's 0-3 rating: `int(x)` when `eval(x)` is an int, else -1.
  public static func integerRating(_ reply: String) -> Int {
    let t = PyText.strip(reply)
    var digits = Substring(t)
    if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(t.hasPrefix("+") ? String(t.dropFirst()) : t) else {
      return -1
    }
    return v
  }
}
