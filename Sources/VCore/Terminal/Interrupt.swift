import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SIGINT/SIGTERM handling: the first signal asks the tool to stop (finish or cancel the work
/// in hand, leave no partial file, exit 130); a second one exits at once.
public enum Interrupt {
  private static let flag = Atomic<Bool>(false)

  /// Whether a stop was requested.
  public static var requested: Bool { flag.load(ordering: .relaxed) }

  /// Installs the handlers. Blocking reads are not restarted, so a tool waiting for input
  /// notices the request.
  public static func install() {
    var sa = sigaction()
    #if canImport(Glibc)
      sa.__sigaction_handler.sa_handler = { _ in
        if Interrupt.flag.exchange(true, ordering: .relaxed) { _exit(130) }
      }
    #endif
    sa.sa_flags = 0
    sigemptyset(&sa.sa_mask)
    sigaction(SIGINT, &sa, nil)
    sigaction(SIGTERM, &sa, nil)
    // A parent may have spawned us with these signals blocked (the mask is inherited).
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}
