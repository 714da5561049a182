import Foundation
import VCore

/// A record for the judge (one per row, or per part of a row, that needs one): `vinfer` answers
/// it like any prompt. A chained judge asks in rounds: round k's records are built from the
/// replies to rounds 1..k-1, and a record's id carries its round (`JudgeRound.recordID`).
public struct JudgePrompt: Sendable {
  /// The rule's id for the record within its round (the row id, or `{row}:{part}`).
  public var id: String
  /// Which judgement: `mcq`, `mmbench_video`, `mlvu_sub_scene`, `mlvu_summary`,
  /// `tempcompass_mcq`, `tempcompass_yes_no`, `tempcompass_captioning`, `qbench_video`, `moviechat1k`, `easi_mcq`, `easi_na`, ...
  public var kind: String
  /// The system prompt, sent verbatim (VLMEvalKit's judge `system_prompt`).
  public var system: String?
  /// The user text.
  public var prompt: String
  /// Payload fields VLMEvalKit's judge sets for this dataset (TempCompass: temperature 1 ...).
  public var request: JSONObject?
  /// The round (1 for a one-round judge).
  public var round: Int
  /// Image files shown before the text (image items, as vprompt's records carry them).
  public var images: [String]
  /// The text comes before the images (VLMEvalKit's `generate([text] + frame_paths)`, CG-Bench's
  /// second judge round).
  public var textFirst = false

  package init(
    id: String, kind: String, system: String? = nil, prompt: String, request: JSONObject? = nil, round: Int = 1, images: [String] = []
  ) {
    self.id = id
    self.kind = kind
    self.system = system
    self.prompt = prompt
    self.request = request
    self.round = round
    self.images = images
  }

  /// The record's `id`: the rule's id in round 1, `r{k}:{id}` in round k.
  public var recordID: String { JudgeRound.recordID(round: round, id) }

  public var record: JSONObject {
    var o = JSONObject([("id", .string(recordID)), ("judge", .string(kind))])
    if round > 1 { o["judge_round"] = .int(round) }
    if let system { o["system"] = .string(system) }
    var items: [JSONValue] = images.map { .object(JSONObject([("type", .string("image")), ("value", .string($0))])) }
    let text = JSONValue.object(JSONObject([("type", .string("text")), ("value", .string(prompt))]))
    if textFirst { items.insert(text, at: 0) } else { items.append(text) }
    o["messages"] = .array(items)
    if let request { o["request"] = .object(request) }
    return o
  }
}

/// How the records of a chained judge's rounds are named: round 1 keeps the rule's id (so a
/// one-round judge's records are what they always were), round k >= 2 is `r{k}:{id}`, so the
/// rounds' records never collide and one log can hold them all.
public enum JudgeRound {
  /// The most rounds vscore builds (a guard against a rule that never stops).
  public static let limit = 32

  public static func recordID(round: Int, _ id: String) -> String { round <= 1 ? id : "r\(round):\(id)" }
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

/// Judge replies by record id (`JudgeRound.recordID`).
public typealias JudgeReplies = [String: JudgeReply]

extension Dictionary where Key == String, Value == JudgeReply {
  /// The reply to the rule's record `id` of `round`.
  package func reply(round: Int, _ id: String) -> JudgeReply? { self[JudgeRound.recordID(round: round, id)] }
}

/// VLMEvalKit's multiple-choice judge prompt (`build_prompt`, reference 4.4; `build_prompt_cn`
/// when the question holds a CJK ideograph, U+4E00-U+9FFF).
package func mcqJudgePrompt(question: String, choices: [(String, String)], prediction: String) -> String {
  var options = "There are several options: \n"
  for (l, t) in choices { options += "\(l). \(t)\n" }
  if question.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) {
    return
      "你是一个帮助我匹配答案与单选题中多个选项的 AI 助手。你会被提供：一个问题，多个选项，一个模型预测。你的任务是找到与答案意义最相近的选项。如果所有选项的意义都与模型预测显著不同，则输出 Z。你应该输出一个单个的大写字母，例如 A, B, C, D（如果它们是有效选项），或 Z。例 1:[问题]: 图中最主要的物体是什么?\n[选项]: A. 泰迪熊 B. 兔子 C. 猫 D. 狗\n[模型预测]: 一只可爱的泰迪熊\n[输出]: A\n例 2: \n[问题]: 图中最主要的物体是什么?\n[选项]: A. 泰迪熊 B. 兔子 C. 猫 D. 狗\n[模型预测]: 蜘蛛\n[输出]: Z\n你的任务: \n[问题]: \(question)?\n[选项]: \(options)\n[模型预测]: \(prediction)\n[输出]: "
  }
  return
    "You are an AI assistant who will help me to match an answer with several options of a single-choice question. You are provided with a question, several options, and an answer, and you need to find which option is most similar to the answer. If the meaning of all options are significantly different from the answer, output Z. Your should output a single uppercase character in A, B, C, D (if they are valid options), and Z. \nExample 1: \nQuestion: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\nAnswer: a cute teddy bear\nYour output: A\nExample 2: \nQuestion: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\nAnswer: Spider\nYour output: Z\nExample 3: \nQuestion: \(question)?\nOptions: \(options)\nAnswer: \(prediction)\nYour output: "
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
