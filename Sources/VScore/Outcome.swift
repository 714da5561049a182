import Foundation
import VCore

/// What one benchmark's scoring produced.
public struct Outcome: Sendable {
  /// The `score` column (nil: NaN).
  public var scores: [String?]
  /// `_rating.json` content, where the dataset has one.
  public var rating: JSONValue?
  /// `_acc.csv` content (header + rows), where the dataset has one.
  public var acc: (columns: [String], rows: [[String]])?
  /// The infix of the output files: `""`, or `_{judge}` for judge-scored datasets.
  public var fileInfix = ""
  public var summary: Summary
  /// Rows that could not be scored because their data is bad (reported, exit status 1).
  public var badRows = 0
  /// The column of `_score.xlsx` that holds `scores` (VideoMMMU: `parsed_pred`), and whether
  /// its cells are numbers.
  public var scoreColumn = "score"
  /// The score file's name after the infix (VCR-Bench: `_answer_score.xlsx`).
  public var scoreFileSuffix = "_score.xlsx"
  public var numericScores = true
  /// More files beside the result, `{stem}{infix}{suffix}` (VideoMMMU's `_score_score.csv`).
  public var csvFiles: [QuotedCSV] = []
  /// Further rating files, `{stem}{infix}{suffix}.json` (MVTamperBench's `_task_type_rating`).
  public var extraRatings: [(suffix: String, value: JSONValue)] = []
  /// Further tables, `{stem}{infix}{suffix}.xlsx` (MVTamperBench's `_score_f1`); `numeric`
  /// names the columns written as numbers.
  public var sheets: [(suffix: String, columns: [String], rows: [[String]], numeric: Set<Int>)] = []
  /// The sheet name of a `sheets` table by its suffix where VLMEvalKit names it (the EASI
  /// families' `sheet_name='ALL'`); `Sheet1` otherwise.
  public var sheetNames: [String: String] = [:]
  /// Further tables VLMEvalKit writes beside the main ones (Q-Bench-Video's per-sub-dataset
  /// tables and score files).
  public var sideTables: [SideTable] = []
  /// Further text files, `{stem}{infix}{suffix}`, written as they are (V2P-Bench's
  /// `_score.json` records and `_score.txt` log).
  public var textFiles: [(suffix: String, text: String)] = []
  /// The score file's rows, where they are not the result table's (Video-MMLU CAP, VDC: a row
  /// per QA pair); `scores` is then one per row of this table.
  public var table: (columns: [String], rows: [[String?]])?
  /// Every `_acc.csv` cell quoted (pandas' `csv.QUOTE_ALL`, as VLMEvalKit's `dump` writes it).
  public var accQuoteAll = false

  package init(
    scores: [String?], rating: JSONValue? = nil, acc: (columns: [String], rows: [[String]])? = nil, fileInfix: String = "",
    summary: Summary, badRows: Int = 0, sideTables: [SideTable] = []
  ) {
    self.scores = scores
    self.rating = rating
    self.acc = acc
    self.fileInfix = fileInfix
    self.summary = summary
    self.badRows = badRows
    self.sideTables = sideTables
  }
}

/// A table written as `{dir}/{stem with from replaced by to}{suffix}.xlsx`, the name Python's
/// `eval_file.replace(from, to)` then `get_intermediate_file_path(..., suffix)` give.
public struct SideTable: Sendable {
  public var from: String
  public var to: String
  public var suffix: String
  public var columns: [String]
  public var rows: [[String?]]
  /// Columns written as numbers where the cell is one.
  public var numericColumns: Set<String>

  package init(from: String, to: String, suffix: String, columns: [String], rows: [[String?]], numericColumns: Set<String> = []) {
    self.from = from
    self.to = to
    self.suffix = suffix
    self.columns = columns
    self.rows = rows
    self.numericColumns = numericColumns
  }

  /// The file name for a result file's stem.
  public func fileName(stem: String) -> String { stem.replacingOccurrences(of: from, with: to) + suffix + ".xlsx" }
}

/// Everything a benchmark needs besides the table.
public struct ScoreContext {
  public var strict: Bool
  /// nil: no judge (VLMEvalKit's `exact_matching`).
  public var judged: JudgeReplies?
  /// The judge's short name, for file names.
  public var judgeName: String
  public var dataset: String
  public var diag: Diagnostics
  /// The result file's name without its extension (`{model}_{dataset}`), where a rule needs the
  /// model part; vscore sets it.
  public var fileStem = ""
  public var mode: String { strict ? "strict" : "parity" }

  public init(strict: Bool, judged: JudgeReplies?, judgeName: String, dataset: String, diag: Diagnostics) {
    self.strict = strict
    self.judged = judged
    self.judgeName = judgeName
    self.dataset = dataset
    self.diag = diag
  }
}

/// A table VLMEvalKit writes with `dump` to `.csv` (pandas `to_csv(index=False,
/// quoting=csv.QUOTE_ALL)`): every cell quoted, `"` doubled, `\n` line ends.
public struct QuotedCSV: Sendable, Equatable {
  public var suffix: String
  public var columns: [String]
  public var rows: [[String]]

  public init(suffix: String, columns: [String], rows: [[String]]) {
    self.suffix = suffix
    self.columns = columns
    self.rows = rows
  }

  public var text: String {
    func line(_ cells: [String]) -> String {
      cells.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
    }
    return line(columns) + rows.map(line).joined()
  }
}
