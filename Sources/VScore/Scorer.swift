import Foundation
import VCore
import VSheet

/// The scoring rules vscore knows, one per VLMEvalKit evaluator family.
public enum Rules: String, CaseIterable, Sendable {
  case mvbench
  case videomme = "video-mme"
  case longvideobench
  case worldsense
  case mlvu
  case tempcompass
  case mmbenchVideo = "mmbench-video"
  case mcq

  /// The family of a VLMEvalKit dataset name (`MVBench_MP4`, `Video-MME_64frame`, ...).
  public static func forDataset(_ name: String) -> Rules? {
    if name.contains("MMBench-Video") || name.contains("MMBench_Video") { return .mmbenchVideo }
    if name.contains("MVBench") { return .mvbench }
    if name.contains("Video-MME") { return .videomme }
    if name.contains("LongVideoBench") { return .longvideobench }
    if name.contains("WorldSense") { return .worldsense }
    if name.contains("MLVU") { return .mlvu }
    if name.contains("TempCompass") { return .tempcompass }
    return nil
  }
}

/// vscore's settings.
public struct ScoreOptions: Sendable {
  public var input: String
  public var dataset: String?
  public var preset: String?
  public var rules: Rules?
  public var strict = false
  public var judgePrompts = false
  public var judged: [String] = []
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

  public init(options: ScoreOptions, diagnostics: Diagnostics) {
    self.options = options
    self.diag = diagnostics
  }

  /// `{model}_{dataset}.xlsx` -> the longest known dataset name the stem ends with.
  public static func datasetName(fromPath path: String) -> String {
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    let known = Set(Presets.all.flatMap { [$0.name, $0.dataset] } + ["MLVU", "MLVU_MCQ", "MLVU_OpenEnded", "TempCompass", "TempCompass_MCQ", "TempCompass_YorN", "TempCompass_Captioning"])
    let hit = known.filter { stem == $0 || stem.hasSuffix("_" + $0) }.max { $0.count < $1.count }
    return hit ?? stem
  }

  public func run() throws -> ExitStatus {
    let table = try ResultTable.load(options.input)
    for e in table.malformed { diag.error(at: e.location, e.message) }
    var dataset = options.dataset ?? options.preset.flatMap { Presets.named($0)?.name } ?? Self.datasetName(fromPath: options.input)
    if let p = options.preset, Presets.named(p) == nil {
      throw SimpleToolError("unknown preset '\(p)' (vprompt --list-presets lists them)", status: .usage)
    }
    if dataset.isEmpty { dataset = "dataset" }
    let rules: Rules
    if let r = options.rules ?? Rules.forDataset(dataset) {
      rules = r
    } else if table.has("candidates") || (table.has("A") && table.has("B")) {
      rules = .mcq
      diag.note("'\(dataset)' is not a dataset vscore knows; scoring it as generic multiple choice (can_infer). --rules chooses other rules")
    } else {
      throw SimpleToolError("cannot tell how to score '\(dataset)': name the dataset with --dataset or the rules with --rules (\(Rules.allCases.map(\.rawValue).joined(separator: ", ")))", status: .usage)
    }
    guard table.has("prediction") else {
      throw SimpleToolError("\(options.input): no 'prediction' column (is this a result table from vmerge?)", status: .dataError)
    }
    let rows = Rows(table: table)

    if options.judgePrompts {
      let prompts: [JudgePrompt]
      switch rules {
      case .mvbench: prompts = MVBenchScorer(rows: rows).judgePrompts(strict: options.strict)
      case .mlvu: prompts = MLVUScorer(rows: rows).judgePrompts(strict: options.strict)
      case .tempcompass: prompts = TempCompassScorer(rows: rows).judgePrompts(strict: options.strict)
      case .mmbenchVideo: prompts = MMBenchVideoScorer(rows: rows).judgePrompts()
      case .mcq: prompts = GenericMCQScorer(rows: rows).judgePrompts(strict: options.strict)
      case .videomme, .longvideobench, .worldsense:
        prompts = []
        diag.note("\(dataset) needs no judge: VLMEvalKit's judge fallback cannot change its scores (Q5)")
      }
      let writer = RecordWriter.standardOutput()
      for p in prompts {
        var bytes: [UInt8] = []
        JSONSerializer.write(.object(p.record), into: &bytes)
        bytes.append(0x0A)
        try writer.writeLine(bytes)
      }
      diag.note("\(prompts.count) of \(table.rows.count) rows need the judge")
      return .success
    }

    var judged: JudgeReplies?
    var judgeModel: String?
    if !options.judged.isEmpty {
      (judged, judgeModel) = try Self.readJudged(options.judged, diag: diag)
    }
    let ctx = ScoreContext(
      strict: options.strict, judged: judged, judgeName: options.judgeName ?? judgeModel ?? "judge", dataset: dataset, diag: diag)
    let outcome: Outcome
    switch rules {
    case .mvbench: outcome = MVBenchScorer(rows: rows).score(ctx)
    case .videomme: outcome = LetterScorer(rows: rows, kind: .videoMME).score(ctx)
    case .longvideobench: outcome = LetterScorer(rows: rows, kind: .longVideoBench).score(ctx)
    case .worldsense: outcome = LetterScorer(rows: rows, kind: .worldSense).score(ctx)
    case .mlvu: outcome = MLVUScorer(rows: rows).score(ctx)
    case .tempcompass: outcome = TempCompassScorer(rows: rows).score(ctx)
    case .mmbenchVideo: outcome = try MMBenchVideoScorer(rows: rows).score(ctx)
    case .mcq: outcome = GenericMCQScorer(rows: rows).score(ctx)
    }
    if options.writeFiles { try write(outcome, table: table) }
    let text = Report.render(outcome.summary, format: options.format)
    try RecordWriter.standardOutput().writeLine(Array(text.utf8))
    return outcome.badRows > 0 || !table.malformed.isEmpty ? .failure : .success
  }

  /// The files VLMEvalKit writes beside the result: `{stem}{infix}_score.xlsx`,
  /// `{stem}{infix}_rating.json`, `{stem}_acc.csv`.
  func write(_ o: Outcome, table: ResultTable) throws {
    let dir = options.outputDir ?? (options.input as NSString).deletingLastPathComponent
    let stem = ((options.input as NSString).lastPathComponent as NSString).deletingPathExtension
    let base = dir.isEmpty ? stem : (dir as NSString).appendingPathComponent(stem)
    var scored = table
    scored.setColumn("score", o.scores)
    let scoreColumn = scored.column("score")!
    let scorePath = base + o.fileInfix + "_score.xlsx"
    try TableWriter.write(scored.columns, scored.rows.map { $0.map { $0 ?? "" } }, to: scorePath, numericColumns: [scoreColumn], diag: diag)
    var written = [scorePath]
    if let r = o.rating {
      let path = base + o.fileInfix + "_rating.json"
      try FileIO.writeAtomically(path, Array((JSONSerializer.pretty(r) + "\n").utf8))
      written.append(path)
    }
    if let acc = o.acc {
      let path = base + "_acc.csv"
      var text = acc.columns.joined(separator: ",") + "\n"
      for row in acc.rows { text += row.map(TableWriter.csvCell).joined(separator: ",") + "\n" }
      try FileIO.writeAtomically(path, Array(text.utf8))
      written.append(path)
    }
    diag.verbose("wrote \(written.joined(separator: ", "))")
  }

  /// Judge answers from vinfer outputs: id -> reply (the latest success wins over failures);
  /// also the judge model named in the records.
  static func readJudged(_ paths: [String], diag: Diagnostics) throws -> (JudgeReplies, String?) {
    var out: JudgeReplies = [:]
    var model: String?
    for path in paths {
      let reader = try RecordReader(path: path, format: .jsonl)
      while let next = try reader.next() {
        switch next {
        case .failure(let e):
          diag.warning(e.description)
        case .success(let rec):
          let f = rec.fields
          let text = f["prediction"]?.scalarText ?? ""
          let failed = f["error"] != nil || f["prediction"] == nil || PyStr(text).contains(failMarker)
          if let m = f["inference"]?.objectValue?["model"]?.stringValue { model = m }
          if let prev = out[rec.id], !prev.failed, failed { continue }
          out[rec.id] = JudgeReply(text: text, failed: failed)
        }
      }
    }
    return (out, model)
  }
}
