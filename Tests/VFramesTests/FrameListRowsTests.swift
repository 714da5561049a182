import Foundation
import Testing
import VCore
import VMedia
import VTestSupport

@testable import VFrames

/// Rows of pre-extracted frames (MMSI-Video-Bench's `image_path`): what vframes adds, and the
/// rows it fails.
@Suite struct FrameListRowsTests {
  static let rule = FrameListRule(field: "image_path", fpsField: "video_fps")

  func sampler(_ spec: SamplingSpec, root: String) -> FrameListRows {
    var o = FrameOptions(frameRoot: "/cache", spec: spec, jobs: 1, threads: 1)
    o.videoRoot = root
    o.dataset = "MMSIVideoBench"
    return FrameListRows(options: o, rule: Self.rule)
  }

  func keys(_ pairs: [(String, JSONValue)]) -> [String: JSONValue] { Dictionary(pairs, uniquingKeysWith: { a, _ in a }) }

  @Test func sampledInPlaceWithGroups() throws {
    let d = TempDir()
    for f in ["c/a/0.jpg", "c/a/1.jpg", "c/a/2.jpg", "c/b/0.jpg", "c/b/1.jpg"] { d.write(f, "x") }
    // A JSON array of arrays (a JSONL row) and `./`, `..` in the listed paths.
    let row = JSONObject([
      (
        "image_path",
        .array([
          .array([.string("c/a/0.jpg"), .string("./c/a/1.jpg"), .string("c/x/../a/2.jpg")]), .array([.string("c/b/0.jpg"), .string("c/b/1.jpg")]),
        ])
      ),
      ("video_fps", .string("2")),
    ])
    let out = keys(try sampler(SamplingSpec(sampler: .linspace, nframe: 3), root: d.path).sample(row))
    // linspace(0, 4, 3) = 0, 2, 4: clip a's 0 and 2, clip b's 1.
    #expect(out["frame_indices"] == .array([.int(0), .int(2), .int(4)]))
    #expect(out["frames"] == .array([d.file("c/a/0.jpg"), d.file("c/a/2.jpg"), d.file("c/b/1.jpg")].map { .string($0) }))
    #expect(out["frame_times"] == .array([.double(0), .double(1), .double(2)]))
    let groups = (out["frame_groups"]?.arrayValue ?? []).compactMap { $0.objectValue }
    #expect(groups.map { $0["frames"]?.intValue } == [2, 1])
    #expect(groups.map { $0["video"]?.stringValue } == ["c/a", "c/b"])
    #expect(out["video_info"]?.objectValue?["n_frames"] == .int(5))
    #expect(out["sampling"]?.objectValue?["method"] == .string("frame_list"))
  }

  @Test func fpsModeNeedsARateAndNothingListedIsNoFrames() throws {
    let d = TempDir()
    d.write("a.jpg", "x")
    let s = sampler(SamplingSpec(sampler: .fps, fps: 1, fpsName: "1"), root: d.path)
    for fps in ["", "nan", "0", "-2"] {
      #expect(throws: MediaError.self) { try s.sample(JSONObject([("image_path", .string("['a.jpg']")), ("video_fps", .string(fps))])) }
    }
    // A rate of 0.5 with one listed frame: max(int(2 * 1), 1) = 2 picks, both frame 0, one kept.
    let one = keys(try s.sample(JSONObject([("image_path", .string("['a.jpg']")), ("video_fps", .string("0.5"))])))
    #expect(one["frame_indices"] == .array([.int(0)]))
    // No frames listed: no frames, not an error (VLMEvalKit returns empty clips), rate or not.
    let none = keys(try s.sample(JSONObject([("image_path", .string("[[], []]"))])))
    #expect(none["frames"] == .array([]))
    #expect(none["frame_groups"]?.arrayValue?.count == 2)
    #expect(throws: MediaError.self) { try s.sample(JSONObject([("video_fps", .string("1"))])) }
    #expect(throws: MediaError.self) { try s.sample(JSONObject([("image_path", .string("a.jpg"))])) }
  }
}
