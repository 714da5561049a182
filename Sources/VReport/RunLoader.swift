import Foundation
import VCore
import VScore

/// Reads a run's files into a `ModelRun`: the score table (scores.txt), the per-question
/// scores (`_score.xlsx`), the result table, the answer logs and the judge's replies.
public enum RunLoader {
  /// Columns a category may be in, when the score table does not name its grouping.
  static let categoryColumns = ["category", "task_type", "question_type", "type", "dimension", "duration", "sub_category"]

  public static func load(_ files: RunFiles) throws -> ModelRun {
    var run = ModelRun(model: "", dataset: "", source: files.table ?? files.answerLogs.first ?? files.directory)
    var settings: [String: String] = [:]
    for n in files.notes {
      let text = String(decoding: try readSmall(n), as: UTF8.self)
      if n.hasSuffix("scores.txt") { run.scores = ScoresText.parse(text) }
      if n.hasSuffix("settings.txt") {
        for line in text.split(separator: "\n") {
          if let eq = line.firstIndex(of: "=") { settings[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
        }
      }
    }
    let categoryColumn = run.scores?.categoryGroup.flatMap { categoryColumns.contains($0) || !$0.contains("=") ? $0 : nil }

    var order: [String] = []
    var questions: [String: QuestionRecord] = [:]
    func question(_ id: String) -> QuestionRecord {
      if let q = questions[id] { return q }
      order.append(id)
      return QuestionRecord(id: id)
    }

    // The answer logs: the latest answer that did not fail wins, as vmerge resolves them.
    var firstStart: String?
    var models: [String] = []
    var sampling: String?
    for log in files.answerLogs {
      let reader = try RecordReader(path: log, format: .jsonl)
      while let next = try reader.next() {
        let rec: InputRecord
        switch next {
        case .success(let r): rec = r
        case .failure(let e):
          run.problems.append(e.description)
          continue
        }
        let f = rec.fields
        let id = f["id"]?.stringValue ?? f["index"]?.scalarText ?? ""
        if id.isEmpty || id.hasPrefix("pack:") { continue }
        let failed = f["error"] != nil
        if failed, let old = run.answers[id], old.error == nil { continue }
        var q = question(id)
        fill(&q, from: f, categoryColumn: categoryColumn)
        questions[id] = q
        var a = ModelAnswer()
        a.prediction = f["prediction"]?.scalarText
        if let e = f["error"]?.objectValue { a.error = e["message"]?.stringValue ?? e["code"]?.stringValue ?? "failed" }
        let inf = f["inference"]?.objectValue
        a.reasoning = inf?["reasoning"]?.stringValue
        if let m = inf?["model"]?.stringValue, !models.contains(m) { models.append(m) }
        if let s = inf?["started_at"]?.stringValue, firstStart.map({ s < $0 }) ?? true { firstStart = s }
        if sampling == nil, let s = f["sampling"]?.objectValue { sampling = spec(s) }
        run.answers[id] = a
      }
    }

    // The prompts as sent, for the questions answered (vinfer's log does not repeat them).
    for path in files.prompts {
      let reader = try RecordReader(path: path, format: .jsonl)
      while let next = try reader.next() {
        guard case .success(let rec) = next, var q = questions[rec.id] else { continue }
        if q.messages.isEmpty || q.frames.isEmpty { fill(&q, from: rec.fields, categoryColumn: categoryColumn) }
        questions[rec.id] = q
      }
    }

    // The result table: the questions a log does not hold, and the predictions it scored.
    var tableOrder: [String] = []
    if let t = files.table {
      let rt = try ResultTable.load(t)
      let col = categoryColumn.flatMap { rt.has($0) ? $0 : nil } ?? categoryColumns.first { rt.has($0) }
      for r in rt.rows.indices {
        guard let id = rt.cell(r, "index") ?? rt.cell(r, "id") else { continue }
        tableOrder.append(id)
        var q = question(id)
        if q.question == nil { q.question = rt.cell(r, "question") }
        if q.answer == nil { q.answer = rt.cell(r, "answer") }
        if q.category == nil, let col { q.category = rt.cell(r, col) }
        if q.video == nil { q.video = rt.cell(r, "video") }
        if q.letters == nil { q.letters = letters(rt.columns) { rt.cell(r, $0) } }
        questions[id] = q
        if run.answers[id] == nil { run.answers[id] = ModelAnswer(prediction: rt.cell(r, "prediction")) }
      }
    }

    // The per-question scores: the newest `_score.xlsx` (a judged one when there are both).
    let scoreTables = files.scoreFiles.filter { $0.hasSuffix("_score.xlsx") }
    if let stem = files.table.map({ (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }),
      let scorePath = scoreTables.max(by: { infix($0, stem: stem).count < infix($1, stem: stem).count })
    {
      let judge = infix(scorePath, stem: stem)
      if !judge.isEmpty { run.judge = judge }
      let st = try ResultTable.load(scorePath)
      if st.has("score") {
        for r in st.rows.indices {
          guard let id = st.cell(r, "index") ?? st.cell(r, "id"), run.answers[id] != nil else { continue }
          run.answers[id]?.score = st.cell(r, "score")
        }
      }
    }
    for log in files.judgeLogs {
      let reader = try RecordReader(path: log, format: .jsonl)
      while let next = try reader.next() {
        guard case .success(let rec) = next else { continue }
        let id = rec.fields["id"]?.stringValue ?? ""
        if run.answers[id] != nil, let p = rec.fields["prediction"]?.scalarText { run.answers[id]?.judgeReply = p }
        if run.judge == nil, let m = rec.fields["inference"]?.objectValue?["model"]?.stringValue { run.judge = m }
      }
    }
    for id in order {
      guard let l = questions[id]?.letters, !l.isEmpty, let p = run.answers[id]?.prediction else { continue }
      run.answers[id]?.extracted = Matching.extractCharacters(p, letters: l)
    }
    // The table's order (the dataset's), then what only the logs hold.
    let inTable = Set(tableOrder)
    run.questions = (tableOrder + order.filter { !inTable.contains($0) }).compactMap { questions[$0] }

    // Names: the settings, the records, the score table, the file name.
    let stem = files.table.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
    run.dataset = run.scores?.dataset ?? settings["TSV"].map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? ""
    run.model = settings["MODEL"] ?? models.last ?? ""
    if let stem {
      if run.model.isEmpty, !run.dataset.isEmpty, stem.hasSuffix("_" + run.dataset) { run.model = String(stem.dropLast(run.dataset.count + 1)) }
      if run.dataset.isEmpty, !run.model.isEmpty, stem.hasPrefix(run.model + "_") { run.dataset = String(stem.dropFirst(run.model.count + 1)) }
    }
    if run.dataset.isEmpty { run.dataset = (files.directory as NSString).lastPathComponent }
    if run.model.isEmpty { run.model = stem ?? "model" }
    run.frameSpec = sampling
    run.date = firstStart ?? (files.table ?? files.answerLogs.first).flatMap(modificationDate)
    run.files = (files.table.map { [$0] } ?? []) + files.scoreFiles + files.notes
    return run
  }

  static func readSmall(_ path: String) throws -> [UInt8] {
    do { return try FileIO.readFile(path, limit: 16 << 20) } catch { throw ReportError(error.description, status: error.exitStatus) }
  }

  /// `{stem}{infix}_score.xlsx` -> the infix without its leading `_` (the judge).
  static func infix(_ path: String, stem: String) -> String {
    let name = (path as NSString).lastPathComponent
    let middle = name.dropFirst(stem.count).dropLast("_score.xlsx".count)
    return String(middle.drop { $0 == "_" })
  }

  /// A record's question fields: the dataset columns, frames and prompt.
  static func fill(_ q: inout QuestionRecord, from f: JSONObject, categoryColumn: String?) {
    func text(_ k: String) -> String? { f[k]?.scalarText.flatMap { $0.isEmpty ? nil : $0 } }
    if q.question == nil { q.question = text("question") }
    if q.answer == nil { q.answer = text("answer") }
    if q.video == nil { q.video = text("video") }
    if q.category == nil {
      q.category = categoryColumn.flatMap(text) ?? categoryColumns.lazy.compactMap(text).first
    }
    if q.frames.isEmpty, let fr = f["frames"]?.arrayValue { q.frames = fr.compactMap(\.stringValue) }
    if q.messages.isEmpty, let ms = f["messages"]?.arrayValue {
      q.messages = ms.compactMap { m in
        guard let o = m.objectValue else { return nil }
        return PromptItem(
          role: o["role"]?.stringValue ?? "user", type: o["type"]?.stringValue ?? "text", value: o["value"]?.scalarText ?? "")
      }
    }
    if q.letters == nil {
      if let c = f["candidates"] {
        let n = c.arrayValue?.count ?? (c.stringValue.flatMap { try? PythonLiteral.stringList($0).count } ?? 0)
        if n > 0 { q.letters = String("ABCDEFGHIJKLMNOPQRSTUVWXYZ".prefix(n)) }
      }
      if q.letters == nil { q.letters = letters(f.keys) { text($0) } }
    }
  }

  /// The option letters a row holds as columns (`A`, `B`, ... with a value), or nil.
  static func letters(_ columns: [String], _ cell: (String) -> String?) -> String? {
    var out = ""
    for l in "ABCDEFGHIJ" {
      guard columns.contains(String(l)), cell(String(l)) != nil else { break }
      out.append(l)
    }
    return out.count >= 2 ? out : nil
  }

  /// A sampling object as one line: `key=value` for its scalar members.
  static func spec(_ o: JSONObject) -> String {
    o.pairs.compactMap { p in
      guard let t = p.value.scalarText, !t.isEmpty else { return nil }
      return "\(p.key)=\(t)"
    }.joined(separator: " ")
  }

  static func modificationDate(_ path: String) -> String? {
    guard case .regular(_, let ns) = FileIO.fileKind(path) else { return nil }
    let d = Date(timeIntervalSince1970: Double(ns) / 1e9)
    let f = ISO8601DateFormatter()
    return f.string(from: d)
  }
}
