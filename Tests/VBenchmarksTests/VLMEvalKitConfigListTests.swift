import Foundation
import Testing
import VTestSupport

@testable import VBenchmarks

/// The presets against VLMEvalKit's own list of video configs (`supported_video_datasets`,
/// 211 names; `Tests/Fixtures/vlmevalkit/video-configs.txt`, printed by `list_video_configs.py`
/// from VLMEvalKit's `video_dataset_config.py`).
@Suite struct VLMEvalKitConfigListTests {
  static let fixtures = FakeServer.repoRoot + "/Tests/Fixtures/vlmevalkit/"

  static func lines(_ file: String) throws -> [String] {
    try String(contentsOfFile: fixtures + file, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  /// No preset under a name VLMEvalKit does not have, none twice.
  @Test func everyPresetIsAVLMEvalKitConfig() throws {
    let upstream = Set(try Self.lines("video-configs.txt"))
    #expect(upstream.count == 211)
    let names = Registry.presets.map(\.name)
    #expect(Set(names).count == names.count)
    for n in names { #expect(upstream.contains(n), "\(n) is not a VLMEvalKit video config") }
  }

  /// The configs not yet presets are exactly those in `video-configs-pending.txt`: a family that
  /// lands removes its names there, and nothing falls out of the registry unnoticed.
  @Test func theConfigsNotYetPresetsAreTheListedOnes() throws {
    let presets = Set(Registry.presets.map(\.name))
    let missing = try Self.lines("video-configs.txt").filter { !presets.contains($0) }
    let pending = try Self.lines("video-configs-pending.txt")
    let unlisted = Set(missing).subtracting(pending).sorted(), ported = Set(pending).subtracting(missing).sorted()
    #expect(missing == pending, "not presets and not pending: \(unlisted); pending but presets: \(ported)")
  }
}
