import VCore
import VPrompt
import VScore

// VideoMMMU (VLMEvalKit `vlmeval/dataset/videommmu.py`; families map 4.5).

extension Benchmark {
  public static let videoMMMU: Benchmark = {
    // `video` is the path under the dataset root (`videos/.../{id}.mp4`, as prepare_dataset
    // finds it); frames are cached under the row's `id`, its file name without `.mp4` (the TSV's
    // `id` column itself never reaches a record: `id` is the record's own key), and the lock is
    // `{video without extension}f.lock` beside the video.
    let video = VideoRule(field: "video", keyIsStem: true, lock: .besideVideo(suffix: "f.lock"))
    let variants: [(String, SamplingSpec)] = [("8frame", .frames(8)), ("64frame", .frames(64)), ("1fps", .perSecond(1)), ("0.5fps", .perSecond(0.5))]
    return Benchmark(
      name: "VideoMMMU", datasets: ["VideoMMMU"],
      configs: variants.map { BenchmarkConfig("VideoMMMU_\($0.0)", dataset: "VideoMMMU", spec: $0.1, video: video) },
      prompt: VideoMMMUPrompt(), scoring: VideoMMMURule())
  }()
}

/// The `options` cell: `json.loads` of a JSON list of strings (a JSON array in JSONL input).
enum VideoMMMUOptions {
  static func parse(_ value: JSONValue) -> [String]? {
    var v = value
    if let s = value.stringValue {
      guard let parsed = try? JSONParser.parse(Array(s.utf8)) else { return nil }
      v = parsed
    }
    guard let items = v.arrayValue else { return nil }
    let texts = items.compactMap(\.stringValue)
    return texts.count == items.count ? texts : nil
  }

  /// `parse_options`: the options as they are when each already starts with its own letter and
  /// a point (`A.`), else each prefixed `A. `, `B. `, ...
  static func lines(_ options: [String]) -> String {
    let letters = options.indices.map(MMMUMatching.letter)
    if zip(options, letters).allSatisfy({ PyStr($0.0).hasPrefix($0.1 + ".") }) { return options.joined(separator: "\n") }
    return zip(letters, options).map { "\($0.0). \($0.1)" }.joined(separator: "\n")
  }
}

/// `VideoMMMU.build_prompt` (`interleave=False`, as every config): the frames; for Adaptation
/// rows the question image and the watch-and-apply instruction with the question (and its
/// options for multiple choice); for the others the question, its options and the request to
/// ignore the quiz in the last frame; then the `Answer:` line.
struct VideoMMMUPrompt: PromptTemplate {
  static let pre = "You should watch and learn the video content. Then apply what you learned to "
  static let mcq = "answer the following multi-choice question. The image for this question is at the end of the video.\n"
  static let open = "answer the following open-ended question. The image for this question is at the end of the video.\n"
  static let ignoreQuiz = "\nPlease ignore the Quiz question in last frame of the video."
  static let answerLine = "\nAdd `Answer: {Your final answer}` at the end of your reply."

  var name: String { "videommmu" }
  var constants: [String] { [Self.pre, Self.mcq, Self.open, Self.ignoreQuiz, Self.answerLine] }

  func options(_ t: TemplateInput) throws(PromptError) -> String {
    guard let v = t.record["options"] else { throw .missing("options") }
    guard let o = VideoMMMUOptions.parse(v) else {
      throw PromptError(code: .badField, message: "field 'options' must be a JSON list of strings")
    }
    return VideoMMMUOptions.lines(o)
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let visual = try t.visual()
    let question = try t.field("question")
    if try t.field("category") == "Adaptation" {
      let multipleChoice = t.optionalField("question_type") == "multiple-choice"
      let text = multipleChoice ? Self.pre + Self.mcq + question + "\n" + (try options(t)) : Self.pre + Self.open + question
      return visual + [.image(try t.datasetImage("image")), .text(text + Self.answerLine)]
    }
    return visual + [.text(question + "\n" + (try options(t)) + Self.ignoreQuiz + Self.answerLine)]
  }
}

struct VideoMMMURule: ScoringRule {
  var name: String { "videommmu" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .none("its answers are parsed by MMMU's rules, no judge") }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { VideoMMMUScorer(rows: rows).score(ctx) }
}

/// `VideoMMMU.evaluate`: the text after the last `Answer:`, MMMU's multiple-choice or open
/// parser (`parsed_pred`, into `_score.xlsx`), then `aggregate_results` over the rows whose
/// parse is not `API Error`: per category in order of appearance and Overall, as
/// total/hit/acc in `_score_score.csv` (sic).
///
/// Parity keeps two defects: an open answer is compared with the gold answer after its parsed
/// list went through `_score.xlsx` as text, one character at a time, so it is never right; and
/// `1,234` also reads as 234 (`1.5e3` as 1 and 3). `--strict` compares the list and drops those
/// pieces, counts empty and failed answers wrong instead of leaving empty ones out.
struct VideoMMMUScorer {
  let rows: Rows

  /// One row's verdict.
  struct Verdict {
    var parsed: String
    /// Left out of the score (`API Error`).
    var excluded: Bool
    var correct: Bool
    var open: Bool
    /// The open parse holds a NaN (`nan` in the answer): VLMEvalKit's evaluate() stops on it.
    var hasNaN = false
  }

  /// `pred.rpartition('Answer:')[-1].strip()`.
  static func afterLastAnswer(_ prediction: String) -> String {
    let p = PyStr(prediction)
    let marker = PyStr("Answer:")
    var last: Int?
    var from = 0
    while let i = p.find(marker, from: from) {
      last = i
      from = i + 1
    }
    guard let i = last else { return p.strip().string }
    return p[(i + marker.count)..<p.count].strip().string
  }

  func verdict(_ r: Int, strict: Bool) throws -> Verdict {
    let qtype = rows.cell(r, "question_type")
    let gold = rows.cell(r, "answer") ?? ""
    let prediction = rows.prediction(r)
    let text = prediction.map(Self.afterLastAnswer) ?? ""
    let multipleChoice = qtype == "multiple-choice"
    var parsed: String
    var items: [MMMUMatching.OpenItem]?
    if multipleChoice {
      guard let cell = rows.cell(r, "options"), let options = VideoMMMUOptions.parse(.string(cell)) else {
        throw SimpleToolError("row \(rows.id(r)): options must be a JSON list of strings", status: .dataError)
      }
      parsed = MMMUMatching.parseMultiChoice(text, options: options)
    } else {
      items = MMMUMatching.parseOpen(text, strict: strict)
      parsed = items.map(MMMUMatching.listRepr) ?? MMMUMatching.apiError
    }
    var correct: Bool
    if multipleChoice || qtype == "perception" {
      correct = gold == parsed
    } else if strict {
      correct = items.map { MMMUMatching.evalOpen(gold: gold, $0) } ?? false
    } else {
      correct = MMMUMatching.evalOpenOnText(gold: gold, parsed)
    }
    let failed = prediction.map { PyStr($0).contains(failMarker) } ?? true
    if strict && failed { correct = false }
    let hasNaN = items?.contains { if case .number(let x) = $0 { return x.isNaN } else { return false } } ?? false
    return Verdict(
      parsed: parsed, excluded: !strict && parsed == MMMUMatching.apiError, correct: correct, open: !multipleChoice, hasNaN: hasNaN)
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var cells: [String?] = []
    var order: [String] = []
    var board: [String: (hit: Int, total: Int)] = [:]
    var bad = 0, excluded = 0, missing = 0, openCounted = 0, failedRight = 0, nans = 0
    for r in 0..<rows.count {
      do {
        let v = try verdict(r, strict: ctx.strict)
        cells.append(v.parsed)
        if rows.prediction(r) == nil { missing += 1 }
        if v.hasNaN { nans += 1 }
        if v.excluded {
          excluded += 1
          continue
        }
        if v.open { openCounted += 1 }
        if v.correct, let p = rows.prediction(r), PyStr(p).contains(failMarker) { failedRight += 1 }
        let category = rows.cell(r, "category") ?? "nan"
        if board[category] == nil {
          order.append(category)
          board[category] = (0, 0)
        }
        board[category]!.total += 1
        if v.correct { board[category]!.hit += 1 }
      } catch {
        ctx.diag.warning(String(describing: error))
        bad += 1
        cells.append(nil)
      }
    }
    let hit = order.reduce(0) { $0 + board[$1]!.hit }
    let total = order.reduce(0) { $0 + board[$1]!.total }
    func acc(_ h: Int, _ n: Int) -> Double { n == 0 ? .nan : Double(h) / Double(n) * 100 }
    let groups = order.map { ($0, board[$0]!.hit, board[$0]!.total) } + [("Overall", hit, total)]
    let csv = QuotedCSV(
      suffix: "_score_score.csv", columns: groups.map(\.0),
      rows: [groups.map { Num.repr(Double($0.2)) }, groups.map { Num.repr(Double($0.1)) }, groups.map { Num.repr(acc($0.1, $0.2)) }])
    var summaryRows = [SummaryRow(group: "overall", name: "Overall", correct: Double(hit), total: total, value: acc(hit, total))]
    for (name, h, n) in groups.dropLast() {
      summaryRows.append(SummaryRow(group: "category", name: name, correct: Double(h), total: n, value: acc(h, n)))
    }
    var summary = Summary(dataset: ctx.dataset, rules: "VideoMMMU", mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    if !ctx.strict && openCounted > 0 {
      summary.notes.append(
        "\(openCounted) open-ended answers scored wrong whatever they say: VLMEvalKit reads the parsed answers back from _score.xlsx as text and compares them one character at a time; --strict compares the parsed list (and reads 1,234 as 1234 only, not also 234)"
      )
    }
    if excluded > 0 {
      summary.notes.append(
        "\(excluded) empty answers left out of the score, as in VLMEvalKit (API Error); --strict counts them wrong"
          + (missing > 0 ? "; \(missing) rows have no prediction at all, where VLMEvalKit's evaluate() stops (AttributeError)" : ""))
    }
    if failedRight > 0 {
      summary.notes.append("\(failedRight) failed answers (VLMEvalKit's failure text) matched the right option text; --strict counts them wrong")
    }
    if nans > 0 {
      summary.notes.append(
        "\(nans) open answers say nan (parsed as a NaN number): VLMEvalKit's evaluate() stops on them (its check of the parsed answers compares NaN with itself)"
      )
    }
    if total == 0 { summary.notes.append("no answers to score: VLMEvalKit's aggregate_results divides by zero here") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    var o = Outcome(scores: cells, summary: summary, badRows: bad)
    o.scoreColumn = "parsed_pred"
    o.numericScores = false
    o.csvFiles = [csv]
    return o
  }
}
