import ArgumentParser
import VCore

/// The vtools version, printed by `--version`.
public let vtoolsVersion = "0.1.0"

/// Options every tool shares: diagnostics and progress.
public struct DiagnosticOptions: ParsableArguments {
  @Option(name: .long, help: "Show a progress line on stderr: auto (only on a terminal), always or never.")
  public var progress: ProgressModeArgument = .auto

  @Flag(name: .shortAndLong, help: "Print only errors on stderr.")
  public var quiet = false

  @Flag(name: .shortAndLong, help: "Print more on stderr (repeat for more).")
  public var verbose: Int

  public init() {}

  /// -1 quiet, 0 normal, 1+ verbose.
  public var verbosity: Int { quiet ? -1 : verbose }
}

/// `--progress` values.
public enum ProgressModeArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
  case auto, always, never
  public var mode: ProgressMode { ProgressMode(rawValue: rawValue) ?? .auto }
}

/// The uniform end of every tool: errors become `tool: error: message` on stderr and the
/// documented exit status; EPIPE on stdout ends the tool quietly with status 0.
public enum ToolMain {
  /// Runs `body` and turns its outcome into an `ExitCode` for ArgumentParser.
  public static func run(tool: String, verbosity: Int, _ body: (Diagnostics) throws -> ExitStatus) throws {
    let diag = start(tool: tool, verbosity: verbosity)
    try finish(Result { try body(diag) }, diag)
  }

  /// `run` for async tools.
  public static func runAsync(tool: String, verbosity: Int, _ body: (Diagnostics) async throws -> ExitStatus) async throws {
    let diag = start(tool: tool, verbosity: verbosity)
    let outcome: Result<ExitStatus, Error>
    do { outcome = .success(try await body(diag)) } catch { outcome = .failure(error) }
    try finish(outcome, diag)
  }

  private static func start(tool: String, verbosity: Int) -> Diagnostics {
    FileIO.ignoreSIGPIPE()
    Interrupt.install()
    return Diagnostics(tool: tool, verbosity: verbosity)
  }

  /// Maps the outcome to the exit status: EPIPE is success, SIGINT 130, tool errors their own
  /// status after `tool: error: ...`; anything else propagates to ArgumentParser.
  private static func finish(_ outcome: Result<ExitStatus, Error>, _ diag: Diagnostics) throws {
    let status: ExitStatus
    switch outcome {
    case .success(let s): status = s
    case .failure(StreamError.downstreamClosed): status = .success
    case .failure(StreamError.interrupted):
      diag.note("interrupted")
      status = .interrupted
    case .failure(let e as InputError):
      diag.error(at: e.location, e.message)
      status = e.exitStatus
    case .failure(let e as any LocatedToolError):
      if let at = e.location { diag.error(at: at, e.message) } else { diag.error(e.message) }
      status = e.exitStatus
    case .failure(let e as ToolError):
      diag.error(e.description)
      status = e.exitStatus
    case .failure(let e): throw e
    }
    Terminal.clearProgressLine()
    if status != .success { throw ExitCode(status.rawValue) }
  }
}
