import Testing

@testable import VInference

/// `-j auto`'s controller, driven by hand: windows of completions, refusals, latency jumps.
@Suite struct ConcurrencyControlTests {
  func window(_ c: ConcurrencyControl, latency: Double = 0.2) {
    for _ in 0..<c.level { c.completed(latency: latency) }
  }

  @Test func doublesUntilRefusedThenCutsAndGrowsSlowly() {
    let c = ConcurrencyControl(adaptiveUpTo: 256)
    #expect(c.level == 4)
    window(c)
    #expect(c.level == 8)
    window(c)
    window(c)
    #expect(c.level == 32)
    c.refused()
    #expect(c.level == 16)  // the first refusal halves
    c.refused()
    #expect(c.level == 16)  // the same overload: ignored within a window of the cut
    window(c)
    #expect(c.level == 17)  // then one sixteenth (at least 1) per clean window
    for _ in 0..<16 { window(c) }
    #expect(c.level == 34)
    c.refused()
    #expect(c.level == 29)  // later refusals cut by an eighth
    #expect(c.summary.highest == 34)
  }

  @Test func aLatencyJumpHalvesAndTheCeilingHolds() {
    let c = ConcurrencyControl(adaptiveUpTo: 10)
    window(c)
    window(c)
    #expect(c.level == 10)  // never above --max-j
    window(c, latency: 0.5)
    #expect(c.level == 5)  // median 0.5 s against the best 0.2 s
    let fixed = ConcurrencyControl(fixed: 7)
    fixed.refused()
    fixed.completed(latency: 9)
    #expect(fixed.level == 7)
  }
}
