import ArgumentParser

/// `--preset NAME`, shared by vframes, vprompt and vscore: a VLMEvalKit config name from the
/// benchmark registry.
public struct PresetOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A VLMEvalKit config name (e.g. MVBench_8frame; vprompt --list-presets lists them): its sampling, cache folder and video layout (vframes), template, pack and subtitles (vprompt), dataset and rules (vscore).",
      valueName: "NAME"))
  public var preset: String?

  public init() {}

  /// The preset `lookup` finds for the name, nil without `--preset`; an unknown name is a
  /// usage error (64).
  public func resolve<T>(_ lookup: (String) -> T?) throws -> T? {
    guard let name = preset else { return nil }
    guard let found = lookup(name) else { throw ValidationError("unknown preset '\(name)'; see vprompt --list-presets.") }
    return found
  }
}
