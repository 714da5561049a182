import Foundation
import VCore
import VData
import VPrompt
import VScore

// CG-Bench (VLMEvalKit `vlmeval/dataset/cgbench.py`, `vlmeval/dataset/utils/cgbench.py`;
// families reference 4.6): multiple choice and clue grounding. Each question is in the TSV three
// times, by `task_mode`: `long_acc` (frames of the whole video), `clue_acc` (frames of the clue
// intervals only) and `miou` (the clue intervals are the answer).

extension Benchmark {
  public static let cgBenchMCQ: Benchmark = {
    // `save_video_frames`: `{root}/{video}` (`cg_videos_720p/{video_uid}.mp4`), frames cached under
    // `images/{dataset}/{video_uid}/`, the lock beside the video; clue_acc rows from their merged
    // clue intervals under `clue_images/{dataset}/{qid}/`, at most 32 frames.
    let clue = ClueRule(
      modeField: "task_mode", modeValue: "clue_acc", intervalsField: "clue_intervals", keyField: "qid", folder: "clue_images", maxFrames: 32)
    let video = VideoRule(field: "video", lock: .besideVideo(suffix: ".lock"), keyField: "video_uid", clue: clue)
    func config(_ name: String, _ dataset: String, _ n: Int, subtitleTime: Bool, frameTime: Bool) -> BenchmarkConfig {
      BenchmarkConfig(
        name, dataset: dataset, spec: .frames(n), video: video, subtitles: true,
        prompt: CGBenchMCQPrompt(nframe: n, subtitleTime: subtitleTime, frameTime: frameTime))
    }
    return Benchmark(
      name: "CG-Bench MCQ/grounding", datasets: [CGBench.mcqMini, CGBench.mcq],
      configs: [
        config("CGBench_MCQ_Grounding_Mini_8frame_subs_subt", CGBench.mcqMini, 8, subtitleTime: true, frameTime: false),
        config("CGBench_MCQ_Grounding_32frame_subs", CGBench.mcq, 32, subtitleTime: false, frameTime: false),
        config("CGBench_MCQ_Grounding_16frame_subs_subt_ft", CGBench.mcq, 16, subtitleTime: true, frameTime: true),
      ],
      prompt: CGBenchMCQPrompt(nframe: 32, subtitleTime: false, frameTime: false), scoring: CGBenchMCQRule())
  }()
}

/// CG-Bench's names and texts.
enum CGBench {
  static let mcqMini = "CG-Bench_MCQ_Grounding_Mini"
  static let mcq = "CG-Bench_MCQ_Grounding"

  /// `CGBench_MCQ_Grounding.SYS`, by task mode (`miou` when the prompt shows frame times,
  /// `miou_wo_frame_time` otherwise).
  static let systemLong =
    "You will be provided with sampled frames from a video, along with a multiple-choice question that includes a question and several answer options.\nYour task is to analyze the provided frames, infer the most plausible answer based on the visual information.\nIf the video does not provide enough information, infer the answer based on the options available and still provide a result. Therefore, In all cases, an answer must be given.\nOnly output the answer in the following format:\n\n```json\n{\"result\": \"option\"}\n```\n\nThe \"option\" is the uppercase letter corresponding to your answer.\n\n"
  static let systemClue =
    "You will be provided with sampled frames from a video, along with a multiple-choice question that includes a question and several answer options.\nYour task is to analyze the provided frames, infer the most plausible answer based on the visual information.\nIf the video does not provide enough information, infer the answer based on the options available and still provide a result. Therefore, In all cases, an answer must be given.\nOnly output the answer in the following format:\n\n```json\n{\"result\": \"option\"}\n```\n\nThe 'option' is the uppercase letter corresponding to your answer.\n\n"
  static let systemMIoU =
    "You will be provided with uniformly sampled frames from a video and their timestamps, along with a multiple-choice question that includes a question and several answer options.\nYour task is to determine in which intervals the 'clue intervals' exist that contain visual information needed to answer the question.\nOnly output the answer in the following format:\n\n```json\n{\"result\": [[start1, end1], [start2, end2], ...]}\n```\n\nIn this output format, each 'start' and 'end' represents the beginning and end of an interval in seconds where relevant clues can be found.\nYou must provide at least one interval and at most five intervals. Intervals exceeding five will NOT be considered valid.\n"
  static let systemMIoUNoFrameTime =
    "You will be provided with uniformly sampled frames from a video, along with a multiple-choice question that includes a question and several answer options.\nYour task is to determine in which intervals the 'clue intervals' exist that contain visual information needed to answer the question.\nOnly output the answer in the following format:\n\n```json\n{\"result\": [[start1, end1], [start2, end2], ...]}\n```\n\nIn this output format, each \"start\" and \"end\" represents the start and end of the video where the relevant clue can be found in the form of a floating point number between 0 and 1, where 0 represents the start time of the video and 1 represents the end time of the video.\nYou must provide at least one interval and at most five intervals. Intervals exceeding five will NOT be considered valid.\n"

  static let timestampsHead = "A total of "
  static let timestampsMiddle = " frames are sampled. Their corresponding timestamps are:\n\n"
  static let subtitlesHead = "The subtitles of the video are as follows:\n\n"

  /// `get_timestampes`: `str(round(idx / fps, 4))` for each frame, joined with `, `.
  static func timestamps(_ indices: [Int], fps: Double) -> String {
    let seconds = indices.map { Num.repr(Num.round(Double($0) / fps, 4)) }
    return timestampsHead + String(indices.count) + timestampsMiddle + seconds.joined(separator: ", ") + "\n\n"
  }

  /// `get_subtitles`: for each sampled frame (time `int(round(f * (1000/fps)))` ms, pysubs2's
  /// `make_time`), every event with `start < t < end`, `\N` as a space, prefixed
  /// `[{start/1000}, {end/1000}] ` with `subtitleTime`, kept when non-blank and not already kept;
  /// with no frame every event. Empty when nothing is kept.
  static func subtitles(_ events: [(start: Int, end: Int, text: String)], frameIndices: [Int], fps: Double, subtitleTime: Bool) -> String {
    var kept: [String] = []
    func add(_ e: (start: Int, end: Int, text: String)) {
      var text = e.text.replacingOccurrences(of: "\\N", with: " ")
      if subtitleTime { text = "[\(Num.repr(Double(e.start) / 1000)), \(Num.repr(Double(e.end) / 1000))] " + text }
      if !PyText.strip(text).isEmpty && !kept.contains(text) { kept.append(text) }
    }
    if frameIndices.isEmpty {
      events.forEach(add)
    } else {
      for f in frameIndices {
        let t = PyText.round(Double(f) * (1000 / fps))
        for e in events where e.start < t && e.end > t { add(e) }
      }
    }
    return kept.isEmpty ? "" : subtitlesHead + kept.joined(separator: "\n") + "\n\n"
  }

  /// The subtitle text of a record (`subtitle_path` under the data root): empty without
  /// subtitles or without a path (`pd.isna`); a missing file is an error (VLMEvalKit asserts).
  /// `frameIndices` replaces the record's frames (a video-LLM `clue_acc` row matches the whole
  /// video's frames, not its clue frames).
  static func subtitleText(_ t: TemplateInput, subtitleTime: Bool, frameIndices: [Int]? = nil) throws(PromptError) -> String {
    guard t.subtitles, let rel = t.optionalField("subtitle_path"), !rel.isEmpty else { return "" }
    let path = rel.hasPrefix("/") ? rel : t.datasetRoot + "/" + rel
    let events = try SubtitleText.srtEvents(path: path)
    guard let fps = t.avgFPS else { throw PromptError(code: .missingField, message: "subtitles need video_info.avg_fps (from vframes)") }
    return subtitles(events, frameIndices: frameIndices ?? t.frameIndices, fps: fps, subtitleTime: subtitleTime)
  }

  /// `"Question: {q}\n\n"` then `{L}:{option}` lines of `eval(choices)` and a blank line.
  static func questionText(_ t: TemplateInput) throws(PromptError) -> String {
    let choices = try t.candidates("choices")
    let options = choices.enumerated().map { "\(OptionLetter.all[min($0.offset, 25)]):\($0.element)" }
    return "Question: " + (try t.field("question")) + "\n\n" + options.joined(separator: "\n") + "\n\n"
  }
}

/// `CGBench_MCQ_Grounding[_Mini].build_prompt`: the frames (clue frames for `clue_acc`), then one
/// text: the mode's system prompt, the frame timestamps (`use_frame_time`), the subtitles at the
/// sampled frames (`use_subtitle`, with their times for `use_subtitle_time`, never for `miou`
/// without frame times), the question and the options. With `--video-llm`: the video (the clue
/// video for `clue_acc`) and the same text without timestamps, the subtitles matched to the
/// config's `nframe` frames of the whole video (for `clue_acc` too).
struct CGBenchMCQPrompt: PromptTemplate {
  let nframe: Int
  let subtitleTime: Bool
  let frameTime: Bool

  var name: String { "cgbench-mcq" + (subtitleTime ? "-subt" : "") + (frameTime ? "-ft" : "") }
  var constants: [String] {
    [
      CGBench.systemLong, CGBench.systemClue, CGBench.systemMIoU, CGBench.systemMIoUNoFrameTime, CGBench.timestampsHead,
      CGBench.timestampsMiddle, CGBench.subtitlesHead, "Question: ",
    ]
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let mode = try t.field("task_mode")
    var subtitleTime = self.subtitleTime
    let system: String
    switch mode {
    case "long_acc": system = CGBench.systemLong
    case "clue_acc": system = CGBench.systemClue
    case "miou":
      if frameTime && !t.videoLLM {
        system = CGBench.systemMIoU
      } else {
        system = CGBench.systemMIoUNoFrameTime
        subtitleTime = false
      }
    default:
      throw PromptError(code: .badField, message: "task_mode must be long_acc, clue_acc or miou, found '\(mode)'")
    }
    var items: [MessageItem]
    var user = ""
    var subtitleFrames: [Int]?
    if t.videoLLM {
      if mode == "clue_acc" {
        let rel = try t.field("clue_video_path")
        items = [.video(rel.hasPrefix("/") ? rel : t.datasetRoot + "/" + rel)]
        // `save_video_frames(video, uid=video_uid, num_frames=nframe)`: the base rule over the whole
        // video (vframes' video_info is the whole video's for a clue row too).
        if let n = t.record["video_info"]?.objectValue?["n_frames"]?.intValue {
          subtitleFrames = FrameIndexFormula.uniform(frameCount: n, nframe: nframe)
        }
      } else {
        items = try t.visual()
      }
    } else {
      items = try t.visual()
      if frameTime {
        guard let fps = t.avgFPS else { throw PromptError(code: .missingField, message: "frame times need video_info.avg_fps (from vframes)") }
        user += CGBench.timestamps(t.frameIndices, fps: fps)
      }
    }
    user += try CGBench.subtitleText(t, subtitleTime: subtitleTime, frameIndices: subtitleFrames)
    user += try CGBench.questionText(t)
    return items + [.text(system + user)]
  }
}

struct CGBenchMCQRule: ScoringRule {
  var name: String { "cgbench-mcq" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none("CG-Bench's multiple-choice and grounding answers are parsed from their JSON; no judge is asked")
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { CGBenchMCQScorer(rows: rows).score(ctx) }
}

/// `utils/cgbench.py`'s scoring of one reply (`post_process`) and its IoU.
enum CGBenchParse {
  /// A Python exception in `post_process`'s `try` (caught there: the fallback runs).
  struct Raised: Error {}

  /// `post_process(response, right_answer, task_mode, duration)`: -1 (no score), 0/1 for
  /// `long_acc`/`clue_acc`, the IoU for `miou`. `answer` is the table's cell (the letter, or the
  /// clue intervals' list literal). Throws where VLMEvalKit's fallback itself raises (a `miou`
  /// answer that is not a list of intervals).
  static func score(response: String?, answer: String?, mode: String, duration: Double) throws -> Double {
    guard let response, !response.isEmpty else { return -1 }
    var result = -1.0
    let text = PyStr(response)
    var content = PyStr("")
    if let start = text.find(PyStr("```json")), let end = text.find(PyStr("```"), from: start + 7) {
      content = text[(start + 7)..<end].strip()
    }
    let letterMode = mode == "long_acc" || mode == "clue_acc"
    if content.count > 0 {
      if letterMode { content = quoteBareWords(content) }
      do {
        guard case .object(let o) = try JSONParser.parse(content.string), let model = o["result"] else { throw Raised() }
        if letterMode {
          result = model.stringValue != nil && model.stringValue == answer ? 1 : 0
        } else if mode == "miou" {
          guard case .array(var intervals) = model else { return -1 }
          guard let first = intervals.first else { throw Raised() }
          if first.arrayValue == nil { intervals = [model] }
          var numeric = try intervals.map(numbers)
          if try needsDuration(numeric) { numeric = numeric.map { [$0[0] * duration, $0[1] * duration] } }
          result = try iou(try truth(answer), numeric)
        }
      } catch {
        // json.loads failed, or the reply's intervals are not numbers: the fallback decides.
      }
    }
    if result == -1 {
      if letterMode {
        let matches = letters(text)
        if !matches.isEmpty { result = matches.contains(answer ?? "\u{0}") ? 1 : 0 }
      } else if mode == "miou" {
        var numbers = numberTexts(text)
        if numbers.count >= 2 {
          if numbers.count % 2 != 0 { numbers.removeLast() }
          let pairs = stride(from: 0, to: numbers.count, by: 2).map { [numbers[$0], numbers[$0 + 1]] }
          result = try iou(try truth(answer), pairs)
        }
      }
    }
    return result
  }

  /// `eval(right_answer)` of a `miou` row: a list of `[start, end]` numbers.
  static func truth(_ answer: String?) throws -> [[Double]] {
    guard let answer, let v = try? JSONParser.parse(answer), case .array(let items) = v else { throw Raised() }
    return try items.map(numbers)
  }

  /// An interval's entries as numbers (Python's bools are numbers too); anything else raises
  /// where VLMEvalKit compares or adds it.
  static func numbers(_ v: JSONValue) throws -> [Double] {
    guard case .array(let items) = v else { throw Raised() }
    return try items.map { item in
      if case .bool(let b) = item { return b ? 1 : 0 }
      guard let d = item.doubleValue else { throw Raised() }
      return d
    }
  }

  /// `all(interval[0] <= 1 and interval[1] <= 1 for interval in model_result)`, short-circuit
  /// as Python evaluates it (a missing entry raises only where it is reached).
  static func needsDuration(_ intervals: [[Double]]) throws -> Bool {
    for iv in intervals {
      guard let a = iv.first else { throw Raised() }
      if !(a <= 1) { return false }
      guard iv.count > 1 else { throw Raised() }
      if !(iv[1] <= 1) { return false }
    }
    return true
  }

  /// `merge_intervals`: stable sort by start, then each interval that starts at or before the
  /// last merged end extends it.
  static func merge(_ intervals: [[Double]]) throws -> [[Double]] {
    guard !intervals.isEmpty else { return [] }
    guard intervals.allSatisfy({ !$0.isEmpty }) else { throw Raised() }
    let sorted = intervals.enumerated().sorted { $0.element[0] < $1.element[0] || ($0.element[0] == $1.element[0] && $0.offset < $1.offset) }
    var merged = [sorted[0].element]
    for (_, cur) in sorted.dropFirst() {
      guard merged[merged.count - 1].count > 1 else { throw Raised() }
      if cur[0] <= merged[merged.count - 1][1] {
        guard cur.count > 1 else { throw Raised() }
        merged[merged.count - 1][1] = max(merged[merged.count - 1][1], cur[1])
      } else {
        merged.append(cur)
      }
    }
    return merged
  }

  /// `calculate_intervals_iou`: the union of each list's merged intervals against the other's,
  /// intersection over union (0 when the union is empty).
  static func iou(_ a: [[Double]], _ b: [[Double]]) throws -> Double {
    let m1 = try merge(a), m2 = try merge(b)
    guard (m1 + m2).allSatisfy({ $0.count == 2 }) else { throw Raised() }
    let l1 = m1.reduce(0) { $0 + ($1[1] - $1[0]) }, l2 = m2.reduce(0) { $0 + ($1[1] - $1[0]) }
    var inter = 0.0
    for x in m1 { for y in m2 { inter += max(0, min(x[1], y[1]) - max(x[0], y[0])) } }
    let union = l1 + l2 - inter
    return union > 0 ? inter / union : 0
  }

  /// `re.sub(r"(?<=:\s)([A-Za-z_]\w*)", r'"\1"', s)`: a bare word after a colon and one
  /// whitespace character is quoted.
  static func quoteBareWords(_ s: PyStr) -> PyStr {
    var out: [Unicode.Scalar] = []
    var i = 0
    while i < s.count {
      let u = s.u[i]
      let asciiStart = (u >= "A" && u <= "Z") || (u >= "a" && u <= "z") || u == "_"
      if asciiStart, i >= 2, s.u[i - 2] == ":", PyText.isSpace(s.u[i - 1]) {
        var j = i + 1
        while j < s.count, isWord(s.u[j]) { j += 1 }
        out.append("\"")
        out += s.u[i..<j]
        out.append("\"")
        i = j
        continue
      }
      out.append(u)
      i += 1
    }
    return PyStr(out)
  }

  /// `re.findall(r"\b[A-H]\b", s)`.
  static func letters(_ s: PyStr) -> [String] {
    var out: [String] = []
    for i in 0..<s.count where s.u[i] >= "A" && s.u[i] <= "H" {
      let before = i > 0 && isWord(s.u[i - 1]), after = i + 1 < s.count && isWord(s.u[i + 1])
      if !before && !after { out.append(String(s.u[i])) }
    }
    return out
  }

  /// `[float(x) for x in re.findall(r"-?\d+\.?\d*", s)]` (`\d` any decimal digit, as `float`
  /// reads them).
  static func numberTexts(_ s: PyStr) -> [Double] {
    func digit(_ i: Int) -> Bool { i < s.count && s.u[i].properties.generalCategory == .decimalNumber }
    var out: [Double] = []
    var i = 0
    while i < s.count {
      var j = i
      if s.u[j] == "-" && digit(j + 1) { j += 1 }
      guard digit(j) else {
        i += 1
        continue
      }
      var text = i < j ? "-" : ""
      while digit(j) {
        text += String(s.u[j].properties.numericType != nil ? Int(s.u[j].properties.numericValue ?? 0) : 0)
        j += 1
      }
      if j < s.count, s.u[j] == "." {
        text += "."
        j += 1
        while digit(j) {
          text += String(Int(s.u[j].properties.numericValue ?? 0))
          j += 1
        }
      }
      out.append(Double(text.hasSuffix(".") ? text + "0" : text) ?? .nan)
      i = j
    }
    return out
  }

  /// Python's `\w` for one code point: a letter, a digit or numeric character, or `_`.
  static func isWord(_ u: Unicode.Scalar) -> Bool {
    if u == "_" || u.properties.numericType != nil { return true }
    switch u.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }
}

/// `CGBench_MCQ_Grounding.evaluate`: each row scored by `post_process` (-1 without a prediction),
/// the score file with the rows without a prediction first (`pd.concat([na, scored])`), then
/// `get_dimention_rating_mcq_grouding` over the rows whose score is not -1.
struct CGBenchMCQScorer {
  let rows: Rows

  static let durations = ["0 ~ 10", "10 ~ 20", "20 ~ 30", "30 ~ 40", "40 ~ 50", "50 ~ 60", "60+"]
  static let domains = [
    "Life Record", "Music & TV show", "Instruction & Knowledge", "Driving", "Embodied Expert", "Humor/funny", "Electonic/Social Gaming",
    "Security & Health", "Sports & Exercise", "Special Scenes", "Art & Culture", "GUI", "News", "Animal & Pet",
  ]
  static let subCategories = [
    "Time Cognition", "Hallucination", "Entity Perception", "2D Spatial Perception", "Time Perception", "Scene Perception", "Text Perception",
    "Event Cognition", "Entity Cognition", "Text Cognition", "Event Perception", "Scene Cognition",
  ]
  static let metrics = ["long_acc", "clue_acc", "miou", "CRR", "acc@iou", "rec@iou"]

  /// One scored row as the rating reads it.
  struct Scored {
    var mode: String
    var qid: String
    var score: Double
    var duration: String?
    var domain: String
    var subCategory: String
  }

  /// `pd.cut(duration / 60, bins=[-inf, 10, 20, ..., 60, inf], labels=DURATIONS)` (right-closed).
  static func durationBin(_ seconds: Double) -> String? {
    let m = seconds / 60
    guard !m.isNaN else { return nil }
    for (k, upper) in [10.0, 20, 30, 40, 50, 60].enumerated() where m <= upper { return durations[k] }
    return durations[6]
  }

  /// pandas' `mean` (numpy's pairwise sum over the count); NaN when empty.
  static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : EASI.pairwiseSum(v[...]) / Double(v.count) }

  /// A float as Python's `json.dump` writes it (`NaN` for NaN).
  static func float(_ x: Double) -> JSONValue { x.isNaN ? .number("NaN") : .double(x) }

  /// `round(x, 4)` of a float.
  static func r4(_ x: Double) -> JSONValue { float(Num.round(x, 4)) }

  static func rating(_ rows: [Scored]) -> JSONValue {
    func scores(_ s: [Scored], _ mode: String) -> [Double] { s.filter { $0.mode == mode }.map(\.score) }
    func crr(_ s: [Scored]) -> JSONValue {
      let long = mean(scores(s, "long_acc")), clue = mean(scores(s, "clue_acc"))
      guard clue != 0 else { return .int(0) }
      // Python's min(long, clue): the first unless the second is smaller (NaN compares false).
      return r4((clue < long ? clue : long) / clue)
    }
    func accAt(_ s: [Scored], _ threshold: Double) -> Double {
      let miou = Set(s.filter { $0.mode == "miou" }.map(\.qid)), long = Set(s.filter { $0.mode == "long_acc" }.map(\.qid))
      let valid = miou.intersection(long)
      let positive = Set(s.filter { $0.mode == "miou" && $0.score > threshold }.map(\.qid))
      let hits = s.filter { $0.mode == "long_acc" && positive.contains($0.qid) && $0.score == 1 }.count
      return valid.isEmpty ? 0 : Num.round(Double(hits) / Double(valid.count), 4)
    }
    func recAt(_ s: [Scored], _ threshold: Double) -> Double {
      let miou = s.filter { $0.mode == "miou" }
      return miou.isEmpty ? 0 : Num.round(Double(miou.filter { $0.score > threshold }.count) / Double(miou.count), 4)
    }
    let thresholds = [0.1, 0.2, 0.3, 0.4, 0.5]
    func averaged(_ f: (Double) -> Double) -> JSONValue { r4(thresholds.map(f).reduce(0, +) / Double(thresholds.count)) }

    var out = JSONObject()
    for metric in metrics {
      // The per-metric subset for the three base metrics; the whole frame for the composite ones.
      func value(_ s: [Scored]) -> JSONValue {
        switch metric {
        case "CRR": return crr(s)
        case "acc@iou": return averaged { accAt(s, $0) }
        case "rec@iou": return averaged { recAt(s, $0) }
        default:
          let v = scores(s, metric)
          return v.isEmpty ? .int(0) : r4(mean(v))
        }
      }
      let base = ["long_acc", "clue_acc", "miou"].contains(metric)
      var o = JSONObject()
      o["overall"] = base ? r4(mean(scores(rows, metric))) : value(rows)
      var d = JSONObject(), m = JSONObject(), c = JSONObject()
      for k in durations { d[k] = value(rows.filter { $0.duration == k }) }
      for k in domains { m[k] = value(rows.filter { $0.domain == k }) }
      for k in subCategories { c[k] = value(rows.filter { $0.subCategory == k }) }
      o["duration"] = .object(d)
      o["domain"] = .object(m)
      o["sub_category"] = .object(c)
      out[metric] = .object(o)
    }
    return .object(out)
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [Double] = []
    var bad: [String] = []
    for r in 0..<rows.count {
      let mode = rows.cell(r, "task_mode") ?? ""
      let duration = rows.cell(r, "duration").flatMap(Double.init) ?? .nan
      do {
        scores.append(try CGBenchParse.score(response: rows.prediction(r), answer: rows.cell(r, "answer"), mode: mode, duration: duration))
      } catch {
        // VLMEvalKit's fallback raises here (the answer is not a list of intervals): no score.
        scores.append(-1)
        bad.append(rows.id(r))
      }
    }
    // The score file: rows without a prediction first, then the others, each in table order.
    let missing = (0..<rows.count).filter { (rows.prediction($0) ?? "").isEmpty }
    let present = (0..<rows.count).filter { !(rows.prediction($0) ?? "").isEmpty }
    let order = missing + present
    let columns = rows.table.columns + (rows.table.columns.contains("score") ? [] : ["score"])
    let scoreAt = columns.firstIndex(of: "score")!
    let tableRows: [[String?]] = order.map { r in
      var cells = rows.table.columns.map { rows.cell(r, $0) }
      if scoreAt == cells.count { cells.append(nil) }
      return cells
    }
    let scored = order.compactMap { r -> Scored? in
      guard scores[r] != -1 else { return nil }
      return Scored(
        mode: rows.cell(r, "task_mode") ?? "", qid: rows.cell(r, "qid").map(Num.integerText) ?? "", score: scores[r],
        duration: rows.cell(r, "duration").flatMap(Double.init).flatMap(Self.durationBin), domain: rows.cell(r, "domain") ?? "",
        subCategory: rows.cell(r, "sub_category") ?? "")
    }
    let rating = Self.rating(scored)
    var summaryRows: [SummaryRow] = []
    if case .object(let o) = rating {
      for metric in Self.metrics {
        let overall = o[metric]?.objectValue?["overall"]?.doubleValue
        let n = metric == "CRR" || metric == "acc@iou" ? scored.count : scored.filter { $0.mode == (metric == "rec@iou" ? "miou" : metric) }.count
        summaryRows.append(SummaryRow(group: "overall", name: metric, total: n, value: overall))
      }
      for metric in ["long_acc", "clue_acc", "miou"] {
        for k in Self.durations {
          let n = scored.filter { $0.mode == metric && $0.duration == k }.count
          guard n > 0 else { continue }
          summaryRows.append(
            SummaryRow(group: "duration: " + metric, name: k, total: n, value: o[metric]?.objectValue?["duration"]?.objectValue?[k]?.doubleValue))
        }
      }
    }
    var summary = Summary(dataset: ctx.dataset, rules: "CG-Bench MCQ/grounding", mode: ctx.mode, metric: "score (0-1)", rows: summaryRows)
    let rejected = scores.filter { $0 == -1 }.count
    summary.notes.append(
      "of \(rows.count) rows, \(missing.count) have no prediction and \(rejected - missing.count) could not be scored: they count as -1 and are left out of the rating, as in VLMEvalKit"
    )
    if !bad.isEmpty {
      summary.notes.append(
        "\(bad.count) miou rows have an answer that is not a list of [start, end] intervals (first: \(bad[0])); VLMEvalKit's fallback raises there, vscore gives them -1"
      )
    }
    var outcome = Outcome(scores: order.map { Num.cell(scores[$0]) }, rating: rating, summary: summary)
    outcome.table = (columns, tableRows)
    return outcome
  }
}

// MARK: - Open-ended

extension Benchmark {
  public static let cgBenchOpenEnded: Benchmark = {
    // `save_video_frames` without clue intervals: `{root}/{video}`, cache `images/{dataset}/{video_uid}/`.
    let video = VideoRule(field: "video", lock: .besideVideo(suffix: ".lock"), keyField: "video_uid")
    // The second judge round's frames (`save_clue_video_frames(..., num_frames=32)`): every row
    // from its merged clue intervals, cached `clue_images/{dataset}/{qid}/`; `vframes --judge-frames`.
    let clue = ClueRule(modeField: nil, modeValue: "", intervalsField: "clue_intervals", keyField: "qid", folder: "clue_images", maxFrames: 32)
    let judge = JudgeFrames(
      spec: .frames(32), video: VideoRule(field: "video", lock: .besideVideo(suffix: ".lock"), keyField: "video_uid", clue: clue))
    func config(_ name: String, _ dataset: String, _ n: Int, subtitles: Bool, subtitleTime: Bool, frameTime: Bool) -> BenchmarkConfig {
      BenchmarkConfig(
        name, dataset: dataset, spec: .frames(n), video: video, subtitles: subtitles,
        prompt: CGBenchOpenPrompt(subtitleTime: subtitleTime, frameTime: frameTime), judgeFrames: judge)
    }
    return Benchmark(
      name: "CG-Bench open-ended", datasets: [CGBench.openMini, CGBench.open],
      configs: [
        config("CGBench_OpenEnded_Mini_8frame_subs_subt_ft", CGBench.openMini, 8, subtitles: true, subtitleTime: true, frameTime: true),
        config("CGBench_OpenEnded_8frame", CGBench.open, 8, subtitles: false, subtitleTime: false, frameTime: false),
        config("CGBench_OpenEnded_16frame_subs_subt_ft", CGBench.open, 16, subtitles: true, subtitleTime: true, frameTime: true),
      ],
      prompt: CGBenchOpenPrompt(subtitleTime: false, frameTime: false), scoring: CGBenchOpenRule())
  }()
}

extension CGBench {
  static let openMini = "CG-Bench_OpenEnded_Mini"
  static let open = "CG-Bench_OpenEnded"

  /// `CGBench_OpenEnded.SYS`.
  static let systemOpen =
    "You will be provided with sampled frames from a video, along with a question.\nYour task is to analyze the provided frames and infer the most plausible answer based on the visual information.\nIf the visual information is ambiguous or insufficient, use the available context to reason your answer.\nOnly output the answer in the following format:\n\n```json\n{\"result\": \"answer\"}\n```\n\nThe \"answer\" can be a word, phrase, or sentence that directly responds to the question.\n\n"

  /// `sys_prompt_open_eval_step_1`, `sys_prompt_open_eval_step_2`.
  static let judgeStep1 =
    "You will be provided with a question, a model's prediction, and the ground truth answer for this question.\nYour task is to judge whether the model's prediction is correct based on the meaning of the two texts.\nIn most cases, this can be done by determining if the meaning of the model's prediction is consistent with, or contains, the ground truth answer. However, in some cases where the two texts differ, it may represent different descriptions of the same visual scene, in which case visual information is needed for further judgment.\nTherefore, I hope you:\n- Output 0, if the model's prediction and the ground truth answer are neither consistent nor related by inclusion, with fundamentally different meanings.\n- Output 1, if the meaning of the model's prediction and the ground truth answer is consistent, or if the model's prediction meaningfully contains the ground truth answer.\n- Output 2, if the model's prediction and ground truth are not consistent or inclusive, but may be different descriptions of the same visual scene, requiring visual information for further judgment.\nOnly output the answer in the following format:\n\n```json\n{\"result\": choice}\n```\n\nThe choice is either 0, 1, or 2 as specified above."
  static let judgeStep2 =
    "You will be provided with a question, a model's prediction, and the sampling frames of the clue intervals related to this question.\nYour task is to determine whether the model has answered the question correctly based on the visual information provided.\nTherefore, I hope you:\n- Output 0, if the model's prediction does not correctly answer the question.\n- Output 1, if the model's prediction correctly answers the question.\nOnly output the answer in the following format without output extra explanation:\n\n```json\n{\"result\": choice}\n```\n\nThe choice is either 0 or 1 as specified above."
}

/// `CGBench_OpenEnded[_Mini].build_prompt`: the frames (or the video), then one text: the system
/// prompt, the frame timestamps (`use_frame_time`, frames only), the subtitles at the sampled
/// frames (`use_subtitle`, with times for `use_subtitle_time`) and `Question: {question}`.
/// VLMEvalKit appends a frame-matched subtitle only when `use_subtitle_time` is set (its
/// indentation); vtools appends it either way: no config has subtitles without their times.
struct CGBenchOpenPrompt: PromptTemplate {
  let subtitleTime: Bool
  let frameTime: Bool

  var name: String { "cgbench-open" + (subtitleTime ? "-subt" : "") + (frameTime ? "-ft" : "") }
  var constants: [String] { [CGBench.systemOpen, CGBench.timestampsHead, CGBench.timestampsMiddle, CGBench.subtitlesHead, "Question: "] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let items = try t.visual()
    var user = ""
    if frameTime && !t.videoLLM {
      guard let fps = t.avgFPS else { throw PromptError(code: .missingField, message: "frame times need video_info.avg_fps (from vframes)") }
      user += CGBench.timestamps(t.frameIndices, fps: fps)
    }
    user += try CGBench.subtitleText(t, subtitleTime: subtitleTime)
    user += "Question: " + (try t.field("question")) + "\n\n"
    return items + [.text(CGBench.systemOpen + user)]
  }
}

/// The open-ended judge's readings (`post_process_open`, `post_process_eval_open`).
enum CGBenchOpen {
  /// A JSON block's `result`, or nil (no block, unreadable, no `result`).
  static func jsonResult(_ response: String) -> Result<PyValue, CGBenchParse.Raised>? {
    let text = PyStr(response)
    guard let start = text.find(PyStr("```json")), let end = text.find(PyStr("```"), from: start + 7) else { return nil }
    let content = text[(start + 7)..<end].strip()
    guard content.count > 0 else { return nil }
    guard case .object(let o)? = try? JSONParser.parse(content.string), let v = o["result"] else { return .failure(CGBenchParse.Raised()) }
    return .success(PyValue(json: v))
  }

  /// Python's `value == -1` (numbers and booleans compare by value).
  static func number(_ v: PyValue) -> Double? {
    switch v {
    case .int(let i): return Double(i)
    case .float(let d): return d
    case .bool(let b): return b ? 1 : 0
    default: return nil
    }
  }

  /// `post_process_open`: the reply's JSON `result`, else the reply itself; nil (VLMEvalKit's -1)
  /// for the failure marker.
  static func modelResult(_ response: String) -> PyValue? {
    guard !response.isEmpty, response != FailMarker.message else { return nil }
    if case .success(let v)? = jsonResult(response), number(v) != -1 { return v }
    return .str(response)
  }

  /// `post_process_eval_open(response, step)`: the JSON `result` (-1 when the block cannot be
  /// read), else the first of `0 1 2` (step 1) or `0 1` (step 2) in the reply, else -1.
  static func judgement(_ reply: JudgeReply?, step: Int) -> PyValue {
    guard let reply, !reply.failed, !reply.text.isEmpty, reply.text != FailMarker.message else { return .int(-1) }
    var result = PyValue.int(-1)
    switch jsonResult(reply.text) {
    case .failure?: return .int(-1)
    case .success(let v)?: result = v
    case nil: break
    }
    if number(result) == -1 {
      let digits: Set<Unicode.Scalar> = step == 1 ? ["0", "1", "2"] : ["0", "1"]
      if let d = reply.text.unicodeScalars.first(where: { digits.contains($0) }) { result = .int(Int(d.value) - 48) }
    }
    return result
  }
}

/// `CGBench_OpenEnded.evaluate`: a text-only judge round (0, 1, or 2 for "needs the frames"), and
/// a second round, shown the row's 32 clue frames, for the replies of 2.
struct CGBenchOpenRule: ScoringRule {
  var name: String { "cgbench-open" }

  /// The rows the judge is asked about, with their model results.
  static func asked(_ rows: Rows) -> [(row: Int, result: PyValue)] {
    (0..<rows.count).compactMap { r in
      guard let p = rows.prediction(r), !p.isEmpty, let v = CGBenchOpen.modelResult(p) else { return nil }
      return (r, v)
    }
  }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .prompts(
      Self.asked(rows).map { r, v in
        let text =
          "Question: \(rows.cell(r, "question") ?? "nan")\n\nThe ground truth answer is '\(rows.cell(r, "answer") ?? "nan")'\n\nThe model's prediction is '\(v.pythonStr)'\n\n"
        return JudgePrompt(id: rows.id(r), kind: "cgbench_open_step1", system: CGBench.judgeStep1, prompt: text)
      })
  }

  func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt] {
    guard round == 2 else { return [] }
    return Self.asked(rows).compactMap { r, v in
      let id = rows.id(r)
      guard CGBenchOpen.number(CGBenchOpen.judgement(replies.reply(round: 1, id), step: 1)) == 2 else { return nil }
      guard let cell = rows.cell(r, "judge_frames"), let list = try? JSONParser.parse(cell), case .array(let items) = list else { return nil }
      var p = JudgePrompt(
        id: id, kind: "cgbench_open_step2", system: CGBench.judgeStep2,
        prompt: "Question: \(rows.cell(r, "question") ?? "nan")\n\nThe model's prediction is '\(v.pythonStr)'\n\n", round: 2,
        images: items.compactMap(\.stringValue))
      p.textFirst = true
      return p
    }
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { CGBenchOpenScorer(rows: rows).score(ctx) }
}

/// The score file and `get_dimention_rating_open_ended`.
struct CGBenchOpenScorer {
  let rows: Rows

  /// One row of the score file: its table row, the added cells and its group (VLMEvalKit's
  /// `pd.concat` order: no prediction, failed, judged -1, judged 0/1, then the second round's -1
  /// and 0/1).
  struct Line {
    var row: Int
    var group: Int
    var modelResult: String
    var step1: String?
    var step2: String?
    var score: Double?
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    let replies = ctx.judged ?? [:]
    var lines: [Line] = []
    var dropped = 0, unanswered = 0, noFrames = 0
    for r in 0..<rows.count {
      guard let p = rows.prediction(r), !p.isEmpty else {
        lines.append(Line(row: r, group: 0, modelResult: "-1", step1: "-1", step2: "-1", score: -1))
        continue
      }
      guard let v = CGBenchOpen.modelResult(p) else {
        lines.append(Line(row: r, group: 1, modelResult: "-1", step1: nil, step2: nil, score: nil))
        continue
      }
      let id = rows.id(r)
      if replies.reply(round: 1, id) == nil { unanswered += 1 }
      let s1 = CGBenchOpen.judgement(replies.reply(round: 1, id), step: 1)
      let n1 = CGBenchOpen.number(s1)
      switch n1 {
      case -1: lines.append(Line(row: r, group: 2, modelResult: v.pythonStr, step1: s1.pythonStr, step2: s1.pythonStr, score: -1))
      case 0, 1: lines.append(Line(row: r, group: 3, modelResult: v.pythonStr, step1: s1.pythonStr, step2: s1.pythonStr, score: n1))
      case 2:
        let reply = replies.reply(round: 2, id)
        if reply == nil { noFrames += 1 }
        let s2 = CGBenchOpen.judgement(reply, step: 2)
        switch CGBenchOpen.number(s2) {
        case -1: lines.append(Line(row: r, group: 4, modelResult: v.pythonStr, step1: s1.pythonStr, step2: nil, score: -1))
        case 0, 1: lines.append(Line(row: r, group: 5, modelResult: v.pythonStr, step1: s1.pythonStr, step2: nil, score: CGBenchOpen.number(s2)))
        default: dropped += 1
        }
      default: dropped += 1
      }
    }
    lines.sort { ($0.group, $0.row) < ($1.group, $1.row) }
    let added = ["model_result", "step_1_result", "step_2_result", "score"]
    let base = rows.table.columns.filter { !added.contains($0) }
    let columns = base + added
    let tableRows: [[String?]] = lines.map { l in base.map { rows.cell(l.row, $0) } + [l.modelResult, l.step1, l.step2, nil] }
    // get_dimention_rating_open_ended: rows scored -1 left out, NaN scores kept but not averaged.
    let kept = lines.filter { $0.score != -1 }
    func mean(_ ls: [Line]) -> Double { CGBenchMCQScorer.mean(ls.compactMap(\.score)) }
    func group(_ ls: [Line]) -> JSONValue { ls.isEmpty ? .int(0) : CGBenchMCQScorer.r4(mean(ls)) }
    func bin(_ l: Line) -> String? { rows.cell(l.row, "duration").flatMap(Double.init).flatMap(CGBenchMCQScorer.durationBin) }
    var d = JSONObject(), m = JSONObject(), c = JSONObject()
    var summaryRows = [SummaryRow(group: "overall", name: "overall", total: kept.filter { $0.score != nil }.count, value: nil)]
    summaryRows[0].value = mean(kept).isNaN ? nil : Num.round(mean(kept), 4)
    for k in CGBenchMCQScorer.durations {
      let ls = kept.filter { bin($0) == k }
      d[k] = group(ls)
      if !ls.isEmpty { summaryRows.append(SummaryRow(group: "duration", name: k, total: ls.count, value: d[k]?.doubleValue)) }
    }
    for k in CGBenchMCQScorer.domains {
      let ls = kept.filter { rows.cell($0.row, "domain") == k }
      m[k] = group(ls)
      if !ls.isEmpty { summaryRows.append(SummaryRow(group: "domain", name: k, total: ls.count, value: m[k]?.doubleValue)) }
    }
    for k in CGBenchMCQScorer.subCategories {
      let ls = kept.filter { rows.cell($0.row, "sub_category") == k }
      c[k] = group(ls)
      if !ls.isEmpty { summaryRows.append(SummaryRow(group: "sub_category", name: k, total: ls.count, value: c[k]?.doubleValue)) }
    }
    let rating = JSONValue.object(
      JSONObject([("overall", CGBenchMCQScorer.r4(mean(kept))), ("duration", .object(d)), ("domain", .object(m)), ("sub_category", .object(c))]))
    var summary = Summary(dataset: ctx.dataset, rules: "CG-Bench open-ended", mode: ctx.mode, metric: "score (0-1)", rows: summaryRows)
    summary.notes.append(
      "judged by \(ctx.judgeName) (VLMEvalKit forces gpt-4o-0806); judge records are keyed by row id (VLMEvalKit keys them by an unordered set of qids, §3.4)"
    )
    if ctx.judged == nil { summary.notes.append("no --judged answers: every judged row counts as -1 (run pipelines/judge.sh)") }
    if unanswered > 0 { summary.notes.append("\(unanswered) judge records have no answer in the --judged files: their rows count as -1") }
    if noFrames > 0 {
      summary.notes.append(
        "\(noFrames) rows judged 2 have no second-round answer and count as -1: that round is asked only of rows with frames (vscore --judge-frames, from vframes --judge-frames)"
      )
    }
    if dropped > 0 {
      summary.notes.append(
        "\(dropped) rows whose judgement is none of -1, 0, 1, 2 are left out of the score file, as VLMEvalKit's evaluate drops them")
    }
    var outcome = Outcome(scores: lines.map { Num.cell($0.score) }, rating: rating, summary: summary)
    outcome.table = (columns, tableRows)
    return outcome
  }
}
