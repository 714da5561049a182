import Foundation
import VCore

// VLMEvalKit's EASI LLM grading path (`utils/spatial_bench/llm_extract.py`, `tools/utils.py`):
// - `gradingPrompt` / `mcqGradingPrompt`: `GENERIC_EXTRACT_JUDGE_PROMPT` as
//   `extract_ans_by_llm(mode='mcq')` fills it (the options block from `build_choices`, the
//   standard answer as `{letter}. {text}` when the answer is one of the choices' letters).
// - `buildChoices`: `build_choices` (options > candidates > columns A-F > the question text).
// - `parseGrade`: `call_llm_extract`'s reading of a reply (its first line, `A`/`B`/`C` then the
//   extracted answer), `C` / `N/A` when it reads nothing.
// Its regexes run on ICU with Unix line ends (Python's `^` and `$` know only `\n`).

extension EASI {
  static let gradingHead = #"""
    You are an expert grading assistant.
    Your job has TWO tasks:
    1) From the candidate's full response, EXTRACT the final answer in a concise, normalized form.
    2) Compare this extracted answer with the STANDARD ANSWER and grade it as:
       - A: CORRECT
       - B: INCORRECT
       - C: INVALID

    Here are the detailed evaluation criteria:
    1. ALWAYS refer to the given STANDARD ANSWER. You do NOT need to re-solve the question; the standard answer has already been provided and is always correct. Your only job is to judge whether the candidate's final answer is consistent with the standard answer according to the form of the question. THE STANDARD ANSWER IS ALWAYS CORRECT AND THE QUESTION IS PERFECTLY VALID. NEVER QUESTION THEM.
    2. ONLY compare the FINAL ANSWER — COMPLETELY IGNORE any potential errors or issues in the REASONING PROCESS. Even if the reasoning is wrong, as long as the final answer matches the standard answer, grade it as CORRECT.
    3. Answers may be expressed in different ways (e.g., mathematical expressions, textual descriptions). As long as the meaning is the same as the standard answer, treat them as equivalent. If the standard answer does not specify a unit but the candidate's answer includes a correct unit for the given value, consider it CORRECT.
    4. Some answers may consist of multiple items, such as multiple-choice questions with multiple correct options, multi-select questions, or multi-blank fill-in-the-blank questions. Regardless of the question type, the final answer is considered CORRECT only if it matches the standard answer exactly at the level of all required items. For multi-select or multi-blank questions, ALL parts must be answered correctly and match the standard answer exactly to be deemed CORRECT.
    5. If the candidate's answer is wrapped in LaTeX-style markers like \boxed{...}, IGNORE the \boxed and only use the inner content as the candidate's final answer when comparing with the standard answer.
    6. If the candidate's answer is INVALID — for example, incomplete (cut off mid-response), containing a large amount of abnormal repetitive content, clearly irrelevant to the question, or explicitly refusing to answer due to ethical concerns, lack of information, or other external factors — then you MUST grade it as C: INVALID.
    7. This instruction applies to all problem types, including single-choice MCQ, multi-select MCQ, numeric problems, short-answer questions, and general VQA-style questions. In all cases, only the FINAL ANSWER and its consistency with the standard answer matter.
    8. The question or options may contain image placeholders such as '<image>', '<image id=1>', or similar tokens. You CANNOT see these images. Treat these placeholders as unknown content and DO NOT hallucinate or infer any specific visual details from them. If the standard answer or candidate's answer refers to an option associated with an image (e.g., 'choose A'), judge correctness only based on the stated answer, not by imagining the image.

    IMPORTANT – OUTPUT FORMAT:
    • You MUST return EXACTLY ONE line in the following format:
      <GRADE>\t<EXTRACTED_ANSWER>
      where <GRADE> is one of A, B, or C.
    • <EXTRACTED_ANSWER> should be the final answer you extracted from the candidate's response, in a normalized, concise form (e.g., a number, a letter option, or a short phrase).
    • If you cannot extract any meaningful answer, or the response is INVALID, output:
      C\tN/A
    • Do NOT add any extra text, explanation, or additional lines.

    Now, judge the following question.
    <Original Question Begin>

    """#

  /// `GENERIC_EXTRACT_JUDGE_PROMPT.format(question=, options_block=, gold_answer=, llm_response=)`.
  public static func gradingPrompt(question: String, optionsBlock: String, gold: String, prediction: String) -> String {
    gradingHead + question + "\n" + optionsBlock + "<Original Question End>\n<Standard Answer Begin>\n" + gold
      + "\n<Standard Answer End>\n<Candidate's Answer Begin>\n" + prediction + "\n<Candidate's Answer End>\nYour output:"
  }

  /// `extract_ans_by_llm(row, mode='mcq')`'s prompt. `has(column)`: whether the row has the
  /// column; `cell(column)`: its text, nil for an empty (NaN) cell. The question and answer are
  /// `str()` of the cell (`nan` when empty, nothing when there is no such column); the
  /// prediction as `eval_mcq_score` gives it (`str()`).
  public static func mcqGradingPrompt(prediction: String, has: (String) -> Bool, cell: (String) -> String?) -> String {
    let question = has("question") ? cell("question") ?? "nan" : ""
    let goldRaw = has("answer") ? cell("answer") ?? "nan" : ""
    let choices = buildChoices(has: has, cell: cell)
    let optionText = choices.map { "\($0.0). \($0.1)\n" }.joined()
    let block = optionText.isEmpty ? "" : "Options:\n" + optionText + "\n"
    let letter = PyStr(goldRaw).strip().string.uppercased()
    let gold = choices.first { $0.0 == letter }.map { letter + ". " + $0.1 } ?? goldRaw
    return gradingPrompt(question: question, optionsBlock: block, gold: gold, prediction: prediction)
  }

  /// `extract_ans_by_llm(row, mode='vqa')`'s prompt (a numeric row): no options block, the
  /// standard answer as the cell's text.
  public static func naGradingPrompt(question: String, answer: String, prediction: String) -> String {
    gradingPrompt(question: question, optionsBlock: "", gold: answer, prediction: prediction)
  }

  /// One row of `compute_na_score_llm`: `pred_extracted` (`float()` of the judge's extracted
  /// answer, nil where it raises) and the MRA against `float(answer)`, 0 when either is not a
  /// number, the answer is NaN or the grade is C.
  public static func naLLMScore(grade: String, extracted: String, answer: String?) -> (pred: Double?, mra: Double) {
    let pred = MMMUMatching.pythonFloat(PyStr(extracted))
    guard let p = pred, let a = answer, let g = MMMUMatching.pythonFloat(PyStr(a)), !g.isNaN, grade != "C" else { return (pred, 0) }
    return (pred, meanRelativeAccuracy(p, g))
  }

  // MARK: - build_choices

  static let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".map(String.init)

  /// `_clean_text`: runs of Python whitespace as one space, stripped.
  static func cleanText(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    var space = false
    for u in s.unicodeScalars {
      if PyText.isSpace(u) {
        space = true
        continue
      }
      if space && !out.isEmpty { out.append(" ") }
      space = false
      out.append(u)
    }
    return String(out)
  }

  static let punctuationOnly = Set(#".,;:!?-_/\|()[]{}【】（）·・、—"#.unicodeScalars)

  /// `_normalize_choice_body`: the cleaned text, empty when it is only whitespace and punctuation.
  static func normalizeChoiceBody(_ raw: String?) -> String {
    guard let raw else { return "" }
    let t = cleanText(raw)
    return t.unicodeScalars.allSatisfy({ punctuationOnly.contains($0) || PyText.isSpace($0) }) ? "" : t
  }

  /// `build_choices(item)` (max letter F): the choices in its dict's order.
  public static func buildChoices(has: (String) -> Bool, cell: (String) -> String?) -> [(String, String)] {
    for key in ["options", "candidates"] where has(key) {
      if let seq = parseCandidates(cell(key)), !seq.isEmpty {
        return zip(letters, seq).map { ($0, $1) }
      }
    }
    // Columns A-F: present and non-empty -> the normalized text, present and empty -> "".
    let fromColumns = letters.prefix(6).filter(has).map { l in
      (l, cell(l).map { PyStr($0).strip().isEmpty ? "" : normalizeChoiceBody($0) } ?? "")
    }
    if !fromColumns.isEmpty { return fromColumns }
    if has("question"), let q = cell("question") {
      let fromQuestion = choicesFromQuestion(q)
      if !fromQuestion.isEmpty { return fromQuestion }
    }
    return []
  }

  /// `_parse_candidates`: a Python list of strings (each cleaned), else the choices
  /// `extract_choices_from_question` finds in the text (from `A`, or from `B` when there is no
  /// `A`, while the letters run on); nil for an empty cell or text. Lists with elements other
  /// than strings are read as text (VLMEvalKit would take `str()` of each element).
  static func parseCandidates(_ value: String?) -> [String]? {
    guard let value else { return nil }
    let s = PyStr(value).strip().string
    if s.isEmpty { return nil }
    if let list = try? PythonLiteral.stringList(s) { return list.map(cleanText) }
    let mapping = choicesFromQuestion(s)
    var out: [String] = []
    for l in letters {
      if let v = mapping.first(where: { $0.0 == l }) {
        out.append(cleanText(v.1))
      } else if l == "A" {
        continue
      } else {
        break
      }
    }
    return out.isEmpty ? nil : out
  }

  static let optionsWord = re(#"(options?|选项)\s*[:：]?"#, .caseInsensitive)
  static let lineLabel = re(
    #"^[ \t]*(?:[*_`>•·\-]+\s*)?(?:[\(\[\{（【]\s*)?([ABCDEF])(?:\s*[\)\]\}）】])?\s*[\.．:：\)\]】、-]\s*"#,
    [.caseInsensitive, .anchorsMatchLines, .useUnixLineSeparators])
  static let inlineLabel = re(#"(?<![A-Za-z0-9])([ABCDEF])\s*[\.．:：\)\]】、-]\s*(?![A-Za-z0-9])"#)

  /// An ordered dict's assignment: a new key goes last, an old one keeps its place.
  static func assign(_ d: inout [(String, String)], _ k: String, _ v: String) {
    if let i = d.firstIndex(where: { $0.0 == k }) { d[i].1 = v } else { d.append((k, v)) }
  }

  /// `_contiguous_prefix_len`: how many letters from `A` on are keys.
  static func contiguousPrefix(_ d: [(String, String)]) -> Int {
    letters.prefix { l in d.contains { $0.0 == l } }.count
  }

  /// `extract_choices_from_question(q)` (max letter F): the text after the first
  /// `option(s)`/`选项` (with its colon), read as one option a line and as inline labels; the
  /// reading with the longer run of letters from `A` wins, then the one with more letters, then
  /// the line reading when it found any.
  public static func choicesFromQuestion(_ q: String) -> [(String, String)] {
    if PyStr(q).strip().isEmpty { return [] }
    var text = q as NSString
    if let m = optionsWord.firstMatch(in: q, range: NSRange(location: 0, length: text.length)) {
      text = text.substring(from: m.range.upperBound) as NSString
    }
    let s = text as String
    let all = NSRange(location: 0, length: text.length)
    var fromLines: [(String, String)] = []
    for m in lineLabel.matches(in: s, range: all) {
      let end = m.range.upperBound
      let newline = text.range(of: "\n", range: NSRange(location: end, length: text.length - end))
      let lineEnd = newline.location == NSNotFound ? text.length : newline.location
      let raw = text.substring(with: NSRange(location: end, length: lineEnd - end))
      assign(&fromLines, text.substring(with: m.range(at: 1)).uppercased(), normalizeChoiceBody(raw))
    }
    let markers = inlineLabel.matches(in: s, range: all)
    var fromInline: [(String, String)] = []
    for (i, m) in markers.enumerated() {
      let next = i + 1 < markers.count ? markers[i + 1].range.location : text.length
      let raw = text.substring(with: NSRange(location: m.range.upperBound, length: max(0, next - m.range.upperBound)))
      assign(&fromInline, text.substring(with: m.range(at: 1)), normalizeChoiceBody(raw))
    }
    let (lk, ik) = (contiguousPrefix(fromLines), contiguousPrefix(fromInline))
    if lk != ik { return lk > ik ? fromLines : fromInline }
    if fromLines.count != fromInline.count { return fromLines.count > fromInline.count ? fromLines : fromInline }
    return fromLines.isEmpty ? fromInline : fromLines
  }

  // MARK: - call_llm_extract

  /// Python's `\w` for one scalar: a letter, a number or `_`.
  static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
    switch u.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber,
      .otherNumber:
      return true
    default: return u == "_"
    }
  }

  /// `call_llm_extract`'s reading of one judge reply: `(grade, extracted)`. The reply's first
  /// line (stripped) must open with `A`, `B` or `C` followed by a non-word character or nothing;
  /// the extracted answer is the rest without its leading whitespace, `|`, `,`, `:` and literal
  /// `\t` / `\n` / `\r` pairs, `N/A` when nothing is left. A failed call, a reply holding
  /// `Failed to obtain answer via API`, an empty or an unreadable one gives `("C", "N/A")`, what
  /// VLMEvalKit falls back to once its retries are spent (its empty reply raises instead).
  public static func parseGrade(_ reply: String, failed: Bool = false) -> (grade: String, extracted: String) {
    (failed ? nil : readGrade(reply)) ?? ("C", "N/A")
  }

  /// `parseGrade` of a reply the call returned: nil where VLMEvalKit would ask again (a reply
  /// holding `Failed to obtain answer via API`, an unreadable or empty one).
  public static func readGrade(_ reply: String) -> (grade: String, extracted: String)? {
    let answer = PyStr(reply).strip().string
    if answer.contains("Failed to obtain answer via API") { return nil }
    guard let first = splitLines(answer).first else { return nil }
    let line = Array(PyStr(first).strip().string.unicodeScalars)
    guard let g = line.first, "ABC".unicodeScalars.contains(g), line.count == 1 || !isWordScalar(line[1]) else { return nil }
    var rest = line.dropFirst()
    while let u = rest.first, PyText.isSpace(u) || u == "|" || u == "," || u == ":" { rest = rest.dropFirst() }
    while rest.count >= 2, rest.first == "\\", let e = rest.dropFirst().first, e == "t" || e == "n" || e == "r" { rest = rest.dropFirst(2) }
    let extracted = PyStr(String(String.UnicodeScalarView(rest))).strip().string
    return (String(g), extracted.isEmpty ? "N/A" : extracted)
  }
}
