#!/usr/bin/env python3
"""A loopback OpenAI-compatible chat-completions server for vtools' tests (standard library only).

It validates every request against the chat-completions shape (decoding each data URL and checking
that it is a JPEG or PNG), answers deterministically, and injects faults on demand.

usage: fake_openai_server.py --port-file F [--port N] [--model NAME] [--log F] [--latency S] [--faults LIST] [--fault-rate P --seed N]
                             [--capacity K]

--strict-models /v1/models lists --model as a server that serves only it (default: as llama.cpp,
                which answers any model name)
--capacity K    a request that arrives while K are being answered gets 429 at once (logged as refused)

--faults LIST   comma-separated faults for the 1st, 2nd, ... attempt of each distinct request body:
                429 (Retry-After: 0), 429plain (no Retry-After), 500, 503, 400, slow (sleeps 3 s),
                drop (closes the connection), badjson, empty (no choices), ok;
                real servers' permanent failures, with their bodies: ctx (llama.cpp, 400 context size),
                ctx500 (llama.cpp, 500 n_ctx), vllmctx (vLLM 400), images (vLLM 400 image limit),
                bitmap (llama.cpp 500 bad image); reasoning replies: think (message.reasoning_content),
                thinkr (message.reasoning, newer vLLM), thinkinline (<think>...</think> in content),
                thinkcut (finish_reason length inside an unclosed <think> block)
--fault-rate P  instead, each request fails with probability P with a random fault (seeded)
The answer text is "images=N" plus, when the prompt lists options, the letter A; judge prompts
(MMBench-Video's 0-3 rating, VLMEvalKit's multiple-choice matcher, the EASI grading prompt) get a
judge-like answer.
"""
import argparse
import ast
import re
import base64
import struct
import hashlib
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--model", default="test-model")
ap.add_argument("--log")
ap.add_argument("--latency", type=float, default=0.0)
ap.add_argument("--faults", default="")
ap.add_argument("--fault-rate", type=float, default=0.0)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--capacity", type=int, default=0)
ap.add_argument("--strict-models", action="store_true")  # /v1/models as OpenAI lists them (default: as llama.cpp)  # refuse (429) a request while this many are answered
args = ap.parse_args()

faults = [f for f in args.faults.split(",") if f]
active = 0
attempts = {}
lock = threading.Lock()
rng = random.Random(args.seed)


def system_text(req):
    for m in req.get("messages", []) if isinstance(req, dict) else []:
        if m.get("role") == "system" and isinstance(m.get("content"), str):
            return m["content"]
    return None


def judge(system, text):
    """A deterministic stand-in for a judge model: MMBench-Video ratings (3 when the candidate
    equals the ground truth, else 1) and multiple-choice matching (the option whose text the
    answer contains, else Z). None for anything that is not a judge prompt."""
    if system and "Your assessment should range from 0 to 3" in system:
        m = re.search(r"Groundtruth answer: (.*)\nCandidate answer: (.*)\nYour response", text, re.S)
        if not m:
            return "0"
        return "3" if m.group(1).strip().lower() == m.group(2).strip().lower() else "1"
    if system and "grades answers related to visual video quality" in system:
        # Q-Bench-Video: Score:2 when the response equals the correct answer, else Score:0.
        m = re.search(r"evaluate whether the response (.*) completely matches the correct answer (.*)\.\nFirst", text, re.S)
        return "Score:2" if m and m.group(1).strip().lower() == m.group(2).strip().lower() else "Score:0"
    if "based on a detailed description of a video or image:" in text:
        # Video-MMLU CAP and VDC, round 1: answers every question with the caption itself.
        m = re.search(r"\ndetailed description: (.*)\nquestion: ", text, re.S)
        return m.group(1).strip() if m else ""
    if "video-based question-answer pair" in text:
        # MovieChat-1K: yes/5 when the predicted answer equals the correct one, else no/1.
        m = re.search(r"Correct Answer: (.*)\n\n +Predicted Answer: (.*)\n\n\n", text, re.S)
        same = m and m.group(1).strip().lower() == m.group(2).strip().lower()
        return "{'pred': 'yes', 'score': 5}" if same else "{'pred': 'no', 'score': 1}"
    if text.startswith("You are an expert grading assistant.\n"):
        # The EASI grading prompt: A (correct) when the candidate's last standalone letter A-F is
        # the standard answer's letter, B when it is another, C\tN/A when it has none.
        gold = re.search(r"<Standard Answer Begin>\n(.*?)\n<Standard Answer End>", text, re.S)
        cand = re.search(r"<Candidate's Answer Begin>\n(.*?)\n<Candidate's Answer End>", text, re.S)
        letters = re.findall(r"\b([A-F])\b", cand.group(1) if cand else "")
        if not letters:
            return "C\tN/A"
        right = gold and gold.group(1).strip()[:1] == letters[-1]
        return ("A" if right else "B") + "\t" + letters[-1]
    if text.startswith("Bellow is a description of a video clip:\nVideo Description: "):
        # DREAM-1K, round 1: every sentence of the caption is an event.
        cap = text.split("Video Description: ", 1)[1].split("\n\nExtract at most 10 key events", 1)[0]
        return json.dumps({"events": [e.strip() + "." for e in cap.split(".") if e.strip()]})
    if text.startswith("Given a video description and a list of events."):
        # DREAM-1K, round 2: an event is entailed when the description contains it (lower-cased).
        m = re.search(r"Video Description:\n(.*)\n\nEvents: (.*)\nOutput a JSON formed as:", text, re.S)
        desc, events = m.group(1).lower(), ast.literal_eval(m.group(2))
        return json.dumps({"events": [{"event": e, "relationship": "entailment" if e.lower() in desc else "neutral", "reason": "r"}
                                      for e in events]})
    if system and system.startswith("You are an AI assistant who will help me to extract an answer of a question."):
        # VCR-Bench (a): the response's last standalone letter A-E, else Z.
        letters = re.findall(r"\b([A-E])\b", text.split("\nAnswer: ", 1)[-1])
        return letters[-1] if letters else "Z"
    if system and system.startswith("You are an AI assistant who will help me to judge whether two answers are consistent."):
        # VCR-Bench (b): 1 when the model answer equals the standard answer.
        m = re.search(r"\n\[Model Answer\]: (.*)\n\[Standard Answer\]: (.*)\nYour output:$", text, re.S)
        return "1" if m and m.group(1).strip() == m.group(2).strip() else "0"
    if system and ("reformat it into well-structured steps" in system or system.startswith("You are an expert system for verifying")):
        # VCR-Bench (c) precision: the solution's sentences, Matched when the ground truth holds
        # them; (d) recall: the ground truth's sentences, Matched when the solution holds them.
        m = re.search(r"\[Solution\]:(.*)\n\[Ground Truth Information\]:(.*)$", text, re.S)
        sol, gt = m.group(1), m.group(2)
        recall = system.startswith("You are an expert system")
        steps = [s.strip() for s in (gt if recall else sol).split(".") if s.strip()]
        other = (sol if recall else gt).lower()
        miss = "Unmatched" if recall else "Wrong"
        return json.dumps([{"step": s, "step_type": "Video Description Steps", "judgment": "Matched" if s.lower() in other else miss}
                           for s in steps])
    if system and system.startswith("You will be provided with a question, a model's prediction, and the ground truth"):
        # CG-Bench open-ended, round 1: 1 when the prediction is the answer, 2 (look at the frames)
        # when it says maybe, else 0. Round 2 (shown the clue frames): 1.
        m = re.search(r"The ground truth answer is '(.*)'\n\nThe model's prediction is '(.*)'\n\n", text, re.S)
        verdict = 1 if m and m.group(1) == m.group(2) else 2 if m and "maybe" in m.group(2) else 0
        return '```json\n{"result": %d}\n```' % verdict
    if system and system.startswith("You will be provided with a question, a model's prediction, and the sampling frames"):
        return '```json\n{"result": 1}\n```'
    if "match an answer with several options" in text:
        tail = text.split("Example 3:")[-1]
        m = re.search(r"\nAnswer: (.*)\nYour output", tail, re.S)
        answer = m.group(1).lower() if m else ""
        for letter, option in re.findall(r"\n([A-Z])\. (.*)", tail):
            if option.strip().lower() and option.strip().lower() in answer:
                return letter
        return "Z"
    return None


def validate(req):
    if not isinstance(req, dict):
        return "body is not an object"
    if not isinstance(req.get("model"), str):
        return "model must be a string"
    msgs = req.get("messages")
    if not isinstance(msgs, list) or not msgs:
        return "messages must be a non-empty list"
    images = 0
    for m in msgs:
        if m.get("role") not in ("system", "user", "assistant"):
            return "bad role"
        c = m.get("content")
        if isinstance(c, str):
            continue
        if not isinstance(c, list):
            return "content must be a string or a list"
        for p in c:
            t = p.get("type")
            if t == "text":
                if not isinstance(p.get("text"), str) or p["text"] == "":
                    return "empty or missing text part"
            elif t == "image_url":
                url = p.get("image_url", {}).get("url", "")
                if not url.startswith("data:image/"):
                    return "image url is not a data URL"
                raw = base64.b64decode(url.split(",", 1)[1], validate=True)
                if not (raw[:3] == b"\xff\xd8\xff" or raw[:8] == b"\x89PNG\r\n\x1a\n"):
                    return "image is not a JPEG or PNG"
                images += 1
            elif t == "video_url":
                pass
            elif t == "input_audio":
                # OpenAI's form (vLLM takes it too): bare base64 of a WAV, format "wav".
                audio = p.get("input_audio")
                if not isinstance(audio, dict) or audio.get("format") != "wav" or not isinstance(audio.get("data"), str):
                    return "input_audio must have string data and format 'wav'"
                try:
                    raw = base64.b64decode(audio["data"], validate=True)
                except ValueError:
                    return "input_audio data is not base64"
                if len(raw) < 44 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE" or raw[12:16] != b"fmt ":
                    return "input_audio data is not a RIFF/WAVE file"
                fmt, channels, rate, bits = struct.unpack("<HHI6xH", raw[20:36])
                if fmt != 1 or bits != 16 or rate != int(os.environ.get("FAKE_AUDIO_RATE", "44100")):
                    return "input_audio is not 16-bit PCM at the expected rate (%d Hz, %d bits)" % (rate, bits)
            else:
                return "unknown part type %r" % t
    for k in ("temperature", "max_tokens"):
        if k in req and not isinstance(req[k], (int, float)):
            return "%s must be a number" % k
    return images


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body, headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        # vLLM's readiness endpoints.
        if self.path.rstrip("/").endswith("/models"):
            # llama.cpp lists its one model "owned_by": "llamacpp" and answers any name; with
            # --strict-models the list is a server's that serves only what it lists.
            owner = "vtools-test" if args.strict_models else "llamacpp"
            return self.send(200, json.dumps({"object": "list", "data": [{"id": args.model, "object": "model", "owned_by": owner}]}))
        if self.path == "/health":
            return self.send(200, "")
        return self.send(404, '{"error":{"message":"not found"}}')

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        key = hashlib.sha1(body).hexdigest()[:12]
        with lock:
            k = attempts.get(key, 0)
            attempts[key] = k + 1
            if args.fault_rate > 0:
                fault = rng.choice(["429", "500", "503", "drop", "slow"]) if rng.random() < args.fault_rate else "ok"
            else:
                fault = faults[k] if k < len(faults) else "ok"
        try:
            req = json.loads(body)
            images = validate(req)
        except Exception as e:  # noqa: BLE001
            images = "invalid JSON body: %s" % e
        entry = {"key": key, "attempt": k + 1, "fault": fault, "path": self.path,
                 "system": system_text(req) if isinstance(req, dict) else None,
                 "params": {k2: v for k2, v in req.items() if k2 not in ("messages",)} if isinstance(req, dict) else None,
                 "auth": self.headers.get("Authorization"), "valid": not isinstance(images, str)}
        if isinstance(images, str):
            entry["problem"] = images
        else:
            entry["images"] = images
            entry["audio"] = sum(1 for m in req["messages"] if isinstance(m.get("content"), list)
                                 for p in m["content"] if p.get("type") == "input_audio")
        if args.log:
            with lock, open(args.log, "a") as f:
                f.write(json.dumps(entry) + "\n")
        global active
        with lock:
            over = args.capacity and active >= args.capacity
            if not over:
                active += 1
        if over:
            if args.log:
                with lock, open(args.log, "a") as f:
                    f.write(json.dumps({"key": key, "refused": True}) + "\n")
            return self.send(429, '{"error":{"message":"too many requests in flight"}}')
        try:
            if args.latency:
                time.sleep(args.latency)
            return self.answer(req, images, fault, key)
        finally:
            with lock:
                active -= 1

    def answer(self, req, images, fault, key):
        if isinstance(images, str):
            return self.send(400, json.dumps({"error": {"message": images}}))
        if fault == "429":
            return self.send(429, '{"error":{"message":"rate limited"}}', {"Retry-After": "0"})
        if fault == "429plain":
            return self.send(429, '{"error":{"message":"rate limited"}}')
        if fault in ("500", "503", "400"):
            return self.send(int(fault), '{"error":{"message":"injected %s"}}' % fault)
        permanent = {
            "ctx": (400, {"error": {"code": 400, "message": "the request exceeds the available context size, try increasing it",
                                    "type": "exceed_context_size_error", "n_prompt_tokens": 5000, "n_ctx": 4096}}),
            "ctx500": (500, {"error": {"code": 500, "message": "Prompt exceeds n_ctx: 5000 > 4096", "type": "server_error"}}),
            "vllmctx": (400, {"object": "error", "message": "This model's maximum context length is 32768 tokens. However, you requested "
                              "40000 tokens (39000 in the messages, 1000 in the completion). Please reduce the length of the messages or "
                              "completion.", "type": "BadRequestError", "param": None, "code": 400}),
            "images": (400, {"object": "error", "message": "At most 4 image(s) may be provided in one prompt.",
                             "type": "BadRequestError", "param": None, "code": 400}),
            "bitmap": (500, {"error": {"code": 500, "message": "Failed to create bitmap from image", "type": "server_error"}}),
        }
        if fault in permanent:
            status, obj = permanent[fault]
            return self.send(status, json.dumps(obj))
        if fault.startswith("think"):
            msg = {"role": "assistant", "content": " B "}
            finish = "stop"
            if fault == "think":
                msg["reasoning_content"] = "The cup is red, so B."
            elif fault == "thinkr":
                msg["reasoning"] = "The cup is red, so B."
            elif fault == "thinkinline":
                msg["content"] = "<think>\nThe cup is red, so B.\n</think>\n\nB"
            elif fault == "thinkcut":
                msg["content"] = "<think>\nThe cup is red, but maybe"
                finish = "length"
            resp = {"id": "chatcmpl-" + key, "object": "chat.completion", "model": req["model"],
                    "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}}
            return self.send(200, json.dumps(resp))
        if fault == "slow":
            time.sleep(3)
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault == "badjson":
            return self.send(200, "{not json")
        if fault == "empty":
            return self.send(200, json.dumps({"id": "x", "object": "chat.completion", "choices": []}))
        text = " ".join(p.get("text", "") for m in req["messages"] if isinstance(m["content"], list) for p in m["content"])
        answer = judge(system_text(req), text)
        if answer is None:
            answer = "images=%d" % images + (" A" if "Options" in text or "(A)" in text else "")
        resp = {"id": "chatcmpl-" + key, "object": "chat.completion", "model": req["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": " " + answer + " "}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10 + images, "completion_tokens": 2, "total_tokens": 12 + images}}
        self.send(200, json.dumps(resp))


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that hangs up mid-answer (vinfer's time-outs and cancellations, on purpose)
        # is not an error of the server; anything else is printed as usual.
        import sys
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


server = Server(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402
os.rename(args.port_file + ".tmp", args.port_file)
server.serve_forever()
