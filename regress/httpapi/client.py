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
#
# Raw HTTP clients for what curl cannot do: bytes that are not HTTP,
# slow clients, many connections at once.  Every socket has a timeout.
#
#   client.py HOST PORT raw HEX          send bytes, print the answer's
#                                        status code and JSON body check
#   client.py HOST PORT slow             slowloris: print status, seconds
#   client.py HOST PORT parallel N       N at once: print code counts
#   client.py HOST PORT hold N           N idle connections, then
#                                        requests until one is refused:
#                                        print its code, then the codes the
#                                        idle ones got, seconds

import json
import socket
import sys
import threading
import time

TIMEOUT = 15


def connect(host, port):
    s = socket.create_connection((host, port), timeout=TIMEOUT)
    return s


def read_all(s):
    data = b""
    while True:
        try:
            d = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not d:
            break
        data += d
    return data


def status_of(data):
    line = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        return "none"
    return parts[1]


def body_is_json_error(data):
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        obj = json.loads(body)
    except ValueError:
        return False
    return isinstance(obj, dict) and "error" in obj and "status" in obj


def request(host, port, raw):
    s = connect(host, port)
    try:
        s.sendall(raw)
        return read_all(s)
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        s.close()


def main():
    host, port, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if cmd == "raw":
        data = request(host, port, bytes.fromhex(sys.argv[4]))
        print(status_of(data), "json" if body_is_json_error(data) else
              "nojson")
    elif cmd == "slow":
        s = connect(host, port)
        t0 = time.time()
        s.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\n")
        data = b""
        # One header byte a second, as a slowloris does, until cut off.
        while time.time() - t0 < TIMEOUT:
            try:
                s.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                break
            s.settimeout(1)
            try:
                d = s.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                break
            if not d:
                break
            data += d
        s.settimeout(TIMEOUT)
        data += read_all(s)
        print(status_of(data), round(time.time() - t0, 1))
    elif cmd == "parallel":
        n = int(sys.argv[4])
        codes = [None] * n
        go = threading.Event()

        def one(i):
            go.wait()
            try:
                codes[i] = status_of(request(
                    host, port, b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n"))
            except OSError as e:
                codes[i] = type(e).__name__
        ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in ts:
            t.start()
        go.set()
        for t in ts:
            t.join()
        counts = {}
        for c in codes:
            counts[c] = counts.get(c, 0) + 1
        print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
    elif cmd == "hold":
        n = int(sys.argv[4])
        held = [connect(host, port) for _ in range(n)]
        t0 = time.time()
        # Until the server has taken them all (or the limit shows),
        # within less than its read timeout.
        code = "none"
        while time.time() - t0 < 4 and code != "503":
            code = status_of(request(
                host, port, b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n"))
            if code != "503":
                time.sleep(0.1)
        codes = {}
        for s in held:
            c = status_of(read_all(s))
            codes[c] = codes.get(c, 0) + 1
            s.close()
        print(code, " ".join("%s=%d" % kv for kv in sorted(codes.items())),
              round(time.time() - t0, 1))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
