import ArgumentParser
import VBenchmarks
import VCLI
import VCore
import VScore

extension ReportFormat: ExpressibleByArgument {}

@main
struct VScoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vscore",
    abstract: "Score a result table the way VLMEvalKit's evaluate() does, and print the score table.",
    discussion: """
      Reads RESULT (.xlsx, .tsv, .csv, .jsonl or .json: vmerge's table or VLMEvalKit's), applies the \
      dataset's answer extraction and aggregation, writes {stem}_score.xlsx (the table plus score), \
      {stem}_rating.json and/or {stem}_acc.csv beside it, and prints the scores on stdout. The \
      dataset comes from --dataset, --preset or the file name ({model}_{dataset}.xlsx). Parity \
      mode (the default) keeps VLMEvalKit's scoring bugs that change numbers; --strict fixes them \
      (Q1, Q4, Q6, Q17) and the table says which mode produced it. Judged datasets: \
      --judge-prompts writes the judge's prompts for vinfer; --judged reads its answers \
      (a chained judge: --judge-prompts with the answers so far writes the next round). \
      See vscore(1).
      """,
    version: vtoolsVersion)

  @Argument(help: ArgumentHelp("The result table.", valueName: "RESULT"))
  var result: String

  @Option(
    name: .long, help: ArgumentHelp("The VLMEvalKit dataset name (MVBench, Video-MME_64frame, ...); default: from the file name.", valueName: "NAME"))
  var dataset: String?

  @OptionGroup var presetOption: PresetOption
  var preset: String? { presetOption.preset }

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The scoring rules, for datasets vscore does not know by name: \(Registry.rules.map(\.name).joined(separator: ", ")).", valueName: "RULES"))
  var rules: String?

  @Flag(
    name: .long,
    help:
      "Fix VLMEvalKit's scoring bugs: failed/empty answers count wrong (Q1), all answer prefixes stripped (Q4), no case-insensitive 'answer is a' (Q6), no random judge fallback (Q17)."
  )
  var strict = false

  @Flag(name: .long, help: "Write the judge's prompts (JSON Lines for vinfer) for the rows that need one, and exit.")
  var judgePrompts = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --judge-prompts: write round K of a chained judge (built from the --judged answers to the rounds before; nothing when no round K is left). Default: the first round the --judged answers leave unanswered.",
      valueName: "K"))
  var judgeRound: Int?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "vinfer's answers to --judge-prompts, any rounds (repeatable); with --judge-prompts, the rounds answered so far.", valueName: "FILE"))
  var judged: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --judge-prompts: vframes records (vframes --judge-frames) whose frames a judge round shows (CG-Bench open-ended).", valueName: "FILE"))
  var judgeFrames: String?

  @Option(name: .long, help: ArgumentHelp("The judge's name in output file names (default: the model in the judged records).", valueName: "NAME"))
  var judgeName: String?

  @Option(name: .long, help: "The printed table: text, md, csv or json.")
  var format: ReportFormat = .text

  @Option(
    name: [.customShort("d"), .customLong("output-dir")], help: ArgumentHelp("Write the score files here instead of beside RESULT.", valueName: "DIR")
  )
  var outputDir: String?

  @Flag(name: .long, help: "Print the scores without writing any file.")
  var noFiles = false

  @OptionGroup var diagnostics: DiagnosticOptions

  func validate() throws {
    _ = try presetOption.resolve(Registry.preset(named:))
    if let k = judgeRound {
      guard judgePrompts else { throw ValidationError("--judge-round goes with --judge-prompts") }
      guard k >= 1 else { throw ValidationError("--judge-round must be 1 or more") }
    }
  }

  func run() throws {
    try ToolMain.run(tool: "vscore", verbosity: diagnostics.verbosity) { diag in
      var o = ScoreOptions(input: result)
      o.dataset = dataset
      o.preset = preset
      o.rules = rules
      o.strict = strict
      o.judgePrompts = judgePrompts
      o.judgeRound = judgeRound
      o.judged = judged
      o.judgeFrames = judgeFrames
      o.judgeName = judgeName
      o.format = format
      o.outputDir = outputDir
      o.writeFiles = !noFiles
      return try Scorer(options: o, catalog: Registry.catalog, diagnostics: diag).run()
    }
  }
}
