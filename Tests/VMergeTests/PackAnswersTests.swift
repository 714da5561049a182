import Testing

@testable import VMerge

/// The reference's robust_json_load vectors (section 10).
@Suite struct PackAnswersTests {
  @Test func referenceVectors() {
    #expect(PackAnswers.robustLoad(#"{"12": "A cat.", "13": "Two"}"#) == ["12": "A cat.", "13": "Two"])
    #expect(PackAnswers.robustLoad("Sure!\n```json\n{\"12\": \"A cat.\", \"13\": \"Two\"}\n```") == ["12": "A cat.", "13": "Two"])
    #expect(PackAnswers.robustLoad("{\n '12': 'A cat.',\n '13': 'Two'\n}") == ["12": "A cat.", "13": "Two"])
    #expect(PackAnswers.robustLoad("{'12': 'A cat.', '13': 'Two'}") == ["12": "A cat.', '13"])
    #expect(PackAnswers.robustLoad("{\n '12': 'Time: 3pm',\n '13': 'Two'}") == ["12": "Time", "13": "Two'}"])
    #expect(PackAnswers.robustLoad(#"{"1": "a"} and {"2": "b"}"#) == nil)
    #expect(PackAnswers.robustLoad("{'a': {'b': 'c'}}") == nil)
    #expect(PackAnswers.robustLoad("no braces at all") == nil)
    #expect(PackAnswers.robustLoad(#"{"12": {"x": 1}}"#) == ["12": #"{"x":1}"#])
    #expect(PackAnswers.robustLoad("{}") == [:])
  }

  @Test func strictReadsPythonDicts() {
    #expect(PackAnswers.pythonDict("Answers: {'12': 'A cat.', '13': 'Two'}") == ["12": "A cat.", "13": "Two"])
    #expect(PackAnswers.pythonDict("{'12': 'Time: 3pm', 13: \"it's\"}") == ["12": "Time: 3pm", "13": "it's"])
    #expect(PackAnswers.pythonDict("{'a': {'b': 'c'}}") == nil)
    #expect(PackAnswers.pythonDict("none") == nil)
  }

  @Test func sideQuotes() {
    #expect(PackAnswers.removeSideQuote("'\"x\",'") == "x")
    #expect(PackAnswers.removeSideQuote(",'\"") == "")
  }
}
