import Foundation

/// A leading `<think>` block of a text: what it holds and what follows it (stripped). Used by
/// vinfer's `--strip-think` and vscore's `--strict`.
public struct ThinkBlock: Sendable, Equatable {
  public var thinking: String
  public var rest: String
  public var closed: Bool

  public init(thinking: String, rest: String, closed: Bool) {
    self.thinking = thinking
    self.rest = rest
    self.closed = closed
  }

  /// Nil when `text` (after leading white space) does not start with `<think>`; a text that
  /// has only a closing `</think>` (servers whose template opens the block in the prompt) is
  /// also read as a block.
  public init?(_ text: String) {
    let t = text.drop(while: { $0.isWhitespace })
    let open = "<think>", close = "</think>"
    let body: Substring
    if t.hasPrefix(open) {
      body = t.dropFirst(open.count)
    } else if t.contains(close) && !t.contains(open) {
      body = t
    } else {
      return nil
    }
    if let r = body.range(of: close) {
      thinking = String(body[..<r.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
      rest = String(body[r.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
      closed = true
    } else {
      thinking = String(body).trimmingCharacters(in: .whitespacesAndNewlines)
      rest = ""
      closed = false
    }
  }

  /// `text` without its leading think block (stripped), or `text` itself.
  public static func strip(_ text: String) -> String { ThinkBlock(text)?.rest ?? text }
}
