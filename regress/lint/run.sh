#!/bin/sh
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
# Static checks that must stay clean: cppcheck over the agent's sources,
# and the parent's layers (layers.py), which first proves it catches an
# upward include and an upward call in a tree of its own.

. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lint.$$.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/parent/core" "$tmp/parent/tasks" "$tmp/regress/lint"
echo 'int task_run(void);' >"$tmp/parent/tasks/task.h"
echo 'int task_run(void) { return 0; }' >"$tmp/parent/tasks/task.c"
printf '#include "parent/tasks/task.h"\nint core_run(void);\n%s\n' \
    'int core_run(void) { return task_run(); }' >"$tmp/parent/core/core.c"
: >"$tmp/regress/lint/layers.allow"
if ! cc -c -I "$tmp" -o "$tmp/parent/core/core.o" "$tmp/parent/core/core.c" ||
    ! cc -c -o "$tmp/parent/tasks/task.o" "$tmp/parent/tasks/task.c"; then
	fail lint_layers_catches "cannot build the sample tree"
else
	out=$(python3 regress/lint/layers.py "$tmp")
	case $out in
	*"core/core -> parent/tasks/task points up (call task_run)"*)
		case $out in
		*"core/core -> parent/tasks/task points up (include)"*)
			ok lint_layers_catches ;;
		*)	fail lint_layers_catches "include not seen: $out" ;;
		esac ;;
	*)	fail lint_layers_catches "call not seen: $out" ;;
	esac
	echo "parent/core/core parent/tasks/task" \
	    >"$tmp/regress/lint/layers.allow"
	check lint_layers_allow python3 regress/lint/layers.py "$tmp"
fi
# A call that waits, in the root.
printf '#include <unistd.h>\nint w(void);\nint w(void) { return usleep(1); }\n' \
    >"$tmp/parent/core/w.c"
if cc -c -o "$tmp/parent/core/w.o" "$tmp/parent/core/w.c"; then
	case $(python3 regress/lint/layers.py "$tmp") in
	*"parent/core/w calls usleep, which waits"*)
		ok lint_layers_blocking ;;
	*)	fail lint_layers_blocking "usleep in the root not seen" ;;
	esac
else
	fail lint_layers_blocking "cannot build the sample tree"
fi
# Two files of one layer that call each other.
echo 'int y(void); int x(void); int x(void) { return y(); }' \
    >"$tmp/parent/tasks/x.c"
echo 'int x(void); int y(void); int y(void) { return x(); }' \
    >"$tmp/parent/tasks/y.c"
if cc -c -o "$tmp/parent/tasks/x.o" "$tmp/parent/tasks/x.c" &&
    cc -c -o "$tmp/parent/tasks/y.o" "$tmp/parent/tasks/y.c"; then
	case $(python3 regress/lint/layers.py "$tmp") in
	*"a cycle of calls: parent/tasks/x parent/tasks/y"*)
		ok lint_layers_cycle ;;
	*)	fail lint_layers_cycle "the cycle x <-> y not seen" ;;
	esac
else
	fail lint_layers_cycle "cannot build the sample tree"
fi
if out=$(make --no-print-directory all >/dev/null 2>&1 &&
    python3 regress/lint/layers.py); then
	ok lint_parent_layers
else
	fail lint_parent_layers "$out"
fi

if ! command -v cppcheck >/dev/null; then
	skip lint_cppcheck "cppcheck not installed (make deps)"
	exit 0
fi
if out=$(make --no-print-directory lint 2>&1); then
	ok lint_cppcheck_and_mandoc
else
	fail lint_cppcheck_and_mandoc "$out"
fi
finish
