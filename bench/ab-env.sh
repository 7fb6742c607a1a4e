#!/bin/bash
# One build's cold scans (`--once --json --no-cache`) under two environments, alternating run by
# run on one generated history: wall (with each run's), CPU (user + system) and peak RSS medians.
#   bench/ab-env.sh MB ROUNDS "ENV_A" "ENV_B" [DIST]
# e.g. bench/ab-env.sh 1024 10 "BURNTOP_PARALLEL=" "BURNTOP_PARALLEL=files BURNTOP_WORKERS=1"
# AB_HOME=dir: another home instead (as in ab-cold.sh).
set -e
MB=$1; R=$2; EA=$3; EB=$4; D=${5:-dist}
H=${AB_HOME:-$PWD/.bench-data/${MB}mb/home}
CACHE=$(mktemp -d); trap 'rm -rf "$CACHE"' EXIT
# The history read just before each run (see ab-cold.sh).
warm() { find -L "$H" -type f -exec cat {} + >/dev/null; }
run() { warm; env $1 HOME=$H CLAUDE_CONFIG_DIR= CODEX_HOME= XDG_CONFIG_HOME=$H/.config XDG_CACHE_HOME=$CACHE /usr/bin/time -f "%e %U %S %M" node $D/burntop.mjs --once --json --no-cache 2>&1 >/dev/null | tail -1; }
A=(); B=()
for i in $(seq $R); do A+=("$(run "$EA")"); B+=("$(run "$EB")"); done
python3 - "${A[@]}" "--" "${B[@]}" <<'P'
import sys, statistics as s
args = sys.argv[1:]; k = args.index('--'); a = args[:k]; b = args[k+1:]
def st(x):
  w=[float(v.split()[0]) for v in x]; u=[float(v.split()[1])+float(v.split()[2]) for v in x]; r=[int(v.split()[3])/1024 for v in x]
  return f"wall median {s.median(w):.3f} s ({min(w):.2f}-{max(w):.2f}) [{' '.join(f'{v:.2f}' for v in w)}], cpu median {s.median(u):.2f} s, RSS {s.median(r):.1f} MB"
print('A', st(a)); print('B', st(b))
P
