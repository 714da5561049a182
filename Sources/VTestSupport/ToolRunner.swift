import Foundation

/// The result of running a tool: stdout, stderr and the exit status, kept apart.
public struct ToolOutput: Sendable, CustomStringConvertible {
  public var stdout: String
  public var stderr: String
  public var status: Int32
  public var command: String

  /// Stdout split into lines (without the empty string after the final newline).
  public var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }

  public var description: String {
    "$ \(command)\nstatus: \(status)\n--- stdout\n\(stdout.prefix(4000))\n--- stderr\n\(stderr.prefix(4000))"
  }
}

/// Runs the built tools (found next to the test bundle, or in `VTOOLS_BIN_DIR`).
public enum ToolRunner {
  /// The directory holding the binaries.
  public static var binDir: String {
    if let d = ProcessInfo.processInfo.environment["VTOOLS_BIN_DIR"], !d.isEmpty { return d }
    // The test bundle lives in .build/<config>/, beside the executables.
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    for _ in 0..<6 {
      url.deleteLastPathComponent()
      if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("vframes").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath + "/.build/debug"
  }

  /// Runs `tool args` with `stdin` as input, in `cwd`, with extra environment variables.
  public static func run(
    _ tool: String, _ args: [String], stdin: String? = nil, cwd: String? = nil, env: [String: String] = [:]
  ) throws -> ToolOutput {
    try shell([binDir + "/" + tool] + args, stdin: stdin, cwd: cwd, env: env)
  }

  /// Runs a command line (no shell) and collects its output.
  public static func shell(_ argv: [String], stdin: String? = nil, cwd: String? = nil, env: [String: String] = [:]) throws -> ToolOutput {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: argv[0])
    p.arguments = Array(argv.dropFirst())
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    let inData = Data((stdin ?? "").utf8)
    let writer = Thread {
      inp.fileHandleForWriting.writeabilityHandler = nil
      try? inp.fileHandleForWriting.write(contentsOf: inData)
      try? inp.fileHandleForWriting.close()
    }
    writer.start()
    // Read both pipes concurrently so neither fills up.
    let errBox = DataBox()
    let errThread = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while errBox.data == nil { usleep(1000) }
    return ToolOutput(
      stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errBox.data ?? Data(), as: UTF8.self),
      status: p.terminationStatus, command: argv.joined(separator: " "))
  }

  /// Starts `/bin/sh -c script` with posix_spawn (the environment plus `env`), optionally as the
  /// leader of a new process group (so a test can kill the whole run); returns the pid or -1.
  /// Foundation's `Process.waitUntilExit` waits for every process the child started, daemons
  /// included; this does not.
  public static func spawnShell(_ script: String, env: [String: String] = [:], newProcessGroup: Bool = false) -> pid_t {
    var e = ProcessInfo.processInfo.environment
    for (k, v) in env { e[k] = v }
    var argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", script].map { (s: String) in strdup(s) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = e.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    if newProcessGroup {
      posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
      posix_spawnattr_setpgroup(&attr, 0)
    }
    var pid: pid_t = 0
    return posix_spawn(&pid, "/bin/sh", nil, &attr, &argv, &envp) == 0 ? pid : -1
  }

  /// Waits for `pid` and returns its exit status (128 + signal when killed).
  public static func waitExit(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return exitStatus(status)
  }

  /// A `waitpid` status as a shell would report it.
  public static func exitStatus(_ status: Int32) -> Int32 {
    (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }

  /// Runs `/bin/sh -c script` in `cwd` with stdin from /dev/null and stdout/stderr appended to
  /// `cwd/log`, the tools on PATH, waiting only for the shell itself (for scripts that leave
  /// daemons running).
  public static func shDetached(_ script: String, cwd: String, log: String, env: [String: String] = [:]) -> Int32 {
    var e = env
    e["PATH"] = binDir + ":" + (env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let pid = spawnShell("cd '\(cwd)' && exec < /dev/null >> '\(log)' 2>&1 && " + script, env: e)
    return pid < 0 ? -1 : waitExit(pid)
  }

  /// Runs a shell pipeline with `/bin/sh -c`.
  public static func sh(_ script: String, cwd: String? = nil, env: [String: String] = [:]) throws -> ToolOutput {
    var e = env
    e["PATH"] = binDir + ":" + (env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    return try shell(["/bin/sh", "-c", script], cwd: cwd, env: e)
  }
}

final class DataBox: @unchecked Sendable {
  private let lock = NSLock()
  private var _data: Data?
  var data: Data? {
    get {
      lock.lock()
      defer { lock.unlock() }
      return _data
    }
    set {
      lock.lock()
      _data = newValue
      lock.unlock()
    }
  }
}
