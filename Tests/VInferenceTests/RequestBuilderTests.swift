import Foundation
import Testing
import VCore
import VTestSupport

@testable import VInference

/// The payload VLMEvalKit's GPT wrapper would send (reference section 7).
@Suite struct RequestBuilderTests {
  let dir = TempDir()

  func jpeg(_ name: String) -> String { dir.write(name, bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]) }

  func record(_ items: [(String, String, String?)]) -> JSONObject {
    JSONObject([
      ("id", .string("7")),
      (
        "messages",
        .array(
          items.map { t, v, r in
            var o = JSONObject([("type", .string(t)), ("value", .string(v))])
            if let r { o["role"] = .string(r) }
            return .object(o)
          })
      ),
    ])
  }

  func payload(_ rec: JSONObject, _ s: RequestSettings) throws -> JSONObject {
    let r = try RequestBuilder.build(id: "7", record: rec, settings: s)
    return try #require(try JSONParser.parse(r.body).objectValue)
  }

  @Test func mvbenchShape() throws {
    let f1 = jpeg("a.jpg")
    let rec = record([
      ("text", "SYS\n", "system"), ("image", f1, nil), ("text", "Question: q", nil), ("text", "", nil), ("text", "Best option:(", "assistant"),
    ])
    var s = RequestSettings(model: "m")
    s.imageDetail = "low"
    s.includeN = true
    let p = try payload(rec, s)
    #expect(p.keys == ["model", "messages", "n", "temperature", "max_tokens"])
    #expect(p["temperature"] == .number("0.0") && p["max_tokens"] == .int(2048))
    let msgs = try #require(p["messages"]?.arrayValue)
    #expect(msgs[0] == .object(JSONObject([("role", .string("system")), ("content", .string("SYS\n\n"))])))
    let content = try #require(msgs[1].objectValue?["content"]?.arrayValue)
    #expect(content.count == 3)  // the empty text is dropped next to images
    let url = content[0].objectValue?["image_url"]?.objectValue
    #expect(url?["url"] == .string("data:image/jpeg;base64," + Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).base64EncodedString()))
    #expect(url?["detail"] == .string("low"))
    #expect(content[2] == .object(JSONObject([("type", .string("text")), ("text", .string("Best option:("))])))
  }

  @Test func textOnlyIsJoinedWithNewlines() throws {
    let p = try payload(record([("text", "a", nil), ("text", "", nil), ("text", "b", nil)]), RequestSettings(model: "m"))
    let content = p["messages"]?.arrayValue?[0].objectValue?["content"]
    #expect(content == .array([.object(JSONObject([("type", .string("text")), ("text", .string("a\n\nb"))]))]))
    #expect(p["n"] == nil)
  }

  @Test func reasoningModelsAndExtraBody() throws {
    var s = RequestSettings(model: "o3-mini")
    s.extraBody = JSONObject([("top_p", .number("0.9")), ("max_completion_tokens", .int(99))])
    let p = try payload(record([("text", "x", nil)]), s)
    #expect(p["temperature"] == nil && p["max_tokens"] == nil)
    #expect(p["max_completion_tokens"] == .int(99) && p["top_p"] == .number("0.9"))
  }

  @Test func videoItemsAndLocalMedia() throws {
    let v = dir.write("v.mp4", bytes: [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70])
    var s = RequestSettings(model: "m")
    s.localMedia = true
    let p = try payload(record([("text", "q", nil), ("video", v, nil)]), s)
    let part = p["messages"]?.arrayValue?[0].objectValue?["content"]?.arrayValue?[1]
    #expect(part?.objectValue?["video_url"]?.objectValue?["url"]?.stringValue?.hasPrefix("file:///") == true)
  }

  @Test func imagesAreCheckedAndConfined() throws {
    let bad = dir.write("bad.jpg", "not an image")
    #expect(throws: InferenceError.self) {
      try RequestBuilder.build(id: "1", record: record([("image", bad, nil)]), settings: RequestSettings(model: "m"))
    }
    var s = RequestSettings(model: "m")
    s.mediaRoots = ["/nonexistent-root"]
    do {
      _ = try RequestBuilder.build(id: "1", record: record([("image", jpeg("b.jpg"), nil)]), settings: s)
      Issue.record("no error")
    } catch {
      #expect(error.code.rawValue == "media_outside_roots")
    }
  }

  @Test func hashFollowsPromptAndSettings() {
    let a = record([("text", "x", nil)])
    let b = record([("text", "y", nil)])
    let s = RequestSettings(model: "m")
    var s2 = s
    s2.maxTokens = 10
    #expect(RequestBuilder.hash(messages: a["messages"], settings: s) == RequestBuilder.hash(messages: a["messages"], settings: s))
    #expect(RequestBuilder.hash(messages: a["messages"], settings: s) != RequestBuilder.hash(messages: b["messages"], settings: s))
    #expect(RequestBuilder.hash(messages: a["messages"], settings: s) != RequestBuilder.hash(messages: a["messages"], settings: s2))
  }

  @Test func retryAfterParsing() {
    #expect(OpenAIBackend.parseRetryAfter("3") == 3)
    #expect(OpenAIBackend.parseRetryAfter("garbage") == nil)
    #expect((OpenAIBackend.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") ?? -1) == 0)
  }

  @Test func answerParsing() throws {
    let a = try OpenAIBackend.parseAnswer(
      #"{"choices":[{"message":{"content":"  B \n"},"finish_reason":"stop"}],"usage":{"total_tokens":5}}"#, status: 200)
    #expect(a.text == "B" && a.finishReason == "stop")
    #expect(throws: InferenceError.self) { try OpenAIBackend.parseAnswer(#"{"choices":[]}"#, status: 200) }
    #expect(throws: InferenceError.self) { try OpenAIBackend.parseAnswer(#"{"choices":[{"message":{"content":"  "}}]}"#, status: 200) }
  }

  @Test func chanceIsSeededAndInRange() async throws {
    let b = ChanceBackend(seed: 1)
    let rec = JSONObject([("candidates", .string("['a', 'b', 'c']"))])
    var letters: [String] = []
    for i in 0..<60 {
      let req = ChatRequest(id: String(i), body: [], preview: "", hash: "", items: [])
      letters.append(try await b.attempt(req, record: rec, timeout: 1).text)
    }
    #expect(Set(letters) == ["A", "B", "C"])
    let again = try await b.attempt(ChatRequest(id: "5", body: [], preview: "", hash: "", items: []), record: rec, timeout: 1).text
    #expect(again == letters[5])
    let none = try await b.attempt(ChatRequest(id: "5", body: [], preview: "", hash: "", items: []), record: JSONObject(), timeout: 1).text
    #expect(none == ChanceBackend.placeholder)
  }

  /// Video-MME-v2's option block (`options` text, one `X. ...` line each) gives the letters.
  @Test func chanceReadsAnOptionsText() async throws {
    let b = ChanceBackend(seed: 3)
    let rec = JSONObject([("options", .string("A. one\nB. two\nC. three\nnot an option"))])
    #expect(ChanceBackend.optionCount(rec) == 3)
    #expect(ChanceBackend.optionCount(JSONObject([("options", .string("one\ntwo"))])) == 0)
    var letters = Set<String>()
    for i in 0..<60 {
      letters.insert(try await b.attempt(ChatRequest(id: String(i), body: [], preview: "", hash: "", items: []), record: rec, timeout: 1).text)
    }
    #expect(letters == ["A", "B", "C"])
  }

  /// A video item's extra keys (Video-MME-v2's video-LLM form: resized_height, resized_width,
  /// nframes or fps) are accepted; the OpenAI payload sends the video URL only, and the command
  /// backend's items keep them.
  @Test func videoItemHintsAreAcceptedAndNotSent() throws {
    let video = dir.write("007.mp4", bytes: [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70])
    var item = JSONObject([("type", .string("video")), ("value", .string(video))])
    item["resized_height"] = .int(336)
    item["resized_width"] = .int(592)
    item["nframes"] = .int(64)
    let rec = JSONObject([
      ("id", .string("7")), ("messages", .array([.object(item), .object(JSONObject([("type", .string("text")), ("value", .string("Q"))]))])),
    ])
    var s = RequestSettings(model: "m")
    s.localMedia = true
    let r = try RequestBuilder.build(id: "7", record: rec, settings: s)
    let body = String(decoding: r.body, as: UTF8.self)
    #expect(body.contains(#"{"type":"video_url","video_url":{"url":"file://"#), "\(body)")
    #expect(!body.contains("nframes") && !body.contains("resized_height"))
    #expect(r.items.first?.objectValue?["nframes"] == .int(64))
  }
}
