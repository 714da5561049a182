/// Frames at the times a row annotates instead of a sampled set (CG-AV-Counting's clue rows of
/// the `object` and `attribute` categories, `CGAVCounting.save_video_frames_clue`): for each
/// distinct `timestamp` found in the row's `field` (JSON), the frame `int(t * avg_fps)`, cached as
/// `frame-{t}.jpg` with `t` written as Python's `str` writes the JSON number. Rows that do not
/// match every condition are sampled as the spec says.
public struct TimestampFrameRule: Sendable, Equatable {
  /// The column whose JSON holds the timestamps (`answer`).
  public var field: String
  /// Each column that must hold one of its values for the rule to apply (`task_mode`:
  /// `clue_acc`, `category`: `object` or `attribute`).
  public var conditions: [String: [String]]

  public init(field: String, conditions: [String: [String]]) {
    self.field = field
    self.conditions = conditions
  }

  /// Whether the rule applies to a row.
  public func applies(to row: JSONObject) -> Bool {
    conditions.allSatisfy { column, values in row[column]?.scalarText.map { values.contains($0) } ?? false }
  }

  /// The row's timestamps, in order of first appearance, repeats (equal numbers, as Python's
  /// `in` compares them) left out: every `timestamp` of an object in the JSON list, or in a list
  /// of such lists (`[[{...}, ...], ...]`). Fails with a reason when the cell is not that.
  public func timestamps(_ row: JSONObject) -> Result<[FrameTimestamp], TimestampFrameError> {
    guard let text = row[field]?.scalarText else { return .failure(TimestampFrameError("the row has no '\(field)' value")) }
    guard let value = try? JSONParser.parse(Array(text.utf8)), let items = value.arrayValue else {
      return .failure(TimestampFrameError("'\(field)' is not a JSON list of clues"))
    }
    var out: [FrameTimestamp] = []
    for item in items {
      for clue in item.arrayValue ?? [item] {
        guard case .number(let n)? = clue.objectValue?["timestamp"], let t = FrameTimestamp(jsonNumber: n) else {
          return .failure(TimestampFrameError("a clue in '\(field)' has no numeric 'timestamp'"))
        }
        if !out.contains(where: { $0.seconds == t.seconds }) { out.append(t) }
      }
    }
    if out.isEmpty { return .failure(TimestampFrameError("'\(field)' lists no timestamp")) }
    return .success(out)
  }
}

/// Why a row's timestamps cannot be read.
public struct TimestampFrameError: Error, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// One annotated time: its value in seconds and its text in the frame's file name.
public struct FrameTimestamp: Sendable, Hashable {
  public var seconds: Double
  /// Python's `str()` of the JSON number: an integer as such (`3`), a float as its repr (`3.5`,
  /// `3.0`).
  public var name: String

  public init(seconds: Double, name: String) {
    self.seconds = seconds
    self.name = name
  }

  /// The timestamp a JSON number's text gives (`json.loads` makes an `int` of a number with no
  /// fraction or exponent, a `float` of the others); nil for a value that is not finite.
  public init?(jsonNumber text: String) {
    let isInt = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    guard let d = Double(text), d.isFinite else { return nil }
    if isInt, let i = Int(text) {
      self.init(seconds: d, name: String(i))
    } else {
      self.init(seconds: d, name: SamplingSpec.pythonFloat(d))
    }
  }

  /// The frame file: `frame-{t}.jpg`.
  public var fileName: String { "frame-\(name).jpg" }
}

extension FrameIndexFormula {
  /// `int(t * avg_fps)` for each timestamp, in order (repeats kept: two times may fall in one
  /// frame).
  public static func atTimestamps(_ times: [Double], avgFPS: Double) -> [Int] {
    times.map { t in
      let x = t * avgFPS
      guard x.isFinite, abs(x) < 1e15 else { return -1 }
      return Int(x.rounded(.towardZero))
    }
  }
}

/// A second video column: where a row has a value in `field`, that value names the row's video
/// instead of the rule's own column, and `keyField` its frame-cache folder (CG-AV-Counting's
/// `ref_acc` rows: the clip `ref_video_path`, cached under `ref_video_uid`; its other rows leave
/// both empty).
public struct AlternateVideo: Sendable, Equatable {
  public var field: String
  public var keyField: String

  public init(field: String, keyField: String) {
    self.field = field
    self.keyField = keyField
  }
}
