import Foundation
import VCore

/// Runs jobs on `workers` threads and lets one consumer wait for particular results.
final class JobQueue: @unchecked Sendable {
  private let cond = NSCondition()
  private var queue: [VideoJob] = []
  private var head = 0
  private var results: [String: JobResult] = [:]
  private var unfinished = 0
  private var closed = false
  private let run: @Sendable (VideoJob) -> JobResult

  init(workers: Int, run: @escaping @Sendable (VideoJob) -> JobResult) {
    self.run = run
    for _ in 0..<max(1, workers) {
      let t = Thread { [self] in self.workLoop() }
      t.stackSize = 8 << 20
      t.start()
    }
  }

  /// Jobs submitted and not yet finished.
  var pending: Int {
    cond.lock()
    defer { cond.unlock() }
    return unfinished
  }

  func submit(_ job: VideoJob) {
    cond.lock()
    queue.append(job)
    unfinished += 1
    cond.broadcast()
    cond.unlock()
  }

  /// The result of a finished job, without waiting.
  func result(_ key: String) -> JobResult? {
    cond.lock()
    defer { cond.unlock() }
    return results[key]
  }

  /// Waits until the job with this key has finished.
  func wait(_ key: String) -> JobResult {
    cond.lock()
    defer { cond.unlock() }
    while results[key] == nil { cond.wait() }
    return results[key]!
  }

  /// Waits until at least one more job finishes (or none is running).
  func waitForAny() {
    cond.lock()
    defer { cond.unlock() }
    let n = finishedCount
    while finishedCount == n && unfinished > 0 { cond.wait() }
  }

  private var finishedCount = 0

  /// Drops the jobs no worker has started.
  func cancelQueued() {
    cond.lock()
    let dropped = queue.count - head
    queue.removeAll()
    head = 0
    unfinished -= dropped
    cond.broadcast()
    cond.unlock()
  }

  /// Waits until no job is running or queued.
  func waitIdle() {
    cond.lock()
    while unfinished > 0 { cond.wait() }
    cond.unlock()
  }

  /// Lets the workers exit once the queue is empty.
  func close() {
    cond.lock()
    closed = true
    cond.broadcast()
    cond.unlock()
  }

  private func workLoop() {
    while true {
      cond.lock()
      while head >= queue.count && !closed { cond.wait() }
      if head >= queue.count {
        cond.unlock()
        return
      }
      let job = queue[head]
      head += 1
      if head > 1024 && head * 2 > queue.count {
        queue.removeFirst(head)
        head = 0
      }
      cond.unlock()
      let r = run(job)
      cond.lock()
      results[job.key] = r
      unfinished -= 1
      finishedCount += 1
      cond.broadcast()
      cond.unlock()
    }
  }
}
