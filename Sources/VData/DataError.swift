import VCore

/// Why a dataset could not be prepared; every case names the file (and the entry) concerned.
public enum DataError: ToolError, Equatable {
  /// libarchive could not read an archive or one of its entries (truncated, corrupt, unsupported).
  case corrupt(archive: String, entry: String?, reason: String)
  /// An archive entry whose name or link target would land outside the extraction root
  /// (`../`, an absolute path, a symlink out of the root, a write through a symlink).
  case escapes(archive: String, entry: String, reason: String)
  /// Writing failed (disk full, permissions).
  case io(path: String, errno: Int32)
  /// A file the preparation reads is not in the downloaded repo.
  case missing(path: String, hint: String)
  /// A file the preparation reads is malformed (bad JSON, a field of the wrong type).
  case badSource(path: String, reason: String)
  /// An optional helper (python3 with a package) is needed and missing.
  case helperMissing(what: String, install: String)

  public var exitStatus: ExitStatus {
    switch self {
    case .corrupt, .escapes, .badSource: return .dataError
    case .io: return .ioError
    case .missing: return .noInput
    case .helperMissing: return .config
    }
  }

  public var description: String {
    switch self {
    case .corrupt(let a, let e, let r): return "\(a)\(e.map { ": entry '\($0)'" } ?? ""): cannot extract: \(r)"
    case .escapes(let a, let e, let r): return "\(a): entry '\(e)' refused: \(r)"
    case .io(let p, let e): return "cannot write '\(p)': \(FileIO.describe(errno: e))"
    case .missing(let p, let h): return "'\(p)' is missing\(h.isEmpty ? "" : ": \(h)")"
    case .badSource(let p, let r): return "\(p): \(r)"
    case .helperMissing(let w, let i): return "\(w) is needed to read this dataset; install it with: \(i)"
    }
  }
}
