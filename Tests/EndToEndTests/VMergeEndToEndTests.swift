import Foundation
import Testing
import VCore
import VTestSupport

@Suite(.serialized) struct VMergeEndToEndTests {
  let meta = "index\tvideo\tquestion\timage\tanswer\n1\tv1\tq1\tBASE64\tA\n2\tv1\tq2\tBASE64\tB\n3\tv2\tq3\tBASE64\tC\n"

  func answer(_ id: String, _ p: String, failed: Bool = false) -> String {
    var o = JSONObject([("id", .string(id)), ("prediction", .string(p)), ("inference", .object(JSONObject([("model", .string("M1"))])))])
    if failed { o["error"] = .object(JSONObject([("stage", .string("vinfer")), ("code", .string("http_500"))])) }
    return JSONSerializer.serialize(.object(o)) + "\n"
  }

  /// The cells of sheet1, row by row (inline strings, as libxlsxwriter writes in constant-memory mode).
  func cells(_ xlsx: String) throws -> [[String]] {
    let r = try ToolRunner.shell(["/usr/bin/unzip", "-p", xlsx, "xl/worksheets/sheet1.xml"])
    #expect(r.status == 0)
    #expect(!r.stdout.contains("<f>"), "no formulas")
    var rows: [[String]] = []
    for rowXML in r.stdout.components(separatedBy: "<row ").dropFirst() {
      var row: [String] = []
      for cell in rowXML.components(separatedBy: "<c ").dropFirst() {
        guard let s = cell.range(of: "<t>") ?? cell.range(of: "<t xml:space=\"preserve\">"), let e = cell.range(of: "</t>") else {
          row.append("")
          continue
        }
        row.append(
          cell[s.upperBound..<e.lowerBound].replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&"))
      }
      rows.append(row)
    }
    return rows
  }

  @Test func shardsMergeIntoTheTableInDatasetOrder() throws {
    let d = TempDir()
    d.write("m.tsv", meta)
    d.write("a.0.jsonl", answer("3", "C") + answer("1", "=1+1"))
    d.write("a.1.jsonl", answer("2", "héllo \u{01} ctrl", failed: false) + #"{"id":"1","predic"#)
    let r = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("out/"), d.file("a.*.jsonl")])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("torn last line"))
    let xlsx = d.file("out/M1_m.xlsx")
    let rows = try cells(xlsx)
    #expect(rows[0] == ["index", "video", "question", "answer", "prediction"])
    #expect(rows[1] == ["1", "v1", "q1", "A", "=1+1"])
    #expect(rows[2] == ["2", "v1", "q2", "B", "héllo \u{FFFD} ctrl"])
    #expect(rows[3] == ["3", "v2", "q3", "C", "C"])
    let tsv = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.tsv"), d.file("a.0.jsonl"), d.file("a.1.jsonl")])
    #expect(tsv.status == 0)
    #expect(d.read("o.tsv").hasPrefix("\"index\"\t\"video\"\t\"question\"\t\"answer\"\t\"prediction\"\n\"1\"\t\"v1\""))
  }

  @Test func missingDuplicateFailedAndUnknownIds() throws {
    let d = TempDir()
    d.write("m.tsv", meta)
    d.write(
      "a.jsonl",
      answer("1", "A") + answer("1", "Failed to obtain answer via API.", failed: true) + answer("2", "x", failed: true) + answer("2", "B")
        + answer("99", "Z"))
    let missing = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.jsonl"), d.file("a.jsonl")])
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("vmerge: error: 1 of 3 questions have no answer: 3"))
    #expect(!FileManager.default.fileExists(atPath: d.file("o.jsonl")))
    let r = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.jsonl"), "--allow-missing", d.file("a.jsonl")])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("ids not in") && r.stderr.contains("duplicate answers"))
    let lines = d.read("o.jsonl").split(separator: "\n").map(String.init)
    let recs = try lines.map { try #require(try JSONParser.parse($0).objectValue) }
    #expect(recs.map { $0["prediction"] } == [.string("A"), .string("B"), .string("")])
  }

  @Test func packAnswersAreUnpackedWithStatistics() throws {
    let d = TempDir()
    d.write("m.tsv", meta)
    let pack1 = JSONSerializer.serialize(
      .object(
        JSONObject([
          ("id", .string("pack:v1")), ("pack", .array([.string("1"), .string("2")])), ("prediction", .string("{\"1\": \"a cat\", \"2\": \"two\"}")),
        ])))
    let pack2 = JSONSerializer.serialize(
      .object(
        JSONObject([
          ("id", .string("pack:v2")), ("pack", .array([.string("3")])), ("prediction", .string("I cannot parse this")),
        ])))
    d.write("p.jsonl", pack1 + "\n" + pack2 + "\n")
    let r = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.csv"), "--model", "M", d.file("p.jsonl")])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("pack answers: PARSE_OK=1 PARSE_FAIL=1 VALIDQ=2 INVALIDQ=1"))
    #expect(d.read("o.csv") == "index,video,question,answer,prediction\r\n1,v1,q1,A,a cat\r\n2,v1,q2,B,two\r\n3,v2,q3,C,\r\n")
  }

  /// vinfer's answer-log rules (AnswerLog): malformed lines named by file and line, over
  /// several files a success beats a failure and then the latest wins.
  @Test func malformedLinesAreNamedAndTheStandingAnswerWins() throws {
    let d = TempDir()
    d.write("m.tsv", meta)
    d.write("a.jsonl", "\u{FEFF}" + answer("1", "A") + "{oops\n" + answer("2", "x", failed: true) + " \t\n" + answer("3", "C"))
    d.write("b.jsonl", answer("1", "Failed to obtain answer via API.", failed: true) + answer("2", "B") + "[1]\n" + answer("3", "D"))
    let r = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.jsonl"), d.file("a.jsonl"), d.file("b.jsonl")])
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr.contains("vmerge: \(d.file("a.jsonl")):2: error: invalid JSON"))
    #expect(r.stderr.contains("vmerge: \(d.file("b.jsonl")):3: error: expected a JSON object, found array; line ignored"))
    #expect(r.stderr.contains("3 duplicate answers resolved"))
    let recs = try d.read("o.jsonl").split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
    #expect(recs.map { $0["prediction"] } == [.string("A"), .string("B"), .string("D")])
  }

  /// The last answer logs are parsed on a second thread while the meta file is read (vmerge
  /// balances the two by size): records and ignored lines are still taken in file order, so the
  /// standing answers and the order of the messages are those of one reader.
  @Test func answerLogsReadOnTwoThreadsKeepTheirOrder() throws {
    let d = TempDir()
    d.write("m.tsv", meta)
    let long = String(repeating: "x", count: 6000)
    d.write("a.jsonl", answer("1", long) + "{oops\n" + answer("2", "old"))  // parsed here
    d.write("b.jsonl", answer("1", "Failed to obtain answer via API.", failed: true) + answer("2", "B") + "[1]\n")  // on the second thread
    d.write("c.jsonl", answer("3", "C") + "{\n" + answer("3", "D", failed: true))
    let r = try ToolRunner.run(
      "vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.csv"), d.file("a.jsonl"), d.file("b.jsonl"), d.file("c.jsonl")])
    #expect(r.status == 1, "\(r)")
    let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
    #expect(
      errors.map { $0.replacingOccurrences(of: d.path + "/", with: "") } == [
        "vmerge: a.jsonl:2: error: invalid JSON at $ (byte 2): expected a string key, found 'o'; line ignored",
        "vmerge: b.jsonl:3: error: expected a JSON object, found array; line ignored",
        "vmerge: c.jsonl:2: error: invalid JSON at $ (byte 2): expected a string key, found end of input; line ignored",
      ], "\(r.stderr)")
    #expect(r.stderr.contains("3 duplicate answers resolved"))
    #expect(d.read("o.csv") == "index,video,question,answer,prediction\r\n1,v1,q1,A,\(long)\r\n2,v1,q2,B,B\r\n3,v2,q3,C,C\r\n")
  }

  /// Every pack record is unpacked, in order: a failed one asked again later does not undo the
  /// answers of an earlier success, and a later success replaces only the answers it has.
  @Test func aRepeatedPackKeepsItsAnswers() throws {
    let d = TempDir()
    d.write("m.tsv", meta)
    func pack(_ prediction: String, failed: Bool) -> String {
      var o = JSONObject([
        ("id", .string("pack:v1")), ("pack", .array([.string("1"), .string("2"), .string("3")])), ("prediction", .string(prediction)),
      ])
      if failed { o["error"] = .object(JSONObject([("stage", .string("vinfer")), ("code", .string("timeout")), ("message", .string("m"))])) }
      return JSONSerializer.serialize(.object(o)) + "\n"
    }
    d.write(
      "p.jsonl",
      pack("{\"1\": \"a\", \"2\": \"b\", \"3\": \"c\"}", failed: false) + pack("Failed to obtain answer via API.", failed: true)
        + pack("{\"1\": \"z\"}", failed: false))
    let r = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.csv"), "--model", "M", d.file("p.jsonl")])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("pack answers: GEN_FAIL=1 PARSE_OK=2 VALIDQ=3 INVALIDQ=0"))
    #expect(r.stderr.contains("1 duplicate answers resolved"))
    #expect(d.read("o.csv") == "index,video,question,answer,prediction\r\n1,v1,q1,A,z\r\n2,v1,q2,B,b\r\n3,v2,q3,C,c\r\n")
  }

  @Test func veryLongTextIsCutInXLSXOnly() throws {
    let d = TempDir()
    d.write("m.tsv", "index\tquestion\n1\tq\n")
    let long = String(repeating: "x", count: 40_000)
    d.write("a.jsonl", answer("1", long))
    let r = try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("o.xlsx"), d.file("a.jsonl")])
    #expect(r.status == 0, "\(r)")
    #expect(r.stderr.contains("cut"))
    let cell = try cells(d.file("o.xlsx"))[1][2]
    #expect(cell.utf16.count <= 32_767 && cell.hasPrefix("xxxx") && cell.hasSuffix("the full text is in the JSONL]"))
  }
}

/// Runs only where LibreOffice is installed (`apt-get install libreoffice-calc-nogui`).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice"), "LibreOffice is not installed"))
struct VMergeLibreOfficeTests {
  @Test func xlsxRoundTripsThroughLibreOffice() throws {
    let d = TempDir()
    let preds = ["=1+1", "+SUM(A1:A2)", "-3", "@cmd", "héllo 😀 日本語", "line1\nline2, \"quoted\""]
    d.write("m.tsv", "index\tquestion\n" + (1...preds.count).map { "\($0)\tq\($0)" }.joined(separator: "\n") + "\n")
    d.write(
      "a.jsonl",
      preds.enumerated().map {
        JSONSerializer.serialize(.object(JSONObject([("id", .string(String($0.offset + 1))), ("prediction", .string($0.element))]))) + "\n"
      }.joined())
    #expect(try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("t.xlsx"), d.file("a.jsonl")]).status == 0)
    #expect(try ToolRunner.run("vmerge", ["--meta", d.file("m.tsv"), "-o", d.file("t.csv"), d.file("a.jsonl")]).status == 0)
    let lo = try ToolRunner.shell(
      [
        "/usr/bin/soffice", "-env:UserInstallation=file://\(d.path)/lo-profile", "--headless", "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", d.file("lo"), d.file("t.xlsx"),
      ])
    #expect(lo.status == 0, "\(lo)")
    #expect(d.read("lo/t.csv") == d.read("t.csv").replacingOccurrences(of: "\r\n", with: "\n"))
  }
}
