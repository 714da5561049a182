#!/usr/bin/env python3
"""Expected outputs for vtools' SITE-Bench video and MMSI-Video-Bench ports, from VLMEvalKit's
own classes (vlmeval/dataset/sitebench.py SiteBenchVideo, mmsibench.py MMSIVideoBench):
build_prompt, MMSI's save_video_frames (its frame-list sampling) and evaluate (rule path) on
generated result tables. The expected texts in Tests/VBenchmarksTests/SiteMMSITests.swift were
printed by this script.

usage: make-site-mmsi-expected.py VLMEVALKIT_GIT_DIR WORK_DIR > expected.json
(a bare mirror is fine: files are read with git show at HEAD). Stubbed: decord, huggingface_hub,
num2words (the words zero..twenty), the LLM judge modules, the dataset base classes (plain
objects: the methods used here are the classes' own) and vlmeval.smp (load, toliststr and
get_intermediate_file_path as written there). The frames SiteBenchVideo would decode are given.
"""
import json, os, re, subprocess, sys, tempfile, types

repo, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp()
ds = os.path.join(tmp, 'vlmeval', 'dataset')
base = os.path.join(ds, 'utils', 'spatial_bench')
os.makedirs(os.path.join(base, 'tools'))


def show(path):
    return subprocess.check_output(['git', '-C', repo, 'show', f'HEAD:{path}'])


for f in ['matching_func.py', 'cal_scores.py', 'tools/files.py']:
    open(os.path.join(base, f), 'wb').write(show(f'vlmeval/dataset/utils/spatial_bench/{f}'))
for f in ['sitebench.py', 'mmsibench.py']:
    open(os.path.join(ds, f), 'wb').write(show(f'vlmeval/dataset/{f}'))
file_src = show('vlmeval/smp/file.py').decode()
misc_src = show('vlmeval/smp/misc.py').decode()

WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
         'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
sys.modules['num2words'] = types.SimpleNamespace(num2words=lambda i, lang='en': WORDS[i])
sys.modules['decord'] = types.ModuleType('decord')
sys.modules['huggingface_hub'] = types.SimpleNamespace(snapshot_download=None)


def pkg(name, path=None, **attrs):
    m = types.ModuleType(name)
    m.__path__ = [path] if path else []
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


import pandas as pd

pkg('vlmeval'); pkg('vlmeval.dataset', ds); pkg('vlmeval.dataset.utils', os.path.join(ds, 'utils'))
pkg('vlmeval.dataset.utils.spatial_bench', base)
pkg('vlmeval.dataset.utils.spatial_bench.tools', os.path.join(base, 'tools'))
pkg('vlmeval.dataset.utils.judge_util', build_judge=None)
pkg('vlmeval.dataset.utils.spatial_bench.llm_extract', parallel_llm_extract=None)
pkg('vlmeval.dataset.image_mcq', ImageMCQDataset=type('ImageMCQDataset', (), {}))
pkg('vlmeval.dataset.video_base', VideoBaseDataset=type('VideoBaseDataset', (), {}))
fm = pkg('vlmeval.smp.file', os=os)
for fn in ['get_file_extension', 'get_eval_file_format', 'get_pred_file_format', 'get_intermediate_file_path']:
    exec(re.search(rf'^def {fn}\(.*?(?=^\S)', file_src, re.S | re.M).group(0), fm.__dict__)
smp = pkg('vlmeval.smp', LMUDataRoot=lambda: work, dump=None, get_cache_path=None, modelscope_flag_set=lambda: False,
          load=lambda f: pd.read_excel(f))
exec(re.search(r'^def toliststr\(.*?(?=^\S)', misc_src, re.S | re.M).group(0), smp.__dict__)
pkg('vlmeval.smp.vlm', gpt_key_set=lambda: False)

from vlmeval.dataset.sitebench import SiteBenchVideo
from vlmeval.dataset.mmsibench import MMSIVideoBench

out = {}

# ---- SITE-Bench video: build_prompt ----
site = object.__new__(SiteBenchVideo)
site.save_video_frames = lambda video, video_llm=False: (['/c/f1.jpg', '/c/f2.jpg'], [0, 5], {})
out['site_prompts'] = []
for q, cands in [('How many chairs are in the room?', "['2', '3', \"It's 4\", '5']"),
                 ('Which object is closer to the camera?\nAnswer carefully.', "['the lamp', 'the sofa']")]:
    line = {'question': q, 'candidates': cands, 'video': '/data/site/videos/a.mp4'}
    out['site_prompts'].append({'question': q, 'candidates': cands, 'frames': site.build_prompt(line, False),
                                'video_llm': site.build_prompt(line, True)})

# ---- SITE-Bench video: evaluate ----
CATS = site._task_category()
site_rows = [
    # index, category, candidates, answer, prediction
    (7, CATS[0], "['1', '2', '3', '4']", 'B', 'The answer is B.'),
    (2, CATS[0], "['1', '2']", 'A', 'B'),
    (3, CATS[1], "['x', 'y', 'z']", 'C', '<answer>C</answer>'),
    (1, CATS[2], "['a', 'b', 'c', 'd', 'e']", 'A', 'a'),
    (5, CATS[2], "['a', 'b', 'c', 'd', 'e']", 'D', 'I think A or B'),
    (4, CATS[4], "['p', 'q']", 'B', 'Failed to obtain answer via API.'),
    (0, 'other category', "['p', 'q']", 'A', 'A'),
    (6, CATS[5], 'not a list', 'B', 'B'),
    (8, CATS[5], "['m', 'n', 'o']", 'A', 'C'),
]
df = pd.DataFrame([{'index': i, 'video': f'v{i}.mp4', 'video_path': f'videos/v{i}.mp4', 'question': 'q', 'candidates': c,
                    'answer': a, 'category': cat, 'prediction': p} for i, cat, c, a, p in site_rows])
site_file = os.path.join(work, 'M_SiteBenchVideo_32frame.xlsx')
df.to_excel(site_file, index=False)
site.dataset_name = 'SiteBenchVideo'
summary = site.evaluate(site_file)
xl = pd.read_excel(site_file.replace('.xlsx', '_extract_matching.xlsx'))
out['site_eval'] = {
    'rows': [list(r) for r in site_rows],
    'acc_csv': open(site_file.replace('.xlsx', '_extract_matching_acc.csv')).read(),
    'xlsx_columns': list(xl.columns),
    'xlsx_rows': [[str(v) for v in r] for r in xl[['index', 'pred_extracted', 'hit']].values.tolist()],
    'summary': {k: v for k, v in summary.items()},
}

# ---- MMSI-Video-Bench: sampling (save_video_frames) ----
def mmsi(nframe=0, fps=-1):
    m = object.__new__(MMSIVideoBench)
    m.nframe, m.fps = nframe, fps
    return m


segs = [[f's0/{i:05d}.jpg' for i in range(7)], [f's1/{i:05d}.jpg' for i in range(5)], [], [f's3/{i:05d}.jpg' for i in range(3)]]
out['mmsi_sampling'] = []
for nframe, fps, vfps in [(4, -1, None), (32, -1, None), (15, -1, None), (14, -1, None), (-1, 1, 2.0), (-1, 1, 0.5), (-1, 1, 30),
                          (-1, 1, 3.3)]:
    got = mmsi(nframe, fps).save_video_frames(segs, vfps)
    out['mmsi_sampling'].append({'nframe': nframe, 'fps': fps, 'video_fps': vfps, 'frames': got})

# ---- MMSI-Video-Bench: build_prompt ----
mrows = [
    {'system_prompt': 'You are a spatial expert.', 'task_prompt': 'Watch the videos: <video> then <video>.\n',
     'user_prompt': 'Is the cup in <image> still on the table?\nA. yes\nB. no\n', 'format_prompt': 'Answer with the letter.',
     'image_path': str([[f'/d/a/{i}.jpg' for i in range(6)], ['/d/b/0.jpg', '/d/b/1.jpg']]), 'video_fps': 2,
     'ref_images': "['/d/ref/cup.png']"},
    {'system_prompt': 'S', 'task_prompt': '', 'user_prompt': '<video>Q?', 'format_prompt': '',
     'image_path': "['/d/c/0.jpg', '/d/c/1.jpg', '/d/c/2.jpg']", 'video_fps': 1.5, 'ref_images': '[]'},
]
out['mmsi_prompts'] = []
for nframe, fps in [(4, -1), (-1, 1)]:
    for r in mrows:
        out['mmsi_prompts'].append({'nframe': nframe, 'fps': fps, 'row': r, 'messages': mmsi(nframe, fps).build_prompt(r)})

# ---- MMSI-Video-Bench: evaluate ----
order = MMSIVideoBench.category_task_order()
TT, ST = list(order.keys()), sum(order.values(), [])
nan = float('nan')
mmsi_rows = [
    # index, task_type, sub_task_type, answer, prediction, Easy2hard, Grounding, Indoor_Scene_Perception, Robot
    (5, 'Motion Understanding', 'Camera Motion', 'B', 'B', 'level_1', nan, 'Dynamic Scene', nan),
    (1, 'Spatial Construction', 'Instance/Scene Attribute', 'A', 'The answer is A', 'level_2', 'yes', nan, nan),
    (3, 'Spatial Construction', 'Camera-Scene Spatial Relationship', 'C', 'D', 'level_1', nan, 'Static Scene', 'nav'),
    (2, 'Planning', 'Planning', 'D', '<answer>D</answer>', nan, nan, nan, 'nav'),
    (4, 'Odd Task', 'Odd Sub', 'A', 'none', 'level_3', 'no', nan, nan),
    (0, 'Cross-Video', 'Memoery Update', 'B', 'B.', 'null', nan, 'Dynamic Scene', 'manip'),
    (6, 'Motion Understanding', 'Instance Motion', 'A', 'C', 'level_1', ' ', nan, nan),
]
cols = ['index', 'task_type', 'sub_task_type', 'answer', 'prediction', 'Easy2hard', 'Grounding', 'Indoor_Scene_Perception', 'Robot']
mdf = pd.DataFrame([dict(zip(cols, r)) for r in mmsi_rows])
mdf.insert(1, 'question', 'q')
mmsi_file = os.path.join(work, 'M_MMSIVideoBench_32frame.xlsx')
mdf.to_excel(mmsi_file, index=False)
m = mmsi(32)
m.dataset_name = 'MMSIVideoBench'
msum = m.evaluate(mmsi_file)
mxl = pd.read_excel(mmsi_file.replace('.xlsx', '_extract_matching.xlsx'))
out['mmsi_eval'] = {
    'rows': [[None if isinstance(v, float) else v for v in r] for r in mmsi_rows],
    'acc_csv': open(mmsi_file.replace('.xlsx', '_extract_matching_acc.csv')).read(),
    'subset_acc_csv': open(mmsi_file.replace('.xlsx', '_extract_matching_subset_acc.csv')).read(),
    'xlsx_columns': list(mxl.columns),
    'xlsx_rows': [[str(v) for v in r] for r in mxl[['index', 'pred_extracted', 'hit']].values.tolist()],
}
json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=str)
print()
