/// The packets of a video stream in decode order, as the demuxer gave them (no decoding).
public struct PacketIndex: Sendable, Equatable {
  /// Presentation timestamps (stream time base); `nil` where the container gave none.
  public var pts: [Int64?]
  /// Keyframe flags.
  public var isKey: [Bool]

  public init(pts: [Int64?], isKey: [Bool]) {
    self.pts = pts
    self.isKey = isKey
  }

  public var count: Int { pts.count }

  /// Decode positions in presentation order (sorted by pts, then decode position), or nil when
  /// a pts is missing or repeated, in which case presentation order cannot be known without
  /// decoding and the sequential path is used.
  public func presentationOrder() -> [Int]? {
    var seen = Set<Int64>()
    seen.reserveCapacity(pts.count)
    for p in pts {
      guard let p, seen.insert(p).inserted else { return nil }
    }
    return pts.indices.sorted { pts[$0]! < pts[$1]! }
  }
}

/// One stretch of packets to decode: from a keyframe to the last target that depends on it.
public struct DecodeRange: Sendable, Equatable {
  /// Decode position of the keyframe the range starts at.
  public var start: Int
  /// Decode position of the last packet to feed (inclusive).
  public var end: Int
  public var count: Int { end - start + 1 }

  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }
}

/// The GOP-aware plan: which packet ranges to decode for a set of target frames. Each range
/// starts at the last keyframe (in decode order) at or before its target whose pts is not after
/// the target's (so an open GOP's leading B-frames are decoded from the previous keyframe), and
/// ends at the last target packet that needs it. Overlapping ranges are merged, so no packet is
/// decoded twice and the decoder only moves forward.
public enum DecodePlanner {
  /// The ranges for target decode positions `targets`, sorted by start.
  public static func ranges(index: PacketIndex, targets: Set<Int>) -> [DecodeRange] {
    let keys = index.isKey.indices.filter { index.isKey[$0] }
    var byStart: [Int: Int] = [:]
    for t in targets {
      // Last keyframe with decode position <= t.
      var lo = 0
      var hi = keys.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if keys[mid] <= t { lo = mid + 1 } else { hi = mid }
      }
      var k = lo - 1
      if let tp = index.pts[t] {
        while k >= 0, let kp = index.pts[keys[k]], kp > tp { k -= 1 }
      }
      // No keyframe before the target: decode from the first packet (the decoder will
      // produce what it can; a frame it cannot produce is reported missing).
      let start = k >= 0 ? keys[k] : 0
      byStart[start] = max(byStart[start] ?? t, t)
    }
    var result: [DecodeRange] = []
    for start in byStart.keys.sorted() {
      let end = byStart[start]!
      if let last = result.last, start <= last.end {
        result[result.count - 1].end = max(last.end, end)
      } else {
        result.append(DecodeRange(start: start, end: end))
      }
    }
    return result
  }

  /// The frames a perfect GOP-aware decoder must decode for these ranges.
  public static func minimumFrames(_ ranges: [DecodeRange]) -> Int {
    ranges.reduce(0) { $0 + $1.count }
  }

  /// Splits sorted ranges into at most `parts` contiguous groups of similar packet counts.
  public static func split(_ ranges: [DecodeRange], parts: Int) -> [[DecodeRange]] {
    guard parts > 1, ranges.count > 1 else { return ranges.isEmpty ? [] : [ranges] }
    let n = min(parts, ranges.count)
    let total = Double(minimumFrames(ranges))
    var groups: [[DecodeRange]] = []
    var current: [DecodeRange] = []
    var acc = 0.0
    for (i, r) in ranges.enumerated() {
      current.append(r)
      acc += Double(r.count)
      let remainingRanges = ranges.count - i - 1
      let remainingGroups = n - groups.count - 1
      let share = total * Double(groups.count + 1) / Double(n)
      if remainingGroups > 0 && (acc >= share || remainingRanges == remainingGroups) {
        groups.append(current)
        current = []
      }
    }
    if !current.isEmpty { groups.append(current) }
    return groups
  }
}
