#!/usr/bin/env python3
"""Reference vectors for vtools' EASI LLM grading path (Sources/VScore/EASI.swift `gradingPrompt`,
`buildChoices`, `parseGrade`; Families/EASIMCQ.swift on `--judged`), from VLMEvalKit's own
functions in vlmeval/dataset/utils/spatial_bench: llm_extract.extract_ans_by_llm (the prompt it
sends), call_llm_extract (the grade it reads from a reply), and cal_scores.eval_mcq_score with
build_mcq_score_fn's LLM scorer (the `_llm_{model}.xlsx` / `_acc.csv` it writes), the judge
model replaced by a stub that answers fixed replies.

usage: make-easi-llm-vectors.py VLMEVALKIT_GIT_DIR WORK_DIR > llm-vectors.json
(a bare mirror is fine: files are read with git show at HEAD). Stubbed: num2words, the logger,
track_progress_rich (run in order, one process), build_judge / gpt_key_set (the stub model,
"a key is set"), vlmeval.smp.file (load = pandas.read_excel; get_intermediate_file_path as
written there).
"""
import contextlib, json, os, re, subprocess, sys, tempfile, types
import pandas as pd

repo, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp()
base = os.path.join(tmp, 'vlmeval', 'dataset', 'utils', 'spatial_bench')
os.makedirs(os.path.join(base, 'tools'))


def show(path):
    return subprocess.check_output(['git', '-C', repo, 'show', f'HEAD:{path}'])


for f in ['matching_func.py', 'cal_scores.py', 'llm_extract.py', 'tools/files.py', 'tools/utils.py']:
    open(os.path.join(base, f), 'wb').write(show(f'vlmeval/dataset/utils/spatial_bench/{f}'))
file_src = show('vlmeval/smp/file.py').decode()
WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
         'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
sys.modules['num2words'] = types.SimpleNamespace(num2words=lambda i, lang='en': WORDS[i])


def pkg(name, path=None, **attrs):
    m = types.ModuleType(name)
    m.__path__ = [path] if path else []
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


class Log:
    def __getattr__(self, _):
        return lambda *a, **k: None


MODEL = {}
pkg('vlmeval'); pkg('vlmeval.dataset'); pkg('vlmeval.dataset.utils')
pkg('vlmeval.dataset.utils.spatial_bench', base)
pkg('vlmeval.dataset.utils.spatial_bench.tools', os.path.join(base, 'tools'))
pkg('vlmeval.dataset.utils.judge_util', build_judge=lambda **k: MODEL['m'])
fm = pkg('vlmeval.smp.file', os=os, load=lambda f: pd.read_pickle(f) if f.endswith('.pkl') else pd.read_excel(f))
for fn in ['get_file_extension', 'get_eval_file_format', 'get_pred_file_format', 'get_intermediate_file_path']:
    exec(re.search(rf'^def {fn}\(.*?(?=^\S)', file_src, re.S | re.M).group(0), fm.__dict__)
pkg('vlmeval.smp'); pkg('vlmeval.smp.vlm', gpt_key_set=lambda: True)
pkg('vlmeval.smp.log', get_logger=lambda name: Log())
pkg('vlmeval.utils')
pkg('vlmeval.utils.mp_util', track_progress_rich=lambda func, tasks, nproc=1, save=None, keys=None: [func(**t) for t in tasks])

from vlmeval.dataset.utils.spatial_bench.llm_extract import extract_ans_by_llm, call_llm_extract
from vlmeval.dataset.utils.spatial_bench.cal_scores import (build_mcq_score_fn, compute_na_score_llm, compute_score_llm,
                                                             eval_mcq_score)


class Stub:
    """A judge that records the prompts it is sent and answers `reply(prompt)`."""

    def __init__(self, reply):
        self.reply, self.prompts = reply, []

    def generate(self, prompt):
        self.prompts.append(prompt)
        return self.reply(prompt)

    def working(self):
        return True


N = None
out = {}
# ---- the grading prompt (extract_ans_by_llm, mode mcq) on rows of each choice form ----
PROMPT_ROWS = [
    {'question': 'How far did the car move?', 'candidates': "['1 m', '2  m', '3\\nm', 'about 4 m']", 'answer': 'B',
     'prediction': 'I think B.'},
    {'question': 'Which way?', 'options': "['left', 'right']", 'candidates': "['x', 'y', 'z']", 'answer': ' a ',
     'prediction': 'left'},
    {'question': 'Which way?', 'options': '', 'candidates': "['x', 'y', 'z']", 'answer': 'C', 'prediction': 'z'},
    {'question': 'Q with A-F columns?', 'A': 'red', 'B': '  blue  sky ', 'C': '...', 'D': N, 'answer': 'B',
     'prediction': 'blue'},
    {'question': 'Q with A-F columns?', 'A': 'red', 'B': 'blue', 'answer': 'E', 'prediction': 'E'},
    {'question': 'What is it?\nOptions:\nA. a cat\nB. a dog\n(C) a bird\nD: a fish', 'answer': 'D', 'prediction': 'fish'},
    {'question': 'Pick one: A. near B. far C. same', 'answer': 'A', 'prediction': 'A'},
    {'question': 'Pick one option: B) near C) far', 'answer': 'B', 'prediction': 'B'},
    {'question': 'No choices at all here', 'answer': '3.5', 'prediction': '3'},
    {'question': 'Options\n- A. one\n- B. two\n- B. deux\n* C. three', 'answer': 'b', 'prediction': 'two'},
    {'question': 'MMSI <image> row\nA. yes\nB. no\n', 'answer': 'A', 'prediction': '<answer>A</answer>'},
    {'question': 'Choices: A) one line A) again B) two', 'answer': 'B', 'prediction': 'B'},
    {'question': 'The list', 'options': "Options: A. x B. y", 'answer': 'A', 'prediction': 'A'},
    {'question': 'The list', 'candidates': "B. x\nC. y", 'answer': 'A', 'prediction': 'A'},
    {'question': 'Unicode 选项：\nA、红色\nB、蓝色', 'answer': 'A', 'prediction': 'A'},
]
out['prompts'] = []
for row in PROMPT_ROWS:
    s = pd.Series({k: (float('nan') if v is None else v) for k, v in row.items()})
    m = Stub(lambda p: 'A\tx')
    extract_ans_by_llm(m, s, mode='mcq', max_retry=3)
    out['prompts'].append({'row': row, 'prompt': m.prompts[0]})

# ---- reply parsing (call_llm_extract) ----
REPLIES = ['A\tfoo', 'B', 'C\tN/A', 'A | 3.5', 'A: B. red', 'a\tfoo', 'Apple', '  A\\tB  ', 'A\\t\\n B', '\nB\tx\nmore',
           'The grade is A', 'Failed to obtain answer via API.', 'A\u2028x', 'A1', 'A_', 'A-ok', 'A\u00e9', 'A.', 'C',
           'A\t', 'A\t \t', 'B\r\nC', 'A,,: x', '  \n  B  \n', 'A\x1cB', 'B\x1fz', 'A\u00a0 y', 'D\tx', 'A\\rB', 'A \\t x']
out['replies'] = []
for r in REPLIES:
    m = Stub(lambda p, r=r: r)
    g, e = call_llm_extract(m, 3, 'q', 'p', 'g')
    out['replies'].append({'reply': r, 'grade': g, 'extracted': e, 'asked': len(m.prompts)})

# ---- eval_mcq_score with the LLM scorer (STI-Bench-like rows) ----
TYPES = ['Dimension Measurement', 'Displacement & Path Length', 'Ego-Centric Orientation']
rows = [
    # index, task_type, candidates, answer, prediction, judge reply
    (3, TYPES[0], "['1 m', '2 m', '3 m']", 'B', 'pred-3 B', 'A\tB'),
    (1, TYPES[0], "['1 m', '2 m']", 'A', 'pred-1 no idea', 'C\tN/A'),
    (0, TYPES[1], "['x', 'y', 'z', 'w']", 'D', 'pred-0 w', 'B\tz'),
    (2, TYPES[2], "['p', 'q']", 'A', 'pred-2 p', 'the answer is right'),
    (5, 'Other', "['p', 'q']", 'B', 'pred-5 q', 'A'),
    (4, TYPES[1], "['a', 'b']", 'B', 'pred-4 b', 'A | b'),
]
df = pd.DataFrame([{'index': i, 'video': f'v{i}.mp4', 'question': f'question {i}?', 'candidates': c, 'answer': a,
                    'task_type': t, 'prediction': p} for i, t, c, a, p, _ in rows])
path = os.path.join(work, 'M_STI-Bench_32frame.xlsx')
df.to_excel(path, index=False)
replies = {p: r for _, _, _, _, p, r in rows}
MODEL['m'] = Stub(lambda prompt: next(r for p, r in replies.items() if f'\n{p}\n' in prompt))
fn = build_mcq_score_fn(model='gpt-4o-mini', retry=3, nproc=1)
with contextlib.redirect_stdout(sys.stderr):  # its [save] lines
    summary = eval_mcq_score(load_fn=pd.read_excel, eval_file=path, score_fn=fn, group_col='task_type', order=TYPES[:2],
                             dataset_name='STI-Bench')
tag = 'llm_gpt-4o-mini'
xl = pd.read_excel(path.replace('.xlsx', f'_{tag}.xlsx'), na_filter=False)
out['eval'] = {
    'rows': [list(r) for r in rows], 'order': TYPES[:2], 'judge_tag': tag,
    'prompts': {str(i): next(q for q in MODEL['m'].prompts if f'\n{p}\n' in q) for i, _, _, _, p, _ in rows},
    'acc_csv': open(path.replace('.xlsx', f'_{tag}_acc.csv')).read(),
    'xlsx_columns': list(xl.columns),
    'xlsx_rows': [[str(v) for v in r] for r in xl.values.tolist()],
}

# ---- VSI-Bench's two LLM scorers (compute_score_llm mode mcq, compute_na_score_llm mode vqa) ----
VSI = [
    # index, question_type, question, candidates, answer, prediction, judge reply
    (0, 'object_counting', 'How many chairs?', None, '4', 'vsi-0 three', 'B\t3'),
    (1, 'object_counting', 'How many tables?', None, '2', 'vsi-1 two', 'A\t2'),
    (2, 'object_abs_distance', 'How far apart (m)?', None, '1.5', 'vsi-2 about 1.4 m', 'A\t1.4 m'),
    (3, 'room_size_estimation', 'How big (sq m)?', None, '20', 'vsi-3 18', 'C\t18'),
    (4, 'object_size_estimation', 'How long (cm)?', None, '0', 'vsi-4 5', 'B\t5'),
    (5, 'object_rel_distance', 'Which is closest?', "['A. sofa', 'B. lamp']", 'B', 'vsi-5 lamp', 'A\tB. lamp'),
    (6, 'route_planning', 'Which route?', "['A. left', 'B. right']", 'A', 'vsi-6 right', 'B | B'),
    (7, 'object_counting', 'How many cups?', None, '3', 'vsi-7 ?', 'unreadable'),
]
vdf = pd.DataFrame([{'index': i, 'question_type': t, 'question': q, 'candidates': c, 'answer': a, 'prediction': p}
                    for i, t, q, c, a, p, _ in VSI])
vreplies = {p: r for *_, p, r in VSI}
vm = Stub(lambda prompt: next(r for p, r in vreplies.items() if f'\n{p}\n' in prompt))
mcq_types = ['object_rel_distance', 'route_planning']
m_scored = compute_score_llm(vdf[vdf['question_type'].isin(mcq_types)].copy(), vm, mode='mcq', max_retry=3, nproc=1)
n_scored = compute_na_score_llm(vdf[~vdf['question_type'].isin(mcq_types)].copy(), vm, mode='vqa', max_retry=3, nproc=1)


def cell(v):
    return None if v is None or (isinstance(v, float) and v != v) else v


out['vsi'] = {
    'rows': [list(r) for r in VSI],
    'prompts': {str(i): next(q for q in vm.prompts if f'\n{p}\n' in q) for i, *_, p, _ in VSI},
    'mcq': [[int(r['index']), r['judge_grade'], r['pred_extracted'], int(r['hit'])] for _, r in m_scored.iterrows()],
    'na': [[int(r['index']), r['judge_grade'], cell(r['pred_extracted']), float(r['MRA:.5:.95:.05'])] for _, r in n_scored.iterrows()],
}
print(json.dumps(out, indent=1, ensure_ascii=False))
