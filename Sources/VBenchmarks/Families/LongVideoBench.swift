import VCore
import VData
import VPrompt
import VScore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// LongVideoBench (VLMEvalKit `vlmeval/dataset/longvideobench.py`; reference 5.5).

extension Benchmark {
  public static let longVideoBench: Benchmark = {
    let video = VideoRule(field: "video_path", keyStripsExtension: true)
    return Benchmark(
      name: "LongVideoBench", datasets: ["LongVideoBench"],
      configs: BenchmarkConfig.subtitledVariants.map {
        BenchmarkConfig("LongVideoBench_\($0.suffix)", dataset: "LongVideoBench", spec: $0.spec, video: video, subtitles: $0.subtitles)
      },
      prompt: LongVideoBenchPrompt(), scoring: LetterScorer.Rule(name: "longvideobench", spec: LongVideoBenchPrompt.rating),
      sources: [DatasetSource(name: "LongVideoBench", repo: "longvideobench/LongVideoBench", preparation: LongVideoBenchPreparation())])
  }()
}

/// `LongVideoBench.build_prompt`: an empty text, the frames (with subtitles interleaved by
/// time when asked), then the question, `A. option` lines and the letter instruction.
struct LongVideoBenchPrompt: PromptTemplate {
  var name: String { "longvideobench" }
  var constants: [String] { [PromptText.letterDirectly] }

  func build(_ t: TemplateInput) throws(PromptError) -> [MessageItem] {
    let cands = try t.candidates()
    var text = try t.field("question") + "\n"
    text += cands.enumerated().map { "\(PromptText.letter($0.offset)). \($0.element)" }.joined(separator: "\n")
    text += "\n" + PromptText.letterDirectly
    let middle = t.subtitles && !t.videoLLM ? try SubtitleText.longVideoBenchInterleaved(t) : try t.visual()
    return [.text("")] + middle + [.text(text)]
  }

  static let durations = ["15", "60", "600", "3600"]
  static let categories = ["S2E", "S2O", "S2A", "E2O", "O2E", "T2E", "T2O", "T2A", "E3E", "O3O", "SSS", "SOS", "SAA", "T3E", "T3O", "TOS", "TAA"]

  static let rating = LetterRating(
    name: "LongVideoBench", letters: "ABCDE", answer: .optionNumber("correct_choice"), durations: durations,
    durationColumn: "duration_group", integerDurations: true, dims: [("question_category", categories)], detail: "question_category")
}

/// `LongVideoBench.prepare_dataset`, in the snapshot folder (upstream works in
/// `get_cache_path`'s folder, which on a first run is the repo folder above the snapshot, where
/// `lvb_val.json` is not: it only works from the second run on). Unless `videos/` is there: every
/// `**/*.tar*` file (hidden ones aside) grouped by the path before its first `.tar`; a group's
/// sorted parts concatenated into `{base}.tar` when that is missing; that tar extracted into the
/// root when `{root}/{basename(base)}` is missing. All groups are extracted into one staging folder
/// and moved in with `videos/` last, so a `videos/` that exists is complete. Then the TSV:
/// `pd.read_json('lvb_val.json')` (pandas' column typing, see `PandasReadJSON`), `index` =
/// row number, `video` = `video_id`, `video_path` = `./videos/{video_path}`.
struct LongVideoBenchPreparation: DatasetPreparation {
  func isPrepared(_ source: DatasetSource, root: String) -> Bool {
    TSVIntegrity { $0["video_path"] }.holds(tsv: source.tsvPath(root: root), root: root)
  }

  func prepare(_ source: DatasetSource, root: String, diag: Diagnostics) throws(DataError) {
    if !Tree.exists(Tree.join(root, "videos")) { try Self.extractTars(root, diag: diag) }
    let path = Tree.join(root, "lvb_val.json")
    let columns = try PandasReadJSON.records(try SourceFiles.json(root, "lvb_val.json"), path: path)
    var names = columns.map(\.name)
    var values = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.values) })
    let n = columns.first?.values.count ?? 0
    func assign(_ name: String, _ v: [PyValue]) {
      if values[name] == nil { names.append(name) }
      values[name] = v
    }
    assign("index", (0..<n).map { .int($0) })
    guard let ids = values["video_id"] else { throw .badSource(path: path, reason: "no 'video_id' field (KeyError upstream)") }
    assign("video", ids)
    guard let paths = values["video_path"] else { throw .badSource(path: path, reason: "no 'video_path' field (KeyError upstream)") }
    var videoPaths: [PyValue] = []
    for (i, v) in paths.enumerated() {
      switch v {
      case .str(let s): videoPaths.append(.str("./videos/\(s)"))
      case .int(let k): videoPaths.append(.str("./videos/\(k)"))
      default: throw .badSource(path: path, reason: "record \(i): video_path is not a string")
      }
    }
    assign("video_path", videoPaths)
    var table = PandasTSV()
    for i in 0..<n { table.append(names.map { ($0, values[$0]![i]) }) }
    if n == 0 { table.select(names) }
    try Tree.writeAtomically(source.tsvPath(root: root), Array(table.text().utf8))
  }

  /// The tar step (see the type's comment).
  static func extractTars(_ root: String, diag: Diagnostics) throws(DataError) {
    let tars = Tree.files(under: root).filter { rel in
      !rel.split(separator: "/").contains { $0.hasPrefix(".") } && Tree.baseName(rel).contains(".tar")
    }
    var groups: [String: [String]] = [:]
    for rel in tars {
      let base = String(rel[..<rel.range(of: ".tar")!.lowerBound])
      groups[base, default: []].append(rel)
    }
    let staging = Tree.join(root, ".vdata-longvideobench-partial")
    for (base, parts) in groups.sorted(by: { $0.key < $1.key }) {
      let output = Tree.join(root, base + ".tar")
      if !Tree.exists(output) {
        diag.verbose("concatenating \(parts.count) parts into \(base).tar")
        try Tree.concatenate(parts.sorted().map { Tree.join(root, $0) }, into: output)  // `concat_tar_parts`
      }
      let folder = Tree.baseName(base)
      if !Tree.exists(Tree.join(root, folder)) && !Tree.exists(Tree.join(staging, folder)) {
        diag.verbose("extracting \(base).tar")
        try ArchiveExtractor.extract(output, into: staging)
      }
    }
    guard Tree.isDirectory(staging) else { return }
    for name in Tree.list(staging).filter({ $0 != "videos" }) + ["videos"] {
      let from = Tree.join(staging, name)
      let to = Tree.join(root, name)
      if Tree.isDirectory(from) && !Tree.isSymlink(from) {
        try Tree.mergeMove(from: from, into: to)
      } else if Tree.exists(from) || Tree.isSymlink(from) {
        try Tree.rename(from, to)
      }
    }
    Tree.removeTree(staging)
  }
}

/// `pd.read_json(path)` (pandas 2: `orient='columns'`, `dtype=True`, `precise_float=False`) of a
/// JSON list of records, as the columns it gives `to_csv`: columns in order of first appearance;
/// numbers parsed as pandas' ujson parses them (a fraction's digits summed in doubles, so a long
/// fraction can differ from Python's `float` in the last place); then each column typed as pandas
/// types it: numbers with a null or missing value become float64 (NaN prints empty); a column of
/// numbers, or of strings that all read as Python `float`s, becomes int64 when every value is
/// integral, else float64; booleans stay booleans; strings, lists and dicts stay as they are.
/// Mixtures pandas coerces in ways not reproduced here (booleans with nulls or numbers, numbers
/// with strings, date-like column names) are refused rather than guessed.
enum PandasReadJSON {
  struct Column {
    var name: String
    var values: [PyValue]
  }

  static func records(_ json: JSONValue, path: String) throws(DataError) -> [Column] {
    guard let list = json.arrayValue else { throw .badSource(path: path, reason: "not a JSON list of records") }
    var names: [String] = []
    var seen: Set<String> = []
    var objects: [JSONObject] = []
    for (i, item) in list.enumerated() {
      guard let o = item.objectValue else { throw .badSource(path: path, reason: "item \(i) is not an object") }
      for k in o.keys where !seen.contains(k) {
        seen.insert(k)
        names.append(k)
      }
      objects.append(o)
    }
    var columns: [Column] = []
    for name in names {
      if isDateLike(name) { throw .badSource(path: path, reason: "column '\(name)': pandas would parse it as dates; not reproduced") }
      columns.append(Column(name: name, values: try typed(objects.map { $0[name] }, name: name, path: path)))
    }
    return columns
  }

  /// `keep_default_dates`' names.
  static func isDateLike(_ name: String) -> Bool {
    let l = name.lowercased()
    return l.hasSuffix("_at") || l.hasSuffix("_time") || l.hasPrefix("timestamp") || l == "modified" || l == "date" || l == "datetime"
  }

  private static func typed(_ cells: [JSONValue?], name: String, path: String) throws(DataError) -> [PyValue] {
    var nulls = 0
    var numbers = 0
    var strings = 0
    var bools = 0
    var containers = 0
    for c in cells {
      switch c {
      case nil, .null?: nulls += 1
      case .number?: numbers += 1
      case .string?: strings += 1
      case .bool?: bools += 1
      case .array?, .object?: containers += 1
      }
    }
    let present = cells.count - nulls
    func refuse(_ why: String) -> DataError { .badSource(path: path, reason: "column '\(name)': \(why); pandas' typing of it is not reproduced") }
    if present == 0 { return cells.map { _ in .none } }
    let objectColumn =
      containers > 0 || (strings == present && cells.contains { c in c?.stringValue.map { pyFloat($0) == nil } ?? false })
    if objectColumn {
      return try cells.map { c throws(DataError) in try c.map { v throws(DataError) in try value(v, path: path) } ?? .none }
    }
    if bools == present {
      if nulls > 0 { throw refuse("booleans with nulls") }
      return cells.map { c in c.map { PyValue(json: $0) } ?? .none }
    }
    if bools > 0 { throw refuse("booleans mixed with other values") }
    if numbers > 0 && strings > 0 { throw refuse("numbers mixed with strings") }
    // All numbers, or all strings that read as floats (with nulls): float64, then int64 when whole.
    var doubles: [Double?] = []
    var ints: [Int?] = []
    var sawFloat = false
    for c in cells {
      switch c {
      case .number(let text)?:
        if let i = Int(text) {
          ints.append(i)
          doubles.append(Double(i))
        } else if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
          throw refuse("an integer beyond 64 bits")
        } else {
          let d = ujsonDouble(text)
          sawFloat = true
          doubles.append(d)
          ints.append(nil)
        }
      case .string(let s)?:
        let d = pyFloat(s)!
        sawFloat = true
        doubles.append(d)
        ints.append(nil)
      default:
        doubles.append(nil)
        ints.append(nil)
      }
    }
    if nulls > 0 { return doubles.map { $0.map { PyValue.float($0) } ?? .float(.nan) } }
    if !sawFloat { return ints.map { .int($0!) } }
    let whole = doubles.allSatisfy { d in d.map { $0.isFinite && $0 == $0.rounded() && abs($0) < 9.2e18 } ?? false }
    return whole ? doubles.map { .int(Int($0!)) } : doubles.map { .float($0!) }
  }

  /// A cell of an object column (its floats as ujson reads them, nested too).
  private static func value(_ v: JSONValue, path: String) throws(DataError) -> PyValue {
    switch v {
    case .number(let text):
      if let i = Int(text) { return .int(i) }
      if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
        throw .badSource(path: path, reason: "an integer beyond 64 bits: \(text)")
      }
      return .float(ujsonDouble(text))
    case .array(let a):
      var out: [PyValue] = []
      for x in a { out.append(try value(x, path: path)) }
      return .list(out)
    case .object(let o):
      var out: [(String, PyValue)] = []
      for (k, x) in o.pairs { out.append((k, try value(x, path: path))) }
      return .dict(out)
    default: return PyValue(json: v)
    }
  }

  /// pandas' ujson without `precise_float`: integer part as an integer, at most 15 fraction
  /// digits summed as `f * 10 + d` in doubles, then `(int + f * 10^-count) * sign`, times
  /// `pow(10, exponent)`.
  static func ujsonDouble(_ text: String) -> Double {
    let pow10: [Double] = [
      1, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001, 0.0000001, 0.00000001, 0.000000001, 0.0000000001, 0.00000000001,
      0.000000000001, 0.0000000000001, 0.00000000000001, 0.000000000000001,
    ]
    var u = Substring(text).utf8[...]
    var sign = 1.0
    if u.first == UInt8(ascii: "-") {
      sign = -1
      u = u.dropFirst()
    }
    var intValue: UInt64 = 0
    while let c = u.first, c >= 48 && c <= 57 {
      intValue = intValue &* 10 &+ UInt64(c - 48)
      u = u.dropFirst()
    }
    var fraction = 0.0
    var count = 0
    if u.first == UInt8(ascii: ".") {
      u = u.dropFirst()
      while let c = u.first, c >= 48 && c <= 57 {
        if count < 15 {
          fraction = fraction * 10 + Double(c - 48)
          count += 1
        }
        u = u.dropFirst()
      }
    }
    var result = (Double(intValue) + fraction * pow10[count]) * sign
    if let c = u.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
      u = u.dropFirst()
      var expSign = 1.0
      if u.first == UInt8(ascii: "-") {
        expSign = -1
        u = u.dropFirst()
      } else if u.first == UInt8(ascii: "+") {
        u = u.dropFirst()
      }
      var exp = 0.0
      while let c = u.first, c >= 48 && c <= 57 {
        exp = exp * 10 + Double(c - 48)
        u = u.dropFirst()
      }
      result *= pow(10.0, exp * expSign)
    }
    return result
  }

  /// Python's `float(str)` for ASCII text (surrounding whitespace, `_` between digits,
  /// `inf`/`infinity`/`nan`), nil when it raises. Text with other Unicode digits is not read.
  static func pyFloat(_ s: String) -> Double? {
    func space(_ u: Unicode.Scalar) -> Bool { u.properties.isWhitespace || (28...31).contains(u.value) }
    var scalars = Substring(s).unicodeScalars[...]
    while let f = scalars.first, space(f) { scalars = scalars.dropFirst() }
    while let l = scalars.last, space(l) { scalars = scalars.dropLast() }
    guard !scalars.isEmpty, scalars.allSatisfy({ $0.isASCII }) else { return nil }
    var body = Substring(String(scalars))
    var sign = 1.0
    if body.first == "+" || body.first == "-" {
      if body.first == "-" { sign = -1 }
      body = body.dropFirst()
    }
    switch body.lowercased() {
    case "inf", "infinity": return sign * .infinity
    case "nan": return .nan
    default: break
    }
    // digits ('_' only between digits), an optional '.', an optional exponent
    let chars = Array(body)
    var i = 0
    var clean = ""
    func digits() -> Bool {
      let start = i
      while i < chars.count {
        if chars[i].isASCII && chars[i].isNumber {
          clean.append(chars[i])
          i += 1
        } else if chars[i] == "_" && i > start && i + 1 < chars.count && chars[i - 1].isNumber && chars[i + 1].isASCII && chars[i + 1].isNumber {
          i += 1
        } else {
          break
        }
      }
      return i > start
    }
    let intPart = digits()
    var fracPart = false
    if i < chars.count && chars[i] == "." {
      clean.append(".")
      i += 1
      fracPart = digits()
    }
    guard intPart || fracPart else { return nil }
    if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
      clean.append("e")
      i += 1
      if i < chars.count && (chars[i] == "+" || chars[i] == "-") {
        clean.append(chars[i])
        i += 1
      }
      guard digits() else { return nil }
    }
    guard i == chars.count, let d = Double(clean) else { return nil }
    return sign * d
  }
}
