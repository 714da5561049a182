import VCore
import VPrompt
import VScore

// ReVSI (VLMEvalKit `vlmeval/dataset/revsi.py`, configs in `video_dataset_config.py`; families
// reference 4.16).

extension Benchmark {
  public static let revsi: Benchmark = {
    // Each subset has its own pre-sampled videos, `{root}/{subset}/{scene}.mp4` (`video` is
    // `{scene_id}.mp4`), cached under `images/ReVSI/{subset}/{scene}/`, locked by
    // `{scene}.{n}frame.lock` beside that folder. Every config is in nframe mode (`ReVSI`
    // passes `fps=-1`), so its fps-mode `max(req, 1)` and `min(idx, len-1)` never apply.
    func config(_ suffix: String, _ n: Int, subset: String) -> BenchmarkConfig {
      let video = VideoRule(
        field: "video", ext: ".mp4", subfolder: subset, keyStripsExtension: true, lock: .besideFolder(suffix: ".\(n)frame.lock"), keyPrefix: subset)
      return BenchmarkConfig("revsi_\(suffix)_frame", dataset: "ReVSI", spec: .frames(n), video: video, prompt: ReVSIPrompt(subset: subset))
    }
    return Benchmark(
      name: "ReVSI", datasets: ["ReVSI"],
      configs: [
        config("16", 16, subset: "16_frame"), config("32", 32, subset: "32_frame"), config("64", 64, subset: "64_frame"),
        config("all", 128, subset: "all_frame"),
      ],
      prompt: ReVSIPrompt(subset: nil), scoring: ReVSIRule())
  }()
}

/// ReVSI's question types: numeric answers (scored by mean relative accuracy) and multiple
/// choice (exact letter), as `NQ_QUESTION_TYPES` and `MCQ_QUESTION_TYPES` list them.
enum ReVSITypes {
  static let numeric = [
    "object_counting_single", "object_counting_multiple", "object_abs_distance", "object_size_estimation", "room_size_estimation_single",
    "room_size_estimation_multiple",
  ]
  static let choice = [
    "object_rel_direction_forward_easy", "object_rel_direction_backward_easy", "object_rel_direction_forward_hard",
    "object_rel_direction_backward_hard", "object_rel_distance_closest", "object_rel_distance_farthest", "route_planning",
  ]
  /// `_pop_mean`'s groups, in the order `evaluate` adds them.
  static let groups: [(name: String, members: [String])] = [
    (
      "object_rel_direction",
      [
        "object_rel_direction_forward_easy", "object_rel_direction_backward_easy", "object_rel_direction_forward_hard",
        "object_rel_direction_backward_hard",
      ]
    ),
    ("object_rel_distance", ["object_rel_distance_closest", "object_rel_distance_farthest"]),
    ("object_counting", ["object_counting_single", "object_counting_multiple"]),
    ("room_size_estimation", ["room_size_estimation_single", "room_size_estimation_multiple"]),
  ]
}

/// `ReVSI.build_prompt`: the frames (or the video), then `These are frames of a video.`, the
/// question and, by `question_type`, the numeric instruction or the `options` lines and the
/// letter instruction, joined by newlines.
struct ReVSIPrompt: PromptTemplate {
  static let prefix = "These are frames of a video."
  static let numeric = "Answer the question using a single integer or decimal number."
  static let choice = "Answer with the option's letter from the given choices directly."

  /// The config's frame subset (`16_frame`), for the video-LLM path when vframes gave none.
  let subset: String?

  var name: String { "revsi" }
  var constants: [String] { [Self.prefix, Self.numeric, "Options:\n", Self.choice] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let type = try t.field("question_type")
    let question = try t.field("question")
    let text: String
    if ReVSITypes.numeric.contains(type) {
      text = [Self.prefix, question, Self.numeric].joined(separator: "\n")
    } else if ReVSITypes.choice.contains(type) {
      let options = try t.candidates("options")
      text = [Self.prefix, question, "Options:\n" + options.joined(separator: "\n"), Self.choice].joined(separator: "\n")
    } else {
      // VLMEvalKit stops here (its prompt is never assigned).
      throw PromptError(code: .badField, message: "unknown ReVSI question_type '\(type)'")
    }
    // `.strip()` of a text that starts with the prefix and ends with an instruction: a no-op.
    return (try visual(t)) + [.text(text)]
  }

  /// The frames, or `{root}/{subset}/{video}` for a video LLM (vframes' path first).
  func visual(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    guard t.videoLLM, t.record["video_info"]?.objectValue?["path"] == nil, let subset, let v = t.optionalField("video") else {
      return try t.visual()
    }
    return [.video(v.hasPrefix("/") ? v : t.datasetRoot + "/" + subset + "/" + v)]
  }
}

struct ReVSIRule: ScoringRule {
  var name: String { "revsi" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .none("ReVSI scores by exact letter and mean relative accuracy") }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { ReVSIScorer(rows: rows).score(ctx) }
}

/// `ReVSI.evaluate`: per row an `accuracy` (the first space-separated token of the stripped
/// prediction, trailing dots removed: MCQ, case-insensitive equality with `ground_truth`; numeric,
/// mean relative accuracy), then the mean per `question_type`, the four grouped means in place of
/// their members, and `overall_accuracy`, the plain mean of what is left.
struct ReVSIScorer {
  let rows: Rows

  /// VLMEvalKit's 10 MRA thresholds, shared with the EASI scorer (`EASI.mraThresholds`).
  static var thresholds: [Double] { EASI.mraThresholds }

  /// `_mean_relative_accuracy(pred, target, .5, .95, .05)`: EASI's MRA, but 0 for a zero target
  /// (ZeroDivisionError) and the error not taken absolute after the division.
  static func meanRelativeAccuracy(_ pred: Double, _ target: Double) -> Double {
    guard target != 0 else { return 0 }
    let r = abs(pred - target) / target
    return Double(thresholds.filter { r <= 1 - $0 }.count) / Double(thresholds.count)
  }

  /// `str(prediction).strip().split(" ")[0].rstrip(".").strip()`.
  static func firstToken(_ prediction: String) -> PyStr {
    var t = PyStr(prediction).strip().split(" ")[0].u
    while t.last == "." { t.removeLast() }
    return PyStr(t).strip()
  }

  /// The row's accuracy, nil (NaN) for a type in neither list.
  static func accuracy(prediction: String, truth: String, type: String) -> Double? {
    let pred = firstToken(prediction)
    if ReVSITypes.choice.contains(type) { return pred.lower() == PyStr(truth).lower() ? 1 : 0 }
    guard ReVSITypes.numeric.contains(type) else { return nil }
    guard let p = MMMUMatching.pythonFloat(pred), let g = MMMUMatching.pythonFloat(PyStr(truth)) else { return 0 }
    return meanRelativeAccuracy(p, g)
  }

  static func pairwiseSum(_ a: ArraySlice<Double>) -> Double { EASI.pairwiseSum(a) }
  static func pandasMean(_ values: [Double?]) -> Double { EASI.pandasMean(values) }

  func score(_ ctx: ScoreContext) -> Outcome {
    var accuracies: [Double?] = []
    var unknown = Set<String>()
    for r in 0..<rows.count {
      let type = rows.cell(r, "question_type") ?? "nan"
      let a = Self.accuracy(prediction: rows.prediction(r) ?? "nan", truth: rows.cell(r, "ground_truth") ?? "nan", type: type)
      if a == nil { unknown.insert(type) }
      accuracies.append(a)
    }
    // groupby("question_type"): sorted keys, rows without a type left out.
    var byType: [String: [Double?]] = [:]
    for r in 0..<rows.count {
      guard let type = rows.cell(r, "question_type") else { continue }
      byType[type, default: []].append(accuracies[r])
    }
    let order = byType.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    var output: [(String, Double)] = order.map { ($0 + "_accuracy", Self.pandasMean(byType[$0]!)) }
    var summaryRows: [SummaryRow] = order.map {
      let v = byType[$0]!
      return SummaryRow(
        group: "question_type", name: $0, correct: nil, total: v.count, value: Self.pandasMean(v).isNaN ? nil : Self.pandasMean(v) * 100)
    }
    for g in ReVSITypes.groups {
      let keys = g.members.map { $0 + "_accuracy" }
      let values = keys.compactMap { k in output.first { $0.0 == k }?.1 }
      guard !values.isEmpty else { continue }
      output.removeAll { keys.contains($0.0) }
      // np.mean of a short list: summed in order.
      let mean = values.reduce(0, +) / Double(values.count)
      output.append((g.name + "_accuracy", mean))
      let total = g.members.reduce(0) { $0 + (byType[$1]?.count ?? 0) }
      summaryRows.append(SummaryRow(group: "group", name: g.name, correct: nil, total: total, value: mean.isNaN ? nil : mean * 100))
    }
    // sum(output.values()) / len(output): Python's sum from 0, in the dict's order.
    let overall = output.isEmpty ? 0 : output.reduce(0) { $0 + $1.1 } / Double(output.count)
    output.append(("overall_accuracy", overall))
    let rating = JSONObject(output.map { ($0.0, JSONValue.double($0.1)) })
    var summary = Summary(
      dataset: ctx.dataset, rules: "ReVSI", mode: ctx.mode, metric: "accuracy %",
      rows: [SummaryRow(group: "overall", name: "overall", correct: nil, total: rows.count, value: overall.isNaN ? nil : overall * 100)]
        + summaryRows)
    summary.notes.append(
      "VLMEvalKit's ReVSI.evaluate writes no file (run.py logs its dict): vscore writes the dict as _rating.json and the per-row accuracy column in _score.xlsx"
    )
    summary.notes.append("mean relative accuracy over VLMEvalKit's 10 thresholds 0.5..0.95 (int((0.95 - 0.5) / 0.05 + 2) is 10)")
    let unanswered = (0..<rows.count).filter { r in rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? true }.count
    if unanswered > 0 { summary.notes.append("\(unanswered) failed or missing answers count as wrong, as in VLMEvalKit") }
    if !unknown.isEmpty {
      summary.notes.append(
        "question types in neither of VLMEvalKit's lists have no accuracy (NaN; their mean, and so the overall, is NaN; JSON null): \(unknown.sorted().joined(separator: ", "))"
      )
    }
    var outcome = Outcome(scores: accuracies.map(Num.cell), rating: .object(rating), summary: summary)
    outcome.scoreColumn = "accuracy"
    return outcome
  }
}
