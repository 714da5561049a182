import Foundation

/// A fresh temporary directory for one test, removed when released.
public final class TempDir: @unchecked Sendable {
  public let path: String

  public init(_ label: String = "vtools") {
    let base = FileManager.default.temporaryDirectory.path
    let p = "\(base)/\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    path = p
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// `path/name`.
  public func file(_ name: String) -> String { path + "/" + name }

  /// Writes a text file and returns its path.
  @discardableResult
  public func write(_ name: String, _ text: String) -> String {
    let p = file(name)
    try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
    return p
  }

  /// Writes bytes and returns the path.
  @discardableResult
  public func write(_ name: String, bytes: [UInt8]) -> String {
    let p = file(name)
    try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
    return p
  }

  /// Reads a text file.
  public func read(_ name: String) -> String {
    (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? ""
  }
}
