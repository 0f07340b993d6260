#!/bin/sh
# bench/postgres.sh -- events per second into PostgreSQL, against SQLite
# and JSON lines measured in the same run on the same input.
#
#     sh bench/postgres.sh            # 20,000 real sentences, -j 1 and -j 2
#     BENCH_SIZE=200000 sh bench/postgres.sh
#     BASELINE=/tmp/khaldun-old ROUNDS=3 sh bench/postgres.sh   # another
#                        # binary's PostgreSQL cell beside each of ours
#
# The server is a throwaway one started for the run by
# python/tests/pgserver.py (Debian's postgresql; fsync off, as for a bulk
# load).  The input is bench/make_inputs.py's JSON lines of real
# sentences (generated into build/bench/, never committed).  Each cell is
# timed by /usr/bin/time; PostgreSQL gets a fresh database per run, so
# every run loads every row.  cpu_s is khaldun's user + system time;
# server_s the server's over the cell (its processes' CPU time, the
# ended backends' included, read from /proc): where a loaded machine's
# cores go; backend_s the part of it spent by the backend serving
# khaldun's connection (sampled while it runs), without autovacuum's
# work on the fresh tables after the load, which server_s includes.
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

PYTHONPATH=python/tests KHALDUN="$KHALDUN" BASELINE="${BASELINE:-}" INPUT="$INPUT" N="$N" \
  ROUNDS="${ROUNDS:-1}" $PYTHON - <<'EOF'
import os, re, subprocess, tempfile, time
from pgserver import Server

khaldun, inp, n = os.environ["KHALDUN"], os.environ["INPUT"], int(os.environ["N"])
baseline, rounds = os.environ["BASELINE"], int(os.environ["ROUNDS"])
tmp = tempfile.mkdtemp(prefix="khaldun-bench-")
server = Server()
runs = 0
postmaster = int(open(os.path.join(server.data, "postmaster.pid")).readline())
tick = os.sysconf("SC_CLK_TCK")


def children():
    """(pid, title, CPU seconds) of the server's live processes."""
    out = []
    for p in os.listdir("/proc"):
        try:
            if not p.isdigit():
                continue
            f = open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()
            if int(f[1]) == postmaster:
                title = open("/proc/%s/cmdline" % p).read()
                out.append((int(p), title, sum(int(x) for x in f[11:13]) / tick))
        except (OSError, ValueError):
            pass        # ended meanwhile
    return out


def server_cpu():
    """CPU seconds of the server so far: the postmaster's own and its
    reaped children's, and its live children's."""
    f = open("/proc/%d/stat" % postmaster).read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in f[11:15]) / tick + sum(c[2] for c in children())


def timed(binary, jobs, out, db=None):
    """wall, events, RSS, khaldun's CPU, and (into db) the CPU of the
    backend serving it, sampled until it ends (to 20 ms)."""
    p = subprocess.Popen(["/usr/bin/time", "-f", "%e %U %S %M", binary, "code", "-j",
                          str(jobs), "-o", out, inp], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    backend = {}
    while p.poll() is None:
        if db:
            backend.update({c[0]: c[2] for c in children() if " %s " % db in c[1]})
        time.sleep(0.02)
    err = p.stderr.read()
    if p.returncode != 0:
        raise SystemExit("khaldun failed: " + err[-500:])
    wall, user, sys_, rss = err.strip().splitlines()[-1].split()
    events = int(re.search(r"(\d+) events", err).group(1))
    return float(wall), events, int(rss) // 1024, float(user) + float(sys_), sum(backend.values())


print("%-13s %-3s %8s %8s %10s %7s %7s %8s %9s" % ("output", "-j", "events", "wall_s", "events/s",
                                                   "rss_MB", "cpu_s", "server_s", "backend_s"))
cells = [("jsonl", khaldun), ("sqlite", khaldun), ("postgres", khaldun)]
if baseline:
    cells.append(("postgres@base", baseline))
try:
    for _ in range(rounds):
        for jobs in (1, 2):
            for kind, binary in cells:
                runs += 1
                db = None
                if kind == "jsonl":
                    out = os.path.join(tmp, "e%d.jsonl" % runs)
                elif kind == "sqlite":
                    out = os.path.join(tmp, "e%d.db" % runs)
                else:
                    db = "bench%d" % runs
                    out = server.createdb(db)
                before = server_cpu()
                wall, events, rss, cpu, backend = timed(binary, jobs, out, db)
                time.sleep(0.5)         # the backend's end, into the postmaster's times
                served = server_cpu() - before
                print("%-13s %-3d %8d %8.2f %10.0f %7d %7.2f %8.2f %9.2f" % (
                    kind, jobs, events, wall, events / wall, rss, cpu, served, backend),
                    flush=True)
finally:
    server.close()
    subprocess.run(["rm", "-rf", tmp])
EOF
