import VCore
import VPrompt
import VScore

// WorldSense, visual configs (VLMEvalKit `vlmeval/dataset/worldsense.py`; reference 5.8).

extension Benchmark {
  public static let worldSense: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "videos")
    var configs: [BenchmarkConfig] = []
    for (suffix, spec) in [("8frame", SamplingSpec.frames(8)), ("32frame", .frames(32)), ("1fps", .perSecond(1)), ("0.5fps", .perSecond(0.5))] {
      configs.append(BenchmarkConfig("WorldSense_\(suffix)", dataset: "WorldSense", spec: spec, video: video))
      configs.append(BenchmarkConfig("WorldSense_\(suffix)_subs", dataset: "WorldSense", spec: spec, video: video, subtitles: true))
    }
    return Benchmark(
      name: "WorldSense", datasets: ["WorldSense"], configs: configs,
      prompt: WorldSensePrompt(), scoring: LetterScorer.Rule(name: "worldsense", spec: WorldSensePrompt.rating))
  }()
}

/// `WorldSense.build_prompt`: MLVU's MCQ system text as a user text, the frames, Video-MME's
/// instruction (subtitles when asked), then the question with its option lines.
struct WorldSensePrompt: PromptTemplate {
  var name: String { "worldsense" }
  var constants: [String] {
    [MLVUPrompt.mcqSystem, VideoMMEPrompt.noSubtitles, VideoMMEPrompt.subtitleHead, VideoMMEPrompt.subtitleTail, "Question: ", "\nAnswer: "]
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    [.text(MLVUPrompt.mcqSystem)] + (try t.visual())
      + [.text(try VideoMMEPrompt.instruction(t)), .text(PromptText.questionWithLines(try t.field("question"), try t.candidates()))]
  }

  static let durations = ["<1min", "1-2min", "2-4min", "4-6min", "6-8min", ">8min"]
  static let domains = ["Tech & Science", "Culture & Politics", "Daily Life", "Film & TV", "Performance", "Games", "Sports", "Music"]
  static let subCategories = [
    "Academic Lectures", "Auto", "Software", "Physics", "Climate Change", "Space Missions", "Chemistry", "Engineering Projects",
    "Biology", "Science Explainers", "Artificial Intelligence", "Astronomy", "Tech Reviews", "Editorials", "Politics",
    "Historical Analysis", "Social Commentary", "Book Reviews", "Cultural Explainers", "Drawing Tutorials", "Celebrity Interviews",
    "Art Exhibitions", "Fashion", "Travel", "Daily Vlogs", "Cooking", "Pranks", "Camping", "Nutrition & Health", "Home Improvement",
    "Painting & Photography", "Unboxing Videos", "Family Vlogs", "DIY & Crafts", "Skincare & Makeup", "Documentaries",
    "Film Trailers", "Event Livestreams", "Short Films", "Documentary Profiles", "Movie Reviews", "World News", "Talks", "Parodies",
    "Storytime", "Stand-up", "Sketches", "FPS Game", "Casual Game", "Role Playing Game", "Sports Game", "Basketball", "Racing",
    "Football", "Bowling Ball", "Soccer", "Motorsport", "swimming", "Boxing", "Other Sports", "Fitness", "Fishing", "Hiking",
    "Covers", "Music Videos", "Remixes", "Walkthroughs",
  ]
  static let taskDomains = ["Recognition", "Understanding", "Reasoning"]
  static let taskTypes = [
    "Anomaly Recognition", "Event Recognition", "Attribute Recognition", "Human Interaction", "Temporal Localization",
    "Video Emotions", "Event Sorting", "Hallucination", "Text and Diagram Understanding", "Attribute Reasoning", "Causal Reasoning",
    "Object Counting", "Action Counting", "Temporal Prediction", "Emotion Change", "Audio Counting", "Scene Recognition",
    "Human-object Interaction", "Human Emotions", "Object State Change", "Relation Reasoning", "Spatial Relation",
    "Audio Source Localization", "Audio Recognition", "Object Existence Recognition", "Audio Change",
  ]
  static let audioClasses = ["Speech", "Event", "Music"]

  static let rating = LetterRating(
    name: "WorldSense", letters: "ABCD", answer: .letter("answer"), durations: durations, durationColumn: "duration",
    dims: [
      ("domain", domains), ("sub_category", subCategories), ("task_domain", taskDomains), ("task_type", taskTypes),
      ("audio_class", audioClasses),
    ],
    multiLabel: ["audio_class"], detail: "task_type")
}
