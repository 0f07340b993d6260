#!/bin/sh
# bench/pipeline.sh -- the whole `khaldun code` pipeline on real sentences,
# against a yardstick measured in the same run.  See bench/README.md.
#
#     sh bench/pipeline.sh                 # 20,000 and 200,000 sentences
#     BENCH_QUICK=1 sh bench/pipeline.sh   # 20,000 only (a check, ~1 min)
#     BENCH_FULL=1 sh bench/pipeline.sh    # every cell at 200,000 too
#     BENCH_REPEAT=N                       # runs per cell, fastest kept
#                                          # (default 3 at 20,000, else 1)
#     BENCH_DICTS=default sh bench/pipeline.sh   # never the Phoenix set
#     BENCH_JOBS="1 2" sh bench/pipeline.sh      # once khaldun has -j
#     KHALDUN=/path/to/old/khaldun sh bench/pipeline.sh   # "before"
#     sh bench/pipeline.sh --table build/bench/pipeline-REV.tsv  # reprint
#
# Inputs are generated from real sentences into build/bench/ by
# bench/make_inputs.py (the peers' text is read at run time, never
# committed).  Every khaldun run is timed by /usr/bin/time (wall, user,
# system, peak RSS); the yardstick (bench/yardstick.c) scans the same
# file with the same dictionaries just before, so that the ratios are
# taken within one run on a machine that others load too.
# Results go to build/bench/pipeline-REV.tsv and a table on stdout.

set -u
cd "$(dirname "$0")/.." || exit 2

OUT=build/bench
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
PYTHON=${PYTHON:-python3}
TIMEOUT=${BENCH_TIMEOUT:-600}
JOBS=${BENCH_JOBS:-1}
if [ "${BENCH_QUICK:-0}" = 1 ]; then SIZES=20000; else SIZES="20000 200000"; fi
SIZES=${BENCH_SIZES:-$SIZES}
SMALL=${SIZES%% *}

# table RESULTS.tsv: the table of one run's results (also on its own:
# sh bench/pipeline.sh --table build/bench/pipeline-REV.tsv).
table() {
awk -F'\t' -v small="$SMALL" '
NR == 1 { next }
{ key = $1 "|" $2 "|" $3 "|" $4; row[NR] = $0
  if ($5 == small) base[key] = $11 }
END {
  printf "%-8s %-11s %-6s %-3s %7s %7s %6s %7s %7s %9s %8s %7s %7s %7s %s\n", "dicts",
    "input", "output", "-j", "sent", "kh_sent", "events", "wall_s", "cpu_s",
    "sent/s", "sent/cpu", "yard_ms", "x_yard", "rss_MB", "rss_vs_small"
  for (i = 2; i <= NR; i++) {
    split(row[i], f, "\t")
    key = f[1] "|" f[2] "|" f[3] "|" f[4]
    cpu = f[9] + f[10]
    sps = (f[8] > 0) ? sprintf("%.0f", f[5] / f[8]) : "-"
    spc = (cpu > 0) ? sprintf("%.0f", f[5] / cpu) : "-"
    ratio = (f[12] > 0 && f[12] != "-") ? sprintf("%.1f", cpu / f[12]) : "-"
    yms = (f[12] > 0 && f[12] != "-") ? sprintf("%.1f", f[12] * 1000) : "-"
    d = (f[5] != small && (key in base)) ? sprintf("%+.1f", (f[11] - base[key]) / 1024) : ""
    if (f[2] == "startup") { sps = spc = "-" }
    printf "%-8s %-11s %-6s %-3s %7s %7s %6s %7s %7.2f %9s %8s %7s %7s %7.1f %s%s\n",
      f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], cpu, sps, spc, yms, ratio,
      f[11] / 1024, d, (f[13] == "ok") ? "" : "  " f[13]
  }
}' "$1"
}
if [ "${1:-}" = --table ]; then
  [ -f "${2:-}" ] || { echo "usage: sh bench/pipeline.sh --table RESULTS.tsv" >&2; exit 2; }
  table "$2"; exit 0
fi

[ -x /usr/bin/time ] || {
  echo "bench: needs /usr/bin/time (apt-get install time; see tools/install-deps.sh)" >&2
  exit 1; }

# ---- build: khaldun, and the two programs with the Makefile's flags ----
PKGS=$(make -s print-pkgs)
PKG_CFLAGS=$(pkg-config --cflags $PKGS 2>/dev/null)
KH_CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
  -Wno-unused-parameter -Iinclude -Isrc -Ibuild/gen $PKG_CFLAGS"
LIBS=$(make -s print-libs)     # with OpenMPI's when the build found it

make -j2 build/khaldun build/libkhaldun.a >/dev/null ||
  { echo "bench: khaldun does not build" >&2; exit 1; }
mkdir -p "$OUT"
for prog in yardstick bench_code; do
  $CC $KH_CFLAGS $CFLAGS -o "$OUT/$prog" "bench/$prog.c" build/libkhaldun.a $LIBS ||
    { echo "bench: cannot build $prog" >&2; exit 1; }
done
KHALDUN=${KHALDUN:-build/khaldun}
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src include data 2>/dev/null || REV="$REV+dirty"

# ---- the peers' folder: real text and the Phoenix dictionaries ----
# PEERS=none: as if there were none (to check the fallback).
PEERS=${PEERS:-}
if [ "$PEERS" = none ]; then
  PEERS=""
elif [ -z "$PEERS" ]; then
  for d in /work/shared/peers ../shared/peers; do
    [ -d "$d" ] && { PEERS=$d; break; }
  done
fi
if [ -n "$PEERS" ]; then
  SRC=peers
else
  SRC=examples
  echo "bench: no peers' folder: real sentences from examples/ alone," \
       "default dictionaries only" >&2
fi

# ---- inputs: regenerated when missing or older than the generator ----
IN=$OUT/real-$SRC
mkdir -p "$IN"
for n in $SIZES; do
  if [ ! -s "$IN/real-$n-parse.xml" ] || [ bench/make_inputs.py -nt "$IN/real-$n-parse.xml" ]; then
    echo "bench: generating $n sentences into $IN/"
    $PYTHON bench/make_inputs.py ${PEERS:+--peers "$PEERS"} --out "$IN" "$n" ||
      { echo "bench: cannot generate the inputs" >&2; exit 1; }
  fi
done

. bench/phoenix.sh
PHOENIX=$PHOENIX_DICTS
DICTSETS=default
if [ "${BENCH_DICTS:-}" != default ] && phoenix_available; then
  DICTSETS="default phoenix"
fi

# The -j slot: a job count other than 1 is run only if khaldun takes -j.
# A khaldun that takes -j is always given it: its default is one thread
# per core, and "-j 1" must mean one.
printf 'Arnor met Gondor.\n' >"$OUT/one.txt"
HAS_J=""
"$KHALDUN" code --quiet -j 1 "$OUT/one.txt" >/dev/null 2>&1 && HAS_J=1
J_OK=""
for j in $JOBS; do
  if [ "$j" = 1 ] || "$KHALDUN" code --quiet -j "$j" "$OUT/one.txt" >/dev/null 2>&1; then
    J_OK="$J_OK $j"
  else
    echo "bench: khaldun has no -j yet: -j $j skipped" >&2
  fi
done

RES=$OUT/pipeline-$REV.tsv
TMP=$OUT/pipeline-tmp
rm -rf "$TMP"; mkdir -p "$TMP"
printf 'dicts\tinput\toutput\tjobs\tn\tkh_sentences\tevents\twall\tuser\tsys\trss_kb\tyard_cpu\tstatus\n' >"$RES"

# run COMMAND...: times COMMAND $REPEAT times and appends the fastest
# (least user + system time) to $RES as one row.  Globals: dicts input
# output jobs n yard (the yardstick's scan time); standard input is
# $STDIN (the file, or /dev/null).
run() {
  best="" r=0
  while [ $r -lt "$REPEAT" ]; do
    r=$((r + 1))
    rm -f "$TMP"/out.* "$TMP/time"
    timeout "$TIMEOUT" /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@" \
      <"$STDIN" >"$TMP/stdout" 2>"$TMP/stderr"
    rc=$?
    status=ok
    [ $rc = 0 ] || status="exit$rc"
    [ $rc = 124 ] && status=timeout
    t=$(tail -1 "$TMP/time" 2>/dev/null)
    [ -n "$t" ] || t="- - - -"
    if [ -z "$best" ] || [ "$status" != ok ] ||
       awk -v a="$t" -v b="$best" 'BEGIN { split(a, x, " "); split(b, y, " ")
         exit !(x[2] + x[3] < y[2] + y[3]) }'; then
      best=$t
    fi
    [ "$status" = ok ] || break
  done
  set -- $best
  wall=$1 user=$2 sys=$3 rss=$4
  # khaldun's summary: "khaldun: D documents, S sentences, E events ..."
  # bench_code's: "summary: S sentences in ... , E events, ..."
  line=$(grep -h '^khaldun: [0-9]* documents' "$TMP/stderr" | tail -1)
  if [ -n "$line" ]; then
    ks=$(echo "$line" | sed 's/.* documents, \([0-9]*\) sentences.*/\1/')
    ev=$(echo "$line" | sed 's/.* sentences, \([0-9]*\) events.*/\1/')
  else
    line=$(grep -h '^summary:' "$TMP/stdout" | tail -1)
    ks=$(echo "$line" | sed -n 's/^summary: \([0-9]*\) sentences.*/\1/p')
    ev=$(echo "$line" | sed -n 's/.*, \([0-9]*\) events.*/\1/p')
  fi
  [ "$status" = ok ] || tail -3 "$TMP/stderr" | sed 's/^/  bench: /' >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dicts" "$input" \
    "$output" "$jobs" "$n" "${ks:--}" "${ev:--}" "$wall" "$user" "$sys" "$rss" \
    "$yard" "$status" >>"$RES"
  printf '  %-8s %-11s %-6s -j%s %7s: %6ss wall %6ss user %7s KB  %s\n' "$dicts" \
    "$input" "$output" "$jobs" "$n" "$wall" "$user" "$rss" "$status"
}

# yardstick FILE: sets $yard to its CPU seconds for one scan.
yardstick() {
  yard=$("$OUT/yardstick" $YDICT "$1" | sed -n 's/^scan_cpu_s: //p')
  [ -n "$yard" ] || { echo "bench: the yardstick failed on $1" >&2; yard=-; }
}

# Which cells run at which size: at the smallest size every input x
# output; above it, to keep the run to minutes, JSON-lines output only,
# and TSV from JSON lines (the cells the issue-10 targets name: the
# readers decide the memory, the writers little), unless BENCH_FULL=1.
OUTPUTS="jsonl tsv sqlite gdelt"
outputs_for() {   # SIZE INPUT
  if [ "$1" = "$SMALL" ] || [ "${BENCH_FULL:-0}" = 1 ]; then echo "$OUTPUTS"
  elif [ "$2" = jsonl ]; then echo "jsonl tsv"
  else echo "jsonl"; fi
}

echo "bench: khaldun $REV ($KHALDUN), sizes: $SIZES, dictionaries: $DICTSETS, -j:$J_OK"
for dicts in $DICTSETS; do
  if [ "$dicts" = phoenix ]; then
    YDICT=$PHOENIX; KDICT="--no-default-dicts $PHOENIX"
  else
    YDICT=""; KDICT=""
  fi
  # Start-up: the dictionaries' load and freeze, on a one-line input.
  input=startup output=- jobs=1 n=1 yard=- STDIN=/dev/null REPEAT=3
  run "$KHALDUN" code $KDICT -o "$TMP/out.jsonl" "$OUT/one.txt"
  for n in $SIZES; do
    # A run of a second is easily swung by the machine's other load: the
    # smallest size is run three times and the fastest kept.
    if [ "$n" = "$SMALL" ]; then REPEAT=${BENCH_REPEAT:-3}; else REPEAT=${BENCH_REPEAT:-1}; fi
    for input in jsonl xml xml-parse jsonl-stdin; do
      case $input in
        jsonl) file=$IN/real-$n.jsonl ;;
        xml) file=$IN/real-$n.xml ;;
        xml-parse) file=$IN/real-$n-parse.xml ;;
        jsonl-stdin) file=$IN/real-$n.jsonl
          [ "$dicts" = default ] || continue ;;
      esac
      yardstick "$file"
      outs=$(outputs_for "$n" "$input")
      [ "$input" = jsonl-stdin ] && outs=jsonl
      for output in $outs; do
        case $output in
          sqlite) fmt="-o $TMP/out.db" ;;
          *) fmt="--format $output -o $TMP/out.$output" ;;
        esac
        for jobs in $J_OK; do
          jopt=""
          [ -n "$HAS_J" ] && jopt="-j $jobs"
          if [ "$input" = jsonl-stdin ]; then
            STDIN=$file
            run "$KHALDUN" code $KDICT $jopt $fmt -
          else
            STDIN=/dev/null
            run "$KHALDUN" code $KDICT $jopt $fmt "$file"
          fi
        done
      done
    done
    # The coder alone, on the same sentences one a line.
    input=txt output=coder jobs=1 STDIN=/dev/null
    yardstick "$IN/real-$n.txt"
    run "$OUT/bench_code" $YDICT "$IN/real-$n.txt"
  done
done
rm -rf "$TMP"


echo
echo "khaldun $REV, $(date -u +%Y-%m-%d), $(nproc) cores, inputs from $SRC; results in $RES"
table "$RES"
