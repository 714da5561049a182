import Foundation
import VCore

/// vinfer's settings.
public struct InferOptions: Sendable {
  /// The per-request time limit by default, in seconds (VLMEvalKit's 330): the library's and
  /// the command line's.
  public static let defaultTimeout = 330.0
  /// Requests in flight at most, by default.
  public static let defaultJobs = 8

  /// Requests in flight at most (with `adaptiveJobs`, the most `-j auto` may reach: `--max-j`).
  public var jobs = defaultJobs
  /// `-j auto`: the level is found while the run goes (ConcurrencyControl).
  public var adaptiveJobs = false
  /// Per-request time limit in seconds.
  public var timeout = defaultTimeout
  /// Attempts, backoff and which failures are retried.
  public var retry = RetryPolicy.standard
  public var keepOrder = false
  public var keepMessages = false
  public var keepFailed = false
  public var output: String?
  public var shardIndex = 0
  public var shardCount = 1
  public var dryRun = false
  /// `--dry-run --stats`: per record its image count and payload size instead of the body.
  public var stats = false
  /// Check at start that the server serves the model (`GET /v1/models`; `--no-model-check`).
  public var checkModel = true
  /// The prediction is the answer after a leading think block (`--strip-think`).
  public var stripThink = false
  public var verbose = false
  public var progress: ProgressMode = .auto
  public var settings: RequestSettings

  public init(settings: RequestSettings) { self.settings = settings }

  /// The `--output` log, when answers go to a file rather than standard output.
  var logPath: String? { output.flatMap { $0 == "-" ? nil : $0 } }
}

/// One finished record.
struct Finished: Sendable {
  var seq: Int
  var record: JSONObject
  var failed: Bool
  var connectionFailure: Bool
  var tokens: Int
}

/// The counts a run reports at the end and in its progress line.
struct Tally: Sendable {
  var answered = 0
  var failed = 0
  var skipped = 0
  var redone = 0
  var passed = 0
  var dataErrors = 0
  var connectionFailures = 0
  var tokens = 0

  mutating func account(_ f: Finished) {
    if f.failed { failed += 1 } else { answered += 1 }
    if f.connectionFailure { connectionFailures += 1 }
    tokens += f.tokens
  }

  /// 65 for malformed input, 69 when nothing could reach the server, 1 for failures.
  var exitStatus: ExitStatus {
    if dataErrors > 0 { return .dataError }
    if failed > 0 && answered == 0 && connectionFailures == failed { return .unavailable }
    return failed > 0 ? .failure : .success
  }

  func progressLine(inFlight: Int, seconds dt: Double) -> String {
    var text = "vinfer: \(answered + failed) done, \(inFlight) in flight, \(String(format: "%.1f", Double(answered + failed) / dt)) req/s"
    if failed > 0 { text += ", \(failed) failed" }
    if tokens > 0 { text += ", \(Int(Double(tokens) / dt)) tok/s" }
    if skipped > 0 { text += ", \(skipped) already done" }
    return text
  }

  func summary(seconds dt: Double, log: String) -> String {
    var parts = ["\(answered) answered", "\(failed) failed"]
    if skipped > 0 { parts.append("\(skipped) skipped (already in \(log))") }
    if redone > 0 { parts.append("\(redone) asked again") }
    if passed > 0 { parts.append("\(passed) passed through with upstream errors") }
    if dataErrors > 0 { parts.append("\(dataErrors) malformed input lines") }
    parts.append(String(format: "%.1f s, %.2f req/s", dt, Double(answered + failed) / max(dt, 1e-3)))
    if tokens > 0 { parts.append("\(tokens) tokens") }
    return parts.joined(separator: ", ")
  }
}

/// The inputs, read on a thread of their own (reads block) and handed over with back-pressure:
/// at most `readAhead` records are read and not yet taken. Owns its pool of read-ahead slots.
struct InputFeed: Sendable {
  enum Item: Sendable {
    case record(InputRecord)
    case bad(InputError)
    case failure(String, ExitStatus)
  }

  let items: AsyncStream<Item>
  private let room: SlotPool

  init(inputs: [String], readAhead: Int) {
    let (stream, cont) = AsyncStream<Item>.makeStream(bufferingPolicy: .unbounded)
    let room = SlotPool(readAhead)
    Thread {
      defer { cont.finish() }
      do {
        for path in inputs {
          let reader = try RecordReader(path: path)
          while let r = try reader.next() {
            if !room.acquire() { return }
            switch r {
            case .success(let rec): cont.yield(.record(rec))
            case .failure(let e): cont.yield(.bad(e))
            }
          }
        }
      } catch let e as ToolError {
        cont.yield(.failure(e.description, e.exitStatus))
      } catch {
        cont.yield(.failure(String(describing: error), .ioError))
      }
    }.start()
    self.items = stream
    self.room = room
  }

  /// An item was taken: its slot is free for the next read.
  func taken() { room.release() }

  /// Stops the reading thread (it may be waiting for a slot).
  func close() { room.close() }
}

/// Where finished records go: the `--output` log or standard output, in input order with
/// `--keep-order`.
final class AnswerSink {
  private let writer: RecordWriter
  private let ownsFile: Bool
  private let keepOrder: Bool
  private let verbose: Bool
  private let diag: Diagnostics
  private var pending: [Int: Finished] = [:]
  private var nextToWrite = 0

  init(logPath: String?, keepOrder: Bool, verbose: Bool, diag: Diagnostics) throws {
    writer = try logPath.map { try RecordWriter.appending(to: $0) } ?? .standardOutput()
    ownsFile = logPath != nil
    self.keepOrder = keepOrder
    self.verbose = verbose
    self.diag = diag
  }

  func emit(_ f: Finished) throws {
    if keepOrder {
      pending[f.seq] = f
      while let g = pending.removeValue(forKey: nextToWrite) {
        try writer.write(g.record)
        nextToWrite += 1
      }
    } else {
      try writer.write(f.record)
    }
    if verbose, let p = f.record[RecordKey.prediction]?.stringValue {
      diag.note("\(f.record[RecordKey.id]?.stringValue ?? "?"): \(p)")
    }
  }

  /// A `--dry-run` request preview.
  func writeLine(_ text: String) throws { try writer.writeLine(Array((text + "\n").utf8)) }

  func close() throws { if ownsFile { try writer.close() } }
}

/// vinfer's main loop: bounded concurrency, retries with backoff, resume, sharding.
public final class InferencePipeline: Sendable {
  private let options: InferOptions
  private let backend: any Backend
  private let diag: Diagnostics
  private let control: ConcurrencyControl
  /// The data URLs of the frames requests carry, shared by all of them.
  private let media = MediaCache()

  public init(options: InferOptions, backend: any Backend, diagnostics: Diagnostics) {
    self.options = options
    self.backend = backend
    self.diag = diagnostics
    control = options.adaptiveJobs ? ConcurrencyControl(adaptiveUpTo: options.jobs) : ConcurrencyControl(fixed: options.jobs)
  }

  public func run(inputs: [String]) async throws -> ExitStatus {
    let started = FileIO.monotonicSeconds()
    let logged = try loadLog()
    if !options.dryRun && options.checkModel {
      do {
        try await backend.checkModel(options.settings.model)
      } catch {
        await backend.shutdown()
        throw error
      }
    }
    let feed = InputFeed(inputs: inputs, readAhead: max(64, options.jobs * 4))
    let outcome: Outcome
    do {
      defer { feed.close() }
      outcome = try await Self.cancelledOnInterrupt { [self] in try await dispatch(feed, logged: logged, started: started) }
    } catch {
      await backend.shutdown()
      throw error
    }
    await backend.shutdown()
    Terminal.clearProgressLine()
    if Interrupt.requested { throw StreamError.interrupted }
    if let fatal = outcome.fatal { throw fatal }
    if options.adaptiveJobs && !options.dryRun {
      let c = control.summary
      diag.note("-j auto settled at \(c.level) requests in flight (highest \(c.highest), \(c.changes) changes, --max-j \(options.jobs))")
    }
    if !options.dryRun {
      diag.note(outcome.tally.summary(seconds: FileIO.monotonicSeconds() - started, log: options.output ?? "the log"))
    }
    return outcome.tally.exitStatus
  }

  /// What `dispatch` did: the counts, and the input error that ended the reading, if one did.
  struct Outcome: Sendable {
    var tally = Tally()
    var fatal: SimpleToolError?
  }

  /// What an earlier run wrote to the `--output` log, fenced so new records start on a line of
  /// their own.
  private func loadLog() throws -> [String: AnswerLog.Entry] {
    guard let path = options.logPath, case .regular = FileIO.fileKind(path) else { return [:] }
    let log = try AnswerLog.read(paths: [path])
    for (loc, _) in log.malformed { diag.warning("\(loc): unreadable line ignored") }
    if !log.torn.isEmpty { diag.note("\(path): ignoring a torn last line (a previous run was killed while writing it)") }
    try AnswerLog.fence(path)
    return log.entries
  }

  /// What to do with a record the log may already answer.
  private enum Resume {
    case ask, skip, askAgain
  }

  private func resume(_ id: String, hash: String, logged: [String: AnswerLog.Entry]) -> Resume {
    guard let prev = logged[id] else { return .ask }
    if !prev.failed && prev.requestHash == hash { return .skip }
    if prev.failed && options.keepFailed { return .skip }
    if !prev.failed {
      diag.warning("id \(id): the prompt or settings changed since \(options.output ?? "the log") recorded its answer; asking again")
    }
    return .askAgain
  }

  /// Reads the feed, starts up to `jobs` records at a time and writes each as it finishes;
  /// when cancelled (interrupted), stops reading and drops the work in flight.
  private func dispatch(_ feed: InputFeed, logged: [String: AnswerLog.Entry], started: Double) async throws -> Outcome {
    let sink = try AnswerSink(logPath: options.logPath, keepOrder: options.keepOrder, verbose: options.verbose, diag: diag)
    var outcome = Outcome()
    do {
      try await answer(feed, logged: logged, sink: sink, started: started, outcome: &outcome)
    } catch {
      try? sink.close()
      throw error
    }
    try sink.close()
    return outcome
  }

  private func answer(_ feed: InputFeed, logged: [String: AnswerLog.Entry], sink: AnswerSink, started: Double, outcome: inout Outcome) async throws {
    var tally = Tally()
    var sizes: [(images: Int, bytes: Int)] = []  // --dry-run --stats
    defer {
      outcome.tally = tally
      if options.dryRun && options.stats && !sizes.isEmpty { diag.note(Self.sizeSummary(sizes)) }
    }
    var position = -1
    var seq = 0
    let showProgress = options.progress.isEnabled
    func progress(inFlight: Int) {
      guard showProgress else { return }
      Terminal.drawProgress(tally.progressLine(inFlight: inFlight, seconds: max(1e-3, FileIO.monotonicSeconds() - started)))
    }
    try await withThrowingTaskGroup(of: Finished.self) { group in
      var inFlight = 0
      func finish(_ f: Finished) throws {
        inFlight -= 1
        if Interrupt.requested { return }  // cancelled work is not recorded: a rerun asks again
        tally.account(f)
        try sink.emit(f)
        progress(inFlight: inFlight)
      }
      for await item in feed.items {
        feed.taken()
        if Interrupt.requested { break }
        let rec: InputRecord
        switch item {
        case .failure(let msg, let status):
          outcome.fatal = SimpleToolError(msg, status: status)
          continue
        case .bad(let e):
          diag.error(at: e.location, e.message)
          tally.dataErrors += 1
          continue
        case .record(let r):
          rec = r
        }
        position += 1
        if position % options.shardCount != options.shardIndex { continue }
        if rec.fields[RecordKey.error] != nil {
          // Failed upstream: passed through without a request.
          try sink.emit(Finished(seq: seq, record: rec.fields, failed: false, connectionFailure: false, tokens: 0))
          seq += 1
          tally.passed += 1
          continue
        }
        switch resume(rec.id, hash: RequestBuilder.hash(record: rec.fields, settings: options.settings), logged: logged) {
        case .skip:
          tally.skipped += 1
          continue
        case .askAgain: tally.redone += 1
        case .ask: break
        }
        if options.dryRun {
          if let size = try preview(rec, sink) { sizes.append(size) }
          continue
        }
        while inFlight >= control.level, let f = try await group.next() { try finish(f) }
        let mySeq = seq
        seq += 1
        let output = outputFields(rec.fields)
        group.addTask { [self] in await process(record: rec.fields, output: output, id: rec.id, seq: mySeq, location: rec.location) }
        inFlight += 1
      }
      if Interrupt.requested { group.cancelAll() }
      while let f = try await group.next() { try finish(f) }
    }
  }

  /// `--dry-run`: the request body instead of the request (with `--stats`, its image count and
  /// size); returns the sizes of a request that could be built.
  private func preview(_ rec: InputRecord, _ sink: AnswerSink) throws -> (images: Int, bytes: Int)? {
    switch Result(catching: { () throws(InferenceError) in
      try RequestBuilder.build(id: rec.id, record: rec.fields, settings: options.settings, media: media, preview: !options.stats)
    }) {
    case .success(let req):
      if options.stats {
        var o = JSONObject([("id", .string(rec.id)), ("images", .int(req.imageCount)), ("bytes", .int(req.payload.readableBytes))])
        if req.audioCount > 0 { o["audio"] = .int(req.audioCount) }
        try sink.writeLine(JSONSerializer.serialize(.object(o)))
      } else {
        try sink.writeLine(req.preview)
      }
      return (req.imageCount, req.payload.readableBytes)
    case .failure(let e):
      diag.error(at: rec.location, "id \(rec.id): \(e.message)")
      return nil
    }
  }

  /// The `--dry-run --stats` summary: records, images per request, payload sizes.
  static func sizeSummary(_ sizes: [(images: Int, bytes: Int)]) -> String {
    let images = sizes.map(\.images).sorted(), bytes = sizes.map(\.bytes).sorted()
    func mib(_ b: Int) -> String { String(format: "%.1f MiB", Double(b) / 1_048_576) }
    return "\(sizes.count) requests: images per request median \(images[images.count / 2]), max \(images.last ?? 0); "
      + "payload median \(mib(bytes[bytes.count / 2])), max \(mib(bytes.last ?? 0)), total \(mib(bytes.reduce(0, +)))"
  }

  /// The fields an answer record starts from: the input's, without the prompt unless
  /// `--keep-messages`.
  private func outputFields(_ fields: JSONObject) -> JSONObject {
    var out = fields
    if !options.keepMessages {
      out[RecordKey.messages] = nil
      out[RecordKey.system] = nil
      out[RecordKey.request] = nil
    }
    return out
  }

  /// Runs `body`, cancelling it when SIGINT or SIGTERM asks the tool to stop. (`Interrupt` is a
  /// flag a signal handler sets; a watcher task looks at it every 50 ms.)
  static func cancelledOnInterrupt<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        while !Interrupt.requested && !Task.isCancelled { try? await Task.sleep(nanoseconds: 50_000_000) }
        return nil
      }
      var result: T?
      while let r = try await group.next() {
        if let r {
          result = r
          group.cancelAll()  // the watcher
        } else if result == nil {
          group.cancelAll()  // interrupted: cancel the body, which returns what it finished
        }
      }
      guard let result else { throw CancellationError() }
      return result
    }
  }

  /// One record: build the request, attempt it with retries, and make the output record.
  func process(record: JSONObject, output: JSONObject, id: String, seq: Int, location: SourceLocation? = nil) async -> Finished {
    var out = output
    let startedAt = Self.utcTimestamp()
    let t0 = FileIO.monotonicSeconds()
    var attempts = 0
    var lastError: InferenceError
    var reasoning: String?  // the thinking of the last failed reply that had one
    do {
      let req = try RequestBuilder.build(id: id, record: record, settings: options.settings, media: media, preview: false)
      while true {
        attempts += 1
        let attemptStart = FileIO.monotonicSeconds()
        do {
          let a = try await backend.attempt(req, record: record, timeout: options.timeout)
          control.completed(latency: FileIO.monotonicSeconds() - attemptStart)
          let prediction = options.stripThink ? a.afterThinking : a.text
          if prediction.isEmpty {
            throw InferenceError(
              code: .emptyAnswer, message: "the answer is empty after its think block (--strip-think)", retryable: true, reasoning: a.reasoning)
          }
          out[RecordKey.prediction] = .string(prediction)
          var inf = info(attempts: attempts, t0: t0, startedAt: startedAt, hash: req.hash)
          if let u = a.usage { inf["usage"] = u }
          if let f = a.finishReason { inf["finish_reason"] = .string(f) }
          if let r = a.reasoning { inf["reasoning"] = .string(r) }
          out[RecordKey.inference] = .object(inf)
          let tok = a.usage?.objectValue?["completion_tokens"]?.intValue ?? 0
          return Finished(seq: seq, record: out, failed: false, connectionFailure: false, tokens: tok)
        } catch let e as InferenceError {
          lastError = e
          if e.reasoning != nil { reasoning = e.reasoning }
          if e.status == 429 || e.status == 503 { control.refused() }
          if !options.retry.shouldRetry(e, after: attempts) || Task.isCancelled { break }
          let delay = options.retry.delay(after: attempts, retryAfter: e.retryAfter)
          if options.verbose {
            diag.warning(
              "id \(id): \(e.message), retrying in \(String(format: "%.1f", delay)) s (attempt \(attempts + 1) of \(options.retry.attempts))")
          }
          try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        }
      }
    } catch let e as InferenceError {
      lastError = e
    } catch {
      lastError = InferenceError(code: .cancelled, message: "cancelled", retryable: false)
    }
    if lastError.reasoning == nil { lastError.reasoning = reasoning }
    return failed(out, lastError, attempts: attempts, t0: t0, startedAt: startedAt, record: record, id: id, seq: seq, location: location)
  }

  /// The time now as ISO 8601 in UTC to the second (`2026-12-03T05:48:53Z`, what
  /// `ISO8601DateFormatter` writes, without building one per request).
  static func utcTimestamp(_ seconds: time_t = time(nil)) -> String {
    var t = seconds
    var f = tm()
    gmtime_r(&t, &f)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
    return "\(f.tm_year + 1900)-\(two(f.tm_mon + 1))-\(two(f.tm_mday))T\(two(f.tm_hour)):\(two(f.tm_min)):\(two(f.tm_sec))Z"
  }

  /// The record of an answer that could not be obtained: VLMEvalKit's fail marker and the error.
  private func failed(
    _ output: JSONObject, _ error: InferenceError, attempts: Int, t0: Double, startedAt: String, record: JSONObject, id: String, seq: Int,
    location: SourceLocation?
  ) -> Finished {
    var out = output
    out[RecordKey.prediction] = .string(FailMarker.message)
    out.setError(error.recordError(attempts: attempts))
    var inf = info(attempts: attempts, t0: t0, startedAt: startedAt, hash: RequestBuilder.hash(record: record, settings: options.settings))
    if let r = error.reasoning { inf["reasoning"] = .string(r) }  // never lost
    out[RecordKey.inference] = .object(inf)
    if attempts == 0, let location {
      // The record itself is unusable: say where it is.
      diag.error(at: location, "id \(id): \(error.message)")
    } else {
      diag.error("id \(id): \(error.message) after \(attempts) attempt\(attempts == 1 ? "" : "s")")
    }
    return Finished(seq: seq, record: out, failed: true, connectionFailure: error.code == .connection, tokens: 0)
  }

  private func info(attempts: Int, t0: Double, startedAt: String, hash: String) -> JSONObject {
    JSONObject([
      ("model", .string(options.settings.model)), ("endpoint", .string(backend.endpointName)), ("attempts", .int(attempts)),
      ("latency_ms", .int(Int((FileIO.monotonicSeconds() - t0) * 1000))), ("started_at", .string(startedAt)), ("request_hash", .string(hash)),
    ])
  }
}
