import Foundation
import VCore
import VSheet

/// One line of the printed score table.
public struct SummaryRow: Sendable, Equatable {
  /// The grouping (`overall`, `task_type`, `duration=short`, ...).
  public var group: String
  /// The category within the group.
  public var name: String
  /// Correct answers (or the score sum), where the metric counts.
  public var correct: Double?
  /// Questions counted.
  public var total: Int
  /// The metric: an accuracy in percent, or a mean score.
  public var value: Double?

  public init(group: String, name: String, correct: Double? = nil, total: Int, value: Double?) {
    self.group = group
    self.name = name
    self.correct = correct
    self.total = total
    self.value = value
  }
}

/// What vscore prints: the headline, the rows, and how they were produced.
public struct Summary: Sendable {
  public var dataset: String
  public var rules: String
  public var mode: String
  /// `accuracy %`, `mean score (0-3)`, ...
  public var metric: String
  public var rows: [SummaryRow]
  /// Lines explaining the numbers (judge use, VLMEvalKit quirks in effect).
  public var notes: [String] = []

  public init(dataset: String, rules: String, mode: String, metric: String, rows: [SummaryRow]) {
    self.dataset = dataset
    self.rules = rules
    self.mode = mode
    self.metric = metric
    self.rows = rows
  }
}

/// `--format` values.
public enum ReportFormat: String, Sendable, CaseIterable {
  case text, md, csv, json
}

/// Renders a summary for stdout.
public enum Report {
  package static func number(_ v: Double?, digits: Int = 2) -> String {
    guard let v, v.isFinite else { return "nan" }
    return String(format: "%.\(digits)f", v)
  }

  package static func count(_ v: Double?) -> String {
    guard let v else { return "" }
    return v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
  }

  public static func render(_ s: Summary, format: ReportFormat) -> String {
    switch format {
    case .json:
      let rows: [JSONValue] = s.rows.map { r in
        var o = JSONObject([("group", .string(r.group)), ("name", .string(r.name))])
        o["correct"] = r.correct.map { JSONValue.number(count($0)) } ?? .null
        o["total"] = .int(r.total)
        o["value"] = r.value.flatMap { $0.isFinite ? JSONValue.number(number($0, digits: 4)) : nil } ?? .null
        return .object(o)
      }
      let o = JSONObject([
        ("dataset", .string(s.dataset)), ("rules", .string(s.rules)), ("mode", .string(s.mode)),
        ("metric", .string(s.metric)), ("rows", .array(rows)), ("notes", .array(s.notes.map { .string($0) })),
      ])
      return JSONSerializer.pretty(.object(o), indent: 2) + "\n"
    case .csv:
      let q = TableWriter.csvCell
      var out = "dataset,mode,group,name,correct,total,\(q(s.metric))\n"
      for r in s.rows {
        out += [s.dataset, s.mode, r.group, r.name, count(r.correct), String(r.total), number(r.value)].map(q).joined(separator: ",") + "\n"
      }
      return out
    case .md:
      var out = "**\(s.dataset)**, \(s.rules) rules, \(s.mode) mode\n\n"
      out += "| group | category | correct | total | \(s.metric) |\n|---|---|---:|---:|---:|\n"
      for r in s.rows {
        let esc = { (t: String) in t.replacingOccurrences(of: "|", with: "\\|") }
        out += "| \(esc(r.group)) | \(esc(r.name)) | \(count(r.correct)) | \(r.total) | \(number(r.value)) |\n"
      }
      for n in s.notes { out += "\n- \(n)" }
      return out + (s.notes.isEmpty ? "" : "\n")
    case .text:
      let header = ["group", "category", "correct", "total", s.metric]
      let body = s.rows.map { [$0.group, $0.name, count($0.correct), String($0.total), number($0.value)] }
      var widths = header.map(\.count)
      for row in body { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
      func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
          let pad = String(repeating: " ", count: widths[i] - c.count)
          return i >= 2 ? pad + c : c + pad
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
      }
      var out = "\(s.dataset): \(s.rules) rules, \(s.mode) mode\n"
      out += line(header) + "\n"
      var lastGroup: String?
      for (r, row) in zip(s.rows, body) {
        if let g = lastGroup, g != r.group { out += "\n" }
        lastGroup = r.group
        out += line(row) + "\n"
      }
      for n in s.notes { out += "note: \(n)\n" }
      return out
    }
  }
}
