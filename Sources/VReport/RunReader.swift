import Foundation
import VCore
import VScore

/// An error that stops vreport: its message and exit status.
public struct ReportError: ToolError, Equatable {
  public var message: String
  public var exitStatus: ExitStatus
  public init(_ message: String, status: ExitStatus) {
    self.message = message
    self.exitStatus = status
  }
  public var description: String { message }
}

/// The files of one run as a folder holds them: `pipelines/Makefile`'s
/// `WORK/NAME/MODEL/` (answers.I.jsonl, MODEL_NAME.xlsx, its score files, scores.txt,
/// settings.txt, versions.txt) or `make demo`'s `demo/run/`.
public struct RunFiles: Sendable, Equatable {
  public var directory: String
  /// The result table (`{model}_{dataset}.xlsx`, or .tsv/.csv/.json/.jsonl).
  public var table: String?
  /// `{stem}_score.xlsx`, `{stem}_{judge}_score.xlsx`, `_rating.json`, `_acc.csv`, ...
  public var scoreFiles: [String] = []
  /// vinfer answer logs.
  public var answerLogs: [String] = []
  /// `{stem}_judge_answers.jsonl` (pipelines/judge.sh).
  public var judgeLogs: [String] = []
  /// scores.txt, settings.txt, versions.txt, where present.
  public var notes: [String] = []
  /// vprompt's records (`prompts.jsonl` in the folder or the one above, where the Makefile
  /// keeps it): the prompt as sent, which vinfer's log does not repeat.
  public var prompts: [String] = []
}

/// Finds runs under the paths vreport is given.
public enum RunFinder {
  /// Names in a run folder that are neither answers nor tables.
  static let stageFiles: Set<String> = ["frames.jsonl", "prompts.jsonl"]
  static let noteFiles = ["scores.txt", "settings.txt", "versions.txt"]
  static let tableExtensions: Set<String> = ["xlsx", "tsv", "csv"]

  /// Each PATH: a folder (searched up to `depth` levels for run folders), a result table
  /// (with the score files and notes beside it) or an answer log.
  public static func find(_ paths: [String], depth: Int = 4, skipping output: String? = nil) throws -> [RunFiles] {
    var runs: [RunFiles] = []
    let skip = output.flatMap(RunPaths.real)
    for p in paths {
      switch FileIO.fileKind(p) {
      case .directory:
        let found = scan(p, depth: depth, skip: skip)
        if found.isEmpty { throw ReportError("\(p): no run found (no answer log or result table up to \(depth) folders down)", status: .noInput) }
        runs += found
      case .regular:
        let dir = (p as NSString).deletingLastPathComponent.isEmpty ? "." : (p as NSString).deletingLastPathComponent
        let name = (p as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        if ext == "jsonl" {
          runs.append(RunFiles(directory: dir, answerLogs: [p], prompts: promptFiles(dir, names: FileIO.directoryEntries(dir) ?? [])))
        } else if ResultTable.extensions.contains(ext) {
          var r = classify(dir, names: FileIO.directoryEntries(dir) ?? [])
          r.table = p
          let stem = (name as NSString).deletingPathExtension
          r.scoreFiles = (FileIO.directoryEntries(dir) ?? []).filter {
            $0.hasPrefix(stem + "_") && !$0.hasSuffix("_judge_prompts.jsonl") && !$0.hasSuffix("_judge_answers.jsonl")
          }
          .sorted().map { join(dir, $0) }
          r.judgeLogs = FileIO.directoryEntries(dir)?.filter { $0 == stem + "_judge_answers.jsonl" }.map { join(dir, $0) } ?? []
          runs.append(r)
        } else {
          throw ReportError("\(p): not a run folder, a result table (.xlsx, .tsv, .csv, .json, .jsonl) or an answer log", status: .usage)
        }
      case .missing:
        throw ReportError("\(p): no such file or folder", status: .noInput)
      case .other:
        throw ReportError("\(p): not a regular file or a folder", status: .usage)
      }
    }
    return runs
  }

  /// `prompts.jsonl` in the folder, else in the folder above.
  static func promptFiles(_ dir: String, names: [String]) -> [String] {
    if names.contains("prompts.jsonl") { return [join(dir, "prompts.jsonl")] }
    let up = join(dir, "..")
    return (FileIO.directoryEntries(up) ?? []).contains("prompts.jsonl") ? [join(up, "prompts.jsonl")] : []
  }

  static func join(_ dir: String, _ name: String) -> String { dir == "." ? name : (dir as NSString).appendingPathComponent(name) }

  static func scan(_ dir: String, depth: Int, skip: String?) -> [RunFiles] {
    if let skip, RunPaths.real(dir) == skip { return [] }
    let names = (FileIO.directoryEntries(dir) ?? []).sorted()
    // A site vreport wrote (its copies of tables are no runs).
    if names.contains("report.json") && names.contains("index.html") && names.contains("assets") { return [] }
    var runs: [RunFiles] = []
    let here = classify(dir, names: names)
    if here.table != nil || !here.answerLogs.isEmpty { runs.append(here) }
    guard depth > 0 else { return runs }
    for n in names where !n.hasPrefix(".") {
      let sub = join(dir, n)
      if case .directory = FileIO.fileKind(sub) { runs += scan(sub, depth: depth - 1, skip: skip) }
    }
    return runs
  }

  /// The run in one folder: its table (an .xlsx that no other's stem prefixes), the score
  /// files (named after the table's stem), answer logs (the other .jsonl files), notes.
  static func classify(_ dir: String, names: [String]) -> RunFiles {
    var r = RunFiles(directory: dir)
    let xlsx = names.filter { $0.lowercased().hasSuffix(".xlsx") }
    let stems = xlsx.map { ($0 as NSString).deletingPathExtension }
    let tables = xlsx.filter { n in !stems.contains { s in n != s + ".xlsx" && n.hasPrefix(s + "_") } }
    // Two tables in one folder: each is its own run only when named on the command line.
    if let t = tables.sorted().first {
      r.table = join(dir, t)
      let stem = (t as NSString).deletingPathExtension
      r.scoreFiles = names.filter {
        $0.hasPrefix(stem + "_") && !$0.hasSuffix("_judge_prompts.jsonl") && !$0.hasSuffix("_judge_answers.jsonl")
      }.sorted().map { join(dir, $0) }
      r.judgeLogs = names.filter { $0 == stem + "_judge_answers.jsonl" }.map { join(dir, $0) }
    }
    let claimed = Set(r.scoreFiles + r.judgeLogs + (r.table.map { [$0] } ?? []))
    r.answerLogs = names.filter {
      $0.hasSuffix(".jsonl") && !stageFiles.contains($0) && !$0.hasSuffix("_judge_prompts.jsonl") && !$0.hasSuffix("_judge_answers.jsonl")
        && !claimed.contains(join(dir, $0))
    }.sorted().map { join(dir, $0) }
    r.notes = noteFiles.filter { names.contains($0) }.map { join(dir, $0) }
    r.prompts = promptFiles(dir, names: names)
    return r
  }
}

/// Path checks: real paths (symbolic links resolved) and containment.
public enum RunPaths {
  /// The real path of an existing file or folder, nil when it does not exist.
  public static func real(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// Whether `path` (a real path) lies inside the folder `root` (a real path).
  public static func isInside(_ path: String, _ root: String) -> Bool {
    let r = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(r)
  }

  /// The relative path segments from the folder `from` to `to` (both real, absolute).
  public static func relative(from: String, to: String) -> [String] {
    let a = from.split(separator: "/").map(String.init)
    let b = to.split(separator: "/").map(String.init)
    var i = 0
    while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
    return Array(repeating: "..", count: a.count - i) + b[i...]
  }
}
