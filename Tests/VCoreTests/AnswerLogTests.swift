import Testing
import VCore
import VTestSupport

@Suite struct AnswerLogTests {
  func log(_ text: String) throws -> AnswerLog { try AnswerLog.read(bytes: Array(text.utf8), name: "a.jsonl") }

  @Test func aSuccessBeatsAFailureThenTheLatestWins() throws {
    let l = try log(
      #"{"id":"1","prediction":"A"}"# + "\n"
        + #"{"id":"1","prediction":"Failed to obtain answer via API.","error":{"stage":"vinfer","code":"http_500","message":"x"}}"# + "\n"
        + #"{"id":"2","prediction":"x","error":{"stage":"vinfer","code":"timeout","message":"x"}}"# + "\n"
        + #"{"id":"2","prediction":"B"}"# + "\n"
        + #"{"id":"3","prediction":"C"}"# + "\n"
        + #"{"id":"3","prediction":"D"}"# + "\n")
    #expect(l.entries.count == 3 && l.recordCount == 6)
    let one = try #require(l.entries["1"])
    #expect(one.prediction == "A" && !one.failed && one.occurrences == 2 && one.location.line == 1)
    let two = try #require(l.entries["2"])
    #expect(two.prediction == "B" && !two.failed && two.location.line == 4)
    #expect(l.entries["3"]?.prediction == "D")
    #expect(l.ordered.map(\.id) == ["1", "2", "3"])
    #expect(l.issues.isEmpty && l.unterminated.isEmpty)
  }

  @Test func failedFollowsTheAnswerRule() throws {
    let l = try log(
      #"{"id":"e","prediction":"A","error":{"stage":"vframes","code":"video_missing","message":"m"}}"# + "\n"
        + #"{"id":"none"}"# + "\n"
        + #"{"id":"marker","prediction":"x Failed to obtain answer via API. y"}"# + "\n"
        + #"{"id":"list","prediction":["A"]}"# + "\n"
        + #"{"id":"num","prediction":3}"# + "\n"
        + #"{"id":"null","prediction":null}"# + "\n")
    #expect(l.entries.mapValues(\.failed) == ["e": true, "none": true, "marker": true, "list": true, "num": false, "null": false])
    #expect(l.entries["none"]?.prediction == nil)
    #expect(l.entries["list"]?.prediction == #"["A"]"#)
    #expect(l.entries["num"]?.prediction == "3")
    #expect(l.entries["null"]?.prediction == "")
    #expect(l.entries["e"]?.error?.code == .videoMissing)
  }

  @Test func bomBlankLinesMalformedLinesAndATornLastLine() throws {
    let text =
      "\u{FEFF}" + #"{"id":"1","prediction":"A","inference":{"model":"M1","request_hash":"h1"}}"# + "\r\n"
      + "   \n\n"
      + "{not json\n"
      + "[1]\n"
      + #"{"prediction":"no id"}"# + "\n"
      + #"{"id":"","prediction":"empty id"}"# + "\n"
      + #"{"id":7,"prediction":"B","inference":{"model":"M2"}}"# + "\n"
      + #"{"id":"8","predic"#
    let l = try log(text)
    #expect(l.entries.keys.sorted() == ["1", "7"])
    #expect(l.entries["1"]?.requestHash == "h1" && l.entries["1"]?.model == "M1")
    #expect(l.firstModel == "M1" && l.lastModel == "M2")
    let malformed = l.malformed
    #expect(malformed.map(\.location.line) == [4, 5, 6, 7])
    #expect(malformed.map(\.location.file).allSatisfy { $0 == "a.jsonl" })
    #expect(malformed[0].reason.hasPrefix("invalid JSON"))
    #expect(malformed[1].reason == "expected a JSON object, found array")
    #expect(malformed[2].reason == "the record has no 'id'" && malformed[3].reason == "the record has no 'id'")
    #expect(l.torn == [SourceLocation(file: "a.jsonl", line: 9)])
    #expect(l.unterminated == ["a.jsonl"])
  }

  @Test func anUnterminatedLastRecordCountsButNeedsAFence() throws {
    let d = TempDir()
    let path = d.write("a.jsonl", #"{"id":"1","prediction":"A"}"#)
    let l = try AnswerLog.read(paths: [path])
    #expect(l.entries["1"]?.prediction == "A" && l.torn.isEmpty)
    #expect(l.unterminated == [path])
    try AnswerLog.fence(path)
    try AnswerLog.fence(path)  // once is enough
    #expect(d.read("a.jsonl") == #"{"id":"1","prediction":"A"}"# + "\n")
  }

  @Test func severalFilesInOrderAndPacks() throws {
    let d = TempDir()
    let a = d.write("a.jsonl", #"{"id":"1","prediction":"A"}"# + "\n" + #"{"id":"pack:v","pack":["1","2"],"prediction":"{}"}"# + "\n")
    let b = d.write("b.jsonl", #"{"id":"1","prediction":"B"}"# + "\n")
    let l = try AnswerLog.read(paths: [a, b])
    #expect(l.entries["1"]?.prediction == "B" && l.entries["1"]?.location == SourceLocation(file: b, line: 1))
    #expect(l.entries["pack:v"]?.pack == ["1", "2"] && l.entries["1"]?.pack == nil)
    #expect(l.packs.map(\.id) == ["pack:v"])
    #expect(l.ordered.map(\.id) == ["pack:v", "1"])
    #expect(throws: (any Error).self) { try AnswerLog.read(paths: [d.file("missing.jsonl")]) }
  }
}
