import Foundation
import Testing
import VCore
import VTestSupport

/// Q-Bench-Video through the five tools on generated videos, then its judge loop against the
/// loopback server.
@Suite(.serialized) struct QBenchVideoEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  /// The two sub-datasets concatenated as VLMEvalKit's QBench_Video does: MCQ rows, then VQA
  /// rows, `SUB_DATASET`, `original_index` and the new `index`.
  func dataset(_ d: TempDir) throws {
    try FileManager.default.createDirectory(atPath: d.file("root/video"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/video/a.mp4"), codec: "libx264", frames: 45, gop: 15)
    try BarcodeVideo.make(d.file("root/video/b.mp4"), codec: "libx264", frames: 30, gop: 15)
    d.write(
      "root/QBench_Video.tsv",
      """
      video\tvideo_path\tquestion\tanswer\tdimensions\tSUB_DATASET\toriginal_index\tindex
      a\t./video/a.mp4\t"Is it sharp?\nA. Yes\nB. No"\tA. Yes\t['yes_or_no, technical']\tQBench_Video_MCQ\t0\t0
      b\t./video/b.mp4\t"How is the light?\nA. Dim\nB. Bright"\tB. Bright\t['what_how, aesthetic']\tQBench_Video_MCQ\t1\t1
      a\t./video/a.mp4\tDescribe the noise.\tLittle noise.\t['open_ended, technical']\tQBench_Video_VQA\t0\t2
      b\tvideo/b.mp4\tDescribe the colour.\tWarm colours.\t['open_ended, aesthetic']\tQBench_Video_VQA\t1\t3

      """)
  }

  @Test func pipelineThenJudgeLoop() throws {
    let d = TempDir()
    try dataset(d)
    let preset = "QBench_Video_8frame"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/QBench_Video.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/QBench_Video.tsv --dataset \(preset) -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    // vframes: each sub-dataset's own cache folder, keyed by `video`; the file from `video_path`.
    for sub in ["qbenchvideo_single_MCQ", "qbenchvideo_single_VQA"] {
      for v in ["a", "b"] { #expect(FileManager.default.fileExists(atPath: d.file("cache/\(sub)/\(v)/frame-8-of-8.jpg")), "\(sub)/\(v)") }
    }
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 4)
    let mcq = try #require(prompts[0]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(mcq.count == 11 && mcq[1]["value"] == .string("Is it sharp?\nA. Yes\nB. No"))
    #expect(mcq[0]["value"]?.stringValue?.hasPrefix("\nYou will receive 8 distinct frames") == true)
    #expect(mcq[10]["value"]?.stringValue?.hasPrefix("\nPlease answer the question in the following format") == true)
    let vqa = try #require(prompts[2]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(vqa.count == 10 && vqa[2]["value"]?.stringValue?.hasSuffix("qbenchvideo_single_VQA/a/frame-1-of-8.jpg") == true)
    #expect(prompts[0]["template"]?.objectValue?["name"] == .string("qbench_video"))
    // The chance baseline has no options to pick from here: every answer is its placeholder.
    let noJudge = try ToolRunner.run("vscore", ["out/chance_\(preset).xlsx"], cwd: d.path)
    #expect(noJudge.status == 64 && noJudge.stderr.contains("scored by a judge"), "\(noJudge)")

    // The judge loop on chosen answers: MCQ right, wrong; VQA equal to the answer, different.
    let server = try FakeServer()
    d.write(
      "m.jsonl",
      answer("0", "A") + answer("1", "Dim") + answer("2", "little noise.") + answer("3", "Cold colours."))
    #expect(try ToolRunner.run("vmerge", ["m.jsonl", "--meta", "root/QBench_Video.tsv", "-o", "M_\(preset).xlsx"], cwd: d.path).status == 0)
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"]
    let judged = try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh M_\(preset).xlsx --format csv -- --api-base \(server.url) --model gpt-4o-0806 --backoff 0.01",
      cwd: d.path, env: env)
    #expect(judged.status == 0, "\(judged)")
    // Only the two VQA rows go to the judge, with VLMEvalKit's system prompt.
    #expect(server.requests.count == 2)
    #expect(server.requests.allSatisfy { ($0["system"] as? String)?.hasPrefix("\nYou are a helpful assistant that grades answers") == true })
    // yes_or_no 1/1, what_how 0/1, open_ended (2 + 0) / 2 * 100 / 2 = 50.0.
    #expect(d.read("M_\(preset)_acc.csv") == "\"success\",\"overall\",\"acc\"\n\"1\",\"1\",\"100.0\"\n\"0\",\"1\",\"0.0\"\n\"2\",\"2\",\"50.0\"\n")
    #expect(judged.stdout.contains("QBench_Video_8frame,parity,question type,open_ended,2,2,50.00"), "\(judged.stdout)")
    for f in ["M_QBench_Video_MCQ_8frame.xlsx", "M_QBench_Video_MCQ_8frame_score.xlsx", "M_QBench_Video_VQA_8frame_gpt-4o-0806_score.xlsx"] {
      #expect(FileManager.default.fileExists(atPath: d.file(f)), "\(f)")
    }
  }

  func answer(_ id: String, _ p: String) -> String {
    JSONSerializer.serialize(
      .object(JSONObject([("id", .string(id)), ("prediction", .string(p)), ("inference", .object(JSONObject([("model", .string("M"))])))])))
      + "\n"
  }
}
