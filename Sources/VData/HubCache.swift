import VCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The Hugging Face hub cache as `huggingface_hub` lays it out, so that vdata, `huggingface_hub`
/// and VLMEvalKit share one copy of each file:
///
///     {root}/datasets--{org}--{name}/blobs/{etag}                the file's bytes
///     {root}/datasets--{org}--{name}/blobs/{etag}.incomplete     a download in progress
///     {root}/datasets--{org}--{name}/snapshots/{commit}/{path}   relative link to ../../blobs/{etag}
///     {root}/datasets--{org}--{name}/refs/{revision}             the 40-hex commit, no newline
///
/// VLMEvalKit prepares a dataset inside its snapshot folder, so the snapshot is the dataset root.
public struct HubCache: Sendable {
  public let root: String

  public init(root: String) { self.root = root }

  /// The cache folder `huggingface_hub` uses: `$HF_HUB_CACHE`, else `$HUGGINGFACE_HUB_CACHE`,
  /// else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`.
  public static func defaultRoot(environment env: [String: String]) -> String {
    if let c = env["HF_HUB_CACHE"], !c.isEmpty { return expandTilde(c, env) }
    if let c = env["HUGGINGFACE_HUB_CACHE"], !c.isEmpty { return expandTilde(c, env) }
    if let h = env["HF_HOME"], !h.isEmpty { return Tree.join(expandTilde(h, env), "hub") }
    if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return Tree.join(expandTilde(x, env), "huggingface/hub") }
    return Tree.join(env["HOME"] ?? "/root", ".cache/huggingface/hub")
  }

  /// Where VLMEvalKit's `get_cache_path` looks (its `HFCacheRoot`), which differs from
  /// `huggingface_hub` when a variable names a folder that does not exist (then ignored) or one
  /// that does not end in `hub` (then `/hub` is appended); nil when it agrees with `root`.
  public static func vlmevalkitRoot(environment env: [String: String]) -> String {
    for name in ["HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME"] {
      if let v = env[name], Tree.exists(v) { return Tree.baseName(v) == "hub" ? v : Tree.join(v, "hub") }
    }
    return Tree.join(env["HOME"] ?? "/root", ".cache/huggingface/hub")
  }

  private static func expandTilde(_ p: String, _ env: [String: String]) -> String {
    p == "~" || p.hasPrefix("~/") ? (env["HOME"] ?? "") + p.dropFirst() : p
  }

  /// `datasets--org--name`.
  public func repoFolder(_ repo: String) -> String {
    Tree.join(root, "datasets--" + repo.replacingOccurrences(of: "/", with: "--"))
  }

  public func blobsFolder(_ repo: String) -> String { Tree.join(repoFolder(repo), "blobs") }
  public func blob(_ repo: String, etag: String) -> String { Tree.join(blobsFolder(repo), etag) }
  public func snapshot(_ repo: String, commit: String) -> String { Tree.join(repoFolder(repo), "snapshots/" + commit) }

  /// A full commit hash.
  public static func isCommitHash(_ s: String) -> Bool {
    s.utf8.count == 40 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
  }

  /// The commit a revision names here: itself when it is a commit hash with a snapshot, else the
  /// content of `refs/{revision}`; nil when the cache does not know it.
  public func commit(_ repo: String, revision: String) -> String? {
    if Self.isCommitHash(revision) { return Tree.isDirectory(snapshot(repo, commit: revision)) ? revision : nil }
    guard let bytes = Tree.read(Tree.join(repoFolder(repo), "refs/" + revision)) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return Self.isCommitHash(text) ? text : nil
  }

  /// The snapshot folder of a revision, when the cache has it.
  public func snapshotFolder(_ repo: String, revision: String) -> String? {
    guard let c = commit(repo, revision: revision) else { return nil }
    let s = snapshot(repo, commit: c)
    return Tree.isDirectory(s) ? s : nil
  }

  /// Writes `refs/{revision}`: exactly the 40-hex commit, no newline (what `huggingface_hub`
  /// writes and reads back byte for byte).
  public func writeRef(_ repo: String, revision: String, commit: String) throws(DataError) {
    guard !Self.isCommitHash(revision) else { return }
    let path = Tree.join(repoFolder(repo), "refs/" + revision)
    try Tree.makeDirectories(Tree.parent(path))
    if Tree.read(path) == Array(commit.utf8) { return }
    try Tree.writeAtomically(path, Array(commit.utf8))
  }

  /// Points `snapshots/{commit}/{path}` at `blobs/{etag}` with a relative link, made under a
  /// temporary name and renamed into place.
  public func link(_ repo: String, commit: String, path: String, etag: String) throws(DataError) {
    let dest = Tree.join(snapshot(repo, commit: commit), path)
    try Tree.makeDirectories(Tree.parent(dest))
    let depth = path.split(separator: "/").count + 1
    let target = String(repeating: "../", count: depth) + "blobs/" + etag
    let tmp = dest + ".vdata-link-\(getpid())"
    unlink(tmp)
    if symlink(target, tmp) != 0 { throw .io(path: dest, errno: errno) }
    if rename(tmp, dest) != 0 {
      let e = errno
      unlink(tmp)
      throw .io(path: dest, errno: e)
    }
  }

  /// The total size of the blobs of a repo (what `vdata list` shows), 0 when it is not here.
  public func size(_ repo: String) -> Int64 {
    Tree.list(blobsFolder(repo)).reduce(0) { $0 + (Tree.fileSize(Tree.join(blobsFolder(repo), $1)) ?? 0) }
  }
}
