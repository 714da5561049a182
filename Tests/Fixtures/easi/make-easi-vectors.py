#!/usr/bin/env python3
"""Reference vectors for vtools' EASI scorer core (Sources/VScore/EASI.swift), from VLMEvalKit's
own functions in vlmeval/dataset/utils/spatial_bench (matching_func.can_match_option,
can_match_na, cal_scores.exact_match / mean_relative_accuracy / compute_caa_score,
tools/files.build_eval_paths).

usage: make-easi-vectors.py VLMEVALKIT_GIT_DIR > vectors.json
(a bare mirror is fine: the files are read with git show at HEAD). num2words, which
matching_func imports for the words zero..twenty, and the judge modules cal_scores imports
for its LLM path are stubbed; nothing else is.
"""
import json, os, subprocess, sys, tempfile, types

repo = sys.argv[1]
tmp = tempfile.mkdtemp()
base = os.path.join(tmp, 'vlmeval', 'dataset', 'utils', 'spatial_bench')
os.makedirs(os.path.join(base, 'tools'))
for f in ['matching_func.py', 'cal_scores.py', 'tools/files.py']:
    src = subprocess.check_output(['git', '-C', repo, 'show', f'HEAD:vlmeval/dataset/utils/spatial_bench/{f}'])
    open(os.path.join(base, f), 'wb').write(src)
file_src = subprocess.check_output(['git', '-C', repo, 'show', 'HEAD:vlmeval/smp/file.py']).decode()

WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
         'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
sys.modules['num2words'] = types.SimpleNamespace(num2words=lambda i, lang='en': WORDS[i])


def pkg(name, **attrs):
    m = types.ModuleType(name)
    m.__path__ = []
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


pkg('vlmeval'); pkg('vlmeval.dataset'); pkg('vlmeval.dataset.utils')
sp = pkg('vlmeval.dataset.utils.spatial_bench'); sp.__path__ = [base]
pkg('vlmeval.dataset.utils.spatial_bench.tools').__path__ = [os.path.join(base, 'tools')]
pkg('vlmeval.dataset.utils.judge_util', build_judge=None)
pkg('vlmeval.dataset.utils.spatial_bench.llm_extract', parallel_llm_extract=None)
pkg('vlmeval.smp'); pkg('vlmeval.smp.vlm', gpt_key_set=lambda: False)
# get_intermediate_file_path and the two format helpers, as written in vlmeval/smp/file.py
fm = pkg('vlmeval.smp.file', os=os)
import re
for fn in ['get_file_extension', 'get_eval_file_format', 'get_pred_file_format', 'get_intermediate_file_path']:
    m = re.search(rf'^def {fn}\(.*?(?=^\S)', file_src, re.S | re.M)
    exec(m.group(0), fm.__dict__)

from vlmeval.dataset.utils.spatial_bench.matching_func import can_match_option, can_match_na
from vlmeval.dataset.utils.spatial_bench.cal_scores import exact_match, mean_relative_accuracy, compute_caa_score
from vlmeval.dataset.utils.spatial_bench.tools.files import build_eval_paths
import pandas as pd

OPTIONS = [
    'A', 'b', 'B.', '(C)', '<answer>D</answer>', '<answer> e) because</answer>', '<answer>J</answer>',
    'The answer is C', 'the answer is c.', 'Final answer: (B)', 'I think A or B', 'A and B and A',
    'Reasoning...\nSo the best is D.', '<think>maybe A</think>\nB', '<think>I pick C', 'x </think> E </think>',
    'option A: red\noption B: blue', 'A. red\nB. blue', '**C**', '【D】', 'G', 'answer: G', 'nothing here',
    '', '   ', 'It is A, not B', '選択 C', '答案：B', '所以选 D。', 'I choose (E).', 'ABC', 'a', 'e.g. the answer is',
    'Answer is F', 'B)\n', '\u200bC', 'I am not sure.', 'The correct answer is B. I', 'The Answer\nA. yes\nB. no',
    'C\n\nExplanation: the chair is left of A', 'choose A', 'A\u3002', 'D:', '- B - ', '[A]', '{B}',
    # Python's \s holds for U+001C..U+001F (ICU's not); only \n ends a line for Python's . ^ $
    'The answer is\x1cB', 'answer:\x1f(C)', '\x1dD\x1e', 'A.\x1cred', '<answer>\x1fE</answer>',
    'x\rB', 'Reasoning\u2028So D', 'Reasoning\x85B\r', 'option A: red\roption B: blue', 'B\u2029',
    'I think A or\x1cthe answer is\x1cB', 'A\x1for B', 'A.\x1fred and B', 'A. red\x1cB. blue', '**C**\x1fA',
]
NAS = [
    '3', '3.5 meters', 'about 2.0', '<answer>4.2</answer>', '<answer> 7 m</answer>', 'three chairs',
    'There are twenty cups', 'Seventeen', '1e3', '-2.5', '+4', '.5', '5.', 'no number', '',
    '<think>maybe 3 or 4</think> 5', '<think>12', 'between 3 and 4', '[2, 3]', "['6 meters']", '[]', '[abc]',
    'room is 4.5 x 3.2 m', '  [1.5]  ', 'one or two', '3,000', '1/2', 'twenty-one', '\u200b8', '[True]',
    '[None, 3]', '[-3]', 'x1e-2', '2E+2 and 2e+2', '\x1c7\x1f', '<answer>\x1d4</answer>', '[\x1e2]', 'about\r3',
    '<think>1\u2028</think>\x1f6', '[\u20282]', '[\x852]', '[2,\r3]', '\t[4]\x0c',
]
MRA = [(p, t) for t in [1.0, 2.0, 4.0, 10.0, 0.2, 3.7] for p in [0, 0.5, 0.55, 1.0, 1.45, 1.5, 2.0, 2.2, 4.0, 5.8, 9.0, 10.45, 10.5, 11.0, 14.5, 20.0]]
MRA += [(0.0, 0.0), (0.3, 0.0), (1.0, 0.0), (-1.0, 2.0), (2.9, 2.0)]
out = {
    'option': [[s, can_match_option(s) or None] for s in OPTIONS],
    'na': [[s, can_match_na(s)] for s in NAS],
    'exact': [[a, b, exact_match(a, b)] for a, b in [('A', 'a'), (' B ', 'b'), ('False', 'False'), ('A', 'B'), ('3.0', '3')]],
    'mra': [[p, t, mean_relative_accuracy(p, t, .5, .95, .05)] for p, t in MRA],
    'caa': [],
    'paths': [],
}
for hits, cands in [([1, 0, 1, 1], [None, None, None, None]), ([1, 1, 0], ["['a', 'b']", "['a','b','c']", 'x']), ([0, 0], [None, None]), ([1], ["['a']"])]:
    df = pd.DataFrame({'hit': hits, 'candidates': cands})
    out['caa'].append([hits, cands, compute_caa_score(df)])
for f in ['/w/Qwen_VSI-Bench_32frame.xlsx', 'out/m_VsiSuperCount_10mins_1fps.tsv', 'a.b/c.xlsx']:
    for tag in ['extract_matching', 'llm_gpt-4o']:
        r, x, a = build_eval_paths(f, tag)
        out['paths'].append([f, tag, x, a])
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
print()
