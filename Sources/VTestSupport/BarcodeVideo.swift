import VMedia

/// Test videos whose every frame shows its own index as a barcode: 12 bits in a 4x3 grid of
/// black/white blocks, large enough to survive any codec and JPEG. Reading a frame's JPEG back
/// tells exactly which frame it is.
public enum BarcodeVideo {
  public static let width = 160
  public static let height = 96
  private static let cols = 4
  private static let rows = 3

  /// The luma plane of frame `index` (`width x height`).
  public static func fill(_ index: Int, _ plane: inout [UInt8], width: Int = width, height: Int = height) {
    let bw = width / cols
    let bh = height / rows
    for y in 0..<height {
      for x in 0..<width {
        let bx = min(x / bw, cols - 1)
        let by = min(y / bh, rows - 1)
        let bit = by * cols + bx
        plane[y * width + x] = (index >> bit) & 1 == 1 ? 255 : 0
      }
    }
  }

  /// Writes a barcode video. `codec` is a libavcodec encoder name; the container follows the
  /// extension of `path` unless `container` names a muxer; `audio` adds a PCM stream.
  public static func make(
    _ path: String, codec: String, frames: Int, fps: Int = 30, gop: Int = 30, bFrames: Int = 0,
    width: Int = width, height: Int = height, audio: PCMTrack? = nil, container: String? = nil
  ) throws {
    MediaLog.setVerbosity(0)  // libx264's banner and statistics stay out of the test output
    var o = VideoWriterOptions(codec: codec, width: width, height: height, fps: fps)
    o.gop = gop
    o.bFrames = bFrames
    o.audio = audio
    o.container = container
    switch codec {
    case "libx264": o.encoderOptions = ["preset": "veryfast"]
    case "libvpx-vp9": o.encoderOptions = ["deadline": "realtime", "cpu-used": "8"]
    default: break
    }
    try VideoWriter.write(path: path, options: o, frameCount: frames) { i, plane in
      fill(i, &plane, width: width, height: height)
    }
  }

  /// `seconds` of a stereo 44100 Hz test signal (a different sawtooth per channel, peak 16000,
  /// below moviepy's clip), the rate and layout vframes' audio extraction writes.
  public static func stereoTone(seconds: Double) -> PCMTrack {
    let n = Int(44100 * seconds)
    var s = [Int16](repeating: 0, count: 2 * n)
    for k in 0..<n {
      s[2 * k] = Int16((k * 320) % 32000 - 16000)
      s[2 * k + 1] = Int16(16000 - (k * 130) % 32000)
    }
    return PCMTrack(sampleRate: 44100, channels: 2, samples: s)
  }

  /// The index a frame image shows, read from the centre of each block.
  public static func read(_ image: LumaImage) -> Int {
    let bw = image.width / cols
    let bh = image.height / rows
    var v = 0
    for bit in 0..<(cols * rows) {
      let bx = bit % cols
      let by = bit / cols
      let m = image.mean(x: bx * bw + bw / 4, y: by * bh + bh / 4, width: bw / 2, height: bh / 2)
      if m > 128 { v |= 1 << bit }
    }
    return v
  }

  /// The index shown by a JPEG file.
  public static func read(file: String) throws -> Int {
    try read(StillImage.luma(path: file))
  }

  /// Writes a folder of numbered JPEGs (`00001.jpg` ...), frame n (1-based) showing n.
  public static func makeFolder(_ dir: String, count: Int) throws {
    for n in 1...count {
      try make("\(dir)/\(zeroPad(n)).jpg", codec: "mjpeg", frames: 1, fps: 1, gop: 1) { _ in n }
    }
  }

  private static func make(_ path: String, codec: String, frames: Int, fps: Int, gop: Int, value: (Int) -> Int) throws {
    var o = VideoWriterOptions(codec: codec, width: width, height: height, fps: fps)
    o.gop = gop
    try VideoWriter.write(path: path, options: o, frameCount: frames) { i, plane in fill(value(i), &plane) }
  }

  static func zeroPad(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 5 - s.count)) + s
  }
}
