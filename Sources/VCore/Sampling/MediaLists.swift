/// A dataset whose rows list their media in Python list columns, images and videos mixed
/// (MEGA-Bench: `global_media`, `example_media`, `query_media`), each video with a frame budget
/// of its own: the demo (example) videos share `nframe/4`, the query videos (global and query)
/// share what is left. vframes samples each listed video with the preset's sampler at its
/// budget and writes its frames next to the video; images are passed on as listed.
public struct MediaListRule: Sendable, Equatable {
  /// The list columns, in prompt order, and whether each holds demo media.
  public var columns: [(name: String, demo: Bool)]
  /// The frame-file name: `{video path without extension}_num_frames_{n}_frame_{k:04d}.jpg`.
  public var naming: FrameNaming

  public init(columns: [(name: String, demo: Bool)], naming: FrameNaming) {
    self.columns = columns
    self.naming = naming
  }

  public static func == (a: MediaListRule, b: MediaListRule) -> Bool {
    a.naming == b.naming && a.columns.map(\.name) == b.columns.map(\.name) && a.columns.map(\.demo) == b.columns.map(\.demo)
  }

  /// `MEGABench.is_video_file`: `mimetypes.guess_type(path)` starts with `video`. The table is
  /// the video extensions Python's own `mimetypes` map knows (any case), plus the common ones a
  /// system `mime.types` adds (`mkv`, `flv`, `wmv`, `m4v`, `ogv`); VLMEvalKit's answer depends on
  /// the machine's `mime.types`, which vtools does not read.
  public static let videoExtensions: Set<String> = [
    "mp4", "mpeg", "mpg", "mpe", "m1v", "mpa", "mov", "qt", "webm", "avi", "movie", "mkv", "flv", "wmv", "m4v", "ogv",
  ]

  public static func isVideo(_ path: String) -> Bool {
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
    return videoExtensions.contains(name[name.index(after: dot)...].lowercased())
  }

  /// `eval(media_str)` of a list column: the listed paths; nil where VLMEvalKit gets no list
  /// (an empty cell, `[]`, text that is not a list literal of strings).
  public static func list(_ cell: String?) -> [String]? {
    guard let cell, !cell.isEmpty, cell != "[]" else { return nil }
    guard let items = try? PythonLiteral.stringList(cell) else { return nil }
    return items
  }

  /// `MEGABench._set_sampling_config` for a row with `demoVideos` example videos and
  /// `queryVideos` global and query videos, `maxFrames` the config's `nframe`: demo videos get
  /// `ceil(nframe/4 / demoVideos)` frames each (0 without demo videos), query videos
  /// `(nframe - demo*demoVideos) // queryVideos` each (0 without query videos); `nframe == 0`
  /// gives 2 and 8. nil where VLMEvalKit raises (`Cannot query <= 0 frames`).
  public static func budgets(maxFrames: Int, demoVideos: Int, queryVideos: Int) -> (demo: Int, query: Int)? {
    guard maxFrames > 0 else { return (2, 8) }
    let demo = demoVideos > 0 ? Int((Double(maxFrames) / 4 / Double(demoVideos)).rounded(.up)) : 0
    guard queryVideos > 0 else { return (demo, 0) }
    let rest = maxFrames - demo * demoVideos
    guard rest > 0 else { return nil }
    return (demo, rest / queryVideos)
  }
}

/// How the frames of a video are named where they are not VLMEvalKit's `frame-i-of-n.jpg` in a
/// cache folder.
public enum FrameNaming: Sendable, Equatable {
  /// MEGA-Bench: beside the video, `{splitext(video)[0]}_num_frames_{n}_frame_{k:04d}.jpg`, `k`
  /// from 0, `n` the video's frame budget.
  case besideVideo
}
