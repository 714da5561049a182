import Testing
import VCore

@testable import VInference

/// The table of permanent server failures and the parts of reasoning replies.
@Suite struct ServerFailuresTests {
  @Test func realBodiesAreClassified() {
    let llama =
      #"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}}"#
    #expect(ServerFailures.classify(status: 400, body: llama)?.code == .contextExceeded)
    #expect(
      ServerFailures.classify(status: 400, body: llama)?.message
        == "the prompt does not fit the model's context: the request exceeds the available context size, try increasing it")
    let vllm = #"{"object":"error","message":"The decoder prompt (length 40000) is longer than the maximum model length of 32768.","code":400}"#
    #expect(ServerFailures.classify(status: 400, body: vllm)?.code == .contextExceeded)
    #expect(ServerFailures.classify(status: 400, body: #"{"message":"At most 1 image(s) may be provided in one request."}"#)?.code == .tooManyImages)
    #expect(ServerFailures.classify(status: 500, body: #"{"error":{"message":"Failed to create bitmap from image"}}"#)?.code == .badImage)
    #expect(
      ServerFailures.classify(status: 400, body: #"{"error":{"code":"context_length_exceeded","message":"Too long."}}"#)?.code == .contextExceeded)
    // A plain-text body is matched too, and named by its start.
    #expect(
      ServerFailures.classify(status: 500, body: "Prompt exceeds n_ctx")?.message
        == "the prompt does not fit the model's context: Prompt exceeds n_ctx")
    // Transient statuses and other texts are not permanent.
    #expect(ServerFailures.classify(status: 429, body: "maximum context length") == nil)
    #expect(ServerFailures.classify(status: 503, body: #"{"error":{"message":"injected 503"}}"#) == nil)
    #expect(ServerFailures.classify(status: 200, body: "maximum context length") == nil)
  }

  @Test func serverMessages() {
    #expect(ServerFailures.serverMessage(#"{"error":"model not found"}"#) == "model not found")
    #expect(ServerFailures.serverMessage(#"{"detail":"Not Found"}"#) == "Not Found")
    #expect(ServerFailures.serverMessage("<html>") == nil)
  }

  @Test func thinkBlocks() {
    #expect(ThinkBlock("  <think>a\nb</think>\n\nB ") == ThinkBlock(thinking: "a\nb", rest: "B", closed: true))
    #expect(ThinkBlock("<think>still going") == ThinkBlock(thinking: "still going", rest: "", closed: false))
    #expect(ThinkBlock("reasoned</think>C") == ThinkBlock(thinking: "reasoned", rest: "C", closed: true))  // the template opened it
    #expect(ThinkBlock("B, because <think> is a tag") == nil)
    #expect(ThinkBlock.strip("<think>x</think> A") == "A")
    #expect(ThinkBlock.strip("A") == "A")
  }

  @Test func replyParts() throws {
    let field = ReplyParts(content: " B ", reasoningField: "why")
    #expect(field.content == "B" && field.reasoning == "why" && field.afterThinking == "B" && !field.unclosedThinking)
    let inline = ReplyParts(content: "<think>why</think>B", reasoningField: "  ")
    #expect(inline.content == "<think>why</think>B" && inline.reasoning == "why" && inline.afterThinking == "B")
    let cut = try #require(
      try? OpenAIBackend.parseAnswer(
        #"{"choices":[{"message":{"content":"B","reasoning_content":"why"},"finish_reason":"stop"}]}"#, status: 200))
    #expect(cut.text == "B" && cut.reasoning == "why")
    let truncated = #expect(throws: InferenceError.self) {
      try OpenAIBackend.parseAnswer(#"{"choices":[{"message":{"content":"","reasoning":"long"},"finish_reason":"length"}]}"#, status: 200)
    }
    #expect(truncated?.code == .thinkingTruncated && truncated?.retryable == false && truncated?.reasoning == "long")
    var policy = RetryPolicy.standard
    #expect(!policy.shouldRetry(truncated!, after: 1))
    policy.retryTruncated = true
    #expect(policy.shouldRetry(truncated!, after: 1))
  }
}

@Suite struct ServedModelsTests {
  @Test func listsAndLlamaCpp() {
    #expect(OpenAIBackend.servedModels(#"{"object":"list","data":[{"id":"a","owned_by":"vllm"},{"id":"b"}]}"#) == ["a", "b"])
    #expect(OpenAIBackend.servedModels(#"{"object":"list","data":[{"id":"models/q.gguf","owned_by":"llamacpp"}]}"#) == nil)
    #expect(OpenAIBackend.servedModels(#"{"models":[]}"#) == nil)
  }
}
