import Foundation
import Testing
import VTestSupport

@testable import VScore

/// The EASI scorer core against VLMEvalKit's own functions: `Tests/Fixtures/easi/vectors.json`,
/// made by `Tests/Fixtures/easi/make-easi-vectors.py` from vlmeval/dataset/utils/spatial_bench.
@Suite struct EASITests {
  static var vectors: [String: Any] {
    let path = FakeServer.repoRoot + "/Tests/Fixtures/easi/vectors.json"
    guard let data = FileManager.default.contents(atPath: path),
      let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return obj
  }

  static func rows(_ key: String) -> [[Any]] { vectors[key] as? [[Any]] ?? [] }

  @Test func fixtureIsThere() {
    for k in ["option", "na", "exact", "mra", "caa", "paths"] { #expect(!Self.rows(k).isEmpty, "\(k)") }
  }

  @Test func canMatchOptionIsVLMEvalKits() {
    for r in Self.rows("option") {
      let input = r[0] as! String
      #expect(EASI.canMatchOption(input) == r[1] as? String, "\(input.debugDescription)")
    }
  }

  @Test func canMatchNAIsVLMEvalKits() {
    for r in Self.rows("na") {
      let input = r[0] as! String
      #expect(EASI.canMatchNA(input) == (r[1] as? NSNumber)?.doubleValue, "\(input.debugDescription)")
    }
  }

  @Test func exactMatchAndMRAAreVLMEvalKits() {
    for r in Self.rows("exact") {
      #expect(EASI.exactMatch(r[0] as! String, r[1] as! String) == (r[2] as! NSNumber).doubleValue)
    }
    for r in Self.rows("mra") {
      let p = (r[0] as! NSNumber).doubleValue, t = (r[1] as! NSNumber).doubleValue
      #expect(EASI.meanRelativeAccuracy(p, t) == (r[2] as! NSNumber).doubleValue, "\(p) vs \(t)")
    }
    // The example: an error of exactly 0.45 fails the 0.55 threshold.
    #expect(EASI.mraThresholds.count == 10)
    #expect(EASI.meanRelativeAccuracy(1.45, 1) == 0.2)
    #expect(EASI.meanRelativeAccuracy(1.4, 1) == 0.3)
  }

  @Test func caaIsVLMEvalKits() {
    for r in Self.rows("caa") {
      let hits = (r[0] as! [NSNumber]).map { $0.intValue == 1 }
      let counts = (r[1] as! [Any]).map { EASI.optionCount($0 as? String) }
      #expect(EASI.caa(hits: hits, optionCounts: counts) == (r[2] as! NSNumber).doubleValue)
    }
    #expect(EASI.optionCount("['a', 'b, c', ('x', 1)]") == 3)
    #expect(EASI.optionCount(nil) == 4)
  }

  @Test func pathsAreBuildEvalPaths() {
    for r in Self.rows("paths") {
      let tag: EASI.JudgeTag = (r[1] as! String) == "extract_matching" ? .extractMatching : .llm("gpt-4o")
      #expect(tag.text == r[1] as! String)
      let p = EASI.evalPaths(evalFile: r[0] as! String, judgeTag: tag)
      #expect(p.xlsx == r[2] as! String)
      #expect(p.acc == r[3] as! String)
    }
    #expect(EASI.JudgeTag.llm(nil).text == "llm_matching")
  }

  @Test func mcqRowsAndAggregation() {
    // Two misses compare equal ("False" == "False"), as in compute_mcq_score.
    #expect(EASI.mcqHit(prediction: "no idea", answer: "nothing") == 1)
    #expect(EASI.mcqHit(prediction: "The answer is B", answer: "B") == 1)
    #expect(EASI.mcqHit(prediction: "A", answer: "B") == 0)
    #expect(EASI.naScore(prediction: "about 3 meters", answer: "3.0") == 1)
    #expect(EASI.naScore(prediction: "none", answer: "3.0") == 0)
    #expect(EASI.naScore(prediction: "3", answer: "nan") == 0)
    let g = EASI.groupMeans(keys: ["b", "a", nil, "b", "c"], values: [1, 0, 1, 0, 1], preferred: ["c", "z"])
    #expect(g.map(\.key) == ["c", "b", "a"])
    #expect(g.map(\.mean) == [1, 0.5, 0])
    #expect(EASI.accTable([("overall", 50), ("x_accuracy", .nan), ("y_accuracy", 33.33333)]) == "overall\ty_accuracy\n50.0000\t33.3333\n")
  }
}
