import VCore
import VData
import VPrompt
import VScore

// MEGA-Bench (VLMEvalKit `vlmeval/dataset/megabench.py`, `vlmeval/dataset/utils/megabench/`;
// families reference 4.7): interleaved images and videos, per-task metrics.

extension Benchmark {
  /// `MEGABench_{core,open}_{16,64}frame`: `MEGABench(dataset='MEGABench', nframe=n,
  /// subset_name=...)`. The rows are those `prepare_dataset` writes to
  /// `{LMUData}/MEGABench_{subset}.tsv`: `index` (the HF `id`), `task_name`, `task_description`,
  /// `global_media`, `example_text`, `example_media`, `question` (the HF `query_text`),
  /// `query_media`, `answer`, `metric_info`, `eval_context` (11 tab-joined fields under 12 headers:
  /// `video` is empty), each with tabs and runs of whitespace collapsed to one space; the media
  /// columns are Python list literals of paths under the extracted `data.zip`. Each listed video is
  /// sampled by the cv2 frame gap (`Sampler.frameGap`) at its own budget (`MediaListRule.budgets`),
  /// its frames written beside it.
  public static let megaBench: Benchmark = {
    let video = VideoRule(
      field: "query_media",
      mediaLists: MediaListRule(columns: MEGABenchPrompt.columns.map { ($0.media, $0.demo) }, naming: .besideVideo))
    var configs: [BenchmarkConfig] = []
    for n in [16, 64] {
      for subset in ["core", "open"] {
        configs.append(
          BenchmarkConfig(
            "MEGABench_\(subset)_\(n)frame", dataset: "MEGABench", spec: .frames(n, sampler: .frameGap), video: video))
      }
    }
    // `video_dataset_config.py` order: core_16, open_16, core_64, open_64.
    return Benchmark(
      name: "MEGA-Bench", datasets: ["MEGABench"], configs: configs, prompt: MEGABenchPrompt(), scoring: MEGABenchRule(),
      nframeSampler: .frameGap)
  }()
}

/// `MEGABench.build_prompt`: the task description with the global media, the example text with
/// the example (demo) media, the question with the query media, each part skipped where its text
/// is NaN. A part's text is split at `<image>` and `<video>` (`re.split(r'(<image>|<video>)')`):
/// when the placeholders are as many as the media, each is replaced in place by its medium and the
/// text chunks between them become stripped text items (blank ones dropped); otherwise the whole
/// text, stripped, comes first (when not blank) and the media follow. Without media the part is
/// one stripped text item. An image is an image item; a video is `<video_frame_start>`, its frames,
/// `<video_frame_end>`, or with `--video-llm` one video item.
struct MEGABenchPrompt: PromptTemplate {
  static let columns: [(text: String, media: String, demo: Bool)] = [
    ("task_description", "global_media", false), ("example_text", "example_media", true), ("question", "query_media", false),
  ]
  static let frameStart = "<video_frame_start>"
  static let frameEnd = "<video_frame_end>"
  /// The cells pandas' `read_csv` reads as NaN (`pd.notna` is False).
  static let missing: Set<String> = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN",
    "None", "n/a", "nan", "null",
  ]

  var name: String { "megabench" }
  var constants: [String] { [Self.frameStart, Self.frameEnd, "<image>", "<video>"] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    // Each listed video's frames, in vframes' order (the three columns, videos only).
    var groups: [[MessageItem]] = []
    if !t.videoLLM {
      guard t.record["frames"] != nil else {
        throw PromptError(code: .missingField, message: "the record has no 'frames' (pipe vframes output into vprompt)")
      }
      groups = t.record["frame_groups"] == nil ? [] : try t.visualGroups()
    }
    var next = 0
    var items: [MessageItem] = []
    for c in Self.columns {
      let media = MediaListRule.list(t.optionalField(c.media)) ?? []
      let videos = media.filter(MediaListRule.isVideo).count
      defer { next += videos }
      guard let text = t.optionalField(c.text), !Self.missing.contains(text) else { continue }
      if !t.videoLLM && next + videos > groups.count {
        throw PromptError(code: .badField, message: "the record has frames for \(groups.count) videos; its media lists name more")
      }
      var own = next
      func medium(_ path: String) -> [MessageItem] {
        let p = path.hasPrefix("/") || t.datasetRoot.isEmpty ? path : t.datasetRoot + "/" + path
        guard MediaListRule.isVideo(path) else { return [.image(p)] }
        if t.videoLLM { return [.video(p)] }
        defer { own += 1 }
        return [.text(Self.frameStart)] + groups[own] + [.text(Self.frameEnd)]
      }
      if media.isEmpty {
        items.append(.text(PyText.strip(text)))
        continue
      }
      let chunks = Self.splitPlaceholders(text)
      if chunks.filter(Self.isPlaceholder).count != media.count {
        let stripped = PyText.strip(text)
        if !stripped.isEmpty { items.append(.text(stripped)) }
        for m in media { items += medium(m) }
        continue
      }
      var k = 0
      for chunk in chunks {
        if Self.isPlaceholder(chunk) {
          items += medium(media[k])
          k += 1
        } else if !PyText.strip(chunk).isEmpty {
          items.append(.text(PyText.strip(chunk)))
        }
      }
    }
    return items
  }

  static func isPlaceholder(_ s: String) -> Bool { s == "<image>" || s == "<video>" }

  /// `re.split(r'(<image>|<video>)', text)`: the text between placeholders and the placeholders,
  /// in order (an empty chunk before a leading and after a trailing one, and between two).
  static func splitPlaceholders(_ text: String) -> [String] {
    let u = Array(text.unicodeScalars)
    let tags = ["<image>", "<video>"].map { Array($0.unicodeScalars) }
    var out: [String] = []
    var start = 0, i = 0
    while i < u.count {
      if let tag = tags.first(where: { i + $0.count <= u.count && u[i..<(i + $0.count)].elementsEqual($0) }) {
        out.append(String(String.UnicodeScalarView(u[start..<i])))
        out.append(String(String.UnicodeScalarView(tag)))
        i += tag.count
        start = i
      } else {
        i += 1
      }
    }
    out.append(String(String.UnicodeScalarView(u[start...])))
    return out
  }
}

/// `MEGABench.evaluate` and `MEGABenchEvaluator.evaluate`: the rows grouped by `task_name`
/// (sorted, as `groupby`), each task's `metric_info` read from its first row (VLMEvalKit reads
/// the same text from the HF dataset), each query's response parsed by the task's
/// `response_parse_function` and each field of `field_score_function` (and
/// `global_aux_metrics`) scored by its metric; the query score is the weighted mean of its field
/// scores (`field_weights`, 1 by default), counted when >= 0; the task score is their sum over
/// the task's queries. Macro mean: the mean of the tasks' mean scores; micro mean: all query
/// scores over all queries.
///
/// A task whose metrics vtools does not implement (`MEGAMetric`), whose metric is the VLM judge
/// (`gpt_4o_as_judge`, `ascii_art_gpt4o_judge`), or where VLMEvalKit's code would raise, is not
/// scored: it is left out of both means and listed, never counted as 0.
struct MEGABenchRule: ScoringRule {
  var name: String { "megabench" }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("MEGA-Bench's rule metrics need no judge; vtools does not run its gpt_4o_as_judge metric yet (those tasks are listed as not scored)")
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { MEGABenchScorer(rows: rows).score(ctx) }
}

struct MEGABenchScorer {
  let rows: Rows

  struct TaskResult {
    var name: String
    var queries: [(row: Int, score: Double, fields: [(String, Double)])] = []
    var notScored: String?
  }

  static let judgeMetrics: Set<String> = ["gpt_4o_as_judge", "ascii_art_gpt4o_judge"]
  /// Every metric name of `metric_type.py`: a name outside it makes VLMEvalKit raise.
  static let knownMetrics: Set<String> = [
    "exact_str_match", "simple_str_match", "code_result_exact_str_match", "dict_exact_str_match_agg_recall",
    "exact_str_match_case_insensitive", "normalized_similarity_damerau_levenshtein", "near_str_match", "number_rel_diff_ratio",
    "set_equality", "set_equality_case_insensitive", "dict_set_equality_agg_jaccard", "dict_precision", "jaccard_index",
    "jaccard_index_case_insensitive", "dict_jaccard_agg_jaccard", "dict_equality", "set_precision", "positive_int_match",
    "chess_move_list_jaccard_index", "longest_common_list_prefix_ratio", "ascii_art_gpt4o_judge", "nli_entailment", "bleu", "gleu_cn",
    "xml_nbbox_iou_single", "latex_expr_equality", "text_with_latex_expr_equality", "nbbox_iou_tuple", "nbbox_iou_single",
    "nbbox_iou_sequence", "dict_nbbox_iou_tuple_agg_jaccard", "xml_norm_point_in_bbox", "xml_norm_point_distance",
    "geo_proximity_location_dict", "normalized_rmse", "program_judge", "str_set_equality_line_break", "str_set_equality_comma",
    "sequence_equality", "sequence_equality_case_insensitive", "sequence_accuracy_case_insensitive", "angle_seq_float_rmse",
    "symbolic_planning_test", "multi_ref_phrase", "general_single_numerical_match", "boxed_single_numerical_match",
    "sequence_coords_similarity", "constrained_generation", "gpt_4o_as_judge", "unsupported",
  ]

  /// The subset of a dataset name (`MEGABench_open_16frame` -> `open`).
  static func subset(_ dataset: String) -> String { dataset.contains("_open") ? "open" : "core" }

  /// `str_to_dict`: `ast.literal_eval` of the cell, `{}` where it fails.
  static func dict(_ cell: String?) -> [(PyObj, PyObj)] {
    guard let cell, let v = PyLiteral.eval(cell), case .dict(let d) = v else { return [] }
    return d
  }

  func scoreTask(_ name: String, _ members: [Int]) -> TaskResult {
    var result = TaskResult(name: name)
    let info = PyLiteral.eval(rows.cell(members[0], "metric_info") ?? "") ?? .dict([])
    guard case .dict = info else {
      result.notScored = "its metric_info is not a dict literal"
      return result
    }
    let fieldMetrics: [(String, String)] = {
      guard case .dict(let d)? = info["field_score_function"] else { return [] }
      return d.map { ($0.0.pyStr, $0.1.pyStr) }
    }()
    let auxMetrics: [(String, String)] = {
      guard case .dict(let d)? = info["global_aux_metrics"] else { return [] }
      return d.map { ($0.0.pyStr, $0.1.pyStr) }
    }()
    var weights: [String: Double] = [:]
    if case .dict(let w)? = info["aggregation"]?["field_weights"] { for (k, v) in w { weights[k.pyStr] = v.number } }
    let parserName = info["response_parse_function"].map { $0 == .none ? "unsupported" : $0.pyStr.lowercased() } ?? "dummy"
    guard let parser = MEGAParser(rawValue: parserName) else {
      result.notScored = "its response_parse_function '\(parserName)' is unknown (VLMEvalKit raises)"
      return result
    }
    var metrics: [String: MEGAMetric] = [:]
    for (_, m) in fieldMetrics + auxMetrics {
      let lower = m.lowercased()
      if Self.judgeMetrics.contains(lower) {
        result.notScored = "metric \(lower) is a VLM judge (not run by vtools)"
        return result
      }
      if lower == "unsupported" { continue }
      guard Self.knownMetrics.contains(lower) else {
        result.notScored = "metric '\(m)' is unknown (VLMEvalKit raises)"
        return result
      }
      guard let metric = MEGAMetric(rawValue: lower) else {
        result.notScored = "metric \(lower) is not implemented in vtools"
        return result
      }
      metrics[lower] = metric
    }
    let firstAnswer = Self.dict(rows.cell(members[0], "answer"))
    let answerFields = firstAnswer.map(\.0.pyStr).filter { !$0.hasPrefix("##") }
    for r in members {
      let response = rows.prediction(r) ?? "nan"
      let correct = Self.dict(rows.cell(r, "answer"))
      func correctValue(_ f: String) -> PyObj { correct.last { $0.0 == .str(f) }?.1 ?? .str("") }
      var obj: PyObj
      if parser.singleField {
        guard answerFields.count == 1 else {
          result.notScored = "its answer has \(answerFields.count) fields for the single-field parser \(parserName) (VLMEvalKit asserts)"
          return result
        }
        let key = answerFields[0]
        let truth = correctValue(key)
        let singleLine: Bool
        switch truth {
        case .str(let s): singleLine = !s.contains("\n")
        case .list(let a), .tuple(let a): singleLine = !a.contains(.str("\n"))
        default:
          result.notScored = "its answer field is not text (VLMEvalKit raises)"
          return result
        }
        obj = .dict([(.str(key), .str(parser.answer(response, singleLine: singleLine)))])
      } else if parser == .dummy {
        result.notScored = "the dummy parser gives a string, which VLMEvalKit's rule metrics cannot read (it raises)"
        return result
      } else {
        obj = MEGAParse.parseJSON(response)
        if case .dict(let d) = obj {
          obj = .dict(d.map { ($0.0, MEGAParse.evaluateAsString($0.1)) })
        }
        var parsed = false
        if case .dict(let d) = obj, !d.isEmpty { parsed = true }
        if parser == .json && !parsed { obj = .dict(correct.map { ($0.0, .str(response)) }) }
        guard case .dict = obj else {
          result.notScored = "a response parses to a list, which VLMEvalKit's metrics cannot read (it raises)"
          return result
        }
      }
      var fields: [(String, Double)] = []
      do {
        for (f, m) in fieldMetrics {
          guard let metric = metrics[m.lowercased()] else { continue }
          let predicted = obj[f] ?? .str("")
          fields.append((f, try metric.match(predicted, MEGAParse.evaluateAsString(correctValue(f)))))
        }
        for (f, m) in auxMetrics {
          guard let metric = metrics[m.lowercased()] else { continue }
          fields.append((f, try metric.match(obj, .dict(correct))))
        }
      } catch {
        result.notScored = "query \(rows.id(r)): \(error.why) (VLMEvalKit raises)"
        return result
      }
      var total = 0.0, weight = 0.0
      for (f, s) in fields {
        let w = weights[f] ?? 1
        total += s * w
        weight += w
      }
      result.queries.append((r, fields.isEmpty ? 0 : (weight > 0 ? total / weight : 0), fields))
    }
    return result
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var groups: [String: [Int]] = [:]
    for r in 0..<rows.count { groups[rows.cell(r, "task_name") ?? "nan", default: []].append(r) }
    let names = groups.keys.sorted { Array($0.unicodeScalars).lexicographicallyPrecedes(Array($1.unicodeScalars), by: { $0.value < $1.value }) }
    let tasks = names.map { scoreTask($0, groups[$0]!) }
    var scores = [String?](repeating: nil, count: rows.count)
    var taskJSON: [JSONValue] = []
    var macro = 0.0, micro = 0.0, nTasks = 0, nQueries = 0
    var summaryRows: [SummaryRow] = []
    var notScored: [(String, Int, String)] = []
    for t in tasks {
      guard t.notScored == nil else {
        notScored.append((t.name, groups[t.name]!.count, t.notScored!))
        continue
      }
      nTasks += 1
      nQueries += t.queries.count
      var sum = 0.0
      var queries: [JSONValue] = []
      for q in t.queries {
        if q.score >= 0 { sum += q.score }
        scores[q.row] = Num.cell(q.score)
        queries.append(
          .object(
            JSONObject([
              ("global_idx", .string(rows.id(q.row))), ("response", .string(rows.prediction(q.row) ?? "nan")),
              ("scores", .object(JSONObject([("field", .object(JSONObject(q.fields.map { ($0.0, .double($0.1)) }))), ("query", .double(q.score))]))),
            ])))
      }
      let mean = t.queries.isEmpty ? 0 : sum / Double(t.queries.count)
      macro += mean
      micro += sum
      taskJSON.append(
        .object(
          JSONObject([
            ("task_name", .string(t.name)), ("query_response", .array(queries)), ("task_score", .double(sum)), ("mean_task_score", .double(mean)),
            ("eval_type", .string("rule")),
          ])))
      summaryRows.append(SummaryRow(group: "task", name: t.name, correct: sum, total: t.queries.count, value: mean * 100))
    }
    let macroMean = nTasks > 0 ? macro / Double(nTasks) : 0
    let microMean = nQueries > 0 ? micro / Double(nQueries) : 0
    let head = [
      SummaryRow(group: "overall", name: "macro_mean", total: nQueries, value: macroMean * 100),
      SummaryRow(group: "overall", name: "micro_mean", correct: micro, total: nQueries, value: microMean * 100),
      SummaryRow(group: "overall", name: "not scored (tasks)", total: notScored.reduce(0) { $0 + $1.1 }, value: Double(notScored.count)),
    ]
    var summary = Summary(dataset: ctx.dataset, rules: "MEGA-Bench", mode: ctx.mode, metric: "mean score x 100", rows: head + summaryRows)
    if !notScored.isEmpty {
      summary.notes.append(
        "\(notScored.count) tasks (\(notScored.reduce(0) { $0 + $1.1 }) queries) are not scored and left out of both means (not counted as 0):")
      for (name, n, why) in notScored { summary.notes.append("  not scored: \(name) (\(n) queries): \(why)") }
    }
    summary.notes.append(
      "the results file VLMEvalKit names '_acc_{self.subset_name}' (a literal, not an f-string) is written under that name; its per-task data (megabench_score_\(Self.subset(ctx.dataset)).json upstream) goes to '_megabench_score'"
    )
    let summaryJSON = JSONValue.object(
      JSONObject([
        ("macro_mean", .double(macroMean)), ("micro_mean", .double(microMean)), ("num_tasks", .int(nTasks)), ("num_queries", .int(nQueries)),
      ])
    )
    var outcome = Outcome(scores: scores, summary: summary)
    outcome.extraRatings = [
      ("_acc_{self.subset_name}", .object(JSONObject([("summary", summaryJSON)]))),
      (
        "_megabench_score",
        .object(
          JSONObject([
            ("data", .array(taskJSON)),
            (
              "summary",
              .object(
                JSONObject([
                  ("macro_mean_score", .double(macroMean)), ("micro_mean_score", .double(microMean)), ("num_tasks", .int(nTasks)),
                  ("num_queries", .int(nQueries)),
                  (
                    "not_scored",
                    .array(
                      notScored.map { .object(JSONObject([("task_name", .string($0.0)), ("num_queries", .int($0.1)), ("reason", .string($0.2))])) })
                  ),
                ]))
            ),
          ]))
      ),
    ]
    return outcome
  }
}
