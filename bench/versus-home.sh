#!/bin/bash
# burntop's cold scan (`--once --json --no-cache`, its defaults) against `ccusage daily --json
# --offline` on any home, alternating run by run: wall, CPU (user + system), peak RSS and the
# ratios. For one store alone, symlink it into an empty folder:
#   mkdir -p /tmp/conly && ln -sfn $PWD/.bench-data/1024mb/home/.claude /tmp/conly/.claude
#   CCUSAGE_BIN=/path/to/ccusage bench/versus-home.sh /tmp/conly 7
set -e
H=$1; R=$2; BIN=${CCUSAGE_BIN:-ccusage}
CACHE=$(mktemp -d); trap 'rm -rf "$CACHE"' EXIT
warm() { find -L "$H" -type f -exec cat {} + >/dev/null; }
A=(); B=()
for i in $(seq $R); do
  warm; A+=("$(env HOME=$H CLAUDE_CONFIG_DIR= CODEX_HOME= XDG_CONFIG_HOME=$H/.config XDG_CACHE_HOME=$CACHE /usr/bin/time -f "%e %U %S %M" node dist/burntop.mjs --once --json --no-cache 2>&1 >/dev/null | tail -1)")
  warm; B+=("$(env HOME=$H CLAUDE_CONFIG_DIR=$H/.claude CODEX_HOME=$H/.codex /usr/bin/time -f "%e %U %S %M" "$BIN" daily --json --offline 2>&1 >/dev/null | tail -1)")
done
python3 - "${A[@]}" "--" "${B[@]}" <<'P'
import sys, statistics as s
args = sys.argv[1:]; k = args.index('--'); a = args[:k]; b = args[k+1:]
def st(x):
  w=[float(v.split()[0]) for v in x]; u=[float(v.split()[1])+float(v.split()[2]) for v in x]; r=[int(v.split()[3])/1024 for v in x]
  return w, u, f"wall median {s.median(w):.2f} s ({min(w):.2f}-{max(w):.2f}), CPU median {s.median(u):.2f} s, RSS {s.median(r):.0f} MB"
wa,ua,ta=st(a); wb,ub,tb=st(b)
print('burntop', ta); print('ccusage', tb)
print(f"wall ratio median {s.median([x/y for x,y in zip(wa,wb)]):.2f}, CPU ratio median {s.median([x/y for x,y in zip(ua,ub)]):.2f}")
P
