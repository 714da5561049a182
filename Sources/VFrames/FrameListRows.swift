import VCore
import VMedia

/// Rows that list pre-extracted frames instead of a video (`FrameOptions.frameList`,
/// MMSI-Video-Bench): MMSI's `save_video_frames` over the clips' frames joined end to end, the
/// chosen files passed on where they are. Nothing is decoded, written or cached; each chosen
/// file must exist.
struct FrameListRows {
  let options: FrameOptions
  let rule: FrameListRule

  /// The row's clips: the listing column as a Python list literal of lists (a flat list is one
  /// clip) or a JSON array of arrays.
  func clips(_ row: JSONObject) throws(MediaError) -> [[String]] {
    guard let v = row[rule.field] else {
      throw MediaError(code: .missingField, message: "the row has no '\(rule.field)' value (the preset's frame lists)")
    }
    if case .array(let items) = v {
      let lists = items.map { $0.arrayValue }
      if lists.allSatisfy({ $0 != nil }) { return lists.map { $0!.map { $0.scalarText ?? JSONSerializer.serialize($0) } } }
      if lists.allSatisfy({ $0 == nil }) { return [items.map { $0.scalarText ?? JSONSerializer.serialize($0) }] }
      throw MediaError(code: .badField, message: "'\(rule.field)' mixes lists and single paths")
    }
    guard let text = v.scalarText else { throw MediaError(code: .badField, message: "'\(rule.field)' must be a list of frame lists") }
    do {
      return try PythonLiteral.stringLists(text)
    } catch {
      throw MediaError(code: .badField, message: "'\(rule.field)' is not a list of frame lists (\(error))")
    }
  }

  /// The frames' rate from `fpsField`: a positive number, else nil.
  func videoFPS(_ row: JSONObject) -> Double? {
    guard let t = row[rule.fpsField]?.scalarText, let f = Double(PyText.strip(t)), f.isFinite, f > 0 else { return nil }
    return f
  }

  /// The keys vframes adds for the row: `frames`, `frame_indices` (global), `frame_times` (when the
  /// rate is known), `video_info`, `frame_groups` (one per clip) and `sampling`.
  func sample(_ row: JSONObject) throws(MediaError) -> [(String, JSONValue)] {
    let clips = try clips(row)
    let lengths = clips.map(\.count)
    let total = lengths.reduce(0, +)
    let spec = options.spec
    let fps = videoFPS(row)
    var indices: [Int] = []
    if total > 0 {
      if spec.sampler == .fps {
        // VLMEvalKit raises ValueError when the rate is missing or not positive.
        guard let fps else {
          throw MediaError(code: .badField, message: "fps mode needs a positive '\(rule.fpsField)' (the listed frames' rate)")
        }
        indices = FrameIndexFormula.capped(FrameIndexFormula.frameList(total: total, videoFPS: fps, fps: spec.fps), maxFrames: spec.maxFrames)
      } else {
        indices = FrameIndexFormula.frameList(total: total, nframe: spec.nframe)
      }
    }
    let local = FrameIndexFormula.splitByClip(indices, lengths: lengths)
    var frames: [String] = []
    var groups: [JSONValue] = []
    for (k, clip) in clips.enumerated() {
      let chosen = local[k].map { resolve(clip[$0]) }
      for p in chosen {
        guard case .regular = FileIO.fileKind(p) else {
          throw MediaError(code: .frameMissing, message: "\(p): a frame file '\(rule.field)' lists (clip \(k + 1)) is missing or not a file")
        }
      }
      frames += chosen
      let folder = clip.first.map { String($0.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")) } ?? ""
      groups.append(
        .object(
          JSONObject([
            ("video", .string(folder)), ("frames", .int(chosen.count)), ("video_info", .object(info(frames: clip.count, fps: fps))),
          ])))
    }
    var sampling = JSONObject()
    sampling["method"] = .string(spec.sampler == .fps ? "fps" : "frame_list")
    if spec.sampler == .fps {
      sampling["fps"] = .double(spec.fps)
      if spec.maxFrames > 0 { sampling["max_frames"] = .int(spec.maxFrames) }
    } else {
      sampling["nframe"] = .int(spec.nframe)
    }
    sampling["dataset"] = .string(options.dataset)
    var out: [(String, JSONValue)] = [
      ("frames", .array(frames.map { .string($0) })), ("frame_indices", .array(indices.map { .int($0) })),
    ]
    if let fps { out.append(("frame_times", .array(indices.map { .double(Double($0) / fps) }))) }
    out += [("video_info", .object(info(frames: total, fps: fps))), ("frame_groups", .array(groups)), ("sampling", .object(sampling))]
    return out
  }

  func info(frames n: Int, fps: Double?) -> JSONObject {
    var o = JSONObject([("n_frames", .int(n))])
    if let fps {
      o["avg_fps"] = .double(fps)
      o["duration"] = .double(Double(n) / fps)
    }
    o["codec"] = .string("frame-list")
    return o
  }

  /// A listed file: absolute as it is, else under the video root, `.` and `..` resolved
  /// (`os.path.normpath(os.path.join(root, path))`).
  func resolve(_ path: String) -> String {
    let joined = path.hasPrefix("/") ? path : JobResolver.join(options.videoRoot, path)
    var parts: [Substring] = []
    for c in joined.split(separator: "/") where c != "." {
      if c == ".." {
        if !parts.isEmpty { parts.removeLast() }
      } else {
        parts.append(c)
      }
    }
    return (joined.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }
}
