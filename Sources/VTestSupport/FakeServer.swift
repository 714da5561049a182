import Foundation

/// The loopback OpenAI-compatible test server (`Tests/Fixtures/fake_openai_server.py`), started
/// on an ephemeral port for one test and stopped when released.
public final class FakeServer: @unchecked Sendable {
  public let port: Int
  public let logPath: String
  private let process: Process
  private let dir: TempDir

  /// The repository root (for fixtures).
  public static let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  public init(faults: [String] = [], latency: Double = 0, faultRate: Double = 0, seed: Int = 0, capacity: Int = 0, strictModels: Bool = false) throws
  {
    dir = TempDir("fakeserver")
    logPath = dir.file("requests.jsonl")
    let portFile = dir.file("port")
    var args = ["python3", FakeServer.repoRoot + "/Tests/Fixtures/fake_openai_server.py", "--port-file", portFile, "--log", logPath]
    if !faults.isEmpty { args += ["--faults", faults.joined(separator: ",")] }
    if latency > 0 { args += ["--latency", String(latency)] }
    if faultRate > 0 { args += ["--fault-rate", String(faultRate), "--seed", String(seed)] }
    if capacity > 0 { args += ["--capacity", String(capacity)] }
    if strictModels { args.append("--strict-models") }
    (process, port) = try Self.launch(args, portFile: portFile)
  }

  /// Starts `argv` (a loopback test server that writes its port to `portFile` once it listens)
  /// and waits for the port.
  public static func launch(_ argv: [String], portFile: String) throws -> (Process, Int) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    var waited = 0
    while !FileManager.default.fileExists(atPath: portFile) {
      guard p.isRunning, waited < 1000 else {
        throw NSError(
          domain: "FakeServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "the test server \(argv.dropFirst().first ?? "") did not start"])
      }
      usleep(10_000)
      waited += 1
    }
    return (p, Int((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "") ?? 0)
  }

  deinit {
    // SIGKILL: a child spawned from a test thread may inherit a mask that blocks SIGTERM.
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// `http://127.0.0.1:PORT/v1`.
  public var url: String { "http://127.0.0.1:\(port)/v1" }

  /// The requests the server saw, one JSON object each.
  public var requests: [[String: Any]] {
    guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
  }
}

/// The loopback Hugging Face hub (`Tests/Fixtures/fake_hub_server.py`) serving the repos
/// `Tests/Fixtures/hub/make_hub_repos.py` writes, with its "CDN" on a second port.
public final class FakeHub: @unchecked Sendable {
  public let port: Int
  public let logPath: String
  /// The repo folders served (`{org}--{name}[@branch]`).
  public let repos: String
  private let process: Process
  private let dir: TempDir

  /// Generates the fixture repos once per process (deterministic, so every test sees the same).
  public static let fixtureRepos: String = {
    let dir = NSTemporaryDirectory() + "vtools-hub-repos-\(getpid())"
    if !FileManager.default.fileExists(atPath: dir) {
      let r = try? ToolRunner.shell(["/usr/bin/env", "python3", FakeServer.repoRoot + "/Tests/Fixtures/hub/make_hub_repos.py", dir])
      if r?.status != 0 { fatalError("make_hub_repos.py failed: \(r?.description ?? "did not run")") }
    }
    return dir
  }()

  /// `options`: the server's fault and gate flags (`--drop-once`, `--gated`, ...).
  public init(repos: String = FakeHub.fixtureRepos, options: [String] = []) throws {
    dir = TempDir("fakehub")
    self.repos = repos
    logPath = dir.file("requests.jsonl")
    let portFile = dir.file("port")
    let args = ["python3", FakeServer.repoRoot + "/Tests/Fixtures/fake_hub_server.py", "--repos", repos, "--port-file", portFile, "--log", logPath]
    (process, port) = try FakeServer.launch(args + options, portFile: portFile)
  }

  deinit {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// `http://127.0.0.1:PORT`.
  public var url: String { "http://127.0.0.1:\(port)" }

  /// The requests the server saw (and its events), one JSON object each.
  public var requests: [[String: Any]] {
    guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
  }

  /// Forgets the requests seen so far.
  public func clearLog() { try? "".write(toFile: logPath, atomically: false, encoding: .utf8) }
}
