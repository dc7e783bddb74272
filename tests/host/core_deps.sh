#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The dependency graph of core/'s subsystems, derived from the objects, not from what the
# sources say they include: a subsystem is a folder of core/ (core/config, core/mm, ...; the
# files at the top of core/ are "core"), and A depends on B when an object of A has an
# undefined symbol that an object of B defines (nm). The graph must have no cycle:
#   core-deps/derived   the arm64 build (partitions, test monitor: every core object) gives a
#                       graph with at least one edge (the check is looking at real objects)
#   core-deps/acyclic   no cycle; on failure the cycle is named. The graph is printed either way.
# BH_CORE_DEPS_OBJ=DIR checks the objects already built under DIR/obj/core instead.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/core-deps
mkdir -p "$out"

build=${BH_CORE_DEPS_OBJ:-}
if [ -z "$build" ]; then
    build=$out/arm64
    rm -rf "$build"
    printf '%s\n' 'CONFIG_PARTITION_LAYOUT=""' CONFIG_TEST_EXIT=y CONFIG_TEST_MONITOR=y \
        >"$out/fragment.config"
    if ! make -s -C "$top" O="$build" qemu_arm64_virt_defconfig \
        EXTRA_CONFIG="$out/fragment.config" >"$out/build.log" 2>&1 ||
        ! make -s -C "$top" O="$build" -j2 "$build/bulkhead.elf" >>"$out/build.log" 2>&1; then
        echo "FAIL core-deps/derived: the arm64 build failed: $(tail -n 3 "$out/build.log" | tr '\n' ' ')"
        exit 1
    fi
fi
cross=$(sed -n 's/^CONFIG_CROSS_COMPILE="\(.*\)"$/\1/p' "$build/.config")
nm=${cross}nm

# One line per symbol: "D|U <subsystem> <symbol>".
: >"$out/symbols"
while IFS= read -r obj; do
    rel=${obj#"$build/obj/"}
    case $rel in
    core/*/*) sub=${rel%/*} ;;
    *) sub=core ;;
    esac
    "$nm" -g --defined-only "$obj" | awk -v s="$sub" 'NF == 3 { print "D", s, $3 }'
    "$nm" -u "$obj" | awk -v s="$sub" '{ print "U", s, $NF }'
done < <(find "$build/obj/core" -name '*.o' | sort) >>"$out/symbols"

/usr/bin/python3 - "$out/symbols" <<'PY'
import sys

defined, uses = {}, []
for line in open(sys.argv[1]):
    kind, sub, sym = line.split()
    if kind == "D":
        defined.setdefault(sym, set()).add(sub)
    else:
        uses.append((sub, sym))

# edges[a][b] = symbols a takes from b
edges = {}
for sub, sym in uses:
    for owner in defined.get(sym, ()):
        if owner != sub:
            edges.setdefault(sub, {}).setdefault(owner, set()).add(sym)

subs = sorted(set(sub for sub, _ in uses) | set(s for ss in defined.values() for s in ss))
print("core subsystems and what each takes from the others (symbols):")
for a in subs:
    deps = edges.get(a, {})
    if not deps:
        print(f"  {a:16} -> (nothing)")
    for b in sorted(deps):
        some = ", ".join(sorted(deps[b])[:4]) + (", ..." if len(deps[b]) > 4 else "")
        print(f"  {a:16} -> {b:16} {some}")

n_edges = sum(len(d) for d in edges.values())
ok = True
if n_edges == 0:
    print("FAIL core-deps/derived: no dependency between subsystems found (no objects?)")
    ok = False
else:
    print(f"PASS core-deps/derived")

# Depth-first search for a cycle; report the first found as a path.
state, stack, cycle = {}, [], None

def visit(a):
    global cycle
    state[a] = 1
    stack.append(a)
    for b in sorted(edges.get(a, {})):
        if cycle:
            return
        if state.get(b) == 1:
            cycle = stack[stack.index(b):] + [b]
            return
        if state.get(b) is None:
            visit(b)
    stack.pop()
    state[a] = 2

for a in subs:
    if state.get(a) is None and not cycle:
        visit(a)
if cycle:
    path = " -> ".join(cycle)
    why = "; ".join(
        f"{cycle[i]} uses {sorted(edges[cycle[i]][cycle[i + 1]])[0]}" for i in range(len(cycle) - 1)
    )
    print(f"FAIL core-deps/acyclic: cycle {path} ({why})")
    ok = False
elif n_edges:
    print("PASS core-deps/acyclic")
sys.exit(0 if ok else 1)
PY
