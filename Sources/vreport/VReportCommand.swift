import ArgumentParser
import VCLI
import VCore
import VReport

@main
struct VReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vreport",
    abstract: "Write a browsable static report of runs: scores, charts, and every question with its frames, prompt and answers.",
    discussion: """
      Reads PATHs (run folders as pipelines/Makefile and make demo write them, result tables with \
      the score files beside them, or vinfer answer logs) and writes DIR/index.html: an overview of \
      every (model, dataset), a page per dataset with its category scores as a table and an SVG \
      chart, and its questions with filters (category, wrong for one model and right for another, \
      search). Runs of one dataset are shown side by side. The site works offline. See vreport(1).
      """,
    version: vtoolsVersion)

  @Argument(help: ArgumentHelp("Run folders, result tables or answer logs.", valueName: "PATH"))
  var paths: [String] = []

  @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The site's folder (created; its files are replaced).", valueName: "DIR"))
  var output: String

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The frame cache: frames under it (or under DIR) are linked, others copied under DIR/frames (default: $LMUData/images).", valueName: "DIR"))
  var frameCache: String?

  @Flag(name: .long, help: "Copy every frame under DIR/frames, so DIR can be served or moved on its own.")
  var copyFrames = false

  @Option(name: .long, help: ArgumentHelp("Questions listed per page.", valueName: "N"))
  var pageSize = 50

  @OptionGroup var diagnostics: DiagnosticOptions

  func validate() throws {
    if paths.isEmpty { throw ValidationError("name at least one run folder, result table or answer log") }
    if pageSize < 1 { throw ValidationError("--page-size must be at least 1") }
  }

  func run() throws {
    try ToolMain.run(tool: "vreport", verbosity: diagnostics.verbosity) { diag in
      var options = ReportOptions(output: output, frameCache: frameCache ?? FileIO.defaultFrameRoot())
      options.copyFrames = copyFrames
      options.pageSize = pageSize
      return try ReportBuilder(options: options, diagnostics: diag).run(paths)
    }
  }
}
