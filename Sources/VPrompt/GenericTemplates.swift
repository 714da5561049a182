import VCore

/// Text pieces that several benchmarks' prompts are made of (VLMEvalKit repeats them across
/// dataset classes).
public enum PromptText {
  /// `Answer with the option's letter from the given choices directly.` (LongVideoBench and
  /// the generic MCQ prompt).
  public static let letterDirectly = "Answer with the option's letter from the given choices directly."

  /// The option letter of index `i`.
  public static func letter(_ i: Int) -> String { OptionLetter.at(i) }

  /// MVBench / MLVU: `Question: {q}\nOptions:\n(A) {c0}\n...` then `rstrip()`.
  public static func parenthesisedOptions(_ q: String, _ cands: [String]) -> String {
    var s = "Question: \(q)\nOptions:\n"
    for (i, c) in cands.enumerated() { s += "(\(letter(i))) \(c)\n" }
    return PyText.rstrip(s)
  }

  /// Video-MME / WorldSense question item: `Question: {q}\n{line}\n...\nAnswer: `.
  public static func questionWithLines(_ q: String, _ cands: [String]) -> String {
    "Question: \(q)\n" + cands.joined(separator: "\n") + "\nAnswer: "
  }

  /// Options from `candidates`, else from the columns `A`, `B`, ... that are present and non-empty.
  public static func genericOptions(_ t: TemplateInput) throws(PromptError) -> [String] {
    if t.record["candidates"] != nil { return try t.candidates() }
    var out: [String] = []
    for i in 0..<26 {
      guard let v = t.optionalField(letter(i)), !v.isEmpty else { break }
      out.append(v)
    }
    if out.isEmpty { throw PromptError(code: .missingField, message: "no options: the record has neither 'candidates' nor columns A, B, ...") }
    return out
  }
}

/// The generic templates, for datasets no benchmark family covers.
public enum GenericTemplates {
  /// `mcq`: frames, then `Question: ...\nOptions:\nA. ...` and the letter instruction.
  public struct MCQ: PromptTemplate {
    public init() {}
    public var name: String { "mcq" }
    public var constants: [String] { ["Question: ", "\nOptions:\n", PromptText.letterDirectly] }
    public func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
      let cands = try PromptText.genericOptions(t)
      var text = "Question: \(try t.field("question"))\nOptions:\n"
      text += cands.enumerated().map { "\(PromptText.letter($0.offset)). \($0.element)" }.joined(separator: "\n")
      return (try t.visual()) + [.text(text + "\n" + PromptText.letterDirectly)]
    }
  }

  /// `vqa`: frames, then the question.
  public struct VQA: PromptTemplate {
    public init() {}
    public var name: String { "vqa" }
    public var constants: [String] { ["vqa"] }
    public func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
      (try t.visual()) + [.text(try t.field("question"))]
    }
  }

  public static let all: [any PromptTemplate] = [MCQ(), VQA()]
}
