import Testing
import VCore

/// `FrameResize.size` against VLMEvalKit's `_resize_to_target_area` (values computed with
/// Python's `math.sqrt` and `round`).
@Suite struct FrameResizeTests {
  @Test func videoMMEv2SizesMatchPython() {
    let r = FrameResize(area: 200_704)
    let vectors: [(Int, Int, Int, Int)] = [
      (1920, 1080, 592, 336), (1280, 720, 592, 336), (640, 360, 592, 336), (854, 480, 592, 336),
      (720, 1280, 336, 592), (1080, 1920, 336, 592), (3840, 2160, 592, 336), (448, 448, 448, 448),
      (176, 144, 496, 400), (10, 10000, 16, 14160), (3, 2, 544, 368), (1, 1, 448, 448), (16, 16, 448, 448),
    ]
    for (w, h, ew, eh) in vectors { #expect(r.size(width: w, height: h) == (ew, eh), "\(w)x\(h)") }
  }

  @Test func halfWayRoundsToEvenAndSidesStayAtLeastTheDivisor() {
    let r = FrameResize(area: 200_704)
    // 196 x 256: scale exactly 2; 196 * 2 / 16 = 24.5 rounds to 24 (half-up would give 400).
    #expect(r.size(width: 196, height: 256) == (384, 512))
    // 28 * 2 / 16 = 3.5 rounds to 4; 4 * 2 / 16 = 0.5 rounds to 0, kept at 16.
    #expect(r.size(width: 28, height: 1792) == (64, 3584))
    #expect(r.size(width: 4, height: 12544) == (16, 25088))
    #expect(FrameResize(area: 50_000).size(width: 1000, height: 1000) == (224, 224))
  }
}
