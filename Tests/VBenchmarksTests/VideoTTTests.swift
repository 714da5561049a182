import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// Video-TT: the prompt, the extraction with `extract_option`'s fallback and the capability
/// rating. Every expected value below came from running VLMEvalKit's own functions (commit
/// e8e78f05: `VideoTT.build_prompt`, `extract_characters_regex`, `extract_option`,
/// `VideoTT.evaluate`) on the same made-up rows, with the frame paths replaced by the record's.
@Suite struct VideoTTTests {
  static let instruction =
    "\nThese are the frames of a video. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"

  func build(videoLLM: Bool = false) throws(PromptError) -> [MessageItem] {
    let rec = JSONObject([
      ("index", .string("0")), ("video", .string("vid_001")), ("question", .string("Why does the man laugh?")),
      ("question_prompt", .string("A. joke\nB. tickle\nC. cat\nD. none\nAnswer with the option letter.")),
      ("frames", .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])),
      ("video_info", .object(JSONObject([("path", .string("/data/video-tt/video/vid_001.mp4"))]))),
    ])
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: "/data/video-tt", subtitles: false, strict: false, warn: { _ in })
    return try VideoTTPrompt().build(t)
  }

  @Test func promptIsVideoMMEsWithTheQuestionPrompt() throws {
    let question = MessageItem.text(
      "Question: Why does the man laugh?\nA. joke\nB. tickle\nC. cat\nD. none\nAnswer with the option letter.\nAnswer: ")
    #expect(try build() == [.text(""), .image("/c/f1.jpg"), .image("/c/f2.jpg"), .text(Self.instruction), question])
    #expect(try build(videoLLM: true) == [.text(""), .video("/data/video-tt/video/vid_001.mp4"), .text(Self.instruction), question])
    // FRAMES_EVAL_PROMPT is Video-MME's text, byte for byte.
    #expect(Self.instruction == VideoMMEPrompt.noSubtitles)
  }

  @Test func missingQuestionPromptIsAPromptError() {
    let t = TemplateInput(
      record: JSONObject([("question", .string("Q")), ("frames", .array([]))]), videoLLM: false, datasetRoot: "/", subtitles: false,
      strict: false, warn: { _ in })
    #expect(throws: PromptError.self) { try VideoTTPrompt().build(t) }
  }

  static func rows(_ rows: [[String?]]) -> Rows {
    Rows(table: ResultTable(columns: ["index", "question", "capability", "answer", "prediction"], rows: rows, name: "t"))
  }

  static func ctx(strict: Bool = false) -> ScoreContext {
    ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: "Video_TT_16frame", diag: Diagnostics(tool: "vscore", verbosity: -1))
  }

  @Test func extractionThenExtractOptionOnTheQuestionsOptionLines() {
    let cases: [(String, String, String)] = [
      ("Q?", "A", "A"), ("Q?", "The answer is B.", "B"), ("Q?", "no idea at all", "Z"), ("Q?", "Failed to obtain answer via API.", "A"),
      ("Q?", "answer: d", "Z"), ("Q?", "Best option: (C)", "B"), ("Q?", "The best option isThe correct option is D", "D"),
      ("Q?", "cat", "Z"), ("Q?\nA. cat\nB. dog", "cat", "A"), ("Q?\nA. cat\nB. dog", "the cat", "A"), ("Q?\nA. cat\nB. dog", "Answer: cat", "A"),
      ("Q?\nA. cat\nB. dog", "The answer is cat.", "Z"), ("Q?\nA. cat\nB. dog", "dog or cat", "Z"), ("Where?\nx\nB. the cat.", "the cat", "B"),
      ("Where?\nx\nB. the cat.", "cat", "Z"),
    ]
    var table: [[String?]] = []
    for (i, c) in cases.enumerated() { table.append([String(i), c.0, "Plot Attribute", "A", c.1]) }
    let t = Self.rows(table)
    let s = VideoTTScorer(rows: t)
    for (i, c) in cases.enumerated() {
      #expect(s.answerLetter(i, strict: false) == c.2, "\(c)")
    }
    // No prediction reads as 'nan': nothing.
    #expect(VideoTTScorer(rows: Self.rows([["0", "Q?\nA. cat", "Plot Attribute", "A", nil]])).answerLetter(0, strict: false) == "Z")
  }

  @Test func ratingMatchesEvaluate() {
    let preds = [
      "A", "The answer is B.", "C", "no idea at all", "Failed to obtain answer via API.", "answer: d", "Best option: (C)",
      "The best option isThe correct option is D",
    ]
    let caps = VideoTTPrompt.capabilities
    var table: [[String?]] = []
    for i in 0..<20 { table.append([String(i), "Q\(i)?", caps[i % 18], ["A", "B", "C", "D"][i % 4], preds[i % 8]]) }
    let t = Self.rows(table)
    let o = VideoTTScorer(rows: t).score(Self.ctx())
    #expect(o.scores == ["1", "1", "1", "0", "1", "0", "0", "1", "1", "1", "1", "0", "1", "0", "0", "1", "1", "1", "1", "0"])
    #expect(
      o.rating.map { JSONSerializer.serialize($0) }
        == #"{"Character Motivation Causality":{"number":2,"correct":2,"score":100.0},"Element Counting":{"number":2,"correct":1,"score":50.0},"Event Counting":{"number":1,"correct":1,"score":100.0},"Event Localization":{"number":1,"correct":0,"score":0.0},"Element Localization":{"number":1,"correct":1,"score":100.0},"Positional Relationship":{"number":1,"correct":0,"score":0.0},"Objective Causality (Videography Phenomenon & Illusion)":{"number":1,"correct":0,"score":0.0},"Plot Attribute":{"number":1,"correct":1,"score":100.0},"Plot Attribute (Montage)":{"number":1,"correct":1,"score":100.0},"Element Attributes (Optical Illusion)":{"number":1,"correct":1,"score":100.0},"Element Attributes":{"number":1,"correct":1,"score":100.0},"Event Duration & Speed Attribute":{"number":1,"correct":0,"score":0.0},"Objective Causality":{"number":1,"correct":1,"score":100.0},"Character Reaction Causality":{"number":1,"correct":0,"score":0.0},"Professional Knowledge":{"number":1,"correct":0,"score":0.0},"Displacement Attribute":{"number":1,"correct":1,"score":100.0},"Character Emotion Attribute":{"number":1,"correct":1,"score":100.0},"Local Event Attribute":{"number":1,"correct":1,"score":100.0},"overall":{"number":20,"correct":13,"score":65.0}}"#
    )
    #expect(o.summary.notes.contains { $0.contains("Q4") })
    #expect(!o.summary.notes.contains { $0.contains("no questions") })
    // --strict: the failed answers (rows 4 and 12, gold A) are wrong, and "Best option: (C)"
    // (rows 6 and 14, gold C) loses its prefix as intended, so C is read, not the B of "Best".
    let strict = VideoTTScorer(rows: t).score(Self.ctx(strict: true))
    #expect(strict.scores[4] == "0" && strict.scores[12] == "0" && strict.scores[6] == "1")
    #expect(zip(strict.scores, o.scores).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset) == [4, 6, 12, 14])
  }

  @Test func emptyAndUnknownCapabilities() {
    // VLMEvalKit stops here (ZeroDivisionError for the empty ones, KeyError for "Other").
    let t = Self.rows([["0", "Q", "Plot Attribute", "A", "A"], ["1", "Q", "Other", "B", "C"], ["2", "Q", "Plot Attribute", "B", "B"]])
    let o = VideoTTScorer(rows: t).score(Self.ctx())
    guard case .object(let r) = o.rating else {
      Issue.record("no rating")
      return
    }
    #expect(r.keys == VideoTTPrompt.capabilities + ["Other", "overall"])
    #expect(JSONSerializer.serialize(r["Event Counting"]!) == #"{"number":0,"correct":0,"score":null}"#)
    #expect(JSONSerializer.serialize(r["Plot Attribute"]!) == #"{"number":2,"correct":2,"score":100.0}"#)
    #expect(JSONSerializer.serialize(r["overall"]!) == #"{"number":3,"correct":2,"score":66.66666666666666}"#)
    #expect(o.summary.notes.contains { $0.hasPrefix("17 of the 18 capabilities have no questions") })
    #expect(o.summary.notes.contains { $0.contains("KeyError") && $0.hasSuffix(": Other") })
    #expect(o.summary.rows.map(\.name) == ["overall", "Plot Attribute", "Other"])
  }
}
