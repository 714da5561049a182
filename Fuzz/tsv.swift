import VCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let reader = ByteReader(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
  guard let tsv = try? TSVReader(reader) else { return 0 }
  var rows = 0
  while rows < 100_000 {
    do {
      guard let (_, cells) = try tsv.next() else { break }
      if cells.count != tsv.header.count { fatalError("row of \(cells.count) cells, header \(tsv.header.count)") }
    } catch {
      // A malformed row: the reader must go on with the next one.
    }
    rows += 1
  }
  return 0
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
  structuralMutate(
    data, size, maxSize, seed, tokens: ["\"", "\t", "\"\"", "\r\n", "\n", "\t\"", "\"\t", "\u{FF}", "\u{EF}\u{BB}\u{BF}", "\0"],
    runs: ["\t", "\"", "\"\"", "\n", "\t\"x\"\"\t"])
}
