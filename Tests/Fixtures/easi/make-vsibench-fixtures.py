#!/usr/bin/env python3
"""Reference data for vtools' VSI-Bench family (Sources/VBenchmarks/Families/VSIBench.swift), from
VLMEvalKit's own class `VsiBench` (vlmeval/dataset/vsibench.py) and the EASI scorer it calls
(vlmeval/dataset/utils/spatial_bench): `save_video_frames` (the `uniform_tail` indices and frame
file names), `build_prompt` (every question type, frames and video-LLM forms) and `evaluate` (the
`_extract_matching.xlsx` cells and the `_extract_matching_acc.csv` text, on generated result tables
of both subsets and a numeric-only one).

usage: make-vsibench-fixtures.py VLMEVALKIT_GIT_DIR > vsibench.json
       make-vsibench-fixtures.py VLMEVALKIT_GIT_DIR --evaluate RESULT.xlsx SUBSET
(the second form runs VsiBench.evaluate on a result table, e.g. one vmerge wrote, and leaves its
files beside it, to compare with vscore's)
(a bare mirror is fine: the files are read with git show at HEAD). Stubbed: decord (a reader of a
given length and rate that records the indices asked), huggingface_hub, num2words (the words
zero..twenty), the judge modules of the LLM path, and from vlmeval.smp LMUDataRoot, get_cache_path,
modelscope_flag_set and load (its xlsx branch, `pd.read_excel`). VideoBaseDataset is replaced by a
class holding its `frame_paths` / `frame_paths_fps` as written in video_base.py; `__init__` is not
run (it downloads). Everything else is VLMEvalKit's code as it is.
"""
import contextlib, json, os, re, subprocess, sys, tempfile, types

import numpy as np
import openpyxl
import pandas as pd

repo = sys.argv[1]
tmp = tempfile.mkdtemp()


def show(path):
    return subprocess.check_output(['git', '-C', repo, 'show', f'HEAD:{path}']).decode()


ds_dir = os.path.join(tmp, 'vlmeval', 'dataset')
sp_dir = os.path.join(ds_dir, 'utils', 'spatial_bench')
os.makedirs(os.path.join(sp_dir, 'tools'))
open(os.path.join(ds_dir, 'vsibench.py'), 'w').write(show('vlmeval/dataset/vsibench.py'))
for f in ['matching_func.py', 'cal_scores.py', 'tools/files.py']:
    open(os.path.join(sp_dir, f), 'w').write(show(f'vlmeval/dataset/utils/spatial_bench/{f}'))
file_src = show('vlmeval/smp/file.py')
base_src = show('vlmeval/dataset/video_base.py')

WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
         'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
sys.modules['num2words'] = types.SimpleNamespace(num2words=lambda i, lang='en': WORDS[i])


def pkg(name, path=None, **attrs):
    m = types.ModuleType(name)
    m.__path__ = [path] if path else []
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


# decord: a video is (frame count, average rate) by path; the indices read are recorded.
VIDEOS = {}
READS = []


class VideoReader:
    def __init__(self, path):
        self.path = path
        self.n, self.fps = VIDEOS.get(path, (20, 10.0))

    def __len__(self):
        return self.n

    def get_avg_fps(self):
        return self.fps

    def __getitem__(self, i):
        assert 0 <= i < self.n, (self.path, i)
        READS.append(i)
        return types.SimpleNamespace(asnumpy=lambda: np.zeros((2, 2, 3), dtype=np.uint8))


sys.modules['decord'] = types.SimpleNamespace(VideoReader=VideoReader)
sys.modules['huggingface_hub'] = types.SimpleNamespace(snapshot_download=None)
pkg('vlmeval')
pkg('vlmeval.dataset', ds_dir)
pkg('vlmeval.dataset.utils', os.path.join(ds_dir, 'utils'))
pkg('vlmeval.dataset.utils.spatial_bench', sp_dir)
pkg('vlmeval.dataset.utils.spatial_bench.tools', os.path.join(sp_dir, 'tools'))
pkg('vlmeval.dataset.utils.judge_util', build_judge=None)
pkg('vlmeval.dataset.utils.spatial_bench.llm_extract', parallel_llm_extract=None)
smp = pkg('vlmeval.smp', LMUDataRoot=lambda: tmp, get_cache_path=lambda repo_id: None, load=lambda f: pd.read_excel(f),
          modelscope_flag_set=lambda: False)
pkg('vlmeval.smp.vlm', gpt_key_set=lambda: False)
fm = pkg('vlmeval.smp.file', os=os)
for fn in ['get_file_extension', 'get_eval_file_format', 'get_pred_file_format', 'get_intermediate_file_path']:
    m = re.search(rf'^def {fn}\(.*?(?=^\S)', file_src, re.S | re.M)
    exec(m.group(0), fm.__dict__)
vb = pkg('vlmeval.dataset.video_base', osp=os.path, os=os)
ns = {'osp': os.path, 'os': os}
for fn in ['frame_paths', 'frame_paths_fps']:
    m = re.search(rf'^    def {fn}\(.*?(?=^    \S)', base_src, re.S | re.M)
    exec(re.sub(r'^    ', '', m.group(0), flags=re.M), ns)
vb.VideoBaseDataset = type('VideoBaseDataset', (), {'frame_paths': ns['frame_paths'], 'frame_paths_fps': ns['frame_paths_fps']})

from vlmeval.dataset.vsibench import VsiBench  # noqa: E402


def dataset(name, nframe=0, fps=-1, root='/data/vsi'):
    d = object.__new__(VsiBench)
    d.sample_strategy = 'uniform_tail'
    d.dataset_name = name
    d.nframe, d.fps = nframe, fps
    d.frame_root = os.path.join(tmp, 'images', name)
    d.frame_tmpl = 'frame-{}-of-{}.jpg'
    d.frame_tmpl_fps = 'frame-{}-of-{}-{}fps.jpg'
    d.data_root = root
    return d


if len(sys.argv) == 5 and sys.argv[2] == '--evaluate':
    dataset(sys.argv[4]).evaluate(sys.argv[3])
    sys.exit(0)

out = {}

# ---- save_video_frames: uniform_tail ----
sampling = []
CASES = [
    (100, 30.0, 16, -1), (10, 30.0, 16, -1), (1, 30.0, 4, -1), (301, 29.97, 32, -1), (12345, 23.976023976023978, 128, -1),
    (60, 30.0, 0, 2.0), (61, 30.0, 0, 1.0), (90, 30.0, 0, 1.0), (3, 1.0, 0, 1.0), (300, 29.97, 0, 2.0),
    (1000, 23.976023976023978, 0, 1.0), (7, 2.0, 0, 2.0), (45, 30.0, 0, 2.0), (10, 30.0, 0, 1.0),
]
for k, (n, rate, nframe, fps) in enumerate(CASES):
    video = f'scene/v{k}.mp4'
    VIDEOS[os.path.join('/data/vsi', video)] = (n, rate)
    READS.clear()
    case = {'frame_count': n, 'avg_fps': rate}
    if nframe > 0:
        case['nframe'] = nframe
    else:
        case['fps'] = fps
    try:
        paths, indices, info = dataset('VSI-Bench', nframe=nframe, fps=fps).save_video_frames(video)
        case['indices'] = indices
        case['frames'] = [os.path.relpath(p, os.path.join(tmp, 'images')) for p in paths]
        case['decoded'] = READS[:]
    except Exception as e:  # noqa: BLE001
        case['error'] = type(e).__name__
    sampling.append(case)
out['sampling'] = sampling

# ---- build_prompt: every question type ----
MCQ_ROWS = [
    ('obj_appearance_order', 'What will be the first-time appearance order of the following categories in the video: chair, table, sofa, lamp?',
     "['A. chair, table, sofa, lamp', 'B. table, chair, lamp, sofa', 'C. sofa, lamp, chair, table', 'D. lamp, sofa, table, chair']"),
    ('object_rel_direction_easy', 'If I am standing by the bed and facing the door, is the window to my left or my right?',
     "['A. left', 'B. right']"),
    ('object_rel_direction_medium', "If I am standing by the sofa and facing the TV, is the lamp to my left, right, or back?",
     "['A. left', 'B. right', 'C. back']"),
    ('object_rel_direction_hard', 'Standing by the fridge, facing the sink, is the stove front-left, front-right, back-left, or back-right?',
     "['A. front-left', 'B. front-right', 'C. back-left', 'D. back-right']"),
    ('object_rel_distance', 'Which of these objects (bed, desk, chair) is the closest to the "door"?',
     '["A. bed", "B. desk", "C. chair\'s leg"]'),
    ('route_planning', 'You are a robot beginning at the door facing the bed. You want to navigate to the sink. 1. [please fill in] 2. Go forward.',
     "['A. Turn left', 'B. Turn right', 'C. Turn back', 'D. Go straight']"),
]
NA_ROWS = [
    ('object_abs_distance', 'Measuring from the closest point of each object, what is the distance between the bed and the sofa (in meters)?'),
    ('object_size_estimation', 'What is the length of the longest dimension (length, width, or height) of the table, measured in centimeters?'),
    ('object_counting', 'How many chair(s) are in this room?'),
    ('room_size_estimation', 'What is the size of this room (in square meters)? If multiple rooms are shown, estimate the size of the combined space.'),
]
prompts = []
VIDEOS['/data/vsi/arkitscenes/41069025.mp4'] = (20, 10.0)
for k, row in enumerate(MCQ_ROWS + NA_ROWS):
    line = {'index': k, 'question_type': row[0], 'question': row[1], 'video': 'arkitscenes/41069025.mp4'}
    if len(row) > 2:
        line['candidates'] = row[2]
    d = dataset('VSI-Bench', nframe=2)
    entry = {'row': {key: str(v) for key, v in line.items()}}
    msgs = d.build_prompt(pd.Series(line), video_llm=False)
    entry['messages'] = [{'type': m['type'], 'value': os.path.relpath(m['value'], tmp) if m['type'] == 'image' else m['value']}
                         for m in msgs]
    entry['video_llm'] = d.build_prompt(pd.Series(line), video_llm=True)
    prompts.append(entry)
out['prompts'] = prompts

# ---- evaluate: rule path on generated result tables ----
# (index, question_type, answer, prediction); None is an empty prediction cell.
ROWS = [
    (17, 'object_counting', '4', '4'), (3, 'object_counting', '4', 'There are five chairs.'),
    (9, 'object_counting', '2', 'zero'), (30, 'object_counting', '10', '<think>maybe 3</think>12'),
    (5, 'object_abs_distance', '2.3', '2.0'), (11, 'object_abs_distance', '1.5', 'about 1.2 meters'),
    (21, 'object_abs_distance', '0', '0.3'), (2, 'object_size_estimation', '180', '170'),
    (14, 'object_size_estimation', '45', 'Failed to obtain answer via API.'), (25, 'object_size_estimation', '200', '[310]'),
    (8, 'room_size_estimation', '21.6', '20'), (27, 'room_size_estimation', '35.0', 'I cannot tell'),
    (1, 'object_rel_distance', 'B', 'B'), (12, 'object_rel_distance', 'A', 'The answer is C.'),
    (19, 'object_rel_direction_easy', 'A', 'A. left'), (6, 'object_rel_direction_easy', 'B', 'A'),
    (22, 'object_rel_direction_medium', 'C', '<answer>C</answer>'), (4, 'object_rel_direction_medium', 'A', 'B'),
    (13, 'object_rel_direction_medium', 'B', 'B'),
    (10, 'object_rel_direction_hard', 'D', 'D'), (0, 'object_rel_direction_hard', 'A', None),
    (16, 'route_planning', 'C', '(C)'), (28, 'route_planning', 'A', 'none of them'),
    (7, 'obj_appearance_order', 'B', 'b'), (20, 'obj_appearance_order', 'A', 'A'), (15, 'obj_appearance_order', 'D', 'C'),
]
MCQ_TYPES = {r[0] for r in MCQ_ROWS}


def table(rows):
    return pd.DataFrame({
        'index': [r[0] for r in rows],
        'video': [f'scannet/scene{r[0]:04d}_00.mp4' for r in rows],
        'question': [f'Q{r[0]}?' for r in rows],
        'question_type': [r[1] for r in rows],
        'candidates': ["['A. x', 'B. y', 'C. z', 'D. w']" if r[1] in MCQ_TYPES else None for r in rows],
        'answer': [r[2] for r in rows],
        'prediction': [r[3] for r in rows],
    })


def cell(c):
    v = c.value
    if v is None:
        return None
    if isinstance(v, bool):
        return ['bool', str(v)]
    if isinstance(v, (int, float)):
        return ['number', repr(float(v))]
    return ['text', v]


scoring = []
SUBSETS = [
    ('VSI-Bench_16frame', 'VSI-Bench', ROWS),
    ('VSI-Bench-Debiased_1fps', 'VSI-Bench-Debiased', [r for r in ROWS if r[1] != 'object_rel_direction_medium']),
    ('VSI-Bench_2fps', 'VSI-Bench', [r for r in ROWS if r[1] not in MCQ_TYPES]),
]
for config, name, rows in SUBSETS:
    work = tempfile.mkdtemp(dir=tmp)
    eval_file = os.path.join(work, f'M_{config}.xlsx')
    df = table(rows)
    df.to_excel(eval_file, index=False)
    with contextlib.redirect_stdout(sys.stderr):  # evaluate prints its tables
        summary = dataset(name, nframe=16).evaluate(eval_file)
    wb = openpyxl.load_workbook(os.path.join(work, f'M_{config}_extract_matching.xlsx'))
    ws = wb.worksheets[0]
    cells = [[cell(c) for c in r] for r in ws.iter_rows()]
    scoring.append({
        'config': config,
        'columns': list(df.columns),
        'rows': [[None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in r] for r in df.itertuples(index=False)],
        'sheet_name': ws.title,
        'sheet_header': [c[1] for c in cells[0]],
        'sheet_rows': cells[1:],
        'acc_csv': open(os.path.join(work, f'M_{config}_extract_matching_acc.csv')).read(),
        'summary': {k: (v if isinstance(v, str) else repr(float(v))) for k, v in summary.items()},
    })
out['scoring'] = scoring

json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write('\n')
