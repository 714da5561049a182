import Foundation
import Testing
import VCore
import VTestSupport

@testable import VMedia

/// `AudioTrack`: moviepy 1.0.3's WAV (44100 Hz, two channels, 16-bit, `int(44100 * duration)`
/// samples, clipped to +-0.99) from any file with an audio stream.
@Suite struct AudioTrackTests {
  let dir = TempDir()

  static func header(_ b: [UInt8]) -> (rate: Int, channels: Int, bits: Int, dataBytes: Int) {
    func u(_ o: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(b[o + $1]) << (8 * $1) } }
    return (u(24, 4), u(22, 2), u(34, 2), u(40, 4))
  }

  @Test func wavHeader() {
    let b = AudioTrack.wavFile([1, -2, 3, -4], sampleRate: 8000, channels: 2)
    #expect(b.count == 44 + 8)
    #expect(Array(b[0..<4]) == Array("RIFF".utf8) && Array(b[8..<16]) == Array("WAVEfmt ".utf8) && Array(b[36..<40]) == Array("data".utf8))
    let h = Self.header(b)
    #expect(h.rate == 8000 && h.channels == 2 && h.bits == 16 && h.dataBytes == 8)
    #expect(Array(b[44..<48]) == [1, 0, 0xFE, 0xFF])
  }

  @Test func printedDurationRoundsToTheCentisecond() {
    #expect(AudioTrack.printedDuration(microseconds: 2_004_999) == 2.0)
    #expect(AudioTrack.printedDuration(microseconds: 2_005_000) == 2.01)
    #expect(AudioTrack.printedDuration(microseconds: 3_725_120_000) == 3725.12)
    #expect(AudioTrack.printedDuration(microseconds: -1) == nil)
  }

  /// 22050 Hz WAVs of 1.5 s (a full-scale square wave) become 44100 Hz stereo: 66150 sample
  /// frames, both channels alike. Stereo in: the resampler's overshoot is clipped at 32440, as
  /// moviepy's quantisation does. Mono in: libswresample's upmix (as ffmpeg's `-ac 2`) puts it in
  /// both channels at -3 dB, below the clip.
  @Test(arguments: [1, 2]) func resamplesRemixesAndClips(channels: Int) throws {
    let n = 33075
    let square: [Int16] = (0..<n).map { ($0 / 50) % 2 == 0 ? 32767 : -32768 }
    let interleaved = square.flatMap { Array(repeating: $0, count: channels) }
    let src = dir.write("in\(channels).wav", bytes: AudioTrack.wavFile(interleaved, sampleRate: 22050, channels: channels))
    let out = try AudioTrack.wav(path: src)
    let h = Self.header(out)
    #expect(h.rate == 44100 && h.channels == 2 && h.bits == 16)
    #expect(h.dataBytes == 66150 * 4)
    #expect(out.count == 44 + h.dataBytes)
    var peak = 0
    var same = true
    for k in 0..<66150 {
      let l = Int(Int16(bitPattern: UInt16(out[44 + 4 * k]) | UInt16(out[45 + 4 * k]) << 8))
      let r = Int(Int16(bitPattern: UInt16(out[46 + 4 * k]) | UInt16(out[47 + 4 * k]) << 8))
      if l != r { same = false }
      peak = max(peak, abs(l))
    }
    #expect(same)
    if channels == 2 {
      #expect(peak == 32440)
    } else {
      #expect(peak > 20000 && peak < 32440)
    }
  }

  @Test func aVideoWithoutAudioIsATypedError() throws {
    let video = dir.file("silent.mp4")
    try BarcodeVideo.make(video, codec: "libx264", frames: 10, gop: 10)
    #expect(throws: MediaError.self) { try AudioTrack.wav(path: video) }
    do {
      _ = try AudioTrack.wav(path: video)
    } catch {
      #expect(error.code == .noAudioStream)
    }
    do {
      _ = try AudioTrack.wav(path: dir.file("missing.mp4"))
    } catch {
      #expect(error.code == .videoMissing)
    }
  }

  /// A video with a 44100 Hz stereo PCM track (a QuickTime file named `.mp4`, as FFmpeg probes by
  /// content): the WAV holds the same samples, `int(44100 * 2.00)` of them, since no conversion
  /// is needed and nothing reaches the clip.
  @Test func aVideosTrackComesOutSampleExact() throws {
    let video = dir.file("talk.mp4")
    let tone = BarcodeVideo.stereoTone(seconds: 2)
    try BarcodeVideo.make(video, codec: "libx264", frames: 60, gop: 10, audio: tone, container: "mov")
    let out = try AudioTrack.wav(path: video)
    let h = Self.header(out)
    #expect(h.rate == 44100 && h.channels == 2 && h.bits == 16 && h.dataBytes == 88200 * 4)
    let samples = stride(from: 44, to: out.count - 1, by: 2).map { Int16(bitPattern: UInt16(out[$0]) | UInt16(out[$0 + 1]) << 8) }
    #expect(samples == tone.samples)
  }
}
