import VCore
import VData
import VPrompt
import VScore

// MovieChat-1K (VLMEvalKit `vlmeval/dataset/moviechat1k.py`, judge prompt and rating in
// `vlmeval/dataset/utils/moviechat1k.py`, configs in `video_dataset_config.py`).

extension Benchmark {
  public static let movieChat1k: Benchmark = {
    // VLMEvalKit reads frames from `{root}/videos/{video}.mp4`, gives a video LLM
    // `{root}/videos/{video}` and checks `{root}/{video}`: vtools reads `{root}/videos/{video}`,
    // `.mp4` added when the value has no extension; frames cache under `MovieChat1k/{video}`.
    let video = VideoRule(field: "video", ext: ".mp4", subfolder: "videos")
    func config(_ name: String, _ n: Int, _ mode: String, limit: Double = 1.0) -> BenchmarkConfig {
      BenchmarkConfig(name, dataset: "MovieChat1k", spec: .frames(n), video: video, rows: RowSubset(column: "mode", value: mode, limit: limit))
    }
    return Benchmark(
      name: "MovieChat-1K", datasets: ["MovieChat1k"],
      configs: [
        config("moviechat1k_breakpoint_8frame", 8, "breakpoint"), config("moviechat1k_global_14frame", 14, "global"),
        config("moviechat1k_global_8frame_limit0.01", 8, "global", limit: 0.01),
      ],
      // `build_prompt_nopack`: the frames (or the video), then the question: the generic `vqa`.
      prompt: GenericTemplates.VQA(), scoring: MovieChat1kRule(),
      sources: [DatasetSource(name: "MovieChat1k", repo: "Enxin/VLMEval-MovieChat1k", preparation: ArchivePartsPreparation.movieChat1k)])
  }()
}

/// The "join the split archives, then extract them" `prepare_dataset` of MovieChat-1K, VDC and
/// Video-MMLU: nothing is done when `{root}/{sentinel}` exists; otherwise every file under the
/// root whose name holds one of `kinds` (`.tar`, then `.zip`; no hidden names, as
/// `glob('**/*.tar*')`) is grouped by the path before its first `.tar` (`.zip`), a later kind
/// joining a group an earlier one made; each group's parts (sorted) are joined into
/// `{group}{kind}` when that is not there (with `singlePartAsIs`, a group of one part is used as
/// it is), and that archive is extracted into the root unless `extractUnless` is there. Upstream
/// takes the groups in the file system's order; vtools in sorted order. The TSV is the repo's.
struct ArchivePartsPreparation: DatasetPreparation {
  enum Guard: Sendable {
    /// Extract while this root folder is not there (MovieChat-1K: `videos`).
    case folder(String)
    /// Extract while the root has no entry named as the group's base name (VDC, Video-MMLU).
    case groupName
  }

  let sentinel: String
  var kinds = [".tar"]
  var singlePartAsIs = false
  let extractUnless: Guard
  /// The media file each TSV row names, relative to the root (the integrity check).
  let media: @Sendable ([String: String]) -> String?

  /// MovieChat1k: upstream checks `{root}/{video}` but reads `{root}/videos/{video}.mp4`: vtools
  /// checks the files it reads, `videos/{video}` (`.mp4` added to a value without an extension).
  static let movieChat1k = ArchivePartsPreparation(sentinel: "video", extractUnless: .folder("videos")) {
    $0["video"].map { "videos/" + V2PBenchPreparation.withExtension($0, ".mp4") }
  }

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity(mediaPath: media).holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    ArchiveExtractor.removeStaleStaging(in: root)
    if !Tree.exists(Tree.join(root, sentinel)) {
      var groups: [(base: String, kind: String, parts: [String])] = []
      let files = Tree.files(under: root).filter { !$0.split(separator: "/").contains(where: { $0.hasPrefix(".") }) }
      for kind in kinds {
        for rel in files where Tree.baseName(rel).contains(kind) {
          let base = rel.firstRange(of: kind).map { String(rel[..<$0.lowerBound]) } ?? rel
          if let i = groups.firstIndex(where: { $0.base == base }) { groups[i].parts.append(rel) } else { groups.append((base, kind, [rel])) }
        }
      }
      for g in groups {
        var archive = Tree.join(root, g.base + g.kind)
        if singlePartAsIs && g.parts.count == 1 {
          archive = Tree.join(root, g.parts[0])
        } else if !Tree.exists(archive) {
          diag.verbose("joining \(g.parts.count) parts into \(g.base)\(g.kind)")
          try Tree.concatenate(
            g.parts.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map { Tree.join(root, $0) }, into: archive)
        }
        let done: String
        switch extractUnless {
        case .folder(let name): done = name
        case .groupName: done = Tree.baseName(g.base)
        }
        if !Tree.exists(Tree.join(root, done)) {
          diag.verbose("extracting \(Tree.baseName(archive))")
          try ArchiveExtractor.extract(archive, into: root)
        }
      }
    }
    guard Tree.exists(source.tsvPath(root: root)) else { throw .missing(path: source.tsvPath(root: root), hint: "the repo ships it") }
  }
}

struct MovieChat1kRule: ScoringRule {
  var name: String { "moviechat1k" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .prompts(MovieChat1kScorer(rows: rows).judgePrompts()) }
  func score(_ rows: Rows, _ ctx: ScoreContext) throws -> Outcome { try MovieChat1kScorer(rows: rows).score(ctx) }
}

/// MovieChat1k's `evaluate()`: one judge call per row with a prediction (the Video-ChatGPT
/// prompt, verbatim); the `score` column is the judge's raw reply (-1 without one); the rating
/// parses it as a dict with `pred` (yes/no) and `score` and gives per mode (global,
/// breakpoint, overall) the mean score over parsed rows and the share of `yes`.
struct MovieChat1kScorer {
  let rows: Rows

  /// `prepare_score_prompt`, verbatim (its indentation and the doubled newlines too).
  static func judgePrompt(question: String, answer: String, prediction: String) -> String {
    "Please evaluate the following video-based question-answer pair:\n\n\n            Question: \(question)\n\n            Correct Answer: \(answer)\n\n            Predicted Answer: \(prediction)\n\n\n            Provide your evaluation only as a yes/no and score where the score is an integer value between 0 and 5, with 5 indicating the highest meaningful match.\n            Please generate the response in the form of a Python dictionary string with keys 'pred' and 'score', where value of 'pred' is  a string of 'yes' or 'no' and value of 'score' is in INTEGER, not STRING.\n            DO NOT PROVIDE ANY OTHER OUTPUT TEXT OR EXPLANATION. Only provide the Python dictionary string.\n                For example, your response should look like this: {'pred': 'yes', 'score': 4.8}."
  }

  static let modes = ["global", "breakpoint"]

  func judgePrompts() -> [JudgePrompt] {
    (0..<rows.count).compactMap { r in
      // Rows without a prediction are not judged (`data_un[~pd.isna(prediction)]`).
      guard let pred = rows.prediction(r) else { return nil }
      return JudgePrompt(
        id: rows.id(r), kind: "moviechat1k",
        prompt: Self.judgePrompt(question: rows.cell(r, "question") ?? "nan", answer: rows.cell(r, "answer") ?? "nan", prediction: pred))
    }
  }

  /// `parse_score_dict`: `json.loads`, else `eval`; a dict with `pred` and `score` gives
  /// (is `pred` 'yes' in any case, the score); nil otherwise (VLMEvalKit's -1). A score that is
  /// no number is nil too (VLMEvalKit raises comparing it).
  static func parity(_ reply: String) -> (yes: Bool, score: Double)? {
    var pairs: [(String, String)]?
    if let v = try? JSONParser.parse(reply) {
      // json.loads succeeded: only a dict counts, eval is not tried.
      guard let o = v.objectValue else { return nil }
      pairs = o.pairs.map { ($0.key, $0.value.scalarText ?? JSONSerializer.serialize($0.value)) }
    } else {
      pairs = try? PythonLiteral.stringDict(reply)
    }
    guard let pairs else { return nil }
    var d: [String: String] = [:]
    for (k, v) in pairs { d[k] = v }  // the last of a repeated key wins
    guard let pred = d["pred"], let s = d["score"], let score = Double(PyText.strip(s)), score.isFinite else { return nil }
    return (pred.lowercased() == "yes", score)
  }

  /// `--strict`: as parity, else the text from the first `{` to the last `}` (a dict inside
  /// prose or a code fence) read the same way.
  static func strict(_ reply: String) -> (yes: Bool, score: Double)? {
    if let p = parity(reply) { return p }
    let u = Array(reply.unicodeScalars)
    guard let a = u.firstIndex(of: "{"), let b = u.lastIndex(of: "}"), a < b else { return nil }
    var inner = String.UnicodeScalarView()
    inner.append(contentsOf: u[a...b])
    return parity(String(inner))
  }

  func score(_ ctx: ScoreContext) throws -> Outcome {
    guard let judged = ctx.judged else {
      throw SimpleToolError(
        "MovieChat-1K is scored by a judge: write its prompts with --judge-prompts, answer them with vinfer, and pass the answers with --judged (pipelines/judge.sh does all three)",
        status: .usage)
    }
    guard rows.table.has("mode") else {
      throw SimpleToolError(
        "the table has no 'mode' column (global or breakpoint; MovieChat-1K results carry the dataset's columns)", status: .dataError)
    }
    var cells: [String?] = []
    var rating = Buckets(Self.modes + ["overall"])
    var accuracy = Buckets(Self.modes + ["overall"])
    var unjudged = 0, failed = 0, unparsed = 0, strictRead = 0, otherMode = 0, bad = 0
    for r in 0..<rows.count {
      let reply = rows.prediction(r) == nil ? nil : judged[rows.id(r)]
      // `score_map[idx]`: the raw reply (a failed judgement keeps its failure text), else -1.
      cells.append(reply.map(\.text) ?? "-1")
      guard let mode = rows.cell(r, "mode")?.lowercased() else {
        ctx.diag.warning("row \(rows.id(r)): no mode; left out of the rating (VLMEvalKit raises)")
        bad += 1
        continue
      }
      var parsed: (yes: Bool, score: Double)?
      if let reply {
        if reply.failed { failed += 1 }
        parsed = Self.parity(reply.text)
        if parsed == nil && !reply.failed { unparsed += 1 }
        if ctx.strict && parsed == nil && !reply.failed {
          parsed = Self.strict(reply.text)
          if parsed != nil { strictRead += 1 }
        }
      } else {
        unjudged += 1
      }
      guard Self.modes.contains(mode) else {
        otherMode += 1
        continue
      }
      let s = parsed?.score ?? -1
      rating.add(mode, s)
      rating.add("overall", s)
      if let p = parsed {
        accuracy.add(mode, p.yes ? 1 : 0)
        accuracy.add("overall", p.yes ? 1 : 0)
      }
    }
    let (valid, acc, ordered) = CoarseRating.table(Self.modes + ["overall"], rating: rating, accuracy: accuracy)
    var summary = Summary(dataset: ctx.dataset, rules: "MovieChat-1K", mode: ctx.mode, metric: "mean", rows: ordered)
    summary.notes.append(
      "judge: \(ctx.judgeName) (VLMEvalKit asserts chatgpt-0125 and fails with run.py's default gpt-4o-mini unless --judge chatgpt-0125; --judge-name chatgpt-0125 gives its file names)"
    )
    summary.notes.append(
      "videos read from {root}/videos/{video} (.mp4 added when it has no extension) for frames and video LLMs alike: VLMEvalKit's frame, video-LLM and integrity paths disagree, so at most one of them works"
    )
    if unjudged > 0 { summary.notes.append("\(unjudged) rows have no prediction or no judgement: score -1, out of both ratings") }
    if failed + unparsed > 0 {
      summary.notes.append(
        "\(failed) failed judgements and \(unparsed) replies that are no dict with 'pred' and 'score' count -1, out of both ratings, as in VLMEvalKit"
          + (ctx.strict ? "; --strict read \(strictRead) of the replies from a dict inside the text" : "; --strict reads a dict inside the text"))
    }
    if otherMode > 0 { summary.notes.append("\(otherMode) rows have a mode other than global or breakpoint and are left out, as in VLMEvalKit") }
    if bad > 0 { summary.notes.append("\(bad) rows could not be rated (bad data; see the warnings)") }
    let json = JSONValue.object(JSONObject([("coarse_valid", .object(valid)), ("coarse_accuracy", .object(acc))]))
    return Outcome(scores: cells, rating: json, fileInfix: "_\(ctx.judgeName)", summary: summary, badRows: bad)
  }
}

/// The `coarse_valid` / `coarse_accuracy` rating of VLMEvalKit's 0-5 caption judge
/// (`get_dimension_rating` in moviechat1k.py, video_mmlu.py, vdc.py): per key the mean of the
/// non-negative scores as `f'{np.mean(...):.2f}'` (`nan` when none) and the share of yes
/// verdicts as `%.2f` (`0.00` when none), and the printed rows, valid ones first.
enum CoarseRating {
  static func table(_ keys: [String], rating: Buckets, accuracy: Buckets) -> (valid: JSONObject, accuracy: JSONObject, rows: [SummaryRow]) {
    var valid = JSONObject()
    var acc = JSONObject()
    var validRows: [SummaryRow] = []
    var accRows: [SummaryRow] = []
    for k in keys {
      valid[k] = .string(Num.meanText(rating[k], digits: 2))
      let a = accuracy[k]
      let share = a.isEmpty ? nil : a.reduce(0, +) / Double(a.count)
      acc[k] = .string(share.map { String(format: "%.2f", $0) } ?? "0.00")
      let v = rating[k].filter { $0 >= 0 }
      validRows.append(SummaryRow(group: "coarse_valid (0-5)", name: k, total: v.count, value: Num.mean(v)))
      accRows.append(SummaryRow(group: "coarse_accuracy", name: k, correct: a.reduce(0, +), total: a.count, value: share))
    }
    return (valid, acc, validRows + accRows)
  }
}
