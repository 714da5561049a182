internal import CFFmpeg

/// Settings for writing a video (used to generate test media and demo data).
public struct VideoWriterOptions: Sendable {
  /// libavcodec encoder name: `libx264`, `mpeg4`, `mjpeg`, `libvpx-vp9`, ...
  public var codec: String
  public var width: Int
  public var height: Int
  /// Frame rate as a fraction.
  public var fpsNum: Int
  public var fpsDen: Int = 1
  /// Keyframe interval.
  public var gop: Int = 12
  /// Maximum consecutive B-frames (0 for none).
  public var bFrames: Int = 0
  /// Encoder private options (`preset`, `deadline`, ...).
  public var encoderOptions: [String: String] = [:]
  /// libavformat muxer name (`mov`, `matroska`, ...); nil picks it from the file extension.
  public var container: String?
  /// A second stream: 16-bit PCM (`pcm_s16le`), interleaved with the video by time.
  public var audio: PCMTrack?

  public init(codec: String, width: Int, height: Int, fps: Int) {
    self.codec = codec
    self.width = width
    self.height = height
    self.fpsNum = fps
  }
}

/// Interleaved signed 16-bit samples for a PCM audio stream.
public struct PCMTrack: Sendable {
  public var sampleRate: Int
  public var channels: Int
  /// `channels` values per sample frame.
  public var samples: [Int16]
  public init(sampleRate: Int, channels: Int, samples: [Int16]) {
    self.sampleRate = sampleRate
    self.channels = channels
    self.samples = samples
  }
  var frameCount: Int { samples.count / max(1, channels) }
}

/// Writes videos from generated luma planes (chroma neutral). The container is chosen from the
/// file extension unless `container` names it; an `audio` track is muxed beside the video.
public enum VideoWriter {
  /// Encodes `frameCount` frames; `luma(i, &plane)` fills frame i's `width*height` luma bytes in
  /// full range (0 black ... 255 white).
  public static func write(
    path: String, options o: VideoWriterOptions, frameCount: Int, luma: (Int, inout [UInt8]) -> Void
  ) throws(MediaError) {
    var ocOpt: UnsafeMutablePointer<AVFormatContext>? = nil
    try ffmpegCall("avformat_alloc_output_context2", code: .encodeFailed, context: path) {
      avformat_alloc_output_context2(&ocOpt, nil, o.container, path)
    }
    guard let oc = ocOpt else { throw MediaError(code: .encodeFailed, message: "\(path): no output format") }
    defer {
      if oc.pointee.pb != nil { avio_closep(&oc.pointee.pb) }
      avformat_free_context(oc)
    }
    guard let codec = avcodec_find_encoder_by_name(o.codec) else {
      throw MediaError(code: .encodeFailed, message: "libavcodec has no encoder '\(o.codec)'")
    }
    guard let st = avformat_new_stream(oc, nil) else { throw MediaError(code: .encodeFailed, message: "\(path): cannot add a stream") }
    var encOpt = avcodec_alloc_context3(codec)
    guard let enc = encOpt else { throw MediaError(code: .encodeFailed, message: "cannot allocate an encoder") }
    defer { avcodec_free_context(&encOpt) }
    let fullRange = o.codec == "mjpeg"
    enc.pointee.width = Int32(o.width)
    enc.pointee.height = Int32(o.height)
    enc.pointee.pix_fmt = fullRange ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P
    enc.pointee.time_base = AVRational(num: Int32(o.fpsDen), den: Int32(o.fpsNum))
    enc.pointee.framerate = AVRational(num: Int32(o.fpsNum), den: Int32(o.fpsDen))
    enc.pointee.gop_size = Int32(o.gop)
    enc.pointee.max_b_frames = Int32(o.bFrames)
    enc.pointee.thread_count = 1
    if o.codec == "mpeg4" || o.codec == "mjpeg" {
      enc.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
      enc.pointee.global_quality = 3 * FF_QP2LAMBDA
    }
    if oc.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
      enc.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
    }
    for (k, v) in o.encoderOptions { av_opt_set(enc.pointee.priv_data, k, v, 0) }
    try ffmpegCall("avcodec_open2", code: .encodeFailed, context: o.codec) { avcodec_open2(enc, codec, nil) }
    try ffmpegCall("avcodec_parameters_from_context", code: .encodeFailed, context: path) {
      avcodec_parameters_from_context(st.pointee.codecpar, enc)
    }
    st.pointee.time_base = enc.pointee.time_base
    st.pointee.avg_frame_rate = enc.pointee.framerate
    let audio = try o.audio.map { track throws(MediaError) in try AudioStream(oc, track, path: path) }
    try ffmpegCall("avio_open", code: .encodeFailed, context: path) { avio_open(&oc.pointee.pb, path, AVIO_FLAG_WRITE) }
    try ffmpegCall("avformat_write_header", code: .encodeFailed, context: path) { avformat_write_header(oc, nil) }

    let frame = try Frame()
    guard let pkt = av_packet_alloc() else { throw MediaError(code: .outOfMemory, message: "cannot allocate a packet") }
    defer {
      var p: UnsafeMutablePointer<AVPacket>? = pkt
      av_packet_free(&p)
    }
    func drain() throws(MediaError) {
      while true {
        let r = avcodec_receive_packet(enc, pkt)
        if r == averrorEAGAIN || r == averrorEOF { return }
        try ffmpegCall("avcodec_receive_packet", code: .encodeFailed, context: path) { r }
        av_packet_rescale_ts(pkt, enc.pointee.time_base, st.pointee.time_base)
        pkt.pointee.stream_index = st.pointee.index
        try ffmpegCall("av_interleaved_write_frame", code: .encodeFailed, context: path) { av_interleaved_write_frame(oc, pkt) }
      }
    }
    var plane = [UInt8](repeating: 0, count: o.width * o.height)
    for i in 0..<frameCount {
      av_frame_unref(frame.ptr)
      frame.ptr.pointee.width = Int32(o.width)
      frame.ptr.pointee.height = Int32(o.height)
      frame.ptr.pointee.format = enc.pointee.pix_fmt.rawValue
      try ffmpegCall("av_frame_get_buffer", code: .encodeFailed, context: path) { av_frame_get_buffer(frame.ptr, 0) }
      luma(i, &plane)
      let f = frame.ptr.pointee
      for y in 0..<o.height {
        let row = f.data.0! + y * Int(f.linesize.0)
        for x in 0..<o.width {
          let v = Int(plane[y * o.width + x])
          row[x] = fullRange ? UInt8(v) : UInt8(16 + (v * 219 + 127) / 255)
        }
      }
      let cw = (o.width + 1) / 2
      let ch = (o.height + 1) / 2
      for y in 0..<ch {
        (f.data.1! + y * Int(f.linesize.1)).update(repeating: 128, count: cw)
        (f.data.2! + y * Int(f.linesize.2)).update(repeating: 128, count: cw)
      }
      frame.ptr.pointee.pts = Int64(i)
      try ffmpegCall("avcodec_send_frame", code: .encodeFailed, context: path) { avcodec_send_frame(enc, frame.ptr) }
      try drain()
      // The audio up to the end of this frame.
      try audio?.write(upTo: (i + 1) * o.fpsDen * (o.audio?.sampleRate ?? 0) / o.fpsNum, oc, pkt)
    }
    try ffmpegCall("avcodec_send_frame", code: .encodeFailed, context: path) { avcodec_send_frame(enc, nil) }
    try drain()
    try audio?.finish(oc, pkt)
    try ffmpegCall("av_write_trailer", code: .encodeFailed, context: path) { av_write_trailer(oc) }
  }
}

/// The PCM stream of `VideoWriter.write`: its encoder and how many sample frames are written.
private final class AudioStream {
  let track: PCMTrack
  let path: String
  let st: UnsafeMutablePointer<AVStream>
  var enc: UnsafeMutablePointer<AVCodecContext>?
  let frame: Frame
  var written = 0

  init(_ oc: UnsafeMutablePointer<AVFormatContext>, _ track: PCMTrack, path: String) throws(MediaError) {
    self.track = track
    self.path = path
    guard let codec = avcodec_find_encoder_by_name("pcm_s16le") else {
      throw MediaError(code: .encodeFailed, message: "libavcodec has no encoder 'pcm_s16le'")
    }
    guard let st = avformat_new_stream(oc, nil) else { throw MediaError(code: .encodeFailed, message: "\(path): cannot add a stream") }
    self.st = st
    guard let enc = avcodec_alloc_context3(codec) else { throw MediaError(code: .encodeFailed, message: "cannot allocate an encoder") }
    self.enc = enc
    frame = try Frame()
    enc.pointee.sample_fmt = AV_SAMPLE_FMT_S16
    enc.pointee.sample_rate = Int32(track.sampleRate)
    av_channel_layout_default(&enc.pointee.ch_layout, Int32(track.channels))
    enc.pointee.time_base = AVRational(num: 1, den: Int32(track.sampleRate))
    try ffmpegCall("avcodec_open2", code: .encodeFailed, context: "pcm_s16le") { avcodec_open2(enc, codec, nil) }
    try ffmpegCall("avcodec_parameters_from_context", code: .encodeFailed, context: path) {
      avcodec_parameters_from_context(st.pointee.codecpar, enc)
    }
    st.pointee.time_base = enc.pointee.time_base
  }

  deinit { avcodec_free_context(&enc) }

  /// Encodes the sample frames before `end` (at most the track's), 1024 at a time.
  func write(upTo end: Int, _ oc: UnsafeMutablePointer<AVFormatContext>, _ pkt: UnsafeMutablePointer<AVPacket>) throws(MediaError) {
    guard let enc else { return }
    let stop = min(end, track.frameCount)
    while written < stop {
      let n = min(1024, stop - written)
      av_frame_unref(frame.ptr)
      frame.ptr.pointee.nb_samples = Int32(n)
      frame.ptr.pointee.format = AV_SAMPLE_FMT_S16.rawValue
      frame.ptr.pointee.sample_rate = Int32(track.sampleRate)
      try ffmpegCall("av_channel_layout_copy", code: .encodeFailed, context: path) {
        av_channel_layout_copy(&frame.ptr.pointee.ch_layout, &enc.pointee.ch_layout)
      }
      try ffmpegCall("av_frame_get_buffer", code: .encodeFailed, context: path) { av_frame_get_buffer(frame.ptr, 0) }
      let base = written * track.channels
      track.samples.withUnsafeBytes { src in
        let bytes = n * track.channels * 2
        UnsafeMutableRawPointer(frame.ptr.pointee.data.0!).copyMemory(from: src.baseAddress! + base * 2, byteCount: bytes)
      }
      frame.ptr.pointee.pts = Int64(written)
      written += n
      try ffmpegCall("avcodec_send_frame", code: .encodeFailed, context: path) { avcodec_send_frame(enc, frame.ptr) }
      try drain(oc, pkt)
    }
  }

  /// Writes what is left of the track and flushes the encoder.
  func finish(_ oc: UnsafeMutablePointer<AVFormatContext>, _ pkt: UnsafeMutablePointer<AVPacket>) throws(MediaError) {
    try write(upTo: track.frameCount, oc, pkt)
    try ffmpegCall("avcodec_send_frame", code: .encodeFailed, context: path) { avcodec_send_frame(enc, nil) }
    try drain(oc, pkt)
  }

  private func drain(_ oc: UnsafeMutablePointer<AVFormatContext>, _ pkt: UnsafeMutablePointer<AVPacket>) throws(MediaError) {
    while true {
      let r = avcodec_receive_packet(enc, pkt)
      if r == averrorEAGAIN || r == averrorEOF { return }
      try ffmpegCall("avcodec_receive_packet", code: .encodeFailed, context: path) { r }
      av_packet_rescale_ts(pkt, enc!.pointee.time_base, st.pointee.time_base)
      pkt.pointee.stream_index = st.pointee.index
      try ffmpegCall("av_interleaved_write_frame", code: .encodeFailed, context: path) { av_interleaved_write_frame(oc, pkt) }
    }
  }
}
