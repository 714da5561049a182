import Foundation
import VCore

/// vinfer's settings.
public struct InferOptions: Sendable {
  public var jobs = 8
  /// Per-request time limit in seconds.
  public var timeout = 300.0
  /// Attempts per record (the first one included).
  public var attempts = 6
  public var backoffBase = 1.0
  public var backoffCap = 60.0
  public var keepOrder = false
  public var keepMessages = false
  public var keepFailed = false
  public var output: String?
  public var shardIndex = 0
  public var shardCount = 1
  public var dryRun = false
  public var verbose = false
  public var progress: ProgressMode = .auto
  public var settings: RequestSettings

  public init(settings: RequestSettings) { self.settings = settings }
}

/// What an earlier run recorded for an id in the `--output` log.
struct LoggedAnswer {
  var failed: Bool
  var hash: String?
}

/// The append-only answer log: one JSON line per finished record; a torn last line (a run
/// killed mid-write) is ignored and fenced off with a newline before appending.
enum AnswerLog {
  static func load(_ path: String, diag: Diagnostics) throws -> [String: LoggedAnswer] {
    guard case .regular = FileIO.fileKind(path) else { return [:] }
    let reader = try ByteReader(path: path)
    try reader.skipBOM()
    var out: [String: LoggedAnswer] = [:]
    var torn = false
    while let line = try reader.nextLine() {
      if line.isEmpty { continue }
      guard let v = try? JSONParser.parse(line), let o = v.objectValue, let id = o["id"]?.scalarText else {
        if !reader.lastLineTerminated {
          torn = true
        } else {
          diag.warning("\(path):\(reader.lineNumber): unreadable line ignored")
        }
        continue
      }
      let failed = o["error"] != nil || (o["prediction"]?.stringValue?.contains(failMessage) ?? true)
      let hash = o["inference"]?.objectValue?["request_hash"]?.stringValue
      // A later success beats an earlier failure; a later failure does not undo a success.
      if let prev = out[id], !prev.failed, failed { continue }
      out[id] = LoggedAnswer(failed: failed, hash: hash)
    }
    if torn { diag.note("\(path): ignoring a torn last line (a previous run was killed while writing it)") }
    // Make sure new records start on a fresh line.
    if let bytes = try? FileIO.readTail(path, count: 1), let last = bytes.last, last != 0x0A {
      let w = try RecordWriter.appending(to: path)
      try w.writeLine([0x0A])
      try w.close()
    }
    return out
  }
}

/// One finished record.
struct Finished: Sendable {
  var seq: Int
  var record: JSONObject
  var failed: Bool
  var connectionFailure: Bool
  var tokens: Int
}

/// vinfer's main loop: bounded concurrency, retries with backoff, resume, sharding.
public final class InferencePipeline: @unchecked Sendable {
  private let options: InferOptions
  private let backend: any Backend
  private let diag: Diagnostics

  public init(options: InferOptions, backend: any Backend, diagnostics: Diagnostics) {
    self.options = options
    self.backend = backend
    self.diag = diagnostics
  }

  private enum Item: Sendable {
    case record(InputRecord)
    case bad(InputError)
    case failure(String, ExitStatus)
  }

  /// Reads inputs on their own thread (reads block) and hands records over with back-pressure.
  private func inputStream(_ inputs: [String]) -> AsyncStream<Item> {
    let (stream, cont) = AsyncStream<Item>.makeStream(bufferingPolicy: .unbounded)
    let room = SlotPool(max(64, options.jobs * 4))  // records read ahead at most
    let t = Thread {
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
    }
    t.start()
    roomSemaphore = room
    return stream
  }

  private var roomSemaphore: SlotPool?

  public func run(inputs: [String]) async throws -> ExitStatus {
    let started = FileIO.monotonicSeconds()
    var logged: [String: LoggedAnswer] = [:]
    let writer: RecordWriter
    if let out = options.output, out != "-" {
      logged = try AnswerLog.load(out, diag: diag)
      writer = try RecordWriter.appending(to: out)
    } else {
      writer = .standardOutput()
    }
    var position = -1
    var seq = 0
    var skipped = 0
    var redone = 0
    var failed = 0
    var answered = 0
    var connectionFailures = 0
    var passed = 0
    var dataErrors = 0
    var tokens = 0
    var pendingOrdered: [Int: Finished] = [:]
    var nextToWrite = 0
    var fatal: (String, ExitStatus)?
    let showProgress = options.progress.isEnabled

    func emit(_ f: Finished) throws {
      if options.keepOrder {
        pendingOrdered[f.seq] = f
        while let g = pendingOrdered.removeValue(forKey: nextToWrite) {
          try writer.write(g.record)
          nextToWrite += 1
        }
      } else {
        try writer.write(f.record)
      }
      if options.verbose, let p = f.record["prediction"]?.stringValue {
        diag.note("\(f.record["id"]?.stringValue ?? "?"): \(p)")
      }
    }

    func account(_ f: Finished) {
      if f.failed { failed += 1 } else { answered += 1 }
      if f.connectionFailure { connectionFailures += 1 }
      tokens += f.tokens
    }

    func progress(inFlight: Int) {
      guard showProgress else { return }
      let dt = max(1e-3, FileIO.monotonicSeconds() - started)
      var text = "vinfer: \(answered + failed) done, \(inFlight) in flight, \(String(format: "%.1f", Double(answered + failed) / dt)) req/s"
      if failed > 0 { text += ", \(failed) failed" }
      if tokens > 0 { text += ", \(Int(Double(tokens) / dt)) tok/s" }
      if skipped > 0 { text += ", \(skipped) already done" }
      Terminal.drawProgress(text)
    }

    let stream = inputStream(inputs)
    let room = roomSemaphore
    try await withThrowingTaskGroup(of: Finished.self) { group in
      var inFlight = 0
      for await item in stream {
        room?.release()
        if Interrupt.requested { break }
        switch item {
        case .failure(let msg, let status):
          fatal = (msg, status)
          continue
        case .bad(let e):
          diag.error(at: e.location, e.message)
          dataErrors += 1
          continue
        case .record(let rec):
          position += 1
          if position % options.shardCount != options.shardIndex { continue }
          var fields = rec.fields
          if fields["error"] != nil {
            // Failed upstream: passed through without a request.
            try emit(Finished(seq: seq, record: fields, failed: false, connectionFailure: false, tokens: 0))
            seq += 1
            passed += 1
            continue
          }
          let hash = RequestBuilder.hash(record: fields, settings: options.settings)
          if let prev = logged[rec.id] {
            if !prev.failed && prev.hash == hash { skipped += 1; continue }
            if prev.failed && options.keepFailed { skipped += 1; continue }
            if !prev.failed {
              diag.warning("id \(rec.id): the prompt or settings changed since \(options.output ?? "the log") recorded its answer; asking again")
            }
            redone += 1
          }
          if options.dryRun {
            switch Result(catching: { () throws(InferenceError) in try RequestBuilder.build(id: rec.id, record: fields, settings: options.settings) }) {
            case .success(let req): try writer.writeLine(Array((req.preview + "\n").utf8))
            case .failure(let e): diag.error(at: rec.location, "id \(rec.id): \(e.message)")
            }
            continue
          }
          if !options.keepMessages { fields["messages"] = nil; fields["system"] = nil; fields["request"] = nil }
          if inFlight >= options.jobs, let f = try await group.next() {
            inFlight -= 1
            account(f)
            try emit(f)
            progress(inFlight: inFlight)
          }
          let mySeq = seq
          seq += 1
          let record = rec.fields
          let location = rec.location
          group.addTask { [self] in await self.process(record: record, output: fields, id: rec.id, seq: mySeq, location: location) }
          inFlight += 1
        }
      }
      if Interrupt.requested { group.cancelAll() }
      while let f = try await group.next() {
        inFlight -= 1
        if Interrupt.requested { continue }  // cancelled work is not recorded: a rerun asks again
        account(f)
        try emit(f)
        progress(inFlight: inFlight)
      }
    }
    room?.close()
    await backend.shutdown()
    Terminal.clearProgressLine()
    if let out = options.output, out != "-" { try writer.close() }
    if Interrupt.requested { throw StreamError.interrupted }
    if let (msg, status) = fatal { throw SimpleToolError(msg, status: status) }
    let dt = FileIO.monotonicSeconds() - started
    if !options.dryRun {
      var parts = ["\(answered) answered", "\(failed) failed"]
      if skipped > 0 { parts.append("\(skipped) skipped (already in \(options.output ?? "the log"))") }
      if redone > 0 { parts.append("\(redone) asked again") }
      if passed > 0 { parts.append("\(passed) passed through with upstream errors") }
      if dataErrors > 0 { parts.append("\(dataErrors) malformed input lines") }
      parts.append(String(format: "%.1f s, %.2f req/s", dt, Double(answered + failed) / max(dt, 1e-3)))
      if tokens > 0 { parts.append("\(tokens) tokens") }
      diag.note(parts.joined(separator: ", "))
    }
    if dataErrors > 0 { return .dataError }
    if failed > 0 && answered == 0 && connectionFailures == failed { return .unavailable }
    return failed > 0 ? .failure : .success
  }

  /// One record: build the request, attempt it with retries, and make the output record.
  func process(record: JSONObject, output: JSONObject, id: String, seq: Int, location: SourceLocation? = nil) async -> Finished {
    var out = output
    let startedAt = ISO8601DateFormatter().string(from: Date())
    let t0 = FileIO.monotonicSeconds()
    var attempts = 0
    var lastError: InferenceError
    do {
      let req = try RequestBuilder.build(id: id, record: record, settings: options.settings)
      while true {
        attempts += 1
        do {
          let a = try await backend.attempt(req, record: record, timeout: options.timeout)
          out["prediction"] = .string(a.text)
          var inf = info(attempts: attempts, t0: t0, startedAt: startedAt, hash: req.hash)
          if let u = a.usage { inf["usage"] = u }
          if let f = a.finishReason { inf["finish_reason"] = .string(f) }
          out["inference"] = .object(inf)
          let tok = a.usage?.objectValue?["completion_tokens"]?.intValue ?? 0
          return Finished(seq: seq, record: out, failed: false, connectionFailure: false, tokens: tok)
        } catch let e as InferenceError {
          lastError = e
          if !e.retryable || attempts >= options.attempts || Task.isCancelled { break }
          let exp = min(options.backoffCap, options.backoffBase * pow(2, Double(attempts - 1)))
          let delay = e.retryAfter.map { min($0, 600) } ?? Double.random(in: 0...exp)
          if options.verbose {
            diag.warning("id \(id): \(e.message), retrying in \(String(format: "%.1f", delay)) s (attempt \(attempts + 1) of \(options.attempts))")
          }
          try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        }
      }
    } catch let e as InferenceError {
      lastError = e
    } catch {
      lastError = InferenceError(code: "cancelled", message: "cancelled", retryable: false)
    }
    out["prediction"] = .string(failMessage)
    var err = JSONObject([("stage", .string("vinfer")), ("code", .string(lastError.code)), ("message", .string(lastError.message)), ("attempts", .int(attempts))])
    if let s = lastError.status { err["status"] = .int(s) }
    if let b = lastError.body { err["body"] = .string(b) }
    out["error"] = .object(err)
    out["inference"] = .object(info(attempts: attempts, t0: t0, startedAt: startedAt, hash: RequestBuilder.hash(record: record, settings: options.settings)))
    if attempts == 0, let location {
      // The record itself is unusable: say where it is.
      diag.error(at: location, "id \(id): \(lastError.message)")
    } else {
      diag.error("id \(id): \(lastError.message) after \(attempts) attempt\(attempts == 1 ? "" : "s")")
    }
    return Finished(seq: seq, record: out, failed: true, connectionFailure: lastError.code == "connection", tokens: 0)
  }

  private func info(attempts: Int, t0: Double, startedAt: String, hash: String) -> JSONObject {
    JSONObject([
      ("model", .string(options.settings.model)), ("endpoint", .string(backend.endpointName)), ("attempts", .int(attempts)),
      ("latency_ms", .int(Int((FileIO.monotonicSeconds() - t0) * 1000))), ("started_at", .string(startedAt)), ("request_hash", .string(hash)),
    ])
  }
}
