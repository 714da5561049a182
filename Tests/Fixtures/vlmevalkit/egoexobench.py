#!/usr/bin/env python3
"""Prints egoexobench.json: the outputs of VLMEvalKit's own EgoExoBench_MCQ (vlmeval/dataset/
EgoExoBench/egoexobench.py and utils.py) on generated rows: get_index for sampling cases,
build_prompt (frame path) for rows of several videos, frame lists and images, and evaluate
(exact matching) with get_dimension_rating on a generated result table.

    python3 egoexobench.py VLMEVALKIT_GIT_DIR > egoexobench.json
    (a bare mirror is fine: files are read with git show at HEAD; needs pandas, numpy, openpyxl)

vlmeval itself is not imported: the two EgoExoBench modules and VLMEvalKit's multiple_choice.py
and matching_util.py run in a scratch package whose vlmeval.smp (load/dump as VLMEvalKit writes
them for xlsx/csv/json/pkl), video_base, torch, torchvision, huggingface_hub and decord are small
stand-ins. decord's VideoReader only reports the frame count and rate of the videos the end-to-end
test generates (the same numbers); the sampled frames are planted in processed_frames first, so
save_video_into_images takes its pre-extracted-frames branch and nothing is decoded.
"""
import csv, json, os, pickle, subprocess, sys, tempfile, types

import numpy as np
import pandas as pd

repo = sys.argv[1]
stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit's prints go to stderr
pkg = tempfile.mkdtemp()
ds = os.path.join(pkg, 'vlmeval', 'dataset')
os.makedirs(os.path.join(ds, 'EgoExoBench'))
os.makedirs(os.path.join(ds, 'utils'))
os.makedirs(os.path.join(pkg, 'vlmeval', 'utils'))


def show(path):
    return subprocess.check_output(['git', '-C', repo, 'show', f'HEAD:{path}'])


for f in ['egoexobench.py', 'utils.py']:
    open(os.path.join(ds, 'EgoExoBench', f), 'wb').write(show(f'vlmeval/dataset/EgoExoBench/{f}'))
open(os.path.join(ds, 'utils', 'multiple_choice.py'), 'wb').write(show('vlmeval/dataset/utils/multiple_choice.py'))
open(os.path.join(pkg, 'vlmeval', 'utils', 'matching_util.py'), 'wb').write(show('vlmeval/utils/matching_util.py'))
for d in ['vlmeval', 'vlmeval/dataset/EgoExoBench']:
    open(os.path.join(pkg, d, '__init__.py'), 'w').close()
open(os.path.join(ds, '__init__.py'), 'w').close()
open(os.path.join(ds, 'utils', '__init__.py'), 'w').write('DEBUG_MESSAGE = ""\ndef build_judge(**kw): raise NotImplementedError\n')
open(os.path.join(pkg, 'vlmeval', 'utils', '__init__.py'), 'w').write(
    'from .matching_util import can_infer, can_infer_lego\ndef track_progress_rich(*a, **k): raise NotImplementedError\n')
open(os.path.join(ds, 'video_base.py'), 'w').write('class VideoBaseDataset:\n    def __len__(self):\n        return len(self.data)\n')
open(os.path.join(pkg, 'vlmeval', 'smp.py'), 'w').write('''
import csv, json, logging, pickle, re, pandas as pd
class _Vlm:
    pass
def get_logger(name): return logging.getLogger(name)
def get_file_extension(p): return p.split('.')[-1]
def get_intermediate_file_path(eval_file, suffix, target_format=None):
    base, ext = eval_file.rsplit('.', 1)
    return f"{base}{suffix}.{target_format or ext}"
def load(f):
    ext = f.split('.')[-1]
    if ext == 'xlsx': return pd.read_excel(f)
    if ext == 'csv': return pd.read_csv(f)
    if ext == 'pkl': return pickle.load(open(f, 'rb'))
    return json.load(open(f))
def dump(data, f, **kw):
    ext = f.split('.')[-1]
    if ext == 'csv': data.to_csv(f, index=False, encoding='utf-8', quoting=csv.QUOTE_ALL)
    elif ext == 'json': json.dump(data, open(f, 'w'), indent=4, ensure_ascii=False)
    elif ext == 'pkl': pickle.dump(data, open(f, 'wb'))
    else: raise ValueError(ext)
def md5(p): raise NotImplementedError
def get_cache_path(*a, **k): return None
def cn_string(s): return re.search(u'[\\u4e00-\\u9fff]', s) is not None
def d2df(*a): raise NotImplementedError
def istype(*a): raise NotImplementedError
def timestr(*a): raise NotImplementedError
def get_pred_file_format(*a): return 'xlsx'
''')
vlm_src = show('vlmeval/smp/vlm.py').decode()
start = vlm_src.index('def build_option_str')
end = vlm_src.index('\ndef ', start + 1)
os.makedirs(os.path.join(pkg, 'vlmeval', 'smp_vlm'))
sys.path.insert(0, pkg)
import vlmeval.smp as smp  # noqa: E402

vlm = types.ModuleType('vlmeval.smp.vlm')
exec('import pandas as pd\n' + vlm_src[start:end], vlm.__dict__)
sys.modules['vlmeval.smp.vlm'] = vlm
smp.__path__ = []
smp.vlm = vlm
file_mod = types.ModuleType('vlmeval.smp.file')
file_mod.LMUDataRoot = lambda: pkg
sys.modules['vlmeval.smp.file'] = file_mod
log_mod = types.ModuleType('vlmeval.smp.log')
log_mod.get_logger = smp.get_logger
sys.modules['vlmeval.smp.log'] = log_mod


def stub(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


torch = stub('torch')
tv = stub('torchvision')
tv.transforms = stub('torchvision.transforms', Compose=lambda ts: None, ToPILImage=None)
stub('huggingface_hub', snapshot_download=None)
# The videos of the end-to-end test: (frame count, average rate).
VIDEOS = {'LEMMA/a.mp4': (90, 30.0), 'EgoMe/b.mp4': (60, 25.0), 'EgoExoLearn/c.mp4': (45, 30.0),
          'EgoExo4D/takes/t1/ego.mp4': (30, 30.0)}


class VideoReader:
    def __init__(self, path, ctx=None, num_threads=1):
        self.n, self.fps = next(v for k, v in VIDEOS.items() if path.endswith(k))

    def __len__(self):
        return self.n

    def get_avg_fps(self):
        return self.fps


stub('decord', VideoReader=VideoReader, cpu=lambda i: None)

from vlmeval.dataset.EgoExoBench.egoexobench import EgoExoBench_MCQ  # noqa: E402
from vlmeval.dataset.EgoExoBench.utils import extract_characters_regex  # noqa: E402

out = {}
ds_obj = object.__new__(EgoExoBench_MCQ)

# ---- get_index: (bound, fps, max_frame, num_segments) ----
cases = [(None, 30.0, 89, 8), ((1.5, 3.25), 25.0, 59, 4), (None, 30.0, 44, 6), ((0.5, 99.0), 30.0, 89, 5),
         ((2.02, 2.1), 29.97, 300, 3), (None, 30.0, 29, 64), ((0.0, 1.0), 24.0, 10, 7), ((0.1, 0.3), 30.0, 89, 2)]
out['get_index'] = [{'bound': list(b) if b else None, 'fps': f, 'max_frame': m, 'n': n,
                     'indices': [int(x) for x in ds_obj.get_index(b, f, m, first_idx=0, num_segments=n)]}
                    for b, f, m, n in cases]

# ---- build_prompt on rows of several media ----
root = os.path.join(pkg, 'videos', 'EgoExoBench')
os.makedirs(os.path.join(root, 'processed_frames'))
ds_obj.video_root = root
ds_obj.skip_EgoExo4D = True
ROWS = [
    dict(index=3, question='The first video is egocentric: <video>\nWhich exocentric clip shows the same moment?',
         options='A. <video>\nB. <video>\nC. <image>\nD. None of them.',
         response_format="Answer with the option's letter from the given choices directly.",
         medias=repr([{'type': 'video', 'video_path': 'LEMMA/a.mp4', 'nframes': 8},
                      {'type': 'video', 'video_path': 'EgoMe/b.mp4', 'nframes': 4, 'video_start': 1.5, 'video_end': 3.25},
                      {'type': 'video', 'video_path': 'EgoExoLearn/c.mp4', 'nframes': 6, 'video_start': None, 'video_end': None},
                      {'type': 'image', 'image_paths': ['CVMHAT/data/s1/bbox/12_3.jpg']}])),
    dict(index=7, question='<video>What does the person do next?   <video>',
         options='A. open the door\nB. sit down', response_format='Please answer with A or B.',
         medias=repr([{'type': 'frames', 'image_paths': ['TF2023/data/s1/f3.jpg', 'TF2023/data/s1/f1.jpg', 'TF2023/data/s1/f2.jpg']},
                      {'type': 'video', 'video_path': 'LEMMA/a.mp4', 'nframes': 3, 'video_start': 0.5, 'video_end': 2}])),
    dict(index=9, question='Which exocentric view matches <video>?', options='A. one\nB. two', response_format='Answer.',
         medias=repr([{'type': 'video', 'video_path': 'EgoExo4D/takes/t1/ego.mp4', 'nframes': 4}])),
]


def relative(msg):
    return [dict(type=m['type'], value=os.path.relpath(m['value'], root) if m['type'] == 'image' else m['value']) for m in msg]


out['prompts'] = []
for row in ROWS:
    medias = eval(row['medias'])
    for k, m in enumerate(medias):
        src = [m['video_path']] if m['type'] == 'video' else m['image_paths']
        for s in src:
            os.makedirs(os.path.dirname(os.path.join(root, s)), exist_ok=True)
            open(os.path.join(root, s), 'wb').write(b'x')
        if m['type'] != 'video':
            continue
        n, fps = VIDEOS[m['video_path']]
        bound = (m['video_start'], m['video_end']) if m.get('video_start') is not None and m.get('video_end') is not None else None
        folder = os.path.join(root, 'processed_frames', f"question{row['index']}_video{k}")
        os.makedirs(folder, exist_ok=True)
        for i in ds_obj.get_index(bound, fps, n - 1, first_idx=0, num_segments=m['nframes']):
            open(os.path.join(folder, f'{i:07d}.jpg'), 'wb').write(b'x')
    ds_obj.data = pd.DataFrame([row])
    ds_obj.skip_EgoExo4D = False
    msg = ds_obj.build_prompt(0, False)
    ds_obj.skip_EgoExo4D = True
    skipped = ds_obj.build_prompt(0, False) is None
    out['prompts'].append(dict(row=row, messages=relative(msg), skipped_by_skip_variant=skipped))

# ---- extract_characters_regex ----
preds = ['The answer is B.', 'B', '(c) because', 'Answer: D', 'I think the best option isThe correct option is A', 'none',
         'The person is opening the door', 'It is option b, definitely not anything else at all here ok', 'Best answer:Best option: C',
         '  The best answer is  A  ', 'Failed to obtain answer via API.']
out['extract'] = [[p, extract_characters_regex(p)] for p in preds]

# ---- evaluate (exact matching) ----
work = tempfile.mkdtemp()
table = pd.DataFrame(dict(
    index=list(range(8)),
    question=['Pick one.\nA. open the door\nB. sit down', 'Which view?', 'Which view?', 'Who is it?\nA. the man\nB. the woman',
              'Count?', 'Which?', 'Which?', 'Which?'],
    options=['A. open the door\nB. sit down', 'A. x\nB. y', 'A. x\nB. y', 'A. the man\nB. the woman', 'A. 1\nB. 2', 'A. p\nB. q',
             'A. p\nB. q', 'A. p\nB. q'],
    answer=['A', 'B', 'C', 'B', 'A', 'D', 'A', 'B'],
    subtask_type=['Ego-Exo Relation', 'View Transition', 'View Transition', 'Ego-Exo Relation', 'Temporal Reasoning',
                  'View Transition', 'Temporal Reasoning', 'Ego-Exo Relation'],
    prediction=['The person will open the door', 'The answer is B.', 'I cannot tell', 'the woman, clearly', 'A', 'Option: D',
                'Failed to obtain answer via API.', 'b'],
))
eval_file = os.path.join(work, 'M_EgoExoBench_64frame.xlsx')
table.to_excel(eval_file, index=False)
rating = EgoExoBench_MCQ.evaluate(eval_file)
out['evaluate'] = dict(table=table.to_dict('list'), rating=rating,
                       rating_json=open(os.path.join(work, 'M_EgoExoBench_64frame_rating.json')).read(),
                       score_csv=open(os.path.join(work, 'M_EgoExoBench_64frame_score.csv')).read())

sys.stdout = stdout
print(json.dumps(out, indent=1, ensure_ascii=False))
