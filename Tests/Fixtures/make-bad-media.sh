#!/usr/bin/env bash
# Generates vtools' bad-media corpus in DIR (the test suite's HostileMediaTests run vframes on it).
# Everything is made here with the ffmpeg CLI and byte patches (python3); nothing is downloaded.
# Each file's name says what is wrong with it; good.* files are the controls.
set -euo pipefail
dir=${1:?usage: make-bad-media.sh DIR}
mkdir -p "$dir"
cd "$dir"
ff() { ffmpeg -hide_banner -nostdin -v error -y "$@"; }
src=(-f lavfi -i testsrc=size=160x120:rate=30:duration=4)

# Controls and sources.
ff "${src[@]}" -c:v libx264 -preset veryfast -g 30 -bf 2 -pix_fmt yuv420p good.mp4
ff "${src[@]}" -c:v libx264 -preset veryfast -g 30 -bf 2 -pix_fmt yuv420p -movflags +faststart good-faststart.mp4
ff "${src[@]}" -c:v libx264 -preset veryfast -g 30 -pix_fmt yuv420p good.mkv
ff "${src[@]}" -c:v libx264 -preset veryfast -g 30 -pix_fmt yuv420p good.ts
ff "${src[@]}" -c:v mpeg4 -g 30 -bf 2 good.avi
ff "${src[@]}" -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -g 30 good.webm

python3 - <<'PY'
import os, random
rnd = random.Random(7)
def rd(p): return open(p, "rb").read()
def wr(p, b): open(p, "wb").write(b)
mp4, fast, mkv, ts, avi, webm = (rd(p) for p in ["good.mp4", "good-faststart.mp4", "good.mkv", "good.ts", "good.avi", "good.webm"])

# Truncated at several points.
wr("trunc-header.mp4", fast[:64])                       # inside the first box
wr("trunc-moov-at-end.mp4", mp4[: len(mp4) // 2])         # moov (the index) never reached
wr("trunc-first-gop.mkv", mkv[: len(mkv) // 10])          # inside the first GOP
wr("trunc-mid.mp4", fast[: len(fast) // 2])               # index says 120 frames, half the data
wr("trunc-mid.ts", ts[: len(ts) // 2 + 77])               # mid-packet cut of a stream format
wr("trunc-mid.webm", webm[: len(webm) * 2 // 3])
# Zeroed regions.
def zero(b, at, n): return b[:at] + bytes(n) + b[at + n:]
wr("zeroed-mid.ts", zero(ts, len(ts) // 2, 4096))
wr("zeroed-mid.mkv", zero(mkv, len(mkv) // 2, 4096))
wr("zeroed-header.mp4", zero(fast, 0, 2048))
# Not video at all.
wr("random.mp4", bytes(rnd.getrandbits(8) for _ in range(30000)))
wr("random.mkv", bytes(rnd.getrandbits(8) for _ in range(30000)))
wr("empty.mp4", b"")
wr("text.mp4", b"this is not a video\n" * 10)
# AVI headers that lie: 1,000,000 declared frames; a frame rate of 0; an absurd one.
def patch_avi(b, total=None, rate=None, scale=None):
    b = bytearray(b)
    i = b.find(b"avih")
    j = b.find(b"strh")
    if total is not None:
        b[i + 8 + 16:i + 8 + 20] = total.to_bytes(4, "little")
        b[j + 8 + 32:j + 8 + 36] = total.to_bytes(4, "little")
    if scale is not None: b[j + 8 + 20:j + 8 + 24] = scale.to_bytes(4, "little")
    if rate is not None: b[j + 8 + 24:j + 8 + 28] = rate.to_bytes(4, "little")
    return bytes(b)
wr("declares-1M-frames.avi", patch_avi(avi, total=1_000_000))
wr("rate-zero.avi", patch_avi(avi, rate=0))
wr("rate-absurd.avi", patch_avi(avi, rate=4_000_000_000, scale=1))
# Huge declared size: the mdat box says 2^62 bytes.
b = bytearray(fast); k = b.find(b"mdat") - 4
wr("huge-mdat.mp4", bytes(b[:k]) + (1).to_bytes(4, "big") + b"mdat" + (1 << 62).to_bytes(8, "big") + bytes(b[k + 8:]))
# Non-monotonic timestamps: two streams concatenated byte-wise (timestamps restart mid-file).
wr("concat-restart.ts", ts + ts)
# Starts mid-GOP: the first frames reference a keyframe that is not there.
cut = (len(ts) // 188 // 3) * 188
wr("starts-mid-gop.ts", ts[cut:])
# Wrong extension: a Matroska file named .mp4.
wr("mkv-named.mp4", mkv)
PY

# Audio only; subtitles only (a container with no video stream); timescale 1 (every frame on
# the same second); a single frame.
ff -f lavfi -i sine=duration=2 -c:a aac audio-only.mp4
printf '1\n00:00:00,000 --> 00:00:01,000\nhello\n' > s.srt && ff -i s.srt subs-only.mkv && rm s.srt
ff "${src[@]}" -c:v libx264 -preset veryfast -pix_fmt yuv420p -video_track_timescale 1 -vsync passthrough timescale-1.mp4 2>/dev/null ||
  ff "${src[@]}" -c:v libx264 -preset veryfast -pix_fmt yuv420p -video_track_timescale 1 timescale-1.mp4
ff -f lavfi -i testsrc=size=160x120:rate=30 -frames:v 1 -c:v libx264 -pix_fmt yuv420p one-frame.mp4

# Paths: spaces and Unicode; a symlink loop; a directory named like a video; a FIFO.
cp good.mp4 "spaced ünïcödé 視頻.mp4"
ln -sf loop-b.mp4 loop-a.mp4 && ln -sf loop-a.mp4 loop-b.mp4
ln -sf does-not-exist.mp4 dangling.mp4
mkdir -p dir.mp4 && cp good.mp4 dir.mp4/inside.mp4
rm -f fifo.mp4 && mkfifo fifo.mp4

# Frame folders (MVBench's frame tasks): complete, with a gap, empty, with a non-image.
mkdir -p frames-ok frames-gap frames-empty frames-junk
ff "${src[@]}" -vf fps=3 -q:v 3 frames-ok/%05d.jpg
cp frames-ok/*.jpg frames-gap/ && rm frames-gap/00004.jpg frames-gap/00005.jpg
cp frames-ok/*.jpg frames-junk/ && echo "not a jpeg" > frames-junk/00002.jpg
