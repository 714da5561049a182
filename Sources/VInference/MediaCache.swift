import Foundation
import NIOCore
import VCore

/// A media file as a request carries it: the data URL's bytes (`data:image/jpeg;base64,...`,
/// nothing in it needs JSON escaping) and the size of the file it encodes.
struct EncodedMedia: Sendable {
  var url: [UInt8]
  var sourceBytes: Int
  var mime: String
}

/// The data URLs of the media files requests carry, each file read and base64-encoded once while
/// it stays in the cache: records of one video share frames (and a re-asked record all of its
/// own), so most of a request's bytes are encoded before. Bounded by bytes (the least recently
/// used entries go first); an entry is used again only while the file's device, inode, size and
/// modification time are those it was read with, so a file rewritten during a run is read again.
public final class MediaCache: @unchecked Sendable {
  /// The bytes of data URLs the cache keeps at most.
  public let capacity: Int
  private let lock = NSLock()
  private var entries: [String: Entry] = [:]
  private var clock: UInt64 = 0
  private var size = 0
  private(set) var hits = 0
  /// Media paths as given, resolved (realpath(3) reads every component's link: a tenth of the
  /// CPU of a 64-frame request). A link re-pointed during a run keeps its first target, which
  /// was the one checked against the media roots.
  private var resolved: [String: String] = [:]
  private(set) var misses = 0

  struct Identity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int
  }

  struct Entry {
    var identity: Identity
    var media: EncodedMedia
    var lastUse: UInt64
  }

  /// The default bound: 128 MiB of data URLs (about 4,800 frames of 20 KB).
  public static let defaultCapacity = 128 << 20

  public init(capacity: Int = MediaCache.defaultCapacity) { self.capacity = max(0, capacity) }

  /// The entries and bytes held (for tests).
  var stats: (entries: Int, bytes: Int) { lock.withLock { (entries.count, size) } }

  /// `path` with symbolic links resolved by `resolve`, once per path that resolves (up to
  /// 65,536 paths; then the table starts again); nil when it does not.
  func resolvedPath(_ path: String, _ resolve: (String) -> String?) -> String? {
    if let r = lock.withLock({ resolved[path] }) { return r }
    guard let r = resolve(path) else { return nil }
    lock.withLock {
      if resolved.count >= 1 << 16 { resolved.removeAll(keepingCapacity: true) }
      resolved[path] = r
    }
    return r
  }

  /// The file's identity, or nil when it cannot be stat'ed.
  static func identity(_ path: String) -> Identity? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Identity(
      device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size), seconds: Int(st.st_mtim.tv_sec),
      nanoseconds: Int(st.st_mtim.tv_nsec))
  }

  /// The cached encoding of the file at `path` (`key` says how it was encoded), else `make()`'s,
  /// which is kept when it fits.
  func media(
    key: String, path: String, make: () throws(InferenceError) -> EncodedMedia
  ) throws(InferenceError) -> EncodedMedia {
    let id = Self.identity(path)
    if let id {
      let found: EncodedMedia? = lock.withLock {
        guard var e = entries[key], e.identity == id else { return nil }
        clock += 1
        e.lastUse = clock
        entries[key] = e
        hits += 1
        return e.media
      }
      if let found { return found }
    }
    lock.withLock { misses += 1 }
    let media = try make()
    // A file that changed while it was read is not kept (the next request reads it again).
    guard let id, media.url.count <= capacity / 4, Self.identity(path) == id else { return media }
    lock.withLock {
      clock += 1
      if let old = entries.updateValue(Entry(identity: id, media: media, lastUse: clock), forKey: key) { size -= old.media.url.count }
      size += media.url.count
      if size > capacity { evict() }
    }
    return media
  }

  /// Drops the least recently used entries down to three quarters of the capacity (a batch, so
  /// that a full cache sorts once per many insertions, not at each).
  private func evict() {
    let target = capacity / 4 * 3
    for (key, e) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
      if size <= target { break }
      entries[key] = nil
      size -= e.media.url.count
    }
  }
}

/// Base64 (RFC 4648, with padding, no line breaks), as Foundation's `base64EncodedString()` writes it.
enum Base64 {
  private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  /// The two characters of each 12-bit value (first in the low byte): two look-ups per 3 bytes.
  private static let pairs: [UInt16] = (0..<4096).map { UInt16(alphabet[$0 >> 6]) | UInt16(alphabet[$0 & 63]) << 8 }

  /// The length of the encoding of `count` bytes.
  static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

  /// `prefix` followed by the encoding of `bytes`.
  static func encode(_ bytes: UnsafeRawBufferPointer, prefix: [UInt8] = []) -> [UInt8] {
    let total = prefix.count + encodedCount(bytes.count)
    return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
      _ = out.initialize(from: prefix)
      var o = prefix.count
      let n = bytes.count
      var i = 0
      pairs.withUnsafeBufferPointer { pairs in
        let raw = UnsafeMutableRawPointer(out.baseAddress!)
        while i + 3 <= n {
          let v = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
          raw.storeBytes(of: pairs[v >> 12].littleEndian, toByteOffset: o, as: UInt16.self)
          raw.storeBytes(of: pairs[v & 0xFFF].littleEndian, toByteOffset: o + 2, as: UInt16.self)
          i += 3
          o += 4
        }
      }
      if i < n {
        let rest = n - i
        let v = Int(bytes[i]) << 16 | (rest == 2 ? Int(bytes[i + 1]) << 8 : 0)
        out[o] = alphabet[v >> 18]
        out[o + 1] = alphabet[v >> 12 & 63]
        out[o + 2] = rest == 2 ? alphabet[v >> 6 & 63] : UInt8(ascii: "=")
        out[o + 3] = UInt8(ascii: "=")
        o += 4
      }
      initialized = o
    }
  }
}
