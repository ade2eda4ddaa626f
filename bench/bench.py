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

"""The benchmark (bench/README.md says what each figure means).

For each N of BENCH_N and each of BENCH_RUNS rounds, in a fresh lab
each time, interleaved: the agent (cold apply, no-op syncs, one change
among N, memory, /metrics and moenetctl latency), the usual way
(usual.sh) and the floor (floor.sh).  Prints a table of medians and
writes every sample and the medians to BENCH_OUT.  "bench.py -t FILE"
prints the table of such a file again."""

import calendar
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as L  # noqa: E402

AGENT = os.environ.get("AGENT", os.path.join(L.TOP, "moenet-agent"))
CTL = os.path.join(os.path.dirname(AGENT), "moenetctl")
# The templates of the tree the agent was built in.
TEMPLATES = os.path.join(os.path.dirname(AGENT), "templates")
if not os.path.isdir(TEMPLATES):
    TEMPLATES = os.path.join(L.TOP, "templates")
FAKECP = os.path.join(L.TOP, "regress", "fakecp", "fakecp.py")
BENCH = os.path.dirname(os.path.abspath(__file__))
INOTIFY = "/proc/sys/fs/inotify/max_user_instances"
TOKEN = "bench-token"
HTTP_PORT = 24368


def env_list(name, default):
    v = os.environ.get(name, default)
    return [int(x) for x in re.split(r"[ ,]+", v.strip()) if x]


def say(*a):
    print("#", *a, file=sys.stderr, flush=True)


def iso_time(s):
    """The agent's log time (2026-12-05T02:40:00.123Z) as Unix seconds."""
    d = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
    return calendar.timegm(d.timetuple()) + d.microsecond / 1e6


def inotify_in_use():
    """inotify instances open on the machine (all root's here): other
    labs' wireguard-go take them too."""
    n = 0
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            for fd in os.listdir("/proc/%s/fd" % p):
                try:
                    if os.readlink("/proc/%s/fd/%s" % (p, fd)) == \
                            "anon_inode:inotify":
                        n += 1
                except OSError:
                    pass
        except OSError:
            pass
    return n


class Inotify:
    """fs.inotify.max_user_instances, raised for a run and put back.
    Raised only: never below what it was when the bench started, nor
    below a value someone else set meanwhile (another lab's agent may
    raise it), and put back at the end to the value it had before the
    bench last raised it, unless someone else changed it since."""

    def __init__(self):
        self.orig = read_sysctl(INOTIFY)
        self.base = self.orig
        self.written = None

    def headroom(self, free):
        """At least FREE instances left beyond those in use; returns
        (limit, in use)."""
        used = inotify_in_use()
        cur = read_sysctl(INOTIFY)
        if cur != self.written:
            # Not ours (any more): the floor from now on.
            self.base, self.written = cur, None
        want = max(self.base, used + free)
        if cur != want:
            write_sysctl(INOTIFY, want)
            self.written = cur = want
        return cur, used

    def restore(self):
        if self.written is not None and read_sysctl(INOTIFY) == \
                self.written:
            write_sysctl(INOTIFY, self.base)


def read_sysctl(path):
    with open(path) as f:
        return int(f.read())


def write_sysctl(path, v):
    with open(path, "w") as f:
        f.write("%d\n" % v)


class Tail:
    """The lines a file gained since the last call."""

    def __init__(self, path):
        self.path = path
        self.off = 0
        self.part = b""

    def lines(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.off)
                data = f.read()
        except OSError:
            return []
        self.off += len(data)
        data = self.part + data
        *full, self.part = data.split(b"\n")
        return [x.decode(errors="replace") for x in full]


def agent_log(lines):
    """JSON log lines of the agent as dicts (others are skipped)."""
    out = []
    for l in lines:
        try:
            r = json.loads(l)
        except ValueError:
            continue
        if isinstance(r, dict) and "msg" in r:
            out.append(r)
    return out


CP_LOGS = {}


def cp_requests(lab):
    """The fake CP's requests so far, read incrementally: polled every
    10 ms, a whole re-read at N=1000 would take a core from the agent."""
    t, reqs = CP_LOGS.setdefault(lab.dir, (Tail(lab.path("cp.log")), []))
    for l in t.lines():
        try:
            reqs.append(json.loads(l))
        except ValueError:
            pass
    return reqs


class AgentProcs:
    """The agent's processes as categories: parent, each child by name,
    helpers that have exited (the parent's reaped children), and the
    wireguard-go processes together."""

    def __init__(self, lab, pid):
        self.lab = lab
        self.pid = pid

    def members(self):
        out = {"parent": [self.pid]}
        wg = []
        for p in self.lab.pids():
            a = L.cmdline(p) or []
            if a and os.path.basename(a[0]) == "wireguard-go":
                wg.append(p)
                continue
            st = L.stat(p)
            if st is None or st[0] != self.pid:
                continue
            # Children name themselves "moenet-agent: fetcher".
            name = a[0].split(": ", 1)[1].strip() if a and ": " in a[0] \
                else "child"
            out.setdefault(name, []).append(p)
        out["wireguard-go"] = wg
        if self.lab.bird_pid:
            out["bird"] = [self.lab.bird_pid]
        return out

    def cpu(self, m=None):
        m = m or self.members()
        out = {k: sum(L.cpu(p) for p in v) for k, v in m.items()}
        st = L.stat(self.pid)
        out["reaped"] = st[2] if st else 0.0
        return out

    def mem(self):
        out = {}
        for k, v in self.members().items():
            pss = rss = 0
            for p in v:
                a, b = L.mem(p)
                pss += a
                rss += b
            out[k] = {"pss_kib": pss, "rss_kib": rss, "procs": len(v)}
        return out


def agent_sum(d):
    """The agent's own figure: every category but wireguard-go and BIRD."""
    return sum(v for k, v in d.items() if k not in ("wireguard-go", "bird"))


def diff(a, b):
    return {k: round(b.get(k, 0) - a.get(k, 0), 4) for k in b}


def agent_conf(lab, port):
    c = {
        "node": {"name": "r1", "id": 1},
        "server": {"listen": "127.0.0.1:%d" % HTTP_PORT},
        "controlPlane": {
            "url": "https://127.0.0.1:%d" % port, "token": TOKEN,
            "caFile": os.path.join(TLS, "ca.pem"),
            "syncInterval": 3600, "heartbeatInterval": 3600,
            "metricInterval": 3600, "removeAfterMissing": 3},
        "bird": {"controlSocket": lab.path("bird.ctl"),
                 "peerConfDir": lab.path("peers"),
                 "ibgpConfDir": lab.path("ibgp"),
                 "policyDir": lab.path("policy"),
                 "maintenanceFile": lab.path("maintenance.conf"),
                 "templateDir": TEMPLATES},
        "wireguard": {"privateKeyPath": lab.path("key"),
                      "dn42Ipv4": "172.20.1.1",
                      "dn42Ipv6": "fd00:4242:7777:101:4::1",
                      "backend": BACKEND},
        "state": {"dir": lab.path("state")},
        "control": {"socket": lab.path("ctl.sock")},
        "log": {"level": "debug", "format": "json"},
    }
    for k in ("rttInterval", "meshSyncInterval", "ibgpSyncInterval",
              "policyInterval"):
        c["controlPlane"][k] = 3600
    p = lab.path("agent.json")
    with open(p, "w") as f:
        os.fchmod(f.fileno(), 0o600)
        json.dump(c, f, indent=1)
    return p


def write_cp(lab, ss):
    st = {"nodes": {"r1": {"config": {"node": {"name": "r1", "id": 1}},
                           "sessions": ss}}}
    tmp = lab.path("cp.json.tmp")
    with open(tmp, "w") as f:
        json.dump(st, f)
    os.rename(tmp, lab.path("cp.json"))


def start_cp(lab, ss):
    write_cp(lab, ss)
    lab.spawn(["python3", FAKECP, "--state", lab.path("cp.json"),
               "--log", lab.path("cp.log"), "--token", TOKEN, "--port", "0",
               "--port-file", lab.path("cp.port"),
               "--cert", os.path.join(TLS, "server.pem"),
               "--key", os.path.join(TLS, "server.key")],
              lab.path("cp.out"))
    if not L.wait_for(20, lambda: os.path.exists(lab.path("cp.port")) and
                      os.path.getsize(lab.path("cp.port")) > 0):
        raise RuntimeError("fake control plane did not start")
    with open(lab.path("cp.port")) as f:
        return int(f.read())


def modified(lab, status):
    """uuid -> time of the first modify to that status the CP got."""
    out = {}
    for r in cp_requests(lab):
        if r.get("path", "").endswith("/modify") and \
                isinstance(r.get("body"), dict) and \
                r["body"].get("status") == status:
            out.setdefault(r["body"].get("uuid"), r["time"])
    return out


def fetches(lab):
    return [r["time"] for r in cp_requests(lab)
            if r.get("method") == "GET" and r.get("path", "").endswith(
                "/sessions")]


def timed(argv, reps=5):
    """Median wall seconds of a command, and its last output."""
    out, ts = None, []
    for _ in range(reps):
        t = time.monotonic()
        r = L.run(argv, check=False)
        ts.append(time.monotonic() - t)
        out = r
    return statistics.median(ts), out


SETUP_RE = re.compile(r" is set up on ")
FAIL_RE = re.compile(r"reporting status 6")


# ---------------------------------------------------------------------
# The agent.


def run_agent(n, ino):
    lab = L.Lab("agent", keep=KEEP)
    res = {"n": n, "way": "agent"}
    try:
        lab.start_bird()
        ss = L.sessions(n)
        port = start_cp(lab, ss)
        conf = agent_conf(lab, port)
        # The agent meets a router as Debian leaves it: 128 instances
        # free (those other labs hold aside); more is its own business.
        if BACKEND != "kernel":
            lim, used = ino.headroom(INOTIFY_FREE)
            res["inotify_at_start"] = {"limit": lim, "in_use": used,
                                       "free": lim - used}
        log = Tail(lab.path("agent.log"))
        t0 = time.time()
        agent = lab.spawn([AGENT, "-d", "-f", conf], lab.path("agent.log"))
        procs = AgentProcs(lab, agent.pid)
        # lab.spawn execs the agent in the end: same pid.
        up, failed, last, seen = {}, {}, time.monotonic(), []
        stall = STALL + n * 0.05

        def progress():
            nonlocal last
            new = agent_log(log.lines())
            seen.extend(new)
            for r in new:
                if SETUP_RE.search(r["msg"]):
                    up[r.get("session")] = iso_time(r["time"])
                elif FAIL_RE.search(r["msg"]):
                    failed[r.get("session")] = r["msg"]
            if new:
                last = time.monotonic()
            return len(up) + len(failed) >= n or agent.poll() is not None \
                or time.monotonic() - last > stall or \
                (not up and len(modified(lab, 2)) >= n)
        L.wait_for(COLD_TIMEOUT + n, progress, step=0.05)
        cpu_cold = procs.cpu()
        f = fetches(lab)
        if not up:
            # A build that words its log otherwise: the CP's word, then
            # (modify status 2 comes after the apply).
            up = modified(lab, 2)
            res["applied_from"] = "cp modify"
        res["applied"] = len(up)
        res["failed"] = len(failed)
        res["inotify_after_start"] = read_sysctl(INOTIFY)
        if failed:
            res["fail_sample"] = sorted(set(failed.values()))[:3]
        if agent.poll() is not None:
            res["agent_exit"] = agent.returncode
        if not f or not up:
            res["error"] = "nothing applied: %s" % "; ".join(
                r["msg"] for r in seen if r.get("level") in
                ("warning", "error", "crit"))[:500]
            return res
        res["cold_wall_s"] = round(max(up.values()) - f[0], 4)
        res["cold_from_start_s"] = round(max(up.values()) - t0, 4)
        res["cold_cpu_s"] = {k: round(v, 4) for k, v in cpu_cold.items()}
        res["cold_cpu_agent_s"] = round(agent_sum(cpu_cold), 4)
        if len(up) < n:
            res["error"] = "%d of %d sessions applied" % (len(up), n)
        # Every session reported to the CP: only then is the CP's list
        # what the agent has (status 2), and the next sync a no-op.
        rep = {}
        L.wait_for(60 + n * 0.1, lambda: rep.update(modified(lab, 2)) or
                   len(rep) >= len(up), step=0.2)
        if rep:
            res["reported_wall_s"] = round(max(rep.values()) - f[0], 4)
        L.wait_for(30, lambda: not sync_running(lab), step=0.2)
        res["mem"] = procs.mem()
        res["mem_agent_pss_kib"] = sum(v["pss_kib"] for k, v in
                                       res["mem"].items()
                                       if k not in ("wireguard-go", "bird"))
        noop(lab, procs, log, res)
        one_change(lab, procs, log, ss, res)
        latency(lab, res)
    finally:
        lab.close()
    return res


def sync_running(lab):
    """The agent's word (GET /status, "sync": {"running"}) on whether a
    sync is under way; a build whose status lacks it is taken at its
    CPU's word, but no answer (a busy or traced agent) means "yes"."""
    r = L.run(["ip", "netns", "exec", lab.ns, "curl", "-s", "-m", "30",
               "http://127.0.0.1:%d/status" % HTTP_PORT], check=False)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        return True
    try:
        return bool(doc["sync"]["running"])
    except (KeyError, TypeError):
        return False


def trigger_sync(lab):
    L.run([CTL, "-s", lab.path("ctl.sock"), "sync"], check=False)


def wait_sync_done(lab, procs, m, nfetch0, timeout, quiet=None):
    """After a triggered sync: the CP saw its fetch, then the agent's
    processes used no CPU for QUIET seconds, and the agent says no sync
    runs.  Returns the time of the agent's last CPU use (the sync's end,
    give or take the polling step) and the CPU of its processes then
    (before the question, which costs some), or (None, None)."""
    end = time.monotonic() + timeout
    if not L.wait_for(timeout, lambda: len(fetches(lab)) > nfetch0,
                      step=0.01):
        return None, None
    # Polled: the agent's own few processes, not a thousand wireguard-go.
    own = {k: v for k, v in m.items() if k not in ("wireguard-go", "bird")}
    while time.monotonic() < end:
        last_cpu, last_t = agent_sum(procs.cpu(own)), time.time()
        while time.monotonic() < end:
            time.sleep(0.01)
            c = agent_sum(procs.cpu(own))
            if c != last_cpu:
                last_cpu, last_t = c, time.time()
            elif time.time() - last_t >= (quiet or QUIET):
                break
        snap = procs.cpu(m)
        if not sync_running(lab):
            return last_t, snap
    return None, None


def netlink_protocols(pid):
    """fd -> netlink protocol number of a process's netlink sockets."""
    inode = {}
    try:
        with open("/proc/%d/net/netlink" % pid) as f:
            for l in list(f)[1:]:
                x = l.split()
                inode[x[9]] = int(x[1])
        out = {}
        for fd in os.listdir("/proc/%d/fd" % pid):
            t = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            if t.startswith("socket:["):
                i = t[8:-1]
                if i in inode:
                    out[int(fd)] = inode[i]
        return out
    except OSError:
        return {}


NL_RE = re.compile(r'nlmsg_type=(0x[0-9a-f]+|[A-Z_]+)[^}]*}(?:, "\\x([0-9a-f]{2}))?')
RTM_SETS = {16, 17, 19, 20, 21, 24, 25, 28, 29}
NFT_SETS = {0, 2, 3, 5, 6, 8, 9, 11, 12, 14}
OPEN_RE = re.compile(r'^(\d+) +open(?:at)?\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)')
RENAME_RE = re.compile(r'^(\d+) +rename(?:at2?)?\(')
SEND_RE = re.compile(r'^(\d+) +(sendto|sendmsg|write|writev)\((\d+), ')


def count_syscalls(path, nlfds):
    """What an strace log says the agent did: files opened for writing
    and renamed, UAPI gets and sets, netlink gets and changes."""
    c = {"files_written": 0, "renames": 0, "proc_writes": 0,
         "uapi_get": 0, "uapi_set": 0, "netlink_get": 0, "netlink_set": 0}
    paths = set()
    with open(path, errors="replace") as f:
        for l in f:
            m = OPEN_RE.match(l)
            if m:
                if re.search(r"O_WRONLY|O_RDWR|O_CREAT", m.group(3)):
                    if m.group(2).startswith(("/proc/", "/sys/")):
                        c["proc_writes"] += 1
                    elif not m.group(2).startswith("/dev/"):
                        c["files_written"] += 1
                        paths.add(m.group(2))
                continue
            if RENAME_RE.match(l):
                c["renames"] += 1
                continue
            m = SEND_RE.match(l)
            if not m:
                continue
            if "get=1\\n" in l:
                c["uapi_get"] += 1
            if "set=1\\n" in l:
                c["uapi_set"] += 1
            proto = nlfds.get((int(m.group(1)), int(m.group(3))))
            if proto is None:
                continue
            for t, b in NL_RE.findall(l):
                if t.startswith("0x"):
                    t = int(t, 16)
                    if proto == 0:
                        s = t in RTM_SETS
                    elif proto == 12:
                        s = t >> 8 == 10 and t & 0xff in NFT_SETS
                    elif proto == 16:
                        # A family's own command 1 (WG_CMD_SET_DEVICE).
                        s = t != 0x10 and b == "01"
                    else:
                        s = False
                else:
                    s = not t.startswith(("RTM_GET", "NLMSG_"))
                c["netlink_set" if s else "netlink_get"] += 1
    c["paths_written"] = sorted(paths)[:10]
    return c


def strace_sync(lab, procs, m):
    """One no-op sync under strace (its CPU is not measured)."""
    pids = [p for k, v in m.items() if k not in ("wireguard-go", "bird")
            for p in v]
    nlfds = {}
    for p in pids:
        for fd, proto in netlink_protocols(p).items():
            nlfds[(p, fd)] = proto
    out = lab.path("strace.txt")
    argv = ["strace", "-f", "-qq", "-s", "96", "-o", out, "-e",
            "trace=open,openat,creat,rename,renameat,renameat2,write,"
            "writev,sendmsg,sendto"]
    for p in pids:
        argv += ["-p", str(p)]
    st = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)

    def traced():
        for p in pids:
            with open("/proc/%d/status" % p) as f:
                if "TracerPid:\t0\n" in f.read():
                    return False
        return True
    try:
        if not L.wait_for(10, traced):
            return {"error": "strace did not attach"}
        nb = len(lab.bird_commands())
        nf = len(fetches(lab))
        trigger_sync(lab)
        # Traced processes wait on strace, which the machine may starve.
        if wait_sync_done(lab, procs, m, nf, 2 * sync_timeout(m),
                          quiet=max(2.0, QUIET))[0] is None:
            return {"error": "no-op sync under strace did not end"}
    finally:
        st.terminate()
        st.wait()
    c = count_syscalls(out, nlfds)
    # The trace holds the imsgs of keys: it goes with the lab.
    os.unlink(out)
    cmds = lab.bird_commands()[nb:]
    c["bird_commands"] = len(cmds)
    c["bird_changes"] = len([x for x in cmds if not x.startswith("show")])
    c["bird_command_list"] = sorted(set(cmds))[:10]
    return c


def sync_timeout(m):
    return SYNC_TIMEOUT + 0.3 * len(m.get("wireguard-go", []))


def noop(lab, procs, log, res):
    """BENCH_NOOP syncs that find nothing to do: CPU and wall each, then
    one more under strace for what it wrote and sent."""
    m = procs.members()
    samples = []
    for _ in range(NOOP):
        nf = len(fetches(lab))
        c0 = procs.cpu(m)
        t0 = time.time()
        trigger_sync(lab)
        t1, c1 = wait_sync_done(lab, procs, m, nf, sync_timeout(m))
        if t1 is None:
            res["noop_error"] = "a triggered sync did not end in %ds" % \
                sync_timeout(m)
            break
        f = fetches(lab)
        d = diff(c0, c1)
        samples.append({"cpu_s": d, "cpu_agent_s": round(agent_sum(d), 4),
                        "wall_s": round(t1 - t0, 4),
                        "start_delay_s": round(f[-1] - t0, 4)})
    res["noop"] = samples
    if samples:
        res["noop_cpu_agent_s"] = statistics.median(
            s["cpu_agent_s"] for s in samples)
        res["noop_cpu_wg_s"] = statistics.median(
            s["cpu_s"].get("wireguard-go", 0) for s in samples)
        res["noop_wall_s"] = statistics.median(s["wall_s"] for s in samples)
        res["noop_start_delay_s"] = statistics.median(
            s["start_delay_s"] for s in samples)
    res["noop_trace"] = strace_sync(lab, procs, m)


def snapshot(lab):
    return {"wg_pid": lab.wg_pids(), "port": lab.wg_ports(),
            "link": lab.links(), "bird": lab.protocols_since()}


def one_change(lab, procs, log, ss, res):
    """One session among N changes (MTU and name): time until it is
    applied, and whether anything else was touched."""
    i = len(ss) // 2
    s = dict(ss[i])
    ifn = s["interface"]
    before = snapshot(lab)
    s["mtu"] = 1400
    s["name"] = "bench peer %d changed" % (i + 1)
    s["status"] = 2
    ss2 = [dict(x, status=2) for x in ss]
    ss2[i] = s
    write_cp(lab, ss2)
    m = procs.members()
    nb = len(lab.bird_commands())
    nf = len(fetches(lab))
    t0 = time.time()
    trigger_sync(lab)

    def mtu():
        r = L.run(["ip", "-n", lab.ns, "-o", "link", "show", "dev", ifn],
                  check=False)
        return " mtu 1400 " in r.stdout
    seen = L.wait_for(sync_timeout(m), mtu, step=0.01)
    t_mtu = time.time()
    t_end = wait_sync_done(lab, procs, m, nf, sync_timeout(m))[0]
    after = snapshot(lab)
    f = fetches(lab)
    ch = {"interface": ifn}
    if not seen:
        ch["error"] = "MTU 1400 not seen on %s" % ifn
    # BIRD's own log: when it was last told to configure.
    t_bird = None
    try:
        with open(lab.path("bird.log"), errors="replace") as fh:
            lines = [l for l in fh if "CLI: configure" in l]
        cmds = lab.bird_commands()[nb:]
        if any(c.startswith("configure") for c in cmds) and lines:
            ts = " ".join(lines[-1].split()[:2])
            d = datetime.datetime.strptime(ts, "%Y-%m-%d %H:%M:%S.%f")
            t_bird = time.mktime(d.timetuple()) + d.microsecond / 1e6
    except (OSError, ValueError):
        pass
    done = max(t_mtu, t_bird or 0)
    ch["applied_from_trigger_s"] = round(done - t0, 4)
    if len(f) > nf:
        ch["applied_from_fetch_s"] = round(done - f[nf], 4)
    if t_end:
        ch["sync_wall_s"] = round(t_end - t0, 4)
    ch["bird_reconfigured"] = t_bird is not None
    desc = lab.birdc("show", "protocols", "all", "dn42_%d" % s["asn"])
    ch["bird_description_changed"] = s["name"] in desc
    others = {}
    for k in before:
        a, b = before[k], after[k]
        keys = set(a) | set(b)
        others[k] = sorted(x for x in keys if a.get(x) != b.get(x) and
                           x != ifn and x != "dn42_%d" % s["asn"])
    ch["others_touched"] = {k: len(v) for k, v in others.items()}
    ch["others_touched_sample"] = {k: v[:3] for k, v in others.items() if v}
    res["change"] = ch


def latency(lab, res):
    """/metrics over HTTP (curl's request time) and moenetctl show
    sessions (the whole command), medians of 5."""
    r = []
    for _ in range(5):
        o = L.run(["ip", "netns", "exec", lab.ns, "curl", "-s", "-o",
                   "/dev/null", "-w", "%{time_total} %{size_download}",
                   "http://127.0.0.1:%d/metrics" % HTTP_PORT], check=False)
        try:
            t, n = o.stdout.split()
            r.append((float(t), int(n)))
        except ValueError:
            pass
    if r:
        res["metrics_ms"] = round(statistics.median(x[0] for x in r) *
                                  1000, 2)
        res["metrics_bytes"] = r[-1][1]
    t, o = timed([CTL, "-s", lab.path("ctl.sock"), "show", "sessions"])
    res["ctl_sessions_ms"] = round(t * 1000, 2)
    res["ctl_sessions_lines"] = len(o.stdout.splitlines())


# ---------------------------------------------------------------------
# The baselines.


def run_baseline(way, n, ino):
    lab = L.Lab(way, keep=KEEP)
    res = {"n": n, "way": way}
    try:
        lab.start_bird()
        ss = L.sessions(n)
        tsv = lab.path("sessions.tsv")
        with open(tsv, "w") as f:
            for s in ss:
                f.write("%s\t%d\t%s\t%s\t%d\n" % (
                    s["interface"], s["port"], s["credential"],
                    s["ipv6LinkLocal"], s["asn"]))
        if way == "floor":
            for s in ss:
                with open(lab.path("peers", "dn42_%d.conf" % s["asn"]),
                          "w") as f:
                    f.write(L.peer_file(s))
            argv = ["sh", os.path.join(BENCH, "floor.sh"), str(FLOOR_JOBS),
                    lab.path("bird.ctl")]
        else:
            argv = ["sh", os.path.join(BENCH, "usual.sh"), lab.path("key"),
                    lab.path("peers"), lab.path("bird.ctl")]
        # An operator raises the limit wireguard-go needs (section
        # "inotify" of bench/README.md).
        if BACKEND != "kernel":
            # Generous: other labs start wireguard-go meanwhile.
            ino.headroom(2 * n + 512)
        ru0 = os.times()
        t0 = time.monotonic()
        with open(tsv) as f:
            r = subprocess.run(lab.cmd(argv), stdin=f,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, BENCH_WG=BACKEND))
        wall = time.monotonic() - t0
        ru1 = os.times()
        res["cold_wall_s"] = round(wall, 4)
        res["cold_cpu_script_s"] = round(
            (ru1.children_user - ru0.children_user) +
            (ru1.children_system - ru0.children_system), 4)
        wg = lab.wg_pids()
        res["cold_cpu_wg_s"] = round(sum(L.cpu(p) for p in wg.values()), 4)
        res["applied"] = len(lab.links())
        if r.returncode == 0 and res["applied"] < n:
            # wireguard-go returns before its daemon may die.
            res["error"] = "%s: only %d of %d links" % (way, res["applied"],
                                                        n)
        if r.returncode != 0:
            last = [x for x in r.stdout.splitlines() if x.strip()][-1:]
            res["error"] = "%s after %d of %d: exit %d: %s" % (
                way, len(lab.links()), n, r.returncode,
                last[0][:200] if last else "")
        pss = [L.mem(p) for p in wg.values()]
        res["mem"] = {"wireguard-go": {
            "pss_kib": sum(x[0] for x in pss),
            "rss_kib": sum(x[1] for x in pss), "procs": len(pss)}}
        protos = lab.protocols_since()
        res["bird_protocols"] = len(protos)
    finally:
        lab.close()
    return res


# ---------------------------------------------------------------------
# The table.


def med(rows, key):
    v = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return statistics.median(v) if v else None


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float):
        if v >= 100:
            return "%.0f%s" % (v, unit)
        if v >= 1:
            return "%.2f%s" % (v, unit)
        return "%.3f%s" % (v, unit)
    return "%s%s" % (v, unit)


def summarize(results, ns):
    summ = {}
    for n in ns:
        a = [r for r in results if r["n"] == n and r["way"] == "agent"]
        u = [r for r in results if r["n"] == n and r["way"] == "usual"]
        f = [r for r in results if r["n"] == n and r["way"] == "floor"]
        d = {}
        d["agent_applied"] = "%d/%d" % (min((r.get("applied", 0)
                                             for r in a), default=0), n)
        d["baselines_applied"] = "%d/%d" % (min((r.get("applied", 0)
                                                 for r in u + f),
                                                default=0), n)
        whole = bool(a) and all(r.get("applied") == n for r in a)
        d["cold_agent_s"] = med(a, "cold_wall_s")
        d["cold_usual_s"] = med([r for r in u if r.get("applied") == n],
                                "cold_wall_s")
        d["cold_floor_s"] = med([r for r in f if r.get("applied") == n],
                                "cold_wall_s")
        # A ratio only where the agent applied everything.
        if whole and d["cold_agent_s"] and d["cold_floor_s"]:
            d["cold_vs_floor"] = round(d["cold_agent_s"] / d["cold_floor_s"],
                                       2)
        if whole and d["cold_agent_s"] and d["cold_usual_s"]:
            d["cold_vs_usual"] = round(d["cold_agent_s"] / d["cold_usual_s"],
                                       2)
        d["cold_reported_s"] = med(a, "reported_wall_s")
        d["cold_cpu_agent_s"] = med(a, "cold_cpu_agent_s")
        for k in ("parent", "fetcher", "birdctl", "wgctl", "reaped",
                  "wireguard-go", "bird"):
            v = [r["cold_cpu_s"].get(k) for r in a if "cold_cpu_s" in r]
            v = [x for x in v if x is not None]
            d["cold_cpu_%s_s" % k] = statistics.median(v) if v else None
        d["cold_cpu_usual_script_s"] = med(u, "cold_cpu_script_s")
        d["cold_cpu_usual_wg_s"] = med(u, "cold_cpu_wg_s")
        d["cold_cpu_floor_script_s"] = med(f, "cold_cpu_script_s")
        d["cold_cpu_floor_wg_s"] = med(f, "cold_cpu_wg_s")
        d["noop_cpu_agent_s"] = med(a, "noop_cpu_agent_s")
        d["noop_cpu_wg_s"] = med(a, "noop_cpu_wg_s")
        d["noop_wall_s"] = med(a, "noop_wall_s")
        d["noop_start_delay_s"] = med(a, "noop_start_delay_s")
        for k in ("files_written", "renames", "bird_commands",
                  "bird_changes", "uapi_set", "netlink_set", "uapi_get",
                  "netlink_get"):
            v = [r["noop_trace"].get(k) for r in a
                 if isinstance(r.get("noop_trace"), dict)]
            v = [x for x in v if x is not None]
            d["noop_" + k] = statistics.median(v) if v else None
        ch = [r["change"] for r in a if "change" in r]
        d["change_applied_s"] = med(ch, "applied_from_fetch_s")
        d["change_from_trigger_s"] = med(ch, "applied_from_trigger_s")
        d["change_others_touched"] = max(
            (sum(c["others_touched"].values()) for c in ch), default=None)
        d["mem_agent_pss_mib"] = (med(a, "mem_agent_pss_kib") or 0) / 1024 \
            if a else None
        for k in ("parent", "fetcher", "birdctl", "wgctl", "wireguard-go",
                  "bird"):
            v = [r["mem"][k] for r in a if k in r.get("mem", {})]
            d["mem_%s_pss_kib" % k] = statistics.median(
                x["pss_kib"] for x in v) if v else None
            d["mem_%s_rss_kib" % k] = statistics.median(
                x["rss_kib"] for x in v) if v else None
        d["mem_floor_wg_pss_kib"] = statistics.median(
            r["mem"]["wireguard-go"]["pss_kib"] for r in f) if f else None
        d["metrics_ms"] = med(a, "metrics_ms")
        d["ctl_sessions_ms"] = med(a, "ctl_sessions_ms")
        d["agent_failures"] = [
            r.get("error") or r.get("noop_error") or
            (r.get("change") or {}).get("error")
            for r in a if r.get("error") or r.get("noop_error") or
            (r.get("change") or {}).get("error")]
        d["baseline_failures"] = [
            r["error"].replace("\n", " ")[-240:] for r in u + f
            if r.get("error")]
        summ[str(n)] = d
    # What each session adds to the agent's Pss, between the smallest
    # and the largest N where the agent applied every session: a
    # process's Pss moves by some hundred KiB from run to run with how
    # many others share its libraries' pages, which weighs least over
    # the widest span.
    pts = [(n, summ[str(n)]["mem_agent_pss_mib"]) for n in ns
           if summ[str(n)]["mem_agent_pss_mib"] and
           summ[str(n)]["agent_applied"] == "%d/%d" % (n, n)]
    if len(pts) >= 2:
        pts.sort()
        (n0, m0), (n1, m1) = pts[0], pts[-1]
        summ["pss_per_session_kib"] = round((m1 - m0) * 1024 / (n1 - n0), 2)
        summ["pss_per_session_span"] = [n0, n1]
    return summ


ROWS = [
    ("sessions applied: agent / worst baseline",
     ("agent_applied", "baselines_applied")),
    ("cold apply, CP list fetched -> all applied (s)", "cold_agent_s"),
    ("  the usual way (s)", "cold_usual_s"),
    ("  the floor (s)", "cold_floor_s"),
    ("  agent / floor", "cold_vs_floor"),
    ("  agent / usual way", "cold_vs_usual"),
    ("  ... -> all reported to the CP (s)", "cold_reported_s"),
    ("cold CPU, agent processes (s)", "cold_cpu_agent_s"),
    ("  parent", "cold_cpu_parent_s"),
    ("  fetcher", "cold_cpu_fetcher_s"),
    ("  birdctl", "cold_cpu_birdctl_s"),
    ("  wgctl", "cold_cpu_wgctl_s"),
    ("  exited helpers (reaped)", "cold_cpu_reaped_s"),
    ("  wireguard-go, summed", "cold_cpu_wireguard-go_s"),
    ("  BIRD", "cold_cpu_bird_s"),
    ("cold CPU, usual way: script / wireguard-go (s)",
     ("cold_cpu_usual_script_s", "cold_cpu_usual_wg_s")),
    ("cold CPU, floor: script / wireguard-go (s)",
     ("cold_cpu_floor_script_s", "cold_cpu_floor_wg_s")),
    ("no-op sync: agent CPU (s)", "noop_cpu_agent_s"),
    ("  wireguard-go CPU (s)", "noop_cpu_wg_s"),
    ("  wall, trigger -> done (s)", "noop_wall_s"),
    ("  trigger -> CP fetch (s)", "noop_start_delay_s"),
    ("  files written / renames", ("noop_files_written", "noop_renames")),
    ("  BIRD commands / of them not show",
     ("noop_bird_commands", "noop_bird_changes")),
    ("  UAPI sets / netlink changes", ("noop_uapi_set", "noop_netlink_set")),
    ("  UAPI gets / netlink requests", ("noop_uapi_get", "noop_netlink_get")),
    ("one change among N: fetch -> applied (s)", "change_applied_s"),
    ("  trigger -> applied (s)", "change_from_trigger_s"),
    ("  other sessions touched", "change_others_touched"),
    ("agent processes, Pss sum (MiB)", "mem_agent_pss_mib"),
    ("  parent Pss / Rss (KiB)", ("mem_parent_pss_kib", "mem_parent_rss_kib")),
    ("  fetcher Pss / Rss (KiB)",
     ("mem_fetcher_pss_kib", "mem_fetcher_rss_kib")),
    ("  birdctl Pss / Rss (KiB)",
     ("mem_birdctl_pss_kib", "mem_birdctl_rss_kib")),
    ("  wgctl Pss / Rss (KiB)", ("mem_wgctl_pss_kib", "mem_wgctl_rss_kib")),
    ("  wireguard-go Pss / Rss, summed (KiB)",
     ("mem_wireguard-go_pss_kib", "mem_wireguard-go_rss_kib")),
    ("  BIRD Pss / Rss (KiB)", ("mem_bird_pss_kib", "mem_bird_rss_kib")),
    ("GET /metrics (ms)", "metrics_ms"),
    ("moenetctl show sessions (ms)", "ctl_sessions_ms"),
]


def table(summ, ns):
    head = "| | " + " | ".join("N=%d" % n for n in ns) + " |"
    out = [head, "|---" * (len(ns) + 1) + "|"]
    for label, key in ROWS:
        cells = []
        for n in ns:
            d = summ[str(n)]
            if isinstance(key, tuple):
                cells.append(" / ".join(fmt(d.get(k)) for k in key))
            else:
                cells.append(fmt(d.get(key)))
        out.append("| %s | %s |" % (label, " | ".join(cells)))
    if "pss_per_session_kib" in summ:
        out.append("")
        span = summ.get("pss_per_session_span")
        out.append("Pss each session adds to the agent: %.2f KiB%s" %
                   (summ["pss_per_session_kib"],
                    " (N=%d to N=%d)" % tuple(span) if span else ""))
    for n in ns:
        d = summ[str(n)]
        for e in d["agent_failures"]:
            out.append("N=%d: the agent failed: %s" % (n, e))
        for e in d["baseline_failures"]:
            out.append("N=%d: a baseline failed: %s" % (n, e))
    return "\n".join(out)


def targets(summ, ns):
    """Issue 17's targets against the figures, as lines of text: what
    was measured and by how much it misses, never a verdict on the run
    (the exit status does not depend on them)."""
    out = []
    kern = BACKEND == "kernel"

    def line(what, v, limit, unit="", lower=True, why=""):
        if v is None:
            out.append("%s: not measured%s" % (what, why))
            return
        ok = v <= limit if lower else v >= limit
        if ok:
            verdict = "met"
        elif limit == 0:
            verdict = "missed (%s)" % fmt(v)
        else:
            verdict = "missed by %.1fx" % (v / limit if lower else
                                           limit / v if v else float("inf"))
        out.append("%s: %s%s (target %s %s%s): %s" % (
            what, fmt(v), unit, "<=" if lower else ">=", fmt(limit), unit,
            verdict))
    for n in ns:
        d = summ[str(n)]
        why = " (sessions applied: agent %s, worst baseline %s)" % (
            d.get("agent_applied"), d.get("baselines_applied"))
        if kern:
            line("N=%d cold apply, agent / usual way" % n,
                 d.get("cold_vs_usual"), 0.1, why=why)
        else:
            line("N=%d cold apply, agent / floor" % n,
                 d.get("cold_vs_floor"), 1.1, why=why)
    n = max(ns)
    d = summ[str(n)]
    line("N=%d no-op sync, files written" % n, d.get("noop_files_written"),
         0)
    line("N=%d no-op sync, BIRD commands other than show" % n,
         d.get("noop_bird_changes"), 0)
    line("N=%d no-op sync, UAPI sets + netlink changes" % n,
         None if d.get("noop_uapi_set") is None else
         d["noop_uapi_set"] + (d.get("noop_netlink_set") or 0), 0)
    line("N=%d no-op sync, agent CPU" % n, d.get("noop_cpu_agent_s"),
         0.05 if kern else 0.15, " s")
    line("N=%d one change, fetch -> applied" % n, d.get("change_applied_s"),
         1.0, " s")
    line("N=%d one change, other sessions touched" % n,
         d.get("change_others_touched"), 0)
    line("N=%d triggered sync, trigger -> fetch" % n,
         d.get("noop_start_delay_s"), 0.1, " s")
    line("N=%d agent processes, Pss sum" % n, d.get("mem_agent_pss_mib"),
         24, " MiB")
    line("Pss each session adds", summ.get("pss_per_session_kib"), 8,
         " KiB")
    out.append("N=%d sessions applied by the agent: %s" % (
        n, d.get("agent_applied")))
    return out


def main():
    global TLS
    global BACKEND
    if len(sys.argv) == 3 and sys.argv[1] == "-t":
        # bench.py -t results.json: the table of a run, again, against
        # the targets of its back end.
        with open(sys.argv[2]) as f:
            d = json.load(f)
        BACKEND = d.get("backend", BACKEND)
        summ = summarize(d["samples"], d["n"])
        print(table(summ, d["n"]))
        print("\nIssue 17's targets (figures, not a verdict):")
        print("\n".join(targets(summ, d["n"])))
        return 0
    ns = env_list("BENCH_N", "10 100 300 1000")
    runs = int(os.environ.get("BENCH_RUNS", "1"))
    out = os.environ.get("BENCH_OUT", os.path.join(
        BENCH, "results-kernel.json" if BACKEND == "kernel" else
        "results.json"))
    if os.geteuid() != 0:
        print("skip bench: needs root")
        return 0
    for t in ("bird", "birdc", "wireguard-go", "wg", "ip", "strace", "curl"):
        if subprocess.run(["sh", "-c", "command -v " + t],
                          stdout=subprocess.DEVNULL).returncode != 0:
            print("skip bench: %s not installed" % t)
            return 0
    if not os.access(AGENT, os.X_OK):
        print("skip bench: %s not built" % AGENT)
        return 0
    ino = Inotify()
    TLS = tempfile.mkdtemp(prefix="mnt-bench-tls-")
    subprocess.run(["sh", os.path.join(L.TOP, "regress", "fakecp",
                                       "mkcert.sh"), TLS],
                   stdout=subprocess.DEVNULL, check=True)
    results = []
    ways = [w for w in re.split(r"[ ,]+", os.environ.get(
        "BENCH_WAYS", "agent usual floor").strip())
        if w in ("agent", "usual", "floor")]

    def save():
        """Every sample so far: a run cut short keeps what it measured."""
        summ = summarize(results, ns)
        doc = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "host": {"cpus": os.cpu_count(), "kernel": platform.release(),
                        "load_before": load0},
               "inotify_max_user_instances": ino.orig,
               "agent": AGENT, "backend": BACKEND, "n": ns, "runs": runs,
               "floor_jobs": FLOOR_JOBS, "summary": summ,
               "targets": targets(summ, ns), "samples": results}
        with open(out + ".tmp", "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
        os.rename(out + ".tmp", out)
        return summ
    load0 = os.getloadavg()
    try:
        for r in range(runs):
            for n in ns:
                # Interleaved, and the order turns from round to round.
                k = r % len(ways)
                for w in ways[k:] + ways[:k]:
                    say("round %d, N=%d: %s" % (r + 1, n, w))
                    t = time.monotonic()
                    try:
                        if w == "agent":
                            x = run_agent(n, ino)
                        else:
                            x = run_baseline(w, n, ino)
                    except (OSError, RuntimeError, ValueError,
                            subprocess.SubprocessError) as e:
                        x = {"n": n, "way": w, "error": "bench: %s" % e}
                    x["round"] = r + 1
                    x["load"] = os.getloadavg()
                    results.append(x)
                    save()
                    say("  %.1fs: %s" % (time.monotonic() - t, ", ".join(
                        "%s=%s" % (k, x[k]) for k in (
                            "cold_wall_s", "applied", "failed", "error",
                            "noop_cpu_agent_s") if k in x)))
    finally:
        ino.restore()
        subprocess.run(["rm", "-rf", TLS])
    summ = save()
    print(table(summ, ns))
    print("\nIssue 17's targets (figures, not a verdict):")
    print("\n".join(targets(summ, ns)))
    print("\n(results: %s)" % out)
    return 0


TLS = None
KEEP = os.environ.get("BENCH_KEEP") == "1"
BACKEND = os.environ.get("BENCH_BACKEND", "userspace")
NOOP = int(os.environ.get("BENCH_NOOP", "3"))
FLOOR_JOBS = int(os.environ.get("BENCH_FLOOR_JOBS", "16"))
QUIET = float(os.environ.get("BENCH_QUIET", "0.3"))
STALL = 60
COLD_TIMEOUT = 120
SYNC_TIMEOUT = 60
INOTIFY_FREE = 128

if __name__ == "__main__":
    sys.exit(main())
