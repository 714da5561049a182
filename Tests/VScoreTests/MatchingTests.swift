import Testing

@testable import VBenchmarks
@testable import VScore

@Suite struct MatchingTests {
  static let choices = [("A", "running"), ("B", "walking"), ("C", "sitting"), ("D", "jumping")]

  /// Reference 4.3's test vectors, parity mode.
  @Test(
    arguments: [
      ("B", "B"), ("B) walking", "B"), ("(B) walking", "B"), ("The answer is B.", "B"),
      ("A person is walking", "A"), ("I think the answer is a dog", "A"),
      ("Answer: C because the man sits", nil), ("walking", "B"), ("The person is walking, not running", nil),
      ("Z", "Z"), ("B C", nil),
    ] as [(String, String?)])
  func canInferReferenceVectors(answer: String, expected: String?) {
    #expect(Matching.canInfer(answer, choices: Self.choices) == (expected.map { .letter($0) } ?? .none), "\(answer)")
  }

  /// Strict differs exactly on Q6: the case-insensitive regex and the article "A".
  @Test(
    arguments: [
      ("A person is walking", "B"), ("I think the answer is a dog", nil), ("The answer is B.", "B"), ("A", "A"),
      ("A) running", "A"), ("(A) running, not walking", "A"), ("B", "B"), ("Z", "Z"),
    ] as [(String, String?)])
  func canInferStrict(answer: String, expected: String?) {
    #expect(Matching.canInfer(answer, choices: Self.choices, strict: true) == (expected.map { .letter($0) } ?? .none), "\(answer)")
  }

  @Test func canInferEdges() {
    // The failure marker is never a letter; refusals are Z; the VERBOSE guard; the length guard.
    #expect(Matching.canInfer("Failed to obtain answer via API. B", choices: Self.choices) == .none)
    #expect(Matching.canInfer("Cannot determine the answer from the video", choices: Self.choices) == .letter("Z"))
    // With VERBOSE set, can_infer_option gives up on a token "A" in a long answer; the text match then reads it.
    #expect(Matching.canInfer("A person is walking", choices: Self.choices, verboseEnv: true) == .letter("B"))
    #expect(Matching.canInfer(String(repeating: "x", count: 57) + " walking", choices: Self.choices) == .none)
    #expect(Matching.canInfer("answer is **C**", choices: Self.choices) == .letter("C"))
    // A letter that is not among the choices is not an answer.
    #expect(Matching.canInfer("E", choices: Self.choices) == .none)
  }

  /// Reference 4.5's vectors: parity keeps the missing-comma prefix list (Q4).
  @Test(arguments: [
    ("B", "B", "B"), ("Best answer: C", "B", "C"), ("Based on frames, the answer is C", "B", "B"),
    ("The best option is D", "D", "D"), ("Answer: (C)", "C", "C"), ("a", "", ""), ("C. The dog", "C", "C"),
    ("The correct option is A", "A", "A"), ("Best option: D", "B", "D"),
  ])
  func extractCharacters(input: String, parity: String, strict: String) {
    #expect(Matching.extractCharacters(input) == parity, "\(input)")
    #expect(Matching.extractCharacters(input, strict: true) == strict, "\(input)")
  }

  @Test func extractCharactersLongAnswersAndE() {
    let long = "this answer has more than ten words in it and no capital option letter at all"
    #expect(Matching.extractCharacters(long) == "")
    #expect(Matching.extractCharacters("E") == "")
    #expect(Matching.extractCharacters("E", letters: "ABCDE") == "E")
    #expect(Matching.extractCharacters("nan") == "")
  }

  /// MVBench's first-token rule against `(b) walking` (reference 5.1, Q1).
  @Test(arguments: [
    ("b", true, true), ("B) walking", true, true), ("(B) walking", true, true), ("B.", true, true),
    ("(", true, false), (")", true, false), ("", true, false), ("(A) running", false, false),
    ("walking", false, false), ("(b)walking", true, true), ("  b  ", true, true),
  ])
  func mvbenchFirstToken(pred: String, parity: Bool, strict: Bool) {
    #expect(Matching.mvbenchFirstToken(pred, gt: "(B) walking") == parity, "\(pred)")
    #expect(Matching.mvbenchFirstToken(pred, gt: "(B) walking", strict: true) == strict, "\(pred)")
  }

  @Test func mlvuOption() {
    #expect(Matching.mlvuOption("(B) cat") == "B")
    #expect(Matching.mlvuOption("B") == "B")
    #expect(Matching.mlvuOption("The answer is (C) dog") == "C")
    #expect(Matching.mlvuOption(")") == "")
    #expect(Matching.mlvuOption("b) cat") == "b")
  }

  @Test func tempCompassRules() {
    #expect(Matching.tempCompassMultiChoice("A. run", answer: "A. run") == 1)
    #expect(Matching.tempCompassMultiChoice("A", answer: "A. run") == 1)
    #expect(Matching.tempCompassMultiChoice("B", answer: "A. run") == 0)
    #expect(Matching.tempCompassMultiChoice("B. walk", answer: "A. run") == 0)
    #expect(Matching.tempCompassMultiChoice("A) run", answer: "A. run") == 1)
    #expect(Matching.tempCompassMultiChoice("run", answer: "A. run") == nil)
    #expect(Matching.tempCompassYesNo("Yes, it is.", answer: "yes") == 1)
    #expect(Matching.tempCompassYesNo("no", answer: "yes") == 0)
    #expect(Matching.tempCompassYesNo("Maybe", answer: "yes") == nil)
    #expect(Matching.tempCompassVerdict("Correct.") == 1)
    #expect(Matching.tempCompassVerdict("Incorrect, because") == 0)
    #expect(Matching.tempCompassVerdict("The prediction is Correct") == 1)
    #expect(Matching.tempCompassVerdict("Correct or Incorrect? Incorrect") == 1)
    #expect(Matching.tempCompassVerdict("unsure") == 0)
    let opts = ["Sentence A: a man runs", "Sentence B: a man walks"]
    #expect(TempCompassScorer.captionMatching("Sentence B", answer: "Sentence B: a man walks", options: opts) == 1)
    #expect(TempCompassScorer.captionMatching("a man walks", answer: "Sentence B: a man walks", options: opts) == 1)
    #expect(TempCompassScorer.captionMatching("B", answer: "Sentence B: a man walks", options: opts) == 1)
    #expect(TempCompassScorer.captionMatching("Sentence A", answer: "Sentence B: a man walks", options: opts) == 0)
    #expect(TempCompassScorer.captionMatching("walking", answer: "Sentence B: a man walks", options: opts) == nil)
    #expect(TempCompassScorer.captioningRating("Reasoning: spins\nAnswer: C. clockwise", mcAnswer: "C. clockwise") == 1)
    #expect(TempCompassScorer.captioningRating("Answer: C. clockwise or D. downward", mcAnswer: "C. clockwise") == 0)
    #expect(TempCompassScorer.captioningRating("", mcAnswer: "C. clockwise") == -1)
  }

  @Test func judgeReplies() {
    #expect(Matching.integerRating("2") == 2)
    #expect(Matching.integerRating(" 3\n") == 3)
    #expect(Matching.integerRating("Rating: 2") == -1)
    #expect(Matching.integerRating("2.0") == -1)
    #expect(Matching.integerRating("") == -1)
    #expect(MLVUScorer.openScore("... {'score_accuracy': 4, 'score_relevance': 5, 'total_score': 9}", task: "sub_scene") == 9)
    #expect(MLVUScorer.openScore("{'score_completeness': 3, 'score_reliability': 2.5, 'total_score': 5.5}", task: "summary") == 5.5)
    #expect(MLVUScorer.openScore("no scores here", task: "summary") == 0)
    #expect(MLVUScorer.openScore("score_accuracy: four, score_relevance: 5", task: "sub_scene") == nil)
  }

  @Test func judgeFallbackIsSeededInParityAndZInStrict() {
    let failed = JudgeReply(text: "Failed to obtain answer via API.", failed: true)
    let a = judgedChoice(id: "17", choices: Self.choices, reply: failed, strict: false)
    #expect(a == judgedChoice(id: "17", choices: Self.choices, reply: failed, strict: false))
    #expect(["A", "B", "C", "D", "Z"].contains(a))
    #expect(judgedChoice(id: "17", choices: Self.choices, reply: failed, strict: true) == "Z")
    #expect(judgedChoice(id: "17", choices: Self.choices, reply: JudgeReply(text: "C", failed: false), strict: false) == "C")
    #expect(judgedChoice(id: "17", choices: Self.choices, reply: nil, strict: false) == "Z")
  }

  @Test func pythonRounding() {
    #expect(Num.round(0.25, 1) == 0.2)
    #expect(Num.round(2.675, 2) == 2.67)
    #expect(Num.repr(Num.round(200.0 / 3, 1)) == "66.7")
    #expect(Num.repr(Num.round(50, 2)) == "50.0")
    #expect(Num.meanText([]) == "nan")
    #expect(Num.meanText([1, 0, -1]) == "0.500")
  }
}
