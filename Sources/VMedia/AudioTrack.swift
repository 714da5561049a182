internal import CFFmpeg
import VCore

/// The WAV a video's audio track becomes, as VLMEvalKit's WorldSense preparation writes it with
/// moviepy 1.0.3 (`VideoFileClip(path).audio.write_audiofile(wav)`): moviepy reads the track
/// through ffmpeg as `-f s16le -ar 44100 -ac 2` (its `FFMPEG_AudioReader` defaults, whatever
/// the source's channels), takes `int(44100 * duration)` samples, the duration being the
/// container's as ffmpeg prints it (`Duration: HH:MM:SS.cc`, rounded to the centisecond), and
/// writes them quantised back to 16 bits after clipping to +-0.99 (`to_soundarray(quantize=True)`)
/// as `pcm_s16le`. Here the track is decoded with libavcodec, resampled and remixed with
/// libswresample (what ffmpeg's `-ar`/`-ac` use), cut or padded with silence to that count, and
/// written as a plain 44-byte RIFF/WAVE header and the samples.
public struct AudioTrackSettings: Sendable, Equatable {
  public var sampleRate: Int
  public var channels: Int
  /// Clip samples to +-0.99 of full scale, as moviepy's quantisation does.
  public var clipToMoviePy: Bool

  public init(sampleRate: Int = 44100, channels: Int = 2, clipToMoviePy: Bool = true) {
    self.sampleRate = sampleRate
    self.channels = channels
    self.clipToMoviePy = clipToMoviePy
  }

  /// moviepy 1.0.3's defaults: 44100 Hz, stereo, 16-bit.
  public static let moviePy = AudioTrackSettings()
}

public enum AudioTrack {
  /// The WAV file's bytes for the audio track of `path`.
  ///
  /// - Throws: `no_audio_stream` for a file without an audio stream, `unsupported_codec` when
  ///   no decoder is built in, `open_failed`/`decode_failed` otherwise, `timeout` past `deadline`.
  public static func wav(
    path: String, settings: AudioTrackSettings = .moviePy, deadline: Double? = nil, timeoutSeconds: Double? = nil
  ) throws(MediaError) -> [UInt8] {
    let pcm = try decode(path: path, settings: settings, deadline: deadline, timeoutSeconds: timeoutSeconds)
    return wavFile(pcm.samples, sampleRate: settings.sampleRate, channels: settings.channels)
  }

  /// A RIFF/WAVE file of interleaved 16-bit samples.
  public static func wavFile(_ samples: [Int16], sampleRate: Int, channels: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(44 + samples.count * 2)
    func u32(_ v: Int) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    func u16(_ v: Int) { for k in 0..<2 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    let dataBytes = samples.count * 2
    out += Array("RIFF".utf8)
    u32(36 + dataBytes)
    out += Array("WAVEfmt ".utf8)
    u32(16)
    u16(1)  // PCM
    u16(channels)
    u32(sampleRate)
    u32(sampleRate * channels * 2)
    u16(channels * 2)
    u16(16)
    out += Array("data".utf8)
    u32(dataBytes)
    for s in samples { u16(Int(s)) }
    return out
  }

  /// The container duration as ffmpeg prints it and moviepy 1.0.3 reads it back: microseconds
  /// rounded to the centisecond (`av_dump_format` adds 5000 us), parsed as
  /// `3600*h + 60*m + float("SS.cc")`; nil when the container states none.
  static func printedDuration(microseconds us: Int64) -> Double? {
    guard us >= 0 else { return nil }
    let cs = (us + 5000) / 10000
    let secs = cs / 100
    let h = secs / 3600, m = (secs / 60) % 60, s = secs % 60
    let c = cs % 100
    let text = "\(s < 10 ? "0" : "")\(s).\(c < 10 ? "0" : "")\(c)"
    return Double(h) * 3600 + Double(m) * 60 + (Double(text) ?? 0)
  }

  struct PCM {
    var samples: [Int16]
    /// Sample frames the decoder gave before the cut or pad.
    var decodedFrames: Int
  }

  static func decode(path: String, settings: AudioTrackSettings, deadline: Double?, timeoutSeconds: Double?) throws(MediaError) -> PCM {
    let interrupt = InterruptState(deadline: deadline, seconds: timeoutSeconds)
    guard let allocated = avformat_alloc_context() else {
      throw MediaError(code: .outOfMemory, message: "\(path): cannot allocate a format context")
    }
    cffmpeg_set_interrupt(allocated, interrupt.ptr)
    var fmt: UnsafeMutablePointer<AVFormatContext>? = allocated
    let r = avformat_open_input(&fmt, path, nil, nil)  // frees the context on failure
    if r < 0 {
      if r == averrorExit { throw .timeout(timeoutSeconds) }
      let code: ErrorCode = r == cffmpeg_averror(ENOENT) ? .videoMissing : .openFailed
      throw MediaError(code: code, message: "\(path): cannot open: \(ffmpegErrorString(r)) (avformat_open_input)", averror: r)
    }
    defer { avformat_close_input(&fmt) }
    let ctx = fmt!
    try ffmpegCall("avformat_find_stream_info", code: .openFailed, context: path) { avformat_find_stream_info(ctx, nil) }
    var codec: UnsafePointer<AVCodec>? = nil
    let best = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0)
    let streams = (0..<Int(ctx.pointee.nb_streams)).map { ctx.pointee.streams[$0]! }
    if best < 0 || codec == nil {
      if streams.contains(where: { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO }) {
        throw MediaError(code: .unsupportedCodec, message: "\(path): no decoder for the audio stream (av_find_best_stream)")
      }
      throw MediaError(
        code: .noAudioStream, message: "\(path): no audio stream (the file has \(streams.count) stream\(streams.count == 1 ? "" : "s"), none audio)")
    }
    for (i, s) in streams.enumerated() where i != Int(best) { s.pointee.discard = AVDISCARD_ALL }
    let stream = streams[Int(best)]
    guard let dec = avcodec_alloc_context3(codec) else { throw MediaError(code: .outOfMemory, message: "\(path): cannot allocate a decoder") }
    var decOpt: UnsafeMutablePointer<AVCodecContext>? = dec
    defer { avcodec_free_context(&decOpt) }
    try ffmpegCall("avcodec_parameters_to_context", code: .openFailed, context: path) { avcodec_parameters_to_context(dec, stream.pointee.codecpar) }
    dec.pointee.pkt_timebase = stream.pointee.time_base
    try ffmpegCall("avcodec_open2", code: .openFailed, context: path) { avcodec_open2(dec, codec, nil) }

    let frame = try Frame()
    guard let packet = av_packet_alloc() else { throw MediaError(code: .outOfMemory, message: "\(path): cannot allocate a packet") }
    var packetOpt: UnsafeMutablePointer<AVPacket>? = packet
    defer { av_packet_free(&packetOpt) }
    var swr: OpaquePointer? = nil
    defer { swr_free(&swr) }
    var outLayout = AVChannelLayout()
    av_channel_layout_default(&outLayout, Int32(settings.channels))
    defer { av_channel_layout_uninit(&outLayout) }
    var samples: [Int16] = []
    let channels = settings.channels
    var buffer = [Int16]()

    func convert(_ f: UnsafeMutablePointer<AVFrame>?) throws(MediaError) {
      if swr == nil {
        guard let f else { return }
        var inLayout = AVChannelLayout()
        defer { av_channel_layout_uninit(&inLayout) }
        if f.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f.pointee.ch_layout.nb_channels == 0 {
          av_channel_layout_default(&inLayout, max(1, f.pointee.ch_layout.nb_channels))
        } else {
          av_channel_layout_copy(&inLayout, &f.pointee.ch_layout)
        }
        try ffmpegCall("swr_alloc_set_opts2", code: .decodeFailed, context: path) {
          swr_alloc_set_opts2(
            &swr, &outLayout, AV_SAMPLE_FMT_S16, Int32(settings.sampleRate), &inLayout, AVSampleFormat(f.pointee.format), f.pointee.sample_rate, 0,
            nil)
        }
        try ffmpegCall("swr_init", code: .decodeFailed, context: path) { swr_init(swr) }
      }
      let inCount = f?.pointee.nb_samples ?? 0
      let room = Int(swr_get_out_samples(swr, inCount)) + 32
      if buffer.count < room * channels { buffer = [Int16](repeating: 0, count: room * channels) }
      let n = buffer.withUnsafeMutableBytes { raw -> Int32 in
        var out: UnsafeMutablePointer<UInt8>? = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return withUnsafeMutablePointer(to: &out) { outs in
          let ins = f.map { UnsafeMutableRawPointer($0.pointee.extended_data!).assumingMemoryBound(to: UnsafePointer<UInt8>?.self) }
          return swr_convert(swr, outs, Int32(room), ins, inCount)
        }
      }
      if n < 0 { throw MediaError(code: .decodeFailed, message: "\(path): \(ffmpegErrorString(n)) (swr_convert)", averror: n) }
      samples.append(contentsOf: buffer[0..<(Int(n) * channels)])
    }

    func drain() throws(MediaError) {
      while true {
        let g = avcodec_receive_frame(dec, frame.ptr)
        if g == averrorEAGAIN || g == averrorEOF { return }
        if g < 0 { throw MediaError(code: .decodeFailed, message: "\(path): \(ffmpegErrorString(g)) (avcodec_receive_frame)", averror: g) }
        try convert(frame.ptr)
        av_frame_unref(frame.ptr)
      }
    }

    var packets = 0
    while true {
      let g = av_read_frame(ctx, packet)
      if g == averrorEOF { break }
      if g < 0 {
        if g == averrorExit || interrupt.expired { throw .timeout(timeoutSeconds) }
        throw MediaError(code: .demuxFailed, message: "\(path): read error: \(ffmpegErrorString(g)) (av_read_frame)", averror: g)
      }
      defer { av_packet_unref(packet) }
      guard packet.pointee.stream_index == best else { continue }
      // Invalid data in one packet is not fatal (ffmpeg goes on too).
      let s = avcodec_send_packet(dec, packet)
      if s < 0 && s != ffmpegInvalidData && s != averrorEOF && s != averrorEAGAIN {
        throw MediaError(code: .decodeFailed, message: "\(path): \(ffmpegErrorString(s)) (avcodec_send_packet)", averror: s)
      }
      try drain()
      packets += 1
      if packets & 255 == 0 { try interrupt.check() }
    }
    avcodec_send_packet(dec, nil)
    try drain()
    if swr != nil { try convert(nil) }
    let decoded = samples.count / channels
    var wanted = decoded
    if let d = printedDuration(microseconds: ctx.pointee.duration == noPTS ? -1 : ctx.pointee.duration) {
      wanted = Int(Double(settings.sampleRate) * d)
    }
    if samples.count > wanted * channels {
      samples.removeLast(samples.count - wanted * channels)
    } else if samples.count < wanted * channels {
      samples.append(contentsOf: repeatElement(0, count: wanted * channels - samples.count))
    }
    if settings.clipToMoviePy {
      // int16(32768 * clip(v / 32768, -0.99, 0.99)): |v| above 32440 becomes 32440.
      let limit: Int16 = 32440
      for i in samples.indices where samples[i] > limit || samples[i] < -limit { samples[i] = samples[i] > 0 ? limit : -limit }
    }
    return PCM(samples: samples, decodedFrames: decoded)
  }
}

let ffmpegInvalidData = cffmpeg_averror_invaliddata()
