"""The Python binding against the command line: same pipeline, same fields.

KHALDUN (the CLI to compare with) and the built extension come from the
build directory that `make check` names; the tests start from the bundled
examples/ and a small inline dictionary of their own.
"""
import json
import os
import subprocess

import pytest

import khaldun

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))

NATO = "NATO decided on March 27, 2011, to carry out military operations against Libya."


def cli_events(*args):
    out = subprocess.run([KHALDUN, "code", "--quiet"] + list(args), check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_code_returns_dated_explained_events():
    events = khaldun.code(NATO, date="2011-03-28")
    assert [(e["source"], e["target"]) for e in events] == [("IGOWSTNAT", "LBY")]
    e = events[0]
    assert (e["code"], e["root"], e["quad"]) == ("190", "19", 4)
    assert e["event_date"] == "2011-03-27"
    assert e["date"] == "2011-03-28"
    assert e["sentence"] == NATO
    assert e["dict"] and ":" in e["dict"]
    start, end = e["offsets"]["source"]
    assert NATO[start:end] == "NATO"


def test_same_fields_and_values_as_the_cli(tmp_path):
    path = tmp_path / "nato.txt"
    path.write_text(NATO + "\n")
    cli = cli_events("--date", "20110328", str(path))
    mine = khaldun.code(NATO, date=20110328)
    assert len(cli) == len(mine) == 1
    # The documents' names differ, and so the stable ids made from them.
    for e in cli + mine:
        e.pop("doc")
        e.pop("id")
    assert mine == cli


HEADLINE = ("Sudan expels Chad ambassador\n\n"
            "KHARTOUM - Sudan expelled the Chadian ambassador on Wednesday.\n")


def test_headline_and_lede_are_one_event(tmp_path):
    """The whole pipeline, in the binding and the CLI (JSON lines and TSV):
    the lede restating the headline is a second mention, not an event."""
    mine = khaldun.code(HEADLINE, date=20190410)
    assert [(e["sent"], e["code"], e["mentions"]) for e in mine] == [(1, "161", 2)]
    path = tmp_path / "story.txt"
    path.write_text(HEADLINE)
    cli = cli_events("--date", "20190410", str(path))
    assert [(e["sent"], e["code"], e["mentions"]) for e in cli] == [(1, "161", 2)]
    every = cli_events("--no-dedup", "--date", "20190410", str(path))
    assert [(e["sent"], e["mentions"]) for e in every] == [(1, 1), (2, 1)]
    assert every[0]["id"] == cli[0]["id"] != every[1]["id"]
    tsv = subprocess.run([KHALDUN, "code", "--quiet", "--format", "tsv", "--date",
                          "20190410", str(path)], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    header = tsv[0].split("\t")
    assert len(tsv) == 2
    row = dict(zip(header, tsv[1].split("\t")))
    assert (row["mentions"], row["id"]) == ("2", cli[0]["id"])


def test_code_files_matches_the_cli_on_the_examples():
    cli = cli_events("--date", "20110328", EXAMPLES)
    mine = list(khaldun.code_files([EXAMPLES], date="20110328"))
    assert len(mine) > 20
    assert mine == cli


def test_code_files_is_lazy():
    events = khaldun.code_files(EXAMPLES, date="20110328")
    first = next(events)
    assert first["doc"]
    events.close()


def test_date_forms_agree():
    a = khaldun.code(NATO, date="2011-03-28")
    b = khaldun.code(NATO, date=20110328)
    import datetime
    c = khaldun.code(NATO, date=datetime.date(2011, 3, 28))
    assert a == b == c
    with pytest.raises(ValueError):
        khaldun.code(NATO, date="March 28")


def test_own_dictionaries_and_dialect(tmp_path):
    (tmp_path / "t.actors").write_text("ARNOR [ARN]\nGONDOR [GON]\n")
    (tmp_path / "t.verbs").write_text("--- ATTACK [190] ---\nATTACK\n")
    dicts = ["actors:%s" % (tmp_path / "t.actors"), ("verbs", tmp_path / "t.verbs")]
    for dialect in ("petrarch", "tabari"):
        events = khaldun.code("The forces of Arnor attacked Gondor near the river.",
                              dicts=dicts, defaults=False,
                              dialect=dialect)
        assert [(e["source"], e["code"], e["target"]) for e in events] == \
            [("ARN", "190", "GON")]
        assert events[0]["dict"] == "%s:2" % (tmp_path / "t.verbs")


def test_negated_events_are_held_back_unless_asked(tmp_path):
    (tmp_path / "t.actors").write_text("ARNOR [ARN]\nGONDOR [GON]\n")
    (tmp_path / "t.verbs").write_text("--- ATTACK [190] ---\nATTACK\n")
    dicts = [("actors", tmp_path / "t.actors"), ("verbs", tmp_path / "t.verbs")]
    text = "Arnor did not attack Gondor."
    assert khaldun.code(text, dicts=dicts, defaults=False) == []
    kept = khaldun.code(text, dicts=dicts, defaults=False, keep_all=True)
    assert len(kept) == 1 and kept[0]["negated"] is True


def test_broken_dictionary_raises_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.verbs"
    bad.write_text("--- ATTACK [190] ---\nATTACK\n- * [BAD CODE\n")
    with pytest.raises(khaldun.KhaldunError) as err:
        khaldun.Coder(dicts=[("verbs", bad)], defaults=False)
    assert any("bad.verbs:3" in m for m in err.value.messages)
    with pytest.raises(khaldun.KhaldunError):
        khaldun.Coder(dicts=["verbs:/nonexistent/file"], defaults=False)
    with pytest.raises(ValueError):
        khaldun.Coder(dialect="kedsish")


def test_bad_input_is_reported_not_raised(tmp_path):
    coder = khaldun.Coder()
    assert coder.code(b"\xff\xfe\x00\x00 not text \x00" * 50) == []
    assert list(coder.code_files([tmp_path / "missing.txt"])) == []
    assert any("missing.txt" in w for w in coder.warnings)


def test_to_dataframe():
    import pandas  # installed by tools/install-deps.sh: this test must run
    frame = khaldun.to_dataframe(khaldun.code_files(EXAMPLES, date="20110328"))
    assert isinstance(frame, pandas.DataFrame)
    assert {"source", "target", "code", "event_date", "sentence"} <= set(frame.columns)
    assert len(frame) > 20
