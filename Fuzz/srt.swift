@testable import VPrompt

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let events = SRT.parse(text)
  _ = SRT.videoMMEText(events: events, frameIndices: [0, 7, 30, 299, 100_000], fps: 29.97)
  return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
  structuralMutate(
    data, size, maxSize, seed,
    tokens: [
      "-->", " --> ", "00:00:01,000", "99999999999999999999:", "9223372036854775807", ":", ",", ".", "<i>", "</i>", "<", ">", "\n\n",
      "\r\n", "\\N", "-", "+",
    ],
    runs: ["<", "9", "1\n00:00:00,000 --> 00:00:01,000\nx\n", "\n", ":"])
}
