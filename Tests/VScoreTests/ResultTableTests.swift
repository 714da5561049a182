import Testing
import VCore
import VSheet
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// Reading result tables: our xlsx (inline strings), pandas-style xlsx (shared strings, numbers),
/// TSV, CSV and JSONL, with NaN where a cell is empty.
@Suite struct ResultTableTests {
  static let header = ["index", "question", "answer", "prediction"]

  @Test func readsConstantMemoryXLSXAsWritten() throws {
    let d = TempDir()
    let path = d.file("t.xlsx")
    let rows = [["0", "Tab\there & <there>", "a", "=1+1"], ["1", "Ünïcödé 😀\nline two", "b", ""], ["2", "q", "c", "  spaced  "]]
    try TableWriter.write(Self.header, rows, to: path, diag: Diagnostics(tool: "test", verbosity: -1))
    let t = try ResultTable.load(path)
    #expect(t.columns == Self.header)
    #expect(t.rows.count == 3)
    #expect(t.rows[0] == ["0", "Tab\there & <there>", "a", "=1+1"])
    #expect(t.rows[1] == ["1", "Ünïcödé 😀\nline two", "b", nil])
    #expect(t.rows[2][3] == "  spaced  ")
  }

  /// VLMEvalKit writes with pandas' xlsxwriter engine: shared strings, and predictions that look
  /// numeric come back as numbers (Q10). They must read as their text, and score without a crash.
  @Test func readsSharedStringsAndNumericCells() throws {
    let d = TempDir()
    let path = d.file("GPT4o_Video-MME.xlsx")
    let wb = try Workbook(path: path, constantMemory: false)
    try wb.writeRow(0, ["index", "duration", "domain", "sub_category", "task_type", "answer", "prediction"], bold: true)
    try wb.writeRow(1, ["0", "short", "Knowledge", "Law", "OCR Problems", "A", "3"], numeric: [0, 6])
    try wb.writeRow(2, ["1", "short", "Knowledge", "Law", "OCR Problems", "B", "B"], numeric: [0, 6])
    try wb.writeRow(3, ["2", "long", "Knowledge", "Law", "OCR Problems", "C", "0.25"], numeric: [0, 6])
    try wb.writeRow(4, ["3", "long", "Knowledge", "Law", "OCR Problems", "C", "Knowledge"], numeric: [0, 6])
    try wb.close()
    let t = try ResultTable.load(path)
    #expect(t.rows.map { $0[6] } == ["3", "B", "0.25", "Knowledge"])
    #expect(t.rows.map { $0[0] } == ["0", "1", "2", "3"])
    let o = LetterScorer(rows: Rows(table: t), spec: VideoMMEPrompt.rating).score(
      ScoreContext(strict: false, judged: nil, judgeName: "j", dataset: "Video-MME", diag: Diagnostics(tool: "test", verbosity: -1)))
    #expect(o.scores == ["0", "1", "0", "0"])
  }

  @Test func readsTSVCSVAndJSONL() throws {
    let d = TempDir()
    d.write("t.tsv", "index\tprediction\tanswer\n0\t\"a\tb\"\tA\n1\t\tB\n")
    d.write("t.csv", "index,prediction,answer\r\n0,\"a,\"\"b\"\"\nc\",A\r\n1,,B\r\n")
    d.write("t.jsonl", #"{"index":0,"prediction":"x","answer":"A"}"# + "\n" + #"{"index":1,"prediction":null,"answer":"B","extra":true}"# + "\n")
    let tsv = try ResultTable.load(d.file("t.tsv"))
    #expect(tsv.rows == [["0", "a\tb", "A"], ["1", nil, "B"]])
    let csv = try ResultTable.load(d.file("t.csv"))
    #expect(csv.rows == [["0", "a,\"b\"\nc", "A"], ["1", nil, "B"]])
    let jsonl = try ResultTable.load(d.file("t.jsonl"))
    #expect(jsonl.columns == ["index", "prediction", "answer", "extra"])
    #expect(jsonl.rows == [["0", "x", "A", nil], ["1", nil, "B", "True"]])
  }

  @Test func badFilesAreTypedErrors() throws {
    let d = TempDir()
    d.write("bad.xlsx", "this is not a zip file at all, just text")
    #expect(throws: SheetError.self) { try ResultTable.load(d.file("bad.xlsx")) }
    // A real xlsx cut in half.
    let path = d.file("cut.xlsx")
    try TableWriter.write(["a"], (0..<2000).map { [String($0)] }, to: path, diag: Diagnostics(tool: "test", verbosity: -1))
    let full = try FileIO.readFile(path)
    #expect(full.count > 4000)
    d.write("cut.xlsx", bytes: Array(full.prefix(full.count / 2)))
    #expect(throws: SheetError.self) { try ResultTable.load(path) }
    d.write("t.csv", "a,b\n\"open,1\n")
    #expect(throws: (any Error).self) { try ResultTable.load(d.file("t.csv")) }
    #expect(throws: (any Error).self) { try ResultTable.load(d.file("missing.xlsx")) }
  }

  @Test func prettyJSONLooksLikePythons() {
    let v = JSONValue.object(
      JSONObject([("a", .array([.int(1), .string("x%")])), ("b", .object(JSONObject())), ("c", .object(JSONObject([("d", .string("é"))])))]))
    #expect(
      JSONSerializer.pretty(v) == "{\n    \"a\": [\n        1,\n        \"x%\"\n    ],\n    \"b\": {},\n    \"c\": {\n        \"d\": \"é\"\n    }\n}")
  }
}

/// `--strict` reads a prediction without its leading think block; parity reads it whole.
@Suite struct ThinkingPredictionTests {
  @Test func strictRowsStripTheThinkBlock() {
    let t = ResultTable(columns: ["index", "prediction"], rows: [["1", "<think>A or C?</think> B"], ["2", "C"]], name: "t")
    #expect(Rows(table: t).prediction(0) == "<think>A or C?</think> B")
    #expect(Rows(table: t, stripsThinking: true).prediction(0) == "B")
    #expect(Rows(table: t, stripsThinking: true).prediction(1) == "C")
  }
}
