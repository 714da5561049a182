"""Prints megabench.json: what VLMEvalKit's own MEGA-Bench code gives on generated inputs.

    git -C VLMEvalKit archive HEAD vlmeval/dataset/megabench.py vlmeval/dataset/utils/megabench | tar -x -C /tmp/vlm
    python3 megabench.py /tmp/vlm > megabench.json

No vlmeval import: `megabench.py` is run with small stand-ins for `vlmeval.smp`,
`VideoBaseDataset`, `portalocker` and cv2 (a fake capture that reports a frame count and a rate and
yields frame numbers; `imwrite` records which frame numbers were kept), so `build_prompt`'s own
`_set_sampling_config`, `_process_video` and interleaving run unchanged. The scoring vectors call the
metric and parser classes of `vlmeval/dataset/utils/megabench/` themselves (needs `regex`).
"""
import json
import math
import sys
import types

root = sys.argv[1]
real_stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit prints its warnings to stdout
sys.path.insert(0, root)

# --- stand-ins ---------------------------------------------------------------------------------
kept = {}


class FakeCapture:
    registry = {}

    def __init__(self, path):
        self.count, self.fps = FakeCapture.registry[path]
        self.pos = 0
        self.path = path

    def get(self, prop):
        return self.count if prop == 7 else self.fps

    def read(self):
        if self.pos >= self.count:
            return False, None
        self.pos += 1
        return True, self.pos - 1

    def release(self):
        pass


cv2 = types.ModuleType("cv2")
cv2.VideoCapture = FakeCapture
cv2.CAP_PROP_FRAME_COUNT = 7
cv2.CAP_PROP_FPS = 5
cv2.imwrite = lambda fn, frame: kept.setdefault(fn.rsplit("_num_frames_", 1)[0], []).append(frame)
sys.modules["cv2"] = cv2
portalocker = types.ModuleType("portalocker")
sys.modules["portalocker"] = portalocker
smp = types.ModuleType("vlmeval.smp")
for name in ["LMUDataRoot", "dump", "get_cache_path", "get_file_extension", "get_intermediate_file_path", "load", "md5"]:
    setattr(smp, name, lambda *a, **k: None)
sys.modules["vlmeval.smp"] = smp
vb = types.ModuleType("vlmeval.dataset.video_base")


class VideoBaseDataset:
    def __init__(self, dataset="x", nframe=0, fps=-1):
        self.nframe = nframe


vb.VideoBaseDataset = VideoBaseDataset
sys.modules["vlmeval.dataset.video_base"] = vb
ev = types.ModuleType("vlmeval.dataset.utils.megabench.evaluator")
ev.MEGABenchEvaluator = object
sys.modules["vlmeval.dataset.utils.megabench.evaluator"] = ev
for pkg in ["vlmeval", "vlmeval.dataset", "vlmeval.dataset.utils"]:
    if pkg not in sys.modules:
        m = types.ModuleType(pkg)
        m.__path__ = [root + "/" + pkg.replace(".", "/")]
        sys.modules[pkg] = m

import os  # noqa: E402

os.makedirs = lambda *a, **k: None
src = open(root + "/vlmeval/dataset/megabench.py").read()
mod = types.ModuleType("vlmeval.dataset.megabench")
exec(compile(src, "megabench.py", "exec"), mod.__dict__)
MEGABench = mod.MEGABench

out = {}

# --- sampling: (count, fps, n) -> frame numbers _process_video keeps ---------------------------
cases = [(100, 30.0, 16), (100, 30.0, 12), (7, 30.0, 16), (300, 25.0, 4), (50, 8.0, 16), (50, 9.99, 3), (50, 10.0, 3),
         (1, 30.0, 16), (64, 29.97, 48), (1000, 60.0, 60), (33, 5.0, 0), (17, 12.0, 5)]
sampling = []
for count, fps, n in cases:
    ds = MEGABench.__new__(MEGABench)
    ds.max_side = 1000
    path = f"/d/v_{count}_{fps}_{n}.mp4"
    FakeCapture.registry[path] = (count, fps)
    kept.clear()
    # One query video; its budget forced to n through the sampling config.
    ds._set_sampling_config = lambda line, n=n: (0, n)
    msgs = ds.build_prompt({"task_description": "t", "global_media": "[]", "example_text": float("nan"),
                            "example_media": "[]", "question": "<video>", "query_media": str([path])}, False)
    sampling.append({"count": count, "fps": fps, "nframe": n, "indices": kept.get(path[:-4], []),
                     "names": [m["value"] for m in msgs if m["type"] == "image"]})
out["sampling"] = sampling

# --- budgets: _set_sampling_config on lists of videos and images ------------------------------
budgets = []
for nframe, demo, query in [(16, 0, 1), (16, 1, 1), (16, 3, 1), (16, 2, 3), (64, 1, 1), (64, 5, 2), (64, 0, 3),
                            (16, 5, 0), (0, 1, 1), (16, 4, 0), (16, 17, 1), (64, 7, 5)]:
    ds = MEGABench.__new__(MEGABench)
    ds.max_num_frames = nframe
    ds.total_demo_video_frames = nframe / 4
    g = [f"/d/g{i}.mp4" for i in range(query)] + ["/d/img.png"]
    e = [f"/d/e{i}.mp4" for i in range(demo)] + ["/d/img.jpg"]
    line = {"global_media": str(g), "example_media": str(e), "query_media": "[]"}
    try:
        d, q = ds._set_sampling_config(line)
        budgets.append({"nframe": nframe, "demo_videos": demo, "query_videos": query, "demo": d, "query": q})
    except ValueError:
        budgets.append({"nframe": nframe, "demo_videos": demo, "query_videos": query, "error": True})
out["budgets"] = budgets

# --- prompts -------------------------------------------------------------------------------------
nan = float("nan")
rows = {
    "interleaved": {"task_description": "Count the objects in <image> and compare with <video>.",
                    "global_media": "['/m/MEGABench/g/a.png', '/m/MEGABench/g/b.mp4']",
                    "example_text": "Example: <video> Answer: 3", "example_media": "['/m/MEGABench/e/demo.mp4']",
                    "question": "How many in <image>? And here <video>", "query_media": "['/m/MEGABench/q/c.jpg', '/m/MEGABench/q/d.mp4']"},
    "mismatch": {"task_description": "Two images follow.", "global_media": "['/m/MEGABench/g/a.png']",
                 "example_text": nan, "example_media": "[]",
                 "question": "  Which is larger? <image>  ", "query_media": "['/m/MEGABench/q/x.jpg', '/m/MEGABench/q/y.webm']"},
    "textonly": {"task_description": "Answer the riddle.", "global_media": "[]", "example_text": "Q: a? Answer: b",
                 "example_media": "[]", "question": "  What has keys but no locks?  ", "query_media": "[]"},
    "nodescription": {"task_description": nan, "global_media": "[]", "example_text": nan, "example_media": "[]",
                      "question": "<image><image>Same?", "query_media": "['/m/MEGABench/q/1.jpg', '/m/MEGABench/q/2.jpg']"},
}
for p in ["/m/MEGABench/g/b.mp4", "/m/MEGABench/e/demo.mp4", "/m/MEGABench/q/d.mp4", "/m/MEGABench/q/y.webm"]:
    FakeCapture.registry[p] = (40, 30.0)
prompts = {}
for nframe in [16, 64]:
    for name, line in rows.items():
        ds = MEGABench.__new__(MEGABench)
        ds.max_num_frames = nframe
        ds.total_demo_video_frames = nframe / 4
        ds.max_side = 1000
        prompts[f"{name}_{nframe}"] = ds.build_prompt(dict(line), False)
        prompts[f"{name}_{nframe}_videollm"] = ds.build_prompt(dict(line), True)
out["prompt_rows"] = {k: {kk: (None if isinstance(vv, float) else vv) for kk, vv in v.items()} for k, v in rows.items()}
out["prompts"] = prompts

if len(sys.argv) > 2 and sys.argv[2] == "--no-scoring":
    print(json.dumps(out, indent=1, ensure_ascii=False), file=real_stdout)
    sys.exit(0)

# --- scoring ------------------------------------------------------------------------------------
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "megabench_scoring.py")).read())
print(json.dumps(out, indent=1, ensure_ascii=False), file=real_stdout)
