import Testing
import VCore

@testable import VMerge

/// vmerge's preset row subsets (MovieChat-1K's `subset`/`limit`) on the meta rows.
@Suite struct RowSubsetTests {
  static let meta: Merger.MetaRows = (
    header: ["index", "mode"], rows: [["0", "global"], ["1", "breakpoint"], ["2", "global"], ["3", "Global"]],
    ids: ["0", "1", "2", "3"], known: ["0", "1", "2", "3"]
  )

  @Test func keepsTheMatchingRowsInOrder() throws {
    let g = try Merger.subset(Self.meta, RowSubset(column: "mode", value: "global"))
    #expect(g.ids == ["0", "2"] && g.rows == [["0", "global"], ["2", "global"]] && g.known == ["0", "2"] && g.header == Self.meta.header)
    // int(0.5 * 2) = 1.
    #expect(try Merger.subset(Self.meta, RowSubset(column: "mode", value: "global", limit: 0.5)).ids == ["0"])
    #expect(try Merger.subset(Self.meta, RowSubset(column: "mode", value: "global", limit: 0.01)).ids.isEmpty)
  }

  @Test func aMetaFileWithoutTheColumnIsADataError() {
    #expect(throws: SimpleToolError.self) { try Merger.subset(Self.meta, RowSubset(column: "subset", value: "global")) }
  }
}
