import Foundation
import Testing
import VCore
import VMedia
import VTestSupport

/// The audio presets end to end, on generated videos with a PCM track: vframes writes the
/// track's WAV, vprompt places it, vinfer sends it as `input_audio` to the loopback server, which
/// checks every audio part (base64 of a 16-bit PCM RIFF/WAVE at 44100 Hz) and answers 400 to one
/// that is not; then vmerge and vscore.
@Suite(.serialized) struct AudioEndToEndTests {
  func parse(_ line: String) throws -> JSONObject { try #require(try JSONParser.parse(line).objectValue) }

  func records(_ text: String) throws -> [JSONObject] { try text.split(separator: "\n").map { try parse(String($0)) } }

  func vinfer(_ server: FakeServer, _ d: TempDir, _ input: String) throws -> ToolOutput {
    try ToolRunner.run(
      "vinfer", ["--api-base", server.url, "--model", "test-model", "--media-root", d.path, "--backoff", "0.01", "-o", "answers.jsonl", input],
      cwd: d.path)
  }

  /// The 16-bit samples after a 44-byte WAV header.
  static func samples(_ wav: [UInt8]) -> [Int16] {
    stride(from: 44, to: wav.count - 1, by: 2).map { Int16(bitPattern: UInt16(wav[$0]) | UInt16(wav[$0 + 1]) << 8) }
  }

  @Test func worldSenseAudio() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/videos"), withIntermediateDirectories: true)
    // WorldSense ships MP4s; this one is a QuickTime file with a PCM track (FFmpeg probes by
    // content), so the WAV vframes writes can be compared sample for sample.
    let tone = BarcodeVideo.stereoTone(seconds: 2)
    try BarcodeVideo.make(d.file("root/videos/v1.mp4"), codec: "libx264", frames: 60, gop: 10, audio: tone, container: "mov")
    var tsv = "index\tvideo\tduration\tdomain\tcandidates\tsub_category\taudio_class\ttask_domain\ttask_type\tquestion\tanswer\n"
    tsv += "0\tv1\t2\tSports\t['A. red', 'B. blue', 'C. green', 'D. none']\tBall\t['Speech']\tRecognition\tAudio Recognition\tWhat is said?\tA\n"
    tsv += "1\tv1\t2\tSports\t['A. one', 'B. two', 'C. three', 'D. four']\tBall\t['Event']\tCounting\tAudio Counting\tHow many beeps?\tB\n"
    d.write("WorldSense.tsv", tsv)
    let preset = "WorldSense_8frame_audio"
    let p = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache WorldSense.tsv | vprompt --preset \(preset) > prompts.jsonl", cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try records(d.read("prompts.jsonl"))
    #expect(prompts.count == 2)
    // One WAV in the frame folder, shared by both rows, placed after the frames.
    let audio = try #require(prompts[0]["audio"]?.stringValue)
    #expect(audio.hasSuffix("/cache/WorldSense/v1/audio.wav") && prompts[1]["audio"]?.stringValue == audio, "\(audio)")
    let items = messages(prompts[0])
    #expect(items.map { $0["type"]?.stringValue ?? "" } == ["text"] + Array(repeating: "image", count: 8) + ["audio", "text", "text"])
    #expect(items[9]["value"]?.stringValue == audio)
    let wav = try [UInt8](Data(contentsOf: URL(fileURLWithPath: audio)))
    #expect(Array(wav[0..<4]) == Array("RIFF".utf8) && wav.count == 44 + 88200 * 4)
    #expect(Self.samples(wav) == tone.samples)

    let server = try FakeServer()
    let run = try vinfer(server, d, "prompts.jsonl")
    #expect(run.status == 0, "\(run)")
    let answered = try records(d.read("answers.jsonl"))
    #expect(answered.count == 2 && answered.allSatisfy { $0["error"] == nil }, "\(answered)")
    let seen = server.requests
    #expect(seen.count == 2 && seen.allSatisfy { $0["valid"] as? Bool == true && $0["audio"] as? Int == 1 && $0["images"] as? Int == 8 }, "\(seen)")
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta WorldSense.tsv -o out/", cwd: d.path)
    #expect(merged.status == 0, "\(merged)")
    let score = try ToolRunner.run("vscore", ["out/test-model_WorldSense.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
  }

  /// AV-SpeakerBench's audio-only configs send the dataset's own WAV and no frames; a WAV the
  /// server refuses (here 16 kHz: the loopback server asks for 44100) is a failed answer with the
  /// server's reason, and the other row is answered.
  @Test func avSpeakerBenchAudioOnly() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.file("root/av"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: d.file("root/audio"), withIntermediateDirectories: true)
    for c in ["c1", "c2"] { try BarcodeVideo.make(d.file("root/av/\(c).mp4"), codec: "libx264", frames: 30, gop: 10) }
    let tone = BarcodeVideo.stereoTone(seconds: 1)
    d.write("root/audio/c1.wav", bytes: AudioTrack.wavFile(tone.samples, sampleRate: 44100, channels: 2))
    d.write("root/audio/c2.wav", bytes: AudioTrack.wavFile([Int16](repeating: 100, count: 16000), sampleRate: 16000, channels: 1))
    var tsv = "index\tvideo\tvisual_path\taudio_visual_path\taudio_path\tquestion\tchoices\tanswer\ttask_id\n"
    tsv += "0\tc1\tvisual/c1.mp4\tav/c1.mp4\taudio/c1.wav\tWho speaks?\t['A. x', 'B. y', 'C. z', 'D. w']\tA\t1\n"
    tsv += "1\tc2\tvisual/c2.mp4\tav/c2.mp4\taudio/c2.wav\tWho speaks?\t['A. x', 'B. y', 'C. z', 'D. w']\tB\t2\n"
    d.write("AV-SpeakerBench.tsv", tsv)
    let preset = "AV-SpeakerBench_audio_only_8frame"
    let p = try ToolRunner.sh(
      "vframes --preset \(preset) --video-root root --frame-root cache AV-SpeakerBench.tsv | vprompt --preset \(preset) > prompts.jsonl",
      cwd: d.path)
    #expect(p.status == 0, "\(p)")
    let prompts = try records(d.read("prompts.jsonl"))
    #expect(prompts.count == 2)
    #expect(prompts[0]["audio"]?.stringValue?.hasSuffix("/root/audio/c1.wav") == true, "\(prompts[0])")
    #expect(!messages(prompts[0]).contains { $0["type"]?.stringValue == "image" })
    #expect(messages(prompts[0]).contains { $0["type"]?.stringValue == "audio" })

    let server = try FakeServer()
    let run = try vinfer(server, d, "prompts.jsonl")
    #expect(run.status == 1, "\(run)")
    let byID = Dictionary(uniqueKeysWithValues: try records(d.read("answers.jsonl")).map { ($0["id"]?.stringValue ?? "", $0) })
    #expect(byID["0"]?["error"] == nil && byID["0"]?["prediction"]?.stringValue?.isEmpty == false, "\(byID)")
    let e = try #require(byID["1"]?["error"]?.objectValue, "\(byID)")
    #expect(e["status"] == .int(400), "\(e)")
    #expect(e["body"]?.stringValue?.contains("input_audio is not 16-bit PCM at the expected rate (16000 Hz, 16 bits)") == true, "\(e)")
    let problems = server.requests.compactMap { $0["problem"] as? String }
    #expect(!problems.isEmpty && problems.allSatisfy { $0.hasPrefix("input_audio is not 16-bit PCM") }, "\(problems)")
    // vmerge keeps the failed row (VLMEvalKit's FAIL marker) and says so with status 1.
    let merged = try ToolRunner.sh("vmerge answers.jsonl --meta AV-SpeakerBench.tsv -o out/", cwd: d.path)
    #expect(merged.status == 1 && merged.stderr.contains("2 rows, 1 answered, 1 failed"), "\(merged)")
    let score = try ToolRunner.run("vscore", ["out/test-model_AV-SpeakerBench.xlsx"], cwd: d.path)
    #expect(score.status == 0, "\(score)")
  }
}
