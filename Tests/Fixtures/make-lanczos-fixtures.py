"""Writes the LANCZOS fixtures of Tests/VMediaTests/LanczosTests.swift: small RGB images and what
Pillow's Image.resize(size, Image.LANCZOS) makes of them, as raw packed RGB, plus cases.tsv.

usage: python3 make-lanczos-fixtures.py [OUTDIR]   (default: lanczos/ next to this script)
Pillow's pass order changed in 13.0 (see LanczosResampler); these bytes come from Pillow 13.0.0.
Needs Pillow and numpy (the project's reference venv has both). The outputs are committed, so the
tests need no Pillow; rerun this after changing a case and commit the files it writes.
"""
import os
import sys

import numpy as np
import PIL
from PIL import Image


def noise(w, h, seed):
    return np.random.default_rng(seed).integers(0, 256, size=(h, w, 3), dtype=np.uint8)


def checker(w, h, cell):
    y, x = np.mgrid[0:h, 0:w]
    v = (((x // cell) + (y // cell)) % 2 * 255).astype(np.uint8)
    return np.stack([v, 255 - v, v], axis=-1)


def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 255 // max(1, w - 1)), (y * 255 // max(1, h - 1)), ((x + y) * 7) % 256], axis=-1).astype(np.uint8)


# name, source, target size: shrinking both ways, one axis only, enlarging, tiny and thin
# images, hard edges that overshoot (clipping), factors integral and not.
CASES = [
    ("noise_shrink", noise(97, 61, 1), (48, 32)),
    ("noise_shrink_x_only", noise(80, 20, 2), (33, 20)),
    ("noise_shrink_y_only", noise(20, 80, 3), (20, 17)),
    ("noise_grow", noise(13, 9, 4), (32, 16)),
    ("noise_grow_shrink", noise(40, 12, 5), (16, 32)),
    ("checker_shrink", checker(120, 72, 3), (64, 32)),
    ("checker_grow", checker(9, 7, 1), (48, 48)),
    ("gradient_shrink_3x", gradient(96, 48), (32, 16)),
    ("one_pixel", noise(1, 1, 6), (16, 16)),
    ("thin_row", noise(200, 3, 7), (48, 16)),
    ("thin_column", noise(2, 150, 8), (16, 32)),
    # Pillow 13 runs the vertical pass first when the height loses more than twice as many pixels
    # as the width: a tie (not first), just over it, and both shrinking.
    ("order_tie", noise(30, 70, 9), (20, 50)),
    ("order_vertical_first", noise(30, 71, 10), (20, 50)),
    ("order_vertical_first_shrink", noise(40, 130, 11), (8, 53)),
    ("order_grow_x_shrink_y", noise(20, 60, 12), (44, 18)),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "lanczos")
    os.makedirs(out, exist_ok=True)
    rows = [f"# Pillow {PIL.__version__}: Image.resize(size, Image.LANCZOS) on mode RGB. name\tsrc_w\tsrc_h\tw\th"]
    for name, arr, (w, h) in CASES:
        src = Image.fromarray(arr, "RGB")
        dst = src.resize((w, h), Image.LANCZOS)
        with open(os.path.join(out, name + ".src.rgb"), "wb") as f:
            f.write(arr.tobytes())
        with open(os.path.join(out, name + ".pil.rgb"), "wb") as f:
            f.write(dst.tobytes())
        rows.append(f"{name}\t{arr.shape[1]}\t{arr.shape[0]}\t{w}\t{h}")
    with open(os.path.join(out, "cases.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
