import Testing
import VCore

@testable import VFrames

@Suite struct JobResolverTests {
  func options(_ spec: SamplingSpec, dataset: String = "custom") -> FrameOptions {
    var o = FrameOptions(frameRoot: "/cache", spec: spec, jobs: 1, threads: 1)
    o.videoRoot = "/data"
    o.dataset = dataset
    return o
  }

  func row(_ pairs: [(String, String)]) -> JSONObject { JSONObject(pairs.map { ($0.0, JSONValue.string($0.1)) }) }

  @Test func vlmevalkitLayoutForParitySpecs() throws {
    var o = options(SamplingSpec(sampler: .uniform, nframe: 8), dataset: "Video-MME")
    o.videoExtension = ".mp4"
    let job = try JobResolver(options: o).resolve(row([("video", "abc123")])).get()
    #expect(job.path == "/data/abc123.mp4")
    #expect(job.directory == "/cache/Video-MME/abc123")
    let names = Extractor(options: o, tokens: SlotPool(1)).fileNames(count: 2)
    #expect(names == ["frame-1-of-2.jpg", "frame-2-of-2.jpg"])
    let fpsNames = Extractor(options: options(SamplingSpec(sampler: .fps, fps: 0.5)), tokens: SlotPool(1)).fileNames(count: 3)
    #expect(fpsNames.last == "frame-3-of-3-0.5fps.jpg")
  }

  /// `uniform_tail` (VSI-Bench's sampler in both modes): fps-mode names and sidecar, no folder
  /// token where the dataset's sampler is it, a token elsewhere and for the plain fps rule there.
  @Test func uniformTailNamesAndFolders() throws {
    var o = options(SamplingSpec(sampler: .uniformTail, fps: 2), dataset: "VSI-Bench")
    o.nframeSampler = .uniformTail
    let x = Extractor(options: o, tokens: SlotPool(1))
    #expect(x.fileNames(count: 5).last == "frame-5-of-5-2.0fps.jpg")
    let job = try JobResolver(options: o).resolve(row([("video", "arkitscenes/4106.mp4")])).get()
    #expect(job.directory == "/cache/VSI-Bench/arkitscenes/4106.mp4")
    #expect(x.sidecarPath(job) == job.directory + "/.vtools-uniform_tail-fps2.0.json")
    var plain = o
    plain.spec = SamplingSpec(sampler: .fps, fps: 2)
    #expect(try JobResolver(options: plain).resolve(row([("video", "a.mp4")])).get().directory == "/cache/VSI-Bench/a.mp4@fps")
    var nframe = o
    nframe.spec = SamplingSpec(sampler: .uniformTail, nframe: 16)
    #expect(Extractor(options: nframe, tokens: SlotPool(1)).fileNames(count: 16).last == "frame-16-of-16.jpg")
    #expect(try JobResolver(options: nframe).resolve(row([("video", "a.mp4")])).get().directory == "/cache/VSI-Bench/a.mp4")
    let elsewhere = options(SamplingSpec(sampler: .uniformTail, fps: 1))
    #expect(try JobResolver(options: elsewhere).resolve(row([("video", "a.mp4")])).get().directory == "/cache/custom/a.mp4@uniform_tail")
  }

  /// MVU-Eval's listing column: one job per listed video, named as `build_prompt` names it, the
  /// extension always added (`vid + '.mp4'`), each in its own cache folder.
  @Test func listedVideosGetOneJobEach() throws {
    var o = options(SamplingSpec(sampler: .uniform, nframe: 8), dataset: "MVU-Eval")
    let rule = VideoRule(field: "video_paths", ext: ".mp4", listSeparator: ";", listPartRemovals: [".mp4", "video/"])
    o.videoField = rule.field
    o.videoExtension = rule.ext
    o.videoList = rule
    let jobs = try JobResolver(options: o).resolveList(row([("video_paths", "video/a.mp4; b.v2 ;;")]), rule: rule).get()
    #expect(jobs.map(\.video) == ["a", "b.v2"])
    #expect(jobs.map(\.job.path) == ["/data/a.mp4", "/data/b.v2.mp4"])
    #expect(jobs.map(\.job.directory) == ["/cache/MVU-Eval/a", "/cache/MVU-Eval/b.v2"])
    #expect(jobs[0].job.lockPath == "/cache/MVU-Eval/a.lock")
    guard case .failure(let e) = JobResolver(options: o).resolveList(row([("video_paths", " ; ")]), rule: rule) else {
      Issue.record("a listing of no video must fail")
      return
    }
    #expect(e.code == .missingField)
  }

  @Test func mvbenchPrefixExtensionKeptAndNativeSampler() throws {
    var o = options(SamplingSpec(sampler: .mvbench, nframe: 8), dataset: "MVBench")
    o.nframeSampler = .mvbench  // what the registry gives for MVBench
    o.videoDirField = "prefix"
    let job = try JobResolver(options: o).resolve(row([("video", "v_1.mp4"), ("prefix", "star/Charades_v1"), ("bound", "False")])).get()
    #expect(job.path == "/data/star/Charades_v1/v_1.mp4")
    #expect(job.directory == "/cache/MVBench/v_1.mp4")
  }

  @Test func optionsThatChangePixelsChangeTheFolder() throws {
    var o = options(SamplingSpec(sampler: .mvbench, nframe: 8), dataset: "custom")
    o.jpeg.quality = 90
    o.jpeg.maxSide = 448
    let job = try JobResolver(options: o).resolve(row([("video", "x.mp4"), ("bound", "True"), ("start", "1.5"), ("end", "3")])).get()
    #expect(job.directory == "/cache/custom/x.mp4@mvbench,b1.5-3.0,q90,s448")
    #expect(job.bounds == ClipBounds(start: 1.5, end: 3))
    let linspace = try JobResolver(options: options(SamplingSpec(sampler: .linspace, nframe: 8))).resolve(row([("video", "x.mp4")])).get()
    #expect(linspace.directory == "/cache/custom/x.mp4@linspace")
  }

  @Test func strippedKeysAndVideoPathFallback() throws {
    var o = options(SamplingSpec(sampler: .uniform, nframe: 8), dataset: "LongVideoBench")
    o.keyStripsExtension = true
    let job = try JobResolver(options: o).resolve(row([("video_path", "./videos/clip.mp4")])).get()
    #expect(job.path == "/data/videos/clip.mp4")
    #expect(job.directory == "/cache/LongVideoBench/videos/clip")
  }

  @Test func absoluteAndEscapingValuesStayInsideTheCache() throws {
    let r = JobResolver(options: options(SamplingSpec(sampler: .uniform, nframe: 8)))
    let abs = try r.resolve(row([("video", "/data/videos/a.mp4")])).get()
    #expect(abs.path == "/data/videos/a.mp4")
    #expect(abs.directory == "/cache/custom/data/videos/a.mp4")
    let esc = try r.resolve(row([("video", "../../etc/x.mp4")])).get()
    #expect(esc.directory == "/cache/custom/__/__/etc/x.mp4")
  }

  @Test func resizeTokenUnlessThePresetsOwn() throws {
    let r = [("video", "v.mp4")]
    var o = options(SamplingSpec(sampler: .uniform, nframe: 8))
    o.jpeg.resize = FrameResize(area: 200_704)
    #expect(try JobResolver(options: o).resolve(row(r)).get().directory == "/cache/custom/v.mp4@r200704")
    o.nativeResize = FrameResize(area: 200_704)
    #expect(try JobResolver(options: o).resolve(row(r)).get().directory == "/cache/custom/v.mp4")
    o.jpeg.resize = FrameResize(area: 50_176)
    #expect(try JobResolver(options: o).resolve(row(r)).get().directory == "/cache/custom/v.mp4@r50176")
  }

  @Test func resizeFromPresetOrFlagAndItsUsageErrors() throws {
    let rule = VideoRule(field: "video", ext: ".mp4")
    let v2 = FrameSettings(
      dataset: "Video-MME-v2_resize200704", spec: SamplingSpec(sampler: .uniform, nframe: 64), video: rule, nativeSampler: .uniform,
      resize: FrameResize(area: 200_704))
    let plain = FrameSettings(dataset: "Video-MME", spec: SamplingSpec(sampler: .uniform, nframe: 8), video: rule, nativeSampler: .uniform)
    var f = FrameFlags()
    let preset = try FrameOptions(flags: f, preset: v2, native: { _ in nil })
    #expect(preset.jpeg.resize == FrameResize(area: 200_704) && preset.nativeResize == preset.jpeg.resize)
    #expect(try JobResolver(options: preset).resolve(row([("video", "x")])).get().directory.hasSuffix("/Video-MME-v2_resize200704/x"))
    f.resizeArea = 100_352
    let custom = try FrameOptions(flags: f, preset: plain, native: { _ in nil })
    #expect(custom.jpeg.resize == FrameResize(area: 100_352) && custom.nativeResize == nil)
    f.dataset = "mine"
    let renamed = try FrameOptions(flags: f, preset: v2, native: { _ in nil })
    #expect(renamed.nativeResize == nil)
    f.maxSide = 512
    #expect(throws: FrameUsageError.self) { try FrameOptions(flags: f, preset: nil, native: { _ in nil }) }
    f.resizeArea = nil
    #expect(throws: FrameUsageError.self) { try FrameOptions(flags: f, preset: v2, native: { _ in nil }) }
    #expect(try FrameOptions(flags: f, preset: plain, native: { _ in nil }).jpeg.maxSide == 512)
    f.maxSide = nil
    f.resizeArea = 0
    #expect(throws: FrameUsageError.self) { try FrameOptions(flags: f, preset: nil, native: { _ in nil }) }
  }

  @Test func rowErrorsNameTheField() {
    let r = JobResolver(options: options(SamplingSpec(sampler: .uniform, nframe: 8))).resolve(row([("question", "q")]))
    guard case .failure(let e) = r else {
      Issue.record("expected failure")
      return
    }
    #expect(e.code.rawValue == "missing_field" && e.message.contains("'video_path'"))
    let b = JobResolver(options: options(SamplingSpec(sampler: .mvbench, nframe: 8))).resolve(
      row([("video", "x"), ("bound", "True"), ("start", "abc")]))
    guard case .failure(let e2) = b else {
      Issue.record("expected failure")
      return
    }
    #expect(e2.code.rawValue == "bad_field")
  }

  /// Video-MME-v2: `str(int(video)).zfill(3)` names the file and the cache folder.
  @Test func zeroPaddedVideoIds() throws {
    #expect(VideoRule.zeroPadded("7", width: 3) == "007")
    #expect(VideoRule.zeroPadded("007", width: 3) == "007")
    #expect(VideoRule.zeroPadded(" 42 ", width: 3) == "042")
    #expect(VideoRule.zeroPadded("1234", width: 3) == "1234")
    #expect(VideoRule.zeroPadded("-5", width: 3) == "-05")
    #expect(VideoRule.zeroPadded("7.mp4", width: 3) == nil)
    let settings = FrameSettings(
      dataset: "Video-MME-v2", spec: SamplingSpec(sampler: .uniform, nframe: 64),
      video: VideoRule(field: "video", ext: ".mp4", subfolder: "video", zeroPadding: 3), nativeSampler: .uniform)
    var flags = FrameFlags()
    flags.videoRoot = "/data"
    flags.frameRoot = "/cache"
    let o = try FrameOptions(flags: flags, preset: settings, native: { _ in nil })
    #expect(o.videoZeroPadding == 3)
    let job = try JobResolver(options: o).resolve(row([("video", "7"), ("video_path", "./video/7.mp4")])).get()
    #expect(job.path == "/data/video/007.mp4")
    #expect(job.directory == "/cache/Video-MME-v2/007")
    guard case .failure(let e) = JobResolver(options: o).resolve(row([("video", "seven")])) else {
      Issue.record("expected failure")
      return
    }
    #expect(e.code.rawValue == "bad_field" && e.message.contains("integer"))
  }

  /// Q-Bench-Video: the file from `video_path`, the cache folder from `video`, the dataset folder
  /// from `SUB_DATASET` through the preset's map; an explicit --video-field drops the key column.
  @Test func keyFieldAndDatasetFolders() throws {
    let settings = FrameSettings(
      dataset: "QBench_Video", spec: SamplingSpec(sampler: .uniform, nframe: 8),
      video: VideoRule(
        field: "video_path", datasetField: "SUB_DATASET", keyField: "video", datasetFolders: ["QBench_Video_MCQ": "qbenchvideo_single_MCQ"]),
      nativeSampler: .uniform)
    var flags = FrameFlags()
    flags.videoRoot = "/data"
    flags.frameRoot = "/cache"
    let o = try FrameOptions(flags: flags, preset: settings, native: { _ in nil })
    let job = try JobResolver(options: o).resolve(row([("video", "v1"), ("video_path", "./video/v1.mp4"), ("SUB_DATASET", "QBench_Video_MCQ")])).get()
    #expect(job.path == "/data/video/v1.mp4" && job.directory == "/cache/qbenchvideo_single_MCQ/v1")
    let other = try JobResolver(options: o).resolve(row([("video", "v1"), ("video_path", "v1.mp4"), ("SUB_DATASET", "Other")])).get()
    #expect(other.directory == "/cache/Other/v1")
    guard case .failure(let e) = JobResolver(options: o).resolve(row([("video_path", "v1.mp4")])) else {
      Issue.record("expected failure: no key column")
      return
    }
    #expect(e.code.rawValue == "missing_field" && e.message.contains("'video'"))
    flags.videoField = "video_path"
    let explicit = try FrameOptions(flags: flags, preset: settings, native: { _ in nil })
    #expect(try JobResolver(options: explicit).resolve(row([("video_path", "./video/v1.mp4")])).get().directory == "/cache/QBench_Video/video/v1.mp4")
  }
}

extension JobResolverTests {
  /// ReVSI: per-subset videos `{root}/{subset}/{scene}.mp4`, cached under
  /// `ReVSI/{subset}/{scene}/`, locked by `{scene}.{n}frame.lock` beside that folder.
  @Test func keyPrefixAndLockBesideTheFolder() throws {
    let settings = FrameSettings(
      dataset: "ReVSI", spec: SamplingSpec(sampler: .uniform, nframe: 32),
      video: VideoRule(
        field: "video", ext: ".mp4", subfolder: "32_frame", keyStripsExtension: true, lock: .besideFolder(suffix: ".32frame.lock"),
        keyPrefix: "32_frame"),
      nativeSampler: .uniform)
    var flags = FrameFlags()
    flags.videoRoot = "/data"
    flags.frameRoot = "/cache"
    let o = try FrameOptions(flags: flags, preset: settings, native: { _ in nil })
    let job = try JobResolver(options: o).resolve(row([("video", "scene0011_00.mp4")])).get()
    #expect(job.path == "/data/32_frame/scene0011_00.mp4")
    #expect(job.directory == "/cache/ReVSI/32_frame/scene0011_00")
    #expect(job.lockPath == "/cache/ReVSI/32_frame/scene0011_00.32frame.lock")
  }
}
