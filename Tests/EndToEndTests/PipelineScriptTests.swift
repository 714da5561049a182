import Foundation
import Testing
import VCore
import VTestSupport

/// The scripts in pipelines/, run end to end on generated data with the chance backend.
@Suite(.serialized) struct PipelineScriptTests {
  let root = FakeServer.repoRoot

  /// A PATH with every program of /usr/bin but GNU parallel (fanout.sh then uses xargs).
  static func pathWithoutParallel(_ d: TempDir) throws -> String {
    let dir = d.file("no-parallel-bin")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: "/usr/bin") where name != "parallel" {
      try? FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: "/usr/bin/" + name)
    }
    return dir + ":/usr/sbin:/sbin"
  }

  static let hasParallel = FileManager.default.isExecutableFile(atPath: "/usr/bin/parallel")

  /// fanout.sh with GNU parallel (PARALLEL_OPTS passed through) and, with parallel hidden, with
  /// xargs: both give one process's table.
  @Test(arguments: ["parallel", "xargs"])
  func fanoutGivesTheSameTableAsOneProcess(runner: String) throws {
    if runner == "parallel" && !Self.hasParallel {
      Issue.record("GNU parallel is not installed (scripts/install-deps.sh installs it): the parallel path is untested")
      return
    }
    let d = TempDir()
    var tsv = "index\tvideo\tquestion\tcandidates\n"
    var prompts = ""
    for i in 0..<20 {
      tsv += "\(i)\tv\(i % 5)\tq\(i)\t['a', 'b', 'c']\n"
      prompts += #"{"id":"\#(i)","candidates":"['a', 'b', 'c']","messages":[{"type":"text","value":"q\#(i)"}]}"# + "\n"
    }
    d.write("m.tsv", tsv)
    d.write("p.jsonl", prompts)
    var env = ["VTOOLS_BIN_DIR": ToolRunner.binDir]
    if runner == "parallel" {
      env["PARALLEL_OPTS"] = "--joblog \(d.file("joblog"))"
    } else {
      env["PATH"] = try Self.pathWithoutParallel(d)
    }
    let fan = try ToolRunner.sh(
      "\(root)/pipelines/fanout.sh -n 4 -o \(d.file("fan/")) --meta m.tsv p.jsonl -- --backend chance", cwd: d.path, env: env)
    #expect(fan.status == 0, "\(fan)")
    if runner == "parallel" {
      // GNU parallel ran the four shards, with the options given.
      let joblog = d.read("joblog").split(separator: "\n").dropFirst()
      #expect(joblog.count == 4 && joblog.allSatisfy { $0.contains("vinfer") }, "\(d.read("joblog"))")
    } else {
      #expect(!FileManager.default.fileExists(atPath: d.file("joblog")))
    }
    let one = try ToolRunner.sh("vinfer --backend chance p.jsonl > all.jsonl && vmerge all.jsonl --meta m.tsv -o one.tsv", cwd: d.path)
    #expect(one.status == 0, "\(one)")
    let fanTable = try ToolRunner.sh("vmerge fan/answers.*.jsonl --meta m.tsv -o fan.tsv", cwd: d.path)
    #expect(fanTable.status == 0)
    #expect(d.read("fan.tsv") == d.read("one.tsv"))
    #expect(FileManager.default.fileExists(atPath: d.file("fan/chance_m.xlsx")))
    #expect((0..<4).allSatisfy { FileManager.default.fileExists(atPath: d.file("fan/answers.\($0).jsonl")) })
  }

  @Test func prefetchThenVframesReusesEveryFrame() throws {
    let d = TempDir()
    for i in 0..<4 { try BarcodeVideo.make(d.file("v\(i).mp4"), codec: "libx264", frames: 60, gop: 30) }
    d.write("m.tsv", "index\tvideo\n" + (0..<8).map { "\($0)\tv\($0 % 4).mp4" }.joined(separator: "\n") + "\n")
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir]
    let pre = try ToolRunner.sh(
      "\(root)/pipelines/prefetch-frames.sh -P 2 m.tsv -- --nframe 4 --frame-root cache --video-root .", cwd: d.path, env: env)
    #expect(pre.status == 0, "\(pre)")
    let again = try ToolRunner.sh("vframes --nframe 4 --frame-root cache --video-root . --stats m.tsv > /dev/null", cwd: d.path, env: env)
    #expect(again.status == 0)
    #expect(again.stderr.contains("cached=4"), "\(again.stderr)")
  }
}

/// pipelines/Makefile and vllm-serve.sh (with a stand-in vllm), end to end on generated data.
/// slurm-array.sh runs on a real private Slurm: SlurmArrayTests.
@Suite(.serialized) struct PipelineRunTests {
  let root = FakeServer.repoRoot

  /// Four barcode videos, eight MVBench-style questions.
  func dataset(_ d: TempDir) throws {
    try FileManager.default.createDirectory(atPath: d.file("videos"), withIntermediateDirectories: true)
    for i in 0..<4 { try BarcodeVideo.make(d.file("videos/v\(i).mp4"), codec: "libx264", frames: 48, gop: 24) }
    var tsv = "index\tvideo\tquestion\tanswer\tcandidates\tcategory\n"
    for i in 0..<8 { tsv += "\(i)\tv\(i % 4)\tWhat is shown?\t\(["a", "b", "c"][i % 3])\t['a', 'b', 'c']\t\(i % 2 == 0 ? "even" : "odd")\n" }
    d.write("Toy.tsv", tsv)
  }

  func make(_ d: TempDir, _ vars: [String]) throws -> ToolOutput {
    // $LMUData must exist, or the frame cache falls back to ~/LMUData (VLMEvalKit's LMUDataRoot).
    try FileManager.default.createDirectory(atPath: d.file("lmu"), withIntermediateDirectories: true)
    let base = [
      "-f", "\(root)/pipelines/Makefile", "BIN=\(ToolRunner.binDir)", "PRESETS=Toy", "LMUData=\(d.file("lmu"))", "WORK=\(d.file("runs"))",
      "TSV_Toy=\(d.file("Toy.tsv"))", "FRAMES_Toy=--nframe 4 --dataset Toy --video-root \(d.file("videos")) --video-ext .mp4",
      "SCORE_Toy=--dataset Toy --rules mvbench",
    ]
    return try ToolRunner.shell(["/usr/bin/make", "--no-print-directory"] + base + vars, cwd: d.path)
  }

  func count(_ text: String, _ word: String) -> Int { text.components(separatedBy: word).count - 1 }

  @Test func makefileResumesAndRerunsOnlyWhatChanged() throws {
    let d = TempDir()
    try dataset(d)
    let first = try make(d, ["PROMPT_Toy=--template mvbench"])
    #expect(first.status == 0, "\(first)")
    #expect(first.stdout.contains("Toy: MVBench rules, parity mode"), "\(first.stdout)")
    let log = "runs/Toy/chance/commands.log"
    #expect(count(d.read("runs/Toy/chance/commands.log"), "/vinfer ") == 1)
    // Nothing changed: nothing runs again.
    let again = try make(d, ["PROMPT_Toy=--template mvbench"])
    #expect(again.status == 0)
    #expect(!again.stdout.contains("prompts:"), "\(again.stdout)")
    #expect(count(d.read("runs/Toy/chance/commands.log"), "/vinfer ") == 1)
    // Another template: prompts and answers rerun, frames do not.
    let frameRuns = count(d.read("runs/Toy/commands.log"), "/vframes ")
    let changed = try make(d, ["PROMPT_Toy=--template mcq"])
    #expect(changed.status == 0, "\(changed)")
    #expect(changed.stdout.contains("prompts: 8 records"))
    #expect(count(d.read("runs/Toy/commands.log"), "/vframes ") == frameRuns)
    #expect(count(d.read(log), "/vinfer ") == 2)
    // Another model: its own answers (three shards), frames and prompts shared.
    let model = try make(d, ["PROMPT_Toy=--template mcq", "MODEL=chance2", "VINFER_ARGS=--backend chance", "SHARDS=3", "-j3"])
    #expect(model.status == 0, "\(model)")
    #expect(!model.stdout.contains("prompts:"))
    for i in 0..<3 { #expect(FileManager.default.fileExists(atPath: d.file("runs/Toy/chance2/answers.\(i).jsonl"))) }
    #expect(FileManager.default.fileExists(atPath: d.file("runs/Toy/chance2/chance2_Toy.xlsx")))
    #expect(d.read("runs/Toy/chance2/settings.txt").contains("SHARDS=3"))
    #expect(d.read("runs/Toy/chance2/versions.txt").contains("vscore "))
  }

  @Test func makeReportShowsEveryModelOfTheDataset() throws {
    let d = TempDir()
    try dataset(d)
    #expect(try make(d, ["PROMPT_Toy=--template mvbench"]).status == 0)
    #expect(try make(d, ["PROMPT_Toy=--template mvbench", "MODEL=other", "VINFER_ARGS=--backend chance --seed 3"]).status == 0)
    let r = try make(d, ["PROMPT_Toy=--template mvbench", "REPORT=\(d.file("site"))", "report"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout == d.file("site/index.html") + "\n")
    let index = d.read("site/index.html")
    #expect(index.contains("<td>chance</td>") && index.contains("<td>other</td>"), "\(index)")
    #expect(d.read("site/data/Toy.js").contains(#""models":["chance","other"]"#))
  }

  @Test func vllmServeStartsReplicasAndFanoutShardsOverThem() throws {
    let d = TempDir()
    // A stand-in for `vllm serve`: the loopback test server on the requested port.
    d.write(
      "bin/vllm",
      """
      #!/bin/sh
      port=; name=
      while [ $# -gt 0 ]; do case $1 in --port) port=$2; shift 2;; --served-model-name) name=$2; shift 2;; *) shift;; esac; done
      exec python3 \(root)/Tests/Fixtures/fake_openai_server.py --port "$port" --model "$name" --port-file "$PWD/port.$port" --log "$PWD/requests.$port.jsonl"
      """)
    chmod(d.file("bin/vllm"), 0o755)
    let port = 20000 + Int(getpid() % 20000)
    // The servers outlive the script, so it runs detached (output in serve.log).
    let serve = ToolRunner.shDetached(
      "\(root)/pipelines/vllm-serve.sh -m org/Model -n model -r 2 -p \(port) -t 60", cwd: d.path, log: "serve.log", env: ["VLLM": d.file("bin/vllm")])
    defer { _ = ToolRunner.shDetached("kill $(cat vllm-pids.txt)", cwd: d.path, log: "kill.log") }
    #expect(serve == 0, "\(d.read("serve.log"))")
    #expect(d.read("vllm-bases.txt") == "http://127.0.0.1:\(port)/v1\nhttp://127.0.0.1:\(port + 1)/v1\n")
    var tsv = "index\tquestion\tanswer\tcandidates\n"
    var prompts = ""
    for i in 0..<8 {
      tsv += "\(i)\tq\(i)\ta\t['a', 'b']\n"
      prompts += #"{"id":"\#(i)","messages":[{"type":"text","value":"q\#(i)"}]}"# + "\n"
    }
    d.write("m.tsv", tsv)
    d.write("p.jsonl", prompts)
    let fan = try ToolRunner.sh(
      "\(root)/pipelines/fanout.sh -n 4 --bases vllm-bases.txt -o out/ --meta m.tsv p.jsonl -- --model model --backoff 0.01", cwd: d.path,
      env: ["VTOOLS_BIN_DIR": ToolRunner.binDir])
    #expect(fan.status == 0, "\(fan)")
    // Shards 0 and 2 went to the first replica, 1 and 3 to the second: both served requests.
    let a = d.read("requests.\(port).jsonl").split(separator: "\n").count
    let b = d.read("requests.\(port + 1).jsonl").split(separator: "\n").count
    #expect(a + b == 8 && a > 0 && b > 0, "\(a) + \(b)")
    #expect(FileManager.default.fileExists(atPath: d.file("out/model_m.xlsx")))
    // A server that never comes up: status 69 and its log.
    d.write("bin/broken", "#!/bin/sh\necho 'CUDA out of memory' >&2\nexit 1\n")
    chmod(d.file("bin/broken"), 0o755)
    let broken = ToolRunner.shDetached(
      "\(root)/pipelines/vllm-serve.sh -m org/Model -p \(port + 2) -t 30 -o b.txt -P b-pids.txt", cwd: d.path, log: "broken.log",
      env: ["VLLM": d.file("bin/broken")])
    #expect(broken == 69)
    #expect(d.read("broken.log").contains("CUDA out of memory"), "\(d.read("broken.log"))")
  }

}
