import Foundation
import Testing
import VCore
import VReport
import VTestSupport

@Suite struct EscapingTests {
  @Test func htmlTextEscapesEveryMarkupCharacter() {
    #expect(HTML.text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
    #expect(HTML.text("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;")
    #expect(HTML.text("tab\tline\nnul\u{0}bell\u{7}") == "tab\tline\nnulbell")
    #expect(HTML.text("é 漢字 🎬") == "é 漢字 🎬")
  }

  @Test func relativeURLsKeepEachSegmentOneSegmentAndNeverAScheme() {
    #expect(HTML.relativeURL(["..", "LMUData", "images", "v 1", "frame-1-of-8.jpg"]) == "../LMUData/images/v%201/frame-1-of-8.jpg")
    #expect(HTML.relativeURL(["javascript:alert(1)"]) == "javascript%3Aalert%281%29")
    #expect(HTML.relativeURL(["a\"b#c?d%e"]) == "a%22b%23c%3Fd%25e")
    #expect(HTML.relativeURL(["é"]) == "%C3%A9")
    #expect(HTML.relativeURL(["."]) == "%2E")
  }

  @Test func slugsAreSafeFileNames() {
    #expect(HTML.slug("Video-MME_8frame") == "Video-MME_8frame")
    #expect(HTML.slug("../etc/passwd") == ".._etc_passwd")
    #expect(HTML.slug("..") == "_..")
    #expect(HTML.slug("") == "_")
  }
}

@Suite struct RunPathsTests {
  @Test func relativePathsAndContainment() {
    #expect(RunPaths.relative(from: "/w/demo/report", to: "/w/demo/LMUData/images/a.jpg") == ["..", "LMUData", "images", "a.jpg"])
    #expect(RunPaths.relative(from: "/w/r", to: "/w/r/frames/x.jpg") == ["frames", "x.jpg"])
    #expect(RunPaths.isInside("/w/cache/a.jpg", "/w/cache"))
    #expect(!RunPaths.isInside("/w/cache-other/a.jpg", "/w/cache"))
    #expect(!RunPaths.isInside("/w/cache", "/w/cache"))
  }

  @Test func symbolicLinksAreResolvedBeforeTheCheck() throws {
    let d = TempDir()
    d.write("outside/secret.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0])
    try FileManager.default.createDirectory(atPath: d.file("cache"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: d.file("cache/link.jpg"), withDestinationPath: d.file("outside/secret.jpg"))
    let real = try #require(RunPaths.real(d.file("cache/link.jpg")))
    let cache = try #require(RunPaths.real(d.file("cache")))
    #expect(!RunPaths.isInside(real, cache))
  }
}

@Suite struct ScoresTextTests {
  static let text = """
    DemoBench: mvbench rules, parity mode
    group      category        correct  total  accuracy %
    overall    overall              12     24       50.00

    task_type  Action Sequence       3      8       37.50
    task_type  Counting                     8         nan
    note: chance backend
    """

  @Test func readsVscoresTextTable() throws {
    let t = try #require(ScoresText.parse(Self.text))
    #expect(t.dataset == "DemoBench")
    #expect(t.rules == "mvbench")
    #expect(t.mode == "parity")
    #expect(t.metric == "accuracy %")
    #expect(t.rows.count == 3)
    #expect(t.rows[0] == CategoryScore(group: "overall", name: "overall", correct: "12", total: 24, value: 50))
    #expect(t.rows[1] == CategoryScore(group: "task_type", name: "Action Sequence", correct: "3", total: 8, value: 37.5))
    #expect(t.rows[2] == CategoryScore(group: "task_type", name: "Counting", correct: "", total: 8, value: nil))
    #expect(t.notes == ["chance backend"])
    #expect(t.overall?.value == 50)
    #expect(t.categoryGroup == "task_type")
  }

  @Test func refusesOtherText() {
    #expect(ScoresText.parse("hello\nworld") == nil)
    #expect(ScoresText.parse("") == nil)
  }
}

/// A run folder written by hand: an answer log, a result table (TSV), its score table and
/// scores.txt, frames in a cache and one outside it.
func makeRun(_ d: TempDir, model: String, predictions: [String], scores: [Int], frameOutside: Bool = false) -> String {
  let dir = "runs/Toy/\(model)"
  d.write("cache/Toy/v0/frame-1-of-2.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
  d.write("cache/Toy/v0/frame-2-of-2.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 4, 5, 6])
  d.write("elsewhere/f.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 7])
  d.write("elsewhere/not-an-image.jpg", "#!/bin/sh\n")
  var log = ""
  var table = "index\tquestion\tanswer\tcategory\tA\tB\tprediction\n"
  var scored = "index\tquestion\tanswer\tcategory\tA\tB\tprediction\tscore\n"
  for (i, p) in predictions.enumerated() {
    let frames =
      frameOutside && i == 0
      ? [d.file("elsewhere/f.jpg"), d.file("elsewhere/not-an-image.jpg")]
      : [d.file("cache/Toy/v0/frame-1-of-2.jpg"), d.file("cache/Toy/v0/frame-2-of-2.jpg")]
    var o = JSONObject([("id", .string("\(i)")), ("question", .string("Q\(i) <b>bold</b>?")), ("answer", .string("A"))])
    o["category"] = .string(i % 2 == 0 ? "even" : "odd")
    o["A"] = .string("yes")
    o["B"] = .string("no")
    o["frames"] = .array(frames.map(JSONValue.string))
    o["sampling"] = .object(JSONObject([("method", .string("uniform")), ("nframe", .int(2))]))
    o["messages"] = .array([
      .object(JSONObject([("type", .string("text")), ("value", .string("Be brief.")), ("role", .string("system"))])),
      .object(JSONObject([("type", .string("image")), ("value", .string(frames[0]))])),
      .object(JSONObject([("type", .string("text")), ("value", .string("Q\(i)?"))])),
    ])
    o["prediction"] = .string(p)
    o["inference"] = .object(JSONObject([("model", .string(model)), ("started_at", .string("2026-12-0\(1 + i % 2)T10:00:00Z"))]))
    log += JSONSerializer.serialize(.object(o)) + "\n"
    let row = "\(i)\tQ\(i)\tA\t\(i % 2 == 0 ? "even" : "odd")\tyes\tno\t\(p.replacingOccurrences(of: "\n", with: " "))"
    table += row + "\n"
    scored += row + "\t\(scores[i])\n"
  }
  d.write("\(dir)/answers.0.jsonl", log)
  d.write("\(dir)/\(model)_Toy.tsv", table)
  d.write("\(dir)/\(model)_Toy_score.tsv", scored)
  let right = scores.reduce(0, +)
  let pct = String(format: "%.2f", 100 * Double(right) / Double(scores.count))
  d.write(
    "\(dir)/scores.txt",
    """
    Toy: mvbench rules, parity mode
    group     category  correct  total  accuracy %
    overall   overall         \(right)      \(scores.count)       \(pct)

    category  even            1      2       50.00
    category  odd             1      2       50.00

    """)
  d.write("\(dir)/settings.txt", "MODEL=\(model)\nTSV=/x/Toy.tsv\n")
  return d.file(dir)
}

@Suite struct RunReadingTests {
  @Test func findsTheRunsOfAWorkFolderAndReadsThem() throws {
    let d = TempDir()
    _ = makeRun(d, model: "alpha", predictions: ["A", "B", "A", "no idea"], scores: [1, 0, 1, 0])
    _ = makeRun(d, model: "beta", predictions: ["B", "A", "A", "A"], scores: [0, 1, 1, 1])
    let found = try RunFinder.find([d.file("runs")])
    #expect(found.count == 2)
    let a = try #require(found.first { $0.directory.hasSuffix("alpha") })
    #expect(a.answerLogs.map { ($0 as NSString).lastPathComponent } == ["answers.0.jsonl"])
    #expect(a.notes.count == 2)
    // The .tsv table is not an .xlsx one: the folder's run is its answer log.
    let run = try RunLoader.load(a)
    #expect(run.model == "alpha")
    #expect(run.dataset == "Toy")
    #expect(run.questions.count == 4)
    #expect(run.questions[0].frames.count == 2)
    #expect(run.questions[0].messages.first?.role == "system")
    #expect(run.questions[1].category == "odd")
    #expect(run.answers["3"]?.prediction == "no idea")
    #expect(run.answers["1"]?.extracted == "B")
    #expect(run.frameSpec == "method=uniform nframe=2")
    #expect(run.date == "2026-12-01T10:00:00Z")
    #expect(run.scores?.overall?.value == 50)
  }

  @Test func aTableNamedOnTheCommandLineBringsItsScoreFiles() throws {
    let d = TempDir()
    let dir = makeRun(d, model: "alpha", predictions: ["A", "B"], scores: [1, 0])
    let found = try RunFinder.find([dir + "/alpha_Toy.tsv"])
    #expect(found.count == 1)
    #expect(found[0].scoreFiles.map { ($0 as NSString).lastPathComponent } == ["alpha_Toy_score.tsv"])
    let run = try RunLoader.load(found[0])
    #expect(run.answers["0"]?.prediction == "A")
    #expect(run.files.count == 4)
  }

  @Test func theJudgesRepliesAndNameComeFromJudgeShsAnswers() throws {
    let d = TempDir()
    let dir = makeRun(d, model: "alpha", predictions: ["maybe", "B"], scores: [1, 0])
    d.write(
      "runs/Toy/alpha/alpha_Toy_judge_answers.jsonl",
      #"{"id":"0","judge":"mcq","prediction":"The answer matches option A.","inference":{"model":"judge-7b"}}"# + "\n")
    let found = try RunFinder.find([dir + "/alpha_Toy.tsv"])
    #expect(found[0].judgeLogs.count == 1)
    #expect(!found[0].scoreFiles.contains { $0.hasSuffix("_judge_answers.jsonl") })
    let run = try RunLoader.load(found[0])
    #expect(run.answers["0"]?.judgeReply == "The answer matches option A.")
    #expect(run.answers["1"]?.judgeReply == nil)
    #expect(run.judge == "judge-7b")
  }

  @Test func badPathsAreTypedErrors() throws {
    let d = TempDir()
    d.write("empty/readme.md", "nothing")
    #expect(throws: ReportError.self) { try RunFinder.find([d.file("missing")]) }
    do {
      _ = try RunFinder.find([d.file("empty")])
      Issue.record("an empty folder was accepted")
    } catch let e as ReportError {
      #expect(e.exitStatus == .noInput)
    }
    do {
      _ = try RunFinder.find([d.file("empty/readme.md")])
      Issue.record("a text file was accepted")
    } catch let e as ReportError {
      #expect(e.exitStatus == .usage)
    }
  }

  @Test func aMalformedLineIsReportedAndTheRestRead() throws {
    let d = TempDir()
    d.write("log.jsonl", #"{"id":"1","prediction":"A"}"# + "\n{not json\n" + #"{"id":"2","prediction":"B"}"# + "\n")
    let run = try RunLoader.load(try RunFinder.find([d.file("log.jsonl")])[0])
    #expect(run.questions.map(\.id) == ["1", "2"])
    #expect(run.problems.count == 1)
  }

  @Test func thePromptComesFromPromptsJsonlAboveTheModelFolder() throws {
    let d = TempDir()
    d.write(
      "Toy/prompts.jsonl", #"{"id":"1","frames":["/f/1.jpg"],"messages":[{"type":"text","value":"Answer with a letter.","role":"system"}]}"# + "\n")
    d.write("Toy/m/answers.0.jsonl", #"{"id":"1","prediction":"A"}"# + "\n")
    let found = try RunFinder.find([d.file("Toy")])
    #expect(found.count == 1)
    let run = try RunLoader.load(found[0])
    #expect(run.questions.first?.messages == [PromptItem(role: "system", type: "text", value: "Answer with a letter.")])
    #expect(run.questions.first?.frames == ["/f/1.jpg"])
  }

  @Test func aFailedAnswerDoesNotReplaceASuccessfulOne() throws {
    let d = TempDir()
    d.write(
      "log.jsonl",
      #"{"id":"1","prediction":"A"}"# + "\n" + #"{"id":"1","prediction":"Failed","error":{"stage":"vinfer","code":"timeout","message":"t"}}"# + "\n")
    let run = try RunLoader.load(try RunFinder.find([d.file("log.jsonl")])[0])
    #expect(run.answers["1"]?.prediction == "A")
    #expect(run.answers["1"]?.error == nil)
  }
}

@Suite struct SiteWriterTests {
  func site(_ d: TempDir, copy: Bool = false, evil: Bool = false) throws -> ReportSummary {
    _ = makeRun(
      d, model: "alpha", predictions: [evil ? "<script>alert(1)</script>" : "A", "B", "A", "no"], scores: [1, 0, 1, 0], frameOutside: true)
    _ = makeRun(d, model: "beta", predictions: ["B", "A", "A", "A"], scores: [0, 1, 1, 1])
    let runs = try RunFinder.find([d.file("runs")]).map(RunLoader.load)
    var o = ReportOptions(output: d.file("site"), frameCache: d.file("cache"))
    o.copyFrames = copy
    return try SiteWriter(options: o).write(runs)
  }

  @Test func writesTheOverviewADatasetPageItsDataAndChart() throws {
    let d = TempDir()
    let s = try site(d)
    #expect(s.runs == 2 && s.datasets == 1 && s.questions == 4)
    let index = d.read("site/index.html")
    #expect(index.contains("<a href=\"Toy.html\">Toy</a>"))
    #expect(index.contains("alpha") && index.contains("beta"))
    #expect(index.contains("method=uniform nframe=2"))
    // Folders are searched for .xlsx tables (vmerge's); the notes are copied and linked.
    #expect(index.contains("href=\"files/Toy/alpha/scores.txt\""))
    #expect(d.read("site/files/Toy/alpha/scores.txt").hasPrefix("Toy: mvbench rules"))
    let page = d.read("site/Toy.html")
    #expect(page.contains("<script src=\"data/Toy.js\"></script>"))
    #expect(page.contains("<svg"))
    #expect(page.contains("prefers-color-scheme"))
    let data = d.read("site/data/Toy.js")
    #expect(data.hasPrefix("window.VREPORT_DATA = {"))
    #expect(data.contains(#""models":["alpha","beta"]"#))
    #expect(d.read("site/charts/Toy.svg").hasPrefix("<svg"))
    #expect(d.read("site/assets/report.js").contains("textContent"))
    #expect(!d.read("site/assets/report.js").contains("innerHTML"))
  }

  @Test func framesInTheCacheAreLinkedOthersCopiedNonImagesNever() throws {
    let d = TempDir()
    let s = try site(d)
    // Seven questions use the two cached frames; alpha's first uses a JPEG elsewhere (copied)
    // and a shell script named .jpg (not available).
    #expect(s.framesLinked == 2)
    #expect(s.framesCopied == 1)
    #expect(s.framesMissing == 1)
    let data = d.read("site/data/Toy.js")
    #expect(data.contains(#""../cache/Toy/v0/frame-1-of-2.jpg""#))
    #expect(data.contains(#""f":["frames/"#))
    #expect(!data.contains(d.file("elsewhere")))
    let copied = try FileManager.default.contentsOfDirectory(atPath: d.file("site/frames"))
    #expect(copied.count == 1 && copied[0].hasSuffix(".jpg"))
  }

  @Test func copyFramesCopiesEveryImage() throws {
    let d = TempDir()
    let s = try site(d, copy: true)
    #expect(s.framesLinked == 0)
    #expect(s.framesCopied == 3)
    #expect(!d.read("site/data/Toy.js").contains("../cache"))
  }

  @Test func anEarlierSiteInsideTheRunsIsNotReadAsARun() throws {
    let d = TempDir()
    _ = makeRun(d, model: "alpha", predictions: ["A"], scores: [1])
    #expect(try RunFinder.find([d.file("runs")]).count == 1)
    _ = try SiteWriter(options: ReportOptions(output: d.file("runs/old-site"), frameCache: d.file("cache"))).write([])
    d.write("runs/old-site/files/Toy/alpha/alpha_Toy.xlsx", "a copy")
    #expect(try RunFinder.find([d.file("runs")]).count == 1)
  }

  @Test func modelTextNeverBecomesMarkup() throws {
    let d = TempDir()
    _ = try site(d, evil: true)
    for page in ["site/index.html", "site/Toy.html"] { #expect(!d.read(page).contains("<script>alert")) }
    // In the data it is a JSON string, which the page shows with textContent.
    #expect(d.read("site/data/Toy.js").contains(#""p":"<script>alert(1)</script>""#))
    // The dataset's own text in the static page is escaped.
    #expect(!d.read("site/Toy.html").contains("<b>bold</b>"))
  }
}
