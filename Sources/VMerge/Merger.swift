import Foundation
import VCore
import VSheet

/// vmerge's settings.
public struct MergeOptions: Sendable {
  public var meta: String
  public var inputs: [String]
  /// The output file, or a directory (ending in `/`) for `{model}_{dataset}.xlsx`.
  public var output: String
  public var allowMissing = false
  public var strict = false
  public var model: String?
  public var dataset: String?
  /// The rows of the meta file a preset keeps (MovieChat-1K's subsets); nil keeps all.
  public var rows: RowSubset?

  public init(meta: String, inputs: [String], output: String) {
    self.meta = meta
    self.inputs = inputs
    self.output = output
  }
}

/// One answer for one dataset index.
struct Answer {
  var prediction: String?
  var failed: Bool
}

/// Joins vinfer outputs to the dataset rows and writes VLMEvalKit's result table.
public final class Merger {
  private let options: MergeOptions
  private let diag: Diagnostics

  public init(options: MergeOptions, diagnostics: Diagnostics) {
    self.options = options
    self.diag = diagnostics
  }

  /// Expands glob patterns that name no existing file.
  static func expand(_ inputs: [String]) -> [String] {
    var out: [String] = []
    for p in inputs {
      if p == "-" || FileManager.default.fileExists(atPath: p) || !p.contains(where: { "*?[".contains($0) }) {
        out.append(p)
        continue
      }
      var g = glob_t()
      defer { globfree(&g) }
      if glob(p, 0, nil, &g) == 0 {
        for i in 0..<Int(g.gl_pathc) { if let c = g.gl_pathv[i] { out.append(String(cString: c)) } }
      } else {
        out.append(p)
      }
    }
    return out
  }

  public func run() throws -> ExitStatus {
    // The dataset rows and the last answer logs are read on a thread of their own while the
    // other answer logs are parsed here (the reads are independent; the split balances their
    // sizes). Records and ignored lines are then taken in the order of the files. The meta file
    // is opened first, so a missing one is the first error.
    let paths = Self.expand(options.inputs)
    let split = Self.backgroundSplit(paths, meta: options.meta)
    let tail = Array(paths[split...])
    let metaReader = UnsafeTransfer(try RecordReader(path: options.meta, format: .tsv))
    let background = Background { () -> (meta: Result<MetaRows, any Error>, tail: Result<[ScanEvent], any Error>) in
      let meta = Result { try Self.readMeta(metaReader.value) }
      var events: [ScanEvent] = []
      let scanned = Result { () throws -> [ScanEvent] in
        _ = try AnswerLog.scan(paths: tail, issue: { events.append(.issue($0)) }, record: { events.append(.record($0)) })
        return events
      }
      return (meta, scanned)
    }
    var entries: [AnswerLog.Entry] = []
    var malformed = 0
    func report(_ issue: AnswerLog.Issue) {
      switch issue.kind {
      case .torn: diag.note("\(issue.location): ignoring a torn last line")  // vinfer fences it off on resume
      case .malformed(let why):
        diag.error(at: issue.location, "\(why); line ignored")
        malformed += 1
      }
    }
    let head = Result { _ = try AnswerLog.scan(paths: Array(paths[..<split]), issue: report, record: { entries.append($0) }) }
    var done: (meta: Result<MetaRows, any Error>, tail: Result<[ScanEvent], any Error>)? = try background.join()
    var meta = try done!.meta.get()
    if let subset = options.rows { meta = try Self.subset(meta, subset) }
    try head.get()
    for event in try done!.tail.get() {
      switch event {
      case .issue(let i): report(i)
      case .record(let e): entries.append(e)
      }
    }
    done = nil  // the rows below are then the only reference, appended to in place
    let (header, ids, known) = (meta.header, meta.ids, meta.known)
    var rows = meta.rows
    meta.rows = []

    // The answers: the standing one per id, by AnswerRule (a success beats a failure, then the
    // latest wins); every pack record is unpacked in the order read.
    var answers: [String: Answer] = [:]
    answers.reserveCapacity(ids.count)
    var duplicates = 0
    var unknown: [String] = []
    var stats: [String: Int] = [:]
    var firstModel: String?
    func put(_ id: String, _ a: Answer) {
      if let prev = answers[id] {
        duplicates += 1
        if !AnswerRule.laterReplaces(laterFailed: a.failed, earlierFailed: prev.failed) { return }
      }
      answers[id] = a
    }
    for entry in entries {
      if firstModel == nil { firstModel = entry.model }
      if let pack = entry.pack {
        unpack(questions: pack, prediction: entry.prediction, failed: entry.failed, stats: &stats, put: put)
        continue
      }
      guard known.contains(entry.id) else {
        unknown.append(entry.id)
        continue
      }
      put(entry.id, Answer(prediction: entry.prediction ?? FailMarker.message, failed: entry.failed))
    }
    entries = []
    let model = options.model ?? firstModel

    // Completeness.
    // One pass: each row gets its prediction cell (empty when missing).
    var missing: [String] = []
    var failedCount = 0, valid = 0
    for k in ids.indices {
      guard let a = answers[ids[k]] else {
        missing.append(ids[k])
        rows[k].append("")
        continue
      }
      if a.failed { failedCount += 1 }
      if let p = a.prediction {
        valid += 1
        rows[k].append(p)
      } else {
        rows[k].append("")
      }
    }
    answers = [:]
    if !stats.isEmpty {
      stats["VALIDQ"] = valid
      stats["INVALIDQ"] = ids.count - valid
      let order = ["GEN_FAIL", "PARSE_OK", "PARSE_FAIL", "VALIDQ", "INVALIDQ"]
      diag.note("pack answers: " + order.compactMap { k in stats[k].map { "\(k)=\($0)" } }.joined(separator: " "))
    }
    if duplicates > 0 { diag.note("\(duplicates) duplicate answers resolved (a success beats a failure, then the latest wins)") }
    if !unknown.isEmpty {
      diag.warning("\(unknown.count) answers for ids not in \(options.meta) ignored (first: \(unknown.prefix(5).joined(separator: ", ")))")
    }
    if failedCount > 0 { diag.warning("\(failedCount) questions have failed answers (prediction '\(FailMarker.message)')") }
    if !missing.isEmpty && stats.isEmpty {
      let list = missing.prefix(20).joined(separator: ", ")
      if !options.allowMissing {
        throw SimpleToolError(
          "\(missing.count) of \(ids.count) questions have no answer: \(list)\(missing.count > 20 ? ", ..." : "") (use --allow-missing to write the table anyway)",
          status: .dataError)
      }
      diag.warning("\(missing.count) questions have no answer; their prediction cells are empty")
    }

    // The table.
    var out = options.output
    if out.hasSuffix("/") || FileManager.default.fileExists(atPath: out) && isDirectory(out) {
      let dataset = options.dataset ?? ((options.meta as NSString).lastPathComponent as NSString).deletingPathExtension
      guard let m = model, !m.isEmpty else {
        throw SimpleToolError("cannot name the output: give --model (the answers record none)", status: .usage)
      }
      out = (out.hasSuffix("/") ? out : out + "/") + "\(m)_\(dataset).xlsx"
    }
    try TableWriter.write(header + ["prediction"], rows, to: out, diag: diag)
    diag.note("wrote \(out): \(ids.count) rows, \(ids.count - missing.count - failedCount) answered, \(failedCount) failed, \(missing.count) missing")
    return failedCount > 0 || malformed > 0 ? .failure : .success
  }

  /// What the background scan saw, in order.
  enum ScanEvent: Sendable {
    case record(AnswerLog.Entry)
    case issue(AnswerLog.Issue)
  }

  /// The first of `paths` read on the background thread (which reads the meta file first): the
  /// last files, as many as keep its share at most half of the work, a TSV byte counting three
  /// answer-log bytes (measured on the vmerge bench). Standard input stays on the main thread.
  static func backgroundSplit(_ paths: [String], meta: String) -> Int {
    func size(_ p: String) -> Int {
      var st = stat()
      return p != "-" && stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : -1
    }
    let sizes = paths.map(size)
    let metaCost = 3 * max(0, size(meta))
    let total = metaCost + sizes.reduce(0) { $0 + max(0, $1) }
    var share = metaCost, k = paths.count
    while k > 0, sizes[k - 1] >= 0, share + sizes[k - 1] <= total / 2 {
      share += sizes[k - 1]
      k -= 1
    }
    return k
  }

  typealias MetaRows = (header: [String], rows: [[String]], ids: [String], known: Set<String>)

  /// The dataset rows in order, as text cells under the header; `index` added first when the
  /// file has none, the `image` column dropped (VLMEvalKit drops it).
  static func readMeta(_ meta: RecordReader) throws -> MetaRows {
    var header = meta.header ?? []
    var rows: [[String]] = []
    var ids: [String] = []
    while let r = try meta.next() {
      switch r {
      case .failure(let e): throw e
      case .success(let rec):
        ids.append(rec.id)
        var row: [String] = []
        row.reserveCapacity(header.count + 2)  // room for `index` and the prediction
        for h in header { row.append(rec.fields[h]?.scalarText ?? "") }
        rows.append(row)
      }
    }
    if !header.contains("index") {
      header.insert("index", at: 0)
      for k in rows.indices { rows[k].insert(ids[k], at: 0) }
    }
    if let img = header.firstIndex(of: "image") {
      header.remove(at: img)
      for k in rows.indices { rows[k].remove(at: img) }
    }
    return (header, rows, ids, Set(ids))
  }

  /// The meta rows a preset's subset keeps, in order.
  static func subset(_ meta: MetaRows, _ subset: RowSubset) throws -> MetaRows {
    guard let c = meta.header.firstIndex(of: subset.column) else {
      if !subset.needsColumn { return meta }
      throw SimpleToolError("the meta file has no '\(subset.column)' column, which the preset's subset (\(subset)) reads", status: .dataError)
    }
    let keep = subset.keep(meta.rows.map { $0[c] })
    let kept = meta.rows.indices.filter { keep[$0] }
    let ids = kept.map { meta.ids[$0] }
    return (meta.header, kept.map { meta.rows[$0] }, ids, Set(ids))
  }

  private func isDirectory(_ p: String) -> Bool {
    var d: ObjCBool = false
    return FileManager.default.fileExists(atPath: p, isDirectory: &d) && d.boolValue
  }

  /// One pack record: its questions get their parsed answers (VLMEvalKit's `load_pack_answers`).
  private func unpack(questions: [String], prediction: String?, failed: Bool, stats: inout [String: Int], put: (String, Answer) -> Void) {
    let ans = (prediction ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if failed || ans.containsBytes(of: FailMarker.message) {
      stats["GEN_FAIL", default: 0] += 1
      return
    }
    // --strict: a single-quoted Python dict (VLMEvalKit's own prompt shows that format, and its
    // line-by-line fallback garbles it on one line) is read as the dict it is.
    let pythonDict = options.strict ? PackAnswers.pythonDict(ans) : nil
    guard var parsed = pythonDict ?? PackAnswers.robustLoad(ans) else {
      stats["PARSE_FAIL", default: 0] += 1
      return
    }
    stats["PARSE_OK", default: 0] += 1
    if options.strict {
      // Q8: the prompt asks for keys I1, I2, ...; accept them in question order.
      for (k, q) in questions.enumerated() where parsed[q] == nil {
        if let v = parsed["I\(k + 1)"] { parsed[q] = v }
      }
    }
    for q in questions {
      if let v = parsed[q] { put(q, Answer(prediction: v, failed: false)) }
    }
  }
}
