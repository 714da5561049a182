import VCore
import VData
import VPrompt
import VScore

// Video-TT (VLMEvalKit `vlmeval/dataset/videott.py`, `utils/videott.py`; families map 4.12).

extension Benchmark {
  public static let videoTT: Benchmark = {
    // `{root}/video/{video}.mp4`; VideoTT.save_video_frames locks `{root}/video/{video}.lock`.
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "video", lock: .besideVideo(suffix: ".lock"))
    return Benchmark(
      name: "Video-TT", datasets: ["Video-TT"],
      configs: [16, 32, 64].map { BenchmarkConfig("Video_TT_\($0)frame", dataset: "Video-TT", spec: .frames($0), video: video) },
      prompt: VideoTTPrompt(), scoring: VideoTTRule(),
      sources: [DatasetSource(name: "Video-TT", repo: "lmms-lab/video-tt", preparation: VideoTTPreparation())])
  }()
}

/// `VideoTT.prepare_dataset`: the root's `Benchmark-AllVideos-LQ*.zip` (sorted) flattened into
/// `video/` only when that is not there (made whole or not at all here), then the TSV from
/// `data/test-00000-of-00001.parquet` (read with pyarrow): `index`, `video` = `video_id`,
/// `video_path` = `./video/{video_id}.mp4`, then the Parquet's `duration question
/// question_prompt capability answer`.
struct VideoTTPreparation: DatasetPreparation {
  static let parquet = "data/test-00000-of-00001.parquet"

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let zips = Tree.list(root).filter { $0.hasPrefix("Benchmark-AllVideos-LQ") && $0.hasSuffix(".zip") }.map { Tree.join(root, $0) }.sorted()
    if try ArchiveExtractor.extractOnce(zips, intoNew: Tree.join(root, "video"), layout: .flatten) {
      diag.verbose("extracted \(zips.count) video archives into video/")
    }
    let path = Tree.join(root, Self.parquet)
    let rows = try PythonHelper.parquetRows(path)
    var table = PandasTSV()
    for (i, row) in rows.enumerated() {
      func value(_ k: String) throws(DataError) -> PyValue {
        guard let v = row[k] else { throw .badSource(path: path, reason: "no column '\(k)' (KeyError upstream)") }
        if case .array = v { throw .badSource(path: path, reason: "column '\(k)' holds lists (pandas prints numpy arrays; not reproduced)") }
        return PyValue(json: v)
      }
      let id: String
      switch row["video_id"] {
      case .string(let s)?: id = s
      case .number(let t)? where Int(t) != nil: id = t
      default: throw .badSource(path: path, reason: "row \(i) has no string or integer video_id")
      }
      table.append([
        ("index", .int(i)), ("video", try value("video_id")), ("video_path", .str("./video/\(id).mp4")), ("duration", try value("duration")),
        ("question", try value("question")), ("question_prompt", try value("question_prompt")), ("capability", try value("capability")),
        ("answer", try value("answer")),
      ])
    }
    if rows.isEmpty { table.select(["index", "video", "video_path", "duration", "question", "question_prompt", "capability", "answer"]) }
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
}

/// `VideoTT.build_prompt`: an empty text, the frames, Video-MME's instruction (its
/// `FRAMES_EVAL_PROMPT` is the same text), then the question with its `question_prompt`.
struct VideoTTPrompt: PromptTemplate {
  var name: String { "videott" }
  var constants: [String] { [VideoMMEPrompt.noSubtitles, "Question: ", "\nAnswer: "] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let text = "Question: " + (try t.field("question")) + "\n" + (try t.field("question_prompt")) + "\nAnswer: "
    return [.text("")] + (try t.visual()) + [.text(VideoMMEPrompt.noSubtitles), .text(text)]
  }

  /// `DOMAINS` of `utils/videott.py`, in its order.
  static let capabilities = [
    "Character Motivation Causality", "Element Counting", "Event Counting", "Event Localization", "Element Localization",
    "Positional Relationship", "Objective Causality (Videography Phenomenon & Illusion)", "Plot Attribute", "Plot Attribute (Montage)",
    "Element Attributes (Optical Illusion)", "Element Attributes", "Event Duration & Speed Attribute", "Objective Causality",
    "Character Reaction Causality", "Professional Knowledge", "Displacement Attribute", "Character Emotion Attribute",
    "Local Event Attribute",
  ]
}

struct VideoTTRule: ScoringRule {
  var name: String { "video-tt" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("an unreadable answer goes to can_infer on the question's option lines; VLMEvalKit's judge (exact matching by default) is not offered")
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { VideoTTScorer(rows: rows).score(ctx) }
}

/// `VideoTT.evaluate` with exact matching: Video-MME's first-letter extraction (its prefix list
/// with the missing commas, Q4), else `extract_option` (`can_infer` on the option lines of the
/// `question` cell, `Z` when it has none); then `get_dimension_rating`: number, correct and
/// score % per capability over its 18 domains, and overall.
struct VideoTTScorer {
  let rows: Rows

  /// `extract_option`'s choices: the table's letter columns, then each `X.` line of the question
  /// after its first line (the text after `X.`, stripped of `.`, space and newline).
  func choices(_ r: Int) -> [(String, String)] {
    var byLetter = Dictionary(rows.optionColumns(r), uniquingKeysWith: { a, _ in a })
    let lines = PyStr(rows.cell(r, "question") ?? "").split("\n").dropFirst()
    for (i, line) in lines.enumerated() where i < 26 {
      let id = PyStr(OptionLetter.at(i) + ".")
      if let at = line.find(id) { byLetter[OptionLetter.at(i)] = Self.strip(line[(at + id.count)..<line.count]).string }
    }
    return OptionLetter.all.compactMap { l in byLetter[l].map { (l, $0) } }
  }

  /// `s.strip('. \n')`.
  static func strip(_ s: PyStr) -> PyStr {
    let set: Set<Unicode.Scalar> = [".", " ", "\n"]
    var lo = 0, hi = s.count
    while lo < hi && set.contains(s.u[lo]) { lo += 1 }
    while hi > lo && set.contains(s.u[hi - 1]) { hi -= 1 }
    return s[lo..<hi]
  }

  /// The option letter read from row `r`'s prediction (`Z`: none).
  func answerLetter(_ r: Int, strict: Bool) -> String {
    // pred = str(prediction): NaN is 'nan'.
    let pred = rows.prediction(r) ?? "nan"
    let l = Matching.extractCharacters(pred, letters: "ABCD", strict: strict)
    if !l.isEmpty { return l }
    if case .letter(let x) = Matching.canInfer(pred, choices: choices(r), strict: strict) { return x }
    return "Z"
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [Double?] = []
    var failedAsCorrect = 0
    for r in 0..<rows.count {
      let gold = rows.cell(r, "answer")
      let failed = rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? false
      if ctx.strict && failed {
        scores.append(0)
        continue
      }
      let s: Double = answerLetter(r, strict: ctx.strict) == gold ? 1 : 0
      if s == 1 && failed { failedAsCorrect += 1 }
      scores.append(s)
    }
    var order = VideoTTPrompt.capabilities
    var board = Dictionary(uniqueKeysWithValues: order.map { ($0, (correct: 0, number: 0)) })
    var unknown: [String] = []
    for (r, s) in scores.enumerated() {
      let c = rows.cell(r, "capability") ?? "nan"
      if board[c] == nil {
        order.append(c)
        unknown.append(c)
        board[c] = (0, 0)
      }
      board[c]!.number += 1
      if let s, s > 0 { board[c]!.correct += 1 }
    }
    let correct = scores.filter { ($0 ?? 0) > 0 }.count
    func pct(_ c: Int, _ n: Int) -> Double? { n == 0 ? nil : Double(c) / Double(n) * 100 }
    func entry(_ c: Int, _ n: Int) -> JSONValue {
      .object(JSONObject([("number", .int(n)), ("correct", .int(c)), ("score", pct(c, n).map { .number(Num.repr($0)) } ?? .null)]))
    }
    var rating = JSONObject()
    var summaryRows = [SummaryRow(group: "overall", name: "overall", correct: Double(correct), total: rows.count, value: pct(correct, rows.count))]
    for c in order {
      let b = board[c]!
      rating[c] = entry(b.correct, b.number)
      if b.number > 0 {
        summaryRows.append(SummaryRow(group: "capability", name: c, correct: Double(b.correct), total: b.number, value: pct(b.correct, b.number)))
      }
    }
    rating["overall"] = entry(correct, rows.count)
    var summary = Summary(dataset: ctx.dataset, rules: "Video-TT", mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    let empty = VideoTTPrompt.capabilities.filter { board[$0]!.number == 0 }.count
    if empty > 0 || rows.count == 0 {
      summary.notes.append(
        "\(empty) of the 18 capabilities have no questions: their score is null (VLMEvalKit's get_dimension_rating divides by zero and stops)")
    }
    if !unknown.isEmpty {
      summary.notes.append(
        "capabilities outside VLMEvalKit's 18 (where it stops with a KeyError) are rated after them: \(unknown.joined(separator: ", "))")
    }
    if failedAsCorrect > 0 {
      summary.notes.append(
        "\(failedAsCorrect) failed answers scored as correct: the 'A' of 'API' in VLMEvalKit's failure text is read as option A (Q4); --strict counts them wrong"
      )
    }
    return Outcome(scores: scores.map(Num.cell), rating: .object(rating), summary: summary)
  }
}
