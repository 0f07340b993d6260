"""The command line's document dates and event places (issue 11).

Each test writes its own small inputs; the CLI under test is KHALDUN, as
for the binding's tests.
"""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))


def run(*args):
    p = subprocess.run([KHALDUN, "code"] + [str(a) for a in args],
                       capture_output=True, text=True)
    events = [json.loads(line) for line in p.stdout.splitlines()]
    return events, p.stderr


def set_mtime(path, iso):
    import datetime
    t = datetime.datetime.fromisoformat(iso + "T12:00:00+00:00").timestamp()
    os.utime(path, (t, t))


def test_dateline_date_takes_its_year_from_the_file(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("ADDIS ABABA, Jan 12 (Reuters) - Ethiopia accused Eritrea "
                     "of sending troops across the border.\n")
    set_mtime(story, "2025-02-03")
    events, err = run(story)
    assert [e["date"] for e in events] == ["2025-01-12"]
    assert "0 documents undated" in err
    set_mtime(story, "2025-01-05")        # saved before Jan 12: last year's
    events, _ = run(story)
    assert [e["date"] for e in events] == ["2024-01-12"]


def test_published_date_of_a_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html><head><meta property="article:published_time" '
                    'content="2024-05-02T10:00:00Z"><title>t</title></head><body>'
                    '<article><p>Iran accused Israel of aggression.</p></article>'
                    '</body></html>')
    events, err = run(page)
    assert [e["date"] for e in events] == ["2024-05-02"]
    assert "0 documents undated" in err


def test_undated_documents_are_counted(tmp_path):
    lines = tmp_path / "docs.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": "Iran accused Israel of aggression."})
                     + "\n" +
                     json.dumps({"id": "b", "date": "2021-02-30",
                                 "text": "Iran accused Israel of aggression."}) + "\n" +
                     json.dumps({"id": "c", "date": "2021-02-03",
                                 "text": "Iran accused Israel of aggression."}) + "\n")
    events, err = run(lines)
    assert re.search(r"\b2 documents undated\b", err), err
    assert "not a date" in err                 # 2021-02-30 is reported...
    by_doc = {e["doc"]: e["date"] for e in events}
    assert by_doc["b"] is None                 # ...and never written out
    assert by_doc["c"] == "2021-02-03"


def test_date_precision_and_past_report_weekday():
    doc = json.dumps({"id": "w", "date": "2024-03-13",
                      "text": "Russia will attack Ukraine, the Kremlin said on Friday. "
                              "Iran accused Saudi Arabia of aggression in 2015."})
    p = subprocess.run([KHALDUN, "code", "--quiet", "-"], input=doc + "\n",
                       capture_output=True, text=True, check=True)
    events = [json.loads(line) for line in p.stdout.splitlines()]
    got = {e["code"][:2]: (e["event_date"], e["date_precision"]) for e in events}
    assert got["19"] == ("2024-03-08", "day")          # the Friday before
    assert got["11"] == ("2015-01-01", "year")


def test_statement_place_is_the_dateline_not_the_target(tmp_path):
    story = tmp_path / "brussels.txt"
    story.write_text("BRUSSELS, March 4 (Reuters) - Iran accused Israel of aggression.\n"
                     "Bahrain severed ties with Iran.\n")
    set_mtime(story, "2024-03-05")
    events, _ = run("--format", "jsonl", story)
    by_code = {e["code"][:2]: e["place"] for e in events}
    assert by_code["11"]["name"] == "Brussels"
    # severing ties happened neither in Brussels nor, by itself, in Iran
    assert by_code["16"] is None


def test_date_precision_in_sqlite_and_tsv(tmp_path):
    import sqlite3
    story = tmp_path / "story.jsonl"
    story.write_text(json.dumps({"id": "p", "date": "2024-03-13",
                                 "text": "Iran accused Saudi Arabia of aggression in 2015."}) + "\n")
    db = tmp_path / "e.db"
    subprocess.run([KHALDUN, "code", "--quiet", "-o", str(db), str(story)], check=True)
    rows = sqlite3.connect(db).execute("SELECT event_date, date_precision FROM events").fetchall()
    assert rows == [("2015-01-01", "year")]
    p = subprocess.run([KHALDUN, "code", "--quiet", "--format", "tsv", str(story)],
                       check=True, capture_output=True, text=True)
    head, row = p.stdout.splitlines()[:2]
    assert dict(zip(head.split("\t"), row.split("\t")))["date_precision"] == "year"
