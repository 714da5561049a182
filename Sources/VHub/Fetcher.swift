import Foundation
import VCore
import VData

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `vdata fetch` needs besides the names.
public struct FetchOptions: Sendable {
  public var cache: HubCache
  /// Overrides each dataset's own revision (`main`, MVBench_MP4's `video`).
  public var revision: String?
  public var jobs: Int
  public var progress: Bool
  /// `HF_HUB_OFFLINE=1`: use the cache only.
  public var offline: Bool

  public init(cache: HubCache, revision: String? = nil, jobs: Int = 8, progress: Bool = false, offline: Bool = false) {
    self.cache = cache
    self.revision = revision
    self.jobs = jobs
    self.progress = progress
    self.offline = offline
  }
}

/// What one fetch did.
public struct FetchResult: Sendable {
  public var root: String
  public var downloaded = 0
  public var reused = 0
  public var bytes: Int64 = 0
  /// Whether it prepared the dataset now (false: it was prepared already, nothing was asked).
  public var prepared = false
}

/// Gets a dataset into the cache and prepares it: nothing is asked of the hub when the
/// prepared dataset is here; else the revision's commit and file list, the files not here yet
/// (`jobs` at a time), the ref, then the family's preparation. Holds a lock on the repo's cache
/// folder throughout, so two fetches of one dataset wait for each other.
public struct Fetcher: Sendable {
  public let client: HubClient?
  public let options: FetchOptions
  public let diag: Diagnostics

  public init(client: HubClient?, options: FetchOptions, diag: Diagnostics) {
    self.client = client
    self.options = options
    self.diag = diag
  }

  /// The prepared root of `source` when it is here, with no request.
  public func preparedRoot(_ source: DatasetSource) -> String? { source.preparedRoot(in: options.cache, revision: options.revision) }

  public func fetch(_ source: DatasetSource) async throws -> FetchResult {
    if let root = preparedRoot(source) { return FetchResult(root: root) }
    let cache = options.cache
    let revision = options.revision ?? source.revision
    let lock: Int32
    do { lock = try Self.lock(cache.repoFolder(source.repo)) } catch { throw HubError.storage(error) }
    defer { close(lock) }
    if let root = preparedRoot(source) { return FetchResult(root: root) }  // another fetch finished it

    var result = try await snapshot(source, revision: revision)
    var tsvCopy: String?
    if let f = source.tsvFile {
      // The TSV's repo (often the leaderboard's, not the media's): only that file of it.
      let tsvSource = DatasetSource(name: source.name, repo: f.repo, revision: f.revision, include: { $0 == f.path }, preparation: NoPreparation())
      let got = try await snapshot(tsvSource, revision: f.revision)
      result.downloaded += got.downloaded
      result.reused += got.reused
      result.bytes += got.bytes
      tsvCopy = Tree.join(got.root, f.path)
    }
    let snapshotRoot = result.root
    let started = FileIO.monotonicSeconds()
    do throws(DataError) {
      try source.preparation.prepare(source, root: snapshotRoot, diag: diag)
      if let tsvCopy {
        guard let bytes = Tree.read(tsvCopy) else { throw .missing(path: tsvCopy, hint: "the repo has no such file at this revision") }
        try Tree.writeAtomically(source.tsvPath(root: snapshotRoot), bytes)
      }
    } catch { throw HubError.storage(error) }
    guard source.preparation.isPrepared(source, root: snapshotRoot) else {
      throw HubError.storage(.missing(path: source.tsvPath(root: snapshotRoot), hint: "prepared, but it names media that are not there"))
    }
    result.root = source.datasetRoot(snapshot: snapshotRoot)
    result.prepared = true
    diag.verbose("\(source.name): prepared in \(Self.duration(FileIO.monotonicSeconds() - started))")
    return result
  }

  /// The snapshot folder of `source` at `revision`: downloaded (what is missing), or, offline,
  /// the one in the cache.
  private func snapshot(_ source: DatasetSource, revision: String) async throws -> FetchResult {
    if options.offline || client == nil {
      guard let root = options.cache.snapshotFolder(source.repo, revision: revision) else {
        throw HubError.unreachable(
          endpoint: "the hub", reason: "offline (HF_HUB_OFFLINE) and \(source.repo)@\(revision) is not in \(options.cache.root)")
      }
      return FetchResult(root: root)
    }
    return try await download(source, revision: revision)
  }

  private func download(_ source: DatasetSource, revision: String) async throws -> FetchResult {
    guard let client else { throw HubError.unreachable(endpoint: "the hub", reason: "no client") }
    let cache = options.cache
    let repo = source.repo
    let commit = try await client.commit(repo: repo, revision: revision)
    var files = try await client.files(repo: repo, commit: commit)
    if let include = source.include { files = files.filter { include($0.path) } }
    let snapshot = cache.snapshot(repo, commit: commit)
    var result = FetchResult(root: snapshot)
    var todo: [RepoFile] = []
    for f in files {
      if Tree.exists(Tree.join(snapshot, f.path)) { result.reused += 1 } else { todo.append(f) }
    }
    let total = todo.reduce(Int64(0)) { $0 + $1.size }
    let counter = TransferCounter()
    let started = FileIO.monotonicSeconds()
    let show = options.progress && !todo.isEmpty
    let name = source.name
    let count = todo.count
    let progressTask: Task<Void, Never>? =
      show
      ? Task {
        while !Task.isCancelled {
          Terminal.drawProgress(Self.progressLine(name, counter, count, total, started))
          try? await Task.sleep(nanoseconds: 500_000_000)
        }
      } : nil
    defer {
      progressTask?.cancel()
      if show { Terminal.clearProgressLine() }
    }
    // Files with the same content (one etag) are downloaded once and linked from every path.
    var groups: [[RepoFile]] = []
    var groupOf: [String: Int] = [:]
    for f in todo {
      if let g = groupOf[f.etag] {
        groups[g].append(f)
      } else {
        groupOf[f.etag] = groups.count
        groups.append([f])
      }
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      var next = 0
      func start() {
        let same = groups[next]
        next += 1
        group.addTask {
          let first = same[0]
          let meta = try await client.metadata(repo: repo, commit: commit, path: first.path)
          if !Tree.exists(cache.blob(repo, etag: meta.etag)) {
            try await client.download(repo: repo, path: first.path, metadata: meta, expectedSize: first.size, cache: cache, counter: counter)
          }
          for f in same {
            do throws(DataError) { try cache.link(repo, commit: commit, path: f.path, etag: meta.etag) } catch { throw HubError.storage(error) }
            counter.fileDone()
          }
        }
      }
      while next < groups.count && next < max(1, options.jobs) { start() }
      while try await group.next() != nil {
        if next < groups.count { start() }
      }
    }
    do { try cache.writeRef(repo, revision: revision, commit: commit) } catch { throw HubError.storage(error) }
    result.downloaded = todo.count
    result.bytes = counter.bytes
    if !todo.isEmpty {
      let secs = FileIO.monotonicSeconds() - started
      diag.note(
        "\(source.name): \(todo.count) files (\(Self.bytes(counter.bytes))) downloaded in \(Self.duration(secs))"
          + " (\(Self.bytes(Int64(Double(counter.bytes) / max(secs, 0.001))))/s)" + (result.reused > 0 ? ", \(result.reused) already here" : ""))
    }
    return result
  }

  static func progressLine(_ name: String, _ c: TransferCounter, _ files: Int, _ total: Int64, _ started: Double) -> String {
    let secs = max(0.001, FileIO.monotonicSeconds() - started)
    let done = c.bytes
    let rate = Double(done) / secs
    let eta = rate > 0 && total > done ? Self.duration(Double(total - done) / rate) : "-"
    return "vdata: \(name): \(c.files)/\(files) files, \(Self.bytes(done)) of \(Self.bytes(total)), \(Self.bytes(Int64(rate)))/s, ETA \(eta)"
  }

  /// `1.2 GB`, `340 kB` (decimal units, as the hub shows sizes).
  public static func bytes(_ n: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var v = Double(n)
    var i = 0
    while v >= 1000 && i < units.count - 1 {
      v /= 1000
      i += 1
    }
    return i == 0 ? "\(n) B" : String(format: v < 10 ? "%.1f" : "%.0f", v) + " " + units[i]
  }

  static func duration(_ s: Double) -> String {
    let t = Int(s.rounded())
    if t < 60 { return "\(t) s" }
    return t < 3600 ? String(format: "%d:%02d", t / 60, t % 60) : String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
  }

  /// The preparation of a TSV-only download (the TSV's own repo is not prepared).
  struct NoPreparation: DatasetPreparation {
    func isPrepared(_ source: DatasetSource, root: String) -> Bool { true }
    func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {}
  }

  /// An exclusive lock on `{folder}/.vdata.lock` (the folder is made when missing).
  static func lock(_ folder: String) throws(DataError) -> Int32 {
    try Tree.makeDirectories(folder)
    let path = Tree.join(folder, ".vdata.lock")
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    if fd < 0 { throw .io(path: path, errno: errno) }
    while flock(fd, LOCK_EX) != 0 {
      if errno != EINTR {
        let e = errno
        close(fd)
        throw .io(path: path, errno: e)
      }
    }
    return fd
  }
}
