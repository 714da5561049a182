import Foundation
import Testing
import VCore
import VTestSupport

@testable import VInference

@Suite struct ChanceSeedTests {
  func answers(seed: UInt64, ids: Range<Int> = 0..<12) async throws -> String {
    let b = ChanceBackend(seed: seed)
    let rec = JSONObject([("candidates", .string("['a', 'b', 'c', 'd']"))])
    var s = ""
    for i in ids { s += try await b.attempt(ChatRequest(id: String(i), body: [], preview: "", hash: "", items: []), record: rec, timeout: 1).text }
    return s
  }

  /// Seed 0 answers exactly as before `--seed` took effect (the demo's outputs depend on it).
  @Test func seedZeroKeepsTheEarlierAnswers() async throws {
    #expect(try await answers(seed: 0) == "CDCBDDADCDCD")
  }

  @Test func seedsChangeTheAnswers() async throws {
    #expect(try await answers(seed: 1) == "DCCBBBABBBDD")
    #expect(try await answers(seed: 42) == "AACABDCAADDA")
    #expect(try await answers(seed: 1, ids: 0..<200) != answers(seed: 2, ids: 0..<200))
  }
}

@Suite struct RetryPolicyTests {
  @Test func retryableStatuses() {
    #expect([408, 409, 429, 500, 502, 503, 599].allSatisfy(RetryPolicy.isRetryable(status:)))
    #expect(![400, 401, 403, 404, 422].contains(where: RetryPolicy.isRetryable(status:)))
  }

  @Test func attemptsAndRetryability() {
    let p = RetryPolicy(attempts: 3)
    let soft = InferenceError(code: .http(503), message: "m", retryable: true)
    let hard = InferenceError(code: .http(400), message: "m", retryable: false)
    #expect(p.shouldRetry(soft, after: 1) && p.shouldRetry(soft, after: 2) && !p.shouldRetry(soft, after: 3))
    #expect(!p.shouldRetry(hard, after: 1))
  }

  @Test func exponentialBackoffWithFullJitterAndCaps() {
    let p = RetryPolicy(attempts: 10, backoffBase: 1, backoffCap: 60)
    #expect((1...8).map { p.backoffLimit(after: $0) } == [1, 2, 4, 8, 16, 32, 60, 60])
    // Full jitter: anywhere from 0 to the limit.
    let delays = (0..<2000).map { _ in p.delay(after: 3, retryAfter: nil) }
    #expect(delays.allSatisfy { $0 >= 0 && $0 <= 4 })
    #expect(delays.contains { $0 < 1 } && delays.contains { $0 > 3 })
    #expect(p.delay(after: 1, retryAfter: 7) == 7)
    #expect(p.delay(after: 1, retryAfter: 5000) == 600)
    #expect(RetryPolicy(backoffBase: 0).delay(after: 2000, retryAfter: nil) == 0)
    #expect(RetryPolicy.standard == RetryPolicy(attempts: 6, backoffBase: 1, backoffCap: 60, retryAfterCap: 600))
  }

  @Test func oneDefaultTimeout() {
    #expect(InferOptions(settings: RequestSettings(model: "m")).timeout == InferOptions.defaultTimeout)
    #expect(InferOptions.defaultTimeout == 330)
  }
}

@Suite struct RecordErrorTests {
  @Test func errorObjectsKeepTheirShape() {
    let e = InferenceError(code: .http(503), message: "HTTP 503 from h", status: 503, body: "b", retryable: true)
    #expect(
      JSONSerializer.serialize(e.recordError(attempts: 3).json)
        == #"{"stage":"vinfer","code":"http_503","message":"HTTP 503 from h","attempts":3,"status":503,"body":"b"}"#)
    let c = InferenceError(code: .connection, message: "cannot reach", retryable: true)
    #expect(
      JSONSerializer.serialize(c.recordError(attempts: 1).json) == #"{"stage":"vinfer","code":"connection","message":"cannot reach","attempts":1}"#)
  }
}

@Suite struct BackendChoiceTests {
  /// The backend's endpoint and the completed settings (an HTTP backend is shut down again).
  func make(_ c: BackendChoice, model: String = "m", env: [String: String] = [:]) async throws -> (any Backend, RequestSettings) {
    var s = RequestSettings(model: model)
    let b = try c.make(settings: &s) { env[$0] }
    await b.shutdown()
    return (b, s)
  }

  @Test func openAIHostRules() async throws {
    var c = BackendChoice(kind: .openai)
    c.apiBase = "https://api.openai.com/v1"
    await #expect(throws: SimpleToolError.self) { try await make(c) }  // no key
    let (b, s) = try await make(c, env: ["OPENAI_API_KEY": "k"])
    #expect(b.endpointName == "api.openai.com" && s.includeN && s.imageDetail == "low")
    c.dryRun = true
    #expect(try await make(c).1.includeN)  // a dry run needs no key
    var local = BackendChoice(kind: .openai)
    local.apiBase = "http://127.0.0.1:8000/v1"
    local.imageDetail = "high"
    let (lb, ls) = try await make(local)
    #expect(lb.endpointName == "127.0.0.1:8000" && !ls.includeN && ls.imageDetail == "high")
  }

  @Test func serverAndModelAreRequired() async throws {
    let none = BackendChoice(kind: .openai)
    #expect(await #expect(throws: SimpleToolError.self) { try await make(none) }?.exitStatus == .config)
    var fromEnv = BackendChoice(kind: .openai)
    fromEnv.apiKeyEnv = "MY_KEY"
    #expect(try await make(fromEnv, env: ["OPENAI_API_BASE": "http://localhost:9/v1"]).0.endpointName == "localhost:9")
    var noModel = BackendChoice(kind: .openai)
    noModel.apiBase = "http://localhost:9/v1"
    #expect(await #expect(throws: SimpleToolError.self) { try await make(noModel, model: "") }?.message.contains("--model NAME is required") == true)
  }

  @Test func chanceAndCommand() async throws {
    var c = BackendChoice(kind: .chance)
    c.seed = 9
    c.imageDetail = "auto"
    let (b, s) = try await make(c, model: BackendKind.chance.defaultModel)
    #expect((b as? ChanceBackend)?.seed == 9 && s.model == "chance" && s.imageDetail == "auto" && !s.includeN)
    var cmd = BackendChoice(kind: .command)
    cmd.command = "echo A"
    let (cb, _) = try await make(cmd)
    #expect((cb as? CommandBackend)?.argv == ["/bin/sh", "-c", "echo A"])
  }
}

@Suite struct CommandBackendTests {
  func backend(_ script: String) -> CommandBackend { CommandBackend(argv: ["/bin/sh", "-c", script], settings: RequestSettings(model: "m")) }
  let request = ChatRequest(id: "7", body: [], preview: "", hash: "", items: [.string("hi")])

  @Test func answersFailuresAndTimeouts() async throws {
    let echo = try await backend("read line; printf '%s' \"$line\" | head -c 9").attempt(request, record: JSONObject(), timeout: 30)
    #expect(echo.text == #"{"id":"7""#)
    let failed = await #expect(throws: InferenceError.self) {
      try await backend("echo oops >&2; exit 3").attempt(request, record: JSONObject(), timeout: 30)
    }
    #expect(failed?.code == .commandFailed && failed?.retryable == true && failed?.body == "oops\n")
    #expect(failed?.message == "/bin/sh exited with status 3")
    let empty = await #expect(throws: InferenceError.self) { try await backend("true").attempt(request, record: JSONObject(), timeout: 30) }
    #expect(empty?.code == .emptyAnswer)
    // The time limit kills the program and whatever it started (the sleep holds stdout open).
    let slow = await #expect(throws: InferenceError.self) {
      try await backend("sleep 300; echo late").attempt(request, record: JSONObject(), timeout: 0.2)
    }
    #expect(slow?.code == .timeout)
    let missing = await #expect(throws: InferenceError.self) {
      try await CommandBackend(argv: ["/nonexistent/model"], settings: RequestSettings(model: "m")).attempt(
        request, record: JSONObject(), timeout: 30)
    }
    #expect(missing?.code == .commandFailed && missing?.retryable == false)
  }

  /// Cancelling an attempt kills the program (and its children) at once.
  @Test func cancellationKillsTheProgram() async throws {
    let d = TempDir()
    let started = d.file("started")
    let b = backend("echo $$ > '\(started).tmp' && mv '\(started).tmp' '\(started)'; sleep 300 & wait")
    let request = self.request
    let task = Task { try await b.attempt(request, record: JSONObject(), timeout: 120) }
    // Wait for the program to have started (a generous bound only guards against a hang).
    var waited = 0
    while !FileManager.default.fileExists(atPath: started) && waited < 3000 {
      try await Task.sleep(nanoseconds: 10_000_000)
      waited += 1
    }
    #expect(FileManager.default.fileExists(atPath: started))
    task.cancel()
    let result = await task.result
    #expect(throws: CancellationError.self) { try result.get() }
    let pid = pid_t(d.read("started").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    #expect(pid > 0 && kill(pid, 0) != 0, "the shell is gone")
  }
}
