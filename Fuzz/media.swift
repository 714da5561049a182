import Glibc
import VCore
import VMedia

/// Arbitrary bytes as a video file: open, index, extract two frames, all under a 2 s deadline.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let path = "/tmp/vtools-fuzz-media-\(getpid())"
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  guard fd >= 0 else { return 0 }
  _ = write(fd, data, size)
  close(fd)
  var o = DecodeOptions()
  o.deadline = FileIO.monotonicSeconds() + 2
  o.timeoutSeconds = 2
  if let v = try? VideoSource(path: path, options: o) {
    let n = v.info.frameCount
    if n > 0 {
      _ = try? v.extract(frames: [0, n - 1], jpeg: JPEGSettings(quality: 75, maxSide: 64), options: o) { _, _ in }
    }
  }
  unlink(path)
  return 0
}
