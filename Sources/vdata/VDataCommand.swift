import ArgumentParser
import Foundation
import VBenchmarks
import VCLI
import VCore
import VData
import VHub

@main
struct VDataCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vdata",
    abstract: "Get a benchmark's data from the Hugging Face hub and prepare it as VLMEvalKit does.",
    discussion: """
      Downloads a dataset's repo into the Hugging Face cache (the layout huggingface_hub and \
      VLMEvalKit use, so neither downloads it again), extracts its archives and writes \
      {root}/{Dataset}.tsv as VLMEvalKit's prepare_dataset writes it. See vdata(1).
      """,
    version: vtoolsVersion,
    subcommands: [Fetch.self, Path.self, List.self])

  struct CacheOptions: ParsableArguments {
    @Option(
      name: .long,
      help: ArgumentHelp("The hub cache (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).", valueName: "DIR"))
    var cache: String?

    @Option(name: .long, help: ArgumentHelp("The branch, tag or commit (default: each dataset's, main for most).", valueName: "REV"))
    var revision: String?

    var hubCache: HubCache { HubCache(root: cache ?? HubEnvironment(ProcessInfo.processInfo.environment).cacheRoot) }
  }

  static func printLine(_ s: String) throws {
    try RecordWriter.standardOutput().writeLine(Array((s + "\n").utf8))
  }

  /// The datasets NAMES select: each a dataset name or a config name.
  static func sources(_ names: [String]) throws -> [DatasetSource] {
    try names.map { name in
      if let s = Registry.source(named: name) { return s }
      if Registry.benchmark(forDataset: name) != nil {
        throw SimpleToolError("vdata cannot get '\(name)' yet: see vdata list and vdata(1)", status: .usage)
      }
      throw SimpleToolError("unknown dataset '\(name)'; vdata list shows the datasets it knows", status: .usage)
    }
  }

  struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Download what is missing, prepare the datasets, print each one's root (one line per NAME).")

    @Argument(help: "VLMEvalKit dataset names (MVBench) or config names (MVBench_8frame).")
    var names: [String]

    @Option(name: .long, help: ArgumentHelp("The hub (default: $HF_ENDPOINT, else https://huggingface.co).", valueName: "URL"))
    var endpoint: String?

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Files downloaded at a time.", valueName: "N"))
    var jobs = 8

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
      if names.isEmpty { throw ValidationError("name at least one dataset (vdata list shows them)") }
      if jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    func run() async throws {
      try await ToolMain.runAsync(tool: "vdata", verbosity: diagnostics.verbosity) { diag in
        let sources = try VDataCommand.sources(names)
        let env = HubEnvironment(ProcessInfo.processInfo.environment)
        let client = try HubClient(endpoint: endpoint ?? env.endpoint, token: env.token)
        let options = FetchOptions(
          cache: cacheOptions.hubCache, revision: cacheOptions.revision, jobs: jobs, progress: diagnostics.progress.mode.isEnabled,
          offline: env.offline)
        let fetcher = Fetcher(client: client, options: options, diag: diag)
        do {
          for s in sources {
            let r = try await fetcher.fetch(s)
            try VDataCommand.printLine(r.root)
          }
        } catch {
          await client.shutdown()
          throw error
        }
        await client.shutdown()
        return .success
      }
    }
  }

  struct Path: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the root of a prepared dataset; exit 66 when it is not here.")

    @Argument(help: "A dataset or config name.")
    var name: String

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
      try ToolMain.run(tool: "vdata", verbosity: diagnostics.verbosity) { diag in
        let source = try VDataCommand.sources([name])[0]
        let fetcher = Fetcher(client: nil, options: FetchOptions(cache: cacheOptions.hubCache, revision: cacheOptions.revision), diag: diag)
        guard let root = fetcher.preparedRoot(source) else {
          throw SimpleToolError("\(source.name) is not prepared in \(cacheOptions.hubCache.root): run vdata fetch \(name)", status: .noInput)
        }
        try VDataCommand.printLine(root)
        return .success
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every dataset vdata knows: its repo, whether it is here, its size.")

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
      try ToolMain.run(tool: "vdata", verbosity: diagnostics.verbosity) { diag in
        let cache = cacheOptions.hubCache
        let fetcher = Fetcher(client: nil, options: FetchOptions(cache: cache, revision: cacheOptions.revision), diag: diag)
        var lines: [String] = []
        for s in Registry.sources {
          let state =
            fetcher.preparedRoot(s) != nil
            ? "prepared" : (cache.snapshotFolder(s.repo, revision: cacheOptions.revision ?? s.revision) != nil ? "downloaded" : "-")
          let size = cache.size(s.repo)
          lines.append([s.name, s.repo + "@" + s.revision, state, size > 0 ? Fetcher.bytes(size) : "-"].joined(separator: "\t"))
        }
        for name in Registry.unsourcedDatasets { lines.append([name, "-", "not available (see vdata(1))", "-"].joined(separator: "\t")) }
        try VDataCommand.printLine((["dataset\trepo\tstate\tsize"] + lines).joined(separator: "\n"))
        return .success
      }
    }
  }
}
