import VCore
import VData
import VPrompt
import VScore

// AV-SpeakerBench (VLMEvalKit `vlmeval/dataset/av_speakerbench.py`; families reference 4.18):
// visual, audiovisual (and its aliases) and audio-only configs.

extension Benchmark {
  public static let avSpeakerBench: Benchmark = {
    // `save_video_frames(visual_path, video)`: `{root}/{visual_path}`, cache `images/AV-SpeakerBench/{video}/`.
    let video = VideoRule(field: "visual_path", keyField: "video")
    // `use_audio=True`: frames of `audio_visual_path` into the same cache folder (`{video}`).
    let audioVisual = VideoRule(field: "audio_visual_path", keyField: "video")
    let specs: [(String, SamplingSpec)] = [("8frame", .frames(8)), ("16frame", .frames(16)), ("1fps", .perSecond(1))]
    var configs = specs.map { BenchmarkConfig("AV-SpeakerBench_visual_\($0.0)", dataset: "AV-SpeakerBench", spec: $0.1, video: video) }
    for (suffix, spec) in specs {
      for name in ["AV-SpeakerBench_audiovisual_\(suffix)", "AV-SpeakerBench_\(suffix)"] {
        configs.append(
          BenchmarkConfig(name, dataset: "AV-SpeakerBench", spec: spec, video: audioVisual, prompt: AVSpeakerBenchPrompt(mode: .audioVisual)))
      }
      // `audio_only=True`: no frames at all (nframe/fps change nothing), the dataset's WAV.
      configs.append(
        BenchmarkConfig(
          "AV-SpeakerBench_audio_only_\(suffix)", dataset: "AV-SpeakerBench", spec: spec, video: audioVisual,
          prompt: AVSpeakerBenchPrompt(mode: .audioOnly), audio: .datasetFile(column: "audio_path")))
    }
    return Benchmark(
      name: "AV-SpeakerBench", datasets: ["AV-SpeakerBench"],
      configs: configs,
      prompt: AVSpeakerBenchPrompt(), scoring: AVSpeakerBenchRule(),
      sources: [
        DatasetSource(
          name: "AV-SpeakerBench", repo: "plnguyen2908/AV-SpeakerBench", revision: "vlm_eval_version", tsvName: "test",
          preparation: AVSpeakerBenchPreparation())
      ])
  }()
}

/// `AVSpeakerBench.prepare_dataset` (revision `vlm_eval_version`): every root `*.zip` (sorted),
/// each file entry written to `{its first folder}/{base name}` (a top-level entry to the root)
/// unless that file exists (an earlier entry or archive wins; repo files are kept); the TSV is
/// the repo's `test.tsv`. Upstream's integrity check reads `AV-SpeakerBench.tsv`, a file no
/// step writes, and so never passes: vtools checks `test.tsv`, the file it loads, and that every
/// `audio_visual_path`, `visual_path`, `audio_path` and `video_path` it names exists.
struct AVSpeakerBenchPreparation: DatasetPreparation {
  static let mediaColumns = ["audio_visual_path", "visual_path", "audio_path", "video_path"]
  /// The cells pandas' `read_csv` reads as NaN (`pd.isna`), and the empty one.
  static let missing: Set<String> = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN",
    "None", "n/a", "nan", "null",
  ]

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    let tsv = source.tsvPath(root: root)
    return Self.mediaColumns.allSatisfy { column in
      TSVIntegrity { row in row[column].flatMap { AVSpeakerBenchPreparation.missing.contains($0) ? nil : $0 } }.holds(tsv: tsv, root: root)
    }
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    ArchiveExtractor.removeStaleStaging(in: root)
    for zip in Tree.list(root) where zip.hasSuffix(".zip") && !Tree.isDirectory(Tree.join(root, zip)) {
      diag.verbose("extracting \(zip)")
      let staging = Tree.join(root, ".vdata-extract-avs-\(zip)")
      Tree.removeTree(staging)
      defer { Tree.removeTree(staging) }
      try ArchiveExtractor.extract(Tree.join(root, zip), into: staging, layout: .firstFolder)
      // Each file moved in on its own unless one is there: a killed run leaves whole files only.
      for rel in Tree.files(under: staging) where !Tree.exists(Tree.join(root, rel)) && !Tree.isSymlink(Tree.join(root, rel)) {
        try Tree.makeDirectories(Tree.parent(Tree.join(root, rel)))
        try Tree.rename(Tree.join(staging, rel), Tree.join(root, rel))
      }
    }
    guard Tree.exists(source.tsvPath(root: root)) else { throw .missing(path: source.tsvPath(root: root), hint: "the repo ships it") }
  }
}

/// `AVSpeakerBench.build_prompt`: the system text as a user text, the frames (or the video;
/// audio-only: the audio item instead), the mode's instruction, then the question, the
/// `choices` lines and `The best answer is:`. The audiovisual mode (`use_audio=True` without
/// `audio_only`) places no audio item: VLMEvalKit sends a frame model the frames of
/// `audio_visual_path` only (and a video model the video, its track inside), and so does vtools.
struct AVSpeakerBenchPrompt: PromptTemplate {
  enum Mode: Sendable { case visual, audioVisual, audioOnly }
  var mode: Mode = .visual

  static let system =
    "Carefully watch and listen to the clip. Based on your observations, select the best option that accurately addresses the question."
  static let visual =
    "\nSelect the best answer to the following multiple-choice question based on the silent visual clip.\nRely on the visuals only and respond with the letter (A, B, C, or D).\n"
  static let audioVisual =
    "\nSelect the best answer to the following multiple-choice question based on the audiovisual clip.\nRespond with only the letter (A, B, C, or D) of the correct option.\n"
  static let audio =
    "\nSelect the best answer to the following multiple-choice question based on the audio clip.\nFocus on the audio and respond with only the letter (A, B, C, or D).\n"
  static let bestAnswer = "\nThe best answer is:"

  var name: String {
    switch mode {
    case .visual: "av-speakerbench-visual"
    case .audioVisual: "av-speakerbench-audiovisual"
    case .audioOnly: "av-speakerbench-audio"
    }
  }
  var instruction: String {
    switch mode {
    case .visual: Self.visual
    case .audioVisual: Self.audioVisual
    case .audioOnly: Self.audio
    }
  }
  var constants: [String] { [Self.system, instruction, Self.bestAnswer] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let media = try mode == .audioOnly ? [t.audio()] : t.visual()
    return [.text(Self.system)] + media
      + [.text(instruction), .text((try t.field("question")) + "\n" + (try Self.choices(t)).joined(separator: "\n") + Self.bestAnswer)]
  }

  /// `ast.literal_eval(choices)`, or its lines when it is no literal (a JSON array as it is).
  static func choices(_ t: TemplateInput) throws(PromptError) -> [String] {
    guard let v = t.record["choices"] else { throw .missing("choices") }
    if case .array = v { return try t.candidates("choices") }
    let text = try t.field("choices")
    if let list = try? PythonLiteral.stringList(text) { return list }
    return PyStr(text).split("\n").map(\.string)
  }
}

struct AVSpeakerBenchRule: ScoringRule {
  var name: String { "av-speakerbench" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .none("AVSpeakerBench.evaluate uses no judge") }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { AVSpeakerBenchScorer(rows: rows).score(ctx) }
}

/// `evaluate`: the letter of `_parse_multi_choice_response` against the upper-cased answer;
/// `_rating.json` = `{"overall": mean x 100, "by_task": {task_id: mean x 100}}`.
struct AVSpeakerBenchScorer {
  let rows: Rows

  static let prefixes = [
    "The best answer is", "The correct answer is", "The answer is", "The answer", "The best option is", "The correct option is",
    "Best answer:", "Best option:", "Answer:", "Option:", "The correct answer", "The correct option", "Based", "Correct answer", "\u{261E}",
    "<|im_end|>",
  ]
  /// The characters the rule turns into spaces before splitting.
  static let punctuation = Set(".,:!\"'`;\\/?~@#$%^&*()[]{}|<>\n".unicodeScalars)

  /// `_parse_multi_choice_response(response, ['A','B','C','D'])`: the prefixes removed, the first
  /// `<think>` block removed (every copy of it), the first `<answer>` body kept, punctuation to
  /// spaces, then the first token that is a letter A-D in either case. nil where none is: parity
  /// then takes `A` (VLMEvalKit's fallback).
  static func parse(_ response: String) -> String? {
    var s = PyStr(response)
    for p in prefixes { s = s.replacing(p, with: "") }
    if let a = s.find(PyStr("<think>")), let b = s.find(PyStr("</think>"), from: a + 7) {
      s = s.replacing(s[a..<(b + 8)].string, with: "")
    }
    if let a = s.find(PyStr("<answer>")), let b = s.find(PyStr("</answer>"), from: a + 8) { s = s[(a + 8)..<b] }
    let cleaned = PyStr(s.strip().u.map { punctuation.contains($0) ? " " : $0 })
    for token in cleaned.split() where token.count == 1 {
      let c = token.string.uppercased()
      if ["A", "B", "C", "D"].contains(c) { return c }
    }
    return nil
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [String?] = []
    var missing = 0, failed = 0, fallback = 0
    for r in 0..<rows.count {
      guard let pred = rows.prediction(r) else {
        missing += 1
        scores.append("0")
        continue
      }
      let isFailure = PyStr(pred).contains(failMarker)
      if isFailure { failed += 1 }
      let parsed = Self.parse(pred)
      if parsed == nil { fallback += 1 }
      let letter = ctx.strict && isFailure ? nil : (parsed ?? (ctx.strict ? nil : "A"))
      let answer = PyText.strip(rows.cell(r, "answer") ?? "nan").uppercased()
      scores.append(letter == answer ? "1" : "0")
    }
    var sums: [String: (Int, Int)] = [:]
    var missingTask = false
    if rows.table.has("task_id") {
      for (r, s) in scores.enumerated() {
        guard let k = rows.cell(r, "task_id") else {
          missingTask = true
          continue
        }
        let g = sums[k] ?? (0, 0)
        sums[k] = (g.0 + (s == "1" ? 1 : 0), g.1 + 1)
      }
    }
    let keys = Self.groupOrder(Array(sums.keys), missingValues: missingTask)
    func pct(_ c: Int, _ n: Int) -> Double { Double(c) / Double(n) * 100 }
    let correct = scores.filter { $0 == "1" }.count
    let overall = scores.isEmpty ? 0 : pct(correct, scores.count)
    var rating = JSONObject([("overall", .double(overall))])
    var byTask = JSONObject()
    var summaryRows = [SummaryRow(group: "overall", name: "overall", correct: Double(correct), total: scores.count, value: overall)]
    for (raw, shown) in keys {
      let (c, n) = sums[raw]!
      byTask[shown] = .double(pct(c, n))
      summaryRows.append(SummaryRow(group: "task_id", name: shown, correct: Double(c), total: n, value: pct(c, n)))
    }
    if !byTask.isEmpty { rating["by_task"] = .object(byTask) }
    var summary = Summary(dataset: ctx.dataset, rules: "AV-SpeakerBench", mode: ctx.mode, metric: "accuracy %", rows: summaryRows)
    if !ctx.strict && fallback > 0 {
      summary.notes.append("\(fallback) answers name no letter A-D and count as A, as in VLMEvalKit; --strict counts them wrong")
    }
    if failed > 0 {
      summary.notes.append(
        ctx.strict
          ? "\(failed) failed requests count as wrong" : "\(failed) failed requests are read like answers (VLMEvalKit); --strict counts them wrong")
    }
    if missing > 0 { summary.notes.append("\(missing) missing answers count as wrong, as in VLMEvalKit") }
    return Outcome(scores: scores, rating: .object(rating), summary: summary)
  }

  /// `groupby('task_id')` on the table pandas reads back: integer-looking ids sort as numbers
  /// (written `2.0` when some rows have none, the column then being float), other ids as text.
  /// Returns (cell text, rating key) pairs in order.
  static func groupOrder(_ keys: [String], missingValues: Bool) -> [(String, String)] {
    let ints = keys.map { PyText.int(PyText.strip($0)) }
    if !keys.isEmpty, ints.allSatisfy({ $0 != nil }) {
      return zip(keys, ints.map { $0! }).sorted { $0.1 < $1.1 }.map { ($0.0, missingValues ? "\($0.1).0" : String($0.1)) }
    }
    let doubles = keys.map { Double(PyText.strip($0)) }
    if !keys.isEmpty, doubles.allSatisfy({ $0 != nil && $0!.isFinite }) {
      return zip(keys, doubles.map { $0! }).sorted { $0.1 < $1.1 }.map { ($0.0, Num.repr($0.1)) }
    }
    return keys.sorted { $0.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }.map { ($0, $0) }
  }
}
