import VCore

/// vreport end to end: find the runs, read them, write the site, say where it is.
public struct ReportBuilder {
  let options: ReportOptions
  let diag: Diagnostics

  public init(options: ReportOptions, diagnostics: Diagnostics) {
    self.options = options
    self.diag = diagnostics
  }

  /// 0 when every line was read; 1 when some were not (each reported, the rest written).
  public func run(_ paths: [String]) throws -> ExitStatus {
    let found = try RunFinder.find(paths, skipping: options.output)
    var runs: [ModelRun] = []
    var problems = 0
    for f in found {
      let r = try RunLoader.load(f)
      for p in r.problems { diag.warning("\(p); line skipped") }
      problems += r.problems.count
      diag.verbose("\(r.source): \(r.model) on \(r.dataset), \(r.questions.count) questions")
      runs.append(r)
    }
    let s = try SiteWriter(options: options).write(runs)
    diag.note(
      "wrote \(s.index): \(s.runs) runs, \(s.datasets) datasets, \(s.questions) questions; frames \(s.framesLinked) linked, \(s.framesCopied) copied, \(s.framesMissing) not available"
    )
    try RecordWriter.standardOutput().writeLine(Array((s.index + "\n").utf8))
    return problems > 0 ? .failure : .success
  }
}
