import Foundation
import Testing
import VCore
import VTestSupport

/// Malformed input for every tool: each bad line is reported as `tool: FILE:LINE: error: ...`,
/// the other records are processed, the exit status is the documented one, nothing traps.
@Suite(.serialized) struct MalformedInputTests {
  /// JSON Lines with a BOM, CRLF endings, and every kind of bad line between good ones.
  static func badJSONL(_ d: TempDir, good: (String) -> String) -> String {
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    let lines: [String] = [
      good("1"),
      #"{"id":"2","messages":[{"type":"text","value":"hi"}"#,  // line 2: broken JSON
      "[1,2,3]",  // line 3: not an object
      good("4"),
    ]
    for l in lines { bytes += Array(l.utf8) + [0x0D, 0x0A] }
    bytes += Array(#"{"id":"5","question":"bad "#.utf8) + [0xFF, 0xFE] + Array(#" utf8"}"#.utf8) + [0x0A]  // line 5: invalid UTF-8
    // line 6: 50 MB
    bytes += Array(#"{"id":"6","question":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 50 << 20) + Array(#""}"#.utf8) + [0x0A]
    bytes += Array(good("7").utf8) + [0x0A]
    return d.write("bad.jsonl", bytes: bytes)
  }

  static let ragged = "index\tvideo\tquestion\n0\tv0\tq\n1\tv1\tq\textra\n2\tv2\tq\n3\t\"open\tq\n4\tv4\tq\n"

  func expectLocated(_ r: ToolOutput, _ tool: String, _ file: String, lines: [Int]) {
    for l in lines {
      #expect(r.stderr.contains("\(tool): \(file):\(l): error: "), "\(tool) reports \(file):\(l): \(r.stderr.prefix(2000))")
    }
    #expect(!r.stderr.contains("Fatal error"), "no trap")
  }

  @Test func vpromptAndVinfer() throws {
    let d = TempDir()
    let path = Self.badJSONL(d) { #"{"id":"\#($0)","question":"q\#($0)","candidates":"['a', 'b']","messages":[{"type":"text","value":"q"}]}"# }
    let p = try ToolRunner.run("vprompt", ["--template", "mcq", path])
    #expect(p.status == 65, "\(p.stderr.prefix(500))")
    expectLocated(p, "vprompt", path, lines: [2, 3, 5])
    // Line 6 (50 MB) is a valid record: prompted like the others.
    #expect(p.lines.compactMap { try? JSONParser.parse($0).objectValue?["id"]?.stringValue } == ["1", "4", "6", "7"])
    let i = try ToolRunner.run("vinfer", ["--backend", "chance", path])
    #expect(i.status == 65)
    expectLocated(i, "vinfer", path, lines: [2, 3, 5])
    #expect(Set(i.lines.compactMap { try? JSONParser.parse($0).objectValue?["id"]?.stringValue }) == ["1", "4", "6", "7"])
    // Missing and mistyped fields: located errors, error records, exit 1.
    d.write(
      "fields.jsonl",
      #"{"id":"a"}"# + "\n" + #"{"id":"b","messages":"text"}"# + "\n" + #"{"id":"c","messages":[{"type":"sound","value":"x"}]}"# + "\n")
    let f = try ToolRunner.run("vinfer", ["--backend", "chance", d.file("fields.jsonl")])
    #expect(f.status == 1, "\(f)")
    expectLocated(f, "vinfer", d.file("fields.jsonl"), lines: [1, 2, 3])
    #expect(f.stderr.contains("'messages' must be a list of items, found string"))
    #expect(f.lines.count == 3)
  }

  @Test func vframes() throws {
    let d = TempDir()
    let path = Self.badJSONL(d) { #"{"id":"\#($0)","video":"missing\#($0).mp4"}"# }
    let r = try ToolRunner.run("vframes", ["--nframe", "2", "--frame-root", d.file("c"), "--video-root", d.path, path])
    #expect(r.status == 65)
    expectLocated(r, "vframes", path, lines: [2, 3, 5])
    #expect(r.lines.count == 4, "the four readable rows become (error) records")
    d.write("r.tsv", Self.ragged)
    let t = try ToolRunner.run("vframes", ["--nframe", "2", "--frame-root", d.file("c"), "--video-root", d.path, d.file("r.tsv")])
    #expect(t.status == 65)
    expectLocated(t, "vframes", d.file("r.tsv"), lines: [3, 5])
    #expect(t.stderr.contains("row has 4 cells, the header has 3"))
    #expect(t.stderr.contains("unterminated quote"))
    #expect(t.lines.count == 2, "rows 0 and 2 are processed")
  }

  @Test func vmergeAndVscore() throws {
    let d = TempDir()
    d.write("m.tsv", "index\tquestion\tanswer\tcandidates\n1\tq\ta\t['a', 'b']\n4\tq\tb\t['a', 'b']\n6\tq\ta\t['a', 'b']\n7\tq\tb\t['a', 'b']\n")
    let path = Self.badJSONL(d) { #"{"id":"\#($0)","prediction":"A"}"# }
    let m = try ToolRunner.run("vmerge", [path, "--meta", d.file("m.tsv"), "-o", d.file("GPT_MVBench.tsv")])
    #expect(m.status == 1, "\(m.stderr.prefix(500))")
    expectLocated(m, "vmerge", path, lines: [2, 3, 5])
    // Line 6 has no prediction field: its question counts as a failed answer.
    #expect(FileManager.default.fileExists(atPath: d.file("GPT_MVBench.tsv")))
    d.write("r.tsv", Self.ragged)
    let bad = try ToolRunner.run("vmerge", [path, "--meta", d.file("r.tsv"), "-o", d.file("x.tsv")])
    #expect(bad.status == 65)
    expectLocated(bad, "vmerge", d.file("r.tsv"), lines: [3])
    // vscore: bad JSONL rows are skipped and reported (exit 1); a broken TSV stops it (65).
    d.write("GPT_MVBench.jsonl", #"{"index":0,"answer":"a","candidates":"['a', 'b']","prediction":"A"}"# + "\n{broken\n[1]\n")
    let s = try ToolRunner.run("vscore", [d.file("GPT_MVBench.jsonl"), "--no-files"])
    #expect(s.status == 1)
    expectLocated(s, "vscore", d.file("GPT_MVBench.jsonl"), lines: [2, 3])
    #expect(s.stdout.contains("overall"))
    d.write("GPT_MVBench_2.tsv", "index\tanswer\tcandidates\tprediction\n0\ta\t['a']\tA\n1\ta\t\"x\tB\n")
    let u = try ToolRunner.run("vscore", [d.file("GPT_MVBench_2.tsv"), "--dataset", "MVBench", "--no-files"])
    #expect(u.status == 65)
    expectLocated(u, "vscore", d.file("GPT_MVBench_2.tsv"), lines: [3])
  }
}
