import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// MovieChat-1K (VLMEvalKit `moviechat1k.py`, `utils/moviechat1k.py`). The expected prompts,
/// row subsets, judge prompt, the `score` column and the rating below are the outputs of
/// VLMEvalKit's own `MovieChat1k.build_prompt`, its `subset`/`limit` filter,
/// `prepare_score_prompt` and `MovieChat1k.evaluate` (with a fake chatgpt-0125 judge returning
/// the canned replies), commit e8e78f05, run on these rows in a scratch script.
@Suite struct MovieChat1kTests {
  @Test func configsAreVideoDatasetConfigs() throws {
    let configs = Benchmark.movieChat1k.configs
    #expect(configs.map(\.name) == ["moviechat1k_breakpoint_8frame", "moviechat1k_global_14frame", "moviechat1k_global_8frame_limit0.01"])
    #expect(configs.map { $0.spec.nframe } == [8, 14, 8] && configs.allSatisfy { $0.spec.sampler == .uniform && $0.dataset == "MovieChat1k" })
    #expect(
      configs.map(\.rows) == [
        RowSubset(column: "mode", value: "breakpoint"), RowSubset(column: "mode", value: "global"),
        RowSubset(column: "mode", value: "global", limit: 0.01),
      ])
    let f = try #require(Registry.preset(named: "moviechat1k_global_14frame")).frameSettings
    #expect(f.video == VideoRule(field: "video", ext: ".mp4", subfolder: "videos") && f.rows == configs[1].rows)
    #expect(Registry.datasetName(fromFileStem: "M_moviechat1k_global_8frame_limit0.01") == "moviechat1k_global_8frame_limit0.01")
  }

  /// `subset` then `limit` on modes [g, b, g, g, b, g, g, g, g, b] (indices 0-9).
  @Test func rowSubsetsAreVLMEvalKits() {
    let modes: [String?] = ["global", "breakpoint", "global", "global", "breakpoint", "global", "global", "global", "global", "breakpoint"]
    func kept(_ s: RowSubset) -> [Int] { s.keep(modes).enumerated().filter(\.element).map(\.offset) }
    #expect(kept(RowSubset(column: "mode", value: "global")) == [0, 2, 3, 5, 6, 7, 8])
    #expect(kept(RowSubset(column: "mode", value: "breakpoint")) == [1, 4, 9])
    #expect(kept(RowSubset(column: "mode", value: "global", limit: 0.01)) == [])
    #expect(kept(RowSubset(column: "mode", value: "global", limit: 0.5)) == [0, 2, 3])
    #expect(kept(RowSubset(column: "mode", value: "global", limit: 0.34)) == [0, 2])
  }

  /// `build_prompt_nopack`: the frames then the question; with `video_llm` the video first.
  @Test func promptIsBuildPrompt() throws {
    let preset = try #require(Registry.preset(named: "moviechat1k_breakpoint_8frame"))
    let record = JSONObject([
      ("video", .string("1.mp4")), ("question", .string("What is the man doing?")),
      ("frames", .array([.string("/L/images/MovieChat1k/1.mp4/frame-1-of-2.jpg"), .string("/L/images/MovieChat1k/1.mp4/frame-2-of-2.jpg")])),
      ("video_info", .object(JSONObject([("path", .string("/D/mc/videos/1.mp4"))]))),
    ])
    func build(_ llm: Bool) throws -> [MessageItem] {
      try preset.prompt.build(TemplateInput(record: record, videoLLM: llm, datasetRoot: "/D/mc", subtitles: false, strict: false, warn: { _ in }))
    }
    #expect(
      try build(false) == [
        .image("/L/images/MovieChat1k/1.mp4/frame-1-of-2.jpg"), .image("/L/images/MovieChat1k/1.mp4/frame-2-of-2.jpg"),
        .text("What is the man doing?"),
      ])
    #expect(try build(true) == [.video("/D/mc/videos/1.mp4"), .text("What is the man doing?")])
  }

  static let fail = "Failed to obtain answer via API."
  /// (index, mode, prediction, judge reply).
  static let rows: [(String, String, String?, String?)] = [
    ("0", "global", "He is cooking.", "{'pred': 'yes', 'score': 4}"), ("1", "global", "He sleeps.", "{\"pred\": \"no\", \"score\": 1}"),
    ("2", "breakpoint", "A car.", "{'pred': 'YES', 'score': 4.8}"), ("3", "breakpoint", "Nothing.", "Sure: {'pred': 'no', 'score': 0}"),
    ("4", "global", nil, nil), ("5", "Breakpoint", "Red.", fail), ("6", "global", "Blue.", "{'pred': 'no'}"),
    ("7", "breakpoint", "Two.", " {'score': 3, 'pred': 'no', 'score': 2} "), ("8", "other", "x", "{'pred': 'yes', 'score': 5}"),
  ]

  static func table() -> Rows {
    Rows(
      table: ResultTable(
        columns: ["index", "video", "question", "answer", "mode", "prediction"],
        rows: rows.map { [$0.0, "\($0.0).mp4", "Q\($0.0)?", "A\($0.0).", $0.1, $0.2] }, name: "M_moviechat1k_global_14frame"))
  }

  static let replies: JudgeReplies = Dictionary(
    uniqueKeysWithValues: rows.compactMap { r in r.3.map { (r.0, JudgeReply(text: $0, failed: $0 == fail)) } })
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)
  static func ctx(strict: Bool = false, judged: JudgeReplies? = MovieChat1kTests.replies) -> ScoreContext {
    ScoreContext(strict: strict, judged: judged, judgeName: "chatgpt-0125", dataset: "moviechat1k_global_14frame", diag: diag)
  }

  @Test func judgePromptIsPrepareScorePrompt() throws {
    guard case .prompts(let p) = MovieChat1kRule().judgePrompts(Self.table(), strict: false) else {
      Issue.record("no prompts")
      return
    }
    // Row 4 has no prediction and is not judged.
    #expect(p.map(\.id) == ["0", "1", "2", "3", "5", "6", "7", "8"] && p.allSatisfy { $0.system == nil })
    #expect(
      p[0].prompt
        == "Please evaluate the following video-based question-answer pair:\n\n\n            Question: Q0?\n\n            Correct Answer: A0.\n\n            Predicted Answer: He is cooking.\n\n\n            Provide your evaluation only as a yes/no and score where the score is an integer value between 0 and 5, with 5 indicating the highest meaningful match.\n            Please generate the response in the form of a Python dictionary string with keys 'pred' and 'score', where value of 'pred' is  a string of 'yes' or 'no' and value of 'score' is in INTEGER, not STRING.\n            DO NOT PROVIDE ANY OTHER OUTPUT TEXT OR EXPLANATION. Only provide the Python dictionary string.\n                For example, your response should look like this: {'pred': 'yes', 'score': 4.8}."
    )
  }

  /// VLMEvalKit: the score column holds the raw replies (-1 for row 4); rating
  /// coarse_valid global 2.50, breakpoint 3.40, overall 2.95; coarse_accuracy 0.50 each.
  @Test func ratingIsVLMEvalKitsEvaluate() throws {
    let o = try MovieChat1kRule().score(Self.table(), Self.ctx())
    #expect(o.scores == Self.rows.map { $0.3 ?? "-1" })
    #expect(o.fileInfix == "_chatgpt-0125" && o.badRows == 0)
    #expect(
      JSONSerializer.pretty(try #require(o.rating)) == """
        {
            "coarse_valid": {
                "global": "2.50",
                "breakpoint": "3.40",
                "overall": "2.95"
            },
            "coarse_accuracy": {
                "global": "0.50",
                "breakpoint": "0.50",
                "overall": "0.50"
            }
        }
        """)
    let notes = o.summary.notes.joined(separator: "\n")
    #expect(notes.contains("1 failed judgements and 2 replies that are no dict"))
    #expect(notes.contains("1 rows have a mode other than global or breakpoint"))
  }

  /// Strict also reads `Sure: {...}` (breakpoint gains a 0 and a `no`).
  @Test func strictReadsADictInsideText() throws {
    let o = try MovieChat1kRule().score(Self.table(), Self.ctx(strict: true))
    let rating = try #require(o.rating?.objectValue)
    #expect(rating["coarse_valid"]?.objectValue?["breakpoint"] == .string("2.27"))
    #expect(rating["coarse_accuracy"]?.objectValue?["breakpoint"] == .string("0.33"))
    #expect(MovieChat1kScorer.strict("```python\n{'pred': 'yes', 'score': 3}\n```")?.score == 3)
    #expect(MovieChat1kScorer.parity("```python\n{'pred': 'yes', 'score': 3}\n```") == nil)
  }

  @Test func parsingIsParseScoreDict() {
    #expect(MovieChat1kScorer.parity("{'pred': 'yes', 'score': 4}").map { [$0.yes ? 1 : 0, $0.score] } == [1, 4])
    #expect(MovieChat1kScorer.parity("{\"pred\": \"no\", \"score\": 1}").map { [$0.yes ? 1 : 0, $0.score] } == [0, 1])
    #expect(MovieChat1kScorer.parity(" {'score': 3, 'pred': 'no', 'score': 2} ")?.score == 2)
    #expect(MovieChat1kScorer.parity("{'pred': 'no'}") == nil && MovieChat1kScorer.parity("[1, 2]") == nil)
    #expect(MovieChat1kScorer.parity("\"just a string\"") == nil && MovieChat1kScorer.parity(Self.fail) == nil)
  }

  @Test func withoutAJudgeItIsAnError() {
    #expect(throws: SimpleToolError.self) { try MovieChat1kRule().score(Self.table(), Self.ctx(judged: nil)) }
  }
}
