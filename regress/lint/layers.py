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

"""The parent's arrows point down (parent/README).

Layers, lowest first: core, ports, tasks, outputs; parent/*.c (main,
the wiring) sits above them all.  A file may include a header of its
own layer or a lower one, and its object may call functions defined
in its own layer or a lower one.  Includes are read from the sources;
calls from the objects' symbol tables (nm), so a call through a
forward declaration counts as well.

Nor may the parent's files call each other in a cycle, inside a layer
as well: the tool prints each set of files that do.  And the root never
blocks: a parent object that calls a function that waits (a name
lookup, a sleep, a poll) is named, unless layers.allow says why it may.

The arrows that still point up are listed, one "from to" pair of files
a line, in layers.allow, the cycles as "cycle file file...", the
waiting calls as "blocking file function": each is a debt of issue 15
or a reason.  A new upward arrow or cycle fails, and so does
an entry that no longer occurs, so the list only shrinks.

usage: layers.py [-c] [-a allowfile] [topdir]
(-c: print the cycles, allowed or not)
Prints "layers: ..." for each problem and exits 1 if there is one.
"""

import getopt
import os
import re
import subprocess
import sys

LAYERS = ["core", "ports", "tasks", "outputs"]
TOPRANK = len(LAYERS)
BLOCKING = {"getaddrinfo", "getaddrinfo_a", "gai_suspend", "gethostbyname",
            "usleep", "sleep", "nanosleep", "poll", "ppoll", "select",
            "system", "popen"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"parent/([a-z]+)/[^"]+"')


def rank(path):
    """The layer of parent/<layer>/x.[cho], TOPRANK for parent/x.c."""
    parts = path.split("/")
    if len(parts) == 2:
        return TOPRANK
    if len(parts) == 3 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None


def sources(top):
    out = []
    for root, dirs, files in os.walk(os.path.join(top, "parent")):
        dirs.sort()
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                out.append(os.path.relpath(os.path.join(root, f), top))
    return out


def unit(path):
    return re.sub(r"\.[cho]$", "", path)


def includes(top, edges, problems):
    for src in sources(top):
        r = rank(src)
        if r is None:
            problems.append("%s: outside the layers (core, ports, "
                            "tasks, outputs)" % src)
            continue
        with open(os.path.join(top, src), errors="replace") as f:
            for line in f:
                m = INCLUDE.match(line)
                if m is None:
                    continue
                if m.group(1) not in LAYERS:
                    problems.append("%s: includes parent/%s/, not a layer"
                                    % (src, m.group(1)))
                    continue
                if LAYERS.index(m.group(1)) > r:
                    hdr = line.split('"')[1]
                    edges.add((unit(src), unit(hdr), "include"))


def symbols(obj, defined):
    args = ["nm", "--defined-only" if defined else "--undefined-only",
            obj]
    out = subprocess.run(args, capture_output=True, text=True,
                         check=True).stdout
    syms = set()
    for line in out.splitlines():
        f = line.split()
        if defined and len(f) == 3 and f[1] in "TDBRVW":
            syms.add(f[2])
        elif not defined and len(f) == 2:
            syms.add(f[1])
    return syms


def calls(top, edges, graph, blocking):
    objs = [unit(s) + ".o" for s in sources(top) if s.endswith(".c")]
    objs = [o for o in objs if rank(o) is not None]
    missing = [o for o in objs if not os.path.exists(os.path.join(top, o))]
    if missing:
        return "not built: " + " ".join(missing)
    owner = {}
    for o in objs:
        for s in symbols(os.path.join(top, o), True):
            owner[s] = o
    for o in objs:
        for s in symbols(os.path.join(top, o), False):
            if s in BLOCKING:
                blocking.add((unit(o), s))
            d = owner.get(s)
            if d is None or d == o:
                continue
            graph.setdefault(unit(o), set()).add(unit(d))
            if rank(d) > rank(o):
                edges.add((unit(o), unit(d), "call " + s))
    return None


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    opts, args = getopt.getopt(sys.argv[1:], "a:c")
    top = args[0] if args else "."
    allowfile = os.path.join(top, "regress/lint/layers.allow")
    show_cycles = False
    for o, v in opts:
        if o == "-a":
            allowfile = v
        elif o == "-c":
            show_cycles = True

    allow, allow_cycles, allow_blocking = set(), set(), set()
    with open(allowfile) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) > 1 and line[0] == "cycle":
                allow_cycles.add(tuple(sorted(line[1:])))
            elif len(line) == 3 and line[0] == "blocking":
                allow_blocking.add((line[1], line[2]))
            elif len(line) == 2:
                allow.add((line[0], line[1]))

    problems, edges, graph, blocking = [], set(), {}, set()
    includes(top, edges, problems)
    err = calls(top, edges, graph, blocking)
    if err is not None:
        problems.append(err)

    seen = set()
    for a, b, how in sorted(edges):
        seen.add((a, b))
        if (a, b) not in allow:
            problems.append("%s -> %s points up (%s)" % (a, b, how))
    if err is None:
        for a, b in sorted(allow - seen):
            problems.append("%s -> %s: no longer points up, remove it "
                            "from %s" % (a, b, allowfile))

    if err is None:
        found = set(tuple(c) for c in cycles(graph))
        for c in sorted(found):
            if show_cycles:
                print("cycle: " + " ".join(c))
            if c not in allow_cycles:
                problems.append("a cycle of calls: " + " ".join(c))
        for c in sorted(allow_cycles - found):
            problems.append("cycle %s: no longer there, remove it from %s"
                            % (" ".join(c), allowfile))
        for f, sym in sorted(blocking - allow_blocking):
            problems.append("%s calls %s, which waits" % (f, sym))
        for f, sym in sorted(allow_blocking - blocking):
            problems.append("blocking %s %s: no longer called, remove it "
                            "from %s" % (f, sym, allowfile))
    for p in problems:
        print("layers: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
