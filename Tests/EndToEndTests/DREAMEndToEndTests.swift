import Foundation
import Testing
import VCore
import VTestSupport

/// DREAM-1K through the five tools on generated videos named `video/{clip}` in the table, then
/// AutoDQ's two judge rounds through `pipelines/judge.sh` against the loopback server (events:
/// the sentences of a caption; an event is entailed when the other caption contains it), and a
/// rerun that asks nothing.
@Suite(.serialized) struct DREAMEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }
  func lines(_ d: TempDir, _ name: String) -> [String] {
    ((try? String(contentsOfFile: d.file(name), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  func judge(_ d: TempDir, _ server: FakeServer, _ preset: String) throws -> ToolOutput {
    try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh out/chance_\(preset).xlsx --judge-name gpt-4o --format csv -- --api-base \(server.url) --model gpt-4o --backoff 0.01",
      cwd: d.path, env: ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"])
  }

  @Test func autoDQTwoRounds() throws {
    let d = TempDir()
    let preset = "DREAM-1K_8frame"
    try FileManager.default.createDirectory(atPath: d.file("root"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/clip1.mp4"), codec: "libx264", frames: 40, gop: 20)
    try BarcodeVideo.make(d.file("root/clip2.mp4"), codec: "libx264", frames: 30, gop: 15)
    d.write(
      "root/DREAM-1K.tsv",
      """
      index\tvideo\tquestion\tanswer\tevents
      0\tvideo/clip1\tDescribe the video.\tNo answer (chance baseline). A man runs.\t
      1\tvideo/clip2\tDescribe the video.\tA dog barks.\t
      2\tclip1\tDescribe the video.\tNo answer (chance baseline).\t["No answer (chance baseline)."]

      """)
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/DREAM-1K.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/DREAM-1K.tsv --preset \(preset) -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    // `video/` is stripped: the frames of root/clip1.mp4, cached under DREAM-1K/clip1.
    #expect(FileManager.default.fileExists(atPath: d.file("cache/DREAM-1K/clip1/frame-8-of-8.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/DREAM-1K/clip2/frame-1-of-8.jpg")))
    #expect(!FileManager.default.fileExists(atPath: d.file("cache/DREAM-1K/video")))
    let prompt = try parse(try #require(lines(d, "prompts.jsonl").first))
    let items = prompt["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(items.count == 9 && items.last?["value"] == .string("Describe the video."))

    let server = try FakeServer()
    let first = try judge(d, server, preset)
    #expect(first.status == 0, "\(first)")
    let r1 = try lines(d, "out/chance_\(preset)_judge_prompts.jsonl").map(parse)
    let r2 = try lines(d, "out/chance_\(preset)_judge_prompts_r2.jsonl").map(parse)
    #expect(r1.map { $0["id"]?.stringValue } == ["0:gt", "0:pred", "1:gt", "1:pred", "2:pred"])
    #expect(r2.map { $0["id"]?.stringValue } == ["r2:0:recall", "r2:0:precision", "r2:1:recall", "r2:1:precision", "r2:2:recall", "r2:2:precision"])
    #expect(r2.allSatisfy { $0["judge_round"] == .int(2) && $0["judge"] == .string("dream_relationship") })
    #expect(
      r2[0]["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue?.contains(
        "Events: ['No answer (chance baseline).', 'A man runs.']\n") == true)
    #expect(server.requests.count == 11)
    let rating = try #require(try JSONParser.parse(Array(d.read("out/chance_\(preset)_gpt-4o_rating.json").utf8)).objectValue)
    let overall = rating["Overall"]?.objectValue
    #expect(overall?["Recall"] == .string("0.5000") && overall?["Precision"] == .string("0.6667") && overall?["F1"] == .string("0.5714"))
    #expect(rating["num_valid"] == .int(3) && rating["num_total"] == .int(3))
    #expect(first.stdout.contains("\(preset),parity,AutoDQ,F1,,3,0.57"), "\(first.stdout)")

    let again = try judge(d, server, preset)
    #expect(again.status == 0 && server.requests.count == 11, "\(again)")
  }
}
