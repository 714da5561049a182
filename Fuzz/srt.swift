@testable import VPrompt

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let events = SRT.parse(text)
  _ = SRT.videoMMEText(events: events, frameIndices: [0, 7, 30, 299, 100_000], fps: 29.97)
  return 0
}
