import Foundation

/// Why a private Slurm could not start or a wait on it ran out.
public enum PrivateSlurmError: Error, CustomStringConvertible {
  case daemon(String)
  case timeout(String)

  public var description: String {
    switch self {
    case .daemon(let s): return "a Slurm daemon did not start: \(s)"
    case .timeout(let s): return s
    }
  }
}

/// A private single-node Slurm cluster for one test (Debian's `slurm-wlm` 22.05 and `munge`): its
/// own munge key and socket, `slurm.conf`, state, spool and logs under a temporary folder, free
/// loopback ports, `slurmctld` and `slurmd` running as root. `environment` points Slurm's commands
/// at it (`SLURM_CONF`). Everything it started is stopped when it is released.
public final class PrivateSlurm: @unchecked Sendable {
  public let dir: TempDir
  public let environment: [String: String]
  private var pidFiles: [String] = []

  /// Why a private cluster cannot run here, nil when it can (root, and Debian's `slurm-wlm` and
  /// `munge` installed: scripts/install-deps.sh installs them).
  public static var unavailableReason: String? {
    if getuid() != 0 { return "a private Slurm needs root (slurmd runs each job as its user)" }
    for tool in ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      return "\(tool) is missing: apt-get install slurm-wlm munge (scripts/install-deps.sh does)"
    }
    return nil
  }

  public init() throws {
    dir = TempDir("slurm")
    let fm = FileManager.default
    for sub in ["state", "spool", "log", "munge", "run"] { try fm.createDirectory(atPath: dir.file(sub), withIntermediateDirectories: true) }
    chmod(dir.file("munge"), 0o700)
    let keyFile = dir.write("munge/munge.key", bytes: (0..<1024).map { _ in UInt8.random(in: 0...255) })
    chmod(keyFile, 0o400)
    let socket = dir.file("munge/munge.sock")
    try Self.start(
      [
        "/usr/sbin/munged", "--key-file=\(keyFile)", "--socket=\(socket)", "--pid-file=\(dir.file("run/munged.pid"))",
        "--log-file=\(dir.file("log/munged.log"))", "--seed-file=\(dir.file("munge/seed"))", "--force",
      ], env: [:], log: dir.file("log/start.log"))
    pidFiles.append(dir.file("run/munged.pid"))
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, 255)
    let node = String(cString: host).split(separator: ".").first.map(String.init) ?? "localhost"
    let ports = Self.freePorts(2)
    let conf = """
      ClusterName=vtest
      SlurmctldHost=\(node)(127.0.0.1)
      SlurmctldPort=\(ports[0])
      SlurmdPort=\(ports[1])
      AuthType=auth/munge
      AuthInfo=socket=\(socket)
      CredType=cred/munge
      SlurmUser=root
      SlurmdUser=root
      StateSaveLocation=\(dir.file("state"))
      SlurmdSpoolDir=\(dir.file("spool"))
      SlurmctldPidFile=\(dir.file("run/slurmctld.pid"))
      SlurmdPidFile=\(dir.file("run/slurmd.pid"))
      SlurmctldLogFile=\(dir.file("log/slurmctld.log"))
      SlurmdLogFile=\(dir.file("log/slurmd.log"))
      ProctrackType=proctrack/linuxproc
      TaskPlugin=task/none
      SwitchType=switch/none
      MpiDefault=none
      ReturnToService=2
      SchedulerType=sched/backfill
      SelectType=select/cons_tres
      SelectTypeParameters=CR_Core
      JobAcctGatherType=jobacct_gather/none
      AccountingStorageType=accounting_storage/none
      MinJobAge=600
      NodeName=\(node) NodeAddr=127.0.0.1 CPUs=\(ProcessInfo.processInfo.activeProcessorCount) State=UNKNOWN
      PartitionName=debug Nodes=\(node) Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8

      """
    environment = ["SLURM_CONF": dir.write("slurm.conf", conf)]
    try Self.start(["/usr/sbin/slurmctld", "-c"], env: environment, log: dir.file("log/start.log"))
    pidFiles.append(dir.file("run/slurmctld.pid"))
    try Self.start(["/usr/sbin/slurmd"], env: environment, log: dir.file("log/start.log"))
    pidFiles.append(dir.file("run/slurmd.pid"))
    try poll("the node to become idle") {
      (try? ToolRunner.shell(["/usr/bin/sinfo", "-h", "-o", "%T"], env: environment))?.stdout.contains("idle") == true
    }
  }

  /// The tails of the daemons' logs (for failure messages).
  public var log: String {
    ["start", "munged", "slurmctld", "slurmd"].map { "== \($0).log\n" + String(dir.read("log/\($0).log").suffix(1500)) }
      .joined(separator: "\n")
  }

  /// Runs a Slurm command (`squeue`, `scancel`, ...) against this cluster.
  public func command(_ argv: [String]) throws -> ToolOutput { try ToolRunner.shell(argv, env: environment) }

  /// Blocks until `squeue` lists no job.
  public func waitForEmptyQueue() throws {
    try poll("the queue to empty") {
      guard let q = try? command(["/usr/bin/squeue", "-h", "-o", "%i"]) else { return false }
      return q.status == 0 && q.stdout.allSatisfy(\.isWhitespace)
    }
  }

  /// Checks `done` every 50 ms until it holds; after 6,000 checks (a stuck daemon, not a slow
  /// machine) it throws with the daemons' logs rather than hang the suite.
  public func poll(_ what: String, _ done: () throws -> Bool) throws {
    for _ in 0..<6000 {
      if try done() { return }
      usleep(50_000)
    }
    throw PrivateSlurmError.timeout("gave up waiting for \(what):\n\(log)")
  }

  deinit {
    // Job steps first (slurmstepd, and the tasks under it), then the daemons, newest first.
    _ = try? ToolRunner.shell(["/usr/bin/pkill", "-KILL", "-f", "slurmstepd.*\(dir.path)"])
    for file in pidFiles.reversed() {
      if let text = try? String(contentsOfFile: file, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
        kill(pid, SIGKILL)
      }
    }
  }

  /// Runs a daemon's start command and waits for it to return (a daemon forks, and its parent
  /// exits once the child is ready). Started with posix_spawn and waited for by pid alone: with
  /// Foundation's `Process`, `waitUntilExit` also waits for the daemon left behind, and a pipe on
  /// its output never reaches end of file.
  private static func start(_ argv: [String], env: [String: String], log: String) throws {
    let quoted = argv.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    let pid = ToolRunner.spawnShell("exec \(quoted) < /dev/null >> '\(log)' 2>&1", env: env)
    let status = pid < 0 ? -1 : ToolRunner.waitExit(pid)
    if status != 0 {
      let tail = String(decoding: (FileManager.default.contents(atPath: log) ?? Data()).suffix(2000), as: UTF8.self)
      throw PrivateSlurmError.daemon("\(argv[0]) exited with status \(status): \(tail)")
    }
  }

  /// `n` distinct loopback ports nothing listens on now (each socket stays bound until all are
  /// chosen, so no two are the same).
  private static func freePorts(_ n: Int) -> [Int] {
    var fds: [Int32] = []
    defer { fds.forEach { close($0) } }
    return (0..<n).map { _ in
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      fds.append(fd)
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_addr.s_addr = inet_addr("127.0.0.1")
      var len = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
      _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
      return Int(UInt16(bigEndian: addr.sin_port))
    }
  }
}
