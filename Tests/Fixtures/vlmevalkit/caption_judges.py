#!/usr/bin/env python3
"""Prints caption-judges.json: the prompt lists and judge texts of VLMEvalKit's Video-MMLU and VDC
(read from the source with `ast`), and the outputs of VLMEvalKit's own `build_prompt`, `evaluate`,
`prepare_score_prompt` and `get_dimension_rating` on generated rows, with a fake judge.

    git -C VLMEvalKit archive HEAD vlmeval/dataset | tar -x -C /tmp/vlm
    python3 caption_judges.py /tmp/vlm > caption-judges.json   (needs pandas, openpyxl, xlsxwriter)

vlmeval itself is not imported: the two dataset modules and their utils run in a scratch package
whose `vlmeval.smp`, `vlmeval.utils`, `video_base` and `build_judge` are small stand-ins (load/dump
of xlsx/pkl/json, a sequential track_progress_rich, a judge returning canned replies).
`random.choice` is patched to pick the option vtools seeds by the row id.
"""
import ast, json, os, random, re, shutil, sys, tempfile

src = sys.argv[1]
stdout, sys.stdout = sys.stdout, sys.stderr  # VLMEvalKit's prints go to stderr
pkg = tempfile.mkdtemp()
ds = os.path.join(pkg, 'vlmeval', 'dataset')
os.makedirs(os.path.join(ds, 'utils'))
for f in ['video_mmlu.py', 'vdc.py']:
    shutil.copy(os.path.join(src, 'vlmeval/dataset', f), ds)
    shutil.copy(os.path.join(src, 'vlmeval/dataset/utils', f), os.path.join(ds, 'utils'))
for f in ['vlmeval/__init__.py', 'vlmeval/dataset/__init__.py']:
    open(os.path.join(pkg, f), 'w').close()
open(os.path.join(pkg, 'huggingface_hub.py'), 'w').write('def snapshot_download(**kw): raise NotImplementedError\n')
open(os.path.join(ds, 'video_base.py'), 'w').write('class VideoBaseDataset:\n    pass\n')
open(os.path.join(pkg, 'vlmeval', 'smp.py'), 'w').write('''
import json, pickle, pandas as pd
def get_file_extension(p): return p.split('.')[-1]
def get_intermediate_file_path(f, suffix, fmt=None):
    fmt = fmt or ('pkl' if suffix.endswith(('_tmp', '_response')) else 'json' if suffix.endswith('_rating') else 'xlsx')
    return f.replace('.' + get_file_extension(f), suffix + '.' + fmt)
def load(p):
    e = get_file_extension(p)
    return pickle.load(open(p, 'rb')) if e == 'pkl' else json.load(open(p)) if e == 'json' else pd.read_excel(p)
def dump(d, p):
    e = get_file_extension(p)
    if e == 'pkl': pickle.dump(d, open(p, 'wb'))
    elif e == 'json': json.dump(d, open(p, 'w'), indent=4)
    else: d.to_excel(p, index=False, engine='xlsxwriter')
def extract_json_objects(s): raise NotImplementedError
def get_cache_path(*a): return None
def md5(p): return ''
''')
open(os.path.join(pkg, 'vlmeval', 'utils.py'), 'w').write('''
import os.path as osp
from vlmeval.smp import dump, load
def track_progress_rich(func, tasks, nproc=1, save=None, keys=None, chunksize=1):
    if not osp.exists(save): dump({}, save)
    res = load(save)
    for k, t in zip(keys, tasks):
        res[k] = func(t)
        dump(res, save)
''')
open(os.path.join(ds, 'utils', '__init__.py'), 'w').write('''
REPLIES = None
CALLS = []
class FakeJudge:
    fail_msg = 'Failed to obtain answer via API.'
    system_prompt = None
    def generate(self, prompt):
        CALLS.append((self.system_prompt, prompt))
        return REPLIES(self.system_prompt, prompt)
def build_judge(**kw):
    CALLS.append(('build_judge', kw))
    return FakeJudge()
''')
sys.path.insert(0, pkg)
import pandas as pd  # noqa: E402
import vlmeval.dataset.utils as U  # noqa: E402
from vlmeval.dataset.vdc import VDC  # noqa: E402
from vlmeval.dataset.video_mmlu import Video_MMLU_CAP, Video_MMLU_QA  # noqa: E402
from vlmeval.dataset.utils import vdc as uvdc, video_mmlu as uvm  # noqa: E402

out = {}
for f, pre in [('vdc.py', 'vdc'), ('video_mmlu.py', 'video_mmlu')]:
    for n in ast.parse(open(os.path.join(ds, f)).read()).body:
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.List):
            out[pre + '.' + n.targets[0].id] = ast.literal_eval(n.value)
for name in ['SYSTEM_CAL_SCORE_PROMPT', 'SYSTEM_GENER_PRED_PROMPT', 'USER_GENER_PRED_PROMPT']:
    out['utils.vdc.' + name] = getattr(uvdc, name)
for name in ['SYSTEM_CAL_SCORE_PROMPT_CAP', 'SYSTEM_CAL_SCORE_PROMPT_QA', 'SYSTEM_GENER_PRED_PROMPT', 'USER_GENER_PRED_PROMPT']:
    out['utils.video_mmlu.' + name] = getattr(uvm, name)


def fnv(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def prompt(cls, line, llm, root):
    d = cls.__new__(cls)
    d.pack, d.video_path = False, root
    d.save_video_frames = lambda v: [f'/L/images/{cls.__name__}/{v}/frame-{i}-of-2.jpg' for i in (1, 2)]
    orig = random.choice
    random.choice = lambda opts: opts[fnv('vprompt-random-choice:' + str(line['index'])) % len(opts)]
    try:
        return d.build_prompt(pd.Series(line), llm)
    finally:
        random.choice = orig


line = dict(index=7, video='lec_1.mp4', question="[{'question': 'Q?', 'answer': 'A.'}]", discipline='Math')
out['cap_frames'] = prompt(Video_MMLU_CAP, line, False, '/D/vm/youtube_videos/')
out['cap_frames_3'] = prompt(Video_MMLU_CAP, dict(line, index=3), False, '/D/vm/youtube_videos/')
out['cap_video'] = prompt(Video_MMLU_CAP, line, True, '/D/vm/youtube_videos/')
qline = dict(index=12, video='lec_2.mp4', question='Why is the sum of odd numbers a square?', answer='x', discipline='physics')
out['qa_frames'] = prompt(Video_MMLU_QA, qline, False, '/D/vm/youtube_videos/')
out['qa_video'] = prompt(Video_MMLU_QA, qline, True, '/D/vm/youtube_videos/')
for i, ct in enumerate(['short', 'detailed', 'background', 'main_object', 'camera', 'breakpoint']):
    out['vdc_' + ct] = prompt(VDC, dict(index=20 + i, video='v.mp4', question='[]', caption_type=ct), False, '/D/vdc/videos/')
out['vdc_video'] = prompt(VDC, dict(index=20, video='v.mp4', question='[]', caption_type='short'), True, '/D/vdc/videos/')


def replies(system, text):
    if system.endswith('- The answer should be a short sentence or phrase.\n'):
        return text.split('detailed description: ')[1].split('\nquestion: ')[0]
    if 'Two.' in text:
        return "Sure: {'pred': 'yes', 'score': 4}"  # prose around the dict: unparsed in parity
    m = re.search(r"Correct Answer: (.*)\n\n +Predicted Answer: (.*)\n\n\n", text, re.S)
    return "{'pred': 'yes', 'score': 5}" if m.group(1).strip() == m.group(2).strip() else "{'pred': 'no', 'score': 1}"


# evaluate on generated rows, one QA pair per caption (VLMEvalKit keys the pairs by index).
work = tempfile.mkdtemp()
U.REPLIES = replies
for key, cls, col, rows in [
    ('cap', Video_MMLU_CAP, 'discipline', [(0, 'Math', 'A red circle.', 'What shape?', 'A red circle.'), (1, 'physics', 'A ball falls.', 'What falls?', 'A stone.'),
                                           (2, 'Chemistry', "It's blue.", 'Colour?', "It's blue."), (3, 'physics', 'Two.', 'How many?', 'Two.'), (4, 'biology', 'x', 'q', 'x')]),
    ('vdc', VDC, 'caption_type', [(0, 'short', 'A red circle.', 'What shape?', 'A red circle.'), (1, 'camera', 'It pans.', 'How?', 'It zooms.'),
                                  (2, 'Main_Object', 'A dog runs.', 'Who runs?', 'A dog runs.'), (3, 'background', 'Two.', 'How many?', 'Two.'), (4, 'other', 'x', 'q', 'x')]),
]:
    path = os.path.join(work, f'M_{key}.xlsx')
    pd.DataFrame([{'index': i, 'video': f'v{i}.mp4', 'question': str([{'question': q, 'answer': a}]), col: c, 'prediction': p}
                  for i, c, p, q, a in rows]).to_excel(path, index=False)
    U.CALLS.clear()
    out[key + '_rating'] = cls.evaluate(path, model='gpt-4o-mini', nproc=1)
    out[key + '_calls'] = [c for c in U.CALLS if c[0] != 'build_judge']
    out[key + '_build_judge'] = [c[1] for c in U.CALLS if c[0] == 'build_judge']
    out[key + '_score'] = [str(x) for x in pd.read_excel(path.replace('.xlsx', '_gpt-4o-mini_score.xlsx'))['score']]

# Video_MMLU_QA: the score prompt with pred_response = the prediction, and the rating of a score file.
out['qa_score_prompt'] = uvm.prepare_score_prompt(dict(question='Why?', answer='Because.', pred_response='So.'))
qa = os.path.join(work, 'qa_score.xlsx')
pd.DataFrame(dict(index=range(6), discipline=['Math', 'math', 'Physics', 'chemistry', 'chemistry', 'art'],
                  score=["{'pred': 'yes', 'score': 4}", '{"pred": "no", "score": 2}', -1, 'Failed to obtain answer via API.',
                         "{'pred': 'YES', 'score': 3}", "{'pred': 'yes', 'score': 5}"])).to_excel(qa, index=False)
out['qa_rating'] = uvm.get_dimension_rating(qa)
print(json.dumps(out, indent=1, ensure_ascii=False), file=stdout)
