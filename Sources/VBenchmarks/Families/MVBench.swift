import VCore
import VData
import VPrompt
import VScore

// MVBench and MVBench_MP4 (VLMEvalKit `vlmeval/dataset/mvbench.py`; reference 5.1).

extension Benchmark {
  public static let mvbench: Benchmark = {
    let video = VideoRule(field: "video", dirField: "prefix")
    return Benchmark(
      name: "MVBench", datasets: ["MVBench", "MVBench_MP4"],
      configs: [
        BenchmarkConfig("MVBench_8frame", dataset: "MVBench", spec: .frames(8, sampler: .mvbench), video: video),
        BenchmarkConfig("MVBench_64frame", dataset: "MVBench", spec: .frames(64, sampler: .mvbench), video: video),
        BenchmarkConfig("MVBench_MP4_8frame", dataset: "MVBench_MP4", spec: .frames(8, sampler: .mvbench), video: video),
        BenchmarkConfig("MVBench_MP4_1fps", dataset: "MVBench_MP4", spec: .perSecond(1), video: video),
      ],
      prompt: MVBenchPrompt(), scoring: MVBenchRule(), nframeSampler: .mvbench,
      sources: [
        DatasetSource(name: "MVBench", repo: "OpenGVLab/MVBench", preparation: MVBenchPreparation()),
        DatasetSource(name: "MVBench_MP4", repo: "OpenGVLab/MVBench", revision: "video", preparation: MVBenchMP4Preparation()),
      ])
  }()
}

/// `MVBench.prepare_dataset`: every zip in `video/` extracted there, the files of
/// `video/data0613/{a}/{b}/` moved to `video/{a}/{b}/`, then one TSV row per item of the 20
/// task files in `json/` whose video exists (a missing one is an error, as upstream).
struct MVBenchPreparation: DatasetPreparation {
  /// `type_data_list`: task, JSON file, folder under `video/`, data type, bound.
  static let tasks: [(task: String, file: String, prefix: String, type: String, bound: Bool)] = [
    ("Action Sequence", "action_sequence.json", "star/Charades_v1_480/", "video", true),
    ("Action Prediction", "action_prediction.json", "star/Charades_v1_480/", "video", true),
    ("Action Antonym", "action_antonym.json", "ssv2_video/", "video", false),
    ("Fine-grained Action", "fine_grained_action.json", "Moments_in_Time_Raw/videos/", "video", false),
    ("Unexpected Action", "unexpected_action.json", "FunQA_test/test/", "video", false),
    ("Object Existence", "object_existence.json", "clevrer/video_validation/", "video", false),
    ("Object Interaction", "object_interaction.json", "star/Charades_v1_480/", "video", true),
    ("Object Shuffle", "object_shuffle.json", "perception/videos/", "video", false),
    ("Moving Direction", "moving_direction.json", "clevrer/video_validation/", "video", false),
    ("Action Localization", "action_localization.json", "sta/sta_video/", "video", true),
    ("Scene Transition", "scene_transition.json", "scene_qa/video/", "video", false),
    ("Action Count", "action_count.json", "perception/videos/", "video", false),
    ("Moving Count", "moving_count.json", "clevrer/video_validation/", "video", false),
    ("Moving Attribute", "moving_attribute.json", "clevrer/video_validation/", "video", false),
    ("State Change", "state_change.json", "perception/videos/", "video", false),
    ("Fine-grained Pose", "fine_grained_pose.json", "nturgbd/", "video", false),
    ("Character Order", "character_order.json", "perception/videos/", "video", false),
    ("Egocentric Navigation", "egocentric_navigation.json", "vlnqa/", "video", false),
    ("Episodic Reasoning", "episodic_reasoning.json", "tvqa/frames_fps3_hq/", "frame", true),
    ("Counterfactual Inference", "counterfactual_inference.json", "clevrer/video_validation/", "video", false),
  ]

  /// `osp.join(root, prefix, video)` exists for every row.
  static let integrity = TSVIntegrity { row in Tree.join(row["prefix"] ?? "", row["video"] ?? "") }

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    Self.integrity.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let videos = Tree.join(root, "video")
    ArchiveExtractor.removeStaleStaging(in: videos)
    for zip in Tree.list(videos) where zip.hasSuffix(".zip") {
      diag.verbose("extracting video/\(zip)")
      try ArchiveExtractor.extract(Tree.join(videos, zip), into: videos)
    }
    try Self.moveData0613(videos)
    var table = PandasTSV()
    for t in Self.tasks {
      let path = "json/" + t.file
      guard let items = try SourceFiles.json(root, path).arrayValue else { throw .badSource(path: Tree.join(root, path), reason: "not a JSON list") }
      let prefix = "video/" + t.prefix
      for case .object(let item) in items {
        let video = item["video"]?.stringValue ?? ""
        guard Tree.exists(Tree.join(root, prefix + video)) else {
          throw .missing(
            path: prefix + video,
            hint: "named by \(path) (the NTURGB-D zip was removed from MVBench; see https://huggingface.co/datasets/OpenGVLab/MVBench)")
        }
        func value(_ k: String) -> PyValue { item[k].map(PyValue.init(json:)) ?? .none }
        table.append([
          ("task_type", .str(t.task)), ("prefix", .str(prefix)), ("data_type", .str(t.type)), ("bound", .bool(t.bound)),
          ("start", value("start")), ("end", value("end")), ("video", value("video")), ("question", value("question")),
          ("answer", value("answer")), ("candidates", value("candidates")),
        ])
      }
    }
    table.assignRange("index")
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }

  /// `move_files`: each entry of `video/data0613/{a}/{b}/` moved to `video/{a}/{b}/` (into it
  /// when the target is a folder already, as `shutil.move` does).
  static func moveData0613(_ videos: String) throws(DataError) {
    let src = Tree.join(videos, "data0613")
    for a in Tree.list(src) where Tree.isDirectory(Tree.join(src, a)) {
      for b in Tree.list(Tree.join(src, a)) where Tree.isDirectory(Tree.join(src, a + "/" + b)) {
        let from = Tree.join(src, a + "/" + b)
        let to = Tree.join(videos, a + "/" + b)
        try Tree.makeDirectories(to)
        for item in Tree.list(from) {
          var dest = Tree.join(to, item)
          if Tree.isDirectory(dest) { dest = Tree.join(dest, item) }
          if Tree.exists(dest) && Tree.isDirectory(dest) { continue }
          try Tree.rename(Tree.join(from, item), dest)
        }
      }
    }
  }
}

/// `MVBench_MP4.prepare_dataset` (revision `video`): one row per item of `test.json`'s `meta`,
/// its folder from `root`.
struct MVBenchMP4Preparation: DatasetPreparation {
  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    MVBenchPreparation.integrity.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let json = try SourceFiles.json(root, "test.json")
    guard let roots = json.objectValue?["root"]?.objectValue, let meta = json.objectValue?["meta"]?.objectValue else {
      throw .badSource(path: Tree.join(root, "test.json"), reason: "expected an object with 'root' and 'meta'")
    }
    var table = PandasTSV()
    for (task, items) in meta.pairs {
      for case .object(let item) in items.arrayValue ?? [] {
        func value(_ k: String) -> PyValue { item[k].map(PyValue.init(json:)) ?? .none }
        table.append([
          ("task_type", .str(task)), ("prefix", roots[task].map(PyValue.init(json:)) ?? .none), ("video", value("video")),
          ("question", value("question")), ("answer", value("answer")), ("candidates", value("candidates")),
        ])
      }
    }
    table.assignRange("index")
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
}

/// `MVBench.build_prompt`: the system text, the frames, the parenthesised options, then the
/// assistant prefill `Best option:(`.
struct MVBenchPrompt: PromptTemplate {
  static let system =
    "Carefully watch the video and pay attention to the cause and sequence of events, the detail and movement of objects, and the action and pose of persons. Based on your observations, select the best option that accurately addresses the question.\n"
  static let onlyBest = "\nOnly give the best option."
  static let bestOption = "Best option:("

  var name: String { "mvbench" }
  var constants: [String] { [Self.system, Self.onlyBest, Self.bestOption, "Question: ", "\nOptions:\n"] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    [.text(Self.system, role: "system")] + (try t.visual())
      + [
        .text(PromptText.parenthesisedOptions(try t.field("question"), try t.candidates())), .text(Self.onlyBest),
        .text(Self.bestOption, role: "assistant"),
      ]
  }
}

struct MVBenchRule: ScoringRule {
  var name: String { "mvbench" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(MVBenchScorer(rows: rows).judgePrompts(strict: strict)) }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { MVBenchScorer(rows: rows).score(ctx) }
}

/// MVBench and MVBench_MP4 (reference 5.1): the first-token rule, then `can_infer`, then the
/// judge; rating per `task_type` (else `category`) as `[correct, total, "xx.xx%"]`.
struct MVBenchScorer {
  let rows: Rows

  /// The GT letter, `({L}) {answer}` and the choices.
  func truth(_ r: Int) throws -> (letter: String, gt: String, choices: [(String, String)]) {
    let t = try rows.candidateTruth(r)
    return (t.letter, "(\(t.letter)) \(t.answer)", t.choices)
  }

  /// The rule's verdict before any judge: true, false, or nil (needs the judge).
  func ruleVerdict(_ r: Int, _ t: (letter: String, gt: String, choices: [(String, String)]), strict: Bool) -> Bool? {
    guard let pred = rows.prediction(r), !PyStr(pred).contains(failMarker) else { return false }
    if Matching.mvbenchFirstToken(pred, gt: t.gt, strict: strict) { return true }
    if case .letter(let l) = Matching.canInfer(pred, choices: t.choices, strict: strict) { return l == t.letter }
    return nil
  }

  func judgePrompts(strict: Bool) -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      guard let t = try? truth(r), ruleVerdict(r, t, strict: strict) == nil, let pred = rows.prediction(r) else { return nil }
      return JudgePrompt(
        id: rows.id(r), kind: "mcq", prompt: mcqJudgePrompt(question: rows.cell(r, "question") ?? "", choices: t.choices, prediction: pred))
    }
  }

  /// The `score` column of `evaluate()` (MVTamperBench's too): nil where there is no
  /// prediction (parity; 0 under --strict), -1 for failed requests (parity; 0 under --strict),
  /// else the rule's verdict or the judge's; with the counts the notes need.
  func rowScores(_ ctx: ScoreContext) -> (scores: [String?], bad: Int, unmatched: Int, judged: Int) {
    var scores: [String?] = []
    var bad = 0
    var unmatched = 0
    var judgedRows = 0
    for r in 0..<rows.count {
      guard let pred = rows.prediction(r) else {
        // Parity: rows without a prediction are never scored (NaN), and NaN is truthy (Q1).
        scores.append(ctx.strict ? "0" : nil)
        continue
      }
      if PyStr(pred).contains(failMarker) {
        scores.append(ctx.strict ? "0" : "-1")
        continue
      }
      do {
        let t = try truth(r)
        if let v = ruleVerdict(r, t, strict: ctx.strict) {
          scores.append(v ? "1" : "0")
        } else {
          let reply = ctx.judged?[rows.id(r)]
          if reply != nil { judgedRows += 1 } else { unmatched += 1 }
          let l = judgedChoice(id: rows.id(r), choices: t.choices, reply: reply, strict: ctx.strict)
          scores.append(l == t.letter ? "1" : "0")
        }
      } catch {
        ctx.diag.warning(String(describing: error))
        bad += 1
        scores.append(nil)
      }
    }
    return (scores, bad, unmatched, judgedRows)
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    let (scores, bad, unmatched, judgedRows) = rowScores(ctx)
    // get_dimension_rating: truthy scores count as correct (parity: -1 and NaN too, Q1).
    var order: [String] = []
    var board: [String: (Int, Int)] = [:]
    let groupColumn = rows.table.has("task_type") || !rows.table.has("category") ? "task_type" : "category"
    for (r, s) in scores.enumerated() {
      let task = rows.cell(r, groupColumn) ?? "all"
      if board[task] == nil {
        order.append(task)
        board[task] = (0, 0)
      }
      let correct = ctx.strict ? s == "1" : s != "0"
      board[task]!.1 += 1
      if correct { board[task]!.0 += 1 }
    }
    var rating = JSONObject()
    var summaryRows: [SummaryRow] = []
    var c = 0, n = 0
    func pct(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) * 100 }
    for task in order {
      let (a, b) = board[task]!
      c += a
      n += b
      rating[task] = .array([.int(a), .int(b), .string(String(format: "%.2f%%", pct(a, b)))])
      summaryRows.append(SummaryRow(group: groupColumn, name: task, correct: Double(a), total: b, value: pct(a, b)))
    }
    rating["overall"] = .array([.int(c), .int(n), .string(String(format: "%.2f%%", pct(c, n)))])
    var summary = Summary(
      dataset: ctx.dataset, rules: "MVBench", mode: ctx.mode, metric: "accuracy %",
      rows: [SummaryRow(group: "overall", name: "overall", correct: Double(c), total: n, value: pct(c, n))] + summaryRows)
    let failed = scores.filter { $0 == "-1" }.count
    let missing = (0..<rows.count).filter { rows.prediction($0) == nil }.count
    if !ctx.strict && failed + missing > 0 {
      summary.notes.append("\(failed) failed and \(missing) missing answers count as correct, as in VLMEvalKit (Q1); --strict counts them wrong")
    }
    if unmatched > 0 {
      summary.notes.append(
        "\(unmatched) answers matched no option by rule and were scored wrong; VLMEvalKit's default judge (chatgpt-0125) would be asked about them: see --judge-prompts"
      )
    }
    if judgedRows > 0 { summary.notes.append("\(judgedRows) answers were matched by the judge (\(ctx.judgeName))") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    return Outcome(scores: scores, rating: .object(rating), summary: summary, badRows: bad)
  }
}
