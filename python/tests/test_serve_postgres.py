"""khaldun serve and khaldun aggregate on a PostgreSQL database (issue 13):
the examples coded into a real server (pgserver.py) and into SQLite give
the same answers on every endpoint and every aggregate, bad requests get
the same 4xx, and the server's sessions cannot write.  The derived tables
the PostgreSQL writer builds (pg_derived.c) give the same answers as the
events, a later run brings them up to date, and a database without them
is served from its events.

Deliberate differences, asserted as such (docs/serve.md, "PostgreSQL"):
an event's `id` is the database's events.id (a row number in SQLite, a
63-bit hash in PostgreSQL), so ids, and the order of events tied on the
sort key (ties go by id), differ; events are matched by their stable
`event_id` instead.  `schema_version` is each database's own (4, 1).
"""
import json
import subprocess

import pytest

from test_postgres import server as pg   # noqa: F401 (the module's PostgreSQL server)
from test_serve import KHALDUN, Server, code_examples


_names = iter(range(1, 100))


def pg_examples(pg):
    """A new database of pg with the examples coded into it: (name, url)."""
    name = "serve%d" % next(_names)
    url = pg.createdb(name)
    code_examples(url)
    return name, url


@pytest.fixture(scope="module")
def both(pg, tmp_path_factory):
    lite = tmp_path_factory.mktemp("serve_pg") / "examples.db"
    code_examples(lite)
    _, url = pg_examples(pg)
    servers = Server(lite), Server(url)
    yield servers
    for s in servers:
        s.stop()


FILTERS = ["", "from=2011-03-01&to=2011-03-31", "actor=IRN", "country=USA",
           "source=USA", "target=LBY", "source_country=IRN", "code=19", "root=04",
           "quad=3", "plover=ASSAULT", "q=iran", "q=Iran+talks", "q=%22peace+talks%22",
           "q=nucl*", "q=AND+iran", "actor=IRN&quad=1", "from=2011-03-27&code=11"]

VIEWS = ["summary", "overview", "overview?bin=day&by=quad", "overview?bin=month",
         "network?limit=500", "network?level=country", "dyad?a=ARM&b=AZE", "dyad?a=IRN&b=ISR",
         "dyad?a=IGO&b=LBY&bin=day", "map"]


def with_filter(view, f):
    return view + ("&" if "?" in view else "?") + f if f else view


@pytest.mark.parametrize("view", VIEWS)
def test_views_are_the_same(both, view):
    lite, pg = both
    nonempty = 0
    for f in FILTERS:
        path = "api/" + with_filter(view, f)
        a, b = lite.ok(path), pg.ok(path)
        if view == "summary":
            assert (a.pop("schema_version"), b.pop("schema_version")) == (4, 1)
            nonempty += a["events"] > 0
        else:
            nonempty += a != lite.ok("api/" + with_filter(view, "from=2999-01-01"))
        assert a == b, path
    # the filters select something, so the comparison is not of empty answers
    assert nonempty >= 3, view


def by_stable_id(server, listing):
    """The events of a list, each with its evidence, keyed by event_id,
    without the database's own ids."""
    out = {}
    for e in listing["events"]:
        ev = server.ok("api/event/%d" % e["id"])
        assert {k: v for k, v in ev.items() if k in e and k not in ("id", "mentions")} == \
            {k: v for k, v in e.items() if k not in ("id", "mentions")}
        assert ev["mention_count"] == e["mentions"]
        for key in ("id", "merged_event"):
            ev.pop(key)
        ev["mentions"] = sorted(json.dumps({k: v for k, v in m.items() if k != "id"},
                                           sort_keys=True) for m in ev["mentions"])
        out[ev["event_id"]] = ev
    return out


@pytest.mark.parametrize("f", FILTERS)
def test_events_and_evidence_are_the_same(both, f):
    lite, pg = both
    for sort in ("-day", "day", "goldstein", "-goldstein"):
        path = "api/" + with_filter("events?page_size=200&sort=" + sort, f)
        a, b = lite.ok(path), pg.ok(path)
        assert a["total"] == b["total"] == len(a["events"]) == len(b["events"])
        # the same sequence of sort keys: only ties may come in another order
        key = "day" if sort.endswith("day") else "goldstein"
        assert [e[key] for e in a["events"]] == [e[key] for e in b["events"]]
    assert by_stable_id(lite, a) == by_stable_id(pg, b)
    # a later page
    path = "api/" + with_filter("events?page_size=5&page=2", f)
    assert lite.ok(path)["total"] == pg.ok(path)["total"]


def test_the_examples_are_compared(both):
    lite, pg = both
    listing = pg.ok("api/events?page_size=200")
    assert listing["total"] > 20
    evidence = by_stable_id(pg, listing)
    assert any(len(e["mentions"]) > 1 for e in evidence.values())   # a merged event
    assert any(e["place"] for e in evidence.values())
    assert pg.ok("api/events?q=iran")["total"] > 0
    assert pg.ok("api/events?q=%22peace+talks%22")["total"] > 0
    assert pg.ok("api/events?q=nucl*")["total"] > 0


BAD = ["events?page_size=201", "events?page=0", "events?sort=id", "summary?from=2011-02-30",
       "summary?actor=IRN%27%20OR%201=1--", "summary?q=%22open", "summary?q=nu*clear",
       "summary?q=--", "summary?q=" + "+".join(["w"] * 17), "summary?nope=1",
       "summary?actor=IRN&actor=USA", "dyad?a=IRN", "network?limit=501", "event/abc",
       "event/123", "event/99999999999999999999", "event/9223372036854775807",
       "event/1?x=1", "nothing", "summary?q"]


def test_bad_requests_get_the_same_4xx(both):
    lite, pg = both
    for path in BAD:
        a, b = lite.api("api/" + path), pg.api("api/" + path)
        assert 400 <= a[0] < 500, (path, a)
        assert a == b, path


def aggregate(db, by):
    p = subprocess.run([KHALDUN, "aggregate", str(db), "--by", by], capture_output=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.mark.parametrize("by", ["dyad,week", "actor,day", "root,month", "code,year", "quad"])
def test_aggregate_is_the_same(pg, tmp_path, by):
    lite = tmp_path / "examples.db"
    code_examples(lite)
    _, url = pg_examples(pg)
    a, b = aggregate(lite, by), aggregate(url, by)
    assert a == b
    assert len(a.splitlines()) > 3


def test_aggregate_and_serve_refuse_what_is_not_khaldun(pg):
    url = pg.createdb("notkhaldun")
    p = subprocess.run([KHALDUN, "aggregate", url, "--by", "dyad"], capture_output=True, text=True)
    assert p.returncode != 0 and "not a khaldun database" in p.stderr
    p = subprocess.run([KHALDUN, "serve", url, "--port", "0"], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode != 0 and "not a khaldun database" in p.stderr
    p = subprocess.run([KHALDUN, "reindex", url], capture_output=True, text=True)
    assert p.returncode != 0 and "not a khaldun database" in p.stderr


def spoil_actors(pg, name, body):
    """Puts a view in place of the actors table whose rows call a
    function with `body` (PL/pgSQL) first: what a request reading the
    actors (network?level=country) makes the server do."""
    pg.psql("ALTER TABLE actors RENAME TO actors_data;"
            "CREATE TABLE probe(n int);"
            "CREATE FUNCTION probe() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN %s;"
            " RETURN true; END $$;"
            "CREATE VIEW actors AS SELECT * FROM actors_data WHERE probe()" % body, name)


def test_the_server_cannot_write(pg):
    name, url = pg_examples(pg)
    spoil_actors(pg, name, "INSERT INTO probe VALUES (1)")
    s = Server(url)
    try:
        status, body = s.api("api/network?level=country")
        assert status == 500 and "read-only transaction" in body["error"], body
        assert s.ok("api/summary")["events"] > 0          # and it still answers
    finally:
        s.stop()
    assert pg.psql("SELECT count(*) FROM probe", name) == [["0"]]
    # the function does write, from a session that may
    pg.psql("SELECT count(*) FROM actors", name)
    assert pg.psql("SELECT count(*) > 0 FROM probe", name) == [["t"]]


def test_a_query_past_the_time_budget_is_503(pg):
    name, url = pg_examples(pg)
    spoil_actors(pg, name, "PERFORM pg_sleep(0.2)")
    s = Server(url, "--query-ms", "300")
    try:
        status, body = s.api("api/network?level=country")
        assert status == 503 and "time limit" in body["error"], body
        assert s.ok("api/summary")["events"] > 0
    finally:
        s.stop()


def test_a_restarted_database_is_served_again_read_only(pg):
    """The server restarts (its sessions are gone): a request on a lost
    connection is a 500 with the server's message, the next one is made
    on a new connection with the session's settings again (read-only)."""
    name, url = pg_examples(pg)
    spoil_actors(pg, name, "INSERT INTO probe VALUES (1)")
    s = Server(url)
    try:
        want = s.ok("api/summary")
        pg.stop()
        pg.start()
        answers = [s.api("api/summary") for _ in range(12)]
        assert all(a[0] in (200, 500) for a in answers), answers
        assert answers[0][0] == 500 and "connection" in answers[0][1]["error"], answers[0]
        assert answers[-1] == (200, want)
        for _ in range(8):      # every connection of the pool
            status, body = s.api("api/network?level=country")
            assert status == 500 and "read-only transaction" in body["error"], body
    finally:
        s.stop()
    assert pg.psql("SELECT count(*) FROM probe", name) == [["0"]]


# ---- the derived tables (pg_derived.c): the writer builds them, serve
# answers from them while their stamp is current, and from the events
# otherwise, alike

DERIVED = ["rollup", "rollup_dyads", "rollup_days", "rollup_documents", "rollup_places",
           "first_events"]
STAMP = "SELECT value FROM schema_info WHERE key = 'derived_through'"
LISTS = ["events?page_size=200&sort=" + s for s in ("-day", "day", "goldstein", "-goldstein")] \
    + ["events?page_size=7&page=3", "events?page_size=5&page=2&sort=goldstein"]


def every_answer(server):
    """Every view and list under every filter, as served now."""
    return {p: server.ok(p) for p in ("api/" + with_filter(v, f)
                                      for v in VIEWS + LISTS for f in FILTERS)}


def new_db(pg):
    """A new, empty database of pg: (name, url)."""
    name = "serve%d" % next(_names)
    return name, pg.createdb(name)


def files_of_examples(d, names, change=lambda text: text):
    """A directory d of the examples named, each changed by `change`."""
    d.mkdir()
    for f in names:
        (d / f).write_bytes(change(open("examples/" + f, "rb").read()))
    return str(d)


def code(url, d, date="20110328"):
    return subprocess.Popen([KHALDUN, "code", "--quiet", "--date", date, "-o", url, d])


def is_current(pg, name):
    return pg.psql(STAMP + " AND CAST(value AS BIGINT) = (SELECT count(*) FROM mentions)",
                   name) != []


def test_the_derived_tables_answer_as_the_events(pg):
    name, url = pg_examples(pg)
    assert is_current(pg, name)
    for t in DERIVED:
        assert int(pg.psql("SELECT count(*) FROM " + t, name)[0][0]) > 0, t
    s = Server(url)
    try:
        derived = every_answer(s)
        # the views do come from them: a changed rollup shows
        pg.psql("UPDATE rollup_days SET events = events + 1000", name)
        path = "api/summary?from=2011-03-01&to=2011-03-31"
        days = int(pg.psql("SELECT count(*) FROM rollup_days WHERE day BETWEEN '2011-03-01'"
                           " AND '2011-03-31'", name)[0][0])
        assert days > 0 and s.ok(path)["events"] == derived[path]["events"] + 1000 * days
        pg.psql("UPDATE rollup_days SET events = events - 1000", name)
        # without the stamp, the same answers from the events
        pg.psql("DELETE FROM schema_info WHERE key = 'derived_through'", name)
        pg.psql("UPDATE rollup_days SET events = events + 1000", name)
        assert every_answer(s) == derived
    finally:
        s.stop()


def test_a_second_run_updates_them(pg, tmp_path):
    name, url = new_db(pg)
    part = files_of_examples(tmp_path / "part", ("astana-talks.txt", "nato-libya.txt"))
    assert code(url, part).wait() == 0
    first = int(pg.psql(STAMP, name)[0][0])
    assert is_current(pg, name) and first > 0
    code_examples(url)
    assert is_current(pg, name) and int(pg.psql(STAMP, name)[0][0]) > first
    # a rerun adds no row, and leaves them as they are (the transaction
    # that wrote each row, xmin, is the same)
    built = "SELECT DISTINCT CAST(xmin AS TEXT) FROM rollup"
    before = pg.psql(built, name)
    code_examples(url)
    assert is_current(pg, name) and pg.psql(built, name) == before
    s = Server(url)
    try:
        derived = every_answer(s)
        pg.psql("DELETE FROM schema_info WHERE key = 'derived_through'", name)
        assert every_answer(s) == derived
    finally:
        s.stop()
    # and the same as a database coded in one run
    _, whole = pg_examples(pg)
    s = Server(whole)
    try:
        assert s.ok("api/summary") == derived["api/summary"]
        assert s.ok("api/network?limit=500") == derived["api/network?limit=500"]
    finally:
        s.stop()


def test_a_database_without_them_is_served_and_reindexed(pg):
    """A database written before the derived tables existed: served from
    its events, with the same answers; `khaldun reindex` builds them."""
    name, url = pg_examples(pg)
    s = Server(url)
    try:
        derived = every_answer(s)
        pg.psql("DROP TABLE %s; DELETE FROM schema_info WHERE key = 'derived_through'"
                % ", ".join(DERIVED), name)
        assert every_answer(s) == derived
        p = subprocess.run([KHALDUN, "reindex", url], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert is_current(pg, name)
        assert every_answer(s) == derived
    finally:
        s.stop()


def test_two_writers_ending_at_once_leave_them_current(pg, tmp_path):
    name, url = new_db(pg)
    code_examples(url)            # the schema and its indexes, then two more runs
    a = files_of_examples(tmp_path / "a", ["statements.txt"], lambda t: t + b"\n")
    b = files_of_examples(tmp_path / "b", ["wire.jsonl"], lambda t: t.replace(b"Iran", b"Irann"))
    runs = [code(url, a, "20110329"), code(url, b, "20110329")]
    assert [r.wait() for r in runs] == [0, 0]
    assert is_current(pg, name)
    assert pg.psql("SELECT count(*) FROM runs WHERE status = 'complete'", name) == [["3"]]
