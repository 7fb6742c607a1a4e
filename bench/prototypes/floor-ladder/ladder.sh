#!/bin/bash
# THROWAWAY PROTOTYPE (issue 16, session 21): the cold scan's floor ladder. Each rung is today's
# `--once --json --no-cache` with everything after one stage left out (floor-ladder.diff, a
# PROTO_FLOOR switch in the line reader and the reader), run alternately with ccusage:
#   start   an empty home (Node, the CLI, no history)
#   marker  files read and the WebAssembly marker pass; picked lines not read
#   tape    + each picked line's tape (WebAssembly); no parser code
#   parse   + the stores' parsers (events made, then dropped: no aggregate)
#   rows    + session 15's rows counting as the sink (bench/prototypes/rows-aggregate/rows.ts;
#             totals only: PROTO_ROWS_PRINT=1 BURNTOP_PARALLEL=0 prints them to compare)
#   mini    Claude Code's tape straight into rows (mini-rows.ts: no event, no record, no user
#             lines; one of 31,445 calls on 1 GB is a line the tape leaves to JSON.parse, dropped);
#             the other stores through their parsers into the rows sink
#   full    today's scan
# Usage, from the repository's root:
#   git apply bench/prototypes/floor-ladder/floor-ladder.diff && npm run build
#   CCUSAGE_BIN=/path/to/ccusage bash bench/prototypes/floor-ladder/ladder.sh .bench-data/1024mb/home 7
#   git apply -R bench/prototypes/floor-ladder/floor-ladder.diff && npm run build
# RUNGS="tape parse full" picks rungs.
set -e
H=$(realpath "$1"); R=$2; RUNGS=${RUNGS:-start marker tape parse mini rows full}; BIN=${CCUSAGE_BIN:-ccusage}
EMPTY=$(mktemp -d); CACHE=$(mktemp -d); trap 'rm -rf "$EMPTY" "$CACHE"' EXIT
warm() { find -L "$H" -type f -exec cat {} + >/dev/null; }
for i in $(seq "$R"); do
	for f in $RUNGS; do
		warm; HH=$H; [ "$f" = start ] && HH=$EMPTY
		echo "$f $(env PROTO_FLOOR=$f HOME=$HH CLAUDE_CONFIG_DIR= CODEX_HOME= XDG_CONFIG_HOME=$HH/.config XDG_CACHE_HOME=$CACHE /usr/bin/time -f "%e %U %S %M" node dist/burntop.mjs --once --json --no-cache 2>&1 >/dev/null | tail -1)"
	done
	warm; echo "ccusage $(env HOME=$H CLAUDE_CONFIG_DIR=$H/.claude CODEX_HOME=$H/.codex /usr/bin/time -f "%e %U %S %M" "$BIN" daily --json --offline 2>&1 >/dev/null | tail -1)"
done | python3 -c "
import sys, statistics as s, collections
d = collections.defaultdict(list)
for l in sys.stdin:
	k, w, u, sy, r = l.split(); d[k].append((float(w), float(u) + float(sy), int(r) / 1024))
cw = s.median(x[0] for x in d['ccusage'])
for k, v in d.items():
	w = [x[0] for x in v]
	print(f'{k:8s} wall {s.median(w):.2f} s ({min(w):.2f}-{max(w):.2f}), CPU {s.median(x[1] for x in v):.2f} s, RSS {s.median(x[2] for x in v):.0f} MB, wall/ccusage {s.median(w) / cw:.2f}')
"
