import Foundation

/// Work started on a thread of its own, whose result (or error) the starter collects with
/// `join()`: two independent reads overlapped on two cores (vmerge reads the dataset rows while
/// it parses the answer logs). The closure owns what it captures; nothing else touches that
/// state until `join()` returns.
public final class Background<Value>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: Result<Value, any Error>?

  /// Starts `work` on a new thread.
  public init(_ work: @escaping () throws -> Value) {
    let box = UnsafeTransfer(work)
    let thread = Thread { [self] in
      result = Result { try box.value() }
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// Waits for the work and returns its value, or throws its error. Call it once.
  public func join() throws -> Value {
    done.wait()
    guard let result else { preconditionFailure("Background.join: no result after the thread signalled") }
    return try result.get()
  }
}

/// A value handed to exactly one other thread (its owner no longer touches it).
public struct UnsafeTransfer<T>: @unchecked Sendable {
  public let value: T
  public init(_ value: T) { self.value = value }
}
