#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes records as JSON Lines, one `write(2)` per record, so a slow stage never holds finished
/// records back and parallel writers never interleave.
public final class RecordWriter: @unchecked Sendable {
  private let fd: Int32
  private let name: String
  private let ownsFD: Bool

  /// Standard output.
  public static func standardOutput() -> RecordWriter { RecordWriter(fd: 1, name: "<stdout>", owns: false) }

  /// A file opened for appending (created if missing), e.g. vinfer's `--output` log.
  public static func appending(to path: String) throws(StreamError) -> RecordWriter {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(path: path, errno: errno) }
    return RecordWriter(fd: fd, name: path, owns: true)
  }

  private init(fd: Int32, name: String, owns: Bool) {
    self.fd = fd
    self.name = name
    self.ownsFD = owns
  }

  /// Writes one record and its newline.
  ///
  /// - Throws: `StreamError.downstreamClosed` on EPIPE (stop quietly, exit 0), `.io` otherwise.
  public func write(_ record: JSONObject) throws(StreamError) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(512)
    JSONSerializer.write(.object(record), into: &bytes)
    bytes.append(0x0A)
    try writeLine(bytes)
  }

  /// Writes bytes that already end in a newline.
  public func writeLine(_ bytes: [UInt8]) throws(StreamError) {
    let e = FileIO.writeAll(fd: fd, bytes)
    if e == EPIPE { throw .downstreamClosed }
    if e != 0 { throw .io(path: name, errno: e) }
  }

  /// Closes a file this writer opened, reporting a failed close.
  public func close() throws(StreamError) {
    guard ownsFD else { return }
    if Glibc.close(fd) != 0 { throw .io(path: name, errno: errno) }
  }
}
