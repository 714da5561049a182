import VCore
import VData
import VPrompt
import VScore

// MMBench-Video (VLMEvalKit `vlmeval/dataset/mmbench_video.py`; reference 5.4): pack and nopack.

extension Benchmark {
  public static let mmbenchVideo: Benchmark = {
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "video")
    var configs: [BenchmarkConfig] = []
    for (suffix, spec) in [("8frame", SamplingSpec.frames(8)), ("16frame", .frames(16)), ("64frame", .frames(64)), ("1fps", .perSecond(1))] {
      configs.append(BenchmarkConfig("MMBench_Video_\(suffix)_nopack", dataset: "MMBench-Video", spec: spec, video: video))
      if suffix != "16frame" {
        configs.append(BenchmarkConfig("MMBench_Video_\(suffix)_pack", dataset: "MMBench-Video", spec: spec, video: video, pack: true))
      }
    }
    return Benchmark(
      name: "MMBench-Video", datasets: ["MMBench-Video"], configs: configs, prompt: MMBenchVideoPrompt(), scoring: MMBenchVideoRule(),
      sources: [DatasetSource(name: "MMBench-Video", repo: "opencompass/MMBench-Video", preparation: MMBenchVideoPreparation())])
  }()
}

/// `MMBenchVideo.prepare_dataset`: every file of `video_pkl/` (sorted) unpickled, each a dict of
/// video name to bytes, into `video/{name}.mp4`, only when `video/` is not there (made whole or
/// not at all here; the pickles are read as plain data, never as code); the TSV is the repo's.
struct MMBenchVideoPreparation: DatasetPreparation {
  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let video = Tree.join(root, "video")
    if !Tree.exists(video) {
      let pickles = Tree.list(Tree.join(root, "video_pkl")).map { Tree.join(root, "video_pkl/" + $0) }.sorted()
      guard !pickles.isEmpty else { throw .missing(path: Tree.join(root, "video_pkl"), hint: "MMBench-Video's videos ship in it") }
      let staging = video + ".vdata-partial"
      Tree.removeTree(staging)
      try Tree.makeDirectories(staging)
      try PythonHelper.unpickleVideos(pickles, into: staging)
      try Tree.rename(staging, video)
      diag.verbose("unpickled \(pickles.count) files into video/")
    }
    guard Tree.exists(source.tsvPath(root: root)) else {
      throw .missing(path: source.tsvPath(root: root), hint: "the repo ships it")
    }
  }
}

/// `MMBench_Video.build_prompt_nopack` / `build_prompt_pack`.
struct MMBenchVideoPrompt: PackPromptTemplate {
  static let system = "You are an AI assistant responsible for answering questions about videos."
  static func pack(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer / answers to the following question / questions about the video content.\nIf multiple questions are provided (with indices I1, I2, I3, ...), you should organize your answers in the following json format:\n{\n    'I1': 'Answer to Question I1',\n    'I2': 'Answer to Question I2',\n    ...\n}\nOtherwise, please directly reply with your response to the only question.\nEven if the information in these separate frames is not enough to give an answer,\nPLEASE GIVE A RESPONSE TO EACH OF THE QUESTIONS IN THE FORMAT DESCRIBED ABOVE.\n"
  }
  /// `--strict` (reference Q8): the instructions name the keys the questions really carry.
  static func packStrict(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer / answers to the following question / questions about the video content.\nIf multiple questions are provided (each with a numeric key), you should organize your answers as a JSON object with the same keys:\n{\n    \"<key 1>\": \"Answer to question <key 1>\",\n    \"<key 2>\": \"Answer to question <key 2>\",\n    ...\n}\nOtherwise, please directly reply with your response to the only question.\nEven if the information in these separate frames is not enough to give an answer,\nPLEASE GIVE A RESPONSE TO EACH OF THE QUESTIONS IN THE FORMAT DESCRIBED ABOVE.\n"
  }
  static func noPack(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer to the question about the video content.\nPlease directly reply with your response to the only question.\n"
  }

  var name: String { "mmbench_video" }
  var constants: [String] {
    [Self.system, Self.pack(0), Self.noPack(0), Self.packStrict(0), "Questions: \n", "\nAnswers: \n", "Question: ", "\nAnswer: "]
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let q = try t.field("question")
    if t.videoLLM { return [.text(q)] + (try t.visual()) }
    let frames = try t.visual()
    return [.text(Self.noPack(frames.count))] + frames + [.text("Question: \(q)\nAnswer: ")]
  }

  func buildPack(frames: [MessageItem], questions: [(String, String)], strict: Bool) -> [MessageItem] {
    let head = Self.system + (strict ? Self.packStrict(frames.count) : Self.pack(frames.count))
    return [.text(head)] + frames + [.text("Questions: \n\(PyText.jsonObject(questions))\nAnswers: \n")]
  }
}

struct MMBenchVideoRule: ScoringRule {
  var name: String { "mmbench-video" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(MMBenchVideoScorer(rows: rows).judgePrompts()) }
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { try MMBenchVideoScorer(rows: rows).score(ctx) }
}

/// MMBench-Video (reference 5.4): a judge rates each answer 0-3 against the ground truth; the
/// rating file holds coarse and fine means over all rows (-1 counted as 0) and over valid rows.
struct MMBenchVideoScorer {
  let rows: Rows

  static let system =
    "\nAs an AI assistant, your task is to evaluate a candidate answer in comparison to a given correct answer.\nThe question itself, the correct 'groundtruth' answer, and the candidate answer will be provided to you.\nYour assessment should range from 0 to 3, based solely on the semantic similarity between the groundtruth and the candidate answer, disregarding any grammatical differences.\nA rating of 0 suggests no similarity, implying the candidate answer is entirely incorrect.\nA rating of 1 suggests low similarity, meaning the candidate answer is largely incorrect.\nA rating of 2 suggests high similarity, meaning the candidate answer is largely correct.\nLastly, a rating of 3 indicates complete similarity, which means the candidate answer is entirely correct.\nYour response should be a single integer from 0, 1, 2, or 3.\n"

  static let groups: [(String, [String])] = [
    ("CP", ["Video Topic", "Video Emotion", "Video Scene", "Video Style"]),
    ("FP-S", ["OCR", "Object Recognition", "Attribute Recognition", "Event Recognition", "Human Motion", "Counting"]),
    ("FP-C", ["Spatial Relationship", "Human-object Interaction", "Human Interaction"]),
    ("HL", ["Hallucination"]),
    ("LR", ["Structuralized Image-Text Understanding", "Mathematical Calculation"]),
    ("AR", ["Physical Property", "Function Reasoning", "Identity Reasoning"]),
    ("RR", ["Natural Relation", "Physical Relation", "Social Relation"]),
    ("CSR", ["Common Sense Reasoning"]),
    ("TR", ["Counterfactual Reasoning", "Causal Reasoning", "Future Prediction"]),
  ]

  /// The 12 coarse groups in VLMEvalKit's order, with their L3 dimensions.
  static var coarse: [(String, [String])] {
    let g = Dictionary(uniqueKeysWithValues: groups)
    let perception = g["CP"]! + g["FP-C"]! + g["FP-S"]! + g["HL"]!
    let reasoning = g["LR"]! + g["AR"]! + g["RR"]! + g["CSR"]! + g["TR"]!
    return groups + [("Perception", perception), ("Reasoning", reasoning), ("Overall", perception + reasoning)]
  }

  func judgePrompts() -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      // Only rows with a prediction are judged.
      guard let pred = rows.prediction(r) else { return nil }
      return JudgePrompt(
        id: rows.id(r), kind: "mmbench_video", system: Self.system,
        prompt:
          "Question: \(rows.cell(r, "question") ?? "nan")\nGroundtruth answer: \(rows.cell(r, "answer") ?? "nan")\nCandidate answer: \(pred)\nYour response: "
      )
    }
  }

  func score(_ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else {
      throw SimpleToolError(
        "MMBench-Video is scored by a judge: write its prompts with --judge-prompts, answer them with vinfer, and pass the answers with --judged (pipelines/judge.sh does all three)",
        status: .usage)
    }
    var scores: [Double] = []
    var missing = 0, failed = 0, unreadable = 0, outOfRange = 0
    for r in 0..<rows.count {
      guard let reply = judged[rows.id(r)] else {
        missing += 1
        scores.append(-1)
        continue
      }
      if reply.failed {
        failed += 1
        scores.append(-1)
        continue
      }
      let v = Matching.integerRating(reply.text)
      if v == -1 && PyText.strip(reply.text) != "-1" { unreadable += 1 }
      if v > 3 || v < -1 { outOfRange += 1 }
      scores.append(Double(v))
    }
    var fine = Buckets(Self.groups.flatMap(\.1))
    var coarse = Buckets(Self.coarse.map(\.0))
    var bad = 0
    for (r, s) in scores.enumerated() {
      let dims: [String]
      do {
        dims = try PythonLiteral.stringList(rows.cell(r, "dimensions") ?? "[]")
      } catch {
        ctx.diag.warning("row \(rows.id(r)): dimensions is not a Python list of strings")
        bad += 1
        continue
      }
      for d in dims { fine.add(d, s) }
      for (g, members) in Self.coarse where dims.contains(where: members.contains) { coarse.add(g, s) }
    }
    func means(_ b: Buckets, valid: Bool) -> JSONValue {
      var o = JSONObject()
      for k in b.keys { o[k] = .string(valid ? Num.meanText(b[k], digits: 2) : Num.meanText(b[k].map { max($0, 0) }, digits: 2, validOnly: false)) }
      return .object(o)
    }
    let rating = JSONObject([
      ("coarse_all", means(coarse, valid: false)), ("coarse_valid", means(coarse, valid: true)),
      ("fine_all", means(fine, valid: false)), ("fine_valid", means(fine, valid: true)),
    ])
    var printed: [SummaryRow] = []
    for k in ["Overall", "Perception", "Reasoning"] + Self.groups.map(\.0) {
      let v = coarse[k]
      if v.isEmpty { continue }
      let all = v.map { max($0, 0) }
      printed.append(
        SummaryRow(
          group: k == "Overall" ? "overall" : "coarse", name: k, correct: all.reduce(0, +), total: v.count, value: all.reduce(0, +) / Double(v.count))
      )
    }
    for k in fine.keys where !fine[k].isEmpty {
      let all = fine[k].map { max($0, 0) }
      printed.append(SummaryRow(group: "fine", name: k, correct: all.reduce(0, +), total: all.count, value: all.reduce(0, +) / Double(all.count)))
    }
    var summary = Summary(dataset: ctx.dataset, rules: "MMBench-Video", mode: ctx.mode, metric: "mean score (0-3)", rows: printed)
    summary.notes.append(
      "judge: \(ctx.judgeName); means over all rows, -1 counted as 0 (coarse_all); the rating file also has the means over valid rows")
    if missing + failed + unreadable > 0 {
      summary.notes.append("\(missing) rows without a judgement, \(failed) failed judgements and \(unreadable) unreadable ratings score -1")
    }
    if outOfRange > 0 { summary.notes.append("\(outOfRange) ratings outside 0-3 kept as VLMEvalKit keeps them (no clamping)") }
    return Outcome(scores: scores.map(Num.cell), rating: .object(rating), fileInfix: "_\(ctx.judgeName)", summary: summary, badRows: bad)
  }
}
