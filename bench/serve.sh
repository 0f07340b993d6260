#!/bin/sh
# serve.sh -- response times of `khaldun serve`'s endpoints on a
# million-event database (issue 13; numbers in bench/README.md).
#
#     sh bench/serve.sh [DIR]       (default build/bench-serve)
#
# The database: 100,000 real sentences from the peers' test files
# (bench/make_inputs.py, cycled into JSON-lines articles with rising
# dates) coded into SQLite, then copied 50 more times by
# bench/serve_replicate.sql, each copy's dates shifted by a week more and
# its ids past the last: ~1.0 million merged events, 2.6 million reports,
# and `khaldun reindex` rebuilds the derived tables (docs/schema.md).
# Kept in DIR between runs (delete it after changing the writer).
#
# Each endpoint is asked once to warm the page cache, then once timed:
# wall time as curl sees it (time_total) and the server's CPU time for
# the request (from /proc/PID/stat), which does not depend on what else
# the machine runs.
set -e
KHALDUN=${KHALDUN:-build/khaldun}
DIR=${1:-build/bench-serve}
COPIES=${COPIES:-50}
# the peers' test files (make_inputs.py); without them only examples/'
# few dozen sentences are cycled, a database unlike real data
PEERS=${PEERS:-../shared/peers}
mkdir -p "$DIR"
DB="$DIR/events-1m.db"
# PG=postgresql://...: a PostgreSQL database instead, made once (when it
# has no schema_info) by coding the same inputs into it and copying them
# PG_COPIES more times (serve_replicate_pg.sql): ~220,000 merged events,
# and `khaldun reindex` builds the derived tables (docs/schema.md).  To
# time the views from the events, delete the stamp:
#     psql -c "DELETE FROM schema_info WHERE key = 'derived_through'" "$PG"
PG=${PG:-}
PG_COPIES=${PG_COPIES:-10}
if [ -n "$PG" ]; then
    if ! psql -XAtqc 'SELECT 1 FROM schema_info' "$PG" > /dev/null 2>&1; then
        python3 bench/make_inputs.py --peers "$PEERS" --out "$DIR" 100000 >&2
        "$KHALDUN" code --quiet -j 2 -o "$PG" "$DIR/real-100000.jsonl"
        psql -XAtq -v ON_ERROR_STOP=1 -v copies="$PG_COPIES" -f bench/serve_replicate_pg.sql "$PG"
        # the copies are made by SQL: the derived tables after them
        "$KHALDUN" reindex "$PG"
    fi
    DB=$PG
    count() { psql -XAtqc "$1" "$PG"; }
else
    count() { sqlite3 "$DB" "$1"; }
fi
if [ ! -f "$DB" ] && [ -z "$PG" ]; then
    python3 bench/make_inputs.py --peers "$PEERS" --out "$DIR" 100000 >&2
    rm -f "$DIR/real-100000.txt" "$DIR/real-100000.xml" "$DIR/real-100000-parse.xml"
    "$KHALDUN" code --quiet -j 2 -o "$DIR/base.db" "$DIR/real-100000.jsonl"
    cp "$DIR/base.db" "$DB.tmp"
    sqlite3 "$DB.tmp" -cmd ".parameter set :copies $COPIES" < bench/serve_replicate.sql
    # the copies are made by SQL: the rollups and the text index after them
    "$KHALDUN" reindex "$DB.tmp"
    mv "$DB.tmp" "$DB"
fi
echo "database: $(count 'SELECT count(*) FROM mentions WHERE event = merged_event') merged events," \
     "$(count 'SELECT count(*) FROM events') reports"

"$KHALDUN" serve "$DB" --port 0 --query-ms 600000 2> "$DIR/serve.err" &
PID=$!
trap 'kill $PID' EXIT
while ! grep -q 'serving' "$DIR/serve.err"; do sleep 0.2; done
URL=$(sed -n 's/.* at \(http[^ ]*\)$/\1/p' "$DIR/serve.err")

# utime + stime, in ticks: khaldun's, and on PostgreSQL its server
# processes' (the sessions named khaldun), which do the queries' work
backends() {
    [ -n "$PG" ] && psql -XAtqc "SELECT pid FROM pg_stat_activity WHERE application_name = 'khaldun'" "$PG"
}
cpu() {
    for p in $PID $(backends); do cat /proc/$p/stat; done | awk '{n += $14 + $15} END {print n}'
}
EVENT=1234567
if [ -n "$PG" ]; then       # a hash there: one the list gives
    EVENT=$(curl -s "${URL}api/events?page=1000&page_size=1" | sed 's/.*"events":\[{"id":\([0-9]*\).*/\1/')
fi
TICK=$(getconf CLK_TCK)
printf '%-58s %6s %9s %9s\n' endpoint status wall_s cpu_s
for path in \
    'api/summary' 'api/summary?actor=IRN' 'api/summary?from=2016-01-01&to=2016-03-31' \
    'api/overview' 'api/overview?bin=day&by=quad' 'api/overview?actor=USA&from=2016-01-01&to=2016-12-31' \
    'api/overview?root=19' \
    'api/network' 'api/network?level=country&limit=200' 'api/network?root=19' \
    'api/dyad?a=USA&b=IRN' 'api/dyad?a=RUS&b=SYR&bin=month&from=2016-01-01' \
    'api/map' 'api/map?country=IRN' 'api/map?limit=10000&quad=4' \
    'api/events' 'api/events?page=2000' 'api/events?page=20000' 'api/events?page=1000&actor=IRN' \
    'api/events?sort=goldstein' 'api/events?actor=IRN&code=19' \
    'api/events?q=nuclear' 'api/events?q=the' 'api/events?from=2016-06-01&to=2016-06-30&sort=day' \
    "api/event/$EVENT"
do
    curl -s -o /dev/null "$URL$path"
    before=$(cpu)
    out=$(curl -s -o "$DIR/answer.json" -w '%{http_code} %{time_total}' "$URL$path")
    after=$(cpu)
    printf '%-58s %6s %9s %9.2f\n' "$path" ${out%% *} ${out#* } \
        "$(echo "($after - $before) / $TICK" | bc -l)"
done
