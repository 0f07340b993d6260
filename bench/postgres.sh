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
# every run loads every row.  cpu_s is khaldun's user + system time;
# server_s the server's over the cell (its processes' CPU time, the
# ended backends' included, read from /proc): where a loaded machine's
# cores go.
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
import os, re, subprocess, tempfile, time
from pgserver import Server

khaldun, inp, n = os.environ["KHALDUN"], os.environ["INPUT"], int(os.environ["N"])
tmp = tempfile.mkdtemp(prefix="khaldun-bench-")
server = Server()
runs = 0
postmaster = int(open(os.path.join(server.data, "postmaster.pid")).readline())
tick = os.sysconf("SC_CLK_TCK")


def server_cpu():
    """CPU seconds of the server so far: the postmaster's own and its
    reaped children's, and its live children's."""
    def times(pid, children):
        f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in f[11:15 if children else 13])
    total = times(postmaster, True)
    for p in os.listdir("/proc"):
        try:
            if p.isdigit() and int(open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()[1]) == postmaster:
                total += times(int(p), False)
        except (OSError, ValueError):
            pass        # ended meanwhile
    return total / tick

def timed(jobs, out):
    t = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", khaldun, "code", "-j", str(jobs),
                        "-o", out, inp], capture_output=True, text=True)
    if t.returncode != 0:
        raise SystemExit("khaldun failed: " + t.stderr[-500:])
    wall, user, sys_, rss = t.stderr.strip().splitlines()[-1].split()
    events = int(re.search(r"(\d+) events", t.stderr).group(1))
    return float(wall), events, int(rss) // 1024, float(user) + float(sys_)

print("%-8s %-3s %8s %8s %10s %7s %7s %8s" % ("output", "-j", "events", "wall_s", "events/s",
                                             "rss_MB", "cpu_s", "server_s"))
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
            before = server_cpu()
            wall, events, rss, cpu = timed(jobs, out)
            time.sleep(0.5)         # the backend's end, into the postmaster's times
            served = server_cpu() - before
            print("%-8s %-3d %8d %8.2f %10.0f %7d %7.2f %8.2f" % (kind, jobs, events, wall,
                                                               events / wall, rss, cpu, served),
                  flush=True)
finally:
    server.close()
    subprocess.run(["rm", "-rf", tmp])
EOF
