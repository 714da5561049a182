import Foundation
import VCore
import VMedia

/// Extracts one job's frames into the cache: the fast path (sidecar + files present: the video
/// is not opened), the per-video lock, decoding only the missing frames, atomic writes.
struct Extractor: Sendable {
  let options: FrameOptions
  /// CPU slots: at most `--threads` decoders busy at once; a lone video borrows idle ones.
  let tokens: SlotPool

  /// The frame file names, 1-based, in VLMEvalKit's layout; a job named beside its video gets
  /// MEGA-Bench's `{stem}_num_frames_{budget}_frame_{k:04d}.jpg`, `k` from 0.
  func fileNames(count n: Int, job: VideoJob? = nil) -> [String] {
    // Annotated times (CG-AV-Counting): `frame-{t}.jpg`.
    if let t = job?.timestamps { return t.map(\.fileName) }
    if let job, job.naming == .besideVideo {
      let stem = FrameLock.splitextRoot(job.path).split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
      let budget = job.nframe ?? options.spec.nframe
      return (0..<max(0, n)).map { k in
        let d = String(k)
        return "\(stem)_num_frames_\(budget)_frame_" + String(repeating: "0", count: max(0, 4 - d.count)) + d + ".jpg"
      }
    }
    if options.spec.isPerSecond {
      let f = options.spec.fpsText
      return (1...max(1, n)).prefix(n).map { "frame-\($0)-of-\(n)-\(f)fps.jpg" }
    }
    return (1...max(1, n)).prefix(n).map { "frame-\($0)-of-\(n).jpg" }
  }

  /// The job's frame files for `indices`: VLMEvalKit's `frame-{i}-of-{n}` names, or a listed
  /// media's `{index:07d}.jpg` (EgoExoBench's `save_video_frames`).
  func fileNames(_ job: VideoJob, indices: [Int]) -> [String] {
    guard job.mediaFrames != nil else { return fileNames(count: indices.count, job: job) }
    return indices.map { i in
      let s = String(i)
      return (s.count >= 7 ? s : String(repeating: "0", count: 7 - s.count) + s) + ".jpg"
    }
  }

  /// The sidecar that records what was extracted, so a rerun need not open the video.
  func sidecarPath(_ job: VideoJob) -> String {
    if let t = job.timestamps { return job.directory + "/.vtools-at-\(fnv1a64Hex(t.map(\.name).joined(separator: ",")))" + ".json" }
    if let n = job.mediaFrames { return job.directory + "/.vtools-media-mvbench\(n).json" }
    let s = options.spec
    if job.naming == .besideVideo {
      let stem = FrameLock.splitextRoot(job.path).split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
      return job.directory + "/.\(stem)_num_frames_\(job.nframe ?? s.nframe).vtools-\(s.sampler.rawValue).json"
    }
    let name = s.sampler == .fps ? "fps\(s.fpsText)" : s.isPerSecond ? "\(s.sampler.rawValue)-fps\(s.fpsText)" : "\(s.sampler.rawValue)\(s.nframe)"
    return job.directory + "/.vtools-\(job.clue != nil ? "clue-" : "")\(name).json"
  }

  func run(_ job: VideoJob) -> JobResult {
    let t0 = FileIO.monotonicSeconds()
    var result = JobResult()
    do {
      result = try extract(job, started: t0)
      if options.audio == .videoTrack, case .regular = FileIO.fileKind(job.path) {
        result.audio = try extractAudio(job, deadline: t0 + options.timeout)
      }
    } catch let e as MediaError {
      result.error = e
    } catch let e as StreamError {
      result.error = MediaError(code: .writeFailed, message: String(describing: e))
    } catch {
      result.error = MediaError(code: .internalError, message: String(describing: error))
    }
    result.seconds = FileIO.monotonicSeconds() - t0
    result.bounds = job.bounds
    result.clue = job.clue
    result.timestamps = job.timestamps
    return result
  }

  private func sourceStamp(_ path: String) throws(MediaError) -> JSONValue {
    switch FileIO.fileKind(path) {
    case .missing(let e):
      throw MediaError(code: .videoMissing, message: "\(path): \(FileIO.describe(errno: e))")
    case .regular(let size, let mtime):
      return .object(JSONObject([("size", .number(String(size))), ("mtime_ns", .number(String(mtime)))]))
    case .directory:
      return .object(JSONObject([("folder", .bool(true))]))
    case .other:
      throw MediaError(code: .notAFile, message: "\(path): not a regular file or folder (a device, FIFO or socket)")
    }
  }

  /// Reads a valid sidecar whose frames all exist.
  private func cachedResult(_ job: VideoJob, stamp: JSONValue) -> JobResult? {
    guard let bytes = try? FileIO.readFile(sidecarPath(job)), let v = try? JSONParser.parse(bytes),
      let o = v.objectValue, o["source"] == stamp, o["path"]?.stringValue == job.path,
      let idx = o["frame_indices"]?.arrayValue?.compactMap(\.intValue),
      let times = o["frame_times"]?.arrayValue?.compactMap(\.doubleValue), times.count == idx.count,
      let info = o["video_info"]?.objectValue
    else { return nil }
    guard job.timestamps == nil || job.timestamps?.count == idx.count else { return nil }
    let frames = fileNames(job, indices: idx).map { job.directory + "/" + $0 }
    for f in frames {
      guard case .regular(let size, _) = FileIO.fileKind(f), size > 0 else { return nil }
    }
    var r = JobResult()
    r.frames = frames
    r.indices = idx
    r.times = times
    r.info = info
    r.cached = true
    return r
  }

  /// The job's lock: VLMEvalKit's lock file for the dataset (beside the video for some), or the
  /// frame folder's own lock where the video's folder cannot hold one (read-only data).
  static func lock(_ job: VideoJob, deadline: Double) throws(StreamError) -> FileLock? {
    let own = job.directory + ".lock"
    guard job.lockPath != own else { return try FileLock(path: own, deadline: deadline) }
    let first: StreamError
    do {
      return try FileLock(path: job.lockPath, deadline: deadline)
    } catch {
      first = error
    }
    guard case .io(_, let e) = first, e == EACCES || e == EROFS || e == EPERM else { throw first }
    return try FileLock(path: own, deadline: deadline)
  }

  private func extract(_ job: VideoJob, started: Double) throws -> JobResult {
    let stamp = try sourceStamp(job.path)
    if let r = cachedResult(job, stamp: stamp) { return r }
    let deadline = started + options.timeout
    try FileIO.makeDirectories(job.directory)
    guard let lock = try Self.lock(job, deadline: deadline) else {
      throw MediaError(code: .timeout, message: "\(job.path): waited \(Int(options.timeout)) s for another process extracting into \(job.directory)")
    }
    defer { lock.unlock() }
    // Another process may have finished while we waited for the lock.
    if let r = cachedResult(job, stamp: stamp) { return r }
    // Temporary files of a writer that was killed (every writer of this folder holds the lock;
    // not so beside the videos, where each video has a lock of its own).
    for name in FileIO.directoryEntries(job.directory) ?? [] where job.naming == nil && name.hasPrefix(".") && name.hasSuffix(".tmp") {
      FileIO.remove(job.directory + "/" + name)
    }

    tokens.acquire()
    var held = 1
    defer { tokens.release(held) }
    var decode = DecodeOptions()
    decode.deadline = deadline
    decode.timeoutSeconds = options.timeout
    decode.skipNonReference = options.skipNonReference
    decode.workers = 1
    decode.threadsPerWorker = 1

    var result = JobResult()
    if case .directory = FileIO.fileKind(job.path) {
      if job.timestamps != nil {
        throw MediaError(code: .notAFile, message: "\(job.path): frames at annotated times need a video file, not a frame folder")
      }
      // A listed media's video is opened with decord upstream, which reads no folders.
      if job.mediaFrames != nil { throw MediaError(code: .notAFile, message: "\(job.path): a folder, not a video") }
      result = try extractFolder(job, decode: decode)
    } else {
      let video = try VideoSource(path: job.path, options: decode)
      let info = video.info
      let indices =
        try job.timestamps.map { try Self.timestampIndices($0, frameCount: info.frameCount, avgFPS: info.avgFPS, path: job.path) }
        ?? sampleIndices(
          frameCount: info.frameCount, avgFPS: info.avgFPS, firstIndex: 0, maxFrame: info.frameCount - 1, bounds: job.bounds, path: job.path,
          clue: job.clue, nframe: job.nframe, mediaFrames: job.mediaFrames)
      let names = fileNames(job, indices: indices)
      let paths = names.map { job.directory + "/" + $0 }
      let missing = paths.indices.filter { !Self.isWhole(paths[$0]) }
      if !missing.isEmpty {
        let want = missing.map { indices[$0] }
        // Spread the work over free cores: GOP-level workers when there are several ranges,
        // decoder threads when there is one.
        let ranges = video.rangeCount(for: want)
        let extra = tokens.tryAcquire(upTo: max(0, min(options.threads, 8) - 1))
        held += extra
        if ranges > 1 {
          decode.workers = min(ranges, 1 + extra)
          decode.threadsPerWorker = max(1, (1 + extra) / decode.workers)
        } else {
          decode.threadsPerWorker = 1 + extra
        }
        let targetPaths = missing.map { paths[$0] }
        result.stats = try video.extract(frames: want, jpeg: options.jpeg, options: decode) { k, bytes in
          try FileIO.writeAtomically(targetPaths[k], bytes)
        }
      } else {
        result.probedOnly = true
      }
      result.frames = paths
      result.indices = indices
      result.times = indices.map { video.frameTime($0) }
      result.info = JSONObject([
        ("n_frames", .int(info.frameCount)), ("avg_fps", .double(info.avgFPS)), ("duration", .double(info.duration)),
        ("width", .int(info.width)), ("height", .int(info.height)), ("codec", .string(info.codec)),
        ("path", .string(job.path)),
      ])
      if info.fpsSource != "avg_frame_rate" { result.info["fps_source"] = .string(info.fpsSource) }
    }
    let duration = result.info["duration"]?.doubleValue ?? 0
    let frameCount = result.info["n_frames"]?.intValue ?? 0
    if job.timestamps != nil {
      // The annotated times are all the frames there are: nothing to warn about.
    } else if let clue = job.clue {
      if result.indices.isEmpty {
        result.warning =
          "\(job.path): the clue intervals \(clue.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ")) hold no frame; none sampled (as VLMEvalKit)"
      }
    } else if result.indices.isEmpty && options.spec.sampler == .fps {
      result.warning = "\(job.path): \(format3(duration)) s is shorter than 1/fps; no frames sampled (as VLMEvalKit)"
    } else if options.spec.sampler == .uniformTail && options.spec.isPerSecond && frameCount > 0
      && Double(frameCount) / (result.info["avg_fps"]?.doubleValue ?? 0) * options.spec.fps < 1
    {
      result.warning =
        "\(job.path): \(format3(duration)) s is shorter than 1/fps; only the last frame is taken (VLMEvalKit's uniform_tail fails here)"
    } else if !options.spec.isPerSecond || job.mediaFrames != nil, options.spec.sampler != .frameGap || job.mediaFrames != nil,
      let n = result.info["n_frames"]?.intValue, n < job.mediaFrames ?? options.spec.nframe
    {
      result.warning = "\(job.path): \(n) frames, fewer than the \(job.mediaFrames ?? options.spec.nframe) asked; some frames repeat (as VLMEvalKit)"
    }
    // Record what was extracted so the next run need not open the video.
    var side = JSONObject()
    side["path"] = .string(job.path)
    side["source"] = stamp
    side["frame_indices"] = .array(result.indices.map { .int($0) })
    side["frame_times"] = .array(result.times.map { .double($0) })
    side["video_info"] = .object(result.info)
    try FileIO.writeAtomically(sidecarPath(job), Array((JSONSerializer.serialize(.object(side)) + "\n").utf8))
    return result
  }

  /// The job's audio track as `audio.wav` in its frame folder (moviepy's rate, channels and
  /// sample format; see `AudioTrack`), extracted once: a whole file there is used as it is
  /// (writes are atomic).
  func extractAudio(_ job: VideoJob, deadline: Double) throws -> String {
    let path = job.directory + "/audio.wav"
    if Self.isWhole(path) { return path }
    let bytes = try AudioTrack.wav(path: job.path, deadline: deadline, timeoutSeconds: options.timeout)
    try FileIO.makeDirectories(job.directory)
    try FileIO.writeAtomically(path, bytes)
    return path
  }

  /// `CGAVCounting.save_video_frames_clue`: frame `int(t * avg_fps)` for each time; one outside
  /// the video is an error (decord's index error; vframes does not wrap a negative one).
  static func timestampIndices(_ times: [FrameTimestamp], frameCount: Int, avgFPS: Double, path: String) throws(MediaError) -> [Int] {
    let indices = FrameIndexFormula.atTimestamps(times.map(\.seconds), avgFPS: avgFPS)
    for (t, i) in zip(times, indices) where i < 0 || i >= frameCount {
      throw MediaError(code: .badBounds, message: "\(path): the annotated time \(t.name) s is frame \(i), outside the video's 0...\(frameCount - 1)")
    }
    return indices
  }

  /// A frame file that exists and is non-empty (writes are atomic, so existing means whole).
  static func isWhole(_ path: String) -> Bool {
    if case .regular(let size, _) = FileIO.fileKind(path), size > 0 { return true }
    return false
  }

  /// The sample for a stream of `frameCount` frames at `avgFPS`.
  func sampleIndices(
    frameCount: Int, avgFPS: Double, firstIndex: Int, maxFrame: Int, bounds: ClipBounds?, path: String, clue: [[Double]]? = nil,
    nframe: Int? = nil, mediaFrames: Int? = nil
  ) throws(MediaError) -> [Int] {
    var s = options.spec
    if let nframe { s.nframe = nframe }
    let raw: [Int]
    if let clue {
      // CG-Bench's clue sampling: nframe mode capped at the rule's maximum (32), fps mode per interval.
      if s.isPerSecond {
        raw = FrameIndexFormula.clueFPS(clue, avgFPS: avgFPS, fps: s.fps)
      } else {
        raw = FrameIndexFormula.clueAverage(clue, nframe: min(s.nframe, options.clue?.maxFrames ?? s.nframe), fps: avgFPS)
      }
      for i in raw where i < 0 || i > frameCount - 1 {
        throw MediaError(code: .badBounds, message: "\(path): clue frame \(i) is outside the video's 0...\(frameCount - 1)")
      }
      return raw
    }
    switch mediaFrames != nil ? .mvbench : s.sampler {
    case .uniform: raw = FrameIndexFormula.uniform(frameCount: frameCount, nframe: s.nframe)
    case .linspace: raw = FrameIndexFormula.linspace(frameCount: frameCount, nframe: s.nframe)
    case .frameGap: raw = FrameIndexFormula.frameGap(frameCount: frameCount, fps: avgFPS, nframe: s.nframe)
    case .uniformTail:
      raw = FrameIndexFormula.uniformTail(frameCount: frameCount, avgFPS: avgFPS, nframe: s.nframe, fps: s.fps, maxFrames: s.maxFrames)
    case .fps:
      raw = FrameIndexFormula.capped(FrameIndexFormula.fps(frameCount: frameCount, avgFPS: avgFPS, fps: s.fps), maxFrames: s.maxFrames)
    case .mvbench:
      raw = FrameIndexFormula.mvbench(nframe: mediaFrames ?? s.nframe, fps: avgFPS, maxFrame: maxFrame, firstIndex: firstIndex, bounds: bounds)
    }
    let lo = firstIndex
    let hi = firstIndex == 0 ? frameCount - 1 : maxFrame
    for i in raw where i < lo || i > hi {
      let b = bounds.map { " with bounds \($0.start)-\($0.end) s" } ?? ""
      throw MediaError(code: .badBounds, message: "\(path): frame index \(i)\(b) is outside the video's \(lo)...\(hi)")
    }
    return raw
  }

  /// A folder of numbered JPEGs (`00001.jpg`, ...), as MVBench's frame tasks ship: 3 fps, frames
  /// numbered from 1, the count being the number of entries in the folder.
  private func extractFolder(_ job: VideoJob, decode: DecodeOptions) throws -> JobResult {
    guard let entries = FileIO.directoryEntries(job.path) else {
      throw MediaError(code: .openFailed, message: "\(job.path): cannot list the frame folder")
    }
    let count = entries.count
    guard count > 0 else { throw MediaError(code: .zeroFrames, message: "\(job.path): the frame folder is empty") }
    let fps = 3.0
    let indices: [Int]
    let fileNumbers: [Int]
    if options.spec.sampler == .mvbench {
      indices = try sampleIndices(frameCount: count, avgFPS: fps, firstIndex: 1, maxFrame: count, bounds: job.bounds, path: job.path)
      fileNumbers = indices
    } else {
      indices = try sampleIndices(frameCount: count, avgFPS: fps, firstIndex: 0, maxFrame: count - 1, bounds: nil, path: job.path)
      fileNumbers = indices.map { $0 + 1 }
    }
    let paths = fileNames(count: indices.count, job: job).map { job.directory + "/" + $0 }
    var result = JobResult()
    for (k, n) in fileNumbers.enumerated() where !Self.isWhole(paths[k]) {
      if Interrupt.requested { throw MediaError(code: .interrupted, message: "interrupted") }
      let src = job.path + "/" + Self.zeroPad(n) + ".jpg"
      guard case .regular = FileIO.fileKind(src) else {
        throw MediaError(code: .frameMissing, message: "\(job.path): frame file \(Self.zeroPad(n)).jpg is missing (the folder has \(count) entries)")
      }
      let bytes = try StillImage.transcode(path: src, jpeg: options.jpeg, deadline: decode.deadline)
      try FileIO.writeAtomically(paths[k], bytes)
      result.stats.framesDecoded += 1
      result.stats.minimumFrames += 1
    }
    result.frames = paths
    result.indices = indices
    result.times = indices.map { Double($0) / fps }
    result.info = JSONObject([
      ("n_frames", .int(count)), ("avg_fps", .double(fps)), ("duration", .double(Double(count) / fps)),
      ("codec", .string("jpeg-folder")), ("path", .string(job.path)),
    ])
    return result
  }

  static func zeroPad(_ n: Int) -> String {
    let s = String(n)
    return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
  }
}

func format3(_ x: Double) -> String {
  let r = (x * 1000).rounded() / 1000
  return String(describing: r)
}
