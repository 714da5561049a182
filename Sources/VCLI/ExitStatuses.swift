import VCore

/// The exit statuses each tool can end with. Its man page's EXIT STATUS section lists exactly
/// these, and vtools(7) lists every `ExitStatus` (a test checks both).
public enum ToolExitStatuses {
  /// Every tool: done, some records failed, usage, bad data, missing input, I/O, interrupted.
  static let common: [ExitStatus] = [.success, .failure, .usage, .dataError, .noInput, .ioError, .interrupted]

  public static let byTool: [String: [ExitStatus]] = [
    "vframes": common,
    // A bad template file is a configuration error.
    "vprompt": (common + [.config]).sorted(),
    // The server unreachable (69); no API key or a bad setting (78).
    "vinfer": (common + [.unavailable, .config]).sorted(),
    "vmerge": common,
    "vscore": common,
    // The hub unreachable (69); a gated repo without a token (78).
    // Some answer-log lines unreadable (1: reported, the rest written).
    "vreport": common,
    "vdata": [.success, .usage, .dataError, .noInput, .unavailable, .ioError, .config, .interrupted],
  ]
}
