import Foundation
import Testing
import VCore
import VTestSupport

/// VCR-Bench through the five tools on generated videos, then its four judge passes in two rounds
/// through `pipelines/judge.sh` against the loopback server (extraction: the last standalone
/// letter, else Z; consistency: equal answers; precision and recall: the sentences of one text
/// matched against the other), and a rerun that asks nothing.
@Suite(.serialized) struct VCRBenchEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }
  func lines(_ d: TempDir, _ name: String) -> [String] {
    ((try? String(contentsOfFile: d.file(name), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  func judge(_ d: TempDir, _ server: FakeServer, _ preset: String) throws -> ToolOutput {
    try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh out/chance_\(preset).xlsx --judge-name gpt-4o --format csv -- --api-base \(server.url) --model gpt-4o --backoff 0.01",
      cwd: d.path, env: ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"])
  }

  @Test func fourPassesTwoRounds() throws {
    let d = TempDir()
    let preset = "VCRBench_8frame_nopack"
    try FileManager.default.createDirectory(atPath: d.file("root/v1/videos/video"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/clip1.mp4"), codec: "libx264", frames: 40, gop: 20)
    try BarcodeVideo.make(d.file("root/clip2.mp4"), codec: "libx264", frames: 30, gop: 15)
    d.write(
      "root/VCR-Bench.tsv",
      """
      index\tvideo\tvideo_path\tquestion\tanswer\treasoning\tdimension\tduration
      0\tclip1\tv1/videos/video/clip1.mp4\tWhat does the man do?\tZ\tNo answer (chance baseline). The man runs.\tTemporal\t30
      1\tclip2\tv1/videos/video/clip2.mp4\tWhat barks?\tB\tA dog barks.\tSpatial\t120

      """)
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/VCR-Bench.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/VCR-Bench.tsv --preset \(preset) -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    #expect(FileManager.default.fileExists(atPath: d.file("cache/VCR-Bench/clip1/frame-8-of-8.jpg")))
    let prompt = try parse(try #require(lines(d, "prompts.jsonl").first))
    let items = prompt["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(items.count == 10 && items.last?["value"] == .string("Question: What does the man do?\nAnswer: "))

    let server = try FakeServer()
    let first = try judge(d, server, preset)
    #expect(first.status == 0, "\(first)")
    let r1 = try lines(d, "out/chance_\(preset)_judge_prompts.jsonl").map(parse)
    let r2 = try lines(d, "out/chance_\(preset)_judge_prompts_r2.jsonl").map(parse)
    #expect(r1.map { $0["id"]?.stringValue } == ["0:extract", "0:precision", "0:recall", "1:extract", "1:precision", "1:recall"])
    #expect(r2.map { $0["id"]?.stringValue } == ["r2:0:score", "r2:1:score"])
    #expect(r2.allSatisfy { $0["judge_round"] == .int(2) && $0["judge"] == .string("vcrbench_score") })
    #expect(
      r2[0]["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue
        == "Question: What does the man do?\n[Model Answer]: Z\n[Standard Answer]: Z\nYour output:")
    #expect(server.requests.count == 8)
    let stem = "out/chance_\(preset)_gpt-4o"
    #expect(
      d.read(stem + "_answer_score.txt")
        == "===== Statistics =====\nOverall Accuracy: 0.500\n\nAccuracy by Dimension:\n  Temporal: 1.000\n  Spatial: 0.000\n\nAccuracy by Duration:\n  0-60: 1.000\n  60-300: 0.000\n  300+: 0.000\n\n\n"
    )
    #expect(
      d.read(stem + "_precision_recall_score.txt")
        == "===== Metrics Summary =====\nOverall Metrics:\n  Perception:\n    precision: 1.000\n    recall: 0.500\n    f1: 0.667\n  Overall:\n    precision: 1.000\n    recall: 0.500\n    f1: 0.667\n"
    )
    for suffix in [
      "_extracted_answer.xlsx", "_answer_score.xlsx", "_answer_score.json", "_pre_score.xlsx", "_pre_score.json", "_recall_score.xlsx",
      "_recall_score.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: d.file(stem + suffix)), "\(suffix)")
    }
    #expect(first.stdout.contains("\(preset),parity,accuracy,overall,1,2,0.5"), "\(first.stdout)")

    let again = try judge(d, server, preset)
    #expect(again.status == 0 && server.requests.count == 8, "\(again)")
  }
}
