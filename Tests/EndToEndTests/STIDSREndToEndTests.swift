import Foundation
import Testing
import VCore
import VTestSupport

/// STI-Bench and DSR-Bench end to end on generated videos: `vframes | vprompt | vinfer --backend
/// chance`, then `vmerge` and `vscore`; then hand-written answers through `vmerge` and `vscore`
/// into VLMEvalKit's EASI file names.
@Suite(.serialized) struct STIDSREndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  @Test func stiBench() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/videos"), withIntermediateDirectories: true)
    // 60 frames at 30 fps: 2 seconds, so 30 frames are sampled at 15.00 FPS.
    try BarcodeVideo.make(d.file("root/videos/a.mp4"), codec: "libx264", frames: 60, gop: 10)
    var tsv = "index\tvideo\tquestion\ttime_start\ttime_end\toptions\tanswer\ttask_type\n"
    tsv += "0\tvideos/a.mp4\tHow far does it move?\t0\t1.5\t['1 m', '2 m', '3 m']\tB\tDisplacement & Path Length\n"
    tsv += "1\tvideos/a.mp4\tWhich way?\t0.5\t2\t['left', 'right']\tA\tEgo-Centric Orientation\n"
    d.write("STI-Bench.tsv", tsv)
    let p = try ToolRunner.sh(
      "vframes --preset STI-Bench_30frame --video-root root --frame-root cache STI-Bench.tsv | vprompt --preset STI-Bench_30frame > prompts.jsonl",
      cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 2)
    // np.linspace(0, 59, 30, dtype=int)
    let linspace = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 59]
    #expect(prompts[0]["frame_indices"] == .array(linspace.map { .int($0) }))
    let items = messages(prompts[0])
    #expect(items.count == 31)
    #expect(items[0]["value"]?.stringValue?.hasSuffix("/cache/STI-Bench/videos/a.mp4/frame-1-of-30.jpg") == true)
    #expect(
      items.last?["value"]
        == .string(
          "Answer the question below based on the frames provided, which are sampled at about 15.00 FPS.\nQuestion: From 0 seconds to 1.5 seconds. How far does it move?\nA 1 m\nB 2 m\nC 3 m\nPlease output only the option you choose!"
        ))
    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta STI-Bench.tsv -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let chance = try ToolRunner.run("vscore", ["out/chance_STI-Bench.xlsx"], cwd: d.path)
    #expect(chance.status == 0, "\(chance)")
    #expect(chance.stdout.hasPrefix("STI-Bench: STI-Bench rules, parity mode\n"), "\(chance.stdout)")

    d.write("answers.jsonl", answers(["The answer is B.", "<think>A or B</think>B"]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta STI-Bench.tsv -o M_STI-Bench_30frame.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_STI-Bench_30frame.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(
      d.read("M_STI-Bench_30frame_extract_matching_acc.csv")
        == "overall\tDisplacement & Path Length_accuracy\tEgo-Centric Orientation_accuracy\n50.0000\t100.0000\t0.0000\n")
    // Its one sheet is named as cal_scores names it.
    let workbook = try ToolRunner.sh(
      "python3 -c \"import zipfile; print(zipfile.ZipFile('M_STI-Bench_30frame_extract_matching.xlsx').read('xl/workbook.xml').decode())\"",
      cwd: d.path)
    #expect(workbook.status == 0 && workbook.stdout.contains("<sheet name=\"ALL\""), "\(workbook)")

    // The LLM grading path, asked for: judge.sh writes one grading prompt a row, the (fake) judge
    // grades them, vscore --judged scores the grades into the `_llm_{judge}` files.
    let server = try FakeServer()
    let env = ["VTOOLS_BIN_DIR": ToolRunner.binDir, "OPENAI_API_KEY": "sk-test"]
    let judged = try ToolRunner.sh(
      "\(FakeServer.repoRoot)/pipelines/judge.sh M_STI-Bench_30frame.xlsx --judge-name gpt-4o-mini -- --api-base \(server.url) --model gpt-4o-mini --backoff 0.01",
      cwd: d.path, env: env)
    #expect(judged.status == 0, "\(judged)")
    #expect(server.requests.count == 2)
    let graded = try d.read("M_STI-Bench_30frame_judge_prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(graded.map { $0["judge"]?.stringValue } == ["easi_mcq", "easi_mcq"])
    #expect(
      messages(graded[0]).last?["value"]?.stringValue?.hasSuffix(
        "How far does it move?\nOptions:\nA. 1 m\nB. 2 m\nC. 3 m\n\n<Original Question End>\n<Standard Answer Begin>\nB. 2 m\n<Standard Answer End>\n<Candidate's Answer Begin>\nThe answer is B.\n<Candidate's Answer End>\nYour output:"
      ) == true)
    #expect(judged.stdout.hasPrefix("STI-Bench_30frame: STI-Bench (judge_tag llm_gpt-4o-mini) rules, parity mode\n"), "\(judged.stdout)")
    #expect(
      d.read("M_STI-Bench_30frame_llm_gpt-4o-mini_acc.csv")
        == "overall\tDisplacement & Path Length_accuracy\tEgo-Centric Orientation_accuracy\n50.0000\t100.0000\t0.0000\n")
    #expect(FileManager.default.fileExists(atPath: d.file("M_STI-Bench_30frame_llm_gpt-4o-mini.xlsx")))
  }

  @Test func dsrBench() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/clips"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/clips/x.mp4"), codec: "libx264", frames: 60, gop: 10)
    var tsv = "index\tvideo\tquestion\toptions\tanswer\ttask_type\n"
    tsv += "0\tclips/x.mp4\tWhere does it go?\t[\"A. left\", \"B. right\"]\tA\tabs_dir\n"
    tsv += "1\tclips/x.mp4\tHow fast?\t['A. slow', 'B. fast']\tB\trel_spd\n"
    d.write("DSRBench.tsv", tsv)
    let p = try ToolRunner.sh(
      "vframes --preset DSRBench_1fps --video-root root --frame-root cache DSRBench.tsv | vprompt --preset DSRBench_1fps > prompts.jsonl", cwd: d.path
    )
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts[0]["frame_indices"] == .array([.int(0), .int(30)]))
    let items = messages(prompts[0])
    #expect(items.map { $0["type"]?.stringValue ?? "" } == ["text", "image", "image", "text"])
    #expect(items[1]["value"]?.stringValue?.hasSuffix("/cache/DSRBench/clips/x.mp4/frame-1-of-2-1.0fps.jpg") == true)
    #expect(items[3]["value"] == .string("Question: Where does it go?\nA. left\nB. right\nAnswer: "))
    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta DSRBench.tsv -o out/", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    d.write("answers.jsonl", answers(["A", "C"]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta DSRBench.tsv -o M_DSRBench_1fps.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_DSRBench_1fps.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(d.read("M_DSRBench_1fps_extract_matching_acc.csv") == "overall\tabs_dir_accuracy\trel_spd_accuracy\n50.0000\t100.0000\t0.0000\n")
  }
}
