import VSheet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  _ = try? XLSXReader.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz.xlsx")
  return 0
}
