import VCore
import VData
import VPrompt
import VScore

// Q-Bench-Video (VLMEvalKit `vlmeval/dataset/qbench_video.py`, rules and judge prompt in
// `vlmeval/dataset/utils/qbench_video.py`): the concatenation of QBench_Video_MCQ and
// QBench_Video_VQA, as MLVU's.

extension Benchmark {
  public static let qbenchVideo: Benchmark = {
    // The file is `normpath({root}/{video_path})`; frames cache under `{sub-dataset folder}/{video}`.
    let video = VideoRule(
      field: "video_path", datasetField: "SUB_DATASET", keyField: "video",
      datasetFolders: [QBenchVideoPrompt.mcq: "qbenchvideo_single_MCQ", QBenchVideoPrompt.vqa: "qbenchvideo_single_VQA"])
    return Benchmark(
      name: "Q-Bench-Video", datasets: ["QBench_Video", QBenchVideoPrompt.mcq, QBenchVideoPrompt.vqa],
      configs: [("8frame", 8), ("16frame", 16)].map {
        BenchmarkConfig("QBench_Video_\($0.0)", dataset: "QBench_Video", spec: .frames($0.1), video: video)
      },
      prompt: QBenchVideoPrompt(), scoring: QBenchVideoRule(),
      sources: [
        DatasetSource(
          name: "QBench_Video", repo: QBenchVideoPreparation.repo, tsvName: QBenchVideoPreparation.tsvs[0],
          preparation: QBenchVideoPreparation(tsvs: QBenchVideoPreparation.tsvs)),
        DatasetSource(
          name: QBenchVideoPrompt.mcq, repo: QBenchVideoPreparation.repo, tsvName: QBenchVideoPreparation.tsvs[0],
          preparation: QBenchVideoPreparation(tsvs: [QBenchVideoPreparation.tsvs[0]])),
        DatasetSource(
          name: QBenchVideoPrompt.vqa, repo: QBenchVideoPreparation.repo, tsvName: QBenchVideoPreparation.tsvs[1],
          preparation: QBenchVideoPreparation(tsvs: [QBenchVideoPreparation.tsvs[1]])),
      ])
  }()
}

/// `QBench_Video_MCQ.prepare_dataset` and `QBench_Video_VQA.prepare_dataset` (one repo): the
/// repo's `video.zip` extracted into the root (its own tree) when `video/` is not there; the
/// TSVs, `qbenchvideo_single_MCQ.tsv` and `qbenchvideo_single_VQA.tsv`, are the repo's.
/// `QBench_Video` (their concatenation, made in memory by VLMEvalKit) needs both.
struct QBenchVideoPreparation: DatasetPreparation {
  static let repo = "zhangzicheng/Q-Bench-Video"
  static let tsvs = ["qbenchvideo_single_MCQ", "qbenchvideo_single_VQA"]
  let tsvs: [String]

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    // `normpath({root}/{video_path})`: the path made lexical before it is looked up.
    let integrity = TSVIntegrity { $0["video_path"].map(QBenchVideoPreparation.normalised) }
    return tsvs.allSatisfy { integrity.holds(tsv: Tree.join(root, $0 + ".tsv"), root: root) }
  }

  /// `os.path.normpath` of a relative path: `.` and empty components dropped, `..` cancelling
  /// the component before it.
  static func normalised(_ p: String) -> String {
    var parts: [String] = []
    for c in p.split(separator: "/", omittingEmptySubsequences: true) where c != "." {
      if c == ".." && !parts.isEmpty && parts.last != ".." { parts.removeLast() } else { parts.append(String(c)) }
    }
    return (p.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    ArchiveExtractor.removeStaleStaging(in: root)
    if !Tree.exists(Tree.join(root, "video")) {
      let zip = Tree.join(root, "video.zip")
      guard Tree.exists(zip) else { throw .missing(path: zip, hint: "Q-Bench-Video's videos ship in it") }
      diag.verbose("extracting video.zip")
      try ArchiveExtractor.extract(zip, into: root)
    }
    for t in tsvs where !Tree.exists(Tree.join(root, t + ".tsv")) {
      throw .missing(path: Tree.join(root, t + ".tsv"), hint: "the repo ships it")
    }
  }
}

/// `QBench_Video_MCQ.build_prompt` and `QBench_Video_VQA.build_prompt`, by the row's
/// `SUB_DATASET`: the instruction (naming the frame count; `several` in the video-LLM form), the
/// question, then the frames or the video, then for MCQ rows the answer-format text.
struct QBenchVideoPrompt: PromptTemplate {
  static let mcq = "QBench_Video_MCQ"
  static let vqa = "QBench_Video_VQA"

  static func head(_ count: String, mcq: Bool) -> String {
    "\nYou will receive \(count) distinct frames that have been uniformly sampled from a video sequence, arranged in the same temporal order as they appear in the video.\nPlease analyze these frames and "
      + (mcq
        ? "answer the question based on your observations.\n"
        : "provide a detailed and accurate answer from the perspective of visual quality based on your observations.\n")
  }
  static let post =
    "\nPlease answer the question in the following format: the uppercase letter of the correct answer option itself.\nPlease do not add any other answers beyond this.\n"

  var name: String { "qbench_video" }
  var constants: [String] { [Self.head("{}", mcq: true), Self.head("{}", mcq: false), Self.head("several", mcq: true), Self.post] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    guard let sub = t.optionalField("SUB_DATASET") else {
      throw PromptError(code: .missingField, message: "the record has no 'SUB_DATASET' (\(Self.mcq) or \(Self.vqa))")
    }
    guard sub == Self.mcq || sub == Self.vqa else {
      throw PromptError(code: .badField, message: "unknown SUB_DATASET '\(sub)' for Q-Bench-Video (\(Self.mcq) or \(Self.vqa))")
    }
    let isMCQ = sub == Self.mcq
    let question = try t.field("question")
    var visual: [MessageItem]
    if t.videoLLM {
      // `normpath(join(root, video_path))`: vframes' resolved path, else the row's under the data root.
      let resolved = t.record["video_info"]?.objectValue?["path"]?.stringValue
      guard let path = resolved ?? t.optionalField("video_path").map({ $0.hasPrefix("/") ? $0 : t.datasetRoot + "/" + $0 }) else {
        throw PromptError(code: .missingField, message: "--video-llm needs the video path (video_info.path from vframes, or a video_path field)")
      }
      visual = [.video(Self.normpath(path))]
    } else {
      visual = try t.visual()
    }
    let head = Self.head(t.videoLLM ? "several" : String(visual.count), mcq: isMCQ)
    return [.text(head), .text(question)] + visual + (isMCQ ? [.text(Self.post)] : [])
  }

  /// Python's `os.path.normpath` for a POSIX path: `.` and empty parts dropped, `..` taking
  /// back the part before it (kept at the start of a relative path, dropped after the root).
  static func normpath(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for p in path.split(separator: "/", omittingEmptySubsequences: true) where p != "." {
      if p == ".." {
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !absolute {
          parts.append(p)
        }
      } else {
        parts.append(p)
      }
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }
}

struct QBenchVideoRule: ScoringRule {
  var name: String { "qbench-video" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(QBenchVideoScorer(rows: rows).judgePrompts()) }
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { try QBenchVideoScorer(rows: rows).score(ctx) }
}

/// Q-Bench-Video's `evaluate()`: the table split by `SUB_DATASET`; MCQ rows by `check_ans_mcq`
/// (1, 0, or -1 for a failed answer); VQA rows by the judge's `Score:` 0-2; per question type
/// (the first comma-separated part of the first `dimensions` item) the sum of the scores and the
/// count; `acc` = round(sum / count * 100, 1), `open_ended` then halved.
struct QBenchVideoScorer {
  let rows: Rows

  static let judgeSystem =
    "\nYou are a helpful assistant that grades answers related to visual video quality.\nThere are a lot of special terms or keywords related to video processing and photography.\nYou will pay attention to the context of `quality evaluation' when grading.\n"

  /// `VQA_JUDGE_USER_PROMPT.format(question, prediction, answer)`, verbatim (its stray quote too).
  static func judgeUser(question: String, prediction: String, answer: String) -> String {
    "\nGiven the question \(question), evaluate whether the response \(prediction) completely matches the correct answer \(answer).\nFirst, check the response and please rate score 0 if the response is not a valid answer.\nPlease rate score 2 if the response completely or almost completely matches the correct answer on completeness, accuracy, and relevance.\nPlease rate score 1 if the response partly matches the correct answer on completeness, accuracy, and relevance.\nPlease rate score 0 if the response doesn't match the correct answer on completeness, accuracy, and relevance at all.\nPlease only provide the result in the following format: Score:'\n"
  }

  /// `check_ans_mcq` with `answer.split('.')[0].strip()` and `[1].strip()`: the letter alone,
  /// `X.` anywhere, the option text alone, or a line that is the letter. nil when the answer has
  /// no `.` (VLMEvalKit raises IndexError).
  static func mcqRight(_ prediction: String, answer: String) -> Bool? {
    let parts = PyStr(answer).split(".")
    guard parts.count >= 2 else { return nil }
    let choice = parts[0].strip(), text = parts[1].strip()
    let p = PyStr(prediction)
    return choice == p || p.contains(PyStr(choice.string + ".")) || text == p || p.split("\n").contains(choice)
  }

  /// `int(reply.strip().replace('Score:', '').strip())`; nil where Python's `int` raises.
  static func parityRating(_ reply: String) -> Int? {
    let t = PyText.strip(PyStr(PyText.strip(reply)).replacing("Score:", with: "").string)
    var u = Substring(t)
    var sign = ""
    if let f = u.first, f == "+" || f == "-" {
      sign = f == "-" ? "-" : ""
      u = u.dropFirst()
    }
    // Python's int(): ASCII digits, single underscores between them.
    guard let first = u.first, first.isASCII, first.isNumber, let last = u.last, last.isASCII, last.isNumber, !u.contains("__"),
      u.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }), u.count <= 18
    else { return nil }
    return Int(sign + u.filter { $0 != "_" })
  }

  /// `--strict`: the parity reading when it is 0, 1 or 2; else the first digit 0-2 standing
  /// alone after `score` (any case, then spaces, `:`, quotes); nil when there is none.
  static func strictRating(_ reply: String) -> Int? {
    if let v = parityRating(reply), (0...2).contains(v) { return v }
    let u = Array(reply.lowercased().unicodeScalars)
    let key = Array("score".unicodeScalars)
    var i = 0
    while i + key.count <= u.count {
      if Array(u[i..<(i + key.count)]) == key {
        var j = i + key.count
        while j < u.count, [" ", ":", "'", "\"", "*"].contains(u[j]) { j += 1 }
        if j < u.count, ("0"..."2").contains(u[j]), j + 1 == u.count || !("0"..."9").contains(u[j + 1]) {
          return Int(u[j].value - 0x30)
        }
      }
      i += 1
    }
    return nil
  }

  /// `eval(dimensions)[0].split(',')[0]`; nil when the cell is no list of strings or is empty.
  static func questionType(_ dimensions: String?) -> String? {
    guard let d = dimensions, let list = try? PythonLiteral.stringList(d), let first = list.first else { return nil }
    return PyStr(first).split(",").first?.string ?? first
  }

  func isMCQ(_ r: Int) -> Bool { rows.cell(r, "SUB_DATASET") == QBenchVideoPrompt.mcq }
  func isVQA(_ r: Int) -> Bool { rows.cell(r, "SUB_DATASET") == QBenchVideoPrompt.vqa }

  func judgePrompts() -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      guard isVQA(r) else { return nil }
      // Every VQA row is judged, a missing prediction as `nan` (the cell's str()).
      return JudgePrompt(
        id: rows.id(r), kind: "qbench_video", system: Self.judgeSystem,
        prompt: Self.judgeUser(
          question: rows.cell(r, "question") ?? "nan", prediction: rows.prediction(r) ?? "nan", answer: rows.cell(r, "answer") ?? "nan"))
    }
  }

  func score(_ ctx: ScoreContext) throws -> Outcome {
    guard rows.table.has("SUB_DATASET") else {
      throw SimpleToolError(
        "the table has no 'SUB_DATASET' column (Q-Bench-Video results are the QBench_Video_MCQ and QBench_Video_VQA rows concatenated, as VLMEvalKit's QBench_Video)",
        status: .dataError)
    }
    let vqaRows = (0..<rows.count).filter(isVQA)
    if !vqaRows.isEmpty && ctx.judged == nil {
      throw SimpleToolError(
        "Q-Bench-Video's open-ended part (QBench_Video_VQA) is scored by a judge: write its prompts with --judge-prompts, answer them with vinfer, and pass the answers with --judged (pipelines/judge.sh does all three)",
        status: .usage)
    }
    var scores: [Double?] = Array(repeating: nil, count: rows.count)
    var bad = 0, failed = 0, noPrediction = 0, other = 0
    var unjudged = 0, failedJudge = 0, unreadable = 0, outOfRange = 0, strictRead = 0
    var misplaced = 0
    var mcqSeen = 0
    for r in 0..<rows.count {
      if isMCQ(r) {
        // VLMEvalKit writes each score at `data.loc[index]`: right only where the sub-table's
        // `index` (original_index) equals the row's position in it.
        if rows.cell(r, "original_index").map(Num.integerText) ?? String(mcqSeen) != String(mcqSeen) { misplaced += 1 }
        mcqSeen += 1
        guard let pred = rows.prediction(r) else {
          // VLMEvalKit raises here (`FAIL_MSG in nan`); vscore scores the row 0.
          noPrediction += 1
          scores[r] = 0
          continue
        }
        if PyStr(pred).contains(failMarker) {
          failed += 1
          scores[r] = ctx.strict ? 0 : -1
          continue
        }
        guard let right = Self.mcqRight(pred, answer: rows.cell(r, "answer") ?? "nan") else {
          ctx.diag.warning("row \(rows.id(r)): answer '\(rows.cell(r, "answer") ?? "")' is not 'X. text' (VLMEvalKit raises IndexError)")
          bad += 1
          continue
        }
        scores[r] = right ? 1 : 0
      } else if isVQA(r) {
        guard let reply = ctx.judged?[rows.id(r)] else {
          unjudged += 1
          scores[r] = 0
          continue
        }
        if reply.failed { failedJudge += 1 }
        let parity = reply.failed ? nil : Self.parityRating(reply.text)
        if !reply.failed && parity == nil { unreadable += 1 }
        if let v = parity, !(0...2).contains(v) { outOfRange += 1 }
        if ctx.strict {
          let v = reply.failed ? nil : Self.strictRating(reply.text)
          if v != nil && v != parity { strictRead += 1 }
          scores[r] = Double(v ?? 0)
        } else {
          scores[r] = Double(parity ?? 0)
        }
      } else {
        other += 1
      }
    }
    // get_dimension_rating per sub-dataset, MCQ first; results_all.update keeps the first
    // position of a type both have and the VQA sums.
    var order: [String] = []
    var sums: [String: (Int, Int)] = [:]
    for sub in [QBenchVideoPrompt.mcq, QBenchVideoPrompt.vqa] {
      var part: [String: (Int, Int)] = [:]
      var partOrder: [String] = []
      for r in 0..<rows.count where rows.cell(r, "SUB_DATASET") == sub {
        guard let s = scores[r] else { continue }
        guard let type = Self.questionType(rows.cell(r, "dimensions")) else {
          ctx.diag.warning("row \(rows.id(r)): dimensions is not a Python list of strings; left out of the rating (VLMEvalKit raises)")
          bad += 1
          scores[r] = nil
          continue
        }
        if part[type] == nil { partOrder.append(type) }
        let p = part[type] ?? (0, 0)
        part[type] = (p.0 + Int(s), p.1 + 1)
      }
      for t in partOrder {
        if sums[t] == nil { order.append(t) }
        sums[t] = part[t]
      }
    }
    var accRows: [[String]] = []
    var printed: [SummaryRow] = []
    for t in order {
      let (s, n) = sums[t]!
      var acc = Num.round(Double(s) / Double(n) * 100, 1)
      if t == "open_ended" { acc /= 2 }
      accRows.append([String(s), String(n), Num.repr(acc)])
      printed.append(SummaryRow(group: "question type", name: t, correct: Double(s), total: n, value: acc))
    }
    var summary = Summary(dataset: ctx.dataset, rules: "Q-Bench-Video", mode: ctx.mode, metric: "acc", rows: printed)
    if sums["open_ended"] != nil {
      summary.notes.append("open_ended: the judge's 0-2 scores summed, acc = sum / count * 100 halved, as VLMEvalKit (judge: \(ctx.judgeName))")
    } else if !vqaRows.isEmpty {
      summary.notes.append("no 'open_ended' question type: VLMEvalKit raises KeyError when it halves it; nothing was halved")
    }
    if !ctx.strict && failed > 0 {
      summary.notes.append("\(failed) failed MCQ answers score -1 and subtract from their type's sum, as in VLMEvalKit; --strict scores them 0")
    }
    if noPrediction > 0 { summary.notes.append("\(noPrediction) MCQ rows have no prediction and score 0 (VLMEvalKit raises on them)") }
    if misplaced > 0 {
      summary.notes.append(
        "\(misplaced) MCQ rows have an original_index other than their position: VLMEvalKit writes their scores to the wrong rows (data.loc[index]); vscore scores each row itself"
      )
    }
    if unjudged > 0 { summary.notes.append("\(unjudged) VQA rows have no judgement and score 0: see --judge-prompts") }
    if failedJudge + unreadable > 0 {
      summary.notes.append(
        "\(failedJudge) failed judgements and \(unreadable) replies that are not 'Score:N' score 0 (VLMEvalKit raises ValueError on them)"
          + (ctx.strict
            ? "; --strict read \(strictRead) of them from 'Score' and a digit 0-2" : "; --strict reads 'Score' and a digit 0-2 where it can"))
    }
    if outOfRange > 0 {
      summary.notes.append("\(outOfRange) judge scores outside 0-2" + (ctx.strict ? " scored 0" : " kept as VLMEvalKit keeps them"))
    }
    if other > 0 { summary.notes.append("\(other) rows are neither \(QBenchVideoPrompt.mcq) nor \(QBenchVideoPrompt.vqa) and were left out") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    let cells = scores.map(Num.cell)
    var outcome = Outcome(
      scores: cells, acc: (["success", "overall", "acc"], accRows), summary: summary, badRows: bad,
      sideTables: sideTables(cells, judge: ctx.judgeName))
    outcome.accQuoteAll = true
    return outcome
  }

  /// The sub-tables `ConcatVideoDataset.evaluate` writes (`{model}_QBench_Video_MCQ_8frame.xlsx`:
  /// the rows of one sub-dataset, without `SUB_DATASET`, `original_index` as `index` last) and
  /// their score files (`_score.xlsx`; VQA `_{judge}_score.xlsx`).
  func sideTables(_ scores: [String?], judge: String) -> [SideTable] {
    let t = rows.table
    let keep = t.columns.indices.filter { !["index", "SUB_DATASET", "original_index"].contains(t.columns[$0]) }
    let columns = keep.map { t.columns[$0] } + ["index"]
    var out: [SideTable] = []
    for (sub, suffix) in [(QBenchVideoPrompt.mcq, "_score"), (QBenchVideoPrompt.vqa, "_\(judge)_score")] {
      let members = (0..<rows.count).filter { rows.cell($0, "SUB_DATASET") == sub }
      if members.isEmpty { continue }
      let plain = members.map { r in keep.map { t.rows[r][$0] } + [rows.cell(r, "original_index").map(Num.integerText) ?? rows.cell(r, "index")] }
      out.append(SideTable(from: "QBench_Video", to: sub, suffix: "", columns: columns, rows: plain, numericColumns: ["index"]))
      out.append(
        SideTable(
          from: "QBench_Video", to: sub, suffix: suffix, columns: columns + ["score"], rows: zip(plain, members).map { $0 + [scores[$1]] },
          numericColumns: ["index", "score"]))
    }
    return out
  }
}
