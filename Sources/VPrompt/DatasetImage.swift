import Foundation
import VCore

/// A question image that a row carries beside its video (VideoMMMU's `image` column).
extension TemplateInput {
  /// The largest image a row may carry inline (decoded bytes).
  public static let inlineImageLimit = 64 << 20

  /// The image of field `name` as a file path for an image item.
  ///
  /// VLMEvalKit's VideoMMMU TSV (`prepare_dataset`) holds the path relative to the dataset root
  /// (`images/{name}`, the file it saved from the parquet's bytes), and `build_prompt` joins it
  /// to the root (`os.path.join`: an absolute value stays as it is); that path is returned. A
  /// cell that holds the image itself, base64 as VLMEvalKit's image TSVs carry it (a PNG or a
  /// JPEG), is written once to `{root}/images/{id}.png` or `.jpg` (`id`: the record's id, the
  /// dataset index), atomically, and that path is returned; an existing file is kept.
  public func datasetImage(_ name: String) throws(PromptError) -> String {
    let value = try field(name)
    guard !value.isEmpty, value != "nan" else {
      throw PromptError(code: .missingField, message: "field '\(name)' is empty: the question has no image")
    }
    if let bytes = try Self.inlineImage(value, field: name) {
      return try writeInlineImage(bytes, field: name)
    }
    let path = value.hasPrefix("/") ? value : Self.join(datasetRoot, value)
    if case .missing = FileIO.fileKind(path) { warn("\(name) '\(path)' does not exist (is --data-root the dataset folder?)") }
    return path
  }

  /// `os.path.join(root, value)` for a relative value.
  static func join(_ root: String, _ value: String) -> String {
    root.isEmpty || root.hasSuffix("/") ? root + value : root + "/" + value
  }

  /// The bytes of a base64 PNG or JPEG, or nil when `value` is not one (then it is a path).
  package static func inlineImage(_ value: String, field: String) throws(PromptError) -> [UInt8]? {
    // Paths have dots, spaces or other characters outside base64; images are long.
    guard value.utf8.count >= 64, value.utf8.allSatisfy(isBase64Byte) else { return nil }
    let cleaned = value.utf8.filter { $0 != 0x0A && $0 != 0x0D }
    guard cleaned.count / 4 * 3 <= inlineImageLimit + 3 else {
      throw PromptError(code: .badField, message: "field '\(field)' holds an inline image over \(inlineImageLimit >> 20) MiB")
    }
    guard let data = Data(base64Encoded: Data(cleaned)) else { return nil }
    let bytes = [UInt8](data)
    guard imageExtension(bytes) != nil else { return nil }
    return bytes
  }

  static func isBase64Byte(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F || b == 0x3D || b == 0x0A
      || b == 0x0D
  }

  /// `png` or `jpg` by the magic bytes (the formats vinfer sends).
  static func imageExtension(_ b: [UInt8]) -> String? {
    if b.count >= 8 && b[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
    if b.count >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF { return "jpg" }
    return nil
  }

  private func writeInlineImage(_ bytes: [UInt8], field: String) throws(PromptError) -> String {
    guard let key = optionalField("id") ?? optionalField("index"), !key.isEmpty else {
      throw PromptError(code: .missingField, message: "an inline '\(field)' image needs the record's 'id' or 'index' to name its file")
    }
    // One file name inside images/: never a path.
    let safe = String(key.map { $0 == "/" || $0 == "\u{0}" ? "_" : $0 })
    let name = safe == "." || safe == ".." ? "_" + safe : safe
    let dir = Self.join(datasetRoot, "images")
    let path = dir + "/" + name + "." + (Self.imageExtension(bytes) ?? "png")
    if case .regular(let size, _) = FileIO.fileKind(path), size > 0 { return path }
    do {
      try FileIO.makeDirectories(dir)
      try FileIO.writeAtomically(path, bytes)
    } catch {
      throw PromptError(code: .writeFailed, message: "cannot write the '\(field)' image to \(path): \(error)")
    }
    return path
  }
}
