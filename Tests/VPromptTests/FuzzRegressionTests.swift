import Testing

@testable import VPrompt

/// Inputs the fuzz targets (Fuzz/, `make fuzz`) found crashing, kept as regression tests.
@Suite struct FuzzRegressionTests {
  /// An hour field of 18 digits overflowed the millisecond arithmetic and trapped.
  @Test func srtHugeHourIsNotATime() {
    let text = "1\n00:01,000 --> 0888888888888888880:00:02,500\n<i</\u{1}\0\u{b}00:00:04,001\nBye~\n"
    let events = SRT.parse(text)
    #expect(events.isEmpty)
    #expect(SRT.time("0888888888888888880:00:02,500") == nil)
    #expect(SRT.time("01:00:02,500") == 3_602_500)
    #expect(SRT.time("9223372036854775807:00:00,000") == nil)
  }

  /// A seconds field of just "," (then "." after the comma swap) indexed an empty split.
  @Test func srtEmptySecondsField() {
    #expect(SRT.time("+00000:,") == nil)
    #expect(SRT.time("00:00:.5") == nil)
    let text = "qJSe\u{6}qu\n00:000:1,000 -->+00000:,:\n5002<i\u{8a}\n2:\n"
    #expect(SRT.parse(text).isEmpty)
  }
}
