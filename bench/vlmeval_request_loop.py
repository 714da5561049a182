"""VLMEvalKit's API request loop as a baseline for bench/vinfer.sh: a thread pool of N workers,
each request re-encoding every frame with PIL (encode_image_to_base64), then POSTing with requests.

usage: vlmeval_request_loop.py URL PROMPTS.jsonl JOBS
"""
import base64
import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import requests
from PIL import Image

url, prompts, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
session_pool = {}


def encode_image_to_base64(path):
    img = Image.open(path)
    if img.mode in ("RGBA", "P", "LA"):
        img = img.convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def one(rec):
    content = []
    system = None
    for item in rec["messages"]:
        if item.get("role") == "system":
            system = (system or "") + item["value"] + "\n"
        elif item["type"] == "image":
            content.append({"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + encode_image_to_base64(item["value"])}})
        elif item["value"]:
            content.append({"type": "text", "text": item["value"]})
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": content}]
    r = requests.post(url, json={"model": "m", "messages": messages, "temperature": 0, "max_tokens": 2048}, timeout=330)
    return r.json()["choices"][0]["message"]["content"]


recs = [json.loads(l) for l in open(prompts)]
with ThreadPoolExecutor(jobs) as ex:
    answers = list(ex.map(one, recs))
assert len(answers) == len(recs)
