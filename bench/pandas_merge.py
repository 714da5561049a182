"""What VLMEvalKit's rank-0 merge does, as a baseline for bench/vmerge.sh: load every shard,
map predictions onto the dataset rows, and dump with pandas + xlsxwriter (strings_to_formulas off).

usage: pandas_merge.py META.tsv OUT.xlsx SHARD.jsonl...
"""
import json
import sys

import pandas as pd

meta_path, out, shards = sys.argv[1], sys.argv[2], sys.argv[3:]
data_all = {}
for s in shards:
    with open(s) as f:
        for line in f:
            r = json.loads(line)
            data_all[r["id"]] = r["prediction"]
meta = pd.read_csv(meta_path, sep="\t")
for x in meta["index"]:
    assert str(x) in data_all
meta["prediction"] = [str(data_all[str(x)]) for x in meta["index"]]
if "image" in meta:
    meta.pop("image")
with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False}}) as w:
    meta.to_excel(w, index=False)
