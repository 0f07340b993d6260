#!/usr/bin/env python3
"""gen_countries.py -- writes data/countries.actors.txt.

    python3 tools/gen_countries.py [ISO_JSON [SUPPLEMENT [OUT]]]

The country list is not typed by hand: the names and ISO 3166-1 alpha-3
codes come from Debian's iso-codes (package `iso-codes`,
/usr/share/iso-codes/json/iso_3166-1.json), and the hand-written
tools/countries_supplement.tsv adds what a standard does not know: short
and official forms, demonyms and adjectives, capitals used as metonyms,
and entities without an ISO code (Kosovo).  The output is committed next
to this script, so building khaldun never needs Python or iso-codes;
re-run it after editing the supplement or when iso-codes changes.

Supplement lines (tab-separated; "#" starts a comment):

    CODE  PHRASE            add PHRASE as a synonym of CODE
    CODE  PHRASE  adj       also add the plural (Iranian -> Iranians)
    CODE  PHRASE  new=NAME  start a country that iso-codes lacks
    -     PHRASE            drop a phrase that iso-codes produced

A phrase given to two codes is an error: the coder could not choose.
"""
import json
import sys
import unicodedata

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
SUPPLEMENT = "tools/countries_supplement.tsv"
OUT = "data/countries.actors.txt"


def ascii_fold(text):
    """Côte d'Ivoire -> Cote d'Ivoire: news feeds often drop accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def uninvert(name):
    """'Korea, Republic of' -> 'Republic of Korea'; other commas keep
    the head ('Saint Helena, Ascension and ...' -> 'Saint Helena'), or
    None when the head alone would mislead ('Virgin Islands, British')."""
    if "," not in name:
        return name
    head, tail = [s.strip() for s in name.split(",", 1)]
    lower = tail.lower()
    if lower.endswith(" of") or lower.endswith(" of the"):
        return tail + " " + head
    if tail.split()[0][0].isupper() and len(tail.split()) == 1:
        return None
    return head


def strip_parens(name):
    """'Falkland Islands (Malvinas)' -> ('Falkland Islands', 'Malvinas')."""
    if "(" not in name:
        return name, None
    before, rest = name.split("(", 1)
    inside = rest.split(")", 1)[0].strip()
    after = rest.split(")", 1)[1] if ")" in rest else ""
    return " ".join((before + after).split()), inside


def phrase_of(text):
    """A dictionary phrase: words joined by '_', upper-case."""
    return "_".join(text.upper().split())


def iso_names(entry):
    """Every usable surface form of one iso-codes entry."""
    forms = []
    for key in ("common_name", "name", "official_name"):
        raw = entry.get(key)
        if not raw:
            continue
        name = uninvert(raw)
        if name is None:
            continue
        name, inside = strip_parens(name)
        if name.lower().startswith("the "):
            name = name[4:]
        forms.append(name)
        # "(Malvinas)" is a name; "(French part)" is not.
        if inside and "part" not in inside:
            forms.append(inside)
    out = []
    for form in forms:
        for variant in (form, ascii_fold(form)):
            if "," in variant:
                continue
            if variant not in out:
                out.append(variant)
    return out


def plural(word):
    """Iranian -> Iranians, Saudi -> Saudis; other adjectives have no
    plural noun of the same form (French, Chinese, Swiss)."""
    upper = word.upper()
    if upper.endswith("AN") or upper.endswith("I"):
        return word + "s"
    return None


class Countries:
    def __init__(self):
        self.order = []          # codes in output order
        self.title = {}          # code -> display name
        self.phrases = {}        # code -> [phrase]
        self.owner = {}          # phrase -> code
        self.errors = 0

    def add(self, code, text, where):
        phrase = phrase_of(text)
        if self.owner.get(phrase, code) != code:
            print("%s: %r is already %s" % (where, text, self.owner[phrase]),
                  file=sys.stderr)
            self.errors += 1
            return
        if phrase in self.owner:
            return
        self.owner[phrase] = code
        self.phrases[code].append(phrase)

    def start(self, code, title):
        if code not in self.phrases:
            self.order.append(code)
            self.phrases[code] = []
        self.title[code] = title

    def drop(self, text):
        phrase = phrase_of(text)
        code = self.owner.pop(phrase, None)
        if code:
            self.phrases[code].remove(phrase)


def read_iso(countries, path):
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]
    for entry in sorted(entries, key=lambda e: e["alpha_3"]):
        code = entry["alpha_3"]
        names = iso_names(entry)
        countries.start(code, entry.get("common_name", names[0]))
        for name in names:
            countries.add(code, name, path)


def read_supplement(countries, path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            where = "%s:%d" % (path, number)
            fields = [s.strip() for s in line.split("\t") if s.strip()]
            if len(fields) < 2:
                print("%s: need CODE<TAB>PHRASE" % where, file=sys.stderr)
                countries.errors += 1
                continue
            code, text, flags = fields[0], fields[1], fields[2:]
            if code == "-":
                countries.drop(text)
                continue
            for flag in flags:
                if flag.startswith("new="):
                    countries.start(code, flag[4:])
            if code not in countries.phrases:
                print("%s: unknown code %s (add new=NAME)" % (where, code),
                      file=sys.stderr)
                countries.errors += 1
                continue
            countries.add(code, text, where)
            if "adj" in flags and plural(text):
                countries.add(code, plural(text), where)


def write(countries, out_path):
    with open(out_path, "w", encoding="utf-8") as out:
        out.write(
            "# countries.actors.txt -- khaldun's default country actors.\n"
            "# GENERATED by tools/gen_countries.py from iso-codes\n"
            "# (iso_3166-1.json) and tools/countries_supplement.tsv.\n"
            "# Do not edit: edit the supplement and re-run the script.\n"
            "# Format: PETRARCH-2 actors; the first phrase of a block holds\n"
            "# the code, '+' lines are synonyms.\n\n")
        for code in countries.order:
            phrases = countries.phrases[code]
            if not phrases:
                continue
            out.write("# %s\n%s [%s]\n" % (countries.title[code], phrases[0],
                                           code))
            for phrase in phrases[1:]:
                out.write("+%s\n" % phrase)
            out.write("\n")


def main(argv):
    iso = argv[1] if len(argv) > 1 else ISO_JSON
    supplement = argv[2] if len(argv) > 2 else SUPPLEMENT
    out = argv[3] if len(argv) > 3 else OUT
    countries = Countries()
    read_iso(countries, iso)
    read_supplement(countries, supplement)
    if countries.errors:
        print("gen_countries: %d errors; %s not written" %
              (countries.errors, out), file=sys.stderr)
        return 1
    write(countries, out)
    total = sum(len(p) for p in countries.phrases.values())
    print("gen_countries: %d countries, %d phrases -> %s" %
          (len(countries.order), total, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
