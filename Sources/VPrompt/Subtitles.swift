import Foundation
import VCore

/// One subtitle event, times in milliseconds.
struct SubtitleEvent: Equatable {
  var start: Int
  var end: Int
  var text: String
}

/// SubRip (.srt) reading as pysubs2 does it for VLMEvalKit: events in file order, the lines of
/// an event joined with `\N`, `<i>`/`<b>`/`<u>`/`<s>` turned into ASS override tags, other tags
/// removed.
enum SRT {
  static func parse(_ text: String) -> [SubtitleEvent] {
    var events: [SubtitleEvent] = []
    let lines = text.replacingCR().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var i = 0
    while i < lines.count {
      guard let (start, end) = timing(lines[i]) else {
        i += 1
        continue
      }
      i += 1
      var body: [String] = []
      while i < lines.count, !PyText.strip(lines[i]).isEmpty {
        // The next event's number followed by a timing line ends this one.
        if i + 1 < lines.count, Int(PyText.strip(lines[i])) != nil, timing(lines[i + 1]) != nil { break }
        body.append(lines[i])
        i += 1
      }
      events.append(SubtitleEvent(start: start, end: end, text: tags(body.joined(separator: "\\N"))))
    }
    return events
  }

  /// `HH:MM:SS,mmm --> HH:MM:SS,mmm` (also `.` for the comma, missing hours).
  static func timing(_ line: String) -> (Int, Int)? {
    // Most lines are text: skip them before any Foundation string work.
    guard line.utf8.contains(UInt8(ascii: ">")) else { return nil }
    let parts = line.components(separatedBy: "-->")
    guard parts.count == 2, let a = time(parts[0]),
      let b = time(parts[1].split(separator: " ", omittingEmptySubsequences: true).first.map(String.init) ?? "")
    else { return nil }
    return (a, b)
  }

  static func time(_ s: String) -> Int? {
    let t = PyText.strip(s).replacingOccurrences(of: ",", with: ".")
    let f = t.split(separator: ":").map(String.init)
    guard (2...3).contains(f.count) else { return nil }
    let h = f.count == 3 ? digits(f[0]) : 0
    let m = digits(f[f.count - 2])
    let secParts = f[f.count - 1].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    guard let h, let m, let first = secParts.first, let sec = digits(first) else { return nil }
    var ms = 0
    if secParts.count == 2 {
      let frac = String(secParts[1].prefix(3))
      guard let v = digits(frac) else { return nil }
      ms = v * [100, 10, 1][frac.count - 1]
    }
    // Checked arithmetic: an absurd hour field is not a time (it used to trap; found by fuzzing).
    let (hm, o1) = h.multipliedReportingOverflow(by: 60)
    let (hm2, o2) = hm.addingReportingOverflow(m)
    let (hms, o3) = hm2.multipliedReportingOverflow(by: 60)
    let (hms2, o4) = hms.addingReportingOverflow(sec)
    let (msTotal, o5) = hms2.multipliedReportingOverflow(by: 1000)
    let (total, o6) = msTotal.addingReportingOverflow(ms)
    return o1 || o2 || o3 || o4 || o5 || o6 ? nil : total
  }

  /// A field of ASCII digits only (pysubs2's `\\d+`: no sign, no spaces), or nil; nil also
  /// when it does not fit an Int.
  static func digits(_ s: String) -> Int? {
    guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(s)
  }

  static func tags(_ s: String) -> String {
    var out = ""
    var i = s.startIndex
    // Once no '>' follows, no later '<' can open a tag: stop looking (a text of many '<'
    // without '>' used to take quadratic time).
    var closed = true
    while i < s.endIndex {
      if closed, s[i] == "<" {
        guard let close = s[i...].firstIndex(of: ">") else {
          closed = false
          continue
        }
        let tag = s[s.index(after: i)..<close].lowercased().trimmingCharacters(in: .whitespaces)
        switch tag {
        case "i", "b", "u", "s": out += "{\\\(tag)1}"
        case "/i", "/b", "/u", "/s": out += "{\\\(tag.dropFirst())0}"
        default: break
        }
        i = s.index(after: close)
        continue
      }
      out.append(s[i])
      i = s.index(after: i)
    }
    return out
  }

  /// Video-MME's subtitle text for sampled frames: for each frame index `f`, the time
  /// `int(round(f * (1000/fps)))` ms; the first event with `start < t < end`; `\N` -> space;
  /// non-blank texts kept (duplicates too), joined with newlines.
  static func videoMMEText(events: [SubtitleEvent], frameIndices: [Int], fps: Double) -> String {
    var kept: [String] = []
    for f in frameIndices {
      let t = PyText.round(Double(f) * (1000 / fps))
      if let e = events.first(where: { $0.start < t && t < $0.end }) {
        let text = e.text.replacingOccurrences(of: "\\N", with: " ")
        if !PyText.strip(text).isEmpty { kept.append(text) }
      }
    }
    return kept.joined(separator: "\n")
  }
}

extension String {
  func replacingCR() -> String { replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
}
