import Foundation
import Testing
import VBenchmarks
import VCLI
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

/// vdata's options live in its subcommands: each subcommand's are in vdata(1), and so is each
/// subcommand.
@Suite struct VDataManPageTests {
  @Test func everySubcommandAndOptionIsInTheManPage() throws {
    let r = try ToolRunner.run("vdata", ["--experimental-dump-help"])
    #expect(r.status == 0)
    let subs = try JSONParser.parse(r.stdout).objectValue?["command"]?.objectValue?["subcommands"]?.arrayValue ?? []
    let page = try String(contentsOfFile: "\(ManPageTests.repoRoot)/man/vdata.1", encoding: .utf8)
    var checked = 0
    for sub in subs.compactMap(\.objectValue) {
      guard let name = sub["commandName"]?.stringValue, name != "help" else { continue }
      #expect(page.contains(".It Cm \(name)"), "man/vdata.1 does not describe vdata \(name)")
      for a in sub["arguments"]?.arrayValue ?? [] {
        guard let o = a.objectValue, o["shouldDisplay"] != .bool(false) else { continue }
        for n in o["names"]?.arrayValue ?? [] where n.objectValue?["kind"]?.stringValue == "long" {
          let long = n.objectValue?["name"]?.stringValue ?? ""
          if long == "help" || long == "version" { continue }
          #expect(page.contains("Fl \\-\(long)"), "man/vdata.1 does not document --\(long)")
          checked += 1
        }
      }
    }
    #expect(checked > 10)
  }
}

@Suite struct PresetDocumentationTests {
  @Test func everyPresetIsInVpromptsManPage() throws {
    let page = try String(contentsOfFile: "\(ManPageTests.repoRoot)/man/vprompt.1", encoding: .utf8)
    for p in Registry.presets {
      #expect(page.contains(".It Cm \(p.name)\n"), "man/vprompt.1 does not list preset \(p.name)")
    }
  }
}

/// The EXIT STATUS sections agree with the code: each tool's page lists exactly the statuses
/// the tool declares (VCLI's ToolExitStatuses), and vtools(7) lists every ExitStatus.
@Suite struct ExitStatusDocumentationTests {
  static func statuses(inPage name: String) throws -> [Int32] {
    let page = try String(contentsOfFile: "\(ManPageTests.repoRoot)/man/\(name)", encoding: .utf8)
    guard let start = page.range(of: ".Sh EXIT STATUS\n") else { return [] }
    let rest = page[start.upperBound...]
    let section = rest[..<(rest.range(of: "\n.Sh ")?.lowerBound ?? rest.endIndex)]
    return section.split(separator: "\n").compactMap { line in
      line.hasPrefix(".It ") ? Int32(line.dropFirst(4)) : nil
    }
  }

  @Test func eachToolsPageListsItsStatuses() throws {
    for (tool, declared) in ToolExitStatuses.byTool {
      let listed = try Self.statuses(inPage: "\(tool).1")
      #expect(listed == declared.map(\.rawValue).sorted(), "man/\(tool).1 EXIT STATUS lists \(listed)")
    }
  }

  @Test func vtools7ListsEveryStatus() throws {
    let listed = try Self.statuses(inPage: "vtools.7")
    #expect(listed == ExitStatus.allCases.map(\.rawValue).sorted())
    #expect(Set(ToolExitStatuses.byTool.values.flatMap { $0 }) == Set(ExitStatus.allCases))
  }
}

/// vtools-records(5) and the record contract in code (VCore's RecordContract) agree: every key,
/// every inference key and every error code is in the page.
@Suite struct RecordContractDocumentationTests {
  @Test func recordsPageNamesEveryKeyAndCode() throws {
    let page = try String(contentsOfFile: "\(ManPageTests.repoRoot)/man/vtools-records.5", encoding: .utf8)
    let keys =
      Stage.allCases.flatMap { RecordKey.owned(by: $0) } + [
        RecordKey.id, RecordKey.error, RecordKey.system, RecordKey.request, RecordKey.judge,
      ]
    for k in keys { #expect(page.contains(".It Cm \(k)") || page.contains(".Cm \(k)"), "records(5) lacks the key \(k)") }
    for k in RecordKey.inferenceKeys { #expect(page.contains(k), "records(5) lacks inference.\(k)") }
    for c in ErrorCode.allNamed { #expect(page.contains(".It Cm \(c.rawValue)\n"), "records(5) lacks the error code \(c.rawValue)") }
    #expect(page.contains(".It Cm http_N\n"))
    // And the other way: every code the page lists is one the code knows.
    let start = try #require(page.range(of: ".Ss Error codes\n")), end = try #require(page.range(of: ".Ss Evolution\n"))
    let listed = page[start.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix(".It Cm ") }.map { String($0.dropFirst(7)) }
    #expect(listed.count == ErrorCode.allNamed.count + 1)
    for c in listed where c != "http_N" {
      guard case .other = ErrorCode(rawValue: c) else { continue }
      Issue.record("records(5) lists '\(c)', which ErrorCode does not know")
    }
  }
}
