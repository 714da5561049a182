import Foundation
import Testing
import VTestSupport

@testable import VCore

#if canImport(Glibc)
  import Glibc
#endif

/// A writer killed with its parent stays a zombie until an init reaps it (some never do): its
/// temporary file is stale all the same.
@Suite struct StaleTemporaryTests {
  @Test func zombieWritersTemporariesAreRemoved() throws {
    #expect(FileIO.processIsRunning(getpid()))
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    defer { free(argv[0]) }
    #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0)
    // Wait for the exit without reaping: the child is a zombie now.
    var info = siginfo_t()
    #expect(waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0)
    #expect(!FileIO.processIsRunning(pid))
    let d = TempDir()
    let live = d.write(".t.xlsx.\(getpid()).1.tmp", "mine")
    let stale = d.write(".t.xlsx.\(pid).2.tmp", "a dead writer's")
    FileIO.removeStaleTemporaries(for: d.file("t.xlsx"))
    #expect(FileManager.default.fileExists(atPath: live))
    #expect(!FileManager.default.fileExists(atPath: stale))
    var status: Int32 = 0
    waitpid(pid, &status, 0)
  }
}
