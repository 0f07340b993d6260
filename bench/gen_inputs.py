#!/usr/bin/env python3
"""gen_inputs.py -- whole-pipeline inputs for the memory and speed runs.

    python3 bench/gen_inputs.py [--peers DIR] [-n COUNT] [-o DIR]

Cycles the <Sentence> records of the peers' PETRARCH files (GigaWord
sample and unit-test records: real wire sentences with their Penn parses)
into COUNT records of each input format:

    DIR/in-COUNT.jsonl          one JSON object per line
    DIR/in-COUNT.petr.xml       PETRARCH XML without <Parse>
    DIR/in-COUNT.parse.xml      PETRARCH XML with each sentence's <Parse>
    DIR/in-COUNT.tabari.text    TABARI records

The peers' text is never committed: generate into build/ (the default)
or /tmp.  Deterministic: the same peers and COUNT give the same bytes.
"""
import argparse
import html
import json
import os
import re
import sys

SENT = re.compile(r"<Sentence\b[^>]*>(.*?)</Sentence>", re.S | re.I)
TEXT = re.compile(r"<Text>(.*?)</Text>", re.S | re.I)
PARSE = re.compile(r"<Parse>(.*?)</Parse>", re.S | re.I)


def records(peers):
    base = os.path.join(peers, "petrarch2", "petrarch2", "data", "text")
    out = []
    for name in ("GigaWord.sample.PETR.xml", "PETR.UnitTest.records.xml"):
        with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
            data = f.read()
        for m in SENT.finditer(data):
            t, p = TEXT.search(m.group(1)), PARSE.search(m.group(1))
            if not t:
                continue
            text = html.unescape(" ".join(t.group(1).split()))
            if text:
                out.append((text, p.group(1).strip() if p else ""))
    if not out:
        sys.exit("gen_inputs: no sentences under " + base)
    return out


def day(i):
    return 20080101 + (i % 28) + 100 * ((i // 28) % 12)


def write_all(recs, n, d):
    pick = [recs[i % len(recs)] for i in range(n)]
    with open(os.path.join(d, "in-%d.jsonl" % n), "w") as f:
        for i, (t, _) in enumerate(pick):
            f.write(json.dumps({"id": "J-%d" % i, "date": str(day(i)),
                                "text": t}) + "\n")
    for name, parses in (("petr", False), ("parse", True)):
        with open(os.path.join(d, "in-%d.%s.xml" % (n, name)), "w") as f:
            f.write("<Sentences>\n")
            for i, (t, p) in enumerate(pick):
                f.write('<Sentence date="%d" id="P-%d" source="AFP">\n'
                        "<Text>\n%s\n</Text>\n" % (day(i), i, html.escape(t, False)))
                if parses and p:
                    f.write("<Parse>\n%s\n</Parse>\n" % html.escape(p, False))
                f.write("</Sentence>\n")
            f.write("</Sentences>\n")
    with open(os.path.join(d, "in-%d.tabari.text" % n), "w") as f:
        for i, (t, _) in enumerate(pick):
            f.write("%06d T-%d\n%s\n\n" % (day(i) % 1000000, i, t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", default=os.environ.get("PEERS", "/work/shared/peers"))
    ap.add_argument("-n", type=int, action="append")
    ap.add_argument("-o", default="build/bench/inputs")
    a = ap.parse_args()
    os.makedirs(a.o, exist_ok=True)
    recs = records(a.peers)
    for n in a.n or [20000, 200000]:
        write_all(recs, n, a.o)


if __name__ == "__main__":
    main()
