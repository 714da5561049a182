/// The record contract between the stages, as code: the keys each stage owns, the error object
/// every stage writes for a record it could not finish, VLMEvalKit's fail marker and the option
/// letters. `vtools-records(5)` is the human side of this file; a test checks that the two agree.

/// The keys of a record, by the stage that owns them (vtools-records(5), KEYS).
public enum RecordKey {
  // Every record.
  public static let id = "id"
  public static let error = "error"
  // vframes.
  public static let frames = "frames"
  public static let frameIndices = "frame_indices"
  public static let frameTimes = "frame_times"
  public static let videoInfo = "video_info"
  public static let sampling = "sampling"
  /// A row of several videos (MVU-Eval): per video, its name, frame count and `video_info`.
  public static let frameGroups = "frame_groups"
  /// A WAV file of the row's audio: the video's track extracted into the frame cache (WorldSense
  /// `_audio`), or the dataset's own file (AV-SpeakerBench audio-only).
  public static let audio = "audio"
  // vprompt.
  public static let messages = "messages"
  public static let template = "template"
  public static let pack = "pack"
  // Judge records (vscore --judge-prompts) and user records.
  public static let system = "system"
  public static let request = "request"
  public static let judge = "judge"
  // vinfer.
  public static let prediction = "prediction"
  public static let inference = "inference"

  /// The keys a stage adds to the records it passes on.
  public static func owned(by stage: Stage) -> [String] {
    switch stage {
    case .vframes: return [frames, frameIndices, frameTimes, videoInfo, sampling, frameGroups, audio]
    case .vprompt: return [messages, template, pack]
    case .vinfer: return [prediction, inference]
    case .vmerge, .vscore: return []
    }
  }

  /// The keys of `inference` (vinfer).
  public static let inferenceKeys = [
    "model", "endpoint", "attempts", "latency_ms", "usage", "finish_reason", "started_at", "request_hash",
  ]
}

/// The five stages.
public enum Stage: String, Sendable, CaseIterable {
  case vframes, vprompt, vinfer, vmerge, vscore
}

/// Why a record failed: the `code` of its error object. One list for all stages, so a code is
/// never a string that has to match a `case` elsewhere.
public enum ErrorCode: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
  // vframes (media).
  case videoMissing, notAFile, openFailed, demuxFailed, noVideoStream, unsupportedCodec, badHeader
  case zeroFrames, truncated, seekFailed, decodeFailed, encodeFailed, writeFailed, outOfMemory
  case frameMissing, badBounds, badIndex, timeout, interrupted, noAudioStream, audioMissing
  // vprompt.
  case missingField, badField, badTemplate, badSubtitles, subtitleMissing, unsupported
  // vinfer.
  case connection, badResponse, emptyAnswer, commandFailed, badImage, imageMissing, mediaOutsideRoots
  case contextExceeded, tooManyImages, thinkingTruncated, badAudio
  case cancelled, internalError
  /// An HTTP status the server answered with (`http_500`).
  case http(Int)
  /// A code this version does not know (a record written by another program): kept as written.
  case other(String)

  /// Every named code (for the man-page check and `init(rawValue:)`).
  public static let allNamed: [ErrorCode] = [
    .videoMissing, .notAFile, .openFailed, .demuxFailed, .noVideoStream, .unsupportedCodec, .badHeader, .zeroFrames, .truncated, .seekFailed,
    .decodeFailed, .encodeFailed, .writeFailed, .outOfMemory, .frameMissing, .badBounds, .badIndex, .timeout, .interrupted, .noAudioStream,
    .audioMissing, .missingField, .badField,
    .badTemplate, .badSubtitles, .subtitleMissing, .unsupported, .connection, .badResponse, .emptyAnswer, .commandFailed, .badImage, .imageMissing,
    .mediaOutsideRoots, .contextExceeded, .tooManyImages, .thinkingTruncated, .badAudio, .cancelled, .internalError,
  ]
  private static let byName: [String: ErrorCode] = Dictionary(uniqueKeysWithValues: allNamed.map { ($0.rawValue, $0) })

  public init(rawValue: String) {
    if let c = Self.byName[rawValue] {
      self = c
    } else if rawValue.hasPrefix("http_"), let s = Int(rawValue.dropFirst(5)), (100...599).contains(s) {
      self = .http(s)
    } else {
      self = .other(rawValue)
    }
  }

  public var rawValue: String {
    switch self {
    case .http(let s): return "http_\(s)"
    case .other(let s): return s
    case .videoMissing: return "video_missing"
    case .notAFile: return "not_a_file"
    case .openFailed: return "open_failed"
    case .demuxFailed: return "demux_failed"
    case .noVideoStream: return "no_video_stream"
    case .unsupportedCodec: return "unsupported_codec"
    case .badHeader: return "bad_header"
    case .zeroFrames: return "zero_frames"
    case .truncated: return "truncated"
    case .seekFailed: return "seek_failed"
    case .decodeFailed: return "decode_failed"
    case .encodeFailed: return "encode_failed"
    case .writeFailed: return "write_failed"
    case .outOfMemory: return "out_of_memory"
    case .frameMissing: return "frame_missing"
    case .badBounds: return "bad_bounds"
    case .badIndex: return "bad_index"
    case .timeout: return "timeout"
    case .interrupted: return "interrupted"
    case .noAudioStream: return "no_audio_stream"
    case .audioMissing: return "audio_missing"
    case .badAudio: return "bad_audio"
    case .missingField: return "missing_field"
    case .badField: return "bad_field"
    case .badTemplate: return "bad_template"
    case .badSubtitles: return "bad_subtitles"
    case .subtitleMissing: return "subtitle_missing"
    case .unsupported: return "unsupported"
    case .connection: return "connection"
    case .badResponse: return "bad_response"
    case .emptyAnswer: return "empty_answer"
    case .commandFailed: return "command_failed"
    case .badImage: return "bad_image"
    case .imageMissing: return "image_missing"
    case .mediaOutsideRoots: return "media_outside_roots"
    case .cancelled: return "cancelled"
    case .contextExceeded: return "context_exceeded"
    case .tooManyImages: return "too_many_images"
    case .thinkingTruncated: return "thinking_truncated"
    case .internalError: return "internal"
    }
  }

  public var description: String { rawValue }
}

/// The error object of a failed record: `{"stage": ..., "code": ..., "message": ...}` plus any
/// extra fields the stage adds (vinfer: `status`, `body`, `attempts`).
public struct RecordError: Sendable, Equatable, Error, CustomStringConvertible {
  /// The stage that failed the record (text: a user program may write its own).
  public var stage: String
  public var code: ErrorCode
  public var message: String
  /// Further fields, kept in order after the three above.
  public var extra: JSONObject

  public init(stage: Stage, code: ErrorCode, message: String, extra: JSONObject = JSONObject()) {
    self.init(stageName: stage.rawValue, code: code, message: message, extra: extra)
  }

  init(stageName: String, code: ErrorCode, message: String, extra: JSONObject) {
    self.stage = stageName
    self.code = code
    self.message = message
    self.extra = extra
  }

  /// The error object of a record, when it has one (a malformed one reads as `other` codes).
  public init?(record: JSONObject) {
    guard let v = record[RecordKey.error] else { return nil }
    guard let o = v.objectValue else {
      self.init(stageName: "", code: .other(""), message: v.scalarText ?? JSONSerializer.serialize(v), extra: JSONObject())
      return
    }
    var extra = JSONObject()
    for (k, x) in o.pairs where k != "stage" && k != "code" && k != "message" { extra[k] = x }
    self.init(
      stageName: o["stage"]?.scalarText ?? "", code: ErrorCode(rawValue: o["code"]?.scalarText ?? ""),
      message: o["message"]?.scalarText ?? "", extra: extra)
  }

  public var json: JSONValue {
    var o = JSONObject([("stage", .string(stage)), ("code", .string(code.rawValue)), ("message", .string(message))])
    for (k, v) in extra.pairs { o[k] = v }
    return .object(o)
  }

  public var description: String { message }
}

/// VLMEvalKit's marker for an answer that could not be obtained (`FAIL_MSG`, reference
/// section 1): vinfer writes it as the prediction of a record that failed.
public enum FailMarker {
  public static let message = "Failed to obtain answer via API."
}

/// Option letters: `A`, `B`, ... (index 0 is `A`; past `Z` they repeat, as VLMEvalKit's
/// `chr(65 + i)` would not, but no benchmark has more than 26 options).
public enum OptionLetter {
  public static let all: [String] = (0..<26).map { String(UnicodeScalar(UInt8(65 + $0))) }

  /// The letter of option `i`.
  public static func at(_ i: Int) -> String { all[((i % 26) + 26) % 26] }

  /// The index of a letter (`A` is 0), nil for anything else.
  public static func index(of letter: String) -> Int? { all.firstIndex(of: letter) }
}

extension JSONObject {
  /// This record's error object, typed.
  public var recordError: RecordError? { RecordError(record: self) }

  /// Marks the record failed with `error`.
  public mutating func setError(_ error: RecordError) { self[RecordKey.error] = error.json }
}

/// The one rule for vinfer's answers, used by vinfer's resume, vmerge and vscore's judge
/// replies: when an answer is failed, and which of two answers for one id stands.
public enum AnswerRule {
  /// A record is failed when it carries an error object, has no text prediction, or its
  /// prediction holds VLMEvalKit's fail marker.
  public static func isFailed(_ record: JSONObject) -> Bool {
    guard record[RecordKey.error] == nil, let p = record[RecordKey.prediction]?.scalarText else { return true }
    return p.containsBytes(of: FailMarker.message)
  }

  /// Whether a later answer replaces an earlier one for the same id: a success beats a
  /// failure, then the latest wins.
  public static func laterReplaces(laterFailed: Bool, earlierFailed: Bool) -> Bool {
    !(laterFailed && !earlierFailed)
  }
}
