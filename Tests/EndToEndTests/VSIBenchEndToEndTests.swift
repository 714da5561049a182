import Foundation
import Testing
import VCore
import VTestSupport

/// VSI-Bench through the five tools on a generated dataset in VLMEvalKit's layout (the TSVs in
/// the LMUData root, the videos where the `nyu-visionx/VSI-Bench` zips extract): fps mode with its
/// tail frame, answers from the loopback server (which answers `images=N`, so the numeric rows
/// see the frame count the model got), then the chance baseline on VSI-Bench-Debiased.
@Suite(.serialized) struct VSIBenchEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  func dataset(_ d: TempDir) throws {
    for dir in ["hub/arkitscenes", "hub/scannet", "lmu"] {
      try FileManager.default.createDirectory(atPath: d.file(dir), withIntermediateDirectories: true)
    }
    // 75 frames at 30 fps (2.5 s) and 61 frames (2.03 s).
    try BarcodeVideo.make(d.file("hub/arkitscenes/41069025.mp4"), codec: "libx264", frames: 75, gop: 20, bFrames: 2)
    try BarcodeVideo.make(d.file("hub/scannet/scene0000_00.mp4"), codec: "libx264", frames: 61, gop: 15)
    var tsv = "index\tid\tdataset\tscene_name\tquestion_type\tquestion\tanswer\tcandidates\tvideo\n"
    tsv += "0\t1\tarkitscenes\t41069025\tobject_counting\tHow many chair(s) are in this room?\t6\t\tarkitscenes/41069025.mp4\n"
    tsv += "1\t2\tarkitscenes\t41069025\troute_planning\tHow do I get to the door?\tA\t['A. Turn left', 'B. Turn right']\tarkitscenes/41069025.mp4\n"
    tsv += "2\t3\tscannet\tscene0000_00\tobject_size_estimation\tHow long is the bed (in cm)?\t5\t\tscannet/scene0000_00.mp4\n"
    tsv +=
      "3\t4\tscannet\tscene0000_00\tobject_rel_direction_easy\tIs the lamp to my left or right?\tB\t['A. left', 'B. right']\tscannet/scene0000_00.mp4\n"
    tsv += "4\t5\tscannet\tscene0000_00\troom_size_estimation\tWhat is the size of this room (in square meters)?\t10\t\tscannet/scene0000_00.mp4\n"
    d.write("lmu/VSI-Bench.tsv", tsv)
    d.write("lmu/VSI-Bench-Debiased.tsv", tsv)
  }

  @Test func fpsModeWithTheTailFrameThroughTheLoopbackServer() throws {
    let d = TempDir()
    try dataset(d)
    let preset = "VSI-Bench_2fps"
    let p = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root hub --frame-root cache lmu/VSI-Bench.tsv | vprompt --preset \(preset) > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(prompts.count == 5)
    // 2 fps: int(2.5 * 2) = 5 frames by 15, then the last frame 74 (6 frames); int(61/30 * 2) = 4,
    // then 60 (5 frames).
    #expect(prompts[0]["frame_indices"] == .array([0, 15, 30, 45, 60, 74].map { .int($0) }))
    #expect(prompts[2]["frame_indices"] == .array([0, 15, 30, 45, 60].map { .int($0) }))
    let items = messages(prompts[1])
    #expect(items.count == 7)
    let last = try #require(items[5]["value"]?.stringValue)
    #expect(last.hasSuffix("/cache/VSI-Bench/arkitscenes/41069025.mp4/frame-6-of-6-2.0fps.jpg"), "\(last)")
    #expect(try BarcodeVideo.read(file: last) == 74)
    #expect(
      items[6]["value"]
        == .string(
          "These are frames of a video.\nHow do I get to the door?\nA. Turn left\nB. Turn right\nAnswer with the option's letter from the given choices directly."
        ))
    #expect(
      messages(prompts[4]).last?["value"]
        == .string(
          "These are frames of a video.\nWhat is the size of this room (in square meters)?\nAnswer briefly and directly in one float number."))
    #expect(prompts[0]["template"]?.objectValue?["name"] == .string("vsi-bench"))

    let server = try FakeServer()
    let run = try ToolRunner.sh(
      "vinfer --api-base \(server.url) --model M --backoff 0.01 prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta lmu/VSI-Bench.tsv -o M_\(preset).xlsx && vscore M_\(preset).xlsx",
      cwd: d.path, env: ["OPENAI_API_KEY": "sk-test"])
    #expect(run.status == 0, "\(run)")
    #expect(server.requests.count == 5)
    // The server answers `images=6` / `images=5`: counting 6 of 6 and size 5 of 5 are exact (MRA
    // 1), the room 5 of 10 is within only the 0.5 threshold (0.1); both letters fail to match
    // (0). Only the easy direction type is there, so it counts in overall but is not reported:
    // (0 + 0 + 1 + 1 + 0.1) / 5.
    #expect(
      d.read("M_\(preset)_extract_matching_acc.csv")
        == "overall\tobject_counting_MRA:.5:.95:.05\tobject_size_estimation_MRA:.5:.95:.05\troom_size_estimation_MRA:.5:.95:.05\troute_planning_accuracy\n42.00000000000001\t100.0\t100.0\t10.0\t0.0\n"
    )
    #expect(FileManager.default.fileExists(atPath: d.file("M_\(preset)_extract_matching.xlsx")))
    #expect(run.stdout.contains("VSI-Bench_2fps: VSI-Bench rules, parity mode"), "\(run.stdout)")
    #expect(run.stdout.contains("object_rel_direction_easy_accuracy count in overall but are not reported"), "\(run.stdout)")
  }

  @Test func chanceBaselineOnTheDebiasedSubset() throws {
    let d = TempDir()
    try dataset(d)
    let preset = "VSI-Bench-Debiased_1fps"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root hub --frame-root cache lmu/VSI-Bench-Debiased.tsv | vprompt --preset \(preset)"
        + " | vinfer --backend chance > chance.jsonl && vmerge chance.jsonl --meta lmu/VSI-Bench-Debiased.tsv --dataset \(preset) -o out/ && vscore out/chance_\(preset).xlsx",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    // 1 fps: [0, 30] and the last frame, in the subset's own cache folder.
    #expect(FileManager.default.fileExists(atPath: d.file("cache/VSI-Bench-Debiased/scannet/scene0000_00.mp4/frame-3-of-3-1.0fps.jpg")))
    #expect(run.stdout.hasPrefix("\(preset): VSI-Bench rules, parity mode\n"), "\(run.stdout)")
    let acc = d.read("out/chance_\(preset)_extract_matching_acc.csv")
    #expect(acc.hasPrefix("overall\tobject_counting_MRA:.5:.95:.05\tobject_size_estimation_MRA:.5:.95:.05\t"), "\(acc)")
  }
}
