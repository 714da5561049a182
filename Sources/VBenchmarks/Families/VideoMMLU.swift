import VCore
import VData
import VPrompt
import VScore

// Video-MMLU (VLMEvalKit `vlmeval/dataset/video_mmlu.py`, judge prompts and rating in
// `vlmeval/dataset/utils/video_mmlu.py`, configs in `video_dataset_config.py`): lecture videos,
// captioned (`Video_MMLU_CAP`: a chained judge answers the row's QA pairs from the caption, then
// scores the answers) or asked (`Video_MMLU_QA`: one judge round scores the answer).

extension Benchmark {
  /// VLMEvalKit reads frames from `{root}/youtube_videos/{video without extension}.mp4` and
  /// caches them under `{dataset}/{video without extension}`; a video LLM gets
  /// `{root}/youtube_videos/{video}`.
  static let videoMMLUVideo = VideoRule(field: "video", ext: ".mp4", subfolder: "youtube_videos", keyStripsExtension: true)

  public static let videoMMLUCap = Benchmark(
    name: "Video-MMLU CAP", datasets: ["Video_MMLU_CAP"],
    configs: [16, 64].map { BenchmarkConfig("Video_MMLU_CAP_\($0)frame", dataset: "Video_MMLU_CAP", spec: .frames($0), video: videoMMLUVideo) },
    prompt: CaptionPrompt(
      name: "video_mmlu_cap", all: VideoMMLUTexts.detailedCaptionPrompts, choices: { _ in VideoMMLUTexts.detailedCaptionPrompts }),
    scoring: VideoMMLUCapRule(), sources: [videoMMLUSource("Video_MMLU_CAP")])

  public static let videoMMLUQA = Benchmark(
    name: "Video-MMLU QA", datasets: ["Video_MMLU_QA"],
    configs: [16, 64].map { BenchmarkConfig("Video_MMLU_QA_\($0)frame", dataset: "Video_MMLU_QA", spec: .frames($0), video: videoMMLUVideo) },
    prompt: VideoMMLUQAPrompt(), scoring: VideoMMLUQARule(), sources: [videoMMLUSource("Video_MMLU_QA")])

  /// `Video_MMLU_CAP` / `Video_MMLU_QA.prepare_dataset`: one repo, a TSV each; unless
  /// `youtube_videos/` is there, the split `.tar` and `.zip` archives joined (one part used as it
  /// is) and extracted unless a folder of the archive's name is there. Upstream checks
  /// `youtube_videos/{video}`; vtools the file vframes reads (`.mp4` added without an extension).
  static func videoMMLUSource(_ name: String) -> DatasetSource {
    let preparation = ArchivePartsPreparation(sentinel: "youtube_videos", kinds: [".tar", ".zip"], singlePartAsIs: true, extractUnless: .groupName) {
      $0["video"].map { "youtube_videos/" + V2PBenchPreparation.withExtension($0, ".mp4") }
    }
    return DatasetSource(name: name, repo: "Enxin/Video-MMLU", preparation: preparation)
  }
}

/// `Video_MMLU_QA.build_prompt_nopack`: the frames (or the video), then the question and
/// `\nAnswer briefly and directly in one sentence.`
struct VideoMMLUQAPrompt: PromptTemplate {
  static let suffix = "\nAnswer briefly and directly in one sentence."
  var name: String { "video_mmlu_qa" }
  var constants: [String] { [name, Self.suffix] }
  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    (try t.visual()) + [.text(try t.field("question") + Self.suffix)]
  }
}

/// A captioning prompt (`Video_MMLU_CAP`, VDC): the frames (or the video), then one of a list
/// of instructions. VLMEvalKit draws it with an unseeded `random.choice` on every call, so its
/// prompts differ from run to run; vtools picks the row's with a generator seeded by the row id
/// (`seededChoice`), the same in every run. `choices` gives the list for a record (VDC: by
/// `caption_type`).
struct CaptionPrompt: PromptTemplate {
  let name: String
  /// Every instruction the template may pick (its constant texts).
  let all: [String]
  let choices: @Sendable (TemplateInput) -> [String]
  var constants: [String] { [name] + all }
  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let id = t.optionalField("id") ?? t.optionalField("index") ?? ""
    return (try t.visual()) + [.text(Self.seededChoice(choices(t), id: id))]
  }

  /// `random.choice(options)` made reproducible: the option at FNV-1a-64 of
  /// `vprompt-random-choice:{id}` modulo the number of options.
  static func seededChoice(_ options: [String], id: String) -> String {
    let seed = UInt64(fnv1a64Hex("vprompt-random-choice:" + id), radix: 16) ?? 0
    return options[Int(seed % UInt64(options.count))]
  }
}

/// The judge texts of `utils/video_mmlu.py` (shared with `utils/vdc.py` where they are the same).
enum VideoMMLUTexts {
  static let answerSystem =
    "You are an intelligent chatbot designed for providing accurate answers to questions related to the content based on a detailed description of a video or image.\nHere's how you can accomplish the task:\n------\n##INSTRUCTIONS:\n- Read the detailed description carefully.\n- Answer the question only based on the detailed description.\n- The answer should be a short sentence or phrase.\n"

  /// `USER_GENER_PRED_PROMPT.format(pred_cap=..., q=...)`.
  static func answerPrompt(caption: String, question: String) -> String {
    "Please provide accurate answers to questions related to the content based on a detailed description of a video or image:\n\ndetailed description: \(caption)\nquestion: \(question)\n\nDO NOT PROVIDE ANY OTHER OUTPUT TEXT OR EXPLANATION. Only provide short but accurate answer."
  }

  static let capScoreSystem =
    "\n    You are an intelligent chatbot designed for evaluating the correctness of generative outputs for question-answer pairs.\n    Your task is to compare the predicted answer with the correct answer and determine if they match meaningfully. The evaluation criteria differ based on the type of question:\n    ------\n    ## INSTRUCTIONS:\n    1. For **OCR-related questions**:\n       - Perform a strict letter-by-letter comparison.\n       - Any difference in characters (including case, punctuation, or letter substitution) must result in 'no'.\n       - Minor spelling errors or missing characters should not be accepted.\n    2. For **non-OCR-related questions**:\n       - Focus on the meaningful match between the predicted answer and the correct answer.\n       - Synonyms or paraphrases can be considered valid matches.\n       - Minor spelling differences or alternative expressions should not be penalized.\n"

  static let qaScoreSystem =
    "\n    You are an intelligent chatbot designed for evaluating the correctness of generative outputs for reasoning-based question-answer pairs.\n    Your task is to compare the predicted answer with the correct answer based on the following rules:\n    ------\n    ## INSTRUCTIONS:\n    1. **Evaluate Reasoning Tasks Strictly:**\n       - The predicted answer must capture all critical concepts and details mentioned in the correct answer.\n       - If the correct answer mentions specific concepts or examples (e.g., 'odd numbers accumulate to form perfect squares'), the predicted answer must include these concepts or examples.\n       - Even if the phrasing differs, the key meaning and concepts must be preserved. However, omitting or altering key concepts or examples is **not acceptable**.\n       - **Example 1:** If the correct answer is 'The construction method shows how odd numbers accumulate to form perfect squares,' the predicted answer must include 'odd numbers' and 'perfect squares'.\n       - **Example 2:** If the correct answer is 'To eliminate HBr and form an alkene,' the predicted answer must address the elimination of HBr as well.\n       - Minor differences in phrasing are acceptable as long as the key information is retained.\n       - **Critical Detail:** If any essential element (e.g., key terms, concepts, or examples) is missing from the predicted answer, the answer is considered incorrect.\n       - Do **not** introduce new, unrelated information in the predicted answer.\n"

  /// `judge_kwargs['temperature'] = 0.0`.
  static let temperatureZero = JSONObject([("temperature", .double(0.0))])

  /// `detailed_caption_prompts`: video_mmlu.py holds the same list as vdc.py (checked by
  /// VideoMMLUTests against video_mmlu.py's).
  static var detailedCaptionPrompts: [String] { VDCTexts.detailed }
}

struct VideoMMLUCapRule: ScoringRule {
  var name: String { "video-mmlu-cap" }
  static func judge(_ rows: Rows) -> CaptionQAJudge {
    CaptionQAJudge(
      rules: "Video-MMLU CAP", kind: "video_mmlu_cap", column: "discipline", categories: ["math", "physics", "chemistry"],
      scoreSystem: VideoMMLUTexts.capScoreSystem, request: VideoMMLUTexts.temperatureZero, rows: rows)
  }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(Self.judge(rows).answerRound()) }
  func judgePrompts(_ rows: Rows, strict: Bool, round: Int, replies: JudgeReplies) -> [JudgePrompt] {
    round == 2 ? Self.judge(rows).scoreRound(replies) : []
  }
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { try Self.judge(rows).score(ctx) }
}

struct VideoMMLUQARule: ScoringRule {
  var name: String { "video-mmlu-qa" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed {
    .prompts(
      (0..<rows.count).compactMap { r in
        // Rows without a prediction are not judged.
        guard let pred = rows.prediction(r) else { return nil }
        return JudgePrompt(
          id: rows.id(r), kind: "video_mmlu_qa", system: VideoMMLUTexts.qaScoreSystem,
          prompt: MovieChat1kScorer.judgePrompt(
            question: rows.cell(r, "question") ?? "nan", answer: rows.cell(r, "answer") ?? "nan", prediction: pred),
          request: VideoMMLUTexts.temperatureZero)
      })
  }

  /// `Video_MMLU_QA.evaluate`: the `score` column is the judge's raw reply (-1 without one),
  /// rated by `get_dimension_rating` per discipline. VLMEvalKit's `prepare_score_prompt` reads a
  /// `pred_response` column the QA table does not have, so its evaluate raises a KeyError: vtools
  /// puts the prediction there, as the caption judge's second round does with its answer.
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else { throw CaptionQAJudge.needsJudge("Video-MMLU QA") }
    let entries: [(String?, JudgeReply?)] = (0..<rows.count).map { r in
      (rows.cell(r, "discipline"), rows.prediction(r) == nil ? nil : judged[rows.id(r)])
    }
    let rating = CaptionQAJudge.rate(entries, categories: ["math", "physics", "chemistry"], column: "discipline", strict: ctx.strict)
    var summary = Summary(dataset: ctx.dataset, rules: "Video-MMLU QA", mode: ctx.mode, metric: "mean", rows: rating.rows)
    summary.notes.append("judge: \(ctx.judgeName)")
    summary.notes.append(
      "VLMEvalKit's QA evaluate raises (its score prompt reads a pred_response column the table lacks): vtools judges the prediction there")
    summary.notes += rating.notes
    return Outcome(
      scores: entries.map { $0.1?.text ?? "-1" }, rating: rating.json, fileInfix: "_\(ctx.judgeName)", summary: summary, badRows: rating.bad)
  }
}

/// The chained judge of Video-MMLU's captions and VDC (their `evaluate()`): round 1 answers each
/// QA pair of a row (`question` holds a list of `{'question', 'answer'}` dicts) from the row's
/// caption, the prediction; round 2 scores each answer against the pair's answer with the
/// MovieChat-1K score prompt. VLMEvalKit keys both rounds by the row's `index`, so of a row's
/// pairs only the last to finish survives (and round 2 sees that pair's answer for every pair);
/// vtools keys them `{index}:{k}` (k = 0, 1, ... the pair's place in the list) and keeps every
/// pair: the score file has a row per pair, and the rating counts every pair.
struct CaptionQAJudge {
  let rules: String
  let kind: String
  /// The column the rating groups by, and its categories (lower-cased values).
  let column: String
  let categories: [String]
  let scoreSystem: String
  let request: JSONObject?
  let rows: Rows

  struct Pair {
    let row: Int
    let id: String
    let question: String
    let answer: String
  }

  static func needsJudge(_ name: String) -> SimpleToolError {
    SimpleToolError(
      "\(name) is scored by a judge: write its prompts with --judge-prompts, answer them with vinfer, and pass the answers with --judged (pipelines/judge.sh does every round)",
      status: .usage)
  }

  /// `ast.literal_eval(row['question'])`, each dict's `question` and `answer`; nil when it is no
  /// such list (VLMEvalKit prints the error and leaves the row out of the judge).
  func pairs(_ r: Int) -> [Pair]? {
    guard let text = rows.cell(r, "question"), let dicts = try? PythonLiteral.dictList(text) else { return nil }
    var out: [Pair] = []
    for (k, d) in dicts.enumerated() {
      let q = d.last { $0.0 == "question" }?.1
      let a = d.last { $0.0 == "answer" }?.1
      guard let q, let a else { return nil }
      out.append(Pair(row: r, id: "\(rows.id(r)):\(k)", question: q, answer: a))
    }
    return out
  }

  /// Round 1 (`prepare_response_prompt` with `SYSTEM_GENER_PRED_PROMPT`): every pair of every
  /// row with a prediction.
  func answerRound() -> [JudgePrompt] {
    (0..<rows.count).flatMap { r -> [JudgePrompt] in
      guard let caption = rows.prediction(r), let pairs = pairs(r) else { return [] }
      return pairs.map {
        JudgePrompt(
          id: $0.id, kind: kind + "_answer", system: VideoMMLUTexts.answerSystem,
          prompt: VideoMMLUTexts.answerPrompt(caption: caption, question: $0.question), request: request)
      }
    }
  }

  /// Round 2 (`prepare_score_prompt` with the dataset's score system prompt): every pair round 1
  /// answered, its answer as `pred_response` (a failed answer as its failure text, as VLMEvalKit
  /// passes it on).
  func scoreRound(_ replies: JudgeReplies) -> [JudgePrompt] {
    (0..<rows.count).flatMap { r -> [JudgePrompt] in
      guard rows.prediction(r) != nil, let pairs = pairs(r) else { return [] }
      return pairs.compactMap { p in
        replies.reply(round: 1, p.id).map {
          JudgePrompt(
            id: p.id, kind: kind + "_score", system: scoreSystem,
            prompt: MovieChat1kScorer.judgePrompt(question: p.question, answer: p.answer, prediction: $0.text), request: request, round: 2)
        }
      }
    }
  }

  /// The score file has a row per pair (the row's cells, `question` and `answer` the pair's,
  /// `pred_response` round 1's answer, `score` round 2's reply or -1); a row without a
  /// prediction or whose pairs cannot be read is one row, scored -1.
  func score(_ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else { throw Self.needsJudge(rules) }
    guard rows.table.has(column) else {
      throw SimpleToolError("the table has no '\(column)' column (\(rules) results carry the dataset's columns)", status: .dataError)
    }
    let columns = rows.table.columns + ["pred_response"]
    let qi = rows.table.columns.firstIndex(of: "question"), ai = rows.table.columns.firstIndex(of: "answer")
    var cells: [[String?]] = []
    var scores: [String?] = []
    var entries: [(String?, JudgeReply?)] = []
    var unreadable = 0
    for r in 0..<rows.count {
      let row = rows.table.rows[r]
      guard let pairs = pairs(r), !pairs.isEmpty else {
        if rows.prediction(r) != nil {
          unreadable += 1
          ctx.diag.warning(
            "row \(rows.id(r)): 'question' is no list of {'question', 'answer'} dicts; scored -1 (VLMEvalKit leaves it out and then raises)")
        }
        cells.append(row + [nil])
        scores.append("-1")
        entries.append((rows.cell(r, column), nil))
        continue
      }
      for p in pairs {
        var c = row
        if let qi { c[qi] = p.question }
        if let ai { c[ai] = p.answer }
        let hasPrediction = rows.prediction(r) != nil
        let answer = hasPrediction ? judged.reply(round: 1, p.id) : nil
        let reply = answer == nil ? nil : judged.reply(round: 2, p.id)
        cells.append(c + [answer?.text])
        scores.append(reply?.text ?? "-1")
        entries.append((rows.cell(r, column), reply))
      }
    }
    let rating = Self.rate(entries, categories: categories, column: column, strict: ctx.strict)
    var summary = Summary(dataset: ctx.dataset, rules: rules, mode: ctx.mode, metric: "mean", rows: rating.rows)
    summary.notes.append("judge: \(ctx.judgeName), two rounds (answer each QA pair from the caption, then score the answer)")
    summary.notes.append(
      "every QA pair is judged and rated (\(entries.count) rows in the score file); VLMEvalKit keys the pairs by the row's index, so only one pair per caption survives there"
    )
    if unreadable > 0 { summary.notes.append("\(unreadable) rows have no readable QA pairs: score -1") }
    summary.notes += rating.notes
    var o = Outcome(scores: scores, rating: rating.json, fileInfix: "_\(ctx.judgeName)", summary: summary, badRows: rating.bad + unreadable)
    o.table = (columns, cells)
    return o
  }

  /// `get_dimension_rating`: per category (the column lower-cased, one of `categories`) and
  /// overall, the mean of the parsed scores >= 0 (`coarse_valid`, 2 decimals, `nan` when none)
  /// and the share of `pred` yes among parsed replies (`coarse_accuracy`, `0.00` when none).
  /// The reply is read as MovieChat-1K's (`parse_score_dict`); `--strict` also reads a dict
  /// inside prose.
  static func rate(_ entries: [(String?, JudgeReply?)], categories: [String], column: String, strict: Bool)
    -> (json: JSONValue, rows: [SummaryRow], notes: [String], bad: Int)
  {
    var rating = Buckets(categories + ["overall"])
    var accuracy = Buckets(categories + ["overall"])
    var unjudged = 0, unparsed = 0, failed = 0, strictRead = 0, other = 0, bad = 0
    for (category, reply) in entries {
      guard let category = category?.lowercased() else {
        bad += 1
        continue
      }
      var parsed: (yes: Bool, score: Double)?
      if let reply {
        if reply.failed { failed += 1 }
        parsed = MovieChat1kScorer.parity(reply.text)
        if parsed == nil && !reply.failed {
          unparsed += 1
          if strict, let p = MovieChat1kScorer.strict(reply.text) {
            parsed = p
            strictRead += 1
          }
        }
      } else {
        unjudged += 1
      }
      guard categories.contains(category) else {
        other += 1
        continue
      }
      let s = parsed?.score ?? -1
      rating.add(category, s)
      rating.add("overall", s)
      if let p = parsed {
        accuracy.add(category, p.yes ? 1 : 0)
        accuracy.add("overall", p.yes ? 1 : 0)
      }
    }
    let (valid, acc, ratingRows) = CoarseRating.table(categories + ["overall"], rating: rating, accuracy: accuracy)
    var notes: [String] = []
    if unjudged > 0 { notes.append("\(unjudged) rows have no prediction or no judgement: score -1, out of both ratings") }
    if failed + unparsed > 0 {
      notes.append(
        "\(failed) failed judgements and \(unparsed) replies that are no dict with 'pred' and 'score' count -1, out of both ratings, as in VLMEvalKit"
          + (strict ? "; --strict read \(strictRead) of the replies from a dict inside the text" : "; --strict reads a dict inside the text"))
    }
    if other > 0 {
      notes.append("\(other) rows have a \(column) other than \(categories.joined(separator: ", ")) and are left out, as in VLMEvalKit")
    }
    if bad > 0 { notes.append("\(bad) rows have no \(column) and are left out (VLMEvalKit raises)") }
    let json = JSONValue.object(JSONObject([("coarse_valid", .object(valid)), ("coarse_accuracy", .object(acc))]))
    return (json, ratingRows, notes, bad)
  }
}
