import Foundation
import Testing
import VCore
import VPrompt
import VTestSupport

@testable import VBenchmarks
@testable import VScore

/// VDC (VLMEvalKit `vdc.py`, `utils/vdc.py`), against the outputs of VLMEvalKit's own
/// `build_prompt` and `evaluate` in `Tests/Fixtures/vlmevalkit/caption-judges.json` (see
/// `VideoMMLUTests`).
@Suite struct VDCTests {
  typealias G = VideoMMLUTests

  @Test func configsAreVideoDatasetConfigs() throws {
    let c = Benchmark.vdc.configs
    #expect(c.map(\.name) == ["VDC_8frame", "VDC_1fps"] && c.allSatisfy { $0.dataset == "VDC" })
    #expect(c[0].spec.nframe == 8 && c[0].spec.sampler == .uniform && c[1].spec.sampler == .fps && c[1].spec.fps == 1)
    #expect(c.allSatisfy { $0.video == VideoRule(field: "video", ext: ".mp4", subfolder: "video", keyStripsExtension: true) })
  }

  @Test func textsAreVLMEvalKits() {
    #expect(VDCTexts.short == G.strings("vdc.short_caption_prompts"))
    #expect(VDCTexts.detailed == G.strings("vdc.detailed_caption_prompts"))
    #expect(VDCTexts.background == G.strings("vdc.background_caption_prompts"))
    #expect(VDCTexts.mainObject == G.strings("vdc.main_object_caption_prompts"))
    #expect(VDCTexts.camera == G.strings("vdc.camera_caption_prompts"))
    #expect(G.golden["utils.vdc.SYSTEM_CAL_SCORE_PROMPT"]?.stringValue == VDCTexts.scoreSystem)
    #expect(G.golden["utils.vdc.SYSTEM_GENER_PRED_PROMPT"]?.stringValue == VideoMMLUTexts.answerSystem)
    #expect(G.golden["utils.vdc.USER_GENER_PRED_PROMPT"] == G.golden["utils.video_mmlu.USER_GENER_PRED_PROMPT"])
  }

  /// The instruction list by `caption_type` (anything else: camera), seeded by the row id.
  @Test func promptsAreBuildPrompt() throws {
    for (i, type) in ["short", "detailed", "background", "main_object", "camera", "breakpoint"].enumerated() {
      let r = G.record(
        id: "\(20 + i)", dataset: "VDC", video: "v.mp4", [("question", "[]"), ("caption_type", type)], videoPath: "/D/vdc/videos/v.mp4")
      #expect(try G.build("VDC_8frame", r) == G.messages("vdc_" + type), "\(type)")
    }
    let r = G.record(id: "20", dataset: "VDC", video: "v.mp4", [("question", "[]"), ("caption_type", "short")], videoPath: "/D/vdc/videos/v.mp4")
    #expect(try G.build("VDC_1fps", r, videoLLM: true) == G.messages("vdc_video"))
  }

  @Test func judgeIsEvaluate() throws {
    try G.checkChain(VDCRule(), G.captionRows("vdc", column: "caption_type"), key: "vdc", dataset: "VDC_8frame", temperature: false)
  }
}
