import Testing
import VCore
import VTestSupport

@Suite struct ReaderTests {
  func records(_ text: String, name: String = "in.tsv") throws -> [Result<InputRecord, InputError>] {
    let dir = TempDir()
    let path = dir.write(name, text)
    let r = try RecordReader(path: path)
    var out: [Result<InputRecord, InputError>] = []
    while let x = try r.next() { out.append(x) }
    return out
  }

  @Test func tsvQuotingTabsNewlinesAndCRLF() throws {
    let text =
      "index\tvideo\tquestion\tcandidates\r\n"
      + "7\ta.mp4\t\"two\nlines\twith tab\"\t\"['x, y', \"\"q\"\"]\"\r\n"
      + "\r\n"
      + "8\tb.mp4\tplain \"inner\" quote\t\r\n"
    let rs = try records(text)
    #expect(rs.count == 2)
    let a = try rs[0].get()
    #expect(a.id == "7")
    #expect(a.fields["question"] == .string("two\nlines\twith tab"))
    #expect(a.fields["candidates"] == .string("['x, y', \"q\"]"))
    #expect(a.location.line == 2)
    let b = try rs[1].get()
    #expect(b.fields["question"] == .string("plain \"inner\" quote"))
    #expect(b.fields["candidates"] == .string(""))
    #expect(b.location.line == 5)
  }

  @Test func tsvWithoutIndexGetsRowNumbers() throws {
    let rs = try records("video\tquestion\na.mp4\tq\nb.mp4\tr\n")
    #expect(try rs.map { try $0.get().id } == ["0", "1"])
    #expect(try rs[1].get().fields["index"] == .string("1"))
  }

  @Test func tsvRaggedAndUnterminatedRows() throws {
    let rs = try records("index\tvideo\n1\ta\tEXTRA\n2\tb\n3\t\"never closed\n")
    #expect(rs.count == 3)
    if case .failure(let e) = rs[0] {
      #expect(e.description.contains("in.tsv:2") && e.description.contains("3 cells"))
    } else {
      Issue.record("ragged row accepted")
    }
    #expect(try rs[1].get().id == "2")
    if case .failure(let e) = rs[2] { #expect(e.message.contains("unterminated quote")) } else { Issue.record("unterminated quote accepted") }
  }

  @Test func shortRowsArePaddedLikePandas() throws {
    let rs = try records("index\tvideo\tquestion\n1\ta\n")
    #expect(try rs[0].get().fields["question"] == .string(""))
  }

  @Test func jsonlBOMCRLFBlankLinesAndMissingFinalNewline() throws {
    let text = "\u{FEFF}{\"id\":\"x\",\"v\":1}\r\n\n   \n{\"index\":42}\n{\"a\":1}"
    let rs = try records(text, name: "in.jsonl")
    #expect(try rs.map { try $0.get().id } == ["x", "42", "2"])
    #expect(try rs[1].get().location.line == 4)
  }

  @Test func malformedJSONLinesNameFileLineAndPath() throws {
    let rs = try records("{\"a\":1}\n{\"a\":[1,}\n[1,2]\n{\"b\":2}\n", name: "x.jsonl")
    #expect(rs.count == 4)
    guard case .failure(let e1) = rs[1], case .failure(let e2) = rs[2] else {
      Issue.record("errors expected")
      return
    }
    #expect(e1.description.hasPrefix("\(e1.location.file):2:"))
    #expect(e1.message.contains("$.a[1]"))
    #expect(e2.message.contains("expected a JSON object, found array"))
    #expect(try rs[3].get().fields["b"] == .number("2"))
  }

  @Test func formatIsSniffedOnStdinLikeInput() throws {
    let rs = try records("\n{\"id\":\"a\"}\n", name: "noext")
    #expect(try rs[0].get().id == "a")
  }

  @Test func longLinesAcrossChunks() throws {
    let big = String(repeating: "x", count: 300_000)
    let rs = try records("{\"s\":\"\(big)\"}\n{\"s\":\"y\"}\n", name: "l.jsonl")
    #expect(try rs[0].get().fields["s"]?.stringValue?.count == 300_000)
    #expect(try rs[1].get().fields["s"] == .string("y"))
  }

  @Test func missingInputIsNoInput() {
    do {
      _ = try RecordReader(path: "/nonexistent/file.tsv")
      Issue.record("no error")
    } catch let e as StreamError {
      #expect(e.exitStatus == .noInput)
    } catch {
      Issue.record("wrong error \(error)")
    }
  }
}
