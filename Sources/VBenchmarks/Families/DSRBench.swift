import VCore
import VPrompt
import VScore

// DSR-Bench (VLMEvalKit `vlmeval/dataset/dsrbench.py`, configs in `video_dataset_config.py`;
// families reference 4.27).

extension Benchmark {
  public static let dsrBench: Benchmark = {
    // `save_video_frames`: `{root}/{video}` (root = `raw_data/dsr-bench` of the EASI repo), cache
    // `images/DSRBench/{video}/`; linspace in nframe mode, the base fps rule otherwise.
    let video = VideoRule(field: "video")
    let variants: [(String, SamplingSpec)] = [
      ("64frame", .frames(64, sampler: .linspace)), ("32frame", .frames(32, sampler: .linspace)), ("30frame", .frames(30, sampler: .linspace)),
      ("1fps", .perSecond(1)),
    ]
    return Benchmark(
      name: "DSR-Bench", datasets: ["DSRBench"],
      configs: variants.map { BenchmarkConfig("DSRBench_\($0.0)", dataset: "DSRBench", spec: $0.1, video: video) },
      prompt: DSRBenchPrompt(),
      scoring: EASIMCQRule(name: "dsr-bench", rules: "DSR-Bench", groupColumn: "task_type", order: DSRBenchPrompt.taskTypes),
      nframeSampler: .linspace,
      // `download_dsrbench`: EASI hosts the videos (`raw_data/dsr-bench.zip`, extracted in
      // `raw_data/`); the root is `raw_data/dsr-bench`.
      sources: [
        EASIData.source(
          "DSRBench", tsvFile: "DSRBench.tsv", repo: EASIData.leaderboard, include: { $0 == "raw_data/dsr-bench.zip" },
          rootFolder: "raw_data/dsr-bench", preparation: EASIPreparation(sentinel: ".dsrbench_extracted", zipFolder: "raw_data"))
      ])
  }()
}

/// `DSRBench.build_prompt`: Video-MME's instruction (`FRAMES_TMPL_NOSUB`) first, then the frames
/// (or the video), then `Question: {question}` with the `options` lines (as they are, lettered)
/// and `Answer: `.
struct DSRBenchPrompt: PromptTemplate {
  /// `_task_category()`: the `task_type` order of the score table.
  static let taskTypes = [
    "abs_dis", "abs_dir", "abs_ori", "abs_spd", "abs_spd_comp", "abs_dir_pred", "rel_dis", "rel_dir", "rel_ori", "rel_spd", "rel_spd_comp",
    "rel_dir_pred", "non_temp",
  ]
  /// `FRAMES_TMPL_NOSUB`, with its line continuations joined.
  static let head =
    "\nThese are the frames of a video. Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.\n"

  var name: String { "dsr-bench" }
  var constants: [String] { [Self.head, "Question: ", "\nAnswer: "] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    // `json.loads`, else `ast.literal_eval`: a JSON list of strings reads the same either way.
    let options = try t.candidates("options")
    let question = (try t.field("question")) + "\n" + options.joined(separator: "\n")
    return [.text(Self.head)] + (try t.visual()) + [.text("Question: " + question + "\nAnswer: ")]
  }
}
