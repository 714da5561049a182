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

  public init(codec: String, width: Int, height: Int, fps: Int) {
    self.codec = codec
    self.width = width
    self.height = height
    self.fpsNum = fps
  }
}

/// Writes videos from generated luma planes (chroma neutral). The container is chosen from the
/// file extension.
public enum VideoWriter {
  /// Encodes `frameCount` frames; `luma(i, &plane)` fills frame i's `width*height` luma bytes in
  /// full range (0 black ... 255 white).
  public static func write(
    path: String, options o: VideoWriterOptions, frameCount: Int, luma: (Int, inout [UInt8]) -> Void
  ) throws(MediaError) {
    var ocOpt: UnsafeMutablePointer<AVFormatContext>? = nil
    try ffmpegCall("avformat_alloc_output_context2", code: .encodeFailed, context: path) {
      avformat_alloc_output_context2(&ocOpt, nil, nil, path)
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
    }
    try ffmpegCall("avcodec_send_frame", code: .encodeFailed, context: path) { avcodec_send_frame(enc, nil) }
    try drain()
    try ffmpegCall("av_write_trailer", code: .encodeFailed, context: path) { av_write_trailer(oc) }
  }
}
