import Foundation
import Testing
import VBenchmarks
import VCore
import VTestSupport

@testable import VPrompt

/// Golden prompts, written from the reference's strings (protocol section 5) and checked byte for byte.
@Suite struct TemplateGoldenTests {
  func record(_ pairs: [(String, JSONValue)]) -> JSONObject { JSONObject(pairs) }
  func s(_ v: String) -> JSONValue { .string(v) }
  let frames: JSONValue = .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])

  func build(_ template: String, _ rec: JSONObject, subtitles: Bool = false, videoLLM: Bool = false, root: String = "/data") throws -> String {
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: root, subtitles: subtitles, strict: false, warn: { _ in })
    return JSONSerializer.serialize(.array(try Registry.template(named: template)!.build(t).map(\.json)))
  }

  @Test func mvbench() throws {
    let rec = record([
      ("question", s("What did the person do?")), ("candidates", s("['Sat on the bed.', 'Put down the towel. ']")), ("frames", frames),
    ])
    let got = try build("mvbench", rec)
    let sys =
      "Carefully watch the video and pay attention to the cause and sequence of events, the detail and movement of objects, and the action and pose of persons. Based on your observations, select the best option that accurately addresses the question.\\n"
    #expect(
      got == #"[{"type":"text","value":""# + sys
        + #"","role":"system"},{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Question: What did the person do?\nOptions:\n(A) Sat on the bed.\n(B) Put down the towel."},{"type":"text","value":"\nOnly give the best option."},{"type":"text","value":"Best option:(","role":"assistant"}]"#
    )
  }

  @Test func mvbenchVideoLLM() throws {
    let rec = record([("question", s("Q?")), ("candidates", s("['a', 'b']")), ("video_info", .object(JSONObject([("path", s("/v/x.mp4"))])))])
    let got = try build("mvbench", rec, videoLLM: true)
    #expect(got.contains(#"{"type":"video","value":"/v/x.mp4"},{"type":"text","value":"Question: Q?\nOptions:\n(A) a\n(B) b"}"#))
    #expect(!got.contains("image"))
  }

  @Test func videoMMEWithoutSubtitles() throws {
    let rec = record([
      ("question", s("What is the main topic?")), ("candidates", s("['A. Cooking.', 'B. Sports.', 'C. Music.', 'D. News.']")), ("frames", frames),
    ])
    let got = try build("videomme", rec)
    #expect(
      got
        == #"[{"type":"text","value":""},{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"\nThese are the frames of a video. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"},{"type":"text","value":"Question: What is the main topic?\nA. Cooking.\nB. Sports.\nC. Music.\nD. News.\nAnswer: "}]"#
    )
  }

  @Test func videoMMESubtitlesMatchFrameTimes() throws {
    let d = TempDir()
    // Frames 15 and 45 at 30 fps: t = 500 ms and 1500 ms. Frame 60 at 2000 ms hits no event
    // (strict bounds); frame 75 (2500 ms) hits the second event again (duplicates kept).
    d.write(
      "subtitle/x.srt",
      "1\n00:00:00,000 --> 00:00:01,000\nHello\\Nworld\n\n2\n00:00:01,000 --> 00:00:02,000\n<i>Second</i> line\n\n3\n00:00:02,000 --> 00:00:03,000\nThird\n"
    )
    let rec = record([
      ("question", s("Q?")), ("candidates", s("['A. a', 'B. b', 'C. c', 'D. d']")), ("subtitle_path", s("./subtitle/x.srt")),
      ("frames", .array([s("/f1"), s("/f2"), s("/f3"), s("/f4")])), ("frame_indices", .array([.int(15), .int(45), .int(60), .int(75)])),
      ("video_info", .object(JSONObject([("avg_fps", .number("30.0"))]))),
    ])
    let got = try build("videomme", rec, subtitles: true, root: d.path)
    #expect(
      got.contains(
        #"{"type":"text","value":"\nThese are the frames of a video. This video's subtitles are listed below:\nHello world\n{\\i1}Second{\\i0} line\nThird\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"}"#
      ), "\(got)")
    // A missing file keeps the SUB template with empty subtitles.
    let none = try build("videomme", rec, subtitles: true, root: "/nonexistent")
    #expect(none.contains(#"subtitles are listed below:\n\nSelect the best"#))
  }

  @Test func srtTimesAndBankersRounding() {
    #expect(SRT.time("01:02:03,450") == 3_723_450)
    #expect(PyText.round(2.5) == 2 && PyText.round(3.5) == 4)
    // frame 1 at 2000 fps: 0.5 ms rounds to 0 (half to even), not 1.
    let e = [SubtitleEvent(start: 0, end: 10, text: "x")]
    #expect(SRT.videoMMEText(events: e, frameIndices: [1], fps: 2000) == "")
    #expect(SRT.videoMMEText(events: e, frameIndices: [3], fps: 2000) == "x")
  }

  @Test func worldSense() throws {
    let rec = record([("question", s("Q?")), ("candidates", s("['A. x', 'B. y']")), ("frames", frames)])
    let got = try build("worldsense", rec)
    #expect(
      got.hasPrefix(
        #"[{"type":"text","value":"Carefully watch this video and pay attention to every detail. Based on your observations, select the best option that accurately addresses the question."},{"type":"image""#
      ))
    #expect(got.hasSuffix(#"{"type":"text","value":"Question: Q?\nA. x\nB. y\nAnswer: "}]"#))
  }

  @Test func mmbenchVideoNopackAndVideoLLM() throws {
    let rec = record([("question", s("What is shown?")), ("frames", frames), ("video_info", .object(JSONObject([("path", s("/v/a.mp4"))])))])
    #expect(
      try build("mmbench_video", rec)
        == #"[{"type":"text","value":"\nYou will be provided with 2 separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer to the question about the video content.\nPlease directly reply with your response to the only question.\n"},{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Question: What is shown?\nAnswer: "}]"#
    )
    #expect(try build("mmbench_video", rec, videoLLM: true) == #"[{"type":"text","value":"What is shown?"},{"type":"video","value":"/v/a.mp4"}]"#)
  }

  @Test func pythonJSONDumpsForPackQuestions() {
    #expect(PyText.jsonObject([("12", "Who? \"he\""), ("13", "café 😀")]) == #"{"12": "Who? \"he\"", "13": "caf\u00e9 \ud83d\ude00"}"#)
  }

  @Test func longVideoBenchInterleavesSubtitles() throws {
    let d = TempDir()
    // Frames at 0, 2, 4, 6 s (indices 0, 60, 120, 180 at 30 fps), offset 1 s.
    // Sub 1: timestamp [1.0, 3.5] -> 0.0..2.5, mid 1.25: frame 0 first; frames at 0 and 2 inside -> text.
    // Sub 2: timestamp [5, 6] (int end -> duration 20) -> 4.0..19.0, mid 11.5: frames 2 and 4 s.
    // Sub 3: start/end strings 00:00:16.0-00:00:16.4 -> 15.0..15.4, widened to 14.7..15.7: no frame -> dropped.
    d.write(
      "subtitles/s.json",
      #"[{"timestamp":[1.0,3.5],"text":"one"},{"timestamp":[5,6],"text":"two"},{"start":"00:00:16.0","end":"00:00:16.4","line":"three"}]"#)
    let rec = record([
      ("question", s("Q?")), ("candidates", s("['x', 'y', 'z']")), ("subtitle_path", s("s.json")), ("starting_timestamp_for_subtitles", s("1.0")),
      ("duration", s("21")), ("frames", .array([s("/f0"), s("/f2"), s("/f4"), s("/f6")])),
      ("frame_indices", .array([.int(0), .int(60), .int(120), .int(180)])), ("video_info", .object(JSONObject([("avg_fps", .number("30.0"))]))),
    ])
    let got = try build("longvideobench", rec, subtitles: true, root: d.path)
    #expect(
      got
        == #"[{"type":"text","value":""},{"type":"image","value":"/f0"},{"type":"text","value":"one\n"},{"type":"image","value":"/f2"},{"type":"image","value":"/f4"},{"type":"image","value":"/f6"},{"type":"text","value":"two\n"},{"type":"text","value":"Q?\nA. x\nB. y\nC. z\nAnswer with the option's letter from the given choices directly."}]"#,
      "\(got)")
    let plain = try build("longvideobench", rec)
    #expect(
      plain
        == #"[{"type":"text","value":""},{"type":"image","value":"/f0"},{"type":"image","value":"/f2"},{"type":"image","value":"/f4"},{"type":"image","value":"/f6"},{"type":"text","value":"Q?\nA. x\nB. y\nC. z\nAnswer with the option's letter from the given choices directly."}]"#
    )
  }

  @Test func mlvuMCQAndOpenEnded() throws {
    let mcq = record([("SUB_DATASET", s("MLVU_MCQ")), ("question", s("How many?")), ("candidates", s("['1', '2']")), ("frames", frames)])
    #expect(
      try build("mlvu", mcq)
        == #"[{"type":"text","value":"Carefully watch this video and pay attention to every detail. Based on your observations, select the best option that accurately addresses the question.","role":"system"},{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Question: How many?\nOptions:\n(A) 1\n(B) 2"},{"type":"text","value":"\nOnly give the best option."}]"#
    )
    let open = record([("SUB_DATASET", s("MLVU_OpenEnded")), ("question", s("Describe it.")), ("frames", frames)])
    #expect(
      try build("mlvu", open)
        == #"[{"type":"text","value":"Carefully watch this video and pay attention to every detail. Based on your observations, answer the given questions.","role":"system"},{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Describe it."}]"#
    )
  }

  @Test func tempCompassFamilies() throws {
    let mcq = record([
      ("SUB_DATASET", s("TempCompass_MCQ")), ("question", s("Which way?")), ("candidates", s("['A. left', 'B. right']")), ("frames", frames),
    ])
    #expect(
      try build("tempcompass", mcq).hasSuffix(
        #"{"type":"text","value":"Which way?\nA. left\nB. right"},{"type":"text","value":"\nPlease directly give the best option:"}]"#))
    let yorn = record([("SUB_DATASET", s("TempCompass_YorN")), ("question", s("Is it left?\nextra")), ("frames", frames)])
    #expect(try build("tempcompass", yorn).hasSuffix(#"{"type":"text","value":"Is it left?"},{"type":"text","value":"\nPlease answer yes or no:"}]"#))
    let cap = record([("SUB_DATASET", s("TempCompass_Captioning")), ("question", s("Describe.")), ("frames", frames)])
    #expect(
      try build("tempcompass", cap)
        == #"[{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Describe."}]"#)
  }

  @Test func genericMCQFromColumnsAndVQA() throws {
    let rec = record([("question", s("Colour?")), ("A", s("red")), ("B", s("blue")), ("C", s("")), ("frames", frames)])
    #expect(
      try build("mcq", rec).hasSuffix(
        #"{"type":"text","value":"Question: Colour?\nOptions:\nA. red\nB. blue\nAnswer with the option's letter from the given choices directly."}]"#)
    )
    #expect(
      try build("vqa", rec) == #"[{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Colour?"}]"#)
  }

  @Test func userTemplateFile() throws {
    let d = TempDir()
    let p = d.write(
      "t.json",
      #"{"system": "Be brief.", "before": "{n_frames} frames of {video}:", "after": "Q: {question}\n{options}\nAnswer {{letter}}:", "option_format": "({letter}) {option}"}"#
    )
    let u = try UserTemplate.load(p)
    let rec = record([("video", s("v1")), ("question", s("Colour?")), ("candidates", s("['red', 'blue']")), ("frames", frames)])
    let t = TemplateInput(record: rec, videoLLM: false, datasetRoot: "/", subtitles: false, strict: false, warn: { _ in })
    let got = JSONSerializer.serialize(.array(try u.build(t).map(\.json)))
    #expect(
      got
        == #"[{"type":"text","value":"Be brief.","role":"system"},{"type":"text","value":"2 frames of v1:"},{"type":"image","value":"/c/f1.jpg"},{"type":"image","value":"/c/f2.jpg"},{"type":"text","value":"Q: Colour?\n(A) red\n(B) blue\nAnswer {letter}:"}]"#
    )
    let missing = record([("frames", frames)])
    #expect(throws: PromptError.self) {
      try u.build(TemplateInput(record: missing, videoLLM: false, datasetRoot: "/", subtitles: false, strict: false, warn: { _ in }))
    }
  }

  @Test func badCandidatesNameTheField() {
    let rec = record([("question", s("Q")), ("candidates", s("['a', 'b'")), ("frames", frames)])
    do {
      _ = try build("mvbench", rec)
      Issue.record("no error")
    } catch let e as PromptError {
      #expect(e.code.rawValue == "bad_field" && e.message.contains("'candidates'"))
    } catch {
      Issue.record("\(error)")
    }
  }
}
