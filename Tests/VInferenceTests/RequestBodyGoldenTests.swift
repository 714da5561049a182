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

  @Test func everyPartKind() throws {
    var s = RequestSettings(model: "gpt-4o")
    s.imageDetail = "high"
    s.includeN = true
    s.reasoningEffort = "low"
    s.extraBody = JSONObject([("stop", .array([.string("\n\n")])), ("temperature", .double(0.25))])
    let golden =
      #"{"model":"gpt-4o","messages":[{"role":"system","content":"You are \"careful\".SYS\tline\n\n"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AECA/r7/A==","detail":"high"}},{"type":"text","text":"Q: \"é\" \\ /\u0001😀"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSQ==","detail":"high"}},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AECA/r7/A==","detail":"high"}},{"type":"video_url","video_url":{"url":"data:video/mp4;base64,AAAAGGZ0eXBp"}},{"type":"text","text":"Answer:"}]}],"n":1,"temperature":0.25,"max_tokens":2048,"reasoning_effort":"low","stop":["\n\n"],"top_p":0.5,"seed":3}"#
    let got = try body(fixture(), s)
    #expect(got == golden, "\(got)")
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
}
