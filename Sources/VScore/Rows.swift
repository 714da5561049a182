import Foundation
import VCore

/// Per-row access shared by the benchmarks.
package struct Rows {
  package let table: ResultTable
  /// Predictions are read without a leading `<think>` block (`--strict`: a reasoning model's
  /// answer is what follows its thinking).
  package let stripsThinking: Bool

  package init(table: ResultTable, stripsThinking: Bool = false) {
    self.table = table
    self.stripsThinking = stripsThinking
  }
  package var count: Int { table.rows.count }

  package func cell(_ r: Int, _ name: String) -> String? { table.cell(r, name) }

  /// The row's id: `index`, else its position.
  package func id(_ r: Int) -> String { cell(r, "index").map(Num.integerText) ?? String(r) }

  package func prediction(_ r: Int) -> String? {
    guard let p = cell(r, "prediction") else { return nil }
    return stripsThinking ? ThinkBlock.strip(p) : p
  }

  /// The `candidates` list literal, parsed.
  package func candidates(_ r: Int) throws -> [String] {
    guard let c = cell(r, "candidates") else { throw SimpleToolError("row \(id(r)): no candidates", status: .dataError) }
    do {
      return try PythonLiteral.stringList(c)
    } catch {
      throw SimpleToolError("row \(id(r)): candidates is not a Python list of strings (\(error))", status: .dataError)
    }
  }

  /// MVBench/MLVU ground truth: the letter of the last candidate equal to `answer` (`@` when
  /// none is), and the candidates as lettered choices.
  package func candidateTruth(_ r: Int) throws -> (letter: String, answer: String, choices: [(String, String)]) {
    let cands = try candidates(r)
    let answer = cell(r, "answer") ?? ""
    let letter = cands.lastIndex(of: answer).map { OptionLetter.all[min($0, 25)] } ?? "@"
    return (letter, answer, lettered(cands))
  }

  /// VLMEvalKit's `{key: [sum(int(score)), count]}` over the scored rows, keys in order of first
  /// appearance (MLVU tasks, TempCompass `dim. task_type`).
  package func intSums(_ scores: [Double?], key: (Int) -> String) -> (order: [String], sums: [String: (Double, Double)]) {
    var order: [String] = []
    var sums: [String: (Double, Double)] = [:]
    for (r, s) in scores.enumerated() {
      guard let s else { continue }
      let k = key(r)
      if sums[k] == nil { order.append(k) }
      let prev = sums[k] ?? (0, 0)
      sums[k] = (prev.0 + s.rounded(.towardZero), prev.1 + 1)
    }
    return (order, sums)
  }

  /// The option columns `A`..`Z` that are present and not NaN, in letter order.
  package func optionColumns(_ r: Int) -> [(String, String)] {
    OptionLetter.all.compactMap { l in cell(r, l).map { (l, $0) } }
  }
}

/// Adds `value` to a list under `key` in an ordered dictionary of lists.
package struct Buckets {
  package private(set) var keys: [String] = []
  private var values: [String: [Double]] = [:]

  package init(_ known: [String] = []) {
    for k in known {
      keys.append(k)
      values[k] = []
    }
  }

  package mutating func add(_ key: String, _ v: Double) {
    if values[key] == nil {
      keys.append(key)
      values[key] = []
    }
    values[key]!.append(v)
  }

  package subscript(_ key: String) -> [Double] { values[key] ?? [] }
  package var all: [Double] { keys.flatMap { values[$0] ?? [] } }
}

/// Letters for a list of options: A, B, C, ... (the judge prompt shows them so).
package func lettered(_ options: [String]) -> [(String, String)] {
  options.enumerated().map { (OptionLetter.all[min($0.offset, 25)], $0.element) }
}
