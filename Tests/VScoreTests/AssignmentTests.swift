import Foundation
import Testing
import VCore
import VTestSupport

@testable import VScore

/// The assignment solver against SciPy's `linear_sum_assignment`: fixed matrices (ties,
/// rectangular both ways) with SciPy's answers written down, and, where a Python with SciPy is
/// at hand, many random ones compared live.
@Suite struct AssignmentTests {
  /// `linear_sum_assignment(np.array(m))` at SciPy 1.x, zipped.
  static let fixed: [([[Double]], [[Int]])] = [
    ([[0.5, 0.5], [0.5, 0.5]], [[0, 0], [1, 1]]),
    ([[1, 1, 1], [1, 1, 1]], [[0, 0], [1, 1]]),
    ([[0, 0], [0, 0], [0, 0]], [[0, 0], [1, 1]]),
    ([[-0.8, -0.2], [-0.5, -0.5]], [[0, 0], [1, 1]]),
    ([[-0.5, -0.5], [-0.8, -0.2]], [[0, 1], [1, 0]]),
    ([[4, 1, 3], [2, 0, 5], [3, 2, 2]], [[0, 1], [1, 0], [2, 2]]),
    ([[1, 2, 3, 4], [2, 4, 6, 8], [3, 6, 9, 12]], [[0, 2], [1, 1], [2, 0]]),
    ([[7], [3], [5]], [[1, 0]]),
    ([[7, 3, 5]], [[0, 1]]),
    ([[0, -1, -1], [-1, 0, -1], [-1, -1, 0], [-1, -1, -1]], [[0, 1], [1, 0], [3, 2]]),
    ([[-0.6, -0.6, 0], [-0.6, -0.6, -0.6]], [[0, 0], [1, 1]]),
    ([[2, 2, 1, 1], [1, 1, 2, 2], [2, 1, 2, 1]], [[0, 2], [1, 0], [2, 1]]),
  ]

  @Test func fixedMatricesAsSciPy() throws {
    for (m, expected) in Self.fixed {
      #expect(try Assignment.minimize(m).map { [$0.row, $0.column] } == expected, "\(m)")
    }
  }

  @Test func invalidMatrices() throws {
    #expect(throws: Assignment.Failure.invalidEntry) { try Assignment.minimize([[1, .nan]]) }
    #expect(throws: Assignment.Failure.invalidEntry) { try Assignment.minimize([[1, -.infinity]]) }
    #expect(throws: Assignment.Failure.infeasible) { try Assignment.minimize([[.infinity, .infinity], [1, 2]]) }
    #expect(throws: Assignment.Failure.ragged) { try Assignment.minimize([[1, 2], [1]]) }
    #expect(try Assignment.minimize([]).isEmpty)
    #expect(try Assignment.minimize([[], []]).isEmpty)
  }

  /// The least total cost, checked by trying every assignment (small square matrices).
  @Test func optimalOnSmallMatrices() throws {
    var rng = SplitMix(seed: 7)
    for _ in 0..<200 {
      let n = Int(rng.next() % 5) + 1
      let m = (0..<n).map { _ in (0..<n).map { _ in Double(rng.next() % 7) } }
      let got = try Assignment.minimize(m).reduce(0.0) { $0 + m[$1.row][$1.column] }
      #expect(got == Self.bruteForce(m), "\(m)")
    }
  }

  static func bruteForce(_ m: [[Double]]) -> Double {
    var best = Double.infinity
    func go(_ row: Int, _ used: Set<Int>, _ sum: Double) {
      if row == m.count {
        best = min(best, sum)
        return
      }
      for c in 0..<m.count where !used.contains(c) { go(row + 1, used.union([c]), sum + m[row][c]) }
    }
    go(0, [], 0)
    return best
  }

  /// A Python with SciPy: `VTOOLS_PYTHON`, else the scratch venv, else `python3`.
  static let python: String? = {
    let env = ProcessInfo.processInfo.environment["VTOOLS_PYTHON"]
    for p in [env, "/work/venv-vlm/bin/python", "/usr/bin/python3"].compactMap({ $0 }) where FileManager.default.isExecutableFile(atPath: p) {
      if let r = try? ToolRunner.shell([p, "-c", "import scipy.optimize"]), r.status == 0 { return p }
    }
    return nil
  }()

  /// Random matrices (square, wide, tall; real costs, small integers with many ties, and IoU-like
  /// negated values in [0, 1] rounded to tenths) solved by SciPy and here: the same pairs.
  @Test(.enabled(if: python != nil, "no Python with SciPy (set VTOOLS_PYTHON to one): the live comparison with SciPy is skipped"))
  func randomMatricesAsSciPy() throws {
    var rng = SplitMix(seed: 2026)
    var matrices: [[[Double]]] = []
    for k in 0..<600 {
      let rows = Int(rng.next() % 7) + 1, cols = Int(rng.next() % 7) + 1
      matrices.append(
        (0..<rows).map { _ in
          (0..<cols).map { _ in
            switch k % 3 {
            case 0: return Double(rng.next() % 1_000_000) / 1000 - 500
            case 1: return Double(rng.next() % 3)
            default: return -Double(rng.next() % 11) / 10
            }
          }
        })
    }
    let input = JSONSerializer.serialize(.array(matrices.map { .array($0.map { .array($0.map { .double($0) }) }) }))
    let script = """
      import json, sys
      import numpy as np
      from scipy.optimize import linear_sum_assignment
      out = []
      for m in json.load(sys.stdin):
          r, c = linear_sum_assignment(np.array(m, dtype=float))
          out.append([[int(a), int(b)] for a, b in zip(r, c)])
      json.dump(out, sys.stdout)
      """
    let r = try ToolRunner.shell([try #require(Self.python), "-c", script], stdin: input)
    #expect(r.status == 0, "\(r)")
    let expected = try JSONParser.parse(r.stdout).arrayValue ?? []
    #expect(expected.count == matrices.count)
    var differ = 0
    for (m, e) in zip(matrices, expected) {
      let want = (e.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.intValue) }
      let got = try Assignment.minimize(m).map { [$0.row, $0.column] }
      if got != want {
        differ += 1
        Issue.record("\(m): SciPy \(want), here \(got)")
      }
    }
    #expect(differ == 0)
  }
}

/// A seeded generator (SplitMix64), so the matrices are the same on every run.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
