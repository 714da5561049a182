/// How frames are chosen from a video: VLMEvalKit's formulas, reproduced exactly.
public enum Sampler: String, Sendable, CaseIterable, Codable {
  /// VLMEvalKit's base nframe rule: `step = len/(n+1)`, `int(i*step)` for `i = 1...n`.
  case uniform
  /// VLMEvalKit's fps rule: `int(i*avg_fps/fps)` for `i < int(len/avg_fps*fps)`.
  case fps
  /// MVBench's segment centres (`get_index`), with optional clip bounds.
  case mvbench
  /// lmms-eval: `floor(linspace(0, len-1, n))`.
  case linspace
  /// VSI-Bench's `uniform_tail` (its default): `linspace` with `nframe`; with `fps`, the fps rule
  /// plus the last frame `len-1` when the last sampled index is not it (N+1 frames).
  case uniformTail = "uniform_tail"
  /// MEGA-Bench's cv2 frame-gap rule (`MEGABench._process_video`): every frame `k` with
  /// `k % gap == 0`, `gap = ceil(len/n)`, at least `ceil(fps/5)` when `fps >= 10`.
  case frameGap = "frame_gap"

  /// The samplers that work with `fps` (fps mode) and those that work with `nframe`.
  public var takesFPS: Bool { self == .fps || self == .uniformTail }
  public var takesNframe: Bool { self != .fps }
}

/// A complete sampling specification.
public struct SamplingSpec: Sendable, Equatable, Codable {
  public var sampler: Sampler
  /// Frames to take (uniform, mvbench, linspace, uniform_tail without a rate).
  public var nframe: Int
  /// Frames per second to take (fps, uniform_tail in fps mode).
  public var fps: Double
  /// Cap on the frame count in fps mode (0 = none); an extension, not in VLMEvalKit.
  public var maxFrames: Int
  /// The rate as the config writes it where that is not a float (SITE-Bench's `fps=1`: Python's
  /// `str(1)` is `1`, so its frames are `...-1fps.jpg`); nil: `str(float)`.
  public var fpsName: String?

  public init(sampler: Sampler, nframe: Int = 0, fps: Double = 0, maxFrames: Int = 0, fpsName: String? = nil) {
    self.sampler = sampler
    self.nframe = nframe
    self.fps = fps
    self.maxFrames = maxFrames
    self.fpsName = fpsName
  }

  /// fps mode (frames per second of video, `frame-I-of-N-Ffps.jpg` names): the `fps` sampler, or
  /// `uniform_tail` given a rate; every other spec takes `nframe` frames.
  public var isPerSecond: Bool { sampler == .fps || (sampler == .uniformTail && fps > 0) }

  /// The rate in VLMEvalKit's file names: `str(fps)`, `1.0`, `0.5`, `2.0` for the float configs,
  /// `fpsName` where the config gives an integer.
  public var fpsText: String { fpsName ?? Self.pythonFloat(fps) }

  /// Python's `str(float)` for the values that appear in fps settings.
  public static func pythonFloat(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e16 { return String(Int64(x)) + ".0" }
    let s = String(describing: x)
    return s
  }
}

/// Clip bounds in seconds (MVBench `bound` rows).
public struct ClipBounds: Sendable, Equatable, Codable {
  public var start: Double
  public var end: Double
  public init(start: Double, end: Double) {
    self.start = start
    self.end = end
  }
}

/// The frame-index formulas. All arithmetic is IEEE double as in CPython, with the same operation
/// order, so results are identical to VLMEvalKit's, including its rounding artefacts.
public enum FrameIndexFormula {
  /// VLMEvalKit's nframe rule (`video_base.py`): `step = len/(n+1)`; `int(i*step)`, `i = 1...n`.
  /// Frame 0 and the last frame are never taken. For `n > len` indices repeat.
  public static func uniform(frameCount len: Int, nframe n: Int) -> [Int] {
    guard n > 0, len > 0 else { return [] }
    let step = Double(len) / Double(n + 1)
    return (1...n).map { Int(Double($0) * step) }
  }

  /// VLMEvalKit's fps rule: `duration = len/avg_fps`, `required = int(duration*fps)`,
  /// `step = avg_fps/fps`, `int(i*step)` for `i = 0..<required`. Zero frames when the video
  /// is shorter than `1/fps` seconds.
  public static func fps(frameCount len: Int, avgFPS: Double, fps: Double) -> [Int] {
    guard len > 0, avgFPS > 0, fps > 0 else { return [] }
    let duration = Double(len) / avgFPS
    let product = duration * fps
    guard product.isFinite, product < 1e8 else { return [] }
    let required = Int(product)
    let step = avgFPS / fps
    return (0..<max(0, required)).map { Int(Double($0) * step) }
  }

  /// Caps an index list at `maxFrames` by keeping `maxFrames` evenly spaced entries
  /// (`indices[int(k*len/max)]`); `maxFrames <= 0` keeps all.
  public static func capped(_ indices: [Int], maxFrames: Int) -> [Int] {
    guard maxFrames > 0, indices.count > maxFrames else { return indices }
    let step = Double(indices.count) / Double(maxFrames)
    return (0..<maxFrames).map { indices[Int(Double($0) * step)] }
  }

  /// MVBench's `get_index`: `start_idx = max(first, round(start*fps))`,
  /// `end_idx = min(round(end*fps), max_frame)`, `seg = (end_idx-start_idx)/n`,
  /// `int(start_idx + seg/2 + round(seg*k))` for `k = 0..<n`; both rounds are half-to-even.
  /// Unbounded rows use start -100000 and end 100000 as VLMEvalKit does.
  public static func mvbench(nframe n: Int, fps: Double, maxFrame: Int, firstIndex: Int, bounds: ClipBounds?) -> [Int] {
    guard n > 0 else { return [] }
    let start = bounds?.start ?? -100000
    let end = bounds?.end ?? 100000
    let startIdx = max(Double(firstIndex), (start * fps).rounded(.toNearestOrEven))
    let endIdx = min((end * fps).rounded(.toNearestOrEven), Double(maxFrame))
    let seg = (endIdx - startIdx) / Double(n)
    return (0..<n).map { k in
      let v = startIdx + seg / 2 + (seg * Double(k)).rounded(.toNearestOrEven)
      return Int(v.rounded(.towardZero))
    }
  }

  /// lmms-eval's `np.linspace(0, len-1, n, dtype=int)`: `floor(i*step)` with
  /// `step = (len-1)/(n-1)`, the last value exactly `len-1`; `n == 1` gives `[0]`.
  public static func linspace(frameCount len: Int, nframe n: Int) -> [Int] {
    guard n > 0, len > 0 else { return [] }
    if n == 1 { return [0] }
    let stop = Double(len - 1)
    let step = stop / Double(n - 1)
    return (0..<n).map { i in
      if i == n - 1 { return len - 1 }
      return Int((Double(i) * step).rounded(.down))
    }
  }

  /// MEGA-Bench's frame gap (`MEGABench._process_video`): `gap = 1` when `n == 0`, else
  /// `ceil(len/n)`; when `fps >= 10`, `gap = max(ceil(fps/5), gap)`; every frame `k` of `0..<len`
  /// with `k % gap == 0`, so at most `n` frames and never more than 5 a second for videos of 10 fps
  /// or more. `len` and `fps` are what cv2 reports (`CAP_PROP_FRAME_COUNT`, `CAP_PROP_FPS`);
  /// VLMEvalKit then reads frames until cv2 stops, so a stream whose count is not exact gives more
  /// or fewer there.
  public static func frameGap(frameCount len: Int, fps: Double, nframe n: Int) -> [Int] {
    guard len > 0 else { return [] }
    var gap = n > 0 ? (len + n - 1) / n : 1
    if fps >= 10 { gap = max(Int((fps / 5).rounded(.up)), gap) }
    return Array(stride(from: 0, to: len, by: max(1, gap)))
  }

  /// VSI-Bench's `uniform_tail` (`VsiBench.save_video_frames`): in nframe mode `linspace` (it
  /// ends at `len-1` already, so the append never fires); in fps mode the fps rule, then `len-1`
  /// appended when the last index is not `len-1`. A video shorter than `1/fps` has no fps index:
  /// VLMEvalKit fails there (`indices[-1]`, IndexError); this gives the tail frame alone, `[len-1]`.
  public static func uniformTail(frameCount len: Int, avgFPS: Double, nframe n: Int, fps: Double, maxFrames: Int = 0) -> [Int] {
    guard len > 0 else { return [] }
    guard fps > 0 else { return linspace(frameCount: len, nframe: n) }
    var indices = capped(Self.fps(frameCount: len, avgFPS: avgFPS, fps: fps), maxFrames: maxFrames)
    if indices.last != len - 1 { indices.append(len - 1) }
    return indices
  }
}
