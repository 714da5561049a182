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

  /// VSI-SUPER-Count's streaming filter: rows whose type holds `_streaming` go; a meta file
  /// without the column keeps every row (VLMEvalKit then uses the TSV as it is).
  @Test func anExclusionKeepsTheOtherRowsAndNeedsNoColumn() throws {
    let meta: Merger.MetaRows = (
      header: ["index", "question_type"], rows: [["0", "10mins"], ["1", "10mins_streaming"], ["2", ""]], ids: ["0", "1", "2"], known: ["0", "1", "2"]
    )
    let subset = RowSubset.excluding(column: "question_type", containing: "_streaming")
    #expect(try Merger.subset(meta, subset).ids == ["0", "2"])
    #expect(try Merger.subset(Self.meta, subset).ids == Self.meta.ids)
  }

  @Test func aMetaFileWithoutTheColumnIsADataError() {
    #expect(throws: SimpleToolError.self) { try Merger.subset(Self.meta, RowSubset(column: "subset", value: "global")) }
  }
}
