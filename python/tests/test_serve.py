"""khaldun serve: the JSON endpoints of docs/serve.md checked against SQL
on the same database, and bad requests answered 4xx (issue 13)."""
import collections
import datetime
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))
REPLICATE = os.path.join(ROOT, "bench", "serve_replicate.sql")

# The merged events (first reports) with their day, as docs/serve.md defines them.
FIRST = ("FROM events e JOIN mentions m ON m.event = e.id AND m.merged_event = e.id")
DAY = "coalesce(e.event_date, e.date)"


class Server:
    def __init__(self, db, *args):
        self.proc = subprocess.Popen([KHALDUN, "serve", str(db), "--port", "0", *args],
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r"serving .* at (http://[^ ]+/)$", line.strip())
        assert m, line
        self.url = m.group(1)

    def get(self, path, method="GET"):
        req = urllib.request.Request(self.url + path, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                body = r.read()
                return r.status, r.headers.get("Content-Type"), body
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), e.read()

    def api(self, path):
        status, ctype, body = self.get(path)
        assert ctype == "application/json; charset=utf-8", (path, ctype)
        return status, json.loads(body)

    def ok(self, path):
        status, body = self.api(path)
        assert status == 200, (path, body)
        return body

    def stop(self):
        self.proc.terminate()
        assert self.proc.wait(timeout=10) == 0


def code_examples(db):
    subprocess.run([KHALDUN, "code", "--quiet", "--date", "20110328", "-o", str(db), EXAMPLES],
                   check=True)


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("serve") / "examples.db"
    code_examples(db)
    return db


@pytest.fixture(scope="module")
def server(examples_db):
    s = Server(examples_db)
    yield s
    s.stop()


def changed_copy(src, dst, *statements):
    """A copy of the database `src` at `dst` with the SQL statements run on it."""
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return dst


def sql(db, query, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def test_summary_counts_the_tables(server, examples_db):
    got = server.ok("api/summary")
    events, = sql(examples_db, "SELECT count(*) " + FIRST)[0]
    reports, = sql(examples_db, "SELECT count(*) FROM mentions")[0]
    documents, = sql(examples_db, "SELECT count(DISTINCT document) FROM events")[0]
    first, last = sql(examples_db, "SELECT min(%s), max(%s) " % (DAY, DAY) + FIRST)[0]
    assert got == {"events": events, "reports": reports, "documents": documents,
                   "first_day": first, "last_day": last, "schema_version": 4}
    assert events > 20 and reports >= events


def monday(day):
    d = datetime.date.fromisoformat(day)
    return str(d - datetime.timedelta(days=d.weekday()))


def test_overview_bins_sum_to_the_events(server, examples_db):
    rows = sql(examples_db, "SELECT %s, e.root, e.quad " % DAY + FIRST)
    for by, col in (("root", 1), ("quad", 2)):
        got = server.ok("api/overview?by=" + by)
        assert got["bin"] == "week" and got["by"] == by
        want = collections.Counter((monday(r[0]), r[col]) for r in rows if r[0])
        assert {(s["bin"], s["key"]): s["events"] for s in got["series"]} == dict(want)
        assert sum(s["events"] for s in got["series"]) == server.ok("api/summary")["events"]
    days = server.ok("api/overview?bin=day")["series"]
    assert collections.Counter(r[0] for r in rows) == collections.Counter(
        {d: n for d, n in collections.Counter(
            s["bin"] for s in days for _ in range(s["events"])).items()})
    months = server.ok("api/overview?bin=month")["series"]
    assert all(s["bin"].endswith("-01") for s in months)
    assert sum(s["events"] for s in months) == len(rows)


def test_network_nodes_and_edges(server, examples_db):
    rows = sql(examples_db, "SELECT e.source, e.target, e.goldstein " + FIRST)
    count = collections.Counter()
    for s, t, _ in rows:
        for actor in {s, t} - {"---"}:
            count[actor] += 1
    got = server.ok("api/network?limit=500")
    assert {n["id"]: n["events"] for n in got["nodes"]} == dict(count)
    dyads = collections.defaultdict(list)
    for s, t, g in rows:
        if s != "---" and t != "---":
            dyads[(s, t)].append(g)
    edges = {(e["source"], e["target"]): e for e in got["edges"]}
    assert set(edges) == set(dyads)
    for key, gs in dyads.items():
        assert edges[key]["events"] == len(gs)
        assert edges[key]["goldstein_mean"] == pytest.approx(sum(gs) / len(gs))
    # the examples' main actors
    assert {"IRN", "USA", "ISR", "ARM", "AZE"} <= set(count)
    top = server.ok("api/network?limit=3")
    assert [n["events"] for n in top["nodes"]] == sorted(count.values(), reverse=True)[:3]
    ids = {n["id"] for n in top["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in top["edges"])
    countries = server.ok("api/network?level=country&limit=500")
    assert countries["level"] == "country"
    assert "IGOWSTNAT" in {n["id"] for n in countries["nodes"]}   # no country: keeps its code


def test_dyad_both_directions(server, examples_db):
    (a, b), = sql(examples_db, "SELECT e.source, e.target " + FIRST +
                  " WHERE e.source <> '---' AND e.target <> '---'"
                  " GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1")
    rows = sql(examples_db, "SELECT %s, e.source GLOB ? AND e.target GLOB ?, e.goldstein, e.quad "
               % DAY + FIRST + " WHERE (e.source GLOB ? AND e.target GLOB ?)"
               " OR (e.source GLOB ? AND e.target GLOB ?)",
               a + "*", b + "*", a + "*", b + "*", b + "*", a + "*")
    want = {}
    for day, forward, g, quad in rows:
        k = (monday(day), "a>b" if forward else "b>a")
        w = want.setdefault(k, [0, 0.0, [0, 0, 0, 0]])
        w[0] += 1
        w[1] += g or 0
        w[2][quad - 1] += 1
    got = server.ok("api/dyad?a=%s&b=%s" % (a, b))
    assert got["a"] == a and got["b"] == b and got["bin"] == "week"
    assert {(s["bin"], s["direction"]): [s["events"], pytest.approx(s["goldstein"]), s["quad"]]
            for s in got["series"]} == {k: [v[0], v[1], v[2]] for k, v in want.items()}
    back = server.ok("api/dyad?a=%s&b=%s" % (b, a))
    flip = {"a>b": "b>a", "b>a": "a>b"}
    assert sorted((s["bin"], flip[s["direction"]], s["events"]) for s in back["series"]) == \
        sorted((s["bin"], s["direction"], s["events"]) for s in got["series"])
    status, body = server.api("api/dyad?a=IRN")
    assert status == 400 and "'b'" in body["error"]


def test_map_places(server, examples_db):
    want = sql(examples_db, "SELECT p.name, p.country, p.lat, p.lon, p.precision, count(*) " + FIRST +
               " JOIN places p ON p.event = e.id WHERE p.lat IS NOT NULL GROUP BY 1, 2, 3, 4, 5")
    got = server.ok("api/map")["places"]
    assert sorted((p["name"], p["country"], p["lat"], p["lon"], p["precision"], p["events"])
                  for p in got) == sorted(want)
    assert len(got) > 3 and {"city"} <= {p["precision"] for p in got}
    assert [p["events"] for p in got] == sorted((p["events"] for p in got), reverse=True)
    assert len(server.ok("api/map?limit=2")["places"]) == 2


def test_events_pages_and_total(server, examples_db):
    total, = sql(examples_db, "SELECT count(*) " + FIRST)[0]
    seen = []
    page = 1
    while True:
        got = server.ok("api/events?page=%d&page_size=7" % page)
        assert got["total"] == total and got["page"] == page and got["page_size"] == 7
        if not got["events"]:
            break
        seen += got["events"]
        page += 1
    assert len(seen) == total == len({e["id"] for e in seen})
    days = [e["day"] for e in seen]
    assert days == sorted(days, reverse=True)
    ids = {r[0] for r in sql(examples_db, "SELECT e.id " + FIRST)}
    assert {e["id"] for e in seen} == ids
    gold = [e["goldstein"] for e in server.ok("api/events?sort=goldstein&page_size=200")["events"]]
    assert gold == sorted(gold)


def test_event_evidence(server, examples_db):
    (merged, n), = sql(examples_db, "SELECT merged_event, count(*) FROM mentions GROUP BY 1"
                       " ORDER BY 2 DESC, 1 LIMIT 1")
    got = server.ok("api/event/%d" % merged)
    (sentence, pattern, dictref, doc_id), = sql(
        examples_db, "SELECT s.text, e.pattern, e.dict, d.doc_id FROM events e"
        " JOIN sentences s ON s.document = e.document AND s.sent = e.sent"
        " JOIN documents d ON d.id = e.document WHERE e.id = ?", merged)
    assert got["id"] == merged and got["sentence"] == sentence
    assert got["pattern"] == pattern and got["dict"] == dictref and got["dict"]
    assert got["document"]["doc_id"] == doc_id
    text = sentence.encode()
    for role in ("source", "verb", "target"):
        span = got["offsets"][role]
        if span is not None:
            assert 0 <= span[0] < span[1] <= len(text)
    verb = got["offsets"]["verb"]
    assert verb and text[verb[0]:verb[1]].strip()
    assert got["mention_count"] == n and len(got["mentions"]) == n
    assert got["mentions"][0]["id"] == merged
    reports = {r[0] for r in sql(examples_db, "SELECT event FROM mentions WHERE merged_event = ?",
                                 merged)}
    assert {m["id"] for m in got["mentions"]} == reports
    assert all(m["sentence"] and m["document"]["doc_id"] for m in got["mentions"])
    assert isinstance(got["negated"], bool) and re.fullmatch("[0-9a-f]{16}", got["event_id"])
    # an event with a place has it in its evidence
    placed, = sql(examples_db, "SELECT event FROM places WHERE lat IS NOT NULL LIMIT 1")[0]
    place = server.ok("api/event/%d" % placed)["place"]
    assert place["name"] and place["precision"] in ("city", "region", "country")


def count_where(db, where, *args):
    return sql(db, "SELECT count(*) " + FIRST + " WHERE " + where, *args)[0][0]


def test_filters_change_the_counts_as_sql_does(server, examples_db):
    everything = server.ok("api/summary")["events"]
    cases = [
        ("actor=IRN", "e.source GLOB 'IRN*' OR e.target GLOB 'IRN*'"),
        ("root=19", "e.root = '19'"),
        ("code=04", "e.code GLOB '04*'"),
        ("quad=3", "e.quad = 3"),
        ("plover=CONSULT", "e.plover = 'CONSULT'"),
        ("from=2011-03-28&to=2011-03-31", DAY + " BETWEEN '2011-03-28' AND '2011-03-31'"),
        ("country=ARM", "e.source IN (SELECT code FROM actors WHERE country = 'ARM')"
                        " OR e.target IN (SELECT code FROM actors WHERE country = 'ARM')"),
        ("q=TALKS", "EXISTS(SELECT 1 FROM sentences s WHERE s.document = e.document"
                    " AND s.sent = e.sent AND lower(s.text) LIKE '%talks%')"),
        ("actor=IRN&quad=1", "(e.source GLOB 'IRN*' OR e.target GLOB 'IRN*') AND e.quad = 1"),
    ]
    for params, where in cases:
        want = count_where(examples_db, where)
        assert 0 < want < everything, params
        assert server.ok("api/summary?" + params)["events"] == want, params
        assert server.ok("api/events?" + params)["total"] == want, params
        overview = server.ok("api/overview?" + params)["series"]
        assert sum(s["events"] for s in overview) == want, params
    irn = server.ok("api/events?actor=IRN&page_size=200")["events"]
    assert all(e["source"].startswith("IRN") or e["target"].startswith("IRN") for e in irn)


BAD = [
    ("nothing-here", 404), ("api/nothing", 404), ("api/event/999999", 404),
    ("api/event/12a", 400), ("api/event/-1", 400), ("api/event/1?x=1", 400),
    ("api/summary?from=2011-13-01", 400), ("api/summary?from=2011-02-30", 400),
    ("api/summary?to=20110301", 400), ("api/summary?code=4", 400), ("api/summary?code=19x", 400),
    ("api/summary?quad=5", 400), ("api/summary?quad=", 400), ("api/summary?root=1", 400),
    ("api/summary?actor=irn", 400), ("api/summary?country=IR", 400),
    ("api/summary?bogus=1", 400), ("api/summary?actor=IRN&actor=USA", 400),
    ("api/events?actor=" + urllib.parse.quote("IRN' OR 1=1--"), 400),
    ("api/events?q=" + urllib.parse.quote("x' OR '1'='1"), 200),   # text: bound, not SQL
    ("api/events?page_size=100000", 400), ("api/events?page_size=0", 400),
    ("api/events?page=0", 400), ("api/events?sort=id", 400), ("api/overview?bin=year", 400),
    ("api/network?limit=501", 400), ("api/map?limit=10001", 400), ("api/map?limit=1e3", 400),
    ("api/events?q=" + "a" * 201, 400), ("api/events?q=%00", 400), ("api/events?q", 400),
    ("api/summary?%00=1", 400), ("api/events?limit=5", 400), ("api/overview?page=1", 400),
]


def test_bad_requests_get_4xx_and_the_server_answers_on(server):
    for path, status in BAD:
        got, body = server.api(path)
        assert got == status, (path, body)
        if status != 200:
            assert body["error"], path
    status, _, _ = server.get("api/summary", method="POST")
    assert status == 405
    status, _, _ = server.get("api/summary", method="DELETE")
    assert status == 405
    status, _, _ = server.get("api/summary?q=" + "a" * 100000)
    assert status == 414
    status, _, _ = server.get("api/summary?q=" + "a" * 9000)
    assert status == 414
    assert server.ok("api/summary")["events"] > 0


def test_page_and_head(server):
    status, ctype, body = server.get("")
    assert status == 200 and ctype == "text/html; charset=utf-8"
    assert b'src="app.js"' in body   # the page's script, which asks the API
    status, ctype, script = server.get("app.js")
    assert status == 200 and ctype == "text/javascript; charset=utf-8"
    assert b"/api/summary" in script
    status, ctype, body = server.get("index.html")
    assert status == 200 and b"<html" in body
    status, ctype, body = server.get("api/summary", method="HEAD")
    assert status == 200 and body == b"" and ctype.startswith("application/json")


def replicate(src, dst, copies):
    """A larger database: the examples' rows copied `copies` times with
    dates shifted (bench/serve_replicate.sql, as bench/serve.sh does)."""
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    for stmt in open(REPLICATE).read().split(";\n"):
        if stmt.strip():
            con.execute(stmt, {"copies": copies} if ":copies" in stmt else {})
    con.commit()
    con.close()
    reindex(dst)


def reindex(db):
    """Rebuilds the derived tables after the tables were changed by SQL."""
    subprocess.run([KHALDUN, "reindex", str(db)], check=True)


@pytest.fixture(scope="module")
def large_db(examples_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("serve-large") / "large.db"
    replicate(examples_db, db, 600)
    return db


def test_paging_a_larger_database(large_db):
    total, = sql(large_db, "SELECT count(*) " + FIRST)[0]
    assert total > 20000
    s = Server(large_db)
    try:
        assert s.ok("api/summary")["events"] == total
        ids, last = set(), None
        pages = (total + 199) // 200
        for page in list(range(1, 6)) + list(range(pages - 4, pages + 2)):
            got = s.ok("api/events?page=%d&page_size=200&sort=day" % page)
            assert got["total"] == total
            if page > pages:
                assert got["events"] == []
                continue
            assert len(got["events"]) == (200 if page < pages else total - 200 * (pages - 1))
            ids |= {e["id"] for e in got["events"]}
            days = [e["day"] for e in got["events"]]
            assert days == sorted(days)
            if last and page > 1:
                assert days[0] >= last
            last = days[-1]
        assert len(ids) == 200 * 9 + total - 200 * (pages - 1)
        assert sum(n["events"] for n in s.ok("api/overview?bin=month")["series"]) == total
        first = s.ok("api/events?page=1&page_size=1&sort=-day")["events"][0]
        assert first["day"] == sql(large_db, "SELECT max(%s) " % DAY + FIRST)[0][0]
    finally:
        s.stop()


def test_a_slow_query_is_stopped_with_503(large_db):
    s = Server(large_db, "--query-ms", "1")
    try:
        status, body = s.api("api/events?plover=CONSULT&sort=goldstein")
        assert status == 503 and "time limit" in body["error"]
        status, _ = s.api("api/event/1")        # a quick one still answers
        assert status == 200
    finally:
        s.stop()


def test_a_database_without_the_serve_indexes_is_answered(examples_db, tmp_path, server):
    old = changed_copy(examples_db, tmp_path / "old.db", "DROP INDEX mentions_first",
                       "DROP INDEX events_by_day", "DROP INDEX events_by_goldstein")
    s = Server(old)
    try:
        for path in ("api/summary", "api/network", "api/events?from=2011-03-28",
                     "api/events?sort=-goldstein&page_size=200", "api/events?q=the",
                     "api/overview?root=19", "api/map"):
            assert s.ok(path) == server.ok(path), path
    finally:
        s.stop()
    # and the server created nothing in it
    assert not sql(old, "SELECT name FROM sqlite_master WHERE name IN"
                   " ('mentions_first', 'events_by_day', 'events_by_goldstein')")


def test_refusals_at_start(tmp_path):
    text = tmp_path / "not.db"
    text.write_text("hello\n")
    p = subprocess.run([KHALDUN, "serve", str(text), "--port", "0"], capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2 and "not a khaldun database" in p.stderr
    p = subprocess.run([KHALDUN, "serve", str(tmp_path / "missing.db"), "--port", "0"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "not a khaldun database" in p.stderr
    assert not (tmp_path / "missing.db").exists()
    for args in (["--port", "70000"], ["--port", "x"], ["--listen", "no.such.host.invalid"],
                 ["--query-ms", "0"]):
        p = subprocess.run([KHALDUN, "serve", str(text), *args], capture_output=True,
                           text=True, timeout=30)
        assert p.returncode == 2 and p.stderr, args


def test_port_in_use_is_reported(examples_db):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        p = subprocess.run([KHALDUN, "serve", str(examples_db), "--port",
                            str(sock.getsockname()[1])], capture_output=True, text=True,
                           timeout=30)
        assert p.returncode == 2 and "cannot listen" in p.stderr
    finally:
        sock.close()


def test_an_event_counts_once_for_an_actor_on_both_sides(examples_db, tmp_path):
    db = changed_copy(examples_db, tmp_path / "self.db",
                      "UPDATE events SET target = source WHERE id = (SELECT min(e.id) " + FIRST +
                      " WHERE e.source <> '---')")
    reindex(db)
    count = collections.Counter()
    for s, t in sql(db, "SELECT e.source, e.target " + FIRST):
        for actor in {s, t} - {"---"}:
            count[actor] += 1
    srv = Server(db)
    try:
        got = srv.ok("api/network?limit=500")
        assert {n["id"]: n["events"] for n in got["nodes"]} == dict(count)
        assert any(e["source"] == e["target"] for e in got["edges"])
    finally:
        srv.stop()


# ---- the derived tables: rollups and the full-text index (docs/schema.md)

def without_derived(src, dst):
    """A copy that the server answers from the events: its stamp removed,
    so the rollups and the full-text index are not current."""
    changed_copy(src, dst, "DELETE FROM schema_info WHERE key = 'derived_through'")


def corrupted_rollups(src, dst):
    """A copy whose rollups are wrong but current: an answer from them
    differs from the events', which shows the path a request took."""
    changed_copy(src, dst, *("UPDATE %s SET events = events + 1000, reports = reports + 1000,"
                             " goldstein_tenths = goldstein_tenths + 7" % table
                             for table in ("rollup", "rollup_dyads", "rollup_days")),
                 "UPDATE rollup_places SET events = events + 1000")


ROLLUP_FILTERS = ["", "from=2011-03-28", "to=2011-03-30", "from=2011-03-20&to=2011-04-02",
                  "actor=IRN", "actor=SYR", "country=ARM", "root=19", "root=04", "quad=1",
                  "quad=4", "actor=IRN&quad=1", "country=SYR&root=04&from=2011-01-01",
                  "source=IRNGOV", "target=SYR", "source_country=TUR", "target_country=SYR",
                  "source=TUR&target=SYR", "actor=ZZZ"]
ROLLUP_VIEWS = ["summary", "overview", "overview?bin=day&by=quad", "overview?bin=month",
                "network?limit=500", "network?level=country&limit=500", "network?limit=3",
                "dyad?a=ARM&b=AZE", "dyad?a=EGY&b=IRN&bin=day", "dyad?a=IRN&b=IRN&bin=month",
                "events?page_size=5", "map", "map?limit=2"]


def no_events(answer):
    return not (answer.get("events") or answer.get("series") or answer.get("nodes"))


def rollup_paths(views, filters):
    for view in views:
        for f in filters:
            sep = "&" if "?" in view else "?"
            yield "api/" + view + (sep + f if f else "")


def assert_same_answers(db, tmp_path, views, filters):
    """The rollups' answer is the events' answer, and the rollups are what
    answered (a corrupted copy answers differently)."""
    plain = tmp_path / "plain.db"
    wrong = tmp_path / "wrong.db"
    without_derived(db, plain)
    corrupted_rollups(db, wrong)
    servers = [Server(db), Server(plain), Server(wrong)]
    try:
        unused = []
        for path in rollup_paths(views, filters):
            got, want, bad = (s.ok(path) for s in servers)
            assert got == want, path
            if bad == want and not no_events(want):
                unused.append(path)
        return unused
    finally:
        for s in servers:
            s.stop()


def test_rollups_answer_as_the_events_do(examples_db, tmp_path):
    # every view counts from a rollup (the whole database's summary from
    # the tables' own indexes)
    assert assert_same_answers(examples_db, tmp_path, ROLLUP_VIEWS, ROLLUP_FILTERS) == \
        ["api/summary"]


def test_rollups_answer_as_the_events_do_on_a_larger_database(large_db, tmp_path):
    filters = ["", "from=2012-01-01&to=2012-06-30", "actor=IRN&from=2013-01-01", "root=19",
               "country=SYR&quad=3", "source=TUR&target=SYR"]
    views = ["summary", "overview?bin=month", "network?level=country&limit=50", "map",
             "network?limit=20", "dyad?a=TUR&b=SYR&bin=month"]
    assert assert_same_answers(large_db, tmp_path, views, filters) == ["api/summary"]


def test_filters_the_rollups_cannot_answer_come_from_the_events(examples_db, tmp_path):
    wrong = tmp_path / "wrong.db"
    corrupted_rollups(examples_db, wrong)
    s, good = Server(wrong), Server(examples_db)
    try:
        for path in ("api/summary?code=190", "api/network?plover=CONSULT",
                     "api/overview?q=talks", "api/dyad?a=TUR&b=SYR&code=11"):
            assert s.ok(path) == good.ok(path), path
        assert s.ok("api/summary?root=19") != good.ok("api/summary?root=19")
    finally:
        s.stop()
        good.stop()


def test_a_stale_or_missing_rollup_is_not_used(examples_db, tmp_path, server):
    wrong = tmp_path / "wrong.db"
    corrupted_rollups(examples_db, wrong)
    stale = changed_copy(wrong, tmp_path / "stale.db", "UPDATE schema_info SET"
                         " value = value - 1 WHERE key = 'derived_through'")
    s = Server(stale)
    try:
        for path in ("api/summary?actor=IRN", "api/network", "api/overview"):
            assert s.ok(path) == server.ok(path), path
        status, body = s.api("api/events?q=talks")
        assert status == 503 and "out of date" in body["error"] and "reindex" in body["error"]
    finally:
        s.stop()


def old_database(src, dst):
    """A database as a khaldun of schema version 3 wrote it."""
    changed_copy(src, dst, *("DROP TABLE " + table for table in
                             ("rollup", "rollup_dyads", "rollup_days", "rollup_documents",
                              "rollup_places", "first_events", "events_fts")),
                 "DELETE FROM schema_info WHERE key = 'derived_through'",
                 "UPDATE schema_info SET value = '3' WHERE key = 'schema_version'")


def test_an_old_database_is_served_and_reindexed(examples_db, tmp_path, server):
    old = tmp_path / "old3.db"
    old_database(examples_db, old)
    s = Server(old)
    try:
        for path in ("api/network", "api/overview?actor=IRN", "api/dyad?a=TUR&b=SYR",
                     "api/events?page_size=200", "api/map"):
            assert s.ok(path) == server.ok(path), path
        got = s.ok("api/summary?root=19")
        assert got == dict(server.ok("api/summary?root=19"), schema_version=3)
        status, body = s.api("api/events?q=talks")
        assert status == 400 and "khaldun reindex" in body["error"]
    finally:
        s.stop()
    assert sql(old, "SELECT value FROM schema_info WHERE key = 'schema_version'") == [("3",)]
    reindex(old)
    assert sql(old, "SELECT value FROM schema_info WHERE key = 'schema_version'") == [("4",)]
    s = Server(old)
    try:
        for path in ("api/summary?actor=IRN", "api/events?q=talks", "api/network"):
            assert s.ok(path) == server.ok(path), path
    finally:
        s.stop()


def test_reindex_refuses_what_is_not_a_khaldun_database(tmp_path):
    text = tmp_path / "not.db"
    text.write_text("hello\n")
    for path in (text, tmp_path / "missing.db"):
        p = subprocess.run([KHALDUN, "reindex", str(path)], capture_output=True, text=True,
                           timeout=30)
        assert p.returncode == 2 and "cannot reindex" in p.stderr, p.stderr
    assert not (tmp_path / "missing.db").exists()
    p = subprocess.run([KHALDUN, "reindex"], capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "usage" in p.stderr


def rollup_totals(db):
    return sql(db, "SELECT sum(events), sum(reports), sum(goldstein_tenths), sum(scored)"
               " FROM rollup")[0]


def event_totals(db):
    return sql(db, "SELECT count(*), sum((SELECT count(*) FROM mentions r"
               " WHERE r.merged_event = e.id)), sum(CAST(round(e.goldstein * 10) AS INTEGER)),"
               " count(e.goldstein) " + FIRST)[0]


def test_a_run_completes_derived_tables_an_older_khaldun_made(examples_db, tmp_path):
    db = changed_copy(examples_db, tmp_path / "partial.db", "DROP TABLE first_events")
    extra = tmp_path / "more.txt"
    extra.write_text("Iran condemned Israel on Monday.\n")
    subprocess.run([KHALDUN, "code", "--quiet", "--date", "20110402", "-o", str(db), str(extra)],
                   check=True)
    assert sql(db, "SELECT count(*) FROM first_events") == sql(db, "SELECT count(*) " + FIRST)


def test_a_second_run_brings_the_derived_tables_up_to_date(tmp_path):
    db = tmp_path / "two-runs.db"
    code_examples(db)
    first = event_totals(db)
    assert rollup_totals(db) == first
    extra = tmp_path / "extra.txt"
    extra.write_text("Zanzibarian protesters demonstrated against the Iranian government"
                     " on Monday.\nIran condemned Israel.\n")
    subprocess.run([KHALDUN, "code", "--quiet", "--date", "20110401", "-o", str(db), str(extra)],
                   check=True)
    second = event_totals(db)
    assert second[0] > first[0] and rollup_totals(db) == second
    assert sql(db, "SELECT * FROM first_events ORDER BY id") == \
        sql(db, "SELECT e.id, %s, e.goldstein, e.source, e.target, e.root, e.quad " % DAY +
            FIRST + " ORDER BY e.id")
    for table, dims in (("rollup_dyads", "source, target, root, quad"),
                        ("rollup_days", "day, root, quad")):
        assert sql(db, "SELECT %s, sum(events) FROM %s GROUP BY %s ORDER BY %s" %
                   (dims, table, dims, dims)) == \
            sql(db, "SELECT %s, sum(events) FROM rollup GROUP BY %s ORDER BY %s" % (dims, dims, dims))
    assert sql(db, "SELECT count(*), count(DISTINCT document) FROM rollup_documents") == \
        sql(db, "SELECT count(*), count(DISTINCT document) FROM (SELECT DISTINCT %s, e.source,"
            " e.target, e.root, e.quad, r.document FROM mentions m JOIN events e"
            " ON e.id = m.merged_event JOIN events r ON r.id = m.event)" % DAY)
    s = Server(db)
    try:
        assert s.ok("api/events?q=zanzibarian")["total"] >= 1
        assert s.ok("api/events?q=talks")["total"] == count_where(
            db, "EXISTS(SELECT 1 FROM sentences s WHERE s.document = e.document"
                " AND s.sent = e.sent AND lower(s.text) GLOB '*talks*')")
    finally:
        s.stop()


# ---- q: the full-text index

WORD = re.compile(r"[^\W_]+")


def words_of(text):
    return [w.lower() for w in WORD.findall(text)]


def matching(db, test):
    """The merged events whose sentence's words pass `test`."""
    rows = sql(db, "SELECT e.id, s.text " + FIRST +
               " JOIN sentences s ON s.document = e.document AND s.sent = e.sent")
    return {i for i, text in rows if test(words_of(text))}


def has_phrase(words, phrase):
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


def found(server, q):
    got = server.ok("api/events?page_size=200&q=" + urllib.parse.quote(q))
    assert got["total"] == len(got["events"])
    return {e["id"] for e in got["events"]}


def test_q_finds_words_prefixes_and_phrases(server, examples_db):
    cases = [
        ("talks", lambda w: "talks" in w),
        ("TALKS", lambda w: "talks" in w),
        ("Iran turkey", lambda w: "iran" in w and "turkey" in w),
        ("talk*", lambda w: any(x.startswith("talk") for x in w)),
        ("syr* government", lambda w: "government" in w and any(x.startswith("syr") for x in w)),
        ('"peace talks"', lambda w: has_phrase(w, ["peace", "talks"])),
        ('"syrian gov"*', lambda w: any(w[i] == "syrian" and w[i + 1].startswith("gov")
                                        for i in range(len(w) - 1))),
        ("Iran's", lambda w: has_phrase(w, ["iran", "s"])),
        ("talks, -- !", lambda w: "talks" in w),
    ]
    for q, test in cases:
        want = matching(examples_db, test)
        assert want, q
        assert found(server, q) == want, q
    assert found(server, "peace talks") >= found(server, '"peace talks"')
    assert found(server, "zzzyzzy") == set()


def test_q_syntax_is_never_sql_or_fts5(server, examples_db):
    # SQL and FTS5's operators are words like any other: searched for, not obeyed
    for q in ("x' OR '1'='1", "'; DROP TABLE events; --", "talks OR peace", "NOT talks",
              "NEAR(talks peace)", "text:talks", "talks AND", "^talks", "talks + peace",
              "(talks", "talks)", "{text}: talks", "a\\b", "talks -peace", "événement",
              "الحديث", "_talks_"):
        status, body = server.api("api/events?q=" + urllib.parse.quote(q))
        assert status == 200, (q, body)
        want = matching(examples_db, lambda w, q=q: all(x in w for x in words_of(q)))
        assert {e["id"] for e in body["events"]} == want, q
    assert found(server, "talks OR peace") == found(server, "talks peace or")
    for q, message in (('"peace talks', "not closed"), ("*", "after no word"),
                       ("nu*clear", "inside a word"), ("--", "no word"), ("%", "no word"),
                       ("' \"\"", "no word"),
                       (" ".join(["w%d" % i for i in range(17)]), "more than 16"),
                       ("talks *", "after no word")):
        status, body = server.api("api/summary?q=" + urllib.parse.quote(q))
        assert status == 400 and "'q'" in body["error"] and message in body["error"], (q, body)
    assert server.ok("api/summary")["events"] > 0


def test_actor_codes_may_hold_dashes(examples_db, tmp_path):
    db = changed_copy(examples_db, tmp_path / "dash.db",
                      "UPDATE events SET source = '---GOV' WHERE id IN (SELECT e.id " + FIRST +
                      " WHERE e.source = 'EGYGOV')")
    reindex(db)
    want = count_where(db, "e.source GLOB '---GOV*' OR e.target GLOB '---GOV*'")
    assert want == 4
    plain = tmp_path / "dash-plain.db"
    without_derived(db, plain)
    s, p = Server(db), Server(plain)
    try:
        for path in ("api/summary?actor=---GOV", "api/events?actor=---GOV",
                     "api/network?source=---GOV", "api/dyad?a=---GOV&b=ISR"):
            assert s.ok(path) == p.ok(path), path
        assert s.ok("api/summary?actor=---GOV")["events"] == want
        assert s.ok("api/events?source=---GOV")["total"] == want
        assert {n["id"] for n in s.ok("api/network?actor=---GOV")["nodes"]} >= {"---GOV"}
    finally:
        s.stop()
        p.stop()


def test_an_edge_has_its_events(server, examples_db):
    for level, side in (("actor", ""), ("country", "_country")):
        edges = server.ok("api/network?limit=500&level=" + level)["edges"]
        assert edges
        for edge in edges:
            params = {}
            for end in ("source", "target"):
                code = edge[end]
                country = level == "country" and re.fullmatch("[A-Z]{3}", code) and \
                    sql(examples_db, "SELECT 1 FROM actors WHERE country = ?", code)
                params[end + ("_country" if country else "")] = code
            got = server.ok("api/events?page_size=200&" + urllib.parse.urlencode(params))
            assert got["total"] == edge["events"], (level, edge, params)
            if level == "actor":
                assert all((e["source"], e["target"]) == (edge["source"], edge["target"])
                           for e in got["events"])


def test_late_pages_from_first_events_are_the_events_pages(large_db, tmp_path):
    total, = sql(large_db, "SELECT count(*) " + FIRST)[0]
    plain = tmp_path / "large-plain.db"
    without_derived(large_db, plain)
    wrong = changed_copy(large_db, tmp_path / "large-wrong.db",
                         "UPDATE first_events SET day = NULL WHERE id % 3 = 0")
    servers = [Server(large_db), Server(plain), Server(wrong)]
    try:
        last = (total + 199) // 200
        for sort in ("-day", "day", "goldstein", "-goldstein"):
            for page in (1, 2, last // 2, last - 1, last, last + 1):
                path = "api/events?page_size=200&sort=%s&page=%d" % (sort, page)
                got, want, bad = (s.ok(path) for s in servers)
                assert got == want, path
                if sort.endswith("day") and got["events"]:
                    assert bad != want, path      # first_events gave the order
        for path in ("api/events?from=2012-01-01&to=2012-03-31&page=3&sort=day",
                     "api/events?to=2013-01-01&page=30&page_size=100"):
            got, want, bad = (s.ok(path) for s in servers)
            assert got == want and bad != want, path
        path = "api/events?page=30&page_size=100&actor=IRN&sort=day"
        got, want, bad = (s.ok(path) for s in servers)
        assert got == want and bad != want, path
        # a filter first_events has not: the events' indexes
        path = "api/events?page=2&page_size=5&code=190"
        got, want, bad = (s.ok(path) for s in servers)
        assert got == want == bad, path
    finally:
        for s in servers:
            s.stop()


def test_q_pages_on_a_larger_database(large_db):
    rows = sql(large_db, "SELECT e.id, %s, e.source, e.target, s.text " % DAY + FIRST +
               " JOIN sentences s ON s.document = e.document AND s.sent = e.sent")
    talks = [(day, i, src, tgt) for i, day, src, tgt, text in rows if "talks" in words_of(text)]
    s = Server(large_db)
    try:
        for extra, keep in (("", lambda r: True),
                            ("&actor=IRN", lambda r: r[2].startswith("IRN") or
                             r[3].startswith("IRN"))):
            want = sorted((r for r in talks if keep(r)), key=lambda r: (r[0], r[1]),
                          reverse=True)
            assert len(want) > 100
            got = s.ok("api/events?q=talks&sort=-day&page_size=20&page=4" + extra)
            assert got["total"] == len(want)
            assert [e["id"] for e in got["events"]] == [r[1] for r in want[60:80]]
    finally:
        s.stop()
