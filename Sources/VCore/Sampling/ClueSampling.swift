/// CG-Bench's clue sampling (VLMEvalKit `CGBench_*.save_video_frames` with `clue_intervals`):
/// the rows whose `modeField` is `modeValue` (`task_mode == 'clue_acc'`; every row when
/// `modeField` is nil: the open-ended judge's frames) take their frames only from the row's clue
/// intervals (seconds, merged first), at most `maxFrames` of them, cached per question under
/// `{frame root}/../{folder}/{dataset}/{key}/` (`clue_images/{dataset}/{qid}/`). Every other row
/// is sampled as the preset says.
public struct ClueRule: Sendable, Equatable {
  /// The column that selects the rows (`task_mode`) and the value that does (`clue_acc`); nil:
  /// every row.
  public var modeField: String?
  public var modeValue: String
  /// The column of intervals, a list of `[start, end]` in seconds (`clue_intervals`).
  public var intervalsField: String
  /// The column naming the row's cache folder (`qid`).
  public var keyField: String
  /// The cache folder beside the frame root (`clue_images` beside `images`).
  public var folder: String
  /// The cap on the frame count in nframe mode (VLMEvalKit sets `nframe = 32` when more is asked).
  public var maxFrames: Int

  public init(modeField: String?, modeValue: String, intervalsField: String, keyField: String, folder: String, maxFrames: Int) {
    self.modeField = modeField
    self.modeValue = modeValue
    self.intervalsField = intervalsField
    self.keyField = keyField
    self.folder = folder
    self.maxFrames = maxFrames
  }

  /// Whether the rule samples this row from its clue intervals.
  public func selects(_ row: JSONObject) -> Bool {
    guard let modeField else { return true }
    return row[modeField]?.scalarText == modeValue
  }

  /// Why a cell holds no intervals.
  public struct BadIntervals: Error, Equatable, CustomStringConvertible {
    public var description: String
  }

  /// The intervals of a cell: a list of two-number lists (a Python list literal of numbers is
  /// JSON), or why not.
  public static func intervals(_ value: JSONValue) -> Result<[[Double]], BadIntervals> {
    var v = value
    if let s = value.stringValue {
      guard let parsed = try? JSONParser.parse(s) else {
        return .failure(BadIntervals(description: "'\(s)' is not a list of [start, end] intervals"))
      }
      v = parsed
    }
    guard let items = v.arrayValue else { return .failure(BadIntervals(description: "not a list of [start, end] intervals")) }
    var out: [[Double]] = []
    for item in items {
      guard let pair = item.arrayValue, pair.count == 2, let a = pair[0].doubleValue, let b = pair[1].doubleValue, a.isFinite, b.isFinite else {
        return .failure(BadIntervals(description: "\(JSONSerializer.serialize(item)) is not a [start, end] interval of two numbers"))
      }
      out.append([a, b])
    }
    return .success(out)
  }
}

extension FrameIndexFormula {
  /// CG-Bench's `merge_intervals`: sorted by start (stably), each interval that starts at or
  /// before the end of the last merged one extends it to the larger end.
  public static func mergeIntervals(_ intervals: [[Double]]) -> [[Double]] {
    let sorted = intervals.enumerated().sorted { $0.element[0] < $1.element[0] || ($0.element[0] == $1.element[0] && $0.offset < $1.offset) }
    var merged: [[Double]] = []
    for (_, cur) in sorted {
      if let last = merged.last, cur[0] <= last[1] {
        merged[merged.count - 1][1] = max(last[1], cur[1])
      } else {
        merged.append(cur)
      }
    }
    return merged
  }

  /// CG-Bench's `sample_frames_clue_average` over merged intervals (seconds) of a video at
  /// `fps`: frame intervals `(round(s*fps), round(e*fps))` (half to even); all their frames when
  /// `n` is at least their total length; else per interval `k = max(1, int(n * d / total))`
  /// frames, `int(a + seg/2 + seg*j)` with `seg = d/k`.
  public static func clueAverage(_ intervals: [[Double]], nframe n: Int, fps: Double) -> [Int] {
    let frames = intervals.map { iv -> (Int, Int) in (clueFrame(iv[0] * fps), clueFrame(iv[1] * fps)) }
    let durations = frames.map { $0.1 - $0.0 }
    let total = durations.reduce(0, +)
    if n >= total { return frames.flatMap { $0.0 < $0.1 ? Array($0.0..<$0.1) : [] } }
    var out: [Int] = []
    for (iv, d) in zip(frames, durations) {
      let k = max(1, Int(Double(n) * (Double(d) / Double(total))))
      let seg = Double(iv.1 - iv.0) / Double(k)
      out += (0..<k).map { Int(Double(iv.0) + seg / 2 + seg * Double($0)) }
    }
    return out
  }

  /// Its fps mode: per interval `int(start_f + i*step)` for `i < int((end_f - start_f)/step)`,
  /// `start_f = int(start*avg)`, `end_f = int(end*avg)`, `step = avg/fps`; fewer than
  /// `fallback` (32) frames in all gives `clueAverage` of `fallback` frames instead.
  public static func clueFPS(_ intervals: [[Double]], avgFPS: Double, fps: Double, fallback: Int = 32) -> [Int] {
    guard avgFPS > 0, fps > 0 else { return [] }
    var out: [Int] = []
    let step = avgFPS / fps
    for iv in intervals {
      let a = clueTruncate(iv[0] * avgFPS), b = clueTruncate(iv[1] * avgFPS)
      let count = clueTruncate(Double(b - a) / step)
      guard count > 0, count <= 10_000_000 else { continue }
      out += (0..<count).map { Int(Double(a) + Double($0) * step) }
    }
    return out.count < fallback ? clueAverage(intervals, nframe: fallback, fps: avgFPS) : out
  }

  /// Python's `round(x)` of a double, bounded so that an absurd interval cannot trap.
  static func clueFrame(_ x: Double) -> Int { Int(max(-1e12, min(1e12, x)).rounded(.toNearestOrEven)) }
  /// Python's `int(x)`, bounded likewise.
  static func clueTruncate(_ x: Double) -> Int { Int(max(-1e12, min(1e12, x)).rounded(.towardZero)) }
}
