import VCore
import VData
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
    // `use_audio=True`: the video's track as a WAV after the frames (or the video).
    for (suffix, spec) in [("8frame", SamplingSpec.frames(8)), ("32frame", .frames(32)), ("1fps", .perSecond(1)), ("0.5fps", .perSecond(0.5))] {
      configs.append(
        BenchmarkConfig(
          "WorldSense_\(suffix)_audio", dataset: "WorldSense", spec: spec, video: video, prompt: WorldSenseAudioPrompt(), audio: .videoTrack))
    }
    return Benchmark(
      name: "WorldSense", datasets: ["WorldSense"], configs: configs,
      prompt: WorldSensePrompt(), scoring: LetterScorer.Rule(name: "worldsense", spec: WorldSensePrompt.rating),
      sources: [DatasetSource(name: "WorldSense", repo: "honglyhly/WorldSense", preparation: WorldSensePreparation())])
  }()
}

/// `WorldSense.prepare_dataset`: the root's `worldsense_videos*.zip` (sorted) flattened into
/// `videos/` and `worldsense_subtitles.zip` into `subtitles/`, each only when its folder is not
/// there (made whole or not at all here), then the TSV from `worldsense_qa.json`: one row per
/// entry of a video whose key contains `task`. Upstream also writes `audios/{video}.wav` with
/// moviepy (ffmpeg); vdata does not: vframes extracts each video's track into the frame cache
/// for the `_audio` presets (the TSV still names `audios/`).
struct WorldSensePreparation: DatasetPreparation {
  static let columns = [
    "index", "video", "video_path", "duration", "domain", "candidates", "sub_category", "audio_class", "task_domain", "task_type",
    "subtitle_path", "audio_path", "video_caption", "question", "answer",
  ]

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let zips = Tree.list(root).filter { $0.hasPrefix("worldsense_videos") && $0.hasSuffix(".zip") }.map { Tree.join(root, $0) }.sorted()
    if try ArchiveExtractor.extractOnce(zips, intoNew: Tree.join(root, "videos"), layout: .flatten) {
      diag.verbose("extracted \(zips.count) video archives into videos/")
    }
    let subtitles = Tree.join(root, "worldsense_subtitles.zip")
    if !Tree.exists(Tree.join(root, "subtitles")) && !Tree.exists(subtitles) {
      throw .missing(path: subtitles, hint: "WorldSense's preparation extracts it into subtitles/")
    }
    try ArchiveExtractor.extractOnce([subtitles], intoNew: Tree.join(root, "subtitles"), layout: .flatten)
    let path = Tree.join(root, "worldsense_qa.json")
    guard let videos = try SourceFiles.json(root, "worldsense_qa.json").objectValue else {
      throw .badSource(path: path, reason: "not a JSON object of video to its questions")
    }
    var table = PandasTSV()
    for (video, entry) in videos.pairs {
      guard let data = entry.objectValue else { throw .badSource(path: path, reason: "'\(video)' is not an object") }
      func field(_ o: JSONObject, _ k: String, _ what: String) throws(DataError) -> PyValue {
        guard let v = o[k] else { throw .badSource(path: path, reason: "\(what) has no '\(k)' (KeyError upstream)") }
        return PyValue(json: v)
      }
      for (key, taskEntry) in data.pairs where key.contains("task") {
        guard let task = taskEntry.objectValue else { throw .badSource(path: path, reason: "'\(video)'.'\(key)' is not an object") }
        let what = "'\(video)'.'\(key)'"
        let values: [PyValue] = [
          .int(table.rows.count), .str(video), .str("./videos/\(video).mp4"), try field(data, "duration", "'\(video)'"),
          try field(data, "domain", "'\(video)'"), try field(task, "candidates", what), try field(data, "sub_category", "'\(video)'"),
          try field(data, "audio_class", "'\(video)'"), try field(task, "task_domain", what), try field(task, "task_type", what),
          .str("./subtitles/\(video).srt"), .str("./audios/\(video).wav"), try field(data, "video_caption", "'\(video)'"),
          try field(task, "question", what), try field(task, "answer", what),
        ]
        table.append(Array(zip(Self.columns, values)))
      }
    }
    if table.rows.isEmpty { table.select(Self.columns) }
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
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

  static let audioInstruction =
    "\nThese are the frames of a video and the corresponding audio. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"

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

/// `WorldSense.build_prompt` with `use_audio=True`: the system text, the frames (or the video),
/// the audio item, `FRAMES_TMPL_AUDIO`, then the question with its option lines.
struct WorldSenseAudioPrompt: PromptTemplate {
  var name: String { "worldsense-audio" }
  var constants: [String] { [MLVUPrompt.mcqSystem, WorldSensePrompt.audioInstruction, "Question: ", "\nAnswer: "] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    [.text(MLVUPrompt.mcqSystem)] + (try t.visual()) + [try t.audio()]
      + [.text(WorldSensePrompt.audioInstruction), .text(PromptText.questionWithLines(try t.field("question"), try t.candidates()))]
  }
}
