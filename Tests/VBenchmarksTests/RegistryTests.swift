import Testing
import VCore
import VPrompt

@testable import VBenchmarks
@testable import VScore

/// The registry: every preset resolves to a sampler, a prompt builder and a scoring rule, by
/// exact names only.
@Suite struct RegistryTests {
  @Test func everyPresetResolvesToSamplerPromptAndRule() throws {
    #expect(Registry.presets.count == 211)
    for p in Registry.presets {
      let c = p.config
      // Sampling: a spec vframes can run.
      if c.spec.isPerSecond { #expect(c.spec.fps > 0, "\(c.name)") } else { #expect(c.spec.nframe > 0, "\(c.name)") }
      let frames = p.frameSettings
      #expect(frames.dataset == c.dataset && !frames.dataset.isEmpty && !frames.dataset.contains("/"))
      // Prompt: the preset's template is a built-in one, found again by its name.
      #expect(Registry.template(named: p.prompt.name)?.name == p.prompt.name, "\(c.name)")
      #expect((try? Registry.promptTemplate(flag: nil, preset: p))?.name == p.prompt.name, "\(c.name)")
      if c.pack { #expect(p.prompt is any PackPromptTemplate, "\(c.name) is a pack preset without a pack prompt") }
      // Scoring: the config name and its dataset name lead to the family's rule.
      #expect(Registry.catalog.rule(forDataset: c.name)?.name == p.benchmark.scoring.name, "\(c.name)")
      #expect(Registry.catalog.rule(forDataset: c.dataset)?.name == p.benchmark.scoring.name, "\(c.dataset)")
      #expect(Registry.rule(named: p.benchmark.scoring.name) != nil)
      // A result file named after the config finds it.
      #expect(Registry.datasetName(fromFileStem: "Some-Model_\(c.name)") == c.name)
      #expect(Registry.preset(named: c.name)?.benchmark.name == p.benchmark.name)
    }
  }

  @Test func namesAreUnique() {
    let names = Registry.presets.map(\.name)
    #expect(Set(names).count == names.count)
    let templates = Registry.templates.map(\.name)
    #expect(Set(templates).count == templates.count)
    #expect(templates.contains("mcq") && templates.contains("vqa"))
    let rules = Registry.rules.map(\.name)
    #expect(Set(rules).count == rules.count)
    #expect(rules.contains("mcq"))
    // Every dataset name belongs to one family only.
    var owner: [String: String] = [:]
    for b in Registry.benchmarks {
      for d in b.datasets + b.configs.map(\.dataset) {
        if let o = owner[d] { #expect(o == b.name, "\(d) is claimed by \(o) and \(b.name)") }
        owner[d] = b.name
      }
    }
  }

  @Test func lookupsAreExact() {
    #expect(Registry.preset(named: "MVBench_8frame") != nil)
    #expect(Registry.preset(named: "mvbench_8frame") == nil)
    #expect(Registry.preset(named: "MVBench_8frame ") == nil)
    #expect(Registry.benchmark(forDataset: "Video-MME-v2_64frame")?.name == "Video-MME-v2")
    #expect(Registry.benchmark(forDataset: "Video-MME-v2_8frame") == nil)
    #expect(Registry.benchmark(forDataset: "MVBench_MP4")?.name == "MVBench")
    #expect(Registry.nframeSampler(forDataset: "MVBench") == .mvbench)
    #expect(Registry.nframeSampler(forDataset: "Video-MME") == .uniform)
    #expect(Registry.nframeSampler(forDataset: "custom") == nil)
    #expect(throws: (any Error).self) { try Registry.promptTemplate(flag: "nosuch", preset: nil) }
    #expect((try? Registry.promptTemplate(flag: nil, preset: Registry.preset(named: "MLVU_8frame")))?.name == "mlvu")
    #expect((try? Registry.promptTemplate(flag: nil, preset: nil))?.name == "vqa")
  }

  /// The template hashes in records are unchanged by the move into the registry (values from
  /// the demo's records before it).
  @Test func templateHashesAreStable() {
    #expect(Registry.template(named: "mvbench")?.hash == fnv1a64Hex(MVBenchPrompt().constants.joined(separator: "\u{0}")))
    #expect(Registry.template(named: "vqa")?.hash == fnv1a64Hex("vqa"))
  }
}
