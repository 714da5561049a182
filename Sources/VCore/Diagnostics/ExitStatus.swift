/// The exit statuses shared by all vtools (sysexits(3) beyond 1).
public enum ExitStatus: Int32, Sendable, Comparable, CaseIterable {
  /// All input processed (also when downstream closed the pipe).
  case success = 0
  /// Some records failed; all others were processed.
  case failure = 1
  /// Bad flags or arguments.
  case usage = 64
  /// Malformed input data (a bad JSONL line or TSV row).
  case dataError = 65
  /// An input file is missing or unreadable.
  case noInput = 66
  /// A service (inference endpoint) is unavailable.
  case unavailable = 69
  /// Writing output failed.
  case ioError = 74
  /// Bad configuration (e.g. no API key).
  case config = 78
  /// Interrupted by SIGINT.
  case interrupted = 130

  public static func < (a: ExitStatus, b: ExitStatus) -> Bool { a.rawValue < b.rawValue }
}

/// An error that reaches the user as `tool: error: <description>` and ends the tool with its status.
public protocol ToolError: Error, CustomStringConvertible {
  var exitStatus: ExitStatus { get }
}

/// A tool error that may be about a place in an input file: reported as
/// `tool: FILE:LINE: error: message` (or `tool: FILE: error: message`) when it has one.
public protocol LocatedToolError: ToolError {
  var location: SourceLocation? { get }
  var message: String { get }
}

/// A plain tool error: a message and an exit status.
public struct SimpleToolError: ToolError {
  public var message: String
  public var exitStatus: ExitStatus
  public init(_ message: String, status: ExitStatus) {
    self.message = message
    self.exitStatus = status
  }
  public var description: String { message }
}
