import Foundation
import VCore
import VSheet

/// A benchmark's scoring: VLMEvalKit's `evaluate()` for one result table. Each benchmark family
/// declares its own (VBenchmarks); the generic multiple-choice rule is here.
package protocol ScoringRule: Sendable {
  /// The name `--rules` takes (`mvbench`, `video-mme`, ...).
  var name: String { get }
  /// The judge records for the rows that need one (round 1), or why this benchmark takes no judge.
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed
  /// Round `round` (2, 3, ...) of a chained judge: its records (`JudgePrompt.round` = `round`),
  /// built from `replies`, the replies to the rounds before by record id (`replies.reply(round:_:)`);
  /// empty when no round `round` is left, which ends the chain.
  func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt]
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome
}

extension ScoringRule {
  /// One round: no round after the first.
  package func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt] { [] }
}

/// What `--judge-prompts` gives for a benchmark.
package enum JudgeNeed {
  case prompts([JudgePrompt])
  /// The benchmark takes no judge; the note says why.
  case none(String)
}

/// Where vscore finds the rule for a dataset: the benchmark registry (VBenchmarks).
package protocol RuleCatalog: Sendable {
  /// The rule `--rules NAME` names.
  func rule(named: String) -> (any ScoringRule)?
  /// The rule of a dataset or config name (an exact name the registry knows).
  func rule(forDataset: String) -> (any ScoringRule)?
  /// The dataset a result file's name holds: `{model}_{dataset}.xlsx` -> the longest known
  /// config or dataset name the stem ends with (else the stem).
  func datasetName(fromFileStem: String) -> String
  /// Whether `name` is a preset (a config name).
  func isPreset(_ name: String) -> Bool
  /// Every `--rules` name, for messages.
  var ruleNames: [String] { get }
}

/// vscore's settings.
public struct ScoreOptions: Sendable {
  public var input: String
  public var dataset: String?
  public var preset: String?
  /// `--rules NAME`: the rules for a dataset the registry does not know.
  public var rules: String?
  public var strict = false
  public var judgePrompts = false
  /// `--judge-round K`: the round `--judge-prompts` writes (nil: the first round the replies in
  /// `judged` leave unanswered).
  public var judgeRound: Int?
  public var judged: [String] = []
  /// `--judge-frames FILE`: vframes records whose `frames` a judge round shows (CG-Bench
  /// open-ended), put in the table's `judge_frames` column by id for `--judge-prompts`.
  public var judgeFrames: String?
  public var judgeName: String?
  public var format: ReportFormat = .text
  /// Where `_score`, `_rating` and `_acc` files go (default: beside the input); nil with
  /// `writeFiles` false writes none.
  public var outputDir: String?
  public var writeFiles = true

  public init(input: String) { self.input = input }
}

/// Reads a result table, scores it by its dataset's rules and writes VLMEvalKit's files.
public final class Scorer {
  private let options: ScoreOptions
  private let diag: Diagnostics
  private let catalog: any RuleCatalog

  package init(options: ScoreOptions, catalog: any RuleCatalog, diagnostics: Diagnostics) {
    self.options = options
    self.catalog = catalog
    self.diag = diagnostics
  }

  /// The file name's stem.
  static func stem(_ path: String) -> String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

  public func run() throws -> ExitStatus {
    var table = try ResultTable.load(options.input)
    for e in table.malformed { diag.error(at: e.location, e.message) }
    if let p = options.preset, !catalog.isPreset(p) {
      throw SimpleToolError("unknown preset '\(p)' (vprompt --list-presets lists them)", status: .usage)
    }
    var dataset = options.dataset ?? options.preset ?? catalog.datasetName(fromFileStem: Self.stem(options.input))
    if dataset.isEmpty { dataset = "dataset" }
    let rule: any ScoringRule
    if let name = options.rules {
      guard let r = catalog.rule(named: name) else {
        throw SimpleToolError("unknown rules '\(name)' (known: \(catalog.ruleNames.joined(separator: ", ")))", status: .usage)
      }
      rule = r
    } else if let r = catalog.rule(forDataset: dataset) {
      rule = r
    } else if table.has("candidates") || (table.has("A") && table.has("B")) {
      rule = GenericMCQRule()
      diag.note("'\(dataset)' is not a dataset vscore knows; scoring it as generic multiple choice (can_infer). --rules chooses other rules")
    } else {
      throw SimpleToolError(
        "cannot tell how to score '\(dataset)': name the dataset with --dataset or the rules with --rules (\(catalog.ruleNames.joined(separator: ", ")))",
        status: .usage)
    }
    guard table.has("prediction") else {
      throw SimpleToolError("\(options.input): no 'prediction' column (is this a result table from vmerge?)", status: .dataError)
    }
    if options.judgePrompts, let path = options.judgeFrames { try Self.addJudgeFrames(path, to: &table, diag: diag) }
    let rows = Rows(table: table, stripsThinking: options.strict)
    if options.strict {
      let thinking = (0..<rows.count).filter { ThinkBlock(table.cell($0, "prediction") ?? "") != nil }.count
      if thinking > 0 { diag.note("--strict: \(thinking) predictions scored without their leading <think> block") }
    }

    if options.judgePrompts {
      let replies = options.judged.isEmpty ? JudgeReplies() : try Self.readJudged(options.judged, diag: diag).0
      let (round, prompts) = try judgeRound(rule, rows, dataset: dataset, replies: replies)
      let writer = RecordWriter.standardOutput()
      for p in prompts {
        var bytes: [UInt8] = []
        JSONSerializer.write(.object(p.record), into: &bytes)
        bytes.append(0x0A)
        try writer.writeLine(bytes)
      }
      let rowIDs = Set((0..<rows.count).map(rows.id))
      if round == 1 && prompts.allSatisfy({ rowIDs.contains($0.id) }) {
        diag.note("\(prompts.count) of \(table.rows.count) rows need the judge")
      } else if round == 1 {
        diag.note("judge round 1: \(prompts.count) records for \(table.rows.count) rows")
      } else if !prompts.isEmpty {
        let answered = prompts.filter { replies[$0.recordID] != nil }.count
        diag.note("judge round \(round): \(prompts.count) records\(answered > 0 ? " (\(answered) already answered)" : "")")
      } else {
        diag.note("no judge round \(round) is left")
      }
      return .success
    }

    var judged: JudgeReplies?
    var judgeModel: String?
    if !options.judged.isEmpty {
      (judged, judgeModel) = try Self.readJudged(options.judged, diag: diag)
    }
    var ctx = ScoreContext(
      strict: options.strict, judged: judged, judgeName: options.judgeName ?? judgeModel ?? "judge", dataset: dataset, diag: diag)
    ctx.fileStem = Self.stem(options.input)
    let outcome = try rule.score(rows, ctx)
    if options.writeFiles { try write(outcome, table: table) }
    let text = Report.render(outcome.summary, format: options.format)
    try RecordWriter.standardOutput().writeLine(Array(text.utf8))
    return outcome.badRows > 0 || !table.malformed.isEmpty ? .failure : .success
  }

  /// The round `--judge-prompts` writes and its records: `--judge-round K`, else the first round
  /// the replies leave unanswered. Rounds are built in order, each from the replies to the rounds
  /// before; a round with no records ends the chain (nothing is written, the round named is the
  /// one after the last). With `--judge-round K` every earlier round must be answered (a failed
  /// answer counts as one: it is scored as a failure).
  func judgeRound(_ rule: any ScoringRule, _ rows: Rows, dataset: String, replies: JudgeReplies) throws -> (Int, [JudgePrompt]) {
    var prompts: [JudgePrompt]
    switch rule.judgePrompts(rows, strict: options.strict) {
    case .prompts(let p): prompts = p
    case .none(let why):
      diag.note("\(dataset) needs no judge: \(why)")
      return (1, [])
    }
    var round = 1
    while !prompts.isEmpty {
      let open = prompts.filter { replies[$0.recordID] == nil }
      if let target = options.judgeRound {
        if round == target { return (round, prompts) }
        if let first = open.first {
          throw SimpleToolError(
            "judge round \(round) is not finished: \(open.count) of its \(prompts.count) records have no answer in the --judged files (first: \(first.recordID)); answer round \(round) before round \(target)",
            status: .dataError)
        }
      } else if !open.isEmpty {
        return (round, prompts)
      }
      guard round < JudgeRound.limit else {
        throw SimpleToolError("the judge of \(dataset) asks more than \(JudgeRound.limit) rounds", status: .dataError)
      }
      round += 1
      prompts = rule.judgePrompts(rows, strict: options.strict, round: round, replies: replies)
    }
    return (round, [])
  }

  /// The files VLMEvalKit writes beside the result: `{stem}{infix}_score.xlsx`,
  /// `{stem}{infix}_rating.json`, `{stem}_acc.csv`.
  func write(_ o: Outcome, table: ResultTable) throws {
    let dir = options.outputDir ?? (options.input as NSString).deletingLastPathComponent
    let stem = ((options.input as NSString).lastPathComponent as NSString).deletingPathExtension
    let base = dir.isEmpty ? stem : (dir as NSString).appendingPathComponent(stem)
    var scored = o.table.map { ResultTable(columns: $0.columns, rows: $0.rows, name: table.name) } ?? table
    scored.setColumn(o.scoreColumn, o.scores)
    let scoreColumn = scored.column(o.scoreColumn)!
    let scorePath = base + o.fileInfix + o.scoreFileSuffix
    try TableWriter.write(
      scored.columns, scored.rows.map { $0.map { $0 ?? "" } }, to: scorePath, numericColumns: o.numericScores ? [scoreColumn] : [], diag: diag)
    var written = [scorePath]
    for csv in o.csvFiles {
      let path = base + o.fileInfix + csv.suffix
      try FileIO.writeAtomically(path, Array(csv.text.utf8))
      written.append(path)
    }
    if let r = o.rating {
      let path = base + o.fileInfix + "_rating.json"
      try FileIO.writeAtomically(path, Array((JSONSerializer.pretty(r) + "\n").utf8))
      written.append(path)
    }
    if let acc = o.acc {
      let path = base + "_acc.csv"
      let cell = o.accQuoteAll ? { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" } : TableWriter.csvCell
      var text = acc.columns.map(cell).joined(separator: ",") + "\n"
      for row in acc.rows { text += row.map(cell).joined(separator: ",") + "\n" }
      try FileIO.writeAtomically(path, Array(text.utf8))
      written.append(path)
    }
    for (suffix, value) in o.extraRatings {
      let path = base + o.fileInfix + suffix + ".json"
      try FileIO.writeAtomically(path, Array((JSONSerializer.pretty(value) + "\n").utf8))
      written.append(path)
    }
    for sheet in o.sheets {
      let path = base + o.fileInfix + sheet.suffix + ".xlsx"
      try TableWriter.write(
        sheet.columns, sheet.rows, to: path, numericColumns: sheet.numeric, sheetName: o.sheetNames[sheet.suffix] ?? "Sheet1", diag: diag)
      written.append(path)
    }
    for file in o.textFiles {
      let path = base + o.fileInfix + file.suffix
      try FileIO.writeAtomically(path, Array(file.text.utf8))
      written.append(path)
    }
    for side in o.sideTables {
      let path = dir.isEmpty ? side.fileName(stem: stem) : (dir as NSString).appendingPathComponent(side.fileName(stem: stem))
      let numeric = Set(side.columns.indices.filter { side.numericColumns.contains(side.columns[$0]) })
      try TableWriter.write(side.columns, side.rows.map { $0.map { $0 ?? "" } }, to: path, numericColumns: numeric, diag: diag)
      written.append(path)
    }
    diag.verbose("wrote \(written.joined(separator: ", "))")
  }

  /// The `frames` of vframes records, by id, as the table's `judge_frames` column (a JSON list
  /// per row; empty for a row no record names).
  static func addJudgeFrames(_ path: String, to table: inout ResultTable, diag: Diagnostics) throws {
    let reader = try RecordReader(path: path)
    var frames: [String: String] = [:]
    while let item = try reader.next() {
      switch item {
      case .failure(let e): diag.warning("\(e.location): \(e.message); line ignored")
      case .success(let rec):
        guard let f = rec.fields["frames"], case .array = f else { continue }
        frames[rec.id] = JSONSerializer.serialize(f)
      }
    }
    let rows = Rows(table: table)
    let values = (0..<rows.count).map { frames[rows.id($0)] }
    let missing = values.filter { $0 == nil }.count
    if missing > 0 { diag.note("\(path): no frames for \(missing) of \(rows.count) rows") }
    table.setColumn("judge_frames", values)
  }

  /// Judge answers from vinfer outputs (through VCore's one answer-log reader: a success beats
  /// a failure, then the latest wins); also the judge model the records name last.
  static func readJudged(_ paths: [String], diag: Diagnostics) throws -> (JudgeReplies, String?) {
    let log = try AnswerLog.read(paths: paths)
    for m in log.malformed { diag.warning("\(m.location): \(m.reason); line ignored") }
    for t in log.torn { diag.note("\(t): ignoring a torn last line (a run was killed while writing it)") }
    let replies = log.entries.mapValues { JudgeReply(text: $0.prediction ?? "", failed: $0.failed) }
    return (replies, log.lastModel)
  }
}
