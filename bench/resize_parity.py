"""The Python half of bench/resize-parity.sh: Pillow's LANCZOS on the same RGB frames that vtools'
resampler gets, and the report.

usage: resize_parity.py prepare DIR VIDEO...   raw RGB frames (ffmpeg -pix_fmt rgb24) of each
                                              video, Pillow's resize of each, DIR/cases.tsv
       resize_parity.py report DIR RECORDS PLAIN
                                              table of Pillow vs vtools (NAME.vtools.rgb, written
                                              by the Swift test); the JPEGs of vframes' RECORDS
                                              (--resize-area) vs PIL's resize + save of the same
                                              frames, and as a baseline those of PLAIN (no
                                              resize) vs PIL's save
Needs Pillow and numpy (e.g. /work/venv-vlm) and ffmpeg.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np
import PIL
from PIL import Image

AREA = 200704
FRAMES = [15, 30, 45]  # --nframe 3 on a 60-frame video: int(i * 60 / 4)


def target(w, h, area=AREA, divisor=16):
    """VLMEvalKit's VideoMMEv2._resize_to_target_area size rule."""
    scale = math.sqrt(area / (w * h))
    return max(divisor, round(w * scale / divisor) * divisor), max(divisor, round(h * scale / divisor) * divisor)


def probe(video):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", video],
        check=True, capture_output=True, text=True).stdout
    w, h = out.strip().split(",")[:2]
    return int(w), int(h)


def frames(video):
    """The RGB24 frames FRAMES of `video`, decoded by the ffmpeg CLI."""
    w, h = probe(video)
    sel = "+".join(f"eq(n\\,{i})" for i in FRAMES)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", video, "-vf", f"select={sel}", "-vsync", "0", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"],
        check=True, capture_output=True).stdout
    n = w * h * 3
    assert len(raw) == n * len(FRAMES), f"{video}: expected {len(FRAMES)} frames"
    return w, h, [np.frombuffer(raw[k * n:(k + 1) * n], np.uint8).reshape(h, w, 3) for k in range(len(FRAMES))]


def prepare(d, videos):
    os.makedirs(d, exist_ok=True)
    rows = [f"# Pillow {PIL.__version__}: Image.resize(size, Image.LANCZOS) of ffmpeg's RGB24 frames. name\tsrc_w\tsrc_h\tw\th"]
    for v in videos:
        w, h, arrs = frames(v)
        tw, th = target(w, h)
        base = os.path.splitext(os.path.basename(v))[0]
        for i, a in zip(FRAMES, arrs):
            name = f"{base}_f{i}"
            with open(os.path.join(d, name + ".src.rgb"), "wb") as f:
                f.write(a.tobytes())
            im = Image.fromarray(a)
            out = im if (tw, th) == (w, h) else im.resize((tw, th), Image.LANCZOS)
            with open(os.path.join(d, name + ".pil.rgb"), "wb") as f:
                f.write(out.tobytes())
            rows.append(f"{name}\t{w}\t{h}\t{tw}\t{th}")
    with open(os.path.join(d, "cases.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def jpeg_diff(d, ref_im, path):
    tmp = os.path.join(d, "pil.jpg")
    ref_im.save(tmp)
    ref = np.asarray(Image.open(tmp).convert("RGB")).astype(int)
    got = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert ref.shape == got.shape, (path, ref.shape, got.shape)
    diff = np.abs(ref - got)
    mse = float((diff ** 2).mean())
    return got.shape, diff.max(), diff.mean(), 99.0 if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def report(d, records, plain):
    print(f"Pillow {PIL.__version__}, numpy {np.__version__}; target area {AREA}, divisor 16.\n")
    print("### Resampler: vtools vs Pillow LANCZOS on the same RGB24 frames (before JPEG)\n")
    print("| frame | source | output | pass order (Pillow 13) | max abs diff | mean abs diff | bytes differing |")
    print("|---|---|---|---|---|---|---|")
    worst = 0
    for line in open(os.path.join(d, "cases.tsv")):
        if line.startswith("#"):
            continue
        name, sw, sh, w, h = line.split("\t")
        sw, sh, w, h = int(sw), int(sh), int(w), int(h)
        pil = np.fromfile(os.path.join(d, name + ".pil.rgb"), np.uint8).astype(int)
        ours = np.fromfile(os.path.join(d, name + ".vtools.rgb"), np.uint8).astype(int)
        assert pil.size == ours.size == w * h * 3, name
        diff = np.abs(pil - ours)
        worst = max(worst, int(diff.max()))
        order = "vertical first" if (sh - h) > 0 and (sh - h) > (sw - w) * 2 else "horizontal first"
        print(f"| {name} | {sw}x{sh} | {w}x{h} | {order} | {diff.max()} | {diff.mean():.6f} | {int((diff > 0).sum())} of {diff.size} |")
    print(f"\nLargest difference over all frames: {worst}.\n")
    print("### Whole path: JPEGs of vframes vs PIL of ffmpeg's RGB24 frames, decoded with PIL\n")
    print("Resized: `vframes --resize-area 200704` against `Image.resize(LANCZOS)` + `save()`; baseline:")
    print("`vframes` with no resize against `save()` of the same frame (the path every other config uses).\n")
    print("| video | frame | JPEG size | resized: max / mean abs diff | resized: PSNR (dB) | baseline: max / mean abs diff | baseline: PSNR (dB) |")
    print("|---|---|---|---|---|---|---|")
    base = {json.loads(line)["video"]: json.loads(line) for line in open(plain)}
    for line in open(records):
        rec = json.loads(line)
        video = rec["video"]
        b = base[video]
        assert "error" not in rec and "error" not in b, (rec, b)
        assert rec["frame_indices"] == FRAMES == b["frame_indices"] and rec["sampling"]["resize_area"] == AREA, rec
        _, _, arrs = frames(video)
        for k, (i, a) in enumerate(zip(FRAMES, arrs)):
            im = Image.fromarray(a)
            tw, th = target(*im.size)
            shape, mx, mean, psnr = jpeg_diff(d, im if (tw, th) == im.size else im.resize((tw, th), Image.LANCZOS), rec["frames"][k])
            _, bmx, bmean, bpsnr = jpeg_diff(d, im, b["frames"][k])
            print(f"| {os.path.basename(video)} | {i} | {shape[1]}x{shape[0]} | {mx} / {mean:.3f} | {psnr:.2f} | {bmx} / {bmean:.3f} | {bpsnr:.2f} |")

if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
