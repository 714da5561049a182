/// The one reader of vinfer's answer logs (its JSON Lines output), for vinfer's resume, vmerge and
/// vscore's judge replies: which answer stands for each id, and what was wrong with the files.
///
/// The rules (vtools-records(5)):
/// - a UTF-8 byte-order mark is skipped; blank lines (nothing but spaces and tabs) are skipped;
/// - a line must be a JSON object with a non-empty `id` (text or number); a line that is not is
///   *torn* when it is the file's last line and has no newline (what a writer killed mid-write
///   leaves), else *malformed*; both are reported with file and line and otherwise ignored;
/// - a record is failed by `AnswerRule.isFailed`; of two records for one id a success beats a
///   failure, then the latest wins (`AnswerRule.laterReplaces`), over all files in order.
public struct AnswerLog: Sendable {
  /// The standing answer for one id.
  public struct Entry: Sendable {
    public var id: String
    /// The prediction as text: a string as it is, a number or boolean as its text (`null` as
    /// the empty string), an array or object as its JSON; nil when there is none.
    public var prediction: String?
    /// The record's error object.
    public var error: RecordError?
    /// `inference.request_hash`: the prompt and settings that produced the answer.
    public var requestHash: String?
    /// `inference.model`: the model that answered.
    public var model: String?
    /// The question ids of a pack record (vprompt's packed prompts), nil for other records.
    public var pack: [String]?
    /// `AnswerRule.isFailed` of the record.
    public var failed: Bool
    /// Where the standing record is.
    public var location: SourceLocation
    /// How many records the logs hold for this id (1 when there is no duplicate).
    public var occurrences: Int
    /// The standing record's position among all records read (0-based, over all files).
    public var sequence: Int

    /// The answer fields of `record` (the rest of a record, the prompt and the dataset's
    /// columns, is not kept: memory follows the answers, not the prompts).
    init(id: String, record: JSONObject, location: SourceLocation, sequence: Int) {
      self.id = id
      failed = AnswerRule.isFailed(record)
      prediction = record[RecordKey.prediction].map { $0.scalarText ?? JSONSerializer.serialize($0) }
      error = RecordError(record: record)
      let inference = record[RecordKey.inference]?.objectValue
      requestHash = inference?["request_hash"]?.stringValue
      model = inference?["model"]?.stringValue
      pack = record[RecordKey.pack]?.arrayValue?.compactMap(\.scalarText)
      self.location = location
      occurrences = 1
      self.sequence = sequence
    }
  }

  /// A line that was ignored.
  public struct Issue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      /// The file's last line, without a newline, is not a record: a writer was killed mid-write.
      case torn
      /// A line that is not a record; the reason says why (`invalid JSON ...`,
      /// `expected a JSON object, found array`, `the record has no 'id'`).
      case malformed(reason: String)
    }
    public var location: SourceLocation
    public var kind: Kind
  }

  /// The standing answer of every id.
  public private(set) var entries: [String: Entry] = [:]
  /// Every record with a pack list, in the order read, duplicates included (vmerge unpacks each:
  /// a pack asked again may answer other questions than the first time).
  public private(set) var packs: [Entry] = []
  /// The ignored lines, in the order read.
  public private(set) var issues: [Issue] = []
  /// The files whose last byte is not a newline (see `fence`), by the names used in locations.
  public private(set) var unterminated: [String] = []
  /// How many records were read (duplicates included).
  public private(set) var recordCount = 0
  /// The `inference.model` of the first and of the last record that names one.
  public private(set) var firstModel: String?
  public private(set) var lastModel: String?

  public init() {}

  /// Reads the logs at `paths` (`-` is standard input), in order.
  public static func read(paths: [String]) throws -> AnswerLog {
    var log = AnswerLog()
    for path in paths { try log.add(ByteReader(path: path)) }
    return log
  }

  /// Reads one log from memory (tests).
  public static func read(bytes: [UInt8], name: String = "<memory>") throws -> AnswerLog {
    var log = AnswerLog()
    try log.add(ByteReader(bytes: bytes, name: name))
    return log
  }

  /// The standing entries, in the order of their records (`sequence`).
  public var ordered: [Entry] { entries.values.sorted { $0.sequence < $1.sequence } }

  /// The torn last lines.
  public var torn: [SourceLocation] { issues.filter { $0.kind == .torn }.map(\.location) }

  /// The malformed lines.
  public var malformed: [(location: SourceLocation, reason: String)] {
    issues.compactMap { i in
      if case .malformed(let why) = i.kind { return (i.location, why) }
      return nil
    }
  }

  /// Reads the rest of `reader` into the log.
  public mutating func add(_ reader: ByteReader) throws {
    var issues: [Issue] = []
    let terminated = try Self.scan(reader, firstSequence: recordCount, issue: { issues.append($0) }) { self.add($0) }
    self.issues += issues
    if !terminated { unterminated.append(reader.name) }
  }

  /// Reads the logs at `paths` record by record, in order, keeping none of them: `record` sees
  /// every record (duplicates included, `occurrences` 1), `issue` every ignored line. For a
  /// reader that applies `AnswerRule.laterReplaces` itself as it goes (vmerge), so memory
  /// holds only what it keeps. Returns the files whose last byte is not a newline.
  public static func scan(paths: [String], issue: (Issue) -> Void, record: (Entry) -> Void) throws -> [String] {
    var unterminated: [String] = []
    var sequence = 0
    for path in paths {
      let reader = try ByteReader(path: path)
      let terminated = try scan(reader, firstSequence: sequence, issue: issue) { e in
        sequence += 1
        record(e)
      }
      if !terminated { unterminated.append(reader.name) }
    }
    return unterminated
  }

  /// The line loop: BOM, blank lines, torn and malformed lines, records. Returns false when the
  /// reader's last line had no newline.
  private static func scan(_ reader: ByteReader, firstSequence: Int, issue: (Issue) -> Void, record: (Entry) -> Void) throws -> Bool {
    try reader.skipBOM()
    var sawLine = false
    var sequence = firstSequence
    while let line = try reader.nextLine() {
      sawLine = true
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      let loc = SourceLocation(file: reader.name, line: reader.lineNumber)
      switch parse(line) {
      case .bad(let why):
        issue(Issue(location: loc, kind: reader.lastLineTerminated ? .malformed(reason: why) : .torn))
      case .record(let id, let o):
        record(Entry(id: id, record: o, location: loc, sequence: sequence))
        sequence += 1
      }
    }
    return !(sawLine && !reader.lastLineTerminated)
  }

  private mutating func add(_ entry: Entry) {
    let id = entry.id
    let failed = entry.failed
    recordCount += 1
    if entry.pack != nil { packs.append(entry) }
    if let m = entry.model {
      if firstModel == nil { firstModel = m }
      lastModel = m
    }
    guard let prev = entries[id] else {
      entries[id] = entry
      return
    }
    if AnswerRule.laterReplaces(laterFailed: failed, earlierFailed: prev.failed) {
      var e = entry
      e.occurrences = prev.occurrences + 1
      entries[id] = e
    } else {
      entries[id]?.occurrences += 1
    }
  }

  private enum Line {
    case record(id: String, JSONObject)
    case bad(String)
  }

  /// A line as a record with its id, or why it is not one.
  private static func parse(_ line: [UInt8]) -> Line {
    let value: JSONValue
    do {
      value = try JSONParser.parse(line)
    } catch {
      return .bad("invalid JSON \(error)")
    }
    guard let o = value.objectValue else { return .bad("expected a JSON object, found \(value.typeName)") }
    guard let id = o[RecordKey.id]?.scalarText, !id.isEmpty else { return .bad("the record has no 'id'") }
    return .record(id: id, o)
  }

  /// Makes sure a record appended to the log at `path` starts on a line of its own: appends a
  /// newline when the file's last byte is not one (a torn last line is fenced off, not continued).
  public static func fence(_ path: String) throws {
    guard let bytes = try? FileIO.readTail(path, count: 1), let last = bytes.last, last != 0x0A else { return }
    let w = try RecordWriter.appending(to: path)
    try w.writeLine([0x0A])
    try w.close()
  }
}
