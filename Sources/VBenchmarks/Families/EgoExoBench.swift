import VCore
import VPrompt
import VScore

// EgoExoBench (VLMEvalKit `vlmeval/dataset/EgoExoBench/egoexobench.py`, class `EgoExoBench_MCQ`,
// and `EgoExoBench/utils.py`; configs in `video_dataset_config.py`; families reference 4.15).

extension Benchmark {
  public static let egoExoBench: Benchmark = {
    // Each row's `medias` lists the media of its `<video>`/`<image>` placeholders; the videos
    // are under `LMUData/videos/EgoExoBench` (`--video-root`), each sampled with its own
    // `nframes` (the config's 64 samples nothing) into `processed_frames/question{index}_video{k}/`.
    let video = VideoRule(field: "medias", mediaDicts: MediaDictRule(field: "medias", frameFolder: "processed_frames"))
    let spec = SamplingSpec.frames(64, sampler: .mvbench)
    return Benchmark(
      name: "EgoExoBench", datasets: ["EgoExoBench_MCQ"],
      configs: [
        BenchmarkConfig("EgoExoBench_64frame", dataset: "EgoExoBench_MCQ", spec: spec, video: video),
        // `skip_EgoExo4D=True`: `build_prompt` returns None for a row whose `medias` text holds
        // `EgoExo4D`, which stops VLMEvalKit's inference; vtools leaves those rows out.
        BenchmarkConfig(
          "EgoExoBench_64frame_skip_EgoExo4D", dataset: "EgoExoBench_MCQ", spec: spec, video: video,
          rows: .excluding(column: "medias", containing: "EgoExo4D")),
      ],
      prompt: EgoExoBenchPrompt(), scoring: EgoExoBenchRule(), nframeSampler: .mvbench)
  }()
}

/// `EgoExoBench_MCQ.build_prompt` (frame path): `question + '\nOptions:\n' + options + '\n' +
/// response_format`, split at its `<image>` and `<video>` placeholders (`re.split`); the k-th
/// placeholder becomes media k's images (vframes' k-th `frame_groups` entry: a video's sampled
/// frames, or a frame list's or image's files), each text between them stripped, blank ones
/// dropped. The placeholder count must equal the media count (VLMEvalKit asserts). A video LLM
/// gets the same frames: VLMEvalKit's video path writes re-encoded clips with moviepy, which
/// vtools does not reproduce.
struct EgoExoBenchPrompt: PromptTemplate {
  var name: String { "egoexobench" }
  var constants: [String] { ["\nOptions:\n", "\n", "<video>", "<image>"] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let text = (try t.field("question")) + "\nOptions:\n" + (try t.field("options")) + "\n" + (try t.field("response_format"))
    var frameInput = t
    frameInput.videoLLM = false
    guard t.record["frame_groups"] != nil else {
      throw PromptError(code: .missingField, message: "the record has no 'frame_groups' (pipe vframes --preset EgoExoBench_... output into vprompt)")
    }
    let media = try frameInput.visualGroups()
    let pieces = MMSIVideoPrompt.split(text)
    let placeholders = pieces.filter { $0 == .video || $0 == .image }.count
    guard placeholders == media.count else {
      throw PromptError(code: .badField, message: "Placeholder count \(placeholders) does not match media list length \(media.count).")
    }
    var items: [MessageItem] = []
    var k = 0
    for p in pieces {
      switch p {
      case .video, .image:
        items += media[k]
        k += 1
      case .text(let s):
        let stripped = PyText.strip(s)
        if !stripped.isEmpty { items.append(.text(stripped)) }
      }
    }
    return items
  }
}

struct EgoExoBenchRule: ScoringRule {
  var name: String { "egoexobench" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("an unreadable answer goes to can_infer on the question's option lines; VLMEvalKit's judge (exact matching by default) is not offered")
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { EgoExoBenchScorer(rows: rows).score(ctx) }
}

/// `EgoExoBench_MCQ.evaluate` with exact matching: Video-MME's `extract_characters_regex` (A-D,
/// its prefix list with the missing commas, Q4), else `extract_option` (`can_infer` on the option
/// lines of the `question` cell and the table's letter columns, `Z` when nothing is found; the
/// same rule as Video-TT's); `score = int(letter == answer)`, the table with it as `_score.csv`
/// (every cell quoted, the score `1.0`/`0.0`), then `get_dimension_rating` over `subtask_type`:
/// `[correct, total, 'xx.xx%']` per type in order of first appearance, and `overall`, in
/// `_rating.json`.
struct EgoExoBenchScorer {
  let rows: Rows

  func score(_ ctx: ScoreContext) -> Outcome {
    let choices = VideoTTScorer(rows: rows)
    var scores: [Int] = []
    var failedAsCorrect = 0
    var misplaced = 0
    for r in 0..<rows.count {
      let failed = rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? false
      let s: Int
      if ctx.strict && failed {
        s = 0
      } else {
        s = choices.answerLetter(r, strict: ctx.strict) == rows.cell(r, "answer") ? 1 : 0
      }
      if s == 1 && failed { failedAsCorrect += 1 }
      if rows.id(r) != String(r) { misplaced += 1 }
      scores.append(s)
    }
    var order: [String] = []
    var board: [String: (correct: Int, total: Int)] = [:]
    for (r, s) in scores.enumerated() {
      // pandas reads an empty cell as NaN, which json.dump writes as `NaN`.
      let c = rows.cell(r, "subtask_type") ?? "NaN"
      if board[c] == nil {
        order.append(c)
        board[c] = (0, 0)
      }
      board[c]!.total += 1
      board[c]!.correct += s
    }
    let correct = scores.reduce(0, +)
    func entry(_ c: Int, _ n: Int) -> JSONValue {
      .array([.int(c), .int(n), .string(String(format: "%.2f", Double(c) / Double(n) * 100) + "%")])
    }
    var rating = JSONObject()
    var summaryRows: [SummaryRow] = []
    func pct(_ c: Int, _ n: Int) -> Double? { n == 0 ? nil : Double(c) / Double(n) * 100 }
    for c in order {
      let b = board[c]!
      rating[c] = entry(b.correct, b.total)
      summaryRows.append(SummaryRow(group: "subtask_type", name: c, correct: Double(b.correct), total: b.total, value: pct(b.correct, b.total)))
    }
    summaryRows.insert(
      SummaryRow(group: "overall", name: "overall", correct: Double(correct), total: rows.count, value: pct(correct, rows.count)), at: 0)
    // VLMEvalKit divides by zero on an empty table and writes no rating.
    if rows.count > 0 { rating["overall"] = entry(correct, rows.count) }
    var summary = Summary(dataset: ctx.dataset, rules: "EgoExoBench", mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    if misplaced > 0 {
      summary.notes.append(
        "\(misplaced) rows have an index other than their position: VLMEvalKit's data.loc[index, 'score'] writes their scores at other rows (or appends rows), as in a _skip_EgoExo4D table; vtools scores each row itself"
      )
    }
    if failedAsCorrect > 0 {
      summary.notes.append(
        "\(failedAsCorrect) failed answers scored as correct: the 'A' of 'API' in VLMEvalKit's failure text is read as option A (Q4); --strict counts them wrong"
      )
    }
    var outcome = Outcome(scores: scores.map { String($0) }, rating: rows.count > 0 ? .object(rating) : nil, summary: summary)
    // `dump(data, score_file)` to `.csv`: the column is float (`data.loc[idx, 'score'] = int`
    // creates it with NaN), so its cells are `1.0` and `0.0`.
    let table = rows.table
    var columns = table.columns
    var scoreAt = columns.firstIndex(of: "score")
    if scoreAt == nil {
      columns.append("score")
      scoreAt = columns.count - 1
    }
    let csvRows = table.rows.enumerated().map { r, cells -> [String] in
      var out = cells.map { $0 ?? "" } + (cells.count < columns.count ? [""] : [])
      out[scoreAt!] = scores[r] == 1 ? "1.0" : "0.0"
      return out
    }
    outcome.csvFiles.append(QuotedCSV(suffix: "_score.csv", columns: columns, rows: csvRows))
    return outcome
  }
}
