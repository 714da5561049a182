import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// DREAM-1K (VLMEvalKit `dream.py`). The expected judge texts, prompts, judge calls, score columns
/// and ratings are in `Tests/Fixtures/vlmevalkit/dream.json`, printed by `dream_judge.py` beside
/// it: VLMEvalKit's own `build_prompt` and `evaluate` (with a fake judge answering canned
/// replies), commit e8e78f05.
@Suite struct DREAMTests {
  static let golden = GoldenFixture("dream.json")

  static func strings(_ key: String) -> [String] { golden.strings(key) }

  static func messages(_ key: String) -> [MessageItem] { golden.messages(key) }

  @Test func configsAreVideoDatasetConfigs() throws {
    #expect(Benchmark.dream.configs.map(\.name) == ["DREAM-1K_8frame", "DREAM-1K_64frame", "DREAM-1K_2fps", "DREAM-1K_1fps", "DREAM-1K_0.5fps"])
    #expect(Benchmark.dream.configs.map { $0.spec.nframe } == [8, 64, 0, 0, 0])
    #expect(Benchmark.dream.configs.map { $0.spec.fps } == [0, 0, 2, 1, 0.5])
    #expect(Benchmark.dream.configs.allSatisfy { $0.dataset == "DREAM-1K" && $0.video.valueRemovals == ["video/"] && $0.video.ext == ".mp4" })
    #expect(Registry.datasetName(fromFileStem: "M_DREAM-1K_0.5fps") == "DREAM-1K_0.5fps")
    #expect(VideoRule(field: "video", valueRemovals: ["video/"]).removingValueParts("video/a/video/b") == "a/b")
  }

  @Test func judgeTextsAreVLMEvalKits() {
    let ex = Self.golden["EXTRACTION_PROMPT"]?.stringValue?.replacingOccurrences(of: "{caption}", with: "C")
      .replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
    #expect(ex == DREAMTexts.extraction(caption: "C"))
    let rel = Self.golden["RELATIONSHIP_PROMPT"]?.stringValue?.replacingOccurrences(of: "{prediction}", with: "P")
      .replacingOccurrences(of: "{events}", with: "E").replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
    #expect(rel == DREAMTexts.relationship(description: "P", events: "E"))
  }

  /// `build_prompt`, frames and video LLM, for a `video/` value.
  @Test func promptsAreBuildPrompt() throws {
    var o = JSONObject([("id", .string("3")), ("index", .string("3")), ("video", .string("video/clip_3"))])
    o["question"] = .string("Describe the video in detail.")
    o["frames"] = .array([1, 2].map { .string("/L/images/DREAM-1K/clip_3/frame-\($0)-of-2.jpg") })
    o["video_info"] = .object(JSONObject([("path", .string("/L/datasets/DREAM/clip_3.mp4"))]))
    let preset = try #require(Registry.preset(named: "DREAM-1K_8frame"))
    for llm in [false, true] {
      let got = try preset.prompt.build(TemplateInput(record: o, videoLLM: llm, datasetRoot: "/D", subtitles: false, strict: false, warn: { _ in }))
      #expect(got == Self.messages(llm ? "prompt_video" : "prompt_frames"))
    }
  }

  /// The generated rows of `dream_judge.py`: (index, answer, prediction, events cell).
  static let rows: Rows = {
    let r: [(String, String, String?, String?)] = [
      ("0", "A man runs. He jumps.", "A man runs and falls.", nil), ("1", "A dog barks.", "A dog barks.", nil),
      ("2", "A cat sleeps.", "Nothing.", nil), ("3", "A bird sings.", "A bird sings.", nil), ("4", "Rain falls.", "Rain falls.", nil),
      ("5", "A car drives.", "A car drives.", nil), ("6", "A fox jumps.", nil, nil),
      ("7", "Snow falls.", "A fox jumps.", "[\"A car drives.\", \"The car stops.\"]"), ("8", "A fox jumps.", "A car drives.", "not json"),
    ]
    return Rows(
      table: ResultTable(
        columns: ["index", "video", "question", "answer", "events", "prediction"],
        rows: r.map { [$0.0, "video/v\($0.0)", "Describe.", $0.1, $0.3, $0.2] }, name: "M_DREAM-1K_8frame"))
  }()

  /// Both rounds against `evaluate`: every judge call VLMEvalKit makes is a record of vtools' (the
  /// same text), none more; the canned replies give the score columns and the rating.
  @Test func autoDQIsEvaluate() throws {
    let calls = Self.strings("calls"), canned = Self.strings("replies")
    #expect(calls.count == 25 && canned.count == 25)
    var answer: [String: String] = [:]
    for (c, r) in zip(calls, canned) { answer[c] = r }
    let rule = DREAMRule()
    guard case .prompts(let one) = rule.judgePrompts(Self.rows, strict: false) else {
      Issue.record("no judge")
      return
    }
    #expect(
      one.map(\.recordID) == [
        "0:gt", "0:pred", "1:gt", "1:pred", "2:gt", "2:pred", "3:gt", "3:pred", "4:gt", "4:pred", "5:gt", "5:pred", "7:pred", "8:gt", "8:pred",
      ])
    var replies = JudgeReplies()
    for p in one { replies[p.recordID] = JudgeReply(text: try #require(answer[p.prompt], "\(p.id)"), failed: false) }
    let two = rule.judgePrompts(Self.rows, strict: false, round: 2, replies: replies)
    #expect(
      two.map(\.recordID) == [
        "r2:0:recall", "r2:0:precision", "r2:1:recall", "r2:1:precision", "r2:3:recall", "r2:3:precision", "r2:5:recall", "r2:5:precision",
        "r2:7:recall", "r2:7:precision", "r2:8:recall", "r2:8:precision",
      ])
    // VLMEvalKit stops a row at the first reply it raises on: row 7's precision (after its
    // recall raised) is never asked there; vtools asks each round at once.
    for p in two { replies[p.recordID] = JudgeReply(text: answer[p.prompt] ?? "{}", failed: false) }
    let asked = Set((one + two).map(\.prompt))
    #expect(Set(calls).isSubset(of: asked))
    #expect(asked.subtracting(calls) == [DREAMTexts.relationship(description: "Snow falls.", events: "['A fox jumps.']")])
    #expect(rule.judgePrompts(Self.rows, strict: false, round: 3, replies: replies).isEmpty)
    let ctx = ScoreContext(
      strict: false, judged: replies, judgeName: "gpt-4o-mini", dataset: "DREAM-1K_8frame", diag: Diagnostics(tool: "vscore", verbosity: -1))
    let o = try rule.score(Self.rows, ctx)
    // The golden cells went through an xlsx file (15 significant digits).
    func same(_ got: [String?]?, _ key: String) -> Bool {
      let want = Self.strings(key).compactMap(Double.init)
      guard let got, got.count == want.count else { return false }
      return zip(got, want).allSatisfy { abs((Double($0 ?? "") ?? .nan) - $1) < 1e-12 }
    }
    #expect(same(o.scores, "f1"))
    #expect(same(o.table?.rows.map { $0[6] }, "score_r"))
    #expect(same(o.table?.rows.map { $0[7] }, "score_p"))
    #expect(o.table.map { $0.columns + ["f1"] } == Self.strings("columns"))
    #expect(o.scoreColumn == "f1" && o.fileInfix == "_gpt-4o-mini")
    #expect(o.rating == Self.golden["rating"])

    // No valid row: the zero rating.
    let none = Rows(
      table: ResultTable(
        columns: ["index", "video", "question", "answer", "prediction"], rows: [["0", "video/v0", "q", "A man runs.", nil]], name: "M"))
    #expect(try rule.score(none, ctx).rating == Self.golden["empty_rating"])
    // No reference captions: nothing asked, and scoring says why.
    let bare = Rows(table: ResultTable(columns: ["index", "video", "prediction"], rows: [["0", "video/v0", "x"]], name: "M"))
    guard case .prompts(let nothing) = rule.judgePrompts(bare, strict: false) else { return }
    #expect(nothing.isEmpty)
    #expect(throws: SimpleToolError.self) { try rule.score(bare, ctx) }
  }

  /// `parse_json` and the Python semantics around it.
  @Test func parseJSONIsVLMEvalKits() {
    #expect(
      DREAMParse.parse("```python\n{'events': ['a', \"b's\"], 'n': None}\n```")
        == .object(JSONObject([("events", .array([.string("a"), .string("b's")])), ("n", .null)])))
    #expect(DREAMParse.parse("x {\"a\": True} y") == .object(JSONObject([("a", .bool(true))])))
    #expect(DREAMParse.parse("{'a': True}") == nil, "True is lower-cased first, which literal_eval refuses")
    #expect(DREAMParse.parse("nothing") == nil)
    #expect(DREAMParse.parse("[1, 2]") == .array([.int(1), .int(2)]))
    #expect(
      PyLiteralValue.parse("{'a': ('x' 'y', -1.5e3, {1, 2})}")
        == .object(JSONObject([("a", .array([.string("xy"), .number("-1.5e3"), .array([.int(1), .int(2)])]))])))
    #expect(
      DREAMParse.repr(.array([.string("It's \"x\""), .number("1.0"), .int(2), .null, .bool(false)])) == "['It\\'s \"x\"', 1.0, 2, None, False]")
    #expect(
      DREAMScorer.extracted("[1]").isRaise && DREAMScorer.extracted("{}").events == .array([]) && DREAMScorer.extracted("null").events == .array([]))
    #expect(DREAMParse.entailments("{\"events\": [{\"relationship\": \"Entailment\"}, {\"relationship\": \"neutral\"}, {}]}") == 1)
    #expect(DREAMParse.entailments("{\"events\": [\"x\"]}") == nil && DREAMParse.entailments("{\"events\": [{\"relationship\": 1}]}") == nil)
    #expect(DREAMParse.entailments("{\"events\": {}}") == 0 && DREAMParse.entailments("{\"events\": \"ab\"}") == nil)
    #expect(DREAMParse.entailments("Failed to obtain answer via API.") == 0)
  }

  /// A failed judgement: parity reads its text (an extraction that failed is an empty list, 1.0);
  /// `--strict` leaves the row unscored.
  @Test func failedJudgements() throws {
    let rows = Rows(
      table: ResultTable(
        columns: ["index", "video", "question", "answer", "prediction"], rows: [["0", "video/v0", "q", "A man runs.", "A man runs."]], name: "M"))
    var replies = JudgeReplies()
    replies["0:gt"] = JudgeReply(text: "Failed to obtain answer via API.", failed: true)
    replies["0:pred"] = JudgeReply(text: "{\"events\": [\"A man runs.\"]}", failed: false)
    let two = DREAMRule().judgePrompts(rows, strict: false, round: 2, replies: replies)
    #expect(two.map(\.recordID) == ["r2:0:precision"])
    #expect(DREAMRule().judgePrompts(rows, strict: true, round: 2, replies: replies).isEmpty)
    replies["r2:0:precision"] = JudgeReply(text: "{\"events\": [{\"relationship\": \"entailment\"}]}", failed: false)
    let diag = Diagnostics(tool: "vscore", verbosity: -1)
    let parity = try DREAMRule().score(rows, ScoreContext(strict: false, judged: replies, judgeName: "j", dataset: "DREAM-1K_8frame", diag: diag))
    #expect(parity.scores == ["1"] && parity.table?.rows[0].suffix(2) == ["1", "1"])
    let strict = try DREAMRule().score(rows, ScoreContext(strict: true, judged: replies, judgeName: "j", dataset: "DREAM-1K_8frame", diag: diag))
    #expect(strict.scores == ["-1"] && strict.rating?.objectValue?["num_valid"] == .int(0))
  }
}

extension DREAMScorer.Events {
  var isRaise: Bool { if case .raises = self { true } else { false } }
  var events: JSONValue? { if case .events(let e) = self { e } else { nil } }
}
