# Run by megabench.py (exec'd in its namespace: `out`, `root`): the scoring vectors.
import pickle  # noqa: F401
import tempfile

mpl = types.ModuleType("matplotlib")
mpl.font_manager = types.SimpleNamespace(findfont=lambda *a, **k: (_ for _ in ()).throw(ValueError()))
sys.modules["matplotlib"] = mpl
sys.modules["matplotlib.font_manager"] = mpl.font_manager
smp.dump = lambda *a, **k: None
sys.modules.setdefault("requests", types.ModuleType("requests"))  # only the judge metrics post
import importlib  # noqa: E402

mb = "vlmeval.dataset.utils.megabench."
AnswerStrParse = importlib.import_module(mb + "parsing.answer_str_parse").AnswerStrParse
JsonParse = importlib.import_module(mb + "parsing.json_parse").JsonParse
parsers = importlib.import_module(mb + "parsing.common.parsers")
MetricType = importlib.import_module(mb + "metric_type").MetricType
evaluate_as_string = importlib.import_module(mb + "parsing.common.utils").evaluate_as_string


def py(v):
    """A value as JSON with its Python type kept: {'t': type, 'v': ...}."""
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": v}
    if isinstance(v, float):
        return {"t": "float", "v": v}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if v is None:
        return {"t": "none"}
    if isinstance(v, (list, tuple)):
        return {"t": type(v).__name__, "v": [py(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "dict", "v": [[py(k), py(x)] for k, x in v.items()]}
    if isinstance(v, (set, frozenset)):
        return {"t": "set", "v": sorted([py(x) for x in v], key=repr)}
    return {"t": "other", "v": repr(v)}


responses = [
    "Answer: B", "**Answer:** (C) the cat", "The answer is\n\nAnswer: A. because", "B\n\nBecause of the shadow.",
    "Answer: ```\nx = 1\n```", "Answer: ['a', 'b']", "Answer: {\"name\": \"Bob\", \"count\": 3}", "Answer: []",
    "Answer: {}", "Answer: {broken", "  'quoted'  ", "Answer: 42", "A, B, C\nD", "(d)", "Answer: [1, 2, 3] and more [4]",
    "no answer marker here", "", "Answer:", "Answer: \"He said 'hi'\"", "```json\n{\"a\": [1, {\"b\": 2}]}\n```",
]
out["answer_parse"] = []
for r in responses:
    for single in [True, False]:
        out["answer_parse"].append({"response": r, "single_line": single,
                                    "parsed": AnswerStrParse.parse(r, "answer", is_single_line_ans=single)["answer"]})
json_responses = [
    "{\"name\": \"Bob\", \"count\": 3}", "Answer: {'name': 'Al', 'count': '7'}", "```json\n{\"x\": \"'q'\"}\n```",
    "text {\"a\": 1} then {\"b\": [2, 3]}", "[1, 2]", "nothing", "{\"t\": true, \"n\": null}", "prefix [\"a\", {\"k\": \"v\"}] suffix",
]
out["json_parse"] = [{"response": r, "parsed": py(JsonParse.parse(r))} for r in json_responses]

metric_cases = {
    "exact_str_match": [("B", "B"), ("(B) dog", "B"), ("b", "B"), ("B.", "B"), ("Paris", "Paris"), ("paris", "Paris"), ("10", "1"),
                        (["a"], "['a']")],
    "simple_str_match": [("New-York.", "new york"), ("A", "a"), ("x y", "xy"), ("(B)", "b")],
    "code_result_exact_str_match": [("42", "```\n42\n```"), ("42", "42"), ("41", "```output\n42\n```")],
    "exact_str_match_case_insensitive": [("Yes", "yes"), ("NO", "yes"), ("(a) x", "A")],
    "normalized_similarity_damerau_levenshtein": [("kitten", "sitting"), ("abcd", "acbd"), ("", ""), ("ca", "abc"), ("héllo", "hello"),
                                                  ("same", "same")],
    "number_rel_diff_ratio": [("9", "10"), ("12.5", "10"), ("abc", "10"), ("30", "10"), ("-5", "-4"), ("[1]", "10")],
    "set_equality": [("['a', 'b']", "['b', 'a']"), ("a", "a"), ("x", "y")],
    "set_equality_case_insensitive": [("['A', 'b']", "['a', 'B']"), ("a, b", "['A', 'B']"), ("[1, 2]", "[1, 2]")],
    "jaccard_index": [("['a', 'b']", "['b', 'c']"), ("a, b, c", "['a', 'b', 'c']"), ("[]", "[]"), ("(1, 2)", "[1, 2, 3]"),
                      ("[[1, 2], [3, 4]]", "[(1, 2), (5, 6)]")],
    "jaccard_index_case_insensitive": [("['A', 'b']", "['a', 'c']"), ("[('Red Car', 'x')]", "[('redcar', 'X')]"), ("[1, 2]", "['1', '3']")],
    "set_precision": [("['a', 'b']", "['a']"), ("[]", "['a']"), ("a, z", "['a', 'b']")],
    "positive_int_match": [("3", "3"), ("0", "0"), ("2", "3"), ("x", "3"), ("True", "1"), ("3.0", "3")],
    "longest_common_list_prefix_ratio": [("[1, 2, 4]", "[1, 2, 3]"), ("a, b", "['a', 'b', 'c', 'd']"), ("[]", "[1]")],
    "str_set_equality_line_break": [("a\nB", "b\na"), ("a\\nb", "a\nb"), ("a", "a\nb")],
    "str_set_equality_comma": [("A, b", "a,B"), ("None", "none"), ("[x, y]", "y, x")],
    "sequence_equality": [("[1, 2]", "[1, 2]"), ("1, 2", "[1, 2]"), ("['a', 'b']", "['b', 'a']")],
    "sequence_equality_case_insensitive": [("['A', 'b']", "['a', 'B']"), ("a, b", "['A', 'B']")],
    "sequence_accuracy_case_insensitive": [("['A', 'x', 'c']", "['a', 'b', 'C']"), ("[1, 2]", "[1, 3]"), ("[1]", "[1, 2]")],
    "dict_equality": [("{'a': 1}", "{'a': 1}"), ("{\"a\": 1, \"b\": 2}", "{'b': 2, 'a': 1}"), ("x", "{'a': 1}")],
    "dict_precision": [("{'a': 'x', 'b': 'y'}", "{'a': 'x', 'b': 'z'}"), ("{}", "{'a': 1}"), ("{'q': 'B'}", "{'q': 'B'}")],
}
out["metrics"] = []
for name, cases in metric_cases.items():
    metric = MetricType.from_string(name)
    for resp, target in cases:
        try:
            s = metric.match(resp, evaluate_as_string(target))
            res = {"score": float(s)}
        except Exception as e:  # noqa: BLE001
            res = {"raises": type(e).__name__}
        out["metrics"].append({"metric": name, "response": py(resp), "target": target, **res})

# --- the evaluator on generated tasks (the rule tasks of the end-to-end test) -----------------
def info(fields, parser, weights=None, aux=None):
    d = {"field_score_function": fields, "aggregation": {"function": "mean", "field_weights": weights or {k: 1 for k in fields}},
         "response_parse_function": parser}
    if aux:
        d["global_aux_metrics"] = aux
    return str(d)


tasks = [
    ("letter_choice", info({"answer": "exact_str_match"}, "answer_string"),
     [('{"answer": "B"}', "Answer: B"), ('{"answer": "C"}', "(C) the cat"), ('{"answer": "A"}', "b"), ('{"answer": "D"}', "Answer: D.")]),
    ("city_name", info({"answer": "simple_str_match"}, "answer_string"),
     [('{"answer": "New York"}', "Answer: new-york"), ('{"answer": "Paris"}', "I think Rome")]),
    ("object_count", info({"name": "exact_str_match_case_insensitive", "count": "number_rel_diff_ratio"}, "json", {"name": 2, "count": 1}),
     [('{"name": "Bob", "count": "10"}', '{"name": "bob", "count": 9}'), ('{"name": "Al", "count": "4"}', "not json at all"),
      ('{"name": "Cy", "count": "5"}', '```json\n{"name": "Cy", "count": 5}\n```')]),
    ("tag_sets", info({"answer": "jaccard_index"}, "answer_string"),
     [('{"answer": "[\'a\', \'b\', \'c\']"}', "Answer: ['a', 'b']"), ('{"answer": "[\'x\']"}', "Answer: ['x']")]),
    ("step_order", info({"answer": "longest_common_list_prefix_ratio"}, "answer_string"),
     [('{"answer": "[1, 2, 3, 4]"}', "Answer: [1, 2, 4, 3]"), ('{"answer": "[5, 6]"}', "Answer: [5, 6]")]),
]
hf = {}
rows_out = []
idx = 0
for name, mi, queries in tasks:
    for ans, pred in queries:
        hf.setdefault(name, []).append({"id": str(idx), "task_name": name, "metric_info": mi, "eval_context": "{}", "answer": ans})
        rows_out.append({"index": idx, "task_name": name, "answer": ans, "metric_info": mi, "eval_context": "{}", "prediction": pred})
        idx += 1
del sys.modules[mb + "evaluator"]  # megabench.py's stand-in
Evaluator = importlib.import_module(mb + "evaluator").MEGABenchEvaluator
Evaluator._load_hf = lambda self, subset: hf
tmp = tempfile.mkdtemp()
import pandas as pd  # noqa: E402

data = pd.DataFrame(rows_out)
result = []
for task_name, group in data.groupby("task_name"):
    qr = [{"response": str(r["prediction"]), "correct_answer": __import__("ast").literal_eval(r["answer"]), "global_idx": str(r["index"]),
           "images": [], "question": ""} for _, r in group.iterrows()]
    result.append({"task_name": task_name, "task_description": "", "global_media": [], "example_contents": [], "query_response": qr})
json.dump(result, open(tmp + "/resp.json", "w"))
e = Evaluator("core", tmp + "/resp.json", tmp + "/score.json")
e.evaluate()
scored = json.load(open(tmp + "/score.json"))
out["evaluator"] = {"rows": rows_out, "summary": scored["summary"],
                    "tasks": [{"task_name": t["task_name"], "task_score": t["task_score"], "mean_task_score": t["mean_task_score"],
                               "query": [q["scores"]["query"] for q in t["query_response"]]} for t in scored["data"]]}
