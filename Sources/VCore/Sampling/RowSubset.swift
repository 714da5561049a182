/// The rows a benchmark config keeps of its dataset (VLMEvalKit's MovieChat1k `subset` and
/// `limit`): the rows whose `column` equals `value`, then the first `int(limit * count)` of them
/// when `limit` is in (0, 1]. vframes and vmerge apply it for a preset that has one.
public struct RowSubset: Sendable, Equatable, CustomStringConvertible {
  public var column: String
  public var value: String
  public var limit: Double

  public init(column: String, value: String, limit: Double = 1.0) {
    precondition(limit > 0 && limit <= 1, "RowSubset's limit is a fraction in (0, 1]")
    self.column = column
    self.value = value
    self.limit = limit
  }

  /// Which rows are kept, given each row's `column` cell in dataset order.
  public func keep(_ cells: [String?]) -> [Bool] {
    let matching = cells.indices.filter { cells[$0] == value }
    // Python's int(limit * len(data)): the product truncated toward zero.
    let n = Int((limit * Double(matching.count)).rounded(.towardZero))
    var out = Array(repeating: false, count: cells.count)
    for i in matching.prefix(n) { out[i] = true }
    return out
  }

  /// `mode == 'global'`, with `, first 1%` where a limit applies.
  public var description: String {
    "\(column) == '\(value)'" + (limit < 1 ? ", the first \(SamplingSpec.pythonFloat(limit * 100))% of them" : "")
  }
}
