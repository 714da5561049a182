import AsyncHTTPClient
import Crypto
import NIOCore
import Synchronization
import VCore
import VData

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Byte counts shared by the downloads of one fetch, for the progress line and the summary.
final class TransferCounter: Sendable {
  private struct State {
    var bytes: Int64 = 0
    var files = 0
  }
  private let state = Mutex(State())
  func add(bytes: Int64) { state.withLock { $0.bytes += bytes } }
  func fileDone() { state.withLock { $0.files += 1 } }
  var bytes: Int64 { state.withLock { $0.bytes } }
  var files: Int { state.withLock { $0.files } }
}

extension HubClient {
  /// Downloads `url` into `blobs/{etag}` of `repo`: bytes go to `{etag}.incomplete`, resumed
  /// with `Range` after a dropped connection or a killed run, verified against the hub's size
  /// and hash (sha256 for LFS files, the git blob id for small ones), then renamed into place.
  /// A mismatch deletes the bytes and downloads once more; a second one is an error.
  func download(
    repo: String, path: String, metadata: FileMetadata, expectedSize: Int64?, cache: HubCache, counter: TransferCounter
  ) async throws {
    let blob = cache.blob(repo, etag: metadata.etag)
    let partial = blob + ".incomplete"
    do { try Tree.makeDirectories(cache.blobsFolder(repo)) } catch { throw HubError.storage(error) }
    for pass in 1...2 {
      try await fetchBytes(metadata.location, into: partial, repo: repo, path: path, counter: counter)
      let size = Tree.fileSize(partial) ?? -1
      let want = metadata.size ?? expectedSize
      var problem: String?
      if let want, size != want {
        problem = "size \(size) bytes, the hub says \(want)"
      } else if let digest = Self.digest(partial, etag: metadata.etag, size: size), digest != metadata.etag {
        problem = "content hash \(digest), the hub says \(metadata.etag)"
      }
      if let problem {
        unlink(partial)
        if pass == 2 { throw HubError.verification(repo: repo, path: path, reason: problem) }
        continue
      }
      if rename(partial, blob) != 0 { throw HubError.storage(.io(path: blob, errno: errno)) }
      return
    }
  }

  /// The hash an etag is checked against: sha256 of the bytes for a 64-hex etag, the git blob
  /// id (`sha1("blob {size}\0" + bytes)`) for a 40-hex one; nil for another etag (a mirror's).
  static func digest(_ file: String, etag: String, size: Int64) -> String? {
    let isHex = etag.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    guard isHex, etag.utf8.count == 64 || etag.utf8.count == 40 else { return nil }
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
    defer { close(fd) }
    var sha256 = SHA256()
    var sha1 = Insecure.SHA1()
    let lfs = etag.utf8.count == 64
    if !lfs { sha1.update(data: Array("blob \(size)\u{0}".utf8)) }
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return nil }
      if n == 0 { break }
      buf.withUnsafeBytes { raw in
        let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
        if lfs { sha256.update(bufferPointer: chunk) } else { sha1.update(bufferPointer: chunk) }
      }
    }
    let bytes: [UInt8] = lfs ? Array(sha256.finalize()) : Array(sha1.finalize())
    return bytes.map { String(format: "%02x", $0) }.joined()
  }

  /// GETs `url` onto the end of `partial` (a `Range` request when it has bytes already), with
  /// the token only when `url` is on the endpoint's host; retried from where it stopped.
  func fetchBytes(_ url: String, into partial: String, repo: String, path: String, counter: TransferCounter) async throws {
    try await retrying(url) { [self] in
      let have = Tree.fileSize(partial) ?? 0
      var req = request(url)
      req.headers.add(name: "Accept-Encoding", value: "identity")
      if have > 0 { req.headers.add(name: "Range", value: "bytes=\(have)-") }
      let response: HTTPClientResponse
      do { response = try await client.execute(req, timeout: .hours(24)) } catch {
        throw Self.connectionFailure(Self.hostKey(url) ?? url, error)
      }
      let code = response.status.code
      switch code {
      case 200, 206: break
      case 416 where have > 0:
        return  // nothing left to send: the size check decides
      case 401, 403: throw HubError.gated(repo: repo, path: path, status: Int(code), hasToken: token != nil)
      case 404: throw HubError.entryNotFound(repo: repo, path: path)
      default:
        let err = HubError.http(url: url, status: Int(code), body: "")
        if Self.retryableStatus(code) { throw Retryable(final: err) }
        throw err
      }
      // 200 to a ranged request: the server sends everything again.
      let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (code == 206 ? O_APPEND : O_TRUNC)
      let fd = open(partial, flags, 0o644)
      if fd < 0 { throw HubError.storage(.io(path: partial, errno: errno)) }
      defer { close(fd) }
      do {
        for try await chunk in response.body {
          let e = chunk.withUnsafeReadableBytes { raw -> Int32 in
            var off = 0
            while off < raw.count {
              let n = write(fd, raw.baseAddress! + off, raw.count - off)
              if n < 0 {
                if errno == EINTR { continue }
                return errno
              }
              off += n
            }
            return 0
          }
          if e != 0 { throw HubError.storage(.io(path: partial, errno: e)) }
          counter.add(bytes: Int64(chunk.readableBytes))
          if Interrupt.requested { throw StreamError.interrupted }
        }
      } catch let e as HubError {
        throw e
      } catch let e as StreamError {
        throw e
      } catch {
        throw Retryable(final: .unreachable(endpoint: Self.hostKey(url) ?? url, reason: "download of '\(path)' broke off: \(Self.describe(error))"))
      }
    }
  }
}
