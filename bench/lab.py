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

"""One benchmark lab: a network namespace of its own with its own
/run/wireguard, a real BIRD 2 logging every command it is given, and
(for the agent) the fake control plane serving N sessions.  Every lab
is thrown away after one measurement, so that runs do not inherit each
other's links, files or caches.  Also: reading CPU time and memory of
processes from /proc."""

import base64
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# Our link-local address on every tunnel, from dn42Ipv6 below.
OWN_LL = "fe80::998:101:4:1"
LOCAL_AS = 4242420001


def wait_for(seconds, pred, step=0.02):
    """Poll pred until it is true or seconds pass; its last value."""
    end = time.monotonic() + seconds
    while True:
        v = pred()
        if v or time.monotonic() >= end:
            return v
        time.sleep(step)


def sessions(n, seed=17):
    """N sessions as the control plane lists them: distinct ASNs,
    interfaces, ports and keys; passive (no endpoint), so that nothing
    but the agent's own work costs CPU while it is measured."""
    rnd = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        asn = 4242421000 + i
        key = base64.b64encode(bytes(rnd.getrandbits(8)
                                     for _ in range(32))).decode()
        out.append({
            "uuid": "bench-%04d" % i, "asn": asn, "status": 4,
            "type": "wireguard", "name": "bench peer %d" % i,
            "interface": "dn42_%d" % asn, "credential": key,
            "endpoint": "", "ipv6LinkLocal": "fe80::1:%x" % i,
            "port": 30000 + i, "mtu": 1420,
            "extensions": ["mp-bgp", "extended-nexthop"]})
    return out


def peer_file(s):
    """A peer's BIRD file as an operator writes it by hand (the
    baselines): what the agent renders, give or take the description."""
    return ("protocol bgp dn42_%d from dn42_peer {\n"
            "\tneighbor %s%%%s as %d;\n"
            "\tsource address %s;\n"
            "\tpassive on;\n"
            "}\n" % (s["asn"], s["ipv6LinkLocal"], s["interface"],
                     s["asn"], OWN_LL))


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


class Lab:
    seq = 0

    def __init__(self, tag, keep=False):
        Lab.seq += 1
        self.ns = "mnt-bench-%d-%d" % (os.getpid(), Lab.seq)
        self.dir = tempfile.mkdtemp(prefix="mnt-bench-%s-" % tag)
        os.chmod(self.dir, 0o755)
        self.keep = keep
        self.procs = []
        self.bird_pid = None
        # The mount point of each lab's own /run/wireguard (a fresh
        # guest has none).
        os.makedirs("/run/wireguard", exist_ok=True)
        for d in ("wg", "peers", "state", "ibgp", "policy"):
            os.mkdir(os.path.join(self.dir, d))
        run(["ip", "netns", "add", self.ns])
        run(["ip", "-n", self.ns, "link", "set", "lo", "up"])
        with open(self.path("key"), "w") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(run(["wg", "genkey"]).stdout)

    def path(self, *p):
        return os.path.join(self.dir, *p)

    def cmd(self, argv):
        """argv run in the namespace, with the lab's /run/wireguard."""
        return ["ip", "netns", "exec", self.ns, "sh", "-c",
                'mount --bind "$0" /run/wireguard && exec "$@"',
                self.path("wg")] + list(argv)

    def start_bird(self):
        with open(self.path("bird.conf"), "w") as f:
            f.write("""log "%(d)s/bird.log" all;
debug commands 2;
router id 192.0.2.1;
include "%(d)s/maintenance.conf";
protocol device { scan time 10; }
filter dn42_import_filter { accept; }
filter dn42_export_filter { reject; }
template bgp dn42_peer {
	local as %(as)d;
	hold time 90; connect retry time 120;
	ipv4 { import filter dn42_import_filter; export filter dn42_export_filter; };
	ipv6 { import filter dn42_import_filter; export filter dn42_export_filter; };
}
include "%(d)s/peers/*.conf";
""" % {"d": self.dir, "as": LOCAL_AS})
        with open(self.path("maintenance.conf"), "w") as f:
            f.write("define MAINTENANCE_MODE = false;\n")
        run(["ip", "netns", "exec", self.ns, "bird", "-c",
             self.path("bird.conf"), "-s", self.path("bird.ctl"),
             "-P", self.path("bird.pid")])
        def pid():
            try:
                with open(self.path("bird.pid")) as f:
                    return int(f.read())
            except (OSError, ValueError):
                return None
        self.bird_pid = wait_for(10, pid)

    def birdc(self, *args):
        return run(["birdc", "-s", self.path("bird.ctl")] + list(args),
                   check=False).stdout

    def bird_commands(self):
        """Commands BIRD logged so far (debug commands 2), in order."""
        try:
            with open(self.path("bird.log"), errors="replace") as f:
                return [l.split("CLI: ", 1)[1].strip() for l in f
                        if "CLI: " in l and "<--" not in l and
                        "Connected" not in l and "Closed" not in l]
        except OSError:
            return []

    def protocols_since(self):
        """BIRD protocol name -> its state and since column."""
        out = {}
        for l in self.birdc("show", "protocols").splitlines():
            f = l.split()
            if len(f) >= 5 and f[0].startswith("dn42_"):
                out[f[0]] = " ".join(f[3:6])
        return out

    def spawn(self, argv, log, env=None):
        p = subprocess.Popen(self.cmd(argv), stdout=open(log, "ab"),
                             stderr=subprocess.STDOUT, env=env,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def pids(self):
        r = run(["ip", "netns", "pids", self.ns], check=False)
        return [int(x) for x in r.stdout.split() if x.isdigit()]

    def wg_pids(self):
        """Interface -> pid of the wireguard-go serving it."""
        out = {}
        for p in self.pids():
            a = cmdline(p)
            if a and os.path.basename(a[0]) == "wireguard-go":
                out[[x for x in a[1:] if not x.startswith("-")][0]] = p
        return out

    def links(self):
        """Interface -> (mtu, up, addresses) of the tunnels."""
        r = run(["ip", "-n", self.ns, "-j", "addr", "show"], check=False)
        out = {}
        for l in json.loads(r.stdout or "[]"):
            if l["ifname"].startswith("dn42_"):
                out[l["ifname"]] = (l.get("mtu"), "UP" in l.get("flags", []),
                                    tuple(sorted(a["local"] for a in
                                                 l.get("addr_info", []))))
        return out

    def wg_ports(self):
        r = run(self.cmd(["wg", "show", "all", "listen-port"]), check=False)
        return dict(l.split() for l in r.stdout.splitlines()
                    if len(l.split()) == 2)

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except OSError:
                    pass
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        # Deleting the namespace deletes the tunnels; wireguard-go then
        # exits by itself.  Whatever is left in it is ours to kill.
        for p in self.pids():
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        wait_for(30, lambda: not self.pids(), step=0.1)
        run(["ip", "netns", "del", self.ns], check=False)
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [x.decode(errors="replace")
                    for x in f.read().split(b"\0") if x]
    except OSError:
        return None


def stat(pid):
    """(ppid, own CPU s, reaped children's CPU s) of a process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            rest = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(rest[1]), (int(rest[11]) + int(rest[12])) / CLK_TCK,
            (int(rest[13]) + int(rest[14])) / CLK_TCK)


def cpu(pid):
    """CPU seconds of a live process, with the precision of the
    scheduler's clock for its live threads, never less than the tick
    count (which also holds threads that have exited)."""
    s = stat(pid)
    if s is None:
        return 0.0
    ns = 0
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                    ns += int(f.read().split()[0])
            except OSError:
                pass
    except OSError:
        pass
    return max(s[1], ns / 1e9)


def mem(pid):
    """(Pss, Rss) in KiB from smaps_rollup."""
    pss = rss = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for l in f:
                if l.startswith("Pss:"):
                    pss = int(l.split()[1])
                elif l.startswith("Rss:"):
                    rss = int(l.split()[1])
    except OSError:
        pass
    return pss, rss
