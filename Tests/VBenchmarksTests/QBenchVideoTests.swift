import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// Q-Bench-Video (VLMEvalKit `qbench_video.py`, `utils/qbench_video.py`). The expected prompts,
/// judge prompt, rule vectors, judge-reply readings and the `_acc.csv` rows below are the outputs
/// of VLMEvalKit's own `QBench_Video_MCQ/VQA.build_prompt`, `VQA_JUDGE_USER_PROMPT.format`,
/// `check_ans_mcq`, `int(reply.replace('Score:', '').strip())` and `QBench_Video.evaluate` (with
/// a fake judge returning the canned replies), commit e8e78f05, run on these rows in a scratch
/// script.
@Suite struct QBenchVideoTests {
  // MARK: Configs

  @Test func configsAreVideoDatasetConfigs() throws {
    let configs = Benchmark.qbenchVideo.configs
    #expect(configs.map(\.name) == ["QBench_Video_8frame", "QBench_Video_16frame"])
    #expect(configs.map { $0.spec.nframe } == [8, 16] && configs.allSatisfy { $0.spec.sampler == .uniform && !$0.pack && !$0.subtitles })
    let f = try #require(Registry.preset(named: "QBench_Video_8frame")).frameSettings
    #expect(f.video.field == "video_path" && f.video.keyField == "video" && f.video.datasetField == "SUB_DATASET")
    #expect(f.video.datasetFolders == ["QBench_Video_MCQ": "qbenchvideo_single_MCQ", "QBench_Video_VQA": "qbenchvideo_single_VQA"])
    #expect(Registry.benchmark(forDataset: "QBench_Video_MCQ")?.name == "Q-Bench-Video")
    #expect(Registry.datasetName(fromFileStem: "M_QBench_Video_16frame") == "QBench_Video_16frame")
  }

  // MARK: Prompts

  static let mcqHead =
    "\nYou will receive 2 distinct frames that have been uniformly sampled from a video sequence, arranged in the same temporal order as they appear in the video.\nPlease analyze these frames and answer the question based on your observations.\n"
  static let mcqHeadLLM =
    "\nYou will receive several distinct frames that have been uniformly sampled from a video sequence, arranged in the same temporal order as they appear in the video.\nPlease analyze these frames and answer the question based on your observations.\n"
  static let vqaHead =
    "\nYou will receive 2 distinct frames that have been uniformly sampled from a video sequence, arranged in the same temporal order as they appear in the video.\nPlease analyze these frames and provide a detailed and accurate answer from the perspective of visual quality based on your observations.\n"
  static let vqaHeadLLM =
    "\nYou will receive several distinct frames that have been uniformly sampled from a video sequence, arranged in the same temporal order as they appear in the video.\nPlease analyze these frames and provide a detailed and accurate answer from the perspective of visual quality based on your observations.\n"
  static let post =
    "\nPlease answer the question in the following format: the uppercase letter of the correct answer option itself.\nPlease do not add any other answers beyond this.\n"

  static func record(sub: String, video: String, question: String, videoPath: String) -> JSONObject {
    JSONObject([
      ("index", .string("0")), ("video", .string(video)), ("video_path", .string(videoPath)), ("question", .string(question)),
      ("SUB_DATASET", .string(sub)),
      (
        "frames",
        .array(
          (1...2).map {
            .string("/L/images/\(sub == "QBench_Video_MCQ" ? "qbenchvideo_single_MCQ" : "qbenchvideo_single_VQA")/\(video)/frame-\($0)-of-2.jpg")
          })
      ),
      ("video_info", .object(JSONObject([("path", .string("/D/qbench/" + videoPath))]))),
    ])
  }

  func build(_ r: JSONObject, videoLLM: Bool = false) throws -> [MessageItem] {
    try QBenchVideoPrompt().build(
      TemplateInput(record: r, videoLLM: videoLLM, datasetRoot: "/D/qbench", subtitles: false, strict: false, warn: { _ in }))
  }

  static let mcq = record(
    sub: "QBench_Video_MCQ", video: "v_01", question: "How is the clarity of this video?\nA. High\nB. Medium\nC. Low", videoPath: "./video/v_01.mp4")
  static let vqa = record(sub: "QBench_Video_VQA", video: "v_02", question: "Describe the noise in this video.", videoPath: "video/sub/../v_02.mp4")

  @Test func mcqPrompt() throws {
    #expect(
      try build(Self.mcq) == [
        .text(Self.mcqHead), .text("How is the clarity of this video?\nA. High\nB. Medium\nC. Low"),
        .image("/L/images/qbenchvideo_single_MCQ/v_01/frame-1-of-2.jpg"), .image("/L/images/qbenchvideo_single_MCQ/v_01/frame-2-of-2.jpg"),
        .text(Self.post),
      ])
  }

  @Test func mcqPromptVideoLLM() throws {
    #expect(
      try build(Self.mcq, videoLLM: true) == [
        .text(Self.mcqHeadLLM), .text("How is the clarity of this video?\nA. High\nB. Medium\nC. Low"), .video("/D/qbench/video/v_01.mp4"),
        .text(Self.post),
      ])
  }

  @Test func vqaPrompt() throws {
    #expect(
      try build(Self.vqa) == [
        .text(Self.vqaHead), .text("Describe the noise in this video."), .image("/L/images/qbenchvideo_single_VQA/v_02/frame-1-of-2.jpg"),
        .image("/L/images/qbenchvideo_single_VQA/v_02/frame-2-of-2.jpg"),
      ])
    // normpath(root/video_path): the `..` is resolved.
    #expect(
      try build(Self.vqa, videoLLM: true) == [.text(Self.vqaHeadLLM), .text("Describe the noise in this video."), .video("/D/qbench/video/v_02.mp4")])
  }

  /// Without vframes' `video_info.path` the video is the row's `video_path` under the data root.
  @Test func videoLLMPathFromTheDataRoot() throws {
    var r = Self.vqa
    r["video_info"] = nil
    #expect(try build(r, videoLLM: true).last == .video("/D/qbench/video/v_02.mp4"))
    r["video_path"] = nil
    #expect(throws: PromptError.self) { try build(r, videoLLM: true) }
  }

  @Test func rowsWithoutASubDatasetAreErrors() {
    var r = Self.mcq
    r["SUB_DATASET"] = nil
    #expect(throws: PromptError.self) { try build(r) }
    r["SUB_DATASET"] = .string("QBench_Video_X")
    #expect(throws: PromptError.self) { try build(r) }
  }

  @Test func normpathIsPythons() {
    #expect(QBenchVideoPrompt.normpath("/a/./b//c/../d.mp4") == "/a/b/d.mp4")
    #expect(QBenchVideoPrompt.normpath("/../a") == "/a")
    #expect(QBenchVideoPrompt.normpath("../a/../../b") == "../../b")
    #expect(QBenchVideoPrompt.normpath("./") == ".")
  }

  // MARK: Rules

  /// `check_ans_mcq(pred, ans, ans.split('.')[0].strip(), ans.split('.')[1].strip())`.
  @Test func mcqRuleIsCheckAnsMCQ() {
    let vectors: [(String, String, Bool)] = [
      ("B", "B. Medium", true), ("B. Medium", "B. Medium", true), ("Medium", "B. Medium", true), ("The answer is B", "B. Medium", false),
      ("A\nB", "B. Medium", true), (" B", "B. Medium", false), ("b", "B. Medium", false), ("Medium.", "B. Medium", false), ("AB.", "B. Medium", true),
      ("B\n", "B. Medium", true), ("B.", "B. Medium", true), ("C", "C. Low. Very low", true), ("Low", "C. Low. Very low", true),
      ("Low. Very low", "C. Low. Very low", false), ("", "A. Yes", false), ("A", "A.Yes", true), ("Yes", "A.Yes", true),
    ]
    for (p, a, want) in vectors { #expect(QBenchVideoScorer.mcqRight(p, answer: a) == want, "\(p.debugDescription) / \(a)") }
    #expect(QBenchVideoScorer.mcqRight("A", answer: "no dot") == nil)
  }

  /// `int(reply.strip().replace('Score:', '').strip())`, nil where it raises ValueError.
  @Test func judgeRepliesReadAsVLMEvalKitReadsThem() {
    let vectors: [(String, Int?)] = [
      ("Score:2", 2), (" Score: 0\n", 0), ("Score:1", 1), ("Score:+2", 2), ("Score:-1", -1), ("Score:5", 5), ("Score:'2'", nil), ("Score: 2.", nil),
      ("2", 2), ("Score:1_0", 10), ("Score: two", nil), ("", nil),
    ]
    for (r, want) in vectors { #expect(QBenchVideoScorer.parityRating(r) == want, "\(r.debugDescription)") }
    // --strict: 'Score' and a lone digit 0-2.
    #expect(QBenchVideoScorer.strictRating("Score:'2'") == 2 && QBenchVideoScorer.strictRating("Score: 2.") == 2)
    #expect(QBenchVideoScorer.strictRating("**Score**: 1") == 1 && QBenchVideoScorer.strictRating("Score:5") == nil)
    #expect(QBenchVideoScorer.strictRating("Score: 10") == nil && QBenchVideoScorer.strictRating("no idea") == nil)
    #expect(QBenchVideoScorer.questionType("['what_how,x']") == "what_how" && QBenchVideoScorer.questionType("[]") == nil)
  }

  // MARK: Scoring

  static let fail = "Failed to obtain answer via API."
  /// The concatenated table as VLMEvalKit's QBench_Video builds it (MCQ rows, then VQA rows;
  /// `original_index`, then the new `index`), with predictions.
  static let rows: [(String, String, String, String, String, String?)] = [
    ("QBench_Video_MCQ", "Q0?\nA. High\nB. Medium\nC. Low", "B. Medium", "['what_how, technical']", "0", "B"),
    ("QBench_Video_MCQ", "Q1?\nA. Yes\nB. No", "A. Yes", "['yes_or_no, aesthetic']", "1", "Yes"),
    ("QBench_Video_MCQ", "Q2?\nA. Yes\nB. No", "B. No", "['yes_or_no, technical']", "2", "A"),
    ("QBench_Video_MCQ", "Q3?\nA. Yes\nB. No", "A. Yes", "['yes_or_no']", "3", fail),
    ("QBench_Video_MCQ", "Q4?\nA. Sharp\nB. Blurry", "B. Blurry", "['what_how, temporal']", "4", "The answer is B."),
    ("QBench_Video_MCQ", "Q5?\nA. Sharp\nB. Blurry", "A. Sharp", "['what_how,x']", "5", "C\nA"),
    ("QBench_Video_VQA", "Describe the clarity.", "It is clear.", "['open_ended, technical']", "0", "Very clear."),
    ("QBench_Video_VQA", "Describe the noise.", "Heavy noise.", "['open_ended, technical']", "1", "No noise."),
    ("QBench_Video_VQA", "Describe the color.", "Vivid colors.", "['open_ended, aesthetic']", "2", "Colors are vivid and bright."),
  ]

  static func table(_ rows: [(String, String, String, String, String, String?)] = QBenchVideoTests.rows) -> Rows {
    let videos = ["m1", "m2", "m3"]
    return Rows(
      table: ResultTable(
        columns: ["video", "video_path", "question", "answer", "dimensions", "SUB_DATASET", "original_index", "index", "prediction"],
        rows: rows.enumerated().map { i, r in
          let v = videos[i % 3]
          return [v, "./video/\(v).mp4", r.1, r.2, r.3, r.0, r.4, String(i), r.5]
        }, name: "M_QBench_Video_8frame"))
  }

  static let replies: JudgeReplies = [
    "6": JudgeReply(text: "Score:2", failed: false), "7": JudgeReply(text: " Score: 0\n", failed: false),
    "8": JudgeReply(text: "Score:1", failed: false),
  ]
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)
  static func ctx(strict: Bool = false, judged: JudgeReplies? = QBenchVideoTests.replies) -> ScoreContext {
    ScoreContext(strict: strict, judged: judged, judgeName: "gpt-4o-0806", dataset: "QBench_Video_8frame", diag: diag)
  }

  @Test func judgePromptsAreVLMEvalKits() throws {
    guard case .prompts(let p) = QBenchVideoRule().judgePrompts(Self.table(), strict: false) else {
      Issue.record("no prompts")
      return
    }
    #expect(p.map(\.id) == ["6", "7", "8"])
    #expect(
      p[0].system
        == "\nYou are a helpful assistant that grades answers related to visual video quality.\nThere are a lot of special terms or keywords related to video processing and photography.\nYou will pay attention to the context of `quality evaluation' when grading.\n"
    )
    #expect(
      p[0].prompt
        == "\nGiven the question Describe the clarity., evaluate whether the response Very clear. completely matches the correct answer It is clear..\nFirst, check the response and please rate score 0 if the response is not a valid answer.\nPlease rate score 2 if the response completely or almost completely matches the correct answer on completeness, accuracy, and relevance.\nPlease rate score 1 if the response partly matches the correct answer on completeness, accuracy, and relevance.\nPlease rate score 0 if the response doesn't match the correct answer on completeness, accuracy, and relevance at all.\nPlease only provide the result in the following format: Score:'\n"
    )
  }

  /// VLMEvalKit: MCQ scores [1, 1, 0, -1, 1, 1], VQA [2, 0, 1]; `_acc.csv`
  /// `"success","overall","acc"` / `3,3,100.0` / `0,3,0.0` / `3,3,50.0` (what_how, yes_or_no,
  /// open_ended).
  @Test func accIsVLMEvalKitsEvaluate() throws {
    let o = try QBenchVideoRule().score(Self.table(), Self.ctx())
    #expect(o.scores == ["1", "1", "0", "-1", "1", "1", "2", "0", "1"])
    let acc = try #require(o.acc)
    #expect(acc.columns == ["success", "overall", "acc"] && o.accQuoteAll)
    #expect(acc.rows == [["3", "3", "100.0"], ["0", "3", "0.0"], ["3", "3", "50.0"]])
    #expect(o.summary.rows.map(\.name) == ["what_how", "yes_or_no", "open_ended"])
    #expect(o.badRows == 0 && o.rating == nil)
    // The sub-tables and score files under VLMEvalKit's names, `original_index` as `index` last.
    #expect(
      o.sideTables.map { $0.fileName(stem: "M_QBench_Video_8frame") } == [
        "M_QBench_Video_MCQ_8frame.xlsx", "M_QBench_Video_MCQ_8frame_score.xlsx", "M_QBench_Video_VQA_8frame.xlsx",
        "M_QBench_Video_VQA_8frame_gpt-4o-0806_score.xlsx",
      ])
    let mcqScore = o.sideTables[1]
    #expect(mcqScore.columns == ["video", "video_path", "question", "answer", "dimensions", "prediction", "index", "score"])
    #expect(mcqScore.rows.map { $0[6] } == ["0", "1", "2", "3", "4", "5"] && mcqScore.rows.map { $0[7] } == ["1", "1", "0", "-1", "1", "1"])
    #expect(o.sideTables[3].rows.map { $0[7] } == ["2", "0", "1"] && o.sideTables[3].rows.map { $0[6] } == ["0", "1", "2"])
    #expect(o.summary.notes.joined().contains("1 failed MCQ answers score -1"))
  }

  /// Halving after rounding: 2 of 3 -> round(66.67, 1) = 66.7 -> 33.35.
  @Test func openEndedIsHalvedAfterRounding() throws {
    let judged: JudgeReplies = [
      "6": JudgeReply(text: "Score:2", failed: false), "7": JudgeReply(text: "Score:2", failed: false),
      "8": JudgeReply(text: "Score:0", failed: false),
    ]
    let o = try QBenchVideoRule().score(Self.table(), Self.ctx(judged: judged))
    #expect(o.acc?.rows.last == ["4", "3", "66.65"])
  }

  @Test func strictScoresFailuresZeroAndReadsLooseReplies() throws {
    let judged: JudgeReplies = [
      "6": JudgeReply(text: "Score: 2.", failed: false), "7": JudgeReply(text: "Failed to obtain answer via API.", failed: true),
      "8": JudgeReply(text: "Score:5", failed: false),
    ]
    let parity = try QBenchVideoRule().score(Self.table(), Self.ctx(judged: judged))
    #expect(parity.scores.suffix(3) == ["0", "0", "5"] && parity.scores[3] == "-1")
    #expect(parity.summary.notes.joined().contains("1 failed judgements and 1 replies that are not 'Score:N' score 0"))
    let strict = try QBenchVideoRule().score(Self.table(), Self.ctx(strict: true, judged: judged))
    #expect(strict.scores.suffix(3) == ["2", "0", "0"] && strict.scores[3] == "0")
    #expect(strict.acc?.rows == [["3", "3", "100.0"], ["1", "3", "33.3"], ["2", "3", "33.35"]])
  }

  @Test func theJudgeIsNeededForVQARowsOnly() throws {
    #expect(throws: SimpleToolError.self) { try QBenchVideoRule().score(Self.table(), Self.ctx(judged: nil)) }
    let mcqOnly = try QBenchVideoRule().score(Self.table(Array(Self.rows.prefix(6))), Self.ctx(judged: nil))
    #expect(mcqOnly.acc?.rows == [["3", "3", "100.0"], ["0", "3", "0.0"]] && mcqOnly.sideTables.count == 2)
  }

  @Test func badRowsAreReportedNotFatal() throws {
    var rows = Self.rows
    rows[0].2 = "no dot"
    rows[1].3 = "not a list"
    rows[2].5 = nil
    let o = try QBenchVideoRule().score(Self.table(rows), Self.ctx())
    #expect(o.badRows == 2 && o.scores[0] == nil && o.scores[1] == nil && o.scores[2] == "0")
    // what_how keeps Q4 and Q5; yes_or_no keeps Q2 (no prediction: 0) and Q3 (-1).
    #expect(o.acc?.rows == [["-1", "2", "-50.0"], ["2", "2", "100.0"], ["3", "3", "50.0"]])
  }
}
