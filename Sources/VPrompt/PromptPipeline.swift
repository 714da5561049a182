import Foundation
import VCore

/// vprompt's settings.
public struct PromptOptions: Sendable {
  /// The template (a benchmark's, a generic one, or a user's file: `PromptOptions.templateFile`).
  public var template: any PromptTemplate
  public var pack = false
  public var subtitles = false
  public var videoLLM = false
  public var strict = false
  /// The dataset root, for subtitle files.
  public var dataRoot: String = "."

  public init(template: any PromptTemplate) { self.template = template }

  /// A user's template file (see vprompt(1), TEMPLATE FILES).
  public static func templateFile(_ path: String) throws -> any PromptTemplate { try UserTemplate.load(path) }

  /// Whether `--template VALUE` names a file rather than a built-in template.
  public static func isTemplatePath(_ value: String) -> Bool { value.contains("/") || value.hasSuffix(".json") }
}

/// vprompt's main loop: adds `messages` and `template` to every record, in input order; pack
/// mode groups the rows of each video into one record.
public final class PromptPipeline {
  private let options: PromptOptions
  private let diag: Diagnostics
  private let template: any PromptTemplate
  private var failed = 0
  private var dataErrors = 0
  private var written = 0
  private var warned = Set<String>()

  public init(options: PromptOptions, diagnostics: Diagnostics) throws {
    self.options = options
    self.diag = diagnostics
    self.template = options.template
    if options.pack && !(options.template is any PackPromptTemplate) {
      throw SimpleToolError("pack mode needs a template with a pack form (mmbench_video); '\(options.template.name)' has none", status: .usage)
    }
  }

  private func input(_ rec: JSONObject) -> TemplateInput {
    TemplateInput(
      record: rec, videoLLM: options.videoLLM, datasetRoot: options.dataRoot, subtitles: options.subtitles, strict: options.strict,
      warn: { [diag] msg in diag.warning(msg) })
  }

  private func templateObject() -> JSONValue {
    .object(JSONObject([("name", .string(template.name)), ("hash", .string(template.hash))]))
  }

  private func errorObject(_ e: PromptError) -> JSONValue {
    RecordError(stage: .vprompt, code: e.code, message: e.message).json
  }

  public func run(inputs: [String], writer: RecordWriter) throws -> ExitStatus {
    var packs: [(video: String, rows: [InputRecord])] = []
    var packIndex: [String: Int] = [:]
    for path in inputs {
      let reader = try RecordReader(path: path)
      while let item = try reader.next() {
        if Interrupt.requested { throw StreamError.interrupted }
        let rec: InputRecord
        switch item {
        case .failure(let e):
          diag.error(at: e.location, e.message)
          dataErrors += 1
          continue
        case .success(let r): rec = r
        }
        if options.pack {
          guard let video = rec.fields["video"]?.scalarText else {
            var out = rec.fields
            out["error"] = errorObject(.missing("video"))
            failed += 1
            diag.error(at: rec.location, "id \(rec.id): the record has no 'video' field (pack mode groups by it)")
            try writer.write(out)
            continue
          }
          if let i = packIndex[video] {
            packs[i].rows.append(rec)
          } else {
            packIndex[video] = packs.count
            packs.append((video, [rec]))
          }
          continue
        }
        try writer.write(prompt(rec))
        written += 1
      }
    }
    for p in packs {
      try writer.write(pack(video: p.video, rows: p.rows))
      written += 1
    }
    if failed > 0 || dataErrors > 0 {
      var parts: [String] = []
      if failed > 0 { parts.append("\(failed) of \(written) records failed") }
      if dataErrors > 0 { parts.append("\(dataErrors) malformed input lines skipped") }
      diag.note(parts.joined(separator: "; "))
    }
    if dataErrors > 0 { return .dataError }
    return failed > 0 ? .failure : .success
  }

  /// One record's prompt (nopack).
  func prompt(_ rec: InputRecord) -> JSONObject {
    var out = rec.fields
    if out["error"] != nil { return out }  // failed upstream: passed through untouched
    do throws(PromptError) {
      let items = try template.build(input(out))
      out["messages"] = .array(items.map(\.json))
      out["template"] = templateObject()
    } catch {
      out["error"] = errorObject(error)
      failed += 1
      diag.error(at: rec.location, "id \(rec.id): \(error.message)")
    }
    return out
  }

  /// MMBench-Video pack mode: all questions of one video in one request, keyed by dataset index.
  func pack(video: String, rows: [InputRecord]) -> JSONObject {
    let first = rows[0].fields
    var out = JSONObject()
    out["id"] = .string("pack:" + video)
    out["video"] = .string(video)
    out["pack"] = .array(rows.map { .string($0.id) })
    for k in ["frames", "frame_indices", "frame_times", "video_info", "sampling", "frame_groups"] {
      if let v = first[k] { out[k] = v }
    }
    if let bad = rows.first(where: { $0.fields["error"] != nil }) {
      out["error"] = bad.fields["error"]
      failed += 1
      return out
    }
    do throws(PromptError) {
      if options.videoLLM {
        throw PromptError(code: .unsupported, message: "pack mode is for frame input only (VLMEvalKit builds no pack prompt for video-LLMs)")
      }
      let t = input(first)
      let frames = try t.visual()
      var pairs: [(String, String)] = []
      for r in rows {
        guard let idx = r.fields["index"]?.scalarText, let i = PyText.int(idx) else {
          throw PromptError(code: .badField, message: "row \(r.id): pack mode needs an integer 'index'")
        }
        guard let q = r.fields["question"]?.scalarText else { throw PromptError.missing("question") }
        pairs.append((String(i), q))
      }
      guard let packTemplate = template as? any PackPromptTemplate else { throw PromptError(code: .unsupported, message: "no pack form") }
      let items = packTemplate.buildPack(frames: frames, questions: pairs, strict: options.strict)
      out["messages"] = .array(items.map(\.json))
      out["template"] = templateObject()
    } catch {
      out["error"] = errorObject(error)
      failed += 1
      diag.error("video \(video): \(error.message)")
    }
    return out
  }
}
