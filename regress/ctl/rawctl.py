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
# A hostile or careless control client, for run.sh.
#   rawctl.py TOP SOCKET CASE [ARG]
# Prints "reply CODE TEXT" for each result the agent sends, then
# "closed" when it closed the connection or "open" when it did not.

import os
import re
import socket
import struct
import sys
import time

HDR = struct.Struct("=IHHII")		# type, len, flags, peerid, pid
REQ_LEN = 128 + 4 + 4			# struct ctl_req_msg
RES = struct.Struct("=II512s")		# struct ctl_result_msg

top, path, case = sys.argv[1], sys.argv[2], sys.argv[3]
arg = sys.argv[4] if len(sys.argv) > 4 else None

# The imsg numbers, in the order of common/moenet.h's list.
src = open(os.path.join(top, "common/moenet.h")).read()
names = re.findall(r"X\((IMSG_\w+)\)", src)
T = {n: i for i, n in enumerate(names)}
VERSION = int(re.search(r"#define IMSG_VERSION\s+(\d+)", src).group(1))


def msg(typ, payload=b"\0" * REQ_LEN, peerid=VERSION):
	return HDR.pack(typ, HDR.size + len(payload), 0, peerid,
	    os.getpid()) + payload


def replies(s, timeout=5):
	"""Results until the agent closes, or timeout."""
	s.settimeout(timeout)
	buf = b""
	closed = False
	try:
		while True:
			d = s.recv(65536)
			if not d:
				closed = True
				break
			buf += d
	except socket.timeout:
		pass
	except ConnectionResetError:
		closed = True
	while len(buf) >= HDR.size:
		typ, ln, _, peerid, _ = HDR.unpack_from(buf)
		if typ == T["IMSG_CTL_RESULT"]:
			code, _, text = RES.unpack_from(buf, HDR.size)
			print("reply", code, text.rstrip(b"\0").decode(),
			    "version-ok" if peerid == VERSION else "version-bad")
		else:
			print("other", names[typ] if typ < len(names) else typ)
		buf = buf[ln:]
	print("closed" if closed else "open")


s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
if case != "limit":
	s.connect(path)
if case == "garbage":
	s.sendall(b"\xff" * 64)
	replies(s)
elif case == "version":
	s.sendall(msg(T["IMSG_CTL_SHOW_STATUS"], peerid=VERSION + 98))
	replies(s)
elif case == "oversize":
	s.sendall(msg(T["IMSG_CTL_SHOW_STATUS"], payload=b"A" * 8000))
	replies(s)
elif case == "unknown":
	s.sendall(msg(T["IMSG_HELLO"]))
	replies(s)
elif case == "short":
	s.sendall(msg(T["IMSG_CTL_SHOW_STATUS"], payload=b"abc"))
	replies(s)
elif case == "fdpass":
	socket.send_fds(s, [msg(T["IMSG_CTL_SHOW_STATUS"])], [0])
	replies(s)
elif case == "slow":
	# Ask and never read; the agent must drop us, not queue forever.
	closed = False
	try:
		s.sendall(msg(T["IMSG_CTL_SHOW_STATUS"]) * 8000)
	except (BrokenPipeError, ConnectionResetError):
		closed = True		# dropped while still asking
	deadline = time.time() + 20
	while "does not read its replies" not in open(arg).read():
		if time.time() > deadline:
			print("not-logged")
			break
		time.sleep(0.1)
	s.settimeout(5)
	try:
		while not closed:
			if not s.recv(1 << 20):
				closed = True
				break
	except socket.timeout:
		pass
	except ConnectionResetError:
		closed = True
	print("closed" if closed else "open")
elif case == "limit":
	# arg connections held open, then one more.
	held = []
	for i in range(int(arg)):
		c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		c.connect(path)
		c.sendall(msg(T["IMSG_CTL_SHOW_STATUS"]))
		held.append(c)
	# Each held one answered, so the agent has taken it on.
	for c in held:
		c.settimeout(5)
		c.recv(1)
	s.connect(path)
	replies(s)
else:
	sys.exit("unknown case " + case)
