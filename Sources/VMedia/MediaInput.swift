internal import CFFmpeg
import VCore

/// The deadline the FFmpeg interrupt callback checks; it outlives the format context it serves.
final class InterruptState {
  let ptr: UnsafeMutablePointer<cffmpeg_deadline>
  let seconds: Double?

  init(deadline: Double?, seconds: Double?) {
    ptr = .allocate(capacity: 1)
    ptr.initialize(to: cffmpeg_deadline(deadline_us: deadline.map { Int64($0 * 1e6) } ?? 0, cancelled: 0))
    self.seconds = seconds
  }

  deinit { ptr.deallocate() }

  var expired: Bool { cffmpeg_interrupt_cb(ptr) != 0 }

  func check() throws(MediaError) {
    if Interrupt.requested { throw MediaError(code: .interrupted, message: "interrupted") }
    if expired { throw .timeout(seconds) }
  }
}

/// A demuxer opened on one file, with its best video stream chosen (`avformat_open_input`,
/// `avformat_find_stream_info`, `av_find_best_stream`). Other streams are discarded at the
/// demuxer. Not thread-safe: one owner at a time.
final class MediaInput {
  let path: String
  private(set) var fmt: UnsafeMutablePointer<AVFormatContext>?
  let interrupt: InterruptState
  let streamIndex: Int32
  let codec: UnsafePointer<AVCodec>
  let packet: UnsafeMutablePointer<AVPacket>

  var stream: UnsafeMutablePointer<AVStream> { fmt!.pointee.streams[Int(streamIndex)]! }
  var timeBase: AVRational { stream.pointee.time_base }

  /// Opens `path`. `deadline` is a monotonic time in seconds (`FileIO.monotonicSeconds`).
  init(path: String, deadline: Double?, timeoutSeconds: Double?, probeStreams: Bool = true) throws(MediaError) {
    let interrupt = InterruptState(deadline: deadline, seconds: timeoutSeconds)
    guard var ctx = avformat_alloc_context() else {
      throw MediaError(code: .outOfMemory, message: "\(path): cannot allocate a format context")
    }
    ctx.pointee.flags |= AVFMT_FLAG_GENPTS
    cffmpeg_set_interrupt(ctx, interrupt.ptr)
    var maybe: UnsafeMutablePointer<AVFormatContext>? = ctx
    let r = avformat_open_input(&maybe, path, nil, nil)  // frees the context on failure
    if r < 0 {
      if r == averrorExit { throw .timeout(timeoutSeconds) }
      let reason = ffmpegErrorString(r)
      let code: ErrorCode = r == cffmpeg_averror(ENOENT) ? .videoMissing : .openFailed
      throw MediaError(code: code, message: "\(path): cannot open: \(reason) (avformat_open_input)", averror: r)
    }
    ctx = maybe!
    func fail(_ e: MediaError) -> MediaError {
      var m: UnsafeMutablePointer<AVFormatContext>? = ctx
      avformat_close_input(&m)
      return e
    }
    if probeStreams {
      let s = avformat_find_stream_info(ctx, nil)
      if s < 0 {
        if s == averrorExit || interrupt.expired { throw fail(.timeout(timeoutSeconds)) }
        throw fail(
          MediaError(
            code: .openFailed, message: "\(path): cannot read stream information: \(ffmpegErrorString(s)) (avformat_find_stream_info)", averror: s))
      }
    }
    var decoder: UnsafePointer<AVCodec>? = nil
    let best = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
    if best < 0 || decoder == nil {
      let hasVideo = (0..<Int(ctx.pointee.nb_streams)).contains {
        ctx.pointee.streams[$0]!.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO
      }
      if hasVideo {
        throw fail(MediaError(code: .unsupportedCodec, message: "\(path): no decoder for the video stream (av_find_best_stream)"))
      }
      let n = Int(ctx.pointee.nb_streams)
      let what = n == 0 ? "the file has no streams" : "the file has \(n) stream\(n == 1 ? "" : "s") but none is video"
      throw fail(MediaError(code: .noVideoStream, message: "\(path): no video stream: \(what)"))
    }
    for i in 0..<Int(ctx.pointee.nb_streams) where i != Int(best) {
      ctx.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL
    }
    guard let pkt = av_packet_alloc() else {
      throw fail(MediaError(code: .outOfMemory, message: "\(path): cannot allocate a packet"))
    }
    self.path = path
    self.fmt = ctx
    self.interrupt = interrupt
    self.streamIndex = best
    self.codec = decoder!
    self.packet = pkt
  }

  deinit {
    var p: UnsafeMutablePointer<AVPacket>? = packet
    av_packet_free(&p)
    avformat_close_input(&fmt)
  }

  /// Reads the next packet of the video stream into `packet`; false at the end of the stream.
  ///
  /// - Throws: a timeout, or a read error other than the end of the file. Callers own the packet
  ///   until the next call and must `av_packet_unref` it.
  func readVideoPacket() throws(MediaError) -> Bool {
    while true {
      let r = av_read_frame(fmt, packet)
      if r == averrorEOF { return false }
      if r < 0 {
        if r == averrorExit || interrupt.expired { throw .timeout(interrupt.seconds) }
        throw MediaError(code: .demuxFailed, message: "\(path): read error: \(ffmpegErrorString(r)) (av_read_frame)", averror: r)
      }
      if packet.pointee.stream_index == streamIndex { return true }
      av_packet_unref(packet)
    }
  }

  /// Seeks to the keyframe at or before `pts` (`av_seek_frame` with `AVSEEK_FLAG_BACKWARD`).
  func seek(toPTS pts: Int64) throws(MediaError) {
    try ffmpegCall("av_seek_frame", code: .seekFailed, context: path) {
      av_seek_frame(fmt, streamIndex, pts, AVSEEK_FLAG_BACKWARD)
    }
  }

  /// Seeks to the first packet: byte 0 where the container allows byte seeks, else the
  /// earliest timestamp.
  func seekToStart() throws(MediaError) {
    if av_seek_frame(fmt, -1, 0, AVSEEK_FLAG_BYTE) >= 0 { return }
    try ffmpegCall("avformat_seek_file", code: .seekFailed, context: path) {
      avformat_seek_file(fmt, streamIndex, Int64.min, Int64.min, Int64.min, 0)
    }
  }
}
