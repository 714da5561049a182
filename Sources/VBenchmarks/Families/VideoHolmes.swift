import VCore
import VData
import VPrompt
import VScore

// Video-Holmes (VLMEvalKit `vlmeval/dataset/video_holmes.py`, `utils/videoholmes.py`;
// families reference 4.13).

extension Benchmark {
  public static let videoHolmes: Benchmark = {
    // `save_video_frames`: `{root}/video/{video}.mp4`, cache `images/Video_Holmes/{video}/`.
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "video")
    return Benchmark(
      name: "Video-Holmes", datasets: ["Video_Holmes"],
      configs: [32, 64].map { BenchmarkConfig("Video_Holmes_\($0)frame", dataset: "Video_Holmes", spec: .frames($0), video: video) },
      prompt: VideoHolmesPrompt(), scoring: VideoHolmesRule(),
      sources: [DatasetSource(name: "Video_Holmes", repo: "TencentARC/Video-Holmes", preparation: VideoHolmesPreparation())])
  }()
}

/// `Video_Holmes.prepare_dataset`: the root's `videos.zip` flattened into `video/` (base names
/// only) when `video/` is not there (made whole or not at all here), then one TSV row per item
/// of `test_Video-Holmes.json`.
struct VideoHolmesPreparation: DatasetPreparation {
  static let annotations = "test_Video-Holmes.json"

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    // Only a file named exactly `videos.zip`; without one `video/` is made empty, as upstream.
    let zips = Tree.exists(Tree.join(root, "videos.zip")) ? [Tree.join(root, "videos.zip")] : []
    if try ArchiveExtractor.extractOnce(zips, intoNew: Tree.join(root, "video"), layout: .flatten) {
      diag.verbose("extracted videos.zip into video/")
    }
    guard let items = try SourceFiles.json(root, Self.annotations).arrayValue else {
      throw .badSource(path: Tree.join(root, Self.annotations), reason: "not a JSON list")
    }
    var table = PandasTSV()
    for (i, element) in items.enumerated() {
      guard case .object(let item) = element else {
        throw .badSource(path: Tree.join(root, Self.annotations), reason: "item \(i) is not an object")
      }
      func value(_ k: String, _ missing: PyValue) -> PyValue { item[k].map(PyValue.init(json:)) ?? missing }
      let id = value("video ID", .none)
      // `f"{k}. {options.get(k, '')}".replace("'", "")` for A-F in that order, when present.
      var candidates: [PyValue] = []
      switch item["Options"] ?? .object(JSONObject()) {
      case .object(let options):
        for k in ["A", "B", "C", "D", "E", "F"] {
          guard let v = options[k] else { continue }
          let text = "\(k). \(PyValue(json: v).pythonStr)"
          candidates.append(.str(String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "'" }))))
        }
      default:
        throw .badSource(path: Tree.join(root, Self.annotations), reason: "item \(i): 'Options' is not an object")
      }
      table.append([
        ("index", .int(i)), ("video", id), ("video_path", .str("./video/\(id.pythonStr).mp4")), ("candidates", .list(candidates)),
        ("question", value("Question", .str(""))), ("answer", value("Answer", .str(""))),
        ("question_id", value("Question ID", .str(""))), ("question_type", value("Question Type", .str(""))),
        ("explanation", value("Explanation", .str(""))),
      ])
    }
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
}

/// `Video_Holmes.build_prompt`: an empty text (`SYS`), the frames, then one text asking for
/// `<think>` and `<answer>` with the question and the `candidates` cell as it stands (a list
/// literal) formatted in.
struct VideoHolmesPrompt: PromptTemplate {
  /// `QUESTION_TMPL` split at its two `{}`; the indentation and the line continuations are
  /// VLMEvalKit's.
  static let head =
    "\n    Based on the given video, reason and answer the single-choice question. Provide your reasoning between the <think> and </think> tags, and then give your final answer between the <answer> and </answer> tags.     The question is: "
  static let middle = ". The options are: "
  static let tail = ".     Your answer:\n    "

  var name: String { "video-holmes" }
  var constants: [String] { [Self.head, Self.middle, Self.tail] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    [.text("")] + (try t.visual()) + [.text(Self.head + (try t.field("question")) + Self.middle + (try Self.candidatesText(t)) + Self.tail)]
  }

  /// `str(line['candidates'])`: the TSV cell as it is; a JSON array is written as Python's list
  /// repr.
  static func candidatesText(_ t: TemplateInput) throws(PromptError) -> String {
    guard let v = t.record["candidates"] else { throw .missing("candidates") }
    if case .array = v { return PythonRepr.stringList(try t.candidates()) }
    return try t.field("candidates")
  }
}

/// Python's `repr` of a list of strings (`['a', "it's"]`), with VScore's string repr.
enum PythonRepr {
  static func stringList(_ items: [String]) -> String { "[" + items.map(MMMUMatching.pythonRepr).joined(separator: ", ") + "]" }
}

struct VideoHolmesRule: ScoringRule {
  var name: String { "video-holmes" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("Video_Holmes.evaluate builds a judge but never asks it; the <answer> rule decides every score")
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { VideoHolmesScorer(rows: rows).score(ctx) }
}

/// `evaluate`: `score = int(extract_option(str(prediction)) == answer)`, then
/// `get_dimension_rating` over `question_type` (sorted, rows without a type left out of the groups
/// but counted in `total`).
struct VideoHolmesScorer {
  let rows: Rows

  /// `extract_option`: the last `<answer>...</answer>` (stripped); the first of A-F written `X `,
  /// `X:` or `[X`; else the first of A-F anywhere in it; else `WRONG` (also with no `<answer>`).
  static func extractOption(_ pred: String) -> String {
    let s = PyStr(pred)
    let open = PyStr("<answer>"), close = PyStr("</answer>")
    var last: PyStr?
    var from = 0
    while let a = s.find(open, from: from) {
      guard let b = s.find(close, from: a + open.count) else { break }
      last = s[(a + open.count)..<b]
      from = b + close.count
    }
    guard let choice = last?.strip() else { return "WRONG" }
    let letters = ["A", "B", "C", "D", "E", "F"]
    if let l = letters.first(where: { choice.contains($0 + " ") || choice.contains($0 + ":") || choice.contains("[" + $0) }) { return l }
    return letters.first { choice.contains($0) } ?? "WRONG"
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [String?] = []
    var misplaced = 0
    for r in 0..<rows.count {
      // str(NaN) is 'nan', which holds no <answer>: a missing prediction scores 0, as does a failed one.
      let letter = Self.extractOption(rows.prediction(r) ?? "nan")
      scores.append(letter == (rows.cell(r, "answer") ?? "") ? "1" : "0")
      if rows.id(r) != String(r) { misplaced += 1 }
    }
    var groups: [String: (Int, Int)] = [:]
    for (r, s) in scores.enumerated() {
      guard let type = rows.cell(r, "question_type") else { continue }
      let g = groups[type] ?? (0, 0)
      groups[type] = (g.0 + (s == "1" ? 1 : 0), g.1 + 1)
    }
    let order = groups.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
    func entry(_ c: Int, _ n: Int) -> JSONValue {
      .object(JSONObject([("correct", .int(c)), ("total", .int(n)), ("acc", .double(n > 0 ? Double(c) / Double(n) : 0))]))
    }
    var byType = JSONObject()
    var summaryRows: [SummaryRow] = []
    for k in order {
      let (c, n) = groups[k]!
      byType[k] = entry(c, n)
      summaryRows.append(SummaryRow(group: "question_type", name: k, correct: Double(c), total: n, value: Double(c) / Double(n) * 100))
    }
    let correct = scores.filter { $0 == "1" }.count
    let total = scores.count
    let rating = JSONObject([("acc_by_type", .object(byType)), ("total", entry(correct, total))])
    let overall = SummaryRow(
      group: "overall", name: "overall", correct: Double(correct), total: total, value: total > 0 ? Double(correct) / Double(total) * 100 : nil)
    var summary = Summary(dataset: ctx.dataset, rules: "Video-Holmes", mode: ctx.mode, metric: "accuracy %", rows: [overall] + summaryRows)
    let unanswered = (0..<rows.count).filter { r in rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? true }.count
    if unanswered > 0 { summary.notes.append("\(unanswered) failed or missing answers count as wrong, as in VLMEvalKit") }
    if misplaced > 0 {
      summary.notes.append(
        "\(misplaced) rows have an index that is not their position: VLMEvalKit writes each score to the row at position `index` (data.loc), so its ratings for this table would be wrong; vscore scores each row itself"
      )
    }
    return Outcome(scores: scores, rating: .object(rating), summary: summary)
  }
}
