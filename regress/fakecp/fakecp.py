#!/usr/bin/env python3
# Copyright (c) 2026 The moenet-agent authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

"""A fake MoeNet control plane for tests (Python 3 standard library only).

Serves every endpoint of CONTRACT.md under /api/v1/agent/, over HTTPS (or
plain HTTP with --http), for the nodes in a JSON state file that tests
edit; the file is read again on every request.  Every request is logged
as one JSON line (the bearer token is never written).  Faults are set per
endpoint in the state file ("faults") or with POST /_fakecp/fault.

State file:
  {"token": "...",                      (or --token)
   "listen": true,                      (false: stop accepting)
   "nodes": {"<name>": {"config": {...}, "sessions": [...],
                        "mesh": {...}, "birdConfig": {...}}},
   "faults": {"<endpoint>|*": {"mode": "<mode>", "count": N,
                               "retryAfter": S, "size": BYTES}}}
Endpoints: config sessions modify heartbeat report mesh mesh/status rtt
bird-config.  Modes: 500 429 401 hang close truncate malformed wrongtypes
oversize empty cperror.
"""

import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

PREFIX = "/api/v1/agent/"
MODES = ("500", "429", "401", "hang", "close", "truncate", "malformed",
         "wrongtypes", "oversize", "empty", "cperror")
ENDPOINTS = ("config", "sessions", "modify", "heartbeat", "report", "mesh",
             "mesh/status", "rtt", "bird-config")
MAX_BODY = 1 << 20


class State:
    """The state file, read on every request, written back atomically."""

    def __init__(self, path, token):
        self.path = path
        self.token = token
        self.lock = threading.Lock()

    def load(self):
        try:
            with open(self.path) as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            sys.stderr.write("fakecp: state %s: %s\n" % (self.path, e))
            return {}

    def save(self, st):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(st, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, self.path)

    def expected_token(self, st):
        return self.token or st.get("token", "")

    def take_fault(self, endpoint):
        """The fault for endpoint, counting down a limited one."""
        with self.lock:
            st = self.load()
            faults = st.get("faults") or {}
            for key in (endpoint, "*"):
                f = faults.get(key)
                if not f:
                    continue
                if isinstance(f, str):
                    f = {"mode": f}
                if "count" in f:
                    if f["count"] <= 0:
                        continue
                    f["count"] -= 1
                    faults[key] = f
                    st["faults"] = faults
                    self.save(st)
                return f
        return None


class Log:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, rec):
        line = json.dumps(rec, sort_keys=True)
        with self.lock:
            with open(self.path, "a") as f:
                f.write(line + "\n")


def envelope(data, code=0, message="success"):
    return {"code": code, "message": message, "data": data}


class Handler(BaseHTTPRequestHandler):
    server_version = "fakecp/1"
    protocol_version = "HTTP/1.1"

    def setup(self):
        self.request.settimeout(30)
        # The headers and the body go out in two writes: with Nagle the
        # body waits for the client's delayed ACK of the headers (40 ms
        # on Linux), which the real control plane (Go's net/http sets
        # TCP_NODELAY) never costs, and which a benchmark would count
        # as the agent's.
        try:
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                    1)
        except OSError:
            pass
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.close_connection = True
                raise
        super().setup()

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, OSError, ConnectionError):
            pass

    def log_message(self, fmt, *args):
        pass

    # -- plumbing

    def record(self, status, body):
        token = self.server.state.expected_token(self.server.state.load())
        headers = {}
        for k, v in self.headers.items():
            if k.lower() == "authorization":
                v = "Bearer <redacted>" if v.startswith("Bearer ") \
                    else "<redacted>"
            elif token and token in v:
                v = v.replace(token, "<redacted>")
            headers[k] = v
        text = body.decode("utf-8", "replace") if body else ""
        if token:
            text = text.replace(token, "<redacted>")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        path = self.path
        if token:
            path = path.replace(token, "<redacted>")
        self.server.log.write({"time": time.time(), "method": self.command,
                               "path": path, "headers": headers,
                               "body": parsed, "status": status})

    def send(self, status, obj=None, raw=None, extra=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            return None
        return self.rfile.read(n) if n else b""

    def authorized(self, st):
        token = self.server.state.expected_token(st)
        return bool(token) and \
            self.headers.get("Authorization", "") == "Bearer " + token

    # -- requests

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        body = self.read_body()
        if body is None:
            self.record(413, b"")
            self.send(413, envelope(None, 413, "body too large"))
            return
        st = self.server.state.load()
        if not self.authorized(st):
            self.record(401, body)
            self.send(401, envelope(None, 401, "unauthorized"))
            return
        if self.path.startswith("/_fakecp/"):
            self.record(200, body)
            self.control(self.path[len("/_fakecp/"):], body)
            return
        if not self.path.startswith(PREFIX):
            self.record(404, body)
            self.send(404, envelope(None, 404, "not found"))
            return
        rest = self.path[len(PREFIX):].split("?", 1)[0]
        if rest == "heartbeat":
            node, endpoint = None, "heartbeat"
        elif "/" in rest:
            node, endpoint = rest.split("/", 1)
            node = unquote(node)
        else:
            node, endpoint = None, rest
        method = "GET" if endpoint in ("config", "sessions", "mesh",
                                       "bird-config") else "POST"
        if endpoint not in ENDPOINTS or self.command != method:
            self.record(404, body)
            self.send(404, envelope(None, 404, "no such endpoint"))
            return
        fault = self.server.state.take_fault(endpoint)
        if fault and fault.get("mode") in ("hang", "close", "401", "500",
                                           "429"):
            self.record(int(fault["mode"]) if fault["mode"].isdigit()
                        else 0, body)
            self.fail(fault)
            return
        nodes = st.get("nodes") or {}
        if node is not None and node not in nodes:
            self.record(404, body)
            self.send(404, envelope(None, 404, "router not found"))
            return
        if method == "POST":
            try:
                req = json.loads(body.decode("utf-8")) if body else None
            except ValueError:
                req = None
            if not isinstance(req, dict):
                self.record(400, body)
                self.send(400, envelope(None, 400, "invalid JSON body"))
                return
            status, reply = self.post(endpoint, node, req)
        else:
            status, reply = 200, envelope(self.get(endpoint, nodes[node]))
        self.record(status, body)
        if fault:
            self.fail(fault, reply, endpoint)
        else:
            self.send(status, reply)

    def get(self, endpoint, n):
        if endpoint == "config":
            return n.get("config") or {}
        if endpoint == "sessions":
            return {"bgpSessions": n.get("sessions") or []}
        if endpoint == "mesh":
            return n.get("mesh") or {"peers": []}
        return n.get("birdConfig") or {}

    def post(self, endpoint, node, req):
        if endpoint != "modify":
            return 200, envelope(None)
        uuid = req.get("uuid")
        status = req.get("status")
        if not isinstance(uuid, str) or not isinstance(status, int) or \
                isinstance(status, bool) or not 0 <= status <= 8:
            return 422, envelope(None, 422, "invalid modify")
        with self.server.state.lock:
            st = self.server.state.load()
            sessions = st["nodes"][node].setdefault("sessions", [])
            for i, s in enumerate(sessions):
                if s.get("uuid") == uuid:
                    break
            else:
                return 404, envelope(None, 404, "session not found")
            if status == 0:
                del sessions[i]
            else:
                s["status"] = status
                if req.get("lastError"):
                    s["lastError"] = req["lastError"]
                else:
                    s.pop("lastError", None)
            self.server.state.save(st)
        return 200, envelope(None)

    def fail(self, fault, reply=None, endpoint=None):
        mode = fault.get("mode")
        if mode == "hang":
            # Accept, read, then never answer; end with the client.
            deadline = time.time() + float(fault.get("seconds", 3600))
            self.request.settimeout(0.2)
            while time.time() < deadline and not self.server.stopping:
                try:
                    if self.request.recv(1) == b"":
                        break
                except (socket.timeout, ssl.SSLWantReadError):
                    continue
                except OSError:
                    break
            self.close_connection = True
        elif mode == "close":
            self.close_connection = True
            self.request.shutdown(socket.SHUT_RDWR)
        elif mode == "401":
            self.send(401, envelope(None, 401, "unauthorized"))
        elif mode == "500":
            self.send(500, envelope(None, 500, "internal error"))
        elif mode == "429":
            self.send(429, envelope(None, 429, "slow down"),
                      extra={"Retry-After": str(fault.get("retryAfter", 5))})
        elif mode == "truncate":
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.request.shutdown(socket.SHUT_RDWR)
        elif mode == "malformed":
            self.send(200, raw=b'{"code":0,"data":{"bgpSessions":[{"uuid":')
        elif mode == "wrongtypes":
            data = {"bgpSessions": {"uuid": 1}, "peers": "none",
                    "node": [], "policy": 42, "configHash": False}
            self.send(200, envelope(data, code="0"))
        elif mode == "oversize":
            size = int(fault.get("size", 9 * 1024 * 1024))
            pad = b" " * max(0, size - 64)
            self.send(200, raw=b'{"code":0,"data":' + pad +
                      b'{"bgpSessions":[]}}')
        elif mode == "empty":
            empty = {"sessions": {"bgpSessions": []},
                     "mesh": {"peers": []}}.get(endpoint, {})
            self.send(200, envelope(empty))
        elif mode == "cperror":
            self.send(200, envelope(None, int(fault.get("code", 500)),
                                    fault.get("message", "cp failure")))

    def control(self, what, body):
        try:
            req = json.loads(body.decode("utf-8")) if body else {}
        except ValueError:
            req = None
        if not isinstance(req, dict):
            self.send(400, envelope(None, 400, "invalid JSON body"))
            return
        with self.server.state.lock:
            st = self.server.state.load()
            if what == "fault":
                ep, mode = req.get("endpoint"), req.get("mode")
                if (ep not in ENDPOINTS and ep != "*") or mode not in MODES:
                    self.send(400, envelope(None, 400, "bad fault"))
                    return
                f = dict(req)
                del f["endpoint"]
                st.setdefault("faults", {})[ep] = f
            elif what == "clear":
                st["faults"] = {}
            elif what == "listen":
                st["listen"] = bool(req.get("listen", True))
            else:
                self.send(404, envelope(None, 404, "no such control"))
                return
            self.server.state.save(st)
        self.send(200, envelope(None))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    stopping = False


def make_server(args, state, log, port, ctx):
    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    Server.address_family = family
    srv = Server((args.bind, port), Handler)
    srv.state = state
    srv.log = log
    if ctx is not None:
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)
    return srv


def main():
    ap = argparse.ArgumentParser(description="fake MoeNet control plane")
    ap.add_argument("--bind", default="127.0.0.1",
                    help="127.0.0.1 or ::1 (loopback only)")
    ap.add_argument("--port", type=int, default=0, help="0: pick one")
    ap.add_argument("--port-file", help="write the port here when ready")
    ap.add_argument("--state", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--token", help="bearer token (else state 'token')")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--http", action="store_true", help="plain HTTP")
    args = ap.parse_args()

    if args.bind not in ("127.0.0.1", "::1", "localhost"):
        ap.error("--bind must be a loopback address")
    if args.bind == "localhost":
        args.bind = "127.0.0.1"
    ctx = None
    if not args.http:
        if not args.cert or not args.key:
            ap.error("--cert and --key are needed without --http")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.cert, args.key)

    state = State(args.state, args.token)
    log = Log(args.log)
    srv = make_server(args, state, log, args.port, ctx)
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    print("port %d" % port, flush=True)

    # The main thread watches "listen": closing the listening socket is
    # how a test makes connections be refused.
    try:
        while True:
            th = threading.Thread(target=srv.serve_forever,
                                  kwargs={"poll_interval": 0.1}, daemon=True)
            th.start()
            while state.load().get("listen", True):
                time.sleep(0.1)
            srv.shutdown()
            srv.server_close()
            while not state.load().get("listen", True):
                time.sleep(0.1)
            srv = make_server(args, state, log, port, ctx)
    except KeyboardInterrupt:
        pass
    finally:
        srv.stopping = True


if __name__ == "__main__":
    main()
