import ArgumentParser
import VBenchmarks
import VCLI
import VCore
import VMerge

@main
struct VMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vmerge",
    abstract: "Merge vinfer outputs into VLMEvalKit's result table (.xlsx, .tsv, .csv, .json, .jsonl).",
    discussion: """
      Joins the answers in FILES (shards, reruns, partial files, in any order) to the dataset rows of \
      --meta by id/index and writes one row per dataset row in dataset order: every TSV column, then \
      prediction. Every question must be answered (else the missing ids are listed and the exit \
      status is 65, unless --allow-missing). The same id in several inputs: a success beats a \
      failure, then the latest wins. MMBench-Video pack records are unpacked as VLMEvalKit does. \
      See vmerge(1).
      """,
    version: vtoolsVersion)

  @Argument(help: "vinfer outputs (JSONL; globs are expanded); '-' for stdin.")
  var files: [String] = []

  @Option(name: .long, help: ArgumentHelp("The dataset TSV the answers belong to.", valueName: "TSV"))
  var meta: String

  @Option(
    name: [.customShort("o"), .long],
    help: ArgumentHelp("The table to write (.xlsx, .tsv, .csv, .json, .jsonl), or DIR/ for DIR/{model}_{dataset}.xlsx.", valueName: "PATH"))
  var output: String

  @Flag(name: .long, help: "Write the table even when questions have no answer (their cells stay empty).")
  var allowMissing = false

  @Flag(
    name: .long, help: "Pack answers: also accept the I1, I2, ... keys the pack prompt asks for (VLMEvalKit bug Q8) and single-quoted Python dicts.")
  var strict = false

  @Option(name: .long, help: ArgumentHelp("Model name for DIR/ output names (default: from the answers).", valueName: "NAME"))
  var model: String?

  @Option(name: .long, help: ArgumentHelp("Dataset name for DIR/ output names (default: the --meta file name).", valueName: "NAME"))
  var dataset: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A VLMEvalKit config name: only the dataset rows it keeps are expected (MovieChat-1K's subsets), and it names the dataset.",
      valueName: "NAME"))
  var preset: String?

  @OptionGroup var diagnostics: DiagnosticOptions

  func validate() throws {
    if let p = preset, Registry.preset(named: p) == nil { throw ValidationError("unknown preset '\(p)'; see vprompt --list-presets.") }
  }

  func run() throws {
    try ToolMain.run(tool: "vmerge", verbosity: diagnostics.verbosity) { diag in
      var o = MergeOptions(meta: meta, inputs: InputFiles.orStdin(files), output: output)
      o.allowMissing = allowMissing
      o.strict = strict
      o.model = model
      o.dataset = dataset ?? preset
      o.rows = preset.flatMap(Registry.preset(named:))?.config.rows
      return try Merger(options: o, diagnostics: diag).run()
    }
  }
}
