import VCore
import VData
import VPrompt
import VScore

// MVTamperBench, MVTamperBenchStart, MVTamperBenchEnd (VLMEvalKit `vlmeval/dataset/tamperbench.py`,
// `utils/tamperbench.py`; families reference 4.3).

extension Benchmark {
  public static let mvTamperBench: Benchmark = {
    // `save_video_into_images`: `{root}/{prefix}/{video}`, cache `images/{subset}/{video}/` (the
    // key omits the prefix); every task has `bound=False`, so the clip bounds are never used.
    let video = VideoRule(field: "video", dirField: "prefix")
    let subsets = ["MVTamperBench", "MVTamperBenchStart", "MVTamperBenchEnd"]
    return Benchmark(
      name: "MVTamperBench", datasets: subsets,
      configs: subsets.map { BenchmarkConfig("\($0)_8frame", dataset: $0, spec: .frames(8, sampler: .mvbench), video: video) },
      prompt: MVTamperBenchPrompt(), scoring: MVTamperBenchRule(), nframeSampler: .mvbench,
      sources: subsets.map { DatasetSource(name: $0, repo: "Srikant86/\($0)", preparation: MVTamperBenchPreparation()) })
  }()
}

/// `MVTamperBench.prepare_dataset` (all three subsets, repo `Srikant86/{subset}`): every
/// `video/*.zip` extracted into `video/`; each entry of `video/data0613/{a}/{b}/` moved to
/// `video/{a}/{b}/` unless one of that name is there; each entry of `video/perception/{a}/{b}/`
/// moved up into `video/perception/{a}/` unless one of that name is there; then one TSV row per
/// item of the 19 task files in `json/` whose video exists (others skipped, as upstream).
/// Upstream's data0613 move raises when `video/{a}/{b}/` does not exist; vtools creates it.
struct MVTamperBenchPreparation: DatasetPreparation {
  /// `type_data_list`: task, JSON file, folder under `video/`; every task is `video` type with
  /// `bound` False.
  static let tasks: [(task: String, file: String, prefix: String)] = [
    ("Action Sequence", "action_sequence.json", "star/Charades_v1_480/"),
    ("Action Prediction", "action_prediction.json", "star/Charades_v1_480/"),
    ("Action Antonym", "action_antonym.json", "ssv2_video/"),
    ("Fine-grained Action", "fine_grained_action.json", "Moments_in_Time_Raw/videos/"),
    ("Unexpected Action", "unexpected_action.json", "FunQA_test/test/"),
    ("Object Existence", "object_existence.json", "clevrer/video_validation/"),
    ("Object Interaction", "object_interaction.json", "star/Charades_v1_480/"),
    ("Object Shuffle", "object_shuffle.json", "perception/videos/"),
    ("Moving Direction", "moving_direction.json", "clevrer/video_validation/"),
    ("Action Localization", "action_localization.json", "sta/sta_video/"),
    ("Scene Transition", "scene_transition.json", "scene_qa/video/"),
    ("Action Count", "action_count.json", "perception/videos/"),
    ("Moving Count", "moving_count.json", "clevrer/video_validation/"),
    ("Moving Attribute", "moving_attribute.json", "clevrer/video_validation/"),
    ("State Change", "state_change.json", "perception/videos/"),
    ("Character Order", "character_order.json", "perception/videos/"),
    ("Egocentric Navigation", "egocentric_navigation.json", "vlnqa/"),
    ("Episodic Reasoning", "episodic_reasoning.json", "tvqa/frames_fps3/"),
    ("Counterfactual Inference", "counterfactual_inference.json", "clevrer/video_validation/"),
  ]

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    MVBenchPreparation.integrity.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let videos = Tree.join(root, "video")
    ArchiveExtractor.removeStaleStaging(in: videos)
    for zip in Tree.list(videos) where zip.hasSuffix(".zip") {
      diag.verbose("extracting video/\(zip)")
      try ArchiveExtractor.extract(Tree.join(videos, zip), into: videos)
    }
    try Self.moveUp(from: Tree.join(videos, "data0613"), to: { a, b in Tree.join(videos, a + "/" + b) })
    try Self.moveUp(from: Tree.join(videos, "perception"), to: { a, _ in Tree.join(videos, "perception/" + a) })
    var table = PandasTSV()
    for t in Self.tasks {
      let path = "json/" + t.file
      guard let items = try SourceFiles.json(root, path).arrayValue else { throw .badSource(path: Tree.join(root, path), reason: "not a JSON list") }
      let prefix = "video/" + t.prefix
      for case .object(let item) in items {
        guard let video = item["video"]?.stringValue else { throw .badSource(path: Tree.join(root, path), reason: "an item has no string 'video'") }
        guard Tree.exists(Tree.join(root, prefix + video)) else { continue }
        guard let tamper = item["tamper_type"] else { throw .badSource(path: Tree.join(root, path), reason: "an item has no 'tamper_type'") }
        func value(_ k: String) -> PyValue { item[k].map(PyValue.init(json:)) ?? .none }
        table.append([
          ("task_type", .str(t.task)), ("prefix", .str(prefix)), ("data_type", .str("video")), ("bound", .bool(false)),
          ("start", value("start")), ("end", value("end")), ("video", .str(video)), ("question", value("question")),
          ("answer", value("answer")), ("candidates", value("candidates")), ("tamper_type", PyValue(json: tamper)),
          ("task_tamper_type", .str("\(t.task)_\(PyValue(json: tamper).pythonStr)")),
        ])
      }
    }
    table.assignRange("index")
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }

  /// `move_files`' loops: each entry of `{source}/{a}/{b}/` (folders `a` and `b`) renamed into
  /// `target(a, b)` (created when missing) unless an entry of its name is there.
  static func moveUp(from source: String, to target: (String, String) -> String) throws(DataError) {
    for a in Tree.list(source) where Tree.isDirectory(Tree.join(source, a)) {
      for b in Tree.list(Tree.join(source, a)) where Tree.isDirectory(Tree.join(source, a + "/" + b)) {
        let from = Tree.join(source, a + "/" + b)
        let to = target(a, b)
        for item in Tree.list(from) where !Tree.exists(Tree.join(to, item)) {
          try Tree.makeDirectories(to)
          try Tree.rename(Tree.join(from, item), Tree.join(to, item))
        }
      }
    }
  }
}

/// `MVTamperBench.build_prompt`: MVBench's message with the question before the frames and a
/// system text cut short by a line continuation in VLMEvalKit's source.
struct MVTamperBenchPrompt: PromptTemplate {
  static let system = "Carefully watch the video and pay attention to the cause and sequence of events, "

  var name: String { "mvtamperbench" }
  var constants: [String] { [Self.system, MVBenchPrompt.onlyBest, MVBenchPrompt.bestOption, "Question: ", "\nOptions:\n"] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    [.text(Self.system, role: "system"), .text(PromptText.parenthesisedOptions(try t.field("question"), try t.candidates()))]
      + (try t.visual()) + [.text(MVBenchPrompt.onlyBest), .text(MVBenchPrompt.bestOption, role: "assistant")]
  }
}

struct MVTamperBenchRule: ScoringRule {
  var name: String { "mvtamperbench" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(MVBenchScorer(rows: rows).judgePrompts(strict: strict)) }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { MVTamperBenchScorer(rows: rows).score(ctx) }
}

/// `MVTamperBench.evaluate`: MVBench's per-row flow (`check_ans_with_model`, judge `chatgpt-0125`),
/// then three `get_dimension_rating` files (truthy scores count as correct) and two yes/no F1
/// tables in which a row is right only when its score is 1.
struct MVTamperBenchScorer {
  let rows: Rows

  /// The metrics of one tamper type (with the task's or all `original` rows).
  struct Metrics: Equatable {
    var accuracy, precision, recall, f1: Double
    /// sklearn's `confusion_matrix(...).tolist()` as pandas writes it (`[[2, 2], [1, 3]]`).
    var matrix: String
  }

  /// sklearn's binary metrics (positive class `Yes`, `zero_division=0`) over (truth, prediction) pairs.
  static func metrics(_ pairs: [(Bool, Bool)]) -> Metrics {
    var tp = 0, tn = 0, fp = 0, fn = 0
    for (t, p) in pairs {
      switch (t, p) {
      case (true, true): tp += 1
      case (false, false): tn += 1
      case (false, true): fp += 1
      case (true, false): fn += 1
      }
    }
    func div(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
    let labels = Set(pairs.flatMap { [$0.0, $0.1] }).sorted { !$0 && $1 }
    let counts: [Bool: [Bool: Int]] = [false: [false: tn, true: fp], true: [false: fn, true: tp]]
    let matrix = "[" + labels.map { t in "[" + labels.map { String(counts[t]![$0]!) }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    return Metrics(
      accuracy: div(tp + tn, pairs.count), precision: div(tp, tp + fp), recall: div(tp, tp + fn), f1: div(2 * tp, 2 * tp + fp + fn),
      matrix: matrix)
  }

  static func mean(_ ms: [Metrics]) -> Metrics {
    func m(_ k: KeyPath<Metrics, Double>) -> Double { ms.map { $0[keyPath: k] }.reduce(0, +) / Double(ms.count) }
    return Metrics(accuracy: m(\.accuracy), precision: m(\.precision), recall: m(\.recall), f1: m(\.f1), matrix: "N/A")
  }

  static func codePointOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.map(\.value).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
  }

  /// `get_dimension_rating(score_file, column)`: `{value: [correct, total, "xx.xx%"], ...,
  /// "overall": [...]}` in order of first appearance.
  func dimensionRating(_ column: String, _ correct: [Bool]) -> (JSONValue, [SummaryRow]) {
    var order: [String] = []
    var board: [String: (Int, Int)] = [:]
    for r in 0..<rows.count {
      let k = rows.cell(r, column) ?? "NaN"
      if board[k] == nil {
        order.append(k)
        board[k] = (0, 0)
      }
      board[k]!.1 += 1
      if correct[r] { board[k]!.0 += 1 }
    }
    func cell(_ a: Int, _ b: Int) -> JSONValue {
      .array([.int(a), .int(b), .string(String(format: "%.2f%%", b == 0 ? Double.nan : Double(a) / Double(b) * 100))])
    }
    var o = JSONObject()
    var summary: [SummaryRow] = []
    var c = 0, n = 0
    for k in order {
      let (a, b) = board[k]!
      c += a
      n += b
      o[k] = cell(a, b)
      summary.append(SummaryRow(group: column, name: k, correct: Double(a), total: b, value: Double(a) / Double(b) * 100))
    }
    o["overall"] = cell(c, n)
    return (.object(o), summary)
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    let (scores, bad, unmatched, judgedRows) = MVBenchScorer(rows: rows).rowScores(ctx)
    // Parity: `if item['score']` counts -1 (failed) and NaN (no prediction) as correct (Q1).
    let correct = scores.map { ctx.strict ? $0 == "1" : $0 != "0" }
    let (taskRating, taskRows) = dimensionRating("task_type", correct)
    let (tamperRating, tamperRows) = dimensionRating("tamper_type", correct)
    let (bothRating, _) = dimensionRating("task_tamper_type", correct)
    let c = correct.filter { $0 }.count
    let overall = SummaryRow(
      group: "overall", name: "overall", correct: Double(c), total: rows.count, value: rows.count > 0 ? Double(c) / Double(rows.count) * 100 : nil)
    var summary = Summary(
      dataset: ctx.dataset, rules: "MVTamperBench", mode: ctx.mode, metric: "accuracy %", rows: [overall] + taskRows + tamperRows)
    var outcome = Outcome(scores: scores, summary: summary, badRows: bad)
    outcome.extraRatings = [("_task_type_rating", taskRating), ("_tamper_type_rating", tamperRating), ("_task_tamper_type_rating", bothRating)]
    let f1 = f1Tables(scores, model: Self.modelName(ctx.fileStem))
    outcome.sheets = f1.sheets
    summary.notes += f1.notes
    let failed = scores.filter { $0 == "-1" }.count
    let missing = (0..<rows.count).filter { rows.prediction($0) == nil }.count
    if !ctx.strict && failed + missing > 0 {
      summary.notes.append(
        "\(failed) failed and \(missing) missing answers count as correct in the ratings, as in VLMEvalKit (Q1), and wrong in the F1 tables; --strict counts them wrong in both"
      )
    }
    if unmatched > 0 {
      summary.notes.append(
        "\(unmatched) answers matched no option by rule and were scored wrong; VLMEvalKit's default judge (chatgpt-0125) would be asked about them: see --judge-prompts"
      )
    }
    if judgedRows > 0 { summary.notes.append("\(judgedRows) answers were matched by the judge (\(ctx.judgeName))") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    outcome.summary = summary
    return outcome
  }

  /// `model_name = score_file.split('_MVTamperBench')[0].split('/')[-1]`: the stem's part before
  /// `_MVTamperBench`, or the score file's name when the stem has none.
  static func modelName(_ stem: String) -> String {
    let s = PyStr(stem)
    guard let i = s.find(PyStr("_MVTamperBench")) else { return stem + "_score.xlsx" }
    return s[0..<i].string
  }

  /// `process_results` (`_score_f1.xlsx`: per tamper type with every `original` row, then the
  /// macro `overall`, rounded to 10 decimals by `to_json`) and `aggregate_metrics_with_macro_average`
  /// (`_action_f1.xlsx`: per task type with its own `original` rows). A row counts as right when its
  /// score is 1, else its answer is flipped (Yes <-> No).
  func f1Tables(_ scores: [String?], model: String) -> (
    sheets: [(suffix: String, columns: [String], rows: [[String]], numeric: Set<Int>)], notes: [String]
  ) {
    var notes: [String] = []
    struct Row {
      var task: String?
      var tamper: String?
      var truth: Bool
      var pred: Bool
    }
    var data: [Row] = []
    var notYesNo = 0
    for r in 0..<rows.count {
      let answer = rows.cell(r, "answer")
      guard answer == "Yes" || answer == "No" else {
        notYesNo += 1
        continue
      }
      let truth = answer == "Yes"
      data.append(Row(task: rows.cell(r, "task_type"), tamper: rows.cell(r, "tamper_type"), truth: truth, pred: scores[r] == "1" ? truth : !truth))
    }
    if notYesNo > 0 {
      notes.append(
        "\(notYesNo) rows have an answer other than Yes or No and are left out of the F1 tables (VLMEvalKit's F1 code stops on them with sklearn's 'Input contains NaN')"
      )
    }
    func numbers(_ m: Metrics, round: Bool) -> [String] {
      [m.accuracy, m.precision, m.recall, m.f1].map { Num.repr(round ? Num.round($0, 10) : $0) }
    }
    var sheets: [(suffix: String, columns: [String], rows: [[String]], numeric: Set<Int>)] = []
    let originals = data.filter { $0.tamper == "original" }
    let tampered = data.filter { $0.tamper != nil && $0.tamper != "original" }
    let types = Set(tampered.compactMap(\.tamper)).sorted(by: Self.codePointOrder)
    if types.isEmpty {
      notes.append("no tampered rows: no _score_f1.xlsx (VLMEvalKit's process_results stops with a KeyError there)")
    } else {
      var out: [[String]] = []
      var all: [Metrics] = []
      for t in types {
        let m = Self.metrics((tampered.filter { $0.tamper == t } + originals).map { ($0.truth, $0.pred) })
        all.append(m)
        out.append([model, t] + numbers(m, round: true) + [m.matrix])
      }
      let macro = Self.mean(all)
      out.append([model, "overall"] + numbers(macro, round: true) + [macro.matrix])
      sheets.append(("_score_f1", ["Model", "Task", "Accuracy", "Precision", "Recall", "F1 Score", "Confusion Matrix"], out, [2, 3, 4, 5]))
      notes.append(String(format: "yes/no F1 over tamper types (macro): %.2f%%", macro.f1 * 100))
    }
    var actionRows: [[String]] = []
    var noTamper: [String] = []
    for task in Set(data.compactMap(\.task)).sorted(by: Self.codePointOrder) {
      let group = data.filter { $0.task == task }
      let orig = group.filter { $0.tamper == "original" }
      guard !orig.isEmpty else { continue }
      let kinds = Set(group.compactMap(\.tamper).filter { $0 != "original" }).sorted(by: Self.codePointOrder)
      guard !kinds.isEmpty else {
        noTamper.append(task)
        continue
      }
      var entries: [(String, Metrics)] = kinds.map { k in (k, Self.metrics((group.filter { $0.tamper == k } + orig).map { ($0.truth, $0.pred) })) }
      entries.append(("overall", Self.mean(entries.map(\.1))))
      for (k, m) in entries.sorted(by: { Self.codePointOrder($0.0, $1.0) }) { actionRows.append([task, k] + numbers(m, round: false)) }
    }
    if !noTamper.isEmpty {
      notes.append(
        "task types with original but no tampered rows are left out of _action_f1.xlsx (VLMEvalKit stops with a KeyError on them): \(noTamper.joined(separator: ", "))"
      )
    }
    if actionRows.isEmpty {
      notes.append("no task type has both original and tampered rows: no _action_f1.xlsx (VLMEvalKit stops on an empty concat there)")
    } else {
      sheets.append(("_action_f1", ["task_type", "tamper_type", "Accuracy", "Precision", "Recall", "F1 Score"], actionRows, [2, 3, 4, 5]))
    }
    return (sheets, notes)
  }
}
