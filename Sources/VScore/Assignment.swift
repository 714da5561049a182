/// The linear assignment problem (the "Hungarian" matching): for a cost matrix of `n` rows and
/// `m` columns, `min(n, m)` pairs (row, column), no row or column used twice, with the least
/// total cost. Solved by shortest augmenting paths with dual potentials (Jonker-Volgenant, in the
/// rectangular form of Crouse 2016), the method SciPy's `linear_sum_assignment` uses, and in its
/// order of steps: rows taken in turn, columns scanned from the last, a tie between equally
/// short paths settled for a column not yet assigned, a matrix with more rows than columns
/// solved transposed. So where several assignments cost the same, the one chosen is SciPy's
/// (`bench/assignment-vs-scipy.py` compares the two on random, rectangular and tied matrices).
package enum Assignment {
  /// Why a matrix cannot be solved: SciPy's `ValueError`s.
  package enum Failure: Error, Equatable {
    /// A NaN or minus infinity in the matrix ("matrix contains invalid numeric entries").
    case invalidEntry
    /// Rows of different lengths.
    case ragged
    /// No assignment of finite cost ("cost matrix is infeasible").
    case infeasible
  }

  /// The pairs of a least-cost assignment, sorted by row (SciPy's `row_ind`, `col_ind` zipped).
  package static func minimize(_ cost: [[Double]]) throws(Failure) -> [(row: Int, column: Int)] {
    let rows = cost.count
    let cols = cost.first?.count ?? 0
    guard cost.allSatisfy({ $0.count == cols }) else { throw .ragged }
    if rows == 0 || cols == 0 { return [] }
    for r in cost { for x in r where x.isNaN || x == -.infinity { throw .invalidEntry } }
    let transpose = cols < rows
    let nr = transpose ? cols : rows, nc = transpose ? rows : cols
    var c = [Double](repeating: 0, count: nr * nc)
    for i in 0..<nr { for j in 0..<nc { c[i * nc + j] = transpose ? cost[j][i] : cost[i][j] } }

    var u = [Double](repeating: 0, count: nr), v = [Double](repeating: 0, count: nc)
    var shortest = [Double](repeating: .infinity, count: nc)
    var path = [Int](repeating: -1, count: nc)
    var col4row = [Int](repeating: -1, count: nr), row4col = [Int](repeating: -1, count: nc)
    var sr = [Bool](repeating: false, count: nr), sc = [Bool](repeating: false, count: nc)
    var remaining = [Int](repeating: 0, count: nc)

    for current in 0..<nr {
      // The shortest augmenting path from `current` to a free column.
      var minVal = 0.0
      var left = nc
      for k in 0..<nc { remaining[k] = nc - k - 1 }
      for k in 0..<nr { sr[k] = false }
      for k in 0..<nc {
        sc[k] = false
        shortest[k] = .infinity
      }
      var sink = -1
      var i = current
      while sink == -1 {
        var index = -1
        var lowest = Double.infinity
        sr[i] = true
        for k in 0..<left {
          let j = remaining[k]
          let r = minVal + c[i * nc + j] - u[i] - v[j]
          if r < shortest[j] {
            path[j] = i
            shortest[j] = r
          }
          if shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1) {
            lowest = shortest[j]
            index = k
          }
        }
        minVal = lowest
        if minVal == .infinity { throw .infeasible }
        let j = remaining[index]
        if row4col[j] == -1 { sink = j } else { i = row4col[j] }
        sc[j] = true
        left -= 1
        remaining[index] = remaining[left]
      }
      // Update the duals, then flip the path.
      u[current] += minVal
      for k in 0..<nr where sr[k] && k != current { u[k] += minVal - shortest[col4row[k]] }
      for k in 0..<nc where sc[k] { v[k] -= minVal - shortest[k] }
      var j = sink
      while true {
        let r = path[j]
        row4col[j] = r
        swap(&col4row[r], &j)
        if r == current { break }
      }
    }
    if transpose {
      // Rows of the transposed problem are the columns: report by original row.
      return (0..<nr).map { (row: col4row[$0], column: $0) }.sorted { $0.row < $1.row }
    }
    return (0..<nr).map { (row: $0, column: col4row[$0]) }
  }
}
