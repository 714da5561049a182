import Foundation
import Testing
import VTestSupport

/// vdata against the loopback hub (`fake_hub_server.py`) serving repos shaped like MVBench,
/// MVBench_MP4, Video-MME and MMBench-Video: the cache layout huggingface_hub uses, the TSVs
/// VLMEvalKit's prepare_dataset writes (fixtures made with its code, see
/// Tests/Fixtures/hub/README.md), resume, verification and the failures a user meets.
@Suite(.serialized) struct VDataEndToEndTests {
  static let expected = FakeServer.repoRoot + "/Tests/Fixtures/hub/expected"

  static func fetch(_ hub: FakeHub, _ cache: TempDir, _ names: [String], env: [String: String] = [:], extra: [String] = []) throws -> ToolOutput {
    try ToolRunner.run("vdata", ["fetch"] + names + ["--endpoint", hub.url, "--cache", cache.path, "--progress", "never"] + extra, env: env)
  }

  /// Every file under `root`, relative, sorted by code point (as the layout fixtures are).
  static func layout(_ root: String) -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: root) else { return [] }
    while let rel = e.nextObject() as? String {
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue { out.append(rel) }
    }
    return out.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
  }

  static func fixtureLines(_ name: String) throws -> [String] {
    try String(contentsOfFile: "\(expected)/\(name)", encoding: .utf8).split(separator: "\n").map(String.init)
  }

  static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

  /// Fetches `name` into a fresh cache, runs `check` on the root it prints, then fetches again:
  /// the same root, and no request to the hub.
  static func fetchedTwice(_ name: String, check: (FakeHub, TempDir, String) throws -> Void) throws {
    let hub = try FakeHub()
    let cache = TempDir("vdata-cache")
    let r = try fetch(hub, cache, [name])
    #expect(r.status == 0, "\(r)")
    let root = try #require(r.lines.first)
    try check(hub, cache, root)
    hub.clearLog()
    let again = try fetch(hub, cache, [name])
    #expect(again.status == 0 && again.lines == r.lines && hub.requests.isEmpty, "\(again)")
  }

  static func cdnRequests(_ hub: FakeHub) -> [[String: Any]] { hub.requests.filter { $0["host"] as? String == "cdn" } }

  @Test func mvbenchIsPreparedAsVLMEvalKitPreparesIt() throws {
    let hub = try FakeHub(options: ["--page-size", "5", "--gzip-small"])
    let cache = TempDir("vdata-cache")
    let r = try Self.fetch(hub, cache, ["MVBench", "MVBench_MP4_8frame"], env: ["HF_TOKEN": "secret"], extra: ["-j", "3"])
    #expect(r.status == 0, "\(r)")
    #expect(r.lines.count == 2)
    let repo = cache.path + "/datasets--OpenGVLab--MVBench"
    let main = try #require(r.lines.first)
    let video = try #require(r.lines.last)
    // The ref files hold exactly the commit, no newline; the printed roots are their snapshots.
    let mainRef = try #require(Self.bytes(repo + "/refs/main"))
    #expect(mainRef.count == 40 && main == repo + "/snapshots/" + String(decoding: mainRef, as: UTF8.self))
    let videoRef = try #require(Self.bytes(repo + "/refs/video"))
    #expect(video == repo + "/snapshots/" + String(decoding: videoRef, as: UTF8.self))
    // The TSVs byte for byte, and the tree file for file.
    #expect(Self.bytes(main + "/MVBench.tsv") == Self.bytes(Self.expected + "/MVBench.tsv"))
    #expect(Self.bytes(video + "/MVBench_MP4.tsv") == Self.bytes(Self.expected + "/MVBench_MP4.tsv"))
    #expect(Self.layout(main) == (try Self.fixtureLines("layout-MVBench.txt")))
    #expect(Self.layout(video) == (try Self.fixtureLines("layout-MVBench_MP4.txt")))
    // Repo files are relative links into blobs/, named by their etag.
    let link = try FileManager.default.destinationOfSymbolicLink(atPath: main + "/json/action_count.json")
    #expect(link.hasPrefix("../../../blobs/"))
    let zipLink = try FileManager.default.destinationOfSymbolicLink(atPath: main + "/video/star.zip")
    #expect(zipLink.count == "../../../blobs/".count + 64, "an LFS blob is named by its sha256")
    // The tree was paged; the token went to the hub, never to the CDN; no partial file is left.
    #expect(hub.requests.filter { ($0["path"] as? String ?? "").contains("cursor=") }.count >= 2)
    #expect(!Self.cdnRequests(hub).isEmpty && Self.cdnRequests(hub).allSatisfy { $0["auth"] as? Bool == false })
    #expect(hub.requests.filter { $0["host"] as? String == "hub" }.allSatisfy { $0["auth"] as? Bool == true })
    #expect(try FileManager.default.contentsOfDirectory(atPath: repo + "/blobs").allSatisfy { !$0.hasSuffix(".incomplete") })

    // A second fetch asks nothing of the hub; vdata path and list agree.
    hub.clearLog()
    let again = try Self.fetch(hub, cache, ["MVBench", "MVBench_MP4"])
    #expect(again.status == 0 && again.lines == r.lines, "\(again)")
    #expect(hub.requests.isEmpty, "a prepared dataset needs no request: \(hub.requests)")
    let path = try ToolRunner.run("vdata", ["path", "MVBench_8frame", "--cache", cache.path])
    #expect(path.status == 0 && path.lines == [main], "\(path)")
    let list = try ToolRunner.run("vdata", ["list", "--cache", cache.path])
    #expect(list.lines.contains { $0.hasPrefix("MVBench\tOpenGVLab/MVBench@main\tprepared\t") }, "\(list)")
  }

  @Test func pathOfAMissingDatasetIs66() throws {
    let cache = TempDir("vdata-cache")
    let r = try ToolRunner.run("vdata", ["path", "MVBench", "--cache", cache.path])
    #expect(r.status == 66 && r.stdout.isEmpty)
    #expect(r.stderr.contains("vdata: error: MVBench is not prepared") && r.stderr.contains("vdata fetch MVBench"), "\(r)")
    let unknown = try ToolRunner.run("vdata", ["path", "NoSuchBench", "--cache", cache.path])
    #expect(unknown.status == 64 && unknown.stderr.contains("unknown dataset 'NoSuchBench'"), "\(unknown)")
  }

  @Test func aDroppedConnectionResumesWithRange() throws {
    let hub = try FakeHub(options: ["--drop-once", "video/tvqa.zip:700"])
    let cache = TempDir("vdata-cache")
    let r = try Self.fetch(hub, cache, ["MVBench"])
    #expect(r.status == 0, "\(r)")
    #expect(Self.bytes(r.lines.first! + "/MVBench.tsv") == Self.bytes(Self.expected + "/MVBench.tsv"))
    let ranges = Self.cdnRequests(hub).compactMap { $0["range"] as? String }
    #expect(ranges == ["bytes=700-"], "the second attempt asks for the rest only: \(ranges)")
  }

  @Test func corruptBytesAreRefetchedOnce() throws {
    let hub = try FakeHub(options: ["--corrupt-once", "video/star.zip"])
    let cache = TempDir("vdata-cache")
    let r = try Self.fetch(hub, cache, ["MVBench"])
    #expect(r.status == 0, "\(r)")
    #expect(Self.bytes(r.lines.first! + "/MVBench.tsv") == Self.bytes(Self.expected + "/MVBench.tsv"))
    let starSHA = try FileManager.default.destinationOfSymbolicLink(atPath: r.lines.first! + "/video/star.zip").split(separator: "/").last!
    #expect(Self.cdnRequests(hub).filter { ($0["path"] as? String ?? "").contains(String(starSHA)) }.count == 2)
  }

  @Test func aGatedRepoNeedsTheToken() throws {
    let hub = try FakeHub(options: ["--gated", "OpenGVLab/MVBench", "--token", "hf_right"])
    let cache = TempDir("vdata-cache")
    let r = try Self.fetch(hub, cache, ["MVBench"], env: ["HF_TOKEN": ""])
    #expect(r.status == 78 && r.stdout.isEmpty, "\(r)")
    #expect(r.stderr.contains("OpenGVLab/MVBench") && r.stderr.contains("gated") && r.stderr.contains("HF_TOKEN"), "\(r)")
    let wrong = try Self.fetch(hub, cache, ["MVBench"], env: ["HF_TOKEN": "hf_wrong"])
    #expect(wrong.status == 78 && wrong.stderr.contains("with the token in HF_TOKEN"), "\(wrong)")
    let ok = try Self.fetch(hub, cache, ["MVBench"], env: ["HF_TOKEN": "hf_right"])
    #expect(ok.status == 0, "\(ok)")
  }

  @Test func aMissingRepoAndNoNetworkAreLocatedErrors() throws {
    let empty = TempDir("empty-hub")
    let hub = try FakeHub(repos: empty.path)
    let cache = TempDir("vdata-cache")
    let r = try Self.fetch(hub, cache, ["MVBench"])
    #expect(r.status == 66 && r.stderr.contains("dataset repo 'OpenGVLab/MVBench' not found"), "\(r)")
    // A port nothing listens on: no network. Nothing is left in the cache.
    let offline = try ToolRunner.run("vdata", ["fetch", "MVBench", "--endpoint", "http://127.0.0.1:1", "--cache", cache.path, "--progress", "never"])
    #expect(offline.status == 69 && offline.stderr.contains("cannot reach"), "\(offline)")
    #expect(!FileManager.default.fileExists(atPath: cache.path + "/datasets--OpenGVLab--MVBench/snapshots"))
  }

  @Test func aKilledDownloadResumesOnTheNextRun() throws {
    let hub = try FakeHub(options: ["--hold", "video/clevrer.zip:500"])
    let cache = TempDir("vdata-cache")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ToolRunner.binDir + "/vdata")
    p.arguments = ["fetch", "MVBench", "--endpoint", hub.url, "--cache", cache.path, "--progress", "never", "-j", "1"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Wait for the server to hold the download midway and for vdata to have written what came,
    // then SIGKILL vdata.
    let blobs = cache.path + "/datasets--OpenGVLab--MVBench/blobs"
    func partial() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []).filter { $0.hasSuffix(".incomplete") } }
    func partialSize() -> Int { partial().first.flatMap { try? FileManager.default.attributesOfItem(atPath: blobs + "/" + $0)[.size] as? Int } ?? 0 }
    while !hub.requests.contains(where: { $0["event"] as? String == "held" }) || partialSize() < 500 {
      guard p.isRunning else {
        Issue.record("vdata ended before the held download")
        return
      }
      usleep(20_000)
    }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    #expect(partial().count == 1 && partialSize() == 500)
    #expect(!FileManager.default.fileExists(atPath: cache.path + "/datasets--OpenGVLab--MVBench/refs/main"), "no ref before the download finished")
    let r = try Self.fetch(hub, cache, ["MVBench"])
    #expect(r.status == 0, "\(r)")
    #expect(Self.bytes(r.lines.first! + "/MVBench.tsv") == Self.bytes(Self.expected + "/MVBench.tsv"))
    #expect(Self.cdnRequests(hub).compactMap { $0["range"] as? String }.contains("bytes=500-"))
  }
}

/// The datasets whose sources need the python3 helpers: Video-MME (Parquet, through pyarrow)
/// and MMBench-Video (videos in pickles, read as plain data only).
@Suite(.serialized) struct VDataPythonSourcesTests {
  static let expected = VDataEndToEndTests.expected

  /// pyarrow is optional (scripts/install-deps.sh --python-extras installs it; CI does).
  static let hasPyarrow: Bool = (try? ToolRunner.shell(["/usr/bin/env", "python3", "-c", "import pyarrow"]))?.status == 0

  static func checkSums(_ root: String, _ list: String) throws {
    let check = try ToolRunner.shell(["/usr/bin/env", "sha256sum", "--quiet", "-c", Self.expected + "/" + list], cwd: root)
    #expect(check.status == 0, "\(check)")
  }

  @Test(.enabled(if: hasPyarrow, "pyarrow is not installed: scripts/install-deps.sh --python-extras"))
  func videoMMEIsPreparedAsVLMEvalKitPreparesIt() throws {
    let hub = try FakeHub()
    let cache = TempDir("vdata-cache")
    let r = try VDataEndToEndTests.fetch(hub, cache, ["Video-MME_8frame"])
    #expect(r.status == 0, "\(r)")
    let root = try #require(r.lines.first)
    #expect(VDataEndToEndTests.bytes(root + "/Video-MME.tsv") == VDataEndToEndTests.bytes(Self.expected + "/Video-MME.tsv"))
    #expect(VDataEndToEndTests.layout(root) == (try VDataEndToEndTests.fixtureLines("layout-Video-MME.txt")))
    try Self.checkSums(root, "sha256-Video-MME.txt")
    hub.clearLog()
    let again = try VDataEndToEndTests.fetch(hub, cache, ["Video-MME"])
    #expect(again.status == 0 && again.lines == r.lines && hub.requests.isEmpty, "\(again)")
  }

  @Test func mmbenchVideoIsUnpickledAsVLMEvalKitDoes() throws {
    let hub = try FakeHub()
    let cache = TempDir("vdata-cache")
    let r = try VDataEndToEndTests.fetch(hub, cache, ["MMBench_Video_8frame_pack"])
    #expect(r.status == 0, "\(r)")
    let root = try #require(r.lines.first)
    #expect(VDataEndToEndTests.layout(root) == (try VDataEndToEndTests.fixtureLines("layout-MMBench-Video.txt")))
    try Self.checkSums(root, "sha256-MMBench-Video.txt")
    hub.clearLog()
    let again = try VDataEndToEndTests.fetch(hub, cache, ["MMBench-Video"])
    #expect(again.status == 0 && again.lines == r.lines && hub.requests.isEmpty, "\(again)")
  }

  @Test(.enabled(if: hasPyarrow, "the fixture's Video-MME repo needs pyarrow to be made"))
  func aMissingPythonHelperIsNamed() throws {
    let hub = try FakeHub()
    let cache = TempDir("vdata-cache")
    let r = try VDataEndToEndTests.fetch(hub, cache, ["Video-MME"], env: ["VTOOLS_PYTHON": "/nonexistent/python3"])
    #expect(r.status == 78 && r.stderr.contains("pyarrow") && r.stderr.contains("install"), "\(r)")
    #expect(!FileManager.default.fileExists(atPath: (r.stdout.isEmpty ? "" : r.stdout) + "/Video-MME.tsv"))
  }

  @Test func aPickleThatRunsCodeIsRefused() throws {
    let repos = TempDir("hub-repos")
    let repo = repos.file("opencompass--MMBench-Video")
    let cp = try ToolRunner.shell(["/bin/cp", "-r", FakeHub.fixtureRepos + "/opencompass--MMBench-Video", repo])
    #expect(cp.status == 0)
    let marker = repos.file("pwned")
    let evil = """
      import os, pickle, sys
      class Evil:
          def __reduce__(self):
              return (os.system, ('touch ' + sys.argv[2],))
      open(sys.argv[1], 'wb').write(pickle.dumps({'x': Evil()}))
      """
    let w = try ToolRunner.shell(["/usr/bin/env", "python3", "-c", evil, repo + "/video_pkl/video_pkl_1.pkl", marker])
    #expect(w.status == 0, "\(w)")
    let hub = try FakeHub(repos: repos.path)
    let cache = TempDir("vdata-cache")
    let r = try VDataEndToEndTests.fetch(hub, cache, ["MMBench-Video"])
    #expect(r.status == 65 && r.stderr.contains("video_pkl_1.pkl") && r.stderr.contains("refused"), "\(r)")
    #expect(!FileManager.default.fileExists(atPath: marker), "the pickle's code did not run")
    let snapshots = cache.path + "/datasets--opencompass--MMBench-Video/snapshots"
    let snap = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots).first)
    #expect(!FileManager.default.fileExists(atPath: snapshots + "/" + snap + "/video"), "no video/ that looks done")
  }
}

/// From nothing to a score table: `pipelines/Makefile` with only PRESETS, a model server and a
/// hub (both loopback) fetches MVBench with vdata, then runs every stage on the prepared data.
@Suite(.serialized) struct VDataPipelineTests {
  /// An MVBench-shaped repo with real videos: two Action Sequence items (with start/end) in
  /// `video/star.zip`, the other 19 task files empty.
  static func mvbenchRepo(_ repos: TempDir) throws {
    let repo = repos.file("OpenGVLab--MVBench")
    let staging = repos.file("zip-src/star/Charades_v1_480")
    try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: repo + "/json", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: repo + "/video", withIntermediateDirectories: true)
    for i in 0..<2 { try BarcodeVideo.make(staging + "/v\(i).mp4", codec: "libx264", frames: 48, gop: 24) }
    let zip = try ToolRunner.shell(
      [
        "/usr/bin/env", "python3", "-c", "import shutil, sys; shutil.make_archive(sys.argv[1], 'zip', sys.argv[2])", repo + "/video/star",
        repos.file("zip-src"),
      ]
    )
    #expect(zip.status == 0, "\(zip)")
    let files = [
      "action_sequence", "action_prediction", "action_antonym", "fine_grained_action", "unexpected_action", "object_existence",
      "object_interaction", "object_shuffle", "moving_direction", "action_localization", "scene_transition", "action_count", "moving_count",
      "moving_attribute", "state_change", "fine_grained_pose", "character_order", "egocentric_navigation", "episodic_reasoning",
      "counterfactual_inference",
    ]
    for f in files {
      let items =
        f == "action_sequence"
        ? """
        [{"video": "v0.mp4", "question": "What happened first?", "candidates": ["Sat down.", "Stood up."], "answer": "Stood up.", "start": 0.0, "end": 1.5},
         {"video": "v1.mp4", "question": "What did the person do?", "candidates": ["Left.", "Waved."], "answer": "Waved.", "start": 0.2, "end": 1.4}]
        """ : "[]"
      try items.write(toFile: "\(repo)/json/\(f).json", atomically: true, encoding: .utf8)
    }
  }

  @Test func makeWithOnlyPresetsFetchesThenScores() throws {
    let repos = TempDir("hub-repos")
    try Self.mvbenchRepo(repos)
    let hub = try FakeHub(repos: repos.path)
    let model = try FakeServer()
    let d = TempDir("vdata-run")
    try FileManager.default.createDirectory(atPath: d.file("lmu"), withIntermediateDirectories: true)
    let env = ["HF_ENDPOINT": hub.url, "HF_HUB_CACHE": d.file("hub"), "HF_TOKEN": ""]
    let args = [
      "/usr/bin/make", "--no-print-directory", "-f", FakeServer.repoRoot + "/pipelines/Makefile", "BIN=\(ToolRunner.binDir)",
      "PRESETS=MVBench_8frame", "MODEL=test-model", "API_BASE=\(model.url)", "LMUData=\(d.file("lmu"))", "WORK=\(d.file("runs"))",
    ]
    let r = try ToolRunner.shell(args, cwd: d.path, env: env)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("MVBench_8frame") && r.stdout.contains("overall"), "\(r.stdout)")
    let scores = d.read("runs/MVBench_8frame/test-model/scores.txt")
    #expect(scores.contains("Action Sequence"), "\(scores)")
    // The data came through vdata into the hub cache; the frames went to $LMUData/images.
    #expect(FileManager.default.fileExists(atPath: d.file("hub/datasets--OpenGVLab--MVBench/refs/main")))
    let records = d.read("runs/MVBench_8frame/frames.jsonl").split(separator: "\n")
    #expect(records.count == 2)
    for line in records {
      let rec = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      let frames = rec?["frames"] as? [String] ?? []
      #expect(frames.count == 8 && frames.allSatisfy { $0.hasPrefix(d.file("lmu/images/MVBench/")) }, "\(line)")
    }
    // A second make asks nothing of the hub.
    hub.clearLog()
    let again = try ToolRunner.shell(args, cwd: d.path, env: env)
    #expect(again.status == 0 && hub.requests.isEmpty, "\(again)")
  }
}

/// MLVU_MCQ, MLVU_OpenEnded, WorldSense, LongVideoBench, the TempCompass datasets, Video-TT and
/// Video-MME-v2 (Parquet files, so pyarrow, for the last five): prepared as VLMEvalKit prepares the fixture repos
/// (the TSV byte for byte, the tree file for file, the created files by checksum), and a second
/// fetch asks nothing of the hub.
@Suite(.serialized) struct VDataPreparationsATests {
  static let expected = VDataEndToEndTests.expected

  /// (dataset, a config of it or the dataset itself, needs pyarrow).
  static let cases: [(String, String, Bool)] = [
    ("MLVU_MCQ", "MLVU_MCQ", false), ("MLVU_OpenEnded", "MLVU_OpenEnded", false), ("WorldSense", "WorldSense_8frame", false),
    ("LongVideoBench", "LongVideoBench_8frame", false), ("TempCompass_MCQ", "TempCompass_MCQ", true),
    ("TempCompass_Captioning", "TempCompass_Captioning", true), ("TempCompass_YorN", "TempCompass_YorN", true),
    ("Video-TT", "Video_TT_16frame", true), ("Video-MME-v2", "Video-MME-v2_64frame", true),
  ]

  @Test(arguments: cases.map(\.0))
  func preparedAsVLMEvalKitPreparesIt(_ name: String) throws {
    let (_, fetchName, needsPyarrow) = try #require(Self.cases.first { $0.0 == name })
    if needsPyarrow && !VDataPythonSourcesTests.hasPyarrow { return }
    let hub = try FakeHub()
    let cache = TempDir("vdata-cache")
    let r = try VDataEndToEndTests.fetch(hub, cache, [fetchName])
    #expect(r.status == 0, "\(r)")
    let root = try #require(r.lines.first)
    #expect(VDataEndToEndTests.bytes(root + "/\(name).tsv") == VDataEndToEndTests.bytes(Self.expected + "/\(name).tsv"))
    #expect(VDataEndToEndTests.layout(root) == (try VDataEndToEndTests.fixtureLines("layout-\(name).txt")))
    try VDataPythonSourcesTests.checkSums(root, "sha256-\(name).txt")
    hub.clearLog()
    let again = try VDataEndToEndTests.fetch(hub, cache, [name])
    #expect(again.status == 0 && again.lines == r.lines && hub.requests.isEmpty, "\(again)")
  }
}

/// Group B's preparations against VLMEvalKit's own output on the fixture repos
/// (`expected/{Dataset}.tsv` where preparation writes the TSV, `layout-` and `sha256-` always):
/// the TSV byte for byte, the tree file for file, the created files' bytes, and a second fetch
/// that asks nothing of the hub.
@Suite(.serialized) struct VDataPreparationsBTests {
  static let expected = VDataEndToEndTests.expected

  /// What `vdata fetch` is given, the fixture name, the TSV preparation writes (nil: the repo's,
  /// untouched).
  static let cases: [(fetch: String, fixture: String, tsv: String?)] = [
    ("Video_Holmes_32frame", "Video_Holmes", "Video_Holmes.tsv"), ("QBench_Video_8frame", "QBench_Video_MCQ", nil),
    ("QBench_Video_VQA", "QBench_Video_VQA", nil), ("V2PBench_8frame_nopack", "V2P-Bench", nil), ("OMTGBench_1fps", "OMTGBench", nil),
    ("AV-SpeakerBench_visual_8frame", "AV-SpeakerBench", nil), ("moviechat1k_global_14frame", "MovieChat1k", nil),
    ("MVTamperBench_8frame", "MVTamperBench", "MVTamperBench.tsv"), ("MVTamperBenchStart", "MVTamperBenchStart", "MVTamperBenchStart.tsv"),
    ("MVTamperBenchEnd_8frame", "MVTamperBenchEnd", "MVTamperBenchEnd.tsv"), ("MVU-Eval_8frame", "MVU-Eval", "mvu_eval.tsv"),
    ("VDC_8frame", "VDC", nil), ("Video_MMLU_CAP_16frame", "Video_MMLU_CAP", nil), ("Video_MMLU_QA_64frame", "Video_MMLU_QA", nil),
  ]

  @Test(arguments: cases.indices)
  func preparedAsVLMEvalKitPreparesIt(_ i: Int) throws {
    let c = Self.cases[i]
    try VDataEndToEndTests.fetchedTwice(c.fetch) { _, _, root in
      if let tsv = c.tsv {
        #expect(VDataEndToEndTests.bytes(root + "/" + tsv) == VDataEndToEndTests.bytes(Self.expected + "/\(c.fixture).tsv"), "\(c.fixture)")
      }
      #expect(VDataEndToEndTests.layout(root) == (try VDataEndToEndTests.fixtureLines("layout-\(c.fixture).txt")), "\(c.fixture)")
      try VDataPythonSourcesTests.checkSums(root, "sha256-\(c.fixture).txt")
    }
  }
}

/// DREAM-1K's two repos: the TSV from `mjuicem/DREAM-1k-VLMEvalKit`, only `video/video.zip` from
/// `omni-research/DREAM-1K`, flattened into the root without `__MACOSX`: against VLMEvalKit's own
/// preparation (whose root holds the zip at its top, vdata's at `video/video.zip`, and whose TSV
/// lies in LMUData, vdata's in the root).
@Suite(.serialized) struct VDataDREAMTests {
  @Test func preparedAsVLMEvalKitPreparesIt() throws {
    try VDataEndToEndTests.fetchedTwice("DREAM-1K_1fps") { hub, _, root in
      #expect(VDataEndToEndTests.bytes(root + "/DREAM-1K.tsv") == VDataEndToEndTests.bytes(VDataEndToEndTests.expected + "/DREAM-1K.tsv"))
      let upstream = try VDataEndToEndTests.fixtureLines("layout-DREAM-1K.txt").map { $0 == "video.zip" ? "video/video.zip" : $0 }
      #expect(
        VDataEndToEndTests.layout(root)
          == (upstream + ["DREAM-1K.tsv"]).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
      try VDataPythonSourcesTests.checkSums(root, "sha256-DREAM-1K.txt")
      let paths = hub.requests.compactMap { $0["path"] as? String }.filter { $0.contains("/resolve/") }
      #expect(!paths.isEmpty && paths.allSatisfy { $0.hasSuffix("/video/video.zip") || $0.hasSuffix("/DREAM-1K.tsv") }, "\(paths)")
      #expect(!paths.contains { $0.contains("other/") }, "\(paths)")
    }
  }
}

/// The EASI spatial family's data: the TSV from the EASI leaderboard repo (VLMEvalKit's
/// `prepare_tsv` URL), the media repo's zips extracted in place with the family's sentinel, and
/// (DSR-Bench) a dataset root inside the snapshot. Against VLMEvalKit's own preparation of the
/// fixture repos: the TSV it writes into LMUData byte for byte, the tree under the root file
/// for file (plus the TSV, which vdata keeps in the root), the created files' bytes; only the
/// files named are downloaded, and a second fetch asks nothing of the hub.
@Suite(.serialized) struct VDataEASITests {
  static let expected = VDataEndToEndTests.expected

  static let cases: [(fetch: String, name: String, rootSuffix: String)] = [
    ("STI-Bench_32frame", "STI-Bench", ""), ("DSRBench_1fps", "DSRBench", "/raw_data/dsr-bench"), ("VSI-Bench_2fps", "VSI-Bench", ""),
    ("VSI-Bench-Debiased", "VSI-Bench-Debiased", ""), ("VsiSuperRecall_10mins_16frame", "VsiSuperRecall_10mins", ""),
    ("VsiSuperRecall_30mins", "VsiSuperRecall_30mins", ""), ("VsiSuperCount_10mins_2fps", "VsiSuperCount_10mins", ""),
    ("VsiSuperCount_30mins", "VsiSuperCount_30mins", ""), ("SiteBenchVideo_1fps", "SiteBenchVideo", ""),
    ("MMSIVideoBench_32frame", "MMSIVideoBench", ""),
  ]

  @Test(arguments: cases.indices)
  func preparedAsVLMEvalKitPreparesIt(_ i: Int) throws {
    let c = Self.cases[i]
    try VDataEndToEndTests.fetchedTwice(c.fetch) { hub, cache, root in
      #expect(root.hasSuffix(c.rootSuffix) && root.contains("/snapshots/"), "\(root)")
      #expect(VDataEndToEndTests.bytes(root + "/\(c.name).tsv") == VDataEndToEndTests.bytes(Self.expected + "/\(c.name).tsv"), "\(c.name)")
      let want = (try VDataEndToEndTests.fixtureLines("layout-\(c.name).txt")) + ["\(c.name).tsv"]
      #expect(
        VDataEndToEndTests.layout(root)
          == want.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }, "\(c.name)")
      try VDataPythonSourcesTests.checkSums(root, "sha256-\(c.name).txt")
      let paths = hub.requests.compactMap { $0["path"] as? String }
      #expect(
        !paths.contains { $0.contains("OtherBench") || $0.contains("other.zip") || (c.name == "MMSIVideoBench" && $0.hasSuffix("/videos.zip")) },
        "\(paths)")
      let path = try ToolRunner.run("vdata", ["path", c.name, "--cache", cache.path])
      #expect(path.status == 0 && path.lines == [root], "\(path)")
    }
  }

  /// vframes and vprompt run on the fetched root as vdata prints it.
  @Test func theFetchedRootFeedsTheTools() throws {
    let hub = try FakeHub()
    let cache = TempDir("vdata-cache")
    let r = try VDataEndToEndTests.fetch(hub, cache, ["STI-Bench"])
    let root = try #require(r.lines.first)
    let list = try ToolRunner.run("vdata", ["list", "--cache", cache.path])
    #expect(list.stdout.contains("STI-Bench\tMINT-SJTU/STI-Bench@main\tprepared"), "\(list)")
    #expect(list.stdout.contains("DSRBench\tlmms-lab-si/EASI-Leaderboard-Data@main\t"), "\(list)")
    // The fixture's videos are filler bytes: each row is an error record, none lost.
    let f = try ToolRunner.sh(
      "vframes --preset STI-Bench_32frame --video-root '\(root)' --frame-root frames '\(root)/STI-Bench.tsv'", cwd: cache.path)
    #expect(f.lines.count == 2 && f.lines.allSatisfy { $0.contains("\"error\"") }, "\(f)")
  }
}
