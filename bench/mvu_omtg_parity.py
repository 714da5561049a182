"""vscore against VLMEvalKit's own evaluate() for MVU-Eval and OMTG-Bench on random tables.

usage: mvu_omtg_parity.py VLMEVALKIT_DIR VSCORE [SEED [ROWS]]

VLMEVALKIT_DIR is a checkout of VLMEvalKit (e.g. `git archive` of the mirror into /tmp); its
`vlmeval/dataset/mvu_eval.py` and `omtgbench.py` are executed with their package imports
stubbed (both evaluate() only need pandas, numpy and scipy), on tables of random answers in the
phrasings the parsers know (and some they do not). The same tables go to VSCORE as JSONL
result files; the score files must be byte-identical (vscore ends its JSON with a newline,
json.dump does not). Needs pandas, numpy and scipy (e.g. /work/venv-vlm/bin/python).
Exit status 0 when every file agrees.
"""
import contextlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import pandas as pd


def load_module(path):
    text = open(path).read()
    text = re.sub(r'^from (\.|vlmeval|huggingface_hub)[^\n]*(\([^)]*\))?', '', text, flags=re.M)
    ns = {'__name__': os.path.basename(path), 'VideoBaseDataset': type('VideoBaseDataset', (), {})}
    exec(compile(text, path, 'exec'), ns)
    return ns


def omtg_tables(rng, n):
    def num():
        x = rng.choice([rng.randint(0, 120), round(rng.uniform(0, 120), rng.choice([1, 2])), rng.randint(0, 9)])
        s = str(x)
        if rng.random() < 0.15:
            s = f"{int(float(s)) // 60}:{int(float(s)) % 60:02d}"
        return s

    def phrase():
        a, b = num(), num()
        return rng.choice([
            f"<time>{a} - {b} seconds</time>", f"<TIME>{a}-{b} second</time>", f"{a} - {b} seconds", f"{a}-{b}s", f"from {a} to {b}",
            f"starts at {a} seconds and ends at {b} seconds", f"starts at {a} and ends at {b}", f"the start is at {a} and the end is at {b}",
            f"[{a}, {b}]", f"[{a},{b}]", f"{a} - {b}", f"between {a} and {b}", f"at {a}", f"{a} \u2013 {b} seconds", f"{a} to {b} seconds",
            f"{a}-{b}.5 seconds"])

    def text():
        parts = [rng.choice(["The event occurs", "It happens", "Answer:", "", "I think", "Segments:"])]
        for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
            parts += [phrase(), rng.choice([",", " and", ".", "\n", ";"])]
        return " ".join(parts)

    return [dict(index=str(i), video=f"v{i}", question="When?", answer=text(), prediction=text() if rng.random() > 0.05 else None)
            for i in range(n)]


def mvu_tables(rng, n):
    def pred():
        L = lambda: rng.choice('ABCDEFabcdz')  # noqa: E731
        return rng.choice([
            L(), f"{L()}.", f"The answer is {L()}", f"Answer: {L()}", f"\\boxed{{{L()}}}", f"({L()})", f"I choose {L()}",
            f"The correct order is {L()}", f"answer is {L()} or {L()}", f"The best\nanswer is {L()}", f"{L()}, because the answer is {L()}",
            f"Answer:{L()} and answer: {L()}"]) + rng.choice(["", " ", "\n", " Thanks."])

    return [dict(index=str(i), video_paths="a.mp4", question="q", options='["A. x"]',
                 ground_truth=rng.choice("ABCDEF") if rng.random() > 0.03 else "AB", task="t",
                 prediction=pred() if rng.random() > 0.05 else None) for i in range(n)]


def write_jsonl(path, rows):
    with open(path, 'w') as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False) + '\n')


def main():
    root, vscore = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    rng = random.Random(seed)
    omtg = load_module(os.path.join(root, 'vlmeval/dataset/omtgbench.py'))
    mvu = load_module(os.path.join(root, 'vlmeval/dataset/mvu_eval.py'))
    out = tempfile.mkdtemp(prefix='mvu-omtg-parity.')
    nan = float('nan')
    expected = {}

    rows = omtg_tables(rng, n)
    write_jsonl(f'{out}/m_OMTGBench_1fps.jsonl', rows)
    df = pd.DataFrame({'index': [r['index'] for r in rows], 'prediction': [r['prediction'] or nan for r in rows],
                       'answer': [r['answer'] for r in rows]})
    omtg['load'] = lambda f: df
    omtg['dump'] = lambda x, f: expected.__setitem__(os.path.basename(f), json.dumps(x, indent=4, ensure_ascii=False))
    with contextlib.redirect_stdout(io.StringIO()):
        omtg['OMTGBench'].evaluate(type('S', (), {'dataset_name': 'OMTGBench'})(), f'{out}/m_OMTGBench_1fps.xlsx')

    rows = mvu_tables(rng, n)
    write_jsonl(f'{out}/m_MVU-Eval_8frame.jsonl', rows)
    gt = pd.DataFrame({'index': [int(r['index']) for r in rows], 'ground_truth': [r['ground_truth'] for r in rows]})
    # An empty cell of the result table is NaN when VLMEvalKit loads it.
    ev = pd.DataFrame({'index': [int(r['index']) for r in rows], 'prediction': [r['prediction'] or nan for r in rows]})
    mvu['load'] = lambda f: ev
    mvu['dump'] = lambda x, f: expected.__setitem__(os.path.basename(f), json.dumps(x, indent=4, ensure_ascii=False))
    mvu['get_file_extension'] = lambda f: f.rsplit('.', 1)[-1]
    mvu['get_intermediate_file_path'] = lambda f, s, t: f.replace('.xlsx', f'{s}.{t}')
    with contextlib.redirect_stdout(io.StringIO()):
        mvu['MVUEval'].evaluate(type('S', (), {'data': gt})(), f'{out}/m_MVU-Eval_8frame.xlsx')

    for table in ['m_OMTGBench_1fps.jsonl', 'm_MVU-Eval_8frame.jsonl']:
        subprocess.run([vscore, f'{out}/{table}'], check=True, stdout=subprocess.DEVNULL)
    bad = 0
    for name, text in sorted(expected.items()):
        got = open(f'{out}/{name}').read()
        same = got == text + '\n'
        bad += not same
        print(f"{name}: {'identical' if same else 'DIFFERS'}")
    print(f"seed {seed}, {n} rows each, files in {out}")
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
