/// A dataset that ships pre-extracted frames instead of videos (MMSI-Video-Bench): each row's
/// `field` lists its clips' frame files, one list per clip (a Python list literal of lists, or a
/// JSON array of arrays), and `fpsField` gives the rate those frames were taken at. vframes
/// samples over the clips' frames joined end to end (the global index) and passes the chosen
/// files on as they are: nothing is decoded or written.
public struct FrameListRule: Sendable, Equatable {
  /// The column of frame lists (`image_path`).
  public var field: String
  /// The column of the frames' rate, read in fps mode (`video_fps`).
  public var fpsField: String

  public init(field: String, fpsField: String) {
    self.field = field
    self.fpsField = fpsField
  }
}

extension FrameIndexFormula {
  /// MMSI-Video-Bench's `save_video_frames` in nframe mode, over `total` listed frames: all of
  /// them when `n >= total`, else `np.linspace(0, total-1, n, dtype=int)`.
  public static func frameList(total: Int, nframe n: Int) -> [Int] {
    guard total > 0, n > 0 else { return [] }
    return n >= total ? Array(0..<total) : linspace(frameCount: total, nframe: n)
  }

  /// Its fps mode: `duration = total/video_fps`, `required = max(int(duration*fps), 1)`,
  /// `min(int(i*video_fps/fps), total-1)` for `i < required`, repeats dropped (first kept).
  public static func frameList(total: Int, videoFPS: Double, fps: Double) -> [Int] {
    guard total > 0, videoFPS > 0, fps > 0 else { return [] }
    let product = Double(total) / videoFPS * fps
    guard product.isFinite, product < 1e8 else { return [] }
    let required = max(Int(product), 1)
    let step = videoFPS / fps
    var seen = Set<Int>()
    return (0..<required).map { min(Int(Double($0) * step), total - 1) }.filter { seen.insert($0).inserted }
  }

  /// The global indices split by clip: for each clip (of `lengths`), the local indices of the
  /// global ones that fall in it, in order.
  public static func splitByClip(_ indices: [Int], lengths: [Int]) -> [[Int]] {
    var starts: [Int] = []
    var acc = 0
    for l in lengths {
      starts.append(acc)
      acc += l
    }
    var out = [[Int]](repeating: [], count: lengths.count)
    for g in indices {
      if let k = starts.indices.first(where: { g >= starts[$0] && g < starts[$0] + lengths[$0] }) { out[k].append(g - starts[k]) }
    }
    return out
  }
}
