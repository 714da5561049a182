#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Errors of the stream layer.
public enum StreamError: ToolError, Equatable {
  /// The reader of our output went away (EPIPE). Tools stop quietly and exit 0.
  case downstreamClosed
  /// A write or close failed.
  case io(path: String, errno: Int32)
  /// An input could not be opened or read.
  case cannotOpen(path: String, errno: Int32)
  /// SIGINT or SIGTERM asked the tool to stop.
  case interrupted

  public var exitStatus: ExitStatus {
    switch self {
    case .downstreamClosed: return .success
    case .io: return .ioError
    case .cannotOpen: return .noInput
    case .interrupted: return .interrupted
    }
  }

  public var description: String {
    switch self {
    case .downstreamClosed: return "output closed by the reader"
    case .io(let path, let e): return "cannot write '\(path)': \(FileIO.describe(errno: e))"
    case .cannotOpen(let path, let e): return "cannot read '\(path)': \(FileIO.describe(errno: e))"
    case .interrupted: return "interrupted"
    }
  }
}

/// Thin, checked wrappers over the POSIX calls the tools use; the platform `#if`s live here.
public enum FileIO {
  /// `strerror(e)`.
  public static func describe(errno e: Int32) -> String {
    guard let s = strerror(e) else { return "error \(e)" }
    return String(cString: s)
  }

  /// Writes all bytes with as few `write(2)` calls as the kernel allows (one for a pipe write of
  /// up to PIPE_BUF, and in practice one for any regular write). Returns 0 or an errno.
  @discardableResult
  public static func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32 {
    bytes.withUnsafeBytes { raw -> Int32 in
      var off = 0
      while off < raw.count {
        let n = write(fd, raw.baseAddress! + off, raw.count - off)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        off += n
      }
      return 0
    }
  }

  /// Ignores SIGPIPE so that writes to a closed pipe fail with EPIPE instead of killing the process.
  public static func ignoreSIGPIPE() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// Whether `fd` is a terminal.
  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// The number of online CPUs.
  public static var onlineCPUs: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// Every environment variable (a later duplicate wins).
  public static func environmentVariables() -> [String: String] {
    var out: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
      let s = String(cString: entry)
      if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
      p += 1
    }
    return out
  }

  /// An environment variable.
  public static func environment(_ name: String) -> String? {
    guard let v = getenv(name) else { return nil }
    return String(cString: v)
  }

  /// Whether a path exists, and whether it is a directory.
  public static func fileKind(_ path: String) -> FileKind {
    var st = stat()
    guard stat(path, &st) == 0 else { return .missing(errno) }
    switch st.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFREG: return .regular(size: Int64(st.st_size), mtimeNanos: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    default: return .other
    }
  }

  public enum FileKind: Equatable, Sendable {
    case missing(Int32)
    case regular(size: Int64, mtimeNanos: Int64)
    case directory
    case other
  }

  /// Reads a whole file (for small files: sidecars, subtitles).
  public static func readFile(_ path: String, limit: Int = 64 << 20) throws(StreamError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .cannotOpen(path: path, errno: errno)
      }
      if n == 0 { break }
      out.append(contentsOf: buf[0..<n])
      if out.count > limit { throw .cannotOpen(path: path, errno: EFBIG) }
    }
    return out
  }

  /// The last `count` bytes of a file.
  public static func readTail(_ path: String, count: Int) throws(StreamError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
    defer { close(fd) }
    let size = lseek(fd, 0, SEEK_END)
    guard size > 0 else { return [] }
    let n = min(Int(size), count)
    lseek(fd, off_t(Int(size) - n), SEEK_SET)
    var buf = [UInt8](repeating: 0, count: n)
    let r = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, n) }
    return r > 0 ? Array(buf[0..<r]) : []
  }

  /// Creates a directory and its parents (`mkdir -p`).
  public static func makeDirectories(_ path: String) throws(StreamError) {
    if case .directory = fileKind(path) { return }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix += part
      if mkdir(prefix, 0o755) != 0, errno != EEXIST {
        throw .io(path: prefix, errno: errno)
      }
      if case .directory = fileKind(prefix) {} else { throw .io(path: prefix, errno: ENOTDIR) }
      prefix += "/"
    }
  }

  /// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync-free
  /// (rename is atomic on POSIX file systems), then `rename(2)`. Readers see the old file or the
  /// whole new one, never a torn one.
  public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(StreamError) {
    removeStaleTemporaries(for: path)
    let tmp = temporaryName(for: path)
    let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(path: tmp, errno: errno) }
    let e = writeAll(fd: fd, bytes)
    let c = close(fd) == 0 ? 0 : errno
    if e != 0 || c != 0 {
      unlink(tmp)
      throw .io(path: path, errno: e != 0 ? e : c)
    }
    if rename(tmp, path) != 0 {
      let err = errno
      unlink(tmp)
      throw .io(path: path, errno: err)
    }
  }

  /// A unique temporary name next to `path`, starting with `.` and ending `.tmp`, so partial
  /// files are recognisable and never look like finished frames.
  public static func temporaryName(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return "\(dir).\(base).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
  }

  /// Removes the temporary files of `path` (see `temporaryName`) left by writers that were
  /// killed: those whose process id is no longer running.
  public static func removeStaleTemporaries(for path: String) {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let prefix = "." + base + "."
    for name in directoryEntries(dir.isEmpty ? "." : dir) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      let middle = name.dropFirst(prefix.count).dropLast(4).split(separator: ".")
      guard middle.count == 2, let pid = Int32(middle[0]), pid > 0 else { continue }
      if !processIsRunning(pid) { unlink(dir + name) }
    }
  }

  /// Whether process `pid` exists and is not a zombie (a writer killed with its parent stays a
  /// zombie until some init reaps it; its temporary file is stale all the same).
  static func processIsRunning(_ pid: Int32) -> Bool {
    if kill(pid, 0) != 0 && errno == ESRCH { return false }
    // /proc/PID/stat: "pid (comm) S ...": the state follows the last ')'.
    guard let stat = try? readFile("/proc/\(pid)/stat", limit: 4096), let close = stat.lastIndex(of: UInt8(ascii: ")")),
      close + 2 < stat.count
    else { return true }
    return stat[close + 2] != UInt8(ascii: "Z")
  }

  /// Removes a file; errors are ignored.
  public static func remove(_ path: String) { unlink(path) }

  /// The entries of a directory (names only, without `.` and `..`), or nil if it cannot be read.
  public static func directoryEntries(_ path: String) -> [String]? {
    guard let d = opendir(path) else { return nil }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The current working directory.
  public static var currentDirectory: String {
    guard let p = getcwd(nil, 0) else { return "." }
    defer { free(p) }
    return String(cString: p)
  }

  /// `path` made absolute against the current directory (`.` and `./` prefixes removed);
  /// records carry absolute paths so later stages may run elsewhere.
  public static func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var rel = Substring(path)
    while rel.hasPrefix("./") { rel = rel.dropFirst(2) }
    if rel == "." || rel.isEmpty { return currentDirectory }
    return currentDirectory + "/" + rel
  }

  /// The frame cache root: `$LMUData/images`, or `~/LMUData/images` when `LMUData` is unset or
  /// not a directory (VLMEvalKit's `LMUDataRoot`).
  public static func defaultFrameRoot() -> String {
    if let d = environment("LMUData"), !d.isEmpty, case .directory = fileKind(d) {
      return d + "/images"
    }
    return (environment("HOME") ?? ".") + "/LMUData/images"
  }

  /// Monotonic time in seconds.
  public static func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}

/// An exclusive advisory lock on a file (`flock(2)`), compatible with Python's portalocker, which
/// VLMEvalKit uses on the same lock files.
public final class FileLock {
  private var fd: Int32

  /// Takes the lock, waiting until `deadline` (monotonic seconds) at most.
  ///
  /// - Returns: nil when the deadline passed before the lock was free.
  public init?(path: String, deadline: Double) throws(StreamError) {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(path: path, errno: errno) }
    var delay: UInt32 = 2_000
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      if errno != EWOULDBLOCK && errno != EINTR {
        let e = errno
        close(fd)
        throw .io(path: path, errno: e)
      }
      if FileIO.monotonicSeconds() > deadline || Interrupt.requested {
        close(fd)
        return nil
      }
      usleep(delay)
      delay = min(delay * 2, 100_000)
    }
    self.fd = fd
  }

  /// Releases the lock (also done on deinit).
  public func unlock() {
    if fd >= 0 {
      flock(fd, LOCK_UN)
      close(fd)
      fd = -1
    }
  }

  deinit { unlock() }
}
