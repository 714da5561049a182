import Foundation
import Testing
import VCore
import VTestSupport

/// MovieChat-1K through the five tools on generated videos (its row subsets in vframes and
/// vmerge), then its judge loop against the loopback server.
@Suite(.serialized) struct MovieChat1kEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  /// Videos `videos/1.mp4` (named with its extension) and `videos/2.mp4` (named `2`).
  func videos(_ d: TempDir) throws {
    try FileManager.default.createDirectory(atPath: d.file("root/videos"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/videos/1.mp4"), codec: "libx264", frames: 60, gop: 30)
    try BarcodeVideo.make(d.file("root/videos/2.mp4"), codec: "libx264", frames: 45, gop: 15)
  }

  @Test func globalSubsetThenJudgeLoop() throws {
    let d = TempDir()
    try videos(d)
    d.write(
      "root/MovieChat1k.tsv",
      """
      index\tvideo\tquestion\tanswer\tmode
      0\t1.mp4\tWhat is he doing?\tNo answer (chance baseline).\tglobal
      1\t1.mp4\tWhat happens at this moment?\tHe sits.\tbreakpoint
      2\t2\tWhere is it?\tIn a kitchen.\tglobal

      """)
    let preset = "moviechat1k_global_14frame"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/MovieChat1k.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/MovieChat1k.tsv --preset \(preset) -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr.contains("the preset keeps 2 of 3 rows"), "\(run.stderr)")
    // Only the global rows; the cache folder is the `video` value as it is.
    let frames = try d.read("frames.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(frames.map { $0["id"]?.stringValue } == ["0", "2"])
    #expect(FileManager.default.fileExists(atPath: d.file("cache/MovieChat1k/1.mp4/frame-14-of-14.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/MovieChat1k/2/frame-1-of-14.jpg")))
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    let messages = try #require(prompts[0]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(messages.count == 15 && messages.last?["value"] == .string("What is he doing?"))
    // The judge loop: the chance placeholder equals row 0's answer (yes, 5), not row 2's (no, 1).
    let server = try FakeServer()
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"]
    let judged = try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh out/chance_\(preset).xlsx --judge-name chatgpt-0125 --format csv -- --api-base \(server.url) --model gpt-3.5-turbo-0125 --backoff 0.01",
      cwd: d.path, env: env)
    #expect(judged.status == 0, "\(judged)")
    #expect(server.requests.count == 2 && server.requests.allSatisfy { $0["system"] is NSNull || $0["system"] == nil })
    let rating = try #require(try JSONParser.parse(Array(d.read("out/chance_\(preset)_chatgpt-0125_rating.json").utf8)).objectValue)
    #expect(rating["coarse_valid"]?.objectValue?["global"] == .string("3.00"))
    #expect(rating["coarse_valid"]?.objectValue?["breakpoint"] == .string("nan"))
    #expect(rating["coarse_accuracy"]?.objectValue?["overall"] == .string("0.50"))
    #expect(rating["coarse_accuracy"]?.objectValue?["breakpoint"] == .string("0.00"))
    #expect(FileManager.default.fileExists(atPath: d.file("out/chance_\(preset)_chatgpt-0125_score.xlsx")))
    #expect(judged.stdout.contains("moviechat1k_global_14frame,parity,coarse_valid (0-5),global,,2,3.00"), "\(judged.stdout)")
  }

  /// `_limit0.01`: the first int(0.01 * 250) = 2 of 250 global rows, in vframes and vmerge.
  @Test func limitKeepsTheFirstShareOfTheGlobalRows() throws {
    let d = TempDir()
    try videos(d)
    var tsv = "index\tvideo\tquestion\tanswer\tmode\n3\t1.mp4\tq\ta\tbreakpoint\n"
    for i in 0..<250 { tsv += "\(i + 10)\t\(i % 2 == 0 ? "1.mp4" : "2")\tq\(i)\ta\tglobal\n" }
    d.write("root/MovieChat1k.tsv", tsv)
    let preset = "moviechat1k_global_8frame_limit0.01"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/MovieChat1k.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/MovieChat1k.tsv --preset \(preset) -o out.tsv",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    #expect(try d.read("frames.jsonl").split(separator: "\n").map { try parse(String($0))["id"]?.stringValue } == ["10", "11"])
    #expect(try d.read("out.tsv").split(separator: "\n").count == 3, "the header and the two kept rows")
    // Without the preset vmerge expects every row of the meta file.
    let all = try ToolRunner.run("vmerge", ["answers.jsonl", "--meta", "root/MovieChat1k.tsv", "-o", "all.tsv"], cwd: d.path)
    #expect(all.status == 65, "\(all)")
  }
}
