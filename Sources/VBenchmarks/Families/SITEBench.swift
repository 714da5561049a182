import VCore
import VPrompt
import VScore

// SITE-Bench video (VLMEvalKit `vlmeval/dataset/sitebench.py`, class `SiteBenchVideo`, configs
// in `video_dataset_config.py`; families reference 4.24).

extension Benchmark {
  public static let siteBenchVideo: Benchmark = {
    // `prepare_dataset` makes `video_path` (relative to the `franky-veteran/SITE-Bench` snapshot)
    // absolute in `video`; `save_video_frames` caches under the path relative to the snapshot,
    // `images/SiteBenchVideo/{video_path}/`: the `video_path` column, read under the root.
    // Linspace in nframe mode, the base fps rule otherwise. `_1fps` passes `fps=1`, an int, so its
    // frame files are `frame-{i}-of-{n}-1fps.jpg` (not `1.0fps`).
    let video = VideoRule(field: "video_path")
    let variants: [(String, SamplingSpec)] = [
      ("64frame", .frames(64, sampler: .linspace)), ("32frame", .frames(32, sampler: .linspace)), ("1fps", .perSecond(integer: 1)),
    ]
    return Benchmark(
      name: "SITE-Bench", datasets: ["SiteBenchVideo"],
      configs: variants.map { BenchmarkConfig("SiteBenchVideo_\($0.0)", dataset: "SiteBenchVideo", spec: $0.1, video: video) },
      prompt: SITEBenchVideoPrompt(),
      scoring: EASIMCQRule(
        name: "site-bench", rules: "SITE-Bench", groupColumn: "category", order: SITEBenchVideoPrompt.categories, classAdjusted: true),
      nframeSampler: .linspace,
      // `download_sitebench`: the whole `franky-veteran/SITE-Bench` snapshot, its root zips.
      sources: [
        EASIData.source(
          "SiteBenchVideo", tsvFile: "SiteBenchVideo.tsv", repo: "franky-veteran/SITE-Bench",
          preparation: EASIPreparation(sentinel: ".sitebench_extracted", media: { $0["video_path"] }))
      ])
  }()
}

/// `SiteBenchVideo.build_prompt`: the frames (or the video), then one text: the SITE paper's
/// instruction, `Question: {question}`, `Options:` with the `candidates` as `{letter}: {option}`
/// lines, and `Give me the answer letter directly. The best answer is:`.
struct SITEBenchVideoPrompt: PromptTemplate {
  /// `SiteBenchBase._task_category()`: the categories of the score table, in its order.
  static let categories = [
    "counting & existence", "object localization & positioning", "3d information understanding", "multi-view & cross-image reasoning",
    "spatial relationship reasoning", "movement prediction & navigation",
  ]
  static let head =
    "Select the best answer to the following multiple-choice question based on the video. Respond with only the letter of the correct option.\n"
  static let tail = "Give me the answer letter directly. The best answer is:"

  var name: String { "site-bench" }
  var constants: [String] { [Self.head, "Question: ", "Options:\n", Self.tail] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    // `ast.literal_eval(candidates)`, at most 26 (its assertion).
    let options = try t.candidates("candidates")
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    guard options.count <= letters.count else { throw PromptError(code: .badField, message: "more than 26 candidates") }
    let lines = options.enumerated().map { "\(letters[$0.offset]): \($0.element)" }.joined(separator: "\n")
    let text = Self.head + "Question: " + (try t.field("question")) + "\n" + "Options:\n" + lines + "\n" + Self.tail
    return (try t.visual()) + [.text(text)]
  }
}
