"""The TSV and CSV tables load as they are, with Python's csv module and
pandas' defaults, on sentences made to break naive tables: quotes at a
field's start, commas, and tabs and newlines (in a document id, which
the readers keep as given)."""
import csv
import io
import json
import os
import subprocess

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KHALDUN = os.environ.get("KHALDUN", os.path.join(ROOT, "build", "khaldun"))

DOCS = [
    {"id": 'tab\there "quoted", and\nnewline',
     "text": '"We will go," Obama said. Israel attacked Hamas in Gaza, officials said.'},
    {"id": '"starts-with-quote',
     "text": 'Israel attacked Hamas, the "militants" said. "Iran condemned Israel," he said.'},
    {"id": "plain", "text": "NATO decided to carry out military operations against Libya."},
]


def run(tmp_path, *args):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in DOCS))
    return subprocess.run([KHALDUN, "code", "--quiet", "--date", "20110328"] + list(args)
                          + [str(src)], check=True, capture_output=True).stdout


def events(tmp_path):
    return [json.loads(line) for line in run(tmp_path).decode().splitlines()]


def tsv_unescape(s):
    """docs/schema.md's TSV escapes, undone."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "0": "\0"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def expected(tmp_path):
    return [(e["doc"], e["sentence"], e["code"], e["source_text"] or "") for e in events(tmp_path)]


def test_tsv_loads_with_csv_module(tmp_path):
    want = expected(tmp_path)
    assert len(want) >= 4
    rows = list(csv.DictReader(io.StringIO(run(tmp_path, "--format", "tsv").decode()),
                               delimiter="\t"))
    assert len(rows) == len(want)
    assert all(None not in r and None not in r.values() for r in rows)   # no ragged rows
    got = [tuple(tsv_unescape(r[k]) for k in ("doc", "sentence", "code", "source_text"))
           for r in rows]
    assert got == want


def test_tsv_loads_with_pandas_defaults(tmp_path):
    want = expected(tmp_path)
    out = tmp_path / "events.tsv"          # the extension chooses TSV
    run(tmp_path, "-o", str(out))
    df = pd.read_csv(out, sep="\t")
    assert df.shape[0] == len(want)
    assert list(df["sentence"].map(tsv_unescape)) == [w[1] for w in want]
    assert list(df["doc"].map(tsv_unescape)) == [w[0] for w in want]
    typed = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(typed["code"]) == [w[2] for w in want]


def test_csv_loads_exactly_with_csv_module_and_pandas(tmp_path):
    want = expected(tmp_path)
    data = run(tmp_path, "--format", "csv")
    assert data.startswith(b"date,source,target,code,")
    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    assert [(r["doc"], r["sentence"], r["code"], r["source_text"]) for r in rows] == want
    out = tmp_path / "events.csv"          # the extension chooses CSV
    run(tmp_path, "-o", str(out))
    assert out.read_bytes() == data
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(zip(df["doc"], df["sentence"], df["code"], df["source_text"])) == want
    assert df.shape[1] == len(pd.read_csv(io.BytesIO(run(tmp_path, "--format", "tsv")),
                                          sep="\t").columns)
