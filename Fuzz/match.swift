@testable import VBenchmarks
@testable import VScore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let choices = [("A", "running"), ("B", "walking"), ("C", ""), ("D", "A")]
  _ = Matching.canInfer(text, choices: choices)
  _ = Matching.canInfer(text, choices: choices, strict: true)
  _ = Matching.extractCharacters(text)
  _ = Matching.extractCharacters(text, letters: "ABCDE", strict: true)
  _ = Matching.mvbenchFirstToken(text, gt: "(B) walking")
  _ = Matching.mvbenchFirstToken(text, gt: text, strict: true)
  _ = Matching.mlvuOption(text)
  _ = Matching.tempCompassMultiChoice(text, answer: text)
  _ = Matching.tempCompassYesNo(text, answer: "yes")
  _ = Matching.integerRating(text)
  _ = MLVUScorer.openScore(text, task: "summary")
  _ = TempCompassScorer.captioningRating(text, mcAnswer: "C. x")
  _ = TempCompassScorer.captionMatching(text, answer: text, options: [text, "Sentence A: x"])
  return 0
}
