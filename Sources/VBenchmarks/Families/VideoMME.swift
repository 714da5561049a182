import VCore
import VData
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
      prompt: VideoMMEPrompt(), scoring: LetterScorer.Rule(name: "video-mme", spec: VideoMMEPrompt.rating),
      sources: [DatasetSource(name: "Video-MME", repo: "lmms-lab/Video-MME", preparation: VideoMMEPreparation())])
  }()
}

/// `VideoMME.prepare_dataset`: the root's `video*.zip` (sorted) flattened into `video/` and
/// `subtitle.zip` into `subtitle/`, each only when its folder is not there (made whole or not at
/// all here), then the TSV from `videomme/test-00000-of-00001.parquet` (read with pyarrow).
struct VideoMMEPreparation: DatasetPreparation {
  static let parquet = "videomme/test-00000-of-00001.parquet"

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let zips = Tree.list(root).filter { $0.hasPrefix("video") && $0.hasSuffix(".zip") }.map { Tree.join(root, $0) }.sorted()
    if try ArchiveExtractor.extractOnce(zips, intoNew: Tree.join(root, "video"), layout: .flatten) {
      diag.verbose("extracted \(zips.count) video archives into video/")
    }
    let subtitles = Tree.join(root, "subtitle.zip")
    if !Tree.exists(Tree.join(root, "subtitle")) && !Tree.exists(subtitles) {
      throw .missing(path: subtitles, hint: "Video-MME's preparation extracts it into subtitle/")
    }
    try ArchiveExtractor.extractOnce([subtitles], intoNew: Tree.join(root, "subtitle"), layout: .flatten)
    let rows = try PythonHelper.parquetRows(Tree.join(root, Self.parquet))
    var table = PandasTSV()
    for (i, row) in rows.enumerated() {
      func value(_ k: String) -> PyValue { row[k].map(PyValue.init(json:)) ?? .none }
      guard let id = row["videoID"]?.stringValue else {
        throw .badSource(path: Tree.join(root, Self.parquet), reason: "row \(i) has no string videoID")
      }
      table.append([
        ("index", .int(i)), ("video", .str(id)), ("video_path", .str("./video/\(id).mp4")), ("duration", value("duration")),
        ("domain", value("domain")), ("candidates", value("options")), ("sub_category", value("sub_category")),
        ("task_type", value("task_type")), ("subtitle_path", .str("./subtitle/\(id).srt")), ("question", value("question")),
        ("answer", value("answer")),
      ])
    }
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
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
