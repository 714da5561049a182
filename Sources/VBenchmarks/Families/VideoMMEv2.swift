import VCore
import VData
import VPrompt
import VScore

// Video-MME-v2 (VLMEvalKit `vlmeval/dataset/videommev2.py`, extractor in
// `vlmeval/dataset/utils/videomme.py`, configs in `video_dataset_config.py`).

extension Benchmark {
  public static let videoMMEv2: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "video", zeroPadding: 3)
    let resize = FrameResize(area: 448 * 448)
    // (suffix, sampling, subtitles, interleave, reasoning, resize), as `videommev2_dataset` lists them.
    let variants: [(String, SamplingSpec, Bool, Bool, Bool, Bool)] = [
      ("64frame", .frames(64), false, false, false, false), ("1fps", .perSecond(1), false, false, false, false),
      ("64frame_subs", .frames(64), true, false, false, false), ("1fps_subs", .perSecond(1), true, false, false, false),
      ("64frame_subs_interleave", .frames(64), true, true, false, false), ("1fps_subs_interleave", .perSecond(1), true, true, false, false),
      ("64frame_reasoning", .frames(64), false, false, true, false), ("64frame_reasoning_subs", .frames(64), true, false, true, false),
      ("64frame_reasoning_subs_interleave", .frames(64), true, true, true, false), ("64frame_resize", .frames(64), false, false, false, true),
      ("1fps_resize", .perSecond(1), false, false, false, true), ("64frame_resize_subs", .frames(64), true, false, false, true),
      ("64frame_resize_subs_interleave", .frames(64), true, true, false, true), ("64frame_resize_reasoning", .frames(64), false, false, true, true),
    ]
    let configs = variants.map { v in
      BenchmarkConfig(
        "Video-MME-v2_\(v.0)", dataset: v.5 ? VideoMMEv2Prompt.resizedDataset : "Video-MME-v2", spec: v.1, video: video, subtitles: v.2,
        resize: v.5 ? resize : nil, prompt: VideoMMEv2Prompt(interleave: v.3, reasoning: v.4))
    }
    return Benchmark(
      name: "Video-MME-v2", datasets: ["Video-MME-v2", VideoMMEv2Prompt.resizedDataset], configs: configs,
      prompt: VideoMMEv2Prompt(interleave: false, reasoning: false), scoring: VideoMMEv2Rule(),
      sources: [DatasetSource(name: "Video-MME-v2", repo: "MME-Benchmarks/Video-MME-v2", preparation: VideoMMEv2Preparation())])
  }()
}

/// `VideoMMEv2.prepare_dataset`: every zip of `videos/` (sorted) flattened into `video/` only when that is not there (made
/// whole or not at all here), then the TSV from `test.parquet` (read with pyarrow): `index`,
/// `video` = `str(video_id)`, `video_path` = `./video/{video_id}.mp4`, `subtitle_path` =
/// `./subtitle/{video_id}.jsonl`, then the Parquet's `url group_type group_structure
/// question_id question options answer level second_head third_head`.
struct VideoMMEv2Preparation: DatasetPreparation {
  static let columns = [
    "index", "video", "video_path", "subtitle_path", "url", "group_type", "group_structure", "question_id", "question", "options", "answer",
    "level", "second_head", "third_head",
  ]

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let videoTarget = Tree.join(root, "video")
    if !Tree.exists(videoTarget) {
      let zipDir = Tree.join(root, "videos")
      guard Tree.isDirectory(zipDir) else { throw .missing(path: zipDir, hint: "Video-MME-v2's videos ship as zips in it") }
      let zips = Tree.list(zipDir).filter { $0.hasSuffix(".zip") }.map { Tree.join(zipDir, $0) }.sorted()
      try ArchiveExtractor.extractOnce(zips, intoNew: videoTarget, layout: .flatten)
      diag.verbose("extracted \(zips.count) video archives into video/")
    }
    let path = Tree.join(root, "test.parquet")
    let rows = try PythonHelper.parquetRows(path)
    var table = PandasTSV()
    for (i, row) in rows.enumerated() {
      let id: String
      switch row["video_id"] {
      case .string(let s)?: id = s
      case .number(let t)? where Int(t) != nil: id = t
      default: throw .badSource(path: path, reason: "row \(i) has no string or integer video_id")
      }
      var values: [PyValue] = [.int(i), .str(id), .str("./video/\(id).mp4"), .str("./subtitle/\(id).jsonl")]
      for c in Self.columns.dropFirst(4) {
        guard let v = row[c] else { throw .badSource(path: path, reason: "no column '\(c)' (KeyError upstream)") }
        if case .array = v { throw .badSource(path: path, reason: "column '\(c)' holds lists (pandas prints numpy arrays; not reproduced)") }
        values.append(PyValue(json: v))
      }
      table.append(Array(zip(Self.columns, values)))
    }
    if rows.isEmpty { table.select(Self.columns) }
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }
}

/// `VideoMMEv2.build_prompt`: the frames (with `interleave` and subtitles, each followed by the
/// words spoken until the next frame), one text describing them, then the question, its option
/// block and the response prompt (`reasoning`: THINK_PROMPT). The video-LLM form is one video
/// item with VLMEvalKit's size and sampling keys; it never interleaves.
struct VideoMMEv2Prompt: PromptTemplate {
  /// Subtitles between the frames (`subtitle_interleave`; only with subtitles, as VLMEvalKit).
  let interleave: Bool
  /// THINK_PROMPT instead of INSTRUCT_PROMPT (`reasoning`).
  let reasoning: Bool

  /// The frame-cache folder of the `_resize` configs (`frame_root + '_resize200704'`).
  static let resizedDataset = "Video-MME-v2_resize200704"
  static let withoutSubtitles = "These are the frames of a video."
  static let subtitleHead = "These are the frames of a video. This video's subtitles are listed below:\n"
  static let subtitleTail = "\n"
  static let interleaved =
    "These are the frames of a video with corresponding subtitles shown between frames. The subtitles indicate what is being said during the time interval between adjacent frames."
  /// THINK_PROMPT, verbatim (its quote is never closed).
  static let think =
    "Please perform a detailed reasoning based on the provided video frames to answer the following multiple-choice question selecting the best option from A through H and providing your final response strictly in the format: 'Final Answer: <letter>."
  static let instruct =
    "Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, D, E, F, G, or H) of the correct option."
  /// The video-LLM item's target area (`448 * 448`, sides multiples of 16).
  static let videoArea = FrameResize(area: 448 * 448)

  var name: String { "videommev2" + (reasoning ? "_reasoning" : "") + (interleave ? "_interleave" : "") }
  var constants: [String] {
    [
      Self.withoutSubtitles, Self.subtitleHead, Self.subtitleTail, interleave ? Self.interleaved : "", reasoning ? Self.think : Self.instruct,
      "Question: ", "[Subtitle ", "s - ", "s]: ",
    ]
  }

  /// `str(int(video)).zfill(3)`.
  static func videoKey(_ t: TemplateInput) throws(PromptError) -> String {
    let raw = try t.field("video")
    guard let key = VideoRule.zeroPadded(raw, width: 3) else {
      throw PromptError(code: .badField, message: "field 'video' must be an integer video id, found '\(raw)'")
    }
    return key
  }

  /// The words of `{root}/subtitle/{key}.jsonl` (the path `build_prompt` reads; the TSV's
  /// `subtitle_path` names the same file); none, with a warning, when it does not exist.
  static func words(_ t: TemplateInput, key: String) throws(PromptError) -> [SubtitleWord] {
    let path = t.datasetRoot + "/subtitle/" + key + ".jsonl"
    guard let w = try WordSubtitles.load(path) else {
      t.warn("subtitle file \(path) not found: using the subtitle prompt with no subtitles (as VLMEvalKit)")
      return []
    }
    return w
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let key = try Self.videoKey(t)
    let question = "Question: " + (try t.field("question")) + "\n" + (try t.field("options")) + "\n"
    let tail = MessageItem.text(question + (reasoning ? Self.think : Self.instruct))
    func concatenated() throws(PromptError) -> String {
      guard t.subtitles else { return Self.withoutSubtitles }
      return Self.subtitleHead + WordSubtitles.joined(try Self.words(t, key: key)) + Self.subtitleTail
    }
    if t.videoLLM { return [try videoItem(t), .text(try concatenated()), tail] }
    let frames = try t.visual()
    guard t.subtitles && interleave else { return frames + [.text(try concatenated()), tail] }
    let info = t.record["video_info"]?.objectValue
    guard let fps = t.avgFPS, fps > 0, let count = info?["n_frames"]?.intValue else {
      throw PromptError(code: .missingField, message: "interleaved subtitles need video_info.avg_fps and video_info.n_frames (from vframes)")
    }
    let times = t.frameIndices.map { Double($0) / fps }
    guard times.count == frames.count else { throw PromptError(code: .badField, message: "frames and frame_indices differ in length") }
    let words = try Self.words(t, key: key)
    var out: [MessageItem] = []
    for (i, frame) in frames.enumerated() {
      let start = times[i]
      let end = i + 1 < times.count ? times[i + 1] : Double(count) / fps
      out.append(frame)
      let chunk = try WordSubtitles.between(words, start: start, end: end)
      if !chunk.isEmpty { out.append(.text("[Subtitle \(Self.seconds(start))s - \(Self.seconds(end))s]: \(chunk)")) }
    }
    return out + [.text(Self.interleaved), tail]
  }

  /// Python's `f'{x:.2f}'`.
  static func seconds(_ x: Double) -> String { String(format: "%.2f", x) }

  /// The video-LLM item: the source video with `resized_height`/`resized_width` (448 x 448 area
  /// from the video's size) and `nframes` or `fps` from the sampling vframes used.
  func videoItem(_ t: TemplateInput) throws(PromptError) -> MessageItem {
    let info = t.record["video_info"]?.objectValue
    guard let path = info?["path"]?.stringValue, let w = info?["width"]?.intValue, let h = info?["height"]?.intValue else {
      throw PromptError(
        code: .missingField, message: "the Video-MME-v2 video-LLM prompt needs video_info.path, width and height (pipe vframes output into vprompt)")
    }
    guard let sampling = t.record["sampling"]?.objectValue else {
      throw PromptError(code: .missingField, message: "the Video-MME-v2 video-LLM prompt needs the record's sampling (from vframes)")
    }
    let size = Self.videoArea.size(width: w, height: h)
    var hints = VideoHints(resizedHeight: size.height, resizedWidth: size.width)
    if sampling["method"]?.stringValue == "fps" {
      guard let fps = sampling["fps"]?.doubleValue else { throw PromptError(code: .badField, message: "sampling.fps must be a number") }
      hints.fps = fps
    } else {
      guard let n = sampling["nframe"]?.intValue else { throw PromptError(code: .badField, message: "sampling.nframe must be an integer") }
      hints.nframes = n
    }
    return .video(path, hints: hints)
  }
}

// MARK: - Scoring

/// `extract_characters_regex_v2` and its strict counterpart.
enum VideoMMEv2Answer {
  /// The prefixes it removes, in order.
  static let prefixes = [
    "Final Answer:", "The best answer is", "The correct answer is", "The answer is", "The answer", "The best option is",
    "The correct option is", "Best answer:", "Best option:", "Answer:", "Option:",
  ]
  static let finalAnswer = "Final Answer:"

  static func isOption(_ u: Unicode.Scalar) -> Bool { u.value >= 0x41 && u.value <= 0x48 }  // A-H
  static func isWordScalar(_ u: Unicode.Scalar) -> Bool { u.properties.isAlphabetic || u.properties.numericType != nil }

  /// The prediction with the prefixes removed (after `strip()`).
  static func cleaned(_ prediction: String) -> PyStr {
    var s = PyStr(prediction).strip()
    for p in prefixes { s = s.replacing(p, with: "") }
    return s
  }

  /// Parity: the first A-H anywhere in the cleaned text, or "" (so `Because` reads as B and
  /// VLMEvalKit's failure text as F).
  static func parity(_ prediction: String) -> String {
    cleaned(prediction).u.first(where: isOption).map { String($0) } ?? ""
  }

  /// Where parity's letter sits inside a word (`Because` -> B).
  static func parityLetterInsideWord(_ prediction: String) -> Bool {
    let u = cleaned(prediction).u
    guard let i = u.firstIndex(where: isOption) else { return false }
    return !isStandalone(u, i)
  }

  static func isStandalone(_ u: [Unicode.Scalar], _ i: Int) -> Bool {
    (i == 0 || !isWordScalar(u[i - 1])) && (i + 1 == u.count || !isWordScalar(u[i + 1]))
  }

  /// The first A-H that stands alone (no letter or digit on either side), or "".
  static func firstStandalone(_ u: [Unicode.Scalar]) -> String {
    for i in u.indices where isOption(u[i]) && isStandalone(u, i) { return String(u[i]) }
    return ""
  }

  /// Strict: no letter from a failed answer; the letter after the last `Final Answer:` when
  /// there is one; otherwise the first standalone A-H of the cleaned text.
  static func strict(_ prediction: String) -> String {
    let p = PyStr(prediction)
    if p.contains(failMarker) { return "" }
    let marker = PyStr(finalAnswer)
    var last: Int?
    var from = 0
    while let i = p.find(marker, from: from) {
      last = i
      from = i + 1
    }
    guard let last else { return firstStandalone(cleaned(prediction).u) }
    return firstStandalone(cleaned(p[(last + marker.count)..<p.count].string).u)
  }

  /// `extract_option(None, row, 'Video-MME')`: choices from the question's lines after the first
  /// (`A.` anywhere in line 1 names option A, ...) over the row's option columns, then
  /// `can_infer`; nil when it finds no option.
  static func fallback(_ rows: Rows, _ r: Int, prediction: String, strict: Bool) -> String? {
    var choices = Dictionary(uniqueKeysWithValues: rows.optionColumns(r))
    let lines = PyStr(rows.cell(r, "question") ?? "nan").split("\n").dropFirst()
    for (n, line) in lines.enumerated() where n < 26 {
      let letter = OptionLetter.at(n)
      if let i = line.find(PyStr(letter + ".")) {
        choices[letter] = stripDotsAndSpaces(line[(i + 2)..<line.count].string)
      }
    }
    let ordered = OptionLetter.all.compactMap { l in choices[l].map { (l, $0) } }
    if case .letter(let l) = Matching.canInfer(prediction, choices: ordered, strict: strict) { return l }
    return nil
  }

  /// Python's `s.strip('. \n')`.
  static func stripDotsAndSpaces(_ s: String) -> String {
    let drop: Set<Unicode.Scalar> = [".", " ", "\n"]
    var u = Array(s.unicodeScalars)
    while let f = u.first, drop.contains(f) { u.removeFirst() }
    while let l = u.last, drop.contains(l) { u.removeLast() }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: u)
    return String(out)
  }
}

/// A logic group's `group_structure`: which questions form a chain.
enum VideoMMEv2Structure: Equatable {
  /// `[1, 2, 3, 4]`
  case chain
  /// `[1, [2, 3], 4]`
  case middlePair
  /// `[[1, 2], 3, 4]`
  case firstPair

  /// `ast.literal_eval` of the cell compared with the three lists; nil for anything else.
  init?(_ text: String) {
    guard let v = Self.parse(Array(text.unicodeScalars)) else { return nil }
    switch v {
    case "[1,2,3,4]": self = .chain
    case "[1,[2,3],4]": self = .middlePair
    case "[[1,2],3,4]": self = .firstPair
    default: return nil
    }
  }

  /// A Python list literal of non-negative integers and lists, canonically written (no
  /// spaces, no trailing commas); nil when the text is not one.
  static func parse(_ u: [Unicode.Scalar]) -> String? {
    var i = 0
    func skip() { while i < u.count, PyText.isSpace(u[i]) { i += 1 } }
    func item(_ depth: Int) -> String? {
      skip()
      guard i < u.count, depth < 8 else { return nil }
      if u[i] == "[" {
        i += 1
        var parts: [String] = []
        while true {
          skip()
          guard i < u.count else { return nil }
          if u[i] == "]" {
            i += 1
            return "[" + parts.joined(separator: ",") + "]"
          }
          guard let p = item(depth + 1) else { return nil }
          parts.append(p)
          skip()
          guard i < u.count else { return nil }
          if u[i] == "," {
            i += 1
          } else if u[i] != "]" {
            return nil
          }
        }
      }
      var digits = ""
      while i < u.count, u[i].value >= 0x30 && u[i].value <= 0x39 {
        digits.unicodeScalars.append(u[i])
        i += 1
      }
      // Python rejects leading zeros in a decimal literal (`01`).
      guard !digits.isEmpty, digits == "0" || !digits.hasPrefix("0") else { return nil }
      return digits
    }
    guard let v = item(0) else { return nil }
    skip()
    return i == u.count ? v : nil
  }
}

/// The group ratings (`cal_relevance`, `cal_logic`), worked on one group's scores in row order.
enum VideoMMEv2Groups {
  /// `{0: 0, 1: 100/16, 2: 100*4/16, 3: 100*9/16, 4: 100}` by the number right.
  static let quadratic: [Double] = [0, 100.0 / 16, 100.0 * 4 / 16, 100.0 * 9 / 16, 100]

  /// `cal_relevance`: (the non-linear score by the count right, 25 per right answer).
  static func relevance(_ scores: [Bool]) -> (Double, Double) {
    let c = scores.filter { $0 }.count
    return (c < quadratic.count ? quadratic[c] : 0, Double(c) * 25)
  }

  /// `cal_logic`: the questions right before the first wrong one, with the structure's skip
  /// (`[1,[2,3],4]`: 1 right, 2 wrong, 3 right counts 2; `[[1,2],3,4]`: 1 wrong, 2 right
  /// counts 1), through the structure's map. Missing questions (a short last group) are wrong.
  static func logic(_ scores: [Bool], _ s: VideoMMEv2Structure) -> Double {
    func at(_ i: Int) -> Bool { i < scores.count && scores[i] }
    var k = 0
    while at(k) { k += 1 }
    let map: [Double]
    switch s {
    case .chain:
      map = quadratic
    case .middlePair:
      map = [0, 100.0 / 12, 100.0 * 4 / 12, 100.0 * 7 / 12, 100]
      if k == 1 && at(2) { k = 2 }
    case .firstPair:
      map = [0, 100.0 / 10, 100.0 * 2 / 10, 100.0 * 5 / 10, 100]
      if k == 0 && at(1) { k = 1 }
    }
    return k < map.count ? map[k] : 0
  }
}

struct VideoMMEv2Rule: ScoringRule {
  var name: String { "video-mme-v2" }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .none(
      "vtools scores Video-MME-v2 by rule, as VLMEvalKit's --judge exact_matching (its evaluate() asserts with the default judge run.py picks for Video-MME names)"
    )
  }

  /// The `_1fps` configs VLMEvalKit cannot build (nframe=64 stays beside fps=1.0).
  static let unbuildable: Set<String> = [
    "Video-MME-v2_1fps", "Video-MME-v2_1fps_subs", "Video-MME-v2_1fps_subs_interleave", "Video-MME-v2_1fps_resize",
  ]

  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome {
    for c in ["answer", "group_type"] where !rows.table.has(c) {
      throw SimpleToolError("the table has no '\(c)' column (Video-MME-v2 results carry the dataset's columns)", status: .dataError)
    }
    var right: [Bool] = []
    var failed = 0
    var failedRight = 0
    var insideWord = 0
    var beforeFinal = 0
    var missing = 0
    var changed = 0
    for r in 0..<rows.count {
      let cell = rows.prediction(r)
      if cell == nil { missing += 1 }
      let pred = cell ?? "nan"  // str(prediction): NaN is 'nan'
      let answer = rows.cell(r, "answer")
      let p = PyStr(pred)
      let parity = VideoMMEv2Answer.parity(pred)
      let strict = VideoMMEv2Answer.strict(pred)
      if parity != strict { changed += 1 }
      if p.contains(failMarker) {
        failed += 1
      } else if parity != strict {
        if VideoMMEv2Answer.parityLetterInsideWord(pred) { insideWord += 1 }
        if p.contains(VideoMMEv2Answer.finalAnswer) { beforeFinal += 1 }
      }
      var letter = ctx.strict ? strict : parity
      if letter.isEmpty && !(ctx.strict && p.contains(failMarker)) {
        letter = VideoMMEv2Answer.fallback(rows, r, prediction: pred, strict: ctx.strict) ?? "Z"
      }
      let ok = !letter.isEmpty && letter == answer
      if ok && p.contains(failMarker) { failedRight += 1 }
      right.append(ok)
    }
    let g = groups(rows, right, ctx)
    var summary = Summary(dataset: ctx.dataset, rules: "Video-MME-v2", mode: ctx.mode, metric: "group score (0-100)", rows: g.summaryRows)
    summary.notes.append("scored by rule, no judge (VLMEvalKit's --judge exact_matching; its evaluate() asserts with run.py's default judge)")
    if Self.unbuildable.contains(ctx.dataset) {
      summary.notes.append(
        "VLMEvalKit cannot build \(ctx.dataset): its VideoMMEv2 keeps nframe=64 beside fps=1.0 and VideoBaseDataset raises ValueError, so there is no VLMEvalKit score to compare; vtools samples at 1 fps as the config means"
      )
    }
    if ctx.strict {
      if changed > 0 { summary.notes.append("\(changed) answers read differently from VLMEvalKit's first-letter rule (--strict)") }
    } else {
      if failed > 0 {
        summary.notes.append(
          "\(failed) failed answers are read as option F (the F of 'Failed to obtain answer via API.'), \(failedRight) of them scored right, as in VLMEvalKit; --strict counts them wrong"
        )
      }
      if beforeFinal > 0 {
        summary.notes.append(
          "\(beforeFinal) answers with 'Final Answer:' were read from an earlier capital A-H (VLMEvalKit takes the first anywhere); --strict reads the last 'Final Answer:' letter"
        )
      }
      if insideWord > 0 {
        summary.notes.append(
          "\(insideWord) answers were read from a capital inside a word ('Because' reads as B), as in VLMEvalKit; --strict takes only a letter standing alone"
        )
      }
    }
    if missing > 0 { summary.notes.append("\(missing) rows have no prediction and are scored wrong") }
    summary.notes.append(contentsOf: g.notes)
    return Outcome(scores: right.map { $0 ? "1" : "0" }, rating: g.rating, summary: summary, badRows: g.bad)
  }

  /// `get_final_rating`: rows in groups of 4 in table order, each group rated by its last row's
  /// `group_type`, `group_structure`, `level` and heads; every list a plain mean (0.0 when empty).
  func groups(_ rows: Rows, _ right: [Bool], _ ctx: ScoreContext) -> (
    rating: JSONValue, summaryRows: [SummaryRow], notes: [String], bad: Int
  ) {
    let finalKeys = ["level_1", "level_2", "level_3", "relevance_score", "relevance_linear_score", "logic_score", "total"]
    var final = Buckets(finalKeys)
    var second = Buckets()
    var third = Buckets()
    var notes: [String] = []
    var bad = 0
    var noLevel = 0
    let groupCount = (rows.count + 3) / 4
    for g in 0..<groupCount {
      let members = Array((g * 4)..<min(rows.count, g * 4 + 4))
      let last = members[members.count - 1]
      let scores = members.map { right[$0] }
      let type = rows.cell(last, "group_type") ?? "nan"
      let score: Double
      switch type {
      case "relevance":
        let (exp, linear) = VideoMMEv2Groups.relevance(scores)
        final.add("relevance_score", exp)
        final.add("relevance_linear_score", linear)
        score = exp
      case "logic":
        let text = rows.cell(last, "group_structure") ?? "nan"
        guard let s = VideoMMEv2Structure(text) else {
          ctx.diag.warning("rows \(rows.id(members[0]))-\(rows.id(last)): unknown group_structure '\(text)'; group skipped (VLMEvalKit raises)")
          bad += members.count
          continue
        }
        score = VideoMMEv2Groups.logic(scores, s)
        final.add("logic_score", score)
      default:
        ctx.diag.warning("rows \(rows.id(members[0]))-\(rows.id(last)): unknown group_type '\(type)'; group skipped (VLMEvalKit raises)")
        bad += members.count
        continue
      }
      if let level = Self.level(rows.cell(last, "level")) {
        if (1...3).contains(level) {
          final.add("level_\(level)", score)
        } else {
          ctx.diag.warning("row \(rows.id(last)): level \(level) is not 1, 2 or 3; left out of the level ratings (VLMEvalKit raises)")
        }
      } else {
        noLevel += 1
      }
      final.add("total", score)
      second.add(rows.cell(last, "second_head") ?? "NaN", score)
      third.add(rows.cell(last, "third_head") ?? "NaN", score)
    }
    func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
    func object(_ b: Buckets) -> JSONValue { .object(JSONObject(b.keys.map { ($0, .double(mean(b[$0]))) })) }
    let rating = JSONValue.object(
      JSONObject([("final_rating", object(final)), ("second_head_rating", object(second)), ("third_head_rating", object(third))]))
    var printed: [SummaryRow] = []
    func row(_ group: String, _ name: String, _ v: [Double]) {
      printed.append(SummaryRow(group: group, name: name, total: v.count, value: v.isEmpty ? nil : mean(v)))
    }
    row("overall", "total", final["total"])
    row("group_type", "relevance", final["relevance_score"])
    row("group_type", "relevance_linear", final["relevance_linear_score"])
    row("group_type", "logic", final["logic_score"])
    for l in 1...3 { row("level", "level_\(l)", final["level_\(l)"]) }
    for k in second.keys { row("second_head", k, second[k]) }
    for k in third.keys { row("third_head", k, third[k]) }
    if rows.count % 4 != 0 {
      notes.append(
        "\(rows.count) rows are not whole groups of 4: the last group has \(rows.count % 4) (its missing questions count wrong; VLMEvalKit rates a group of 3 so and fails on 1 or 2)"
      )
    }
    if noLevel > 0 {
      notes.append("\(noLevel) groups have no level and are left out of level_1..3 (VLMEvalKit skips a None level and fails on an empty one)")
    }
    if bad > 0 { notes.append("\(bad) rows could not be rated (bad data; see the warnings)") }
    return (rating, printed, notes, bad)
  }

  /// A `level` cell as `int(level)`: integer text, or a float with no fraction (`1.0`); nil
  /// for an empty, `None` or `nan` cell.
  static func level(_ cell: String?) -> Int? {
    guard let c = cell.map(PyText.strip), !c.isEmpty, c != "None", c.lowercased() != "nan" else { return nil }
    if let i = PyText.int(c) { return i }
    if let d = Double(c), d.isFinite, d == d.rounded(), abs(d) < 1e9 { return Int(d) }
    return nil
  }
}
