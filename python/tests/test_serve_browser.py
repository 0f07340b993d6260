"""The page of `khaldun serve` in headless Chromium (issue 13).

A database is coded from examples/ (and one document with non-ASCII text,
whose byte offsets differ from its character offsets), `khaldun serve`
serves it on a free port, and tests/browser/views.mjs drives Debian's
chromium through playwright-core over every view, printing what it drew.
The tests here compare that with SQL on the same database and with the
server's own answers.  Screenshots go to build/test-artifacts/.

Chromium and playwright-core are requirements, not options: without them
the tests fail and say how to install them (`make check` installs
playwright-core; tools/install-deps.sh installs chromium).
"""
import collections
import json
import os
import queue
import re
import shutil
import sqlite3
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))
BUILD = os.path.dirname(os.path.abspath(KHALDUN))
PLAYWRIGHT = os.path.join(ROOT, "build", "npm", "browser", "node_modules", "playwright-core")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = os.path.join(BUILD, "test-artifacts")
SCRIPT = os.path.join(ROOT, "tests", "browser", "views.mjs")
VIEWS = ["overview", "network", "dyad", "map", "evidence"]

# Seconds for the server to say where it listens, and for the whole
# browser run (about 15 s here; the bound only stops a hung browser).
SERVE_START_S = 20
BROWSER_RUN_S = 240
# The network view's default size (docs/serve.md: limit, default 50).
NETWORK_LIMIT = 50

# A document whose events' byte offsets are not character offsets:
# "Élysée" and "France’s" put multi-byte characters before and inside
# the source.
NON_ASCII_DOC = ("The Élysée said France’s president warned Russia against any attack"
                 " on Kyiv.\n")
NON_ASCII_WORD = "Élysée"
DYAD = ("ARM", "AZE")
FILTER = {"actor": "ARM"}
BAD_FILTER = {"from": "March 2011"}

MERGED = ("FROM events e JOIN mentions m ON m.event = e.id AND m.merged_event = e.id"
          " JOIN documents d ON d.id = e.document")
DAY = "coalesce(e.event_date, d.date)"


def missing_requirements():
    """What the browser tests need and this machine lacks, with the fix."""
    missing = []
    if not shutil.which("node"):
        missing.append("node (apt-get install nodejs npm)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} (apt-get install chromium, in tools/install-deps.sh)")
    if not os.path.isfile(os.path.join(PLAYWRIGHT, "index.mjs")):
        missing.append(f"playwright-core in {PLAYWRIGHT} (make browser-deps; make check does it)")
    return missing


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-browser")
    doc = tmp / "elysee.txt"
    doc.write_text(NON_ASCII_DOC, encoding="utf-8")
    path = tmp / "events.db"
    subprocess.run([KHALDUN, "code", "--quiet", "--date", "20110328", EXAMPLES, str(doc),
                    "-o", str(path)], check=True)
    return str(path)


@pytest.fixture(scope="module")
def server(db):
    """The root URL of `khaldun serve DB --port 0`, read from its stderr
    (which a thread keeps draining, so a server that logs never blocks)."""
    proc = subprocess.Popen([KHALDUN, "serve", db, "--port", "0"], stderr=subprocess.PIPE,
                            text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr] + [lines.put(None)],
                     daemon=True).start()
    try:
        said = []
        url = None
        while url is None:
            try:
                line = lines.get(timeout=SERVE_START_S)
            except queue.Empty:
                break
            if line is None:
                break
            said.append(line)
            found = re.search(r"serving .* at (http://\S+/)", line)
            url = found and found.group(1)
        assert url, "khaldun serve did not say where it listens: " + "".join(said)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=SERVE_START_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def api(url, path, params=None):
    """(status, JSON body) of a GET, errors included."""
    query = "?" + urllib.parse.urlencode(params) if params else ""
    try:
        with urllib.request.urlopen(url + path.lstrip("/") + query, timeout=SERVE_START_S) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


@pytest.fixture(scope="module")
def report(server, tmp_path_factory):
    """What tests/browser/views.mjs saw in every view."""
    missing = missing_requirements()
    if missing:
        pytest.fail("the browser tests need " + "; ".join(missing))
    os.makedirs(ARTIFACTS, exist_ok=True)
    config = tmp_path_factory.mktemp("browser-config") / "config.json"
    config.write_text(json.dumps({
        "url": server, "artifacts": ARTIFACTS, "playwright": PLAYWRIGHT, "chromium": CHROMIUM,
        "dyad": list(DYAD), "filter": FILTER, "bad_filter": BAD_FILTER,
        "search": NON_ASCII_WORD}))
    p = subprocess.run(["node", SCRIPT, str(config)], capture_output=True, text=True,
                       timeout=BROWSER_RUN_S)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def sql(db, query, args=()):
    con = sqlite3.connect(db)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def test_every_view_loads_without_console_errors(report):
    assert report["first_load"]["state"] == "ready"
    assert report["first_load"]["console_errors"] == []
    for view in VIEWS:
        seen = report["views"][view]
        assert (view, seen["state"], seen["error"], seen["console_errors"]) == \
            (view, "ready", None, [])
        shot = os.path.join(ARTIFACTS, f"serve-{view}.png")
        with open(shot, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", shot


def test_the_page_asks_nothing_of_the_internet(report):
    assert report["foreign_requests"] == []


def test_overview_bars_add_up_to_the_merged_events(report, db):
    (events,), = sql(db, f"SELECT count(*) {MERGED} WHERE {DAY} IS NOT NULL")
    seen = report["views"]["overview"]
    assert seen["events"] == events == int(seen["summary"]) and seen["bars"] > 5


def expected_network(db):
    """Nodes and edges of the network view computed from the tables: the
    merged events' actors (not '---', no actor) and their directed edges."""
    pairs = sql(db, f"SELECT e.source, e.target, e.goldstein {MERGED}")
    nodes = collections.Counter()
    edges = collections.Counter()
    for source, target, _ in pairs:
        for actor in {source, target} - {"---"}:
            nodes[actor] += 1
        if "---" not in (source, target):
            edges[(source, target)] += 1
    return nodes, edges


def test_network_has_the_actors_and_dyads_of_the_database(report, db):
    nodes, edges = expected_network(db)
    # With more actors than the view shows, ties would decide which appear.
    assert 10 < len(nodes) <= NETWORK_LIMIT
    seen = report["views"]["network"]
    assert {n["id"]: n["events"] for n in seen["nodes"]} == dict(nodes)
    assert {(e["source"], e["target"]): e["events"] for e in seen["edges"]} == dict(edges)


def test_clicking_an_edge_or_a_node_lists_its_events(report, db):
    clicks = report["network_clicks"]
    assert clicks["error"] is None and clicks["console_errors"] == []
    s, t = clicks["edge"]["source"], clicks["edge"]["target"]
    want = sql(db, f"SELECT e.id {MERGED} WHERE e.source = ? AND e.target = ?", (s, t))
    assert sorted(clicks["edge_events"]) == sorted(i for i, in want) and want
    node = clicks["node"]   # a node's events: the API's actor filter, a prefix
    want = sql(db, f"SELECT e.id {MERGED} WHERE substr(e.source, 1, ?) = ?"
               " OR substr(e.target, 1, ?) = ?", (len(node), node, len(node), node))
    assert sorted(clicks["node_events"]) == sorted(i for i, in want) and want


def test_a_filter_changes_the_counts_as_the_summary_says(report, server, db):
    everything = int(report["views"]["overview"]["summary"])
    filtered = report["filter"]
    assert filtered["state"] == "ready" and filtered["console_errors"] == []
    status, summary = api(server, "/api/summary", FILTER)
    assert status == 200
    actor = FILTER["actor"]
    (want,), = sql(db, f"SELECT count(*) {MERGED} WHERE substr(e.source, 1, ?) = ?"
                   " OR substr(e.target, 1, ?) = ?", (len(actor), actor, len(actor), actor))
    assert int(filtered["summary"]) == summary["events"] == filtered["overview_events"] == want
    assert 0 < want < everything
    assert "actor=" + actor in filtered["hash"]


def test_an_opened_event_highlights_the_words_at_its_offsets(report, db):
    opened = report["events"]["opened"]
    assert report["events"]["console_errors"] == [] and len(opened) == 2
    for seen in opened:
        event_id = int(re.search(r"event=(\d+)", seen["hash"]).group(1))
        (text, *offsets), = sql(db, "SELECT s.text, e.source_start, e.source_end, e.verb_start,"
                                " e.verb_end, e.target_start, e.target_end FROM events e JOIN"
                                " sentences s ON s.document = e.document AND s.sent = e.sent"
                                " WHERE e.id = ?", (event_id,))
        raw = text.encode("utf-8")
        assert seen["sentence"] == text
        for i, role in enumerate(["source", "verb", "target"]):
            start, end = offsets[2 * i], offsets[2 * i + 1]
            want = raw[start:end].decode("utf-8") if start >= 0 else ""
            assert seen["marks"][role] == want, (event_id, role)
        assert seen["marks"]["verb"]
    # The second was found by a non-ASCII word: its byte offsets are not
    # character offsets, so reading them as JavaScript indexes would fail.
    last = opened[1]
    assert NON_ASCII_WORD in last["sentence"]
    start = last["sentence"].encode("utf-8").index(last["marks"]["source"].encode("utf-8"))
    assert last["sentence"].index(last["marks"]["source"]) != start


def test_the_map_draws_countries_and_places_by_precision(report, db):
    seen = report["views"]["map"]
    assert seen["countries"] > 150   # Natural Earth 1:110m has 177
    want = sql(db, f"SELECT p.name, p.precision, count(*) {MERGED} JOIN places p"
               " ON p.event = e.id WHERE p.lat IS NOT NULL GROUP BY p.name, p.precision,"
               " p.lat, p.lon")
    got = collections.Counter()
    for place in seen["places"]:
        got[(place["name"], place["precision"])] += place["events"]
    assert dict(got) == {(name, precision): n for name, precision, n in want}
    radii = collections.defaultdict(list)
    for place in seen["places"]:
        radii[place["precision"]].append(place["r"])
    assert {"city", "country"} <= set(radii)
    # A country's centroid is drawn larger than any city, whatever the counts.
    assert min(radii["country"]) > max(radii["city"])


def test_the_dyad_timeline_counts_both_directions(report, db):
    a, b = DYAD
    seen = collections.Counter()
    for bar in report["views"]["dyad"]["quads"]:
        seen[(bar["direction"], bar["quad"])] += bar["events"]
    want = collections.Counter()
    rows = sql(db, f"SELECT e.source, e.target, e.quad {MERGED}")
    for source, target, quad in rows:
        if source.startswith(a) and target.startswith(b):
            want[("a>b", quad)] += 1
        elif source.startswith(b) and target.startswith(a):
            want[("b>a", quad)] += 1
    assert seen == want and {d for d, _ in want} == {"a>b", "b>a"}
    assert report["views"]["dyad"]["lines"] == 2


def test_the_url_holds_the_view_and_its_filters(report):
    trip = report["round_trip"]
    before, after = trip["before"], trip["after"]
    assert before["tab"] == "network" and before["level"] == "country"
    assert before["filter"] == FILTER["actor"] and before["nodes"]
    assert after == before and trip["console_errors"] == []


def test_a_bad_filter_shows_the_servers_message(report, server):
    seen = report["bad_filter"]
    status, body = api(server, "/api/summary", BAD_FILTER)
    assert status == 400
    assert seen["state"] == "error" and seen["error"] == body["error"]
    assert seen["summary"] is None   # no count left from the filters before
