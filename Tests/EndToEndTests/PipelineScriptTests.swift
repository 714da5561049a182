import Foundation
import Testing
import VCore
import VTestSupport

/// The scripts in pipelines/, run end to end on generated data with the chance backend.
@Suite(.serialized) struct PipelineScriptTests {
  let root = FakeServer.repoRoot

  @Test func fanoutGivesTheSameTableAsOneProcess() throws {
    let d = TempDir()
    var tsv = "index\tvideo\tquestion\tcandidates\n"
    var prompts = ""
    for i in 0..<20 {
      tsv += "\(i)\tv\(i % 5)\tq\(i)\t['a', 'b', 'c']\n"
      prompts += #"{"id":"\#(i)","candidates":"['a', 'b', 'c']","messages":[{"type":"text","value":"q\#(i)"}]}"# + "\n"
    }
    d.write("m.tsv", tsv)
    d.write("p.jsonl", prompts)
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir]
    let fan = try ToolRunner.sh("\(root)/pipelines/fanout.sh -n 4 -o \(d.file("fan/")) --meta m.tsv p.jsonl -- --backend chance", cwd: d.path, env: env)
    #expect(fan.status == 0, "\(fan)")
    let one = try ToolRunner.sh("vinfer --backend chance p.jsonl > all.jsonl && vmerge all.jsonl --meta m.tsv -o one.tsv", cwd: d.path, env: env)
    #expect(one.status == 0, "\(one)")
    let fanTable = try ToolRunner.sh("vmerge fan/answers.*.jsonl --meta m.tsv -o fan.tsv", cwd: d.path, env: env)
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
    let pre = try ToolRunner.sh("\(root)/pipelines/prefetch-frames.sh -P 2 m.tsv -- --nframe 4 --frame-root cache --video-root .", cwd: d.path, env: env)
    #expect(pre.status == 0, "\(pre)")
    let again = try ToolRunner.sh("vframes --nframe 4 --frame-root cache --video-root . --stats m.tsv > /dev/null", cwd: d.path, env: env)
    #expect(again.status == 0)
    #expect(again.stderr.contains("cached=4"), "\(again.stderr)")
  }
}
