import ArgumentParser
import VBenchmarks
import VCLI
import VCore
import VFrames
import VMedia

@main
struct VFramesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vframes",
    abstract: "Sample video frames exactly as VLMEvalKit does, fast, into a shared frame cache.",
    discussion: """
      Reads dataset rows (VLMEvalKit TSV with a header, or JSON Lines) and writes one JSON record per \
      row to stdout, in input order: the row's fields plus frames, frame_indices, frame_times, \
      video_info and sampling. Each unique video is decoded once, with a GOP-aware decoder that seeks \
      to each needed keyframe and decodes only up to the last target frame. A row whose video cannot \
      be used gets an "error" object instead, and the others go on (exit status 1 at the end).

      Frames are cached as $LMUData/images/DATASET/VIDEO/frame-I-of-N.jpg (fps mode: \
      frame-I-of-N-Ffps.jpg), VLMEvalKit's layout; options that change pixels add a suffix to the \
      folder name. See vframes(1).
      """,
    version: vtoolsVersion)

  @Argument(help: InputFiles.help("TSV or JSONL"))
  var inputs: [String] = []

  @OptionGroup var presetOption: PresetOption
  var preset: String? { presetOption.preset }

  @Option(name: .long, help: ArgumentHelp("Take N frames per video (VLMEvalKit's nframe).", valueName: "N"))
  var nframe: Int?

  @Option(name: .long, help: ArgumentHelp("Take F frames per second (VLMEvalKit's fps mode).", valueName: "F"))
  var fps: Double?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Sampling rule: uniform (default with --nframe), fps (with --fps), mvbench, linspace, uniform_tail (either).", valueName: "NAME"))
  var sampler: String?

  @Option(name: .long, help: ArgumentHelp("In fps mode, keep at most M evenly spaced frames.", valueName: "M"))
  var maxFrames: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Directory the video column is relative to (default: the preset's dataset as vdata prepared it, else $LMUData/DATASET, else .).",
      valueName: "DIR"))
  var videoRoot: String?

  @Option(name: .long, help: ArgumentHelp("Column holding the video (default: video, else video_path).", valueName: "NAME"))
  var videoField: String?

  @Option(name: .long, help: ArgumentHelp("Extension added to a video value that has none (e.g. .mp4).", valueName: "EXT"))
  var videoExt: String?

  @Option(name: .long, help: ArgumentHelp("Column holding a sub-folder between the root and the video (MVBench: prefix).", valueName: "NAME"))
  var videoDirField: String?

  @Flag(name: .long, help: "Name the frame folder after the video value without its extension (MLVU, LongVideoBench).")
  var keyStripExt = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Dataset name: the frame-cache sub-folder (VLMEvalKit's internal name; default: the preset's, else custom).", valueName: "NAME"))
  var dataset: String?

  @Option(name: .long, help: ArgumentHelp("Root of the frame cache (default: $LMUData/images).", valueName: "DIR"))
  var frameRoot: String?

  @Option(name: .long, help: ArgumentHelp("JPEG quality 1-100 (PIL's default 75).", valueName: "Q"))
  var quality: Int = 75

  @Option(name: .long, help: ArgumentHelp("Shrink frames so the longer side is at most N pixels.", valueName: "N"))
  var maxSide: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Resize frames to about N pixels in all, sides multiples of 16, with PIL's LANCZOS (Video-MME-v2's _resize; not with --max-side).",
      valueName: "N"))
  var resizeArea: Int?

  @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Videos decoded at once (default: the number of CPUs).", valueName: "N"))
  var jobs: Int?

  @Option(name: .long, help: ArgumentHelp("Decoding threads in all, shared by the -j videos (default: the number of CPUs).", valueName: "N"))
  var threads: Int?

  @Option(name: .long, help: ArgumentHelp("Per-video time limit in seconds.", valueName: "SECONDS"))
  var timeout: Double = 900

  @Flag(name: .long, help: "Decode every frame up to each target (do not skip non-reference frames).")
  var noSkipNonref = false

  @Flag(name: .long, help: "Print per-video decoding statistics (frames decoded vs. the GOP-aware minimum) on stderr.")
  var stats = false

  @Flag(
    name: .long,
    help: "Sample the frames the preset's judge is shown (CG-Bench open-ended: 32 frames of each row's clue intervals) instead of the model's.")
  var judgeFrames = false

  @OptionGroup var diagnostics: DiagnosticOptions

  func validate() throws {
    if nframe != nil && fps != nil { throw ValidationError("--nframe and --fps cannot be used together.") }
    _ = try presetOption.resolve(Registry.preset(named:))
    if nframe == nil && fps == nil && preset == nil { throw ValidationError("give --nframe N, --fps F or --preset NAME.") }
    if judgeFrames {
      guard let p = preset.flatMap(Registry.preset(named:)), p.judgeFrameSettings != nil else {
        throw ValidationError("--judge-frames needs a --preset whose judge is shown frames (CG-Bench open-ended).")
      }
      if nframe != nil || fps != nil || sampler != nil {
        throw ValidationError("--judge-frames takes the preset's sampling: no --nframe, --fps or --sampler.")
      }
    }
    if let n = nframe, n <= 0 || n > 100_000 { throw ValidationError("--nframe must be between 1 and 100000.") }
    if let f = fps, !(f > 0 && f <= 1000) { throw ValidationError("--fps must be above 0 and at most 1000.") }
    if let s = sampler {
      guard let parsed = Sampler(rawValue: s) else {
        throw ValidationError("unknown --sampler '\(s)'; use uniform, fps, mvbench, linspace, uniform_tail or frame_gap.")
      }
      if parsed == .uniformTail {
        if nframe == nil && fps == nil { throw ValidationError("--sampler uniform_tail needs --nframe or --fps.") }
      } else if parsed == .fps && fps == nil {
        throw ValidationError("--sampler fps needs --fps.")
      } else if parsed != .fps && nframe == nil {
        throw ValidationError("--sampler \(s) needs --nframe.")
      }
    }
    if let m = maxFrames, m <= 0 { throw ValidationError("--max-frames must be positive.") }
    if !(1...100).contains(quality) { throw ValidationError("--quality must be between 1 and 100.") }
    if let m = maxSide, m < 16 { throw ValidationError("--max-side must be at least 16.") }
    if let a = resizeArea, a < 256 || a > 100_000_000 { throw ValidationError("--resize-area must be between 256 and 100000000.") }
    if maxSide != nil && resizeArea != nil { throw ValidationError("--max-side and --resize-area cannot be used together.") }
    if let j = jobs, j < 1 { throw ValidationError("-j must be at least 1.") }
    if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1.") }
    if !(timeout > 0) { throw ValidationError("--timeout must be positive.") }
    if let d = dataset, d.contains("/") || d.isEmpty { throw ValidationError("--dataset must be a non-empty name without '/'.") }
  }

  func run() throws {
    try ToolMain.run(tool: "vframes", verbosity: diagnostics.verbosity) { diag in
      MediaLog.setVerbosity(diagnostics.verbosity)
      var f = FrameFlags()
      f.nframe = nframe
      f.fps = fps
      f.sampler = sampler.flatMap(Sampler.init)
      f.maxFrames = maxFrames
      f.videoRoot = videoRoot ?? Registry.defaultDataRoot(preset: preset, diag: diag)
      f.videoField = videoField
      f.videoExt = videoExt
      f.videoDirField = videoDirField
      f.keyStripExt = keyStripExt
      f.dataset = dataset
      f.frameRoot = frameRoot
      f.quality = quality
      f.maxSide = maxSide
      f.resizeArea = resizeArea
      f.jobs = jobs
      f.threads = threads
      f.timeout = timeout
      f.noSkipNonref = noSkipNonref
      f.stats = stats
      f.progress = diagnostics.progress.mode
      let o = try FrameOptions(
        flags: f, preset: preset.flatMap(Registry.preset(named:)).flatMap { judgeFrames ? $0.judgeFrameSettings : $0.frameSettings },
        native: Registry.nframeSampler(forDataset:))
      let writer = RecordWriter.standardOutput()
      return try FramePipeline(options: o, diagnostics: diag).run(inputs: InputFiles.orStdin(inputs), writer: writer)
    }
  }
}
