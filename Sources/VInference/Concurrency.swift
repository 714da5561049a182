import Foundation

/// How many requests vinfer keeps in flight: a fixed `-j N`, or `-j auto`, which finds the
/// level a server sustains without being told (vinfer(1), ADAPTIVE CONCURRENCY).
///
/// `auto` starts at 4 and doubles each window (as many completions as the level) while no
/// request is refused and latency holds. A refusal (429, 503) or a latency jump (a window's
/// median over twice the best window's) cuts the level: by half on the first refusal and on
/// latency jumps, by an eighth on later refusals (the ceiling is known by then); after the first
/// cut the level grows by one sixteenth (at least 1) per clean window. Signals within a window
/// of a cut are the same overload and are ignored. Never above `maxLevel`.
public final class ConcurrencyControl: @unchecked Sendable {
  public let adaptive: Bool
  public let maxLevel: Int
  private let lock = NSLock()
  private var current: Int
  private var slowStart = true
  private var refusedBefore = false
  /// Completions since the level last changed, and their latencies.
  private var window: [Double] = []
  private var sinceCut = Int.max
  private var bestMedian = Double.infinity
  private var highest: Int
  private var changes = 0

  /// A fixed level.
  public init(fixed n: Int) {
    adaptive = false
    maxLevel = n
    current = n
    highest = n
  }

  /// `-j auto` up to `maxLevel`.
  public init(adaptiveUpTo maxLevel: Int, start: Int = 4) {
    adaptive = true
    self.maxLevel = max(1, maxLevel)
    current = min(max(1, start), self.maxLevel)
    highest = current
  }

  /// The level now.
  public var level: Int { lock.withLock { current } }

  /// What the run settled at: the level at the end, the highest reached, and how often it changed.
  public var summary: (level: Int, highest: Int, changes: Int) { lock.withLock { (current, highest, changes) } }

  /// A request answered after `latency` seconds (its last attempt).
  public func completed(latency: Double) {
    guard adaptive else { return }
    lock.withLock {
      sinceCut = sinceCut == .max ? .max : sinceCut + 1
      window.append(latency)
      guard window.count >= current else { return }
      let median = window.sorted()[window.count / 2]
      window.removeAll(keepingCapacity: true)
      if median > 2 * bestMedian && bestMedian > 0.001 {
        cut(by: 0.5)
        return
      }
      bestMedian = min(bestMedian, median)
      let next = slowStart ? current * 2 : current + max(1, current / 16)
      set(min(maxLevel, next))
    }
  }

  /// The server refused a request for load (429 or 503).
  public func refused() {
    guard adaptive else { return }
    lock.withLock {
      if sinceCut < current { return }  // the same overload as the last cut
      cut(by: refusedBefore ? 0.875 : 0.5)
      refusedBefore = true
    }
  }

  private func cut(by factor: Double) {
    slowStart = false
    sinceCut = 0
    window.removeAll(keepingCapacity: true)
    set(max(1, Int(Double(current) * factor)))
  }

  private func set(_ n: Int) {
    if n != current { changes += 1 }
    current = n
    highest = max(highest, n)
  }
}
