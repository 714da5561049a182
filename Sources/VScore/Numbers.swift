import Foundation
import VCore

/// Numbers as VLMEvalKit prints them.
package enum Num {
  /// Python's `round(x, digits)` (ties to even on the exact binary value, as glibc's printf).
  package static func round(_ x: Double, _ digits: Int) -> Double {
    guard x.isFinite else { return x }
    return Double(String(format: "%.\(digits)f", x)) ?? x
  }

  /// `f'{np.mean([v for v in values if v >= 0]):.{digits}f}'` (`nan` when nothing is left).
  package static func meanText(_ values: [Double], digits: Int = 3, validOnly: Bool = true) -> String {
    let v = validOnly ? values.filter { $0 >= 0 } : values
    guard !v.isEmpty else { return "nan" }
    return String(format: "%.\(digits)f", v.reduce(0, +) / Double(v.count))
  }

  package static func mean(_ values: [Double]) -> Double? {
    let v = values.filter { $0 >= 0 }
    return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
  }

  /// A float as Python's `repr` prints it (`50.0`, `66.67`).
  package static func repr(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    return x.description
  }

  /// A score cell: integers without a fraction.
  package static func cell(_ x: Double?) -> String? {
    guard let x else { return nil }
    return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : repr(x)
  }

  /// An integer-looking cell (`15`, `15.0`) as its integer text.
  package static func integerText(_ s: String) -> String {
    if let d = Double(s), d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
    return s
  }
}
