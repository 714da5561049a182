internal import CFFmpeg

/// An 8-bit luma image (for checks of decoded pixels).
public struct LumaImage: Sendable {
  public var width: Int
  public var height: Int
  /// Row-major, `width * height` bytes, full range (0 black, 255 white).
  public var pixels: [UInt8]

  public subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

  /// The mean over a rectangle.
  public func mean(x: Int, y: Int, width w: Int, height h: Int) -> Double {
    var sum = 0
    for yy in y..<(y + h) {
      for xx in x..<(x + w) { sum += Int(self[xx, yy]) }
    }
    return Double(sum) / Double(w * h)
  }
}

/// Single images (JPEG, PNG, ...) read with libavformat/libavcodec.
public enum StillImage {
  private static func decodeFirstFrame(path: String, deadline: Double?, body: (Frame) throws(MediaError) -> Void) throws(MediaError) {
    let input = try MediaInput(path: path, deadline: deadline, timeoutSeconds: nil)
    let decoder = try VideoDecoder(input: input, threads: 1)
    let frame = try Frame()
    while try input.readVideoPacket() {
      let accepted = try decoder.send(input.packet)
      av_packet_unref(input.packet)
      if accepted, try decoder.receive(into: frame) {
        try body(frame)
        return
      }
    }
    try decoder.send(nil)
    if try decoder.receive(into: frame) {
      try body(frame)
      return
    }
    throw MediaError(code: .decodeFailed, message: "\(path): cannot decode the image")
  }

  /// Re-encodes an image file as JPEG (as PIL's `Image.open(p).save(q.jpg)` does for MVBench's
  /// frame folders).
  public static func transcode(path: String, jpeg: JPEGSettings, deadline: Double?) throws(MediaError) -> [UInt8] {
    let encoder = try JPEGEncoder(settings: jpeg)
    var out: [UInt8] = []
    try decodeFirstFrame(path: path, deadline: deadline) { (f) throws(MediaError) in out = try encoder.encode(f) }
    return out
  }

  /// Decodes an image's luma plane (full range).
  public static func luma(path: String) throws(MediaError) -> LumaImage {
    var result = LumaImage(width: 0, height: 0, pixels: [])
    try decodeFirstFrame(path: path, deadline: nil) { (f) throws(MediaError) in
      let p = f.ptr.pointee
      let w = Int(p.width)
      let h = Int(p.height)
      let fmt = AVPixelFormat(rawValue: p.format)
      guard let plane = p.data.0 else {
        throw MediaError(code: .decodeFailed, message: "\(path): no pixel data")
      }
      let full =
        fmt == AV_PIX_FMT_YUVJ420P || fmt == AV_PIX_FMT_YUVJ422P || fmt == AV_PIX_FMT_YUVJ444P
        || fmt == AV_PIX_FMT_GRAY8 || p.color_range == AVCOL_RANGE_JPEG
      let isYUV = full || fmt == AV_PIX_FMT_YUV420P || fmt == AV_PIX_FMT_YUV422P || fmt == AV_PIX_FMT_YUV444P
      guard isYUV else {
        throw MediaError(code: .decodeFailed, message: "\(path): unsupported pixel format for luma read")
      }
      var pixels = [UInt8](repeating: 0, count: w * h)
      for y in 0..<h {
        let row = plane + y * Int(p.linesize.0)
        for x in 0..<w {
          let v = Int(row[x])
          pixels[y * w + x] = full ? UInt8(v) : UInt8(max(0, min(255, ((v - 16) * 255 + 109) / 219)))
        }
      }
      result = LumaImage(width: w, height: h, pixels: pixels)
    }
    return result
  }
}
