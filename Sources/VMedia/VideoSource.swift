internal import CFFmpeg
import Dispatch
import Synchronization

/// What a video is, as decord reports it: the frame count is the number of video packets the
/// demuxer returns (frames in presentation order), the frame rate the stream's average rate.
public struct VideoInfo: Sendable, Equatable {
  /// Frames in the stream (demuxed packets, not the header's claim).
  public var frameCount: Int
  /// `avg_frame_rate` of the stream (falling back to `r_frame_rate`, then frames/duration).
  public var avgFPS: Double
  /// Where `avgFPS` came from: `avg_frame_rate`, `r_frame_rate` or `frames/duration`.
  public var fpsSource: String
  /// Duration in seconds: `frameCount / avgFPS`, as VLMEvalKit computes it.
  public var duration: Double
  public var width: Int
  public var height: Int
  /// Codec name (`h264`, `vp9`, ...).
  public var codec: String
  /// The frame count the container header declares (0 when it declares none).
  public var headerFrameCount: Int
  /// Whether presentation order is known from timestamps (false: decoded sequentially).
  public var hasTimestamps: Bool
}

/// Counters of the decoding work, for `--stats` and the bench.
public struct DecodeStats: Sendable, Equatable {
  /// Frames that came out of the decoder.
  public var framesDecoded = 0
  /// Frames a perfect GOP-aware decoder must decode for the same targets.
  public var minimumFrames = 0
  /// Packets sent to decoders.
  public var packetsSent = 0
  /// Seeks performed.
  public var seeks = 0
  /// Seeks that missed their keyframe and were redone from the start of the file.
  public var seekFallbacks = 0
  /// Decoder instances used in parallel (GOP-level workers).
  public var workers = 0
  /// True when the stream had no usable timestamps and was decoded sequentially.
  public var sequential = false

  public init() {}

  public static func + (a: DecodeStats, b: DecodeStats) -> DecodeStats {
    var r = a
    r.framesDecoded += b.framesDecoded
    r.minimumFrames += b.minimumFrames
    r.packetsSent += b.packetsSent
    r.seeks += b.seeks
    r.seekFallbacks += b.seekFallbacks
    r.workers = max(a.workers, b.workers)
    r.sequential = a.sequential || b.sequential
    return r
  }
}

/// How to decode.
public struct DecodeOptions: Sendable {
  /// GOP-level workers (each with its own demuxer and decoder) to use at most.
  public var workers: Int = 1
  /// Decoder threads per worker.
  public var threadsPerWorker: Int = 1
  /// Skip non-reference frames that are not targets (exact; less work).
  public var skipNonReference: Bool = true
  /// Absolute monotonic deadline in seconds (`FileIO.monotonicSeconds`), or nil.
  public var deadline: Double?
  /// The time limit the deadline came from, for messages.
  public var timeoutSeconds: Double?

  public init() {}
}

/// A video file opened and indexed (demuxed once, no decoding), ready to extract frames.
///
/// Frame `i` is the i-th frame in presentation order, counted from the demuxed stream: what
/// decord's `vid[i]` means. Extraction is exact: each emitted frame's timestamp equals the
/// target's. Not thread-safe; `extract` runs its own workers internally.
public final class VideoSource {
  public let path: String
  public let info: VideoInfo
  private var input: MediaInput?
  private let index: PacketIndex
  private let order: [Int]?  // presentation index -> decode position
  private let firstPTS: Int64
  private let timeBase: Double

  /// Images larger than this many pixels are refused as absurd headers.
  public static let maxPixels = 16384 * 16384
  /// Streams with more packets than this are refused (about 9 days at 30 fps).
  public static let maxPackets = 25_000_000

  /// Opens and indexes `path`.
  public init(path: String, options: DecodeOptions) throws(MediaError) {
    let input = try MediaInput(path: path, deadline: options.deadline, timeoutSeconds: options.timeoutSeconds)
    let st = input.stream
    let par = st.pointee.codecpar.pointee
    let width = Int(par.width)
    let height = Int(par.height)
    guard width > 0, height > 0, width <= 65536, height <= 65536, width * height <= Self.maxPixels else {
      throw MediaError(code: .badHeader, message: "\(path): absurd frame size \(width)x\(height) in the header")
    }
    // Index: every video packet's pts and key flag, in decode order.
    var pts: [Int64?] = []
    var keys: [Bool] = []
    let est = max(0, min(Int(st.pointee.nb_frames), 1 << 20))
    pts.reserveCapacity(est)
    keys.reserveCapacity(est)
    while try input.readVideoPacket() {
      let p = input.packet.pointee
      if p.flags & AV_PKT_FLAG_DISCARD == 0 {
        pts.append(p.pts == noPTS ? nil : p.pts)
        keys.append(p.flags & AV_PKT_FLAG_KEY != 0)
      }
      av_packet_unref(input.packet)
      if pts.count > Self.maxPackets {
        throw MediaError(code: .badHeader, message: "\(path): more than \(Self.maxPackets) video packets; refusing to index")
      }
      if pts.count & 1023 == 0 { try input.interrupt.check() }
    }
    let header = max(0, Int(st.pointee.nb_frames))
    if pts.isEmpty {
      throw MediaError(code: .zeroFrames, message: "\(path): the video stream has no frames" + (header > 0 ? " (the header declares \(header))" : ""))
    }
    if header > 0, pts.count < header, header - pts.count > max(2, header / 100) {
      throw MediaError(
        code: .truncated,
        message: "\(path): the file ends after \(pts.count) of the \(header) frames its header declares (truncated or corrupt)")
    }
    let index = PacketIndex(pts: pts, isKey: keys)
    let order = index.presentationOrder()
    let tb = st.pointee.time_base
    let timeBase = tb.den != 0 ? Double(tb.num) / Double(tb.den) : 0
    var fps = 0.0
    var fpsSource = "avg_frame_rate"
    let avg = st.pointee.avg_frame_rate
    if avg.num > 0, avg.den > 0 { fps = Double(avg.num) / Double(avg.den) }
    if !(fps > 0 && fps < 100_000) {
      let r = st.pointee.r_frame_rate
      fpsSource = "r_frame_rate"
      fps = r.num > 0 && r.den > 0 ? Double(r.num) / Double(r.den) : 0
    }
    if !(fps > 0 && fps < 100_000) {
      fpsSource = "frames/duration"
      let d =
        st.pointee.duration != noPTS && st.pointee.duration > 0
        ? Double(st.pointee.duration) * timeBase
        : Double(input.fmt!.pointee.duration) / Double(AV_TIME_BASE)
      fps = d > 0 ? Double(pts.count) / d : 0
    }
    guard fps > 0, fps.isFinite, fps < 100_000 else {
      throw MediaError(code: .badHeader, message: "\(path): no usable frame rate (avg_frame_rate, r_frame_rate and duration are all unusable)")
    }
    self.path = path
    self.index = index
    self.order = order
    self.firstPTS = order.map { pts[$0[0]]! } ?? 0
    self.timeBase = timeBase
    self.info = VideoInfo(
      frameCount: pts.count, avgFPS: fps, fpsSource: fpsSource, duration: Double(pts.count) / fps,
      width: width, height: height, codec: String(cString: avcodec_get_name(par.codec_id)),
      headerFrameCount: header, hasTimestamps: order != nil)
    self.input = input
  }

  /// Presentation time of frame `i` in seconds from the first frame (from the container's
  /// timestamps; `i / avgFPS` when the stream has none).
  public func frameTime(_ i: Int) -> Double {
    guard let order, i >= 0, i < order.count, let p = index.pts[order[i]], timeBase > 0 else {
      return Double(i) / info.avgFPS
    }
    return Double(p - firstPTS) * timeBase
  }

  /// The number of separate decode ranges (GOP groups) these frame indices need.
  public func rangeCount(for frames: [Int]) -> Int {
    guard let order else { return 1 }
    return DecodePlanner.ranges(index: index, targets: Set(frames.map { order[$0] })).count
  }

  /// Decodes frames `frames[k]` (presentation indices, repeats allowed) and hands each one's JPEG
  /// to `emit(k, jpeg)`, possibly from several threads at once and in any order.
  ///
  /// - Throws: `MediaError` when a frame cannot be produced; frames emitted before that stay emitted.
  public func extract(
    frames: [Int], jpeg: JPEGSettings, options: DecodeOptions,
    emit: @escaping @Sendable (Int, [UInt8]) throws -> Void
  ) throws -> DecodeStats {
    for f in frames where f < 0 || f >= info.frameCount {
      throw MediaError(code: .badIndex, message: "\(path): frame index \(f) outside 0..<\(info.frameCount)")
    }
    if frames.isEmpty { return DecodeStats() }
    var slots: [Int: [Int]] = [:]
    for (k, f) in frames.enumerated() { slots[f, default: []].append(k) }
    guard let order else { return try extractSequential(slots: slots, jpeg: jpeg, options: options, emit: emit) }

    var targetByPTS: [Int64: Int] = [:]
    for f in slots.keys { targetByPTS[index.pts[order[f]]!] = f }
    let ranges = DecodePlanner.ranges(index: index, targets: Set(slots.keys.map { order[$0] }))
    let groups = DecodePlanner.split(ranges, parts: max(1, options.workers))
    let shared = SharedPlan(index: index, targetByPTS: targetByPTS, slots: slots, ranges: groups)
    let firstInput = UncheckedBox(input)
    input = nil  // the first worker takes it; the others open their own
    let errors = Mutex<[Error]>([])
    let totals = Mutex(DecodeStats())
    let path = self.path
    let run: @Sendable (Int) -> Void = { g in
      do {
        let inp: MediaInput
        if g == 0, let first = firstInput.take() {
          inp = first
        } else {
          inp = try MediaInput(path: path, deadline: options.deadline, timeoutSeconds: options.timeoutSeconds)
        }
        let worker = try GOPWorker(input: inp, plan: shared, threads: options.threadsPerWorker, jpeg: jpeg, skipNonRef: options.skipNonReference)
        let s = try worker.run(ranges: shared.ranges[g], emit: emit)
        totals.withLock { $0 = $0 + s }
      } catch {
        errors.withLock { $0.append(error) }
      }
    }
    if groups.count == 1 {
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: groups.count, execute: run)
    }
    if let e = errors.withLock({ $0.first }) { throw e }
    var stats = totals.withLock { $0 }
    stats.minimumFrames = DecodePlanner.minimumFrames(ranges)
    stats.workers = groups.count
    return stats
  }

  /// Decodes from the start in decode order, numbering output frames: for streams whose
  /// presentation order cannot be known from timestamps.
  private func extractSequential(
    slots: [Int: [Int]], jpeg: JPEGSettings, options: DecodeOptions,
    emit: @escaping @Sendable (Int, [UInt8]) throws -> Void
  ) throws -> DecodeStats {
    // The index scan consumed the first demuxer; start again from the beginning with a new one.
    input = nil
    let inp = try MediaInput(path: path, deadline: options.deadline, timeoutSeconds: options.timeoutSeconds)
    let decoder = try VideoDecoder(input: inp, threads: max(1, options.threadsPerWorker * options.workers))
    let encoder = try JPEGEncoder(settings: jpeg)
    let frame = try Frame()
    var stats = DecodeStats()
    stats.sequential = true
    stats.workers = 1
    stats.minimumFrames = (slots.keys.max() ?? -1) + 1
    var pending = Set(slots.keys)
    var ordinal = 0
    func drainFrames() throws {
      while try decoder.receive(into: frame) {
        stats.framesDecoded += 1
        if pending.remove(ordinal) != nil {
          let bytes = try encoder.encode(frame)
          for k in slots[ordinal]! { try emit(k, bytes) }
        }
        ordinal += 1
        av_frame_unref(frame.ptr)
      }
    }
    while !pending.isEmpty, try inp.readVideoPacket() {
      try inp.interrupt.check()
      stats.packetsSent += 1
      defer { av_packet_unref(inp.packet) }
      try decoder.send(inp.packet)
      try drainFrames()
    }
    if !pending.isEmpty {
      try decoder.send(nil)
      try drainFrames()
    }
    if !pending.isEmpty {
      let missing = pending.sorted()
      throw MediaError(
        code: .decodeFailed,
        message: "\(path): \(missing.count) frame(s) could not be decoded (first: \(missing[0]); the decoder produced \(ordinal) frames)")
    }
    return stats
  }
}

/// What every worker of one extraction shares (read-only).
struct SharedPlan: Sendable {
  let index: PacketIndex
  let targetByPTS: [Int64: Int]
  let slots: [Int: [Int]]
  let ranges: [[DecodeRange]]
}

/// Hands a non-Sendable value to exactly one other thread.
final class UncheckedBox<T>: @unchecked Sendable {
  private let lock = Mutex(())
  private var value: T?
  init(_ v: T?) { value = v }
  func take() -> T? {
    lock.withLock { _ in
      defer { value = nil }
      return value
    }
  }
}

/// Decodes a list of ranges forward with one demuxer and one decoder (one thread's worth).
final class GOPWorker {
  private let input: MediaInput
  private let decoder: VideoDecoder
  private let encoder: JPEGEncoder
  private let frame: Frame
  private let plan: SharedPlan
  private let skipNonRef: Bool
  private var stats = DecodeStats()
  private var pending: Set<Int> = []  // target presentation indices still missing

  init(input: MediaInput, plan: SharedPlan, threads: Int, jpeg: JPEGSettings, skipNonRef: Bool) throws(MediaError) {
    self.input = input
    self.plan = plan
    self.skipNonRef = skipNonRef
    decoder = try VideoDecoder(input: input, threads: threads)
    encoder = try JPEGEncoder(settings: jpeg)
    frame = try Frame()
  }

  /// Reads packets until the one with `pts` (kept in `input.packet`); false at the end, or
  /// when a later keyframe shows the seek went past it.
  private func readForward(to pts: Int64) throws -> Bool {
    while try input.readVideoPacket() {
      let p = input.packet.pointee.pts
      if p == pts { return true }
      av_packet_unref(input.packet)
    }
    return false
  }

  func run(ranges: [DecodeRange], emit: @Sendable (Int, [UInt8]) throws -> Void) throws -> DecodeStats {
    let index = plan.index
    for r in ranges {
      for d in r.start...r.end {
        if let p = index.pts[d], let f = plan.targetByPTS[p] { pending.insert(f) }
      }
    }
    // Decode position of the next packet the demuxer will return; unknown at first (the input
    // may have been read to the end by the index scan), so the first range always seeks.
    var next = -1
    var havePacket = false
    for r in ranges {
      try input.interrupt.check()
      if r.start != next {
        // Seek to the range's keyframe, then read forward to it.
        stats.seeks += 1
        guard let keyPTS = index.pts[r.start] else {
          throw MediaError(code: .seekFailed, message: "\(input.path): keyframe without a timestamp")
        }
        decoder.flush()
        // Timestamp seeks land after the keyframe in some containers (MPEG-TS, damaged files):
        // then read forward from the start of the file instead, demuxing without decoding.
        var found = false
        if (try? input.seek(toPTS: keyPTS)) != nil { found = try readForward(to: keyPTS) }
        if !found {
          stats.seekFallbacks += 1
          try input.seekToStart()
          found = try readForward(to: keyPTS)
        }
        guard found else {
          throw MediaError(code: .seekFailed, message: "\(input.path): the keyframe at pts \(keyPTS) was not found again after the index scan")
        }
        havePacket = true
        next = r.start
      }
      while next <= r.end {
        if !havePacket {
          guard try input.readVideoPacket() else { break }
        }
        havePacket = false
        let pkt = input.packet
        if skipNonRef {
          let isTarget = pkt.pointee.pts != noPTS && plan.targetByPTS[pkt.pointee.pts].map { pending.contains($0) } == true
          decoder.setSkipNonReference(!isTarget)
        }
        stats.packetsSent += 1
        let accepted = try decoder.send(pkt)
        av_packet_unref(pkt)
        if accepted { try drainFrames(emit: emit) }
        next += 1
        if next & 63 == 0 { try input.interrupt.check() }
      }
      // Drain this range's last frames, then reset for the next keyframe.
      try decoder.send(nil)
      try drainFrames(emit: emit)
      decoder.flush()
      if pending.isEmpty { break }
    }
    if !pending.isEmpty {
      let missing = pending.sorted()
      throw MediaError(
        code: .decodeFailed,
        message: "\(input.path): \(missing.count) frame(s) could not be decoded (first: frame \(missing[0])); the file may be corrupt")
    }
    return stats
  }

  private func drainFrames(emit: @Sendable (Int, [UInt8]) throws -> Void) throws {
    while try decoder.receive(into: frame) {
      stats.framesDecoded += 1
      if let p = frame.timestamp, let f = plan.targetByPTS[p], pending.remove(f) != nil {
        let bytes = try encoder.encode(frame)
        for k in plan.slots[f]! { try emit(k, bytes) }
      }
      av_frame_unref(frame.ptr)
    }
  }
}
