import Foundation
import Testing
import VCLI
import VCore
import VTestSupport

/// Debian's chromium, headless: the page's DOM after its script ran, and screenshots.
enum Chromium {
  static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
  static let missing = "chromium is not installed (scripts/install-deps.sh installs it): the report's browser tests are skipped"

  static func flags(_ d: TempDir) -> String {
    "--headless --disable-gpu --no-sandbox --no-first-run --user-data-dir='\(d.file("chrome-profile"))' --virtual-time-budget=5000"
  }

  /// The DOM of `url` once its scripts ran (the question list rendered).
  static func dom(_ url: String, _ d: TempDir) throws -> String {
    let out = d.file("dom-\(UInt32.random(in: 0...UInt32.max)).html")
    let r = try ToolRunner.sh("timeout 120 '\(path!)' \(flags(d)) --dump-dom '\(url)' > '\(out)' 2> /dev/null", cwd: d.path)
    #expect(r.status == 0, "chromium --dump-dom \(url): \(r)")
    return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
  }

  /// A PNG screenshot of `url` at 1280x1600; its bytes.
  static func screenshot(_ url: String, _ d: TempDir, dark: Bool = false) throws -> [UInt8] {
    let out = d.file("shot-\(UInt32.random(in: 0...UInt32.max)).png")
    let scheme = dark ? "--blink-settings=preferredColorScheme=0" : "--blink-settings=preferredColorScheme=1"
    let r = try ToolRunner.sh(
      "timeout 120 '\(path!)' \(flags(d)) \(scheme) --window-size=1280,1600 --screenshot='\(out)' '\(url)' > /dev/null 2>&1", cwd: d.path)
    #expect(r.status == 0, "chromium --screenshot \(url): \(r)")
    return Array((try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data())
  }

  /// (width, height) from a PNG's IHDR.
  static func size(_ png: [UInt8]) -> (Int, Int)? {
    guard png.count > 24, png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
    func be(_ i: Int) -> Int { png[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (be(16), be(20))
  }
}

func count(_ text: String, _ word: String) -> Int { text.components(separatedBy: word).count - 1 }

/// The `<li class="q" ...>...</li>` items of a dumped question list.
func listedItems(_ dom: String) -> [String] {
  guard let start = dom.range(of: "<ol id=\"questions\">"), let end = dom.range(of: "</ol>", range: start.upperBound..<dom.endIndex) else {
    return []
  }
  let parts: [String] = String(dom[start.upperBound..<end.lowerBound]).components(separatedBy: "<li class=\"q\"")
  return Array(parts.dropFirst())
}

/// The demo's dataset (DemoBench: 24 videos, 48 questions, 8 frames each) through
/// pipelines/Makefile with two chance models, then `make report`, opened in chromium.
@Suite(.serialized) struct VReportBrowserTests {
  let root = FakeServer.repoRoot

  func make(_ d: TempDir, _ vars: [String]) throws -> ToolOutput {
    let lmu = d.file("lmu")
    let base = [
      "-f", "\(root)/pipelines/Makefile", "BIN=\(ToolRunner.binDir)", "PRESETS=DemoBench", "LMUData=\(lmu)", "WORK=\(d.file("runs"))",
      "TSV_DemoBench=\(lmu)/DemoBench.tsv", "FRAMES_DemoBench=--nframe 8 --dataset DemoBench --video-root \(lmu)/videos --video-ext .mp4",
      "PROMPT_DemoBench=--template mvbench", "SCORE_DemoBench=--dataset DemoBench --rules mvbench",
    ]
    return try ToolRunner.shell(["/usr/bin/make", "--no-print-directory"] + base + vars, cwd: d.path)
  }

  func twoModelReport(_ d: TempDir) throws -> String {
    let data = try ToolRunner.sh("'\(root)/scripts/make-demo-data.sh' '\(d.file("lmu"))' 24", cwd: d.path)
    #expect(data.status == 0, "\(data)")
    let a = try make(d, [])
    #expect(a.status == 0, "\(a)")
    let b = try make(d, ["MODEL=chance2", "VINFER_ARGS=--backend chance --seed 7"])
    #expect(b.status == 0, "\(b)")
    let r = try make(d, ["report"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasSuffix("runs/report/index.html\n"), "\(r.stdout)")
    return d.file("runs/report")
  }

  @Test(.enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.missing)))
  func demoAndTwoModelReportsShowScoresChartsFramesAnswersAndFilter() throws {
    let d = TempDir()
    let site = try twoModelReport(d)
    // The overview: both runs with their scores and links.
    let index = try Chromium.dom("file://\(site)/index.html", d)
    #expect(count(index, "<tr class=\"run\">") == 2, "\(index)")
    #expect(index.contains("<td>chance</td>") && index.contains("<td>chance2</td>"))
    #expect(index.contains("href=\"DemoBench.html\""))
    #expect(index.contains("files/DemoBench/chance/chance_DemoBench.xlsx"))
    #expect(index.contains("<td>parity</td>") && index.contains("method=uniform nframe=8"))

    // The dataset page: the category chart (an SVG bar per model and category) and the list.
    let page = try Chromium.dom("file://\(site)/DemoBench.html", d)
    #expect(page.contains("<svg"))
    #expect(count(page, "<rect") >= 2 + 2 * 3, "legend plus a bar per model for overall, direction, colour")
    #expect(page.contains(">direction<") && page.contains(">colour<"))
    #expect(page.contains("data-shown=\"48\""), "\(page.prefix(4000))")
    #expect(listedItems(page).count == 48)

    // One question opened: its 8 thumbnails (links to the cached frames), the prompt, both answers.
    let open = try Chromium.dom("file://\(site)/DemoBench.html#open=0", d)
    let first = try #require(listedItems(open).first { $0.hasPrefix(" data-id=\"0\"") })
    #expect(count(first, "<img class=\"thumb\" loading=\"lazy\"") == 8, "\(first)")
    #expect(first.contains("src=\"../../lmu/images/DemoBench/demo_000/frame-1-of-8.jpg\""))
    #expect(first.contains("<summary>Prompt as sent</summary>") && first.contains("Best option:("))
    #expect(first.contains("<h4>chance</h4>") && first.contains("<h4>chance2</h4>"))
    #expect(count(first, "<pre class=\"prediction\">") == 2)

    // The filters change what is listed.
    let colour = listedItems(try Chromium.dom("file://\(site)/DemoBench.html#category=colour", d))
    #expect(colour.count == 24)
    #expect(colour.allSatisfy { $0.contains("<span class=\"cat\">colour</span>") })
    let versus = listedItems(try Chromium.dom("file://\(site)/DemoBench.html#wrong=chance&right=chance2", d))
    #expect(!versus.isEmpty && versus.count < 48)
    #expect(versus.allSatisfy { $0.contains("chance: wrong</span>") && $0.contains("chance2: right</span>") })
    // ... and agree with the verdicts the data holds (vscore's _score.xlsx).
    let js = try String(contentsOfFile: site + "/data/DemoBench.js", encoding: .utf8)
    let data = try JSONParser.parse(String(js.dropFirst("window.VREPORT_DATA = ".count).dropLast(2)))
    let expected = (data.objectValue?["questions"]?.arrayValue ?? []).filter { q in
      let r = q.objectValue?["r"]?.arrayValue ?? []
      return r.count == 2 && r[0].objectValue?["v"] == .string("wrong") && r[1].objectValue?["v"] == .string("right")
    }
    #expect(versus.count == expected.count)
    let search = listedItems(try Chromium.dom("file://\(site)/DemoBench.html#q=green%20box", d))
    #expect(!search.isEmpty && search.count < 48)
    #expect(search.allSatisfy { $0.contains("green box") })

    // A screenshot: the page drawn at the window's size, far from a blank page.
    let shot = try Chromium.screenshot("file://\(site)/DemoBench.html#open=0", d)
    let blank = try Chromium.screenshot("about:blank", d)
    #expect(Chromium.size(shot).map { $0 == (1280, 1600) } ?? false)
    #expect(shot.count > 5 * max(blank.count, 1), "screenshot \(shot.count) bytes, blank \(blank.count)")
    // In a dark scheme the page (and its chart) is drawn differently, and as fully.
    let dark = try Chromium.screenshot("file://\(site)/DemoBench.html#open=0", d, dark: true)
    #expect(Chromium.size(dark).map { $0 == (1280, 1600) } ?? false)
    #expect(dark != shot && dark.count > 5 * max(blank.count, 1))
  }

  @Test(.enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.missing)))
  func modelAndDatasetTextIsShownAsText() throws {
    let d = TempDir()
    let evil =
      #"{"id":"1","question":"<img src=x onerror=alert(2)>","category":"<b>c</b>","answer":"A","prediction":"<script>alert(1)</script>","inference":{"model":"<i>m</i>","reasoning":"</pre><script>alert(3)</script>"}}"#
    d.write("log/answers.jsonl", evil + "\n")
    let r = try ToolRunner.run("vreport", [d.file("log/answers.jsonl"), "-o", d.file("site")], cwd: d.path)
    #expect(r.status == 0, "\(r)")
    let dom = try Chromium.dom("file://\(d.file("site"))/log.html#open=1", d)
    #expect(dom.contains("<pre class=\"prediction\">&lt;script&gt;alert(1)&lt;/script&gt;</pre>"), "\(dom)")
    #expect(dom.contains("&lt;img src=x onerror=alert(2)&gt;"))
    #expect(dom.contains("&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
    #expect(!dom.contains("<script>alert") && !dom.contains("<img src=\"x\"") && !dom.contains("<b>c</b>") && !dom.contains("<i>m</i>"))
    let index = try Chromium.dom("file://\(d.file("site"))/index.html", d)
    #expect(index.contains("&lt;i&gt;m&lt;/i&gt;") && !index.contains("<i>m</i>"))
  }
}

/// vreport without a browser: the demo script's report, exit statuses, the man page.
@Suite struct VReportToolTests {
  @Test func demoScriptEndsWithItsReport() throws {
    let d = TempDir()
    // The demo in a copy of scripts/ (demo.sh runs where it lies and writes DEMO_DIR there).
    let root = FakeServer.repoRoot
    try FileManager.default.createDirectory(atPath: d.file("repo"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: root + "/scripts", toPath: d.file("repo/scripts"))
    let r = try ToolRunner.sh("scripts/demo.sh", cwd: d.file("repo"), env: ["VTOOLS_BIN_DIR": ToolRunner.binDir])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("demo: report: demo/report/index.html"), "\(r.stdout)")
    let index = d.read("repo/demo/report/index.html")
    #expect(index.contains("DemoBench") && index.contains("<td>chance</td>") && index.contains("12.50"), "\(index)")
    #expect(d.read("repo/demo/report/data/DemoBench.js").contains(#""models":["chance"]"#))
    #expect(FileManager.default.fileExists(atPath: d.file("repo/demo/run/prompts.jsonl")))
  }

  @Test func missingAndUnreadableInputsHaveTheirStatuses() throws {
    let d = TempDir()
    #expect(try ToolRunner.run("vreport", [d.file("nothing"), "-o", d.file("s")]).status == ExitStatus.noInput.rawValue)
    #expect(try ToolRunner.run("vreport", ["-o", d.file("s")]).status == ExitStatus.usage.rawValue)
    d.write("a.jsonl", #"{"id":"1","prediction":"A"}"# + "\n{torn\n" + #"{"id":"2","prediction":"B"}"# + "\n")
    let r = try ToolRunner.run("vreport", [d.file("a.jsonl"), "-o", d.file("s")])
    #expect(r.status == ExitStatus.failure.rawValue, "\(r)")
    #expect(r.stderr.contains("line skipped"))
    #expect(r.stdout == d.file("s/index.html") + "\n")
  }

  @Test func everyOptionIsInTheManPage() throws {
    let r = try ToolRunner.run("vreport", ["--experimental-dump-help"])
    #expect(r.status == 0)
    let args = try JSONParser.parse(r.stdout).objectValue?["command"]?.objectValue?["arguments"]?.arrayValue ?? []
    let page = try String(contentsOfFile: "\(FakeServer.repoRoot)/man/vreport.1", encoding: .utf8)
    var checked = 0
    for a in args {
      guard let o = a.objectValue, o["shouldDisplay"] != .bool(false) else { continue }
      for n in o["names"]?.arrayValue ?? [] where n.objectValue?["kind"]?.stringValue == "long" {
        let name = n.objectValue?["name"]?.stringValue ?? ""
        if name == "help" || name == "version" { continue }
        #expect(page.contains("Fl \\-\(name)"), "man/vreport.1 does not document --\(name)")
        checked += 1
      }
    }
    #expect(checked >= 7)
  }
}
