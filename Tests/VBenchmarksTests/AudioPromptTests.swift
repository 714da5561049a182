import Testing
import VCore
import VPrompt

@testable import VBenchmarks

/// The audio configs' prompts. Every expected message list is the JSON of VLMEvalKit's own
/// `AVSpeakerBench.build_prompt` and `WorldSense.build_prompt` (commit e8e78f05) run on the same
/// rows (frames stubbed; the audio path is VLMEvalKit's, which vframes' `audio` stands for).
@Suite struct AudioPromptTests {
  static func build(_ p: any PromptTemplate, _ rec: JSONObject, videoLLM: Bool) throws -> JSONValue {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data", subtitles: false, strict: false, warn: { _ in })
    return .array(try p.build(t).map(\.json))
  }

  static let avs = JSONObject([
    ("video", .string("clip7")), ("visual_path", .string("visual/clip7.mp4")), ("audio_visual_path", .string("audio_visual/clip7.mp4")),
    ("audio_path", .string("audio/clip7.wav")), ("question", .string("Who speaks first?")),
    ("choices", .string(#"['A. The man in red', 'B. The woman', "C. Nobody's there", 'D. The child']"#)),
    ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
    ("video_info", .object(JSONObject([("path", .string("/data/audio_visual/clip7.mp4"))]))),
  ])

  static let ws = JSONObject([
    ("video", .string("vid1")), ("question", .string("What plays?")),
    ("candidates", .string("['A. a drum', 'B. a flute', 'C. a voice', 'D. nothing']")),
    ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])), ("audio", .string("/data/audios/vid1.wav")),
    ("video_info", .object(JSONObject([("path", .string("/data/videos/vid1.mp4"))]))),
  ])

  @Test func avSpeakerBenchAudioVisualSendsFramesOnly() throws {
    let p = AVSpeakerBenchPrompt(mode: .audioVisual)
    #expect(try Self.build(p, Self.avs, videoLLM: false) == (try JSONParser.parse(goldenAVSAudioVisual)))
    #expect(try Self.build(p, Self.avs, videoLLM: true) == (try JSONParser.parse(goldenAVSAudioVisualLLM)))
  }

  @Test func avSpeakerBenchAudioOnly() throws {
    var rec = Self.avs
    rec["frames"] = nil
    rec["audio"] = .string("/data/audio/clip7.wav")
    let p = AVSpeakerBenchPrompt(mode: .audioOnly)
    #expect(try Self.build(p, rec, videoLLM: false) == (try JSONParser.parse(goldenAVSAudioOnly)))
    #expect(try Self.build(p, rec, videoLLM: true) == (try JSONParser.parse(goldenAVSAudioOnlyLLM)))
    rec["audio"] = nil
    #expect(throws: PromptError.self) { try Self.build(p, rec, videoLLM: false) }
  }

  @Test func worldSenseAudio() throws {
    #expect(try Self.build(WorldSenseAudioPrompt(), Self.ws, videoLLM: false) == (try JSONParser.parse(goldenWorldSenseAudio)))
    #expect(try Self.build(WorldSenseAudioPrompt(), Self.ws, videoLLM: true) == (try JSONParser.parse(goldenWorldSenseAudioLLM)))
  }

  @Test func audioPresets() throws {
    let names = [
      "WorldSense_8frame_audio", "WorldSense_32frame_audio", "WorldSense_1fps_audio", "WorldSense_0.5fps_audio",
      "AV-SpeakerBench_audio_only_8frame", "AV-SpeakerBench_audio_only_16frame", "AV-SpeakerBench_audio_only_1fps",
    ]
    for n in names { #expect(Registry.preset(named: n)?.frameSettings.audio != nil, "\(n)") }
    for n in [
      "AV-SpeakerBench_audiovisual_8frame", "AV-SpeakerBench_audiovisual_16frame", "AV-SpeakerBench_audiovisual_1fps",
      "AV-SpeakerBench_8frame", "AV-SpeakerBench_16frame", "AV-SpeakerBench_1fps",
    ] {
      let p = try #require(Registry.preset(named: n))
      #expect(p.frameSettings.audio == nil && p.prompt.name == "av-speakerbench-audiovisual" && p.config.video.field == "audio_visual_path", "\(n)")
    }
    #expect(Registry.preset(named: "WorldSense_8frame_audio")?.frameSettings.audio == .videoTrack)
    #expect(Registry.preset(named: "AV-SpeakerBench_audio_only_1fps")?.frameSettings.audio == .datasetFile(column: "audio_path"))
  }
}

private let goldenAVSAudioVisual =
  #"[{"type": "text", "value": "Carefully watch and listen to the clip. Based on your observations, select the best option that accurately addresses the question."}, {"type": "image", "value": "/c/f1.jpg"}, {"type": "image", "value": "/c/f2.jpg"}, {"type": "text", "value": "\nSelect the best answer to the following multiple-choice question based on the audiovisual clip.\nRespond with only the letter (A, B, C, or D) of the correct option.\n"}, {"type": "text", "value": "Who speaks first?\nA. The man in red\nB. The woman\nC. Nobody's there\nD. The child\nThe best answer is:"}]"#
private let goldenAVSAudioVisualLLM =
  #"[{"type": "text", "value": "Carefully watch and listen to the clip. Based on your observations, select the best option that accurately addresses the question."}, {"type": "video", "value": "/data/audio_visual/clip7.mp4"}, {"type": "text", "value": "\nSelect the best answer to the following multiple-choice question based on the audiovisual clip.\nRespond with only the letter (A, B, C, or D) of the correct option.\n"}, {"type": "text", "value": "Who speaks first?\nA. The man in red\nB. The woman\nC. Nobody's there\nD. The child\nThe best answer is:"}]"#
private let goldenAVSAudioOnly =
  #"[{"type": "text", "value": "Carefully watch and listen to the clip. Based on your observations, select the best option that accurately addresses the question."}, {"type": "audio", "value": "/data/audio/clip7.wav"}, {"type": "text", "value": "\nSelect the best answer to the following multiple-choice question based on the audio clip.\nFocus on the audio and respond with only the letter (A, B, C, or D).\n"}, {"type": "text", "value": "Who speaks first?\nA. The man in red\nB. The woman\nC. Nobody's there\nD. The child\nThe best answer is:"}]"#
private let goldenAVSAudioOnlyLLM =
  #"[{"type": "text", "value": "Carefully watch and listen to the clip. Based on your observations, select the best option that accurately addresses the question."}, {"type": "audio", "value": "/data/audio/clip7.wav"}, {"type": "text", "value": "\nSelect the best answer to the following multiple-choice question based on the audio clip.\nFocus on the audio and respond with only the letter (A, B, C, or D).\n"}, {"type": "text", "value": "Who speaks first?\nA. The man in red\nB. The woman\nC. Nobody's there\nD. The child\nThe best answer is:"}]"#
private let goldenWorldSenseAudio =
  #"[{"type": "text", "value": "Carefully watch this video and pay attention to every detail. Based on your observations, select the best option that accurately addresses the question."}, {"type": "image", "value": "/c/f1.jpg"}, {"type": "image", "value": "/c/f2.jpg"}, {"type": "audio", "value": "/data/audios/vid1.wav"}, {"type": "text", "value": "\nThese are the frames of a video and the corresponding audio. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"}, {"type": "text", "value": "Question: What plays?\nA. a drum\nB. a flute\nC. a voice\nD. nothing\nAnswer: "}]"#
private let goldenWorldSenseAudioLLM =
  #"[{"type": "text", "value": "Carefully watch this video and pay attention to every detail. Based on your observations, select the best option that accurately addresses the question."}, {"type": "video", "value": "/data/videos/vid1.mp4"}, {"type": "audio", "value": "/data/audios/vid1.wav"}, {"type": "text", "value": "\nThese are the frames of a video and the corresponding audio. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"}, {"type": "text", "value": "Question: What plays?\nA. a drum\nB. a flute\nC. a voice\nD. nothing\nAnswer: "}]"#
