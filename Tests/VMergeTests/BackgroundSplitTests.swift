import Foundation
import Testing
import VTestSupport

@testable import VMerge

/// Which answer logs vmerge parses on its second thread (the one that reads the meta file).
struct BackgroundSplitTests {
  @Test func theLastFilesBalanceTheMetaRead() {
    let d = TempDir()
    d.write("m.tsv", String(repeating: "m", count: 100))  // counts as 300
    d.write("a.jsonl", String(repeating: "a", count: 6000))
    d.write("b.jsonl", String(repeating: "b", count: 200))
    d.write("c.jsonl", String(repeating: "c", count: 200))
    let files = ["a", "b", "c"].map { d.file("\($0).jsonl") }
    #expect(Merger.backgroundSplit(files, meta: d.file("m.tsv")) == 1)  // b and c: 700 of 6,700
    #expect(Merger.backgroundSplit([d.file("a.jsonl")], meta: d.file("m.tsv")) == 1)  // one file stays here
    #expect(Merger.backgroundSplit([d.file("b.jsonl"), d.file("c.jsonl")], meta: d.file("m.tsv")) == 2)  // meta is over half
    #expect(Merger.backgroundSplit([d.file("a.jsonl"), "-", d.file("c.jsonl")], meta: d.file("m.tsv")) == 2)  // stdin stays here
    #expect(Merger.backgroundSplit([], meta: d.file("m.tsv")) == 0)
  }
}
