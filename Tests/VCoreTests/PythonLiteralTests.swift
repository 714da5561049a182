import Testing
import VCore

@Suite struct PythonLiteralTests {
  @Test func candidatesAsVLMEvalKitTSVsHoldThem() throws {
    #expect(try PythonLiteral.stringList("['left', 'right', 'up', 'down']") == ["left", "right", "up", "down"])
    #expect(try PythonLiteral.stringList(#"["it's", 'say "hi"', 'a, b']"#) == ["it's", "say \"hi\"", "a, b"])
    #expect(try PythonLiteral.stringList(#"['don\'t', 'tab\there', 'back\\slash', '\u00e9\x41']"#) == ["don't", "tab\there", "back\\slash", "éA"])
    #expect(try PythonLiteral.stringList("['A. one', 'B. two',]") == ["A. one", "B. two"])
    #expect(try PythonLiteral.stringList("[1, 2.5, -3, True, None]") == ["1", "2.5", "-3", "True", "None"])
    #expect(try PythonLiteral.stringList("('a' 'b', r'\\d')") == ["ab", "\\d"])
    #expect(try PythonLiteral.stringList("[]") == [])
  }

  @Test(arguments: ["", "['a'", "['a' 'b'", "['a',, 'b']", "[x]", "['a'] x", "a, b"])
  func malformedLiteralsAreErrors(_ text: String) {
    #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.stringList(text) }
  }
}
