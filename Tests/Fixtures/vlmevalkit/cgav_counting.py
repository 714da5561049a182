#!/usr/bin/env python3
"""Prints cgav-counting.json: the outputs of VLMEvalKit's own CG-AV-Counting code on generated
rows: `CGAVCounting.build_prompt` (every task mode and clue category, with and without a video
LLM), `frame_paths_clue` (the clue frames' names), `CGAVCounting/utils.py`'s `post_process` on
answer vectors, and `CGAVCounting.evaluate` on a generated result table (its `_score.csv` and
`_rating.json`, byte for byte).

    git -C VLMEvalKit archive HEAD vlmeval/dataset/CGAVCounting | tar -x -C /tmp/vlm
    python3 cgav_counting.py /tmp/vlm > cgav-counting.json
    (needs pandas, numpy, Pillow, openpyxl, scipy, tqdm, word2number)

vlmeval itself is not imported: the package runs in a scratch tree whose `vlmeval.smp` holds
VLMEvalKit's own load/dump rules for xlsx, csv and json, and `video_base`, `portalocker`,
`huggingface_hub` are small stand-ins. Upstream's `evaluate` imports `post_process` from CG-Bench's
`utils/cgbench.py`, whose `post_process` has no `category` and fails on every table; here that
module re-exports `CGAVCounting/utils.py`'s own functions, which is what `evaluate` evidently
means. Frames are not decoded: `save_video_frames` returns given frames, and
`save_video_frames_clue` the real `frame_paths_clue` names with a given size.
"""
import csv, json, math, os, shutil, sys, tempfile

import pandas as pd

src = sys.argv[1]
stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit's prints go to stderr
pkg = tempfile.mkdtemp()
ds = os.path.join(pkg, 'vlmeval', 'dataset')
os.makedirs(os.path.join(ds, 'utils'))
shutil.copytree(os.path.join(src, 'vlmeval/dataset/CGAVCounting'), os.path.join(ds, 'CGAVCounting'))
for f in ['vlmeval/__init__.py', 'vlmeval/dataset/__init__.py', 'vlmeval/dataset/utils/__init__.py']:
    open(os.path.join(pkg, f), 'w').close()
open(os.path.join(ds, 'utils', 'cgbench.py'), 'w').write('from ..CGAVCounting.utils import post_process, unzip_hf_zip\n')
open(os.path.join(pkg, 'huggingface_hub.py'), 'w').write('def snapshot_download(**kw): raise NotImplementedError\n')
open(os.path.join(pkg, 'portalocker.py'), 'w').write('Lock = None\n')
open(os.path.join(ds, 'video_base.py'), 'w').write('class VideoBaseDataset:\n    pass\n')
os.makedirs(os.path.join(pkg, 'vlmeval', 'smp'))
open(os.path.join(pkg, 'vlmeval', 'smp', '__init__.py'), 'w').write('''
import csv, json, numpy as np, pandas as pd
class NumpyEncoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, (np.integer,)): return int(obj)
        if isinstance(obj, (np.floating,)): return float(obj)
        return json.JSONEncoder.default(self, obj)
def load(p):
    e = p.split('.')[-1]
    return json.load(open(p)) if e == 'json' else pd.read_csv(p) if e == 'csv' else pd.read_excel(p)
def dump(d, p):
    e = p.split('.')[-1]
    if e == 'json': json.dump(d, open(p, 'w'), indent=4, ensure_ascii=False, cls=NumpyEncoder)
    elif e == 'csv': d.to_csv(p, index=False, encoding='utf-8', quoting=csv.QUOTE_ALL)
    else: d.to_excel(p, index=False, engine='openpyxl')
def md5(p): return ''
def get_cache_path(*a, **k): return None
def modelscope_flag_set(): return False
def get_file_extension(p): return p.split('.')[-1]
def get_intermediate_file_path(f, suffix, fmt=None):
    return f.replace('.' + get_file_extension(f), suffix + '.' + fmt)
''')
sys.path.insert(0, pkg)
from vlmeval.dataset.CGAVCounting.cg_av_counting import CGAVCounting  # noqa: E402
from vlmeval.dataset.CGAVCounting.utils import post_process  # noqa: E402

out = {}
work = tempfile.mkdtemp()

# -- prompts ---------------------------------------------------------------------------------
d = CGAVCounting.__new__(CGAVCounting)
d.data_root = '/data'
d.frame_root = os.path.join(work, 'images', 'CG-AV-Counting')
d.nframe, d.fps, d.use_frame_time = 4, -1, False
d.frame_tmpl_clue = 'frame-{}.jpg'
FPS = 29.97
INDICES = [59, 119, 179, 239]


def frames(video, uid, num_frames=8, fps=-1):
    return [f'/L/images/CG-AV-Counting/{uid}/frame-{i}-of-{num_frames}.jpg' for i in range(1, num_frames + 1)], INDICES, FPS


d.save_video_frames = frames
d.save_video_frames_clue = lambda video, uid, timestamp_list: (d.frame_paths_clue(uid, timestamp_list), 1280, 720)

clues_object = [
    {'timestamp': 3, 'bbox': [10, 20, 110, 220]}, {'timestamp': 7.5, 'bbox': [5, 5, 50, 50]},
    {'timestamp': 3, 'bbox': [300, 300, 400, 380]}, {'timestamp': 12.25, 'bbox': [0, 0, 64, 64]},
]
clues_attribute = [
    [{'timestamp': 2.0, 'bbox': [0, 0, 100, 100]}, {'timestamp': 4, 'bbox': [50, 50, 150, 150]}],
    [{'timestamp': 4, 'bbox': [200, 200, 260, 280]}, {'timestamp': 9.125, 'bbox': [10, 10, 20, 20]}],
]
clues_event = [{'start': 1.5, 'end': 4.0}, {'start': 10, 'end': 12.5}]
base = {'video_uid': 'abc.mp4', 'video': 'cg_videos_720p/abc.mp4', 'ref_video_path': '', 'ref_video_uid': ''}
rows = [
    dict(base, index=0, question="How many cups are on the table?", answer='3', type='visual', category='object', task_mode='long_acc'),
    dict(base, index=1, question="How many times does the dog bark?", answer='2', type='audio', category='event',
         task_mode='ref_acc', ref_video_path='ref_videos/abc_10.00_20.50.mp4', ref_video_uid='abc_10.00_20.50'),
    dict(base, index=2, question="How many times does the man jump?", answer=json.dumps(clues_event), type='visual',
         category='event', task_mode='clue_acc'),
    dict(base, index=3, question="How many red cars are there?", answer=json.dumps(clues_object), type='visual',
         category='object', task_mode='clue_acc'),
    dict(base, index=4, question="How many kinds of fruit are there?", answer=json.dumps(clues_attribute), type='visual',
         category='attribute', task_mode='clue_acc'),
]
prompts = []
for row in rows:
    for llm in [False, True]:
        msgs = d.build_prompt(pd.Series(row), video_llm=llm)
        for m in msgs:
            m['value'] = m['value'].replace(os.path.join(work, 'images'), '/L/images')
        prompts.append({'row': row, 'video_llm': llm, 'messages': msgs})
out['prompt_fps'] = FPS
out['prompt_indices'] = INDICES
out['prompts'] = prompts
out['clue_frame_names'] = {
    json.dumps(ts): [os.path.basename(p) for p in d.frame_paths_clue('x', ts)]
    for ts in [[3, 7.5, 12.25], [2.0, 4, 9.125], [0.1, 1e-05, 100.0, 2.50]]
}

# -- post_process vectors ------------------------------------------------------------------
count_vectors = ['3', 'three', 'Three', '3\n', ' 3', '3.', 'twenty-one', 'one hundred and five', 'two thousand three',
                 'two million three thousand', 'point five', 'five point two five', 'thousand five', 'none', '',
                 'I count 4 cups', 'four or five', '٣', '²', '300', '0', 'ten thousand', 'eleven hundred']
answers = ['3', '21', '0', '150', '1']
vectors = []
for a in answers:
    for r in count_vectors:
        vectors.append({'task_mode': 'long_acc', 'category': 'object', 'response': r, 'answer': a,
                        'result': post_process(r, a, 'long_acc', 'object')})
event_responses = [
    '<answer>[["1.5", "4.0"], ["10", "12.5"]]</answer>',
    '<answer>[[1.5, 4.0]]</answer>',
    '<answer>[["00:01.5", "00:04"], ["0:00:10", "0:00:12.5"]]</answer>',
    '<answer>[["1.5 seconds", "4.0 s"], [9, 13], [20, 21]]</answer>',
    'The events: [[2, 5], [11, 12]] done',
    '<answer>[]</answer>', '<answer>[[1, 2], "x"]</answer>', '<answer>{"a": 1}</answer>', '<answer>["12", "34"]</answer>',
    '<answer>[["1:30", "2"]]</answer>', 'no json', '<answer>[[true, 3]]</answer>', '<answer>[[null, 3]]</answer>',
    '<answer>[["inf", "inf"]]</answer>', '[[1,2]] and [[3,4]]', '<answer> [[1.5, 4.0], [10, 12.5]] </answer>',
    '<answer>[[4.0, 1.5]]</answer>', '{[1, 2]]', '<answer>null</answer>',
]
object_responses = [
    '<answer>{"Frame1": [[10, 20, 110, 220], [300, 300, 400, 380]], "Frame2": [[5, 5, 50, 50]], "Frame3": [[0, 0, 64, 64]]}</answer>',
    '<answer>{"Frame1": [[12, 22, 100, 200]], "Frame2": [], "Frame3": []}</answer>',
    '<answer>{"Frame1": [[10, 20], [110, 220], [300, 300], [400, 380]], "Frame2": [[5, 5], [50, 50]]}</answer>',
    '<answer>{"Frame 1": [[110, 220, 10, 20]], "Frame4": [[1, 1, 2, 2]], "other": 3}</answer>',
    '<answer>{"Frame1": "none", "Frame2": [[5, 5, 50, 50], [1, 2, 3]]}</answer>',
    '<answer>{"Frame1": [["a", "b", "c", "d"]]}</answer>', '<answer>{"Frame5": [["a", "b", "c", "d"]]}</answer>',
    '<answer>{"Frame1": 5}</answer>', '<answer>{"Framex": []}</answer>', '<answer>[[1, 2, 3, 4]]</answer>',
    '<answer>{"Frame1": {"a": 1}}</answer>', '<answer>{}</answer>',
    '<answer>{"Frame1": [[10, 20, 110, 220], [10, 20, 110, 220], [300, 300, 400, 380]]}</answer>',
]
attribute_responses = [
    '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100], "label": "apple"}], "Frame 2": [{"bbox": [50, 50, 150, 150], "label": "apple"}, {"bbox": [200, 200, 260, 280], "label": "pear"}], "Frame 3": [{"bbox": [10, 10, 20, 20], "label": "pear"}]}</answer>',
    '<answer>{"Frame 1": [{"bbox": [0, 0, 90, 90], "label": "A"}], "Frame 2": [{"bbox_2d": [200, 200, 260, 280], "label": "A"}]}</answer>',
    '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100], "label": 1}], "Frame 2": [{"bbox": [200, 200, 260, 280], "label": 1.0}, {"bbox": [50, 50, 150, 150], "label": true}]}</answer>',
    '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100]}]}</answer>', '<answer>{"Frame 1": [[0, 0, 1, 1]]}</answer>',
    '<answer>{"Frame 1": [{"label": "x"}], "Frame 2": [{"label": "y", "bbox": [1, 2, 3]}]}</answer>',
    '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100], "label": ["l"]}]}</answer>',
    '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100], "label": "a"}, {"bbox": [1, 1, 2, 2], "label": "b"}, {"bbox": [3, 3, 4, 4], "label": "c"}]}</answer>',
    '<answer>{"Frame 1": []}</answer>', '<answer>{"Frame 1": [{"bbox": [0, 0, 100, 100], "bbox_2d": [0, 0, 50, 50], "label": "a"}]}</answer>',
]
for cat, clues, responses in [('event', clues_event, event_responses), ('object', clues_object, object_responses),
                              ('attribute', clues_attribute, attribute_responses)]:
    for r in responses:
        vectors.append({'task_mode': 'clue_acc', 'category': cat, 'response': r, 'answer': json.dumps(clues),
                        'result': post_process(r, json.dumps(clues), 'clue_acc', cat)})
out['post_process'] = vectors

# -- evaluate ---------------------------------------------------------------------------------
table = [
    ('long_acc', 'object', '3', '3'), ('long_acc', 'event', '5', 'seven'), ('long_acc', 'object', '2', None),
    ('long_acc', 'attribute', '150', '500'), ('ref_acc', 'object', '3', 'two'), ('ref_acc', 'event', '4', '4'),
    ('clue_acc', 'event', json.dumps(clues_event), event_responses[1]), ('clue_acc', 'event', json.dumps(clues_event), 'no'),
    ('clue_acc', 'object', json.dumps(clues_object), object_responses[1]), ('clue_acc', 'object', json.dumps(clues_object), None),
    ('clue_acc', 'attribute', json.dumps(clues_attribute), attribute_responses[0]),
]
cols = ['index', 'video_uid', 'video', 'ref_video_path', 'ref_video_uid', 'question', 'answer', 'type', 'category', 'task_mode', 'prediction']
data = []
for i, (mode, cat, ans, pred) in enumerate(table):
    ref = mode == 'ref_acc'
    data.append([str(i), 'abc.mp4', 'cg_videos_720p/abc.mp4', 'ref_videos/abc_1.00_2.00.mp4' if ref else None,
                 'abc_1.00_2.00' if ref else None, f'question {i}?', ans, 'visual', cat, mode, pred])
eval_file = os.path.join(work, 'M_CG-AV-Counting_32frame.xlsx')
pd.DataFrame(data, columns=cols).to_excel(eval_file, index=False, engine='openpyxl')
d.evaluate(eval_file)
out['evaluate'] = {
    'columns': cols, 'rows': data,
    'score_csv': open(eval_file.replace('.xlsx', '_score.csv')).read(),
    'rating_json': open(eval_file.replace('.xlsx', '_rating.json')).read(),
}

json.dump(out, stdout, indent=1, ensure_ascii=False)
stdout.write('\n')
