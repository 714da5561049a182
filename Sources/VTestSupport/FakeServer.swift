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
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    var args = ["python3", FakeServer.repoRoot + "/Tests/Fixtures/fake_openai_server.py", "--port-file", portFile, "--log", logPath]
    if !faults.isEmpty { args += ["--faults", faults.joined(separator: ",")] }
    if latency > 0 { args += ["--latency", String(latency)] }
    if faultRate > 0 { args += ["--fault-rate", String(faultRate), "--seed", String(seed)] }
    if capacity > 0 { args += ["--capacity", String(capacity)] }
    if strictModels { args.append("--strict-models") }
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    process = p
    var waited = 0
    while !FileManager.default.fileExists(atPath: portFile) {
      guard p.isRunning, waited < 1000 else {
        throw NSError(domain: "FakeServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "the test server did not start"])
      }
      usleep(10_000)
      waited += 1
    }
    port = Int((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "") ?? 0
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
