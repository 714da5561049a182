import Foundation

/// Horizontal bar charts as SVG: one group of bars per category, one bar per model. The
/// colours are mid-tone (readable on white and on near-black); text and axes use the page's
/// foreground through a `prefers-color-scheme` style inside the SVG, so a chart opened on its
/// own is readable in either scheme too.
public enum BarChart {
  /// Mid-tone colours distinguishable on light and dark backgrounds.
  public static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#9c755f", "#edc948", "#76b7b2"]

  /// `values[category][model]` (nil: no score); `maximum`: the axis end (100 for percentages,
  /// else the largest value).
  public static func svg(title: String, categories: [String], models: [String], values: [[Double?]], maximum: Double? = nil) -> String {
    let top = maximum ?? max(values.flatMap { $0 }.compactMap { $0 }.max() ?? 1, 1e-9)
    let labelWidth = 200.0, barArea = 440.0, barHeight = 14.0, gap = 10.0
    let groupHeight = Double(max(models.count, 1)) * barHeight + gap
    let legendHeight = 22.0 * Double((models.count + 2) / 3)
    let height = 34 + legendHeight + Double(categories.count) * groupHeight + 24
    let width = labelWidth + barArea + 70
    var s = """
      <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))">
      <title>\(HTML.text(title))</title>
      <style>text{font:12px system-ui,sans-serif;fill:#1f2328}.axis{stroke:#8c959f}.t{font-weight:600}
      @media (prefers-color-scheme: dark){text{fill:#e6edf3}.axis{stroke:#6e7681}}</style>
      <text class="t" x="0" y="16">\(HTML.text(title))</text>

      """
    for (i, m) in models.enumerated() {
      let x = Double(i % 3) * 220, y = 30 + Double(i / 3) * 22
      s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"12\" height=\"12\" fill=\"\(palette[i % palette.count])\"/>"
      s += "<text x=\"\(f(x + 18))\" y=\"\(f(y + 11))\">\(HTML.text(clip(m, 30)))</text>\n"
    }
    let y0 = 34 + legendHeight
    for (c, name) in categories.enumerated() {
      let gy = y0 + Double(c) * groupHeight
      s +=
        "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(gy + groupHeight / 2 - gap / 2 + 4))\" text-anchor=\"end\">\(HTML.text(clip(name, 30)))<title>\(HTML.text(name))</title></text>\n"
      for (m, model) in models.enumerated() {
        let v = c < values.count && m < values[c].count ? values[c][m] : nil
        let y = gy + Double(m) * barHeight
        let w = v.map { max(0, min(1, $0 / top)) * barArea } ?? 0
        s += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y + 1))\" width=\"\(f(w))\" height=\"\(f(barHeight - 2))\" fill=\"\(palette[m % palette.count])\">"
        s += "<title>\(HTML.text(model)): \(v.map { String(format: "%.2f", $0) } ?? "no score")</title></rect>"
        s += "<text x=\"\(f(labelWidth + w + 4))\" y=\"\(f(y + barHeight - 3))\">\(v.map { String(format: "%.1f", $0) } ?? "n/a")</text>\n"
      }
    }
    let axisBottom = y0 + Double(categories.count) * groupHeight
    s += "<line class=\"axis\" x1=\"\(f(labelWidth))\" y1=\"\(f(y0))\" x2=\"\(f(labelWidth))\" y2=\"\(f(axisBottom))\"/>"
    s += "<line class=\"axis\" x1=\"\(f(labelWidth))\" y1=\"\(f(axisBottom))\" x2=\"\(f(labelWidth + barArea))\" y2=\"\(f(axisBottom))\"/>"
    s += "<text x=\"\(f(labelWidth))\" y=\"\(f(axisBottom + 16))\">0</text>"
    s += "<text x=\"\(f(labelWidth + barArea))\" y=\"\(f(axisBottom + 16))\" text-anchor=\"end\">\(HTML.text(String(format: "%g", top)))</text>\n"
    return s + "</svg>\n"
  }

  static func f(_ v: Double) -> String { String(format: "%.1f", v) }

  static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
}
