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

  /// The length of the encoding of `count` bytes.
  static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

  /// `prefix` followed by the encoding of `bytes`.
  static func encode(_ bytes: UnsafeRawBufferPointer, prefix: [UInt8] = []) -> [UInt8] {
    let total = prefix.count + encodedCount(bytes.count)
    return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
      var o = 0
      for b in prefix {
        out[o] = b
        o += 1
      }
      alphabet.withUnsafeBufferPointer { table in
        let n = bytes.count
        var i = 0
        while i + 3 <= n {
          let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
          out[o] = table[Int(v >> 18)]
          out[o + 1] = table[Int(v >> 12 & 63)]
          out[o + 2] = table[Int(v >> 6 & 63)]
          out[o + 3] = table[Int(v & 63)]
          i += 3
          o += 4
        }
        if i < n {
          let rest = n - i
          let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
          out[o] = table[Int(v >> 18)]
          out[o + 1] = table[Int(v >> 12 & 63)]
          out[o + 2] = rest == 2 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
          out[o + 3] = UInt8(ascii: "=")
          o += 4
        }
      }
      initialized = o
    }
  }
}
