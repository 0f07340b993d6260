#!/usr/bin/env python3
"""gen_lexicon.py -- builds src/lexicon_table.c and src/lexicon_words.h.

    python3 tools/gen_lexicon.py src

The enrich stage (when.c, where.c) asks the same questions of every word of
a sentence: is it a month, a weekday, a count, a preposition that opens a
date or a place, a word that ends a clause?  The structure (chunk.c) asks
others: is it a negator, a modal, a form of BE or HAVE, a reporting verb?
This script is the one list of those closed word classes.  It writes

  - lexicon_words.h: an enum naming every word (KH_LW_JANUARY, ...), so
    that code compares a token's word id, never its text;
  - lexicon_table.c: the words with their class masks (KH_LEX_*, declared
    in lexicon.h) and values, and a const open-addressing hash over them,
    so that lexicon.c classifies a word with one hash and one compare.

The hash is lexicon.c's (lex_key_of, lex_slot): a multiplicative hash of
the word's first and last eight bytes (or four, or the first, middle and last
byte) with ASCII case folded (b | 32); every word here is lower-case ASCII
of at most MAX_LEN bytes.  The
generated files are committed; rerun after changing a list (check-generated
compares).  Only python3's standard library is used.
"""

import os
import sys

MONTHS = ["january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december"]
MONTH_ABBR = [("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5),
              ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("sept", 9),
              ("oct", 10), ("nov", 11), ("dec", 12)]
WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday"]                         # value: 0 = Sunday
WEEKDAY_ABBR = [("sun", 0), ("mon", 1), ("tue", 2), ("tues", 2), ("wed", 3),
                ("thu", 4), ("thur", 4), ("thurs", 4), ("fri", 5), ("sat", 6)]
# Counts in "three days ago", "a year ago".
COUNTS = [("a", 1), ("an", 1)] + [(w, i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
     "nine", "ten", "eleven", "twelve"])]
# Parts of a day after "this" ("this morning"); "night" is not one there
# ("this night" is not news English) but is after a weekday.
DAY_PARTS = ["morning", "afternoon", "evening"]
# Words that may stand before a date ("on March 29", "since May").  A bare
# month needs one of them ("in December", not "December" alone).
DATE_PREPS = ["on", "in", "since", "during", "from", "until", "till", "by",
              "before", "after", "through", "throughout", "of", "early",
              "late", "mid"]
# The narrower set that makes a bare number a year: "in 2011" but not "a
# force of 2000", "by 2000 votes", "from 2000 people".
YEAR_PREPS = ["in", "since", "during", "until", "till", "before", "after",
              "throughout", "early", "late", "mid"]
# Words that open a new clause ("said after the U.S. invaded in 2003").
CLAUSE_WORDS = ["after", "before", "when", "whenever", "while", "because",
                "although", "though", "whereas", "which", "who", "whom",
                "whose", "where", "that", "if", "unless", "until", "since"]
# Words that open a new clause after a comma (", but").
COMMA_CLAUSE_WORDS = ["and", "but", "or", "as", "so", "yet"]
# Other words when.c's forms name: "last week", "three days ago", ...
DATE_WORDS = ["ago", "day", "days", "week", "weeks", "month", "months",
              "year", "years", "night", "weekend", "last", "past", "next",
              "this", "earlier", "later", "over", "at", "the", "today",
              "tonight", "yesterday", "tomorrow", "s"]

# Past-tense verbs of reporting: a weekday attached to one ("the Kremlin
# said on Friday") dates the report, which is past even when the event it
# reports is future ("Russia will attack Ukraine").
PAST_REPORTING = ["said", "told", "announced", "stated", "added", "warned",
                  "confirmed", "reported", "claimed", "declared", "wrote",
                  "tweeted", "posted", "revealed", "noted", "insisted",
                  "explained", "disclosed", "acknowledged", "indicated",
                  "signalled", "signaled", "hinted", "suggested"]

# English function words: a sample in which they are a large share of the
# words is English without asking the language identifier (language.c).
# The second group are common English prepositions, conjunctions, modals
# and pronouns that are no word of another Latin-script language news is
# written in ("over", "under", "her", "my", "am", "so", "till" are: Dutch,
# Danish, Polish, German, Swedish); wire copy thick with names ("Arnor is
# about to restore full diplomatic ties with Gondor almost five years
# after ...") reaches the share only with them.
ENGLISH_FUNCTION = ["the", "of", "and", "to", "in", "a", "an", "is", "are",
                    "was", "were", "that", "for", "on", "with", "by", "as",
                    "at", "from", "it", "its", "has", "have", "had", "be",
                    "been", "said", "will", "would", "this", "which", "who",
                    "not", "but", "or", "their", "they", "he", "she", "his",
                    "about", "after", "against", "because", "before",
                    "between", "could", "should", "might", "during", "into",
                    "than", "through", "when", "where", "while", "if",
                    "since", "until", "though", "whom", "whose", "our",
                    "your", "yet"]

# Prepositions that introduce where something happened.  "from" is not one:
# "support from Moscow" names an actor far more often than a place.
LOCATIVES = ["in", "at", "near", "outside", "inside", "into", "across",
             "throughout"]
# Words that end a locative phrase: what follows them is not its place ("in
# talks with Russia", "in a statement by Moscow").
PHRASE_ENDS = [
    "with", "to", "for", "on", "by", "over", "against", "about", "after",
    "before", "that", "which", "who", "whom", "whose", "when", "while", "as",
    "said", "says", "say", "told", "but", "because", "since", "during", "if",
    "where", "amid", "under", "than", "was", "were", "is", "are", "has",
    "have", "had", "will", "would", "could", "can", "may", "might", "should",
    "including", "following", "according", "between", "among", "from"]
# "the town of X": these nouns before "of" introduce a place.
PLACE_NOUNS_OF = [
    "town", "city", "village", "suburb", "suburbs", "outskirts", "province",
    "region", "district", "governorate", "area", "port", "neighbourhood",
    "neighborhood", "camp", "enclave", "countryside", "capital"]
# "the Damascus suburb": these nouns after a name make it a place.
PLACE_NOUNS_AFTER = [
    "suburb", "suburbs", "outskirts", "countryside", "province",
    "governorate", "region", "district", "area", "neighbourhood",
    "neighborhood", "airport", "border", "city", "town", "village", "camp",
    "state", "oblast", "prefecture", "county"]
# Nouns that say a name is a region ("Idlib province").
REGION_NOUNS = ["province", "governorate", "region", "state", "oblast",
                "prefecture", "county"]

# The structure's classes (chunk.c).  Every form is listed: the questions
# are asked of the tokenizer's words, which are not lemmatised.  Words with
# an apostrophe are the tokenizer's ("'s"); the other contractions are
# listed so the classes stay whole whatever splits them.
# Verbs whose complement is what was said: the complement is coded with its
# own subject, and the reporting verb only governs it.
REPORTING_VERBS = [
    "say", "says", "said", "saying", "tell", "tells", "told", "telling",
    "announce", "announces", "announced", "announcing", "add", "adds",
    "added", "adding", "state", "states", "stated", "stating", "claim",
    "claims", "claimed", "claiming", "declare", "declares", "declared",
    "declaring", "insist", "insists", "insisted", "insisting", "assert",
    "asserts", "asserted", "asserting", "report", "reports", "reported",
    "reporting", "note", "notes", "noted", "noting", "explain", "explains",
    "explained", "explaining", "write", "writes", "wrote", "written",
    "writing", "reiterate", "reiterates", "reiterated", "reiterating",
    "stress", "stresses", "stressed", "stressing", "allege", "alleges",
    "alleged", "alleging", "confirm", "confirms", "confirmed", "confirming",
    "believe", "believes", "believed", "believing", "think", "thinks",
    "thought", "thinking"]
NEGATORS = ["not", "never"]
FUTURE_MODALS = ["will", "shall", "would", "'ll"]
HYPOTHETICAL_MODALS = ["could", "might", "may", "can", "should", "must",
                       "ought"]
# An auxiliary before a past participle that makes it passive (before -ING,
# progressive): BE and GET.
PASSIVE_AUX = ["be", "am", "is", "are", "was", "were", "been", "being", "'re",
               "'m", "'s", "get", "gets", "got", "gotten", "getting"]
PERFECT_AUX = ["have", "has", "had", "having", "'ve", "'d"]
POSSESSIVE_PRONOUNS = ["his", "her", "its", "their", "our", "my", "your"]
# Prepositions that also open a clause: before a noun phrase and a verb
# ("after crowds burned the embassy") the phrase is the verb's subject.
SUBORDINATING_PREPS = ["after", "before", "since", "until", "till", "as",
                       "once", "while", "because"]
RELATIVE_PRONOUNS = ["who", "which", "that", "whom", "whose"]
# Other words chunk.c names: "to" + verb, "the leader of", "by" the agent,
# "said that".
STRUCTURE_WORDS = ["to", "the", "of", "by", "that"]

# (class name in lexicon.h, words, or (word, value) pairs)
CLASSES = [
    ("KH_LEX_MONTH", [(w, i + 1) for i, w in enumerate(MONTHS)]),
    ("KH_LEX_MONTH_ABBR", MONTH_ABBR),
    ("KH_LEX_WEEKDAY", [(w, i) for i, w in enumerate(WEEKDAYS)]),
    ("KH_LEX_WEEKDAY_ABBR", WEEKDAY_ABBR),
    ("KH_LEX_COUNT", COUNTS),
    ("KH_LEX_DAY_PART", DAY_PARTS),
    ("KH_LEX_DATE_PREP", DATE_PREPS),
    ("KH_LEX_YEAR_PREP", YEAR_PREPS),
    ("KH_LEX_CLAUSE", CLAUSE_WORDS),
    ("KH_LEX_COMMA_CLAUSE", COMMA_CLAUSE_WORDS),
    ("KH_LEX_LOCATIVE", LOCATIVES),
    ("KH_LEX_PHRASE_END", PHRASE_ENDS),
    ("KH_LEX_PLACE_NOUN_OF", PLACE_NOUNS_OF),
    ("KH_LEX_PLACE_NOUN_AFTER", PLACE_NOUNS_AFTER),
    ("KH_LEX_REGION_NOUN", REGION_NOUNS),
    ("KH_LEX_PAST_REPORTING", PAST_REPORTING),
    ("KH_LEX_ENGLISH_FUNCTION", ENGLISH_FUNCTION),
    ("KH_LEX_REPORTING_VERB", REPORTING_VERBS),
    ("KH_LEX_NEGATOR", NEGATORS),
    ("KH_LEX_FUTURE_MODAL", FUTURE_MODALS),
    ("KH_LEX_HYPOTHETICAL_MODAL", HYPOTHETICAL_MODALS),
    ("KH_LEX_PASSIVE_AUX", PASSIVE_AUX),
    ("KH_LEX_PERFECT_AUX", PERFECT_AUX),
    ("KH_LEX_POSSESSIVE_PRONOUN", POSSESSIVE_PRONOUNS),
    ("KH_LEX_SUBORDINATING_PREP", SUBORDINATING_PREPS),
    ("KH_LEX_RELATIVE_PRONOUN", RELATIVE_PRONOUNS),
    (None, DATE_WORDS),
    (None, STRUCTURE_WORDS),
]

# Open addressing at a load factor of at most 1/4 keeps probes short.
SLOTS_PER_WORD = 4


# lexicon.c:KH_LEX_MAX_LEN: the keys hold at most sixteen bytes.
MAX_LEN = 16
MASK64 = (1 << 64) - 1
FOLD = 0x2020202020202020


def read_le(b, n):
    return int.from_bytes(b[:n], "little")


def lex_key(word):
    """lexicon.c:lex_key_of."""
    b = word.encode("ascii")
    n = len(b)
    if n >= 8:
        first, last = read_le(b, 8), read_le(b[n - 8:], 8)
    elif n >= 4:
        first, last = read_le(b, 4), read_le(b[n - 4:], 4)
    else:
        first, last = b[0] | b[n // 2] << 8 | b[n - 1] << 16, 0
    return first | FOLD, last | FOLD


def lex_slot(word, size):
    """lexicon.c:lex_slot."""
    first, last = lex_key(word)
    h = ((first + last * 0xC2B2AE3D27D4EB4F + len(word)) * 0x9E3779B97F4A7C15) & MASK64
    return (h >> 32) & (size - 1)


def collect():
    words = {}      # word -> [classes, value]
    for cls, items in CLASSES:
        for item in items:
            w, v = item if isinstance(item, tuple) else (item, None)
            bare = w[1:] if w.startswith("'") else w
            assert w == w.lower() and w.isascii() and bare.isalpha(), w
            assert len(w) <= MAX_LEN, w
            e = words.setdefault(w, [[], 0])
            if cls:
                e[0].append(cls)
            if v is not None:
                assert e[1] in (0, v) or w in ("may",), (w, e[1], v)
                e[1] = v
    return sorted(words.items())


def enum_name(w):
    return "KH_LW_" + w.upper().replace("'", "APOS_")


def table_size(words):
    size = 1
    while size < len(words) * SLOTS_PER_WORD:
        size <<= 1
    return size


def write_header(path, words):
    with open(path, "w") as f:
        f.write("/* lexicon_words.h -- generated by tools/gen_lexicon.py; "
                "do not edit. */\n")
        f.write("#ifndef KH_LEXICON_WORDS_H\n#define KH_LEXICON_WORDS_H\n\n")
        f.write("/* Every word of the lexicon; the value is its index in "
                "kh_lex_entries. */\n")
        f.write("typedef enum kh_lex_word {\n    KH_LW_NONE = 0,\n")
        for i, (w, _) in enumerate(words):
            f.write("    %s = %d,\n" % (enum_name(w), i + 1))
        f.write("    KH_LW_COUNT = %d\n} kh_lex_word;\n\n" % (len(words) + 1))
        f.write("/* Slots of the hash over the words (a power of two). */\n")
        f.write("#define KH_LEX_SLOTS %d\n\n#endif\n" % table_size(words))


def write_table(path, words):
    size = table_size(words)
    slots = [0] * size
    for i, (w, _) in enumerate(words):
        s = lex_slot(w, size)
        while slots[s]:
            s = (s + 1) & (size - 1)
        slots[s] = i + 1
    with open(path, "w") as f:
        f.write("/* lexicon_table.c -- generated by tools/gen_lexicon.py; "
                "do not edit. */\n")
        f.write('#include "lexicon.h"\n\n')
        f.write("const kh_lex_entry kh_lex_entries[KH_LW_COUNT] = {\n")
        f.write('    {"", 0, 0, 0},\n')
        for w, (classes, value) in words:
            mask = " | ".join(classes) if classes else "0"
            f.write('    {"%s", %d, %s, %d},\n' % (w, len(w), mask, value))
        f.write("};\n\n")
        f.write("const unsigned short kh_lex_slots[KH_LEX_SLOTS] = {")
        for i, v in enumerate(slots):
            f.write(("\n    " if i % 12 == 0 else " ") + "%d," % v)
        f.write("\n};\n")
    return size


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "src"
    words = collect()
    write_header(os.path.join(out, "lexicon_words.h"), words)
    size = write_table(os.path.join(out, "lexicon_table.c"), words)
    sys.stderr.write("gen_lexicon: %d words, %d slots\n" % (len(words), size))


if __name__ == "__main__":
    main()
