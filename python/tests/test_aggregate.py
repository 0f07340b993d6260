"""khaldun aggregate: CSV series from a khaldun SQLite database (issue 13)."""
import collections
import csv
import datetime
import io
import os
import sqlite3
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))


def database(tmp_path):
    db = tmp_path / "events.db"
    subprocess.run([KHALDUN, "code", "--quiet", "--date", "20110328", "-o", str(db), EXAMPLES],
                   check=True)
    return db


def aggregate(db, by):
    p = subprocess.run([KHALDUN, "aggregate", str(db), "--by", by], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    return list(csv.DictReader(io.StringIO(p.stdout)))


def merged_events(db):
    """The merged events, computed here from the tables as docs/schema.md
    defines them: the first report of each merged event."""
    con = sqlite3.connect(db)
    return con.execute("SELECT e.source, e.target, coalesce(e.event_date, e.date), e.quad,"
                       " e.goldstein FROM events e JOIN mentions m ON m.event = e.id"
                       " WHERE m.merged_event = e.id").fetchall()


def test_dyad_week_counts_the_merged_events(tmp_path):
    db = database(tmp_path)
    rows = aggregate(db, "dyad,week")
    want = collections.Counter()
    for source, target, day, _, _ in merged_events(db):
        d = datetime.date.fromisoformat(day)
        want[(source, target, str(d - datetime.timedelta(days=d.weekday())))] += 1
    got = {(r["source"], r["target"], r["week"]): int(r["events"]) for r in rows}
    assert got == dict(want) and len(got) > 10
    assert all(datetime.date.fromisoformat(r["week"]).weekday() == 0 for r in rows)
    for r in rows:        # the QuadClass counts add up to the events
        assert sum(int(r["quad%d" % q]) for q in range(1, 5)) == int(r["events"])


def test_actor_rows_count_both_sides(tmp_path):
    db = database(tmp_path)
    events = merged_events(db)
    want = collections.Counter()
    for source, target, *_ in events:
        for actor in (source, target):
            if actor != "---":
                want[actor] += 1
    got = {r["actor"]: int(r["events"]) for r in aggregate(db, "actor")}
    assert got == dict(want)


def test_root_month(tmp_path):
    db = database(tmp_path)
    rows = aggregate(db, "root,month")
    want = collections.Counter(day[:7] for _, _, day, _, _ in merged_events(db))
    got = collections.Counter()
    for r in rows:
        got[r["month"]] += int(r["events"])
    assert got == want
    assert sorted(r["root"] for r in rows) == [r["root"] for r in rows]


def test_bad_requests_are_refused(tmp_path):
    db = database(tmp_path)
    for by in ["dyad;DROP TABLE events", "nonsense", "", "dyad,week,root,code,quad"]:
        p = subprocess.run([KHALDUN, "aggregate", str(db), "--by", by], capture_output=True,
                           text=True)
        assert p.returncode == 2 and "aggregate" in p.stderr, (by, p.stderr)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0] > 0
    other = tmp_path / "not.db"
    other.write_text("hello")
    p = subprocess.run([KHALDUN, "aggregate", str(other), "--by", "dyad"], capture_output=True,
                       text=True)
    assert p.returncode == 2 and "not a khaldun database" in p.stderr
