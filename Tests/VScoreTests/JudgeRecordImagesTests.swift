import Foundation
import Testing
import VCore
import VTestSupport

@testable import VScore

/// A later round's judge record with images, as `JudgePrompt.record` writes it (CG-Bench's second
/// round shows clue frames), answered by vinfer against the loopback server like any prompt.
@Suite struct JudgeRecordImagesTests {
  @Test func aJudgeRecordWithImagesIsSent() throws {
    let d = TempDir()
    let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46]
    let frames = [d.write("clue-1.jpg", bytes: jpeg), d.write("clue-2.jpg", bytes: jpeg)]
    let p = JudgePrompt(id: "3", kind: "clue", system: "Judge the answer.", prompt: "Is it right?", round: 2, images: frames)
    d.write("r2.jsonl", JSONSerializer.serialize(.object(p.record)) + "\n")
    let server = try FakeServer()
    let r = try ToolRunner.run(
      "vinfer", ["--api-base", server.url, "--model", "judge", "--media-root", d.path, "-o", d.file("a.jsonl"), d.file("r2.jsonl")],
      env: ["OPENAI_API_KEY": "sk-test"])
    #expect(r.status == 0, "\(r)")
    #expect(server.requests.count == 1)
    #expect(server.requests.first?["valid"] as? Bool == true && server.requests.first?["images"] as? Int == 2)
    #expect(server.requests.first?["system"] as? String == "Judge the answer.")
    let answer = try #require(try JSONParser.parse(d.read("a.jsonl").split(separator: "\n").first.map(String.init) ?? "").objectValue)
    #expect(answer["id"] == .string("r2:3") && answer["judge_round"] == .int(2) && answer["prediction"] == .string("images=2"))
  }
}
