/// A dataset that ships pre-extracted frames instead of videos (MMSI-Video-Bench): each row's
/// `field` lists its clips' frame files, one list per clip (a Python list literal of lists, or a
/// JSON array of arrays), and `fpsField` gives the rate those frames were taken at. vframes
/// samples over the clips' frames joined end to end (the global index) and passes the chosen
/// files on as they are: nothing is decoded or written.
public struct FrameListRule: Sendable, Equatable {
  /// The column of frame lists (`image_path`).
  public var field: String
  /// The column of the frames' rate, read in fps mode (`video_fps`).
  public var fpsField: String

  public init(field: String, fpsField: String) {
    self.field = field
    self.fpsField = fpsField
  }
}

extension FrameIndexFormula {
  /// MMSI-Video-Bench's `save_video_frames` in nframe mode, over `total` listed frames: all of
  /// them when `n >= total`, else `np.linspace(0, total-1, n, dtype=int)`.
  public static func frameList(total: Int, nframe n: Int) -> [Int] {
    guard total > 0, n > 0 else { return [] }
    return n >= total ? Array(0..<total) : linspace(frameCount: total, nframe: n)
  }

  /// Its fps mode: `duration = total/video_fps`, `required = max(int(duration*fps), 1)`,
  /// `min(int(i*video_fps/fps), total-1)` for `i < required`, repeats dropped (first kept).
  public static func frameList(total: Int, videoFPS: Double, fps: Double) -> [Int] {
    guard total > 0, videoFPS > 0, fps > 0 else { return [] }
    let product = Double(total) / videoFPS * fps
    guard product.isFinite, product < 1e8 else { return [] }
    let required = max(Int(product), 1)
    let step = videoFPS / fps
    var seen = Set<Int>()
    return (0..<required).map { min(Int(Double($0) * step), total - 1) }.filter { seen.insert($0).inserted }
  }

  /// The global indices split by clip: for each clip (of `lengths`), the local indices of the
  /// global ones that fall in it, in order.
  public static func splitByClip(_ indices: [Int], lengths: [Int]) -> [[Int]] {
    var starts: [Int] = []
    var acc = 0
    for l in lengths {
      starts.append(acc)
      acc += l
    }
    var out = [[Int]](repeating: [], count: lengths.count)
    for g in indices {
      if let k = starts.indices.first(where: { g >= starts[$0] && g < starts[$0] + lengths[$0] }) { out[k].append(g - starts[k]) }
    }
    return out
  }
}

/// A row that lists its media as Python dicts (EgoExoBench's `medias`): each is a video sampled
/// with its own frame count and clip bounds, or image files passed on as they are. vframes
/// decodes each video into `{video root}/{frameFolder}/question{index}_video{k}/{frame:07d}.jpg`
/// (VLMEvalKit's layout, so its pre-extracted folders are used as they are) and the record carries
/// one `frame_groups` entry per media, in order.
public struct MediaDictRule: Sendable, Equatable {
  /// The column of media dicts (`medias`).
  public var field: String
  /// The folder under the video root that holds the decoded frames (`processed_frames`).
  public var frameFolder: String

  public init(field: String, frameFolder: String) {
    self.field = field
    self.frameFolder = frameFolder
  }
}

/// One media of a `MediaDictRule` row.
public enum ListedMedia: Sendable, Equatable {
  /// `type: 'video'`: `video_path`, `nframes` (the segment count of MVBench's formula) and the
  /// clip `video_start`/`video_end` in seconds when both are given and not `None`.
  case video(path: String, nframes: Int, bounds: ClipBounds?)
  /// `type: 'frames'` or `'image'`: the files of `image_paths`, in their order.
  case images(type: String, paths: [String])

  /// Why a media list cannot be read.
  public struct ParseError: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// The media of a cell: a Python list literal of dicts (or a JSON array of objects).
  public static func parse(_ cell: JSONValue) throws(ParseError) -> [ListedMedia] {
    var v = cell
    if case .string(let text) = cell {
      do {
        v = try PythonLiteral.value(text)
      } catch {
        throw ParseError(description: "not a Python list of media dicts (\(error))")
      }
    }
    guard case .array(let items) = v else { throw ParseError(description: "not a list of media dicts") }
    var out: [ListedMedia] = []
    for (k, item) in items.enumerated() {
      guard case .object(let o) = item else { throw ParseError(description: "media \(k) is not a dict") }
      func need(_ key: String) throws(ParseError) -> JSONValue {
        guard let x = o[key] else { throw ParseError(description: "media \(k) has no '\(key)' (KeyError upstream)") }
        return x
      }
      switch o["type"]?.stringValue {
      case "video"?:
        guard case .string(let path) = try need("video_path") else { throw ParseError(description: "media \(k): 'video_path' is not a string") }
        guard case .number(let t) = try need("nframes"), let n = Int(t), n > 0 else {
          throw ParseError(description: "media \(k): 'nframes' is not a positive integer")
        }
        var bounds: ClipBounds?
        if let s = o["video_start"], let e = o["video_end"], s != .null, e != .null {
          guard case .number(let st) = s, case .number(let et) = e, let a = Double(st), let b = Double(et), a.isFinite, b.isFinite else {
            throw ParseError(description: "media \(k): 'video_start' and 'video_end' must be numbers")
          }
          bounds = ClipBounds(start: a, end: b)
        }
        out.append(.video(path: path, nframes: n, bounds: bounds))
      case let type? where type == "frames" || type == "image":
        guard case .array(let list) = try need("image_paths") else { throw ParseError(description: "media \(k): 'image_paths' is not a list") }
        let paths = list.compactMap(\.stringValue)
        guard paths.count == list.count else { throw ParseError(description: "media \(k): 'image_paths' holds a value that is not a path") }
        out.append(.images(type: type, paths: paths))
      default:
        throw ParseError(description: "media \(k): unsupported media type \(o["type"].map { JSONSerializer.serialize($0) } ?? "(none)")")
      }
    }
    return out
  }
}
