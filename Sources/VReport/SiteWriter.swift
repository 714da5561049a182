import Foundation
import VCore

/// What vreport writes and where frames come from.
public struct ReportOptions: Sendable {
  /// The site's folder (DIR).
  public var output: String
  /// The frame cache (default `$LMUData/images`): frames inside it, or inside DIR, are linked.
  public var frameCache: String
  /// Copy every frame under DIR/frames (a site that can be served or moved as one folder).
  public var copyFrames = false
  /// The largest frame file copied (a bigger one is shown as missing).
  public var maxFrameBytes = 4 << 20
  /// Questions listed per page.
  public var pageSize = 50

  public init(output: String, frameCache: String) {
    self.output = output
    self.frameCache = frameCache
  }
}

/// What was written.
public struct ReportSummary: Sendable, Equatable {
  public var index: String
  public var datasets = 0
  public var runs = 0
  public var questions = 0
  public var framesLinked = 0
  public var framesCopied = 0
  /// Frames that are neither linkable nor copyable (missing, not JPEG/PNG, too large).
  public var framesMissing = 0
}

/// One dataset's runs, side by side.
struct DatasetGroup {
  var name: String
  var slug: String
  var runs: [ModelRun]
  /// Unique labels: the model name, `name (2)` for a second run of the same model.
  var labels: [String]
}

/// Writes the static site: index.html (the overview), one page per dataset with its score
/// table and chart, and the dataset's questions as data/{slug}.js, which the page's script
/// turns into the filtered, paged question list.
public final class SiteWriter {
  let options: ReportOptions
  let outReal: String
  let cacheReal: String?
  var frameURLs: [String: String?] = [:]
  var summary: ReportSummary

  public init(options: ReportOptions) throws {
    self.options = options
    do { try FileIO.makeDirectories(options.output) } catch { throw ReportError(error.description, status: error.exitStatus) }
    guard let real = RunPaths.real(options.output) else { throw ReportError("\(options.output): cannot be created", status: .ioError) }
    outReal = real
    cacheReal = RunPaths.real(options.frameCache)
    summary = ReportSummary(index: (options.output as NSString).appendingPathComponent("index.html"))
  }

  public func write(_ runs: [ModelRun]) throws -> ReportSummary {
    let groups = Self.group(runs)
    summary.datasets = groups.count
    summary.runs = runs.count
    try put("assets/report.css", Assets.css)
    try put("assets/report.js", Assets.js)
    var overview: [(DatasetGroup, [[String]])] = []
    for g in groups {
      var links: [[String]] = []
      for (i, r) in g.runs.enumerated() { links.append(try copyFiles(r, folder: "files/\(g.slug)/\(HTML.slug(g.labels[i]))")) }
      overview.append((g, links))
      try writeData(g)
      try put("\(g.slug).html", datasetPage(g))
      try put("charts/\(g.slug).svg", chart(g))
    }
    try put("index.html", indexPage(overview))
    try put("report.json", reportJSON(groups))
    return summary
  }

  static func group(_ runs: [ModelRun]) -> [DatasetGroup] {
    var groups: [DatasetGroup] = []
    var used = Set<String>()
    for r in runs {
      if let i = groups.firstIndex(where: { $0.name == r.dataset }) {
        var label = r.model, n = 2
        while groups[i].labels.contains(label) {
          label = "\(r.model) (\(n))"
          n += 1
        }
        groups[i].runs.append(r)
        groups[i].labels.append(label)
      } else {
        var slug = HTML.slug(r.dataset), n = 2
        while used.contains(slug.lowercased()) || ["index", "report"].contains(slug.lowercased()) {
          slug = HTML.slug(r.dataset) + "-\(n)"
          n += 1
        }
        used.insert(slug.lowercased())
        groups.append(DatasetGroup(name: r.dataset, slug: slug, runs: [r], labels: [r.model]))
      }
    }
    return groups
  }

  // MARK: files

  func put(_ relative: String, _ text: String) throws {
    let path = (options.output as NSString).appendingPathComponent(relative)
    do {
      try FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
      try FileIO.writeAtomically(path, Array(text.utf8))
    } catch { throw ReportError(error.description, status: error.exitStatus) }
  }

  /// Copies the run's table, score files and notes under DIR; returns [name, url] pairs.
  func copyFiles(_ r: ModelRun, folder: String) throws -> [String] {
    var out: [String] = []
    var names = Set<String>()
    for f in r.files {
      let name = HTML.slug((f as NSString).lastPathComponent)
      guard names.insert(name).inserted else { continue }
      let bytes: [UInt8]
      do { bytes = try FileIO.readFile(f, limit: 512 << 20) } catch { throw ReportError(error.description, status: error.exitStatus) }
      let rel = folder + "/" + name
      let path = (options.output as NSString).appendingPathComponent(rel)
      do {
        try FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
        try FileIO.writeAtomically(path, bytes)
      } catch { throw ReportError(error.description, status: error.exitStatus) }
      out.append(rel)
    }
    return out
  }

  /// The URL (relative to DIR) a frame is shown from: a link when the frame is inside DIR or the
  /// frame cache (and not --copy-frames), else a copy under DIR/frames; nil when it is missing,
  /// not a JPEG or PNG, or too large.
  func frameURL(_ path: String) -> String? {
    if let known = frameURLs[path] { return known }
    let url = resolveFrame(path)
    frameURLs[path] = url
    return url
  }

  func resolveFrame(_ path: String) -> String? {
    guard let real = RunPaths.real(FileIO.absolutePath(path)), case .regular(let size, _) = FileIO.fileKind(real) else {
      summary.framesMissing += 1
      return nil
    }
    if !options.copyFrames, RunPaths.isInside(real, outReal) || (cacheReal.map { RunPaths.isInside(real, $0) } ?? false) {
      summary.framesLinked += 1
      return HTML.relativeURL(RunPaths.relative(from: outReal, to: real))
    }
    guard size <= options.maxFrameBytes, let bytes = try? FileIO.readFile(real, limit: options.maxFrameBytes) else {
      summary.framesMissing += 1
      return nil
    }
    let ext: String
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
      ext = "jpg"
    } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
      ext = "png"
    } else {
      summary.framesMissing += 1
      return nil
    }
    let name = "frames/" + Self.hash(real) + "." + ext
    let dest = (options.output as NSString).appendingPathComponent(name)
    do {
      try FileIO.makeDirectories((dest as NSString).deletingLastPathComponent)
      try FileIO.writeAtomically(dest, bytes)
    } catch {
      summary.framesMissing += 1
      return nil
    }
    summary.framesCopied += 1
    return name
  }

  /// FNV-1a 64 of the path, as 16 hex digits.
  static func hash(_ s: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return String(h, radix: 16).leftPadded(16)
  }

  // MARK: data

  func writeData(_ g: DatasetGroup) throws {
    // The questions of every run, in the order first seen; the first run's text and prompt.
    var order: [String] = []
    var byID: [String: QuestionRecord] = [:]
    for r in g.runs {
      for q in r.questions where byID[q.id] == nil {
        byID[q.id] = q
        order.append(q.id)
      }
    }
    var items: [JSONValue] = []
    items.reserveCapacity(order.count)
    var categories: [String] = []
    var seenCategories = Set<String>()
    for id in order {
      guard let q = byID[id] else { continue }
      let urls: [String?] = q.frames.map(frameURL)
      var index: [String: Int] = [:]
      for (i, f) in q.frames.enumerated() where index[f] == nil { index[f] = i }
      let messages: [JSONValue] = q.messages.map { m in
        var a: [JSONValue] = [.string(m.role), .string(m.type)]
        if m.type == "text" {
          a.append(.string(m.value))
        } else {
          a.append(.string((m.value as NSString).lastPathComponent))
          if let i = index[m.value] { a.append(.int(i)) }
        }
        return .array(a)
      }
      let answers: [JSONValue] = g.runs.map { r in
        guard let a = r.answers[id] else { return .null }
        var o = JSONObject()
        o["v"] = .string(a.verdict)
        if let p = a.prediction { o["p"] = .string(p) }
        if let x = a.extracted { o["x"] = .string(x) }
        if let s = a.score { o["s"] = .string(s) }
        if let j = a.judgeReply { o["j"] = .string(j) }
        if let t = a.reasoning { o["t"] = .string(t) }
        if let e = a.error { o["e"] = .string(e) }
        return .object(o)
      }
      var o = JSONObject([("id", .string(id))])
      if let c = q.category {
        o["c"] = .string(c)
        if seenCategories.insert(c).inserted { categories.append(c) }
      }
      if let t = q.question { o["q"] = .string(t) }
      if let t = q.answer { o["a"] = .string(t) }
      if let t = q.video { o["vid"] = .string(t) }
      o["f"] = .array(urls.map { $0.map(JSONValue.string) ?? .null })
      o["m"] = .array(messages)
      o["r"] = .array(answers)
      items.append(.object(o))
    }
    summary.questions += items.count
    let data = JSONObject([
      ("dataset", .string(g.name)), ("models", .array(g.labels.map(JSONValue.string))),
      ("categories", .array(categories.map(JSONValue.string))), ("pageSize", .int(options.pageSize)), ("questions", .array(items)),
    ])
    var bytes = Array("window.VREPORT_DATA = ".utf8)
    JSONSerializer.write(.object(data), into: &bytes)
    bytes += Array(";\n".utf8)
    let path = (options.output as NSString).appendingPathComponent("data/\(g.slug).js")
    do {
      try FileIO.makeDirectories((path as NSString).deletingLastPathComponent)
      try FileIO.writeAtomically(path, bytes)
    } catch { throw ReportError(error.description, status: error.exitStatus) }
  }

  // MARK: pages

  static func page(title: String, body: String, scripts: [String] = []) -> String {
    var s = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' file: data:; style-src 'self' 'unsafe-inline'; script-src 'self' file:; connect-src 'none'">
      <title>\(HTML.text(title))</title>
      <link rel="stylesheet" href="assets/report.css">
      </head>
      <body>

      """
    s += body
    for src in scripts { s += "<script src=\"\(HTML.attribute(src))\"></script>\n" }
    return s + "</body>\n</html>\n"
  }

  static func score(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "n/a" }

  func indexPage(_ groups: [(DatasetGroup, [[String]])]) -> String {
    var b = "<header><h1>vtools report</h1><p class=\"sub\">\(summary.runs) runs, \(groups.count) datasets</p></header>\n<main>\n"
    b += "<table id=\"overview\" class=\"scores\">\n<thead><tr><th>dataset</th><th>model</th><th>score</th><th>metric</th><th>mode</th>"
    b += "<th>rules</th><th>judge</th><th>frames</th><th>date</th><th>questions</th><th>files</th></tr></thead>\n<tbody>\n"
    for (g, links) in groups {
      for (i, r) in g.runs.enumerated() {
        let s = r.scores
        b += "<tr class=\"run\"><td><a href=\"\(HTML.attribute(HTML.relativeURL([g.slug + ".html"])))\">\(HTML.text(g.name))</a></td>"
        b += "<td>\(HTML.text(g.labels[i]))</td><td class=\"num\">\(Self.score(s?.overall?.value))</td>"
        b += "<td>\(HTML.text(s?.metric ?? "-"))</td><td>\(HTML.text(s?.mode ?? "-"))</td><td>\(HTML.text(s?.rules ?? "-"))</td>"
        b += "<td>\(HTML.text(r.judge ?? "-"))</td><td>\(HTML.text(r.frameSpec ?? "-"))</td><td>\(HTML.text(r.date ?? "-"))</td>"
        b += "<td class=\"num\">\(r.questions.count)</td><td>"
        b += links[i].map {
          "<a href=\"\(HTML.attribute(HTML.relativeURL($0.split(separator: "/").map(String.init))))\">\(HTML.text(($0 as NSString).lastPathComponent))</a>"
        }
        .joined(separator: " ")
        b += "</td></tr>\n"
      }
    }
    b += "</tbody>\n</table>\n"
    for (g, _) in groups where g.runs.contains(where: { !($0.scores?.notes.isEmpty ?? true) }) {
      b += "<section class=\"notes\"><h2>\(HTML.text(g.name)): notes</h2><ul>"
      for (i, r) in g.runs.enumerated() { for n in r.scores?.notes ?? [] { b += "<li>\(HTML.text(g.labels[i])): \(HTML.text(n))</li>" } }
      b += "</ul></section>\n"
    }
    b += "</main>\n"
    return Self.page(title: "vtools report", body: b)
  }

  /// The score rows of the dataset (every group), in the first run's order, then the others'.
  func scoreRows(_ g: DatasetGroup) -> [(String, String)] {
    var rows: [(String, String)] = []
    for r in g.runs {
      for c in r.scores?.rows ?? [] where !rows.contains(where: { $0 == (c.group, c.name) }) { rows.append((c.group, c.name)) }
    }
    return rows
  }

  func value(_ r: ModelRun, _ key: (String, String)) -> Double? {
    r.scores?.rows.first { $0.group == key.0 && $0.name == key.1 }?.value
  }

  func chart(_ g: DatasetGroup) -> String {
    let rows = scoreRows(g)
    let group = g.runs.lazy.compactMap { $0.scores?.categoryGroup }.first
    let shown = rows.filter { $0.0 == "overall" || $0.0 == group }
    let metric = g.runs.lazy.compactMap { $0.scores?.metric }.first ?? ""
    let values = shown.map { key in g.runs.map { value($0, key) } }
    return BarChart.svg(
      title: "\(g.name): \(metric.isEmpty ? "score" : metric)\(group.map { " by \($0)" } ?? "")", categories: shown.map { $0.1 }, models: g.labels,
      values: values, maximum: metric.contains("%") ? 100 : nil)
  }

  func datasetPage(_ g: DatasetGroup) -> String {
    var b = "<header><nav><a href=\"index.html\">overview</a></nav><h1>\(HTML.text(g.name))</h1>"
    b +=
      "<p class=\"sub\">\(g.runs.count) model\(g.runs.count == 1 ? "" : "s"): \(g.labels.map(HTML.text).joined(separator: ", "))</p></header>\n<main>\n"
    let rows = scoreRows(g)
    if !rows.isEmpty {
      let metric = g.runs.lazy.compactMap { $0.scores?.metric }.first ?? "score"
      b += "<section id=\"scores\"><h2>Scores (\(HTML.text(metric)))</h2>\n<table class=\"scores\"><thead><tr><th>group</th><th>category</th>"
      for l in g.labels { b += "<th>\(HTML.text(l))</th>" }
      b += "</tr></thead><tbody>\n"
      for key in rows {
        b += "<tr><td>\(HTML.text(key.0))</td><td>\(HTML.text(key.1))</td>"
        for r in g.runs { b += "<td class=\"num\">\(Self.score(value(r, key)))</td>" }
        b += "</tr>\n"
      }
      b += "</tbody></table>\n<figure id=\"chart\">\n\(chart(g))</figure>\n</section>\n"
    }
    b += """
      <section id="browse"><h2>Questions</h2>
      <form id="filters">
      <label>category <select id="f-category"><option value="">all</option></select></label>
      <label>wrong for <select id="f-wrong"><option value="">any model</option></select></label>
      <label>right for <select id="f-right"><option value="">any model</option></select></label>
      <label>search <input id="f-search" type="search" placeholder="id, question, answer, prediction"></label>
      </form>
      <p id="count" aria-live="polite">loading…</p>
      <ol id="questions"></ol>
      <nav id="pager"></nav>
      <noscript><p>The question list needs JavaScript (it reads data/\(HTML.text(g.slug)).js).</p></noscript>
      </section>
      </main>

      """
    return Self.page(title: "\(g.name): vtools report", body: b, scripts: ["data/\(g.slug).js", "assets/report.js"])
  }

  func reportJSON(_ groups: [DatasetGroup]) -> String {
    let ds: [JSONValue] = groups.map { g in
      let runs: [JSONValue] = g.runs.enumerated().map { i, r in
        var o = JSONObject([("model", .string(g.labels[i])), ("source", .string(r.source))])
        o["score"] = r.scores?.overall?.value.map(JSONValue.double) ?? .null
        o["metric"] = r.scores.map { .string($0.metric) } ?? .null
        o["mode"] = r.scores.map { .string($0.mode) } ?? .null
        o["judge"] = r.judge.map(JSONValue.string) ?? .null
        o["frames"] = r.frameSpec.map(JSONValue.string) ?? .null
        o["date"] = r.date.map(JSONValue.string) ?? .null
        o["questions"] = .int(r.questions.count)
        return .object(o)
      }
      return .object(JSONObject([("dataset", .string(g.name)), ("page", .string(g.slug + ".html")), ("runs", .array(runs))]))
    }
    return JSONSerializer.pretty(.object(JSONObject([("datasets", .array(ds))])), indent: 2) + "\n"
  }
}
