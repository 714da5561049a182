import VCore
import VPrompt
import VScore

// Video-MME (VLMEvalKit `vlmeval/dataset/videomme.py`; reference 5.3).

extension Benchmark {
  public static let videoMME: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "video")
    return Benchmark(
      name: "Video-MME", datasets: ["Video-MME"],
      configs: BenchmarkConfig.subtitledVariants.map {
        BenchmarkConfig("Video-MME_\($0.suffix)", dataset: "Video-MME", spec: $0.spec, video: video, subtitles: $0.subtitles)
      },
      prompt: VideoMMEPrompt(), scoring: LetterScorer.Rule(name: "video-mme", spec: VideoMMEPrompt.rating))
  }()
}

/// `VideoMME.build_prompt`: an empty text, the frames, the (subtitle) instruction, then the
/// question with its option lines.
struct VideoMMEPrompt: PromptTemplate {
  static let noSubtitles =
    "\nThese are the frames of a video. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"
  static let subtitleHead = "\nThese are the frames of a video. This video's subtitles are listed below:\n"
  static let subtitleTail =
    "\nSelect the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"

  var name: String { "videomme" }
  var constants: [String] { [Self.noSubtitles, Self.subtitleHead, Self.subtitleTail, "Question: ", "\nAnswer: "] }

  /// The instruction text (with subtitles when asked).
  static func instruction(_ t: TemplateInput) throws(PromptError) -> String {
    try SubtitleText.videoMME(t, noSubtitles: noSubtitles, head: subtitleHead, tail: subtitleTail)
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    [.text("")] + (try t.visual())
      + [.text(try Self.instruction(t)), .text(PromptText.questionWithLines(try t.field("question"), try t.candidates()))]
  }

  static let durations = ["short", "medium", "long"]
  static let domains = ["Knowledge", "Film & Television", "Sports Competition", "Artistic Performance", "Life Record", "Multilingual"]
  static let subCategories = [
    "Humanity & History", "Literature & Art", "Biology & Medicine", "Finance & Commerce", "Astronomy", "Geography", "Law",
    "Life Tip", "Technology", "Animation", "Movie & TV Show", "Documentary", "News Report", "Esports", "Basketball", "Football",
    "Athletics", "Other Sports", "Stage Play", "Magic Show", "Variety Show", "Acrobatics", "Handicraft", "Food", "Fashion",
    "Daily Life", "Travel", "Pet & Animal", "Exercise", "Multilingual",
  ]
  static let taskTypes = [
    "Temporal Perception", "Spatial Perception", "Attribute Perception", "Action Recognition", "Object Recognition",
    "OCR Problems", "Counting Problem", "Temporal Reasoning", "Spatial Reasoning", "Action Reasoning", "Object Reasoning",
    "Information Synopsis",
  ]

  /// `get_dimension_rating`'s shape for Video-MME.
  static let rating = LetterRating(
    name: "Video-MME", letters: "ABCD", answer: .letter("answer"), durations: durations, durationColumn: "duration",
    dims: [("domain", domains), ("sub_category", subCategories), ("task_type", taskTypes)], detail: "task_type")
}
