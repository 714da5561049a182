import Foundation
import VCore
import VPrompt
import VScore

// STI-Bench (VLMEvalKit `vlmeval/dataset/stibench.py`, configs in `video_dataset_config.py`;
// families reference 4.26).

extension Benchmark {
  public static let stiBench: Benchmark = {
    // `save_video_frames`: `{root}/{video}` (the column holds the path with its extension), cache
    // `images/STI-Bench/{video}/`; linspace over the whole video in nframe mode, the base fps rule
    // otherwise (`time_start`/`time_end` are only in the text).
    let video = VideoRule(field: "video")
    let variants: [(String, SamplingSpec)] = [
      ("64frame", .frames(64, sampler: .linspace)), ("32frame", .frames(32, sampler: .linspace)), ("30frame", .frames(30, sampler: .linspace)),
      ("1fps", .perSecond(1)),
    ]
    return Benchmark(
      name: "STI-Bench", datasets: ["STI-Bench"],
      configs: variants.map { BenchmarkConfig("STI-Bench_\($0.0)", dataset: "STI-Bench", spec: $0.1, video: video) },
      prompt: STIBenchPrompt(),
      scoring: EASIMCQRule(name: "sti-bench", rules: "STI-Bench", groupColumn: "task_type", order: STIBenchPrompt.taskTypes),
      nframeSampler: .linspace,
      // `download_stibench`: the whole `MINT-SJTU/STI-Bench` snapshot, its root zips.
      sources: [
        EASIData.source(
          "STI-Bench", tsvFile: "STIBench.tsv", repo: "MINT-SJTU/STI-Bench", preparation: EASIPreparation(sentinel: ".stibench_extracted"))
      ])
  }()
}

/// `STIBench.build_prompt`: the frames (or the video), then one text: the sampled frame rate, the
/// time span and question, the `options` list as `{letter} {option}` lines, the instruction.
struct STIBenchPrompt: PromptTemplate {
  /// `_task_category()`: the `task_type` order of the score table.
  static let taskTypes = [
    "Dimensional Measurement", "Spatial Relation", "3D Video Grounding", "Displacement & Path Length", "Speed & Acceleration",
    "Ego-Centric Orientation", "Trajectory Description", "Pose Estimation",
  ]
  static let head = "Answer the question below based on the frames provided, "
  static let unspecified = "which are sampled at an unspecified frame rate.\n"
  static let tail = "Please output only the option you choose!"

  var name: String { "sti-bench" }
  var constants: [String] { [Self.head, "which are sampled at about ", " FPS.\n", Self.unspecified, "Question: From ", " seconds to ", Self.tail] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let options = try t.candidates("options")
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    guard options.count <= letters.count else { throw PromptError(code: .badField, message: "more than 26 options") }
    let optionText = options.enumerated().map { "\(letters[$0.offset]) \($0.element)" }.joined(separator: "\n")
    let question = "From \(try t.field("time_start")) seconds to \(try t.field("time_end")) seconds. " + (try t.field("question")) + "\n" + optionText
    let rate = Self.sampleFPS(t.record).map { "which are sampled at about \(String(format: "%.2f", $0)) FPS.\n" } ?? Self.unspecified
    return (try t.visual()) + [.text(Self.head + rate + "Question: " + question + "\n" + Self.tail)]
  }

  /// `save_video_frames`' `sample_fps`, from what vframes' record carries: the config's rate in
  /// fps mode (`sampling.fps`); in nframe mode the frame count over the video's duration,
  /// `n / (n_frames / avg_fps)`, nil (the unspecified-rate text) when that duration is not
  /// positive.
  static func sampleFPS(_ record: JSONObject) -> Double? {
    let sampling = record["sampling"]?.objectValue
    if sampling?["method"]?.stringValue == "fps", let f = sampling?["fps"]?.doubleValue { return f }
    guard let info = record["video_info"]?.objectValue, let n = info["n_frames"]?.doubleValue, let fps = info["avg_fps"]?.doubleValue else {
      return nil
    }
    let duration = fps > 0 ? n / fps : 0
    guard duration > 0 else { return nil }
    let count = sampling?["nframe"]?.intValue ?? record["frames"]?.arrayValue?.count ?? 0
    return Double(count) / duration
  }
}
