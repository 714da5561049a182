#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file or standard input in large chunks and hands out lines or bytes.
///
/// Lines end at `\n`; a `\r` before it is dropped; a missing final newline is accepted and
/// reported (`lastLineTerminated`), so writers of append-only logs can detect a torn last line.
public final class ByteReader {
  /// The name used in messages: the path, or `<stdin>`.
  public let name: String
  private let fd: Int32
  private let ownsFD: Bool
  private var buffer: [UInt8] = []
  private var start = 0
  private var eof = false
  /// The 1-based number of the last line returned.
  public private(set) var lineNumber = 0
  /// False when the last line returned had no terminating newline.
  public private(set) var lastLineTerminated = true

  /// Opens `path`, or standard input for `-`.
  public init(path: String) throws(StreamError) {
    if path == "-" {
      fd = 0
      ownsFD = false
      name = "<stdin>"
    } else {
      if case .directory = FileIO.fileKind(path) { throw .cannotOpen(path: path, errno: EISDIR) }
      let f = open(path, O_RDONLY | O_CLOEXEC)
      guard f >= 0 else { throw .cannotOpen(path: path, errno: errno) }
      fd = f
      ownsFD = true
      name = path
    }
  }

  /// Reads `bytes` (tests and fuzzing).
  public init(bytes: [UInt8], name: String = "<memory>") {
    fd = -1
    ownsFD = false
    self.name = name
    buffer = bytes
    eof = true
  }

  deinit {
    if ownsFD { close(fd) }
  }

  private func fill() throws(StreamError) -> Bool {
    if eof { return false }
    if start > 0 && start >= buffer.count / 2 {
      buffer.removeFirst(start)
      start = 0
    }
    let chunk = 1 << 16
    let old = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: chunk))
    // Wait for input in slices, so a stop request (SIGINT) is noticed even when the signal
    // was delivered to another thread and this read was not interrupted.
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    while true {
      let r = poll(&pfd, 1, 250)
      if r > 0 || (r < 0 && errno != EINTR) { break }
      if Interrupt.requested {
        buffer.removeLast(chunk)
        throw .interrupted
      }
    }
    var n: Int
    repeat {
      n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, chunk) }
      if n < 0 && errno == EINTR && Interrupt.requested {
        buffer.removeLast(chunk)
        throw .interrupted
      }
    } while n < 0 && errno == EINTR
    if n < 0 {
      let e = errno
      buffer.removeLast(chunk)
      throw .cannotOpen(path: name, errno: e)
    }
    buffer.removeLast(chunk - n)
    if n == 0 { eof = true }
    return n > 0
  }

  /// The next byte without consuming it, or nil at end of input.
  public func peekByte() throws(StreamError) -> UInt8? {
    while start >= buffer.count {
      if try !fill() { return nil }
    }
    return buffer[start]
  }

  /// The next byte, or nil at end of input.
  public func nextByte() throws(StreamError) -> UInt8? {
    while start >= buffer.count {
      if try !fill() { return nil }
    }
    defer { start += 1 }
    return buffer[start]
  }

  /// Skips a UTF-8 byte-order mark at the current position, if there is one.
  public func skipBOM() throws(StreamError) {
    while buffer.count - start < 3 {
      if try !fill() { break }
    }
    if buffer.count - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
      start += 3
    }
  }

  /// The next line without its `\n` (and `\r`), or nil at end of input.
  public func nextLine() throws(StreamError) -> [UInt8]? {
    var scanned = 0  // bytes after `start` known to hold no newline
    while true {
      if let nl = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
        var end = nl
        if end > start, buffer[end - 1] == 0x0D { end -= 1 }
        let line = Array(buffer[start..<end])
        start = nl + 1
        lineNumber += 1
        lastLineTerminated = true
        return line
      }
      scanned = buffer.count - start
      if try !fill() {
        guard start < buffer.count else { return nil }
        var end = buffer.count
        if buffer[end - 1] == 0x0D { end -= 1 }
        let line = Array(buffer[start..<end])
        start = buffer.count
        lineNumber += 1
        lastLineTerminated = false
        return line
      }
    }
  }

  /// Counts a newline consumed by a caller that reads bytes (the TSV reader).
  func countLine() { lineNumber += 1 }
}
