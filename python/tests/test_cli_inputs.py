"""JSON lines from common scrapers map without a script: news-please's
maintext, date_publish, title, url and source_domain; content and
published; and --field NAME=KEY for any other names."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.path.abspath(os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun")))

TEXT = "Israel attacked Hamas in Gaza on Tuesday, officials said."


def code(tmp_path, records, *args):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    r = subprocess.run([KHALDUN, "code"] + list(args) + [str(src)], capture_output=True, text=True)
    return r, [json.loads(line) for line in r.stdout.splitlines()]


def test_news_please_record(tmp_path):
    rec = {"maintext": TEXT, "date_publish": "2021-03-04 10:15:00", "title": "Strikes",
           "url": "https://example.org/a", "source_domain": "example.org",
           "authors": ["A. Writer"], "language": "en"}
    r, events = code(tmp_path, [rec])
    assert r.returncode == 0, r.stderr
    assert " 1 documents" in r.stderr or "1 documents" in r.stderr
    assert events and events[0]["date"] == "2021-03-04"
    assert events[0]["url"] == "https://example.org/a"
    assert events[0]["sentence"] == TEXT


def test_content_and_published(tmp_path):
    r, events = code(tmp_path, [{"id": "c1", "content": TEXT, "published": "2020-01-02"}])
    assert r.returncode == 0, r.stderr
    assert [(e["doc"], e["date"]) for e in events][:1] == [("c1", "2020-01-02")]


def test_field_maps_other_names(tmp_path):
    rec = {"uid": "x-7", "story": TEXT, "published_at": "2019-05-06T08:00:00Z",
           "link": "https://example.org/b"}
    r, events = code(tmp_path, [rec], "--field", "text=story", "--field=date=published_at",
                     "--field", "id=uid", "--field", "url=link")
    assert r.returncode == 0, r.stderr
    assert events
    assert {(e["doc"], e["date"], e.get("url")) for e in events} == {
        ("x-7", "2019-05-06", "https://example.org/b")}
    # --field goes before the usual names
    r, events = code(tmp_path, [{"text": "ignored words", "story": TEXT}], "--field", "text=story")
    assert events and events[0]["sentence"] == TEXT


def test_bad_field_spec_is_a_usage_error(tmp_path):
    for spec in ("body", "colour=body", "text="):
        r, _ = code(tmp_path, [{"text": TEXT}], "--field", spec)
        assert r.returncode == 2 and "--field" in r.stderr, spec


def test_petrarch_xml_warnings_name_lines_past_65535(tmp_path):
    """libxml2 stores at most 65,535 as a node's line unless asked for big
    lines: every warning in a large PETRARCH file used to name line 65535."""
    filler = "<!-- filler -->\n" * 70000
    src = tmp_path / "big.xml"
    src.write_text("<Sentences>\n" + filler +
                   '<Sentence date="2015-13-99" id="s1">\n<Text>\n' + TEXT +
                   "\n</Text>\n</Sentence>\n</Sentences>\n")
    r = subprocess.run([KHALDUN, "code", "--quiet", str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    line = 70000 + 2     # the <Sentence> tag, after the root and the filler
    assert f"big.xml:{line}: Sentence date is not YYYYMMDD" in r.stderr, r.stderr
