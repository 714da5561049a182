import Testing
import VCore

/// The reference's worked examples (protocol sections 2.2, 5.1, 5.2) and edge cases.
@Suite struct SamplingTests {
  @Test func uniformMatchesReferenceExamples() {
    #expect(FrameIndexFormula.uniform(frameCount: 100, nframe: 8) == [11, 22, 33, 44, 55, 66, 77, 88])
    #expect(FrameIndexFormula.uniform(frameCount: 300, nframe: 8) == [33, 66, 100, 133, 166, 200, 233, 266])
  }

  @Test func uniformUsesTheFloatStepNotIntegerDivision() {
    // total=45, N=32: int(15 * (45/33)) = int(20.454545) = 20; and a case where int(i*len/(n+1))
    // and int(i*(len/(n+1))) differ by double rounding.
    var differs = 0
    for len in 1...2000 {
      for n in [1, 2, 4, 8, 16, 32, 64, 128] {
        let a = FrameIndexFormula.uniform(frameCount: len, nframe: n)
        let b = (1...n).map { $0 * len / (n + 1) }
        if a != b { differs += 1 }
        for (x, y) in zip(a, b) { #expect(x == y || x == y - 1) }
      }
    }
    #expect(differs > 0)
  }

  @Test func shortVideosRepeatIndices() {
    #expect(FrameIndexFormula.uniform(frameCount: 5, nframe: 8) == [0, 1, 1, 2, 2, 3, 3, 4])
    #expect(FrameIndexFormula.uniform(frameCount: 0, nframe: 8) == [])
  }

  @Test func fpsMatchesReferenceExamples() {
    #expect(FrameIndexFormula.fps(frameCount: 100, avgFPS: 30, fps: 1) == [0, 30, 60])
    let half = FrameIndexFormula.fps(frameCount: 900, avgFPS: 29.97, fps: 0.5)
    #expect(half.count == 15)
    #expect(half.first == 0 && half[1] == 59 && half[2] == 119 && half.last == 839)
    // Shorter than 1/fps seconds: zero frames.
    #expect(FrameIndexFormula.fps(frameCount: 20, avgFPS: 30, fps: 1) == [])
  }

  @Test func mvbenchMatchesReferenceExamples() {
    #expect(
      FrameIndexFormula.mvbench(nframe: 8, fps: 30, maxFrame: 99, firstIndex: 0, bounds: nil) == [6, 18, 31, 43, 56, 68, 80, 93])
    let b = FrameIndexFormula.mvbench(nframe: 8, fps: 30, maxFrame: 299, firstIndex: 0, bounds: ClipBounds(start: 2.5, end: 7.3))
    #expect(b.first == 84 && b.last == 210 && b.count == 8)
    #expect(b == [84, 102, 120, 138, 156, 174, 192, 210])
    #expect(
      FrameIndexFormula.mvbench(nframe: 8, fps: 3, maxFrame: 40, firstIndex: 1, bounds: ClipBounds(start: 1, end: 5))
        == [3, 5, 6, 7, 9, 11, 12, 13])
  }

  @Test func mvbenchUsesBankersRounding() {
    // seg*k = 49.5 rounds to 50 (even), 10.5 to 10, 7.5 to 8.
    #expect((49.5).rounded(.toNearestOrEven) == 50)
    let idx = FrameIndexFormula.mvbench(nframe: 8, fps: 30, maxFrame: 99, firstIndex: 0, bounds: nil)
    #expect(idx[4] == 56)  // int(6.1875 + round(49.5)=50) = 56, not 57 with round-half-up.
  }

  @Test func linspaceMatchesNumpy() {
    #expect(FrameIndexFormula.linspace(frameCount: 100, nframe: 8) == [0, 14, 28, 42, 56, 70, 84, 99])
    #expect(FrameIndexFormula.linspace(frameCount: 10, nframe: 1) == [0])
    #expect(FrameIndexFormula.linspace(frameCount: 3, nframe: 5) == [0, 0, 1, 1, 2])
  }

  @Test func uniformTailIsVSIBenchs() {
    // `VsiBench.save_video_frames` (sample_strategy uniform_tail) at VLMEvalKit e8e78f05 on a
    // reader of this length and rate (Tests/Fixtures/easi/make-vsibench-fixtures.py).
    func tail(_ len: Int, _ rate: Double, nframe: Int = 0, fps: Double = 0) -> [Int] {
      FrameIndexFormula.uniformTail(frameCount: len, avgFPS: rate, nframe: nframe, fps: fps)
    }
    // nframe mode: linspace, never a tail frame (linspace ends at len-1).
    #expect(tail(100, 30, nframe: 16) == [0, 6, 13, 19, 26, 33, 39, 46, 52, 59, 66, 72, 79, 85, 92, 99])
    #expect(tail(10, 30, nframe: 16) == [0, 0, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9])
    #expect(tail(1, 30, nframe: 4) == [0, 0, 0, 0])
    #expect(tail(12345, 23.976023976023978, nframe: 128) == FrameIndexFormula.linspace(frameCount: 12345, nframe: 128))
    // fps mode: the fps rule, then len-1 when the last index is not it (N+1 frames).
    #expect(tail(60, 30, fps: 2) == [0, 15, 30, 45, 59])
    #expect(tail(61, 30, fps: 1) == [0, 30, 60])
    #expect(tail(90, 30, fps: 1) == [0, 30, 60, 89])
    #expect(tail(45, 30, fps: 2) == [0, 15, 30, 44])
    #expect(tail(300, 29.97, fps: 2) == [0, 14, 29, 44, 59, 74, 89, 104, 119, 134, 149, 164, 179, 194, 209, 224, 239, 254, 269, 284, 299])
    let long = tail(1000, 23.976023976023978, fps: 1)
    #expect(long.count == 42 && long[40] == 959 && long.last == 999)
    // The last fps index is already len-1: nothing appended.
    #expect(tail(3, 1, fps: 1) == [0, 1, 2])
    #expect(tail(7, 2, fps: 2) == [0, 1, 2, 3, 4, 5, 6])
    // Shorter than 1/fps: VLMEvalKit raises IndexError; vtools takes the tail frame alone.
    #expect(tail(10, 30, fps: 1) == [9])
    #expect(tail(0, 30, fps: 1) == [])
    // A frame cap applies to the fps part, the tail frame comes after it.
    #expect(FrameIndexFormula.uniformTail(frameCount: 300, avgFPS: 30, nframe: 0, fps: 1, maxFrames: 4) == [0, 60, 150, 210, 299])
    #expect(SamplingSpec(sampler: .uniformTail, fps: 2).isPerSecond && !SamplingSpec(sampler: .uniformTail, nframe: 8).isPerSecond)
    #expect(Sampler(rawValue: "uniform_tail") == .uniformTail)
  }

  @Test func capKeepsEvenlySpacedEntries() {
    let all = Array(0..<100)
    #expect(FrameIndexFormula.capped(all, maxFrames: 4) == [0, 25, 50, 75])
    #expect(FrameIndexFormula.capped([1, 2], maxFrames: 4) == [1, 2])
  }

  @Test func pythonFloatText() {
    #expect(SamplingSpec.pythonFloat(1) == "1.0")
    #expect(SamplingSpec.pythonFloat(0.5) == "0.5")
    #expect(SamplingSpec(sampler: .fps, fps: 2).fpsText == "2.0")
  }
}
