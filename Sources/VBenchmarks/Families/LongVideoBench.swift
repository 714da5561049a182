import VCore
import VPrompt
import VScore

// LongVideoBench (VLMEvalKit `vlmeval/dataset/longvideobench.py`; reference 5.5).

extension Benchmark {
  public static let longVideoBench: Benchmark = {
    let video = VideoRule(field: "video_path", keyStripsExtension: true)
    return Benchmark(
      name: "LongVideoBench", datasets: ["LongVideoBench"],
      configs: BenchmarkConfig.subtitledVariants.map {
        BenchmarkConfig("LongVideoBench_\($0.suffix)", dataset: "LongVideoBench", spec: $0.spec, video: video, subtitles: $0.subtitles)
      },
      prompt: LongVideoBenchPrompt(), scoring: LetterScorer.Rule(name: "longvideobench", spec: LongVideoBenchPrompt.rating))
  }()
}

/// `LongVideoBench.build_prompt`: an empty text, the frames (with subtitles interleaved by
/// time when asked), then the question, `A. option` lines and the letter instruction.
struct LongVideoBenchPrompt: PromptTemplate {
  var name: String { "longvideobench" }
  var constants: [String] { [PromptText.letterDirectly] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let cands = try t.candidates()
    var text = try t.field("question") + "\n"
    text += cands.enumerated().map { "\(PromptText.letter($0.offset)). \($0.element)" }.joined(separator: "\n")
    text += "\n" + PromptText.letterDirectly
    let middle = t.subtitles && !t.videoLLM ? try SubtitleText.longVideoBenchInterleaved(t) : try t.visual()
    return [.text("")] + middle + [.text(text)]
  }

  static let durations = ["15", "60", "600", "3600"]
  static let categories = ["S2E", "S2O", "S2A", "E2O", "O2E", "T2E", "T2O", "T2A", "E3E", "O3O", "SSS", "SOS", "SAA", "T3E", "T3O", "TOS", "TAA"]

  static let rating = LetterRating(
    name: "LongVideoBench", letters: "ABCDE", answer: .optionNumber("correct_choice"), durations: durations,
    durationColumn: "duration_group", integerDurations: true, dims: [("question_category", categories)], detail: "question_category")
}
