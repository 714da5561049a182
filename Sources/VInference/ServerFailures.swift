import Foundation
import VCore

/// Answers of real servers that asking again cannot change, known by their status and text
/// (llama.cpp answers some of them with 500, vLLM with 400): vinfer stops retrying them and
/// names them with a code of their own. vinfer(1), FAILURES. One table, in one place.
public enum ServerFailures {
  /// A permanent failure: the texts (lower case) that mark it in the body, and its code.
  struct Kind: Sendable {
    var code: ErrorCode
    var what: String
    var texts: [String]
  }

  static let kinds: [Kind] = [
    Kind(
      code: .contextExceeded, what: "the prompt does not fit the model's context",
      texts: [
        "exceeds the available context size",  // llama.cpp (exceed_context_size_error)
        "prompt exceeds n_ctx", "exceeds n_ctx",  // llama.cpp, older servers
        "input is too large to process",  // llama.cpp: prompt larger than the batch
        "maximum context length",  // vLLM, OpenAI: "This model's maximum context length is N tokens"
        "longer than the maximum model length",  // vLLM: "The decoder prompt (length N) is longer than ..."
        "context_length_exceeded",  // OpenAI's error code
      ]),
    Kind(
      code: .tooManyImages, what: "the request has more images than the server takes",
      texts: [
        "may be provided in one request", "may be provided in one prompt",  // vLLM --limit-mm-per-prompt
        "too many images",  // OpenAI and others
      ]),
    Kind(
      code: .badImage, what: "the server cannot read an image of the request",
      texts: [
        "failed to create bitmap",  // llama.cpp (mtmd)
        "failed to load image",  // llama.cpp
        "cannot identify image file",  // vLLM (PIL)
        "image_parse_error", "invalid image",  // OpenAI
      ]),
  ]

  /// The permanent failure `status` and `body` are, or nil for any other answer (429 and 408
  /// are always transient, whatever their text).
  public static func classify(status: Int, body: String) -> (code: ErrorCode, message: String)? {
    guard status >= 400, status != 429, status != 408 else { return nil }
    let text = body.lowercased()
    for k in kinds where k.texts.contains(where: { text.contains($0) }) {
      return (k.code, "\(k.what): \(serverMessage(body) ?? String(body.prefix(300)))")
    }
    return nil
  }

  /// The server's own message in an error body: `error.message`, `error` (a string), `message`
  /// or `detail`, as OpenAI, vLLM, llama.cpp and SGLang write them.
  public static func serverMessage(_ body: String) -> String? {
    guard let o = (try? JSONParser.parse(body))?.objectValue else { return nil }
    if let e = o["error"] {
      if let m = e.objectValue?["message"]?.stringValue { return m }
      if let s = e.stringValue { return s }
    }
    return o["message"]?.stringValue ?? o["detail"]?.stringValue
  }
}

/// The parts of a reasoning model's reply: the thinking (`message.reasoning_content`, newer vLLM
/// `message.reasoning`, or a leading `<think>...</think>` block of the content) and the answer.
public struct ReplyParts: Sendable, Equatable {
  /// The content as the server sent it, stripped (VLMEvalKit's prediction).
  public var content: String
  /// The thinking, nil when the reply had none.
  public var reasoning: String?
  /// The content after a leading think block, stripped (`--strip-think`); the content when
  /// there is no such block.
  public var afterThinking: String
  /// The content opens a think block that never closes (the reply stopped inside it).
  public var unclosedThinking: Bool

  public init(content raw: String, reasoningField: String?) {
    content = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    let field = reasoningField.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    guard let block = ThinkBlock(content) else {
      reasoning = field
      afterThinking = content
      unclosedThinking = false
      return
    }
    reasoning = field ?? block.thinking
    afterThinking = block.rest
    unclosedThinking = !block.closed
  }
}
