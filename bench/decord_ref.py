"""VLMEvalKit's frame-saving loop (video_base.py save_video_frames), as a baseline for bench/.

usage: decord_ref.py VIDEO OUTDIR (--nframe N | --fps F)
"""
import argparse
import os.path as osp

import decord
from PIL import Image


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("video")
    ap.add_argument("outdir")
    ap.add_argument("--nframe", type=int, default=0)
    ap.add_argument("--fps", type=float, default=-1)
    a = ap.parse_args()
    vid = decord.VideoReader(a.video)
    if a.nframe > 0:
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
