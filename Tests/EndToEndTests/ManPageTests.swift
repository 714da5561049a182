import Foundation
import Testing
import VCore
import VTestSupport

/// Every option a tool's --help shows must be documented in its man page.
@Suite struct ManPageTests {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  @Test(arguments: ["vframes", "vprompt", "vinfer", "vmerge", "vscore"])
  func everyOptionIsInTheManPage(tool: String) throws {
    let r = try ToolRunner.run(tool, ["--experimental-dump-help"])
    #expect(r.status == 0)
    let dump = try JSONParser.parse(r.stdout)
    let args = dump.objectValue?["command"]?.objectValue?["arguments"]?.arrayValue ?? []
    var longNames: [String] = []
    for a in args {
      guard let o = a.objectValue, o["shouldDisplay"] != .bool(false) else { continue }
      for n in o["names"]?.arrayValue ?? [] {
        if n.objectValue?["kind"]?.stringValue == "long", let name = n.objectValue?["name"]?.stringValue { longNames.append(name) }
      }
    }
    #expect(longNames.count > 10)
    let page = try String(contentsOfFile: "\(Self.repoRoot)/man/\(tool).1", encoding: .utf8)
    for name in longNames {
      #expect(page.contains("Fl \\-\(name)"), "man/\(tool).1 does not document --\(name)")
    }
  }
}

@Suite struct PresetDocumentationTests {
  @Test func everyPresetIsInVpromptsManPage() throws {
    let page = try String(contentsOfFile: "\(ManPageTests.repoRoot)/man/vprompt.1", encoding: .utf8)
    for p in Presets.all {
      #expect(page.contains(".It Cm \(p.name)\n"), "man/vprompt.1 does not list preset \(p.name)")
    }
  }
}
