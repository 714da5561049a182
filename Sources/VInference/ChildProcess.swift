import Foundation
import VCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One run of the command backend's program: started in a process group of its own, fed its
/// input, its output and errors collected, and killed, with everything it started in that
/// group, when the time limit passes or the run is cancelled (vinfer interrupted). `cancel` may
/// come from any thread, before, during or after `run`.
final class ChildProcess: @unchecked Sendable {
  /// How a run ended.
  enum Outcome {
    /// The program exited (`status`) or was killed by a signal it was not sent by us.
    case exited(status: Int32, signal: Int32?, stdout: [UInt8], stderr: [UInt8])
    case timedOut
    case cancelled
  }

  private let lock = NSLock()
  private var pid: pid_t = 0
  private var cancelled = false
  /// A self-pipe: `cancel` writes a byte to wake `run`'s poll.
  private var wake: [Int32] = [-1, -1]

  /// A failed start: the `errno`.
  struct StartError: Error {
    var code: Int32
  }

  init() {
    if Self.makePipe(&wake, 0) != 0 { wake = [-1, -1] }
    for fd in wake where fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
  }

  /// Held while pipes are made close-on-exec and while programs start, so no program started on
  /// another thread inherits a pipe of this one (which would hold its output open).
  private static let spawnLock = NSLock()

  /// `pipe(2)` into `fds[at], fds[at + 1]`, both close-on-exec (pipe2 is not in Glibc's module).
  private static func makePipe(_ fds: inout [Int32], _ at: Int) -> Int32 {
    spawnLock.lock()
    defer { spawnLock.unlock() }
    var p: [Int32] = [-1, -1]
    guard pipe(&p) == 0 else { return errno }
    for fd in p { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    fds[at] = p[0]
    fds[at + 1] = p[1]
    return 0
  }

  deinit {
    for fd in wake where fd >= 0 { close(fd) }
  }

  /// Kills the program (its whole process group) and makes `run` return `.cancelled`.
  func cancel() {
    lock.lock()
    cancelled = true
    if pid > 0 { kill(-pid, SIGKILL) }
    lock.unlock()
    var b: UInt8 = 1
    _ = write(wake[1], &b, 1)
  }

  /// Runs `argv` (a path, or a name looked up on PATH) with `input` on its standard input until
  /// it exits, `timeout` seconds pass, or `cancel` is called. Blocks the calling thread.
  /// - Throws: `StartError` when the program cannot be started.
  func run(argv: [String], input: [UInt8], timeout: Double) throws(StartError) -> Outcome {
    // Writing to a program that closed its input must not raise SIGPIPE in a process that
    // has not ignored it (tests): block it on this thread, which exists only for this run.
    var pipeSet = sigset_t()
    sigemptyset(&pipeSet)
    sigaddset(&pipeSet, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &pipeSet, nil)

    var fds: [Int32] = Array(repeating: -1, count: 6)  // in r/w, out r/w, err r/w
    defer { for fd in fds where fd >= 0 { close(fd) } }
    for k in 0..<3 {
      let e = Self.makePipe(&fds, 2 * k)
      if e != 0 { throw StartError(code: e) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fds[3], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[5], 2)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    // A group of its own (so a kill reaches the shell's children too), no blocked signals, and
    // the default dispositions vinfer changed (SIGPIPE ignored, SIGINT/SIGTERM handled).
    var empty = sigset_t()
    sigemptyset(&empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, s) }
    posix_spawnattr_setpgroup(&attr, 0)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }

    lock.lock()
    if cancelled {
      lock.unlock()
      return .cancelled
    }
    var child: pid_t = 0
    Self.spawnLock.lock()
    let spawned =
      argv[0].contains("/")
      ? posix_spawn(&child, argv[0], &actions, &attr, &cArgs, environ)
      : posix_spawnp(&child, argv[0], &actions, &attr, &cArgs, environ)
    Self.spawnLock.unlock()
    if spawned == 0 { pid = child }
    lock.unlock()
    guard spawned == 0 else { throw StartError(code: spawned) }
    for k in [0, 3, 5] {
      close(fds[k])
      fds[k] = -1
    }
    for k in [1, 2, 4] { _ = fcntl(fds[k], F_SETFL, fcntl(fds[k], F_GETFL) | O_NONBLOCK) }

    let deadline = FileIO.monotonicSeconds() + timeout
    var out: [UInt8] = []
    var err: [UInt8] = []
    var written = 0
    if input.isEmpty {
      close(fds[1])
      fds[1] = -1
    }
    var stopped: Outcome?
    // Feed the input and drain both outputs until the program closes them.
    while fds[2] >= 0 || fds[4] >= 0 {
      var pfds = [pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
      if fds[1] >= 0 { pfds.append(pollfd(fd: fds[1], events: Int16(POLLOUT), revents: 0)) }
      if fds[2] >= 0 { pfds.append(pollfd(fd: fds[2], events: Int16(POLLIN), revents: 0)) }
      if fds[4] >= 0 { pfds.append(pollfd(fd: fds[4], events: Int16(POLLIN), revents: 0)) }
      let left = deadline - FileIO.monotonicSeconds()
      if left <= 0 {
        stopped = .timedOut
        break
      }
      let r = poll(&pfds, nfds_t(pfds.count), Int32(min(left * 1000 + 1, 60_000)))
      if r < 0 && errno != EINTR { break }
      if r <= 0 { continue }
      if pfds[0].revents != 0 {
        stopped = .cancelled
        break
      }
      for p in pfds.dropFirst() where p.revents != 0 {
        if p.fd == fds[1] {
          let n = input.withUnsafeBytes { write(p.fd, $0.baseAddress! + written, input.count - written) }
          if n > 0 { written += n }
          if (n < 0 && errno != EAGAIN && errno != EINTR) || written == input.count {
            close(fds[1])
            fds[1] = -1
          }
        } else {
          let isOut = p.fd == fds[2]
          var chunk = [UInt8](repeating: 0, count: 1 << 16)
          let n = chunk.withUnsafeMutableBytes { read(p.fd, $0.baseAddress!, $0.count) }
          if n > 0 {
            if isOut { out += chunk[0..<n] } else { err += chunk[0..<n] }
          } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
            close(p.fd)
            fds[isOut ? 2 : 4] = -1
          }
        }
      }
    }
    // The outputs are closed (or we stop): wait for the exit, still watching the clock and
    // `cancel`, since a program may close its outputs and go on running.
    var status: Int32 = 0
    while stopped == nil {
      lock.lock()
      let w = waitpid(child, &status, WNOHANG)
      let reaped = w == child || (w < 0 && errno != EINTR)
      if reaped { pid = 0 }
      lock.unlock()
      if reaped { break }
      let left = deadline - FileIO.monotonicSeconds()
      if left <= 0 {
        stopped = .timedOut
        break
      }
      var p = pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)
      if poll(&p, 1, Int32(min(left * 1000 + 1, 50))) > 0 { stopped = .cancelled }
    }
    if let stopped {
      lock.lock()
      if pid > 0 { kill(-child, SIGKILL) }
      pid = 0
      lock.unlock()
      while waitpid(child, &status, 0) < 0 && errno == EINTR {}
      return stopped
    }
    lock.lock()
    let wasCancelled = cancelled  // killed by `cancel` before this run noticed
    lock.unlock()
    if wasCancelled { return .cancelled }
    let signaled = (status & 0x7f) != 0
    return .exited(status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled ? status & 0x7f : nil, stdout: out, stderr: err)
  }
}
