import Foundation
import VCore

/// A record for the judge (one per row that needs one): `vinfer` answers it like any prompt.
public struct JudgePrompt: Sendable {
  public var id: String
  /// Which judgement: `mcq`, `mmbench_video`, `mlvu_sub_scene`, `mlvu_summary`,
  /// `tempcompass_mcq`, `tempcompass_yes_no`, `tempcompass_captioning`.
  public var kind: String
  /// The system prompt, sent verbatim (VLMEvalKit's judge `system_prompt`).
  public var system: String?
  /// The user text.
  public var prompt: String
  /// Payload fields VLMEvalKit's judge sets for this dataset (TempCompass: temperature 1 ...).
  public var request: JSONObject?

  package init(id: String, kind: String, system: String? = nil, prompt: String, request: JSONObject? = nil) {
    self.id = id
    self.kind = kind
    self.system = system
    self.prompt = prompt
    self.request = request
  }

  public var record: JSONObject {
    var o = JSONObject([("id", .string(id)), ("judge", .string(kind))])
    if let system { o["system"] = .string(system) }
    o["messages"] = .array([.object(JSONObject([("type", .string("text")), ("value", .string(prompt))]))])
    if let request { o["request"] = .object(request) }
    return o
  }
}

/// One judge reply from vinfer's output: the text, or a failure.
public struct JudgeReply: Sendable {
  public var text: String
  public var failed: Bool

  package init(text: String, failed: Bool) {
    self.text = text
    self.failed = failed
  }
}

/// Judge replies by row id.
public typealias JudgeReplies = [String: JudgeReply]

/// What one benchmark's scoring produced.
public struct Outcome: Sendable {
  /// The `score` column (nil: NaN).
  public var scores: [String?]
  /// `_rating.json` content, where the dataset has one.
  public var rating: JSONValue?
  /// `_acc.csv` content (header + rows), where the dataset has one.
  public var acc: (columns: [String], rows: [[String]])?
  /// The infix of the output files: `""`, or `_{judge}` for judge-scored datasets.
  public var fileInfix = ""
  public var summary: Summary
  /// Rows that could not be scored because their data is bad (reported, exit status 1).
  public var badRows = 0

  package init(
    scores: [String?], rating: JSONValue? = nil, acc: (columns: [String], rows: [[String]])? = nil, fileInfix: String = "",
    summary: Summary, badRows: Int = 0
  ) {
    self.scores = scores
    self.rating = rating
    self.acc = acc
    self.fileInfix = fileInfix
    self.summary = summary
    self.badRows = badRows
  }
}

/// Everything a benchmark needs besides the table.
public struct ScoreContext {
  public var strict: Bool
  /// nil: no judge (VLMEvalKit's `exact_matching`).
  public var judged: JudgeReplies?
  /// The judge's short name, for file names.
  public var judgeName: String
  public var dataset: String
  public var diag: Diagnostics
  public var mode: String { strict ? "strict" : "parity" }

  public init(strict: Bool, judged: JudgeReplies?, judgeName: String, dataset: String, diag: Diagnostics) {
    self.strict = strict
    self.judged = judged
    self.judgeName = judgeName
    self.dataset = dataset
    self.diag = diag
  }
}

/// Numbers as VLMEvalKit prints them.
package enum Num {
  /// Python's `round(x, digits)` (ties to even on the exact binary value, as glibc's printf).
  package static func round(_ x: Double, _ digits: Int) -> Double {
    guard x.isFinite else { return x }
    return Double(String(format: "%.\(digits)f", x)) ?? x
  }

  /// `f'{np.mean([v for v in values if v >= 0]):.{digits}f}'` (`nan` when nothing is left).
  package static func meanText(_ values: [Double], digits: Int = 3, validOnly: Bool = true) -> String {
    let v = validOnly ? values.filter { $0 >= 0 } : values
    guard !v.isEmpty else { return "nan" }
    return String(format: "%.\(digits)f", v.reduce(0, +) / Double(v.count))
  }

  package static func mean(_ values: [Double]) -> Double? {
    let v = values.filter { $0 >= 0 }
    return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
  }

  /// A float as Python's `repr` prints it (`50.0`, `66.67`).
  package static func repr(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    return x.description
  }

  /// A score cell: integers without a fraction.
  package static func cell(_ x: Double?) -> String? {
    guard let x else { return nil }
    return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : repr(x)
  }

  /// An integer-looking cell (`15`, `15.0`) as its integer text.
  package static func integerText(_ s: String) -> String {
    if let d = Double(s), d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
    return s
  }
}

/// Per-row access shared by the benchmarks.
package struct Rows {
  package let table: ResultTable

  package init(table: ResultTable) { self.table = table }
  package var count: Int { table.rows.count }

  package func cell(_ r: Int, _ name: String) -> String? { table.cell(r, name) }

  /// The row's id: `index`, else its position.
  package func id(_ r: Int) -> String { cell(r, "index").map(Num.integerText) ?? String(r) }

  package func prediction(_ r: Int) -> String? { cell(r, "prediction") }

  /// The `candidates` list literal, parsed.
  package func candidates(_ r: Int) throws -> [String] {
    guard let c = cell(r, "candidates") else { throw SimpleToolError("row \(id(r)): no candidates", status: .dataError) }
    do {
      return try PythonLiteral.stringList(c)
    } catch {
      throw SimpleToolError("row \(id(r)): candidates is not a Python list of strings (\(error))", status: .dataError)
    }
  }

  /// MVBench/MLVU ground truth: the letter of the last candidate equal to `answer` (`@` when
  /// none is), and the candidates as lettered choices.
  package func candidateTruth(_ r: Int) throws -> (letter: String, answer: String, choices: [(String, String)]) {
    let cands = try candidates(r)
    let answer = cell(r, "answer") ?? ""
    let letter = cands.lastIndex(of: answer).map { String(UnicodeScalar(UInt8(65 + min($0, 25)))) } ?? "@"
    return (letter, answer, lettered(cands))
  }

  /// VLMEvalKit's `{key: [sum(int(score)), count]}` over the scored rows, keys in order of first
  /// appearance (MLVU tasks, TempCompass `dim. task_type`).
  package func intSums(_ scores: [Double?], key: (Int) -> String) -> (order: [String], sums: [String: (Double, Double)]) {
    var order: [String] = []
    var sums: [String: (Double, Double)] = [:]
    for (r, s) in scores.enumerated() {
      guard let s else { continue }
      let k = key(r)
      if sums[k] == nil { order.append(k) }
      let prev = sums[k] ?? (0, 0)
      sums[k] = (prev.0 + s.rounded(.towardZero), prev.1 + 1)
    }
    return (order, sums)
  }

  /// The option columns `A`..`Z` that are present and not NaN, in letter order.
  package func optionColumns(_ r: Int) -> [(String, String)] {
    (65...90).compactMap { c -> (String, String)? in
      let l = String(UnicodeScalar(UInt8(c)))
      guard let v = cell(r, l) else { return nil }
      return (l, v)
    }
  }
}

/// Letters for a list of options: A, B, C, ...
package func lettered(_ options: [String]) -> [(String, String)] {
  options.enumerated().map { (String(UnicodeScalar(UInt8(65 + min($0.offset, 25)))), $0.element) }
}

/// VLMEvalKit's multiple-choice judge prompt (`build_prompt`, reference 4.4; `build_prompt_cn`
/// when the question holds a CJK ideograph, U+4E00-U+9FFF).
package func mcqJudgePrompt(question: String, choices: [(String, String)], prediction: String) -> String {
  var options = "There are several options: \n"
  for (l, t) in choices { options += "\(l). \(t)\n" }
  if question.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) {
    return "你是一个帮助我匹配答案与单选题中多个选项的 AI 助手。你会被提供：一个问题，多个选项，一个模型预测。你的任务是找到与答案意义最相近的选项。如果所有选项的意义都与模型预测显著不同，则输出 Z。你应该输出一个单个的大写字母，例如 A, B, C, D（如果它们是有效选项），或 Z。例 1:[问题]: 图中最主要的物体是什么?\n[选项]: A. 泰迪熊 B. 兔子 C. 猫 D. 狗\n[模型预测]: 一只可爱的泰迪熊\n[输出]: A\n例 2: \n[问题]: 图中最主要的物体是什么?\n[选项]: A. 泰迪熊 B. 兔子 C. 猫 D. 狗\n[模型预测]: 蜘蛛\n[输出]: Z\n你的任务: \n[问题]: \(question)?\n[选项]: \(options)\n[模型预测]: \(prediction)\n[输出]: "
  }
  return "You are an AI assistant who will help me to match an answer with several options of a single-choice question. You are provided with a question, several options, and an answer, and you need to find which option is most similar to the answer. If the meaning of all options are significantly different from the answer, output Z. Your should output a single uppercase character in A, B, C, D (if they are valid options), and Z. \nExample 1: \nQuestion: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\nAnswer: a cute teddy bear\nYour output: A\nExample 2: \nQuestion: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\nAnswer: Spider\nYour output: Z\nExample 3: \nQuestion: \(question)?\nOptions: \(options)\nAnswer: \(prediction)\nYour output: "
}

/// `extract_answer_from_item` after `can_infer` found nothing: the judge's letter, read with
/// `can_infer`; when the judge gave none, VLMEvalKit picks at random among the letters and `Z`
/// (Q17): parity picks with a generator seeded by the row id (reproducible), strict answers `Z`.
package func judgedChoice(id: String, choices: [(String, String)], reply: JudgeReply?, strict: Bool) -> String {
  guard let reply else { return "Z" }  // no judge: exact matching
  if !reply.failed, case .letter(let l) = Matching.canInfer(reply.text, choices: choices, strict: strict) { return l }
  if strict { return "Z" }
  let pool = choices.map(\.0) + ["Z"]
  let seed = UInt64(fnv1a64Hex("vscore-judge-fallback:" + id), radix: 16) ?? 0
  return pool[Int(seed % UInt64(pool.count))]
}

/// Adds `value` to a list under `key` in an ordered dictionary of lists.
package struct Buckets {
  package private(set) var keys: [String] = []
  private var values: [String: [Double]] = [:]

  package init(_ known: [String] = []) {
    for k in known { keys.append(k); values[k] = [] }
  }

  package mutating func add(_ key: String, _ v: Double) {
    if values[key] == nil { keys.append(key); values[key] = [] }
    values[key]!.append(v)
  }

  package subscript(_ key: String) -> [Double] { values[key] ?? [] }
  package var all: [Double] { keys.flatMap { values[$0] ?? [] } }
}
