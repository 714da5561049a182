import VCore
import VMedia

/// Everything vframes needs to know, parsed from the command line (or set by presets).
public struct FrameOptions: Sendable {
  /// Directory the video column is relative to.
  public var videoRoot: String = "."
  /// The column holding the video; nil means `video`, else `video_path`.
  public var videoField: String?
  /// Appended to the column's value when it has no extension (`.mp4` for MMBench-Video, Video-MME).
  public var videoExtension: String?
  /// A column holding a sub-folder between the root and the video (MVBench's `prefix`).
  public var videoDirField: String?
  /// Take the frame-cache key from the video value with its extension removed (MLVU, LongVideoBench).
  public var keyStripsExtension = false
  /// Dataset name: the frame cache sub-folder (VLMEvalKit's internal name).
  public var dataset: String = "custom"
  /// A column whose value, when present, replaces `dataset` for that row (MLVU's and
  /// TempCompass's `SUB_DATASET`).
  public var datasetField: String?
  /// Root of the frame cache: `$LMUData/images` by default.
  public var frameRoot: String
  public var spec: SamplingSpec
  public var jpeg = JPEGSettings()
  /// Videos decoded at once.
  public var jobs: Int
  /// Decoder threads in all (never more are busy at once).
  public var threads: Int
  /// Per-video time limit in seconds.
  public var timeout: Double = 900
  /// Skip non-reference frames that are not targets.
  public var skipNonReference = true
  /// Print per-video decoding statistics.
  public var stats = false
  public var progress: ProgressMode = .auto

  public init(frameRoot: String, spec: SamplingSpec, jobs: Int, threads: Int) {
    self.frameRoot = frameRoot
    self.spec = spec
    self.jobs = jobs
    self.threads = threads
  }

  /// The sampler VLMEvalKit uses for this dataset folder in this mode; a different one puts a
  /// token in the cache path.
  var nativeSampler: Sampler {
    if spec.sampler == .fps { return .fps }
    return dataset == "MVBench" || dataset == "MVBench_MP4" ? .mvbench : .uniform
  }
}
