import Foundation
import VCore

/// Subtitles placed in a prompt, from the files the datasets ship.
public enum SubtitleText {
  /// Video-MME's subtitle text (WorldSense uses it too): `{root}/{subtitle_path}` (SRT) matched
  /// to the sampled frames, between `head` and `tail`; without `--subtitles` it is `noSubtitles`.
  /// A missing file keeps the subtitle form with no subtitles, as VLMEvalKit does.
  public static func videoMME(_ t: TemplateInput, noSubtitles: String, head: String, tail: String) throws(PromptError) -> String {
    guard t.subtitles else { return noSubtitles }
    var text = ""
    if let rel = t.optionalField("subtitle_path"), !rel.isEmpty {
      let path = rel.hasPrefix("/") ? rel : t.datasetRoot + "/" + (rel.hasPrefix("./") ? String(rel.dropFirst(2)) : rel)
      if case .missing = FileIO.fileKind(path) {
        t.warn("subtitle file \(path) not found: using the subtitle template with no subtitles (as VLMEvalKit)")
      } else {
        // A regular file of bounded size (a FIFO or a huge file is an error record, not a hang).
        let data = try LongVideoBenchSubtitles.load(path)
        let events = SRT.parse(String(decoding: data, as: UTF8.self))
        guard let fps = t.avgFPS else { throw PromptError(code: .missingField, message: "subtitles need video_info.avg_fps (from vframes)") }
        text = SRT.videoMMEText(events: events, frameIndices: t.frameIndices, fps: fps)
      }
    } else {
      t.warn("record has no subtitle_path: using the subtitle template with no subtitles")
    }
    return head + text + tail
  }

  /// The events of an SRT file as pysubs2 loads them, in file order: start and end in
  /// milliseconds, the lines of an event joined with `\N` (CG-Bench builds its own text from
  /// them). A missing file, or one that is not a regular file of bounded size, is an error.
  public static func srtEvents(path: String) throws(PromptError) -> [(start: Int, end: Int, text: String)] {
    let data = try LongVideoBenchSubtitles.load(path)
    return SRT.parse(String(decoding: data, as: UTF8.self)).map { ($0.start, $0.end, $0.text) }
  }

  /// LongVideoBench's subtitles interleaved with the frames by time (JSON subtitle files).
  public static func longVideoBenchInterleaved(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    try LongVideoBenchSubtitles.interleave(t)
  }
}
