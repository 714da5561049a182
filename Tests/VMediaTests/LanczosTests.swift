import Foundation
import Testing
import VMedia
import VTestSupport

/// The LANCZOS resampler against Pillow's own output on the same RGB bytes: the fixtures in
/// `Tests/Fixtures/lanczos` (made by `Tests/Fixtures/make-lanczos-fixtures.py` with Pillow), and,
/// when `VTOOLS_LANCZOS_DIR` names a folder of the same layout, the frames of
/// `bench/resize-parity.sh`.
@Suite struct LanczosTests {
  struct Case: Sendable {
    var name: String
    var sourceWidth: Int
    var sourceHeight: Int
    var width: Int
    var height: Int
  }

  struct Difference {
    var max = 0
    var sum = 0
    var count = 0
  }

  static func cases(in dir: String) throws -> [Case] {
    let text = try String(contentsOfFile: dir + "/cases.tsv", encoding: .utf8)
    return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
      let f = line.split(separator: "\t").map(String.init)
      let n = f.dropFirst().compactMap { Int($0) }
      guard f.count == 5, n.count == 4 else { throw CocoaError(.fileReadCorruptFile) }
      return Case(name: f[0], sourceWidth: n[0], sourceHeight: n[1], width: n[2], height: n[3])
    }
  }

  static func bytes(_ path: String) throws -> [UInt8] {
    try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Resizes each case's source and compares with Pillow's bytes; writes ours as NAME.vtools.rgb
  /// when `write` is set.
  static func compare(dir: String, write: Bool) throws -> [(Case, Difference)] {
    try cases(in: dir).map { c in
      let src = try bytes("\(dir)/\(c.name).src.rgb")
      let pil = try bytes("\(dir)/\(c.name).pil.rgb")
      #expect(src.count == c.sourceWidth * c.sourceHeight * 3, "\(c.name): source size")
      #expect(pil.count == c.width * c.height * 3, "\(c.name): Pillow's size")
      let ours = LanczosResampler(sourceWidth: c.sourceWidth, sourceHeight: c.sourceHeight, width: c.width, height: c.height).resample(src)
      if write { try Data(ours).write(to: URL(fileURLWithPath: "\(dir)/\(c.name).vtools.rgb")) }
      var d = Difference()
      for (a, b) in zip(ours, pil) {
        let e = abs(Int(a) - Int(b))
        d.max = max(d.max, e)
        d.sum += e
      }
      d.count = ours.count
      #expect(ours.count == pil.count, "\(c.name): output size")
      return (c, d)
    }
  }

  @Test func matchesPillowByteForByteOnTheFixtures() throws {
    let results = try Self.compare(dir: FakeServer.repoRoot + "/Tests/Fixtures/lanczos", write: false)
    #expect(results.count >= 10)
    for (c, d) in results {
      #expect(d.max == 0, "\(c.name): \(c.sourceWidth)x\(c.sourceHeight) -> \(c.width)x\(c.height) differs by up to \(d.max)")
    }
  }

  /// Run by bench/resize-parity.sh on frames of generated videos; the script reports the numbers.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["VTOOLS_LANCZOS_DIR"] != nil))
  func matchesPillowOnTheBenchFrames() throws {
    let dir = try #require(ProcessInfo.processInfo.environment["VTOOLS_LANCZOS_DIR"])
    let results = try Self.compare(dir: dir, write: true)
    #expect(!results.isEmpty)
    for (c, d) in results { #expect(d.max <= 1, "\(c.name): differs by up to \(d.max)") }
  }

  @Test func sameSizeIsACopyAndOneAxisStaysUntouched() {
    var src = [UInt8](repeating: 0, count: 7 * 5 * 3)
    for i in src.indices { src[i] = UInt8(truncatingIfNeeded: i &* 37) }
    #expect(LanczosResampler(sourceWidth: 7, sourceHeight: 5, width: 7, height: 5).resample(src) == src)
    // A uniform image stays uniform whatever the factor (weights sum to one).
    let grey = [UInt8](repeating: 131, count: 33 * 17 * 3)
    #expect(LanczosResampler(sourceWidth: 33, sourceHeight: 17, width: 16, height: 48).resample(grey) == [UInt8](repeating: 131, count: 16 * 48 * 3))
  }
}
