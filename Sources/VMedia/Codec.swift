internal import CFFmpeg
import VCore

/// An owned `AVFrame`.
final class Frame {
  let ptr: UnsafeMutablePointer<AVFrame>
  init() throws(MediaError) {
    guard let f = av_frame_alloc() else { throw MediaError(code: .outOfMemory, message: "cannot allocate a frame") }
    ptr = f
  }
  deinit {
    var p: UnsafeMutablePointer<AVFrame>? = ptr
    av_frame_free(&p)
  }
  /// The frame's timestamp: `pts`, or `best_effort_timestamp` when pts is missing.
  var timestamp: Int64? {
    let p = ptr.pointee.pts != noPTS ? ptr.pointee.pts : ptr.pointee.best_effort_timestamp
    return p == noPTS ? nil : p
  }
}

/// A video decoder context opened for one stream (`avcodec_open2`).
final class VideoDecoder {
  let ctx: UnsafeMutablePointer<AVCodecContext>
  let path: String

  init(input: MediaInput, threads: Int) throws(MediaError) {
    path = input.path
    guard let c = avcodec_alloc_context3(input.codec) else {
      throw MediaError(code: .outOfMemory, message: "\(input.path): cannot allocate a decoder")
    }
    ctx = c
    let par = input.stream.pointee.codecpar
    try ffmpegCall("avcodec_parameters_to_context", code: .openFailed, context: path) {
      avcodec_parameters_to_context(c, par)
    }
    c.pointee.pkt_timebase = input.stream.pointee.time_base
    // An explicit count: libavcodec's "auto" picks cores+1, measurably slower here.
    c.pointee.thread_count = Int32(max(1, threads))
    c.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
    try ffmpegCall("avcodec_open2", code: .openFailed, context: path) { avcodec_open2(c, input.codec, nil) }
  }

  deinit {
    var p: UnsafeMutablePointer<AVCodecContext>? = ctx
    avcodec_free_context(&p)
  }

  /// Decodes only reference frames (plus whatever the codec cannot skip) from the next packet on.
  func setSkipNonReference(_ skip: Bool) {
    ctx.pointee.skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
  }

  /// Sends a packet (nil drains). Invalid data is not fatal: the packet is dropped, and a frame
  /// that never comes out is reported by the caller.
  /// - Returns: false when the packet was rejected as invalid data.
  @discardableResult
  func send(_ packet: UnsafeMutablePointer<AVPacket>?) throws(MediaError) -> Bool {
    let r = avcodec_send_packet(ctx, packet)
    if r >= 0 || r == averrorEOF { return true }
    if r == averrorEAGAIN {
      // Cannot happen when every frame is received after each send; treat as a bug in the loop.
      throw MediaError(code: .decodeFailed, message: "\(path): decoder refused input (avcodec_send_packet: EAGAIN)", averror: r)
    }
    if r == cffmpeg_averror(ENOMEM) {
      throw MediaError(code: .outOfMemory, message: "\(path): out of memory while decoding (avcodec_send_packet)", averror: r)
    }
    return false
  }

  /// Receives the next decoded frame into `frame`; false when the decoder needs more input or
  /// is fully drained.
  func receive(into frame: Frame) throws(MediaError) -> Bool {
    let r = avcodec_receive_frame(ctx, frame.ptr)
    if r >= 0 { return true }
    if r == averrorEAGAIN || r == averrorEOF { return false }
    // A corrupt frame: skip it and keep going.
    return false
  }

  /// Resets the decoder after a drain or before decoding from a new keyframe.
  func flush() { avcodec_flush_buffers(ctx) }
}

/// JPEG output settings.
public struct JPEGSettings: Sendable, Equatable {
  /// libjpeg/PIL quality 1...100 (75 = PIL's default).
  public var quality: Int
  /// Shrink so the longer side is at most this many pixels (0 = keep the size).
  public var maxSide: Int
  /// Resize to about this area with Pillow's LANCZOS filter on the RGB frame (VLMEvalKit's
  /// Video-MME-v2 `_resize` configs); when set, `maxSide` is not used.
  public var resize: FrameResize?

  public init(quality: Int = 75, maxSide: Int = 0, resize: FrameResize? = nil) {
    self.quality = quality
    self.maxSide = maxSide
    self.resize = resize
  }

  /// The output size for a `width` x `height` frame.
  public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
    if let resize { return resize.size(width: width, height: height) }
    guard maxSide > 0, max(width, height) > maxSide else { return (width, height) }
    let scale = Double(maxSide) / Double(max(width, height))
    return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
  }
}

/// Converts decoded frames to JPEG with libavcodec's mjpeg encoder: colour conversion and
/// optional shrinking with swscale to full-range 4:2:0, quantisation tables of libjpeg at the
/// requested quality (what PIL writes), standard Huffman tables. With `resize`, a frame whose
/// size changes goes through RGB: swscale to RGB24 (decord's output), `LanczosResampler`, then
/// RGB24 to 4:2:0 (PIL's `save`). One per thread; reused.
final class JPEGEncoder {
  private var sws: OpaquePointer?
  private var rgbSws: OpaquePointer?
  private var resampler: LanczosResampler?
  private let rgbIn: Frame
  private let rgbOut: Frame
  private var enc: UnsafeMutablePointer<AVCodecContext>?
  private var encSize = (0, 0)
  private var nextPTS: Int64 = 0
  private let settings: JPEGSettings
  private let scaled: Frame
  private let packet: UnsafeMutablePointer<AVPacket>

  init(settings: JPEGSettings) throws(MediaError) {
    self.settings = settings
    scaled = try Frame()
    rgbIn = try Frame()
    rgbOut = try Frame()
    guard let p = av_packet_alloc() else { throw MediaError(code: .outOfMemory, message: "cannot allocate a packet") }
    packet = p
  }

  deinit {
    sws_freeContext(sws)
    sws_freeContext(rgbSws)
    freeEncoder()
    var p: UnsafeMutablePointer<AVPacket>? = packet
    av_packet_free(&p)
  }

  /// libjpeg's standard tables (ITU T.81 Annex K), natural order.
  private static let lumaBase: [UInt16] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
  ]
  private static let chromaBase: [UInt16] =
    [
      17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
      24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
    ] + Array(repeating: 99, count: 32)

  /// `jpeg_quality_scaling` + `jpeg_add_quant_table` with force_baseline.
  static func table(_ base: [UInt16], quality: Int) -> [UInt16] {
    let q = min(100, max(1, quality))
    let scale = q < 50 ? 5000 / q : 200 - q * 2
    return base.map { UInt16(min(255, max(1, (Int($0) * scale + 50) / 100))) }
  }

  /// Frees the encoder. FFmpeg 5.1's avcodec_free_context frees `intra_matrix` but not
  /// `chroma_intra_matrix` (a 128-byte leak per encoder, found by the media fuzz target);
  /// `av_freep` leaves NULL behind, so releases that free it too are safe.
  private func freeEncoder() {
    if let c = enc { av_freep(&c.pointee.chroma_intra_matrix) }
    avcodec_free_context(&enc)
  }

  private func openEncoder(width: Int, height: Int) throws(MediaError) {
    freeEncoder()
    guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG), let c = avcodec_alloc_context3(codec) else {
      throw MediaError(code: .encodeFailed, message: "libavcodec has no mjpeg encoder")
    }
    enc = c
    c.pointee.width = Int32(width)
    c.pointee.height = Int32(height)
    c.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
    c.pointee.time_base = AVRational(num: 1, den: 25)
    c.pointee.thread_count = 1
    c.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
    // With qscale 8 the mjpeg encoder uses the matrices as they are ((m * 8) >> 3).
    c.pointee.global_quality = 8 * FF_QP2LAMBDA
    let luma = Self.table(Self.lumaBase, quality: settings.quality)
    let chroma = Self.table(Self.chromaBase, quality: settings.quality)
    // The codec context owns (and frees) these matrices.
    let lm = av_malloc(64 * 2)!.bindMemory(to: UInt16.self, capacity: 64)
    let cm = av_malloc(64 * 2)!.bindMemory(to: UInt16.self, capacity: 64)
    for i in 0..<64 {
      lm[i] = luma[i]
      cm[i] = chroma[i]
    }
    c.pointee.intra_matrix = lm
    c.pointee.chroma_intra_matrix = cm
    av_opt_set(c.pointee.priv_data, "huffman", "default", 0)
    try ffmpegCall("avcodec_open2", code: .encodeFailed, context: "mjpeg encoder") { avcodec_open2(c, codec, nil) }
    encSize = (width, height)
  }

  /// Encodes one decoded frame.
  func encode(_ frame: Frame) throws(MediaError) -> [UInt8] {
    let src = frame.ptr
    let w = Int(src.pointee.width)
    let h = Int(src.pointee.height)
    let srcFormat = AVPixelFormat(rawValue: src.pointee.format)
    guard w > 0, h > 0, srcFormat != AV_PIX_FMT_NONE else {
      throw MediaError(code: .decodeFailed, message: "decoder returned a frame without size or pixel format")
    }
    let (dw, dh) = settings.outputSize(width: w, height: h)
    if settings.resize != nil && (dw, dh) != (w, h) {
      try resampleRGB(src, width: w, height: h, format: srcFormat, to: dw, dh)
      return try convertAndEncode(rgbOut.ptr, width: dw, height: dh, format: AV_PIX_FMT_RGB24, to: dw, dh)
    }
    return try convertAndEncode(src, width: w, height: h, format: srcFormat, to: dw, dh)
  }

  /// The frame as packed RGB24 (swscale), resized by `LanczosResampler` into `rgbOut`.
  private func resampleRGB(
    _ src: UnsafeMutablePointer<AVFrame>, width w: Int, height h: Int, format: AVPixelFormat, to dw: Int, _ dh: Int
  ) throws(MediaError) {
    rgbSws = sws_getCachedContext(
      rgbSws, Int32(w), Int32(h), format, Int32(w), Int32(h), AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND, nil, nil, nil)
    guard let rgbSws else {
      throw MediaError(
        code: .encodeFailed, message: "cannot convert pixel format \(String(cString: av_get_pix_fmt_name(format))) to RGB (sws_getCachedContext)")
    }
    av_frame_unref(rgbIn.ptr)
    try ffmpegCall("sws_scale_frame", code: .encodeFailed, context: "RGB conversion") { sws_scale_frame(rgbSws, rgbIn.ptr, src) }
    let row = w * 3
    let inStride = Int(rgbIn.ptr.pointee.linesize.0)
    guard let inData = rgbIn.ptr.pointee.data.0, inStride >= row, Int(rgbIn.ptr.pointee.width) == w, Int(rgbIn.ptr.pointee.height) == h else {
      throw MediaError(code: .encodeFailed, message: "RGB conversion returned an unexpected frame")
    }
    var packed = [UInt8](repeating: 0, count: row * h)
    packed.withUnsafeMutableBytes { dst in
      for y in 0..<h { (dst.baseAddress! + y * row).copyMemory(from: inData + y * inStride, byteCount: row) }
    }
    if resampler.map({ ($0.sourceWidth, $0.sourceHeight, $0.width, $0.height) != (w, h, dw, dh) }) ?? true {
      resampler = LanczosResampler(sourceWidth: w, sourceHeight: h, width: dw, height: dh)
    }
    let out = resampler!.resample(packed)
    av_frame_unref(rgbOut.ptr)
    rgbOut.ptr.pointee.width = Int32(dw)
    rgbOut.ptr.pointee.height = Int32(dh)
    rgbOut.ptr.pointee.format = AV_PIX_FMT_RGB24.rawValue
    try ffmpegCall("av_frame_get_buffer", code: .outOfMemory, context: "resized frame") { av_frame_get_buffer(rgbOut.ptr, 0) }
    let outRow = dw * 3
    let outStride = Int(rgbOut.ptr.pointee.linesize.0)
    guard let outData = rgbOut.ptr.pointee.data.0, outStride >= outRow, out.count == outRow * dh else {
      throw MediaError(code: .encodeFailed, message: "cannot allocate the resized frame")
    }
    out.withUnsafeBytes { s in
      for y in 0..<dh { UnsafeMutableRawPointer(outData + y * outStride).copyMemory(from: s.baseAddress! + y * outRow, byteCount: outRow) }
    }
  }

  /// swscale to full-range 4:2:0 at `dw` x `dh`, then the mjpeg encoder.
  private func convertAndEncode(
    _ src: UnsafeMutablePointer<AVFrame>, width w: Int, height h: Int, format srcFormat: AVPixelFormat, to dw: Int, _ dh: Int
  ) throws(MediaError) -> [UInt8] {
    if enc == nil || encSize != (dw, dh) { try openEncoder(width: dw, height: dh) }
    sws = sws_getCachedContext(
      sws, Int32(w), Int32(h), srcFormat, Int32(dw), Int32(dh), AV_PIX_FMT_YUVJ420P,
      SWS_BICUBIC | SWS_ACCURATE_RND, nil, nil, nil)
    guard let sws else {
      throw MediaError(
        code: .encodeFailed, message: "cannot convert pixel format \(String(cString: av_get_pix_fmt_name(srcFormat))) (sws_getCachedContext)")
    }
    av_frame_unref(scaled.ptr)
    try ffmpegCall("sws_scale_frame", code: .encodeFailed, context: "frame conversion") { sws_scale_frame(sws, scaled.ptr, src) }
    scaled.ptr.pointee.quality = 8 * FF_QP2LAMBDA
    // The encoder wants increasing timestamps even for independent pictures.
    scaled.ptr.pointee.pts = nextPTS
    nextPTS += 1
    try ffmpegCall("avcodec_send_frame", code: .encodeFailed, context: "mjpeg encoder") { avcodec_send_frame(enc, scaled.ptr) }
    try ffmpegCall("avcodec_receive_packet", code: .encodeFailed, context: "mjpeg encoder") { avcodec_receive_packet(enc, packet) }
    defer { av_packet_unref(packet) }
    return Array(UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
  }
}
