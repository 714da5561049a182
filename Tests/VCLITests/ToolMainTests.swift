import ArgumentParser
import Testing
import VCore

@testable import VCLI

/// ToolMain turns a tool's outcome into the documented exit status.
@Suite struct ToolMainTests {
  /// The status `ToolMain.run` ends with for `body` (0 when it returns normally).
  func status(_ body: (Diagnostics) throws -> VCore.ExitStatus) -> Int32 {
    do {
      try ToolMain.run(tool: "vtest", verbosity: -1, body)
      return 0
    } catch let e as ExitCode {
      return e.rawValue
    } catch {
      Issue.record("unexpected \(error)")
      return -1
    }
  }

  @Test func outcomesMapToTheDocumentedStatuses() {
    #expect(status { _ in .success } == 0)
    #expect(status { _ in .failure } == 1)
    #expect(status { _ in throw SimpleToolError("bad flag", status: .usage) } == 64)
    #expect(status { _ in throw SimpleToolError("no key", status: .config) } == 78)
    #expect(status { _ in throw StreamError.cannotOpen(path: "/nonexistent", errno: 2) } == 66)
    #expect(status { _ in throw StreamError.io(path: "/x", errno: 28) } == 74)
    // The reader of stdout went away: quiet success.
    #expect(status { _ in throw StreamError.downstreamClosed } == 0)
    #expect(status { _ in throw StreamError.interrupted } == 130)
  }

  @Test func everyToolDeclaresTheCommonStatuses() {
    #expect(Set(ToolExitStatuses.byTool.keys) == ["vdata", "vframes", "vprompt", "vinfer", "vmerge", "vscore", "vreport"])
    for (tool, statuses) in ToolExitStatuses.byTool {
      // vdata has no per-record failures: a dataset is prepared or it is an error.
      let common: [VCore.ExitStatus] = tool == "vdata" ? [.success, .usage, .interrupted] : [.success, .failure, .usage, .interrupted]
      for s in common { #expect(statuses.contains(s), "\(tool) lacks \(s)") }
      #expect(statuses == statuses.sorted(), "\(tool)'s statuses are not in order")
    }
  }
}
