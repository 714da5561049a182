import Foundation
import Testing
import VCore
import VTestSupport

/// VideoMMMU and Video-TT end to end on generated data: vframes | vprompt | vinfer --backend
/// chance, then vmerge and vscore, on tables laid out as VLMEvalKit's prepare_dataset writes them.
@Suite(.serialized) struct VideoMMMUTTEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }
  func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  /// A PNG header and filler: enough for vinfer's magic-byte check.
  static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 1, count: 64)

  @Test func videoMMMUPipeline() throws {
    let d = TempDir()
    for (folder, id) in [("Adaptation", "adapt_1"), ("Adaptation", "adapt_2"), ("Perception", "perc_1"), ("Comprehension", "comp_1")] {
      try FileManager.default.createDirectory(atPath: d.file("root/videos/\(folder)"), withIntermediateDirectories: true)
      try BarcodeVideo.make(d.file("root/videos/\(folder)/\(id).mp4"), codec: "libx264", frames: 45, gop: 15)
    }
    _ = d.write("root/images/adapt_1.png", bytes: Self.png)
    let inline = Data(Self.png).base64EncodedString()
    // prepare_dataset's columns; pandas quotes the JSON options ("" inside).
    d.write(
      "VideoMMMU_8frame.tsv",
      """
      index\tid\tcategory\tquestion\toptions\tanswer\tquestion_type\tvideo\timage
      0\tadapt_1\tAdaptation\tWhat is <image 1>?\t"[""12"", ""13"", ""14""]"\tB\tmultiple-choice\tvideos/Adaptation/adapt_1.mp4\timages/adapt_1.png
      1\tadapt_2\tAdaptation\tCompute <image 1>.\t[]\t24\topen\tvideos/Adaptation/adapt_2.mp4\t\(inline)
      2\tperc_1\tPerception\tWhich comes first?\t"[""A. red"", ""B. blue""]"\tA\tmultiple-choice\tvideos/Perception/perc_1.mp4\t
      3\tcomp_1\tComprehension\tWhy?\t"[""x"", ""y"", ""z"", ""w""]"\tC\tmultiple-choice\tvideos/Comprehension/comp_1.mp4\t

      """)
    let r = try ToolRunner.sh(
      "vframes --preset VideoMMMU_8frame --video-root root --frame-root cache VideoMMMU_8frame.tsv | vprompt --preset VideoMMMU_8frame --data-root root > p.jsonl && vinfer --backend chance p.jsonl > a.jsonl && vmerge a.jsonl --meta VideoMMMU_8frame.tsv -o out/",
      cwd: d.path)
    #expect(r.status == 0, "\(r)")
    let recs = try d.read("p.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(recs.count == 4)
    // Frames are cached under the row's id; the lock is VLMEvalKit's, beside the video.
    #expect(exists(d.file("cache/VideoMMMU/adapt_1/frame-8-of-8.jpg")))
    #expect(exists(d.file("root/videos/Adaptation/adapt_1f.lock")))
    #expect(!exists(d.file("cache/VideoMMMU/adapt_1.lock")))
    let m0 = recs[0]["messages"]?.arrayValue ?? []
    #expect(m0.count == 10)
    #expect(m0[8].objectValue?["value"]?.stringValue == d.file("root/images/adapt_1.png"))
    #expect(
      m0[9].objectValue?["value"]?.stringValue?.hasSuffix(
        "What is <image 1>?\nA. 12\nB. 13\nC. 14\nAdd `Answer: {Your final answer}` at the end of your reply.") == true)
    // The inline image was written once under images/, named by the record id (the index).
    #expect(recs[1]["messages"]?.arrayValue?[8].objectValue?["value"]?.stringValue == d.file("root/images/1.png"))
    #expect(try FileIO.readFile(d.file("root/images/1.png")) == Self.png)
    #expect(recs[2]["messages"]?.arrayValue?.last?.objectValue?["value"]?.stringValue?.contains("Please ignore the Quiz question") == true)
    // The chance backend answered every multiple-choice row with a letter of its options.
    let answers = try d.read("a.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(answers.filter { ["A", "B", "C", "D"].contains($0["prediction"]?.stringValue ?? "") }.count == 3)

    let score = try ToolRunner.run("vscore", ["out/chance_VideoMMMU_8frame.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(score.stdout.hasPrefix("VideoMMMU_8frame: VideoMMMU rules, parity mode\n"), "\(score.stdout)")
    #expect(score.stdout.contains("1 open-ended answers scored wrong"), "\(score.stdout)")
    let csv = d.read("out/chance_VideoMMMU_8frame_score_score.csv")
    #expect(csv.hasPrefix(#""Adaptation","Perception","Comprehension","Overall""# + "\n"), "\(csv)")
    #expect(csv.split(separator: "\n")[1] == #""2.0","1.0","1.0","4.0""#, "\(csv)")
    let sheet = try ToolRunner.shell(["/usr/bin/unzip", "-p", d.file("out/chance_VideoMMMU_8frame_score.xlsx"), "xl/worksheets/sheet1.xml"])
    #expect(sheet.stdout.contains("parsed_pred"))
    #expect(!sheet.stdout.contains(">score<"), "no score column, as VLMEvalKit")
  }

  @Test func videoTTPipeline() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/video"), withIntermediateDirectories: true)
    for v in ["v1", "v2"] { try BarcodeVideo.make(d.file("root/video/\(v).mp4"), codec: "libx264", frames: 40, gop: 20) }
    d.write(
      "Video_TT_16frame.tsv",
      """
      index\tvideo\tvideo_path\tduration\tquestion\tquestion_prompt\tcapability\tanswer
      0\tv1\t./video/v1.mp4\t12.5\tWhy?\t"A. a
      B. b
      C. c
      D. d"\tPlot Attribute\tA
      1\tv2\t./video/v2.mp4\t8.0\tHow many?\t"A. 1
      B. 2"\tElement Counting\tB

      """)
    let r = try ToolRunner.sh(
      "vframes --preset Video_TT_16frame --video-root root --frame-root cache Video_TT_16frame.tsv | vprompt --preset Video_TT_16frame | vinfer --backend chance > a.jsonl && vmerge a.jsonl --meta Video_TT_16frame.tsv -o out/",
      cwd: d.path)
    #expect(r.status == 0, "\(r)")
    #expect(exists(d.file("cache/Video-TT/v1/frame-16-of-16.jpg")))
    #expect(exists(d.file("root/video/v1.lock")))
    let answers = try d.read("a.jsonl").split(separator: "\n").map { try parse(String($0)) }
    #expect(answers.count == 2)
    let score = try ToolRunner.run("vscore", ["out/chance_Video_TT_16frame.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
    #expect(score.stdout.hasPrefix("Video_TT_16frame: Video-TT rules, parity mode\n"), "\(score.stdout)")
    #expect(score.stdout.contains("16 of the 18 capabilities have no questions"), "\(score.stdout)")
    let rating = try #require(try JSONParser.parse(d.read("out/chance_Video_TT_16frame_rating.json")).objectValue)
    #expect(rating.keys.count == 19 && rating.keys.last == "overall")
    #expect(rating["Event Counting"].map { JSONSerializer.serialize($0) } == #"{"number":0,"correct":0,"score":null}"#)
    #expect(rating["overall"].map { JSONSerializer.serialize($0) } == #"{"number":2,"correct":0,"score":0.0}"#)
    #expect(d.read("out/chance_Video_TT_16frame_rating.json").contains("\n    \"overall\": {\n        \"number\": 2,"))
  }
}
