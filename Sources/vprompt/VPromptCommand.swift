import ArgumentParser
import VBenchmarks
import VCLI
import VCore
import VPrompt

@main
struct VPromptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vprompt",
    abstract: "Build each benchmark's prompt exactly as VLMEvalKit does.",
    discussion: """
      Reads vframes records (JSON Lines) and writes them back with "messages" (the prompt: text, \
      image and video items with roles, in VLMEvalKit's order and wording) and "template" (name and \
      content hash). Records that arrive with an "error" are passed through untouched. With a pack \
      preset (MMBench_Video_*_pack) all questions of a video become one record with id "pack:VIDEO". \
      See vprompt(1).
      """,
    version: vtoolsVersion)

  @Argument(help: InputFiles.help("JSONL from vframes"))
  var inputs: [String] = []

  @OptionGroup var presetOption: PresetOption
  var preset: String? { presetOption.preset }

  @Option(name: .long, help: ArgumentHelp("A built-in template or a template file (JSON); overrides the preset's.", valueName: "NAME|FILE"))
  var template: String?

  @Flag(name: .long, help: "Print the preset table and exit.")
  var listPresets = false

  @Flag(name: .long, help: "Print the built-in templates and exit.")
  var listTemplates = false

  @Flag(name: .long, help: "One video item (the source video) where the frames would be, for models that take whole videos.")
  var videoLLM = false

  @Flag(name: .long, help: "Group the questions of each video into one record (MMBench-Video pack mode).")
  var pack = false

  @Flag(name: .long, help: "Add subtitles (Video-MME, WorldSense: .srt; LongVideoBench: JSON, interleaved; Video-MME-v2: JSONL words).")
  var subtitles = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The dataset root that subtitle and image paths are relative to (default: the preset's dataset as vdata prepared it, else $LMUData/DATASET, else .).",
      valueName: "DIR"))
  var dataRoot: String?

  @Flag(name: .long, help: "Fix VLMEvalKit's prompt bug Q8: pack instructions name the keys the questions really have.")
  var strict = false

  @OptionGroup var diagnostics: DiagnosticOptions

  func validate() throws {
    if listPresets || listTemplates { return }
    _ = try presetOption.resolve(Registry.preset(named:))
    if preset == nil && template == nil { throw ValidationError("give --preset NAME or --template NAME|FILE.") }
  }

  func run() throws {
    if listPresets {
      print("name\tdataset\tsampling\tpack\tsubtitles\ttemplate")
      for p in Registry.presets {
        let c = p.config
        let s =
          c.spec.sampler == .fps
          ? "fps=\(c.spec.fpsText)"
          : c.spec.isPerSecond ? "\(c.spec.sampler.rawValue) fps=\(c.spec.fpsText)" : "\(c.spec.sampler.rawValue) nframe=\(c.spec.nframe)"
        print("\(c.name)\t\(c.dataset)\t\(s)\t\(c.pack ? "pack" : "-")\t\(c.subtitles ? "subs" : "-")\t\(p.prompt.name)")
      }
      return
    }
    if listTemplates {
      for t in Registry.templates { print(t.name) }
      return
    }
    try ToolMain.run(tool: "vprompt", verbosity: diagnostics.verbosity) { diag in
      let p = preset.flatMap(Registry.preset(named:))
      var o = PromptOptions(template: try Registry.promptTemplate(flag: template, preset: p))
      o.pack = pack || (p?.config.pack ?? false)
      o.subtitles = subtitles || (p?.config.subtitles ?? false)
      o.videoLLM = videoLLM
      o.strict = strict
      o.dataRoot = FileIO.absolutePath(dataRoot ?? Registry.defaultDataRoot(preset: preset, diag: diag, announce: o.subtitles))
      let pipeline = try PromptPipeline(options: o, diagnostics: diag)
      return try pipeline.run(inputs: InputFiles.orStdin(inputs), writer: RecordWriter.standardOutput())
    }
  }
}
