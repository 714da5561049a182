/// How a dataset row names its video file and its frame-cache folder (reference section 3).
public struct VideoRule: Sendable, Equatable {
  /// The column holding the video.
  public var field: String
  /// Added when the value has no extension.
  public var ext: String?
  /// A column naming a sub-folder (MVBench, MLVU: `prefix`).
  public var dirField: String?
  /// A fixed sub-folder of the dataset root (`video`, `videos`).
  public var subfolder: String?
  /// The cache folder is the value without its extension (MLVU, LongVideoBench).
  public var keyStripsExtension: Bool = false
  /// A column whose value replaces the dataset folder for that row (MLVU, TempCompass
  /// sub-datasets: `SUB_DATASET`).
  public var datasetField: String?
}

/// One of VLMEvalKit's dataset names (`--data` values): what it samples and how it prompts.
public struct Preset: Sendable {
  /// The CLI name, e.g. `MVBench_8frame`.
  public var name: String
  /// VLMEvalKit's internal dataset name: the frame-cache folder.
  public var dataset: String
  public var spec: SamplingSpec
  /// MMBench-Video pack mode: one request per video.
  public var pack: Bool = false
  /// Video-MME / LongVideoBench / WorldSense subtitles.
  public var subtitles: Bool = false
  /// The template family (see `vprompt --list-templates`).
  public var template: String
  public var video: VideoRule
}

/// The preset table shared by vframes and vprompt (reference section 6).
public enum Presets {
  private static func nf(_ n: Int) -> SamplingSpec { SamplingSpec(sampler: .uniform, nframe: n) }
  private static func fps(_ f: Double) -> SamplingSpec { SamplingSpec(sampler: .fps, fps: f) }

  public static let all: [Preset] = {
    var p: [Preset] = []
    let mmb = VideoRule(field: "video", ext: ".mp4", subfolder: "video")
    for (suffix, spec) in [("8frame", nf(8)), ("16frame", nf(16)), ("64frame", nf(64)), ("1fps", fps(1))] {
      p.append(Preset(name: "MMBench_Video_\(suffix)_nopack", dataset: "MMBench-Video", spec: spec, template: "mmbench_video", video: mmb))
      if suffix != "16frame" {
        p.append(Preset(name: "MMBench_Video_\(suffix)_pack", dataset: "MMBench-Video", spec: spec, pack: true, template: "mmbench_video", video: mmb))
      }
    }
    let mvb = VideoRule(field: "video", dirField: "prefix")
    for n in [8, 64] {
      p.append(Preset(name: "MVBench_\(n)frame", dataset: "MVBench", spec: SamplingSpec(sampler: .mvbench, nframe: n), template: "mvbench", video: mvb))
    }
    p.append(Preset(name: "MVBench_MP4_8frame", dataset: "MVBench_MP4", spec: SamplingSpec(sampler: .mvbench, nframe: 8), template: "mvbench", video: mvb))
    p.append(Preset(name: "MVBench_MP4_1fps", dataset: "MVBench_MP4", spec: fps(1), template: "mvbench", video: mvb))
    let vmme = VideoRule(field: "video", ext: ".mp4", subfolder: "video")
    for (suffix, spec, subs) in [
      ("8frame", nf(8), false), ("64frame", nf(64), false), ("8frame_subs", nf(8), true), ("1fps", fps(1), false),
      ("0.5fps", fps(0.5), false), ("0.5fps_subs", fps(0.5), true),
    ] {
      p.append(Preset(name: "Video-MME_\(suffix)", dataset: "Video-MME", spec: spec, subtitles: subs, template: "videomme", video: vmme))
    }
    let lvb = VideoRule(field: "video_path", keyStripsExtension: true)
    for (suffix, spec, subs) in [
      ("8frame", nf(8), false), ("64frame", nf(64), false), ("8frame_subs", nf(8), true), ("1fps", fps(1), false),
      ("0.5fps", fps(0.5), false), ("0.5fps_subs", fps(0.5), true),
    ] {
      p.append(Preset(name: "LongVideoBench_\(suffix)", dataset: "LongVideoBench", spec: spec, subtitles: subs, template: "longvideobench", video: lvb))
    }
    let mlvu = VideoRule(field: "video", dirField: "prefix", keyStripsExtension: true, datasetField: "SUB_DATASET")
    for (suffix, spec) in [("8frame", nf(8)), ("64frame", nf(64)), ("1fps", fps(1))] {
      p.append(Preset(name: "MLVU_\(suffix)", dataset: "MLVU", spec: spec, template: "mlvu", video: mlvu))
    }
    let tc = VideoRule(field: "video", ext: ".mp4", subfolder: "videos", datasetField: "SUB_DATASET")
    for (suffix, spec) in [("8frame", nf(8)), ("64frame", nf(64)), ("1fps", fps(1)), ("0.5fps", fps(0.5))] {
      p.append(Preset(name: "TempCompass_\(suffix)", dataset: "TempCompass", spec: spec, template: "tempcompass", video: tc))
    }
    let ws = VideoRule(field: "video", ext: ".mp4", subfolder: "videos")
    for (suffix, spec) in [("8frame", nf(8)), ("32frame", nf(32)), ("1fps", fps(1)), ("0.5fps", fps(0.5))] {
      p.append(Preset(name: "WorldSense_\(suffix)", dataset: "WorldSense", spec: spec, template: "worldsense", video: ws))
      p.append(Preset(name: "WorldSense_\(suffix)_subs", dataset: "WorldSense", spec: spec, subtitles: true, template: "worldsense", video: ws))
    }
    return p
  }()

  /// The preset with this CLI name.
  public static func named(_ name: String) -> Preset? { all.first { $0.name == name } }
}
