internal import CFFmpeg
import VCore

/// An error from the media layer, with the FFmpeg function that failed and FFmpeg's message.
public struct MediaError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, as a stable code for error records (`open_failed`, `decode_failed`, ...).
  public var code: ErrorCode
  /// A human message naming the cause.
  public var message: String
  /// The FFmpeg return code, when an FFmpeg call failed.
  public var averror: Int32?

  public init(code: ErrorCode, message: String, averror: Int32? = nil) {
    self.code = code
    self.message = message
    self.averror = averror
  }

  public var description: String { message }

  /// The processing time limit ran out.
  public static func timeout(_ seconds: Double?) -> MediaError {
    let s = seconds.map { " (\(formatSeconds($0)))" } ?? ""
    return MediaError(code: .timeout, message: "time limit reached\(s)")
  }
}

func formatSeconds(_ s: Double) -> String {
  if s == s.rounded() { return "\(Int(s)) s" }
  return "\(s) s"
}

/// FFmpeg's message for an error code (`av_strerror`).
func ffmpegErrorString(_ code: Int32) -> String {
  withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buf in
    String(cString: cffmpeg_err2str(code, buf.baseAddress, buf.count))
  }
}

let averrorEOF = cffmpeg_averror_eof()
let averrorEAGAIN = cffmpeg_averror(EAGAIN)
let averrorExit = cffmpeg_averror_exit()
let noPTS = cffmpeg_nopts_value()

/// Calls an FFmpeg function that returns a negative `AVERROR` on failure.
///
/// - Parameters:
///   - function: The C function name, for the message (e.g. `"avcodec_open2"`).
///   - code: The error code to report (`open_failed`, `decode_failed`, ...).
///   - context: What was being worked on, for the message (a path).
/// - Returns: The non-negative return value.
@discardableResult
func ffmpegCall(_ function: StaticString, code: ErrorCode, context: String, _ body: () -> Int32) throws(MediaError) -> Int32 {
  let r = body()
  guard r >= 0 else {
    if r == averrorExit { throw MediaError(code: .timeout, message: "\(context): time limit reached (\(function))", averror: r) }
    throw MediaError(code: code, message: "\(context): \(ffmpegErrorString(r)) (\(function))", averror: r)
  }
  return r
}

/// FFmpeg's own log: quiet by default (errors only), more with `-v`.
public enum MediaLog {
  /// 0: errors are silenced too (the tools report them); 1: warnings; 2: info; 3: debug.
  public static func setVerbosity(_ level: Int) {
    let l: Int32
    switch level {
    case ..<1: l = AV_LOG_QUIET
    case 1: l = AV_LOG_WARNING
    case 2: l = AV_LOG_INFO
    default: l = AV_LOG_DEBUG
    }
    av_log_set_level(l)
  }

  /// The libav* versions, for `--version` and run records.
  public static var versionString: String {
    "libavformat \(versionText(avformat_version())), libavcodec \(versionText(avcodec_version())), libswscale \(versionText(swscale_version())), libavutil \(versionText(avutil_version()))"
  }

  private static func versionText(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)" }
}
