import Foundation
import Testing
import VCore
import VTestSupport

/// The hostile-files corpus (Tests/Fixtures/make-hostile-files.py): crafted result tables, JSON
/// Lines, TSV, SRT and LongVideoBench subtitle files, each run through the real tool between
/// good inputs. Every case ends in its expected error (exit status, a message naming the file)
/// or in a correct read; nothing traps, aborts or hangs, and peak memory (GNU time's maximum
/// RSS of the tool) stays far below what the files claim.
@Suite(.serialized) struct HostileFilesTests {
  let root = FakeServer.repoRoot
  /// Sanitizers change memory use (make sanitize); GNU time may be missing.
  static let measureMemory =
    ProcessInfo.processInfo.environment["VTOOLS_SANITIZER"] == nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
  static let memoryLimitMiB = 128.0

  func corpus() throws -> TempDir {
    let d = TempDir()
    let gen = try ToolRunner.shell(["/usr/bin/env", "python3", "\(root)/Tests/Fixtures/make-hostile-files.py", d.file("c")])
    #expect(gen.status == 0, "\(gen)")
    return d
  }

  /// Runs a tool under GNU time; the peak RSS in MiB (nil when not measured).
  func measured(_ d: TempDir, _ tool: String, _ args: [String], cwd: String? = nil) throws -> (ToolOutput, Double?) {
    guard Self.measureMemory else { return (try ToolRunner.run(tool, args, cwd: cwd ?? d.path), nil) }
    let mem = d.file("mem.txt")
    let r = try ToolRunner.shell(["/usr/bin/time", "-f", "%M", "-o", mem, ToolRunner.binDir + "/" + tool] + args, cwd: cwd ?? d.path)
    let kib = d.read("mem.txt").split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    return (r, kib.map { $0 / 1024 })
  }

  func expectNoCrash(_ r: ToolOutput, _ label: String) {
    #expect(
      !r.stderr.contains("Fatal error") && !r.stderr.contains("terminated by signal") && r.status < 128,
      "\(label): \(r.status) \(r.stderr.prefix(500))")
  }

  /// Case -> nil (read and scored: the score line) or the message it must give (exit 65).
  static let xlsx: [(String, String)] = [
    // The two crashes of issue #13.
    ("crash-zip64-offset.xlsx", "bad local header for 'xl/worksheets/sheet1.xml'"),
    ("crash-cell-ref.xlsx", "cell reference 'ABCDEFGHIJKL99999999999999999999' is outside Excel's grid"),
    // Zip fields.
    ("zip64-eocd-locator-max.xlsx", "bad zip64 end record"),
    ("zip64-eocd-locator-past-end.xlsx", "bad zip64 end record"),
    ("claims-2e62-bytes.xlsx", "claims 4611686018427387904 bytes, more than the limit of 1073741824"),
    ("claims-3GiB.xlsx", "claims 3221225472 bytes, more than the limit"),
    ("zip64-csize-max.xlsx", "runs past the end of the file"),
    ("zip64-extra-too-short.xlsx", "has a zip64 field too short for its size"),
    ("extra-length-past-entry.xlsx", "has an extra field longer than its extra data"),
    ("offset-past-end.xlsx", "bad local header"),
    ("csize-past-end.xlsx", "runs past the end of the file"),
    ("count-65535.xlsx", "the central directory claims 65535 entries"),
    ("dir-offset-max.xlsx", "the central directory lies outside the file"),
    ("dir-size-max.xlsx", "the central directory lies outside the file"),
    ("encrypted.xlsx", "is encrypted"),
    ("method-bzip2.xlsx", "uses compression method 12"),
    ("crc-mismatch.xlsx", "is corrupt (CRC or size mismatch)"),
    ("stored-size-mismatch.xlsx", "is stored with two different sizes"),
    ("deflate-garbage.xlsx", "does not inflate"),
    ("deflate-bomb-lies.xlsx", "inflates to more than its stated 1000 bytes"),
    ("deflate-bomb-over-limit.xlsx", "claims 1610612736 bytes, more than the limit"),
    ("truncated-in-first-local-header.xlsx", "too short (10 bytes)"),
    ("truncated-in-first-entry-data.xlsx", "no end-of-central-directory record"),
    ("truncated-before-central-directory.xlsx", "no end-of-central-directory record"),
    ("truncated-in-central-directory.xlsx", "no end-of-central-directory record"),
    ("truncated-in-last-central-entry.xlsx", "no end-of-central-directory record"),
    ("truncated-in-eocd.xlsx", "no end-of-central-directory record"),
    ("empty.xlsx", "too short (0 bytes)"),
    ("text.xlsx", "too short"),
    ("random.xlsx", "no end-of-central-directory record"),
    // Sheet XML.
    ("cell-ref-13-letters.xlsx", "cell reference 'ABCDEFGHIJKLM1' is outside Excel's grid"),
    ("cell-ref-past-XFD.xlsx", "cell reference 'XFE3' is outside Excel's grid"),
    ("row-number-huge.xlsx", "row number '99999999999999999' is outside Excel's grid"),
    ("row-number-past-grid.xlsx", "row number '1048577' is outside Excel's grid"),
    ("diagonal-3000.xlsx", "too sparse to read as a result table"),
    ("row-of-20000-cells.xlsx", "row 3 has more than 16384 cells"),
    ("shared-index-huge.xlsx", "row 3 refers to a shared string that does not exist"),
    ("shared-index-negative.xlsx", "row 3 refers to a shared string that does not exist"),
    ("billion-laughs.xlsx", "xl/sharedStrings.xml: a DOCTYPE or ENTITY declaration"),
    ("external-entity.xlsx", "xl/worksheets/sheet1.xml: a DOCTYPE or ENTITY declaration"),
    ("truncated-sheet-xml.xlsx", "the sheet ends before </sheetData>"),
    ("unterminated-tags.xlsx", "the sheet ends before </sheetData>"),
    // Read: a lone cell at the grid's corner is one more (unanswered) row; nesting, odd entities
    // and invalid UTF-8 change no score.
    ("cell-at-XFD1048576.xlsx", "MVBench,parity,overall,overall,2,3,66.67"),
    ("deep-nesting.xlsx", "MVBench,parity,overall,overall,1,2,50.00"),
    ("odd-entities.xlsx", "MVBench,parity,overall,overall,1,2,50.00"),
    ("invalid-utf8.xlsx", "MVBench,parity,overall,overall,1,2,50.00"),
  ]

  @Test func everyCraftedTableEndsInItsErrorOrItsScoreBetweenGoodOnes() throws {
    let d = try corpus()
    let dir = d.file("c/xlsx")
    let made = Set((FileIO.directoryEntries(dir) ?? []).filter { $0.hasSuffix(".xlsx") })
    #expect(made == Set(Self.xlsx.map(\.0) + ["good.xlsx", "good-shared.xlsx"]), "the generator and this list agree")
    var peak = 0.0
    for (i, (name, expected)) in Self.xlsx.enumerated() {
      // A good table before each case, alternating the two writers' layouts.
      let good = i % 2 == 0 ? "good.xlsx" : "good-shared.xlsx"
      let (g, _) = try measured(d, "vscore", ["\(dir)/\(good)", "--dataset", "MVBench", "--no-files", "--format", "csv"])
      #expect(g.status == 0 && g.stdout.contains("MVBench,parity,overall,overall,1,2,50.00"), "\(good) before \(name): \(g)")
      let path = "\(dir)/\(name)"
      let (r, mib) = try measured(d, "vscore", [path, "--dataset", "MVBench", "--no-files", "--format", "csv"])
      expectNoCrash(r, name)
      if expected.hasPrefix("MVBench,") {
        #expect(r.status == 0, "\(name): \(r)")
        #expect(r.stdout.contains(expected), "\(name): \(r.stdout)")
      } else {
        #expect(r.status == 65, "\(name): \(r)")
        #expect(r.stderr.hasPrefix("vscore: \(path): error: "), "\(name): the message names the file: \(r.stderr)")
        #expect(r.stderr.contains(expected), "\(name): \(r.stderr)")
        #expect(r.stdout.isEmpty)
      }
      if let mib {
        peak = max(peak, mib)
        #expect(mib < Self.memoryLimitMiB, "\(name): peak \(mib) MiB")
      }
    }
    print("hostile xlsx: \(Self.xlsx.count) cases, peak RSS \(peak) MiB")
  }

  @Test func hostileJSONLinesAndTSVRowsAreLocatedErrorsBetweenGoodRecords() throws {
    let d = try corpus()
    let jsonl = d.file("c/text/hostile.jsonl")
    let (j, jm) = try measured(d, "vprompt", ["--template", "mcq", jsonl])
    expectNoCrash(j, "hostile.jsonl")
    #expect(j.status == 65, "\(j.stderr.prefix(1000))")
    for line in [2, 3, 6, 7, 9, 10, 11] {
      #expect(j.stderr.contains("vprompt: \(jsonl):\(line): error: "), "line \(line): \(j.stderr.prefix(3000))")
    }
    #expect(j.stderr.contains("nesting deeper than 512 levels"))
    #expect(j.stderr.contains("unpaired surrogate"))
    #expect(j.stderr.contains("invalid UTF-8"))
    #expect(j.stderr.contains("control character"))
    #expect(j.stderr.count < 20_000, "messages stay short: \(j.stderr.count) bytes")
    #expect(j.lines.compactMap { try? JSONParser.parse($0).objectValue?["id"]?.stringValue } == ["1", "4", "5", "8", "12"])

    let tsv = d.file("c/text/hostile.tsv")
    let (t, tm) = try measured(d, "vprompt", ["--template", "mcq", tsv])
    expectNoCrash(t, "hostile.tsv")
    #expect(t.status == 65, "\(t.stderr.prefix(1000))")
    #expect(t.stderr.contains("vprompt: \(tsv):3: error: row has 1000001 cells, the header has 4"), "\(t.stderr.prefix(1000))")
    #expect(t.stderr.contains("vprompt: \(tsv):5: error: unterminated quote"), "\(t.stderr.prefix(1000))")
    #expect(t.lines.compactMap { try? JSONParser.parse($0).objectValue?["id"]?.stringValue } == ["0", "2"])
    for m in [jm, tm].compactMap({ $0 }) { #expect(m < Self.memoryLimitMiB, "peak \(m) MiB") }
  }

  @Test func hostileSubtitleFilesEndInTextOrAnErrorRecordBetweenGoodOnes() throws {
    let d = try corpus()
    // Video-MME (.srt): every file gives a prompt; events with absurd or signed times are not
    // events, the others are found; 300,000 '<' cost linear time.
    let srt: [(String, String?)] = [
      ("huge-numbers.srt", "good"), ("signs.srt", "good"), ("many-angles.srt", String(repeating: "<", count: 1000)),
      ("no-blank-lines.srt", "line 1"), ("binary.srt", nil), ("empty.srt", nil),
    ]
    func rec(_ i: Int, _ path: String) -> String {
      #"{"id":"\#(i)","question":"Q?","candidates":"['A. a', 'B. b']","subtitle_path":"\#(path)","frames":["/f1"],"frame_indices":[30],"video_info":{"avg_fps":30}}"#
    }
    d.write("c/srt/good.srt", "1\n00:00:00,000 --> 00:00:09,000\nfine\n")
    var lines: [String] = []
    for (k, (name, _)) in srt.enumerated() { lines += [rec(2 * k, "srt/good.srt"), rec(2 * k + 1, "srt/\(name)")] }
    d.write("subs.jsonl", lines.joined(separator: "\n") + "\n")
    let (v, vm) = try measured(d, "vprompt", ["--template", "videomme", "--subtitles", "--data-root", d.file("c"), d.file("subs.jsonl")])
    expectNoCrash(v, "srt")
    #expect(v.status == 0, "\(v.stderr.prefix(1000))")
    let out = try v.lines.map { try #require(try JSONParser.parse($0).objectValue) }
    #expect(out.count == 2 * srt.count)
    for (k, (name, text)) in srt.enumerated() {
      let good = JSONSerializer.serialize(out[2 * k]["messages"] ?? .null)
      #expect(good.contains("listed below:\\nfine\\n"), "good before \(name)")
      let msgs = JSONSerializer.serialize(out[2 * k + 1]["messages"] ?? .null)
      if let text {
        #expect(msgs.contains("listed below:\\n\(text)"), "\(name): \(msgs.prefix(300))")
      } else {
        #expect(msgs.contains("listed below:\\n\\nSelect"), "\(name): \(msgs.prefix(300))")
      }
    }
    if let vm { #expect(vm < Self.memoryLimitMiB, "peak \(vm) MiB") }

    // LongVideoBench (JSON): a FIFO, a directory and a file over 64 MiB are refused without
    // reading; nesting, non-lists and absurd times give their record.
    let lvb: [(String, String?)] = [
      ("deep.json", "nesting deeper than 512 levels"), ("not-a-list.json", "expected a JSON list"),
      ("big.json", "more than the 67108864-byte limit"), ("dir.json", "is not a regular file"), ("fifo.json", "is not a regular file"),
      ("missing.json", "not found"), ("huge-times.json", nil),
    ]
    func lrec(_ i: Int, _ path: String) -> String {
      #"{"id":"\#(i)","question":"Q?","candidates":"['x', 'y']","subtitle_path":"\#(path)","duration":"21","frames":["/f0"],"frame_indices":[30],"video_info":{"avg_fps":30}}"#
    }
    lines = []
    for (k, (name, _)) in lvb.enumerated() { lines += [lrec(2 * k, "good.json"), lrec(2 * k + 1, name)] }
    d.write("lvb.jsonl", lines.joined(separator: "\n") + "\n")
    let (l, lm) = try measured(d, "vprompt", ["--template", "longvideobench", "--subtitles", "--data-root", d.file("c/lvb"), d.file("lvb.jsonl")])
    expectNoCrash(l, "lvb")
    #expect(l.status == 1, "some records failed: \(l.stderr.prefix(1000))")
    let lout = try l.lines.map { try #require(try JSONParser.parse($0).objectValue) }
    #expect(lout.count == 2 * lvb.count)
    for (k, (name, message)) in lvb.enumerated() where lout.count == 2 * lvb.count {
      #expect(lout[2 * k]["error"] == nil, "good before \(name)")
      #expect(JSONSerializer.serialize(lout[2 * k]["messages"] ?? .null).contains("hello"))
      let err = lout[2 * k + 1]["error"]?.objectValue
      if let message {
        #expect(
          err?["message"]?.stringValue?.contains(message) == true, "\(name): \(err.map { JSONSerializer.serialize(.object($0)) } ?? "no error")")
        #expect(err?["message"]?.stringValue?.contains(name) == true, "the message names the file")
        #expect((err?["message"]?.stringValue?.count ?? 0) < 2000)
      } else {
        #expect(err == nil, "\(name): \(String(describing: err))")
      }
    }
    if let lm { #expect(lm < Self.memoryLimitMiB, "peak \(lm) MiB") }
  }

  /// vmerge's pack answers (MMBench-Video): 100,000 nested objects and a megabyte of '{' in a
  /// prediction are parsed in linear time and counted as unparsable; the other pack merges.
  @Test func hostilePackAnswersAreUnparsableNotSlowOrFatal() throws {
    let d = TempDir()
    d.write("meta.tsv", "index\tvideo\tquestion\tanswer\n0\tv\tq0\ta0\n1\tv\tq1\ta1\n2\tw\tq2\ta2\n")
    for (name, hostile) in [("deep", String(repeating: #"{"a":"#, count: 100_000)), ("braces", String(repeating: "{", count: 1 << 20))] {
      let answers = [
        #"{"id":"p1","pack":["0","1"],"prediction":\#(JSONSerializer.quoted(hostile))}"#,
        #"{"id":"p2","pack":["2"],"prediction":"{\"2\": \"B\"}"}"#,
      ]
      d.write("\(name).jsonl", answers.joined(separator: "\n") + "\n")
      let (r, m) = try measured(d, "vmerge", [d.file("\(name).jsonl"), "--meta", d.file("meta.tsv"), "-o", d.file("\(name).tsv")])
      expectNoCrash(r, name)
      #expect(r.status == 0 || r.status == 1, "\(name): \(r)")
      #expect(r.stderr.contains("PARSE_FAIL=1") && r.stderr.contains("PARSE_OK=1"), "\(name): \(r.stderr)")
      let table = d.read("\(name).tsv")
      #expect(table.split(separator: "\n").last?.hasSuffix("\t\"B\"") == true, "\(name): the other pack merged: \(table)")
      if let m { #expect(m < Self.memoryLimitMiB, "\(name): peak \(m) MiB") }
    }
  }
}
