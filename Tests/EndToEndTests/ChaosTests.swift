import Foundation
import Testing
import VCore
import VTestSupport

/// The whole pipeline (pipelines/Makefile) under a server failing 30% of requests (429 with
/// Retry-After, 500, 503, dropped connections, stalls), with `make` killed by SIGKILL at random
/// moments and restarted until done, and a second vframes racing the first on the same frame
/// cache. At the end: every question answered exactly once, every JPEG whole, no temporary file
/// left, and the result table equal to a fault-free run's.
@Suite(.serialized) struct ChaosTests {
  let root = FakeServer.repoRoot

  /// Starts `/bin/sh -c script` as the leader of a new process group (so the whole run can be
  /// killed at once); stdout and stderr are appended to `log`.
  func spawnGroup(_ script: String, cwd: String, log: String, env: [String: String]) -> pid_t {
    ToolRunner.spawnShell("cd '\(cwd)' && exec < /dev/null >> '\(log)' 2>&1 && exec " + script, env: env, newProcessGroup: true)
  }

  func wait(_ pid: pid_t) -> Int32 { ToolRunner.waitExit(pid) }

  func makeCommand(_ d: TempDir, work: String, lmu: String, server: FakeServer) -> String {
    [
      "make", "--no-print-directory", "-f", "\(root)/pipelines/Makefile", "BIN=\(ToolRunner.binDir)", "PRESETS=Toy",
      "LMUData=\(d.file(lmu))", "WORK=\(d.file(work))", "MODEL=test-model", "API_BASE=\(server.url)", "SHARDS=2",
      "VINFER_ARGS='--backoff 0.01 --timeout 1.5 -j 4'", "TSV_Toy=\(d.file("Toy.tsv"))",
      "FRAMES_Toy='--nframe 4 --dataset Toy --video-root \(d.file("videos")) --video-ext .mp4'",
      "PROMPT_Toy='--template mvbench'", "SCORE_Toy='--dataset Toy --rules mvbench'",
    ].joined(separator: " ")
  }

  func files(under dir: String) -> [String] {
    ((try? FileManager.default.subpathsOfDirectory(atPath: dir)) ?? []).map { dir + "/" + $0 }
  }

  @Test func killedRestartedAndFaultedTheRunEndsLikeAFaultFreeOne() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("videos"), withIntermediateDirectories: true)
    for i in 0..<6 { try BarcodeVideo.make(d.file("videos/v\(i).mp4"), codec: "libx264", frames: 90, gop: 15, bFrames: 2) }
    var tsv = "index\tvideo\tquestion\tanswer\tcandidates\tcategory\n"
    for i in 0..<12 { tsv += "\(i)\tv\(i % 6)\tWhat is shown?\t\(["a", "b", "c"][i % 3])\t['a', 'b', 'c']\tc\(i % 2)\n" }
    d.write("Toy.tsv", tsv)
    // $LMUData counts only when it exists (VLMEvalKit's rule).
    for dir in ["lmu", "lmu-ref"] { try FileManager.default.createDirectory(atPath: d.file(dir), withIntermediateDirectories: true) }

    // The fault-free reference.
    let clean = try FakeServer()
    let ref = spawnGroup(makeCommand(d, work: "ref", lmu: "lmu-ref", server: clean), cwd: d.path, log: d.file("ref.log"), env: [:])
    #expect(wait(ref) == 0, "\(d.read("ref.log"))")

    // The chaos run: faults, a racing vframes, SIGKILLs.
    let faulty = try FakeServer(faultRate: 0.3, seed: 11)
    let racer = spawnGroup(
      "\(ToolRunner.binDir)/vframes --nframe 4 --dataset Toy --video-root \(d.file("videos")) --video-ext .mp4 --progress never \(d.file("Toy.tsv")) > /dev/null",
      cwd: d.path, log: d.file("racer.log"), env: ["LMUData": d.file("lmu")])
    var rng = SplitMix(seed: 2026)
    var kills = 0
    var finished = false
    for attempt in 0..<40 {
      let pid = spawnGroup(makeCommand(d, work: "chaos", lmu: "lmu", server: faulty), cwd: d.path, log: d.file("chaos.log"), env: [:])
      if attempt < 16 {
        usleep(UInt32(10_000 + rng.next() % 400_000))
        // Count the kills that hit a run still going.
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
          kill(-pid, SIGKILL)
          kills += 1
        } else {
          if ToolRunner.exitStatus(status) == 0 {
            finished = true
            break
          }
          continue
        }
      }
      let status = wait(pid)
      if status == 0 {
        finished = true
        break
      }
    }
    #expect(wait(racer) == 0, "\(d.read("racer.log"))")
    #expect(finished, "make never completed: \(d.read("chaos.log").suffix(3000))")
    #expect(kills >= 6)

    // Every question answered exactly once (failed attempts may be logged; one success each).
    var successes: [String: Int] = [:]
    for f in files(under: d.file("chaos/Toy/test-model")) where f.hasSuffix(".jsonl") && f.contains("/answers.") {
      for line in d.read(String(f.dropFirst(d.path.count + 1))).split(separator: "\n") {
        guard let o = try? JSONParser.parse(String(line)).objectValue, let id = o["id"]?.stringValue else { continue }
        if o["error"] == nil { successes[id, default: 0] += 1 }
      }
    }
    #expect(successes.count == 12 && successes.values.allSatisfy { $0 == 1 }, "\(successes)")
    // Every JPEG whole; no temporary file anywhere.
    let cache = files(under: d.file("lmu"))
    let jpegs = cache.filter { $0.hasSuffix(".jpg") }
    #expect(jpegs.count == 24)
    for j in jpegs {
      let b = try FileIO.readFile(j)
      #expect(b.starts(with: [0xFF, 0xD8]) && b.suffix(2).elementsEqual([0xFF, 0xD9]), "torn JPEG \(j)")
    }
    let temps = (cache + files(under: d.file("chaos"))).filter { $0.hasSuffix(".tmp") || $0.hasSuffix(".new") }
    #expect(temps.isEmpty, "\(temps)")
    // The same table as the fault-free run.
    let tables = try ToolRunner.sh(
      "vmerge chaos/Toy/test-model/answers.*.jsonl --meta Toy.tsv -o chaos.tsv && vmerge ref/Toy/test-model/answers.*.jsonl --meta Toy.tsv -o ref.tsv",
      cwd: d.path)
    #expect(tables.status == 0, "\(tables)")
    #expect(d.read("chaos.tsv") == d.read("ref.tsv"))
    #expect(d.read("chaos/Toy/test-model/scores.txt") == d.read("ref/Toy/test-model/scores.txt"))
  }
}

/// A small seeded generator (the test's kill moments are reproducible).
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt32 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return UInt32(truncatingIfNeeded: z ^ (z >> 31))
  }
}
