import VMerge

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = PackAnswers.robustLoad(text)
  _ = PackAnswers.pythonDict(text)
  return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
  structuralMutate(
    data, size, maxSize, seed, tokens: ["{", "}", "\"a\": ", ": ", "'", "\"", ",", "\n", "[", "]", "\\u", "1e999"],
    runs: ["{", "{\"a\":", "{\"\":[", "\"", ": "])
}
