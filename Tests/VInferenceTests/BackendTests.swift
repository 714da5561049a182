import Foundation
import Testing
import VCore
import VTestSupport
@testable import VInference

@Suite struct ChanceSeedTests {
  func answers(seed: UInt64, ids: Range<Int> = 0..<12) async throws -> String {
    let b = ChanceBackend(seed: seed)
    let rec = JSONObject([("candidates", .string("['a', 'b', 'c', 'd']"))])
    var s = ""
    for i in ids { s += try await b.attempt(ChatRequest(id: String(i), body: [], preview: "", hash: "", items: []), record: rec, timeout: 1).text }
    return s
  }

  /// Seed 0 answers exactly as before `--seed` took effect (the demo's outputs depend on it).
  @Test func seedZeroKeepsTheEarlierAnswers() async throws {
    #expect(try await answers(seed: 0) == "CDCBDDADCDCD")
  }

  @Test func seedsChangeTheAnswers() async throws {
    #expect(try await answers(seed: 1) == "DCCBBBABBBDD")
    #expect(try await answers(seed: 42) == "AACABDCAADDA")
    #expect(try await answers(seed: 1, ids: 0..<200) != answers(seed: 2, ids: 0..<200))
  }
}
