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
