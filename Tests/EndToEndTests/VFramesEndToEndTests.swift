import Foundation
import Testing
import VCore
import VMedia
import VTestSupport

/// Runs the built `vframes` binary on generated media.
@Suite(.serialized) struct VFramesEndToEndTests {
  func parse(_ line: String) throws -> JSONObject {
    try #require(try JSONParser.parse(line).objectValue)
  }

  func shown(_ rec: JSONObject) throws -> [Int] {
    try (rec["frames"]?.arrayValue ?? []).map { try BarcodeVideo.read(file: $0.stringValue ?? "") }
  }

  @Test func rowsInOrderSharedVideosAndErrorRecords() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("a.mp4"), codec: "libx264", frames: 120, gop: 30, bFrames: 2)
    try BarcodeVideo.make(d.file("b.webm"), codec: "libvpx-vp9", frames: 45, gop: 15)
    d.write("data.tsv", "index\tvideo\tquestion\n10\ta.mp4\tfirst\n11\tmissing.mp4\tsecond\n12\tb.webm\tthird\n13\ta.mp4\t\"multi\nline\"\n")
    let r = try ToolRunner.run("vframes", ["--nframe", "8", "--frame-root", d.file("cache"), "--video-root", d.path, d.file("data.tsv")])
    #expect(r.status == 1, "\(r)")
    #expect(r.lines.count == 4)
    let recs = try r.lines.map(parse)
    #expect(recs.map { $0["id"]?.stringValue } == ["10", "11", "12", "13"])
    #expect(try shown(recs[0]) == FrameIndexFormula.uniform(frameCount: 120, nframe: 8))
    #expect(try shown(recs[2]) == FrameIndexFormula.uniform(frameCount: 45, nframe: 8))
    #expect(recs[3]["frames"] == recs[0]["frames"])
    #expect(recs[3]["question"] == .string("multi\nline"))
    #expect(recs[1]["error"]?.objectValue?["code"] == .string("video_missing"))
    #expect(recs[1]["error"]?.objectValue?["stage"] == .string("vframes"))
    #expect(recs[0]["video_info"]?.objectValue?["n_frames"] == .int(120))
    #expect(recs[0]["frames"]?.arrayValue?.first?.stringValue?.hasSuffix("/cache/custom/a.mp4/frame-1-of-8.jpg") == true)
    #expect(r.stderr.contains("vframes: error:") && r.stderr.contains("missing.mp4"))
    #expect(r.stderr.contains("1 of 4 rows failed") || r.stderr.contains("rows failed"))
  }

  @Test func secondRunDecodesNothingAndGivesTheSameRecords() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 90, gop: 30, bFrames: 2)
    d.write("in.jsonl", "{\"id\":\"q1\",\"video\":\"v.mp4\"}\n{\"id\":\"q2\",\"video\":\"v.mp4\"}\n")
    let args = ["--fps", "1", "--frame-root", d.file("c"), "--video-root", d.path, "--stats", d.file("in.jsonl")]
    let first = try ToolRunner.run("vframes", args)
    #expect(first.status == 0, "\(first)")
    #expect(first.stderr.contains("decoded, frames=3"))
    let frame = d.file("c/custom/v.mp4/frame-1-of-3-1.0fps.jpg")
    let before = FileIO.fileKind(frame)
    let second = try ToolRunner.run("vframes", args)
    #expect(second.status == 0)
    #expect(second.stdout == first.stdout)
    #expect(second.stderr.contains("cached (not opened)"))
    #expect(second.stderr.contains("decoded=0"))
    #expect(FileIO.fileKind(frame) == before)
    #expect(try shown(parse(second.lines[0])) == [0, 30, 60])
  }

  @Test func headClosingThePipeExitsZeroQuietly() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 30, gop: 30)
    var tsv = "index\tvideo\n"
    for i in 0..<5000 { tsv += "\(i)\tv.mp4\n" }
    d.write("big.tsv", tsv)
    let r = try ToolRunner.shell(
      [
        "/bin/bash", "-c",
        "set -o pipefail; '\(ToolRunner.binDir)/vframes' --nframe 4 --frame-root c --video-root . big.tsv | head -1 >/dev/null",
      ], cwd: d.path)
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.isEmpty, "\(r)")
  }

  @Test func exitStatuses() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 30, gop: 30)
    let usage = try ToolRunner.run("vframes", ["--nframe", "8", "--fps", "1"])
    #expect(usage.status == 64)
    #expect(usage.stderr.contains("--nframe and --fps"))
    let missing = try ToolRunner.run("vframes", ["--nframe", "8", d.file("nope.tsv")])
    #expect(missing.status == 66)
    #expect(missing.stderr.hasPrefix("vframes: error: cannot read"))
    d.write("bad.jsonl", "{\"id\":\"1\",\"video\":\"v.mp4\"}\n{\"id\":\"2\",\"video\":\n\"not an object\"\n{\"id\":\"3\",\"video\":\"v.mp4\"}\n")
    let bad = try ToolRunner.run("vframes", ["--nframe", "2", "--frame-root", d.file("c"), "--video-root", d.path, d.file("bad.jsonl")])
    #expect(bad.status == 65, "\(bad)")
    #expect(bad.lines.count == 2)
    #expect(bad.stderr.contains("vframes: \(d.file("bad.jsonl")):2: error: invalid JSON"))
    #expect(bad.stderr.contains(":3: error: expected a JSON object, found string"))
  }

  @Test func resizeAreaResizesMarksTheFolderAndTheRecord() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("wide.mp4"), codec: "libx264", frames: 40, gop: 20, width: 640, height: 360)
    try BarcodeVideo.make(d.file("square.mp4"), codec: "libx264", frames: 20, gop: 20, width: 448, height: 448)
    d.write("in.tsv", "index\tvideo\n1\twide.mp4\n2\tsquare.mp4\n")
    let r = try ToolRunner.run(
      "vframes", ["--nframe", "3", "--resize-area", "200704", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")])
    #expect(r.status == 0, "\(r)")
    let recs = try r.lines.map(parse)
    #expect(recs.count == 2)
    for (rec, size) in zip(recs, [(592, 336), (448, 448)]) {
      #expect(rec["sampling"]?.objectValue?["resize_area"] == .int(200_704))
      let frames = rec["frames"]?.arrayValue?.compactMap(\.stringValue) ?? []
      #expect(frames.count == 3 && frames.allSatisfy { $0.contains(".mp4@r200704/") }, "\(frames)")
      for f in frames {
        let img = try StillImage.luma(path: f)
        #expect(img.width == size.0 && img.height == size.1, "\(f): \(img.width)x\(img.height)")
      }
    }
    // The resized frames still show the sampled frames.
    #expect(try shown(recs[0]) == FrameIndexFormula.uniform(frameCount: 40, nframe: 3))
    let plain = try ToolRunner.run("vframes", ["--nframe", "3", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")])
    #expect(try parse(plain.lines[0])["sampling"]?.objectValue?["resize_area"] == nil)
  }

  @Test func resizeAreaUsageErrors() throws {
    let both = try ToolRunner.run("vframes", ["--nframe", "8", "--resize-area", "200704", "--max-side", "512"])
    #expect(both.status == 64, "\(both)")
    #expect(both.stderr.contains("--max-side and --resize-area"))
    let tiny = try ToolRunner.run("vframes", ["--nframe", "8", "--resize-area", "10"])
    #expect(tiny.status == 64, "\(tiny)")
    #expect(tiny.stderr.contains("--resize-area must be"))
  }

  @Test func badMediaGivesErrorRecordsAndTheRestGoesOn() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("good.mp4"), codec: "libx264", frames: 60, gop: 30)
    let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: d.file("good.mp4"))))
    d.write("empty.mp4", "")
    d.write("text.mp4", "this is not a video\n")
    d.write("trunc.mp4", bytes: Array(good.prefix(good.count / 3)))
    var rng = SystemRandomNumberGenerator()
    d.write("random.mp4", bytes: (0..<20000).map { _ in UInt8.random(in: 0...255, using: &rng) })
    try FileManager.default.createDirectory(atPath: d.file("emptydir"), withIntermediateDirectories: true)
    mkfifo(d.file("fifo.mp4"), 0o644)
    let names = ["good.mp4", "empty.mp4", "text.mp4", "trunc.mp4", "random.mp4", "emptydir", "fifo.mp4", "good.mp4"]
    d.write("in.tsv", "index\tvideo\n" + names.enumerated().map { "\($0.offset)\t\($0.element)" }.joined(separator: "\n") + "\n")
    let r = try ToolRunner.run(
      "vframes", ["--nframe", "4", "--frame-root", d.file("c"), "--video-root", d.path, "--timeout", "20", d.file("in.tsv")])
    #expect(r.status == 1, "\(r)")
    let recs = try r.lines.map(parse)
    #expect(recs.count == names.count)
    let codes = recs.map { $0["error"]?.objectValue?["code"]?.stringValue ?? "ok" }
    #expect(codes[0] == "ok" && codes[7] == "ok")
    #expect(codes[1] == "open_failed")
    #expect(codes[2] == "open_failed")
    #expect(["truncated", "open_failed", "decode_failed"].contains(codes[3]), "\(codes[3])")
    // Random bytes now and then probe as some format (FFmpeg guesses from content): whatever
    // FFmpeg makes of them, the record is an error and the run goes on.
    #expect(codes[4] != "ok", "\(recs[4])")
    #expect(codes[5] == "zero_frames")
    #expect(codes[6] == "not_a_file")
    for (i, rec) in recs.enumerated() where codes[i] != "ok" {
      let msg = rec["error"]?.objectValue?["message"]?.stringValue ?? ""
      #expect(msg.contains(names[i]), "message names the file: \(msg)")
    }
    #expect(try shown(recs[0]) == FrameIndexFormula.uniform(frameCount: 60, nframe: 4))
    // No temporary or partial files were left in the cache.
    let leftovers = (FileManager.default.enumerator(atPath: d.file("c"))?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }

  /// `--sampler uniform_tail` from pixels: in fps mode the fps rule's frames, then the video's
  /// last frame (VSI-Bench's N+1), named `frame-I-of-N+1-Ffps.jpg`; in nframe mode linspace.
  @Test func uniformTailAddsTheLastFrameInFPSMode() throws {
    let d = TempDir()
    // 75 frames at 30 fps: 2.5 s, int(2.5 * 2) = 5 fps frames, 0..60 by 15, then frame 74.
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 75, gop: 20, bFrames: 2)
    d.write("in.tsv", "index\tvideo\n0\tv.mp4\n")
    let r = try ToolRunner.run(
      "vframes", ["--fps", "2", "--sampler", "uniform_tail", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")])
    #expect(r.status == 0, "\(r)")
    let rec = try parse(r.lines[0])
    #expect(rec["frame_indices"] == .array([0, 15, 30, 45, 60, 74].map { .int($0) }))
    #expect(try shown(rec) == [0, 15, 30, 45, 60, 74])
    let frames = rec["frames"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(frames.last?.hasSuffix("/c/custom/v.mp4@uniform_tail/frame-6-of-6-2.0fps.jpg") == true, "\(frames)")
    #expect(rec["sampling"]?.objectValue?["method"] == .string("uniform_tail") && rec["sampling"]?.objectValue?["fps"] == .double(2))
    let n = try ToolRunner.run(
      "vframes", ["--nframe", "8", "--sampler", "uniform_tail", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")])
    #expect(n.status == 0, "\(n)")
    #expect(try shown(parse(n.lines[0])) == FrameIndexFormula.linspace(frameCount: 75, nframe: 8))
    // Shorter than 1/fps: the last frame alone, with a warning (VLMEvalKit raises there).
    let s = try ToolRunner.run(
      "vframes", ["--fps", "0.2", "--sampler", "uniform_tail", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")])
    #expect(s.status == 0, "\(s)")
    #expect(try shown(parse(s.lines[0])) == [74])
    #expect(s.stderr.contains("only the last frame is taken"), "\(s.stderr)")
    let bad = try ToolRunner.run("vframes", ["--sampler", "uniform_tail", "--frame-root", d.file("c"), d.file("in.tsv")])
    #expect(bad.status == 64)
  }

  @Test func timeoutStopsAVideo() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 300, gop: 300, bFrames: 3)
    d.write("in.tsv", "index\tvideo\n0\tv.mp4\n")
    let r = try ToolRunner.run(
      "vframes", ["--nframe", "8", "--frame-root", d.file("c"), "--video-root", d.path, "--timeout", "0.000001", d.file("in.tsv")])
    #expect(r.status == 1)
    #expect(r.stdout.contains("\"code\":\"timeout\""), "\(r)")
  }

  @Test func mvbenchFrameFolderAndBoundsKeepCachesApart() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("tvqa/clip1"), withIntermediateDirectories: true)
    try BarcodeVideo.makeFolder(d.file("tvqa/clip1"), count: 40)
    try FileManager.default.createDirectory(atPath: d.file("star"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("star/v.mp4"), codec: "libx264", frames: 300, gop: 60, bFrames: 2)
    d.write(
      "mv.tsv",
      "index\ttask_type\tprefix\tdata_type\tbound\tstart\tend\tvideo\tquestion\n"
        + "0\tEpisodic Reasoning\ttvqa\tframe\tTrue\t1.0\t5.0\tclip1\tq\n"
        + "1\tAction Sequence\tstar\tvideo\tTrue\t2.5\t7.3\tv.mp4\tq\n"
        + "2\tAction Sequence\tstar\tvideo\tFalse\t\t\tv.mp4\tq\n")
    let r = try ToolRunner.run(
      "vframes",
      [
        "--nframe", "8", "--sampler", "mvbench", "--dataset", "MVBench", "--video-dir-field", "prefix",
        "--frame-root", d.file("c"), "--video-root", d.path, d.file("mv.tsv"),
      ])
    #expect(r.status == 0, "\(r)")
    let recs = try r.lines.map(parse)
    #expect(recs[0]["frame_indices"] == .array([3, 5, 6, 7, 9, 11, 12, 13].map { .int($0) }))
    #expect(try shown(recs[0]) == [3, 5, 6, 7, 9, 11, 12, 13])
    #expect(try shown(recs[1]) == [84, 102, 120, 138, 156, 174, 192, 210])
    #expect(try shown(recs[2]) == FrameIndexFormula.mvbench(nframe: 8, fps: 30, maxFrame: 299, firstIndex: 0, bounds: nil))
    let f1 = recs[1]["frames"]?.arrayValue?.first?.stringValue ?? ""
    let f2 = recs[2]["frames"]?.arrayValue?.first?.stringValue ?? ""
    #expect(f1.contains("/MVBench/v.mp4@b2.5-7.3/"))
    #expect(f2.contains("/MVBench/v.mp4/frame-1-of-8.jpg"))
    #expect(recs[1]["sampling"]?.objectValue?["bound"] == .array([.double(2.5), .double(7.3)]))
  }

  @Test func twoProcessesOnOneVideoDecodeItOnceAndNeverTearAFrame() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 900, gop: 300, bFrames: 3, width: 320, height: 192)
    d.write("in.tsv", "index\tvideo\n0\tv.mp4\n")
    let cmd = "'\(ToolRunner.binDir)/vframes' --nframe 64 --stats --frame-root c --video-root . --threads 1 in.tsv"
    let r = try ToolRunner.shell(["/bin/bash", "-c", "(\(cmd) > o1 2> e1 & \(cmd) > o2 2> e2 & wait); cat e1 e2"], cwd: d.path)
    #expect(r.status == 0)
    #expect(d.read("o1") == d.read("o2"))
    let decodedRuns = r.stdout.components(separatedBy: "v.mp4: decoded,").count - 1
    let cachedRuns = r.stdout.components(separatedBy: "v.mp4: cached").count - 1
    #expect(decodedRuns == 1 && cachedRuns == 1, "\(r.stdout)")
    let files = try FileManager.default.contentsOfDirectory(atPath: d.file("c/custom/v.mp4"))
    #expect(files.filter { $0.hasSuffix(".jpg") }.count == 64)
    #expect(files.filter { $0.hasSuffix(".tmp") }.isEmpty)
    let rec = try parse(d.read("o1").split(separator: "\n")[0].description)
    #expect(try shown(rec) == FrameIndexFormula.uniform(frameCount: 900, nframe: 64))
  }
}

@Suite(.serialized) struct VFramesSignalTests {
  @Test func sigintStopsCleanlyWithStatus130() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("v.mp4"), codec: "libx264", frames: 30, gop: 30)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ToolRunner.binDir + "/vframes")
    p.arguments = ["--nframe", "4", "--frame-root", d.file("c"), "--video-root", d.path, "-"]
    let input = Pipe()
    let err = Pipe()
    p.standardInput = input
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    try p.run()
    // One row, then the input stays open: vframes waits for more. The video's sidecar, written
    // after its frames, says the row is done (the 60 s bound only guards against a hang).
    try input.fileHandleForWriting.write(contentsOf: Data("{\"id\":\"1\",\"video\":\"v.mp4\"}\n".utf8))
    let folder = d.file("c/custom/v.mp4")
    func sidecarWritten() -> Bool {
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { $0.hasPrefix(".vtools-") && $0.hasSuffix(".json") }
    }
    var looked = 0
    while !sidecarWritten() && looked < 6000 {
      usleep(10_000)
      looked += 1
    }
    #expect(sidecarWritten(), "vframes wrote no frames")
    p.interrupt()
    // Never hang the suite: give it 20 s, then kill it and fail.
    var waited = 0
    while p.isRunning && waited < 2000 {
      usleep(10_000)
      waited += 1
    }
    if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(p.terminationStatus == 130, "\(stderr)")
    #expect(stderr.contains("vframes: interrupted"))
    let leftovers = (FileManager.default.enumerator(atPath: d.file("c"))?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test func shortVideosRepeatFramesWithAWarning() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("s.mp4"), codec: "libx264", frames: 5, gop: 5)
    d.write("in.tsv", "index\tvideo\n0\ts.mp4\n")
    let r = try ToolRunner.run("vframes", ["--nframe", "8", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")])
    #expect(r.status == 0)
    #expect(r.stderr.contains("fewer than the 8 asked"))
    let rec = try #require(try JSONParser.parse(r.lines[0]).objectValue)
    #expect(rec["frame_indices"] == .array([0, 1, 1, 2, 2, 3, 3, 4].map { .int($0) }))
    let shown = try (rec["frames"]?.arrayValue ?? []).map { try BarcodeVideo.read(file: $0.stringValue ?? "") }
    #expect(shown == [0, 1, 1, 2, 2, 3, 3, 4])
  }
}
