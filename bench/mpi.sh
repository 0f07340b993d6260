#!/bin/sh
# bench/mpi.sh -- `khaldun code --mpi` on 1, 2 and 4 ranks: sentences per
# second on one JSON-lines file of real sentences, which the ranks share
# by byte ranges, against the same run without MPI.
#
#     sh bench/mpi.sh                   # 20,000 sentences, ranks 1 2 4
#     BENCH_SENTENCES=N BENCH_RANKS="1 2" BENCH_REPEAT=N sh bench/mpi.sh
#
# Every rank codes on one thread (-j 1), so R ranks ask for R cores: on a
# machine with fewer (or one others share: say so with the numbers) the
# higher rank counts measure oversubscription, not a cluster.  Wall time
# includes mpirun's start-up and each rank's dictionary load.  CPU time
# (all ranks) and the load average before and after each run are printed
# beside it: on a loaded machine wall time says more about the others'
# work than about khaldun's.  Each run's
# gathered output is compared with the single-process run's; a difference
# fails the benchmark.  Results: build/bench/mpi-REV.tsv and stdout.

set -u
cd "$(dirname "$0")/.." || exit 2
OUT=build/bench
PYTHON=${PYTHON:-python3}
N=${BENCH_SENTENCES:-20000}
RANKS=${BENCH_RANKS:-1 2 4}
REPEAT=${BENCH_REPEAT:-1}
KHALDUN=${KHALDUN:-build/khaldun}
PEERS=${PEERS:-../shared/peers}
[ -d "$PEERS" ] || PEERS=

command -v mpirun >/dev/null || { echo "bench: no mpirun (openmpi-bin)" >&2; exit 2; }
[ -x "$KHALDUN" ] || { echo "bench: $KHALDUN not built" >&2; exit 2; }

# OpenMPI in a container: no ssh, shared memory only, root allowed.
export OMPI_MCA_plm=isolated OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
MPIRUN="mpirun --oversubscribe"
[ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"

IN=$OUT/real-mpi
mkdir -p "$IN"
if [ ! -s "$IN/real-$N.jsonl" ] || [ bench/make_inputs.py -nt "$IN/real-$N.jsonl" ]; then
  $PYTHON bench/make_inputs.py ${PEERS:+--peers "$PEERS"} --out "$IN" "$N" >&2 ||
    { echo "bench: cannot generate the inputs" >&2; exit 1; }
fi
FILE=$IN/real-$N.jsonl
# Split the one file whatever its size: the point is to share it.
SPLIT=$(( $(wc -c < "$FILE") / 16 + 1 ))

load() { cut -d' ' -f1 /proc/loadavg; }

# time_run LABEL OUTPUT CMD...: the fastest of REPEAT runs, as a TSV row:
# wall seconds, sentences per wall second, CPU seconds (user + system, of
# every rank: /usr/bin/time counts mpirun's children), load averages.
time_run() {
  label=$1 out=$2; shift 2
  best= cpu=
  for i in $(seq "$REPEAT"); do
    l0=$(load)
    /usr/bin/time -f '%e %U %S' -o "$OUT/mpi-time" "$@" -o "$out" "$FILE" 2>/dev/null ||
      { echo "bench: $label failed" >&2; exit 1; }
    l1=$(load)
    read -r s u y < "$OUT/mpi-time"
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then
      best=$s cpu=$(echo "$u + $y" | bc -l)
    fi
  done
  printf '%s\t%.2f\t%.0f\t%.2f\t%s\t%s\n' "$label" "$best" "$(echo "$N / $best" | bc -l)" \
    "$cpu" "$l0" "$l1"
}

REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
TSV=$OUT/mpi-$REV.tsv
echo "bench: khaldun --mpi, $N sentences ($FILE, $(wc -c < "$FILE") bytes)," \
     "$(nproc) cores, shared with other users: load average $(load)"
{
  printf 'run\twall_s\tsentences_per_s\tcpu_s\tload_before\tload_after\n'
  time_run "no MPI, -j 1" "$OUT/mpi-ref.jsonl" "$KHALDUN" code --quiet -j 1
  for r in $RANKS; do
    time_run "--mpi, $r ranks x -j 1" "$OUT/mpi-$r.jsonl" \
      $MPIRUN -np "$r" "$KHALDUN" code --quiet --mpi -j 1 --split-bytes "$SPLIT"
    cmp -s "$OUT/mpi-ref.jsonl" "$OUT/mpi-$r.jsonl" ||
      { echo "bench: $r ranks wrote other events than one process" >&2; exit 1; }
  done
} > "$TSV" || exit 1
column -t -s "$(printf '\t')" "$TSV"
echo "bench: results in $TSV"
