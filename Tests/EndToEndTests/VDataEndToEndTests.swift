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
