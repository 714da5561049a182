import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VCore

/// One successful answer.
public struct Answer: Sendable {
  /// The answer as the server sent it, stripped (VLMEvalKit's prediction).
  public var text: String
  public var usage: JSONValue?
  public var finishReason: String?
  /// A reasoning model's thinking (`reasoning_content`, `reasoning`, or a leading think block).
  public var reasoning: String?
  /// `text` after a leading think block (`--strip-think`).
  public var afterThinking: String

  public init(text: String, usage: JSONValue? = nil, finishReason: String? = nil, reasoning: String? = nil, afterThinking: String? = nil) {
    self.text = text
    self.usage = usage
    self.finishReason = finishReason
    self.reasoning = reasoning
    self.afterThinking = afterThinking ?? text
  }
}

/// Something that answers requests: an HTTP server, the chance baseline or a user program.
public protocol Backend: Sendable {
  /// The endpoint host (or a description) for the `inference` record; never secrets.
  var endpointName: String { get }
  /// One attempt. Throws `InferenceError` (retryable or not).
  func attempt(_ request: ChatRequest, record: JSONObject, timeout: Double) async throws -> Answer
  func shutdown() async
  /// Checks at start that the server serves `model` (where it lists its models); throws a
  /// configuration error naming the served ones when it does not.
  func checkModel(_ model: String) async throws
}

extension Backend {
  public func checkModel(_ model: String) async throws {}
}

// MARK: - OpenAI-compatible HTTP

/// Any OpenAI-compatible `/v1/chat/completions` endpoint, over a pooled AsyncHTTPClient.
public final class OpenAIBackend: Backend {
  private let client: HTTPClient
  private let url: String
  private let apiKey: String?
  public let endpointName: String

  /// - Parameters:
  ///   - apiBase: `http(s)://host[:port][/v1]`, or the full `.../chat/completions` URL.
  public init(apiBase: String, apiKey: String?, connections: Int) throws {
    guard let u = URL(string: apiBase), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = u.host, !host.isEmpty
    else {
      throw SimpleToolError("--api-base must be an http:// or https:// URL, got '\(apiBase)'", status: .config)
    }
    var full = apiBase
    while full.hasSuffix("/") { full.removeLast() }
    if !full.hasSuffix("/chat/completions") { full += full.hasSuffix("/v1") ? "/chat/completions" : "/v1/chat/completions" }
    url = full
    self.apiKey = apiKey
    endpointName = host + (u.port.map { ":\($0)" } ?? "")
    var config = HTTPClient.Configuration()
    config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
    // A refused connection fails the attempt at once; vinfer's own retries (with backoff and
    // logging) take it from there instead of the pool retrying silently until the connect timeout.
    config.connectionPool.retryConnectionEstablishment = false
    config.timeout = .init(connect: .seconds(30))
    config.httpVersion = .automatic
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
  }

  public func shutdown() async { try? await client.shutdown() }

  /// `GET .../v1/models`: when the server answers with a list of models and `model` is not in
  /// it, a configuration error that lists them. A server without the endpoint (or that cannot
  /// be reached yet) is not checked; the requests then say what is wrong.
  public func checkModel(_ model: String) async throws {
    var req = HTTPClientRequest(url: String(url.dropLast("/chat/completions".count)) + "/models")
    req.headers.add(name: "User-Agent", value: "vtools-vinfer/\(vtoolsVersionString)")
    if let apiKey, !apiKey.isEmpty { req.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
    guard let response = try? await client.execute(req, timeout: .seconds(15)), response.status.code == 200,
      let body = try? await response.body.collect(upTo: 4 << 20)
    else { return }
    guard let served = Self.servedModels(String(buffer: body)), !served.isEmpty, !served.contains(model) else { return }
    let list = served.prefix(20).joined(separator: ", ") + (served.count > 20 ? ", ..." : "")
    throw SimpleToolError(
      "\(endpointName) does not serve model '\(model)'; it serves: \(list) (give one with --model, or --no-model-check)", status: .config)
  }

  /// The ids of an OpenAI `/v1/models` list (`{"data": [{"id": ...}, ...]}`), nil for another
  /// body and for llama.cpp's server, which lists its model (`"owned_by": "llamacpp"`) but
  /// answers any name.
  static func servedModels(_ text: String) -> [String]? {
    guard let data = (try? JSONParser.parse(text))?.objectValue?["data"]?.arrayValue else { return nil }
    let models = data.compactMap(\.objectValue)
    if !models.isEmpty && models.allSatisfy({ $0["owned_by"]?.stringValue == "llamacpp" }) { return nil }
    return models.compactMap { $0["id"]?.stringValue }
  }

  public func attempt(_ request: ChatRequest, record: JSONObject, timeout: Double) async throws -> Answer {
    var req = HTTPClientRequest(url: url)
    req.method = .POST
    req.headers.add(name: "Content-Type", value: "application/json")
    req.headers.add(name: "User-Agent", value: "vtools-vinfer/\(vtoolsVersionString)")
    if let apiKey, !apiKey.isEmpty { req.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
    req.body = .bytes(request.payload)  // the request's own buffer: no copy, on retries either
    let response: HTTPClientResponse
    let body: ByteBuffer
    do {
      response = try await client.execute(req, timeout: .milliseconds(Int64(timeout * 1000)))
      body = try await response.body.collect(upTo: 32 << 20)
    } catch let e as HTTPClientError where e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout {
      throw InferenceError(code: .timeout, message: "no answer within \(Int(timeout)) s", retryable: true)
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw InferenceError(code: .connection, message: "cannot reach \(endpointName): \(Self.describe(error))", retryable: true)
    }
    let status = Int(response.status.code)
    let text = String(buffer: body)
    guard (200..<300).contains(status) else {
      if let permanent = ServerFailures.classify(status: status, body: text) {
        throw InferenceError(
          code: permanent.code, message: "\(permanent.message) (HTTP \(status) from \(endpointName))", status: status,
          body: String(text.prefix(500)), retryable: false)
      }
      let retryable = RetryPolicy.isRetryable(status: status)
      let after = response.headers.first(name: "retry-after").flatMap(Self.parseRetryAfter)
      throw InferenceError(
        code: .http(status), message: "HTTP \(status) from \(endpointName)", status: status, body: String(text.prefix(500)),
        retryable: retryable, retryAfter: after)
    }
    return try Self.parseAnswer(text, status: status)
  }

  static func describe(_ error: Error) -> String {
    let s = String(describing: error)
    return s.count > 200 ? String(s.prefix(200)) + "..." : s
  }

  /// `Retry-After`: delta-seconds or an HTTP date.
  static func parseRetryAfter(_ v: String) -> Double? {
    if let s = Double(v.trimmingCharacters(in: .whitespaces)), s >= 0 { return s }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let d = f.date(from: v) else { return nil }
    return max(0, d.timeIntervalSinceNow)
  }

  /// `choices[0].message.content`, stripped; an empty answer is a (retryable) failure, as in
  /// VLMEvalKit. The thinking of a reasoning model is kept apart (`message.reasoning_content`,
  /// `message.reasoning`, or a leading `<think>` block of the content); a reply cut by
  /// `length` inside the thinking is `thinking_truncated` (retried only with
  /// `--retry-truncated`).
  static func parseAnswer(_ text: String, status: Int) throws(InferenceError) -> Answer {
    guard let v = try? JSONParser.parse(text), let o = v.objectValue else {
      throw InferenceError(
        code: .badResponse, message: "the server's answer is not a JSON object", status: status, body: String(text.prefix(500)), retryable: true)
    }
    guard let choice = o["choices"]?.arrayValue?.first?.objectValue else {
      throw InferenceError(
        code: .badResponse, message: "the server's answer has no choices", status: status, body: String(text.prefix(500)), retryable: true)
    }
    let message = choice["message"]?.objectValue
    var content = ""
    switch message?["content"] {
    case .string(let s)?: content = s
    case .array(let parts)?: content = parts.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
    default: break
    }
    let parts = ReplyParts(
      content: content, reasoningField: message?["reasoning_content"]?.stringValue ?? message?["reasoning"]?.stringValue)
    let finish = choice["finish_reason"]?.stringValue
    if finish == "length", parts.unclosedThinking || (parts.afterThinking.isEmpty && parts.reasoning != nil) {
      throw InferenceError(
        code: .thinkingTruncated,
        message: "the reply was cut at the token limit inside the thinking (\(parts.reasoning?.count ?? 0) characters of it, no answer)",
        status: status, retryable: false, reasoning: parts.reasoning)
    }
    if parts.content.isEmpty {
      throw InferenceError(
        code: .emptyAnswer, message: "the server returned an empty answer", status: status, body: String(text.prefix(500)), retryable: true,
        reasoning: parts.reasoning)
    }
    return Answer(text: parts.content, usage: o["usage"], finishReason: finish, reasoning: parts.reasoning, afterThinking: parts.afterThinking)
  }
}

// MARK: - Chance

/// The built-in baseline: a multiple-choice record gets a seeded pseudo-random option letter
/// (the same for the same id and seed on every machine); other records get a fixed placeholder.
public struct ChanceBackend: Backend {
  public let seed: UInt64
  public var endpointName: String { "chance" }
  /// The answer for records without options.
  public static let placeholder = "No answer (chance baseline)."

  public init(seed: UInt64) { self.seed = seed }

  public func shutdown() async {}

  /// The number of options of a record: `candidates` (a Python list or JSON array), else
  /// `options` as a JSON list (VideoMMMU) or as `A. ...`, `B. ...` lines (Video-MME-v2), else
  /// the letter columns `A`, `B`, ... that are present and non-empty.
  static func optionCount(_ record: JSONObject) -> Int {
    if let c = record["candidates"] {
      if let a = c.arrayValue { return a.count }
      if let s = c.scalarText, let items = try? PythonLiteral.stringList(s) { return items.count }
    }
    if let o = record["options"] {
      if let a = o.arrayValue { return a.count }
      if let s = o.stringValue, let a = (try? JSONParser.parse(Array(s.utf8)))?.arrayValue { return a.count }
      if let text = o.stringValue {
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where n < 26 {
          guard line.hasPrefix(String(UnicodeScalar(UInt8(65 + n))) + ".") else { break }
          n += 1
        }
        if n > 0 { return n }
      }
    }
    var n = 0
    for i in 0..<26 {
      let key = String(UnicodeScalar(UInt8(65 + i)))
      guard let v = record[key]?.scalarText, !v.isEmpty else { break }
      n += 1
    }
    return n
  }

  public func attempt(_ request: ChatRequest, record: JSONObject, timeout: Double) async throws -> Answer {
    let n = Self.optionCount(record)
    guard n > 0 else { return Answer(text: Self.placeholder, usage: nil, finishReason: "stop") }
    // SplitMix64 of FNV-1a(id) xor seed: stable across machines and runs.
    // (Seed 0 leaves the id's hash as it is: the answers of every run before --seed worked.)
    var x = (UInt64(fnv1a64Hex(request.id), radix: 16) ?? 0) ^ (seed &* 0x9E37_79B9_7F4A_7C15)
    x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
    x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
    x ^= x >> 31
    let letter = String(UnicodeScalar(UInt8(65 + Int(x % UInt64(min(n, 26))))))
    return Answer(text: letter, usage: nil, finishReason: "stop")
  }
}

// MARK: - Command

/// Runs a user program per request: the request as JSON on stdin
/// (`{"id", "model", "messages", "max_tokens", "temperature"}`, messages as vprompt wrote them,
/// with file paths), the answer on stdout. A non-zero exit or an empty answer is a retryable failure.
public struct CommandBackend: Backend {
  public let argv: [String]
  public let settings: RequestSettings
  public var endpointName: String { "command:" + (argv.first.map { ($0 as NSString).lastPathComponent } ?? "") }

  public init(argv: [String], settings: RequestSettings) {
    self.argv = argv
    self.settings = settings
  }

  public func shutdown() async {}

  public func attempt(_ request: ChatRequest, record: JSONObject, timeout: Double) async throws -> Answer {
    let input = JSONObject([
      ("id", .string(request.id)), ("model", .string(settings.model)), ("messages", .array(request.items)),
      ("max_tokens", .int(settings.maxTokens)), ("temperature", .double(settings.temperature)),
    ])
    let bytes = Array((JSONSerializer.serialize(.object(input)) + "\n").utf8)
    let argv = self.argv
    let child = ChildProcess()
    // Cancellation (vinfer interrupted) kills the program at once instead of waiting for it.
    let outcome = try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (cont: CheckedContinuation<ChildProcess.Outcome, any Error>) in
        // A thread of its own: the run blocks in poll(2) and waitpid(2).
        Thread {
          do {
            cont.resume(returning: try child.run(argv: argv, input: bytes, timeout: timeout))
          } catch {
            let code = (error as? ChildProcess.StartError)?.code ?? EIO
            cont.resume(
              throwing: InferenceError(code: .commandFailed, message: "cannot run \(argv[0]): \(String(cString: strerror(code)))", retryable: false))
          }
        }.start()
      }
    } onCancel: {
      child.cancel()
    }
    return try Self.answer(outcome, program: argv[0], timeout: timeout)
  }

  /// The answer a finished run gives, or the failure it is.
  static func answer(_ outcome: ChildProcess.Outcome, program: String, timeout: Double) throws -> Answer {
    switch outcome {
    case .cancelled:
      throw CancellationError()
    case .timedOut:
      throw InferenceError(code: .timeout, message: "\(program) did not answer within \(Int(timeout)) s", retryable: true)
    case .exited(_, let signal?, _, let stderr):
      let err = String(decoding: stderr, as: UTF8.self)
      throw InferenceError(code: .commandFailed, message: "\(program) was killed by signal \(signal)", body: String(err.suffix(500)), retryable: true)
    case .exited(let status, nil, let stdout, let stderr):
      guard status == 0 else {
        let err = String(decoding: stderr, as: UTF8.self)
        throw InferenceError(code: .commandFailed, message: "\(program) exited with status \(status)", body: String(err.suffix(500)), retryable: true)
      }
      let parts = ReplyParts(content: String(decoding: stdout, as: UTF8.self), reasoningField: nil)
      if parts.content.isEmpty { throw InferenceError(code: .emptyAnswer, message: "\(program) printed no answer", retryable: true) }
      return Answer(text: parts.content, reasoning: parts.reasoning, afterThinking: parts.afterThinking)
    }
  }
}

/// The version string in the User-Agent.
public let vtoolsVersionString = "0.1.0"
