import Testing
import VCore
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// Chained judges: which round `--judge-prompts` writes from the replies so far, how a round's
/// records are named, and judge records with images.
@Suite struct JudgeRoundsTests {
  /// Round 1 asks each row's question; round 2 checks each round-1 reply (row 0 with a picture);
  /// there is no round 3.
  struct TwoRounds: ScoringRule {
    var name: String { "two-rounds" }
    func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
      .prompts((0..<rows.count).map { JudgePrompt(id: rows.id($0), kind: "ask", prompt: "ask " + (rows.cell($0, "question") ?? "")) })
    }
    func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt] {
      guard round == 2 else { return [] }
      return (0..<rows.count).compactMap { r in
        replies.reply(round: 1, rows.id(r)).map {
          JudgePrompt(id: rows.id(r), kind: "check", prompt: "check " + $0.text, round: 2, images: r == 0 ? ["f/1.jpg"] : [])
        }
      }
    }
    func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome {
      Outcome(scores: [], summary: Summary(dataset: "", rules: "", mode: "", metric: "", rows: []))
    }
  }

  static let rows = Rows(
    table: ResultTable(columns: ["index", "question", "prediction"], rows: [["7", "q7", "p"], ["8", "q8", "p"]], name: "t"))

  func round(_ replies: [String: String], target: Int? = nil) throws -> (Int, [String]) {
    var o = ScoreOptions(input: "t.tsv")
    o.judgeRound = target
    let s = Scorer(options: o, catalog: Registry.catalog, diagnostics: Diagnostics(tool: "test", verbosity: -1))
    let (k, p) = try s.judgeRound(TwoRounds(), Self.rows, dataset: "t", replies: replies.mapValues { JudgeReply(text: $0, failed: false) })
    return (k, p.map(\.recordID))
  }

  @Test func theFirstUnansweredRoundIsWritten() throws {
    #expect(try round([:]) == (1, ["7", "8"]))
    // A round partly answered is written whole (vinfer skips what its log answers).
    #expect(try round(["7": "a"]) == (1, ["7", "8"]))
    #expect(try round(["7": "a", "8": "b"]) == (2, ["r2:7", "r2:8"]))
    #expect(try round(["7": "a", "8": "b", "r2:7": "y"]) == (2, ["r2:7", "r2:8"]))
    // Every round answered: nothing, and the round named is the one after the last.
    #expect(try round(["7": "a", "8": "b", "r2:7": "y", "r2:8": "n"]) == (3, []))
  }

  @Test func aNamedRoundNeedsTheRoundsBeforeIt() throws {
    #expect(try round([:], target: 1) == (1, ["7", "8"]))
    #expect(try round(["7": "a", "8": "b", "r2:7": "y", "r2:8": "n"], target: 1) == (1, ["7", "8"]))
    #expect(try round(["7": "a", "8": "b"], target: 2) == (2, ["r2:7", "r2:8"]))
    let all = ["7": "a", "8": "b", "r2:7": "y", "r2:8": "n"]
    #expect(try round(all, target: 3) == (3, []))
    #expect(try round(all, target: 9) == (3, []), "the chain ends at the first empty round")
    #expect(throws: SimpleToolError.self) { try round(["7": "a", "8": "b"], target: 3) }
    let e = #expect(throws: SimpleToolError.self) { try round(["7": "a"], target: 2) }
    #expect(e?.exitStatus == .dataError && e?.message.contains("round 1 is not finished: 1 of its 2 records") == true, "\(String(describing: e))")
  }

  @Test func laterRoundsAreBuiltFromTheReplies() throws {
    var o = ScoreOptions(input: "t.tsv")
    o.judgeRound = 2
    let s = Scorer(options: o, catalog: Registry.catalog, diagnostics: Diagnostics(tool: "test", verbosity: -1))
    let (_, p) = try s.judgeRound(
      TwoRounds(), Self.rows, dataset: "t", replies: ["7": JudgeReply(text: "a7", failed: false), "8": JudgeReply(text: "x", failed: true)])
    #expect(p.map(\.prompt) == ["check a7", "check x"], "a failed reply counts as an answer")
  }

  @Test func recordsCarryTheirRoundAndImages() throws {
    let one = JudgePrompt(id: "5", kind: "k", prompt: "hi").record
    #expect(JSONSerializer.serialize(.object(one)) == #"{"id":"5","judge":"k","messages":[{"type":"text","value":"hi"}]}"#)
    let two = JudgePrompt(id: "5:1", kind: "k", system: "s", prompt: "hi", round: 2, images: ["a.jpg", "b.jpg"]).record
    #expect(
      JSONSerializer.serialize(.object(two))
        == #"{"id":"r2:5:1","judge":"k","judge_round":2,"system":"s","messages":[{"type":"image","value":"a.jpg"},{"type":"image","value":"b.jpg"},{"type":"text","value":"hi"}]}"#
    )
    let replies: JudgeReplies = ["5": JudgeReply(text: "one", failed: false), "r2:5": JudgeReply(text: "two", failed: false)]
    #expect(replies.reply(round: 1, "5")?.text == "one" && replies.reply(round: 2, "5")?.text == "two" && replies.reply(round: 3, "5") == nil)
  }
}
