import VCore
import VData

/// Why a download from the hub failed; each case names the repo (and the file).
public enum HubError: ToolError, Equatable {
  /// The endpoint cannot be reached (no network, DNS, refused), after the retries.
  case unreachable(endpoint: String, reason: String)
  /// The repo does not exist (or is private and the token does not open it).
  case repoNotFound(repo: String)
  /// The repo exists but has no such branch, tag or commit.
  case revisionNotFound(repo: String, revision: String)
  /// A gated or private repo: the hub answered 401/403 at `resolve`.
  case gated(repo: String, path: String, status: Int, hasToken: Bool)
  /// The repo lists a file that `resolve` does not have.
  case entryNotFound(repo: String, path: String)
  /// Any other answer the hub should not give, after the retries.
  case http(url: String, status: Int, body: String)
  /// The downloaded bytes do not match the hub's size or hash, twice.
  case verification(repo: String, path: String, reason: String)
  /// Writing the cache failed.
  case storage(DataError)

  public var exitStatus: ExitStatus {
    switch self {
    case .unreachable, .http: return .unavailable
    case .repoNotFound, .revisionNotFound, .entryNotFound: return .noInput
    case .gated: return .config
    case .verification: return .dataError
    case .storage(let e): return e.exitStatus
    }
  }

  public var description: String {
    switch self {
    case .unreachable(let ep, let r): return "cannot reach \(ep): \(r) (no network? set --endpoint or HF_ENDPOINT for a mirror)"
    case .repoNotFound(let r): return "dataset repo '\(r)' not found on the hub (or it is private and HF_TOKEN does not open it)"
    case .revisionNotFound(let r, let rev): return "dataset repo '\(r)' has no revision '\(rev)'"
    case .gated(let r, let p, let s, let hasToken):
      return hasToken
        ? "\(r): '\(p)': access refused (\(s)) with the token in HF_TOKEN; accept the dataset's terms at its hub page with that account"
        : "\(r): '\(p)': access refused (\(s)): the dataset is gated; accept its terms on the hub and set HF_TOKEN to a token of that account"
    case .entryNotFound(let r, let p): return "\(r): '\(p)' is listed but the hub has no such file"
    case .http(let u, let s, let b): return "\(u): HTTP \(s)\(b.isEmpty ? "" : ": \(b)")"
    case .verification(let r, let p, let why): return "\(r): '\(p)': \(why) (downloaded twice; not kept)"
    case .storage(let e): return e.description
    }
  }
}
