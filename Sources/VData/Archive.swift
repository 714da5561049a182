import CArchive
import VCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Extracts zip and tar archives (any compression libarchive reads) through libarchive, the only
/// importer of `CArchive`. Entries are written into a staging folder next to the target, then
/// moved over it, so a killed extraction never leaves a partial file where a finished one is
/// expected; entries that would escape the root are refused before anything is written.
public enum ArchiveExtractor {
  /// What one extraction wrote.
  public struct Stats: Sendable, Equatable {
    public var files = 0
    public var bytes: Int64 = 0
  }

  /// How entry names map to paths under the target.
  public enum Layout: Sendable {
    /// The archive's own tree (Python's `ZipFile.extractall`).
    case tree
    /// Every regular file at the top of the target under its base name; folders dropped
    /// (Video-MME's `os.path.basename(member)` loop). A later entry of the same name wins.
    case flatten
    /// Every regular file at `{first folder}/{base name}`, or at the top when the entry has no
    /// folder; other folders dropped; an earlier entry of the same path wins (AV-SpeakerBench's
    /// loop, which skips a target that exists).
    case firstFolder
  }

  /// Extracts `archive` into the folder `target` (created if missing); existing files of the same
  /// names are replaced, others kept.
  @discardableResult
  public static func extract(_ archive: String, into target: String, layout: Layout = .tree) throws(DataError) -> Stats {
    try Tree.makeDirectories(target)
    let staging = Tree.join(target, ".vdata-extract-\(Tree.baseName(archive))-\(getpid())")
    Tree.removeTree(staging)
    try Tree.makeDirectories(staging)
    defer { Tree.removeTree(staging) }
    let stats = try read(archive, into: staging, layout: layout)
    try Tree.mergeMove(from: staging, into: target)
    return stats
  }

  /// VLMEvalKit's "extract only when the folder is not there" steps (Video-MME's `video/` and
  /// `subtitle/`), made atomic: the archives are extracted into `{folder}.vdata-partial` and that
  /// is renamed to `folder` at the end, so a `folder` that exists is complete. Returns false when
  /// `folder` was there already (nothing done).
  @discardableResult
  public static func extractOnce(_ archives: [String], intoNew folder: String, layout: Layout = .tree) throws(DataError) -> Bool {
    if Tree.exists(folder) { return false }
    let staging = folder + ".vdata-partial"
    Tree.removeTree(staging)
    for a in archives { try extract(a, into: staging, layout: layout) }
    try Tree.makeDirectories(staging)
    try Tree.rename(staging, folder)
    return true
  }

  /// Python's loop over `namelist()` that writes each file whose name does not contain `skip` at
  /// the top of `target` under its base name (MVU-Eval's and DREAM-1K's `__MACOSX` filter): the
  /// archive's tree is extracted into a staging folder in `target`, then each file is renamed
  /// into place in path order (a later one of the same base name wins).
  public static func extractFlat(_ archive: String, into target: String, skippingNamesContaining skip: String) throws(DataError) {
    let staging = Tree.join(target, ".vdata-extract-flat-\(Tree.baseName(archive))")
    Tree.removeTree(staging)
    defer { Tree.removeTree(staging) }
    try extract(archive, into: staging)
    for rel in Tree.files(under: staging) where !rel.contains(skip) {
      try Tree.rename(Tree.join(staging, rel), Tree.join(target, Tree.baseName(rel)))
    }
  }

  /// Removes staging folders an earlier, killed extraction left in `target`.
  public static func removeStaleStaging(in target: String) {
    for name in Tree.list(target) where name.hasPrefix(".vdata-extract-") { Tree.removeTree(Tree.join(target, name)) }
  }

  /// The lexical, normalised relative path of an entry name, or why it is refused.
  static func safeRelativePath(_ name: String) -> Result<[String], Refusal> {
    if name.hasPrefix("/") { return .failure(Refusal("an absolute path")) }
    var parts: [String] = []
    for part in name.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
      switch part {
      case ".": continue
      case "..": return .failure(Refusal("a '..' component leaves the extraction root"))
      default: parts.append(part)
      }
    }
    return .success(parts)
  }

  struct Refusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
  }

  /// A symlink target is accepted when it is relative and has no `..` component: it then
  /// resolves inside the folder of its link whatever other links the archive holds.
  static func symlinkTargetIsSafe(_ target: String) -> Bool {
    !target.isEmpty && !target.hasPrefix("/") && !target.split(separator: "/").contains("..")
  }

  private static let typeMask: UInt32 = 0o170000
  private static let regular: UInt32 = 0o100000
  private static let directory: UInt32 = 0o040000
  private static let symlink: UInt32 = 0o120000

  private static func read(_ archive: String, into root: String, layout: Layout) throws(DataError) -> Stats {
    guard let a = archive_read_new() else { throw .corrupt(archive: archive, entry: nil, reason: "out of memory") }
    defer { archive_read_free(a) }
    archive_read_support_format_zip(a)
    archive_read_support_format_tar(a)
    archive_read_support_format_gnutar(a)
    archive_read_support_filter_all(a)
    func reason() -> String { archive_error_string(a).map { String(cString: $0) } ?? "unknown error" }
    if archive_read_open_filename(a, archive, 1 << 16) != ARCHIVE_OK {
      throw .corrupt(archive: archive, entry: nil, reason: reason())
    }
    var stats = Stats()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      var entry: OpaquePointer?
      let r = archive_read_next_header(a, &entry)
      if r == ARCHIVE_EOF { break }
      guard r == ARCHIVE_OK || r == ARCHIVE_WARN, let entry else {
        throw .corrupt(archive: archive, entry: nil, reason: reason())
      }
      let name = (archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)).map { String(cString: $0) } ?? ""
      let parts: [String]
      switch safeRelativePath(name) {
      case .success(let p): parts = p
      case .failure(let why): throw .escapes(archive: archive, entry: name, reason: why.reason)
      }
      let type = UInt32(archive_entry_filetype(entry)) & typeMask
      if parts.isEmpty { continue }
      if let hard = archive_entry_hardlink(entry).map({ String(cString: $0) }) {
        guard case .success(let targetParts) = safeRelativePath(hard), !targetParts.isEmpty else {
          throw .escapes(archive: archive, entry: name, reason: "a hard link to '\(hard)' outside the extraction root")
        }
        if layout != .tree { continue }
        let dest = try prepareParent(root, parts, archive: archive, entry: name)
        unlink(dest)
        if link(Tree.join(root, targetParts.joined(separator: "/")), dest) != 0 { throw .io(path: dest, errno: errno) }
        continue
      }
      switch type {
      case directory:
        if layout == .tree { try Tree.makeDirectories(try prepareParent(root, parts, archive: archive, entry: name)) }
      case symlink:
        let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
        guard symlinkTargetIsSafe(target) else {
          throw .escapes(archive: archive, entry: name, reason: "a symbolic link to '\(target)' may leave the extraction root")
        }
        if layout != .tree { continue }
        let dest = try prepareParent(root, parts, archive: archive, entry: name)
        unlink(dest)
        if Glibc.symlink(target, dest) != 0 { throw .io(path: dest, errno: errno) }
      case regular, 0:
        let dest: String
        switch layout {
        case .tree: dest = try prepareParent(root, parts, archive: archive, entry: name)
        case .flatten: dest = Tree.join(root, parts.last!)
        case .firstFolder:
          let short = parts.count > 1 ? [parts[0], parts.last!] : parts
          dest = try prepareParent(root, short, archive: archive, entry: name)
          if Tree.exists(dest) || Tree.isSymlink(dest) { continue }
        }
        if layout == .flatten && Tree.isSymlink(dest) { unlink(dest) }
        let fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw .io(path: dest, errno: errno) }
        var failure: DataError?
        while true {
          let n = buffer.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
          if n == 0 { break }
          if n < 0 {
            failure = .corrupt(archive: archive, entry: name, reason: reason())
            break
          }
          let e = FileIO.writeAll(fd: fd, Array(buffer[0..<n]))
          if e != 0 {
            failure = .io(path: dest, errno: e)
            break
          }
          stats.bytes += Int64(n)
        }
        if close(fd) != 0 && failure == nil { failure = .io(path: dest, errno: errno) }
        if let failure { throw failure }
        stats.files += 1
      default:
        // Devices, fifos and sockets have no place in a dataset: skipped.
        continue
      }
    }
    return stats
  }

  /// Creates the parent folders of `parts` under `root` (refusing to go through a symbolic
  /// link) and returns the entry's full path.
  private static func prepareParent(_ root: String, _ parts: [String], archive: String, entry: String) throws(DataError) -> String {
    var path = root
    for part in parts.dropLast() {
      path = Tree.join(path, part)
      if Tree.isSymlink(path) {
        throw .escapes(archive: archive, entry: entry, reason: "it would be written through the symbolic link '\(part)'")
      }
      if !Tree.isDirectory(path) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .io(path: path, errno: errno) }
      }
    }
    return Tree.join(path, parts.last!)
  }
}
