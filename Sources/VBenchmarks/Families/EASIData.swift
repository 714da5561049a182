import VCore
import VData

// How VLMEvalKit's EASI spatial classes get their data (STI-Bench, DSR-Bench, and the others
// of `lmms-lab-si/EASI-Leaderboard-Data`): `prepare_tsv(url)` downloads the TSV from the EASI
// leaderboard repo (`resolve/main/{file}`) into `$LMUData/{dataset}.tsv`, and a `download_*`
// step snapshots the media repo and unzips every `*.zip` of one folder in place, then writes a
// sentinel file. vdata fetches the TSV into the hub cache too (`DatasetSource.tsvFile`) and
// copies it into the dataset root, where vframes and vmerge take it from.

/// The EASI leaderboard repo that holds every EASI TSV (and DSR-Bench's videos).
enum EASIData {
  static let leaderboard = "lmms-lab-si/EASI-Leaderboard-Data"

  /// A source whose TSV is the leaderboard's `tsvFile` and whose media are `repo`'s zips.
  static func source(
    _ name: String, tsvFile: String, repo: String, include: (@Sendable (String) -> Bool)? = nil, rootFolder: String? = nil,
    preparation: EASIPreparation
  ) -> DatasetSource {
    DatasetSource(
      name: name, repo: repo, include: include, rootFolder: rootFolder, tsvFile: HubFile(repo: leaderboard, path: tsvFile),
      preparation: preparation)
  }
}

/// The `download_*` step of an EASI class: every `*.zip` directly in `zipFolder` (sorted by
/// name; only those `zips` accepts: VSI-SUPER's one duration), each file entry written to
/// `{zipFolder}/{its path}` (replacing a file of that name, as upstream's loop does; `..` or
/// absolute entries refused), then `sentinel` (text `done`) in `zipFolder`. Skipped when the
/// sentinel is there, as upstream. Prepared: the sentinel, the TSV and the media path each row
/// names under the dataset root (`media`: the `video` cell; nil checks none).
struct EASIPreparation: DatasetPreparation {
  /// `.stibench_extracted`, `.dsrbench_extracted`, ...
  let sentinel: String
  /// The folder of the zips, relative to the snapshot ("" for the root).
  var zipFolder = ""
  var zips: @Sendable (String) -> Bool = { _ in true }
  var media: (@Sendable ([String: String]) -> String?)? = { $0["video"] }

  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    let tsv = source.tsvPath(root: root)
    guard Tree.exists(Tree.join(Tree.join(root, zipFolder), sentinel)), Tree.exists(tsv) else { return false }
    return media.map { TSVIntegrity(mediaPath: $0).holds(tsv: tsv, root: source.datasetRoot(snapshot: root)) } ?? true
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    let folder = zipFolder.isEmpty ? root : Tree.join(root, zipFolder)
    let mark = Tree.join(folder, sentinel)
    if Tree.exists(mark) { return }
    ArchiveExtractor.removeStaleStaging(in: folder)
    for zip in Tree.list(folder) where zip.hasSuffix(".zip") && zips(zip) && !Tree.isDirectory(Tree.join(folder, zip)) {
      diag.verbose("extracting \(zip)")
      try ArchiveExtractor.extract(Tree.join(folder, zip), into: folder)
    }
    try Tree.writeAtomically(mark, Array("done".utf8))
  }
}
