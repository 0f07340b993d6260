#!/bin/sh
# bench/postgres.sh -- events per second into PostgreSQL, against SQLite
# and JSON lines measured in the same run on the same input.
#
#     sh bench/postgres.sh            # 20,000 real sentences, -j 1 and -j 2
#     BENCH_SIZE=200000 sh bench/postgres.sh
#
# The server is a throwaway one started for the run by
# python/tests/pgserver.py (Debian's postgresql; fsync off, as for a bulk
# load).  The input is bench/make_inputs.py's JSON lines of real
# sentences (generated into build/bench/, never committed).  Each cell is
# timed by /usr/bin/time; PostgreSQL gets a fresh database per run, so
# every run loads every row.
set -eu
cd "$(dirname "$0")/.." || exit 2
N=${BENCH_SIZE:-20000}
PYTHON=${PYTHON:-/usr/bin/python3}
KHALDUN=${KHALDUN:-build/khaldun}
IN=build/bench/inputs
mkdir -p "$IN" build/bench
# The peers' sentences (as bench/pipeline.sh finds them); without them
# make_inputs.py cycles the examples' few dozen sentences.
PEERS=${PEERS:-}
if [ -z "$PEERS" ]; then
  for d in /work/shared/peers ../shared/peers; do
    [ -d "$d" ] && { PEERS=$d; break; }
  done
fi
if [ ! -s "$IN/real-$N.jsonl" ] || [ bench/make_inputs.py -nt "$IN/real-$N.jsonl" ]; then
  $PYTHON bench/make_inputs.py ${PEERS:+--peers "$PEERS"} --out "$IN" "$N" >&2
fi
INPUT=$IN/real-$N.jsonl
[ -s "$INPUT" ] || { echo "postgres.sh: no $INPUT" >&2; exit 2; }

PYTHONPATH=python/tests KHALDUN="$KHALDUN" INPUT="$INPUT" N="$N" $PYTHON - <<'EOF'
import os, re, subprocess, tempfile
from pgserver import Server

khaldun, inp, n = os.environ["KHALDUN"], os.environ["INPUT"], int(os.environ["N"])
tmp = tempfile.mkdtemp(prefix="khaldun-bench-")
server = Server()
runs = 0

def timed(jobs, out):
    t = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", khaldun, "code", "-j", str(jobs),
                        "-o", out, inp], capture_output=True, text=True)
    if t.returncode != 0:
        raise SystemExit("khaldun failed: " + t.stderr[-500:])
    wall, user, sys_, rss = t.stderr.strip().splitlines()[-1].split()
    events = int(re.search(r"(\d+) events", t.stderr).group(1))
    return float(wall), events, int(rss) // 1024

print("%-8s %-3s %8s %8s %10s %7s" % ("output", "-j", "events", "wall_s", "events/s", "rss_MB"))
try:
    for jobs in (1, 2):
        for kind in ("jsonl", "sqlite", "postgres"):
            runs += 1
            if kind == "jsonl":
                out = os.path.join(tmp, "e%d.jsonl" % runs)
            elif kind == "sqlite":
                out = os.path.join(tmp, "e%d.db" % runs)
            else:
                out = server.createdb("bench%d" % runs)
            wall, events, rss = timed(jobs, out)
            print("%-8s %-3d %8d %8.2f %10.0f %7d" % (kind, jobs, events, wall, events / wall, rss))
finally:
    server.close()
    subprocess.run(["rm", "-rf", tmp])
EOF
