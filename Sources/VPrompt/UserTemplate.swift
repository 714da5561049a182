import Foundation
import VCore

/// A prompt a user writes without touching Swift: a JSON file with
/// `system` (optional), `before` and `after` (the text around the frames), `option_format`
/// (default `"{letter}. {option}"`) and `option_separator` (default a newline). Texts may use
/// `{field}` for any record field, `{options}` for the option list (from `candidates` or columns
/// A, B, ...), `{n_frames}` for the number of frames; `{{` and `}}` are literal braces.
struct UserTemplate: PromptTemplate {
  var name: String
  var system: String?
  var before: String
  var after: String
  var optionFormat: String
  var optionSeparator: String
  var source: String
  /// The file's text is the template's constant part (its hash is the file's).
  var constants: [String] { [source] }

  static func load(_ path: String) throws -> UserTemplate {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SimpleToolError("cannot read template file '\(path)'", status: .noInput)
    }
    let v: JSONValue
    do {
      v = try JSONParser.parse(Array(data))
    } catch {
      throw SimpleToolError("\(path): invalid JSON \(error)", status: .config)
    }
    guard let o = v.objectValue else { throw SimpleToolError("\(path): a template file holds one JSON object", status: .config) }
    let known: Set = ["system", "before", "after", "option_format", "option_separator"]
    if let bad = o.keys.first(where: { !known.contains($0) }) {
      throw SimpleToolError("\(path): unknown key '\(bad)' (known: \(known.sorted().joined(separator: ", ")))", status: .config)
    }
    func text(_ k: String) throws -> String? {
      guard let x = o[k] else { return nil }
      guard let s = x.stringValue else { throw SimpleToolError("\(path): '\(k)' must be a string", status: .config) }
      return s
    }
    let before = try text("before") ?? ""
    let after = try text("after") ?? ""
    if before.isEmpty && after.isEmpty { throw SimpleToolError("\(path): give at least 'before' or 'after'", status: .config) }
    return UserTemplate(
      name: "file:" + (path as NSString).lastPathComponent, system: try text("system"), before: before, after: after,
      optionFormat: try text("option_format") ?? "{letter}. {option}", optionSeparator: try text("option_separator") ?? "\n",
      source: String(decoding: data, as: UTF8.self))
  }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let frames = try t.visual()
    var items: [MessageItem] = []
    if let system { items.append(.text(try fill(system, t, frames: frames.count), role: "system")) }
    if !before.isEmpty { items.append(.text(try fill(before, t, frames: frames.count))) }
    items += frames
    if !after.isEmpty { items.append(.text(try fill(after, t, frames: frames.count))) }
    return items
  }

  func fill(_ text: String, _ t: TemplateInput, frames: Int) throws(PromptError) -> String {
    var out = ""
    var i = text.startIndex
    while i < text.endIndex {
      let c = text[i]
      let next = text.index(after: i)
      if c == "{" && next < text.endIndex && text[next] == "{" {
        out.append("{")
        i = text.index(after: next)
        continue
      }
      if c == "}" && next < text.endIndex && text[next] == "}" {
        out.append("}")
        i = text.index(after: next)
        continue
      }
      if c == "{", let close = text[next...].firstIndex(of: "}") {
        let key = String(text[next..<close])
        switch key {
        case "options":
          let opts = try PromptText.genericOptions(t)
          out += opts.enumerated().map { o in
            optionFormat.replacingOccurrences(of: "{letter}", with: PromptText.letter(o.offset)).replacingOccurrences(of: "{option}", with: o.element)
          }.joined(separator: optionSeparator)
        case "n_frames": out += String(frames)
        default: out += try t.field(key)
        }
        i = text.index(after: close)
        continue
      }
      out.append(c)
      i = next
    }
    return out
  }
}
