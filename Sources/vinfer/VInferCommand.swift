import ArgumentParser
import Foundation
import VCLI
import VCore
import VInference

@main
struct VInferCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vinfer",
    abstract: "Answer prompts with an OpenAI-compatible server, the chance baseline or your own program.",
    discussion: """
      Reads vprompt records (JSON Lines) and writes each with "prediction" and "inference" added \
      (the "messages" dropped unless --keep-messages). Requests are built as VLMEvalKit's GPT wrapper \
      builds them. Up to -j requests are in flight; failures are retried with exponential backoff \
      and jitter (Retry-After honoured); after the last attempt the prediction is VLMEvalKit's \
      "Failed to obtain answer via API." and the record carries an "error". With --output FILE the \
      answers are appended to FILE as they finish, and a rerun with the same FILE asks only what is \
      missing or failed. See vinfer(1).
      """,
    version: vtoolsVersion)

  @Argument(help: InputFiles.help("JSONL from vprompt"))
  var inputs: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "openai (an OpenAI-compatible server), chance (seeded random option letters, no network) or command (your program).", valueName: "NAME"))
  var backend: String = "openai"

  @Option(name: .long, help: ArgumentHelp("Server URL, e.g. http://localhost:8000/v1 (default: $OPENAI_API_BASE).", valueName: "URL"))
  var apiBase: String?

  @Option(name: .long, help: ArgumentHelp("Model name sent to the server and recorded with each answer.", valueName: "NAME"))
  var model: String?

  @Option(
    name: .long, help: ArgumentHelp("Environment variable holding the API key (default OPENAI_API_KEY); local servers need none.", valueName: "NAME"))
  var apiKeyEnv: String = "OPENAI_API_KEY"

  @Option(
    name: .long,
    help: ArgumentHelp("The program for --backend command, run with /bin/sh -c: request JSON on stdin, answer on stdout.", valueName: "CMD"))
  var command: String?

  @Option(
    name: [.customShort("j"), .long],
    help: ArgumentHelp("Requests in flight at most, or 'auto': found while the run goes, up to --max-j.", valueName: "N|auto"))
  var jobs: String = String(InferOptions.defaultJobs)

  @Option(name: .long, help: ArgumentHelp("The most requests in flight -j auto may reach.", valueName: "N"))
  var maxJ: Int = 256

  /// `-j`: the fixed level, or nil for `auto`.
  func parsedJobs() throws -> Int? {
    if jobs == "auto" { return nil }
    guard let n = Int(jobs), n >= 1, n <= 4096 else { throw ValidationError("-j must be between 1 and 4096, or auto.") }
    return n
  }

  /// Requests in flight at most: `-j N`, or `--max-j` for `-j auto`.
  var jobLimit: Int { ((try? parsedJobs()) ?? nil) ?? maxJ }

  @Option(name: .long, help: ArgumentHelp("Time limit per request in seconds.", valueName: "SECONDS"))
  var timeout: Double = InferOptions.defaultTimeout

  @Option(name: .long, help: ArgumentHelp("Attempts per record, the first included.", valueName: "N"))
  var attempts: Int = RetryPolicy.standard.attempts

  @Option(name: .long, help: ArgumentHelp("Base of the exponential backoff between attempts, in seconds.", valueName: "SECONDS"))
  var backoff: Double = RetryPolicy.standard.backoffBase

  @Option(name: .long, help: ArgumentHelp("Sampling temperature.", valueName: "T"))
  var temperature: Double = 0

  @Option(name: .long, help: ArgumentHelp("max_tokens of each request.", valueName: "N"))
  var maxTokens: Int = 2048

  @Option(
    name: .long, help: ArgumentHelp("reasoning_effort of each request (low, medium, high, ...; o-series and reasoning servers).", valueName: "LEVEL"))
  var reasoningEffort: String?

  @Flag(name: .long, help: "The prediction is the answer after a leading <think>...</think> block (the thinking stays in inference.reasoning).")
  var stripThink = false

  @Flag(name: .long, help: "Ask again when a reply was cut at the token limit inside its thinking (thinking_truncated).")
  var retryTruncated = false

  @Option(name: .long, help: ArgumentHelp("Shrink images so the longer side is at most N pixels before sending (re-encodes).", valueName: "N"))
  var imgSize: Int?

  @Option(
    name: .long, help: ArgumentHelp("The image detail hint: low, high or auto (default: low for api.openai.com, none elsewhere).", valueName: "LEVEL")
  )
  var imgDetail: String?

  @Flag(name: .long, help: "Send file:// URLs instead of the image and video bytes (for servers on this machine).")
  var localMedia = false

  @Option(name: .long, help: ArgumentHelp("A JSON object merged into every request body (server-specific settings).", valueName: "JSON"))
  var extraBody: String?

  @Option(
    name: [.customShort("o"), .long], help: ArgumentHelp("Append answers to FILE as they finish and resume from it ('-': stdout).", valueName: "FILE")
  )
  var output: String?

  @Flag(name: .long, help: "On resume, do not ask again for records that failed before.")
  var keepFailed = false

  @Flag(name: .long, help: "Write records in input order (default: as they finish).")
  var keepOrder = false

  @Flag(name: .long, help: "Keep the messages field in the output records.")
  var keepMessages = false

  @Option(
    name: .long, help: ArgumentHelp("Process input positions I, I+N, I+2N, ... only (0-based; VLMEvalKit's rank::world_size).", valueName: "I/N"))
  var shard: String?

  @Option(name: .long, help: ArgumentHelp("Seed of the chance backend.", valueName: "N"))
  var seed: UInt64 = 0

  @Option(
    name: .long,
    help: ArgumentHelp("Directory media may be read from (repeatable; default: the frame cache root and the current directory).", valueName: "DIR"))
  var mediaRoot: [String] = []

  @Flag(name: .long, help: "Print the request bodies (images elided) instead of sending them.")
  var dryRun = false

  @Flag(name: .long, help: "With --dry-run: print each request's image count and payload bytes instead of its body, and a summary.")
  var stats = false

  @Option(name: .long, help: ArgumentHelp("Fail a record whose prompt has more than N images, before any request (0: no limit).", valueName: "N"))
  var maxImages: Int = 0

  @Flag(name: .long, help: "Do not check at start that the server serves --model (GET /v1/models).")
  var noModelCheck = false

  @OptionGroup var diagnostics: DiagnosticOptions

  func parsedShard() throws -> (Int, Int) {
    guard let shard else { return (0, 1) }
    let p = shard.split(separator: "/")
    guard p.count == 2, let i = Int(p[0]), let n = Int(p[1]), n >= 1, i >= 0, i < n else {
      throw ValidationError("--shard must be I/N with 0 <= I < N, e.g. 0/4.")
    }
    return (i, n)
  }

  func validate() throws {
    guard BackendKind(rawValue: backend) != nil else { throw ValidationError("--backend must be openai, chance or command.") }
    if backend == "command" && command == nil { throw ValidationError("--backend command needs --command CMD.") }
    _ = try parsedJobs()
    if maxJ < 1 || maxJ > 4096 { throw ValidationError("--max-j must be between 1 and 4096.") }
    if stats && !dryRun { throw ValidationError("--stats goes with --dry-run.") }
    if maxImages < 0 { throw ValidationError("--max-images must not be negative.") }
    if attempts < 1 { throw ValidationError("--attempts must be at least 1.") }
    if !(timeout > 0) { throw ValidationError("--timeout must be positive.") }
    if backoff < 0 { throw ValidationError("--backoff must not be negative.") }
    if let e = reasoningEffort, e.isEmpty || e.contains(where: { $0.isWhitespace }) {
      throw ValidationError("--reasoning-effort must be a single word such as low, medium or high.")
    }
    if let d = imgDetail, !["low", "high", "auto"].contains(d) { throw ValidationError("--img-detail must be low, high or auto.") }
    _ = try parsedShard()
  }

  func run() async throws {
    try await ToolMain.runAsync(tool: "vinfer", verbosity: diagnostics.verbosity) { diag in
      let kind = BackendKind(rawValue: backend) ?? .openai
      var settings = RequestSettings(model: model ?? kind.defaultModel)
      settings.temperature = temperature
      settings.maxTokens = maxTokens
      settings.reasoningEffort = reasoningEffort
      settings.maxImages = maxImages
      settings.imageSize = imgSize ?? 0
      settings.localMedia = localMedia
      if let e = extraBody {
        guard let o = (try? JSONParser.parse(e))?.objectValue else {
          throw SimpleToolError("--extra-body must be a JSON object", status: .usage)
        }
        settings.extraBody = o
      }
      settings.mediaRoots = RequestSettings.resolvedMediaRoots(mediaRoot)
      var choice = BackendChoice(kind: kind)
      choice.apiBase = apiBase
      choice.apiKeyEnv = apiKeyEnv
      choice.command = command
      choice.seed = seed
      choice.imageDetail = imgDetail
      choice.dryRun = dryRun
      choice.connections = jobLimit
      let be = try choice.make(settings: &settings)
      var o = InferOptions(settings: settings)
      o.jobs = jobLimit
      o.adaptiveJobs = try parsedJobs() == nil
      o.timeout = timeout
      o.retry.attempts = attempts
      o.retry.backoffBase = backoff
      o.keepOrder = keepOrder
      o.keepMessages = keepMessages
      o.keepFailed = keepFailed
      o.output = output
      (o.shardIndex, o.shardCount) = try parsedShard()
      o.dryRun = dryRun
      o.stripThink = stripThink
      o.stats = stats
      o.checkModel = !noModelCheck
      o.retry.retryTruncated = retryTruncated
      o.verbose = diagnostics.verbosity >= 1
      o.progress = diagnostics.progress.mode
      return try await InferencePipeline(options: o, backend: be, diagnostics: diag).run(inputs: InputFiles.orStdin(inputs))
    }
  }
}
