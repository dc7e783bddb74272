#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fold the per-instruction counts of tests/bench/boot_plugin.c (profile=FILE) into functions.

Usage: boot_profile.py ELF PROFILE [TOP] [EXCLUDED_FUNCTION...]

Prints the TOP functions by instructions executed (self) and, for each, how often it was
called and from where: calls are counted at their call sites, since every executed `bl F` is
one call of F (an indirect `blr` is not attributed). Then the TOP functions by inclusive
count, estimated as gprof does: a callee's inclusive count is shared among its callers in
proportion to their calls (recursive calls are left out). Functions named after TOP (the bench's
idle, scrub, copy and hash ranges) are left out of the total, as in arm64_boot_work.
"""
import bisect
import collections
import re
import subprocess
import sys

elf, prof = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 30
excluded = set(sys.argv[4:])

syms = []
for line in subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tTwW":
        syms.append((int(f[0], 16), f[2]))
starts = [a for a, _ in syms]


def func(addr):
    i = bisect.bisect_right(starts, addr) - 1
    return syms[i][1] if i >= 0 else "?"


counts = {}
for line in open(prof):
    a, c = line.split()
    counts[int(a, 16)] = int(c)

self_count = collections.Counter()
for a, c in counts.items():
    self_count[func(a)] += c

calls = collections.defaultdict(collections.Counter)  # callee -> caller -> calls
bl = re.compile(r"^\s*([0-9a-f]+):\s+(?:[0-9a-f]{8}\s+)?bl\s+[0-9a-f]+ <([^>+]+)>")
for line in subprocess.run(["aarch64-linux-gnu-objdump", "-d", elf], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    m = bl.match(line)
    if m and int(m.group(1), 16) in counts:
        calls[m.group(2)][func(int(m.group(1), 16))] += counts[int(m.group(1), 16)]

total = sum(c for f, c in self_count.items() if f not in excluded)
print(f"boot work by function (self instructions; total {total}, without {' '.join(sorted(excluded))})")
for f, c in self_count.most_common():
    if f in excluded:
        continue
    if top == 0:
        break
    top -= 1
    n = sum(calls[f].values())
    callers = ", ".join(f"{k} {v}" for k, v in calls[f].most_common(4))
    print(f"{c:9d} {100 * c / total:5.1f}% {f:32s} calls {n:6d}  <- {callers}")

# Inclusive counts, callees first: a function's count is final once every callee's is.
incl = collections.Counter({f: c for f, c in self_count.items() if f not in excluded})
callees = collections.defaultdict(set)
for g, by in calls.items():
    for f in by:
        if f != g:
            callees[f].add(g)
done, order = set(), []


def visit(f, path=()):
    if f in done or f in path:
        return
    for g in callees[f]:
        visit(g, path + (f,))
    done.add(f)
    order.append(f)


for f in list(self_count) + list(calls):
    visit(f)
for g in order:  # callees before callers
    n = sum(c for f, c in calls[g].items() if f != g)
    for f, c in calls[g].items():
        if f != g and n:
            incl[f] += incl[g] * c // n
print("inclusive (estimated)")
for f, c in incl.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 30):
    print(f"{c:9d} {100 * c / total:5.1f}% {f}")
