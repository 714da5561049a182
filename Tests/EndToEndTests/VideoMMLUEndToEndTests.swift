import Foundation
import Testing
import VCore
import VTestSupport

/// Video-MMLU through the five tools on generated videos, then its judge through
/// `pipelines/judge.sh` against the loopback server: the captions' two chained rounds (answer
/// each QA pair from the caption, then score the answer), a rerun that asks nothing, a run killed
/// in the middle of round 2 and rerun, and the questions' one round.
@Suite(.serialized) struct VideoMMLUEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }
  func lines(_ d: TempDir, _ name: String) -> [String] {
    ((try? String(contentsOfFile: d.file(name), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  /// The chance backend's caption: the judge's round 1 answers with it, so a pair whose answer
  /// is this text scores yes/5 in round 2, any other no/1.
  static let chance = "No answer (chance baseline)."

  /// `youtube_videos/lec1.mp4` (named with its extension) and `lec2.mp4` (named `lec2`), a
  /// table for `dataset`, and the run to the result table `out/chance_{preset}.xlsx`.
  func pipeline(_ d: TempDir, preset: String, dataset: String, tsv: String, folder: String = "youtube_videos") throws {
    try FileManager.default.createDirectory(atPath: d.file("root/\(folder)"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/\(folder)/lec1.mp4"), codec: "libx264", frames: 40, gop: 20)
    try BarcodeVideo.make(d.file("root/\(folder)/lec2.mp4"), codec: "libx264", frames: 30, gop: 15)
    d.write("root/\(dataset).tsv", tsv)
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/\(dataset).tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend chance prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/\(dataset).tsv --preset \(preset) -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
  }

  func judge(_ d: TempDir, _ server: FakeServer, _ preset: String) throws -> ToolOutput {
    try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh out/chance_\(preset).xlsx --judge-name gpt-4o-mini --format csv -- --api-base \(server.url) --model gpt-4o-mini --backoff 0.01",
      cwd: d.path, env: ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"])
  }

  static let captionTSV = """
    index\tvideo\tquestion\tdiscipline
    0\tlec1.mp4\t[{'question': 'What is shown?', 'answer': 'No answer (chance baseline).'}, {'question': 'Which law?', 'answer': 'Newton.'}]\tMath
    1\tlec2\t[{"question": "Why?", "answer": "No answer (chance baseline)."}]\tphysics
    2\tlec1.mp4\t[{'question': 'Q?', 'answer': 'A.'}]\tchemistry

    """

  func rating(_ d: TempDir, _ preset: String) throws -> JSONObject {
    try #require(try JSONParser.parse(Array(d.read("out/chance_\(preset)_gpt-4o-mini_rating.json").utf8)).objectValue)
  }

  func checkCaptionRating(_ d: TempDir, _ preset: String) throws {
    let r = try rating(d, preset)
    let valid = r["coarse_valid"]?.objectValue, acc = r["coarse_accuracy"]?.objectValue
    #expect(valid?["math"] == .string("3.00") && acc?["math"] == .string("0.50"))
    #expect(valid?["physics"] == .string("5.00") && acc?["physics"] == .string("1.00"))
    #expect(valid?["chemistry"] == .string("1.00") && acc?["chemistry"] == .string("0.00"))
    #expect(valid?["overall"] == .string("3.00") && acc?["overall"] == .string("0.50"))
  }

  @Test func captionsTwoRoundsRerunAndKill() throws {
    let d = TempDir()
    let preset = "Video_MMLU_CAP_16frame"
    try pipeline(d, preset: preset, dataset: "Video_MMLU_CAP", tsv: Self.captionTSV)
    // Frames cached under the video without its extension; the prompt is one of the instructions.
    #expect(FileManager.default.fileExists(atPath: d.file("cache/Video_MMLU_CAP/lec1/frame-16-of-16.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/Video_MMLU_CAP/lec2/frame-1-of-16.jpg")))
    let prompt = try parse(try #require(lines(d, "prompts.jsonl").first))
    let items = prompt["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
    #expect(items.count == 17 && items.last?["value"]?.stringValue?.contains("frames") == true)

    let server = try FakeServer()
    let first = try judge(d, server, preset)
    #expect(first.status == 0, "\(first)")
    // Round 1: the four QA pairs answered from the caption; round 2: the four answers scored.
    let r1 = try lines(d, "out/chance_\(preset)_judge_prompts.jsonl").map(parse)
    let r2 = try lines(d, "out/chance_\(preset)_judge_prompts_r2.jsonl").map(parse)
    #expect(r1.map { $0["id"]?.stringValue } == ["0:0", "0:1", "1:0", "2:0"])
    #expect(r2.map { $0["id"]?.stringValue } == ["r2:0:0", "r2:0:1", "r2:1:0", "r2:2:0"])
    #expect(r2.allSatisfy { $0["judge_round"] == .int(2) && $0["judge"] == .string("video_mmlu_cap_score") })
    #expect(r2[1]["messages"]?.arrayValue?.first?.objectValue?["value"]?.stringValue?.contains("Predicted Answer: \(Self.chance)\n") == true)
    #expect(!FileManager.default.fileExists(atPath: d.file("out/chance_\(preset)_judge_prompts_r3.jsonl")))
    #expect(server.requests.count == 8)
    #expect(server.requests.prefix(4).allSatisfy { ($0["system"] as? String)?.contains("detailed description of a video") == true })
    #expect(server.requests.suffix(4).allSatisfy { ($0["system"] as? String)?.contains("OCR-related questions") == true })
    #expect(server.requests.allSatisfy { ($0["params"] as? [String: Any])?["temperature"] as? Double == 0 })
    try checkCaptionRating(d, preset)
    #expect(first.stdout.contains("\(preset),parity,coarse_valid (0-5),overall,,4,3.00"), "\(first.stdout)")

    // A rerun asks nothing and scores the same.
    let again = try judge(d, server, preset)
    #expect(again.status == 0 && server.requests.count == 8, "\(again)")
    try checkCaptionRating(d, preset)

    // Killed in the middle of round 2 (a slow judge, the run's process group killed once round 2
    // has an answer), then rerun: round 1 asks nothing, round 2 only what it had not answered.
    for f in ["judge_answers_r2.jsonl", "judge_prompts_r2.jsonl", "gpt-4o-mini_rating.json"] {
      try? FileManager.default.removeItem(atPath: d.file("out/chance_\(preset)_\(f)"))
    }
    let slow = try FakeServer(latency: 0.3)
    let pid = ToolRunner.spawnShell(
      "cd '\(d.path)' && exec '\(FakeServer.repoRoot)/pipelines/judge.sh' out/chance_\(preset).xlsx --judge-name gpt-4o-mini -- --api-base \(slow.url) --model gpt-4o-mini -j 1 > kill.log 2>&1",
      env: ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"], newProcessGroup: true)
    #expect(pid > 0)
    var waited = 0
    while lines(d, "out/chance_\(preset)_judge_answers_r2.jsonl").isEmpty && waited < 600 {
      usleep(50_000)
      waited += 1
    }
    kill(-pid, SIGKILL)
    _ = ToolRunner.waitExit(pid)
    let partial = lines(d, "out/chance_\(preset)_judge_answers_r2.jsonl").count
    #expect(partial >= 1 && partial < 4, "\(partial) round-2 answers before the kill")
    #expect(!FileManager.default.fileExists(atPath: d.file("out/chance_\(preset)_gpt-4o-mini_rating.json")))
    #expect(slow.requests.count == partial || slow.requests.count == partial + 1, "round 1 was answered before: only round 2 was asked")
    let resumed = try judge(d, server, preset)
    #expect(resumed.status == 0, "\(resumed)")
    #expect(server.requests.count == 8 + 4 - partial, "only round 2's unanswered records are asked again")
    try checkCaptionRating(d, preset)
    let ids = try lines(d, "out/chance_\(preset)_judge_answers_r2.jsonl").compactMap { try? parse($0)["id"]?.stringValue }
    #expect(Set(ids) == ["r2:0:0", "r2:0:1", "r2:1:0", "r2:2:0"] && ids.count == 4)
  }

  @Test func questionsOneRound() throws {
    let d = TempDir()
    let preset = "Video_MMLU_QA_16frame"
    try pipeline(
      d, preset: preset, dataset: "Video_MMLU_QA",
      tsv: """
        index\tvideo\tquestion\tanswer\tdiscipline
        0\tlec1.mp4\tWhat is shown?\tNo answer (chance baseline).\tMath
        1\tlec2\tWhy?\tBecause.\tMath
        2\tlec2.mp4\tHow?\tSo.\tPhysics

        """)
    let prompt = try parse(try #require(lines(d, "prompts.jsonl").first))
    #expect(prompt["messages"]?.arrayValue?.last?.objectValue?["value"] == .string("What is shown?\nAnswer briefly and directly in one sentence."))
    let server = try FakeServer()
    let run = try judge(d, server, preset)
    #expect(run.status == 0, "\(run)")
    #expect(server.requests.count == 3 && !FileManager.default.fileExists(atPath: d.file("out/chance_\(preset)_judge_prompts_r2.jsonl")))
    #expect(server.requests.allSatisfy { ($0["system"] as? String)?.contains("reasoning-based question-answer pairs") == true })
    let r = try rating(d, preset)
    #expect(r["coarse_valid"]?.objectValue?["math"] == .string("3.00") && r["coarse_accuracy"]?.objectValue?["math"] == .string("0.50"))
    #expect(r["coarse_valid"]?.objectValue?["physics"] == .string("1.00") && r["coarse_valid"]?.objectValue?["overall"] == .string("2.33"))
  }

  /// VDC: the same two rounds, the instruction by caption type, rated per caption type.
  @Test func vdcTwoRounds() throws {
    let d = TempDir()
    let preset = "VDC_1fps"
    try pipeline(
      d, preset: preset, dataset: "VDC",
      tsv: """
        index\tvideo\tquestion\tcaption_type
        0\tlec1.mp4\t[{'question': 'What?', 'answer': 'No answer (chance baseline).'}]\tshort
        1\tlec2\t[{'question': 'Where?', 'answer': 'Here.'}, {'question': 'Who?', 'answer': 'No answer (chance baseline).'}]\tcamera
        2\tlec1.mp4\t[{'question': 'Which?', 'answer': 'No answer (chance baseline).'}]\tMain_Object

        """, folder: "video")
    let prompts = try lines(d, "prompts.jsonl").map(parse)
    #expect(prompts.count == 3)
    let texts = prompts.map { $0["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue ?? "" }
    #expect(texts[0].contains("sentence") && texts[1].lowercased().contains("camera"), "short and camera instructions: \(texts)")
    #expect(FileManager.default.fileExists(atPath: d.file("cache/VDC/lec2")))
    let server = try FakeServer()
    let run = try judge(d, server, preset)
    #expect(run.status == 0, "\(run)")
    #expect(server.requests.count == 8)
    #expect(
      server.requests.suffix(4).allSatisfy { ($0["system"] as? String)?.hasPrefix("You are an intelligent chatbot designed for evaluating") == true })
    let r = try rating(d, preset)
    let valid = r["coarse_valid"]?.objectValue, acc = r["coarse_accuracy"]?.objectValue
    #expect(valid?["short"] == .string("5.00") && valid?["camera"] == .string("3.00") && valid?["main_object"] == .string("5.00"))
    #expect(valid?["detailed"] == .string("nan") && acc?["background"] == .string("0.00"))
    #expect(valid?["overall"] == .string("4.00") && acc?["overall"] == .string("0.75") && acc?["camera"] == .string("0.50"))
  }
}
