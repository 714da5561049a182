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
  /// The video value is an integer zero-padded to this many digits for the file name and the
  /// cache key (Video-MME-v2's 3; set by presets only).
  public var videoZeroPadding: Int?
  /// Dataset name: the frame cache sub-folder (VLMEvalKit's internal name).
  public var dataset: String = "custom"
  /// A column whose value, when present, replaces `dataset` for that row (MLVU's and
  /// TempCompass's `SUB_DATASET`).
  public var datasetField: String?
  /// Take the frame-cache key from the video's file name without extension or folders (VideoMMMU).
  public var keyIsStem = false
  /// A folder the cache key starts with (the preset's `VideoRule.keyPrefix`).
  public var keyPrefix: String?
  /// Where the extraction lock of a video lives (VLMEvalKit's place for the preset's class).
  public var lock: FrameLock = .cacheFolder
  /// A column whose value names the frame-cache folder instead of the video column's (the
  /// preset's `VideoRule.keyField`).
  public var keyField: String?
  /// `datasetField` values whose frame-cache folder has another name (set by presets only).
  public var datasetFolders: [String: String] = [:]
  /// The rows the preset keeps (MovieChat-1K's subsets); nil keeps all.
  public var rows: RowSubset?
  /// The video column lists several videos (the preset's `VideoRule.listSeparator` and
  /// `listPartRemovals`; set by presets only): one job per listed video, `frame_groups` in the
  /// record.
  public var videoList: VideoRule?
  /// The rows list their media in columns, each video with its own frame budget (the preset's
  /// `VideoRule.mediaLists`; set by presets only): one job per listed video, `frame_groups` in
  /// the record.
  public var mediaLists: MediaListRule?
  /// The audio the preset sends (set by presets only): the record's `audio`.
  public var audio: AudioSource?
  /// The rows list pre-extracted frames (the preset's `VideoRule.frameList`; set by presets
  /// only): sampled and passed on in place, nothing decoded.
  public var frameList: FrameListRule?
  /// The rows list their media (the preset's `VideoRule.mediaDicts`; set by presets only): one job
  /// per video, image files passed on, `frame_groups` in the record.
  public var mediaDicts: MediaDictRule?
  /// Substrings removed from the video value before it names the file and the cache folder (the
  /// preset's `VideoRule.valueRemovals`; set by presets only).
  public var valueRemovals: [String] = []
  /// The rows sampled from their clue intervals (the preset's `VideoRule.clue`; set by presets
  /// only), cached in `clue.folder` beside the frame root.
  public var clue: ClueRule?
  /// A second video column that names the row's video where it has a value (the preset's
  /// `VideoRule.alternate`; set by presets only).
  public var alternate: AlternateVideo?
  /// Frames at the row's annotated timestamps for the rows the rule applies to (the preset's
  /// `VideoRule.timestampFrames`; set by presets only).
  public var timestampFrames: TimestampFrameRule?
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

  /// The sampler VLMEvalKit uses for `dataset` in nframe mode (from the benchmark registry); a
  /// different one puts a token in the cache path.
  public var nframeSampler: Sampler = .uniform

  /// The resize VLMEvalKit applies in this dataset folder (the preset's: Video-MME-v2's
  /// `_resize` configs); a different `jpeg.resize` puts a token in the cache path.
  public var nativeResize: FrameResize?

  /// The sampler VLMEvalKit uses for this dataset folder in this mode.
  /// In fps mode that is the fps rule, or `uniform_tail` where the dataset's sampler is it in
  /// both modes (VSI-Bench).
  var nativeSampler: Sampler { spec.isPerSecond ? (nframeSampler == .uniformTail ? .uniformTail : .fps) : nframeSampler }
}

/// vframes' command-line settings before a preset fills the gaps.
public struct FrameFlags: Sendable {
  public var nframe: Int?
  public var fps: Double?
  public var sampler: Sampler?
  public var maxFrames: Int?
  public var videoRoot = "."
  public var videoField: String?
  public var videoExt: String?
  public var videoDirField: String?
  public var keyStripExt = false
  public var dataset: String?
  public var frameRoot: String?
  public var quality = 75
  public var maxSide: Int?
  /// `--resize-area`: resize each frame to about this area (sides multiples of 16, LANCZOS).
  public var resizeArea: Int?
  public var jobs: Int?
  public var threads: Int?
  public var timeout: Double = 900
  public var noSkipNonref = false
  public var stats = false
  public var progress: ProgressMode = .auto

  public init() {}
}

/// A combination of flags and preset that cannot be used (exit 64).
public struct FrameUsageError: ToolError {
  public var description: String
  public var exitStatus: ExitStatus { .usage }
}

extension FrameOptions {
  /// The options for `flags`, with `preset` (a benchmark config's frame settings) filling what
  /// the flags leave open: explicit flags win; the preset's sub-folder is added to the video root.
  /// `native` gives the nframe-mode sampler VLMEvalKit uses for a dataset name (for `--dataset`
  /// without a preset).
  public init(flags f: FrameFlags, preset p: FrameSettings?, native: (String) -> Sampler?) throws(FrameUsageError) {
    if f.maxFrames != nil && f.fps == nil && p?.spec.isPerSecond != true {
      throw FrameUsageError(description: "--max-frames applies to --fps mode only.")
    }
    if let a = f.resizeArea, a <= 0 { throw FrameUsageError(description: "--resize-area must be positive.") }
    if f.maxSide != nil && f.resizeArea != nil {
      throw FrameUsageError(description: "--max-side and --resize-area cannot be used together.")
    }
    if f.maxSide != nil && f.resizeArea == nil && p?.resize != nil {
      throw FrameUsageError(description: "--max-side cannot be used with a preset that resizes its frames (\(p?.dataset ?? "")).")
    }
    var spec: SamplingSpec
    if let fps = f.fps {
      // `--sampler uniform_tail`, or a preset sampling that way, keeps its tail frame.
      let tail = f.sampler == .uniformTail || (f.sampler == nil && p?.spec.sampler == .uniformTail)
      spec = SamplingSpec(sampler: tail ? .uniformTail : .fps, fps: fps, maxFrames: f.maxFrames ?? 0)
    } else if let n = f.nframe {
      spec = SamplingSpec(sampler: f.sampler ?? p.map { $0.spec.sampler.takesNframe ? $0.spec.sampler : .uniform } ?? .uniform, nframe: n)
    } else {
      spec = p?.spec ?? SamplingSpec(sampler: .uniform, nframe: 8)
      if let m = f.maxFrames { spec.maxFrames = m }
    }
    let cpus = FileIO.onlineCPUs
    self.init(frameRoot: FileIO.absolutePath(f.frameRoot ?? FileIO.defaultFrameRoot()), spec: spec, jobs: f.jobs ?? cpus, threads: f.threads ?? cpus)
    videoRoot = FileIO.absolutePath(f.videoRoot)
    if let sub = p?.video.subfolder { videoRoot += "/" + sub }
    videoField = f.videoField ?? p?.video.field
    videoExtension = f.videoExt ?? p?.video.ext
    videoDirField = f.videoDirField ?? p?.video.dirField
    keyStripsExtension = f.keyStripExt || (p?.video.keyStripsExtension ?? false)
    datasetField = p?.video.datasetField
    datasetFolders = p?.video.datasetFolders ?? [:]
    rows = p?.rows
    audio = p?.audio
    videoList = p?.video.listSeparator != nil ? p?.video : nil
    frameList = p?.video.frameList
    mediaLists = p?.video.mediaLists
    mediaDicts = p?.video.mediaDicts
    valueRemovals = p?.video.valueRemovals ?? []
    clue = p?.video.clue
    alternate = f.videoField == nil ? p?.video.alternate : nil
    timestampFrames = p?.video.timestampFrames
    videoZeroPadding = p?.video.zeroPadding
    keyIsStem = p?.video.keyIsStem ?? false
    keyPrefix = p?.video.keyPrefix
    lock = p?.video.lock ?? .cacheFolder
    keyField = f.videoField == nil ? p?.video.keyField : nil
    dataset = f.dataset ?? p?.dataset ?? "custom"
    nframeSampler = (f.dataset == nil ? p?.nativeSampler : nil) ?? native(dataset) ?? .uniform
    jpeg = JPEGSettings(quality: f.quality, maxSide: f.maxSide ?? 0, resize: f.resizeArea.map { FrameResize(area: $0) } ?? p?.resize)
    nativeResize = f.dataset == nil ? p?.resize : nil
    timeout = f.timeout
    skipNonReference = !f.noSkipNonref
    stats = f.stats
    progress = f.progress
  }
}
