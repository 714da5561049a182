import VCore
import VMedia

/// vframes' main loop: reads rows, extracts each unique video once (`-j` at a time), and writes
/// one record per row in input order.
public final class FramePipeline {
  private let options: FrameOptions
  private let diag: Diagnostics
  private let resolver: JobResolver
  private let extractor: Extractor

  // Counters for the summary, stats and progress.
  private var rowsOut = 0
  private var rowsFailed = 0
  private var dataErrors = 0
  private var videosDone = 0
  private var videosCached = 0
  private var videosFailed = 0
  private var framesWritten = 0
  private var totals = DecodeStats()
  private var reported = Set<String>()
  private let started = FileIO.monotonicSeconds()

  public init(options: FrameOptions, diagnostics: Diagnostics) {
    self.options = options
    self.diag = diagnostics
    self.resolver = JobResolver(options: options)
    self.extractor = Extractor(options: options, tokens: SlotPool(options.threads))
  }

  /// One video or image list of a row of several.
  private struct Part {
    var video: String
    /// The job's key; nil for image files used as they are.
    var key: String?
    var files: [String] = []
    /// A media list's media type (`video`, `frames`, `image`); nil for a listing video column.
    var type: String?
  }

  private enum Pending {
    case job(String)
    /// A row of several videos (a listing video column) or media (a media list): each part's job
    /// or, for a media list's images, its files, in order.
    case jobs([Part])
    case failed(MediaError)
    /// An audio-only row (`AudioSource.datasetFile`): its audio file, no frames.
    case audioFile(String)
    /// A row of pre-extracted frames (`FrameOptions.frameList`): the keys it gets, nothing decoded.
    case listed([(String, JSONValue)])
    case passThrough
  }

  /// Processes every input in turn and returns the exit status.
  ///
  /// - Throws: `StreamError` for a missing input (66) or a failed write (74); EPIPE ends the run
  ///   quietly (`StreamError.downstreamClosed`).
  public func run(inputs: [String], writer: RecordWriter) throws -> ExitStatus {
    let extractor = self.extractor
    let queue = JobQueue(workers: options.jobs) { extractor.run($0) }
    defer { queue.close() }
    var submitted = Set<String>()
    var rows: [(InputRecord, Pending)] = []
    var head = 0
    let window = max(options.jobs * 4, 16)
    let showProgress = options.progress.isEnabled

    func emitReady(blocking: Bool) throws {
      while head < rows.count {
        let (rec, kind) = rows[head]
        var out = rec.fields
        switch kind {
        case .passThrough:
          break
        case .audioFile(let path):
          out[RecordKey.audio] = .string(path)
        case .listed(let keys):
          for (k, v) in keys { out[k] = v }
        case .failed(let e):
          out["error"] = errorObject(e)
          rowsFailed += 1
          diag.error(at: rec.location, "id \(rec.id): \(e.message)")
        case .job(let key):
          guard let r = blocking ? queue.wait(key) : queue.result(key) else { return }
          if r.error?.code == .interrupted { throw interrupted(queue) }
          note(key: key, result: r)
          if let e = r.error {
            out["error"] = errorObject(e)
            rowsFailed += 1
          } else {
            out["frames"] = .array(r.frames.map { .string($0) })
            out["frame_indices"] = .array(r.indices.map { .int($0) })
            out["frame_times"] = .array(r.times.map { .double($0) })
            out["video_info"] = .object(r.info)
            out["sampling"] = .object(samplingObject(r))
            if let a = r.audio { out[RecordKey.audio] = .string(a) }
          }
        case .jobs(let parts):
          var results: [JobResult] = []
          for p in parts {
            guard let key = p.key else {
              results.append(Self.listedFiles(p.files))
              continue
            }
            guard let r = blocking ? queue.wait(key) : queue.result(key) else { return }
            if r.error?.code == .interrupted { throw interrupted(queue) }
            results.append(r)
          }
          for (p, r) in zip(parts, results) { if let key = p.key { note(key: key, result: r) } }
          if let k = results.firstIndex(where: { $0.error != nil }), let e = results[k].error {
            let what = options.mediaDicts == nil ? "video" : "media"
            out["error"] = errorObject(MediaError(code: e.code, message: "\(what) \(k + 1) of \(parts.count) (\(parts[k].video)): \(e.message)"))
            rowsFailed += 1
          } else {
            // The videos' frames one after another; frame_groups says which are whose, and holds
            // each video's video_info (there is no one video_info for the record). Listed images
            // have no times, so a row with some has no frame_times.
            out["frames"] = .array(results.flatMap { $0.frames.map { .string($0) } })
            out["frame_indices"] = .array(results.flatMap { $0.indices.map { .int($0) } })
            if parts.allSatisfy({ $0.key != nil }) { out["frame_times"] = .array(results.flatMap { $0.times.map { .double($0) } }) }
            out["frame_groups"] = .array(
              zip(parts, results).map { p, r -> JSONValue in
                var g = JSONObject()
                if let t = p.type { g["type"] = .string(t) }
                g["video"] = .string(p.video)
                g["frames"] = .int(r.frames.count)
                if p.key != nil { g["video_info"] = .object(r.info) }
                if let b = r.bounds { g["bound"] = .array([.double(b.start), .double(b.end)]) }
                return .object(g)
              })
            if options.mediaDicts != nil {
              out["sampling"] = .object(mediaSamplingObject())
            } else if let first = results.first {
              // A media-list row may list no video at all (images only).
              out["sampling"] = .object(samplingObject(first))
            }
          }
        }
        try writer.write(out)
        rowsOut += 1
        head += 1
        if head > 4096 && head * 2 > rows.count {
          rows.removeFirst(head)
          head = 0
        }
        if showProgress { drawProgress(queue: queue) }
      }
    }

    func process(_ item: Result<InputRecord, InputError>) throws {
      switch item {
      case .failure(let e):
        diag.error(at: e.location, e.message)
        dataErrors += 1
      case .success(let rec):
        if rec.fields["error"] != nil {
          rows.append((rec, .passThrough))
          break
        }
        if case .datasetFile(let column) = options.audio {
          rows.append((rec, audioFile(rec.fields, column: column)))
          break
        }
        if let rule = options.frameList {
          do {
            rows.append((rec, .listed(try FrameListRows(options: options, rule: rule).sample(rec.fields))))
          } catch {
            rows.append((rec, .failed(error)))
          }
          break
        }
        if let rule = options.mediaDicts {
          switch resolver.resolveMediaDicts(rec.fields, rule: rule) {
          case .failure(let e):
            rows.append((rec, .failed(e)))
          case .success(let media):
            for p in media { if let job = p.job, submitted.insert(job.key).inserted { queue.submit(job) } }
            rows.append(
              (
                rec,
                .jobs(
                  media.map {
                    Part(video: $0.video ?? $0.files.first ?? "", key: $0.job?.key, files: $0.files, type: $0.type)
                  })
              ))
          }
          break
        }
        if let rule = options.mediaLists {
          switch resolver.resolveMedia(rec.fields, rule: rule) {
          case .failure(let e):
            rows.append((rec, .failed(e)))
          case .success(let jobs):
            for (_, job) in jobs where submitted.insert(job.key).inserted { queue.submit(job) }
            rows.append((rec, .jobs(jobs.map { Part(video: $0.video, key: $0.job.key) })))
          }
          break
        }
        if let list = options.videoList {
          switch resolver.resolveList(rec.fields, rule: list) {
          case .failure(let e):
            rows.append((rec, .failed(e)))
          case .success(let jobs):
            for (_, job) in jobs where submitted.insert(job.key).inserted { queue.submit(job) }
            rows.append((rec, .jobs(jobs.map { Part(video: $0.video, key: $0.job.key) })))
          }
          break
        }
        switch resolver.resolve(rec.fields) {
        case .failure(let e):
          rows.append((rec, .failed(e)))
        case .success(let job):
          if submitted.insert(job.key).inserted { queue.submit(job) }
          rows.append((rec, .job(job.key)))
        }
      }
      if Interrupt.requested { throw interrupted(queue) }
      try emitReady(blocking: false)
      while queue.pending >= window, head < rows.count {
        // Bounded look-ahead: wait for the oldest row before reading more.
        let before = rowsOut
        try emitReady(blocking: false)
        if rowsOut == before { queue.waitForAny() }
      }
    }

    if let subset = options.rows {
      // The preset keeps a subset of the rows (VLMEvalKit's `subset`/`limit`): all are read
      // first, the limit being a share of the matching rows; unreadable lines are reported.
      var items: [Result<InputRecord, InputError>] = []
      for path in inputs {
        let reader = try RecordReader(path: path)
        while let item = try reader.next() { items.append(item) }
      }
      let records = items.compactMap { item -> InputRecord? in
        if case .success(let rec) = item { return rec }
        return nil
      }
      let keep = subset.keep(records.map { $0.fields[subset.column]?.scalarText })
      diag.note("the preset keeps \(keep.filter { $0 }.count) of \(records.count) rows (\(subset)), as VLMEvalKit's config does")
      var k = 0
      for item in items {
        if case .success = item {
          defer { k += 1 }
          if !keep[k] { continue }
        }
        try process(item)
      }
    } else {
      for path in inputs {
        let reader = try RecordReader(path: path)
        while let item = try reader.next() { try process(item) }
      }
    }
    if Interrupt.requested { throw interrupted(queue) }
    try emitReady(blocking: true)
    if Interrupt.requested { throw interrupted(queue) }
    Terminal.clearProgressLine()
    summarize()
    if dataErrors > 0 { return .dataError }
    return rowsFailed > 0 ? .failure : .success
  }

  /// Stops after SIGINT: queued videos are dropped, running ones stop at their next check
  /// (writes are atomic, so nothing partial is left), then the tool exits 130.
  private func interrupted(_ queue: JobQueue) -> StreamError {
    queue.cancelQueued()
    queue.waitIdle()
    return .interrupted
  }

  /// The row's own audio file under the video root: VLMEvalKit's `osp.join(root, audio_path)`.
  private func audioFile(_ row: JSONObject, column: String) -> Pending {
    guard let rel = row[column]?.scalarText, !rel.isEmpty else {
      return .failed(MediaError(code: .missingField, message: "the row has no '\(column)' value (the preset's audio file)"))
    }
    let path = JobResolver.join(options.videoRoot, rel)
    guard case .regular = FileIO.fileKind(path) else {
      return .failed(MediaError(code: .audioMissing, message: "\(path): the audio file '\(column)' names is missing or not a file"))
    }
    return .audioFile(path)
  }

  private func errorObject(_ e: MediaError) -> JSONValue {
    RecordError(stage: .vframes, code: e.code, message: e.message).json
  }

  /// A media list's images as they are: each file checked, no times.
  private static func listedFiles(_ files: [String]) -> JobResult {
    var r = JobResult()
    for f in files {
      guard case .regular = FileIO.fileKind(f) else {
        r.error = MediaError(code: .frameMissing, message: "\(f): an image file the media list names is missing or not a file")
        return r
      }
    }
    r.frames = files
    r.indices = Array(files.indices)
    r.info = JSONObject([("n_frames", .int(files.count)), ("codec", .string("image-list"))])
    return r
  }

  /// A media list's sampling: MVBench's segments with each video's own frame count.
  private func mediaSamplingObject() -> JSONObject {
    var o = JSONObject()
    o["method"] = .string(Sampler.mvbench.rawValue)
    o["per_media"] = .bool(true)
    o["quality"] = .int(options.jpeg.quality)
    if options.jpeg.maxSide > 0 { o["max_side"] = .int(options.jpeg.maxSide) }
    if let r = options.jpeg.resize { o["resize_area"] = .int(r.area) }
    o["dataset"] = .string(options.dataset)
    return o
  }

  private func samplingObject(_ r: JobResult) -> JSONObject {
    let s = options.spec
    var o = JSONObject()
    if let t = r.timestamps {
      o["method"] = .string("timestamps")
      o["timestamps"] = .array(t.map { .double($0.seconds) })
    } else {
      o["method"] = .string(r.clue == nil ? s.sampler.rawValue : s.isPerSecond ? "clue_fps" : "clue_average")
    }
    if let clue = r.clue { o["clue_intervals"] = .array(clue.map { .array($0.map { .double($0) }) }) }
    if r.timestamps != nil {
      // Frames at annotated times: no count or rate.
    } else if s.isPerSecond {
      o["fps"] = .double(s.fps)
      if s.maxFrames > 0 { o["max_frames"] = .int(s.maxFrames) }
    } else {
      o["nframe"] = .int(s.nframe)
    }
    if let b = r.bounds { o["bound"] = .array([.double(b.start), .double(b.end)]) }
    o["quality"] = .int(options.jpeg.quality)
    if options.jpeg.maxSide > 0 { o["max_side"] = .int(options.jpeg.maxSide) }
    if let r = options.jpeg.resize { o["resize_area"] = .int(r.area) }
    o["dataset"] = .string(options.dataset)
    return o
  }

  /// Per-video bookkeeping, once per video: counters, warnings, `--stats` lines.
  private func note(key: String, result r: JobResult) {
    guard reported.insert(key).inserted else { return }
    videosDone += 1
    let path = r.info["path"]?.stringValue ?? String(key.split(separator: "\u{0}").last ?? "")
    if let e = r.error {
      videosFailed += 1
      diag.error("\(e.message) [\(e.code)]")
      return
    }
    if r.cached { videosCached += 1 }
    if let w = r.warning { diag.warning(w) }
    framesWritten += r.stats.framesDecoded > 0 ? r.frames.count : 0
    totals = totals + r.stats
    if options.stats {
      let s = r.stats
      let how = r.cached ? "cached (not opened)" : r.probedOnly ? "cached (opened for metadata only)" : "decoded"
      var line = "stats: \(path): \(how), frames=\(r.frames.count)"
      if !r.cached && !r.probedOnly {
        let ratio = s.minimumFrames > 0 ? Double(s.framesDecoded) / Double(s.minimumFrames) : 0
        line += " decoded=\(s.framesDecoded) minimum=\(s.minimumFrames) ratio=\(format2(ratio)) seeks=\(s.seeks) workers=\(s.workers)"
        if s.sequential { line += " sequential" }
      }
      line += " time=\(format2(r.seconds))s"
      diag.note(line)
    }
  }

  private func drawProgress(queue: JobQueue) {
    let dt = max(1e-6, FileIO.monotonicSeconds() - started)
    var text = "vframes: videos \(videosDone) done, \(queue.pending) in progress · \(rowsOut) rows · "
    text += "\(format1(Double(totals.framesDecoded) / dt)) frames/s decoded"
    if videosFailed > 0 { text += " · \(videosFailed) failed" }
    Terminal.drawProgress(text)
  }

  private func summarize() {
    if options.stats {
      let ratio = totals.minimumFrames > 0 ? Double(totals.framesDecoded) / Double(totals.minimumFrames) : 0
      diag.note(
        "stats: total: videos=\(videosDone) cached=\(videosCached) failed=\(videosFailed) rows=\(rowsOut) "
          + "decoded=\(totals.framesDecoded) minimum=\(totals.minimumFrames) ratio=\(format2(ratio)) "
          + "seeks=\(totals.seeks) seek_fallbacks=\(totals.seekFallbacks) time=\(format2(FileIO.monotonicSeconds() - started))s")
    }
    if rowsFailed > 0 || dataErrors > 0 {
      var parts: [String] = []
      if rowsFailed > 0 { parts.append("\(rowsFailed) of \(rowsOut) rows failed (\(videosFailed) videos)") }
      if dataErrors > 0 { parts.append("\(dataErrors) malformed input lines skipped") }
      diag.note(parts.joined(separator: "; "))
    }
  }
}

func format2(_ x: Double) -> String {
  let r = (x * 100).rounded() / 100
  var s = String(describing: r)
  if let dot = s.firstIndex(of: ".") {
    let decimals = s.distance(from: dot, to: s.endIndex) - 1
    if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
  }
  return s
}

func format1(_ x: Double) -> String {
  String(describing: (x * 10).rounded() / 10)
}
