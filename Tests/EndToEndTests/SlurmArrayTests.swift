import Foundation
import Testing
import VTestSupport

/// pipelines/slurm-array.sh on a real, private single-node Slurm (Debian's slurm-wlm 22.05 and
/// munge, started for the test under a temporary folder): the script is copied to the spool, runs
/// as array tasks, and the dependent merge job runs after them.
@Suite(.serialized, .enabled(if: PrivateSlurm.unavailableReason == nil, "\(PrivateSlurm.unavailableReason ?? "")"))
struct SlurmArrayTests {
  let root = FakeServer.repoRoot

  func dataset(_ d: TempDir, rows: Int) {
    var tsv = "index\tquestion\tcandidates\n"
    var prompts = ""
    for i in 0..<rows {
      tsv += "\(i)\tq\(i)\t['a', 'b', 'c']\n"
      prompts += #"{"id":"\#(i)","candidates":"['a', 'b', 'c']","messages":[{"type":"text","value":"q\#(i)"}]}"# + "\n"
    }
    d.write("m.tsv", tsv)
    d.write("p.jsonl", prompts)
  }

  func oneProcessTable(_ d: TempDir, backend: String) throws -> String {
    let one = try ToolRunner.sh("vinfer \(backend) p.jsonl > all.jsonl && vmerge all.jsonl --meta m.tsv -o one.tsv", cwd: d.path)
    #expect(one.status == 0, "\(one)")
    return d.read("one.tsv")
  }

  @Test func anArrayAndItsMergeGiveOneProcesssTable() throws {
    let slurm = try PrivateSlurm()
    let d = TempDir()
    dataset(d, rows: 12)
    var env = slurm.environment
    env["VTOOLS_BIN_DIR"] = ToolRunner.binDir
    env["SBATCH_OPTS"] = "--output=\(d.path)/task-%A_%a.log"
    let run = try ToolRunner.shell(
      ["/bin/sh", "-c", "\(root)/pipelines/slurm-array.sh -n 3 -o out/ --meta m.tsv p.jsonl -- --backend chance"], cwd: d.path, env: env)
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr.contains("(3 shards)"), "\(run)")
    try slurm.waitForEmptyQueue()
    #expect(FileManager.default.fileExists(atPath: d.file("out/chance_m.xlsx")), "no merged table: \(slurm.log)")
    // SBATCH_OPTS reached sbatch: each task and the merge wrote its log where --output said.
    let logs = (try FileManager.default.contentsOfDirectory(atPath: d.path)).filter { $0.hasPrefix("task-") }
    #expect(logs.count == 4, "\(logs)")
    let arr = try ToolRunner.sh("vmerge out/answers.*.jsonl --meta m.tsv -o arr.tsv", cwd: d.path)
    #expect(arr.status == 0)
    #expect(d.read("arr.tsv") == (try oneProcessTable(d, backend: "--backend chance")))
  }

  @Test func aCancelledTaskResubmittedLosesAndRepeatsNothing() throws {
    let slurm = try PrivateSlurm()
    let server = try FakeServer(latency: 0.2)
    let d = TempDir()
    dataset(d, rows: 24)
    var env = slurm.environment
    env["VTOOLS_BIN_DIR"] = ToolRunner.binDir
    env["SBATCH_OPTS"] = "--output=\(d.path)/task-%A_%a.log"
    let cmd = "\(root)/pipelines/slurm-array.sh -n 2 -o out/ --meta m.tsv p.jsonl -- --api-base \(server.url) --model test-model -j 1"
    let run = try ToolRunner.shell(["/bin/sh", "-c", cmd], cwd: d.path, env: env)
    #expect(run.status == 0, "\(run)")
    // Once shard 1 has answered something, cancel it (the array's task 1).
    try slurm.poll("shard 1's first two answers") { d.read("out/answers.1.jsonl").split(separator: "\n").count >= 2 }
    let job = try slurm.command(["/usr/bin/squeue", "-h", "-r", "-o", "%i", "--name=vinfer"])
    let task1 = job.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix("_1") }
    let cancel = try slurm.command(["/usr/bin/scancel", try #require(task1, "task 1 is not running: \(job)")])
    #expect(cancel.status == 0, "\(cancel)")
    try slurm.waitForEmptyQueue()
    // The merge ran after the array (afterany) and found answers missing; resubmitting resumes.
    let again = try ToolRunner.shell(["/bin/sh", "-c", cmd], cwd: d.path, env: env)
    #expect(again.status == 0, "\(again)")
    try slurm.waitForEmptyQueue()
    #expect(FileManager.default.fileExists(atPath: d.file("out/test-model_m.xlsx")), "no merged table: \(slurm.log)")
    // Every id answered exactly once across the shard logs, none lost.
    var seen: [String: Int] = [:]
    for i in 0..<2 {
      for line in d.read("out/answers.\(i).jsonl").split(separator: "\n") {
        guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["error"] == nil,
          let id = o["id"] as? String
        else { continue }
        seen[id, default: 0] += 1
      }
    }
    #expect(seen.count == 24 && seen.values.allSatisfy { $0 == 1 }, "\(seen)")
  }

  @Test func basesSpreadTheTasksOverTwoServers() throws {
    let slurm = try PrivateSlurm()
    let a = try FakeServer()
    let b = try FakeServer()
    let d = TempDir()
    dataset(d, rows: 12)
    d.write("bases.txt", "\(a.url)\n\(b.url)\n")
    var env = slurm.environment
    env["VTOOLS_BIN_DIR"] = ToolRunner.binDir
    env["SBATCH_OPTS"] = "--output=\(d.path)/task-%A_%a.log"
    let run = try ToolRunner.shell(
      ["/bin/sh", "-c", "\(root)/pipelines/slurm-array.sh -n 2 --bases bases.txt -o out/ --meta m.tsv p.jsonl -- --model test-model"],
      cwd: d.path, env: env)
    #expect(run.status == 0, "\(run)")
    try slurm.waitForEmptyQueue()
    #expect(FileManager.default.fileExists(atPath: d.file("out/test-model_m.xlsx")), "no merged table: \(slurm.log)")
    #expect(a.requests.count == 6 && b.requests.count == 6, "\(a.requests.count) and \(b.requests.count) requests")
  }
}
