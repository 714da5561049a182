import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import VCore
import VData

/// One file of a repo at a commit, as the tree API lists it.
public struct RepoFile: Sendable, Equatable {
  public var path: String
  public var size: Int64
  /// The git blob id (the `ETag` of a small file).
  public var oid: String
  /// The LFS sha256 (the `X-Linked-Etag` of a large file), nil for a small file.
  public var lfsSHA256: String?
  /// The blob name in the cache: the sha256 for LFS files, else the git blob id.
  public var etag: String { lfsSHA256 ?? oid }
}

/// What `HEAD .../resolve/{commit}/{path}` says about a file (`huggingface_hub`'s
/// `get_hf_file_metadata`): its commit, its etag (`X-Linked-Etag` before `ETag`), its size
/// (`X-Linked-Size` before `Content-Length`) and where its bytes are (the redirect's target
/// for LFS files, which lives on another host).
struct FileMetadata: Sendable {
  var commit: String?
  var etag: String
  var size: Int64?
  var location: String
}

/// The hub's HTTP API as `huggingface_hub` uses it, over AsyncHTTPClient: revision info, the
/// paged tree, `resolve` with its redirects, ranged downloads into the cache.
public final class HubClient: Sendable {
  public let endpoint: String
  let token: String?
  let client: HTTPClient
  let endpointHost: String
  /// Attempts per request before a connection failure or a 5xx is final.
  let attempts: Int
  /// Seconds before the second attempt (doubled after each).
  let backoff: Double

  public init(endpoint: String, token: String?, attempts: Int = 5, backoff: Double = 1) throws(HubError) {
    var ep = endpoint
    while ep.hasSuffix("/") { ep.removeLast() }
    guard let u = URL(string: ep), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = u.host, !host.isEmpty
    else { throw .unreachable(endpoint: endpoint, reason: "not an http:// or https:// URL") }
    self.endpoint = ep
    self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    endpointHost = host.lowercased() + ":" + String(u.port ?? (scheme == "https" ? 443 : 80))
    self.attempts = max(1, attempts)
    self.backoff = backoff
    var config = HTTPClient.Configuration()
    // Redirects are followed by hand: relative ones (a renamed repo) with the token, the CDN's
    // without it.
    config.redirectConfiguration = .disallow
    // Small files may come gzip-encoded even when asked for identity.
    config.decompression = .enabled(limit: .none)
    config.timeout = .init(connect: .seconds(20), read: .seconds(60))
    config.connectionPool.retryConnectionEstablishment = false
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
  }

  public func shutdown() async { try? await client.shutdown() }

  // MARK: URLs

  /// Percent-encoding as `urllib.parse.quote` (`safe` kept).
  static func quote(_ s: String, safe: String = "/") -> String {
    var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
    allowed.insert(charactersIn: safe)
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
  }

  func revisionURL(_ repo: String, _ revision: String) -> String {
    "\(endpoint)/api/datasets/\(repo)/revision/\(Self.quote(revision, safe: ""))"
  }

  func treeURL(_ repo: String, _ commit: String) -> String {
    "\(endpoint)/api/datasets/\(repo)/tree/\(Self.quote(commit, safe: ""))?recursive=true&expand=false"
  }

  func resolveURL(_ repo: String, _ commit: String, _ path: String) -> String {
    "\(endpoint)/datasets/\(repo)/resolve/\(Self.quote(commit, safe: ""))/\(Self.quote(path))"
  }

  /// host:port of a URL, for the same-host test of redirects.
  static func hostKey(_ url: String) -> String? {
    guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), let host = u.host else { return nil }
    return host.lowercased() + ":" + String(u.port ?? (scheme == "https" ? 443 : 80))
  }

  func request(_ url: String, method: HTTPMethod = .GET, auth: Bool = true) -> HTTPClientRequest {
    var req = HTTPClientRequest(url: url)
    req.method = method
    req.headers.add(name: "User-Agent", value: "vtools-vdata/0.1.0")
    if auth, let token, Self.hostKey(url) == endpointHost { req.headers.add(name: "Authorization", value: "Bearer \(token)") }
    return req
  }

  // MARK: Requests with retries

  /// Runs `body` up to `attempts` times while it fails with a connection error or a retryable
  /// status; the last failure is thrown.
  func retrying<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
    var delay = backoff
    var attempt = 1
    while true {
      do {
        return try await body()
      } catch let e as Retryable {
        if attempt >= attempts { throw e.final }
      } catch let e as HubError {
        throw e
      } catch {
        if attempt >= attempts { throw HubError.unreachable(endpoint: endpoint, reason: Self.describe(error)) }
      }
      if Task.isCancelled || Interrupt.requested { throw StreamError.interrupted }
      try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
      delay *= 2
      attempt += 1
    }
  }

  /// A failure worth another attempt, with what to report when none is left.
  struct Retryable: Error {
    var final: HubError
  }

  static func describe(_ error: Error) -> String {
    let s = String(describing: error)
    if s.contains("connectTimeout") { return "connection timed out" }
    if s.contains("Connection refused") || s.contains("connectionRefused") || s.contains("ECONNREFUSED") { return "connection refused" }
    if s.contains("remoteConnectionClosed") { return "the server closed the connection" }
    return s
  }

  /// A request that got no answer: a refused connection or an unknown host is final at once
  /// (no network, a wrong endpoint); a timeout or a dropped connection is worth another attempt.
  static func connectionFailure(_ endpoint: String, _ error: Error) -> Error {
    let reason = describe(error)
    let final = HubError.unreachable(endpoint: endpoint, reason: reason)
    let s = String(describing: error)
    if reason == "connection refused" || s.contains("NXDOMAIN") || s.contains("unknownHost") || s.contains("Name or service not known")
      || s.contains("dnsResolution")
    {
      return final
    }
    return Retryable(final: final)
  }

  static func retryableStatus(_ code: UInt) -> Bool { code == 408 || code == 429 || code >= 500 }

  /// `GET` of a JSON document (revision info, a tree page): the body, the `Link` header.
  func getJSON(_ url: String, repo: String, revision: String) async throws -> (JSONValue, String?) {
    try await retrying(url) { [self] in
      let response: HTTPClientResponse
      do { response = try await client.execute(request(url), timeout: .seconds(120)) } catch {
        throw Self.connectionFailure(endpoint, error)
      }
      let body = try await response.body.collect(upTo: 256 << 20)
      let text = String(buffer: body)
      let code = response.status.code
      if code == 200 {
        guard let json = try? JSONParser.parse(text) else {
          throw HubError.http(url: url, status: Int(code), body: "not JSON: " + String(text.prefix(200)))
        }
        return (json, response.headers.first(name: "Link"))
      }
      let errorCode = response.headers.first(name: "X-Error-Code") ?? ""
      if code == 404 && errorCode == "RevisionNotFound" { throw HubError.revisionNotFound(repo: repo, revision: revision) }
      if code == 404 || code == 401 || code == 403 { throw HubError.repoNotFound(repo: repo) }
      let err = HubError.http(url: url, status: Int(code), body: Self.message(text))
      if Self.retryableStatus(code) { throw Retryable(final: err) }
      throw err
    }
  }

  /// The hub's `{"error": "..."}` message, else the start of the body.
  static func message(_ body: String) -> String {
    if let e = (try? JSONParser.parse(body))?.objectValue?["error"]?.stringValue { return e }
    return String(body.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  // MARK: The API

  /// `GET /api/datasets/{repo}/revision/{revision}`: the commit a revision points at.
  public func commit(repo: String, revision: String) async throws -> String {
    let (json, _) = try await getJSON(revisionURL(repo, revision), repo: repo, revision: revision)
    guard let sha = json.objectValue?["sha"]?.stringValue, HubCache.isCommitHash(sha) else {
      throw HubError.http(url: revisionURL(repo, revision), status: 200, body: "no commit 'sha' in the revision info")
    }
    return sha
  }

  /// `GET /api/datasets/{repo}/tree/{commit}?recursive=true`, every page (`Link: <...>;
  /// rel="next"`): the files, not the folders.
  public func files(repo: String, commit: String) async throws -> [RepoFile] {
    var url: String? = treeURL(repo, commit)
    var out: [RepoFile] = []
    var pages = 0
    while let next = url {
      let (json, link) = try await getJSON(next, repo: repo, revision: commit)
      guard let entries = json.arrayValue else { throw HubError.http(url: next, status: 200, body: "the tree is not a JSON list") }
      for case .object(let e) in entries where e["type"]?.stringValue == "file" {
        guard let path = e["path"]?.stringValue, let oid = e["oid"]?.stringValue else { continue }
        let lfs = e["lfs"]?.objectValue
        let size = lfs?["size"]?.doubleValue ?? e["size"]?.doubleValue ?? 0
        out.append(RepoFile(path: path, size: Int64(size), oid: oid, lfsSHA256: lfs?["oid"]?.stringValue))
      }
      url = link.flatMap(Self.nextLink).map { $0.hasPrefix("/") ? endpoint + $0 : $0 }
      pages += 1
      if pages > 100_000 { break }
    }
    return out
  }

  /// The `rel="next"` target of a `Link` header.
  static func nextLink(_ header: String) -> String? {
    for part in header.split(separator: ",") {
      let bits = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let first = bits.first, first.hasPrefix("<"), first.hasSuffix(">") else { continue }
      if bits.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" || $0 == "rel=next" }) {
        return String(first.dropFirst().dropLast())
      }
    }
    return nil
  }

  /// An ETag as `huggingface_hub` keeps it: without `W/` and quotes.
  static func normalizeETag(_ s: String) -> String {
    var t = s.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("W/") { t.removeFirst(2) }
    if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()) }
    return t
  }

  /// `HEAD .../resolve/{commit}/{path}` with `Accept-Encoding: identity`, following relative
  /// redirects (a renamed repo) and stopping at one to another host (the CDN).
  func metadata(repo: String, commit: String, path: String) async throws -> FileMetadata {
    var url = resolveURL(repo, commit, path)
    for _ in 0..<10 {
      let current = url
      let (status, headers) = try await retrying(current) { [self] () async throws -> (UInt, HTTPHeaders) in
        var req = request(current, method: .HEAD)
        req.headers.add(name: "Accept-Encoding", value: "identity")
        let response: HTTPClientResponse
        do { response = try await client.execute(req, timeout: .seconds(60)) } catch {
          throw Self.connectionFailure(endpoint, error)
        }
        let code = response.status.code
        if Self.retryableStatus(code) { throw Retryable(final: .http(url: current, status: Int(code), body: "")) }
        return (code, response.headers)
      }
      switch status {
      case 200, 301, 302, 303, 307, 308:
        let location = headers.first(name: "Location").map { $0.hasPrefix("/") ? endpoint + $0 : $0 }
        if status != 200, let location, Self.hostKey(location) == endpointHost, headers.first(name: "X-Linked-Etag") == nil,
          headers.first(name: "ETag") == nil
        {
          url = location  // a relative redirect: the repo was renamed
          continue
        }
        guard let etag = (headers.first(name: "X-Linked-Etag") ?? headers.first(name: "ETag")).map(Self.normalizeETag), !etag.isEmpty else {
          throw HubError.http(url: current, status: Int(status), body: "no ETag (is this a Hugging Face hub or a mirror of one?)")
        }
        let size = (headers.first(name: "X-Linked-Size") ?? (status == 200 ? headers.first(name: "Content-Length") : nil)).flatMap { Int64($0) }
        return FileMetadata(
          commit: headers.first(name: "X-Repo-Commit"), etag: etag, size: size, location: status == 200 ? current : (location ?? current))
      case 401, 403: throw HubError.gated(repo: repo, path: path, status: Int(status), hasToken: token != nil)
      case 404: throw HubError.entryNotFound(repo: repo, path: path)
      default: throw HubError.http(url: current, status: Int(status), body: "")
      }
    }
    throw HubError.http(url: url, status: 310, body: "too many redirects")
  }
}
