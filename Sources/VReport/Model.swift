import VCore

/// One line of a score table (`vscore`'s text output).
public struct CategoryScore: Sendable, Equatable {
  public var group: String
  public var name: String
  public var correct: String
  public var total: Int?
  /// The metric's value; nil for `nan`.
  public var value: Double?

  public init(group: String, name: String, correct: String = "", total: Int? = nil, value: Double?) {
    self.group = group
    self.name = name
    self.correct = correct
    self.total = total
    self.value = value
  }
}

/// What `vscore` printed for one result table (`scores.txt`).
public struct ScoreTable: Sendable, Equatable {
  public var dataset: String
  public var rules: String
  public var mode: String
  /// `accuracy %`, `mean score (0-3)`, ...
  public var metric: String
  public var rows: [CategoryScore]
  public var notes: [String]

  /// The headline: the `overall` row, else the first.
  public var overall: CategoryScore? { rows.first { $0.group == "overall" } ?? rows.first }
  /// The grouping the per-category rows use first (`task_type`, `category`, ...), if any.
  public var categoryGroup: String? { rows.first { $0.group != "overall" }?.group }
}

/// One prompt item as sent (`messages`): role, type and value.
public struct PromptItem: Sendable, Equatable {
  public var role: String
  public var type: String
  public var value: String

  public init(role: String, type: String, value: String) {
    self.role = role
    self.type = type
    self.value = value
  }
}

/// What one model answered to one question.
public struct ModelAnswer: Sendable, Equatable {
  public var prediction: String?
  /// The option letter read from the prediction (Video-MME's `extract_characters`), where the
  /// question has lettered options.
  public var extracted: String?
  /// The score vscore gave the row (`_score.xlsx`), as text; nil when unscored.
  public var score: String?
  public var judgeReply: String?
  public var reasoning: String?
  /// The record's error message, when the answer failed.
  public var error: String?

  /// `right` (score above 0), `wrong` (score 0) or `unscored`.
  public var verdict: String {
    guard let s = score, let v = Double(s), v.isFinite else { return "unscored" }
    return v > 0 ? "right" : "wrong"
  }
}

/// One question of a dataset, as the records and the result table give it.
public struct QuestionRecord: Sendable, Equatable {
  public var id: String
  public var category: String?
  public var question: String?
  public var answer: String?
  public var video: String?
  /// Frame image paths, as the record names them.
  public var frames: [String] = []
  public var messages: [PromptItem] = []
  /// Option letters the question offers (`A`..), for the extracted option.
  public var letters: String?
}

/// One (model, dataset) run: its scores, files and answers.
public struct ModelRun: Sendable {
  public var model: String
  public var dataset: String
  public var scores: ScoreTable?
  /// The judge's name (the `_{judge}_score.xlsx` infix), where a judge scored the run.
  public var judge: String?
  /// The sampling spec the frames were made with (`method=uniform nframe=8 ...`).
  public var frameSpec: String?
  /// The earliest `inference.started_at`, else the result table's modification date.
  public var date: String?
  /// The run's result table, score files and run notes (copied under DIR and linked).
  public var files: [String] = []
  /// Where the run was read from (for messages).
  public var source: String
  /// The questions, in the order first seen.
  public var questions: [QuestionRecord] = []
  /// Answers by question id.
  public var answers: [String: ModelAnswer] = [:]
  /// Lines that could not be read (reported; the tool exits 1).
  public var problems: [String] = []
}
