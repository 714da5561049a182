import Foundation

/// Reads the score table `vscore` prints (its text format, what `scores.txt` holds):
///
///     DATASET: RULES rules, MODE mode
///     group    category  correct  total  accuracy %
///     overall  overall        12     24       50.00
///
///     task_type  Action       3      8       37.50
///     note: ...
///
/// The first two columns are left-aligned, the last three right-aligned under their headings,
/// so a category may hold spaces and the correct count may be empty.
public enum ScoresText {
  public static func parse(_ text: String) -> ScoreTable? {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let l = lines.last, l.isEmpty { lines.removeLast() }
    guard lines.count >= 2 else { return nil }
    let head = lines[0]
    guard let colon = head.range(of: ": ", options: .backwards),
      let rulesEnd = head.range(of: " rules, ", range: colon.upperBound..<head.endIndex), head.hasSuffix(" mode")
    else { return nil }
    let dataset = String(head[..<colon.lowerBound])
    let rules = String(head[colon.upperBound..<rulesEnd.lowerBound])
    let mode = String(head[rulesEnd.upperBound...].dropLast(" mode".count))
    let header = Array(lines[1])
    guard let category = find(header, "category"), let correct = find(header, "correct"), let total = find(header, "total") else { return nil }
    let correctEnd = correct + "correct".count
    let totalEnd = total + "total".count
    let metric = String(header[totalEnd...]).trimmingCharacters(in: .whitespaces)
    var rows: [CategoryScore] = []
    var notes: [String] = []
    for line in lines.dropFirst(2) {
      if line.hasPrefix("note: ") {
        notes.append(String(line.dropFirst(6)))
        continue
      }
      let c = Array(line)
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty, c.count > totalEnd else { continue }
      let group = String(c[0..<min(category, c.count)]).trimmingCharacters(in: .whitespaces)
      let hasCorrect = correctEnd - 1 < c.count && c[correctEnd - 1] != " "
      var middle = String(c[category..<min(correctEnd, c.count)])
      var correctText = ""
      if hasCorrect, let space = middle.lastIndex(of: " ") {
        correctText = String(middle[middle.index(after: space)...])
        middle = String(middle[..<space])
      }
      let name = middle.trimmingCharacters(in: .whitespaces)
      let totalText = String(c[correctEnd..<totalEnd]).trimmingCharacters(in: .whitespaces)
      let valueText = String(c[totalEnd...]).trimmingCharacters(in: .whitespaces)
      let value = Double(valueText).flatMap { $0.isFinite ? $0 : nil }
      rows.append(CategoryScore(group: group, name: name, correct: correctText, total: Int(totalText), value: value))
    }
    return ScoreTable(dataset: dataset, rules: rules, mode: mode, metric: metric, rows: rows, notes: notes)
  }

  /// Where the word starts in the header, as a whole word.
  static func find(_ header: [Character], _ word: String) -> Int? {
    let w = Array(word)
    guard header.count >= w.count else { return nil }
    for i in 0...(header.count - w.count) where Array(header[i..<i + w.count]) == w {
      let before = i == 0 || header[i - 1] == " "
      let after = i + w.count == header.count || header[i + w.count] == " "
      if before && after { return i }
    }
    return nil
  }
}
