#!/usr/bin/env python3
"""gen_cameo_table.py -- writes src/cameo_table.c, khaldun's CAMEO and
country-code tables, from public reference tables.

    python3 tools/gen_cameo_table.py [PEERS_DIR] [ISO_CODES_JSON_DIR] > src/cameo_table.c

PEERS_DIR defaults to ../shared/peers, ISO_CODES_JSON_DIR to
/usr/share/iso-codes/json (Debian package iso-codes).  The generated file is
kept in the repository next to this script, so building khaldun never needs
either directory; rerun this only to refresh the facts.

Only facts are taken, never the peers' prose: for each CAMEO code its short
name, its Goldstein value and its PLOVER type, mode and context; for
countries only the alpha-3 codes.

Where the sources disagree, the choice is fixed here, with the reason:
  * Goldstein: GDELT's CAMEO.goldsteinscale.txt wins, because it is the table
    GDELT and most published CAMEO data use; the ICEWS table fills codes
    GDELT lacks (1213).  They differ on 016, 022, 164 and 165.
  * Names: the ICEWS table's `name` column (the CAMEO code titles; root
    codes are in capitals as in the CAMEO manual).
  * PLOVER: CAMEO2PLOVER-2021.txt lines "CODE: TYPE, mode, context # note".
    A heading line "NN: TYPE" gives the root code its type (the first
    heading wins: "08" appears as CONCEDE and RETREAT).  A CAMEO code the
    mapping does not list inherits its parent's mapping (1213 -> 121).
    PLOVER drops roots 01 and 02, so those codes have no PLOVER type.
  * Codes: those of the ICEWS and GDELT tables, and the codes the CAMEO
    manual 1.1b3 (Dictionaries/CAMEO.Manual.1.1b3.tex, its "NNN: title"
    lists) adds that neither has: 155 and 176 (cyber), 1834, 1951 and
    1952 (aerial munitions).  Such a code takes the manual's title and
    its parent's Goldstein value (1951 that of 195), since no scale
    gives one; PLOVER inherits as above.
"""
import csv
import json
import os
import re
import sys

# CAMEO regions are used as the first group of actor codes, like countries
# (CAMEO manual 1.1b3, table "International Region Codes").  These short
# codes are facts, listed here rather than read from the manual's LaTeX.
CAMEO_REGIONS = """AFR ASA BLK CRB CAU CFR CAS CEU EIN EAF EEU EUR LAM MEA MDT
NAF NMR PGS SCN SAM SAS SEA SAF WAF WST""".split()

# Country codes CAMEO dictionaries use that ISO 3166 never assigned:
# KSV Kosovo (before XKX), USR the USSR (ISO's withdrawn code is SUN).
CAMEO_EXTRA_COUNTRIES = ["KSV", "USR"]


def read_icews(path):
    names, goldstein = {}, {}
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.DictReader(f):
            code = row["code"].strip()
            names[code] = " ".join(row["name"].split())
            goldstein[code] = float(row["goldstein"])
    return names, goldstein


MANUAL_LINE = re.compile(r"^(\d{2,4}): (.*?)(\\\\)+\s*$")


def read_manual(path):
    """The "NNN: title" lines (ending in LaTeX line breaks) of the manual's
    code lists."""
    titles = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = MANUAL_LINE.match(line)
            if m:
                titles.setdefault(m.group(1), " ".join(m.group(2).split()))
    return titles


def parent_goldstein(code, goldstein):
    probe = code[:-1]
    while len(probe) >= 2:
        if probe in goldstein:
            return goldstein[probe]
        probe = probe[:-1]
    raise SystemExit("gen_cameo_table: no Goldstein value for %s or a parent" % code)


def read_gdelt(path):
    goldstein = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():
                goldstein[parts[0]] = float(parts[1])
    return goldstein


PLOVER_LINE = re.compile(r"^(\d{2,4}):\s*([^#]*)")


def clean(field):
    # "crime; corruption" -> "crime;corruption", "ban " -> "ban"
    return ";".join(p.strip() for p in field.split(";") if p.strip())


def read_plover(path):
    mapping, headings = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = PLOVER_LINE.match(line)
            if not m:
                continue
            code, body = m.group(1), m.group(2)
            fields = [clean(x) for x in body.split(",")]
            if len(fields) == 1:
                headings.setdefault(code, fields[0])
                continue
            fields += [""] * (3 - len(fields))
            mapping.setdefault(code, tuple(fields[:3]))
    return mapping, headings


def plover_for(code, mapping, headings):
    if code[:2] in ("01", "02"):
        return None
    probe = code
    while len(probe) > 2:
        if probe in mapping:
            return mapping[probe]
        probe = probe[:-1]
    if code in mapping:
        return mapping[code]
    if code[:2] in headings:
        return (headings[code[:2]], "", "")
    return None


def read_countries(iso_dir):
    kinds = {}
    with open(os.path.join(iso_dir, "iso_3166-3.json"), encoding="utf-8") as f:
        for c in json.load(f)["3166-3"]:
            if "alpha_3" in c:
                kinds[c["alpha_3"]] = "KH_COUNTRY_FORMER"
    for code in CAMEO_EXTRA_COUNTRIES:
        kinds[code] = "KH_COUNTRY_FORMER"
    with open(os.path.join(iso_dir, "iso_3166-1.json"), encoding="utf-8") as f:
        for c in json.load(f)["3166-1"]:
            kinds[c["alpha_3"]] = "KH_COUNTRY_ISO"
    for code in CAMEO_REGIONS:
        kinds.setdefault(code, "KH_COUNTRY_REGION")
    return kinds


def c_string(s):
    if s is None:
        return "NULL"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    peers = sys.argv[1] if len(sys.argv) > 1 else "../shared/peers"
    iso_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/iso-codes/json"
    names, icews_g = read_icews(os.path.join(peers, "cameo-codes.icews.csv"))
    gdelt_g = read_gdelt(os.path.join(peers, "GDELT-goldstein/CAMEO.goldsteinscale.txt"))
    mapping, headings = read_plover(os.path.join(peers, "PLOVER/CAMEO2PLOVER-2021.txt"))
    countries = read_countries(iso_dir)
    manual = read_manual(os.path.join(peers, "Dictionaries/CAMEO.Manual.1.1b3.tex"))
    known = set(names) | set(gdelt_g)
    for code, title in manual.items():
        if code not in known:
            names[code] = title
            gdelt_g[code] = parent_goldstein(code, gdelt_g)

    out = sys.stdout
    out.write("/* cameo_table.c -- GENERATED by tools/gen_cameo_table.py; do not edit.\n"
              " * Facts only: CAMEO code, short name, Goldstein value, PLOVER type,\n"
              " * mode and context; country and region alpha-3 codes.  The sources\n"
              " * and how their disagreements are settled are described in the\n"
              " * generator. */\n")
    out.write('#include "cameo.h"\n\n')
    out.write("const kh_cameo_info kh_cameo_table[] = {\n")
    codes = sorted(set(names) | set(gdelt_g))
    for code in codes:
        g = gdelt_g.get(code, icews_g.get(code))
        p = plover_for(code, mapping, headings)
        ptype, pmode, pctx = p if p else (None, None, None)
        out.write("    {%s, %s, %.1f, %s, %s, %s},\n" % (
            c_string(code), c_string(names.get(code, "")), g,
            c_string(ptype), c_string(pmode or None), c_string(pctx or None)))
    out.write("};\n\nconst size_t kh_cameo_table_count =\n"
              "    sizeof kh_cameo_table / sizeof kh_cameo_table[0];\n\n")
    out.write("const kh_country_code kh_country_table[] = {\n")
    for code in sorted(countries):
        out.write("    {%s, %s},\n" % (c_string(code), countries[code]))
    out.write("};\n\nconst size_t kh_country_table_count =\n"
              "    sizeof kh_country_table / sizeof kh_country_table[0];\n")
    write_country_letters(out, sorted(countries))


def write_country_letters(out, codes):
    """kh_country_by_letter: where the codes of each first letter begin,
    so that kh_country_code_kind searches a few dozen codes, not all."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for code in codes:
        if code[0] not in letters:
            sys.exit("gen_cameo_table: country code %r does not begin with A-Z" % code)
    if len(codes) > 65535:
        sys.exit("gen_cameo_table: too many country codes for an unsigned short")
    starts = [sum(1 for c in codes if c[0] < l) for l in letters] + [len(codes)]
    out.write("\nconst unsigned short kh_country_by_letter[KH_COUNTRY_LETTERS + 1] = {\n")
    for i in range(0, len(starts), 9):
        out.write("    %s,\n" % ", ".join(str(n) for n in starts[i:i + 9]))
    out.write("};\n")


if __name__ == "__main__":
    main()
