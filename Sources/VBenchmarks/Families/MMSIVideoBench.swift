import VCore
import VPrompt
import VScore

// MMSI-Video-Bench (VLMEvalKit `vlmeval/dataset/mmsibench.py`, class `MMSIVideoBench`, configs
// in `video_dataset_config.py`; families reference 4.25).

extension Benchmark {
  public static let mmsiVideoBench: Benchmark = {
    // No videos: `rbler/MMSI-Video-Bench` is fetched without `videos.zip`, and each row's
    // `image_path` lists its clips' pre-extracted frames (relative to the snapshot; VLMEvalKit's
    // `MMSIVideoBench_abs_path.tsv` holds them absolute). vframes samples over the clips joined
    // end to end and passes the chosen files on in place (`FrameListRule`); `video_fps` is their
    // rate, read in fps mode. `_1fps` passes `fps=1`, an int (no frame files are written, so only
    // the name says so).
    let video = VideoRule(field: "image_path", frameList: FrameListRule(field: "image_path", fpsField: "video_fps"))
    let variants: [(String, SamplingSpec)] = [
      ("300frame", .frames(300, sampler: .linspace)), ("64frame", .frames(64, sampler: .linspace)), ("50frame", .frames(50, sampler: .linspace)),
      ("32frame", .frames(32, sampler: .linspace)), ("1fps", .perSecond(integer: 1)),
    ]
    return Benchmark(
      name: "MMSI-Video-Bench", datasets: ["MMSIVideoBench"],
      configs: variants.map { BenchmarkConfig("MMSIVideoBench_\($0.0)", dataset: "MMSIVideoBench", spec: $0.1, video: video) },
      prompt: MMSIVideoPrompt(), scoring: MMSIVideoRule(), nframeSampler: .linspace,
      // `download_mmsivideobench`: the snapshot without `videos.zip`, its root zips. The rows
      // list frames (checked by vframes, row by row), so only the sentinel and TSV are checked.
      sources: [
        EASIData.source(
          "MMSIVideoBench", tsvFile: "MMSIVideoBench.tsv", repo: "rbler/MMSI-Video-Bench", include: { $0 != "videos.zip" },
          preparation: EASIPreparation(sentinel: ".mmsivideo_extracted", media: nil))
      ])
  }()
}

/// `MMSIVideoBench.category_task_order()`: the task types and their sub-task types, in order
/// (`Memoery Update` as VLMEvalKit spells it, matching the dataset).
enum MMSIVideoTasks {
  static let order: [(task: String, subTasks: [String])] = [
    (
      "Spatial Construction",
      [
        "Instance/Scene Attribute", "Instance-Instance Spatial Relationship", "Instance-Scene Spatial Relationship",
        "Scene-Scene Spatial Relationship", "Camera-Instance Spatial Relationship", "Camera-Scene Spatial Relationship",
      ]
    ),
    ("Motion Understanding", ["Camera Motion", "Instance Motion", "Interactive Motion"]),
    ("Cross-Video", ["Memoery Update", "Multi-View Integration"]),
    ("Planning", ["Planning"]),
    ("Prediction", ["Prediction"]),
  ]
  /// `_aggregate_subsets`' sub-bench columns.
  static let subBenches = ["Easy2hard", "Grounding", "Indoor_Scene_Perception", "Robot"]
}

/// `MMSIVideoBench.build_prompt`: `system_prompt + '\n' + task_prompt + user_prompt +
/// format_prompt` from the row, split at its `<video>` and `<image>` placeholders: the k-th
/// `<video>` becomes clip k's sampled frames (vframes' `frame_groups`), the k-th `<image>` the k-th
/// of `ref_images`, and the text between them text items as they are (empty ones dropped). The
/// counts must match (VLMEvalKit asserts). There is no video-LLM form: frames are sent either way.
struct MMSIVideoPrompt: PromptTemplate {
  var name: String { "mmsi-video" }
  var constants: [String] { ["\n", "<video>", "<image>"] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let prompt = (try t.field("system_prompt")) + "\n" + (try t.field("task_prompt")) + (try t.field("user_prompt")) + (try t.field("format_prompt"))
    // VLMEvalKit sends the listed frames to every model, a video LLM included.
    var frameInput = t
    frameInput.videoLLM = false
    let clips = try frameInput.visualGroups()
    let refs = try Self.refImages(t)
    let pieces = Self.split(prompt)
    let videos = pieces.filter { $0 == .video }.count, images = pieces.filter { $0 == .image }.count
    guard videos == clips.count else {
      throw PromptError(code: .badField, message: "num <video> != num segments: \(videos) vs \(clips.count)")
    }
    guard images == refs.count else {
      throw PromptError(code: .badField, message: "num <image> != num ref_images: \(images) vs \(refs.count)")
    }
    var items: [MessageItem] = []
    var v = 0, i = 0
    for p in pieces {
      switch p {
      case .video:
        items += clips[v]
        v += 1
      case .image:
        items.append(.image(refs[i]))
        i += 1
      case .text(let s): items.append(.text(s))
      }
    }
    return items
  }

  enum Piece: Equatable {
    case text(String)
    case video, image
  }

  /// `parse_special_text`: `re.split('(<video>|<image>)', text)` without its empty parts, by
  /// code points.
  static func split(_ text: String) -> [Piece] {
    let u = Array(text.unicodeScalars)
    let video = Array("<video>".unicodeScalars), image = Array("<image>".unicodeScalars)
    var out: [Piece] = []
    var start = 0, i = 0
    func flush(_ end: Int) {
      if end > start { out.append(.text(String(String.UnicodeScalarView(u[start..<end])))) }
    }
    while i < u.count {
      if u[i] == "<", i + 7 <= u.count {
        let w = Array(u[i..<(i + 7)])
        if w == video || w == image {
          flush(i)
          out.append(w == video ? .video : .image)
          i += 7
          start = i
          continue
        }
      }
      i += 1
    }
    flush(u.count)
    return out
  }

  /// `toliststr(ref_images)`: a list literal (or JSON array) of paths, one path otherwise; an
  /// absent or empty cell is no image (pandas' NaN there makes VLMEvalKit raise). A relative path
  /// is under the data root (VLMEvalKit makes them absolute under the snapshot).
  static func refImages(_ t: TemplateInput) throws(PromptError) -> [String] {
    let paths: [String]
    switch t.record["ref_images"] {
    case nil, .null?: paths = []
    case .array(let items)?: paths = items.map { $0.scalarText ?? JSONSerializer.serialize($0) }
    case let v?:
      guard let s = v.scalarText else { throw PromptError(code: .badField, message: "field 'ref_images' must be a list of paths") }
      if s.isEmpty || s == "nan" {
        paths = []
      } else if s.count > 1, s.hasPrefix("["), s.hasSuffix("]") {
        do {
          paths = try PythonLiteral.stringList(s)
        } catch {
          throw PromptError(code: .badField, message: "field 'ref_images' is not a Python list literal: \(error)")
        }
      } else {
        paths = [s]
      }
    }
    let root = t.datasetRoot
    return paths.map { p in p.hasPrefix("/") || root.isEmpty ? p : (root.hasSuffix("/") ? root + p : root + "/" + p) }
  }
}

/// MMSI-Video-Bench's `evaluate` on the rule path: EASI's multiple-choice hits grouped by
/// `task_type` and `sub_task_type` (`{column}.{value}_accuracy`), then `_aggregate_subsets`: for
/// each sub-bench column, the accuracy of the rows that have a value there (`({col})Avg`) and per
/// value (`({col}){value}`), keys in order of first appearance over the sorted rows, in
/// `{stem}_extract_matching_subset_acc.csv`.
struct MMSIVideoRule: ScoringRule {
  var name: String { "mmsi-video" }

  var mcq: EASIMCQRule {
    EASIMCQRule(
      name: name, rules: "MMSI-Video-Bench", groupColumn: "task_type", order: MMSIVideoTasks.order.map(\.task),
      moreGroups: [EASIGroupColumn(column: "sub_task_type", order: MMSIVideoTasks.order.flatMap(\.subTasks))])
  }

  func judgePrompts(_ rows: Rows, strict: Bool) -> JudgeNeed { mcq.judgePrompts(rows, strict: strict) }

  /// `is_nan_or_none`: no value, or one that strips to `nan`, `null`, `none` or nothing (any case).
  static func isMissing(_ v: String?) -> Bool {
    guard let v else { return true }
    return ["nan", "null", "none", ""].contains(PyStr(v).strip().lower().string)
  }

  func score(_ rows: Rows, _ ctx: ScoreContext) -> Outcome {
    var outcome = mcq.score(rows, ctx)
    let order = EASIMCQScorer.sortedPositions(rows)
    var keys: [String] = []
    var values: [String: [Double]] = [:]
    func add(_ k: String, _ v: Double) {
      if values[k] == nil { keys.append(k) }
      values[k, default: []].append(v)
    }
    for r in order {
      let hit: Double = outcome.scores[r] == "1" ? 1 : 0
      for col in MMSIVideoTasks.subBenches where rows.table.has(col) {
        let tag = rows.cell(r, col)
        if Self.isMissing(tag) { continue }
        add("(\(col))Avg", hit)
        add("(\(col))\(tag!)", hit)
      }
    }
    // `float(np.mean(vals)) * 100.0`, written `%.4f`; no file when no row has a sub-bench.
    let results = keys.map { k in (k, EASI.pairwiseSum(values[k]![...]) / Double(values[k]!.count) * 100) }
    if !results.isEmpty {
      let text = "metric\tvalue\n" + results.map { EASIMCQScorer.csvCell($0.0) + "\t" + String(format: "%.4f", $0.1) + "\n" }.joined()
      outcome.textFiles.append(("_" + EASIMCQScorer.tag(ctx) + "_subset_acc.csv", text))
      for (k, v) in results { outcome.summary.rows.append(SummaryRow(group: "sub-bench", name: k, total: values[k]!.count, value: v)) }
    }
    return outcome
  }
}
