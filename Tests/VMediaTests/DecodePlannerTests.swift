import Testing
import VMedia

@Suite struct DecodePlannerTests {
  /// I B B P B B P | I B B P ... in decode order with pts showing display order.
  func closedGOPs() -> PacketIndex {
    // Decode order per GOP of 6: I0 P3 B1 B2 P5 B4 (pts relative to GOP start).
    var pts: [Int64?] = []
    var key: [Bool] = []
    for g in 0..<4 {
      let base = Int64(g * 6)
      for (p, k) in [(0, true), (3, false), (1, false), (2, false), (5, false), (4, false)] {
        pts.append(base + Int64(p))
        key.append(k)
      }
    }
    return PacketIndex(pts: pts, isKey: key)
  }

  @Test func rangesStartAtKeyframesAndEndAtLastTarget() {
    let idx = closedGOPs()
    let order = idx.presentationOrder()!
    // Frames 1 (decode pos 2) and 14 (GOP 2, pts 14 = base 12 + 2 -> decode pos 12+3=15).
    let targets = Set([order[1], order[14]])
    let r = DecodePlanner.ranges(index: idx, targets: targets)
    #expect(r == [DecodeRange(start: 0, end: 2), DecodeRange(start: 12, end: 15)])
    #expect(DecodePlanner.minimumFrames(r) == 3 + 4)
  }

  @Test func openGOPLeadingFramesUseThePreviousKeyframe() {
    // Decode: I0(pts 2) B(pts 0) B(pts 1) P(pts 5) B(3) B(4) I(pts 8) B(6) B(7)
    let idx = PacketIndex(
      pts: [2, 0, 1, 5, 3, 4, 8, 6, 7].map { Int64($0) },
      isKey: [true, false, false, false, false, false, true, false, false])
    let order = idx.presentationOrder()!
    // Frame 6 (pts 6) is a leading B of the second GOP: it needs the first GOP's refs.
    let r = DecodePlanner.ranges(index: idx, targets: [order[6]])
    #expect(r == [DecodeRange(start: 0, end: 7)])
    // With frame 8 too, the ranges overlap and merge: nothing is decoded twice.
    let r2 = DecodePlanner.ranges(index: idx, targets: [order[6], order[8]])
    #expect(r2 == [DecodeRange(start: 0, end: 7)])
  }

  @Test func missingOrRepeatedTimestampsHaveNoPresentationOrder() {
    #expect(PacketIndex(pts: [0, nil, 2], isKey: [true, false, false]).presentationOrder() == nil)
    #expect(PacketIndex(pts: [0, 1, 1], isKey: [true, false, false]).presentationOrder() == nil)
  }

  @Test func splitKeepsOrderAndBalances() {
    let ranges = (0..<8).map { DecodeRange(start: $0 * 100, end: $0 * 100 + 9) }
    let g = DecodePlanner.split(ranges, parts: 2)
    #expect(g.count == 2)
    #expect(g.flatMap { $0 } == ranges)
    #expect(g[0].count == 4)
    #expect(DecodePlanner.split(ranges, parts: 20).count == 8)
    #expect(DecodePlanner.split([ranges[0]], parts: 4).count == 1)
  }
}
