import Foundation
import Testing
import VCore
import VTestSupport

/// Waits until `condition` holds, looking every 10 ms; false after `limit` seconds (a guard
/// against a hang, not a timing: the condition is the event waited for).
private func waitUntil(limit: Double = 60, _ condition: () -> Bool) -> Bool {
  let end = Date().addingTimeInterval(limit)
  while !condition() {
    if Date() > end { return false }
    usleep(10_000)
  }
  return true
}

/// The complete lines of a file.
private func lineCount(_ path: String) -> Int {
  ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
}

/// Waits for `pid` to exit; after `limit` seconds (a guard against a hang) kills it and
/// returns nil.
private func waitExit(_ pid: pid_t, limit: Double = 60) -> Int32? {
  var status: Int32 = 0
  let exited = waitUntil(limit: limit) { waitpid(pid, &status, WNOHANG) == pid }
  if exited { return ToolRunner.exitStatus(status) }
  kill(pid, SIGKILL)
  _ = ToolRunner.waitExit(pid)
  return nil
}

/// Whether `pid` has exited: no such process, or a zombie (an orphan that PID 1 of a container
/// may never reap).
private func isGone(_ pid: pid_t) -> Bool {
  guard kill(pid, 0) == 0 else { return true }
  let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
  guard let close = stat.lastIndex(of: ")") else { return true }
  return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}

/// vinfer against the loopback test server, with injected faults.
@Suite(.serialized) struct VInferEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  /// `n` prompt records with two JPEG frames each.
  func prompts(_ d: TempDir, _ n: Int) -> String {
    let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46]
    let f = d.write("f.jpg", bytes: jpeg)
    var text = ""
    for i in 0..<n {
      text +=
        #"{"id":"\#(i)","question":"q\#(i)","candidates":"['x', 'y']","messages":[{"type":"text","value":"SYS\n","role":"system"},{"type":"image","value":"\#(f)"},{"type":"image","value":"\#(f)"},{"type":"text","value":"Question: q\#(i)\nOptions:\n(A) x\n(B) y"},{"type":"text","value":"Best option:(","role":"assistant"}]}"#
        + "\n"
    }
    return d.write("prompts.jsonl", text)
  }

  func vinfer(_ server: FakeServer, _ d: TempDir, _ extra: [String], env: [String: String] = [:]) throws -> ToolOutput {
    try ToolRunner.run("vinfer", ["--api-base", server.url, "--model", "test-model", "--media-root", d.path, "--backoff", "0.01"] + extra, env: env)
  }

  @Test func answersEveryRecordWithTheRightShape() throws {
    let d = TempDir()
    let server = try FakeServer()
    let r = try vinfer(server, d, ["-j", "4", prompts(d, 10)])
    #expect(r.status == 0, "\(r)")
    let recs = try r.lines.map(parse)
    #expect(Set(recs.compactMap { $0["id"]?.stringValue }) == Set((0..<10).map(String.init)))
    for rec in recs {
      #expect(rec["prediction"] == .string("images=2 A"))
      #expect(rec["messages"] == nil)
      let inf = try #require(rec["inference"]?.objectValue)
      #expect(inf["model"] == .string("test-model") && inf["attempts"] == .int(1))
      #expect(inf["endpoint"] == .string("127.0.0.1:\(server.port)"))
      #expect(inf["usage"]?.objectValue?["total_tokens"] == .int(14))
    }
    let reqs = server.requests
    #expect(reqs.count == 10)
    #expect(reqs.allSatisfy { ($0["valid"] as? Bool) == true && ($0["images"] as? Int) == 2 && ($0["path"] as? String) == "/v1/chat/completions" })
    #expect(r.stderr.contains("10 answered, 0 failed"))
  }

  @Test func retriesHonourFaultsAndGiveUpCleanly() throws {
    let d = TempDir()
    let p = prompts(d, 3)
    // 429 (Retry-After 0), 500, dropped connection, bad JSON, empty choices: then an answer.
    let flaky = try FakeServer(faults: ["429", "500", "drop", "badjson", "empty"])
    let r = try vinfer(flaky, d, ["--keep-order", p])
    #expect(r.status == 0, "\(r)")
    for rec in try r.lines.map(parse) {
      #expect(rec["prediction"] == .string("images=2 A"))
      #expect(rec["inference"]?.objectValue?["attempts"] == .int(6))
    }
    // Out of attempts: the FAIL marker and an error object.
    let broken = try FakeServer(faults: ["503", "503", "503"])
    let r2 = try vinfer(broken, d, ["--attempts", "3", p])
    #expect(r2.status == 1)
    for rec in try r2.lines.map(parse) {
      #expect(rec["prediction"] == .string("Failed to obtain answer via API."))
      let e = try #require(rec["error"]?.objectValue)
      #expect(e["stage"] == .string("vinfer") && e["code"] == .string("http_503") && e["attempts"] == .int(3) && e["status"] == .int(503))
    }
    // A 400 is not retried.
    let bad = try FakeServer(faults: ["400"])
    let r3 = try vinfer(bad, d, [p])
    #expect(r3.status == 1)
    #expect(try r3.lines.map(parse).allSatisfy { $0["error"]?.objectValue?["attempts"] == .int(1) })
    #expect(bad.requests.count == 3)
  }

  /// Real servers' permanent failures (their own bodies) are not retried: each gets its code
  /// and the server's message in the error record, after one request.
  @Test func permanentServerFailuresAreNotRetried() throws {
    let d = TempDir()
    let p = prompts(d, 1)
    let cases: [(String, String, Int, String)] = [
      ("ctx", "context_exceeded", 400, "the request exceeds the available context size"),
      ("ctx500", "context_exceeded", 500, "Prompt exceeds n_ctx"),
      ("vllmctx", "context_exceeded", 400, "maximum context length is 32768 tokens"),
      ("images", "too_many_images", 400, "At most 4 image(s) may be provided in one prompt."),
      ("bitmap", "bad_image", 500, "Failed to create bitmap from image"),
    ]
    for (fault, code, status, text) in cases {
      let server = try FakeServer(faults: [fault])
      let r = try vinfer(server, d, [p])
      #expect(r.status == 1, "\(fault): \(r)")
      let rec = try parse(try #require(r.lines.first))
      let e = try #require(rec["error"]?.objectValue)
      #expect(e["code"] == .string(code) && e["attempts"] == .int(1) && e["status"] == .int(status), "\(fault): \(e)")
      #expect(e["message"]?.stringValue?.contains(text) == true, "\(fault): \(e)")
      #expect(server.requests.count == 1, "\(fault)")
    }
  }

  /// A reasoning model's thinking is kept in `inference.reasoning` in each form a server sends
  /// it; the prediction is the content (VLMEvalKit's), or what follows the think block with
  /// `--strip-think`; a reply cut inside its thinking fails as `thinking_truncated`, asked
  /// again only with `--retry-truncated`, its thinking kept.
  @Test func reasoningRepliesKeepTheirThinking() throws {
    let d = TempDir()
    let p = prompts(d, 1)
    func one(_ faults: [String], _ extra: [String] = []) throws -> (JSONObject, FakeServer) {
      let server = try FakeServer(faults: faults)
      let r = try vinfer(server, d, extra + [p])
      return (try parse(try #require(r.lines.first, "\(r)")), server)
    }
    for fault in ["think", "thinkr"] {
      let (rec, _) = try one([fault])
      #expect(rec["prediction"] == .string("B"), "\(fault)")
      #expect(rec["inference"]?.objectValue?["reasoning"] == .string("The cup is red, so B."), "\(fault)")
    }
    let (inline, _) = try one(["thinkinline"])
    #expect(inline["prediction"] == .string("<think>\nThe cup is red, so B.\n</think>\n\nB"))
    #expect(inline["inference"]?.objectValue?["reasoning"] == .string("The cup is red, so B."))
    let (stripped, _) = try one(["thinkinline"], ["--strip-think"])
    #expect(stripped["prediction"] == .string("B"))
    #expect(stripped["inference"]?.objectValue?["reasoning"] == .string("The cup is red, so B."))

    let (cut, cutServer) = try one(["thinkcut", "ok"])
    #expect(cut["prediction"] == .string("Failed to obtain answer via API."))
    #expect(cut["error"]?.objectValue?["code"] == .string("thinking_truncated"))
    #expect(cut["inference"]?.objectValue?["reasoning"] == .string("The cup is red, but maybe"))
    #expect(cutServer.requests.count == 1)
    let (again, againServer) = try one(["thinkcut", "ok"], ["--retry-truncated"])
    #expect(again["prediction"] == .string("images=2 A"))
    #expect(again["inference"]?.objectValue?["attempts"] == .int(2))
    #expect(againServer.requests.count == 2)
    // --reasoning-effort reaches the request body.
    let (_, effortServer) = try one([], ["--reasoning-effort", "high"])
    #expect((effortServer.requests.first?["params"] as? [String: Any])?["reasoning_effort"] as? String == "high")
  }

  /// At start vinfer checks the model against the server's `/v1/models` list; `--max-images`
  /// fails a record before any request; `--dry-run --stats` sizes a run.
  @Test func modelCheckImageBudgetAndStats() throws {
    let d = TempDir()
    let p = prompts(d, 3)
    let server = try FakeServer(strictModels: true)
    let wrong = try ToolRunner.run("vinfer", ["--api-base", server.url, "--model", "other", "--media-root", d.path, p])
    #expect(wrong.status == 78, "\(wrong)")
    #expect(wrong.stderr.contains("vinfer: error: 127.0.0.1:\(server.port) does not serve model 'other'; it serves: test-model"))
    #expect(server.requests.isEmpty)
    let unchecked = try ToolRunner.run("vinfer", ["--api-base", server.url, "--model", "other", "--media-root", d.path, "--no-model-check", p])
    #expect(unchecked.status == 0, "\(unchecked)")
    // llama.cpp lists its model but answers any name: not checked.
    let llama = try FakeServer()
    #expect(try ToolRunner.run("vinfer", ["--api-base", llama.url, "--model", "other", "--media-root", d.path, p]).status == 0)

    let budget = try vinfer(server, d, ["--max-images", "1", p])
    #expect(budget.status == 1)
    let recs = try budget.lines.map(parse)
    #expect(recs.count == 3)
    for rec in recs {
      let e = try #require(rec["error"]?.objectValue)
      #expect(e["code"] == .string("too_many_images") && e["attempts"] == .int(0))
      #expect(e["message"] == .string("the prompt has 2 images, more than --max-images 1"))
    }
    #expect(server.requests.count == 3)  // only the unchecked run's

    let stats = try vinfer(server, d, ["--dry-run", "--stats", p])
    #expect(stats.status == 0, "\(stats)")
    let sizes = try stats.lines.map(parse)
    #expect(sizes.map { $0["images"] } == [.int(2), .int(2), .int(2)])
    #expect(sizes.allSatisfy { ($0["bytes"]?.intValue ?? 0) > 200 })
    #expect(stats.stderr.contains("3 requests: images per request median 2, max 2; payload median"))
    #expect(server.requests.count == 3)
  }

  /// `-j auto` against a server that refuses (429) what is over its capacity: every record is
  /// answered, the refusals cut the level, and the level it settled at is reported.
  @Test func adaptiveConcurrencyFindsTheServersCapacity() throws {
    let d = TempDir()
    let server = try FakeServer(latency: 0.05, capacity: 3)
    let r = try vinfer(server, d, ["-j", "auto", "--max-j", "32", "--attempts", "30", "--keep-order", prompts(d, 60)])
    #expect(r.status == 0, "\(r)")
    let recs = try r.lines.map(parse)
    #expect(recs.count == 60 && recs.allSatisfy { $0["prediction"] == .string("images=2 A") })
    let refused = server.requests.filter { $0["refused"] as? Bool == true }.count
    #expect(refused > 0, "4 requests in flight at the start are over a capacity of 3")
    let settled = try #require(r.stderr.firstMatch(of: /-j auto settled at (\d+) requests in flight/).map { Int($0.1)! })
    #expect(settled >= 1 && settled <= 32, "\(r.stderr)")
    let bad = try ToolRunner.run("vinfer", ["--backend", "chance", "-j", "lots", prompts(d, 1)])
    #expect(bad.status == 64 && bad.stderr.contains("-j must be between 1 and 4096, or auto."))
  }

  @Test func timeoutsAreRetried() throws {
    let d = TempDir()
    let server = try FakeServer(faults: ["slow"])
    let r = try vinfer(server, d, ["--timeout", "0.5", prompts(d, 2)])
    #expect(r.status == 0, "\(r)")
    #expect(try r.lines.map(parse).allSatisfy { $0["inference"]?.objectValue?["attempts"] == .int(2) })
  }

  @Test func resumeAfterKillLosesNothingAndDuplicatesNothing() throws {
    let d = TempDir()
    let p = prompts(d, 30)
    let out = d.file("answers.jsonl")
    let server = try FakeServer(latency: 0.1)
    // Killed mid-run with SIGKILL, once the log holds two answers (28 more take over a second).
    let pid = ToolRunner.spawnShell(
      "exec '\(ToolRunner.binDir)/vinfer' --api-base \(server.url) --model test-model --media-root \(d.path) -j 2 -o \(out) \(p) > /dev/null 2>&1")
    #expect(pid > 0)
    #expect(waitUntil { lineCount(out) >= 2 }, "vinfer wrote no answers")
    kill(pid, SIGKILL)
    #expect(ToolRunner.waitExit(pid) == 128 + SIGKILL)
    let partial = d.read("answers.jsonl").split(separator: "\n").count
    #expect(partial > 0 && partial < 30, "\(partial) answers before the kill")
    // A torn last line, as a kill during a write would leave.
    let h = try #require(FileHandle(forWritingAtPath: out))
    h.seekToEndOfFile()
    h.write(Data(#"{"id":"29","prediction":"tor"#.utf8))
    try h.close()
    let resumed = try vinfer(server, d, ["-o", out, p])
    #expect(resumed.status == 0, "\(resumed)")
    #expect(resumed.stderr.contains("torn last line"))
    #expect(resumed.stderr.contains("skipped"))
    var ids: [String] = []
    for line in d.read("answers.jsonl").split(separator: "\n") {
      guard let o = try? JSONParser.parse(String(line)).objectValue else { continue }
      ids.append(o["id"]?.stringValue ?? "")
    }
    #expect(ids.count == 30 && Set(ids).count == 30)
    // A third run asks nothing.
    let before = server.requests.count
    let again = try vinfer(server, d, ["-o", out, p])
    #expect(again.status == 0)
    #expect(server.requests.count == before)
    #expect(again.stderr.contains("30 skipped"))
  }

  @Test func killedAtRandomUnderFaultsAndRestartedUntilDone() throws {
    let d = TempDir()
    let p = prompts(d, 40)
    let out = d.file("answers.jsonl")
    // 30% of requests fail: 429, 500, 503, dropped connections, stalls past the timeout.
    let server = try FakeServer(latency: 0.05, faultRate: 0.3, seed: 7)
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<4 {
      let ms = Int.random(in: 150...600, using: &rng)
      let k = try ToolRunner.sh(
        "vinfer --api-base \(server.url) --model test-model --media-root \(d.path) -j 4 --timeout 1 --backoff 0.01 -o \(out) \(p) 2>/dev/null & pid=$!; sleep \(Double(ms) / 1000); kill -9 $pid; wait $pid; true"
      )
      #expect(k.status == 0)
    }
    var runs = 0
    var last: ToolOutput
    repeat {
      last = try vinfer(server, d, ["-j", "4", "--timeout", "1", "--attempts", "10", "-o", out, p])
      runs += 1
    } while last.status != 0 && runs < 5
    #expect(last.status == 0, "\(last)")
    var successes: [String: Int] = [:]
    for line in d.read("answers.jsonl").split(separator: "\n") {
      guard let o = try? JSONParser.parse(String(line)).objectValue, let id = o["id"]?.stringValue else { continue }
      if o["error"] == nil { successes[id, default: 0] += 1 }
    }
    #expect(successes.count == 40, "every id answered")
    #expect(successes.values.allSatisfy { $0 == 1 }, "no id answered twice: \(successes.filter { $0.value > 1 })")
  }

  @Test func changedPromptsAreAskedAgainAndFailedOnesRetried() throws {
    let d = TempDir()
    let p = prompts(d, 2)
    let out = d.file("a.jsonl")
    let failing = try FakeServer(faults: ["500"])
    _ = try vinfer(failing, d, ["--attempts", "1", "-o", out, p])
    let good = try FakeServer()
    let kept = try vinfer(good, d, ["--keep-failed", "-o", out, p])
    #expect(good.requests.isEmpty && kept.status == 0)
    let retried = try vinfer(good, d, ["-o", out, p])
    #expect(good.requests.count == 2 && retried.status == 0)
    let changed = try vinfer(good, d, ["--max-tokens", "7", "-o", out, p])
    #expect(changed.stderr.contains("changed since"))
    #expect(good.requests.count == 4)
  }

  @Test func shardsSplitTheInputByPosition() throws {
    let d = TempDir()
    let p = prompts(d, 9)
    var all: [String] = []
    for i in 0..<3 {
      let r = try ToolRunner.run("vinfer", ["--backend", "chance", "--shard", "\(i)/3", p])
      let ids = try r.lines.map { try parse($0)["id"]?.stringValue ?? "" }
      #expect(ids.sorted() == [i, i + 3, i + 6].map(String.init).sorted())
      all += ids
    }
    #expect(Set(all).count == 9)
  }

  @Test func dryRunSendsNothingAndTheKeyNeverLeaks() throws {
    let d = TempDir()
    let p = prompts(d, 2)
    let server = try FakeServer()
    let secret = "sk-test-SECRET-4242"
    let dry = try vinfer(server, d, ["--dry-run", p], env: ["OPENAI_API_KEY": secret])
    #expect(dry.status == 0)
    #expect(server.requests.isEmpty)
    #expect(dry.stdout.contains("<10 bytes from "))
    let out = d.file("o.jsonl")
    let real = try vinfer(server, d, ["-o", out, "-v", p], env: ["OPENAI_API_KEY": secret])
    #expect(real.status == 0)
    #expect(server.requests.first?["auth"] as? String == "Bearer \(secret)")
    for text in [dry.stdout, dry.stderr, real.stdout, real.stderr, d.read("o.jsonl")] {
      #expect(!text.contains(secret))
    }
  }

  @Test func unreachableServerIsStatus69AndBadConfig78() throws {
    let d = TempDir()
    let p = prompts(d, 2)
    let r = try ToolRunner.run(
      "vinfer", ["--api-base", "http://127.0.0.1:9", "--model", "m", "--media-root", d.path, "--attempts", "2", "--backoff", "0.01", p])
    #expect(r.status == 69, "\(r)")
    #expect(r.stdout.contains("Failed to obtain answer via API."))
    let noBase = try ToolRunner.run("vinfer", ["--model", "m", p], env: ["OPENAI_API_BASE": ""])
    #expect(noBase.status == 78)
    let ftp = try ToolRunner.run("vinfer", ["--api-base", "ftp://x/v1", "--model", "m", p])
    #expect(ftp.status == 78)
    #expect(ftp.stderr.contains("vinfer: error: --api-base must be an http:// or https:// URL"))
  }

  @Test func commandBackendAndUpstreamErrors() throws {
    let d = TempDir()
    let p = prompts(d, 2)
    d.write("model.sh", "#!/bin/sh\nread line\necho \"echo:$(printf '%s' \"$line\" | head -c 7)\"\n")
    chmod(d.file("model.sh"), 0o755)
    let r = try ToolRunner.run("vinfer", ["--backend", "command", "--command", d.file("model.sh"), "--media-root", d.path, p])
    #expect(r.status == 0, "\(r)")
    #expect(try r.lines.map(parse).allSatisfy { $0["prediction"] == .string("echo:{\"id\":\"") })
    d.write("e.jsonl", #"{"id":"9","error":{"stage":"vframes","code":"video_missing","message":"x"}}"# + "\n")
    let pass = try ToolRunner.run("vinfer", ["--backend", "chance", d.file("e.jsonl")])
    #expect(pass.status == 0)
    #expect(try parse(pass.lines[0])["prediction"] == nil)
  }

  /// SIGINT while the command backend's program runs: vinfer kills it and stops at once (the
  /// program would sleep past vinfer's time limit), exit 130, nothing recorded for it.
  @Test func sigintStopsARunningCommand() throws {
    let d = TempDir()
    let p = prompts(d, 3)
    let started = d.file("started")
    d.write("model.sh", "#!/bin/sh\necho $$ > '\(started).tmp'; mv '\(started).tmp' '\(started)'\nexec sleep 300\n")
    chmod(d.file("model.sh"), 0o755)
    let out = d.file("answers.jsonl")
    let pid = ToolRunner.spawnShell(
      "exec '\(ToolRunner.binDir)/vinfer' --backend command --command \(d.file("model.sh")) --media-root \(d.path) -j 1 --timeout 200 -o \(out) \(p) 2> \(d.file("err"))"
    )
    #expect(pid > 0)
    #expect(waitUntil { FileManager.default.fileExists(atPath: started) }, "the command never started")
    kill(pid, SIGINT)
    // The guard (60 s) is far below the time limit (200 s) a run that ignored the signal would wait.
    let status = waitExit(pid)
    #expect(status == 130, "\(d.read("err"))")
    #expect(d.read("err").contains("vinfer: interrupted"))
    #expect(lineCount(out) == 0, "cancelled work is not recorded")
    let child = pid_t(d.read("started").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    #expect(child > 0 && isGone(child), "the command was killed")
  }
}
