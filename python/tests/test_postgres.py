"""The PostgreSQL output against a real server (pgserver.py).

Each test codes into its own database of one server started for the
module, and checks what a user of a shared event store relies on: the
same rows as the SQLite output, idempotent reruns, concurrent writers,
a runs table that tells a finished run from a broken one, and clear
failures when the server is unreachable, refuses the login, holds
another schema or goes away mid-run.
"""
import csv
import io
import json
import os
import sqlite3
import subprocess
import time

import pytest

from pgserver import Server

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))
TABLES = ["documents", "sentences", "actors", "events", "places", "quotes", "mentions"]


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.close()


_databases = iter(range(1, 1000))


@pytest.fixture
def db(server):
    name = "kh%d" % next(_databases)
    return name, server.createdb(name)


def code(*args, stdin=None):
    return subprocess.run([KHALDUN, "code", "--date", "20110328"] + [str(a) for a in args],
                          capture_output=True, text=True, input=stdin)


def counts(server, name):
    return {t: int(server.psql("SELECT count(*) FROM %s" % t, name)[0][0]) for t in TABLES}


def test_same_rows_as_sqlite(server, db, tmp_path):
    name, url = db
    p = code("-o", url, EXAMPLES)
    assert p.returncode == 0, p.stderr
    lite = tmp_path / "events.db"
    assert code("-o", lite, EXAMPLES).returncode == 0
    con = sqlite3.connect(lite)
    want = {t: con.execute("SELECT count(*) FROM %s" % t).fetchone()[0] for t in TABLES}
    assert counts(server, name) == want
    assert want["events"] > 20
    # the same events, field by field
    q = "SELECT source, code, target, event_date FROM events ORDER BY 1, 2, 3, 4"
    lite_rows = [[str(v) if v is not None else "" for v in r] for r in con.execute(q)]
    assert server.psql(q, name) == lite_rows
    # and the same merged events (mentions of one report, as dedup.h merges them)
    q = "SELECT count(*) FROM merged_events"
    assert int(server.psql(q, name)[0][0]) == con.execute(q).fetchone()[0]


def test_rerun_adds_nothing_and_each_run_is_recorded(server, db):
    name, url = db
    assert code("-o", url, EXAMPLES).returncode == 0
    first = counts(server, name)
    assert code("-o", url, EXAMPLES).returncode == 0
    assert counts(server, name) == first
    runs = server.psql("SELECT status, documents, events FROM runs ORDER BY id", name)
    assert [r[0] for r in runs] == ["complete", "complete"]
    assert runs[0][1:] == runs[1][1:] and int(runs[0][2]) == first["events"]


def test_rows_of_new_documents_already_there_are_kept_once(server, db):
    """A batch whose documents are all new loads their rows straight into
    the tables; if some of those rows are there already (here: the
    documents deleted by hand after a load), the server refuses the keys
    and the batch is loaded again through the staging tables: the
    documents come back, nothing doubles, the run is complete."""
    name, url = db
    assert code("-o", url, EXAMPLES).returncode == 0
    first = all_rows(server, name)
    server.psql("DELETE FROM documents", name)
    p = code("-o", url, EXAMPLES)
    assert p.returncode == 0, p.stderr
    assert all_rows(server, name) == first
    assert [r[0] for r in server.psql("SELECT status FROM runs ORDER BY id", name)] == \
        ["complete", "complete"]


def test_two_writers_at_once(server, db, tmp_path):
    name, url = db
    procs = [subprocess.Popen([KHALDUN, "code", "--date", "20110328", "-o", url, EXAMPLES],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    alone = tmp_path / "alone.db"
    assert code("-o", alone, EXAMPLES).returncode == 0
    con = sqlite3.connect(alone)
    assert counts(server, name)["events"] == con.execute("SELECT count(*) FROM events").fetchone()[0]
    dupes = server.psql("SELECT count(*) FROM (SELECT document, sent, code, source, target,"
                        " verb_start FROM events GROUP BY 1,2,3,4,5,6 HAVING count(*) > 1) d",
                        name)
    assert dupes == [["0"]]
    # both found the new database without its query indexes; one built them
    assert indexes(server, name) == SECONDARY_INDEXES


def test_writers_meeting_in_opposite_orders(server, db, tmp_path):
    """Three writers load one batch of documents (PG_BATCH_DOCS) at once,
    two in opposite orders: a writer that finds a document taken waits
    for the one holding it and then loads nothing of it (documents go in
    in key order whatever the input order, so no two wait on each other;
    a deadlock the server broke would fail a run); every row is there
    once and every run is complete."""
    name, url = db
    docs = [json.dumps({"id": "w%d" % i, "date": "2024-03-01",
                        "text": "Iran accused Israel of aggression number %d." % i})
            for i in range(1000)]
    forward, backward = tmp_path / "forward.jsonl", tmp_path / "backward.jsonl"
    forward.write_text("\n".join(docs) + "\n")
    backward.write_text("\n".join(reversed(docs)) + "\n")
    procs = [subprocess.Popen([KHALDUN, "code", "-j", "1", "-o", url, str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in (forward, backward, forward)]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    c = counts(server, name)
    assert c["documents"] == 1000 and c["events"] == 1000 and c["mentions"] == 1000
    assert [r[0] for r in server.psql("SELECT status FROM runs", name)] == ["complete"] * 3
    assert indexes(server, name) == SECONDARY_INDEXES


def test_queries_per_dyad_and_day(server, db):
    name, url = db
    assert code("-o", url, EXAMPLES).returncode == 0
    dyads = server.psql("SELECT source, target, count(*) FROM events GROUP BY 1, 2"
                        " ORDER BY 3 DESC, 1, 2", name)
    days = server.psql("SELECT event_date, count(*) FROM events WHERE event_date IS NOT NULL"
                       " GROUP BY 1 ORDER BY 1", name)
    total = int(server.psql("SELECT count(*) FROM events", name)[0][0])
    assert sum(int(r[2]) for r in dyads) == total
    assert all(len(r[0]) == 10 and r[0][4] == "-" for r in days)   # DATE, ISO
    assert sum(int(r[1]) for r in days) <= total and days


def test_unreachable_server_fails_clearly(server):
    url = "postgresql:///kh?host=%s&port=1&user=khaldun" % server.sock
    p = code("-o", url, EXAMPLES)
    assert p.returncode != 0
    assert "cannot connect to the database" in p.stderr
    assert p.stderr.count("\n") <= 3


def test_refused_login_fails_clearly(server, db):
    name, _ = db
    p = code("-o", server.url(name, user="locked") + "&password=wrong", EXAMPLES)
    assert p.returncode != 0
    assert "cannot connect" in p.stderr
    assert 'password authentication failed for user "locked"' in p.stderr


def test_tables_khaldun_did_not_create_are_refused(server, db):
    """A database holding an `events` table of its own (another tool's)
    and no schema_info: khaldun refuses it rather than take the table for
    its own, and creates nothing there."""
    name, url = db
    server.psql("CREATE TABLE events(id TEXT, what TEXT)", name)
    p = code("-o", url, EXAMPLES)
    assert p.returncode != 0
    assert "tables khaldun did not create (events: no schema_info)" in p.stderr
    assert server.psql("SELECT to_regclass('schema_info') IS NULL,"
                       " to_regclass('documents') IS NULL", name) == [["t", "t"]]


def test_another_schema_version_is_named_and_left_alone(server, db):
    name, url = db
    assert code("-o", url, EXAMPLES).returncode == 0
    before = counts(server, name)
    server.psql("UPDATE schema_info SET value = '2' WHERE key = 'schema_version'", name)
    p = code("-o", url, EXAMPLES)
    assert p.returncode != 0
    assert "schema version (2; this khaldun writes version 1)" in p.stderr
    assert counts(server, name) == before
    assert len(server.psql("SELECT id FROM runs", name)) == 1     # no run row either


SECONDARY_INDEXES = ["events_by_code", "events_by_date", "events_by_day", "events_by_event_date",
                     "events_by_event_id", "events_by_goldstein", "mentions_by_merged",
                     "mentions_first"]


def indexes(server, name):
    """The query indexes of the loaded tables (not of serve's derived
    tables, which a run builds with them: test_serve_postgres.py)."""
    return sorted(r[0] for r in server.psql(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
        " AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key'"
        " AND tablename NOT LIKE 'rollup%' AND tablename <> 'first_events'", name))


def test_secondary_indexes_are_built_by_the_run_that_loads_without_them(server, db):
    """A new database is loaded without its query indexes, which the run
    builds at its end; the next run finds them and keeps them up.  The
    planner uses them (an index scan for one code)."""
    name, url = db
    assert code("-o", url, EXAMPLES).returncode == 0
    assert indexes(server, name) == SECONDARY_INDEXES
    more = [json.dumps({"id": "x%d" % i, "date": "2024-03-01",
                        "text": "Iran accused Israel of aggression number %d." % i})
            for i in range(50)]
    assert code("-o", url, "-", stdin="\n".join(more) + "\n").returncode == 0
    assert indexes(server, name) == SECONDARY_INDEXES
    plan = server.psql("SET enable_seqscan = off; EXPLAIN SELECT count(*) FROM events"
                       " WHERE code = '1123'", name)
    assert any("events_by_code" in r[0] for r in plan)
    assert int(server.psql("SELECT count(*) FROM events WHERE code = '1123'", name)[0][0]) >= 50


def feed(n, prefix="d"):
    return ["%s\n" % json.dumps({"id": "%s%d" % (prefix, i), "date": "2024-03-01",
                                  "text": "Iran accused Israel of aggression number %d." % i})
            for i in range(n)]


def start_and_wait_for_a_batch(server, name, url, docs):
    """A khaldun reading `docs` (past the first batch, PG_BATCH_DOCS) from
    a pipe it keeps open, once its first batch is committed."""
    p = subprocess.Popen([KHALDUN, "code", "-o", url, "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdin.write("".join(docs))
    p.stdin.flush()
    deadline = time.time() + 60
    while True:
        try:        # the table exists once khaldun has created the schema
            if int(server.psql("SELECT count(*) FROM documents", name)[0][0]) > 0:
                return p
        except subprocess.CalledProcessError:
            pass
        assert time.time() < deadline, "no batch was committed"
        time.sleep(0.1)


def test_killed_run_stays_running_and_a_rerun_completes_it(server, db):
    """kill -9 after the first batch: the run row stays `running` with no
    end, what was committed is whole documents; the rerun loads the rest
    once, builds the indexes the killed run never got to, and is
    `complete`."""
    name, url = db
    docs = feed(2600)
    p = start_and_wait_for_a_batch(server, name, url, docs[:1100])
    p.kill()
    p.wait(timeout=60)
    assert p.returncode == -9
    assert server.psql("SELECT status, ended IS NULL FROM runs", name) == [["running", "t"]]
    partial = int(server.psql("SELECT count(*) FROM documents", name)[0][0])
    assert 0 < partial < 1100
    assert int(server.psql("SELECT count(*) FROM events", name)[0][0]) == partial
    assert indexes(server, name) == []
    rerun = code("-o", url, "-", stdin="".join(docs))
    assert rerun.returncode == 0, rerun.stderr
    assert counts(server, name)["documents"] == 2600
    assert counts(server, name)["events"] == 2600
    assert server.psql("SELECT status FROM runs ORDER BY id", name) == \
        [["running"], ["complete"]]
    assert indexes(server, name) == SECONDARY_INDEXES


def test_a_batch_the_server_refuses_fails_the_run(server, db):
    """The server refuses a batch but stays up (here a trigger raises, as
    a full disk or a quota would): the run exits non-zero with the
    server's message, its row says `failed` with the batches committed
    before, and once the cause is gone a rerun completes the load."""
    name, url = db
    assert code("-o", url, "-", stdin="".join(feed(10, "warm"))).returncode == 0
    server.psql("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN RAISE EXCEPTION 'no room for %', NEW.doc_id; END $$;"
                "CREATE TRIGGER refuse BEFORE INSERT ON documents FOR EACH ROW"
                " WHEN (NEW.doc_id = 'd1500') EXECUTE FUNCTION refuse()", name)
    docs = feed(2600)
    p = code("-o", url, "-", stdin="".join(docs))
    assert p.returncode != 0
    assert "no room for d1500" in p.stderr
    runs = server.psql("SELECT status, documents FROM runs ORDER BY id", name)
    assert runs[0][0] == "complete" and runs[1] == ["failed", "1000"]
    assert counts(server, name)["documents"] == 10 + 1000
    server.psql("DROP TRIGGER refuse ON documents", name)
    rerun = code("-o", url, "-", stdin="".join(docs))
    assert rerun.returncode == 0, rerun.stderr
    assert counts(server, name)["documents"] == 10 + 2600
    assert counts(server, name)["events"] == 10 + 2600
    assert server.psql("SELECT status FROM runs ORDER BY id", name)[2] == ["complete"]


def test_text_goes_in_as_it_is(server, db, tmp_path):
    """Tabs, newlines, backslashes, quotes and non-ASCII text in every
    kind of column, and the earliest and latest dates khaldun accepts:
    the rows are the SQLite output's, byte for byte."""
    name, url = db
    recs = [{"id": "back\\slash \"q\" ü", "date": "1800-01-02",
             "title": "Tab\there\nand a line \\N", "url": "http://x/\\t",
             "text": "Iran accused Israel of aggression.\tIt said so \\N \"there\".\n"
                     "The UN condemned Syria over Türkiye's claim, \u00abnon\u00bb."},
            {"id": "late", "date": "2199-12-31", "source": "Wire\\Service",
             "text": "Russia threatened Ukraine.\r\nEgypt praised Jordan."}]
    f = tmp_path / "hostile.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs))
    assert code("-o", url, f).returncode == 0
    lite = tmp_path / "hostile.db"
    assert code("-o", lite, f).returncode == 0
    con = sqlite3.connect(lite)
    for q in ["SELECT doc_id, content_hash, length, date, title, outlet, url FROM documents",
              "SELECT sent, start_byte, text FROM sentences",
              "SELECT source, target, code, CAST(goldstein * 10 AS INTEGER), event_date, sent"
              " FROM events"]:
        want = sorted(tuple("" if v is None else str(v) for v in r) for r in con.execute(q))
        assert sorted(tuple(r) for r in csv_rows(server, name, q)) == want, q
    assert len(want) >= 3


def csv_rows(server, name, q):
    """The rows of query q as text, read back exactly (CSV, not psql's
    unaligned output, which cannot tell a newline inside a field)."""
    p = subprocess.run([os.path.join(server.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        "-c", "COPY (%s) TO STDOUT WITH (FORMAT csv)" % q, server.url(name)],
                       check=True, capture_output=True, text=True)
    return list(csv.reader(io.StringIO(p.stdout, newline="")))


def test_server_gone_mid_run(server, db):
    """The server stops after the first batch: the run exits non-zero
    with the server's message and never reports itself complete; after a
    restart, a rerun completes the load without duplicates."""
    name, url = db
    docs = feed(2600)
    p = start_and_wait_for_a_batch(server, name, url, docs[:1100])
    server.stop("fast")
    try:
        try:
            p.stdin.write("".join(docs[1100:]))
            p.stdin.close()
        except BrokenPipeError:
            pass
        err = p.stderr.read()
        p.wait(timeout=60)
    finally:
        server.start()
    assert p.returncode != 0
    assert "postgresql" in err
    # The batches before the failure are committed, and the message says so.
    assert "keeps the batches committed before it" in err, err
    assert "was not written" not in err
    statuses = [r[0] for r in server.psql("SELECT status FROM runs", name)]
    assert statuses == ["running"]             # never claimed complete
    rerun = subprocess.run([KHALDUN, "code", "-o", url, "-"], input="".join(docs),
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert int(server.psql("SELECT count(*) FROM documents", name)[0][0]) == 2600
    assert int(server.psql("SELECT count(*) FROM events", name)[0][0]) == 2600
    assert [r[0] for r in server.psql("SELECT status FROM runs ORDER BY id", name)] == \
        ["running", "complete"]


def mpi_load(server, name, *args):
    import test_cli_mpi as mpi
    assert mpi.MPIRUN and mpi.built_with_mpi(), "OpenMPI is installed by tools/install-deps.sh"
    p = subprocess.run(mpi.mpirun_prefix(2) + [KHALDUN, "code", "--mpi", "--date", "20110328",
                                                "-j", "1", "-o", server.createdb(name)] +
                       list(args) + [EXAMPLES],
                       capture_output=True, text=True, env=mpi.mpi_env(), timeout=120)
    assert p.returncode == 0, p.stderr


def all_rows(server, name):
    return {t: sorted(server.psql("SELECT * FROM %s" % t, name)) for t in TABLES}


def test_every_mpi_rank_writes_the_database(server, tmp_path):
    """mpirun -np 2 ... --no-dedup -o postgresql://: each rank loads its
    share directly; the database ends up with a single run's rows, and
    one complete run row per rank."""
    url_one = server.createdb("one_process")
    assert code("--no-dedup", "-o", url_one, EXAMPLES).returncode == 0
    mpi_load(server, "two_ranks", "--no-dedup")
    assert all_rows(server, "two_ranks") == all_rows(server, "one_process")
    assert [r[0] for r in server.psql("SELECT status FROM runs", "two_ranks")] == \
        ["complete", "complete"]


def test_mpi_merging_reports_loads_the_single_run(server, tmp_path):
    """With duplicates merged (the default), rank 0 loads every rank's
    events through its one duplicate stage: every table, mentions
    included, holds what one process loads."""
    url_one = server.createdb("one_merged")
    assert code("-o", url_one, EXAMPLES).returncode == 0
    mpi_load(server, "two_merged")
    got, want = all_rows(server, "two_merged"), all_rows(server, "one_merged")
    assert got == want
    assert len(want["mentions"]) > len({r[1] for r in want["mentions"]})   # some merged
    assert [r[0] for r in server.psql("SELECT status FROM runs", "two_merged")] == ["complete"]


def test_a_rank_that_fails_marks_its_run_failed(server, tmp_path):
    """mpirun -np 2 ... --no-dedup -o postgresql://, rank 1 unable to
    read one of its inputs: the run fails naming rank 1, whose run row
    says `failed` (rank 0's, whose share was loaded whole, `complete`);
    a rerun where every rank can read completes the load once."""
    import test_cli_mpi as mpi
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    for i in range(4):
        (good / ("s%d.txt" % i)).write_text("Russia warned Ukraine on Monday %d.\n" % i)
    for i in range(3):
        (bad / ("s%d.txt" % i)).write_text((good / ("s%d.txt" % i)).read_text())
    url = server.createdb("rank_fails")
    def load(rank1_dir):
        script = ('cd "$([ "$OMPI_COMM_WORLD_RANK" = 1 ] && echo %s || echo %s)" && exec %s "$@"'
                  % (rank1_dir, good, KHALDUN))
        return subprocess.run(mpi.mpirun_prefix(2) + ["sh", "-c", script, "sh"] + mpi.code_args(
            "--mpi", "-o", url, "s0.txt", "s1.txt", "s2.txt", "s3.txt"),
            capture_output=True, text=True, env=mpi.mpi_env(), timeout=120)
    p = load(bad)
    assert p.returncode != 0
    assert "khaldun: rank 1 of 2: coding 's3.txt': cannot read it" in p.stderr
    assert "the run failed: rank 1 of 2 failed" in p.stderr
    assert sorted(r[0] for r in server.psql("SELECT status FROM runs", "rank_fails")) == \
        ["complete", "failed"]
    p = load(good)
    assert p.returncode == 0, p.stderr
    assert int(server.psql("SELECT count(*) FROM documents", "rank_fails")[0][0]) == 4
    assert int(server.psql("SELECT count(*) FROM events", "rank_fails")[0][0]) == 4
    assert sorted(r[0] for r in server.psql("SELECT status FROM runs", "rank_fails")) == \
        ["complete", "complete", "complete", "failed"]
