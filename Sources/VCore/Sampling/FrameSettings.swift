/// How a dataset row names its video file and its frame-cache folder (reference section 3).
public struct VideoRule: Sendable, Equatable {
  /// The column holding the video.
  public var field: String
  /// Added when the value has no extension.
  public var ext: String?
  /// A column naming a sub-folder (MVBench, MLVU: `prefix`).
  public var dirField: String?
  /// A fixed sub-folder of the dataset root (`video`, `videos`).
  public var subfolder: String?
  /// The cache folder is the value without its extension (MLVU, LongVideoBench).
  public var keyStripsExtension: Bool = false
  /// A column whose value replaces the dataset folder for that row (MLVU, TempCompass
  /// sub-datasets: `SUB_DATASET`).
  public var datasetField: String?
  /// The value is an integer, written with at least this many digits, zero-padded, in the file
  /// name and the cache key (Video-MME-v2: `str(int(video)).zfill(3)`, `7` -> `007`).
  public var zeroPadding: Int?
  /// The cache folder is the video's file name without its extension and folders (VideoMMMU:
  /// `videos/.../{id}.mp4` is cached under `{id}`).
  public var keyIsStem: Bool = false
  /// Where the lock that serialises the extraction of one video lives.
  public var lock: FrameLock = .cacheFolder
  /// A column whose value names the frame-cache folder instead of the video column's
  /// (AV-SpeakerBench: frames of `visual_path` cached under `video`).
  public var keyField: String?
  /// `datasetField` values mapped to their frame-cache folders where the two differ (Q-Bench-Video:
  /// `QBench_Video_MCQ` caches under `qbenchvideo_single_MCQ`).
  public var datasetFolders: [String: String] = [:]
  /// The column lists several videos joined by this separator (MVU-Eval's `video_paths`, `;`):
  /// each part is a video of its own, with its own file and frame-cache folder, and the record
  /// carries every part's frames in order, `frame_groups` saying which are whose
  /// (vtools-records(5)). nil: the column holds one video.
  public var listSeparator: String?
  /// Substrings removed from each listed part, in order, before surrounding whitespace is
  /// stripped: what is left names the video file (`ext` always appended) and its cache folder
  /// (MVU-Eval: `v.replace('.mp4', '').replace('video/', '').strip()`). A part that is blank
  /// before the removals is skipped.
  public var listPartRemovals: [String] = []
  /// A folder the cache key starts with, inside the dataset folder (ReVSI: the frame subset,
  /// `ReVSI/16_frame/{scene}`).
  public var keyPrefix: String?
  /// The row names pre-extracted frames, not a video (MMSI-Video-Bench): vframes samples the
  /// listed files and passes them on in place. nil: the row names a video.
  public var frameList: FrameListRule?
  /// Substrings removed from the value, in order, before it names the video file and its
  /// cache folder (DREAM-1K: `video.replace('video/', '')`); not for a listing (see
  /// `listPartRemovals`).
  public var valueRemovals: [String] = []
  /// CG-Bench's clue sampling: the rows it selects take their frames from their clue intervals,
  /// cached per question (see `ClueRule`); nil: every row is sampled as the spec says.
  public var clue: ClueRule?
  /// The row lists its media (images and videos) in Python list columns, each video with a
  /// frame budget of its own (MEGA-Bench); nil: the row names one video in `field`.
  public var mediaLists: MediaListRule?
  /// A column that, where the row has a value, names its video instead (CG-AV-Counting's
  /// reference clips); nil: `field` always.
  public var alternate: AlternateVideo?
  /// Frames at the row's annotated timestamps for the rows it applies to (CG-AV-Counting's box
  /// clues); nil: every row sampled by the spec.
  public var timestampFrames: TimestampFrameRule?
  /// The row lists its media as dicts (EgoExoBench's `medias`): several videos and images per
  /// row, each video sampled on its own. nil: the row names a video.
  public var mediaDicts: MediaDictRule?

  public init(
    field: String, ext: String? = nil, dirField: String? = nil, subfolder: String? = nil, keyStripsExtension: Bool = false,
    datasetField: String? = nil, zeroPadding: Int? = nil, keyIsStem: Bool = false, lock: FrameLock = .cacheFolder,
    keyField: String? = nil, datasetFolders: [String: String] = [:], listSeparator: String? = nil, listPartRemovals: [String] = [],
    keyPrefix: String? = nil, frameList: FrameListRule? = nil, valueRemovals: [String] = [], clue: ClueRule? = nil,
    mediaLists: MediaListRule? = nil, alternate: AlternateVideo? = nil, timestampFrames: TimestampFrameRule? = nil,
    mediaDicts: MediaDictRule? = nil
  ) {
    self.clue = clue
    self.mediaLists = mediaLists
    self.alternate = alternate
    self.timestampFrames = timestampFrames
    self.mediaDicts = mediaDicts
    self.valueRemovals = valueRemovals
    self.frameList = frameList
    self.field = field
    self.ext = ext
    self.dirField = dirField
    self.subfolder = subfolder
    self.keyStripsExtension = keyStripsExtension
    self.datasetField = datasetField
    self.zeroPadding = zeroPadding
    self.keyIsStem = keyIsStem
    self.lock = lock
    self.keyField = keyField
    self.datasetFolders = datasetFolders
    self.keyPrefix = keyPrefix
    self.listSeparator = listSeparator
    self.listPartRemovals = listPartRemovals
  }

  /// The videos a listing cell names (`listSeparator` set): split at the separator, blank parts
  /// skipped, `listPartRemovals` removed, whitespace stripped, in order.
  public func listedVideos(_ value: String) -> [String] {
    guard let sep = listSeparator, !sep.isEmpty else { return [value] }
    return Self.split(value, sep).filter { !PyText.strip($0).isEmpty }.map { part in
      PyText.strip(listPartRemovals.reduce(part) { Self.split($0, $1).joined() })
    }
  }

  /// The value with `valueRemovals` removed (Python's `str.replace(r, '')` for each, in order).
  public func removingValueParts(_ value: String) -> String {
    valueRemovals.reduce(value) { Self.split($0, $1).joined() }
  }

  static func split(_ s: String, _ sep: String) -> [String] { PyText.split(s, sep) }

  /// Python's `str(int(value)).zfill(width)`: the value read as an integer (surrounding
  /// whitespace and a sign allowed), written with at least `width` digits after its sign; nil
  /// when the value is not an integer.
  public static func zeroPadded(_ value: String, width: Int) -> String? {
    guard let n = PyText.int(value) else { return nil }
    let digits = String(n.magnitude)
    let sign = n < 0 ? "-" : ""
    let pad = max(0, width - sign.count - digits.count)
    return sign + String(repeating: "0", count: pad) + digits
  }
}

/// Where a video's extraction lock lives, as the VLMEvalKit class that writes the same cache
/// places it, so that vframes and VLMEvalKit never decode into one folder at once.
public enum FrameLock: Sendable, Equatable {
  /// `{frame folder}.lock` beside the frame folder (the base class).
  case cacheFolder
  /// The video path without its extension (Python's `os.path.splitext`) plus `suffix`, beside
  /// the video (VideoMMMU: `f.lock`; Video-TT: `.lock`).
  case besideVideo(suffix: String)
  /// The frame folder plus `suffix` instead of `.lock`, beside the frame folder (ReVSI:
  /// `{scene}.16frame.lock`).
  case besideFolder(suffix: String)

  /// The lock file for a job: `directory` is its frame folder, `video` its video path.
  public func path(directory: String, video: String) -> String {
    switch self {
    case .cacheFolder: return directory + ".lock"
    case .besideVideo(let suffix): return Self.splitextRoot(video) + suffix
    case .besideFolder(let suffix): return directory + suffix
    }
  }

  /// `os.path.splitext(path)[0]`: the path without the extension of its last component, where
  /// leading dots of that component do not start an extension.
  public static func splitextRoot(_ path: String) -> String {
    let u = Array(path.unicodeScalars)
    let nameStart = (u.lastIndex(of: "/") ?? -1) + 1
    guard let dot = u.lastIndex(of: "."), dot > nameStart else { return path }
    // A name made of dots before the last one (".x", "..x") has no extension.
    guard u[nameStart..<dot].contains(where: { $0 != "." }) else { return path }
    return String(String.UnicodeScalarView(u[..<dot]))
  }
}

/// What a benchmark config fixes for vframes: the frame-cache folder, the sampling, the video
/// layout and the sampler VLMEvalKit uses for that folder (a different one adds a token to the
/// cache path). Generic: the benchmark registry (VBenchmarks) fills it in.
public struct FrameSettings: Sendable {
  /// VLMEvalKit's internal dataset name: the frame-cache folder.
  public var dataset: String
  public var spec: SamplingSpec
  public var video: VideoRule
  /// The sampler VLMEvalKit uses for `dataset` in nframe mode (`uniform`, MVBench's `mvbench`).
  public var nativeSampler: Sampler
  /// A resize after decoding (Video-MME-v2 `_resize` configs); nil keeps the decoded size.
  public var resize: FrameResize?
  /// The rows the config keeps (MovieChat-1K's `subset`/`limit`); nil keeps all.
  public var rows: RowSubset?
  /// The audio the config sends (the record's `audio`); nil: none.
  public var audio: AudioSource?

  public init(
    dataset: String, spec: SamplingSpec, video: VideoRule, nativeSampler: Sampler, resize: FrameResize? = nil, rows: RowSubset? = nil,
    audio: AudioSource? = nil
  ) {
    self.audio = audio
    self.dataset = dataset
    self.spec = spec
    self.video = video
    self.nativeSampler = nativeSampler
    self.resize = resize
    self.rows = rows
  }
}

/// A resize applied to each frame after decoding and before encoding (VLMEvalKit's
/// Video-MME-v2 `_resize` configs, `VideoMMEv2._resize_to_target_area`): the aspect ratio is
/// kept, the area brought near `area`, each side rounded to a multiple of `divisor` (at least
/// `divisor`), resampled with PIL's LANCZOS filter. A frame already of that size is kept as is.
public struct FrameResize: Sendable, Equatable {
  /// The target area in pixels (448 x 448 = 200704).
  public var area: Int
  public var divisor: Int

  public init(area: Int, divisor: Int = 16) {
    precondition(area > 0 && divisor > 0, "FrameResize needs a positive area and divisor")
    self.area = area
    self.divisor = divisor
  }

  /// The output size for a `width` x `height` frame: `max(d, round(side * sqrt(A / (w*h)) / d) * d)`
  /// per side, Python's `round` (half to even) on the double, as VLMEvalKit computes it.
  public func size(width: Int, height: Int) -> (width: Int, height: Int) {
    guard width > 0, height > 0 else { return (width, height) }
    let scale = (Double(area) / (Double(width) * Double(height))).squareRoot()
    func side(_ s: Int) -> Int {
      let q = (Double(s) * scale / Double(divisor)).rounded(.toNearestOrEven)
      return max(divisor, Int(q) * divisor)
    }
    return (side(width), side(height))
  }
}

/// Where a config's audio comes from (the record's `audio`, vtools-records(5)).
public enum AudioSource: Sendable, Equatable {
  /// The video's own audio track, extracted into the frame cache as a WAV at moviepy's
  /// defaults (WorldSense's `_audio` configs; VLMEvalKit extracts it at preparation).
  case videoTrack
  /// The dataset's own file, named by the row's `column` under the video root; no frames are
  /// sampled (AV-SpeakerBench's `audio_only` configs).
  case datasetFile(column: String)
}
