/// When and after how long vinfer asks again: which failures are retried, how many attempts a
/// record gets, and the delay before each new attempt (exponential backoff with full jitter, or
/// the server's `Retry-After`, capped). vinfer(1), FAILURES.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts per record, the first one included (VLMEvalKit's run.py: 6).
  public var attempts: Int
  /// The backoff before attempt `n + 1` is drawn uniformly from `0 ... min(cap, base * 2^(n-1))`.
  public var backoffBase: Double
  public var backoffCap: Double
  /// A server's `Retry-After` is honoured up to this many seconds.
  public var retryAfterCap: Double
  /// Ask again when a reply was cut inside the thinking (`--retry-truncated`; off by default:
  /// the same request usually stops at the same place).
  public var retryTruncated = false

  public init(attempts: Int = 6, backoffBase: Double = 1, backoffCap: Double = 60, retryAfterCap: Double = 600) {
    self.attempts = attempts
    self.backoffBase = backoffBase
    self.backoffCap = backoffCap
    self.retryAfterCap = retryAfterCap
  }

  /// vinfer's defaults.
  public static let standard = RetryPolicy()

  /// HTTP statuses worth asking again: 408 (request timeout), 409 (conflict), 429 (rate
  /// limited) and every 5xx. Other 4xx answers will not change.
  public static func isRetryable(status: Int) -> Bool {
    status == 408 || status == 409 || status == 429 || status >= 500
  }

  /// Whether a record whose attempt number `attempt` (1-based) failed with `error` gets another.
  public func shouldRetry(_ error: InferenceError, after attempt: Int) -> Bool {
    (error.retryable || retryTruncated && error.code == .thinkingTruncated) && attempt < attempts
  }

  /// The longest backoff before the attempt after attempt `attempt` (1-based), without jitter.
  public func backoffLimit(after attempt: Int) -> Double {
    guard backoffBase > 0 else { return 0 }
    return min(backoffCap, backoffBase * pow2(max(0, attempt - 1)))
  }

  /// The delay in seconds before the attempt after attempt `attempt`: the server's
  /// `Retry-After` (capped) when it sent one, else full jitter over the backoff limit.
  public func delay(after attempt: Int, retryAfter: Double?, using rng: inout some RandomNumberGenerator) -> Double {
    if let r = retryAfter { return min(max(0, r), retryAfterCap) }
    let limit = backoffLimit(after: attempt)
    return limit > 0 ? Double.random(in: 0...limit, using: &rng) : 0
  }

  /// `delay` with the system's random numbers.
  public func delay(after attempt: Int, retryAfter: Double?) -> Double {
    var rng = SystemRandomNumberGenerator()
    return delay(after: attempt, retryAfter: retryAfter, using: &rng)
  }

  private func pow2(_ n: Int) -> Double {
    n >= 1024 ? .infinity : Double(sign: .plus, exponent: n, significand: 1)
  }
}
