import Foundation
import Testing
import VCore
import VTestSupport

/// VSI-SUPER-Recall and VSI-SUPER-Count end to end on generated videos (short ones stand in for
/// the 10-240 minute originals): `vframes | vprompt | vinfer --backend chance`, `vmerge`,
/// `vscore`; then hand-written answers into VLMEvalKit's EASI file names.
@Suite(.serialized) struct VSISuperEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  @Test func recall() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/10mins"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/10mins/00000001.mp4"), codec: "libx264", frames: 60, gop: 10)
    var tsv = "index\tvideo\tquestion\toptions\tanswer\tquestion_type\n"
    tsv += "0\t10mins/00000001.mp4\t Which room did the bear appear in first? \t['A. Kitchen', 'B. Bedroom', 'C. Hall', 'D. Bath']\tB\tvsr\n"
    tsv += "1\t10mins/00000001.mp4\tWhich order?\t['A. 1-2', 'B. 2-1']\tA\tvsr_order\n"
    d.write("VsiSuperRecall_10mins.tsv", tsv)
    let p = try ToolRunner.sh(
      "vframes --preset VsiSuperRecall_10mins_16frame --video-root root --frame-root cache VsiSuperRecall_10mins.tsv"
        + " | vprompt --preset VsiSuperRecall_10mins_16frame > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 2)
    // np.linspace(0, 59, 16, dtype=int): no tail frame is added.
    let linspace = [0, 3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59]
    #expect(prompts[0]["frame_indices"] == .array(linspace.map { .int($0) }))
    let items = messages(prompts[0])
    #expect(items.count == 17)
    #expect(items[0]["value"]?.stringValue?.hasSuffix("/cache/VsiSuperRecall_10mins/10mins/00000001.mp4/frame-1-of-16.jpg") == true)
    #expect(
      items.last?["value"]
        == .string(
          "Which room did the bear appear in first?\nOptions:\nA. Kitchen\nB. Bedroom\nC. Hall\nD. Bath\nAnswer with the option's letter from the given choices directly."
        ))
    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta VsiSuperRecall_10mins.tsv -o out/"
        + " --dataset VsiSuperRecall_10mins_16frame", cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let chance = try ToolRunner.run("vscore", ["out/chance_VsiSuperRecall_10mins_16frame.xlsx"], cwd: d.path)
    #expect(chance.status == 0, "\(chance)")
    #expect(chance.stdout.hasPrefix("VsiSuperRecall_10mins_16frame: VSI-SUPER-Recall rules, parity mode\n"), "\(chance.stdout)")

    d.write("answers.jsonl", answers(["The answer is B.", "B"]))
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta VsiSuperRecall_10mins.tsv -o M_VsiSuperRecall_10mins_16frame.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_VsiSuperRecall_10mins_16frame.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(
      d.read("M_VsiSuperRecall_10mins_16frame_extract_matching_acc.csv")
        == "overall\tvsr_accuracy\tvsr_order_accuracy\n50.0000\t100.0000\t0.0000\n")
    #expect(FileManager.default.fileExists(atPath: d.file("M_VsiSuperRecall_10mins_16frame_extract_matching.xlsx")))
  }

  @Test func countDropsStreamingRows() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/10mins"), withIntermediateDirectories: true)
    // 75 frames at 30 fps: 2.5 s, so 2 fps takes int(2.5 * 2) = 5 frames, and no tail frame.
    try BarcodeVideo.make(d.file("root/10mins/scene.mp4"), codec: "libx264", frames: 75, gop: 10)
    var tsv = "index\tvideo\tquestion\tanswer\tquestion_type\tquery_times\n"
    tsv += "0\t10mins/scene.mp4\tHow many chairs are there?\t12\t10mins\t\n"
    tsv += "1\t10mins/scene.mp4\tHow many chairs so far?\t[3, 5]\t10mins_streaming\t[10, 20]\n"
    tsv += "2\t10mins/scene.mp4\t How many tables are there?  \t4\t10mins\t\n"
    d.write("VsiSuperCount_10mins.tsv", tsv)
    let p = try ToolRunner.sh(
      "vframes --preset VsiSuperCount_10mins_2fps --video-root root --frame-root cache VsiSuperCount_10mins.tsv"
        + " | vprompt --preset VsiSuperCount_10mins_2fps > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    #expect(p.stderr.contains("keeps 2 of 3 rows ('_streaming' not in question_type)"), "\(p.stderr)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.map { $0["id"]?.stringValue } == ["0", "2"])
    #expect(prompts[0]["frame_indices"] == .array([0, 15, 30, 45, 60].map { .int($0) }))
    let items = messages(prompts[0])
    #expect(items.count == 6)
    #expect(items[4]["value"]?.stringValue?.hasSuffix("/cache/VsiSuperCount_10mins/10mins/scene.mp4/frame-5-of-5-2.0fps.jpg") == true)
    #expect(
      items.last?["value"]
        == .string("These are frames of a video.\nHow many chairs are there?\nPlease answer the question using a single word or phrase."))
    let run = try ToolRunner.sh(
      "vinfer --backend chance prompts.jsonl > chance.jsonl && vmerge chance.jsonl --meta VsiSuperCount_10mins.tsv --preset VsiSuperCount_10mins_2fps -o out/",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")

    // Ids 0 and 2 (the streaming row 1 is not asked).
    var bytes: [UInt8] = []
    for (id, p) in [("0", "There are 11 chairs."), ("2", "four")] {
      let o = JSONObject([("id", .string(id)), ("prediction", .string(p)), ("inference", .object(JSONObject([("model", .string("M"))])))])
      JSONSerializer.write(.object(o), into: &bytes)
      bytes.append(0x0A)
    }
    d.write("answers.jsonl", String(decoding: bytes, as: UTF8.self))
    let merged = try ToolRunner.sh(
      "vmerge answers.jsonl --meta VsiSuperCount_10mins.tsv --preset VsiSuperCount_10mins_2fps -o M_VsiSuperCount_10mins_2fps.xlsx", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["M_VsiSuperCount_10mins_2fps.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(score.stdout.hasPrefix("VsiSuperCount_10mins_2fps: VSI-SUPER-Count rules, parity mode\n"), "\(score.stdout)")
    // 11 for 12: error 1/12 passes the 9 thresholds up to 0.9; four for 4: all 10.
    #expect(d.read("M_VsiSuperCount_10mins_2fps_extract_matching_acc.csv") == "metric\tvalue\noverall\t95.0\n10mins_MRA:.5:.95:.05\t95.0\n")
  }
}
