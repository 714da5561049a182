import Foundation
import Testing
import VCore
import VTestSupport

/// vscore on tables vmerge wrote, the judge loop against the loopback server, and its errors.
@Suite(.serialized) struct VScoreEndToEndTests {
  let root = FakeServer.repoRoot

  static let mvbenchMeta = """
    index\ttask_type\tprefix\tvideo\tquestion\tanswer\tcandidates
    0\tAction Sequence\tstar\tv1.mp4\tWhat happened?\twalking\t['running', 'walking']
    1\tAction Sequence\tstar\tv2.mp4\tWhat happened?\trunning\t['running', 'walking']
    2\tObject Shuffle\tperc\tv3.mp4\tWhere is it?\tleft\t['left', 'right', 'middle']
    3\tObject Shuffle\tperc\tv4.mp4\tWhere is it?\tmiddle\t['left', 'right', 'middle']

    """

  func answer(_ id: String, _ p: String, model: String = "M1", failed: Bool = false) -> String {
    var o = JSONObject([("id", .string(id)), ("prediction", .string(p)), ("inference", .object(JSONObject([("model", .string(model))])))])
    if failed { o["error"] = .object(JSONObject([("stage", .string("vinfer")), ("code", .string("http_500"))])) }
    return JSONSerializer.serialize(.object(o)) + "\n"
  }

  @Test func scoresATableWrittenByVmerge() throws {
    let d = TempDir()
    d.write("MVBench.tsv", Self.mvbenchMeta)
    d.write(
      "a.jsonl",
      answer("0", "B) walking") + answer("1", "(B) walking") + answer("2", "Failed to obtain answer via API.", failed: true) + answer("3", "C"))
    let merge = try ToolRunner.run("vmerge", ["a.jsonl", "--meta", "MVBench.tsv", "-o", "out/"], cwd: d.path)
    #expect(merge.status == 1, "one answer failed: \(merge)")
    let score = try ToolRunner.run("vscore", ["out/M1_MVBench.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(score.stdout.hasPrefix("MVBench: MVBench rules, parity mode\n"), "\(score.stdout)")
    #expect(score.stdout.contains("overall    overall                3      4       75.00"), "\(score.stdout)")
    #expect(
      d.read("out/M1_MVBench_rating.json") == """
        {
            "Action Sequence": [
                1,
                2,
                "50.00%"
            ],
            "Object Shuffle": [
                2,
                2,
                "100.00%"
            ],
            "overall": [
                3,
                4,
                "75.00%"
            ]
        }

        """)
    // The score table is the result plus a numeric score column; vscore reads it back too.
    let back = try ToolRunner.run(
      "vscore", ["out/M1_MVBench_score.xlsx", "--dataset", "MVBench", "--strict", "--no-files", "--format", "csv"], cwd: d.path)
    #expect(back.status == 0, "\(back)")
    #expect(back.stdout.components(separatedBy: "\n")[1] == "MVBench,strict,overall,overall,2,4,50.00", "\(back.stdout)")
    let sheet = try ToolRunner.shell(["/usr/bin/unzip", "-p", d.file("out/M1_MVBench_score.xlsx"), "xl/worksheets/sheet1.xml"])
    #expect(sheet.stdout.contains("<v>-1</v>"), "score is a number cell")
    let json = try ToolRunner.run("vscore", ["out/M1_MVBench.xlsx", "--no-files", "--format", "json"], cwd: d.path)
    let parsed = try JSONParser.parse(Array(json.stdout.utf8))
    #expect(parsed.objectValue?["mode"] == .string("parity"))
    #expect(parsed.objectValue?["rows"]?.arrayValue?.count == 3)
    let md = try ToolRunner.run("vscore", ["out/M1_MVBench.xlsx", "--no-files", "--format", "md"], cwd: d.path)
    #expect(md.stdout.contains("| overall | overall | 3 | 4 | 75.00 |"), "\(md.stdout)")
  }

  @Test func mmbenchVideoJudgeLoopAgainstTheLoopbackServer() throws {
    let server = try FakeServer()
    let d = TempDir()
    d.write(
      "MMBench-Video.tsv",
      """
      index\tvideo\tvideo_path\tquestion\tanswer\tdimensions
      0\tv1\tv1.mp4\tWhat colour is the car?\tred\t['Attribute Recognition']
      1\tv1\tv1.mp4\tHow many people?\tthree\t['Counting', 'Human Interaction']
      2\tv2\tv2.mp4\tWhy did he fall?\tHe slipped on ice\t['Causal Reasoning']

      """)
    d.write("a.jsonl", answer("0", "Red") + answer("1", "two") + answer("2", "Failed to obtain answer via API.", failed: true))
    let merge = try ToolRunner.run("vmerge", ["a.jsonl", "--meta", "MMBench-Video.tsv", "-o", "GPT_MMBench-Video.xlsx"], cwd: d.path)
    #expect(merge.status == 1, "one answer failed: \(merge)")
    let noJudge = try ToolRunner.run("vscore", ["GPT_MMBench-Video.xlsx"], cwd: d.path)
    #expect(noJudge.status == 64)
    #expect(noJudge.stderr.hasPrefix("vscore: error: MMBench-Video is scored by a judge"), "\(noJudge.stderr)")
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"]
    let run = try ToolRunner.sh(
      "\(root)/pipelines/judge.sh GPT_MMBench-Video.xlsx -- --api-base \(server.url) --model gpt-4-turbo --backoff 0.01", cwd: d.path, env: env)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.hasPrefix("MMBench-Video: MMBench-Video rules, parity mode"), "\(run.stdout)")
    // Red/red -> 3, two/three -> 1, the failed answer is judged too (VLMEvalKit judges every non-NaN prediction) -> 1.
    let rating = try JSONParser.parse(Array(d.read("GPT_MMBench-Video_gpt-4-turbo_rating.json").utf8))
    let coarse = rating.objectValue?["coarse_all"]?.objectValue
    #expect(coarse?["FP-S"] == .string("2.00"))
    #expect(coarse?["FP-C"] == .string("1.00"))
    #expect(coarse?["TR"] == .string("1.00"))
    #expect(coarse?["Overall"] == .string("1.67"))
    #expect(FileManager.default.fileExists(atPath: d.file("GPT_MMBench-Video_gpt-4-turbo_score.xlsx")))
    // The judge saw VLMEvalKit's exact system prompt and user prompt, once per row.
    let reqs = server.requests
    #expect(reqs.count == 3)
    #expect(reqs.allSatisfy { ($0["system"] as? String)?.hasPrefix("\nAs an AI assistant, your task is to evaluate a candidate answer") == true })
    #expect(reqs.allSatisfy { ($0["system"] as? String)?.hasSuffix("a single integer from 0, 1, 2, or 3.\n") == true })
    // Rerun: every judgement is reused from the answer log, nothing is asked again.
    let again = try ToolRunner.sh(
      "\(root)/pipelines/judge.sh GPT_MMBench-Video.xlsx --format csv -- --api-base \(server.url) --model gpt-4-turbo", cwd: d.path, env: env)
    #expect(again.status == 0, "\(again)")
    #expect(server.requests.count == 3)
    #expect(again.stdout.contains("MMBench-Video,parity,overall,Overall,5,3,1.67"), "\(again.stdout)")
  }

  @Test func mcqJudgeReadsAnswersNoRuleCan() throws {
    let server = try FakeServer()
    let d = TempDir()
    d.write("MVBench.tsv", Self.mvbenchMeta)
    d.write(
      "a.jsonl", answer("0", "He is walking slowly") + answer("1", "B") + answer("2", "It is on the left side, not the right") + answer("3", "hmm"))
    #expect(try ToolRunner.run("vmerge", ["a.jsonl", "--meta", "MVBench.tsv", "-o", "M_MVBench.xlsx"], cwd: d.path).status == 0)
    let prompts = try ToolRunner.run("vscore", ["M_MVBench.xlsx", "--judge-prompts"], cwd: d.path)
    #expect(prompts.status == 0)
    // Row 0 is read by can_infer (the text 'walking'), row 1 by the first-token rule; rows 2 and 3 need the judge.
    #expect(prompts.lines.count == 2, "\(prompts.stdout)")
    #expect(prompts.stderr.contains("2 of 4 rows need the judge"))
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"]
    let run = try ToolRunner.sh(
      "\(root)/pipelines/judge.sh M_MVBench.xlsx --format csv -- --api-base \(server.url) --model gpt-3.5-turbo-0125", cwd: d.path, env: env)
    #expect(run.status == 0, "\(run)")
    // Judge: the first option the answer names, 'left' -> A (correct), 'hmm' -> Z (wrong); row 0 walking = B correct, row 1 B wrong (answer running = A).
    #expect(run.stdout.contains("MVBench,parity,overall,overall,2,4,50.00"), "\(run.stdout)")
  }

  @Test func errorsHaveTheirExitStatus() throws {
    let d = TempDir()
    d.write("x.tsv", "index\tquestion\n0\tq\n")
    let unknown = try ToolRunner.run("vscore", ["x.tsv"], cwd: d.path)
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("vscore: error: cannot tell how to score 'x'"), "\(unknown.stderr)")
    let noPrediction = try ToolRunner.run("vscore", ["x.tsv", "--rules", "mcq"], cwd: d.path)
    #expect(noPrediction.status == 65)
    #expect(noPrediction.stderr.contains("no 'prediction' column"))
    let missing = try ToolRunner.run("vscore", ["nope.xlsx"], cwd: d.path)
    #expect(missing.status == 66, "\(missing)")
    d.write("bad.xlsx", "not a zip")
    let bad = try ToolRunner.run("vscore", ["bad.xlsx", "--dataset", "MVBench"], cwd: d.path)
    #expect(bad.status == 65, "\(bad)")
    #expect(bad.stderr.hasPrefix("vscore: bad.xlsx: error: not a readable .xlsx (zip) file"), "\(bad.stderr)")
    // A row with broken candidates is reported and the others are scored (exit 1).
    d.write("GPT_MVBench.tsv", "index\ttask_type\tanswer\tcandidates\tprediction\n0\tT\ta\t['a', 'b']\tA\n1\tT\ta\t['a', 'b\tA\n")
    let partial = try ToolRunner.run("vscore", ["GPT_MVBench.tsv", "--no-files"], cwd: d.path)
    #expect(partial.status == 1, "\(partial)")
    #expect(partial.stderr.contains("row 1: candidates is not a Python list"), "\(partial.stderr)")
  }
}
