#!/bin/sh
# dedup.sh -- CPU seconds and peak RSS of `khaldun code -j 1` into each event
# format, on JSON lines whose documents are out of date order: the
# duplicate stage's cost, which must stay near TSV's and not grow faster
# than the input (issue 10 item 4: GDELT and SQLite output were quadratic).
#
#     sh bench/dedup.sh [KHALDUN] [COUNT]     (default build/khaldun, 200000)
#
# Two inputs of COUNT records from bench/gen_inputs.py (the peers'
# sentences, in build/bench/inputs): its own, whose dates cycle through a
# year every 336 records, and a copy with every date drawn at random from
# 2008 (seeded, so the same bytes every time).  User CPU seconds, not wall
# time: other work on the machine moves them less.
set -e
BIN=${1:-build/khaldun}
N=${2:-200000}
DIR=${INPUTS:-build/bench/inputs}
[ -f "$DIR/in-$N.jsonl" ] || python3 bench/gen_inputs.py -n "$N" -o "$DIR"
[ -f "$DIR/shuffled-$N.jsonl" ] || python3 - "$DIR/in-$N.jsonl" "$DIR/shuffled-$N.jsonl" <<'PY'
import json, random, sys
random.seed(7)
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        d = json.loads(line)
        d["date"] = "2008%02d%02d" % (random.randint(1, 12), random.randint(1, 28))
        o.write(json.dumps(d) + "\n")
PY
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
printf '%-20s %-7s %10s %10s %9s\n' input format "CPU s" "peak MB" events
for in in "in-$N" "shuffled-$N"; do
    for f in tsv jsonl gdelt sqlite; do
        rm -f "$OUT"/out.*     # a database would keep the first run's rows
        /usr/bin/time -f "%U %M" -o "$OUT/time" "$BIN" code -j 1 --quiet --format "$f" \
            -o "$OUT/out.$f" "$DIR/$in.jsonl"
        case $f in
        sqlite) n=$(sqlite3 "$OUT/out.$f" 'SELECT count(*) FROM merged_events') ;;
        tsv) n=$(($(wc -l < "$OUT/out.$f") - 1)) ;;
        *) n=$(wc -l < "$OUT/out.$f") ;;
        esac
        read -r cpu kb < "$OUT/time"
        printf '%-20s %-7s %10s %10.1f %9s\n' "$in" "$f" "$cpu" "$(echo "$kb / 1024" | bc -l)" "$n"
    done
done
