import Foundation

/// A counting pool of slots shared by threads: `acquire` waits for a free slot, `tryAcquire`
/// takes what is free without waiting, `close` wakes every waiter and makes later acquires fail.
/// (DispatchSemaphore traps when released below its initial value, which an early exit causes.)
public final class SlotPool: @unchecked Sendable {
  private let cond = NSCondition()
  private var free: Int
  private var closed = false

  public init(_ slots: Int) { free = max(1, slots) }

  /// Takes a slot, waiting for one; false once the pool is closed.
  @discardableResult
  public func acquire() -> Bool {
    cond.lock()
    defer { cond.unlock() }
    while free == 0 && !closed { cond.wait() }
    if closed { return false }
    free -= 1
    return true
  }

  /// Takes up to `n` slots without waiting; returns how many it took.
  public func tryAcquire(upTo n: Int) -> Int {
    cond.lock()
    defer { cond.unlock() }
    let k = closed ? 0 : max(0, min(n, free))
    free -= k
    return k
  }

  /// Gives back `n` slots.
  public func release(_ n: Int = 1) {
    guard n > 0 else { return }
    cond.lock()
    free += n
    cond.broadcast()
    cond.unlock()
  }

  /// Wakes every waiter; later acquires fail.
  public func close() {
    cond.lock()
    closed = true
    cond.broadcast()
    cond.unlock()
  }
}

/// FNV-1a 64-bit of a string's UTF-8, as 16 hex digits: a stable content hash (templates,
/// requests, seeds) that is the same on every machine.
public func fnv1a64Hex(_ s: String) -> String {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in s.utf8 {
    h ^= UInt64(b)
    h = h &* 0x100_0000_01b3
  }
  let hex = String(h, radix: 16)
  return String(repeating: "0", count: 16 - hex.count) + hex
}
