import Foundation

/// Resizes packed 8-bit RGB images exactly as Pillow's `Image.resize(size, Image.LANCZOS)` does
/// (libImaging's `Resample.c`, Pillow 13.0.0): a separable convolution with a Lanczos-3 window
/// widened by the downscale factor, coefficients normalised to sum 1 and turned into 22-bit fixed
/// point, two passes with the intermediate image clipped to 8 bits. The pass order is Pillow
/// 13's: vertical first when the height shrinks by more than twice as many pixels as the width,
/// else horizontal first, over only the source rows the vertical pass reads (Pillow 12 and
/// older always go horizontal first). Coefficients are computed once per (source, target) size;
/// the inner loops are integer only. Immutable, so one resampler can serve several threads.
public struct LanczosResampler: Sendable {
  public let sourceWidth: Int
  public let sourceHeight: Int
  public let width: Int
  public let height: Int
  private let horizontal: ResampleAxis
  private let vertical: ResampleAxis

  /// A resampler from `sourceWidth` x `sourceHeight` to `width` x `height` (all at least 1).
  public init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
    precondition(sourceWidth > 0 && sourceHeight > 0 && width > 0 && height > 0, "LanczosResampler needs positive sizes")
    self.sourceWidth = sourceWidth
    self.sourceHeight = sourceHeight
    self.width = width
    self.height = height
    horizontal = ResampleAxis(inSize: sourceWidth, outSize: width)
    vertical = ResampleAxis(inSize: sourceHeight, outSize: height)
  }

  /// Resizes `source` (`sourceWidth * sourceHeight * 3` bytes, rows packed, RGB) into a packed
  /// `width * height * 3` buffer. The same size gives a copy, as Pillow does.
  public func resample(_ source: [UInt8]) -> [UInt8] {
    precondition(source.count == sourceWidth * sourceHeight * 3, "LanczosResampler: the source is not \(sourceWidth)x\(sourceHeight) RGB")
    let needH = width != sourceWidth
    let needV = height != sourceHeight
    if !needH && !needV { return source }
    if !needH { return Self.verticalPass(source, width: width, axis: vertical, rowShift: 0) }
    if verticalFirst {
      let temp = Self.verticalPass(source, width: sourceWidth, axis: vertical, rowShift: 0)
      return Self.horizontalPass(temp, sourceWidth: sourceWidth, rows: 0..<height, axis: horizontal)
    }
    // Only the source rows the vertical pass reads are resampled horizontally.
    let firstRow = needV ? vertical.first[0] : 0
    let lastRow = needV ? vertical.first[height - 1] + vertical.count[height - 1] : sourceHeight
    let temp = Self.horizontalPass(source, sourceWidth: sourceWidth, rows: firstRow..<lastRow, axis: horizontal)
    if !needV { return temp }
    return Self.verticalPass(temp, width: width, axis: vertical, rowShift: firstRow)
  }

  /// Pillow 13's order: the vertical pass first when the height loses more than twice as many
  /// pixels as the width (`ImagingResampleInner`'s `horizontal_first`).
  public var verticalFirst: Bool {
    let dy = sourceHeight - height
    return dy > 0 && dy > (sourceWidth - width) * 2
  }

  /// Pillow's `clip8`: the fixed-point sum shifted back, clamped to 0...255.
  @inline(__always) private static func clip8(_ v: Int) -> UInt8 {
    let s = v >> ResampleAxis.precisionBits
    return s <= 0 ? 0 : s >= 255 ? 255 : UInt8(truncatingIfNeeded: s)
  }

  private static func horizontalPass(_ src: [UInt8], sourceWidth: Int, rows: Range<Int>, axis: ResampleAxis) -> [UInt8] {
    let outW = axis.outSize
    let ksize = axis.ksize
    precondition(rows.lowerBound >= 0 && rows.upperBound * sourceWidth * 3 <= src.count, "LanczosResampler: rows outside the source")
    var out = [UInt8](repeating: 0, count: outW * rows.count * 3)
    src.withUnsafeBufferPointer { s in
      out.withUnsafeMutableBufferPointer { o in
        axis.weights.withUnsafeBufferPointer { k in
          for (yy, y) in rows.enumerated() {
            let srcRow = y * sourceWidth * 3
            let outRow = yy * outW * 3
            for xx in 0..<outW {
              let xmin = axis.first[xx]
              let n = axis.count[xx]
              let kOff = xx * ksize
              var s0 = ResampleAxis.half
              var s1 = ResampleAxis.half
              var s2 = ResampleAxis.half
              var p = srcRow + xmin * 3
              for x in 0..<n {
                let w = k[kOff + x]
                s0 += Int(s[p]) * w
                s1 += Int(s[p + 1]) * w
                s2 += Int(s[p + 2]) * w
                p += 3
              }
              let q = outRow + xx * 3
              o[q] = clip8(s0)
              o[q + 1] = clip8(s1)
              o[q + 2] = clip8(s2)
            }
          }
        }
      }
    }
    return out
  }

  /// `src` holds the rows from `rowShift` on, `width` pixels each.
  private static func verticalPass(_ src: [UInt8], width: Int, axis: ResampleAxis, rowShift: Int) -> [UInt8] {
    let outH = axis.outSize
    let ksize = axis.ksize
    let stride = width * 3
    var out = [UInt8](repeating: 0, count: stride * outH)
    src.withUnsafeBufferPointer { s in
      out.withUnsafeMutableBufferPointer { o in
        axis.weights.withUnsafeBufferPointer { k in
          for yy in 0..<outH {
            let ymin = axis.first[yy] - rowShift
            let n = axis.count[yy]
            let kOff = yy * ksize
            precondition(ymin >= 0 && (ymin + n) * stride <= s.count, "LanczosResampler: vertical window outside the rows")
            for b in 0..<stride {
              var acc = ResampleAxis.half
              var p = ymin * stride + b
              for y in 0..<n {
                acc += Int(s[p]) * k[kOff + y]
                p += stride
              }
              o[yy * stride + b] = clip8(acc)
            }
          }
        }
      }
    }
    return out
  }
}

/// The coefficients of one axis (Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc`): for
/// output pixel `i`, `count[i]` weights from input pixel `first[i]` on, at `weights[i * ksize]`.
struct ResampleAxis: Sendable {
  static let precisionBits = 32 - 8 - 2
  /// Rounding: half of one unit of the fixed-point result.
  static let half = 1 << (precisionBits - 1)
  /// Lanczos-3.
  static let support = 3.0

  let outSize: Int
  let ksize: Int
  let first: [Int]
  let count: [Int]
  let weights: [Int]

  static func sinc(_ x: Double) -> Double {
    if x == 0 { return 1 }
    let y = x * Double.pi
    return sin(y) / y
  }

  static func lanczos(_ x: Double) -> Double {
    guard -3.0 <= x && x < 3.0 else { return 0 }
    return sinc(x) * sinc(x / 3)
  }

  init(inSize: Int, outSize: Int) {
    self.outSize = outSize
    let scale = Double(inSize) / Double(outSize)
    let filterScale = max(scale, 1)
    let support = Self.support * filterScale
    let ksize = Int(support.rounded(.up)) * 2 + 1
    self.ksize = ksize
    let unit = Double(1 << Self.precisionBits)
    var first = [Int](repeating: 0, count: outSize)
    var count = [Int](repeating: 0, count: outSize)
    var weights = [Int](repeating: 0, count: outSize * ksize)
    var k = [Double](repeating: 0, count: ksize)
    for i in 0..<outSize {
      let center = (Double(i) + 0.5) * scale
      let inverse = 1.0 / filterScale
      // C's (int) conversion truncates toward zero, as Swift's does.
      let lo = max(0, Int(center - support + 0.5))
      let hi = min(inSize, Int(center + support + 0.5))
      let n = max(0, min(hi - lo, ksize))
      var sum = 0.0
      for x in 0..<n {
        let w = Self.lanczos((Double(x + lo) - center + 0.5) * inverse)
        k[x] = w
        sum += w
      }
      for x in 0..<n {
        let w = sum != 0 ? k[x] / sum : k[x]
        weights[i * ksize + x] = w < 0 ? Int(-0.5 + w * unit) : Int(0.5 + w * unit)
      }
      first[i] = lo
      count[i] = n
    }
    self.first = first
    self.count = count
    self.weights = weights
  }
}
