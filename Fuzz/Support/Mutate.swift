// Structure-aware mutation helpers shared by the parser targets (compiled into each of them by
// scripts/fuzz.sh). Each target defines LLVMFuzzerCustomMutator and calls `structuralMutate`
// (text formats) or its own mutator (xlsx) with these helpers; libFuzzer's own byte mutations
// stay in the mix through `LLVMFuzzerMutate`.

@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// splitmix64, seeded by libFuzzer's seed: reproducible mutations.
struct FuzzRNG {
  var state: UInt64
  init(_ seed: UInt32) { state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// 0..<n (n > 0).
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}

/// A run of `unit` repeated to about `length` bytes (deep nesting, long numbers).
func run(_ unit: String, _ length: Int) -> [UInt8] {
  let u = Array(unit.utf8)
  var out: [UInt8] = []
  out.reserveCapacity(length)
  while out.count < length { out += u }
  return out
}

/// Copies `bytes` into libFuzzer's buffer when they fit; else lets libFuzzer mutate.
func emit(_ bytes: [UInt8], _ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int {
  guard bytes.count <= maxSize else { return LLVMFuzzerMutate(data, size, maxSize) }
  bytes.withUnsafeBufferPointer { b in
    if let base = b.baseAddress { data.update(from: base, count: b.count) }
  }
  return bytes.count
}

/// Text-format mutation: with `tokens` (structural pieces of the format) inserted, replacing a
/// range, or repeated into long runs (nesting depth, huge numbers, counts); a range duplicated
/// many times; or libFuzzer's own byte mutation (40%).
func structuralMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32, tokens: [String], runs: [String]) -> Int {
  var rng = FuzzRNG(seed)
  if rng.chance(40) || maxSize < 16 { return LLVMFuzzerMutate(data, size, maxSize) }
  var b = Array(UnsafeBufferPointer(start: data, count: size))
  let at = rng.below(b.count + 1)
  switch rng.below(5) {
  case 0:  // insert a token
    b.insert(contentsOf: Array(rng.pick(tokens).utf8), at: at)
  case 1:  // replace a range with a token
    let end = min(b.count, at + rng.below(16))
    b.replaceSubrange(at..<end, with: Array(rng.pick(tokens).utf8))
  case 2:  // a long run: nesting, digits
    let len = rng.pick([64, 513, 1000, 4096, 20000, maxSize / 2])
    b.insert(contentsOf: run(rng.pick(runs), min(len, max(1, maxSize - b.count))), at: at)
  case 3:  // duplicate a range many times (counts that drive loops)
    guard !b.isEmpty else { break }
    let end = min(b.count, at + 1 + rng.below(64))
    let piece = Array(b[min(at, b.count - 1)..<end])
    let times = rng.pick([2, 10, 100, 1000])
    var rep: [UInt8] = []
    for _ in 0..<times where rep.count + piece.count + b.count <= maxSize { rep += piece }
    b.insert(contentsOf: rep, at: min(at, b.count))
  default:  // truncate
    b.removeLast(b.count - min(b.count, at))
  }
  if b.count > maxSize { b.removeLast(b.count - maxSize) }
  return emit(b, data, size, maxSize)
}
