import VCore
import VData
import VPrompt
import VScore

/// One of VLMEvalKit's video benchmark families, declared once (in `Families/`, one file each):
/// its configs under VLMEvalKit's exact names, its prompt and its scoring rule.
public struct Benchmark: Sendable {
  /// The family's name (`MVBench`, `Video-MME`).
  public let name: String
  /// VLMEvalKit's dataset names of the family beyond its config names: frame-cache folders and
  /// the dataset part of result file names (`MVBench_MP4`, `MLVU_MCQ`).
  public let datasets: [String]
  public let configs: [BenchmarkConfig]
  /// VLMEvalKit's `build_prompt`.
  public let prompt: any PromptTemplate
  /// VLMEvalKit's `evaluate()`.
  package let scoring: any ScoringRule
  /// The sampler VLMEvalKit uses for the family's frames in nframe mode.
  public let nframeSampler: Sampler
  /// Where each of the family's datasets comes from and how VLMEvalKit prepares it (`vdata`);
  /// empty where vdata cannot get it yet (see vdata(1)).
  public let sources: [DatasetSource]

  package init(
    name: String, datasets: [String], configs: [BenchmarkConfig], prompt: any PromptTemplate, scoring: any ScoringRule,
    nframeSampler: Sampler = .uniform, sources: [DatasetSource] = []
  ) {
    self.sources = sources
    self.name = name
    self.datasets = datasets
    self.configs = configs
    self.prompt = prompt
    self.scoring = scoring
    self.nframeSampler = nframeSampler
  }
}

/// One of VLMEvalKit's `--data` names (a config of `video_dataset_config.py`): what it samples,
/// where its frames are cached, how its rows name their videos, and its prompt switches.
public struct BenchmarkConfig: Sendable {
  /// The CLI name, e.g. `MVBench_8frame`.
  public let name: String
  /// VLMEvalKit's internal dataset name: the frame-cache folder.
  public let dataset: String
  public let spec: SamplingSpec
  public let video: VideoRule
  /// MMBench-Video pack mode: one request per video.
  public let pack: Bool
  /// Subtitles in the prompt (Video-MME, LongVideoBench, WorldSense `_subs`).
  public let subtitles: Bool
  /// A resize of each frame after decoding (Video-MME-v2 `_resize`); nil keeps the decoded size.
  public let resize: FrameResize?
  /// The config's own prompt, where its prompt switches are more than `subtitles` (Video-MME-v2's
  /// interleaved subtitles and reasoning prompt); nil uses the family's.
  public let prompt: (any PromptTemplate)?
  /// The rows of the dataset the config keeps (MovieChat-1K's `subset` and `limit`); nil: all.
  public let rows: RowSubset?
  /// The audio the config sends (WorldSense `_audio`, AV-SpeakerBench audio-only); nil: none.
  public let audio: AudioSource?
  /// The frames a judge round shows, sampled by `vframes --judge-frames` (CG-Bench open-ended's
  /// 32 clue frames); nil: the judge sees no frames.
  public let judgeFrames: JudgeFrames?

  public init(
    _ name: String, dataset: String, spec: SamplingSpec, video: VideoRule, pack: Bool = false, subtitles: Bool = false,
    resize: FrameResize? = nil, prompt: (any PromptTemplate)? = nil, rows: RowSubset? = nil, audio: AudioSource? = nil,
    judgeFrames: JudgeFrames? = nil
  ) {
    self.judgeFrames = judgeFrames
    self.audio = audio
    self.name = name
    self.dataset = dataset
    self.spec = spec
    self.video = video
    self.pack = pack
    self.subtitles = subtitles
    self.resize = resize
    self.prompt = prompt
    self.rows = rows
  }
}

/// How `vframes --judge-frames` samples a config's rows for its judge: the sampling and the
/// video rule, in the config's dataset folder.
public struct JudgeFrames: Sendable {
  public let spec: SamplingSpec
  public let video: VideoRule

  public init(spec: SamplingSpec, video: VideoRule) {
    self.spec = spec
    self.video = video
  }
}

extension SamplingSpec {
  /// VLMEvalKit's nframe mode (`_8frame` configs).
  public static func frames(_ n: Int, sampler: Sampler = .uniform) -> SamplingSpec { SamplingSpec(sampler: sampler, nframe: n) }
  /// VLMEvalKit's fps mode (`_1fps` configs).
  public static func perSecond(_ f: Double) -> SamplingSpec { SamplingSpec(sampler: .fps, fps: f) }
  /// VLMEvalKit's fps mode with an integer rate (`fps=1`, not `1.0`): frame files `-1fps.jpg`.
  public static func perSecond(integer f: Int) -> SamplingSpec { SamplingSpec(sampler: .fps, fps: Double(f), fpsName: String(f)) }
}

extension BenchmarkConfig {
  /// The six variants VLMEvalKit gives Video-MME and LongVideoBench: config suffix, sampling,
  /// subtitles.
  static let subtitledVariants: [(suffix: String, spec: SamplingSpec, subtitles: Bool)] = [
    ("8frame", .frames(8), false), ("64frame", .frames(64), false), ("8frame_subs", .frames(8), true), ("1fps", .perSecond(1), false),
    ("0.5fps", .perSecond(0.5), false), ("0.5fps_subs", .perSecond(0.5), true),
  ]
}

/// A config with the family it belongs to: what `--preset NAME` selects.
public struct Preset: Sendable {
  public let config: BenchmarkConfig
  public let benchmark: Benchmark

  public var name: String { config.name }

  /// The preset's template: the config's own, else the family's.
  public var prompt: any PromptTemplate { config.prompt ?? benchmark.prompt }

  /// What the preset fixes for `vframes --judge-frames`; nil where its judge sees no frames.
  public var judgeFrameSettings: FrameSettings? {
    config.judgeFrames.map { FrameSettings(dataset: config.dataset, spec: $0.spec, video: $0.video, nativeSampler: .uniform) }
  }

  /// What the preset fixes for vframes.
  public var frameSettings: FrameSettings {
    FrameSettings(
      dataset: config.dataset, spec: config.spec, video: config.video, nativeSampler: benchmark.nframeSampler, resize: config.resize,
      rows: config.rows, audio: config.audio)
  }
}
