"""ReVSI and V2P-Bench scoring parity: VLMEvalKit's own evaluate() against vscore on random
result tables (the same .xlsx given to both).

usage: revsi_v2p_parity.py VLMEVAL_DIR [SEEDS]
  VLMEVAL_DIR holds VLMEvalKit's `vlmeval/` package (e.g. `git -C MIRROR archive HEAD vlmeval |
  tar x -C DIR`); SEEDS random tables per family (default 30). vscore is taken from
  $VTOOLS_BIN_DIR (default .build/debug). Needs pandas, numpy, openpyxl, portalocker and
  huggingface_hub (e.g. /work/venv-vlm); the `datasets` package is stubbed (only ReVSI's download
  uses it).

Per table it compares, byte for byte: ReVSI's evaluate() dict (json.dumps(indent=4), as run.py
logs it) with vscore's _rating.json and the per-row accuracy with _score.xlsx's `accuracy`
column; V2P-Bench's _score.txt and _score.json and its score column with vscore's. Prints one
line per table and a summary; exits 1 on any difference.
"""
import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import types


def load_vlmeval(root):
    """Imports VLMEvalKit's two dataset modules without running its package __init__ files."""
    def pkg(name, path):
        m = types.ModuleType(name)
        m.__path__ = [path]
        sys.modules[name] = m
    pkg('vlmeval', os.path.join(root, 'vlmeval'))
    pkg('vlmeval.dataset', os.path.join(root, 'vlmeval', 'dataset'))
    pkg('vlmeval.dataset.utils', os.path.join(root, 'vlmeval', 'dataset', 'utils'))
    stub = types.ModuleType('datasets')
    stub.load_dataset = None
    sys.modules['datasets'] = stub
    sys.path.insert(0, root)
    import vlmeval.dataset.revsi as revsi
    import vlmeval.dataset.v2pbench as v2p
    return revsi, v2p


def vscore(path):
    binary = os.path.join(os.environ.get('VTOOLS_BIN_DIR', '.build/debug'), 'vscore')
    return subprocess.run([binary, path], capture_output=True, text=True).returncode


def revsi_table(R, rng):
    import pandas as pd
    kinds = R.NQ_QUESTION_TYPES + R.MCQ_QUESTION_TYPES
    chosen = rng.sample(kinds, rng.randint(1, len(kinds)))
    rows = []
    for i in range(rng.randint(1, 600)):
        t = rng.choice(chosen)
        if t in R.MCQ_QUESTION_TYPES:
            g = rng.choice('ABCD')
            p = rng.choice(['A', 'b.', 'C. x', '(D)', ' d ', 'A..', 'nan', None, 'Failed to obtain answer via API.'])
        else:
            g = str(rng.choice([rng.randint(0, 20), round(rng.uniform(0.1, 10), 2)]))
            p = rng.choice([str(rng.randint(0, 25)), f'{rng.uniform(0, 12):.2f}', f'{rng.uniform(0, 12):.1f} m', 'about 3', '1e1',
                            'inf', None, g, g + '.'])
        rows.append(dict(index=i, question_type=t, question='q', ground_truth=g, prediction=p))
    return pd.DataFrame(rows)


def revsi_row_accuracy(R, row):
    """evaluate()'s per-row loop body (it keeps the column only in its local frame)."""
    pred = str(row['prediction']).strip().split(' ')[0].rstrip('.').strip()
    if row['question_type'] in R.MCQ_QUESTION_TYPES:
        return 1.0 if pred.lower() == str(row['ground_truth']).lower() else 0.0
    try:
        return float(R._mean_relative_accuracy(float(pred), float(row['ground_truth']), 0.5, 0.95, 0.05))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0.0


def check_revsi(R, seed, tmp):
    import pandas as pd
    df = revsi_table(R, random.Random(seed))
    f = os.path.join(tmp, 'M_revsi_16_frame.xlsx')
    df.to_excel(f, index=False)
    R.load = pd.read_excel
    expected = json.dumps(R.ReVSI.evaluate(None, f), indent=4) + '\n'
    status = vscore(f)
    got = open(f.replace('.xlsx', '_rating.json')).read()
    table = pd.read_excel(f)
    acc = [revsi_row_accuracy(R, row) for _, row in table.iterrows()]
    ours = pd.read_excel(f.replace('.xlsx', '_score.xlsx'))['accuracy'].astype(float).tolist()
    return len(df), status == 0 and expected == got and acc == ours


def v2p_table(rng):
    import pandas as pd
    bits = ['A', 'B', 'C', 'D', 'The answer is', 'Best option:', '<think>', '</think>', '<\\/think>', 'x', '(B)', 'd', ' ', '\n',
            '\u00e9/\u00fc', 'Option: C', 'API', 'many words here', 'The best option is', 'Answer:']
    rows = []
    for i in range(rng.randint(5, 300)):
        k = rng.random()
        p = None if k < 0.05 else 'Failed to obtain answer via API.' if k < 0.1 else ''.join(
            rng.choice(bits) for _ in range(rng.randint(1, 12)))
        rows.append(dict(index=i, video=f'S/v{i % 7}.mp4', video_path=f'S/v{i % 7}.mp4',
                         duration=rng.choice([rng.randint(0, 5000), 239, 240, 1799, 1800]), question=f'q{i}/\u00e9',
                         answer=rng.choice('ABCD'), frame_path=f'S/v{i % 7}.jpg', dimension=rng.randint(1, 16),
                         category=rng.randint(1, 5), prediction=p))
    return pd.DataFrame(rows)


def check_v2p(V, seed, tmp):
    import pandas as pd
    df = v2p_table(random.Random(seed))
    py, sw = os.path.join(tmp, 'py'), os.path.join(tmp, 'sw')
    os.makedirs(py)
    os.makedirs(sw)
    name = 'M_V2PBench_8frame_nopack'
    df.to_excel(os.path.join(py, name + '.xlsx'), index=False)
    shutil.copy(os.path.join(py, name + '.xlsx'), sw)
    with contextlib.redirect_stdout(io.StringIO()):
        V.V2PBench.evaluate(os.path.join(py, name + '.xlsx'))
    status = vscore(os.path.join(sw, name + '.xlsx'))
    same = all(open(os.path.join(py, name + s)).read() == open(os.path.join(sw, name + s)).read() for s in ['_score.txt', '_score.json'])
    scores = [pd.read_excel(os.path.join(d, name + '_score.xlsx'))['score'].tolist() for d in (py, sw)]
    return len(df), status == 0 and same and scores[0] == scores[1]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    R, V = load_vlmeval(os.path.abspath(sys.argv[1]))
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    failures = 0
    for family, check, module in [('ReVSI', check_revsi, R), ('V2P-Bench', check_v2p, V)]:
        rows = 0
        for seed in range(seeds):
            tmp = tempfile.mkdtemp(prefix='parity-')
            try:
                n, ok = check(module, seed, tmp)
            finally:
                shutil.rmtree(tmp)
            rows += n
            failures += not ok
            print(f'{family} seed {seed}: {n} rows, {"same" if ok else "DIFFERENT"}')
        print(f'{family}: {seeds} tables, {rows} rows')
    print('all identical' if failures == 0 else f'{failures} tables differ')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
