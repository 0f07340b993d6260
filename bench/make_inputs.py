#!/usr/bin/env python3
"""make_inputs.py -- real sentences, cycled into benchmark inputs.

    python3 bench/make_inputs.py [--peers DIR] [--out DIR] N...

Collects real sentences from the peers' PETRARCH and TABARI test files
(GigaWord sample, PETRARCH-2 unit tests, UniversalPetrarch validation
records, TABARI's Validate.text) and from khaldun's examples/, then for
each N writes into --out:

    real-N.jsonl        JSON-lines articles of 3 to 8 sentences each
    real-N.xml          PETRARCH XML, one sentence per <Sentence>, no <Parse>
    real-N-parse.xml    the same with the source's <Parse> copied in, for
                        the sentences whose source has one
    real-N.txt          one sentence a line, for bench_code (the coder alone)

each holding exactly N sentences, cycled in the same order.  The peers'
text is never committed: it is read here, at run time.  Without the peers'
folder only examples/ is used (and a line on stderr says so).

Dates rise slowly through the file (a new day every 40 articles), as in a
real feed, so that deduplication sees documents in date order.  The
output is deterministic: the same sources and N give the same bytes.
"""

import argparse
import glob
import html
import json
import os
import re
import sys
from datetime import date, timedelta

WS = re.compile(r"\s+")


def clean(text):
    return WS.sub(" ", html.unescape(text)).strip()


def petrarch_xml(path):
    """(text, parse or None) for each <Sentence> of a PETRARCH XML file.
    A regular expression rather than an XML parser: some of these files
    are not well-formed, and all we want is the text and the parse."""
    with open(path, encoding="utf-8", errors="replace") as f:
        data = f.read()
    data = re.sub(r"<!--.*?-->", "", data, flags=re.S)
    for m in re.finditer(r"<Sentence\b[^>]*>(.*?)</Sentence>", data, re.S):
        body = m.group(1)
        t = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if not t:
            continue
        p = re.search(r"<Parse>(.*?)</Parse>", body, re.S)
        yield clean(t.group(1)), (p.group(1).strip("\n") if p else None)


def tabari_records(path):
    """The text of each record of a TABARI .text file: a "YYMMDD ID" line,
    then the text up to the "/*" comment or a blank line."""
    with open(path, encoding="latin-1") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if re.match(r"^\d{6}\s+\S", lines[i]):
            i += 1
            text = []
            while i < len(lines) and lines[i].strip():
                line = lines[i]
                if "/*" in line:
                    text.append(line.split("/*")[0])
                    break
                text.append(line)
                i += 1
            t = clean(" ".join(text))
            if t:
                yield t, None
        i += 1


SENT_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\u201d]))\s+(?=["\u201c]?[A-Z])')


def prose_sentences(text):
    """Sentences of prose: paragraphs split after . ! ? before a capital.
    Lines that are not sentences (menus, bylines) are dropped: fewer than
    six words or no closing punctuation."""
    for para in re.split(r"\n\s*\n|\n(?=[A-Z][a-z]+\n)", text):
        for line in para.split("\n"):
            line = clean(line)
            for s in SENT_END.split(line):
                if len(s.split()) >= 6 and s[-1] in ".!?\"\u201d":
                    yield s


def examples(root):
    out = []
    for path in sorted(glob.glob(os.path.join(root, "examples", "*"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            data = f.read()
        if path.endswith(".jsonl"):
            for line in data.splitlines():
                if line.strip():
                    out += prose_sentences(json.loads(line).get("text", ""))
        elif path.endswith(".html"):
            for p in re.findall(r"<p>(.*?)</p>", data, re.S):
                out += prose_sentences(re.sub(r"<[^>]+>", "", p))
        elif path.endswith(".txt"):
            out += prose_sentences(data)
    return [(s, None) for s in out]


def collect(peers, root):
    sents = []
    if peers:
        p2 = os.path.join(peers, "petrarch2/petrarch2/data/text")
        up = os.path.join(peers, "UniversalPetrarch/UniversalPetrarch/validate")
        sources = [
            (petrarch_xml, os.path.join(p2, "GigaWord.sample.PETR.xml")),
            (petrarch_xml, os.path.join(p2, "PETR.UnitTest.records.xml")),
            (petrarch_xml, os.path.join(up, "PETR_Validate_records_2_02.xml")),
            (tabari_records, os.path.join(peers, "TABARI-Code/Validate.text")),
        ]
        for read, path in sources:
            if os.path.exists(path):
                got = list(read(path))
                print("make_inputs: %5d sentences from %s" % (len(got), path),
                      file=sys.stderr)
                sents += got
            else:
                print("make_inputs: missing %s" % path, file=sys.stderr)
    ex = examples(root)
    print("make_inputs: %5d sentences from examples/" % len(ex), file=sys.stderr)
    sents += ex
    # Records that are not sentences (TABARI's comment-only records).
    return [(t, p) for t, p in sents
            if sum(1 for w in t.split() if w.isalpha()) >= 3]


def xml_attr(s):
    return html.escape(s, quote=True)


def write_inputs(sents, n, out):
    """The three files for n sentences.  Articles take 3..8 sentences in
    turn; the XML files use the same grouping for their ids (ARTICLE_K),
    so that a PETRARCH reader sees the same documents."""
    start = date(2015, 1, 1)
    jl = open(os.path.join(out, "real-%d.jsonl.tmp" % n), "w", encoding="utf-8")
    tx = open(os.path.join(out, "real-%d.txt.tmp" % n), "w", encoding="utf-8")
    xs = [open(os.path.join(out, "real-%d%s.xml.tmp" % (n, suffix)), "w",
               encoding="utf-8") for suffix in ("", "-parse")]
    for x in xs:
        x.write("<Sentences>\n")
    i = art = 0
    while i < n:
        k = min(3 + art % 6, n - i)
        day = (start + timedelta(days=art // 40)).isoformat()
        group = [sents[(i + j) % len(sents)] for j in range(k)]
        # No title: a reader may code it as one more sentence, and the
        # files must hold exactly n.
        jl.write(json.dumps({"id": "bench-%d" % art, "date": day,
                             "text": " ".join(t for t, _ in group)},
                            ensure_ascii=False) + "\n")
        for j, (text, parse) in enumerate(group):
            tx.write(text + "\n")
            head = '<Sentence date="%s" id="bench%d_%d" source="bench" sentence="True">\n' \
                   % (day.replace("-", ""), art, j + 1)
            for x, with_parse in zip(xs, (False, True)):
                x.write(head)
                x.write("<Text>\n%s\n</Text>\n" % html.escape(text, quote=False))
                if with_parse and parse:
                    x.write("<Parse>\n%s\n</Parse>\n" % parse)
                x.write("</Sentence>\n")
        i += k
        art += 1
    for f in xs:
        f.write("</Sentences>\n")
    for f in [jl, tx] + xs:
        f.close()
        os.replace(f.name, f.name[:-4])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", default="")
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("sizes", nargs="+", type=int)
    a = ap.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    if not a.peers:
        print("make_inputs: no peers' folder: using examples/ alone",
              file=sys.stderr)
    sents = collect(a.peers, root)
    if not sents:
        sys.exit("make_inputs: no sentences found")
    parsed = sum(1 for _, p in sents if p)
    print("make_inputs: %d distinct sentences, %d with a parse" %
          (len(sents), parsed), file=sys.stderr)
    os.makedirs(a.out, exist_ok=True)
    for n in a.sizes:
        write_inputs(sents, n, a.out)


if __name__ == "__main__":
    main()
