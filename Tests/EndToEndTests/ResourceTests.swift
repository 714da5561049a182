import Foundation
import Testing
import VCore
import VTestSupport

/// Resource bounds (documented in the README's reliability section): peak memory of vframes on
/// a 4K video and of vmerge on a large run, and no growth of memory or open files with the
/// length of a run. Peak RSS is the tool's VmHWM (its high-water mark, read from /proc while it
/// runs: rusage's maxrss would include the test process's own memory, inherited at fork); open
/// files are sampled from /proc/PID/fd.
@Suite(
  .serialized,
  .disabled(if: ProcessInfo.processInfo.environment["VTOOLS_SANITIZER"] != nil, "sanitizers change memory use (make sanitize)"))
struct ResourceTests {
  struct Usage {
    var status: Int32
    var maxRSSMiB: Double
    var maxFDs: Int
  }

  /// Open files of `pid` that are not also open in this test process: the child inherits the
  /// descriptors other tests running alongside have open, which are not its own.
  func ownFiles(_ pid: pid_t) -> Int {
    func targets(_ dir: String) -> [String] {
      (FileIO.directoryEntries(dir) ?? []).compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + $0) }
    }
    let mine = Set(targets("/proc/self/fd"))
    return targets("/proc/\(pid)/fd").filter { !mine.contains($0) || $0.hasPrefix("/dev/") }.count
  }

  func measure(_ tool: String, _ args: [String], cwd: String, stdin: String? = nil) -> Usage {
    let out = cwd + "/.measure.out"
    var script =
      "cd '\(cwd)' && exec '\(ToolRunner.binDir)/\(tool)' " + args.map { "'\($0)'" }.joined(separator: " ") + " > '\(out)' 2>> '\(cwd)/.measure.err'"
    if let stdin { script += " < '\(stdin)'" }
    let pid = ToolRunner.spawnShell(script)
    guard pid > 0 else { return Usage(status: -1, maxRSSMiB: 0, maxFDs: 0) }
    var maxFDs = 0
    var hwmKiB = 0
    var status: Int32 = 0
    while true {
      if let text = try? FileIO.readFile("/proc/\(pid)/status"),
        let line = String(decoding: text, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
      {
        hwmKiB = max(hwmKiB, kib)
      }
      maxFDs = max(maxFDs, ownFiles(pid))
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { break }
      usleep(2_000)
    }
    return Usage(status: ToolRunner.exitStatus(status), maxRSSMiB: Double(hwmKiB) / 1024, maxFDs: maxFDs)
  }

  @Test func vframesOnA4KVideoStaysUnder512MiB() throws {
    let d = TempDir()
    try BarcodeVideo.make(d.file("4k.mp4"), codec: "libx264", frames: 60, gop: 30, bFrames: 2, width: 3840, height: 2160)
    d.write("in.tsv", "index\tvideo\n0\t4k.mp4\n")
    let u = measure("vframes", ["--nframe", "8", "-j", "2", "--frame-root", d.file("c"), "--video-root", d.path, d.file("in.tsv")], cwd: d.path)
    #expect(u.status == 0, "\(d.read(".measure.err"))")
    #expect(u.maxRSSMiB < 512, "peak \(u.maxRSSMiB) MiB")
    print("resource: vframes 4K nframe 8 -j 2: peak \(Int(u.maxRSSMiB)) MiB, \(u.maxFDs) open files")
  }

  @Test func vmergeOf100kRowsStaysUnder256MiB() throws {
    let d = TempDir()
    var meta = "index\tvideo\tquestion\tanswer\tcandidates\n"
    var shards = Array(repeating: "", count: 4)
    for i in 0..<100_000 {
      meta += "\(i)\tvideo_\(i / 10)\tWhat happens in the clip number \(i)?\tB\t['a', 'b', 'c', 'd']\n"
      shards[i % 4] += #"{"id":"\#(i)","prediction":"The answer is B because the person walks to the left","inference":{"model":"m"}}"# + "\n"
    }
    d.write("m.tsv", meta)
    for (k, s) in shards.enumerated() { d.write("a.\(k).jsonl", s) }
    let u = measure("vmerge", ["a.0.jsonl", "a.1.jsonl", "a.2.jsonl", "a.3.jsonl", "--meta", "m.tsv", "-o", d.file("out.xlsx")], cwd: d.path)
    #expect(u.status == 0, "\(d.read(".measure.err"))")
    #expect(u.maxRSSMiB < 256, "peak \(u.maxRSSMiB) MiB")
    print("resource: vmerge 100k rows -> xlsx: peak \(Int(u.maxRSSMiB)) MiB")
  }

  /// Six times the videos: about the same peak memory and the same number of open files.
  @Test func longRunsDoNotGrow() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("v"), withIntermediateDirectories: true)
    for i in 0..<60 { try BarcodeVideo.make(d.file("v/\(i).mp4"), codec: "libx264", frames: 40, gop: 10, bFrames: 1) }
    var results: [Usage] = []
    for n in [10, 60] {
      d.write("in\(n).tsv", "index\tvideo\n" + (0..<n).map { "\($0)\t\($0).mp4" }.joined(separator: "\n") + "\n")
      let u = measure(
        "vframes", ["--nframe", "8", "-j", "2", "--frame-root", d.file("c\(n)"), "--video-root", d.file("v"), d.file("in\(n).tsv")], cwd: d.path)
      #expect(u.status == 0, "\(d.read(".measure.err"))")
      results.append(u)
    }
    #expect(results[1].maxRSSMiB < results[0].maxRSSMiB * 1.25, "\(results.map(\.maxRSSMiB))")
    #expect(results[1].maxFDs <= results[0].maxFDs + 4, "open files \(results.map(\.maxFDs))")
    print("resource: vframes 10 vs 60 videos: peak \(results.map { Int($0.maxRSSMiB) }) MiB, open files \(results.map(\.maxFDs))")

    // vinfer: 5x the requests against the loopback server, 16 in flight.
    let server = try FakeServer()
    var usages: [Usage] = []
    for n in [200, 1000] {
      d.write(
        "p\(n).jsonl", (0..<n).map { #"{"id":"\#($0)","messages":[{"type":"text","value":"question \#($0)"}]}"# }.joined(separator: "\n") + "\n")
      let u = measure("vinfer", ["--api-base", server.url, "--model", "m", "-j", "16", d.file("p\(n).jsonl")], cwd: d.path)
      #expect(u.status == 0, "\(d.read(".measure.err"))")
      usages.append(u)
    }
    #expect(usages[1].maxRSSMiB < usages[0].maxRSSMiB * 1.25, "\(usages.map(\.maxRSSMiB))")
    #expect(usages[1].maxFDs <= usages[0].maxFDs + 4 && usages[1].maxFDs < 64, "open files \(usages.map(\.maxFDs))")
    print("resource: vinfer 200 vs 1000 requests (-j 16): peak \(usages.map { Int($0.maxRSSMiB) }) MiB, open files \(usages.map(\.maxFDs))")
  }
}
