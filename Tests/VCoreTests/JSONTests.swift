import Testing
import VCore

@Suite struct JSONTests {
  @Test func roundTripKeepsOrderNumbersAndUnicode() throws {
    let text = #"{"b":1.50,"a":[true,false,null],"n":12345678901234567890,"s":"héllo \"q\" \\ / \n\t\u0001","e":1e-05}"#
    let v = try JSONParser.parse(text)
    let out = JSONSerializer.serialize(v)
    #expect(out == #"{"b":1.50,"a":[true,false,null],"n":12345678901234567890,"s":"héllo \"q\" \\ / \n\t\u0001","e":1e-05}"#)
    #expect(try JSONParser.parse(out) == v)
    #expect(v.objectValue?.keys == ["b", "a", "n", "s", "e"])
  }

  @Test func surrogatePairsAndEscapes() throws {
    let v = try JSONParser.parse(#""\ud83d\ude00 \u00e9""#)
    #expect(v == .string("😀 é"))
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(#""\ud83d""#) }
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(#""\x""#) }
  }

  @Test(arguments: [
    ("{", "end of input"), ("[1", "unterminated array"), ("{\"a\":}", "expected a value"), ("[1,]", "expected a value"),
    ("{\"a\" 1}", "expected ':'"), ("01", "unexpected text"), ("1.", "digit expected"), ("\"a\nb\"", "control character"),
    ("tru", "expected 'true'"), ("{\"a\":1} x", "unexpected text"), ("", "end of input"),
  ])
  func syntaxErrorsAreReported(text: String, fragment: String) {
    do {
      _ = try JSONParser.parse(text)
      Issue.record("expected an error for \(text)")
    } catch {
      #expect(error.description.contains(fragment), "\(error.description)")
    }
  }

  @Test func errorPathNamesTheField() {
    do {
      _ = try JSONParser.parse(#"{"frames":["a", tru]}"#)
      Issue.record("no error")
    } catch {
      #expect(error.path == "$.frames[1]")
    }
  }

  @Test func invalidUTF8IsAnError() {
    let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xff, 0xfe] + Array(#""}"#.utf8)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes) }
  }

  @Test func deepNestingIsRefusedNotCrashed() {
    let deep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
  }

  @Test func doublesAreWrittenShortest() {
    #expect(JSONSerializer.serialize(.double(1.1)) == "1.1")
    #expect(JSONSerializer.serialize(.double(30)) == "30.0")
    #expect(JSONSerializer.serialize(.double(.nan)) == "null")
  }
}
