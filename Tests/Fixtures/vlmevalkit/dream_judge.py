#!/usr/bin/env python3
"""Prints dream.json: DREAM-1K's judge prompts (read from the source), and the outputs of
VLMEvalKit's own `DREAM.build_prompt` and `DREAM.evaluate` on generated rows, with a fake judge
that answers from a table of canned replies.

    git -C VLMEvalKit archive HEAD vlmeval/dataset/dream.py | tar -x -C /tmp/vlm
    python3 dream_judge.py /tmp/vlm > dream.json   (needs pandas, numpy, openpyxl, xlsxwriter)

vlmeval itself is not imported: `dream.py` runs in a scratch package whose `vlmeval.smp`,
`vlmeval.utils`, `video_base`, `portalocker`, `huggingface_hub` and `build_judge` are small
stand-ins (load/dump of xlsx/pkl/json, a sequential track_progress_rich, a judge returning
canned replies keyed by the caption or description and events in the prompt).
"""
import json, os, shutil, sys, tempfile

src = sys.argv[1]
stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit's prints go to stderr
pkg = tempfile.mkdtemp()
ds = os.path.join(pkg, 'vlmeval', 'dataset')
os.makedirs(os.path.join(ds, 'utils'))
shutil.copy(os.path.join(src, 'vlmeval/dataset/dream.py'), ds)
for f in ['vlmeval/__init__.py', 'vlmeval/dataset/__init__.py']:
    open(os.path.join(pkg, f), 'w').close()
open(os.path.join(pkg, 'huggingface_hub.py'), 'w').write('def snapshot_download(**kw): raise NotImplementedError\n')
open(os.path.join(pkg, 'portalocker.py'), 'w').write('Lock = None\n')
open(os.path.join(ds, 'video_base.py'), 'w').write('class VideoBaseDataset:\n    pass\n')
os.makedirs(os.path.join(pkg, 'vlmeval', 'smp'))
open(os.path.join(pkg, 'vlmeval', 'smp', '__init__.py'), 'w').write('''
import json, pickle, pandas as pd
def load(p):
    e = p.split('.')[-1]
    return pickle.load(open(p, 'rb')) if e == 'pkl' else json.load(open(p)) if e == 'json' else pd.read_excel(p)
def dump(d, p):
    e = p.split('.')[-1]
    if e == 'pkl': pickle.dump(d, open(p, 'wb'))
    elif e == 'json': json.dump(d, open(p, 'w'), indent=4)
    else: d.to_excel(p, index=False, engine='xlsxwriter')
def md5(p): return ''
''')
open(os.path.join(pkg, 'vlmeval', 'smp', 'file.py'), 'w').write('''
def LMUDataRoot(): return '/L'
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
open(os.path.join(ds, 'utils', '__init__.py'), 'w').write('''
REPLIES = None
CALLS = []
class FakeJudge:
    def generate(self, message):
        CALLS.append(message[0]['value'])
        return REPLIES(message[0]['value'])
def build_judge(**kw):
    return FakeJudge()
''')
sys.path.insert(0, pkg)
import pandas as pd  # noqa: E402
import vlmeval.dataset.utils as U  # noqa: E402
import vlmeval.dataset.dream as D  # noqa: E402

out = {'EXTRACTION_PROMPT': D.EXTRACTION_PROMPT, 'RELATIONSHIP_PROMPT': D.RELATIONSHIP_PROMPT}


def prompt(line, llm):
    d = D.DREAM.__new__(D.DREAM)
    d.data_root = '/L/datasets/DREAM'
    d.save_video_frames = lambda v: [f'/L/images/DREAM-1K/{v.replace("video/", "")}/frame-{i}-of-2.jpg' for i in (1, 2)]
    return d.build_prompt(pd.Series(line), llm)


line = dict(index=3, video='video/clip_3', question='Describe the video in detail.', answer='A man runs.')
out['prompt_frames'] = prompt(line, False)
out['prompt_video'] = prompt(line, True)

# The canned judge: extraction replies keyed by the caption, relationship replies by the
# description and the events' text.
EXTRACT = {
    'A man runs. He jumps.': '{"events": ["A man runs.", "The man jumps."]}',
    'A man runs and falls.': '```json\n{"events": ["A man runs.", "The man falls."]}\n```',
    'A dog barks.': "Here: {'events': ['A dog barks.']} done",
    'A cat sleeps.': '{"events": []}',
    'Nothing.': 'not json at all',
    'A bird sings.': '{"events": ["A bird sings.", "The bird flies.", "It\'s \\"loud\\"."]}',
    'Rain falls.': '[1, 2]',
    'A car drives.': '{"events": ["A car drives."], "ok": True}',
    'Snow falls.': '{"other": 1}',
}
RELATE = {
    ('A man runs and falls.', "['A man runs.', 'The man jumps.']"):
        '{"events": [{"event": "A man runs.", "relationship": "Entailment", "reason": "r"}, {"event": "The man jumps.", "relationship": "neutral", "reason": "r"}]}',
    ('A man runs. He jumps.', "['A man runs.', 'The man falls.']"):
        '```json\n{"events": [{"event": "A man runs.", "relationship": "entailment"}, {"event": "The man falls.", "relationship": " entailment"}, {"relationship": "Entailment"}]}\n```',
    ('A dog barks.', "['A dog barks.']"): '{"events": [{"event": "A dog barks.", "relationship": "entailment"}]}',
    ('A bird sings.', "['A bird sings.', 'The bird flies.', 'It\\'s \"loud\".']"):
        '{"events": [{"relationship": "entailment"}, {"relationship": "ENTAILMENT"}, {"relationship": "entailment"}, {"relationship": "entailment"}]}',
    ('A car drives.', "['A car drives.']"): '{"events": [{"event": "x"}]}',
    ('A fox jumps.', "['A car drives.', 'The car stops.']"): '{"events": ["not a dict"]}',
    ('A fox jumps.', "['A fox jumps.']"): '{"events": [{"relationship": "entailment"}]}',
}


def replies(text):
    if text.startswith('Bellow is a description'):
        cap = text.split('Video Description: ')[1].split('\n\nExtract at most')[0]
        return EXTRACT.get(cap, '{"events": ["' + cap + '"]}')
    desc = text.split('Video Description:\n')[1].split('\n\nEvents: ')[0]
    ev = text.split('\n\nEvents: ')[1].split('\nOutput a JSON')[0]
    return RELATE.get((desc, ev), 'Failed to obtain answer via API.')


# (index, answer, prediction, events column)
rows = [
    (0, 'A man runs. He jumps.', 'A man runs and falls.', None),
    (1, 'A dog barks.', 'A dog barks.', None),
    (2, 'A cat sleeps.', 'Nothing.', None),
    (3, 'A bird sings.', 'A bird sings.', None),
    (4, 'Rain falls.', 'Rain falls.', None),
    (5, 'A car drives.', 'A car drives.', None),
    (6, 'A fox jumps.', None, None),
    (7, 'Snow falls.', 'A fox jumps.', '["A car drives.", "The car stops."]'),
    (8, 'A fox jumps.', 'A car drives.', 'not json'),
]
work = tempfile.mkdtemp()
path = os.path.join(work, 'M_DREAM-1K_8frame.xlsx')
frame = pd.DataFrame([{'index': i, 'video': f'video/v{i}', 'question': 'Describe.', 'answer': a, 'events': e, 'prediction': p}
                      for i, a, p, e in rows])
frame.to_excel(path, index=False)
d = D.DREAM.__new__(D.DREAM)
d.data = frame.drop(columns=['prediction'])
U.REPLIES = replies
U.CALLS.clear()
out['rating'] = d.evaluate(path, model='gpt-4o-mini', nproc=1)
out['calls'] = list(U.CALLS)
out['replies'] = [replies(c) for c in U.CALLS]
score = pd.read_excel(path.replace('.xlsx', '_gpt-4o-mini_score.xlsx'))
for c in ['score_r', 'score_p', 'f1']:
    out[c] = [repr(float(x)) for x in score[c]]
out['columns'] = list(score.columns)
# No valid row: the zero rating.
empty = os.path.join(work, 'M_DREAM-1K_1fps.xlsx')
pd.DataFrame([{'index': 0, 'video': 'video/v0', 'question': 'q', 'answer': 'A man runs.', 'prediction': None}]).to_excel(empty, index=False)
d.data = pd.DataFrame([{'index': 0, 'video': 'video/v0', 'question': 'q', 'answer': 'A man runs.'}])
out['empty_rating'] = d.evaluate(empty, model='gpt-4o-mini', nproc=1)
print(json.dumps(out, indent=1, ensure_ascii=False), file=stdout)
