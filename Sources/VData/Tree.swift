import VCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The file-tree operations preparation needs, on POSIX paths: folders made and removed, trees
/// moved into place with rename(2) (atomic per entry), files written atomically.
public enum Tree {
  public static func join(_ a: String, _ b: String) -> String {
    if b.isEmpty { return a }
    if a.isEmpty || b.hasPrefix("/") { return b }
    return a.hasSuffix("/") ? a + b : a + "/" + b
  }

  public static func baseName(_ p: String) -> String {
    var s = Substring(p)
    while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
    return s.split(separator: "/").last.map(String.init) ?? String(s)
  }

  public static func parent(_ p: String) -> String {
    guard let i = p.lastIndex(of: "/") else { return "." }
    return i == p.startIndex ? "/" : String(p[..<i])
  }

  private static func info(_ p: String, follow: Bool = true) -> stat? {
    var st = Glibc.stat()
    let r = follow ? stat(p, &st) : lstat(p, &st)
    return r == 0 ? st : nil
  }

  public static func exists(_ p: String) -> Bool { info(p) != nil }
  public static func isDirectory(_ p: String) -> Bool { info(p).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false }
  public static func isSymlink(_ p: String) -> Bool { info(p, follow: false).map { $0.st_mode & S_IFMT == S_IFLNK } ?? false }
  /// The size of a file (following links), nil when it is not there.
  public static func fileSize(_ p: String) -> Int64? { info(p).map { Int64($0.st_size) } }

  /// `mkdir -p`.
  public static func makeDirectories(_ p: String) throws(DataError) {
    if isDirectory(p) { return }
    let up = parent(p)
    if up != p && up != "." && up != "/" { try makeDirectories(up) }
    if mkdir(p, 0o755) != 0 && errno != EEXIST { throw .io(path: p, errno: errno) }
  }

  /// The names in a folder (not `.` and `..`), sorted; empty when it cannot be read.
  public static func list(_ p: String) -> [String] {
    guard let d = opendir(p) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
      let name = withUnsafePointer(to: e.pointee.d_name) { ptr in
        ptr.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// `rm -rf` (never follows symbolic links).
  public static func removeTree(_ p: String) {
    if isSymlink(p) || !isDirectory(p) {
      unlink(p)
      return
    }
    for name in list(p) { removeTree(join(p, name)) }
    rmdir(p)
  }

  /// Moves every entry of `source` into `target`: a name `target` lacks is renamed in whole;
  /// folders on both sides are merged; a file replaces the file of the same name. Each rename
  /// is atomic, so every file in `target` is always complete.
  public static func mergeMove(from source: String, into target: String) throws(DataError) {
    try makeDirectories(target)
    for name in list(source) {
      let from = join(source, name)
      let to = join(target, name)
      if isDirectory(from) && !isSymlink(from) && isDirectory(to) && !isSymlink(to) {
        try mergeMove(from: from, into: to)
        rmdir(from)
        continue
      }
      if isDirectory(to) && !isSymlink(to) { removeTree(to) }
      if Glibc.rename(from, to) != 0 { throw .io(path: to, errno: errno) }
    }
  }

  /// Writes `bytes` to `path` through a temporary file in the same folder and a rename: readers
  /// see the old file or the whole new one, never a part.
  public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(DataError) {
    let tmp = join(parent(path), ".\(baseName(path)).vdata-tmp-\(getpid())")
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { throw .io(path: tmp, errno: errno) }
    var e = FileIO.writeAll(fd: fd, bytes)
    if e == 0 && fsync(fd) != 0 { e = errno }
    if close(fd) != 0 && e == 0 { e = errno }
    if e != 0 {
      unlink(tmp)
      throw .io(path: path, errno: e)
    }
    if Glibc.rename(tmp, path) != 0 {
      let err = errno
      unlink(tmp)
      throw .io(path: path, errno: err)
    }
  }

  /// The whole file, nil when it cannot be read.
  public static func read(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return n == 0 ? out : nil }
      out += buf[0..<n]
    }
  }

  /// Every regular file under `root`, as paths relative to it, sorted (links followed as files).
  public static func files(under root: String, prefix: String = "") -> [String] {
    var out: [String] = []
    for name in list(join(root, prefix)) {
      let rel = prefix.isEmpty ? name : prefix + "/" + name
      let full = join(root, rel)
      if isDirectory(full) && !isSymlink(full) { out += files(under: root, prefix: rel) } else { out.append(rel) }
    }
    return out
  }
}

extension Tree {
  /// rename(2), as a located error.
  public static func rename(_ from: String, _ to: String) throws(DataError) {
    if Glibc.rename(from, to) != 0 { throw .io(path: to, errno: errno) }
  }
}

extension Tree {
  /// The files `parts`, in order, joined into `path` through a temporary file in its folder and
  /// a rename (streamed, never whole in memory): `path` is absent or complete (MovieChat-1K's
  /// split tar).
  public static func concatenate(_ parts: [String], into path: String) throws(DataError) {
    let tmp = join(parent(path), ".\(baseName(path)).vdata-tmp-\(getpid())")
    let out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if out < 0 { throw .io(path: tmp, errno: errno) }
    var failure: DataError?
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    outer: for part in parts {
      let fd = open(part, O_RDONLY | O_CLOEXEC)
      if fd < 0 {
        failure = .missing(path: part, hint: "a part of the split archive")
        break
      }
      defer { close(fd) }
      while true {
        let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 {
          failure = .io(path: part, errno: errno)
          break outer
        }
        if n == 0 { break }
        let e = FileIO.writeAll(fd: out, Array(buf[0..<n]))
        if e != 0 {
          failure = .io(path: path, errno: e)
          break outer
        }
      }
    }
    if failure == nil && fsync(out) != 0 { failure = .io(path: path, errno: errno) }
    if close(out) != 0 && failure == nil { failure = .io(path: path, errno: errno) }
    if failure == nil && Glibc.rename(tmp, path) != 0 { failure = .io(path: path, errno: errno) }
    if let failure {
      unlink(tmp)
      throw failure
    }
  }
}
