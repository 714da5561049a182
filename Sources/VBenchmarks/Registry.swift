import VCore
import VData
import VPrompt
import VScore

/// Every benchmark family vtools knows, and the lookups the tools make through it: presets by
/// config name, templates and rules by their `--template` / `--rules` names, a dataset by an
/// exact config or dataset name (never a substring). A new family is one file in `Families/`
/// plus its line here.
public enum Registry {
  /// The families, in the order `--list-presets` shows their configs.
  public static let benchmarks: [Benchmark] = [
    .mmbenchVideo, .mvbench, .videoMME, .longVideoBench, .mlvu, .tempCompass, .worldSense,
    .videoMMEv2, .videoMMMU, .videoTT, .videoHolmes, .avSpeakerBench, .mvTamperBench, .qbenchVideo, .movieChat1k, .mvuEval, .omtgBench,
    .revsi, .v2pBench, .stiBench, .dsrBench,
    .vsiBench,
    .vsiSuperRecall, .vsiSuperCount,
    .siteBenchVideo, .mmsiVideoBench,
    .videoMMLUCap, .videoMMLUQA, .vdc, .dream,
    .vcrBench,
    .cgBenchMCQ, .cgBenchOpenEnded,
    .megaBench,
    .cgAVCounting,
    .egoExoBench,
  ]

  /// Every config as a preset, in `benchmarks` order.
  public static let presets: [Preset] = benchmarks.flatMap { b in b.configs.map { Preset(config: $0, benchmark: b) } }

  private static let presetsByName: [String: Preset] = Dictionary(presets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

  /// The preset with this config name (exact).
  public static func preset(named name: String) -> Preset? { presetsByName[name] }

  /// The family of an exact config or dataset name (`MVBench_8frame`, `MVBench_MP4`, `MLVU_MCQ`).
  public static func benchmark(forDataset name: String) -> Benchmark? {
    if let p = presetsByName[name] { return p.benchmark }
    return benchmarks.first { $0.datasets.contains(name) }
  }

  /// Every dataset vdata can get and prepare, in `benchmarks` order.
  public static let sources: [DatasetSource] = benchmarks.flatMap(\.sources)

  /// The source of a dataset name (`MVBench`) or of a config's dataset (`MVBench_8frame`).
  public static func source(named name: String) -> DatasetSource? {
    if let s = sources.first(where: { $0.name == name }) { return s }
    guard let p = presetsByName[name] else { return nil }
    return sources.first { $0.name == p.config.dataset }
  }

  /// Where a preset's data is when the user names no root (`vframes --video-root`, `vprompt
  /// --data-root`): the dataset's prepared root in the hub cache (`vdata path`; also where
  /// VLMEvalKit's own cache lookup would look), else `$LMUData/{dataset}` when it exists, else the
  /// current directory, with a note saying how to get the data.
  public static func defaultDataRoot(
    preset name: String?, environment env: [String: String] = FileIO.environmentVariables(), diag: Diagnostics, announce: Bool = true
  ) -> String {
    guard let name, let p = preset(named: name) else { return "." }
    let source = source(named: name)
    if let source {
      for cacheRoot in [HubCache.defaultRoot(environment: env), HubCache.vlmevalkitRoot(environment: env)] {
        if let root = source.preparedRoot(in: HubCache(root: cacheRoot)) { return root }
      }
    }
    if let lmu = env["LMUData"], !lmu.isEmpty, FileIO.fileKind(lmu + "/" + p.config.dataset) == .directory {
      return lmu + "/" + p.config.dataset
    }
    if source != nil && announce {
      diag.note("\(p.config.dataset) is not prepared here: `vdata fetch \(name)` gets it; reading its files under the current directory")
    }
    return "."
  }

  /// The datasets of the registry vdata cannot get yet.
  public static let unsourcedDatasets: [String] = {
    let have = Set(sources.map(\.name))
    var seen = Set<String>()
    return benchmarks.flatMap { b in b.configs.map(\.dataset) }.filter { !have.contains($0) && seen.insert($0).inserted }
  }()

  /// Every config and dataset name, for file-name matching.
  public static let knownNames: [String] = {
    var seen = Set<String>()
    return (presets.map(\.name) + benchmarks.flatMap(\.datasets)).filter { seen.insert($0).inserted }
  }()

  /// `{model}_{dataset}` -> the longest known config or dataset name the stem is or ends with
  /// (after `_`); the stem itself when none is.
  public static func datasetName(fromFileStem stem: String) -> String {
    knownNames.filter { stem == $0 || stem.hasSuffix("_" + $0) }.max { $0.count < $1.count } ?? stem
  }

  /// The built-in templates: each family's and its configs' own, then the generic ones.
  public static let templates: [any PromptTemplate] = {
    var seen = Set<String>()
    let own = benchmarks.flatMap { b in [b.prompt] + b.configs.compactMap(\.prompt) }
    return (own + GenericTemplates.all).filter { seen.insert($0.name).inserted }
  }()

  /// The built-in template `--template NAME` names.
  public static func template(named name: String) -> (any PromptTemplate)? { templates.first { $0.name == name } }

  /// The scoring rules: each family's, then the generic multiple-choice one.
  package static let rules: [any ScoringRule] = {
    var seen = Set<String>()
    return (benchmarks.map(\.scoring) + [GenericMCQRule()]).filter { seen.insert($0.name).inserted }
  }()

  /// The rule `--rules NAME` names.
  package static func rule(named name: String) -> (any ScoringRule)? { rules.first { $0.name == name } }

  /// vscore's view of the registry.
  package static let catalog: any RuleCatalog = Catalog()

  private struct Catalog: RuleCatalog {
    func rule(named name: String) -> (any ScoringRule)? { Registry.rule(named: name) }
    func rule(forDataset name: String) -> (any ScoringRule)? { Registry.benchmark(forDataset: name)?.scoring }
    func datasetName(fromFileStem stem: String) -> String { Registry.datasetName(fromFileStem: stem) }
    func isPreset(_ name: String) -> Bool { Registry.preset(named: name) != nil }
    var ruleNames: [String] { Registry.rules.map(\.name) }
  }

  /// The sampler VLMEvalKit uses in nframe mode for a frame-cache folder (`MVBench`: mvbench).
  public static func nframeSampler(forDataset name: String) -> Sampler? { benchmark(forDataset: name)?.nframeSampler }

  /// vprompt's template: `--template` (a built-in name or a template file) over the preset's.
  public static func promptTemplate(flag: String?, preset: Preset?) throws -> any PromptTemplate {
    guard let name = flag else { return preset?.prompt ?? GenericTemplates.VQA() }
    if let t = template(named: name) { return t }
    if PromptOptions.isTemplatePath(name) { return try PromptOptions.templateFile(name) }
    throw SimpleToolError(
      "unknown template '\(name)'; built in: \(templates.map(\.name).joined(separator: ", ")), or a template file path", status: .usage)
  }
}
