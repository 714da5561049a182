import Foundation
import Testing
import VTestSupport

@testable import VData

/// Archives made by Python's zipfile/tarfile (generated here), extracted through libarchive.
@Suite struct ArchiveTests {
  /// Writes an archive with python3: `kind` zip or tar (tar.gz when the name ends so); entries
  /// are (name, content) files, (name, nil) folders, or ("name", "->target") symbolic links.
  static func make(_ dir: TempDir, _ name: String, _ entries: [(String, String?)]) throws -> String {
    let path = dir.file(name)
    let spec = try JSONSerialization.data(withJSONObject: entries.map { [$0.0, $0.1 as Any] })
    let script = """
      import io, json, sys, tarfile, zipfile
      path, entries = sys.argv[1], json.loads(sys.argv[2])
      if path.endswith('.zip'):
          with zipfile.ZipFile(path, 'w') as z:
              for n, c in entries:
                  if c is None:
                      z.writestr(zipfile.ZipInfo(n if n.endswith('/') else n + '/'), b'')
                  elif c.startswith('->'):
                      i = zipfile.ZipInfo(n); i.create_system = 3; i.external_attr = (0o120777 << 16)
                      z.writestr(i, c[2:])
                  else:
                      z.writestr(n, c)
      else:
          with tarfile.open(path, 'w:gz' if path.endswith('.gz') else 'w') as t:
              for n, c in entries:
                  i = tarfile.TarInfo(n)
                  if c is None:
                      i.type = tarfile.DIRTYPE; t.addfile(i)
                  elif c.startswith('->'):
                      i.type = tarfile.SYMTYPE; i.linkname = c[2:]; t.addfile(i)
                  elif c.startswith('=>'):
                      i.type = tarfile.LNKTYPE; i.linkname = c[2:]; t.addfile(i)
                  else:
                      b = c.encode(); i.size = len(b); t.addfile(i, io.BytesIO(b))
      """
    let r = try ToolRunner.shell(["/usr/bin/env", "python3", "-c", script, path, String(decoding: spec, as: UTF8.self)])
    #expect(r.status == 0, "\(r)")
    return path
  }

  static func tree(_ root: String) -> [String] { Tree.files(under: root) }

  @Test func zipAndTarTreesAreExtracted() throws {
    let dir = TempDir("archive")
    let zip = try Self.make(dir, "a.zip", [("star/", nil), ("star/a.mp4", "A"), ("star/sub/b.mp4", "BB"), ("top.txt", "t")])
    let out = dir.file("out")
    let stats = try ArchiveExtractor.extract(zip, into: out)
    #expect(stats.files == 3 && stats.bytes == 4)
    #expect(Self.tree(out) == ["star/a.mp4", "star/sub/b.mp4", "top.txt"])
    #expect(Tree.read(out + "/star/sub/b.mp4") == Array("BB".utf8))
    // A second archive merges into the same tree and replaces a file of the same name.
    let tgz = try Self.make(
      dir, "b.tar.gz", [("star", nil), ("star/a.mp4", "new"), ("other/c.mp4", "C"), ("star/link.mp4", "->a.mp4"), ("hard.mp4", "=>other/c.mp4")])
    try ArchiveExtractor.extract(tgz, into: out)
    #expect(Self.tree(out) == ["hard.mp4", "other/c.mp4", "star/a.mp4", "star/link.mp4", "star/sub/b.mp4", "top.txt"])
    #expect(Tree.read(out + "/star/a.mp4") == Array("new".utf8))
    #expect(Tree.read(out + "/star/link.mp4") == Array("new".utf8))
    #expect(Tree.read(out + "/hard.mp4") == Array("C".utf8))
    // No staging folder is left.
    #expect(Tree.list(out).allSatisfy { !$0.hasPrefix(".vdata-extract") })
  }

  @Test func flattenKeepsBaseNamesAndTheLastOfAName() throws {
    let dir = TempDir("archive")
    let zip = try Self.make(dir, "video_1.zip", [("data/", nil), ("data/x.mp4", "1"), ("data/deep/er/y.mp4", "2"), ("z/x.mp4", "3")])
    let out = dir.file("video")
    try ArchiveExtractor.extract(zip, into: out, layout: .flatten)
    #expect(Self.tree(out) == ["x.mp4", "y.mp4"])
    #expect(Tree.read(out + "/x.mp4") == Array("3".utf8))
  }

  @Test(arguments: [
    ("evil.zip", [("ok.mp4", "fine"), ("../escape.mp4", "x")] as [(String, String?)], "'..' component"),
    ("abs.tar", [("/tmp/vtools-absolute-escape.mp4", "x")], "absolute path"),
    ("link.tar", [("out", "->/etc"), ("out/passwd", "x")], "symbolic link to '/etc'"),
    ("uplink.tar", [("up", "->../.."), ("up/x", "x")], "symbolic link to '../..'"),
    ("hard.tar", [("h", "=>../../etc/passwd")], "hard link"),
  ])
  func entriesThatEscapeAreRefusedAndNothingIsWritten(name: String, entries: [(String, String?)], reason: String) throws {
    let dir = TempDir("archive")
    let path = try Self.make(dir, name, entries)
    let out = dir.file("out")
    #expect {
      try ArchiveExtractor.extract(path, into: out)
    } throws: { error in
      guard let e = error as? DataError, case .escapes(let a, _, let why) = e else { return false }
      return a == path && why.contains(reason) && e.exitStatus == .dataError
    }
    #expect(Self.tree(out).isEmpty, "nothing of a refused archive is moved into place")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/escape.mp4"))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/vtools-absolute-escape.mp4"))
  }

  @Test func aTruncatedArchiveIsALocatedError() throws {
    let dir = TempDir("archive")
    let zip = try Self.make(dir, "t.tar.gz", [("a.mp4", String(repeating: "x", count: 100_000)), ("b.mp4", "y")])
    let bytes = try #require(Tree.read(zip))
    let cut = dir.write("cut.tar.gz", bytes: Array(bytes.prefix(bytes.count / 2)))
    let out = dir.file("out")
    #expect {
      try ArchiveExtractor.extract(cut, into: out)
    } throws: { error in
      guard let e = error as? DataError, case .corrupt(let a, _, _) = e else { return false }
      return a == cut && String(describing: e).hasPrefix(cut + ": ")
    }
    #expect(Self.tree(out).isEmpty)
    let junk = dir.write("junk.zip", "this is not an archive")
    #expect(throws: DataError.self) { try ArchiveExtractor.extract(junk, into: out) }
  }

  @Test func staleStagingFoldersAreRemoved() throws {
    let dir = TempDir("archive")
    let out = dir.file("video")
    try Tree.makeDirectories(out + "/.vdata-extract-star.zip-123/half")
    try Tree.writeAtomically(out + "/kept.mp4", Array("k".utf8))
    ArchiveExtractor.removeStaleStaging(in: out)
    #expect(Tree.list(out) == ["kept.mp4"])
  }
}
