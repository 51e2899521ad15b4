#!/usr/bin/env python3
"""Writes p-median instances shaped like OR-Library's pmed11-40 (Beasley 1990),
which are not in ../shared/data: n nodes on a Hamiltonian cycle 1-2-...-n-1
plus random edges up to m = n*n/50, costs uniform 1..100, in the pmed file
format ("n m p", then "i j cost" lines). Seeded: the same call writes the same
files. Used for the p-median table in docs/performance.md:

    bench/orlib_like_pmed.py OUT_DIR
    for f in OUT_DIR/s*.txt; do endstate footprint solve --orlib-pmed $f --time-limit 300; done
"""
import os
import random
import sys

SIZES = [(300, [5, 10, 30, 60, 100]), (500, [5, 10, 50, 100, 167]), (700, [5, 10, 70, 140]), (900, [5, 10, 90])]


def write(n, p, seed, path):
    r = random.Random(seed)
    m = n * n // 50
    edges = [(k, k % n + 1) for k in range(1, n + 1)]
    while len(edges) < m:
        i, j = r.randrange(1, n + 1), r.randrange(1, n + 1)
        if i != j:
            edges.append((i, j))
    with open(path, "w") as f:
        f.write(f" {n} {m} {p}\n")
        for i, j in edges:
            f.write(f" {i} {j} {r.randint(1, 100)}\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: orlib_like_pmed.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n, ps in SIZES:
        for p in ps:
            write(n, p, n * 1000 + p, os.path.join(out, f"s{n}_{p}.txt"))


if __name__ == "__main__":
    main()
