import Foundation
import VCore

/// One item of a prompt: text, image or video, with an optional role (user when absent).
public struct MessageItem: Sendable, Equatable {
  public var type: String
  public var value: String
  public var role: String?
  /// The size and sampling a video item asks of a model that reads the video itself; nil for
  /// every item but Video-MME-v2's video-LLM video.
  public var videoHints: VideoHints?

  public init(type: String, value: String, role: String? = nil, videoHints: VideoHints? = nil) {
    self.type = type
    self.value = value
    self.role = role
    self.videoHints = videoHints
  }

  public static func text(_ v: String, role: String? = nil) -> MessageItem { MessageItem(type: "text", value: v, role: role) }
  public static func image(_ v: String) -> MessageItem { MessageItem(type: "image", value: v, role: nil) }
  /// A WAV file (VLMEvalKit's `dict(type='audio', value=path)`).
  public static func audio(_ v: String) -> MessageItem { MessageItem(type: "audio", value: v, role: nil) }
  public static func video(_ v: String, hints: VideoHints? = nil) -> MessageItem {
    MessageItem(type: "video", value: v, role: nil, videoHints: hints)
  }

  /// `{"type", "value", "role"?}`, then the video hints' keys in VLMEvalKit's order.
  public var json: JSONValue {
    var o = JSONObject([("type", .string(type)), ("value", .string(value))])
    if let role { o["role"] = .string(role) }
    if let h = videoHints {
      if let v = h.resizedHeight { o["resized_height"] = .int(v) }
      if let v = h.resizedWidth { o["resized_width"] = .int(v) }
      if let v = h.nframes { o["nframes"] = .int(v) }
      if let v = h.fps { o["fps"] = .double(v) }
    }
    return .object(o)
  }
}

/// The extra keys VLMEvalKit puts on a video item for models that decode the video themselves
/// (`VideoMMEv2.build_prompt` with `video_llm`; Qwen-VL's `process_vision_info` reads them):
/// the frame size to resize to, and the frame count or rate to sample. Each is written only
/// when set.
public struct VideoHints: Sendable, Equatable {
  /// `resized_height`, `resized_width`: pixels.
  public var resizedHeight: Int?
  public var resizedWidth: Int?
  /// `nframes`: frames to sample (nframe configs).
  public var nframes: Int?
  /// `fps`: frames per second to sample (fps configs).
  public var fps: Double?

  public init(resizedHeight: Int? = nil, resizedWidth: Int? = nil, nframes: Int? = nil, fps: Double? = nil) {
    self.resizedHeight = resizedHeight
    self.resizedWidth = resizedWidth
    self.nframes = nframes
    self.fps = fps
  }
}

/// A row that cannot be prompted: which field and why.
public struct PromptError: Error, Sendable, CustomStringConvertible {
  public var code: ErrorCode
  public var message: String
  public var description: String { message }

  public init(code: ErrorCode, message: String) {
    self.code = code
    self.message = message
  }

  public static func missing(_ field: String) -> PromptError { PromptError(code: .missingField, message: "the record has no '\(field)' field") }
}

/// What a template sees: the record, its frames and the run's switches.
public struct TemplateInput {
  public var record: JSONObject
  public var videoLLM: Bool
  /// The dataset root (subtitles are looked up under it).
  public var datasetRoot: String
  public var subtitles: Bool
  public var strict: Bool
  public var warn: (String) -> Void

  public init(record: JSONObject, videoLLM: Bool, datasetRoot: String, subtitles: Bool, strict: Bool, warn: @escaping (String) -> Void) {
    self.record = record
    self.videoLLM = videoLLM
    self.datasetRoot = datasetRoot
    self.subtitles = subtitles
    self.strict = strict
    self.warn = warn
  }

  public func field(_ name: String) throws(PromptError) -> String {
    guard let v = record[name] else { throw .missing(name) }
    guard let s = v.scalarText else {
      throw PromptError(code: .badField, message: "field '\(name)' must be text, found \(v.typeName)")
    }
    return s
  }

  public func optionalField(_ name: String) -> String? { record[name]?.scalarText }

  /// `eval(candidates)`: a Python list literal (TSV) or a JSON array (JSONL).
  public func candidates(_ name: String = "candidates") throws(PromptError) -> [String] {
    guard let v = record[name] else { throw .missing(name) }
    if case .array(let items) = v { return items.map { $0.scalarText ?? JSONSerializer.serialize($0) } }
    guard let s = v.scalarText else { throw PromptError(code: .badField, message: "field '\(name)' must be a list") }
    do {
      return try PythonLiteral.stringList(s)
    } catch {
      throw PromptError(code: .badField, message: "field '\(name)' is not a Python list literal: \(error)")
    }
  }

  public var frames: [String] { record["frames"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
  public var frameIndices: [Int] { record["frame_indices"]?.arrayValue?.compactMap(\.intValue) ?? [] }
  public var avgFPS: Double? { record["video_info"]?.objectValue?["avg_fps"]?.doubleValue }

  /// The record's audio item: vframes' `audio` (a preset with audio).
  public func audio() throws(PromptError) -> MessageItem {
    guard let p = record["audio"]?.stringValue, !p.isEmpty else {
      throw PromptError(code: .missingField, message: "the record has no 'audio' (pipe the output of vframes with an audio preset into vprompt)")
    }
    return .audio(p)
  }

  /// The frames as image items, or one video item (`--video-llm`).
  public func visual() throws(PromptError) -> [MessageItem] {
    if videoLLM {
      guard let p = record["video_info"]?.objectValue?["path"]?.stringValue ?? optionalField("video_path") else {
        throw PromptError(code: .missingField, message: "--video-llm needs the video path (video_info.path from vframes, or a video_path field)")
      }
      return [.video(p)]
    }
    guard record["frames"] != nil else {
      throw PromptError(code: .missingField, message: "the record has no 'frames' (pipe vframes output into vprompt)")
    }
    return frames.map { .image($0) }
  }

  /// Each video of the record, in order, as `visual()` gives one: a row of several videos
  /// (vframes' `frame_groups`) splits its frames by the groups' counts, and with `--video-llm`
  /// gives each group's `video_info.path`; a record without groups is one video.
  public func visualGroups() throws(PromptError) -> [[MessageItem]] {
    guard let g = record["frame_groups"] else { return [try visual()] }
    guard let groups = g.arrayValue?.compactMap(\.objectValue), groups.count == g.arrayValue?.count else {
      throw PromptError(code: .badField, message: "field 'frame_groups' must be a list of objects")
    }
    if videoLLM {
      return try groups.enumerated().map { (k, o) throws(PromptError) in
        guard let p = o["video_info"]?.objectValue?["path"]?.stringValue else {
          throw PromptError(code: .missingField, message: "--video-llm needs each video's path (frame_groups[\(k)].video_info.path from vframes)")
        }
        return [.video(p)]
      }
    }
    guard record["frames"] != nil else {
      throw PromptError(code: .missingField, message: "the record has no 'frames' (pipe vframes output into vprompt)")
    }
    let all = frames
    let counts = groups.map { $0["frames"]?.intValue ?? -1 }
    guard counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) == all.count else {
      throw PromptError(code: .badField, message: "frame_groups' frame counts do not add up to the record's \(all.count) frames")
    }
    var start = 0
    return counts.map { n in
      defer { start += n }
      return all[start..<(start + n)].map { .image($0) }
    }
  }
}

/// A benchmark's prompt: VLMEvalKit's `build_prompt` for one record, byte for byte. Each
/// benchmark family declares its own (VBenchmarks); `mcq` and `vqa` are generic ones here.
public protocol PromptTemplate: Sendable {
  /// The name in `template` records and `--template` (`mvbench`, `videomme`, ...).
  var name: String { get }
  /// The constant texts of the template, hashed into the record's `template.hash`.
  var constants: [String] { get }
  func build(_ input: TemplateInput) throws(PromptError) -> [MessageItem]
}

/// A template that also has a pack form (MMBench-Video): all questions of one video in one
/// request, keyed by dataset index.
public protocol PackPromptTemplate: PromptTemplate {
  /// The pack prompt for `frames` and the (index, question) pairs, in input order.
  func buildPack(frames: [MessageItem], questions: [(String, String)], strict: Bool) -> [MessageItem]
}

extension PromptTemplate {
  /// The record's `template.hash`: FNV-1a of the constant texts.
  public var hash: String { fnv1a64Hex(constants.joined(separator: "\u{0}")) }
}
