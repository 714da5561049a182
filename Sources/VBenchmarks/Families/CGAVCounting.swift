import Foundation
import VCore
import VPrompt
import VScore

// CG-AV-Counting (VLMEvalKit `vlmeval/dataset/CGAVCounting/cg_av_counting.py` and its own
// `CGAVCounting/utils.py`; families reference 4.14 and 3.4).

extension Benchmark {
  public static let cgAVCounting: Benchmark = {
    // `save_video_frames`: `{root}/{video}` (`cg_videos_720p/{file}.mp4`), cached under
    // `images/CG-AV-Counting/{video_uid}/` (the uid keeps `.mp4`: `Series.replace` matches whole
    // values only); a `ref_acc` row's clip `{root}/{ref_video_path}` under `{ref_video_uid}/`; the
    // lock `{video without extension}.lock` beside the video. Clue rows of the `object` and
    // `attribute` categories take the frames at their annotated times (`save_video_frames_clue`).
    let video = VideoRule(
      field: "video", lock: .besideVideo(suffix: ".lock"), keyField: "video_uid",
      alternate: AlternateVideo(field: "ref_video_path", keyField: "ref_video_uid"),
      timestampFrames: TimestampFrameRule(field: "answer", conditions: ["task_mode": ["clue_acc"], "category": ["object", "attribute"]]))
    return Benchmark(
      name: "CG-AV-Counting", datasets: ["CG-AV-Counting"],
      configs: [32, 64].map { BenchmarkConfig("CG-AV-Counting_\($0)frame", dataset: "CG-AV-Counting", spec: .frames($0), video: video) },
      prompt: CGAVCountingPrompt(), scoring: CGAVCountingRule())
  }()
}

/// `CGAVCounting.build_prompt` (`use_frame_time=False`, as both configs): by `task_mode` and,
/// for clue rows, `category`.
struct CGAVCountingPrompt: PromptTemplate {
  static let countHead = "Please answer the question '"
  static let countTail = "' with a number. Just output the number itself, don't output anything else."
  static let eventHead = "Watch the video and provide your answer to the question '"
  static let eventTail =
    "', including the start and end timestamps for each event.Format your answer in JSON, enclosed in <answer> and </answer> tags. The output should look like this: <answer>[[\"start_time\", \"end_time\"], ...]</answer>. Ensure each timestamp is in seconds (e.g., 'xx.xx')."
  static let objectHead = "Answer the question '"
  static let objectTail =
    "', including the bounding box for the query object in the first frame where it appears. For subsequent frames where the object appears, do not provide the bounding box again. Format your answer in JSON, enclosed within <answer> and </answer> tags. The output should look like this: <answer>{\"Frame1\": [[x_min, y_min, x_max, y_max]], \"Frame2\": [...],...}</answer>. In the output, each frame should either contain the bounding box of the object (if it appears for the first time in that frame) or an empty list `[]` (if the object does not appear or it has already been labeled in a previous frame). Ensure that bounding boxes are listed as [x_min, y_min, x_max, y_max]."
  static let attributeTail =
    "', clustering the objects according to the question. For each unique cluster, assign a unique label and return the bounding box for each object in the first frame where it appears. For subsequent frames where the object appears, do not output anything. Format your answer in JSON, enclosed within <answer> and </answer> tags. The output should look like this: <answer>{\"Frame 1\": [{\"bbox\": [x_min, y_min, x_max, y_max], 'label': \"Label 1\"}], \"Frame 2\": [...], ...}</answer>. In the output, each frame should either contain the bounding box and label for the object (if it appears for the first time in that frame) or an empty list `[]` (if the object has already been labeled or does not appear in that frame). The label should correspond to a unique object cluster according to the question."

  var name: String { "cg-av-counting" }
  var constants: [String] {
    [Self.countHead, Self.countTail, Self.eventHead, Self.eventTail, Self.objectHead, Self.objectTail, Self.attributeTail]
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let mode = try t.field("task_mode")
    let question = try t.field("question")
    switch mode {
    case "long_acc", "ref_acc":
      return (try t.visual()) + [.text(Self.countHead + question + Self.countTail)]
    case "clue_acc":
      switch try t.field("category") {
      case "event":
        // The frame times always come first here (without a video LLM), whatever use_frame_time.
        var times = ""
        if !t.videoLLM { times = try Self.timestamps(t) }
        return (try t.visual()) + [.text(times + Self.eventHead + question + Self.eventTail)]
      case "object": return try Self.framed(t, Self.objectHead + question + Self.objectTail)
      case "attribute": return try Self.framed(t, Self.objectHead + question + Self.attributeTail)
      case let other:
        // Upstream's build_prompt has no branch for it and fails (`message` unbound).
        throw PromptError(code: .badField, message: "clue_acc row of category '\(other)': only event, object and attribute have a prompt")
      }
    case let other:
      throw PromptError(code: .badField, message: "task_mode '\(other)' is not long_acc, ref_acc or clue_acc")
    }
  }

  /// `get_timestampes(frame_indices, fps)`: `str(round(i / fps, 4))` for each frame, joined by
  /// `, `, in a sentence.
  static func timestamps(_ t: TemplateInput) throws(PromptError) -> String {
    guard let fps = t.avgFPS, fps > 0 else {
      throw PromptError(code: .missingField, message: "the record has no video_info.avg_fps (pipe vframes output into vprompt)")
    }
    let idx = t.frameIndices
    let text = idx.map { Num.repr(Num.round(Double($0) / fps, 4)) }.joined(separator: ", ")
    return "A total of \(idx.count) frames are sampled. Their corresponding timestamps are:\n\n\(text)\n\n"
  }

  /// The box clues: the frames at the annotated times (vframes takes them for these rows), each
  /// after a `Frame{k}:` label, behind a line giving their count and size; frames even for a
  /// video LLM, as upstream.
  static func framed(_ t: TemplateInput, _ text: String) throws(PromptError) -> [MessageItem] {
    guard t.record["frames"] != nil else {
      throw PromptError(code: .missingField, message: "the record has no 'frames' (pipe vframes output into vprompt)")
    }
    let info = t.record["video_info"]?.objectValue
    guard let w = info?["width"]?.intValue, let h = info?["height"]?.intValue else {
      throw PromptError(code: .missingField, message: "the record has no video_info.width and height (the frame size the prompt names)")
    }
    var items: [MessageItem] = [.text("There are \(t.frames.count) frames in the size of \(w)x\(h)")]
    for (k, f) in t.frames.enumerated() { items += [.text("Frame\(k + 1):"), .image(f)] }
    return items + [.text(text)]
  }
}

struct CGAVCountingRule: ScoringRule {
  var name: String { "cg-av-counting" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .none("CG-AV-Counting is scored by rules (counts, time spans, boxes)") }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { CGAVCountingScorer(rows: rows).score(ctx) }
}

/// One metric cell as pandas holds it: an int, a float, or missing (NaN).
enum MetricCell: Equatable {
  case int(Int)
  case float(Double)

  var value: Double {
    switch self {
    case .int(let i): return Double(i)
    case .float(let d): return d
    }
  }
}

/// What `CGAVCounting/utils.py` means: `post_process` per answered row, then `rating_func`.
/// Upstream's `evaluate` imports CG-Bench's `post_process` instead and fails on every table
/// (TypeError, `category`); vtools scores with the module's own functions, writing the
/// `_score.csv` and `_rating.json` that `evaluate` names.
struct CGAVCountingScorer {
  let rows: Rows

  static let countFields = ["acc", "oboa", "mae", "rmse"]
  static let clueFields = ["wcs", "ifa"]
  static let modes: [(String, [String])] = [("long_acc", countFields), ("ref_acc", countFields), ("clue_acc", clueFields)]

  /// `post_process` for a counting row: `w2n.word_to_num(response)` (0 when it fails), exact and
  /// ±1 hits, the absolute and squared errors, both for `2*answer` when the error exceeds
  /// `max(2*answer, 100)`; an empty response keeps the int zeros.
  static func count(response: String, answer: Double) -> [String: MetricCell] {
    guard !response.isEmpty else { return ["acc": .int(0), "oboa": .int(0), "mae": .int(0), "rmse": .int(0)] }
    let pred = WordToNumber.value(response) ?? 0
    let err = abs(answer - pred)
    var out: [String: MetricCell] = ["acc": .int(err <= 1e-5 ? 1 : 0), "oboa": .int(err <= 1 ? 1 : 0)]
    if err <= max(2 * answer, 100) {
      out["mae"] = .float(err)
      out["rmse"] = .float(err * err)
    } else {
      out["mae"] = .float(abs(answer * 2))
      out["rmse"] = .float(abs(answer * 2) * abs(answer * 2))
    }
    return out
  }

  /// `post_process` for a clue row: the `<answer>` JSON (or the first outer JSON in it) read by
  /// the category's rules, `wcs` from `compute_wcs_unlabeled` and `ifa` 1 when that worked; 0 and
  /// 0 when any step fails (upstream's `except Exception: pass`). nil `wcs`: upstream's 10 s
  /// alarm fired (never here: vtools has no time limit, so `wcs` is always a number).
  static func clue(response: String, clues: JSONValue, category: String) -> [String: MetricCell] {
    let zero: [String: MetricCell] = ["wcs": .int(0), "ifa": .int(0)]
    guard !response.isEmpty else { return zero }
    guard let j = ClueAnswer.parse(response), j != .null else { return zero }
    do {
      let wcs: Double
      switch category {
      case "event": wcs = try ClueAnswer.event(j, clues: clues)
      case "object": wcs = try ClueAnswer.object(j, clues: clues)
      case "attribute": wcs = try ClueAnswer.attribute(j, clues: clues)
      default: return zero
      }
      return ["wcs": .float(wcs), "ifa": .int(1)]
    } catch {
      return zero
    }
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var metrics = [[String: MetricCell]](repeating: [:], count: rows.count)
    var answered: [Int] = []
    var missing: [Int] = []
    var bad = 0
    var fieldOrder: [String] = []
    for r in 0..<rows.count {
      guard let pred = rows.prediction(r) else {
        missing.append(r)
        continue
      }
      answered.append(r)
      let mode = rows.cell(r, "task_mode") ?? ""
      var m: [String: MetricCell] = [:]
      switch mode {
      case "long_acc", "ref_acc":
        guard let answer = rows.cell(r, "answer").flatMap(PyNumber.float) else {
          ctx.diag.warning("row \(rows.id(r)): answer '\(rows.cell(r, "answer") ?? "nan")' is not a number (VLMEvalKit's float() fails here)")
          bad += 1
          continue
        }
        m = Self.count(response: pred, answer: answer)
        for f in Self.countFields where !fieldOrder.contains(f) { fieldOrder.append(f) }
      case "clue_acc":
        guard let text = rows.cell(r, "answer"), let clues = try? JSONParser.parse(Array(text.utf8)) else {
          ctx.diag.warning("row \(rows.id(r)): the clue answer is not JSON (VLMEvalKit's json.loads fails here)")
          bad += 1
          continue
        }
        m = Self.clue(response: pred, clues: clues, category: rows.cell(r, "category") ?? "")
        for f in Self.clueFields where !fieldOrder.contains(f) { fieldOrder.append(f) }
      default:
        ctx.diag.warning("row \(rows.id(r)): task_mode '\(mode)' is not long_acc, ref_acc or clue_acc")
        bad += 1
        continue
      }
      metrics[r] = m
    }
    // The table `evaluate` dumps: the unanswered rows first (score -1), then the answered ones
    // with their metrics; columns as pandas' concat leaves them.
    let order = missing + answered
    let metricColumns = fieldOrder
    // A column with a missing cell or a float in it is a float column (`1.0`); else ints.
    var floatColumn: [String: Bool] = [:]
    for f in metricColumns {
      floatColumn[f] = order.contains { r in
        guard let c = metrics[r][f] else { return true }
        if case .float = c { return true }
        return false
      }
    }
    func text(_ c: MetricCell?, float: Bool) -> String? {
      guard let c else { return nil }
      switch c {
      case .int(let i): return float ? Num.repr(Double(i)) : String(i)
      case .float(let d): return Num.repr(d)
      }
    }
    let base = rows.table.columns.filter { $0 != "score" && !metricColumns.contains($0) }
    let columns = base + ["score"] + metricColumns
    var table: [[String?]] = []
    var scores: [String?] = []
    for r in order {
      var line = base.map { rows.cell(r, $0) }
      // -1 in a column of NaNs is a float; alone (no row answered) an int.
      let s: String? = missing.contains(r) ? (answered.isEmpty ? "-1" : "-1.0") : nil
      line.append(s)
      scores.append(s)
      for f in metricColumns { line.append(text(metrics[r][f], float: floatColumn[f] ?? true)) }
      table.append(line)
    }
    // `rating_func`: per mode, the mean of each field over its rows (NaN left out), RMSE the
    // root of the mean squared error; `round(x, 4)`.
    var rating = JSONObject()
    var summaryRows: [SummaryRow] = []
    for (mode, names) in Self.modes {
      let modeRows = order.filter { rows.cell($0, "task_mode") == mode }
      for f in names {
        let values = modeRows.compactMap { metrics[$0][f]?.value }
        var v = values.isEmpty ? Double.nan : values.reduce(0, +) / Double(values.count)
        if f == "rmse" { v = v.squareRoot() }
        let rounded = Num.round(v, 4)
        rating["\(mode)/\(f)"] = rounded.isFinite ? .number(Num.repr(rounded)) : .number("NaN")
        summaryRows.append(SummaryRow(group: mode, name: f, total: values.count, value: rounded.isFinite ? rounded : nil))
      }
    }
    var summary = Summary(
      dataset: ctx.dataset, rules: "CG-AV-Counting", mode: ctx.mode, metric: "per-mode mean (acc, oboa, wcs, ifa: 0-1)", rows: summaryRows)
    summary.notes.append(
      "VLMEvalKit's evaluate() cannot score this table (it imports CG-Bench's post_process, which takes no category: TypeError); vtools applies CGAVCounting/utils.py's own post_process and rating_func, as evaluate() evidently means"
    )
    if !missing.isEmpty {
      summary.notes.append("\(missing.count) rows have no prediction: score -1, left out of every mean, as in VLMEvalKit")
    }
    if bad > 0 { summary.notes.append("\(bad) rows could not be scored (bad data; see the warnings)") }
    var o = Outcome(scores: scores, rating: .object(rating), summary: summary, badRows: bad)
    o.table = (columns, table)
    o.csvFiles = [QuotedCSV(suffix: "_score.csv", columns: columns, rows: table.map { $0.map { $0 ?? "" } })]
    return o
  }
}

/// Python number parsing as `float()` and `int()` do it on text.
enum PyNumber {
  /// `float(s)`: surrounding whitespace, a sign, `inf`/`nan`, single underscores between
  /// digits, any Unicode decimal digit; nil where Python raises ValueError.
  static func float(_ s: String) -> Double? {
    guard let ascii = normalized(s), !ascii.isEmpty else { return nil }
    let lower = ascii.lowercased()
    let body = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
    if ["inf", "infinity", "nan"].contains(body) { return Double(lower.replacingOccurrences(of: "infinity", with: "inf")) }
    // Python takes decimal forms only: no hex, no other words.
    guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-") }) else { return nil }
    guard body.contains(where: \.isNumber) else { return nil }
    return Double(ascii)
  }

  /// `int(s)`: surrounding whitespace, a sign, single underscores between digits, any Unicode
  /// decimal digit.
  static func int(_ s: String) -> Int? {
    guard let ascii = normalized(s) else { return nil }
    let body = ascii.hasPrefix("+") || ascii.hasPrefix("-") ? ascii.dropFirst() : Substring(ascii)
    guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(ascii)
  }

  /// The text stripped, Unicode decimal digits made ASCII, underscores between digits removed;
  /// nil for an underscore elsewhere.
  private static func normalized(_ s: String) -> String? {
    let u = Array(PyText.strip(s).unicodeScalars).map { c -> Unicode.Scalar in
      if c.value > 0x7F, c.properties.generalCategory == .decimalNumber, let v = c.properties.numericValue {
        return Unicode.Scalar(UInt8(48 + Int(v)))
      }
      return c
    }
    var out = String.UnicodeScalarView()
    for (i, c) in u.enumerated() {
      if c == "_" {
        let digit: (Unicode.Scalar) -> Bool = { $0.value >= 48 && $0.value <= 57 }
        guard i > 0, i + 1 < u.count, digit(u[i - 1]), digit(u[i + 1]) else { return nil }
        continue
      }
      out.append(c)
    }
    return String(out)
  }
}

/// word2number 1.1's `w2n.word_to_num`, which `post_process` reads counts with.
enum WordToNumber {
  static let words: [String: Int] = [
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
  ]
  static let decimalWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

  /// The number, or nil where `word_to_num` raises (no number word, a repeated or misplaced
  /// scale word, an empty group before a scale word).
  static func value(_ sentence: String) -> Double? {
    let s = PyStr(sentence).replacing("-", with: " ").lower().string
    // `str.isdigit()`: every character a digit (Unicode digits too); `int()` then reads only
    // decimal ones (a superscript digit fails).
    let isDigit = { (c: Unicode.Scalar) -> Bool in c.properties.numericType == .decimal || c.properties.numericType == .digit }
    if !s.isEmpty, s.unicodeScalars.allSatisfy(isDigit) {
      return PyNumber.int(s).map(Double.init)
    }
    var clean = PyStr(s).strip().split().map(\.string).filter { words[$0] != nil || $0 == "point" }
    if clean.isEmpty { return nil }
    for w in ["thousand", "million", "billion", "point"] where clean.filter({ $0 == w }).count > 1 { return nil }
    var decimals: [String] = []
    if let p = clean.firstIndex(of: "point") {
      decimals = Array(clean[(p + 1)...])
      clean = Array(clean[..<p])
    }
    let b = clean.firstIndex(of: "billion") ?? -1
    let m = clean.firstIndex(of: "million") ?? -1
    let t = clean.firstIndex(of: "thousand") ?? -1
    if (t > -1 && (t < m || t < b)) || (m > -1 && m < b) { return nil }
    func formation(_ ws: ArraySlice<String>) -> Int? {
      let n = ws.compactMap { words[$0] }
      guard n.count == ws.count, let first = n.first else { return nil }
      switch n.count {
      case 4: return n[0] * n[1] + n[2] + n[3]
      case 3: return n[0] * n[1] + n[2]
      case 2: return n.contains(100) ? n[0] * n[1] : n[0] + n[1]
      default: return first
      }
    }
    var total = 0
    if clean.count == 1 {
      total += words[clean[0]] ?? 0
    } else if clean.count > 1 {
      if b > -1 {
        guard let x = formation(clean[0..<b]) else { return nil }
        total += x * 1_000_000_000
      }
      if m > -1 {
        guard let x = formation(b > -1 ? clean[(b + 1)..<m] : clean[0..<m]) else { return nil }
        total += x * 1_000_000
      }
      if t > -1 {
        let part = m > -1 ? clean[(m + 1)..<t] : b > -1 ? clean[(b + 1)..<t] : clean[0..<t]
        guard let x = formation(part) else { return nil }
        total += x * 1000
      }
      let last = clean.count - 1
      var hundreds: Int? = 0
      if t > -1 && t != last {
        hundreds = formation(clean[(t + 1)...])
      } else if m > -1 && m != last {
        hundreds = formation(clean[(m + 1)...])
      } else if b > -1 && b != last {
        hundreds = formation(clean[(b + 1)...])
      } else if t == -1 && m == -1 && b == -1 {
        hundreds = formation(clean[...])
      }
      guard let h = hundreds else { return nil }
      total += h
    }
    var result = Double(total)
    if !decimals.isEmpty {
      // `get_decimal_sum`: 0 when a word is not a digit word.
      if decimals.allSatisfy(decimalWords.contains) {
        result += Double("0." + decimals.map { String(words[$0]!) }.joined()) ?? 0
      }
    }
    return result
  }
}

/// The clue answer's reading and the WCS of `CGAVCounting/utils.py`, with Python's behaviour on
/// odd JSON (a string indexed gives its characters, a dict iterated its keys, a non-number in
/// arithmetic fails).
enum ClueAnswer {
  /// Any Python exception inside `post_process`'s `try`.
  struct Failure: Error {}

  /// `re.search(r"<answer>(.*?)</answer>", response, re.DOTALL)`'s group stripped (else the
  /// whole response stripped), read by `json.loads`, else by `extract_outer_json`; nil when
  /// neither gives JSON.
  static func parse(_ response: String) -> JSONValue? {
    let s = PyStr(response)
    var answer = s.strip()
    if let a = s.find(PyStr("<answer>")), let b = s.find(PyStr("</answer>"), from: a + 8) { answer = s[(a + 8)..<b].strip() }
    if let v = try? JSONParser.parse(Array(answer.string.utf8)) { return v }
    return outerJSON(answer.string)
  }

  /// `extract_outer_json`: each outermost bracketed span (brackets counted even inside strings;
  /// a closer that does not match the last opener ignored), the first that parses.
  static func outerJSON(_ text: String) -> JSONValue? {
    let u = Array(text.unicodeScalars)
    var stack: [Unicode.Scalar] = []
    var start: Int?
    for (i, c) in u.enumerated() {
      if c == "{" || c == "[" {
        if stack.isEmpty { start = i }
        stack.append(c)
      } else if c == "}" || c == "]" {
        let opener: Unicode.Scalar = c == "}" ? "{" : "["
        if let last = stack.last, last == opener {
          stack.removeLast()
          if stack.isEmpty, let st = start {
            let candidate = String(String.UnicodeScalarView(u[st...i]))
            if let v = try? JSONParser.parse(Array(candidate.utf8)) { return v }
          }
        }
      }
    }
    return nil
  }

  // MARK: Python's view of JSON values

  /// `v[i]` for a non-negative `i`: a list's item, a string's character; a dict (no int keys in
  /// JSON) and scalars fail.
  static func item(_ v: JSONValue, _ i: Int) throws(Failure) -> JSONValue {
    switch v {
    case .array(let a) where i < a.count: return a[i]
    case .string(let s):
      let u = Array(s.unicodeScalars)
      guard i < u.count else { throw Failure() }
      return .string(String(u[i]))
    default: throw Failure()
    }
  }

  /// `for e in v`: a list's items, a dict's keys, a string's characters.
  static func elements(_ v: JSONValue) throws(Failure) -> [JSONValue] {
    switch v {
    case .array(let a): return a
    case .object(let o): return o.keys.map { .string($0) }
    case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
    default: throw Failure()
    }
  }

  /// `len(v)`.
  static func length(_ v: JSONValue) throws(Failure) -> Int {
    switch v {
    case .array(let a): return a.count
    case .object(let o): return o.count
    case .string(let s): return s.unicodeScalars.count
    default: throw Failure()
    }
  }

  /// A value in arithmetic or comparisons with numbers: a number or a bool; anything else fails.
  static func number(_ v: JSONValue) throws(Failure) -> Double {
    switch v {
    case .number(let n):
      guard let d = Double(n) else { throw Failure() }
      return d
    case .bool(let b): return b ? 1 : 0
    default: throw Failure()
    }
  }

  /// `float(v)` for a JSON value.
  static func float(_ v: JSONValue) throws(Failure) -> Double {
    if case .string(let s) = v {
      guard let d = PyNumber.float(s) else { throw Failure() }
      return d
    }
    return try number(v)
  }

  /// `time_str_to_seconds`: `[h:]m:s[.frac]`.
  static func seconds(_ text: String) throws(Failure) -> Double {
    let t = PyText.strip(text)
    var main = t
    var frac = 0.0
    if t.contains(".") {
      let parts = t.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 2, let f = PyNumber.float("0." + String(parts[1])) else { throw Failure() }
      main = String(parts[0])
      frac = f
    }
    var values: [Double] = []
    for p in main.split(separator: ":", omittingEmptySubsequences: false) {
      guard let v = PyNumber.int(String(p)) else { throw Failure() }
      values.append(Double(v))
    }
    switch values.count {
    case 2: return values[0] * 60 + values[1] + frac
    case 3: return values[0] * 3600 + values[1] * 60 + values[2] + frac
    default: throw Failure()
    }
  }

  /// `int(key.replace("Frame", "")) - 1`.
  static func frameIndex(_ key: String) throws(Failure) -> Int {
    guard let k = PyNumber.int(PyStr(key).replacing("Frame", with: "").string) else { throw Failure() }
    return k - 1
  }

  // MARK: The categories

  /// An event answer: a list of `[start, end]`, each `h:m:s` text (both with a colon), a number,
  /// or a text whose first space-separated word is a number. WCS by tIoU against the clues'
  /// `start`/`end`, one cluster each side.
  static func event(_ j: JSONValue, clues: JSONValue) throws(Failure) -> Double {
    var pred: [(JSONValue, JSONValue)] = []
    for e in try elements(j) {
      let a = try item(e, 0), b = try item(e, 1)
      if case .string(let sa) = a, case .string(let sb) = b, sa.contains(":"), sb.contains(":") {
        pred.append((.number(Num.repr(try seconds(sa))), .number(Num.repr(try seconds(sb)))))
      } else {
        func value(_ v: JSONValue) throws(Failure) -> JSONValue {
          guard case .string(let s) = v else { return v }
          guard let d = PyNumber.float(PyStr(s).split(" ")[0].string) else { throw Failure() }
          return .number(Num.repr(d))
        }
        pred.append((try value(a), try value(b)))
      }
    }
    var gt: [(Double, Double)] = []
    for e in try elements(clues) {
      guard case .object(let o) = e, let s = o["start"], let t = o["end"] else { throw Failure() }
      gt.append((try float(s), try float(t)))
    }
    return try WCS.unlabeled([.spans(gt)], [.rawSpans(pred)])
  }

  /// An object answer: `{"FrameK": [[x1, y1, x2, y2], ...]}` (or pairs of points), frame `K`
  /// counted from 1 among the clue frames. WCS by box IoU per frame, one cluster each side.
  static func object(_ j: JSONValue, clues: JSONValue) throws(Failure) -> Double {
    var times: [Double] = []
    var gt: [(Int, JSONValue)] = []
    let items = try elements(clues)
    for c in items {
      guard case .object(let o) = c, let t = o["timestamp"] else { throw Failure() }
      let v = try number(t)
      if !times.contains(v) { times.append(v) }
    }
    for c in items {
      guard case .object(let o) = c, let t = o["timestamp"], let box = o["bbox"] else { throw Failure() }
      let v = try number(t)
      gt.append((times.firstIndex(of: v)!, box))
    }
    guard case .object(let frames) = j else { throw Failure() }
    var pred: [(Int, JSONValue)] = []
    for (key, value) in frames.pairs where key.contains("Frame") {
      let idx = try frameIndex(key)
      if try length(value) == 0 { continue }
      let first = try item(value, 0)
      if case .array(let f) = first, f.count == 4 {
        for e in try elements(value) {
          if case .array(let b) = e, b.count == 4 { pred.append((idx, e)) }
        }
      } else if case .array(let f) = first, f.count == 2 {
        let n = try length(value)
        for ii in 0..<(n / 2) {
          if case .array(let p) = try item(value, ii * 2), p.count == 2, case .array(let q) = try item(value, ii * 2 + 1), q.count == 2 {
            pred.append((idx, .array([p[0], p[1], q[0], q[1]])))
          }
        }
      }
    }
    return try WCS.unlabeled([.boxes(gt)], [.boxes(pred)])
  }

  /// An attribute answer: `{"Frame K": [{"label": L, "bbox": [...]}, ...]}`; the boxes grouped
  /// by label (in order of first appearance) against the clue clusters, matched one to one.
  static func attribute(_ j: JSONValue, clues: JSONValue) throws(Failure) -> Double {
    var times: [Double] = []
    let clusters = try elements(clues)
    for cl in clusters {
      for c in try elements(cl) {
        guard case .object(let o) = c, let t = o["timestamp"] else { throw Failure() }
        let v = try number(t)
        if !times.contains(v) { times.append(v) }
      }
    }
    var gt: [WCS.Cluster] = []
    for cl in clusters {
      var g: [(Int, JSONValue)] = []
      for c in try elements(cl) {
        guard case .object(let o) = c, let t = o["timestamp"], let box = o["bbox"] else { throw Failure() }
        g.append((times.firstIndex(of: try number(t))!, box))
      }
      gt.append(.boxes(g))
    }
    guard case .object(let frames) = j else { throw Failure() }
    var labels: [String] = []
    var pred: [String: [(Int, JSONValue)]] = [:]
    for (key, value) in frames.pairs where key.contains("Frame") {
      let idx = try frameIndex(key)
      for e in try elements(value) {
        guard case .object(let o) = e, let label = o["label"] else { throw Failure() }
        let k = try labelKey(label)
        if pred[k] == nil {
          labels.append(k)
          pred[k] = []
        }
        for name in ["bbox", "bbox_2d"] {
          if case .array(let b) = o[name], b.count == 4 { pred[k]!.append((idx, .array(b))) }
        }
      }
    }
    return try WCS.unlabeled(gt, labels.map { .boxes(pred[$0]!) })
  }

  /// A label as a dict key, equal where Python's are (`1`, `1.0` and `true` are one key); a
  /// list or dict label fails (unhashable).
  static func labelKey(_ v: JSONValue) throws(Failure) -> String {
    switch v {
    case .string(let s): return "s" + s
    case .number, .bool: return try "n" + Num.repr(number(v))
    case .null: return "null"
    default: throw Failure()
    }
  }
}

/// `compute_wcs_unlabeled` and `compute_cluster_pair_wcs`: each ground-truth cluster matched to
/// at most one predicted cluster by the assignment of greatest total score (SciPy's
/// `linear_sum_assignment` on the negated scores), the mean over the ground-truth clusters.
enum WCS {
  enum Cluster {
    /// Time spans in seconds (the ground truth).
    case spans([(Double, Double)])
    /// Predicted spans as read (numbers, or values that fail when compared).
    case rawSpans([(JSONValue, JSONValue)])
    /// Boxes by clue-frame index.
    case boxes([(Int, JSONValue)])
  }

  static func unlabeled(_ gt: [Cluster], _ pred: [Cluster]) throws(ClueAnswer.Failure) -> Double {
    var scores: [[Double]] = []
    for g in gt {
      var row: [Double] = []
      for p in pred { row.append(try pair(g, p)) }
      scores.append(row)
    }
    guard !gt.isEmpty else { throw ClueAnswer.Failure() }  // total / K with K = 0
    let matches: [(row: Int, column: Int)]
    do {
      matches = try Assignment.minimize(scores.map { $0.map { -$0 } })
    } catch {
      throw ClueAnswer.Failure()
    }
    return matches.reduce(0.0) { $0 + scores[$1.row][$1.column] } / Double(gt.count)
  }

  /// Python's `max(a, b)` and `min(a, b)`: the first unless the second is greater (smaller).
  static func pmax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }
  static func pmin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }

  /// `math.sqrt(loc_acc * max(0, count_penalty))`.
  static func combine(_ loc: Double, _ penalty: Double) throws(ClueAnswer.Failure) -> Double {
    let x = loc * (penalty > 0 ? penalty : 0)
    guard !(x < 0) else { throw ClueAnswer.Failure() }
    return x.squareRoot()
  }

  static func pair(_ g: Cluster, _ p: Cluster) throws(ClueAnswer.Failure) -> Double {
    switch (g, p) {
    case (.spans(let gt), .rawSpans(let pred)):
      var sum = 0.0
      for s in gt {
        var best: Double?
        for q in pred {
          let q0 = try ClueAnswer.number(q.0), q1 = try ClueAnswer.number(q.1)
          let v = tIoU(s, (q0, q1))
          best = best.map { v > $0 ? v : $0 } ?? v
        }
        sum += best ?? 0
      }
      let loc = gt.isEmpty ? 0 : sum / Double(gt.count)
      let penalty = 1 - Double(abs(pred.count - gt.count)) / Double(max(gt.count, 1))
      return try combine(loc, penalty)
    case (.boxes(let gt), .boxes(let pred)):
      var frames: [Int] = []
      for (f, _) in gt + pred where !frames.contains(f) { frames.append(f) }
      // Python iterates the set of frame indices: ascending for the small indices clues have.
      frames.sort()
      var total = 0.0
      for f in frames {
        let g = gt.filter { $0.0 == f }.map(\.1), q = pred.filter { $0.0 == f }.map(\.1)
        var loc = 0.0
        for (i, k) in try greedy(g, q) { loc += try boxIoU(g[i], q[k]) }
        loc = g.isEmpty ? 0 : loc / Double(g.count)
        total += try combine(loc, 1 - Double(abs(q.count - g.count)) / Double(max(g.count, 1)))
      }
      return total / Double(max(frames.count, 1))
    default:
      throw ClueAnswer.Failure()
    }
  }

  /// `compute_tiou`.
  static func tIoU(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
    let inter = pmax(0.0, pmin(a.1, b.1) - pmax(a.0, b.0))
    let union = pmax(a.1, b.1) - pmin(a.0, b.0)
    return union > 0 ? inter / union : 0
  }

  /// `compute_sIoU`: the IoU of two boxes, each corner pair ordered first.
  static func boxIoU(_ a: JSONValue, _ b: JSONValue) throws(ClueAnswer.Failure) -> Double {
    func box(_ v: JSONValue) throws(ClueAnswer.Failure) -> [Double] {
      guard case .array(let c) = v, c.count >= 4 else { throw ClueAnswer.Failure() }
      let x = try ClueAnswer.number(c[0]), y = try ClueAnswer.number(c[1]), x2 = try ClueAnswer.number(c[2]), y2 = try ClueAnswer.number(c[3])
      return [pmin(x, x2), pmin(y, y2), pmax(x, x2), pmax(y, y2)]
    }
    let p = try box(a), q = try box(b)
    let w = pmax(0, pmin(p[2], q[2]) - pmax(p[0], q[0]))
    let h = pmax(0, pmin(p[3], q[3]) - pmax(p[1], q[1]))
    let inter = w * h
    let union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter
    return union > 0 ? inter / union : 0
  }

  /// `greedy_matching`: repeatedly the unmatched pair of greatest IoU (the first in index order
  /// on a tie).
  static func greedy(_ g: [JSONValue], _ q: [JSONValue]) throws(ClueAnswer.Failure) -> [(Int, Int)] {
    var freeG = Array(g.indices), freeQ = Array(q.indices)
    var matches: [(Int, Int)] = []
    while !freeG.isEmpty && !freeQ.isEmpty {
      var best = -1.0
      var pick: (Int, Int)?
      for i in freeG {
        for k in freeQ {
          let v = try boxIoU(g[i], q[k])
          if v > best {
            best = v
            pick = (i, k)
          }
        }
      }
      // No pair compares greater than -1 (NaN IoUs): upstream loops until its alarm.
      guard let chosen = pick else { throw ClueAnswer.Failure() }
      let (i, k) = chosen
      matches.append((i, k))
      freeG.removeAll { $0 == i }
      freeQ.removeAll { $0 == k }
    }
    return matches
  }
}
