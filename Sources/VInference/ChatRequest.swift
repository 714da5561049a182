import Foundation
import VCore
// VMedia (FFmpeg) only for `--img-size`: a frame is shrunk and re-encoded with the JPEG encoder
// vframes uses (libjpeg's tables at quality 75, 4:2:0), so a thumbnail sent to a model is the
// image VLMEvalKit would send; a second JPEG path in this module would drift from it.
import VMedia

/// An error that ends one attempt, or one record's inference (it becomes the record's `error`).
public struct InferenceError: Error, Sendable, CustomStringConvertible {
  public var code: ErrorCode
  public var message: String
  public var status: Int?
  public var body: String?
  public var retryable: Bool
  public var retryAfter: Double?
  /// The thinking of a reply that failed (kept in the record's `inference.reasoning`).
  public var reasoning: String?

  public init(
    code: ErrorCode, message: String, status: Int? = nil, body: String? = nil, retryable: Bool, retryAfter: Double? = nil,
    reasoning: String? = nil
  ) {
    self.code = code
    self.message = message
    self.status = status
    self.body = body
    self.retryable = retryable
    self.retryAfter = retryAfter
    self.reasoning = reasoning
  }

  public var description: String { message }

  /// The record's error object after `attempts` attempts:
  /// `{"stage": "vinfer", "code", "message", "attempts", "status"?, "body"?}`.
  public func recordError(attempts: Int) -> RecordError {
    var extra = JSONObject([("attempts", .int(attempts))])
    if let status { extra["status"] = .int(status) }
    if let body { extra["body"] = .string(body) }
    return RecordError(stage: .vinfer, code: code, message: message, extra: extra)
  }
}

/// How requests are built (VLMEvalKit's GPT wrapper, reference section 7).
public struct RequestSettings: Sendable {
  public var model: String
  public var temperature: Double = 0
  public var maxTokens: Int = 2048
  /// `detail` on image parts; nil omits it.
  public var imageDetail: String?
  /// Thumbnail images to at most this size (long side); 0 sends the frame files as they are.
  public var imageSize: Int = 0
  /// Send `file://` URLs instead of data URLs.
  public var localMedia = false
  /// Add `"n": 1` (VLMEvalKit does so only for api.openai.com).
  public var includeN = false
  /// `reasoning_effort` of each request (`--reasoning-effort`: low, medium, high, ...); nil omits it.
  public var reasoningEffort: String?
  /// Merged into the payload last.
  public var extraBody = JSONObject()
  /// Images per request at most (`--max-images`; OpenAI takes 250, vLLM its
  /// `--limit-mm-per-prompt`); 0: no limit.
  public var maxImages = 0
  /// Media must resolve under one of these directories.
  public var mediaRoots: [String] = []

  public init(model: String) { self.model = model }

  /// The media roots for `dirs` (`--media-root`), made absolute with symbolic links resolved;
  /// none given means the frame cache root and the current directory.
  public static func resolvedMediaRoots(_ dirs: [String]) -> [String] {
    (dirs.isEmpty ? [FileIO.defaultFrameRoot(), FileIO.currentDirectory] : dirs).map {
      URL(fileURLWithPath: FileIO.absolutePath($0)).resolvingSymlinksInPath().path
    }
  }

  /// A short text of everything besides the messages that changes the answer, for the request hash.
  var fingerprint: String {
    "\(model)|\(temperature)|\(maxTokens)|\(imageDetail ?? "-")|\(imageSize)|\(localMedia)|\(JSONSerializer.serialize(.object(extraBody)))"
      + (reasoningEffort.map { "|effort=\($0)" } ?? "")
  }

  /// o1/o3/o4/gpt-5 take `max_completion_tokens` and no temperature.
  var isReasoningModel: Bool {
    let m = model.lowercased()
    return ["o1", "o3", "o4", "gpt-5"].contains { m.hasPrefix($0) }
  }
}

/// One record's request, ready to send (and to resend on retry).
public struct ChatRequest: Sendable {
  public var id: String
  /// The JSON body.
  public var body: [UInt8]
  /// The body with image data elided, for `--dry-run`.
  public var preview: String
  /// Identifies the prompt and settings that produced the answer (for resume).
  public var hash: String
  /// The record's prompt items, for the command backend.
  public var items: [JSONValue]
  /// The images the request carries.
  public var imageCount = 0
}

/// Builds the OpenAI chat-completions payload from a record's `messages`.
public enum RequestBuilder {
  /// The hash of a record's prompt and the settings.
  public static func hash(messages: JSONValue?, settings: RequestSettings) -> String {
    fnv1a64Hex(JSONSerializer.serialize(messages ?? .null) + "\u{0}" + settings.fingerprint)
  }

  /// The hash of a record's prompt (`messages`, and `system` and `request` where present) and
  /// the settings.
  public static func hash(record: JSONObject, settings: RequestSettings) -> String {
    var text = JSONSerializer.serialize(record["messages"] ?? .null)
    if let s = record["system"] { text += "\u{1}" + JSONSerializer.serialize(s) }
    if let r = record["request"] { text += "\u{2}" + JSONSerializer.serialize(r) }
    return fnv1a64Hex(text + "\u{0}" + settings.fingerprint)
  }

  public static func build(id: String, record: JSONObject, settings: RequestSettings) throws(InferenceError) -> ChatRequest {
    guard let rawMessages = record["messages"] else {
      throw InferenceError(code: .missingField, message: "the record has no 'messages' (pipe vprompt output into vinfer)", retryable: false)
    }
    guard let items = rawMessages.arrayValue else {
      throw InferenceError(code: .badField, message: "'messages' must be a list of items, found \(rawMessages.typeName)", retryable: false)
    }
    // A record's own `system` is the wrapper's system_prompt, sent as it is (judges use it).
    var system: String?
    switch record["system"] {
    case nil, .null?: break
    case .string(let s)?: system = s
    default: throw InferenceError(code: .badField, message: "'system' must be a string", retryable: false)
    }
    var overrides = JSONObject()
    switch record["request"] {
    case nil, .null?: break
    case .object(let o)?: overrides = o
    default: throw InferenceError(code: .badField, message: "'request' must be an object of payload fields", retryable: false)
    }
    var parts: [(type: String, value: String)] = []
    for (n, item) in items.enumerated() {
      guard let o = item.objectValue, let type = o["type"]?.stringValue, let value = o["value"]?.stringValue else {
        throw InferenceError(code: .badField, message: "messages[\(n)] must be an object with string 'type' and 'value'", retryable: false)
      }
      let role = o["role"]?.stringValue ?? "user"
      if role == "system" {
        // BaseAPI.preprocess_message_with_role: each system value plus a newline.
        system = (system ?? "") + value + "\n"
        continue
      }
      guard ["text", "image", "video"].contains(type) else {
        throw InferenceError(code: .badField, message: "messages[\(n)]: unsupported item type '\(type)'", retryable: false)
      }
      parts.append((type, value))
    }
    let imageCount = parts.reduce(0) { $0 + ($1.type == "image" ? 1 : 0) }
    if settings.maxImages > 0 && imageCount > settings.maxImages {
      throw InferenceError(
        code: .tooManyImages, message: "the prompt has \(imageCount) images, more than --max-images \(settings.maxImages)", retryable: false)
    }
    var messages: [JSONValue] = []
    var preview: [JSONValue] = []
    if let system {
      let m = JSONValue.object(JSONObject([("role", .string("system")), ("content", .string(system))]))
      messages.append(m)
      preview.append(m)
    }
    let hasMedia = parts.contains { $0.type != "text" }
    var content: [JSONValue] = []
    var contentPreview: [JSONValue] = []
    if hasMedia {
      for p in parts {
        switch p.type {
        case "text":
          if p.value.isEmpty { continue }  // GPT wrapper drops empty texts next to images
          let t = JSONValue.object(JSONObject([("type", .string("text")), ("text", .string(p.value))]))
          content.append(t)
          contentPreview.append(t)
        case "image":
          let (url, shown) = try imageURL(p.value, settings: settings)
          var img = JSONObject([("url", .string(url))])
          var imgPreview = JSONObject([("url", .string(shown))])
          if let d = settings.imageDetail {
            img["detail"] = .string(d)
            imgPreview["detail"] = .string(d)
          }
          content.append(.object(JSONObject([("type", .string("image_url")), ("image_url", .object(img))])))
          contentPreview.append(.object(JSONObject([("type", .string("image_url")), ("image_url", .object(imgPreview))])))
        default:
          let (url, shown) = try videoURL(p.value, settings: settings)
          content.append(.object(JSONObject([("type", .string("video_url")), ("video_url", .object(JSONObject([("url", .string(url))])))])))
          contentPreview.append(.object(JSONObject([("type", .string("video_url")), ("video_url", .object(JSONObject([("url", .string(shown))])))])))
        }
      }
    } else {
      let t = JSONValue.object(JSONObject([("type", .string("text")), ("text", .string(parts.map(\.value).joined(separator: "\n")))]))
      content = [t]
      contentPreview = [t]
    }
    messages.append(.object(JSONObject([("role", .string("user")), ("content", .array(content))])))
    preview.append(.object(JSONObject([("role", .string("user")), ("content", .array(contentPreview))])))

    func payload(_ msgs: [JSONValue]) -> JSONObject {
      var o = JSONObject([("model", .string(settings.model)), ("messages", .array(msgs))])
      if settings.includeN { o["n"] = .int(1) }
      if settings.isReasoningModel {
        o["max_completion_tokens"] = .int(settings.maxTokens)
      } else {
        o["temperature"] = .double(settings.temperature)
        o["max_tokens"] = .int(settings.maxTokens)
      }
      if let e = settings.reasoningEffort { o["reasoning_effort"] = .string(e) }
      for (k, v) in settings.extraBody.pairs { o[k] = v }
      for (k, v) in overrides.pairs where k != "messages" && k != "model" { o[k] = v }
      return o
    }
    var body: [UInt8] = []
    JSONSerializer.write(.object(payload(messages)), into: &body)
    return ChatRequest(
      id: id, body: body, preview: JSONSerializer.serialize(.object(payload(preview))),
      hash: hash(record: record, settings: settings), items: items, imageCount: imageCount)
  }

  /// Checks that `path` resolves inside an allowed root.
  static func checkRoot(_ path: String, _ settings: RequestSettings) throws(InferenceError) -> String {
    let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    if settings.mediaRoots.isEmpty { return real }
    for root in settings.mediaRoots where real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") { return real }
    throw InferenceError(
      code: .mediaOutsideRoots,
      message: "\(path) is outside the allowed media roots (\(settings.mediaRoots.joined(separator: ", "))); add one with --media-root",
      retryable: false)
  }

  static func imageURL(_ path: String, settings: RequestSettings) throws(InferenceError) -> (String, String) {
    let real = try checkRoot(path, settings)
    if settings.localMedia { return ("file://" + real, "file://" + real) }
    var bytes: [UInt8]
    if settings.imageSize > 0 {
      do {
        bytes = try StillImage.transcode(path: real, jpeg: JPEGSettings(quality: 75, maxSide: settings.imageSize), deadline: nil)
      } catch {
        throw InferenceError(code: .badImage, message: "\(path): \(error.message)", retryable: false)
      }
    } else {
      guard let data = FileManager.default.contents(atPath: real) else {
        throw InferenceError(code: .imageMissing, message: "\(path): cannot read the image", retryable: false)
      }
      bytes = [UInt8](data)
    }
    let isJPEG = bytes.count > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    let isPNG = bytes.count > 8 && bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    guard isJPEG || isPNG else {
      throw InferenceError(code: .badImage, message: "\(path): not a JPEG or PNG image (magic bytes)", retryable: false)
    }
    // VLMEvalKit's data URL always says jpeg; PNG frames are sent as what they are.
    let mime = isPNG ? "image/png" : "image/jpeg"
    return ("data:\(mime);base64," + Data(bytes).base64EncodedString(), "data:\(mime);base64,<\(bytes.count) bytes from \(path)>")
  }

  static func videoURL(_ path: String, settings: RequestSettings) throws(InferenceError) -> (String, String) {
    let real = try checkRoot(path, settings)
    if settings.localMedia { return ("file://" + real, "file://" + real) }
    guard let data = FileManager.default.contents(atPath: real) else {
      throw InferenceError(code: .videoMissing, message: "\(path): cannot read the video", retryable: false)
    }
    return ("data:video/mp4;base64," + data.base64EncodedString(), "data:video/mp4;base64,<\(data.count) bytes from \(path)>")
  }
}
