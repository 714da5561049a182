import VMerge

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = PackAnswers.robustLoad(text)
  _ = PackAnswers.pythonDict(text)
  return 0
}
