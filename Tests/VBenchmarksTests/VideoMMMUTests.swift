import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// VideoMMMU: prompts, MMMU's parsers and the score table. Every expected value below came from
/// running VLMEvalKit's own functions (commit e8e78f05: `VideoMMMU.build_prompt`,
/// `parse_multi_choice_response`, `parse_open_response`, `extract_numbers`, `normalize_str`,
/// `eval_open`, `VideoMMMU.evaluate`) on the same made-up rows, with the frame paths replaced
/// by the record's.
@Suite struct VideoMMMUTests {
  static let root = "/data/VideoMMMU"
  static let frames: [MessageItem] = [.image("/c/f1.jpg"), .image("/c/f2.jpg")]
  static let answerLine = "\nAdd `Answer: {Your final answer}` at the end of your reply."

  func build(_ pairs: [(String, String)], videoLLM: Bool = false, root: String = root) throws(PromptError) -> [MessageItem] {
    var rec = JSONObject(pairs.map { ($0.0, JSONValue.string($0.1)) })
    rec["frames"] = .array([.string("/c/f1.jpg"), .string("/c/f2.jpg")])
    rec["video_info"] = .object(JSONObject([("path", .string("/data/VideoMMMU/videos/Perception/perc_3.mp4"))]))
    let t = TemplateInput(record: rec, videoLLM: videoLLM, datasetRoot: root, subtitles: false, strict: false, warn: { _ in })
    return try VideoMMMUPrompt().build(t)
  }

  // MARK: prompts

  @Test func adaptationMultipleChoicePutsTheQuestionImageAfterTheFrames() throws {
    let got = try build([
      ("id", "adapt_mc_1"), ("category", "Adaptation"), ("question", "What is the value of <image 1> shown?"),
      ("options", #"["12", "13 m", "None of these", "café"]"#), ("question_type", "multiple-choice"), ("image", "images/adapt_mc_1.png"),
    ])
    #expect(
      got == Self.frames + [
        .image("/data/VideoMMMU/images/adapt_mc_1.png"),
        .text(
          "You should watch and learn the video content. Then apply what you learned to answer the following multi-choice question. The image for this question is at the end of the video.\nWhat is the value of <image 1> shown?\nA. 12\nB. 13 m\nC. None of these\nD. café"
            + Self.answerLine),
      ])
  }

  @Test func adaptationOpenEndedHasNoOptions() throws {
    let got = try build([
      ("id", "adapt_open_2"), ("category", "Adaptation"), ("question", "Compute the area in <image 1>."), ("options", "[]"),
      ("question_type", "open"), ("image", "images/adapt_open_2.png"),
    ])
    #expect(
      got == Self.frames + [
        .image("/data/VideoMMMU/images/adapt_open_2.png"),
        .text(
          "You should watch and learn the video content. Then apply what you learned to answer the following open-ended question. The image for this question is at the end of the video.\nCompute the area in <image 1>."
            + Self.answerLine),
      ])
  }

  @Test func perceptionKeepsLetteredOptionsAndAsksToIgnoreTheQuiz() throws {
    let got = try build([
      ("category", "Perception"), ("question", "Which shape appears first?"), ("options", #"["A. circle", "B. square", "C. triangle"]"#),
      ("question_type", "multiple-choice"),
    ])
    #expect(
      got == Self.frames + [
        .text(
          "Which shape appears first?\nA. circle\nB. square\nC. triangle\nPlease ignore the Quiz question in last frame of the video."
            + Self.answerLine)
      ])
  }

  @Test func optionsAreLetteredUnlessAllAlreadyAre() throws {
    let mixed = try build([
      ("category", "Comprehension"), ("question", "Pick one.\nThink first."), ("options", #"["A. first", "second", "C. third"]"#),
      ("question_type", "multiple-choice"),
    ])
    #expect(
      mixed.last
        == .text(
          "Pick one.\nThink first.\nA. A. first\nB. second\nC. C. third\nPlease ignore the Quiz question in last frame of the video."
            + Self.answerLine
        ))
    // No options (an open question outside Adaptation): an empty options line.
    let open = try build([("category", "Comprehension"), ("question", "How many steps?"), ("options", "[]"), ("question_type", "open")])
    #expect(open.last == .text("How many steps?\n\nPlease ignore the Quiz question in last frame of the video." + Self.answerLine))
    // "A.x" counts as lettered (no space needed).
    let tight = try build([
      ("category", "Adaptation"), ("question", "Q6"), ("options", #"["A.x", "B.y"]"#), ("question_type", "multiple-choice"),
      ("image", "images/sub/adapt_mc_6.jpg"),
    ])
    #expect(tight[2] == .image("/data/VideoMMMU/images/sub/adapt_mc_6.jpg"))
    #expect(tight.last?.value.contains("question is at the end of the video.\nQ6\nA.x\nB.y\nAdd `Answer:") == true)
  }

  @Test func videoLLMSendsTheVideo() throws {
    let got = try build(
      [
        ("category", "Perception"), ("question", "Which shape appears first?"), ("options", #"["A. circle", "B. square", "C. triangle"]"#),
        ("question_type", "multiple-choice"),
      ], videoLLM: true)
    #expect(got.first == .video("/data/VideoMMMU/videos/Perception/perc_3.mp4"))
    #expect(got.count == 2)
  }

  @Test func badRowsArePromptErrors() {
    #expect(throws: PromptError.self) { try build([("category", "Perception"), ("question", "Q"), ("options", "not json")]) }
    #expect(throws: PromptError.self) { try build([("category", "Perception"), ("question", "Q"), ("options", "[1, 2]")]) }
    #expect(throws: PromptError.self) { try build([("category", "Perception"), ("question", "Q")]) }
    // An Adaptation row needs its image.
    #expect(throws: PromptError.self) { try build([("category", "Adaptation"), ("question", "Q"), ("options", "[]"), ("image", "")]) }
  }

  // MARK: the question image

  static let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 120)

  @Test func inlineImagesAreWrittenOnceUnderImages() throws {
    let d = TempDir()
    let b64 = Data(Self.pngBytes).base64EncodedString()
    let pairs = [("id", "adapt_9"), ("category", "Adaptation"), ("question", "Q"), ("options", "[]"), ("image", b64)]
    let got = try build(pairs, root: d.path)
    let path = d.file("images/adapt_9.png")
    #expect(got[2] == .image(path))
    #expect(try FileIO.readFile(path) == Self.pngBytes)
    // An existing file is kept as it is.
    try FileIO.writeAtomically(path, [1, 2, 3])
    _ = try build(pairs, root: d.path)
    #expect(try FileIO.readFile(path) == [1, 2, 3])
    // Base64 of something that is not a PNG or JPEG is taken for a path.
    let text = Data(Array(repeating: UInt8(ascii: "x"), count: 90)).base64EncodedString()
    #expect(try TemplateInput.inlineImage(text, field: "image") == nil)
    #expect(try TemplateInput.inlineImage("images/a.png", field: "image") == nil)
    // An id cannot climb out of images/.
    let climb = try build([("id", "../x/.."), ("category", "Adaptation"), ("question", "Q"), ("options", "[]"), ("image", b64)], root: d.path)
    #expect(climb[2] == .image(d.file("images/.._x_...png")))
  }

  @Test func absoluteImagePathsStay() throws {
    let got = try build([("category", "Adaptation"), ("question", "Q"), ("options", "[]"), ("image", "/elsewhere/q.png")])
    #expect(got[2] == .image("/elsewhere/q.png"))
  }

  // MARK: rule vectors (outputs of VLMEvalKit's functions)

  @Test func multipleChoiceParser() {
    let options = ["12", "13 m", "None of these", "café"]
    let cases: [(String, String)] = [
      ("B", "B"), ("(C)", "C"), ("The answer is B.", "B"), ("A. 12 or maybe C. None", "C"), ("A: first then B: second", "B"),
      ("I pick (A) not (D)", "D"), ("Option B and option C", "C"), ("It is definitely none of these and also 12 for sure", "A"),
      ("the value is 13 m here i think yes", "B"), ("nothing matches here", "No Answere Found"), ("", "API Error"), ("API Error", "API Error"),
      ("b", "No Answere Found"), ("D) café", "No Answere Found"), ("A.B.", "A"), ("Answer (B).", "B"), (",.B!", "B"),
      ("Failed to obtain answer via API.", "No Answere Found"), ("I think 12 and 13 m but really none of these", "C"), ("A B", "B"),
      ("C: x. A. y", "A"), ("x(B)y(A)", "A"), ("  B  ", "B"),
    ]
    for (response, want) in cases {
      #expect(MMMUMatching.parseMultiChoice(response, options: options) == want, "\(response)")
    }
  }

  func items(_ s: String, strict: Bool = false) -> [String]? {
    MMMUMatching.parseOpen(s, strict: strict).map { $0.map(\.repr).sorted() }
  }

  @Test func openParserKeyPhrasesNumbersAndRounding() {
    let cases: [(String, [String]?)] = [
      ("1,234", ["1234.0", "234.0"]), ("24", ["24.0"]), ("The area is 24 square units.", ["'units'"]),
      ("So the total is 3.14159. Therefore 2 = x", ["' x'", "'x '"]), ("-5", ["-5.0"]), ("1.5e3", ["1.0", "1500.0", "3.0"]),
      ("API Error", nil), ("", nil), ("a", ["' a'", "'a '"]), ("Final answer: 0.125", ["'answer: 0.125'", "0.12"]), ("x = 7\ny is 8", ["8.0"]),
      ("The result is Paris.", ["'paris'"]), ("It has 3 legs, and 4 arms.", ["'3 legs, and 4 arms'", "3.0", "4.0"]),
      ("12,345,678 and 9", ["'12,345,678 and 9'", "12345678.0", "678.0", "9.0"]), (".5", ["5.0"]), ("is :", ["'is :'"]),
      ("There are 1,000 items", ["'1,000 items'", "0.0", "1000.0"]), ("value is 2.345", ["2.35"]), ("ABC", ["'abc'"]),
    ]
    for (response, want) in cases {
      #expect(items(response) == want, "\(response)")
    }
    // --strict drops the pieces of comma and exponent numbers.
    #expect(items("1,234", strict: true) == ["1234.0"])
    #expect(items("1.5e3", strict: true) == ["1500.0"])
    #expect(items("There are 1,000 items", strict: true) == ["'1,000 items'", "1000.0"])
  }

  @Test func numberExtractionAndNormalisation() {
    let numbers: [(String, [String])] = [
      ("1,234", ["1,234", "234"]), ("a 1,234,5 b", ["1,234", "5"]), ("-3.5e-2 and 7", ["-3.5e-2", "-3", "-2", "7"]), ("12.5,3", ["12", "3"]),
      ("1,23", ["23"]), ("x1y 22", ["22"]),
    ]
    for (s, want) in numbers {
      #expect(MMMUMatching.extractNumbers(PyStr(s), strict: false).map(\.text.string) == want, "\(s)")
    }
    let norm: [(String, [String])] = [
      ("3.14159", ["3.14"]), ("Paris", ["'paris'"]), ("x", ["' x'", "'x '"]), ("1,000", ["1000.0"]), (" 7 ", ["7.0"]), ("1e3", ["1000.0"]),
      ("inf", ["inf"]), ("nan", ["nan"]), ("2.345", ["2.35"]), ("2.355", ["2.35"]), ("1_000", ["1000.0"]), ("1__0", ["'1__0'"]),
    ]
    for (s, want) in norm {
      #expect(MMMUMatching.normalizeGold(s).map(\.repr) == want, "\(s)")
    }
  }

  @Test func evalOpenAndTheTextRoundTripThatNeverMatches() {
    #expect(MMMUMatching.evalOpen(gold: "24", [.number(24), .text("the area is 24")]))
    #expect(MMMUMatching.evalOpen(gold: "Paris", [.text("the result is paris.")]))
    #expect(!MMMUMatching.evalOpen(gold: "a", [.text("a")]))
    #expect(MMMUMatching.evalOpen(gold: "a", [.text("b a c")]))
    #expect(MMMUMatching.evalOpen(gold: "234", [.number(1234), .number(234)]))
    #expect(MMMUMatching.evalOpen(gold: "3.14", [.number(3.14)]))
    #expect(MMMUMatching.evalOpen(gold: "3.14159", [.number(3.14)]))
    // What evaluate() compares: the list's text, one character at a time.
    #expect(!MMMUMatching.evalOpenOnText(gold: "24", "[24.0, 'the area is 24']"))
    #expect(!MMMUMatching.evalOpenOnText(gold: "paris", "['paris']"))
    #expect(MMMUMatching.listRepr([.number(1234), .number(234)]) == "[1234.0, 234.0]")
    #expect(MMMUMatching.listRepr([.text("it's"), .text("a\"b'c\n")]) == #"["it's", 'a"b\'c\n']"#)
  }

  @Test func answerIsTheTextAfterTheLastMarker() {
    #expect(VideoMMMUScorer.afterLastAnswer("x Answer: B and Answer: C") == "C")
    #expect(VideoMMMUScorer.afterLastAnswer(" no marker ") == "no marker")
  }

  // MARK: the score table

  static let opts = #"["12", "13 m", "None of these", "café"]"#
  /// The table VLMEvalKit's evaluate() scored (index, id, category, options, answer, type, prediction).
  static let table: Rows = {
    let rows: [[String?]] = [
      ["0", "a1", "Adaptation", opts, "B", "multiple-choice", "Let me think. Answer: B"],
      ["1", "a2", "Adaptation", "[]", "24", "open", "The area is 24. Answer: 24"],
      ["2", "a3", "Adaptation", "[]", "234", "open", "Answer: 1,234"],
      ["3", "p1", "Perception", opts, "A", "multiple-choice", "Answer: (C)"],
      ["4", "p2", "Perception", opts, "D", "multiple-choice", "Answer:   "],
      ["5", "c1", "Comprehension", opts, "C", "multiple-choice", "I would say it is none of these options, clearly"],
      ["6", "c2", "Comprehension", "[]", "paris", "open", "Answer: The result is Paris."],
      ["7", "c3", "Comprehension", opts, "A", "multiple-choice", "Failed to obtain answer via API."],
    ]
    return Rows(
      table: ResultTable(columns: ["index", "id", "category", "options", "answer", "question_type", "prediction"], rows: rows, name: "t"))
  }()

  static func ctx(strict: Bool = false) -> ScoreContext {
    ScoreContext(strict: strict, judged: nil, judgeName: "judge", dataset: "VideoMMMU_8frame", diag: Diagnostics(tool: "vscore", verbosity: -1))
  }

  @Test func parityMatchesEvaluateByteForByte() {
    let o = VideoMMMUScorer(rows: Self.table).score(Self.ctx())
    #expect(o.scoreColumn == "parsed_pred" && !o.numericScores)
    #expect(o.scores == ["B", "[24.0]", "[1234.0, 234.0]", "C", "API Error", "C", "['paris']", "No Answere Found"])
    #expect(o.csvFiles.map(\.suffix) == ["_score_score.csv"])
    #expect(
      o.csvFiles.first?.text == """
        "Adaptation","Perception","Comprehension","Overall"
        "3.0","1.0","3.0","7.0"
        "1.0","0.0","1.0","2.0"
        "33.33333333333333","0.0","33.33333333333333","28.57142857142857"

        """)
    #expect(o.rating == nil)
    #expect(o.summary.rows.first == SummaryRow(group: "overall", name: "Overall", correct: 2, total: 7, value: 2.0 / 7.0 * 100))
    #expect(o.summary.notes.contains { $0.hasPrefix("3 open-ended answers scored wrong") })
    #expect(o.summary.notes.contains { $0.hasPrefix("1 empty answers left out") })
  }

  @Test func strictComparesTheListAndCountsEmptyAndFailedAnswers() {
    let o = VideoMMMUScorer(rows: Self.table).score(Self.ctx(strict: true))
    // "1,234" no longer also reads as 234; the open answers 24 and paris are right.
    #expect(o.scores[2] == "[1234.0]")
    #expect(
      o.csvFiles.first?.text == """
        "Adaptation","Perception","Comprehension","Overall"
        "3.0","2.0","3.0","8.0"
        "2.0","0.0","2.0","4.0"
        "66.66666666666666","0.0","66.66666666666666","50.0"

        """)
  }

  @Test func edgeTables() {
    func score(_ rows: [[String?]], strict: Bool = false) -> Outcome {
      VideoMMMUScorer(
        rows: Rows(table: ResultTable(columns: ["index", "category", "options", "answer", "question_type", "prediction"], rows: rows, name: "t"))
      ).score(Self.ctx(strict: strict))
    }
    // All right, all wrong, a missing prediction (VLMEvalKit stops there; left out like an empty one).
    let o = score([
      ["0", "Perception", #"["x", "y"]"#, "A", "multiple-choice", "A"], ["1", "Perception", #"["x", "y"]"#, "B", "multiple-choice", "B"],
      ["2", "Comprehension", #"["x", "y"]"#, "A", "multiple-choice", "B"], ["3", "Comprehension", #"["x", "y"]"#, "A", "multiple-choice", nil],
    ])
    #expect(o.csvFiles[0].rows == [["2.0", "1.0", "3.0"], ["2.0", "0.0", "2.0"], ["100.0", "0.0", "66.66666666666666"]])
    #expect(o.summary.notes.contains { $0.contains("1 rows have no prediction at all") })
    // Nothing to score: VLMEvalKit divides by zero; vtools writes nan and says why.
    let none = score([["0", "Perception", #"["x"]"#, "A", "multiple-choice", ""]])
    #expect(none.csvFiles[0].columns == ["Overall"] && none.csvFiles[0].rows == [["0.0"], ["0.0"], ["nan"]])
    #expect(none.summary.notes.contains { $0.contains("divides by zero") })
    // "nan" parses as a NaN number (VLMEvalKit's evaluate() stops with an AssertionError there).
    let nan = score([["0", "Perception", "[]", "3", "open", "Answer: nan"]])
    #expect(nan.scores == ["[nan]"])
    #expect(nan.summary.notes.contains { $0.hasPrefix("1 open answers say nan") })
    // A bad options cell is a bad row, not a crash.
    let bad = score([["0", "Perception", "oops", "A", "multiple-choice", "A"]])
    #expect(bad.badRows == 1 && bad.scores == [nil])
  }
}

/// VideoMMMU's and Video-TT's frame layout: the cache key column and VLMEvalKit's lock place.
@Suite struct VideoMMMUFrameLayoutTests {
  @Test func presetsCarryTheKeyAndTheLock() throws {
    let mmmu = try #require(Registry.preset(named: "VideoMMMU_1fps"))
    #expect(mmmu.frameSettings.video.keyIsStem)
    #expect(mmmu.frameSettings.video.lock == .besideVideo(suffix: "f.lock"))
    #expect(mmmu.frameSettings.dataset == "VideoMMMU")
    let tt = try #require(Registry.preset(named: "Video_TT_32frame"))
    #expect(tt.frameSettings.video.lock == .besideVideo(suffix: ".lock"))
    #expect(tt.frameSettings.video.subfolder == "video" && tt.frameSettings.dataset == "Video-TT")
  }

  @Test func lockPathsAreSplitextPlusSuffix() {
    // os.path.splitext(p)[0] for each (values from Python).
    let cases = [
      ("a/b.mp4", "a/b"), ("a/.x", "a/.x"), ("a/..x.mp4", "a/..x"), ("a.b/c", "a.b/c"), ("x.", "x"), ("a/b.c.d", "a/b.c"), ("/v/..", "/v/.."),
    ]
    for (path, root) in cases { #expect(FrameLock.splitextRoot(path) == root, "\(path)") }
    #expect(FrameLock.besideVideo(suffix: "f.lock").path(directory: "/c/VideoMMMU/x", video: "/d/videos/x.mp4") == "/d/videos/xf.lock")
    #expect(FrameLock.cacheFolder.path(directory: "/c/VideoMMMU/x", video: "/d/videos/x.mp4") == "/c/VideoMMMU/x.lock")
  }
}
