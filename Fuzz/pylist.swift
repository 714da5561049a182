import VCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = try? PythonLiteral.stringList(text)
  _ = try? PythonLiteral.stringDict(text)
  return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
  structuralMutate(
    data, size, maxSize, seed,
    tokens: [
      "'", "\"", "'''", "\"\"\"", "\\x", "\\U0010FFFF", "\\U00110000", "\\777", "\\0", "r'", "u'", "b'", "1e309", "-", "0x", "1_000",
      "True", "None", ",", ":", "[", "]", "{", "}", "(", ")",
    ],
    runs: ["[", "9", "'a' ", "\\\\", "1_"])
}
