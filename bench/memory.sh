#!/bin/sh
# memory.sh -- peak RSS of `khaldun code --format tsv -o /dev/null` on
# generated inputs of 20,000 and 200,000 records in each streaming format,
# from a file and through stdin.  A streaming reader's figure must not grow
# with the input (issue 10).
#
#     sh bench/memory.sh [KHALDUN]        (default build/khaldun)
#
# The inputs come from bench/gen_inputs.py (the peers' sentences, into
# build/bench/inputs; regenerated when missing).
set -e
BIN=${1:-build/khaldun}
DIR=${INPUTS:-build/bench/inputs}
[ -f "$DIR/in-200000.tabari.text" ] || python3 bench/gen_inputs.py -o "$DIR"
rss() {   # peak RSS in MB of the command line "$@"
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1 / 1024}'
}
printf '%-22s %12s %12s %12s %12s\n' format "20k file" "200k file" "20k stdin" "200k stdin"
for f in jsonl petr.xml parse.xml tabari.text; do
    a=$(rss "$BIN" code --format tsv -o /dev/null "$DIR/in-20000.$f")
    b=$(rss "$BIN" code --format tsv -o /dev/null "$DIR/in-200000.$f")
    c=$(rss sh -c "\"$BIN\" code --format tsv -o /dev/null - < \"$DIR/in-20000.$f\"")
    d=$(rss sh -c "cat \"$DIR/in-200000.$f\" | \"$BIN\" code --format tsv -o /dev/null -")
    printf '%-22s %10s MB %10s MB %10s MB %10s MB\n' "$f" "$a" "$b" "$c" "$d"
done
