/// The rows a benchmark config keeps of its dataset: VLMEvalKit's MovieChat1k `subset` and
/// `limit` (the rows whose `column` equals `value`, then the first `int(limit * count)` of them
/// when `limit` is in (0, 1]), or VSI-SUPER-Count's `prepare_dataset` (the rows whose `column`
/// does not contain `excluded`; every row when the dataset has no such column). vframes and
/// vmerge apply it for a preset that has one.
public struct RowSubset: Sendable, Equatable, CustomStringConvertible {
  public var column: String
  public var value: String
  public var limit: Double
  /// Set: the rows kept are those whose cell does not contain this text (`value` and `limit`
  /// unused); a missing cell or column is kept.
  public var excluded: String?

  public init(column: String, value: String, limit: Double = 1.0) {
    precondition(limit > 0 && limit <= 1, "RowSubset's limit is a fraction in (0, 1]")
    self.column = column
    self.value = value
    self.limit = limit
  }

  /// `~data[column].astype(str).str.contains(text, na=False)`: the rows whose cell does not hold
  /// `text` (`nan`, a missing cell, does not); a dataset without the column keeps every row.
  public static func excluding(column: String, containing text: String) -> RowSubset {
    var s = RowSubset(column: column, value: "")
    s.excluded = text
    return s
  }

  /// Whether a dataset without `column` is an error (MovieChat-1K) or keeps every row.
  public var needsColumn: Bool { excluded == nil }

  /// Which rows are kept, given each row's `column` cell in dataset order.
  public func keep(_ cells: [String?]) -> [Bool] {
    if let excluded { return cells.map { !($0 ?? "nan").contains(excluded) } }
    let matching = cells.indices.filter { cells[$0] == value }
    // Python's int(limit * len(data)): the product truncated toward zero.
    let n = Int((limit * Double(matching.count)).rounded(.towardZero))
    var out = Array(repeating: false, count: cells.count)
    for i in matching.prefix(n) { out[i] = true }
    return out
  }

  /// `mode == 'global'`, with `, first 1%` where a limit applies; `'_streaming' not in
  /// question_type`.
  public var description: String {
    if let excluded { return "'\(excluded)' not in \(column)" }
    return "\(column) == '\(value)'" + (limit < 1 ? ", the first \(SamplingSpec.pythonFloat(limit * 100))% of them" : "")
  }
}
