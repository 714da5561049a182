import Foundation
import Testing
import VCore
import VTestSupport

@Suite(.serialized) struct VPromptEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  @Test func presetsDriveFramesAndPromptsAndPackGroupsByVideo() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/video"), withIntermediateDirectories: true)
    try BarcodeVideo.make(d.file("root/video/v1.mp4"), codec: "libx264", frames: 90, gop: 30)
    try BarcodeVideo.make(d.file("root/video/v2.mp4"), codec: "libx264", frames: 60, gop: 30)
    d.write("mmb.tsv", "index\tvideo\tquestion\tanswer\n5\tv1\tWhat colour?\tred\n6\tv2\tHow many?\ttwo\n7\tv1\tWhere is it?\tleft\n")
    let r = try ToolRunner.sh(
      "vframes --preset MMBench_Video_8frame_pack --video-root root --frame-root cache mmb.tsv | vprompt --preset MMBench_Video_8frame_pack",
      cwd: d.path)
    #expect(r.status == 0, "\(r)")
    let recs = try r.lines.map(parse)
    #expect(recs.map { $0["id"]?.stringValue } == ["pack:v1", "pack:v2"])
    #expect(recs[0]["pack"] == .array([.string("5"), .string("7")]))
    let msgs = recs[0]["messages"]?.arrayValue ?? []
    #expect(msgs.count == 10)
    let last = msgs.last?.objectValue?["value"]?.stringValue
    #expect(last == "Questions: \n{\"5\": \"What colour?\", \"7\": \"Where is it?\"}\nAnswers: \n")
    #expect(
      msgs.first?.objectValue?["value"]?.stringValue?.hasPrefix(
        "You are an AI assistant responsible for answering questions about videos.\nYou will be provided with 8 separate frames") == true)
    let frame = msgs[1].objectValue?["value"]?.stringValue ?? ""
    #expect(frame.hasSuffix("/cache/MMBench-Video/v1/frame-1-of-8.jpg"))
    #expect(recs[0]["template"]?.objectValue?["name"] == .string("mmbench_video"))
  }

  @Test func errorsPassThroughAndBadRowsAreReported() throws {
    let d = TempDir()
    d.write(
      "in.jsonl",
      """
      {"id":"1","question":"Q","candidates":"['a', 'b']","frames":["/f1"]}
      {"id":"2","question":"Q","candidates":"['a', ","frames":["/f1"]}
      {"id":"3","error":{"stage":"vframes","code":"video_missing","message":"x"}}

      """)
    let r = try ToolRunner.run("vprompt", ["--preset", "MVBench_8frame", d.file("in.jsonl")])
    #expect(r.status == 1)
    let recs = try r.lines.map(parse)
    #expect(recs.count == 3)
    #expect(recs[0]["messages"] != nil)
    #expect(recs[1]["error"]?.objectValue?["stage"] == .string("vprompt"))
    #expect(recs[1]["error"]?.objectValue?["code"] == .string("bad_field"))
    #expect(recs[2]["error"]?.objectValue?["stage"] == .string("vframes"))
    #expect(recs[2]["messages"] == nil)
    #expect(r.stderr.contains("vprompt: \(d.file("in.jsonl")):2: error: id 2:"))
  }

  @Test func listingsAndUsage() throws {
    let list = try ToolRunner.run("vprompt", ["--list-presets"])
    #expect(list.status == 0)
    for name in [
      "MVBench_8frame", "Video-MME_0.5fps_subs", "MMBench_Video_1fps_pack", "LongVideoBench_8frame_subs", "MLVU_1fps", "TempCompass_0.5fps",
      "WorldSense_32frame_subs",
    ] {
      #expect(list.stdout.contains(name + "\t"), "missing preset \(name)")
    }
    let bad = try ToolRunner.run("vprompt", ["--preset", "Nope"])
    #expect(bad.status == 64)
    let tmpl = try ToolRunner.run("vprompt", ["--template", "nosuch"], stdin: "")
    #expect(tmpl.status == 64)
    #expect(tmpl.stderr.contains("vprompt: error: unknown template 'nosuch'"))
  }
}
