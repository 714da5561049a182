import VCore

/// Where one of VLMEvalKit's datasets comes from and how its `prepare_dataset` turns the
/// downloaded repo into `{root}/{name}.tsv` plus media; declared by its family in the registry.
public struct DatasetSource: Sendable {
  /// VLMEvalKit's dataset name (`MVBench`): what `vdata fetch` accepts, and the TSV's name
  /// unless `tsvName` says otherwise.
  public let name: String
  /// The TSV's base name without `.tsv` when it is not `name` (Q-Bench-Video's
  /// `qbenchvideo_single_MCQ`, AV-SpeakerBench's `test`).
  public let tsvName: String
  /// The Hugging Face dataset repo (`OpenGVLab/MVBench`).
  public let repo: String
  /// The revision VLMEvalKit downloads (`main`; MVBench_MP4: `video`).
  public let revision: String
  /// The repo files to download (`snapshot_download`'s `allow_patterns`); nil: all.
  public let include: (@Sendable (String) -> Bool)?
  public let preparation: any DatasetPreparation
  /// The dataset root inside the snapshot when it is not the snapshot itself (DSR-Bench's
  /// `raw_data/dsr-bench`).
  public let rootFolder: String?
  /// A TSV VLMEvalKit downloads on its own (`prepare_tsv(url)`, a `resolve/main` URL of another
  /// repo: the EASI families' `lmms-lab-si/EASI-Leaderboard-Data`): fetched into the hub cache
  /// too, and copied to `tsvPath` after the preparation's steps.
  public let tsvFile: HubFile?

  public init(
    name: String, repo: String, revision: String = "main", include: (@Sendable (String) -> Bool)? = nil,
    tsvName: String? = nil, rootFolder: String? = nil, tsvFile: HubFile? = nil, preparation: any DatasetPreparation
  ) {
    self.name = name
    self.tsvName = tsvName ?? name
    self.repo = repo
    self.revision = revision
    self.include = include
    self.rootFolder = rootFolder
    self.tsvFile = tsvFile
    self.preparation = preparation
  }

  /// The dataset root for a snapshot folder: the snapshot, or `rootFolder` inside it.
  public func datasetRoot(snapshot: String) -> String { rootFolder.map { Tree.join(snapshot, $0) } ?? snapshot }

  /// `{dataset root}/{tsvName}.tsv` for the snapshot folder `root`.
  public func tsvPath(root: String) -> String { Tree.join(datasetRoot(snapshot: root), tsvName + ".tsv") }

  /// The prepared dataset root in `cache` (in the snapshot of `revision`, else of the source's
  /// own), nil when it is not there or not prepared. Asks nothing of the network.
  public func preparedRoot(in cache: HubCache, revision: String? = nil) -> String? {
    guard let root = cache.snapshotFolder(repo, revision: revision ?? self.revision) else { return nil }
    return preparation.isPrepared(self, root: root) ? datasetRoot(snapshot: root) : nil
  }
}

/// One file of a hub repo at a revision.
public struct HubFile: Sendable, Equatable {
  public let repo: String
  public let revision: String
  public let path: String

  public init(repo: String, revision: String = "main", path: String) {
    self.repo = repo
    self.revision = revision
    self.path = path
  }
}

/// A family's `prepare_dataset` after the download: its integrity check and its steps.
public protocol DatasetPreparation: Sendable {
  /// VLMEvalKit's `check_integrity` without the MD5 (vtools writes the same bytes, and a repo
  /// update changes them): the TSV is there and every media file it names exists. `root` is
  /// the snapshot folder (see `DatasetSource.datasetRoot`).
  func isPrepared(_ source: DatasetSource, root: String) -> Bool
  /// The steps, each atomic: extraction through a staging folder, the TSV written last, so a
  /// killed preparation never looks done and a rerun finishes it.
  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError)
}

/// The integrity check most families share: the TSV exists and every row's media path (made
/// from its cells) exists under the root.
public struct TSVIntegrity: Sendable {
  public let mediaPath: @Sendable ([String: String]) -> String?

  public init(mediaPath: @escaping @Sendable ([String: String]) -> String?) { self.mediaPath = mediaPath }

  public func holds(tsv: String, root: String) -> Bool {
    guard Tree.exists(tsv), let reader = try? ByteReader(path: tsv), let t = try? TSVReader(reader) else { return false }
    let header = t.header
    do {
      while let (_, cells) = try t.next() {
        let dict = Dictionary(zip(header, cells), uniquingKeysWith: { a, _ in a })
        if let p = mediaPath(dict), !Tree.exists(Tree.join(root, p)) { return false }
      }
      return true
    } catch { return false }
  }
}

/// Reading the repo's JSON files for a preparation.
public enum SourceFiles {
  /// The parsed JSON file at `root/path`, or a located error.
  public static func json(_ root: String, _ path: String) throws(DataError) -> JSONValue {
    let full = Tree.join(root, path)
    guard let bytes = Tree.read(full) else { throw .missing(path: full, hint: "the repo has no such file at this revision") }
    do { return try JSONParser.parse(bytes) } catch { throw .badSource(path: full, reason: "not JSON: \(error)") }
  }
}
