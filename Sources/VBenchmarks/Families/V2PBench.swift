import VCore
import VData
import VPrompt
import VScore

// V2P-Bench (VLMEvalKit `vlmeval/dataset/v2pbench.py`, rule and tables in
// `vlmeval/dataset/utils/v2pbench/cau_acc.py`, configs in `video_dataset_config.py`; families
// reference 4.2).

extension Benchmark {
  public static let v2pBench: Benchmark = {
    // VLMEvalKit checks `{root}/{video_path}`, reads frames from `{root}/{video_path}.mp4` and
    // gives a video LLM `{root}/videos/{video_path}`; the videos unzip to `{root}/videos/`, so
    // vtools reads `{root}/videos/{video_path}` (`.mp4` added only to a value without an
    // extension) and caches frames under VLMEvalKit's key, `images/V2P-Bench/{video_path}/`.
    let video = VideoRule(field: "video_path", ext: ".mp4", subfolder: "videos")
    let specs: [(String, SamplingSpec)] = [2, 8, 16, 64, 128].map { ("\($0)frame", .frames($0)) } + [("1fps", .perSecond(1))]
    return Benchmark(
      name: "V2P-Bench", datasets: ["V2P-Bench"],
      configs: specs.map { BenchmarkConfig("V2PBench_\($0.0)_nopack", dataset: "V2P-Bench", spec: $0.1, video: video) },
      prompt: V2PBenchPrompt(), scoring: V2PBenchRule(),
      sources: [DatasetSource(name: "V2P-Bench", repo: "gaotiexinqu/V2P-Bench", preparation: V2PBenchPreparation())])
  }()
}

/// `V2PBench.prepare_dataset` (`unzip_video`): unless `videos/` holds all 13 source folders,
/// every `videos/{name}.zip` extracted into `videos/` (its own tree), a doubled
/// `videos/{name}/{name}/` folded into `videos/{name}/`; then `vp_frames.zip` into the root when
/// `frames/` is not there; the TSV is the repo's. Each archive lands whole (staged, then moved
/// in). Upstream checks `{root}/{video_path}`, a path that cannot match the videos it unzips:
/// vtools checks the files it reads, `videos/{video_path}` (`.mp4` added to a value without
/// an extension).
struct V2PBenchPreparation: DatasetPreparation {
  static let folders = [
    "ActivityNet", "EgoSchema", "LVBench", "MLVU", "MSRVTT-QA", "MSVD-QA", "MVBench", "NExTVideo", "Perception_Test", "TVBench",
    "VCGBench-Diverse", "Video-MME_xk", "Video-MME_yk",
  ]

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"].map { "videos/" + V2PBenchPreparation.withExtension($0, ".mp4") } }
      .holds(tsv: source.tsvPath(root: root), root: root)
  }

  /// `value` with `ext` appended when its last component has no extension (leading dots do not
  /// start one, as in `os.path.splitext`).
  static func withExtension(_ value: String, _ ext: String) -> String {
    let last = value.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? value
    let body = last.drop { $0 == "." }
    return body.contains(".") ? value : value + ext
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let videos = Tree.join(root, "videos")
    ArchiveExtractor.removeStaleStaging(in: videos)
    ArchiveExtractor.removeStaleStaging(in: root)
    if !Self.folders.allSatisfy({ Tree.exists(Tree.join(videos, $0)) }) {
      for zip in Tree.list(videos) where zip.hasSuffix(".zip") {
        diag.verbose("extracting videos/\(zip)")
        let base = String(zip.dropLast(4))
        let staging = Tree.join(videos, ".vdata-extract-v2p-\(base)")
        Tree.removeTree(staging)
        defer { Tree.removeTree(staging) }
        try ArchiveExtractor.extract(Tree.join(videos, zip), into: staging)
        try Self.foldNested(Tree.join(staging, base), base)
        try Tree.mergeMove(from: staging, into: videos)
      }
    }
    if !Tree.exists(Tree.join(root, "frames")) {
      let frames = Tree.join(root, "vp_frames.zip")
      guard Tree.exists(frames) else { throw .missing(path: frames, hint: "V2P-Bench's visual-prompt frames ship in it") }
      diag.verbose("extracting vp_frames.zip")
      try ArchiveExtractor.extract(frames, into: root)
    }
    guard Tree.exists(source.tsvPath(root: root)) else { throw .missing(path: source.tsvPath(root: root), hint: "the repo ships it") }
  }

  /// `{folder}/{base}/` (a zip that holds its folder twice) moved up into `folder`: a folder
  /// into one of the same name already there, a file over one (upstream's `shutil.move`
  /// raises there), then the emptied folder removed.
  static func foldNested(_ folder: String, _ base: String) throws(DataError) {
    let nested = Tree.join(folder, base)
    guard Tree.isDirectory(nested) && !Tree.isSymlink(nested) else { return }
    for item in Tree.list(nested) {
      var dest = Tree.join(folder, item)
      if Tree.isDirectory(dest) && !Tree.isSymlink(dest) { dest = Tree.join(dest, item) }
      try Tree.rename(Tree.join(nested, item), dest)
    }
    Tree.removeTree(nested)
  }
}

/// `V2PBench.build_prompt_nopack`: the frame-count text, the frames, the visual-prompt image
/// `{root}/frames/{frame_path}`, then the question (which carries its options) and the letter
/// instruction. A video LLM gets the question text, the video, then the image.
struct V2PBenchPrompt: PromptTemplate {
  static func head(_ n: Int) -> String {
    "\nYou will be provided with \(n) separate frames uniformly sampled from a video, the frames are provided in chronological order of the video.\nPlease analyze these images and provide the answer to the question about the video content.\n"
  }
  static let suffix = "\nGive only your option letter that accurately addresses the question, no other words."

  var name: String { "v2pbench" }
  var constants: [String] { [Self.head(0), Self.suffix] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let question = try t.field("question") + Self.suffix
    let image = MessageItem.image(try Self.visualPrompt(t))
    if t.videoLLM {
      let resolved = t.record["video_info"]?.objectValue?["path"]?.stringValue
      guard let path = resolved ?? t.optionalField("video_path").map({ Self.join(t.datasetRoot, "videos", $0) }) else {
        throw PromptError(code: .missingField, message: "--video-llm needs the video path (video_info.path from vframes, or a video_path field)")
      }
      return [.text(question), .video(path), image]
    }
    let frames = try t.visual()
    return [.text(Self.head(frames.count))] + frames + [image, .text(question)]
  }

  /// `os.path.join(root, "frames", frame_path)`.
  static func visualPrompt(_ t: TemplateInput) throws(PromptError) -> String {
    let value = try t.field("frame_path")
    guard !value.isEmpty, value != "nan" else {
      throw PromptError(code: .missingField, message: "field 'frame_path' is empty: the question has no visual-prompt image")
    }
    let path = join(t.datasetRoot, "frames", value)
    if case .missing = FileIO.fileKind(path) { t.warn("frame_path '\(path)' does not exist (is --data-root the V2P-Bench folder?)") }
    return path
  }

  /// Python's `os.path.join(root, folder, value)`: an absolute value stands alone.
  static func join(_ root: String, _ folder: String, _ value: String) -> String {
    if value.hasPrefix("/") { return value }
    let head = root.isEmpty ? folder : (root.hasSuffix("/") ? root : root + "/") + folder
    return head + "/" + value
  }
}

struct V2PBenchRule: ScoringRule {
  var name: String { "v2pbench" }
  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { .none("V2P-Bench scores the option letter by its regex") }
  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome { V2PBenchScorer(rows: rows).score(ctx) }
}

/// `V2PBench.evaluate` and `cau_acc.calu_acc_main`: `score = int(extract_characters_regex(
/// remove_think_blocks(str(prediction))) == answer)`, the table with its scores as `_score.xlsx`,
/// its records as `_score.json`, and the accuracy per dimension, per duration bucket and overall
/// as `_score.txt`.
struct V2PBenchScorer {
  let rows: Rows

  /// `dim_mapping`: dimensions 8, 11, 15 and 16 have no name and are not reported (their rows
  /// still count in the total).
  static let dimensions: [Int: String] = [
    1: "OA", 2: "HA", 3: "OD", 4: "FM", 5: "CR", 6: "PU", 7: "CI", 9: "FT", 10: "RT", 12: "AS", 13: "SR", 14: "GC",
  ]
  static let dimensionCount = 16

  /// `remove_think_blocks`: every `<think>` up to the first `</think>` (or `<\/think>`) after it,
  /// tags included; an unclosed `<think>` stays.
  static func removeThinkBlocks(_ text: String) -> String {
    let s = PyStr(text)
    let open = PyStr("<think>")
    let closes = [PyStr("</think>"), PyStr("<\\/think>")]
    var out: [Unicode.Scalar] = []
    var i = 0
    while let a = s.find(open, from: i) {
      let ends = closes.compactMap { c in s.find(c, from: a + open.count).map { $0 + c.count } }
      guard let end = ends.min() else { break }
      out += s.u[i..<a]
      i = end
    }
    out += s.u[i...]
    return PyStr(out).string
  }

  /// `extract_characters_regex` of `cau_acc.py`: Video-MME's, with its ten prefixes as intended.
  static func extract(_ prediction: String) -> String {
    Matching.extractCharacters(removeThinkBlocks(prediction), letters: "ABCD", strict: true)
  }

  func score(_ ctx: ScoreContext) -> Outcome {
    var scores: [Int] = []
    var misplaced = 0
    for r in 0..<rows.count {
      // str(NaN) is 'nan'.
      let letter = Self.extract(rows.prediction(r) ?? "nan")
      scores.append(rows.cell(r, "answer").map { $0 == letter } ?? false ? 1 : 0)
      if rows.id(r) != String(r) { misplaced += 1 }
    }
    var dimSum = [Int](repeating: 0, count: Self.dimensionCount), dimCorrect = dimSum
    var bucketSum = [0, 0, 0], bucketCorrect = [0, 0, 0]
    var bad = 0
    for r in 0..<rows.count {
      // `dim_list_sum[dim - 1]`: Python's index, so 0 and negatives count from the end.
      guard let dim = rows.cell(r, "dimension").flatMap({ PyText.int(Num.integerText($0)) }),
        (-Self.dimensionCount + 1...Self.dimensionCount).contains(dim),
        let duration = rows.cell(r, "duration").flatMap({ MMMUMatching.pythonFloat(PyStr($0)) }), !duration.isNaN
      else {
        ctx.diag.warning("row \(rows.id(r)): no integer dimension (1-16) or numeric duration; left out of the tables (VLMEvalKit raises)")
        bad += 1
        continue
      }
      let d = (dim - 1 + Self.dimensionCount) % Self.dimensionCount
      let bucket = duration < 240 ? 0 : (duration < 1800 ? 1 : 2)
      dimSum[d] += 1
      bucketSum[bucket] += 1
      if scores[r] == 1 {
        dimCorrect[d] += 1
        bucketCorrect[bucket] += 1
      }
    }
    func acc(_ c: Int, _ n: Int) -> String { String(format: "%.3f", Double(c) / Double(n)) }
    var log: [String] = []
    var summaryRows: [SummaryRow] = []
    for d in 0..<Self.dimensionCount {
      guard let name = Self.dimensions[d + 1] else { continue }
      if dimSum[d] != 0 {
        log.append("\(name): \(acc(dimCorrect[d], dimSum[d]))")
        summaryRows.append(
          SummaryRow(
            group: "dimension", name: name, correct: Double(dimCorrect[d]), total: dimSum[d], value: Double(dimCorrect[d]) / Double(dimSum[d]) * 100))
      } else {
        log.append("Dimension is zero: \(name)")
      }
    }
    let rule = String(repeating: "-", count: 58)
    log.append(rule)
    for (b, name) in ["Short", "Medium", "Long"].enumerated() where bucketSum[b] != 0 {
      log.append("\(name)\nCorrect: \(bucketCorrect[b]), Total: \(bucketSum[b]), Accuracy: \(acc(bucketCorrect[b], bucketSum[b]))")
      summaryRows.append(
        SummaryRow(
          group: "duration", name: name.lowercased(), correct: Double(bucketCorrect[b]), total: bucketSum[b],
          value: Double(bucketCorrect[b]) / Double(bucketSum[b]) * 100))
    }
    log.append(rule)
    let correct = dimCorrect.reduce(0, +), total = dimSum.reduce(0, +)
    log.append("Total Correct: \(correct)")
    log.append("Total Success: \(total)")
    // VLMEvalKit divides by zero on an empty table.
    log.append("Accuracy:      \(total > 0 ? acc(correct, total) : "nan")")

    let overall = SummaryRow(
      group: "overall", name: "overall", correct: Double(correct), total: total, value: total > 0 ? Double(correct) / Double(total) * 100 : nil)
    var summary = Summary(dataset: ctx.dataset, rules: "V2P-Bench", mode: ctx.mode, metric: "accuracy %", rows: [overall] + summaryRows)
    summary.notes.append(
      "VLMEvalKit's V2PBench.evaluate returns nothing; vscore reports what its _score.txt logs (12 dimensions, duration <240 s, <1800 s, longer, overall)"
    )
    summary.notes.append(
      "videos are read from {root}/videos/{video_path} (VLMEvalKit's video-LLM path; its frame path {root}/{video_path}.mp4 matches no layout it unpacks)"
    )
    let failed = (0..<rows.count).filter { r in rows.prediction(r).map { PyStr($0).contains(failMarker) } ?? true }.count
    if failed > 0 {
      summary.notes.append(
        "\(failed) failed or missing answers are scored as VLMEvalKit scores them (the 'A' of 'API' in its failure text counts as option A)")
    }
    if misplaced > 0 {
      summary.notes.append(
        "\(misplaced) rows have an index that is not their position: VLMEvalKit writes each score to the row at position `index` (data.loc), so its tables for this file would be wrong; vscore scores each row itself"
      )
    }
    let cells = scores.map { String($0) }
    var outcome = Outcome(scores: cells, summary: summary, badRows: bad)
    outcome.textFiles = [
      ("_score.json", PandasRecords.json(rows.table, scoreColumn: "score", scores: cells)), ("_score.txt", log.map { $0 + "\n" }.joined()),
    ]
    return outcome
  }
}

/// `pd.read_excel(score_file).to_json(orient='records')` for a table of text cells: a compact
/// array of objects in column order; a column whose cells all read as integers is written as
/// integers (as floats when some are missing), one whose cells all read as numbers as floats,
/// any other as strings (`prediction` always); pandas' missing-value words and empty cells are
/// null; strings escaped as pandas does (`\/`, non-ASCII as `\uXXXX`); floats with at most 10
/// decimals (`double_precision=10`). `kinds` fixes a column's kind (VCR-Bench's judge replies).
enum PandasRecords {
  static let missing: Set<String> = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None",
    "n/a", "nan", "null",
  ]

  /// `judged`: judge replies, strings but for VLMEvalKit's `-1` for a missing one (a number).
  enum Kind { case int, float, text, judged }

  static func json(_ table: ResultTable, scoreColumn: String, scores: [String], kinds fixed: [String: Kind] = [:]) -> String {
    var columns = table.columns
    var cells: [[String?]] = table.rows
    if let c = columns.firstIndex(of: scoreColumn) {
      for r in cells.indices { cells[r][c] = scores[r] }
    } else {
      columns.append(scoreColumn)
      for r in cells.indices { cells[r].append(scores[r]) }
    }
    func value(_ s: String?) -> String? { s.flatMap { missing.contains($0) ? nil : $0 } }
    let kinds: [Kind] = columns.indices.map { c in
      if let k = fixed[columns[c]] { return k }
      if columns[c] == "prediction" { return .text }
      let present = cells.compactMap { value($0[c]) }
      if present.isEmpty { return .float }
      if present.allSatisfy({ PyText.int($0) != nil }) { return present.count == cells.count ? .int : .float }
      if present.allSatisfy({ MMMUMatching.pythonFloat(PyStr($0)).map(\.isFinite) ?? false }) { return .float }
      return .text
    }
    func string(_ s: String) -> String { PyText.jsonString(s).replacingOccurrences(of: "/", with: "\\/") }
    var out = "["
    for (r, row) in cells.enumerated() {
      if r > 0 { out += "," }
      out += "{"
      for c in columns.indices {
        if c > 0 { out += "," }
        out += string(columns[c]) + ":"
        guard let v = value(row[c]) else {
          out += "null"
          continue
        }
        switch kinds[c] {
        case .int: out += String(PyText.int(v)!)
        case .float: out += MMMUMatching.pythonFloat(PyStr(v)).map(float) ?? "null"
        case .text: out += string(v)
        case .judged: out += v == "-1" ? v : string(v)
        }
      }
      out += "}"
    }
    return out + "]"
  }

  /// A float as pandas' `to_json` writes it: rounded to 10 decimals, trailing zeros dropped
  /// (one kept), an exponent (`1e+17`) from 1e17 on.
  static func float(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    guard abs(x) < 1e17 else { return Num.repr(x) }
    var t = String(format: "%.10f", x)
    while t.hasSuffix("0") && !t.hasSuffix(".0") { t.removeLast() }
    return t
  }
}
