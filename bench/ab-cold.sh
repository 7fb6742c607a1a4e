#!/bin/bash
# Two builds' cold scans (`--once --json --no-cache`), alternating run by run on one generated
# history: wall (and each run's), user CPU, CPU (user + system) and peak RSS medians of each.
#   bench/ab-cold.sh MB ROUNDS "ENV=..." DIST_A DIST_B
# e.g. bench/ab-cold.sh 1024 10 "BURNTOP_PARALLEL=0" /tmp/dist-before dist   (the history: npm run bench makes it)
# AB_HOME=dir: another home instead (e.g. one holding only the history's .codex, symlinked).
# AB_ENV_B="ENV=...": B's environment instead of ENV (one build under two settings: DIST_A = DIST_B).
set -e
MB=$1; R=$2; E=$3; DA=$4; DB=$5; EB=${AB_ENV_B-$E}
H=${AB_HOME:-$PWD/.bench-data/${MB}mb/home}
CACHE=$(mktemp -d); trap 'rm -rf "$CACHE"' EXIT
# The history read just before each run: this machine's page cache is reclaimed within minutes
# (DAMON), and a run that reads from the disk says nothing about the code.
warm() { find -L "$H" -type f -exec cat {} + >/dev/null; }
run() { warm; env $2 HOME=$H CLAUDE_CONFIG_DIR= CODEX_HOME= XDG_CONFIG_HOME=$H/.config XDG_CACHE_HOME=$CACHE /usr/bin/time -f "%e %U %S %M" node $1/burntop.mjs --once --json --no-cache 2>&1 >/dev/null | tail -1; }
A=(); B=()
for i in $(seq $R); do A+=("$(run $DA "$E")"); B+=("$(run $DB "$EB")"); done
python3 - "${A[@]}" "--" "${B[@]}" <<'P'
import sys, statistics as s
args = sys.argv[1:]; k = args.index('--'); a = args[:k]; b = args[k+1:]
def st(x):
  w=[float(v.split()[0]) for v in x]; u=[float(v.split()[1]) for v in x]; c=[float(v.split()[1])+float(v.split()[2]) for v in x]; r=[int(v.split()[3])/1024 for v in x]
  return f"wall median {s.median(w):.2f} s ({min(w):.2f}-{max(w):.2f}) [{' '.join(f'{v:.2f}' for v in w)}], user median {s.median(u):.2f} s, cpu median {s.median(c):.2f} s, peak RSS median {s.median(r):.1f} MB"
print('A', st(a)); print('B', st(b))
P
