import VCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let v = try? JSONParser.parse(bytes) {
    // What parses must serialize and parse back to the same value.
    let text = JSONSerializer.serialize(v)
    guard let again = try? JSONParser.parse(Array(text.utf8)), again == v else { fatalError("round trip changed \(text)") }
    _ = JSONSerializer.pretty(v)
  }
  return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
  structuralMutate(
    data, size, maxSize, seed,
    tokens: [
      "[", "]", "{", "}", "\"a\":", ",", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "1e999999", "-0", "99999999999999999999",
      "\u{FF}", "\u{C0}\u{AF}", "\"\\", "true", "null", "\t",
    ],
    runs: ["[", "{\"a\":", "9", "[{\"\":", "\\u0041", " "])
}
