#!/usr/bin/env python3
"""Prints vcr.json: VCR-Bench's judge texts (its `prompt.py`), and the outputs of VLMEvalKit's own
`VCRBench.build_prompt` and `VCRBench.evaluate` (its four judge passes, `cau_acc`, `eval`,
`cau_total`) on generated rows, with a fake judge that answers from a table of canned replies.

    git -C VLMEvalKit archive HEAD vlmeval/dataset/vcrbench.py vlmeval/dataset/utils/vcrbench | tar -x -C /tmp/vlm
    python3 vcr_judge.py /tmp/vlm > vcr.json   (needs pandas, numpy, openpyxl, xlsxwriter)

vlmeval itself is not imported: `vcrbench.py` runs in a scratch package whose `vlmeval.smp`
(load/dump of xlsx/pkl/json as VLMEvalKit's, `extract_json_objects`, `get_intermediate_file_path`),
`vlmeval.utils` (a sequential `track_progress_rich`), `video_base`, `huggingface_hub` and
`build_judge` are small stand-ins; the judge answers by pass (its system prompt) and row (the
question in the prompt).
"""
import json, os, shutil, sys, tempfile

src = sys.argv[1]
stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit's prints go to stderr
pkg = tempfile.mkdtemp()
ds = os.path.join(pkg, 'vlmeval', 'dataset')
os.makedirs(os.path.join(ds, 'utils'))
shutil.copy(os.path.join(src, 'vlmeval/dataset/vcrbench.py'), ds)
shutil.copytree(os.path.join(src, 'vlmeval/dataset/utils/vcrbench'), os.path.join(ds, 'utils', 'vcrbench'))
open(os.path.join(ds, 'utils', 'vcrbench', '__init__.py'), 'w').close()
for f in ['vlmeval/__init__.py', 'vlmeval/dataset/__init__.py']:
    open(os.path.join(pkg, f), 'w').close()
open(os.path.join(pkg, 'huggingface_hub.py'), 'w').write('def snapshot_download(**kw): raise NotImplementedError\n')
open(os.path.join(ds, 'video_base.py'), 'w').write('class VideoBaseDataset:\n    pass\n')
open(os.path.join(pkg, 'vlmeval', 'smp.py'), 'w').write('''
import json, pickle, pandas as pd
from json import JSONDecoder
def load(p):
    e = p.split('.')[-1]
    return pickle.load(open(p, 'rb')) if e == 'pkl' else json.load(open(p)) if e == 'json' else pd.read_excel(p)
def dump(d, p):
    e = p.split('.')[-1]
    if e == 'pkl': pickle.dump(d, open(p, 'wb'))
    elif e == 'json': json.dump(d, open(p, 'w'), indent=4)
    else:
        with pd.ExcelWriter(p, engine='xlsxwriter', engine_kwargs={'options': {'strings_to_formulas': False}}) as w:
            d.to_excel(w, index=False)
def get_file_extension(p): return p.split('.')[-1]
def get_intermediate_file_path(f, suffix, fmt=None):
    if fmt is None:
        fmt = 'pkl' if suffix.endswith('_tmp') else 'json' if suffix.endswith('_rating') else 'xlsx'
    return f.replace('.' + get_file_extension(f), suffix + '.' + fmt)
def extract_json_objects(text, decoder=JSONDecoder()):
    pos = 0
    while True:
        match = text.find('{', pos)
        if match == -1:
            break
        try:
            result, index = decoder.raw_decode(text[match:])
            yield result
            pos = match + index
        except ValueError:
            pos = match + 1
def get_cache_path(r): return None
def modelscope_flag_set(): return False
''')
open(os.path.join(pkg, 'vlmeval', 'utils.py'), 'w').write('''
import os.path as osp
from vlmeval.smp import dump, load
def track_progress_rich(func, tasks, nproc=1, save=None, keys=None, chunksize=1):
    res = load(save) if osp.exists(save) else {}
    for k, t in zip(keys, tasks):
        res[k] = func(t)
        dump(res, save)
''')
open(os.path.join(ds, 'utils', '__init__.py'), 'w').write('''
REPLIES = None
CALLS = []
class FakeJudge:
    fail_msg = 'Failed to obtain answer via API.'
    def __init__(self, system_prompt):
        self.system_prompt = system_prompt
    def generate(self, message):
        CALLS.append([self.system_prompt, message])
        return REPLIES(self.system_prompt, message)
def build_judge(system_prompt=None, **kw):
    return FakeJudge(system_prompt)
''')
sys.path.insert(0, pkg)
import pandas as pd  # noqa: E402

# VLMEvalKit was written for pandas 2: under pandas 3's string dtype, `evaluate`'s
# `data.loc[index] = precision(row)` raises for every row with a number in its new "" columns, so
# every such row is dropped. vtools keeps what pandas 2 gives (object columns), as here.
pd.set_option('future.infer_string', False)
import vlmeval.dataset.utils as U  # noqa: E402
import vlmeval.dataset.utils.vcrbench.prompt as P  # noqa: E402
import vlmeval.dataset.vcrbench as V  # noqa: E402

out = {k: getattr(P, k) for k in ['Answer_Extraction_Prompt_part1', 'Answer_Scoring_Prompt_part1', 'Precision_Evaluation_Prompt',
                                  'Recall_Evaluation_Prompt']}
out['FRAMES_TMPL_NOPACK'] = V.VCRBench.FRAMES_TMPL_NOPACK


def prompt(line, llm):
    d = V.VCRBench.__new__(V.VCRBench)
    d.video_path = '/L/VCR-Bench'
    d.save_video_frames = lambda v: [f'/L/images/VCR-Bench/{v}/frame-{i}-of-2.jpg' for i in (1, 2)]
    return d.build_prompt(pd.Series(line), llm)


line = dict(index=3, video='clip_3', video_path='v1/videos/video/clip_3.mp4', question='What happens first?\nA. x\nB. y',
            answer='A')
out['prompt_frames'] = prompt(line, False)
out['prompt_video'] = prompt(line, True)

V1 = 'Video Description Steps'
L1 = 'Logical Inference Steps'
B1 = 'Background Review Steps'


def steps(*s):
    return json.dumps([{'step': f's{i}', 'step_type': t, 'judgment': j} for i, (t, j) in enumerate(s)])


# Canned replies by pass and question; a question not listed gets the defaults below.
EXTRACT = {'Q0': 'A', 'Q1': 'C', 'Q3': '[90,150]', 'Q4': 'B', 'Q5': 'Failed to obtain answer via API.', 'Q6': ''}
SCORE = {'Q0': '1', 'Q1': '0', 'Q2': '0', 'Q3': '1', 'Q4': 'Score: 1', 'Q5': '0', 'Q6': '1', 'Q7': '1'}
PRECISION = {
    'Q0': steps((V1, 'Matched'), (L1, 'Matched'), (B1, 'Redundant')),
    'Q1': '```json\n' + steps((V1, 'Matched')) + '\n```',
    'Q2': '[]',
    'Q3': steps((V1, 'Wrong'), (L1, 'Matched'), (L1, 'Matched'), (V1, 'Matched'), (B1, 'Matched')),
    'Q4': '{"step": "s", "step_type": "Video Description Steps", "judgment": "Matched"}',
    'Q5': steps((V1, 'Wrong')),
    'Q6': steps((L1, 'Match')),
    'Q7': ' \n' + steps((B1, 'Redundant'), (L1, 'Wrong'), (V1, 'Matched'), (V1, 'Matched'), (V1, 'Wrong')) + '\n',
}
RECALL = {
    'Q0': steps((V1, 'Matched'), (L1, 'Unmatched')),
    'Q1': steps((L1, 'Matched'), (V1, 'Matched'), (V1, 'Unmatched')),
    'Q2': '[]',
    'Q3': steps((V1, 'Matched'), ('Video description steps', 'Matched')),
    'Q4': steps((B1, 'Matched'), (B1, 'Unmatched')),
    'Q5': steps((L1, 'Matched'), (V1, 'Unmatched'), (V1, 'Matched')),
    'Q6': 'not json',
    'Q7': steps((V1, 'Unmatched'), (L1, 'Unmatched')),
}


def question(text):
    for tag in ['[Problem]:', 'Question: ']:
        if text.startswith(tag):
            return text[len(tag):].split('?')[0]
    raise ValueError(text)


def replies(system, text):
    q = question(text)
    if system == P.Answer_Extraction_Prompt_part1:
        return EXTRACT.get(q, 'Z')
    if system == P.Answer_Scoring_Prompt_part1:
        return SCORE[q]
    if system == P.Precision_Evaluation_Prompt:
        return PRECISION[q]
    return RECALL[q]


# (index, question, answer, prediction, reasoning, dimension, duration)
rows = [
    (0, 'Q0? A. a B. b', 'A', 'First the man runs (00:05), so A.', 'The man runs at 00:05.', 'Temporal', 30),
    (1, 'Q1? A. a B. b C. c', 'B', 'It is C.', 'A dog barks.\nThe dog leaves.', 'Spatial', 120),
    (2, 'Q2?', '5', None, 'Five cups.', 'Temporal', 400),
    (3, 'Q3? When does it start and end?', '[90, 150]', 'From 1:30 to 2:30.', 'Starts at 90 s.', None, 60),
    (4, 'Q4?', 'B', 'B', 'Nothing.', 'Spatial', 300),
    (5, 'Q5?', 'A', 'Unsure.', 'r5', 'Counting', 59.5),
    (6, 'Q6?', 'C', 'C!', 'r6', 'Counting', 301),
    (7, 'Q7?', 'D', 'D', 'r7', 'Temporal', 10),
]
work = tempfile.mkdtemp()
path = os.path.join(work, 'M_VCRBench_8frame_nopack.xlsx')
frame = pd.DataFrame([{'index': i, 'video': f'v{i}', 'video_path': f'v1/videos/video/v{i}.mp4', 'question': q, 'answer': a,
                       'reasoning': r, 'dimension': dm, 'duration': du, 'prediction': p}
                      for i, q, a, p, r, dm, du in rows])
with pd.ExcelWriter(path, engine='xlsxwriter') as w:
    frame.to_excel(w, index=False)
U.REPLIES = replies
U.CALLS.clear()
V.VCRBench.evaluate(path, model='gpt-4o-0806', nproc=1)
out['calls'] = [c + [replies(*c)] for c in U.CALLS]
stem = path[:-len('.xlsx')] + '_gpt-4o-0806'
for name in ['_answer_score.txt', '_precision_recall_score.txt', '_answer_score.json', '_pre_score.json', '_recall_score.json']:
    out[name] = open(stem + name).read()
for name in ['_extracted_answer', '_answer_score', '_pre_score', '_recall_score']:
    t = pd.read_excel(stem + name + '.xlsx')
    out[name + '_columns'] = list(t.columns)
    out[name + '_index'] = [int(x) for x in t['index']]
print(json.dumps(out, indent=1, ensure_ascii=False), file=stdout)
