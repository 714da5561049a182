import Foundation
import VCore

/// One item of a prompt: text, image or video, with an optional role (user when absent).
public struct MessageItem: Sendable, Equatable {
  public var type: String
  public var value: String
  public var role: String?

  public static func text(_ v: String, role: String? = nil) -> MessageItem { MessageItem(type: "text", value: v, role: role) }
  public static func image(_ v: String) -> MessageItem { MessageItem(type: "image", value: v, role: nil) }
  public static func video(_ v: String) -> MessageItem { MessageItem(type: "video", value: v, role: nil) }

  public var json: JSONValue {
    var o = JSONObject([("type", .string(type)), ("value", .string(value))])
    if let role { o["role"] = .string(role) }
    return .object(o)
  }
}

/// A row that cannot be prompted: which field and why.
public struct PromptError: Error, Sendable, CustomStringConvertible {
  public var code: String
  public var message: String
  public var description: String { message }
  static func missing(_ field: String) -> PromptError { PromptError(code: "missing_field", message: "the record has no '\(field)' field") }
}

/// What a template sees: the record, its frames and the run's switches.
struct TemplateInput {
  var record: JSONObject
  var videoLLM: Bool
  /// The dataset root (subtitles are looked up under it).
  var datasetRoot: String
  var subtitles: Bool
  var strict: Bool
  var warn: (String) -> Void

  func field(_ name: String) throws(PromptError) -> String {
    guard let v = record[name] else { throw .missing(name) }
    guard let s = v.scalarText else {
      throw PromptError(code: "bad_field", message: "field '\(name)' must be text, found \(v.typeName)")
    }
    return s
  }

  func optionalField(_ name: String) -> String? { record[name]?.scalarText }

  /// `eval(candidates)`: a Python list literal (TSV) or a JSON array (JSONL).
  func candidates(_ name: String = "candidates") throws(PromptError) -> [String] {
    guard let v = record[name] else { throw .missing(name) }
    if case .array(let items) = v { return items.map { $0.scalarText ?? JSONSerializer.serialize($0) } }
    guard let s = v.scalarText else { throw PromptError(code: "bad_field", message: "field '\(name)' must be a list") }
    do {
      return try PythonLiteral.stringList(s)
    } catch {
      throw PromptError(code: "bad_field", message: "field '\(name)' is not a Python list literal: \(error)")
    }
  }

  var frames: [String] { record["frames"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
  var frameIndices: [Int] { record["frame_indices"]?.arrayValue?.compactMap(\.intValue) ?? [] }
  var avgFPS: Double? { record["video_info"]?.objectValue?["avg_fps"]?.doubleValue }

  /// The frames as image items, or one video item (`--video-llm`).
  func visual() throws(PromptError) -> [MessageItem] {
    if videoLLM {
      guard let p = record["video_info"]?.objectValue?["path"]?.stringValue ?? optionalField("video_path") else {
        throw PromptError(code: "missing_field", message: "--video-llm needs the video path (video_info.path from vframes, or a video_path field)")
      }
      return [.video(p)]
    }
    guard record["frames"] != nil else {
      throw PromptError(code: "missing_field", message: "the record has no 'frames' (pipe vframes output into vprompt)")
    }
    return frames.map { .image($0) }
  }
}

/// The built-in templates, reproducing VLMEvalKit's `build_prompt` text byte for byte
/// (reference section 5).
enum Templates {
  static let names = ["mvbench", "videomme", "worldsense", "mmbench_video", "longvideobench", "mlvu", "tempcompass", "mcq", "vqa"]

  // MARK: - Constant texts (exact)

  static let mvbenchSystem =
    "Carefully watch the video and pay attention to the cause and sequence of events, the detail and movement of objects, and the action and pose of persons. Based on your observations, select the best option that accurately addresses the question.\n"
  static let mlvuMCQSystem =
    "Carefully watch this video and pay attention to every detail. Based on your observations, select the best option that accurately addresses the question."
  static let mlvuOpenSystem =
    "Carefully watch this video and pay attention to every detail. Based on your observations, answer the given questions."
  static let videoMMENoSub =
    "\nThese are the frames of a video. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"
  static let videoMMESubHead = "\nThese are the frames of a video. This video's subtitles are listed below:\n"
  static let videoMMESubTail =
    "\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"
  static let mmbSystem = "You are an AI assistant responsible for answering questions about videos."
  static func mmbPack(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer / answers to the following question / questions about the video content.\nIf multiple questions are provided (with indices I1, I2, I3, ...), you should organize your answers in the following json format:\n{\n    'I1': 'Answer to Question I1',\n    'I2': 'Answer to Question I2',\n    ...\n}\nOtherwise, please directly reply with your response to the only question.\nEven if the information in these separate frames is not enough to give an answer,\nPLEASE GIVE A RESPONSE TO EACH OF THE QUESTIONS IN THE FORMAT DESCRIBED ABOVE.\n"
  }
  /// `--strict` (reference Q8): the instructions name the keys the questions really carry.
  static func mmbPackStrict(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer / answers to the following question / questions about the video content.\nIf multiple questions are provided (each with a numeric key), you should organize your answers as a JSON object with the same keys:\n{\n    \"<key 1>\": \"Answer to question <key 1>\",\n    \"<key 2>\": \"Answer to question <key 2>\",\n    ...\n}\nOtherwise, please directly reply with your response to the only question.\nEven if the information in these separate frames is not enough to give an answer,\nPLEASE GIVE A RESPONSE TO EACH OF THE QUESTIONS IN THE FORMAT DESCRIBED ABOVE.\n"
  }
  static func mmbNoPack(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer to the question about the video content.\nPlease directly reply with your response to the only question.\n"
  }
  static let lvbTail = "Answer with the option's letter from the given choices directly."
  static let tcMCQTail = "\nPlease directly give the best option:"
  static let tcYorNTail = "\nPlease answer yes or no:"
  static let onlyBest = "\nOnly give the best option."
  static let bestOption = "Best option:("

  /// The constant texts of a family, for the template hash.
  static func constants(_ name: String) -> [String] {
    switch name {
    case "mvbench": return [mvbenchSystem, onlyBest, bestOption, "Question: ", "\nOptions:\n"]
    case "videomme": return [videoMMENoSub, videoMMESubHead, videoMMESubTail, "Question: ", "\nAnswer: "]
    case "worldsense": return [mlvuMCQSystem, videoMMENoSub, videoMMESubHead, videoMMESubTail, "Question: ", "\nAnswer: "]
    case "mmbench_video": return [mmbSystem, mmbPack(0), mmbNoPack(0), mmbPackStrict(0), "Questions: \n", "\nAnswers: \n", "Question: ", "\nAnswer: "]
    case "longvideobench": return [lvbTail]
    case "mlvu": return [mlvuMCQSystem, mlvuOpenSystem, onlyBest, "Question: ", "\nOptions:\n"]
    case "tempcompass": return [tcMCQTail, tcYorNTail]
    case "mcq": return ["Question: ", "\nOptions:\n", lvbTail]
    default: return [name]
    }
  }

  // MARK: - Building blocks

  /// MVBench / MLVU: `Question: {q}\nOptions:\n(A) {c0}\n...` then `rstrip()`.
  static func parenthesisedOptions(_ q: String, _ cands: [String]) -> String {
    var s = "Question: \(q)\nOptions:\n"
    for (i, c) in cands.enumerated() { s += "(\(letter(i))) \(c)\n" }
    return PyText.rstrip(s)
  }

  static func letter(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + i % 26))) }

  /// Video-MME / WorldSense question item.
  static func questionWithLines(_ q: String, _ cands: [String]) -> String {
    "Question: \(q)\n" + cands.joined(separator: "\n") + "\nAnswer: "
  }

  // MARK: - Families

  static func build(_ name: String, _ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    switch name {
    case "mvbench":
      return [.text(mvbenchSystem, role: "system")] + (try t.visual())
        + [.text(parenthesisedOptions(try t.field("question"), try t.candidates())), .text(onlyBest), .text(bestOption, role: "assistant")]
    case "mlvu":
      let sub = t.optionalField("SUB_DATASET") ?? (t.record["candidates"] != nil ? "MLVU_MCQ" : "MLVU_OpenEnded")
      if sub == "MLVU_MCQ" {
        return [.text(mlvuMCQSystem, role: "system")] + (try t.visual())
          + [.text(parenthesisedOptions(try t.field("question"), try t.candidates())), .text(onlyBest)]
      }
      return [.text(mlvuOpenSystem, role: "system")] + (try t.visual()) + [.text(try t.field("question"))]
    case "videomme":
      return [.text("")] + (try t.visual()) + [.text(try videoMMESubtitleText(t)), .text(questionWithLines(try t.field("question"), try t.candidates()))]
    case "worldsense":
      return [.text(mlvuMCQSystem)] + (try t.visual()) + [.text(try videoMMESubtitleText(t)), .text(questionWithLines(try t.field("question"), try t.candidates()))]
    case "mmbench_video":
      let q = try t.field("question")
      if t.videoLLM { return [.text(q)] + (try t.visual()) }
      let frames = try t.visual()
      return [.text(mmbNoPack(frames.count))] + frames + [.text("Question: \(q)\nAnswer: ")]
    case "longvideobench":
      let cands = try t.candidates()
      var text = try t.field("question") + "\n"
      text += cands.enumerated().map { "\(letter($0.offset)). \($0.element)" }.joined(separator: "\n")
      text += "\n" + lvbTail
      let middle: [MessageItem]
      if t.subtitles && !t.videoLLM {
        middle = try LongVideoBenchSubtitles.interleave(t)
      } else {
        middle = try t.visual()
      }
      return [.text("")] + middle + [.text(text)]
    case "tempcompass":
      guard let sub = t.optionalField("SUB_DATASET") else {
        throw PromptError(code: "missing_field", message: "the record has no 'SUB_DATASET' (TempCompass_MCQ, TempCompass_Captioning or TempCompass_YorN)")
      }
      let q = try t.field("question")
      switch sub {
      case "TempCompass_MCQ":
        return (try t.visual()) + [.text(([q] + (try t.candidates())).joined(separator: "\n")), .text(tcMCQTail)]
      case "TempCompass_Captioning":
        return (try t.visual()) + [.text(q)]
      case "TempCompass_YorN":
        return (try t.visual()) + [.text(String(q.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")), .text(tcYorNTail)]
      default:
        throw PromptError(code: "bad_field", message: "unknown SUB_DATASET '\(sub)' for TempCompass")
      }
    case "mcq":
      let cands = try genericOptions(t)
      var text = "Question: \(try t.field("question"))\nOptions:\n"
      text += cands.enumerated().map { "\(letter($0.offset)). \($0.element)" }.joined(separator: "\n")
      return (try t.visual()) + [.text(text + "\n" + lvbTail)]
    case "vqa":
      return (try t.visual()) + [.text(try t.field("question"))]
    default:
      throw PromptError(code: "bad_template", message: "unknown template '\(name)'")
    }
  }

  /// Options from `candidates`, else from the columns `A`, `B`, ... that are present and non-empty.
  static func genericOptions(_ t: TemplateInput) throws(PromptError) -> [String] {
    if t.record["candidates"] != nil { return try t.candidates() }
    var out: [String] = []
    for i in 0..<26 {
      guard let v = t.optionalField(letter(i)), !v.isEmpty else { break }
      out.append(v)
    }
    if out.isEmpty { throw PromptError(code: "missing_field", message: "no options: the record has neither 'candidates' nor columns A, B, ...") }
    return out
  }

  /// Video-MME's NOSUB or SUB text; subtitles from `{root}/{subtitle_path}` matched to the
  /// sampled frames. A missing file keeps the SUB template with empty subtitles, as VLMEvalKit.
  static func videoMMESubtitleText(_ t: TemplateInput) throws(PromptError) -> String {
    guard t.subtitles else { return videoMMENoSub }
    var text = ""
    if let rel = t.optionalField("subtitle_path"), !rel.isEmpty {
      let path = rel.hasPrefix("/") ? rel : t.datasetRoot + "/" + (rel.hasPrefix("./") ? String(rel.dropFirst(2)) : rel)
      if let data = FileManager.default.contents(atPath: path) {
        let events = SRT.parse(String(decoding: data, as: UTF8.self))
        guard let fps = t.avgFPS else { throw PromptError(code: "missing_field", message: "subtitles need video_info.avg_fps (from vframes)") }
        text = SRT.videoMMEText(events: events, frameIndices: t.frameIndices, fps: fps)
      } else {
        t.warn("subtitle file \(path) not found: using the subtitle template with no subtitles (as VLMEvalKit)")
      }
    } else {
      t.warn("record has no subtitle_path: using the subtitle template with no subtitles")
    }
    return videoMMESubHead + text + videoMMESubTail
  }
}
