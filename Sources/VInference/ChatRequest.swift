import Foundation
import NIOCore
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
  /// The JSON body, written once into the buffer every attempt sends.
  public var payload: ByteBuffer
  /// The body with image data elided, for `--dry-run` (empty when the build was not asked for it).
  public var preview: String
  /// Identifies the prompt and settings that produced the answer (for resume).
  public var hash: String
  /// The record's prompt items, for the command backend.
  public var items: [JSONValue]
  /// The images the request carries.
  public var imageCount = 0
  /// The audio parts the request carries.
  public var audioCount = 0

  public init(id: String, payload: ByteBuffer, preview: String, hash: String, items: [JSONValue], imageCount: Int = 0) {
    self.id = id
    self.payload = payload
    self.preview = preview
    self.hash = hash
    self.items = items
    self.imageCount = imageCount
  }

  public init(id: String, body: [UInt8], preview: String, hash: String, items: [JSONValue], imageCount: Int = 0) {
    self.init(id: id, payload: ByteBuffer(bytes: body), preview: preview, hash: hash, items: items, imageCount: imageCount)
  }

  /// The JSON body's bytes (a copy).
  public var body: [UInt8] { Array(payload.readableBytesView) }
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

  /// A media part's URL: a data URL (its bytes need no JSON escaping) or a `file://` URL.
  enum MediaURL {
    case data(EncodedMedia)
    case file(String)
  }

  /// One part of the user message.
  enum Part {
    case text(String)
    case image(MediaURL, path: String)
    case video(MediaURL, path: String)
    /// `input_audio`: the data is bare base64 (no data-URL prefix), format `wav`.
    case audio(MediaURL, path: String)
  }

  /// The request for a record. The body is written straight into one buffer (media data URLs
  /// from `media`, where given, so that each frame file is read and encoded once while cached);
  /// `preview: false` skips the `--dry-run` preview.
  public static func build(
    id: String, record: JSONObject, settings: RequestSettings, media: MediaCache? = nil, preview wantPreview: Bool = true
  ) throws(InferenceError) -> ChatRequest {
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
    var texts: [(type: String, value: String)] = []
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
      guard ["text", "image", "video", "audio"].contains(type) else {
        throw InferenceError(code: .badField, message: "messages[\(n)]: unsupported item type '\(type)'", retryable: false)
      }
      texts.append((type, value))
    }
    let imageCount = texts.reduce(0) { $0 + ($1.type == "image" ? 1 : 0) }
    if settings.maxImages > 0 && imageCount > settings.maxImages {
      throw InferenceError(
        code: .tooManyImages, message: "the prompt has \(imageCount) images, more than --max-images \(settings.maxImages)", retryable: false)
    }
    var parts: [Part] = []
    if texts.contains(where: { $0.type != "text" }) {
      parts.reserveCapacity(texts.count)
      for p in texts {
        switch p.type {
        case "text" where p.value.isEmpty: continue  // GPT wrapper drops empty texts next to images
        case "text": parts.append(.text(p.value))
        case "image": parts.append(.image(try imageURL(p.value, settings: settings, media: media), path: p.value))
        case "audio": parts.append(.audio(try audioURL(p.value, settings: settings, media: media), path: p.value))
        default: parts.append(.video(try videoURL(p.value, settings: settings, media: media), path: p.value))
        }
      }
    } else {
      parts = [.text(texts.map(\.value).joined(separator: "\n"))]
    }

    func payload(_ messages: JSONValue) -> JSONObject {
      var o = JSONObject([("model", .string(settings.model)), ("messages", messages)])
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
    // The payload's fields in order; `messages` (unless --extra-body replaces it) is written
    // from the parts, the media URLs copied once, straight from the cache into the buffer.
    let fields = payload(.null)
    let ownMessages = settings.extraBody["messages"] == nil
    var w = BodyWriter(capacity: estimatedSize(parts, system: system))
    w.raw("{")
    for (i, pair) in fields.pairs.enumerated() {
      if i > 0 { w.raw(",") }
      w.value(.string(pair.key))
      w.raw(":")
      if pair.key == "messages" && ownMessages {
        writeMessages(parts, system: system, detail: settings.imageDetail, into: &w)
      } else {
        w.value(pair.value)
      }
    }
    w.raw("}")
    let preview = wantPreview ? JSONSerializer.serialize(.object(payload(previewMessages(parts, system: system, detail: settings.imageDetail)))) : ""
    var request = ChatRequest(
      id: id, payload: w.buffer, preview: preview, hash: hash(record: record, settings: settings), items: items, imageCount: imageCount)
    request.audioCount = texts.reduce(0) { $0 + ($1.type == "audio" ? 1 : 0) }
    return request
  }

  /// The body's size, near enough that the buffer is allocated once.
  static func estimatedSize(_ parts: [Part], system: String?) -> Int {
    var n = 512 + (system?.utf8.count ?? 0)
    for p in parts {
      switch p {
      case .text(let s): n += s.utf8.count + 48
      case .image(.data(let m), _), .video(.data(let m), _), .audio(.data(let m), _): n += m.url.count + 80
      case .image(.file(let s), let path), .video(.file(let s), let path), .audio(.file(let s), let path): n += s.utf8.count + path.utf8.count + 80
      }
    }
    return n
  }

  /// `[{"role": "system", ...}?, {"role": "user", "content": [...]}]`, as the JSON tree of
  /// VLMEvalKit's GPT wrapper payload serialises.
  static func writeMessages(_ parts: [Part], system: String?, detail: String?, into w: inout BodyWriter) {
    w.raw("[")
    if let system {
      w.raw(#"{"role":"system","content":"#)
      w.value(.string(system))
      w.raw("},")
    }
    w.raw(#"{"role":"user","content":["#)
    for (i, p) in parts.enumerated() {
      if i > 0 { w.raw(",") }
      switch p {
      case .text(let s):
        w.raw(#"{"type":"text","text":"#)
        w.value(.string(s))
        w.raw("}")
      case .image(let url, _):
        w.raw(#"{"type":"image_url","image_url":{"url":"#)
        w.url(url)
        if let detail {
          w.raw(#","detail":"#)
          w.value(.string(detail))
        }
        w.raw("}}")
      case .video(let url, _):
        w.raw(#"{"type":"video_url","video_url":{"url":"#)
        w.url(url)
        w.raw("}}")
      case .audio(.data(let m), _):
        w.raw(#"{"type":"input_audio","input_audio":{"data":"#)
        w.url(.data(m))
        w.raw(#","format":"wav"}}"#)
      case .audio(.file(let s), _):
        // --local-media: vLLM's `audio_url` takes file:// URLs (input_audio has no URL form).
        w.raw(#"{"type":"audio_url","audio_url":{"url":"#)
        w.value(.string(s))
        w.raw("}}")
      }
    }
    w.raw("]}]")
  }

  /// The messages of the `--dry-run` preview: media data elided to their size and path.
  static func previewMessages(_ parts: [Part], system: String?, detail: String?) -> JSONValue {
    var messages: [JSONValue] = []
    if let system { messages.append(.object(JSONObject([("role", .string("system")), ("content", .string(system))]))) }
    func shown(_ url: MediaURL, _ path: String) -> String {
      switch url {
      case .data(let m): "data:\(m.mime);base64,<\(m.sourceBytes) bytes from \(path)>"
      case .file(let s): s
      }
    }
    let content: [JSONValue] = parts.map { p in
      switch p {
      case .text(let s):
        return .object(JSONObject([("type", .string("text")), ("text", .string(s))]))
      case .image(let url, let path):
        var img = JSONObject([("url", .string(shown(url, path)))])
        if let detail { img["detail"] = .string(detail) }
        return .object(JSONObject([("type", .string("image_url")), ("image_url", .object(img))]))
      case .video(let url, let path):
        return .object(
          JSONObject([("type", .string("video_url")), ("video_url", .object(JSONObject([("url", .string(shown(url, path)))])))]))
      case .audio(.data(let m), let path):
        let audio = JSONObject([("data", .string("<\(m.sourceBytes) bytes from \(path)>")), ("format", .string("wav"))])
        return .object(JSONObject([("type", .string("input_audio")), ("input_audio", .object(audio))]))
      case .audio(.file(let s), _):
        return .object(JSONObject([("type", .string("audio_url")), ("audio_url", .object(JSONObject([("url", .string(s))])))]))
      }
    }
    messages.append(.object(JSONObject([("role", .string("user")), ("content", .array(content))])))
    return .array(messages)
  }

  /// Checks that `path` resolves inside an allowed root.
  static func checkRoot(_ path: String, _ settings: RequestSettings, media: MediaCache? = nil) throws(InferenceError) -> String {
    let found = if let media { media.resolvedPath(path, realPath) } else { realPath(path) }
    let real = found ?? URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    if settings.mediaRoots.isEmpty { return real }
    for root in settings.mediaRoots where real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") { return real }
    throw InferenceError(
      code: .mediaOutsideRoots,
      message: "\(path) is outside the allowed media roots (\(settings.mediaRoots.joined(separator: ", "))); add one with --media-root",
      retryable: false)
  }

  /// The absolute path with symbolic links resolved by realpath(3) (one call, where Foundation
  /// walks the components in Swift), nil for a path that does not resolve (a missing file: then
  /// Foundation's resolution gives the path the error names).
  static func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  static func imageURL(_ path: String, settings: RequestSettings, media: MediaCache?) throws(InferenceError) -> MediaURL {
    let real = try checkRoot(path, settings, media: media)
    if settings.localMedia { return .file("file://" + real) }
    let size = settings.imageSize
    guard let media else { return .data(try encodeImage(path, real: real, size: size)) }
    return .data(
      try media.media(key: "image \(size) " + real, path: real) { () throws(InferenceError) in try encodeImage(path, real: real, size: size) })
  }

  /// The data URL of an image file (thumbnailed to `size` when not 0).
  static func encodeImage(_ path: String, real: String, size: Int) throws(InferenceError) -> EncodedMedia {
    var bytes: [UInt8]
    if size > 0 {
      do {
        bytes = try StillImage.transcode(path: real, jpeg: JPEGSettings(quality: 75, maxSide: size), deadline: nil)
      } catch {
        throw InferenceError(code: .badImage, message: "\(path): \(error.message)", retryable: false)
      }
    } else {
      guard let b = readWhole(real) else {
        throw InferenceError(code: .imageMissing, message: "\(path): cannot read the image", retryable: false)
      }
      bytes = b
    }
    let isJPEG = bytes.count > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    let isPNG = bytes.count > 8 && bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    guard isJPEG || isPNG else {
      throw InferenceError(code: .badImage, message: "\(path): not a JPEG or PNG image (magic bytes)", retryable: false)
    }
    // VLMEvalKit's data URL always says jpeg; PNG frames are sent as what they are.
    return EncodedMedia(bytes, mime: isPNG ? "image/png" : "image/jpeg")
  }

  static func videoURL(_ path: String, settings: RequestSettings, media: MediaCache?) throws(InferenceError) -> MediaURL {
    let real = try checkRoot(path, settings, media: media)
    if settings.localMedia { return .file("file://" + real) }
    guard let media else { return .data(try encodeVideo(path, real: real)) }
    return .data(try media.media(key: "video " + real, path: real) { () throws(InferenceError) in try encodeVideo(path, real: real) })
  }

  static func audioURL(_ path: String, settings: RequestSettings, media: MediaCache?) throws(InferenceError) -> MediaURL {
    let real = try checkRoot(path, settings, media: media)
    if settings.localMedia { return .file("file://" + real) }
    guard let media else { return .data(try encodeAudio(path, real: real)) }
    return .data(try media.media(key: "audio " + real, path: real) { () throws(InferenceError) in try encodeAudio(path, real: real) })
  }

  /// The bare base64 of a WAV file (`input_audio.data`), its RIFF/WAVE magic checked.
  static func encodeAudio(_ path: String, real: String) throws(InferenceError) -> EncodedMedia {
    guard let bytes = readWhole(real) else {
      throw InferenceError(code: .badAudio, message: "\(path): cannot read the audio file", retryable: false)
    }
    guard bytes.count >= 12, bytes[0..<4].elementsEqual(Array("RIFF".utf8)), bytes[8..<12].elementsEqual(Array("WAVE".utf8)) else {
      throw InferenceError(code: .badAudio, message: "\(path): not a RIFF/WAVE file (magic bytes)", retryable: false)
    }
    let data = bytes.withUnsafeBytes { Base64.encode($0) }
    return EncodedMedia(url: data, sourceBytes: bytes.count, mime: "audio/wav")
  }

  /// The data URL of a video file.
  static func encodeVideo(_ path: String, real: String) throws(InferenceError) -> EncodedMedia {
    guard let bytes = readWhole(real) else {
      throw InferenceError(code: .videoMissing, message: "\(path): cannot read the video", retryable: false)
    }
    return EncodedMedia(bytes, mime: "video/mp4")
  }

  /// A whole file in one buffer (a regular file read straight into an array of its size, then
  /// to end of file), nil when it cannot be opened or read (a directory, a missing file).
  static func readWhole(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    let expected = fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG ? Int(st.st_size) : 0
    var failed = false
    var out = [UInt8](unsafeUninitializedCapacity: expected) { buf, count in
      count = 0
      while count < expected {
        let n = read(fd, buf.baseAddress! + count, expected - count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 {
          failed = n < 0
          return
        }
        count += n
      }
    }
    if failed { return nil }
    if out.count < expected { return out }  // it shrank while read
    // What is left: a file that grew, or one without a size.
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else { return nil }
      if n == 0 { return out }
      out.append(contentsOf: chunk[0..<n])
    }
  }
}

extension EncodedMedia {
  /// The data URL of `bytes` as `mime`.
  init(_ bytes: [UInt8], mime: String) {
    let url = bytes.withUnsafeBytes { Base64.encode($0, prefix: Array("data:\(mime);base64,".utf8)) }
    self.init(url: url, sourceBytes: bytes.count, mime: mime)
  }
}

/// Writes a request body into one buffer.
struct BodyWriter {
  var buffer: ByteBuffer
  private var scratch: [UInt8] = []

  init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

  mutating func raw(_ s: StaticString) { buffer.writeStaticString(s) }

  /// A JSON value, serialised as `JSONSerializer` writes it.
  mutating func value(_ v: JSONValue) {
    scratch.removeAll(keepingCapacity: true)
    JSONSerializer.write(v, into: &scratch)
    buffer.writeBytes(scratch)
  }

  /// A media URL as a JSON string.
  mutating func url(_ u: RequestBuilder.MediaURL) {
    switch u {
    case .data(let m):
      buffer.writeInteger(UInt8(ascii: "\""))
      buffer.writeBytes(m.url)
      buffer.writeInteger(UInt8(ascii: "\""))
    case .file(let s):
      value(.string(s))
    }
  }
}
