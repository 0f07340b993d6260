#!/bin/sh
# bench/syntax_cost.sh -- what the tagger and the structure (chunks and
# clauses) add to the coder's per-sentence cost (issue 8: at most 25%).
#
#     sh bench/syntax_cost.sh                 # 3,000 generated + 5,000 real
#     SYNTAX_GEN=30000 SYNTAX_REAL=20000 sh bench/syntax_cost.sh
#
# Instruction counts, not seconds: the machine is shared and timings are
# noise, while callgrind's counts repeat to the instruction.  bench_code
# (bench/run.sh builds it) codes each corpus on one kh_coder under
# valgrind --tool=callgrind, and the inclusive counts of these functions
# are read back with callgrind_annotate:
#
#   coder      kh_code_sentence: everything coding a sentence costs
#   tagger     kh_tagger_tag_cached + kh_tagger_cache_new
#   structure  kh_chunk + kh_chunk_fix_tags (chunk.c)
#
# and the ratio printed is (tagger + structure) / (coder - tagger -
# structure): what the syntax adds to the rest of the coder.  The two
# corpora are bench/run.sh's generated one (seed 7) with the Phoenix
# dictionaries (as bench/run.sh picks them), and bench/make_inputs.py's
# real sentences with the default dictionaries compiled into khaldun.
# Peak RSS is bench_code's own, run natively on the same corpora.

set -u
cd "$(dirname "$0")/.." || exit 2
GEN=${SYNTAX_GEN:-3000}
REAL=${SYNTAX_REAL:-5000}
OUT=build/bench
PYTHON=${PYTHON:-python3}

command -v valgrind >/dev/null || { echo "syntax_cost: needs valgrind (Debian package valgrind)" >&2; exit 1; }
BENCH_SENTENCES=$GEN sh bench/run.sh > "$OUT/syntax-run.log" 2>&1 ||
  { cat "$OUT/syntax-run.log" >&2; exit 1; }
CORPUS=$(sed -n 's/^bench: coding: .* \(build\/bench\/corpus-[^ ]*\)$/\1/p' "$OUT/syntax-run.log")
DICTS=$(sed -n 's/^bench: coding: build\/bench\/bench_code \(.*\) build\/bench\/corpus-[^ ]*$/\1/p' "$OUT/syntax-run.log")
case $DICTS in build/bench/bench_code*) DICTS="" ;; esac
PEERS=${PEERS:-}
if [ -z "$PEERS" ]; then
  for d in /work/shared/peers ../shared/peers; do
    [ -d "$d" ] && { PEERS=$d; break; }
  done
fi
IN=$OUT/real-peers
[ -n "$PEERS" ] || IN=$OUT/real-examples
if [ ! -s "$IN/real-$REAL.txt" ] || [ bench/make_inputs.py -nt "$IN/real-$REAL.txt" ]; then
  $PYTHON bench/make_inputs.py ${PEERS:+--peers "$PEERS"} --out "$IN" "$REAL" >&2 || exit 1
fi

# The inclusive count of function $2 in callgrind output $1.  A function
# can be listed twice (its file named with and without the build
# directory); the larger count is the whole.
count() {
  callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
    awk -v f="$2" '{ n = $1; gsub(",", "", n); name = $0
                     sub(/^[^)]*\) +/, "", name); sub(/ .*$/, "", name); sub(/^.*:/, "", name)
                     if (name == f && n + 0 > best) best = n + 0 }
                   END { print best + 0 }'
}

# measure NAME CORPUS DICT-OPTIONS...
measure() {
  name=$1 corpus=$2
  shift 2
  cg=$OUT/syntax-$name.callgrind
  sentences=$(wc -l < "$corpus")
  valgrind --tool=callgrind --callgrind-out-file="$cg" "$OUT/bench_code" "$@" "$corpus" \
    > /dev/null 2>&1 || { echo "syntax_cost: callgrind failed on $corpus" >&2; exit 1; }
  rss=$("$OUT/bench_code" "$@" "$corpus" | sed -n 's/^peak_rss_mb: //p')
  coder=$(count "$cg" kh_code_sentence)
  tagger=$(( $(count "$cg" kh_tagger_tag_cached) + $(count "$cg" kh_tagger_cache_new) ))
  structure=$(( $(count "$cg" kh_chunk) + $(count "$cg" kh_chunk_fix_tags) ))
  awk -v name="$name" -v s="$sentences" -v c="$coder" -v t="$tagger" -v st="$structure" -v rss="$rss" 'BEGIN {
    rest = c - t - st
    printf "%-10s %6d sentences  coder %6.1fM (%5.0f/sent)  tagger %5.1fM (%4.0f/sent)  structure %5.1fM (%4.0f/sent)  rest %6.1fM  syntax +%.1f%%  peak RSS %s MB\n",
           name, s, c / 1e6, c / s, t / 1e6, t / s, st / 1e6, st / s, rest / 1e6, 100 * (t + st) / rest, rss }'
}

measure generated "$CORPUS" $DICTS
measure real "$IN/real-$REAL.txt"
