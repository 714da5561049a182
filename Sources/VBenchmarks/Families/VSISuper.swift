import VCore
import VData
import VPrompt
import VScore

// VSI-SUPER-Recall and VSI-SUPER-Count (Cambrian-S; VLMEvalKit `vlmeval/dataset/vsibench.py`
// `VsiSuperBase`, `VsiSuperRecall`, `VsiSuperCount`, configs in `video_dataset_config.py`;
// families reference 4.22, 4.23).

/// `VSI_FRAME_VARIANTS` with `VsiSuperBase.save_video_frames`' sampling: linspace over the whole
/// video in nframe mode, the base fps rule otherwise (no tail frame, unlike VSI-Bench).
enum VSISuperVariants {
  static let all: [(suffix: String, spec: SamplingSpec)] = [
    ("128frame", .frames(128, sampler: .linspace)), ("64frame", .frames(64, sampler: .linspace)),
    ("32frame", .frames(32, sampler: .linspace)), ("16frame", .frames(16, sampler: .linspace)), ("2fps", .perSecond(2)), ("1fps", .perSecond(1)),
  ]

  /// `_build_video_variants(subsets, cls)`: each subset (`VsiSuperRecall_10mins`) with each
  /// variant suffix, the subset naming the frame-cache folder. The `video` column holds the
  /// path under the root with its extension (`{root}/{video}`, cached under
  /// `images/{subset}/{video}/`).
  static func configs(_ subsets: [String], rows: RowSubset? = nil) -> [BenchmarkConfig] {
    subsets.flatMap { subset in
      all.map { BenchmarkConfig("\(subset)_\($0.suffix)", dataset: subset, spec: $0.spec, video: VideoRule(field: "video"), rows: rows) }
    }
  }
}

extension VSISuperVariants {
  /// `download_vsisuper(repo, allow_patterns=['{N}mins.zip'])` (Count: `'{N}mins*.zip'`, every
  /// part): only those zips are downloaded and extracted in place, sentinel
  /// `.{repo name}_{N}_extracted`; the TSV from the EASI leaderboard.
  static func sources(_ subsets: [String], repo: String, parts: Bool) -> [DatasetSource] {
    subsets.map { (subset: String) -> DatasetSource in
      let duration = String(subset.split(separator: "_").last ?? "")  // `10mins`
      let zip: @Sendable (String) -> Bool
      if parts {
        zip = { (name: String) -> Bool in name.hasPrefix(duration) && name.hasSuffix(".zip") }
      } else {
        zip = { (name: String) -> Bool in name == duration + ".zip" }
      }
      let repoName = String(repo.split(separator: "/").last ?? "")
      let sentinel = "." + repoName + "_" + String(duration.dropLast(4)) + "_extracted"
      return EASIData.source(subset, tsvFile: subset + ".tsv", repo: repo, include: zip, preparation: EASIPreparation(sentinel: sentinel, zips: zip))
    }
  }
}

extension Benchmark {
  public static let vsiSuperRecall: Benchmark = {
    let subsets = ["10", "30", "60", "120", "240"].map { "VsiSuperRecall_\($0)mins" }
    return Benchmark(
      name: "VSI-SUPER-Recall", datasets: subsets, configs: VSISuperVariants.configs(subsets), prompt: VSISuperRecallPrompt(),
      // `eval_mcq_score(group_col='question_type', order=None)`.
      scoring: EASIMCQRule(name: "vsi-super-recall", rules: "VSI-SUPER-Recall", groupColumn: "question_type", order: []),
      nframeSampler: .linspace, sources: VSISuperVariants.sources(subsets, repo: "nyu-visionx/VSI-SUPER-Recall", parts: false))
  }()

  public static let vsiSuperCount: Benchmark = {
    let subsets = ["10", "30", "60", "120"].map { "VsiSuperCount_\($0)mins" }
    // `prepare_dataset` drops the streaming rows (`{name}_wo_streaming.tsv`) when the TSV has a
    // `question_type` column.
    let rows = RowSubset.excluding(column: "question_type", containing: "_streaming")
    return Benchmark(
      name: "VSI-SUPER-Count", datasets: subsets, configs: VSISuperVariants.configs(subsets, rows: rows), prompt: VSISuperCountPrompt(),
      scoring: VSISuperCountRule(), nframeSampler: .linspace,
      sources: VSISuperVariants.sources(subsets, repo: "nyu-visionx/VSI-SUPER-Count", parts: true))
  }()
}

/// `VsiSuperRecall.build_prompt`: the frames (or the video), then the stripped question,
/// `Options:`, the `options` list one per line, and the letter instruction.
struct VSISuperRecallPrompt: PromptTemplate {
  static let post = "\nAnswer with the option's letter from the given choices directly."

  var name: String { "vsi-super-recall" }
  var constants: [String] { ["\nOptions:\n", Self.post] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let question = PyStr(try t.field("question")).strip().string
    let options = try t.candidates("options")
    return (try t.visual()) + [.text(question + "\nOptions:\n" + options.joined(separator: "\n") + Self.post)]
  }
}

/// `VsiSuperCount.build_prompt`: the frames (or the video), then `These are frames of a video.`,
/// the stripped question and the short-answer instruction.
struct VSISuperCountPrompt: PromptTemplate {
  static let pre = "These are frames of a video.\n"
  static let post = "\nPlease answer the question using a single word or phrase."

  var name: String { "vsi-super-count" }
  var constants: [String] { [Self.pre, Self.post] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    (try t.visual()) + [.text(Self.pre + PyStr(try t.field("question")).strip().string + Self.post)]
  }
}

/// `VsiSuperCount.evaluate` on the rules path (TYPE `VQA`: VLMEvalKit gives it no default judge).
struct VSISuperCountRule: ScoringRule {
  var name: String { "vsi-super-count" }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("VSI-SUPER-Count is scored by VLMEvalKit's EASI number matcher and mean relative accuracy (its rule path, judge_tag extract_matching)")
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { VSISuperCountScorer(rows: rows).score(ctx) }
}

/// `VsiSuperCount.evaluate` + `_aggregate`: the rows sorted by `index`, each row's
/// `pred_extracted` (`can_match_na`) and `MRA:.5:.95:.05` (`compute_na_score`), the mean MRA per
/// `question_type` (pandas' groupby: sorted, rows without a type left out), `overall` the plain
/// mean of those; the table x 100.
struct VSISuperCountScorer {
  let rows: Rows

  static let mraColumn = "MRA:.5:.95:.05"

  func score(_ ctx: ScoreContext) -> Outcome {
    let order = EASIMCQScorer.sortedPositions(rows)
    var extracted = [Double?](repeating: nil, count: rows.count)
    var mra = [Double](repeating: 0, count: rows.count)
    for r in 0..<rows.count {
      // `str(prediction)`: a missing one is `nan`.
      let prediction = rows.prediction(r) ?? "nan"
      extracted[r] = EASI.canMatchNA(prediction)
      mra[r] = EASI.naScore(prediction: prediction, answer: rows.cell(r, "answer"))
    }
    var byType: [String: [Double?]] = [:]
    for r in order {
      guard let type = rows.cell(r, "question_type") else { continue }
      byType[type, default: []].append(mra[r])
    }
    let types = byType.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    let means = types.map { EASI.pandasMean(byType[$0]!) }
    // `sum(output.values()) / len(output)`: Python's sum from 0 in the groups' order.
    let overall = means.isEmpty ? 0 : means.reduce(0, +) / Double(means.count)
    let metrics = [("overall", overall * 100)] + zip(types, means).map { ($0.0 + "_" + Self.mraColumn, $0.1 * 100) }

    // `{stem}_extract_matching_acc.csv`: long (`metric`, `value`), each value as pandas writes
    // a float (its repr).
    let accText = "metric\tvalue\n" + metrics.map { EASIMCQScorer.csvCell($0.0) + "\t" + Num.repr($0.1) + "\n" }.joined()
    // `{stem}_extract_matching.xlsx`: the sorted rows with `pred_extracted` and the MRA, the
    // preferred columns first.
    let base = rows.table.columns + ["pred_extracted", Self.mraColumn]
    let front = ["index", "question_type", "prediction", "pred_extracted", "answer", Self.mraColumn]
    let columns = front.filter { base.contains($0) } + base.filter { !front.contains($0) }
    let sheetRows: [[String]] = order.map { r in
      columns.map { c in
        switch c {
        case "pred_extracted": return extracted[r].map(Num.repr) ?? ""
        case Self.mraColumn: return Num.repr(mra[r])
        case "prediction": return rows.prediction(r) ?? "nan"
        default: return rows.cell(r, c) ?? ""
        }
      }
    }
    var summaryRows = [SummaryRow(group: "overall", name: "overall", correct: nil, total: rows.count, value: overall * 100)]
    for (t, m) in zip(types, means) {
      summaryRows.append(SummaryRow(group: "question_type", name: t, correct: nil, total: byType[t]!.count, value: m * 100))
    }
    var summary = Summary(dataset: ctx.dataset, rules: "VSI-SUPER-Count", mode: ctx.mode, metric: "mean relative accuracy %", rows: summaryRows)
    let tag = EASIMCQScorer.judgeTag
    summary.notes.append(
      "VLMEvalKit's EASI rule path (judge_tag \(tag)): _\(tag).xlsx and _\(tag)_acc.csv as it writes them; its _result.pkl (a pickle) is not written"
    )
    summary.notes.append("mean relative accuracy over VLMEvalKit's 10 thresholds 0.5..0.95 (int((0.95 - 0.5) / 0.05 + 2) is 10)")
    let unanswered = (0..<rows.count).filter { r in rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? true }.count
    if unanswered > 0 { summary.notes.append("\(unanswered) failed or missing answers score 0, as in VLMEvalKit") }
    var outcome = Outcome(scores: mra.map(Num.repr), summary: summary)
    outcome.scoreColumn = Self.mraColumn
    let numeric = Set([columns.firstIndex(of: "pred_extracted")!, columns.firstIndex(of: Self.mraColumn)!])
    outcome.sheets = [("_" + tag, columns, sheetRows, numeric)]
    outcome.sheetNames["_" + tag] = "ALL"  // cal_scores: `to_excel(writer, sheet_name='ALL')`
    outcome.textFiles = [("_" + tag + "_acc.csv", accText)]
    return outcome
  }
}
