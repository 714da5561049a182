import Foundation
import VCore
import VMedia

/// One unique (video, sampling) to extract; all rows that share it share its result.
struct VideoJob: Sendable, Hashable {
  /// The video file, or a folder of numbered JPEGs.
  var path: String
  /// The frame-cache directory.
  var directory: String
  var bounds: ClipBounds?
  /// The lock file that serialises extraction into `directory`.
  var lockPath: String
  /// The merged clue intervals (seconds) the frames come from (a `ClueRule` row); nil: the
  /// whole video, as the spec says.
  var clue: [[Double]]?
  /// The video's own frame budget (a media-list row: MEGA-Bench's demo and query budgets); nil:
  /// the spec's `nframe`.
  var nframe: Int?
  /// The frames are named beside the video (`MediaListRule.naming`); nil: VLMEvalKit's
  /// `frame-i-of-n.jpg` in `directory`.
  var naming: FrameNaming?
  /// A listed media's own frame count (`MediaDictRule`, EgoExoBench): sampled with MVBench's
  /// segment formula from frame 0 whatever the preset's sampler, files named `{index:07d}.jpg`.
  var mediaFrames: Int?

  /// The row's annotated times (`FrameOptions.timestampFrames`): the frames at them, not a
  /// sampled set; nil: the spec's sample.
  var timestamps: [FrameTimestamp]?

  var key: String {
    directory + "\u{0}" + path + (nframe.map { "\u{0}\($0)" } ?? "") + (timestamps.map { "\u{0}@" + $0.map(\.name).joined(separator: ",") } ?? "")
  }
  static func == (a: VideoJob, b: VideoJob) -> Bool { a.key == b.key }
  func hash(into h: inout Hasher) { h.combine(key) }
}

/// The outcome of one job, shared by every row that uses the video.
struct JobResult: Sendable {
  var frames: [String] = []
  var indices: [Int] = []
  var times: [Double] = []
  var info: JSONObject = JSONObject()
  var stats = DecodeStats()
  /// Frames were all in the cache and the video was not opened.
  var cached = false
  /// Frames were all in the cache but the video was opened for its metadata.
  var probedOnly = false
  var seconds = 0.0
  /// The clip bounds used (MVBench bounded rows).
  var bounds: ClipBounds?
  var error: MediaError?
  /// A note for the user (e.g. zero frames sampled in fps mode).
  var warning: String?
  /// The WAV of the video's audio track (presets with `AudioSource.videoTrack`).
  var audio: String?
  /// The merged clue intervals the frames came from (a `ClueRule` row).
  var clue: [[Double]]?
  /// The annotated times the frames are at (timestamp jobs).
  var timestamps: [FrameTimestamp]?
}

/// One media of a `MediaDictRule` row: a video's job, or image files used as they are.
struct MediaPart {
  /// The video as the row names it (nil for images).
  var video: String?
  /// `video`, `frames` or `image`.
  var type: String
  var job: VideoJob?
  var files: [String]
}

/// Maps a row to its job: video path, cache directory, bounds. A row that cannot be mapped
/// gets an error (code, message).
struct JobResolver {
  let options: FrameOptions

  func resolve(_ row: JSONObject) -> Result<VideoJob, MediaError> {
    var field: String
    if let f = options.videoField {
      field = f
    } else {
      field = row["video"] != nil ? "video" : "video_path"
    }
    // A row naming its own clip in the alternate column uses it, cached under its key column.
    var keyField: String?
    if let alt = options.alternate, let v = row[alt.field]?.scalarText, !v.isEmpty {
      field = alt.field
      keyField = alt.keyField
    }
    guard let raw = row[field]?.scalarText, !raw.isEmpty else {
      return .failure(MediaError(code: .missingField, message: "the row has no '\(field)' value (set the column with --video-field)"))
    }
    let value = VideoRule(field: field, valueRemovals: options.valueRemovals).removingValueParts(raw)
    if value.isEmpty {
      return .failure(
        MediaError(
          code: .badField, message: "the row's '\(field)' names no video once '\(options.valueRemovals.joined(separator: "', '"))' is removed"))
    }
    return resolve(row, field: field, value: value, listed: false, keyField: keyField)
  }

  /// A row whose video column lists several videos (the preset's `VideoRule.listSeparator`):
  /// one job per listed video, in order, each with the name the listing gives it.
  func resolveList(_ row: JSONObject, rule: VideoRule) -> Result<[(video: String, job: VideoJob)], MediaError> {
    let field = options.videoField ?? rule.field
    guard let raw = row[field]?.scalarText else {
      return .failure(MediaError(code: .missingField, message: "the row has no '\(field)' value (set the column with --video-field)"))
    }
    let videos = rule.listedVideos(raw)
    if videos.isEmpty { return .failure(MediaError(code: .missingField, message: "the row's '\(field)' lists no video")) }
    var jobs: [(video: String, job: VideoJob)] = []
    for v in videos {
      switch resolve(row, field: field, value: v, listed: true) {
      case .success(let job): jobs.append((v, job))
      case .failure(let e): return .failure(e)
      }
    }
    return .success(jobs)
  }

  /// A media-list row (`MediaListRule`, MEGA-Bench): one job per listed video, in column order,
  /// each with its frame budget (demo or query, `MediaListRule.budgets` of the spec's `nframe`)
  /// and its frames beside it. Listed paths are used as they are when absolute, else under the
  /// video root; images get no job.
  func resolveMedia(_ row: JSONObject, rule: MediaListRule) -> Result<[(video: String, job: VideoJob)], MediaError> {
    var videos: [(path: String, demo: Bool)] = []
    for c in rule.columns {
      for m in MediaListRule.list(row[c.name]?.scalarText) ?? [] where MediaListRule.isVideo(m) { videos.append((m, c.demo)) }
    }
    let demo = videos.filter(\.demo).count
    guard let budget = MediaListRule.budgets(maxFrames: options.spec.nframe, demoVideos: demo, queryVideos: videos.count - demo) else {
      let why = "Cannot query <= 0 frames: \(demo) demo videos take all \(options.spec.nframe) frames (VLMEvalKit raises here too)"
      return .failure(MediaError(code: .badField, message: why))
    }
    return .success(
      videos.map { v in
        let path = Self.join(options.videoRoot, v.path)
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let n = v.demo ? budget.demo : budget.query
        let lock = FrameLock.splitextRoot(path) + "_num_frames_\(n).lock"
        return (v.path, VideoJob(path: path, directory: dir.isEmpty ? "/" : dir, bounds: nil, lockPath: lock, nframe: n, naming: rule.naming))
      })
  }

  /// A row whose column lists its media (`MediaDictRule`): a job per video, in order, each into
  /// `{root}/{frameFolder}/question{index}_video{k}` (`index` as an integer, VLMEvalKit's
  /// `int(line['index'])`), and the image files of `frames`/`image` media under the root.
  func resolveMediaDicts(_ row: JSONObject, rule: MediaDictRule) -> Result<[MediaPart], MediaError> {
    guard let cell = row[rule.field], cell != .null else {
      return .failure(MediaError(code: .missingField, message: "the row has no '\(rule.field)' value (the preset's media list)"))
    }
    let media: [ListedMedia]
    do {
      media = try ListedMedia.parse(cell)
    } catch {
      return .failure(MediaError(code: .badField, message: "'\(rule.field)': \(error)"))
    }
    guard let index = row["index"]?.scalarText.flatMap({ PyText.int($0) }) else {
      return .failure(MediaError(code: .badField, message: "the row's 'index' must be an integer (it names the frame folders)"))
    }
    var tokens: [String] = []
    if options.jpeg.quality != 75 { tokens.append("q\(options.jpeg.quality)") }
    if options.jpeg.maxSide > 0 { tokens.append("s\(options.jpeg.maxSide)") }
    if let r = options.jpeg.resize { tokens.append(r.divisor == 16 ? "r\(r.area)" : "r\(r.area)d\(r.divisor)") }
    let frames = Self.join(options.videoRoot, rule.frameFolder)
    return .success(
      media.enumerated().map { k, m -> MediaPart in
        switch m {
        case .video(let path, let n, let bounds):
          let name = "question\(index)_video\(k)"
          let directory = Self.join(frames, tokens.isEmpty ? name : name + "@" + tokens.joined(separator: ","))
          let file = Self.join(options.videoRoot, path)
          let job = VideoJob(
            path: file, directory: directory, bounds: bounds, lockPath: options.lock.path(directory: directory, video: file), mediaFrames: n)
          return MediaPart(video: path, type: "video", job: job, files: [])
        case .images(let type, let paths):
          return MediaPart(video: nil, type: type, job: nil, files: paths.map { Self.join(options.videoRoot, $0) })
        }
      })
  }

  /// The job for one video value of `field`; a `listed` one (a part of a video list) always gets
  /// the extension, as VLMEvalKit's `vid + '.mp4'` does.
  private func resolve(_ row: JSONObject, field: String, value: String, listed: Bool, keyField: String? = nil) -> Result<VideoJob, MediaError> {
    var raw = value
    if let width = options.videoZeroPadding {
      guard let padded = VideoRule.zeroPadded(raw, width: width) else {
        let why = "'\(field)' must be an integer video id (the preset zero-pads it to \(width) digits), found '\(raw)'"
        return .failure(MediaError(code: .badField, message: why))
      }
      raw = padded
    }
    var rel = raw
    if let ext = options.videoExtension, !ext.isEmpty, listed || !Self.hasExtension(raw) {
      rel += ext.hasPrefix(".") ? ext : "." + ext
    }
    var path = rel
    if !rel.hasPrefix("/") {
      var base = options.videoRoot
      if let dirField = options.videoDirField {
        guard let sub = row[dirField]?.scalarText else {
          return .failure(MediaError(code: .missingField, message: "the row has no '\(dirField)' value (--video-dir-field)"))
        }
        if !sub.isEmpty { base = Self.join(base, sub) }
      }
      path = Self.join(base, rel)
    }
    var key = raw
    if let k = keyField ?? options.keyField {
      guard let v = row[k]?.scalarText, !v.isEmpty else {
        return .failure(MediaError(code: .missingField, message: "the row has no '\(k)' value (it names the frame-cache folder)"))
      }
      key = v
    }
    if options.keyIsStem {
      key = String(key.split(separator: "/").last ?? Substring(key))
      if Self.hasExtension(key), let dot = key.lastIndex(of: ".") { key = String(key[..<dot]) }
    }
    if options.keyStripsExtension, Self.hasExtension(key), let dot = key.lastIndex(of: ".") { key = String(key[..<dot]) }
    if let prefix = options.keyPrefix, !prefix.isEmpty { key = prefix + "/" + key }
    var bounds: ClipBounds?
    if options.spec.sampler == .mvbench, let b = row["bound"], Self.truthy(b) {
      guard let s = row["start"]?.scalarText.flatMap(Double.init), let e = row["end"]?.scalarText.flatMap(Double.init),
        s.isFinite, e.isFinite
      else {
        return .failure(MediaError(code: .badField, message: "the row has bound=True but no numeric 'start' and 'end'"))
      }
      bounds = ClipBounds(start: s, end: e)
    }
    var timestamps: [FrameTimestamp]?
    if let rule = options.timestampFrames, rule.applies(to: row) {
      switch rule.timestamps(row) {
      case .success(let t): timestamps = t
      case .failure(let e): return .failure(MediaError(code: .badField, message: e.message))
      }
      bounds = nil
    }
    var tokens: [String] = []
    // Frames at annotated times have their own names (`frame-{t}.jpg`): the spec does not mark
    // their folder.
    if timestamps == nil {
      if options.spec.sampler != options.nativeSampler { tokens.append(options.spec.sampler.rawValue) }
      if let bounds { tokens.append("b\(SamplingSpec.pythonFloat(bounds.start))-\(SamplingSpec.pythonFloat(bounds.end))") }
      if options.spec.isPerSecond, options.spec.maxFrames > 0 { tokens.append("max\(options.spec.maxFrames)") }
    }
    if options.jpeg.quality != 75 { tokens.append("q\(options.jpeg.quality)") }
    if options.jpeg.maxSide > 0 { tokens.append("s\(options.jpeg.maxSide)") }
    if let r = options.jpeg.resize, r != options.nativeResize { tokens.append(r.divisor == 16 ? "r\(r.area)" : "r\(r.area)d\(r.divisor)") }
    // The key names a folder inside the cache: never absolute, never escaping it with "..".
    key = key.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.map { $0 == ".." ? "__" : String($0) }.joined(separator: "/")
    if key.isEmpty { key = "_" }
    let dirName = tokens.isEmpty ? key : key + "@" + tokens.joined(separator: ",")
    var dataset = options.dataset
    if let f = options.datasetField, let v = row[f]?.scalarText, !v.isEmpty, !v.contains("/"), v != ".." { dataset = options.datasetFolders[v] ?? v }
    if let rule = options.clue, rule.selects(row) {
      return clueJob(row, rule: rule, path: path, dataset: dataset, tokens: tokens)
    }
    let directory = Self.join(Self.join(options.frameRoot, dataset), dirName)
    return .success(
      VideoJob(
        path: path, directory: directory, bounds: bounds, lockPath: options.lock.path(directory: directory, video: path), timestamps: timestamps))
  }

  /// A clue row's job (`ClueRule`): its merged intervals, and its own cache folder
  /// `{frame root}/../{folder}/{dataset}/{key}` (VLMEvalKit's `clue_images/{dataset}/{qid}`).
  private func clueJob(_ row: JSONObject, rule: ClueRule, path: String, dataset: String, tokens: [String]) -> Result<VideoJob, MediaError> {
    guard let cell = row[rule.intervalsField] else {
      return .failure(MediaError(code: .missingField, message: "the row has no '\(rule.intervalsField)' (its clue intervals)"))
    }
    let intervals: [[Double]]
    switch ClueRule.intervals(cell) {
    case .success(let v): intervals = v
    case .failure(let why): return .failure(MediaError(code: .badField, message: "'\(rule.intervalsField)': \(why)"))
    }
    guard let raw = row[rule.keyField]?.scalarText, !raw.isEmpty else {
      return .failure(MediaError(code: .missingField, message: "the row has no '\(rule.keyField)' value (it names the clue-frame folder)"))
    }
    var key = raw.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.map { $0 == ".." ? "__" : String($0) }.joined(separator: "/")
    if key.isEmpty { key = "_" }
    let dirName = tokens.isEmpty ? key : key + "@" + tokens.joined(separator: ",")
    let root = Self.join((options.frameRoot as NSString).deletingLastPathComponent, rule.folder)
    let directory = Self.join(Self.join(root, dataset), dirName)
    var job = VideoJob(path: path, directory: directory, bounds: nil, lockPath: options.lock.path(directory: directory, video: path))
    job.clue = FrameIndexFormula.mergeIntervals(intervals)
    return .success(job)
  }

  static func truthy(_ v: JSONValue) -> Bool {
    switch v {
    case .bool(let b): return b
    case .string(let s): return ["true", "1", "yes"].contains(s.lowercased())
    case .number(let n): return (Double(n) ?? 0) != 0
    default: return false
    }
  }

  static func hasExtension(_ name: String) -> Bool {
    let base = name.split(separator: "/").last.map(String.init) ?? name
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return false }
    let ext = base[base.index(after: dot)...]
    return !ext.isEmpty && ext.count <= 5 && ext.allSatisfy { $0.isLetter || $0.isNumber }
  }

  static func join(_ a: String, _ b: String) -> String {
    if a.isEmpty || b.hasPrefix("/") { return b }
    var b = Substring(b)
    while b.hasPrefix("./") { b = b.dropFirst(2) }
    return a.hasSuffix("/") ? a + b : a + "/" + b
  }
}
