import Synchronization
import Testing
import VCore
import VMedia
import VTestSupport

/// Generated videos whose frames show their own index; extraction must return exactly the
/// intended frames, read back from the JPEG pixels.
@Suite(.serialized) struct ExactFramesTests {
  struct Case: Sendable, CustomStringConvertible {
    var file: String
    var codec: String
    var frames: Int
    var gop: Int
    var bFrames: Int
    var description: String { "\(codec) \(file) gop=\(gop) b=\(bFrames)" }
  }

  static let cases: [Case] = [
    Case(file: "h264_bframes.mp4", codec: "libx264", frames: 240, gop: 50, bFrames: 3),
    Case(file: "h264.mkv", codec: "libx264", frames: 150, gop: 30, bFrames: 2),
    Case(file: "mpeg4_bframes.avi", codec: "mpeg4", frames: 150, gop: 25, bFrames: 2),
    Case(file: "mpeg4.mp4", codec: "mpeg4", frames: 120, gop: 12, bFrames: 0),
    Case(file: "mjpeg.avi", codec: "mjpeg", frames: 60, gop: 1, bFrames: 0),
    Case(file: "vp9.webm", codec: "libvpx-vp9", frames: 90, gop: 30, bFrames: 0),
  ]

  /// Extracts `frames` and returns the index each JPEG shows, plus the stats.
  func extract(_ path: String, _ frames: [Int], workers: Int = 1, threads: Int = 1, skip: Bool = true) throws -> ([Int], DecodeStats) {
    var o = DecodeOptions()
    o.workers = workers
    o.threadsPerWorker = threads
    o.skipNonReference = skip
    let src = try VideoSource(path: path, options: o)
    let out = Mutex<[Int: [UInt8]]>([:])
    let stats = try src.extract(frames: frames, jpeg: JPEGSettings(), options: o) { k, bytes in
      out.withLock { $0[k] = bytes }
    }
    let dir = TempDir()
    var shown: [Int] = []
    for k in frames.indices {
      let bytes = try #require(out.withLock { $0[k] })
      #expect(bytes.starts(with: [0xFF, 0xD8]))
      let p = dir.write("f\(k).jpg", bytes: bytes)
      shown.append(try BarcodeVideo.read(file: p))
    }
    return (shown, stats)
  }

  @Test(arguments: cases)
  func everySamplerGivesTheIntendedFrames(_ c: Case) throws {
    let dir = TempDir()
    let path = dir.file(c.file)
    try BarcodeVideo.make(path, codec: c.codec, frames: c.frames, fps: 30, gop: c.gop, bFrames: c.bFrames)
    let src = try VideoSource(path: path, options: DecodeOptions())
    #expect(src.info.frameCount == c.frames)
    #expect(abs(src.info.avgFPS - 30) < 0.01)
    let n = c.frames
    let specs: [[Int]] = [
      FrameIndexFormula.uniform(frameCount: n, nframe: 8),
      FrameIndexFormula.uniform(frameCount: n, nframe: 64),
      FrameIndexFormula.fps(frameCount: n, avgFPS: src.info.avgFPS, fps: 1),
      FrameIndexFormula.mvbench(nframe: 8, fps: src.info.avgFPS, maxFrame: n - 1, firstIndex: 0, bounds: nil),
      FrameIndexFormula.mvbench(nframe: 8, fps: src.info.avgFPS, maxFrame: n - 1, firstIndex: 0, bounds: ClipBounds(start: 0.5, end: 2.5)),
      FrameIndexFormula.linspace(frameCount: n, nframe: 8),
      [n - 1, 0, n / 2, n / 2],  // unsorted, repeated, first and last
    ]
    for want in specs {
      for (workers, skip) in [(1, true), (2, true), (1, false)] {
        let (got, stats) = try extract(path, want, workers: workers, threads: 2, skip: skip)
        #expect(got == want, "\(c) workers=\(workers) skip=\(skip)")
        #expect(stats.framesDecoded <= stats.minimumFrames, "\(c): decoded \(stats.framesDecoded) > minimum \(stats.minimumFrames)")
        if !skip && !stats.sequential && c.codec != "mpeg4" {
          // Closed GOPs: every fed packet decodes. (MPEG-4 part 2 GOPs are open: leading
          // B-frames after a seek cannot be decoded and are dropped by the decoder.)
          #expect(stats.framesDecoded == stats.minimumFrames)
        }
      }
    }
  }

  @Test func fullRangeOutput() throws {
    // Black must come out as ~0 and white as ~255 (limited-range video expanded to JPEG's range).
    let dir = TempDir()
    let path = dir.file("r.mp4")
    try BarcodeVideo.make(path, codec: "libx264", frames: 10, gop: 10)
    let src = try VideoSource(path: path, options: DecodeOptions())
    let out = Mutex<[UInt8]>([])
    _ = try src.extract(frames: [5], jpeg: JPEGSettings(), options: DecodeOptions()) { _, b in out.withLock { $0 = b } }
    let img = try StillImage.luma(path: dir.write("x.jpg", bytes: out.withLock { $0 }))
    // Frame 5 = bits 0 and 2 set: block 0 white, block 1 black.
    #expect(img.mean(x: 10, y: 10, width: 20, height: 12) > 247)
    #expect(img.mean(x: 50, y: 10, width: 20, height: 12) < 8)
  }

  @Test func maxSideShrinksAndOddSizesWork() throws {
    let dir = TempDir()
    let path = dir.file("odd.avi")
    try BarcodeVideo.make(path, codec: "mjpeg", frames: 5, gop: 1, width: 161, height: 97)
    let src = try VideoSource(path: path, options: DecodeOptions())
    #expect(src.info.width == 161 && src.info.height == 97)
    let out = Mutex<[Int: [UInt8]]>([:])
    _ = try src.extract(frames: [3], jpeg: JPEGSettings(quality: 90, maxSide: 80), options: DecodeOptions()) { k, b in out.withLock { $0[k] = b } }
    let img = try StillImage.luma(path: dir.write("x.jpg", bytes: out.withLock { $0[0]! }))
    #expect(img.width == 80 && img.height == 48)
    #expect(BarcodeVideo.read(img) == 3)
    #expect(JPEGSettings(maxSide: 0).outputSize(width: 161, height: 97) == (161, 97))
  }

  @Test func qualityChangesTheQuantisationTables() throws {
    let dir = TempDir()
    let path = dir.file("q.mp4")
    // Textured content, so quantisation shows in the size.
    var o = VideoWriterOptions(codec: "libx264", width: 160, height: 96, fps: 30)
    o.encoderOptions = ["crf": "1"]
    try VideoWriter.write(path: path, options: o, frameCount: 3) { i, plane in
      var x: UInt32 = 12345 &+ UInt32(i)
      for k in plane.indices {
        x = x &* 1_103_515_245 &+ 12345
        plane[k] = UInt8(truncatingIfNeeded: x >> 16)
      }
    }
    var sizes: [Int] = []
    for q in [20, 75, 95] {
      let src = try VideoSource(path: path, options: DecodeOptions())
      let out = Mutex(0)
      _ = try src.extract(frames: [1], jpeg: JPEGSettings(quality: q), options: DecodeOptions()) { _, b in out.withLock { $0 = b.count } }
      sizes.append(out.withLock { $0 })
    }
    #expect(sizes[0] < sizes[1] && sizes[1] < sizes[2])
  }
}
