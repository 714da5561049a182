#!/usr/bin/env python3
"""A loopback server that answers the Hugging Face hub calls vdata (and huggingface_hub) make, for
vtools' tests (standard library only). It serves the repo folders make_hub_repos.py writes.

usage: fake_hub_server.py --repos DIR --port-file F [--log F] [--page-size N] [--gated ORG/NAME --token T]
                          [--drop-once PATH:BYTES] [--corrupt-once PATH] [--hold PATH:BYTES] [--gzip-small]

Repos: each folder `{org}--{name}` of DIR is branch main of dataset repo org/name, `{org}--{name}@{branch}`
another branch; each branch is one commit (a sha1 of its file list and contents).

  GET  /api/datasets/{repo}/revision/{rev}     {"id", "sha", "siblings": [{"rfilename"}]}
  GET  /api/datasets/{repo}/tree/{rev}?recursive=true   the files and folders, --page-size a page, the next
                                               page in `Link: <...>; rel="next"`
  HEAD|GET /datasets/{repo}/resolve/{rev}/{path}
       small files (json, md, ...): 200, ETag = the git blob id, X-Repo-Commit, the bytes (gzip-encoded and
       chunked, with no length, under --gzip-small);
       large files (zip, parquet, pkl, mp4, tar or over 4 kB, as LFS): 302 to the "CDN" (a second port, so
       another host), X-Linked-Etag = sha256, X-Linked-Size, ETag and Content-Length of the pointer
  GET  (CDN) /cdn/{sha256}                     the bytes, `Range: bytes=N-` answered 206

Errors as the hub gives them: an unknown repo 401 with X-Error-Code RepoNotFound, an unknown revision 404
RevisionNotFound, an unknown file 404 EntryNotFound; a --gated repo's metadata is public and resolve answers
401 (GatedRepo) without `Authorization: Bearer T`.
Faults, each once: --drop-once PATH:BYTES closes the CDN connection after BYTES bytes of PATH;
--corrupt-once PATH flips a byte of PATH's first CDN download; --hold PATH:BYTES sends BYTES bytes of PATH,
logs {"event": "held"} and keeps the connection open until the client goes away.
--log F: one JSON line per request: method, host (hub|cdn), path, range, auth (an Authorization header came).
"""
import argparse
import gzip
import hashlib
import json
import os
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--repos", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--log")
ap.add_argument("--page-size", type=int, default=1000)
ap.add_argument("--gated", default="")
ap.add_argument("--token", default="")
ap.add_argument("--drop-once", default="")
ap.add_argument("--corrupt-once", default="")
ap.add_argument("--hold", default="")
ap.add_argument("--gzip-small", action="store_true")
args = ap.parse_args()

LFS_EXT = (".zip", ".parquet", ".pkl", ".mp4", ".tar", ".gz", ".tgz")
lock = threading.Lock()
fired = set()


def log(entry):
    if not args.log:
        return
    with lock:
        with open(args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")


def once(name):
    with lock:
        if name in fired:
            return False
        fired.add(name)
        return True


class Repo:
    def __init__(self, folder):
        self.folder = folder
        self.files = {}  # path -> dict
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for n in sorted(names):
                full = os.path.join(base, n)
                rel = os.path.relpath(full, folder).replace(os.sep, "/")
                data = open(full, "rb").read()
                lfs = rel.endswith(LFS_EXT) or len(data) > 4096
                blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
                entry = {"path": rel, "size": len(data), "oid": blob, "data": data}
                if lfs:
                    sha = hashlib.sha256(data).hexdigest()
                    pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (sha, len(data))).encode()
                    entry["lfs"] = {"oid": sha, "size": len(data), "pointerSize": len(pointer)}
                    entry["oid"] = hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()
                self.files[rel] = entry
        h = hashlib.sha1()
        for p in sorted(self.files):
            h.update(p.encode() + b"\0" + self.files[p]["oid"].encode() + b"\n")
        self.sha = h.hexdigest()

    def tree(self):
        out, dirs = [], set()
        for p in sorted(self.files):
            parts = p.split("/")
            for i in range(1, len(parts)):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    out.append({"type": "directory", "oid": hashlib.sha1(d.encode()).hexdigest(), "size": 0, "path": d})
            e = self.files[p]
            item = {"type": "file", "oid": e["oid"], "size": e["size"], "path": p}
            if "lfs" in e:
                item["lfs"] = e["lfs"]
            out.append(item)
        return out


repos = {}  # "org/name" -> {branch: Repo}
for name in sorted(os.listdir(args.repos)):
    if "--" not in name or not os.path.isdir(os.path.join(args.repos, name)):
        continue
    repo, _, branch = name.partition("@")
    org, _, rname = repo.partition("--")
    repos.setdefault(org + "/" + rname, {})[branch or "main"] = Repo(os.path.join(args.repos, name))
blobs = {}
for branches in repos.values():
    for r in branches.values():
        for e in r.files.values():
            if "lfs" in e:
                blobs[e["lfs"]["oid"]] = e

state = {"cdn_port": 0, "hub_port": 0}


def find_revision(repo, rev):
    branches = repos.get(repo)
    if branches is None:
        return None, "repo"
    if rev in branches:
        return branches[rev], None
    for r in branches.values():
        if r.sha == rev:
            return r, None
    return None, "revision"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def note(self, where):
        log({"method": self.command, "host": where, "path": self.path, "range": self.headers.get("Range"),
             "auth": self.headers.get("Authorization") is not None})

    def send(self, status, body=b"", headers=None, length=True):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, message):
        self.send(status, json.dumps({"error": message}).encode(), {"X-Error-Code": code, "Content-Type": "application/json"})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        try:
            if self.server.kind == "cdn":
                self.note("cdn")
                return self.cdn()
            self.note("hub")
            self.hub()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def hub(self):
        u = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(p) for p in u.path.split("/")]
        # /api/datasets/{org}/{name}/revision/{rev}  |  /api/datasets/{org}/{name}/tree/{rev}
        if len(parts) >= 7 and parts[1] == "api" and parts[2] == "datasets" and parts[5] in ("revision", "tree"):
            repo = parts[3] + "/" + parts[4]
            r, missing = find_revision(repo, parts[6])
            if r is None:
                return self.missing(repo, missing)
            if parts[5] == "revision":
                body = {"id": repo, "sha": r.sha, "private": False, "gated": "manual" if repo == args.gated else False,
                        "siblings": [{"rfilename": p} for p in sorted(r.files)]}
                return self.send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
            entries = r.tree()
            q = urllib.parse.parse_qs(u.query)
            start = int(q.get("cursor", ["0"])[0])
            page = entries[start:start + args.page_size]
            headers = {"Content-Type": "application/json"}
            if start + args.page_size < len(entries):
                nxt = "http://127.0.0.1:%d%s?recursive=true&expand=false&cursor=%d" % (state["hub_port"], u.path, start + args.page_size)
                headers["Link"] = '<%s>; rel="next"' % nxt
            return self.send(200, json.dumps(page).encode(), headers)
        # /datasets/{org}/{name}/resolve/{rev}/{path...}
        if len(parts) >= 7 and parts[1] == "datasets" and parts[4] == "resolve":
            repo = parts[2] + "/" + parts[3]
            r, missing = find_revision(repo, parts[5])
            if r is None:
                return self.missing(repo, missing)
            if repo == args.gated and self.headers.get("Authorization") != "Bearer " + args.token:
                return self.error(401, "GatedRepo", "Access to dataset %s is restricted. You must have access to it and be authenticated." % repo)
            path = "/".join(parts[6:])
            e = r.files.get(path)
            if e is None:
                return self.error(404, "EntryNotFound", "%s does not exist on %s" % (path, parts[5]))
            if "lfs" in e:
                sha = e["lfs"]["oid"]
                loc = "http://127.0.0.1:%d/cdn/%s?X-Amz-Signature=fake" % (state["cdn_port"], sha)
                self.send_response(302)
                self.send_header("Location", loc)
                self.send_header("X-Repo-Commit", r.sha)
                self.send_header("X-Linked-Etag", '"%s"' % sha)
                self.send_header("X-Linked-Size", str(e["size"]))
                self.send_header("ETag", '"%s"' % e["oid"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = e["data"]
            headers = {"ETag": '"%s"' % e["oid"], "X-Repo-Commit": r.sha}
            if args.gzip_small and self.command == "GET":
                body = gzip.compress(data, mtime=0)
                self.send_response(200)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
                return
            return self.send(200, data, headers)
        self.error(404, "NotFound", "no route " + u.path)

    def missing(self, repo, what):
        if what == "repo":
            return self.error(401, "RepoNotFound", "Repository Not Found for url: %s." % self.path)
        return self.error(404, "RevisionNotFound", "Invalid rev id")

    def cdn(self):
        u = urllib.parse.urlsplit(self.path)
        sha = u.path.rsplit("/", 1)[-1]
        e = blobs.get(sha)
        if e is None:
            return self.send(404, b"NoSuchKey")
        data = e["data"]
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                return self.send(416, b"", {"Content-Range": "bytes */%d" % len(data)})
        body = data[start:]
        status = 206 if start > 0 else 200
        path = e["path"]
        if args.corrupt_once == path and start == 0 and once("corrupt"):
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if self.command == "HEAD":
            return
        for spec, event in ((args.drop_once, "drop"), (args.hold, "hold")):
            if spec and spec.rsplit(":", 1)[0] == path and once(event):
                n = int(spec.rsplit(":", 1)[1])
                self.wfile.write(body[:n])
                self.wfile.flush()
                if event == "hold":
                    log({"event": "held", "path": path, "bytes": n})
                    try:
                        self.rfile.read(1)  # blocks until the client goes away
                    except Exception:
                        pass
                self.close_connection = True
                return
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


hub = Server(("127.0.0.1", 0), Handler)
hub.kind = "hub"
cdn = Server(("127.0.0.1", 0), Handler)
cdn.kind = "cdn"
state["hub_port"] = hub.server_address[1]
state["cdn_port"] = cdn.server_address[1]
threading.Thread(target=cdn.serve_forever, daemon=True).start()
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(state["hub_port"]))
os.rename(args.port_file + ".tmp", args.port_file)
hub.serve_forever()
