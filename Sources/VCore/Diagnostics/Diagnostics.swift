#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes `tool: error: ...` style messages to standard error, one `write(2)` per message, so
/// messages from concurrent threads and pipeline stages never interleave mid-line.
public struct Diagnostics: Sendable {
  /// The tool name that prefixes every message.
  public let tool: String
  /// Verbosity: 0 normal, 1 `-v`, 2 `-vv`; -1 quiet (errors only).
  public let verbosity: Int

  public init(tool: String, verbosity: Int = 0) {
    self.tool = tool
    self.verbosity = verbosity
  }

  /// `tool: error: message`.
  public func error(_ message: String) { emit("\(tool): error: \(message)") }

  /// `tool: FILE:LINE: error: message`, for input data errors.
  public func error(at location: SourceLocation, _ message: String) {
    emit("\(tool): \(location): error: \(message)")
  }

  /// `tool: warning: message` (suppressed by `--quiet`).
  public func warning(_ message: String) {
    if verbosity >= 0 { emit("\(tool): warning: \(message)") }
  }

  /// `tool: message` (suppressed by `--quiet`).
  public func note(_ message: String) {
    if verbosity >= 0 { emit("\(tool): \(message)") }
  }

  /// `tool: message`, only with `-v`.
  public func verbose(_ message: String) {
    if verbosity >= 1 { emit("\(tool): \(message)") }
  }

  /// Writes one line to standard error with a single `write(2)`.
  public func emit(_ line: String) {
    Terminal.clearProgressLine()
    var bytes = Array(line.utf8)
    bytes.append(0x0A)
    _ = FileIO.writeAll(fd: 2, bytes)
  }
}

/// A place in an input: file (or `<stdin>`) and 1-based line.
public struct SourceLocation: Sendable, CustomStringConvertible, Hashable {
  public var file: String
  /// The line, 1-based; 0 for an error about the whole file (a spreadsheet, an archive).
  public var line: Int
  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }
  /// A whole file: printed as `FILE`.
  public init(file: String) { self.init(file: file, line: 0) }
  public var description: String { line > 0 ? "\(file):\(line)" : file }
}
