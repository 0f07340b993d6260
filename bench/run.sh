#!/bin/sh
# bench/run.sh -- builds the corpus generator and the benchmark, generates a
# corpus and codes it on one thread.  See bench/README.md.
#
#     sh bench/run.sh                      # 1,000,000 sentences
#     BENCH_SENTENCES=100000 sh bench/run.sh
#     BENCH_DICTS=default sh bench/run.sh  # never the Phoenix set
#
# With the peers' folder (/work/shared/peers or ../shared/peers, or
# PEERS=DIR) the Phoenix dictionaries are used for both generating and
# coding; without it, the default dictionaries compiled into khaldun.
# The corpus is kept in build/bench/ and regenerated only when missing or
# older than the generator (delete it to force).

set -u
cd "$(dirname "$0")/.." || exit 2

N=${BENCH_SENTENCES:-1000000}
SEED=${BENCH_SEED:-7}
OUT=build/bench
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}

# The same flags as the Makefile.
PKGS=$(make -s print-pkgs)
PKG_CFLAGS=$(pkg-config --cflags $PKGS 2>/dev/null)
KH_CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
  -Wno-unused-parameter -Iinclude -Isrc -Ibuild/gen $PKG_CFLAGS"
LIBS=$(make -s print-libs)     # with OpenMPI's when the build found it

make -j2 build/libkhaldun.a || { echo "bench: the library does not build" >&2; exit 1; }
mkdir -p "$OUT"
for prog in gen_corpus bench_code; do
  $CC $KH_CFLAGS $CFLAGS -o "$OUT/$prog" "bench/$prog.c" build/libkhaldun.a $LIBS ||
    { echo "bench: cannot build $prog" >&2; exit 1; }
done

# Dictionaries: the Phoenix set, as PETRARCH-2 ships it, when available.
PEERS=${PEERS:-}
if [ -z "$PEERS" ]; then
  for d in /work/shared/peers ../shared/peers; do
    [ -d "$d" ] && { PEERS=$d; break; }
  done
fi
. bench/phoenix.sh
DICTS=""
set_name=default
if [ "${BENCH_DICTS:-}" != default ] && phoenix_available; then
  DICTS=$PHOENIX_DICTS
  set_name=phoenix
fi
echo "bench: dictionaries: $set_name"

CORPUS="$OUT/corpus-$set_name-$N-$SEED.txt"
if [ ! -s "$CORPUS" ] || [ "$OUT/gen_corpus" -nt "$CORPUS" ]; then
  echo "bench: generating $N sentences into $CORPUS"
  "$OUT/gen_corpus" $DICTS -n "$N" --seed "$SEED" -o "$CORPUS.tmp" &&
    mv "$CORPUS.tmp" "$CORPUS" || { echo "bench: generation failed" >&2; exit 1; }
fi
echo "bench: first lines of the corpus:"
head -5 "$CORPUS" | sed 's/^/  /'
echo "bench: coding:" "$OUT/bench_code" $DICTS "$CORPUS"
"$OUT/bench_code" $DICTS "$CORPUS"
