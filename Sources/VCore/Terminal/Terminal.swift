import Synchronization

/// When progress is shown on standard error.
public enum ProgressMode: String, Sendable, CaseIterable {
  case auto, always, never

  /// Whether progress is on: `auto` means only when stderr is a terminal and `TERM` is not `dumb`.
  public var isEnabled: Bool {
    switch self {
    case .always: return true
    case .never: return false
    case .auto:
      return FileIO.isTerminal(2) && FileIO.environment("TERM") != "dumb"
    }
  }
}

/// The one progress line a tool may keep on standard error: redrawn with `\r` and
/// clear-to-end-of-line at most twice a second, erased before any other message and at exit.
public enum Terminal {
  private static let state = Mutex<(active: Bool, last: Double)>((false, 0))

  /// Redraws the progress line unless the last draw was less than 0.5 s ago (`force` draws anyway).
  public static func drawProgress(_ text: String, force: Bool = false) {
    let now = FileIO.monotonicSeconds()
    let draw = state.withLock { s -> Bool in
      if !force && now - s.last < 0.5 { return false }
      s.last = now
      s.active = true
      return true
    }
    if draw { FileIO.writeAll(fd: 2, Array("\r\u{1B}[K\(text)".utf8)) }
  }

  /// Erases the progress line if one is shown.
  public static func clearProgressLine() {
    let wasActive = state.withLock { s -> Bool in
      let a = s.active
      s.active = false
      return a
    }
    if wasActive { FileIO.writeAll(fd: 2, Array("\r\u{1B}[K".utf8)) }
  }
}
