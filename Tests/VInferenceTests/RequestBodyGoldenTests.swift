import Foundation
import Testing
import VCore
import VTestSupport

@testable import VInference

/// The request bytes for fixed records, byte for byte as the JSON-tree builder of vtools 0.x
/// wrote them (the goldens were printed by that code before the body was written directly).
@Suite struct RequestBodyGoldenTests {
  let dir = TempDir()

  /// A record with every kind of part: system items and a record system, texts that need
  /// escaping (quotes, backslash, control characters, non-ASCII), an empty text, a JPEG, a PNG,
  /// the same JPEG twice, a video, and per-record payload fields.
  func fixture() -> JSONObject {
    let jpeg = dir.write("a.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 250, 251, 252])
    let png = dir.write("b.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49])
    let video = dir.write("v.mp4", bytes: [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69])
    func item(_ type: String, _ value: String, _ role: String? = nil) -> JSONValue {
      var o = JSONObject([("type", .string(type)), ("value", .string(value))])
      if let role { o["role"] = .string(role) }
      return .object(o)
    }
    return JSONObject([
      ("id", .string("g1")),
      ("system", .string("You are \"careful\".")),
      (
        "messages",
        .array([
          item("text", "SYS\tline\n", "system"), item("image", jpeg), item("text", "Q: \"é\" \\ /\u{1}\u{1F600}"), item("text", ""),
          item("image", png), item("image", jpeg), item("video", video), item("text", "Answer:", "assistant"),
        ])
      ),
      ("request", .object(JSONObject([("top_p", .number("0.5")), ("model", .string("ignored")), ("seed", .int(3))]))),
    ])
  }

  func body(_ rec: JSONObject, _ s: RequestSettings) throws -> String {
    String(decoding: try RequestBuilder.build(id: "g1", record: rec, settings: s).body, as: UTF8.self)
  }

  static var settings: RequestSettings {
    var s = RequestSettings(model: "gpt-4o")
    s.imageDetail = "high"
    s.includeN = true
    s.reasoningEffort = "low"
    s.extraBody = JSONObject([("stop", .array([.string("\n\n")])), ("temperature", .double(0.25))])
    return s
  }

  static let golden =
    #"{"model":"gpt-4o","messages":[{"role":"system","content":"You are \"careful\".SYS\tline\n\n"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AECA/r7/A==","detail":"high"}},{"type":"text","text":"Q: \"é\" \\ /\u0001😀"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSQ==","detail":"high"}},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AECA/r7/A==","detail":"high"}},{"type":"video_url","video_url":{"url":"data:video/mp4;base64,AAAAGGZ0eXBp"}},{"type":"text","text":"Answer:"}]}],"n":1,"temperature":0.25,"max_tokens":2048,"reasoning_effort":"low","stop":["\n\n"],"top_p":0.5,"seed":3}"#

  /// An audio item is OpenAI's `input_audio` part: the WAV's bare base64 and `"format":"wav"`,
  /// in the item's place; `--local-media` sends vLLM's `audio_url` with a file URL; a file that
  /// is no RIFF/WAVE is `bad_audio`, one outside the media roots `media_outside_roots`.
  @Test func audioPart() throws {
    let wav = dir.write("a.wav", bytes: Array("RIFF".utf8) + [4, 0, 0, 0] + Array("WAVEfmt ".utf8))
    func rec(_ path: String) -> JSONObject {
      JSONObject([
        ("id", .string("g1")),
        (
          "messages",
          .array([
            .object(JSONObject([("type", .string("text")), ("value", .string("Hear:"))])),
            .object(JSONObject([("type", .string("audio")), ("value", .string(path))])),
          ])
        ),
      ])
    }
    let s = RequestSettings(model: "m")
    let got = try body(rec(wav), s)
    #expect(
      got
        == #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Hear:"},{"type":"input_audio","input_audio":{"data":"UklGRgQAAABXQVZFZm10IA==","format":"wav"}}]}],"temperature":0.0,"max_tokens":2048}"#,
      "\(got)")
    #expect(try RequestBuilder.build(id: "g1", record: rec(wav), settings: s).audioCount == 1)
    var local = s
    local.localMedia = true
    let real = URL(fileURLWithPath: wav).resolvingSymlinksInPath().path
    #expect(try body(rec(wav), local).contains(#"{"type":"audio_url","audio_url":{"url":"file://\#(real)"}}"#))
    let bad = dir.write("b.wav", bytes: Array("RIFX0000WAVE".utf8))
    #expect(throws: InferenceError.self) { try body(rec(bad), s) }
    do {
      _ = try body(rec(bad), s)
    } catch {
      #expect((error as? InferenceError)?.code == .badAudio)
    }
    var rooted = s
    rooted.mediaRoots = ["/nonexistent-root"]
    do {
      _ = try body(rec(wav), rooted)
      Issue.record("a WAV outside the media roots was sent")
    } catch {
      #expect((error as? InferenceError)?.code == .mediaOutsideRoots)
    }
  }

  @Test func everyPartKind() throws {
    let got = try body(fixture(), Self.settings)
    #expect(got == Self.golden, "\(got)")
  }

  @Test func reasoningModelTextOnly() throws {
    var s = RequestSettings(model: "o3-mini")
    s.maxTokens = 77
    let rec = JSONObject([
      ("id", .string("g2")),
      (
        "messages",
        .array([
          .object(JSONObject([("type", .string("text")), ("value", .string("a\u{7F}b"))])),
          .object(JSONObject([("type", .string("text")), ("value", .string("c"))])),
        ])
      ),
    ])
    let golden = #"{"model":"o3-mini","messages":[{"role":"user","content":[{"type":"text","text":"a\u007fb\nc"}]}],"max_completion_tokens":77}"#
    let got = try body(rec, s)
    #expect(got == golden, "\(got)")
  }

  /// Through the media cache: the same bytes, the first time (misses) and the second (hits).
  @Test func cachedMediaGiveTheSameBody() throws {
    let cache = MediaCache()
    let rec = fixture()
    for _ in 0..<2 {
      let r = try RequestBuilder.build(id: "g1", record: rec, settings: Self.settings, media: cache, preview: false)
      #expect(String(decoding: r.body, as: UTF8.self) == Self.golden)
      #expect(r.preview.isEmpty)
    }
    #expect(cache.stats.entries == 3)  // the JPEG (twice in the prompt), the PNG, the video
    #expect(cache.misses == 3 && cache.hits == 5)
  }

  /// A file rewritten after it was cached is read again.
  @Test func aChangedFileIsReadAgain() throws {
    let cache = MediaCache()
    let path = dir.write("c.jpg", bytes: [0xFF, 0xD8, 0xFF, 1])
    let rec = JSONObject([("id", .string("c")), ("messages", .array([.object(JSONObject([("type", .string("image")), ("value", .string(path))]))]))])
    func url() throws -> String {
      let r = try RequestBuilder.build(id: "c", record: rec, settings: RequestSettings(model: "m"), media: cache)
      let p = try #require(try JSONParser.parse(r.body).objectValue)
      let part = p["messages"]?.arrayValue?[0].objectValue?["content"]?.arrayValue?[0].objectValue
      return try #require(part?["image_url"]?.objectValue?["url"]?.stringValue)
    }
    #expect(try url() == "data:image/jpeg;base64," + Data([0xFF, 0xD8, 0xFF, 1]).base64EncodedString())
    dir.write("c.jpg", bytes: [0xFF, 0xD8, 0xFF, 2, 3])  // another size
    #expect(try url() == "data:image/jpeg;base64," + Data([0xFF, 0xD8, 0xFF, 2, 3]).base64EncodedString())
    #expect(cache.misses == 2 && cache.hits == 0)
  }

  /// The cache stays within its byte bound, dropping the least recently used entries.
  @Test func cacheIsBoundedByBytes() throws {
    let cache = MediaCache(capacity: 4000)
    let bytes: [UInt8] = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 7, count: 300)  // a data URL of about 420 bytes
    var paths: [String] = []
    for i in 0..<40 {
      let p = dir.write("f\(i).jpg", bytes: bytes)
      paths.append(p)
      _ = try cache.media(key: p, path: p) { () throws(InferenceError) in EncodedMedia(bytes, mime: "image/jpeg") }
      #expect(cache.stats.bytes <= 4000)
    }
    #expect(cache.stats.entries >= 6)
    // The newest is kept, the oldest went.
    var made = false
    _ = try cache.media(key: paths[39], path: paths[39]) { () throws(InferenceError) in
      made = true
      return EncodedMedia(bytes, mime: "image/jpeg")
    }
    #expect(!made)
    _ = try cache.media(key: paths[0], path: paths[0]) { () throws(InferenceError) in
      made = true
      return EncodedMedia(bytes, mime: "image/jpeg")
    }
    #expect(made)
  }

  @Test func base64MatchesFoundation() {
    var g = SystemRandomNumberGenerator()
    for n in 0..<70 {
      let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
      let ours = bytes.withUnsafeBytes { Base64.encode($0, prefix: Array("p:".utf8)) }
      #expect(String(decoding: ours, as: UTF8.self) == "p:" + Data(bytes).base64EncodedString(), "\(bytes)")
    }
  }

  @Test func timestampsAreISO8601InUTC() {
    let f = ISO8601DateFormatter()
    for t in [0, 951_782_400, 1_764_740_933, 1_798_761_599] {
      #expect(InferencePipeline.utcTimestamp(time_t(t)) == f.string(from: Date(timeIntervalSince1970: Double(t))))
    }
  }

  /// A link inside the media root to a file outside it is refused, through the cache too
  /// (the resolution it keeps is the one the roots are checked against).
  @Test func cachedResolutionsAreCheckedAgainstTheRoots() throws {
    let inside = TempDir(), outside = TempDir()
    let target = outside.write("x.jpg", bytes: [0xFF, 0xD8, 0xFF, 1])
    let link = inside.file("x.jpg")
    #expect(symlink(target, link) == 0)
    let real = inside.write("y.jpg", bytes: [0xFF, 0xD8, 0xFF, 2])
    var s = RequestSettings(model: "m")
    s.mediaRoots = RequestSettings.resolvedMediaRoots([inside.path])
    let cache = MediaCache()
    func rec(_ p: String) -> JSONObject {
      JSONObject([("id", .string("r")), ("messages", .array([.object(JSONObject([("type", .string("image")), ("value", .string(p))]))]))])
    }
    for _ in 0..<2 {
      #expect(throws: InferenceError.self) { try RequestBuilder.build(id: "r", record: rec(link), settings: s, media: cache) }
      _ = try RequestBuilder.build(id: "r", record: rec(real), settings: s, media: cache)
    }
    #expect(cache.hits == 1 && cache.misses == 1)
  }
}
