import Foundation
import VCore

/// One word of a word-level subtitle file, times in seconds.
public struct SubtitleWord: Sendable, Equatable {
  public var text: String
  /// `start_time`, `end_time`; nil when the line has no number there.
  public var start: Double?
  public var end: Double?

  public init(text: String, start: Double?, end: Double?) {
    self.text = text
    self.start = start
    self.end = end
  }
}

/// Word-level subtitles in JSON Lines (Video-MME-v2's `subtitle/{video}.jsonl`: one
/// `{"text", "start_time", "end_time"}` object a line), read and placed as VLMEvalKit's
/// `load_subtitle_jsonl`, `subtitle_concat_all` and `subtitle_between_timestamps` do.
public enum WordSubtitles {
  /// The words of `path`, in file order: each line stripped, blank lines skipped. nil when the
  /// file does not exist (VLMEvalKit then uses no subtitles); a file that is not a bounded
  /// regular file, not UTF-8, or has a line that is not such an object is an error.
  public static func load(_ path: String) throws(PromptError) -> [SubtitleWord]? {
    if case .missing = FileIO.fileKind(path) { return nil }
    let bytes = try LongVideoBenchSubtitles.load(path)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw PromptError(code: .badSubtitles, message: "\(path): not UTF-8 text")
    }
    var words: [SubtitleWord] = []
    // Python's text mode reads \r\n and \r as line ends too.
    for (n, raw) in text.replacingCR().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = PyText.strip(String(raw))
      if line.isEmpty { continue }
      let value: JSONValue
      do {
        value = try JSONParser.parse(Array(line.utf8))
      } catch {
        throw PromptError(code: .badSubtitles, message: "\(path):\(n + 1): invalid JSON \(error)")
      }
      guard let o = value.objectValue else { throw PromptError(code: .badSubtitles, message: "\(path):\(n + 1): expected a JSON object") }
      guard let t = o["text"]?.stringValue else {
        throw PromptError(code: .badSubtitles, message: "\(path):\(n + 1): the word has no string 'text'")
      }
      words.append(SubtitleWord(text: t, start: o["start_time"]?.doubleValue, end: o["end_time"]?.doubleValue))
    }
    return words
  }

  /// `subtitle_concat_all`: every word, joined with single spaces.
  public static func joined(_ words: [SubtitleWord]) -> String { words.map(\.text).joined(separator: " ") }

  /// `subtitle_between_timestamps`: the words with `end >= start` and `start < end` of the
  /// interval (so a word that ends exactly where the interval starts is kept), joined with spaces.
  public static func between(_ words: [SubtitleWord], start: Double, end: Double) throws(PromptError) -> String {
    var kept: [String] = []
    for (n, w) in words.enumerated() {
      guard let s = w.start, let e = w.end else {
        throw PromptError(code: .badSubtitles, message: "subtitle word \(n + 1) ('\(w.text)') has no numeric start_time and end_time")
      }
      if e >= start && s < end { kept.append(w.text) }
    }
    return kept.joined(separator: " ")
  }
}
