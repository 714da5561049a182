#!/usr/bin/env python3
"""Prints cgbench.json: the outputs of VLMEvalKit's own CG-Bench code (`cgbench.py`,
`utils/cgbench.py`) on generated data: `build_prompt` of the MCQ/grounding configs (its real
`save_video_frames`, over a stand-in `decord` that reports a length and a rate, and its real
`get_subtitles` over generated .srt files), the clue sampler, `post_process` on canned replies,
and `evaluate` (score file and rating) on a generated result table.

    git -C VLMEvalKit archive HEAD vlmeval/dataset/cgbench.py vlmeval/dataset/utils/cgbench.py | tar -x -C /tmp/vlm
    python3 cgbench_golden.py /tmp/vlm > cgbench.json   (needs pandas, numpy, Pillow, openpyxl, xlsxwriter, tqdm, pysubs2)

vlmeval itself is not imported: the two files run in a scratch package whose `vlmeval.smp`,
`vlmeval.utils`, `video_base`, `portalocker`, `huggingface_hub` and `build_judge` are small
stand-ins.
"""
import json, os, shutil, sys, tempfile

src = sys.argv[1]
stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit's prints go to stderr
pkg = tempfile.mkdtemp()
ds = os.path.join(pkg, 'vlmeval', 'dataset')
os.makedirs(os.path.join(ds, 'utils'))
shutil.copy(os.path.join(src, 'vlmeval/dataset/cgbench.py'), ds)
shutil.copy(os.path.join(src, 'vlmeval/dataset/utils/cgbench.py'), os.path.join(ds, 'utils'))
for f in ['vlmeval/__init__.py', 'vlmeval/dataset/__init__.py']:
    open(os.path.join(pkg, f), 'w').close()
open(os.path.join(pkg, 'huggingface_hub.py'), 'w').write('def snapshot_download(**kw): raise NotImplementedError\n')
open(os.path.join(pkg, 'portalocker.py'), 'w').write('''
class Lock:
    def __init__(self, *a, **k): pass
    def __enter__(self): return self
    def __exit__(self, *a): return False
''')
# decord: a video is a (length, fps) pair from VIDEOS; a frame is a tiny image.
open(os.path.join(pkg, 'decord.py'), 'w').write('''
import numpy as np
VIDEOS = {}
class _F:
    def asnumpy(self): return np.zeros((4, 4, 3), dtype=np.uint8)
class VideoReader:
    def __init__(self, path): self.n, self.fps = VIDEOS[path.split('/')[-1]]
    def __len__(self): return self.n
    def get_avg_fps(self): return self.fps
    def __getitem__(self, i):
        assert 0 <= i < self.n, i
        return _F()
''')
open(os.path.join(ds, 'video_base.py'), 'w').write('''
import os, os.path as osp
class VideoBaseDataset:
    frame_tmpl = 'frame-{}-of-{}.jpg'
    frame_tmpl_fps = 'frame-{}-of-{}-{}fps.jpg'
    def frame_paths(self, video):
        root = osp.join(self.frame_root, video)
        os.makedirs(root, exist_ok=True)
        return [osp.join(root, self.frame_tmpl.format(i, self.nframe)) for i in range(1, self.nframe + 1)]
''')
os.makedirs(os.path.join(pkg, 'vlmeval', 'smp'))
open(os.path.join(pkg, 'vlmeval', 'smp', '__init__.py'), 'w').write('''
import json, pickle, pandas as pd
def load(p):
    e = p.split('.')[-1]
    return pickle.load(open(p, 'rb')) if e == 'pkl' else json.load(open(p)) if e == 'json' else pd.read_excel(p)
def dump(d, p):
    e = p.split('.')[-1]
    if e == 'pkl': pickle.dump(d, open(p, 'wb'))
    elif e == 'json': json.dump(d, open(p, 'w'), indent=4, ensure_ascii=False)
    else: d.to_excel(p, index=False, engine='xlsxwriter')
def md5(p): return ''
ROOT = ['/L']
def LMUDataRoot(): return ROOT[0]
def get_cache_path(r): return None
def modelscope_flag_set(): return False
def get_file_extension(p): return p.split('.')[-1]
def get_intermediate_file_path(f, suffix, fmt=None):
    fmt = fmt or 'xlsx'
    return f.replace('.' + get_file_extension(f), suffix + '.' + fmt)
''')
open(os.path.join(pkg, 'vlmeval', 'utils.py'), 'w').write('''
import os.path as osp
from vlmeval.smp import dump, load
def track_progress_rich(func, tasks, nproc=1, save=None, keys=None, chunksize=1):
    res = load(save) if osp.exists(save) else {}
    for k, t in zip(keys, tasks):
        res[k] = func(*t)
    dump(res, save)
''')
# The judge: canned replies by (system prompt, question), every call recorded.
open(os.path.join(ds, 'utils', '__init__.py'), 'w').write('''
REPLIES = {}
CALLS = []
class FakeJudge:
    def __init__(self, system_prompt): self.system_prompt = system_prompt
    def generate(self, message):
        CALLS.append(dict(system=self.system_prompt, message=message))
        text = message if isinstance(message, str) else message[0]
        q = text.split('\\n')[0][len('Question: '):]
        return REPLIES[(self.system_prompt, q)]
def build_judge(system_prompt=None, **kw): return FakeJudge(system_prompt)
''')
sys.path.insert(0, pkg)

import pandas as pd
import decord
import vlmeval.smp as smp
from vlmeval.dataset import cgbench as C
from vlmeval.dataset.utils import cgbench as U

work = tempfile.mkdtemp()
smp.ROOT[0] = work
data_root = os.path.join(work, 'data')
os.makedirs(os.path.join(data_root, 'cg_subtitles'))
out = {}

# Subtitles: overlapping events, a repeated text, a blank one, a two-line one.
SRT = """1
00:00:00,500 --> 00:00:03,000
Hello there.

2
00:00:02,000 --> 00:00:06,250
<i>Second</i> line
continued

3
00:00:05,000 --> 00:00:09,000
Hello there.

4
00:00:09,500 --> 00:00:12,000
   

5
00:00:12,000 --> 00:00:40,125
The end.
"""
open(os.path.join(data_root, 'cg_subtitles', 'v1.srt'), 'w').write(SRT)
out['srt'] = SRT
decord.VIDEOS.update({'v1.mp4': (900, 30.0), 'v2.mp4': (1250, 25.0)})

ROWS = [
    dict(index=0, video_uid='v1', video='cg_videos_720p/v1.mp4', duration=30, domain='GUI', choices="['red', 'green', \"it's blue\"]",
         sub_category='Text Perception', subtitle_path='cg_subtitles/v1.srt', question='What colour?', answer='B', task_mode='long_acc',
         clue_intervals='', qid=11, clue_video_path=''),
    dict(index=1, video_uid='v1', video='cg_videos_720p/v1.mp4', duration=30, domain='GUI', choices="['red', 'green', \"it's blue\"]",
         sub_category='Text Perception', subtitle_path='cg_subtitles/v1.srt', question='What colour?', answer='B', task_mode='clue_acc',
         clue_intervals='[[10.0, 14.5], [2.2, 4.0], [3.5, 5.1]]', qid=11, clue_video_path='cg_clue_videos/11.mp4'),
    dict(index=2, video_uid='v1', video='cg_videos_720p/v1.mp4', duration=30, domain='GUI', choices="['red', 'green', \"it's blue\"]",
         sub_category='Text Perception', subtitle_path='cg_subtitles/v1.srt', question='What colour?',
         answer='[[10.0, 14.5], [2.2, 4.0], [3.5, 5.1]]', task_mode='miou', clue_intervals='', qid=11, clue_video_path=''),
    dict(index=3, video_uid='v2', video='cg_videos_720p/v2.mp4', duration=50, domain='News', choices="['1', '2', '3', '4']",
         sub_category='Hallucination', subtitle_path=float('nan'), question='How many?', answer='D', task_mode='clue_acc',
         clue_intervals='[[0.5, 0.6], [40, 41]]', qid=12, clue_video_path='cg_clue_videos/12.mp4'),
]
CONFIGS = {
    'CGBench_MCQ_Grounding_Mini_8frame_subs_subt': (C.CGBench_MCQ_Grounding_Mini, 'CG-Bench_MCQ_Grounding_Mini',
                                                    dict(nframe=8, use_subtitle=True, use_subtitle_time=True)),
    'CGBench_MCQ_Grounding_32frame_subs': (C.CGBench_MCQ_Grounding, 'CG-Bench_MCQ_Grounding', dict(nframe=32, use_subtitle=True)),
    'CGBench_MCQ_Grounding_16frame_subs_subt_ft': (C.CGBench_MCQ_Grounding, 'CG-Bench_MCQ_Grounding',
                                                   dict(nframe=16, use_subtitle=True, use_subtitle_time=True, use_frame_time=True)),
}


def dataset(cls, name, kw):
    d = object.__new__(cls)
    d.nframe, d.fps = kw['nframe'], -1
    d.use_subtitle = kw.get('use_subtitle', False)
    d.use_subtitle_time = kw.get('use_subtitle_time', False)
    d.use_frame_time = kw.get('use_frame_time', False)
    d.dataset_name = d.dataset = name
    d.data_root = data_root
    d.frame_root = os.path.join(work, 'images', name)
    d.clue_frame_root = os.path.join(work, 'clue_images', name)
    return d


def rel(items):
    return [dict(type=m['type'], value=m['value'].replace(work + '/', '')) for m in items]


prompts = {}
for config, (cls, name, kw) in CONFIGS.items():
    d = dataset(cls, name, kw)
    for row in ROWS:
        for llm in [False, True]:
            prompts[f'{config}|{row["index"]}|{int(llm)}'] = rel(d.build_prompt(pd.Series(row), llm))
out['prompts'] = prompts
out['rows'] = [{k: (None if isinstance(v, float) else v) for k, v in r.items()} for r in ROWS]
out['videos'] = {k: list(v) for k, v in decord.VIDEOS.items()}

# The clue sampler on its own.
clue = []
for ivs, n, fps in [([[10.0, 14.5], [2.2, 4.0], [3.5, 5.1]], 8, 30.0), ([[0.5, 0.6], [40, 41]], 32, 25.0), ([[1, 2]], 8, 29.97),
                    ([[0.0, 100.0], [100.0, 100.2]], 16, 24.0), ([[5, 5]], 8, 30.0), ([[3.3, 7.7], [1.1, 2.2], [8.8, 9.9]], 5, 23.976)]:
    merged = U.merge_intervals([list(x) for x in ivs])
    clue.append(dict(intervals=ivs, nframe=n, fps=fps, merged=merged, indices=U.sample_frames_clue_average(merged, n, fps)))
out['clue'] = clue

# post_process on canned replies.
REPLIES = [
    ('```json\n{"result": "B"}\n```', 'B', 'long_acc', 30), ('```json\n{"result": B}\n```', 'B', 'clue_acc', 30),
    ('```json\n{"result":B}\n```', 'B', 'long_acc', 30), ('The answer is B.', 'B', 'long_acc', 30), ('A or C', 'B', 'long_acc', 30),
    ('I cannot tell.', 'B', 'long_acc', 30), ('```json\n{"result": "b"}\n```', 'B', 'long_acc', 30),
    ('```json\n{"answer": "B"}\n``` so B', 'B', 'long_acc', 30), ('```json\n{"result": 2}\n```', 'B', 'long_acc', 30),
    ('```json\n{"result": [[10, 15]]}\n```', '[[10.0, 14.5], [2.2, 4.0]]', 'miou', 30),
    ('```json\n{"result": [[0.1, 0.2], [0.3, 0.5]]}\n```', '[[10.0, 14.5], [2.2, 4.0]]', 'miou', 30),
    ('```json\n{"result": [0.3, 0.5]}\n```', '[[10.0, 14.5]]', 'miou', 30), ('```json\n{"result": "none"}\n```', '[[10.0, 14.5]]', 'miou', 30),
    ('```json\n{"result": []}\n``` 10 to 14 and 3', '[[10.0, 14.5]]', 'miou', 30), ('From 2.5 s to 4 s, and -1 to 12.', '[[10.0, 14.5], [2.2, 4.0]]', 'miou', 30),
    ('Around 12', '[[10.0, 14.5]]', 'miou', 30), ('```json\n{"result": [[1, 2, 3]]}\n``` 1.5. to 3.', '[[1.0, 3.0]]', 'miou', 30),
    ('```json\n{"result": [[20, 30], [25, 40], [0, 5]]}\n```', '[[0.0, 10.0], [28.0, 35.0]]', 'miou', 60),
    ('```json\n{"result": [[5, 2]]}\n```', '[[0.0, 10.0]]', 'miou', 60), ('```json\n{"result": [["a", 2]]}\n``` 0 10', '[[0.0, 10.0]]', 'miou', 60),
    ('```json {"result": [[0.5, 1]]} ```', '[[15.0, 30.0]]', 'miou', 30), ('```json\n\n```', 'B', 'long_acc', 30),
    ('no fence ```json {"result": "C"}', 'C', 'clue_acc', 30), ('```json\n{"result": True}\n```', 'B', 'long_acc', 30),
]
out['post_process'] = [dict(response=r, answer=a, mode=m, duration=d, score=U.post_process(r, a, m, d)) for r, a, m, d in REPLIES]

# evaluate on a generated table: three modes per question, several domains, durations and gaps.
rows = []
k = 0
for q in range(12):
    dur = [120, 700, 1300, 2500, 4000][q % 5]
    domain = ['GUI', 'News', 'Driving', 'Art & Culture'][q % 4]
    sub = ['Time Cognition', 'Hallucination', 'Text Perception'][q % 3]
    truth = f'[[{q}.0, {q + 10}.0]]'
    for mode in ['long_acc', 'clue_acc', 'miou']:
        if mode == 'miou':
            pred = [f'```json\n{{"result": [[{q + 2}, {q + 12}]]}}\n```', f'```json\n{{"result": [[0.0, 0.1]]}}\n```', 'no idea', None,
                    f'```json\n{{"result": [[{q}, {q + 10}]]}}\n```', f'from {q + 8} to {q + 30}'][q % 6]
            ans = truth
        else:
            ans = 'ABCD'[q % 4]
            pred = [f'```json\n{{"result": "{ans}"}}\n```', '```json\n{"result": "A"}\n```', 'none', f'It is {ans}.', None, 'B'][(q + (mode == 'clue_acc')) % 6]
        rows.append(dict(index=k, video_uid=f'v{q}', video=f'cg_videos_720p/v{q}.mp4', duration=dur, domain=domain, choices="['a', 'b', 'c', 'd']",
                         sub_category=sub, subtitle_path='', question=f'q{q}', answer=ans, task_mode=mode, clue_intervals='', qid=100 + q,
                         clue_video_path='', prediction=pred))
        k += 1
table = pd.DataFrame(rows)
path = os.path.join(work, 'M_CGBench_MCQ_Grounding_32frame_subs.xlsx')
table.to_excel(path, index=False, engine='xlsxwriter')
d = dataset(C.CGBench_MCQ_Grounding, 'CG-Bench_MCQ_Grounding', dict(nframe=32))
rating = d.evaluate(path)
score = pd.read_excel(path.replace('.xlsx', '_score.xlsx'))
out['evaluate'] = dict(
    table=[{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows],
    score_index=[int(x) for x in score['index']], score=[float(x) for x in score['score']],
    rating_text=open(path.replace('.xlsx', '_rating.json')).read())

# Open-ended: build_prompt of the three configs, then evaluate with the canned judge.
OE_CONFIGS = {
    'CGBench_OpenEnded_Mini_8frame_subs_subt_ft': (C.CGBench_OpenEnded_Mini, 'CG-Bench_OpenEnded_Mini',
                                                   dict(nframe=8, use_subtitle=True, use_subtitle_time=True, use_frame_time=True)),
    'CGBench_OpenEnded_8frame': (C.CGBench_OpenEnded, 'CG-Bench_OpenEnded', dict(nframe=8)),
    'CGBench_OpenEnded_16frame_subs_subt_ft': (C.CGBench_OpenEnded, 'CG-Bench_OpenEnded',
                                               dict(nframe=16, use_subtitle=True, use_subtitle_time=True, use_frame_time=True)),
}
OE_ROW = dict(index=0, video_uid='v1', video='cg_videos_720p/v1.mp4', duration=30, domain='GUI', sub_category='Text Perception',
              subtitle_path='cg_subtitles/v1.srt', question='What is shown?', answer='a red car', clue_intervals='[[10.0, 14.5]]', qid=1)
oe_prompts = {}
for config, (cls, name, kw) in OE_CONFIGS.items():
    d = dataset(cls, name, kw)
    for llm in [False, True]:
        oe_prompts[f'{config}|{int(llm)}'] = rel(d.build_prompt(pd.Series(OE_ROW), llm))
out['oe_row'] = OE_ROW
out['oe_prompts'] = oe_prompts

from vlmeval.dataset import utils as J
FAIL = 'Failed to obtain answer via API.'
S1, S2 = U.sys_prompt_open_eval_step_1, U.sys_prompt_open_eval_step_2
# prediction, step 1 reply, step 2 reply. The second round's qids (5, 6, 7) are below 8, so that
# VLMEvalKit's `{qid set}` iterates them in row order and its keys are right (cgbench.py's
# key-order defect: with qids such as {5, 6, 9} the set starts at 9 and the replies are stored
# under the wrong questions).
OE = [
    ('```json\n{"result": "a red car"}\n```', '```json\n{"result": 1}\n```', None),
    ('It is blue.', 'The answer is 0.', None),
    (None, None, None),
    (FAIL, None, None),
    ('```json\n{"result": ["x", "y"]}\n```', '```json\n{"result": 2}\n```', '```json\n{"result": 1}\n```'),
    ('a dog', '2', 'no'),
    ('```json\n{"result": -1}\n``` really', '```json {"result": 2} ```', '```json\n{"result": 0}\n```'),
    ('grass', 'nothing', None),
    ('a cat', '```json\n{"result": 3}\n```', None),
    ('tree', '```json\n{bad}\n```', None),
    ('a boat', FAIL, None),
]
oe_rows = []
for q, (pred, r1, r2) in enumerate(OE):
    question = f'What is in scene {q}?'
    if r1 is not None: J.REPLIES[(S1, question)] = r1
    if r2 is not None: J.REPLIES[(S2, question)] = r2
    decord.VIDEOS[f'u{q}.mp4'] = (600 + 50 * q, 25.0)
    oe_rows.append(dict(index=q, video_uid=f'u{q}', video=f'cg_videos_720p/u{q}.mp4', duration=[100, 900, 1500, 4000][q % 4],
                        domain=['News', 'GUI', 'Driving'][q % 3], sub_category=['Hallucination', 'Time Cognition'][q % 2], subtitle_path='',
                        question=question, answer=f'answer {q}', clue_intervals=f'[[{q}.5, {q + 3}.0], [{q + 10}.0, {q + 11}.5]]', qid=q + 1,
                        prediction=pred))
path = os.path.join(work, 'M_CGBench_OpenEnded_8frame.xlsx')
pd.DataFrame(oe_rows).to_excel(path, index=False, engine='xlsxwriter')
d = dataset(C.CGBench_OpenEnded, 'CG-Bench_OpenEnded', dict(nframe=8))
d.evaluate(path)
score = pd.read_excel(path.replace('.xlsx', '_score.xlsx'))
def cell(v):
    return None if isinstance(v, float) and v != v else v
out['oe_evaluate'] = dict(
    replies=[dict(index=q, step1=r1, step2=r2) for q, (_, r1, r2) in enumerate(OE)],
    table=[{k: cell(v) for k, v in r.items()} for r in oe_rows],
    calls=[dict(system=c['system'], message=c['message'] if isinstance(c['message'], str) else [m.replace(work + '/', '') for m in c['message']])
           for c in J.CALLS],
    score_columns=list(score.columns),
    score_rows=[{k: (None if isinstance(v, float) and v != v else (int(v) if hasattr(v, 'item') and float(v).is_integer() else (v.item() if hasattr(v, 'item') else v)))
                 for k, v in r.items()} for r in score.to_dict('records')],
    rating_text=open(path.replace('.xlsx', '_rating.json')).read())
print(json.dumps(out, indent=1, ensure_ascii=False), file=stdout)
