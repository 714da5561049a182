import Foundation
import Testing
import VCore
import VTestSupport

/// CG-AV-Counting through the five tools on generated videos: a counting row, a reference-clip
/// row, and clue rows of each category (the box clues' frames at their annotated times), answered
/// by a small model program, scored by CGAVCounting/utils.py's rules.
@Suite(.serialized) struct CGAVCountingEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  static let event = #"[{""start"": 1.5, ""end"": 4.0}, {""start"": 10, ""end"": 12.5}]"#
  static let object =
    #"[{""timestamp"": 3, ""bbox"": [10, 20, 110, 220]}, {""timestamp"": 7.5, ""bbox"": [5, 5, 50, 50]}, {""timestamp"": 3, ""bbox"": [300, 300, 400, 380]}, {""timestamp"": 12.25, ""bbox"": [0, 0, 64, 64]}]"#
  static let attribute =
    #"[[{""timestamp"": 2.0, ""bbox"": [0, 0, 100, 100]}, {""timestamp"": 4, ""bbox"": [50, 50, 150, 150]}], [{""timestamp"": 4, ""bbox"": [200, 200, 260, 280]}, {""timestamp"": 9.125, ""bbox"": [10, 10, 20, 20]}]]"#

  @Test func countingReferenceAndClueRowsEndToEnd() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/cg_videos_720p"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: d.file("root/ref_videos"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/cg_videos_720p/abc.mp4"), codec: "libx264", frames: 420, gop: 60)
    try BarcodeVideo.make(d.file("root/ref_videos/abc_1.00_2.00.mp4"), codec: "libx264", frames: 40, gop: 20)
    // The TSV as upstream's generate_tsv writes it (pandas quoting of the JSON answers).
    let head = "index\tvideo_uid\tvideo\tref_video_path\tref_video_uid\tquestion\tanswer\ttype\tcategory\ttask_mode\n"
    let v = "abc.mp4\tcg_videos_720p/abc.mp4"
    d.write(
      "root/CG-AV-Counting.tsv",
      head + "0\t\(v)\t\t\tHow many cups?\t3\tvisual\tobject\tlong_acc\n"
        + "1\t\(v)\tref_videos/abc_1.00_2.00.mp4\tabc_1.00_2.00\tHow many barks?\t2\taudio\tevent\tref_acc\n"
        + "2\t\(v)\t\t\tHow many jumps?\t\"\(Self.event)\"\tvisual\tevent\tclue_acc\n"
        + "3\t\(v)\t\t\tHow many red cars?\t\"\(Self.object)\"\tvisual\tobject\tclue_acc\n"
        + "4\t\(v)\t\t\tHow many kinds of fruit?\t\"\(Self.attribute)\"\tvisual\tattribute\tclue_acc\n")
    // The model: an answer per record id.
    d.write(
      "model.sh",
      """
      #!/bin/sh
      id=$(cat | grep -o '"id": *"[0-9]*"' | head -n 1 | grep -o '[0-9]*')
      case "$id" in
      0) echo 3 ;;
      1) echo two ;;
      2) echo '<answer>[[1.5, 4.0]]</answer>' ;;
      3) echo '<answer>{"Frame1": [[12, 22, 100, 200]], "Frame2": [], "Frame3": []}</answer>' ;;
      4) echo '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100], "label": "apple"}], "Frame 2": [{"bbox": [50, 50, 150, 150], "label": "apple"}, {"bbox": [200, 200, 260, 280], "label": "pear"}], "Frame 3": [{"bbox": [10, 10, 20, 20], "label": "pear"}]}</answer>' ;;
      esac

      """)
    chmod(d.file("model.sh"), 0o755)
    let preset = "CG-AV-Counting_32frame"
    let run = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache root/CG-AV-Counting.tsv > frames.jsonl"
        + " && vprompt --preset \(preset) --data-root root frames.jsonl > prompts.jsonl"
        + " && vinfer --backend command --command ./model.sh --media-root . prompts.jsonl > answers.jsonl"
        + " && vmerge answers.jsonl --meta root/CG-AV-Counting.tsv --preset \(preset) -o out/"
        + " && vscore out/command_\(preset).xlsx --format csv",
      cwd: d.path)
    #expect(run.status == 0, "\(run)")
    let frames = try d.read("frames.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(frames.count == 5)
    // Counting and event rows: 32 sampled frames, cached under the uid (which keeps `.mp4`); the
    // reference row's clip under its own uid.
    #expect(FileManager.default.fileExists(atPath: d.file("cache/CG-AV-Counting/abc.mp4/frame-32-of-32.jpg")))
    #expect(FileManager.default.fileExists(atPath: d.file("cache/CG-AV-Counting/abc_1.00_2.00/frame-1-of-32.jpg")))
    #expect(frames[1]["video_info"]?.objectValue?["n_frames"] == .int(40))
    // Box clues: the frames at their times, int(t * 30).
    let objectFrames = (frames[3]["frames"]?.arrayValue ?? []).compactMap(\.stringValue)
    #expect(objectFrames.map { ($0 as NSString).lastPathComponent } == ["frame-3.jpg", "frame-7.5.jpg", "frame-12.25.jpg"])
    #expect(frames[3]["frame_indices"] == .array([.int(90), .int(225), .int(367)]))
    #expect(try objectFrames.map { try BarcodeVideo.read(file: $0) } == [90, 225, 367])
    #expect(frames[3]["sampling"]?.objectValue?["method"] == .string("timestamps"))
    let attributeFrames = (frames[4]["frames"]?.arrayValue ?? []).compactMap(\.stringValue)
    #expect(attributeFrames.map { ($0 as NSString).lastPathComponent } == ["frame-2.0.jpg", "frame-4.jpg", "frame-9.125.jpg"])
    #expect(frames[2]["frame_indices"]?.arrayValue?.count == 32)
    // A second run reads every row's frames from the cache (the clue frames by their own sidecar).
    let again = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache --stats root/CG-AV-Counting.tsv > frames2.jsonl", cwd: d.path)
    #expect(again.status == 0 && again.stderr.contains("cached=4"), "\(again)")
    #expect(try d.read("frames2.jsonl") == d.read("frames.jsonl"))
    // Prompts: the box rows label their frames; the event row starts with the frame times.
    let prompts = try d.read("prompts.jsonl").split(separator: "\n").map { try parse(String($0)) }
    let object = try #require(prompts[3]["messages"]?.arrayValue?.compactMap { $0.objectValue })
    #expect(object.first?["value"] == .string("There are 3 frames in the size of 160x96"))
    #expect(object[1]["value"] == .string("Frame1:") && object[2]["type"] == .string("image"))
    let event = try #require(prompts[2]["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue)
    #expect(event.hasPrefix("A total of 32 frames are sampled. Their corresponding timestamps are:\n\n0.4, 0.8333, 1.2667, "), "\(event)")
    // Scores: long 3 = 3; ref two vs 2; clue WCS 0.5, 0.1475, 1.0 (VLMEvalKit's own post_process).
    let rating = try #require(try JSONParser.parse(Array(d.read("out/command_\(preset)_rating.json").utf8)).objectValue)
    #expect(rating["long_acc/acc"] == .number("1.0") && rating["ref_acc/acc"] == .number("1.0"))
    #expect(rating["ref_acc/mae"] == .number("0.0"))
    #expect(rating["clue_acc/wcs"] == .number("0.5492") && rating["clue_acc/ifa"] == .number("1.0"))
    let csv = try d.read("out/command_\(preset)_score.csv")
    #expect(
      csv.hasPrefix(
        #""index","video_uid","video","ref_video_path","ref_video_uid","question","answer","type","category","task_mode","prediction","score","acc","oboa","mae","rmse","wcs","ifa""#
      ))
    #expect(FileManager.default.fileExists(atPath: d.file("out/command_\(preset)_score.xlsx")))
    #expect(run.stdout.contains("CG-AV-Counting_32frame,parity,clue_acc,wcs,,3,0.55"), "\(run.stdout)")
  }

  /// A clue time past the video's end is an error record for that row only.
  @Test func aTimeOutsideTheVideoFailsItsRow() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/cg_videos_720p"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/cg_videos_720p/abc.mp4"), codec: "libx264", frames: 60, gop: 30)
    let head = "index\tvideo_uid\tvideo\tref_video_path\tref_video_uid\tquestion\tanswer\ttype\tcategory\ttask_mode\n"
    d.write(
      "t.tsv",
      head + "0\tabc.mp4\tcg_videos_720p/abc.mp4\t\t\tq\t3\tvisual\tobject\tlong_acc\n"
        + "1\tabc.mp4\tcg_videos_720p/abc.mp4\t\t\tq\t\"\(Self.object)\"\tvisual\tobject\tclue_acc\n")
    let run = try ToolRunner.sh("vframes --preset CG-AV-Counting_32frame --video-root root --frame-root cache t.tsv > frames.jsonl", cwd: d.path)
    #expect(run.status == 1, "\(run)")
    let frames = try d.read("frames.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(frames[0]["error"] == nil && frames[0]["frames"]?.arrayValue?.count == 32)
    #expect(frames[1]["error"]?.objectValue?["code"] == .string("bad_bounds"), "\(frames[1])")
  }
}
