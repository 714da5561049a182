import VCore
import VData
import VPrompt
import VScore

// MLVU (VLMEvalKit `vlmeval/dataset/mlvu.py`; reference 5.6): MCQ and open-ended sub-datasets.

extension Benchmark {
  public static let mlvu: Benchmark = {
    let video = VideoRule(field: "video", dirField: "prefix", keyStripsExtension: true, datasetField: "SUB_DATASET")
    return Benchmark(
      name: "MLVU", datasets: ["MLVU", "MLVU_MCQ", "MLVU_OpenEnded"],
      configs: [("8frame", SamplingSpec.frames(8)), ("64frame", .frames(64)), ("1fps", .perSecond(1))].map {
        BenchmarkConfig("MLVU_\($0.0)", dataset: "MLVU", spec: $0.1, video: video)
      },
      prompt: MLVUPrompt(), scoring: MLVURule(),
      sources: [
        DatasetSource(name: "MLVU_MCQ", repo: "MLVU/MVLU", preparation: MLVUPreparation(tasks: MLVUPreparation.mcqTasks, openEnded: false)),
        DatasetSource(
          name: "MLVU_OpenEnded", repo: "MLVU/MVLU", preparation: MLVUPreparation(tasks: MLVUPreparation.openTasks, openEnded: true)),
      ])
  }()
}

/// `MLVU_MCQ.prepare_dataset` / `MLVU_OpenEnded.prepare_dataset` (repo `MLVU/MVLU`, videos
/// shipped unpacked under `MLVU/video/`): one TSV row per item of each task's
/// `MLVU/json/{file}` (tasks in `type_data_list` order), `index` last; nothing is extracted.
struct MLVUPreparation: DatasetPreparation {
  /// `type_data_list`: task, JSON file, prefix.
  static let mcqTasks: [(task: String, file: String, prefix: String)] = [
    ("plotQA", "1_plotQA.json", "./MLVU/video/1_plotQA"), ("needle", "2_needle.json", "./MLVU/video/2_needle"),
    ("ego", "3_ego.json", "./MLVU/video/3_ego"), ("count", "4_count.json", "./MLVU/video/4_count"),
    ("order", "5_order.json", "./MLVU/video/5_order"), ("anomaly_reco", "6_anomaly_reco.json", "./MLVU/video/6_anomaly_reco"),
    ("topic_reasoning", "7_topic_reasoning.json", "./MLVU/video/7_topic_reasoning"),
  ]
  static let openTasks: [(task: String, file: String, prefix: String)] = [
    ("sub_scene", "8_sub_scene.json", "./MLVU/video/8_sub_scene"), ("summary", "9_summary.json", "./MLVU/video/9_summary"),
  ]

  let tasks: [(task: String, file: String, prefix: String)]
  /// Open-ended rows carry `scoring_points` (`''` when the item has none) instead of `candidates`.
  let openEnded: Bool

  /// `osp.join(root, prefix, video)` exists for every row.
  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { Tree.join($0["prefix"] ?? "", $0["video"] ?? "") }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    var table = PandasTSV()
    for t in tasks {
      let path = "MLVU/json/" + t.file
      guard let items = try SourceFiles.json(root, path).arrayValue else { throw .badSource(path: Tree.join(root, path), reason: "not a JSON list") }
      for (i, entry) in items.enumerated() {
        guard let item = entry.objectValue else { throw .badSource(path: Tree.join(root, path), reason: "item \(i) is not an object") }
        func value(_ k: String) throws(DataError) -> PyValue {
          guard let v = item[k] else { throw .badSource(path: Tree.join(root, path), reason: "item \(i) has no '\(k)' (KeyError upstream)") }
          return PyValue(json: v)
        }
        var row: [(String, PyValue)] = [
          ("task_type", .str(t.task)), ("prefix", .str(t.prefix)), ("duration", try value("duration")), ("video", try value("video")),
          ("question", try value("question")), ("answer", try value("answer")),
        ]
        if openEnded {
          row.append(("scoring_points", item["scoring_points"].map(PyValue.init(json:)) ?? .str("")))
        } else {
          row.append(("candidates", try value("candidates")))
        }
        table.append(row)
      }
    }
    table.assignRange("index")
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
}

/// `MLVU_MCQ.build_prompt` (system text, frames, parenthesised options, `Only give the best
/// option.`) and `MLVU_OpenEnded.build_prompt` (system text, frames, question), by the row's
/// `SUB_DATASET` (else by whether it has candidates).
struct MLVUPrompt: PromptTemplate {
  static let mcqSystem =
    "Carefully watch this video and pay attention to every detail. Based on your observations, select the best option that accurately addresses the question."
  static let openSystem =
    "Carefully watch this video and pay attention to every detail. Based on your observations, answer the given questions."

  var name: String { "mlvu" }
  var constants: [String] { [Self.mcqSystem, Self.openSystem, MVBenchPrompt.onlyBest, "Question: ", "\nOptions:\n"] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let sub = t.optionalField("SUB_DATASET") ?? (t.record["candidates"] != nil ? "MLVU_MCQ" : "MLVU_OpenEnded")
    if sub == "MLVU_MCQ" {
      return [.text(Self.mcqSystem, role: "system")] + (try t.visual())
        + [.text(PromptText.parenthesisedOptions(try t.field("question"), try t.candidates())), .text(MVBenchPrompt.onlyBest)]
    }
    return [.text(Self.openSystem, role: "system")] + (try t.visual()) + [.text(try t.field("question"))]
  }
}

struct MLVURule: ScoringRule {
  var name: String { "mlvu" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(MLVUScorer(rows: rows).judgePrompts(strict: strict)) }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { MLVUScorer(rows: rows).score(ctx) }
}

/// MLVU (reference 5.6): MCQ rows by the letter before the first `)`, then `can_infer`, then
/// the judge; open-ended rows (sub_scene, summary) by a judge's two 1-5 scores. The `_acc.csv`
/// has one row per task, then M-Avg (micro accuracy over plotQA, needle, ego, count,
/// anomaly_reco and topic_reasoning: VLMEvalKit's group leaves `order` out) and G-Avg (the mean
/// open-ended score, 2-10).
struct MLVUScorer {
  let rows: Rows

  static let openTasks = ["sub_scene", "summary"]
  static let mAvgTasks = ["plotQA", "needle", "ego", "count", "anomaly_reco", "topic_reasoning"]

  static let subSceneSystem =
    "\n##TASK DESCRIPTION:\nYou are required to evaluate a respondent's answer based on a provided question, some scoring points, and the respondent's answer. You should provide two scores. The first is the accuracy score, which should range from 1 to 5. The second is the relevance score, which should also range from 1 to 5. Below are the criteria for each scoring category.\n##ACCURACY Scoring Criteria:\nEvaluate the respondent's answer against specific scoring points as follows:\nScore 1: The response completely misses the scoring point.\nScore 3: The response mentions content related to the scoring point but is not entirely correct.\nScore 5: The response accurately addresses the scoring point.\nCalculate the average score across all scoring points to determine the final accuracy score.\n##RELEVANCE Scoring Criteria:\nAssess how the respondent's answer relates to the original question:\nScore 1: The response is completely off-topic from the question.\nScore 2: The response is partially related to the question but contains a significant amount of irrelevant content.\nScore 3: The response primarily addresses the question, but the respondent seems uncertain about their own answer.\nScore 4: The response mostly addresses the question and the respondent appears confident in their answer.\nScore 5: The response is fully focused on addressing the question with no irrelevant content and demonstrates complete certainty.\n----\n##INSTRUCTION:\n1. Evaluate Accuracy: First, assess and score each scoring point based on the respondent's answer. Calculate the average of these scores to establish the final accuracy score. Provide a detailed rationale before assigning your score.\n2. Evaluate RELEVANCE: Assess the relevance of the respondent\u{2019}s answer to the question. Note that when evaluating relevance, the correctness of the answer is not considered; focus solely on how relevant the answer is to the question. Provide a comprehensive rationale before assigning your score.\n3. Output Scores in JSON Format: Present the scores in JSON format as follows:\n{'score_accuracy': score_acc, 'score_relevance': score_rele, 'total_score': score_acc + score_rele}\n"

  static let summarySystem =
    "\n##TASK DESCRIPTION:\nYou are required to evaluate the performance of the respondent in the video summarization task based on the standard answer and the respondent's answer. You should provide two scores. The first is the COMPLETENESS score, which should range from 1 to 5. The second is the RELIABILITY score, which should also range from 1 to 5. Below are the criteria for each scoring category:\n##COMPLETENESS Scoring Criteria:\nThe completeness score focuses on whether the summary covers all key points and main information from the video.\nScore 1: The summary hardly covers any of the main content or key points of the video.\nScore 2: The summary covers some of the main content and key points but misses many.\nScore 3: The summary covers most of the main content and key points.\nScore 4: The summary is very comprehensive, covering most to nearly all of the main content and key points.\nScore 5: The summary completely covers all the main content and key points of the video.\n##RELIABILITY Scoring Criteria:\nThe reliability score evaluates the correctness and clarity of the video summary. It checks for factual errors, misleading statements, and contradictions with the video content. If the respondent's answer includes details that are not present in the standard answer, as long as these details do not conflict with the correct answer and are reasonable, points should not be deducted.\nScore 1: Contains multiple factual errors and contradictions; presentation is confusing.\nScore 2: Includes several errors and some contradictions; needs clearer presentation.\nScore 3: Generally accurate with minor errors; minimal contradictions; reasonably clear presentation.\nScore 4: Very accurate with negligible inaccuracies; no contradictions; clear and fluent presentation.\nScore 5: Completely accurate with no errors or contradictions; presentation is clear and easy to understand.\n----\n##INSTRUCTION:\n1. Evaluate COMPLETENESS: First, analyze the respondent's answer according to the scoring criteria, then provide an integer score between 1 and 5 based on sufficient evidence.\n2. Evaluate RELIABILITY: First, analyze the respondent's answer according to the scoring criteria, then provide an integer score between 1 and 5 based on sufficient evidence.\n3. Output Scores in JSON Format: Present the scores in JSON format as follows:\n{'score_completeness': score_comp, 'score_reliability': score_reli, 'total_score': score_comp + score_reli}\n"

  func isOpen(_ r: Int) -> Bool {
    if let sub = rows.cell(r, "SUB_DATASET") { return sub.contains("OpenEnded") }
    return Self.openTasks.contains(rows.cell(r, "task_type") ?? "")
  }

  func task(_ r: Int) -> String { rows.cell(r, "task_type") ?? "unknown" }

  /// MCQ verdict before the judge (nil: the judge decides).
  func ruleVerdict(_ r: Int, _ t: (letter: String, answer: String, choices: [(String, String)]), strict: Bool) -> Bool? {
    guard let pred = rows.prediction(r), !PyStr(pred).contains(failMarker) else { return false }
    if Matching.mlvuOption(pred) == t.letter { return true }
    if case .letter(let l) = Matching.canInfer(pred, choices: t.choices, strict: strict) { return l == t.letter }
    return nil
  }

  /// `extract_scores_*`: for each key found, `float(text[colon+2 : next comma])`, summed. nil
  /// when a number does not parse (VLMEvalKit raises there).
  static func openScore(_ reply: String, task: String) -> Double? {
    let keys = task == "summary" ? ["score_completeness", "score_reliability"] : ["score_accuracy", "score_relevance"]
    let t = PyStr(reply)
    var sum = 0.0
    for k in keys {
      guard let s = t.find(PyStr(k)) else { continue }
      let colon = t.find(PyStr(":"), from: s) ?? -1
      let a = colon + 2
      let comma = t.find(PyStr(","), from: max(0, a))
      // Python slice text[a:b] with b = -1 when there is no comma.
      let end = comma ?? (t.count - 1)
      let lo = min(max(a, 0), t.count), hi = max(lo, min(end, t.count))
      guard let v = Double(PyText.strip(t[lo..<hi].string)) else { return nil }
      sum += v
    }
    return sum
  }

  func judgePrompts(strict: Bool) -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      let id = rows.id(r)
      if isOpen(r) {
        let pred = rows.prediction(r) ?? "nan"
        let lead =
          "Please score the respondent's answer according to the steps in the Instructions. You must end with a JSON dict to store the scores.\n"
        if task(r) == "summary" {
          return JudgePrompt(
            id: id, kind: "mlvu_summary", system: Self.summarySystem,
            prompt: lead + "Standard Answer: \(rows.cell(r, "answer") ?? "nan")\nRespondent's Answer: \(pred)\n")
        }
        return JudgePrompt(
          id: id, kind: "mlvu_sub_scene", system: Self.subSceneSystem,
          prompt: lead
            + "Question: \(rows.cell(r, "question") ?? "nan")\nScoring Points: \(rows.cell(r, "scoring_points") ?? "nan")\nRespondent's Answer: \(pred)\n"
        )
      }
      guard let t = try? rows.candidateTruth(r), ruleVerdict(r, t, strict: strict) == nil, let pred = rows.prediction(r) else { return nil }
      return JudgePrompt(id: id, kind: "mcq", prompt: mcqJudgePrompt(question: rows.cell(r, "question") ?? "", choices: t.choices, prediction: pred))
    }
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [Double?] = []
    var bad = 0, unjudgedOpen = 0, unmatched = 0, nanPredictions = 0
    for r in 0..<rows.count {
      let id = rows.id(r)
      if isOpen(r) {
        guard let reply = ctx.judged?[id] else {
          unjudgedOpen += 1
          scores.append(nil)
          continue
        }
        if let v = Self.openScore(reply.text, task: task(r)) {
          scores.append(v)
        } else {
          ctx.diag.warning("row \(id): the judge's reply has no number after its score keys: \(reply.text.prefix(120))")
          bad += 1
          scores.append(nil)
        }
        continue
      }
      guard let pred = rows.prediction(r) else {
        // VLMEvalKit crashes here (`FAIL_MSG in nan`, Q10); vscore scores the row 0.
        nanPredictions += 1
        scores.append(0)
        continue
      }
      if PyStr(pred).contains(failMarker) {
        scores.append(ctx.strict ? 0 : -1)
        continue
      }
      do {
        let t = try rows.candidateTruth(r)
        if let v = ruleVerdict(r, t, strict: ctx.strict) {
          scores.append(v ? 1 : 0)
        } else {
          let reply = ctx.judged?[id]
          if reply == nil { unmatched += 1 }
          scores.append(judgedChoice(id: id, choices: t.choices, reply: reply, strict: ctx.strict) == t.letter ? 1 : 0)
        }
      } catch {
        ctx.diag.warning(String(describing: error))
        bad += 1
        scores.append(nil)
      }
    }
    let (order, sums) = rows.intSums(scores, key: task)
    var accRows: [[String]] = []
    var printed: [SummaryRow] = []
    for t in order {
      let (s, n) = sums[t]!
      let acc = Num.round(s / n * 100, 1)
      accRows.append([t, Num.repr(s), Num.repr(n), Num.repr(acc)])
      let open = Self.openTasks.contains(t)
      printed.append(
        SummaryRow(group: open ? "open-ended (mean score)" : "task_type", name: t, correct: s, total: Int(n), value: open ? s / n : s / n * 100))
    }
    for (key, tasks) in [("M-Avg", Self.mAvgTasks), ("G-Avg", Self.openTasks)] {
      var s = 0.0, n = 0.0
      for t in tasks {
        if let v = sums[t] {
          s += v.0
          n += v.1
        }
      }
      let acc = n == 0 ? Double.nan : (key == "M-Avg" ? Num.round(s / n * 100, 1) : Num.round(s / n, 2))
      accRows.append([key, Num.repr(s), Num.repr(n), Num.repr(acc)])
      if n > 0 {
        printed.insert(
          SummaryRow(
            group: "overall", name: key == "M-Avg" ? "M-Avg (accuracy %)" : "G-Avg (mean score, 2-10)", correct: s, total: Int(n),
            value: key == "M-Avg" ? s / n * 100 : s / n), at: key == "M-Avg" ? 0 : min(1, printed.count))
      }
    }
    var summary = Summary(dataset: ctx.dataset, rules: "MLVU", mode: ctx.mode, metric: "accuracy % / score", rows: printed)
    if unjudgedOpen > 0 {
      summary.notes.append("\(unjudgedOpen) open-ended rows need a judge and were left out (G-Avg without them): see --judge-prompts")
    }
    if unmatched > 0 {
      summary.notes.append(
        "\(unmatched) MCQ answers matched no option by rule and were scored wrong; VLMEvalKit's default judge (chatgpt-0125) would be asked: see --judge-prompts"
      )
    }
    if nanPredictions > 0 {
      summary.notes.append("\(nanPredictions) MCQ rows have no prediction and count as wrong (VLMEvalKit crashes on them, Q10)")
    }
    if !ctx.strict, scores.contains(where: { $0 == -1 }) {
      summary.notes.append("failed answers score -1 and subtract from their task's count of correct answers, as in VLMEvalKit")
    }
    summary.notes.append("M-Avg leaves out the 'order' task, as VLMEvalKit's code does")
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data or judge replies; see the warnings)") }
    return Outcome(scores: scores.map(Num.cell), acc: (["task", "success", "overall", "acc"], accRows), summary: summary, badRows: bad)
  }
}
