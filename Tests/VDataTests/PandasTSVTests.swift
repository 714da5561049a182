import Testing

@testable import VData

@Suite struct PandasTSVTests {
  @Test func floatsPrintAsPythonRepr() {
    let cases: [(Double, String)] = [
      (3, "3.0"), (12.5, "12.5"), (0.1, "0.1"), (1e-5, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"), (9.5e15, "9500000000000000.0"),
      (123456789.125, "123456789.125"), (-2.5, "-2.5"), (3.3333333333333335, "3.3333333333333335"), (1.5e-7, "1.5e-07"), (2e22, "2e+22"),
    ]
    for (d, want) in cases { #expect(PandasTSV.floatRepr(d) == want, "\(d)") }
  }
}

@Suite struct PandasFrameTests {
  /// The expected text is what pandas 2.3 writes for the same rows (`pd.DataFrame(rows)
  /// .assign(index=range(n)).to_csv(sep='\t', index=False)`, checked in a scratch venv).
  @Test func rowsAreWrittenAsPandasWritesThem() {
    var t = PandasTSV()
    t.append([("a", .int(1)), ("b", .str("x\ty")), ("c", .bool(true)), ("d", .list([.str("it's"), .str("q\"")]))])
    t.append([("a", .none), ("b", .str("lone\rcr")), ("c", .bool(false)), ("d", .list([.str("\u{a0}"), .int(3), .float(0.5), .none]))])
    t.append([("a", .float(2.5)), ("b", .str("two\nlines")), ("d", .dict([("k", .str("v"))]))])
    t.assignRange("index")
    let want =
      "a\tb\tc\td\tindex\n"
      + "1.0\t\"x\ty\"\tTrue\t\"[\"\"it's\"\", 'q\"\"']\"\t0\n"
      + "\tlone\rcr\tFalse\t['\\xa0', 3, 0.5, None]\t1\n"
      + "2.5\t\"two\nlines\"\t\t{'k': 'v'}\t2\n"
    #expect(t.text() == want)
  }

  @Test func mixedColumnsKeepEachValuesStr() {
    var t = PandasTSV()
    t.append([("v", .int(3))])
    t.append([("v", .str("x"))])
    t.append([("v", .none)])
    #expect(t.text() == "v\n3\nx\n\n")
    var ints = PandasTSV()
    ints.append([("n", .int(3))])
    ints.append([("n", .int(-4))])
    #expect(ints.text() == "n\n3\n-4\n")
  }

  @Test func selectOrdersColumns() {
    var t = PandasTSV()
    t.append([("b", .str("B")), ("a", .str("A")), ("gone", .str("G"))])
    t.assignRange("index")
    t.select(["index", "a", "b"])
    #expect(t.text() == "index\ta\tb\n0\tA\tB\n")
  }
}
