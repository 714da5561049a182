"""VLMEvalKit's frame-saving loop (video_base.py save_video_frames), as a baseline for bench/.

usage: decord_ref.py VIDEO OUTDIR (--nframe N | --linspace N | --fps F)

--linspace N is VSI-Bench / VSI-SUPER's nframe sampler (vsibench.py save_video_frames:
np.linspace(0, len - 1, N, dtype=int)); their fps sampler is the same formula as --fps.
"""
import argparse
import os.path as osp

import decord
import numpy as np
from PIL import Image


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("video")
    ap.add_argument("outdir")
    ap.add_argument("--nframe", type=int, default=0)
    ap.add_argument("--linspace", type=int, default=0)
    ap.add_argument("--fps", type=float, default=-1)
    a = ap.parse_args()
    vid = decord.VideoReader(a.video)
    if a.linspace > 0:
        indices = np.linspace(0, len(vid) - 1, a.linspace, dtype=int).tolist()
        paths = [osp.join(a.outdir, f"frame-{i}-of-{a.linspace}.jpg") for i in range(1, a.linspace + 1)]
    elif a.nframe > 0:
        step_size = len(vid) / (a.nframe + 1)
        indices = [int(i * step_size) for i in range(1, a.nframe + 1)]
        paths = [osp.join(a.outdir, f"frame-{i}-of-{a.nframe}.jpg") for i in range(1, a.nframe + 1)]
    else:
        video_info = {"fps": vid.get_avg_fps(), "n_frames": len(vid)}
        total_duration = video_info["n_frames"] / video_info["fps"]
        required_frames = int(total_duration * a.fps)
        step_size = video_info["fps"] / a.fps
        indices = [int(i * step_size) for i in range(required_frames)]
        paths = [osp.join(a.outdir, f"frame-{i}-of-{len(indices)}-{a.fps}fps.jpg") for i in range(1, len(indices) + 1)]
    images = [vid[i].asnumpy() for i in indices]
    images = [Image.fromarray(arr) for arr in images]
    for im, pth in zip(images, paths):
        if not osp.exists(pth):
            im.save(pth)


if __name__ == "__main__":
    main()
