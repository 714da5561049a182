import VCore
import VData
import VPrompt
import VScore

// TempCompass (VLMEvalKit `vlmeval/dataset/tempcompass.py`; reference 5.7): MCQ, yes/no and
// captioning sub-datasets.

extension Benchmark {
  public static let tempCompass: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "videos", datasetField: "SUB_DATASET")
    return Benchmark(
      name: "TempCompass", datasets: ["TempCompass", "TempCompass_MCQ", "TempCompass_YorN", "TempCompass_Captioning"],
      configs: [("8frame", SamplingSpec.frames(8)), ("64frame", .frames(64)), ("1fps", .perSecond(1)), ("0.5fps", .perSecond(0.5))].map {
        BenchmarkConfig("TempCompass_\($0.0)", dataset: "TempCompass", spec: $0.1, video: video)
      },
      prompt: TempCompassPrompt(), scoring: TempCompassRule(),
      sources: [
        DatasetSource(name: "TempCompass_MCQ", repo: "lmms-lab/TempCompass", preparation: TempCompassPreparation(kind: .mcq)),
        DatasetSource(name: "TempCompass_Captioning", repo: "lmms-lab/TempCompass", preparation: TempCompassPreparation(kind: .captioning)),
        DatasetSource(name: "TempCompass_YorN", repo: "lmms-lab/TempCompass", preparation: TempCompassPreparation(kind: .yesNo)),
      ])
  }()
}

/// `TempCompass_MCQ` / `_Captioning` / `_YorN`'s `prepare_dataset` (repo `lmms-lab/TempCompass`):
/// for each of its tasks, `{task}.json` written from `{task}/test-00000-of-00001.parquet` (read
/// with pyarrow) as pandas' `to_json(orient='records')` writes it, when the root has none;
/// `tempcompass_videos.zip` extracted into the root when `videos/` is not there; then the TSV
/// from the `{task}.json` files (the question's first line; MCQ: the other lines as candidates).
struct TempCompassPreparation: DatasetPreparation {
  enum Kind: Sendable {
    case mcq, captioning, yesNo
    var tasks: [String] {
      switch self {
      case .mcq: return ["multi-choice", "caption_matching"]
      case .captioning: return ["captioning"]
      case .yesNo: return ["yes_no"]
      }
    }
  }

  let kind: Kind

  /// `osp.join(root, prefix, video + suffix)` exists for every row.
  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { Tree.join($0["prefix"] ?? "", ($0["video"] ?? "") + ($0["suffix"] ?? "")) }.holds(
      tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    for task in kind.tasks where !Tree.exists(Tree.join(root, task + ".json")) {
      let parquet = Tree.join(root, task + "/test-00000-of-00001.parquet")
      let rows = try PythonHelper.parquetRows(parquet)
      try Tree.writeAtomically(Tree.join(root, task + ".json"), Array(try PandasRecordsJSON.text(rows, path: parquet).utf8))
      diag.verbose("wrote \(task).json from its Parquet file")
    }
    if !Tree.exists(Tree.join(root, "videos")) {
      let zip = Tree.join(root, "tempcompass_videos.zip")
      guard Tree.exists(zip) else { throw .missing(path: zip, hint: "TempCompass's preparation extracts it into the root") }
      ArchiveExtractor.removeStaleStaging(in: root)
      try ArchiveExtractor.extract(zip, into: root)
      diag.verbose("extracted tempcompass_videos.zip")
    }
    var table = PandasTSV()
    for task in kind.tasks {
      let path = Tree.join(root, task + ".json")
      guard let items = try SourceFiles.json(root, task + ".json").arrayValue else { throw .badSource(path: path, reason: "not a JSON list") }
      for (i, entry) in items.enumerated() {
        guard let item = entry.objectValue else { throw .badSource(path: path, reason: "item \(i) is not an object") }
        func value(_ k: String) throws(DataError) -> PyValue {
          guard let v = item[k] else { throw .badSource(path: path, reason: "item \(i) has no '\(k)' (KeyError upstream)") }
          return PyValue(json: v)
        }
        guard let question = item["question"]?.stringValue else { throw .badSource(path: path, reason: "item \(i): question is not a string") }
        // str.split('\n'): on line feeds only (a CR or CRLF is not a break here).
        let lines = question.utf8.split(separator: 10, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var row: [(String, PyValue)] = [
          ("task_type", .str(task)), ("prefix", .str("./videos")), ("suffix", .str(".mp4")), ("video", try value("video_id")),
          ("question", .str(kind == .captioning ? question : lines[0])), ("answer", try value("answer")), ("dim", try value("dim")),
        ]
        switch kind {
        case .mcq: row.append(("candidates", .list(lines.dropFirst().map { .str($0) })))
        case .captioning: row += [("mc_question", try value("mc_question")), ("mc_answer", try value("mc_answer"))]
        case .yesNo: break
        }
        table.append(row)
      }
    }
    table.assignRange("index")
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
}

/// `pd.read_parquet(p).to_json(orient='records', lines=False)` for the rows pyarrow reads: one
/// object per row, no spaces, pandas' ujson escapes (`\/`, `\u00XX` for other control
/// characters, every non-ASCII character as `\uXXXX`, astral ones as surrogate pairs). Strings,
/// booleans, nulls, integers in columns without nulls and lists of those; a float, or an integer
/// next to a null (pandas makes those float64, printed with its own precision), is refused.
enum PandasRecordsJSON {
  static func text(_ rows: [JSONObject], path: String) throws(DataError) -> String {
    let columns = (rows.first?.keys ?? []).filter { !($0.hasPrefix("__index_level_") && $0.hasSuffix("__")) }
    var intWithNull: Set<String> = []
    for c in columns {
      var sawInt = false
      var sawNull = false
      for r in rows {
        switch r[c] ?? .null {
        case .null: sawNull = true
        case .number: sawInt = true
        default: break
        }
      }
      if sawInt && sawNull { intWithNull.insert(c) }
    }
    if let c = intWithNull.sorted().first {
      throw .badSource(path: path, reason: "column '\(c)' holds integers and nulls (pandas writes it as floats; not reproduced)")
    }
    var out = "["
    for (i, r) in rows.enumerated() {
      if i > 0 { out += "," }
      out += "{"
      for (j, c) in columns.enumerated() {
        if j > 0 { out += "," }
        out += quote(c) + ":" + (try value(r[c] ?? .null, column: c, path: path))
      }
      out += "}"
    }
    return out + "]"
  }

  private static func value(_ v: JSONValue, column: String, path: String) throws(DataError) -> String {
    switch v {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .string(let s): return quote(s)
    case .number(let t):
      guard let i = Int(t) else {
        throw .badSource(path: path, reason: "column '\(column)' holds a float (\(t)); pandas' float text is not reproduced")
      }
      return String(i)
    case .array(let a):
      var parts: [String] = []
      for x in a { parts.append(try value(x, column: column, path: path)) }
      return "[" + parts.joined(separator: ",") + "]"
    case .object: throw .badSource(path: path, reason: "column '\(column)' holds a struct; not reproduced")
    }
  }

  static func quote(_ s: String) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [34]
    func u(_ v: UInt16) {
      out += Array("\\u".utf8)
      out += [hex[Int(v >> 12) & 15], hex[Int(v >> 8) & 15], hex[Int(v >> 4) & 15], hex[Int(v) & 15]]
    }
    for unit in s.utf16 {
      switch unit {
      case 34: out += [92, 34]
      case 92: out += [92, 92]
      case 47: out += [92, 47]
      case 8: out += [92, 98]
      case 12: out += [92, 102]
      case 10: out += [92, 110]
      case 13: out += [92, 114]
      case 9: out += [92, 116]
      case 0..<32, 128...: u(unit)
      default: out.append(UInt8(unit))
      }
    }
    out.append(34)
    return String(decoding: out, as: UTF8.self)
  }
}

/// The three `build_prompt`s of TempCompass, by the row's `SUB_DATASET`.
struct TempCompassPrompt: PromptTemplate {
  static let mcqTail = "\nPlease directly give the best option:"
  static let yesNoTail = "\nPlease answer yes or no:"

  var name: String { "tempcompass" }
  var constants: [String] { [Self.mcqTail, Self.yesNoTail] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    guard let sub = t.optionalField("SUB_DATASET") else {
      throw PromptError(code: .missingField, message: "the record has no 'SUB_DATASET' (TempCompass_MCQ, TempCompass_Captioning or TempCompass_YorN)")
    }
    let q = try t.field("question")
    switch sub {
    case "TempCompass_MCQ":
      return (try t.visual()) + [.text(([q] + (try t.candidates())).joined(separator: "\n")), .text(Self.mcqTail)]
    case "TempCompass_Captioning":
      return (try t.visual()) + [.text(q)]
    case "TempCompass_YorN":
      return (try t.visual()) + [.text(String(q.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")), .text(Self.yesNoTail)]
    default:
      throw PromptError(code: .badField, message: "unknown SUB_DATASET '\(sub)' for TempCompass")
    }
  }
}

struct TempCompassRule: ScoringRule {
  var name: String { "tempcompass" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(TempCompassScorer(rows: rows).judgePrompts(strict: strict)) }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { TempCompassScorer(rows: rows).score(ctx) }
}

/// TempCompass (reference 5.7): multi-choice, caption_matching and yes_no rows by rule (the
/// judge only for answers the rule cannot read), captioning rows by a judge. `_acc.csv` has one
/// row per `dim. task_type`, then one per dim, per task type and overall (micro averages).
struct TempCompassScorer {
  let rows: Rows

  static let system = "You are an AI assistant for question answering."
  static let multiChoiceSystem =
    "You will receive a multi-choice question, the ground-truth answer and the prediction from a question answering (QA) model. Your task is to determine whether QA model prediction is correct, based on the question and ground-truth answer. If the prediction is correct, respond \"Correct\". If the prediction is incorrect, respond \"Incorrect\"."
  static let captionMatchingSystem =
    "You will receive a caption matching question, the ground-truth answer and the prediction from a question answering (QA) model. Your task is to determine whether QA model prediction is correct, based on the question and ground-truth answer. If the prediction is correct, respond \"Correct\". If the prediction is incorrect, respond \"Incorrect\"."
  static let yesNoSystem =
    "\nYou will receive a Yes/No question, the ground-truth answer and the prediction from a question answering (QA) model. Your task is to determine whether QA model prediction is correct, based on the question and ground-truth answer. If the prediction is correct, respond \"Correct\". If the prediction is incorrect, respond \"Incorrect\".\n"
  static let captioningSystem =
    "\nYou will receive a video description and a multi-choice question. Your task is to choose the correct answer and briefly explain the reason why you choose the answer. If none of the choice candidates are correct or the video description lacks enough information to answer the question, just answer \"None of the choices are correct\". Please organize your response in this format:\n```\nReasoning: [Your reason to obtain the answer]\nAnswer: [Your answer]\n```\n\nHere are some examples of video description, multi-choice question and the expected answer:\n```\nVideo Description: A person is palying football.\nMulti-Choice Question:\nWhat is the person doing in the video?\nA. cooking\nB. palying football\nC. playing basketball\nD. reading book\nReasoning: The video description mentions that the person is playing football.\nAnswer: B. palying football\n\nVideo Description: A bird is flying clockwise.\nMulti-Choice Question:\nIn which direction is the bird flying?\nA. backwark\nB. counter-clockwise\nC. clockwise\nD. downward\nReasoning: The video description mentions that the bird is flying clockwise\nAnswer: C. clockwise\n\nVideo Description: An air balloon is inflating.\nMulti-Choice Question:\nWhat is happening to the air balloon?\nA. exploding\nB. getting smaller\nC. flying\nReasoning: The video description mentions that the air balloon is inflating, while none of the coices can be explained as inflating.\nAnswer: None of the choices are correct\n```\n"

  func task(_ r: Int) -> String { rows.cell(r, "task_type") ?? "multi-choice" }

  /// The judge settings VLMEvalKit forces (Q17: temperature 1); strict asks at temperature 0.
  static func request(strict: Bool) -> JSONObject {
    JSONObject([("max_tokens", .int(128)), ("temperature", .double(strict ? 0 : 1)), ("top_p", .int(1)), ("presence_penalty", .int(1))])
  }

  /// `eval_rule_caption_matching` (candidates from the row's list).
  static func captionMatching(_ prediction: String, answer: String, options: [String]) -> Int? {
    let out = PyStr(prediction)
    let strs = options.map(PyStr.init)
    let sents = strs.map { s -> PyStr in
      let p = s.split(": ")
      return p.count > 1 ? p[1] : PyStr("")
    }
    var inds = strs.map { $0.split(": ")[0] }
    inds += inds.map { $0.replacing("Sentence ", with: "").replacing("Option ", with: "").replacing("Caption ", with: "") }
    var pred: PyStr?
    for s in strs where s == out { pred = s }
    let tail: PyStr? = out.contains(") ") ? out.split(") ")[1] : nil
    for s in sents where s == out || (tail != nil && s == tail!) { pred = s }
    for i in inds where i == out || i == out.replacing(".", with: "") { pred = i }
    guard let pred else { return nil }
    let a = PyStr(answer)
    var accepted = [a, a.split(":")[0]]
    let parts = a.split(": ")
    if parts.count > 1 { accepted.append(parts[1]) }
    let words = parts[0].split()
    if words.count > 1 { accepted.append(words[1]) }
    return accepted.contains(pred) ? 1 : 0
  }

  /// `parse_llm_output` for captioning: -1 for an empty or refused reply; else 1 iff the
  /// answer's text before `. ` equals the GT's and it names exactly one option.
  static func captioningRating(_ reply: String, mcAnswer: String) -> Int {
    let t = PyStr(reply)
    if t.isEmpty || reply == "invalid_request_error" { return -1 }
    var ans = t
    for line in t.split("\n") where line.contains("Answer") {
      ans = line.replacing("Answer:", with: "").strip()
    }
    let hits = ["A.", "B.", "C.", "D."].filter { ans.contains($0) }.count
    return ans.split(". ")[0] == PyStr(mcAnswer).split(". ")[0] && hits == 1 ? 1 : 0
  }

  /// The rule's verdict, or nil ("fail": the judge decides).
  func rule(_ r: Int) throws -> Int? {
    let pred = rows.prediction(r) ?? "nan"
    let answer = rows.cell(r, "answer") ?? ""
    switch task(r) {
    case "caption_matching": return Self.captionMatching(pred, answer: answer, options: try rows.candidates(r))
    case "yes_no": return Matching.tempCompassYesNo(pred, answer: answer)
    case "captioning": return nil
    default: return Matching.tempCompassMultiChoice(pred, answer: answer)
    }
  }

  func judgePrompts(strict: Bool) -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      let id = rows.id(r)
      let pred = rows.prediction(r) ?? "nan"
      let q = rows.cell(r, "question") ?? ""
      let a = rows.cell(r, "answer") ?? ""
      switch task(r) {
      case "captioning":
        return JudgePrompt(
          id: id, kind: "tempcompass_captioning", system: Self.system,
          prompt: "\(Self.captioningSystem)\nVideo Description:\(pred)\nMulti-Choice Question:\n\(rows.cell(r, "mc_question") ?? "")\n",
          request: Self.request(strict: strict))
      default:
        guard (try? rule(r)) == .some(nil) else { return nil }
        let (sys, label) =
          switch task(r) {
          case "yes_no": (Self.yesNoSystem, "Yes/No Question:")
          case "caption_matching": (Self.captionMatchingSystem, "Caption Matching Question:")
          default: (Self.multiChoiceSystem, "Multi-Choice Question:")
          }
        return JudgePrompt(
          id: id, kind: task(r) == "yes_no" ? "tempcompass_yes_no" : "tempcompass_mcq", system: Self.system,
          prompt: "\(sys)\n\(label)\n\(q)\nGround-Truth Answer: \(a)\nModel Prediction: \(pred)", request: Self.request(strict: strict))
      }
    }
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [Double?] = []
    var bad = 0, unjudgedCaptions = 0, ruleFails = 0
    for r in 0..<rows.count {
      let id = rows.id(r)
      let reply = ctx.judged?[id]
      if task(r) == "captioning" {
        guard let reply else {
          unjudgedCaptions += 1
          scores.append(nil)
          continue
        }
        scores.append(Double(Self.captioningRating(reply.failed ? "" : reply.text, mcAnswer: rows.cell(r, "mc_answer") ?? "")))
        continue
      }
      do {
        if let v = try rule(r) {
          scores.append(Double(v))
        } else if let reply, !reply.failed {
          scores.append(Double(Matching.tempCompassVerdict(reply.text)))
        } else {
          ruleFails += 1
          scores.append(0)
        }
      } catch {
        ctx.diag.warning(String(describing: error))
        bad += 1
        scores.append(nil)
      }
    }
    let (order, sums) = rows.intSums(scores) { r in "\(rows.cell(r, "dim") ?? "unknown"). \(task(r))" }
    var accRows: [[String]] = []
    var avgOrder: [String] = []
    var avg: [String: (Double, Double)] = [:]
    for key in order {
      let (s, n) = sums[key]!
      accRows.append([key, Num.repr(s), Num.repr(n), Num.repr(Num.round(s / n * 100, 2))])
      let parts = key.components(separatedBy: ". ")
      for k in [parts[0], parts.count > 1 ? parts[1] : "", "overall"] {
        if avg[k] == nil {
          avgOrder.append(k)
          avg[k] = (0, 0)
        }
        avg[k]!.0 += s
        avg[k]!.1 += n
      }
    }
    var printed: [SummaryRow] = []
    for k in avgOrder {
      let (s, n) = avg[k]!
      accRows.append([k, Num.repr(s), Num.repr(n), Num.repr(Num.round(s / n * 100, 2))])
      let isTask = order.contains { $0.hasSuffix(". " + k) }
      printed.append(
        SummaryRow(group: k == "overall" ? "overall" : (isTask ? "task_type" : "dim"), name: k, correct: s, total: Int(n), value: s / n * 100))
    }
    printed.sort { a, b in
      let rank = ["overall": 0, "task_type": 1, "dim": 2]
      return rank[a.group]! < rank[b.group]!
    }
    var summary = Summary(dataset: ctx.dataset, rules: "TempCompass", mode: ctx.mode, metric: "accuracy %", rows: printed)
    if unjudgedCaptions > 0 { summary.notes.append("\(unjudgedCaptions) captioning rows need a judge and were left out: see --judge-prompts") }
    if ruleFails > 0 {
      summary.notes.append(
        "\(ruleFails) answers the rules could not read scored 0 (VLMEvalKit's default, exact_matching); a judge can read them: see --judge-prompts")
    }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    return Outcome(scores: scores.map(Num.cell), acc: (["dim.task_type", "success", "overall", "acc"], accRows), summary: summary, badRows: bad)
  }
}
