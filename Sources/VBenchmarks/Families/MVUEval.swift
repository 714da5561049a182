import VCore
import VData
import VPrompt
import VScore

// MVU-Eval (VLMEvalKit `vlmeval/dataset/mvu_eval.py`, configs in `video_dataset_config.py`;
// families reference 4.20): several videos per question.

extension Benchmark {
  /// `prepare_dataset` writes `{LMUData}/datasets/MVU-Eval/mvu_eval.tsv` with `index,
  /// video_paths, question, options, ground_truth, task`: no `video` column, so VLMEvalKit's
  /// `VideoBaseDataset.__init__` fails its `assert 'video' in self.data` and the dataset never
  /// loads. vtools does what it evidently means: the videos are the `;`-joined `video_paths`,
  /// each named as `build_prompt` names it (`.mp4` and `video/` removed, stripped), read from
  /// `{root}/{vid}.mp4`, its frames sampled on their own with the base formulas into
  /// `images/MVU-Eval/{vid}/` (`save_video_frames_single`).
  public static let mvuEval: Benchmark = {
    let video = VideoRule(field: "video_paths", ext: ".mp4", listSeparator: ";", listPartRemovals: [".mp4", "video/"])
    return Benchmark(
      name: "MVU-Eval", datasets: ["MVU-Eval"],
      configs: [8, 16].map { BenchmarkConfig("MVU-Eval_\($0)frame", dataset: "MVU-Eval", spec: .frames($0), video: video) },
      prompt: MVUEvalPrompt(video: video), scoring: MVUEvalRule(),
      sources: [
        DatasetSource(
          name: "MVU-Eval", repo: "MVU-Eval-Team/MVU-Eval-Data", include: MVUEvalPreparation.include, tsvName: "mvu_eval",
          preparation: MVUEvalPreparation(video: video))
      ])
  }()
}

/// `MVUEval.prepare_dataset`, in the hub cache's snapshot instead of
/// `{LMUData}/datasets/MVU-Eval` (the same files: `allow_patterns` `*.json`, `*.mp4`, `*.zip`):
/// when `mvu_eval.tsv` is not there, it is written from the first root `*.json` (sorted; upstream
/// takes `os.listdir`'s first), a dict of index to item, rows sorted by index: `index,
/// video_paths` (`;`-joined), `question, options` (`json.dumps(..., ensure_ascii=False)`),
/// `ground_truth, task`. When the root has no `*.mp4`, the first root `*.zip` (sorted) is
/// flattened into the root (base names; entries with `__MACOSX` in their name skipped).
/// Upstream then fails (no `video` column, see above); vtools checks that every listed video,
/// `{root}/{vid}.mp4`, exists.
struct MVUEvalPreparation: DatasetPreparation {
  /// `fnmatch` with `*.json`, `*.mp4`, `*.zip`: `*` matches `/` too.
  static let include: @Sendable (String) -> Bool = { p in [".json", ".mp4", ".zip"].contains { p.hasSuffix($0) } }
  let video: VideoRule

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    let tsv = source.tsvPath(root: root)
    guard Tree.exists(tsv), let reader = try? ByteReader(path: tsv), let t = try? TSVReader(reader) else { return false }
    guard let column = t.header.firstIndex(of: "video_paths") else { return false }
    do {
      while let (_, cells) = try t.next() {
        let value = column < cells.count ? cells[column] : ""
        for vid in video.listedVideos(value) where !Tree.exists(Tree.join(root, vid + ".mp4")) { return false }
      }
      return true
    } catch { return false }
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    ArchiveExtractor.removeStaleStaging(in: root)
    let names = Tree.list(root).filter { !Tree.isDirectory(Tree.join(root, $0)) }
    if !names.contains(where: { $0.hasSuffix(".mp4") }), let zip = names.first(where: { $0.hasSuffix(".zip") }) {
      diag.verbose("extracting \(zip)")
      try ArchiveExtractor.extractFlat(Tree.join(root, zip), into: root, skippingNamesContaining: "__MACOSX")
    }
    let tsv = source.tsvPath(root: root)
    if Tree.exists(tsv) { return }
    guard let annotations = names.first(where: { $0.hasSuffix(".json") }) else {
      throw .missing(path: Tree.join(root, "*.json"), hint: "MVU-Eval's annotations are the repo's JSON file")
    }
    guard let items = try SourceFiles.json(root, annotations).objectValue else {
      throw .badSource(path: Tree.join(root, annotations), reason: "not a JSON object of index to item")
    }
    var rows: [(Int, [(String, PyValue)])] = []
    for (key, value) in items.pairs {
      let path = Tree.join(root, annotations)
      guard let index = PyText.int(key) else { throw .badSource(path: path, reason: "key '\(key)' is not an integer") }
      guard case .object(let item) = value, let videos = item["video_paths"]?.arrayValue, let options = item["options"] else {
        throw .badSource(path: path, reason: "item \(key) needs a list 'video_paths' and 'options'")
      }
      guard let question = item["question"], let truth = item["ground_truth"] else {
        throw .badSource(path: path, reason: "item \(key) needs 'question' and 'ground_truth'")
      }
      let joined = videos.map { PyValue(json: $0).pythonStr }.joined(separator: ";")
      rows.append(
        (
          index,
          [
            ("index", .int(index)), ("video_paths", .str(joined)), ("question", PyValue(json: question)),
            ("options", .str(Self.jsonDumps(options))), ("ground_truth", PyValue(json: truth)),
            ("task", item["task"].map(PyValue.init(json:)) ?? .str("")),
          ]
        ))
    }
    var table = PandasTSV()
    for (_, row) in rows.enumerated().sorted(by: { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }).map(\.element) { table.append(row) }
    try Tree.writeAtomically(tsv, Array(table.text().utf8))
  }

  /// Python's `json.dumps(value, ensure_ascii=False)` of a value `json.load` read: `", "` and
  /// `": "` separators, non-ASCII as it is, numbers as Python writes the int or float.
  static func jsonDumps(_ v: JSONValue) -> String {
    switch v {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number: return PyValue(json: v).pythonStr
    case .string(let s): return jsonString(s)
    case .array(let a): return "[" + a.map(jsonDumps).joined(separator: ", ") + "]"
    case .object(let o): return "{" + o.pairs.map { jsonString($0.key) + ": " + jsonDumps($0.value) }.joined(separator: ", ") + "}"
    }
  }

  static func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}

/// `MVUEval.build_prompt`: per video k (1-based) a text `The following is the Video {k}` and that
/// video's frames (or the video itself), then the question, the options (`json.loads(options)`
/// joined by newlines) and the instruction, each a text item of its own.
struct MVUEvalPrompt: PromptTemplate {
  /// The `’` is U+2019, as VLMEvalKit writes it.
  static let instruction = "Please select the correct answer from the options. Answer with the option\u{2019}s letter directly."
  static let videoHead = "The following is the Video "

  let video: VideoRule
  var name: String { "mvu-eval" }
  var constants: [String] { [Self.videoHead, Self.instruction] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let groups: [[MessageItem]]
    if t.videoLLM && t.record["frame_groups"] == nil {
      // No vframes record: `osp.join(self.data_root, vid + '.mp4')` for each listed video.
      groups = video.listedVideos(try t.field(video.field)).map { v in
        [.video(v.hasPrefix("/") ? v + ".mp4" : t.datasetRoot + "/" + v + ".mp4")]
      }
    } else {
      groups = try t.visualGroups()
    }
    var items: [MessageItem] = []
    for (k, g) in groups.enumerated() { items += [.text(Self.videoHead + String(k + 1))] + g }
    return items + [.text(try t.field("question")), .text(try Self.options(t).joined(separator: "\n")), .text(Self.instruction)]
  }

  /// `json.loads(line['options'])`: a JSON list of strings (the TSV cell), or a JSON array
  /// (a JSONL row).
  static func options(_ t: TemplateInput) throws(PromptError) -> [String] {
    guard var v = t.record["options"] else { throw .missing("options") }
    if case .string(let s) = v {
      guard let parsed = try? JSONParser.parse(s) else { throw PromptError(code: .badField, message: "field 'options' is not JSON") }
      v = parsed
    }
    guard let items = v.arrayValue else { throw PromptError(code: .badField, message: "field 'options' must be a JSON list of strings") }
    let texts = items.compactMap(\.stringValue)
    guard texts.count == items.count else { throw PromptError(code: .badField, message: "field 'options' must be a JSON list of strings") }
    return texts
  }
}

struct MVUEvalRule: ScoringRule {
  var name: String { "mvu-eval" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("MVU-Eval.evaluate extracts the letter by its own patterns; no judge")
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { try MVUEvalScorer(rows: rows).score(ctx) }
}

/// `MVUEval.evaluate`: `check_model_output` per row, the overall accuracy to
/// `_acc_rating.json` (`{"Overall": {"Accuracy": f'{acc:.4f}'}, "num_total": n}`) and the rows
/// to `_acc_detail.json`.
struct MVUEvalScorer {
  let rows: Rows

  /// `check_model_output`'s letter: the text stripped and upper-cased; the patterns in order
  /// (`\BOXED{X`, `ANSWER:\s*X`, the lone letter, `X.` at the start, `THE ... ANSWER IS X`,
  /// `ANSWER IS X`, `THE ... ORDER IS X`), each over the whole text; the first pattern with a
  /// match gives the set of letters it found. One letter decides; none or several: the text's
  /// first character ("" for an empty text).
  static func extract(_ prediction: String) -> String {
    let u = Array(PyText.strip(prediction).uppercased().unicodeScalars)
    let patterns: [([Unicode.Scalar]) -> [Unicode.Scalar]] = [
      { findAll($0, prefix: "\\BOXED{", boundary: false, spaces: .none) },
      { findAll($0, prefix: "ANSWER:", boundary: false, spaces: .any) },
      { $0.count == 1 && isLetter($0[0]) ? [$0[0]] : [] },
      { $0.count >= 2 && isLetter($0[0]) && $0[1] == "." ? [$0[0]] : [] },
      { findLazy($0, head: "THE", tail: ["ANSWER", "IS"]) },
      { findAll($0, prefix: "ANSWER", boundary: true, spaces: .then("IS")) },
      { findLazy($0, head: "THE", tail: ["ORDER", "IS"]) },
    ]
    for p in patterns {
      let found = Set(p(u))
      if found.isEmpty { continue }
      if found.count == 1 { return String(found.first!) }
      break
    }
    return u.first.map { String($0) } ?? ""
  }

  static func isLetter(_ c: Unicode.Scalar) -> Bool { c.value >= 65 && c.value <= 90 }

  /// Python's `\w` for a `str` pattern: a letter or number (any script) or `_`.
  static func isWord(_ c: Unicode.Scalar) -> Bool {
    if c == "_" { return true }
    switch c.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber, .otherNumber:
      return true
    default: return false
    }
  }

  static func matches(_ u: [Unicode.Scalar], _ at: Int, _ word: String) -> Bool {
    let w = Array(word.unicodeScalars)
    return at + w.count <= u.count && u[at..<(at + w.count)].elementsEqual(w)
  }

  /// Whitespace (`\s`, Python's `isspace`) from `i`: the index after it.
  static func skipSpaces(_ u: [Unicode.Scalar], _ i: Int) -> Int {
    var j = i
    while j < u.count && PyText.isSpace(u[j]) { j += 1 }
    return j
  }

  enum Spaces {
    /// `PREFIX([A-Z])`.
    case none
    /// `PREFIX\s*([A-Z])`.
    case any
    /// `PREFIX\s+WORD\s+([A-Z])`.
    case then(String)
  }

  /// `re.findall` of `(\b)PREFIX...([A-Z])`: left to right, each match resuming after its letter.
  static func findAll(_ u: [Unicode.Scalar], prefix: String, boundary: Bool, spaces: Spaces) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    let n = prefix.unicodeScalars.count
    var i = 0
    while i < u.count {
      guard matches(u, i, prefix), !boundary || i == 0 || !isWord(u[i - 1]) else {
        i += 1
        continue
      }
      var j = i + n
      switch spaces {
      case .none: break
      case .any: j = skipSpaces(u, j)
      case .then(let word):
        let k = skipSpaces(u, j)
        guard k > j, matches(u, k, word) else {
          i += 1
          continue
        }
        let m = skipSpaces(u, k + word.unicodeScalars.count)
        guard m > k + word.unicodeScalars.count else {
          i += 1
          continue
        }
        j = m
      }
      guard j < u.count, isLetter(u[j]) else {
        i += 1
        continue
      }
      out.append(u[j])
      i = j + 1
    }
    return out
  }

  /// `re.findall(r"\bHEAD\s+.*?W1\s+W2\s+([A-Z])")`: at each `HEAD` after a non-word character,
  /// at least one whitespace, then the first `W1\s+W2\s+X` reached without crossing a newline
  /// (`.` stops at `\n`); a match resumes after its letter.
  static func findLazy(_ u: [Unicode.Scalar], head: String, tail: [String]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    let n = head.unicodeScalars.count
    var i = 0
    search: while i < u.count {
      guard matches(u, i, head), i == 0 || !isWord(u[i - 1]) else {
        i += 1
        continue
      }
      let runEnd = skipSpaces(u, i + n)
      guard runEnd > i + n else {
        i += 1
        continue
      }
      var q = runEnd
      while q < u.count {
        if let (letter, end) = tailMatch(u, q, tail) {
          out.append(letter)
          i = end
          continue search
        }
        if u[q] == "\n" { break }
        q += 1
      }
      i += 1
    }
    return out
  }

  /// `W1\s+W2\s+([A-Z])` at `q`: the letter and the index after it.
  static func tailMatch(_ u: [Unicode.Scalar], _ q: Int, _ words: [String]) -> (Unicode.Scalar, Int)? {
    var j = q
    for w in words {
      guard matches(u, j, w) else { return nil }
      let k = skipSpaces(u, j + w.unicodeScalars.count)
      guard k > j + w.unicodeScalars.count else { return nil }
      j = k
    }
    guard j < u.count, isLetter(u[j]) else { return nil }
    return (u[j], j + 1)
  }

  func score(_ ctx: ScoreContext) throws -> Outcome {
    var scores: [String?] = []
    var details: [JSONValue] = []
    var correct = 0, badTruth = 0, unanswered = 0
    var tasks: [String] = []
    var byTask: [String: (Int, Int)] = [:]
    for r in 0..<rows.count {
      guard let idx = PyText.int(rows.id(r)) else {
        throw SimpleToolError("row \(r + 1): index '\(rows.id(r))' is not an integer (VLMEvalKit's int(index) raises)", status: .dataError)
      }
      // `str(prediction)`: a missing one is NaN, 'nan'.
      let raw = rows.prediction(r) ?? "nan"
      if rows.prediction(r).map({ PyStr($0).contains(failMarker) }) ?? true { unanswered += 1 }
      let truth = PyText.strip(rows.cell(r, "ground_truth") ?? "nan").uppercased()
      var parsed = ""
      var ok = false
      if truth.unicodeScalars.count == 1, Self.isLetter(truth.unicodeScalars.first!) {
        parsed = Self.extract(raw)
        ok = parsed == truth
      } else {
        // `check_model_output` raises ValueError: wrong, parsed ''.
        badTruth += 1
      }
      if ok { correct += 1 }
      scores.append(ok ? "1" : "0")
      details.append(
        .object(
          JSONObject([
            ("index", .int(idx)), ("prediction_raw", .string(raw)), ("parsed_answer", .string(parsed)), ("ground_truth", .string(truth)),
            ("correct", .bool(ok)),
          ])))
      let task = rows.cell(r, "task") ?? ""
      if byTask[task] == nil { tasks.append(task) }
      let t = byTask[task] ?? (0, 0)
      byTask[task] = (t.0 + (ok ? 1 : 0), t.1 + 1)
    }
    let total = rows.count
    let acc = total > 0 ? Double(correct) / Double(total) : 0
    let rating = JSONValue.object(
      JSONObject([("Overall", .object(JSONObject([("Accuracy", .string(String(format: "%.4f", acc)))]))), ("num_total", .int(total))]))
    var summaryRows = [SummaryRow(group: "overall", name: "overall", correct: Double(correct), total: total, value: acc * 100)]
    if tasks.count > 1 || tasks.first.map({ !$0.isEmpty }) == true {
      for k in tasks {
        let (c, n) = byTask[k]!
        summaryRows.append(SummaryRow(group: "task (vtools only)", name: k, correct: Double(c), total: n, value: Double(c) / Double(n) * 100))
      }
    }
    var summary = Summary(dataset: ctx.dataset, rules: "MVU-Eval", mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    summary.notes.append(
      "VLMEvalKit cannot load MVU-Eval (its TSV has no 'video' column); vtools reads the videos of 'video_paths' as build_prompt names them and scores by evaluate's rule"
    )
    if unanswered > 0 { summary.notes.append("\(unanswered) failed or missing answers are read as text ('nan' when missing), as in VLMEvalKit") }
    if badTruth > 0 { summary.notes.append("\(badTruth) rows have a ground_truth that is no letter A-Z: wrong, parsed '', as in VLMEvalKit") }
    var outcome = Outcome(scores: scores, summary: summary)
    outcome.extraRatings = [("_acc_rating", rating), ("_acc_detail", .array(details))]
    return outcome
  }
}
