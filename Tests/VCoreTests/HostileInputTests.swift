import Foundation
import Testing
import VTestSupport

@testable import VCore

/// The record readers on hostile input (issue #13's audit): nesting bounded on a small stack,
/// short messages for deep paths, rows wider than the header counted without being stored.
struct HostileInputTests {
  /// Runs `body` on a thread with a 4 MiB stack (half the 8 MiB of the main thread and of the
  /// pool threads here; a debug build needs more than 1 MiB for 512 levels): a parser that recursed
  /// without bound would overflow it.
  func onSmallStack(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let t = Thread {
      body()
      done.signal()
    }
    t.stackSize = 4 << 20
    t.start()
    done.wait()
  }

  @Test func deepJSONIsRefusedOnASmallStackWithAShortMessage() {
    onSmallStack {
      for text in [
        String(repeating: "[", count: 100_000), String(repeating: #"{"a":"#, count: 100_000),
        String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
      ] {
        do {
          _ = try JSONParser.parse(text)
          #expect(text.hasSuffix("]"), "only the balanced 512 levels parse")
        } catch {
          guard let e = error as? JSONSyntaxError else {
            Issue.record("\(error)")
            continue
          }
          #expect(e.reason.contains("nesting deeper than 512 levels"))
          #expect(e.description.count < 300, "\(e.description.prefix(400))")
          #expect(e.description.contains("levels...]"))
        }
      }
    }
  }

  @Test func absurdJSONScalarsAreReadOrRefusedNotTrapped() throws {
    let digits = String(repeating: "9", count: 1_000_000)
    #expect(try JSONParser.parse(digits) == .number(digits))
    #expect(try JSONParser.parse("1e99999999999999999999") == .number("1e99999999999999999999"))
    for bad in [#""\ud800""#, #""\udc00\ud800""#, #""\ud800\u0041""#, #""\u12""#, "\"\u{0}\"", "-", "1.", "1e", "[1,]", "{\"a\"}"] {
      #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONParser.parse(bad) }
    }
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xC0, 0xAF, 0x22]) }
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
  }

  @Test func aRowFarWiderThanTheHeaderIsCountedNotStored() throws {
    let text = "a\tb\n1\t2\n" + "x" + String(repeating: "\t", count: 1_000_000) + "\n3\t4\n"
    let tsv = try TSVReader(ByteReader(bytes: Array(text.utf8), name: "w.tsv"))
    #expect(try tsv.next()?.1 == ["1", "2"])
    do {
      _ = try tsv.next()
      Issue.record("the wide row must be an error")
    } catch {
      #expect((error as? InputError)?.description == "w.tsv:3: row has 1000001 cells, the header has 2", "\(error)")
    }
    #expect(try tsv.next()?.1 == ["3", "4"], "the next row reads")
  }

  @Test func pythonLiteralsWithAbsurdEscapesAndNumbers() throws {
    #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.stringList(#"['\U00110000']"#) }
    #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.stringList(#"['\x4']"#) }
    #expect(try PythonLiteral.stringList(#"['\777', 1e999, 99999999999999999999999]"#) == ["\u{1FF}", "inf", "99999999999999999999999"])
    #expect(throws: PythonLiteral.ParseError.self) { try PythonLiteral.stringList(String(repeating: "[", count: 100_000)) }
  }
}
