import Foundation
import VCore

/// LongVideoBench's subtitle interleaving (reference section 5.5): subtitles from
/// `{root}/subtitles/{subtitle_path}` (JSON), frames at `index/avg_fps` seconds, each subtitle
/// placed after the frames up to its midpoint and kept only if some frame falls inside it.
enum LongVideoBenchSubtitles {
  static func seconds(_ hms: String) -> Double? {
    let parts = hms.split(separator: ":").map(String.init)
    guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
    return h * 3600 + m * 60 + s
  }

  /// Python's `isinstance(x, float)` for a JSON number: it has a fraction or an exponent.
  static func isFloat(_ v: JSONValue?) -> Bool {
    guard case .number(let text)? = v else { return false }
    return text.contains(".") || text.contains("e") || text.contains("E")
  }

  /// The largest subtitle file read (64 MiB; LongVideoBench's are a few kilobytes).
  static let maxFileSize = 64 << 20

  /// A subtitle file's bytes: a regular file of at most `maxFileSize` (a FIFO, a device or a
  /// directory is refused without reading, so nothing hangs or reads forever).
  static func load(_ path: String) throws(PromptError) -> [UInt8] {
    switch FileIO.fileKind(path) {
    case .missing:
      throw PromptError(code: .subtitleMissing, message: "subtitle file \(path) not found")
    case .regular(let size, _) where size > Int64(maxFileSize):
      throw PromptError(code: .badSubtitles, message: "\(path): \(size) bytes, more than the \(maxFileSize)-byte limit for a subtitle file")
    case .regular:
      do {
        return try FileIO.readFile(path, limit: maxFileSize)
      } catch {
        throw PromptError(code: .badSubtitles, message: "\(path): \(error)")
      }
    case .directory, .other:
      throw PromptError(code: .badSubtitles, message: "\(path) is not a regular file")
    }
  }

  static func interleave(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let frames = t.frames
    guard let fps = t.avgFPS, fps > 0 else { throw PromptError(code: .missingField, message: "subtitles need video_info.avg_fps (from vframes)") }
    let ts = t.frameIndices.map { Double($0) / fps }
    guard ts.count == frames.count else { throw PromptError(code: .badField, message: "frames and frame_indices differ in length") }
    let rel = try t.field("subtitle_path")
    let path = t.datasetRoot + "/subtitles/" + rel
    let data = try load(path)
    let subs: [JSONValue]
    do {
      guard let a = try JSONParser.parse(data).arrayValue else {
        throw PromptError(code: .badSubtitles, message: "\(path): expected a JSON list of subtitles")
      }
      subs = a
    } catch let e as JSONSyntaxError {
      throw PromptError(code: .badSubtitles, message: "\(path): invalid JSON \(e)")
    } catch let e as PromptError {
      throw e
    } catch {
      throw PromptError(code: .badSubtitles, message: "\(path): \(error)")
    }
    let offset = Double(t.optionalField("starting_timestamp_for_subtitles") ?? "") ?? 0
    let duration = Double(t.optionalField("duration") ?? "") ?? 0
    var out: [MessageItem] = []
    var next = 0
    for (n, sv) in subs.enumerated() {
      guard let s = sv.objectValue else { throw PromptError(code: .badSubtitles, message: "\(path): subtitle \(n) is not an object") }
      var start: Double
      var end: Double
      let text: String
      if let stamp = s["timestamp"]?.arrayValue, stamp.count == 2 {
        start = stamp[0].doubleValue ?? 0
        end = isFloat(stamp[1]) ? (stamp[1].doubleValue ?? duration) : duration
        text = s["text"]?.stringValue ?? ""
      } else {
        guard let a = s["start"]?.stringValue.flatMap(seconds), let b = s["end"]?.stringValue.flatMap(seconds) else {
          throw PromptError(code: .badSubtitles, message: "\(path): subtitle \(n) has neither 'timestamp' nor 'start'/'end'")
        }
        start = a
        end = b
        text = s["line"]?.stringValue ?? ""
      }
      start -= offset
      end -= offset
      let mid = (start + end) / 2
      while next < frames.count, ts[next] <= mid {
        out.append(.image(frames[next]))
        next += 1
      }
      if end - start < 1 {
        start = mid - 0.5
        end = mid + 0.5
      }
      if ts.contains(where: { start < $0 && $0 < end }) { out.append(.text(text + "\n")) }
    }
    while next < frames.count {
      out.append(.image(frames[next]))
      next += 1
    }
    return out
  }
}
