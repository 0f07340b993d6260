/*
 * khaldun.h -- the public C API of khaldun, a political event-data coder.
 *
 * khaldun turns news text into CAMEO-coded events ("who did what to whom,
 * when and where").  The library has three kinds of objects:
 *
 *   kh_dict     the dictionaries (actors, agents, verbs, discards, issues).
 *               Built once, then frozen; a frozen dictionary is read-only
 *               and may be shared by any number of threads without locks.
 *   kh_coder    per-thread coding state over one frozen kh_dict.  Reentrant:
 *               there is no global mutable state anywhere in the library.
 *   kh_events   a growable list of kh_event values that a coder fills.
 *
 * Ownership: every kh_*_new has a matching kh_*_free.  Strings inside a
 * kh_event are owned by the kh_events list that holds it and stay valid
 * until kh_events_clear or kh_events_free.  Strings that point into the
 * dictionary (pattern text, dictionary file names) live as long as the
 * kh_dict.
 *
 * Errors: functions that can fail return 0 on success and -1 on failure and
 * report through a kh_diag (see below); nothing is printed by the library
 * unless the caller's kh_diag prints it.
 */
#ifndef KHALDUN_H
#define KHALDUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KHALDUN_VERSION "0.1.0"

/* ---------------------------------------------------------------------
 * Diagnostics
 *
 * Loaders and readers report every problem they skip past through a
 * kh_diag.  The default (kh_diag_init) prints "khaldun: FILE:LINE: message"
 * to stderr and counts; callers that want silence or a log set `sink`.
 * --------------------------------------------------------------------- */

typedef enum { KH_WARNING, KH_ERROR } kh_severity;

typedef struct kh_diag {
    /* Called for each problem.  line is 0 when not applicable. */
    void (*sink)(void *ctx, kh_severity sev, const char *file, long line,
                 const char *message);
    void *ctx;
    FILE *stream;      /* used by the default sink; NULL means stderr */
    long errors;       /* counted by kh_diag_report */
    long warnings;
    int quiet;         /* default sink prints nothing when set */
} kh_diag;

void kh_diag_init(kh_diag *d);
void kh_diag_report(kh_diag *d, kh_severity sev, const char *file, long line,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* ---------------------------------------------------------------------
 * Dates
 *
 * Dates are longs holding YYYYMMDD everywhere in the API; 0 is "none".
 * --------------------------------------------------------------------- */

/* "2011-03-28", "2011/03/28", "2011.03.28" or "20110328" (which may be
 * followed by a time) as YYYYMMDD; 0 when s (may be NULL) is not a valid
 * date between 1800 and 2199. */
long kh_date_parse(const char *s);

/* 1 when ymd is a valid YYYYMMDD date between 1800 and 2199. */
int kh_date_valid(long ymd);

/* ---------------------------------------------------------------------
 * Dictionaries
 * --------------------------------------------------------------------- */

typedef enum {
    KH_DICT_VERBS,
    KH_DICT_ACTORS,
    KH_DICT_AGENTS,
    KH_DICT_DISCARDS,
    KH_DICT_ISSUES,
    KH_DICT_ONTOLOGY,   /* PETRARCH's internal coding ontology (PICO) */
    KH_DICT_KIND_COUNT
} kh_dict_kind;

typedef struct kh_dict kh_dict;

/* A new, empty, unfrozen dictionary. */
kh_dict *kh_dict_new(void);
void kh_dict_free(kh_dict *dict);

/* Reads one dictionary file of the given kind and adds its entries.  The
 * format (PETRARCH-2, PETRARCH-1 or TABARI) is recognised from the content.
 * Broken lines are reported through `diag` as FILE:LINE and skipped; the
 * load continues.  Returns -1 only when the file cannot be read at all. */
int kh_dict_load(kh_dict *dict, kh_dict_kind kind, const char *path,
                 kh_diag *diag);

/* The same, from memory; `name` is used in diagnostics and provenance. */
int kh_dict_load_buffer(kh_dict *dict, kh_dict_kind kind, const char *name,
                        const char *text, size_t len, kh_diag *diag);

/* Loads "KIND:FILE" (the --dict argument): KIND is one of the names
 * below.  A malformed spec is reported through diag and returns -1. */
int kh_dict_load_spec(kh_dict *dict, const char *spec, kh_diag *diag);

/* Parses "verbs", "actors", "agents", "discards", "issues" or "ontology".
 * -1 if none. */
int kh_dict_kind_parse(const char *name);

/* Loads the default dictionaries compiled into the binary. */
int kh_dict_load_defaults(kh_dict *dict, kh_diag *diag);

/* Builds the lookup indexes.  After this the dictionary is immutable and
 * loading more entries is an error. */
void kh_dict_freeze(kh_dict *dict);

/* Entry counts, for summaries and tests. */
typedef struct kh_dict_stats {
    size_t actors;        /* actor phrases, synonyms included */
    size_t agents;
    size_t verbs;         /* verb entries (lemmas and multi-word verbs) */
    size_t patterns;      /* verb patterns */
    size_t discards;
    size_t issues;
    size_t synsets;
} kh_dict_stats;

void kh_dict_get_stats(const kh_dict *dict, kh_dict_stats *stats);

/* ---------------------------------------------------------------------
 * Checking dictionaries (khaldun dict check)
 *
 * kh_dict_check lints a loaded dictionary, frozen or not, without
 * changing it, and reports each problem through `diag` as an error at
 * the FILE:LINE of the entry that is wrong.  The rules (src/dict_check.c
 * and docs/dict-check.md state them exactly):
 *
 *   duplicate  an actor or agent phrase (same words, same joins) defined
 *              again with different codes; reported at the second, naming
 *              the first's FILE:LINE
 *   roles      two dated roles of one entry with different codes that
 *              hold on more than one common day (a hand-over day is
 *              fine: dates are inclusive), or a role that ends before it
 *              begins
 *   shadowed   a pattern that can never match: a pattern of the same
 *              verb block that the coder tries first matches wherever it
 *              does (the same pattern, or the same with elements left out)
 *   synset     a synset with no members: patterns naming it never match
 *   cameo      a verb, block or pattern event code that is not a CAMEO
 *              code ("---", "###", "+++" and the parts of a paired code
 *              "032:033" are codes too)
 *
 * Malformed and unbalanced patterns, undeclared synsets and bad dates are
 * found by the readers while loading and reported through the loader's
 * kh_diag; a checking tool counts those as problems too.
 * --------------------------------------------------------------------- */

typedef struct kh_dict_check_stats {
    long duplicates, roles, shadowed, synsets, cameo;   /* per rule */
    long problems;                                      /* their sum */
} kh_dict_check_stats;

/* Checks `dict`; `out` may be NULL.  Returns the number of problems
 * reported (0 when the dictionary is clean). */
long kh_dict_check(const kh_dict *dict, kh_diag *diag, kh_dict_check_stats *out);

/* ---------------------------------------------------------------------
 * Events
 * --------------------------------------------------------------------- */

/* Byte range [start, end) into the sentence text; start = end = -1 when the
 * element has no place in the text (e.g. a default actor). */
typedef struct kh_span {
    long start, end;
} kh_span;

enum {
    KH_EVENT_NEGATED = 1u << 0,      /* "did not attack" */
    KH_EVENT_PASSIVE = 1u << 1,      /* source and target swapped */
    KH_EVENT_HYPOTHETICAL = 1u << 2, /* "could", "if" */
    KH_EVENT_FUTURE = 1u << 3,       /* "will", "would" */
    KH_EVENT_PAIRED = 1u << 4,       /* second code of a [032:033] pair */
    KH_EVENT_HISTORICAL = 1u << 5    /* "after the U.S. invaded in 2003" */
};

/* How an event's date was found. */
typedef enum {
    KH_DATE_NONE,          /* no date at all */
    KH_DATE_ARTICLE,       /* the document's date */
    KH_DATE_RELATIVE,      /* "on Tuesday", "last week", "yesterday" */
    KH_DATE_EXPLICIT       /* "on March 27, 2011" */
} kh_date_source;

/* How exactly an event's date names its day: "on March 27, 2011" and the
 * article's own date are days; "in December 2017" and "last month" a month
 * (event_date is its first day); "in 2015" a year (event_date is January
 * 1st, which is not the day it happened). */
typedef enum {
    KH_DATE_PRECISION_NONE,    /* no date */
    KH_DATE_PRECISION_DAY,
    KH_DATE_PRECISION_MONTH,
    KH_DATE_PRECISION_YEAR
} kh_date_precision;

/* How exactly an event's place is known. */
typedef enum {
    KH_PLACE_NONE,
    KH_PLACE_COUNTRY,      /* coordinates are the country's centroid */
    KH_PLACE_REGION,       /* first-level administrative division */
    KH_PLACE_CITY
} kh_place_precision;

typedef struct kh_place {
    char *name;            /* as resolved: "Damascus"; NULL if none */
    char country[4];       /* ISO 3166-1 alpha-3, "" if unknown */
    char fips[3];          /* FIPS 10-4 country code, for GDELT users */
    char admin1[16];       /* first-level division code, "" if unknown */
    double lat, lon;
    int precision;         /* kh_place_precision */
    kh_span span;          /* where the text names it, in the sentence */
} kh_place;

typedef struct kh_event {
    char *source;          /* actor code, "---" when none */
    char *target;
    char *source_text;     /* the words that named the actor */
    char *target_text;
    char code[8];          /* CAMEO code as a string, e.g. "042"; at most
                              KH_MAX_EVENT_CODE (7) characters */
    kh_span source_span;
    kh_span verb_span;
    kh_span target_span;
    const char *pattern;   /* the pattern text that fired, as written */
    const char *dict_file; /* the dictionary file the pattern came from */
    long dict_line;
    char *issues;          /* ";"-separated issue codes, or NULL */
    unsigned flags;        /* KH_EVENT_* */
    /* Enrichment (filled after coding; zero when not done). */
    long event_date;       /* YYYYMMDD the event happened, 0 if unknown */
    int date_source;       /* kh_date_source */
    int date_precision;    /* kh_date_precision */
    kh_place place;
    char *quote;           /* the quotation the event reports, or NULL */
    char *speaker;         /* who said it, as written */
    kh_span quote_span;
    int mentions;          /* reports merged into this event: 1 from the
                              coder; the writers treat 0 as 1 */
    uint64_t id;           /* the stable id (docs/schema.md: a hash of the
                              document id, sentence, spans and codes, the
                              same in every run); set by the writer's
                              duplicate stage, 0 before */
} kh_event;

typedef struct kh_events {
    kh_event *items;
    size_t count, capacity;
} kh_events;

void kh_events_init(kh_events *events);
void kh_events_clear(kh_events *events);
void kh_events_free(kh_events *events);

/* ---------------------------------------------------------------------
 * Documents
 *
 * A document is one article or record, as read by the input readers
 * (read.c): its text, normalised to valid UTF-8, and what is known about
 * it.  All strings are owned by the document (kh_doc_clear frees them);
 * fields that are unknown are NULL (date: 0).
 * --------------------------------------------------------------------- */

typedef struct kh_meta {
    char *key;
    char *value;
} kh_meta;

typedef struct kh_doc {
    char *id;          /* JSON-lines id, record id, or the file name */
    long date;         /* YYYYMMDD, 0 if unknown */
    char *text;        /* body text, NUL-terminated, valid UTF-8 */
    size_t len;
    char *title;
    char *source;      /* outlet or feed name */
    char *url;
    char *place;       /* from the dateline: "TEHRAN" */
    char *path;        /* the file it came from */
    kh_meta *meta;     /* other fields, in input order */
    size_t meta_count;
    int is_record;     /* a PETRARCH or TABARI record: one sentence, as
                          those coders treat it, and never segmented */
} kh_doc;

void kh_doc_clear(kh_doc *doc);

/* ---------------------------------------------------------------------
 * Reading documents
 *
 * The input readers: files, directories or standard input in, one kh_doc
 * at a time out.
 *
 *     kh_read_options opts = {0};            // auto-detect, no default date
 *     kh_reader *r = kh_reader_open("corpus/", &opts, &diag);
 *     kh_doc doc = {0};
 *     while (kh_reader_next(r, &doc)) {
 *         ... use doc ...
 *         kh_doc_clear(&doc);
 *     }
 *     kh_reader_stats(r, &stats);
 *     kh_reader_close(r);
 *
 * Inputs: a file, a directory (walked recursively, names sorted, dot files
 * skipped), or "-" for standard input.  Gzip and zstd compression is
 * recognised by its magic bytes and undone.  Formats, recognised from the
 * content first and the file name second (or forced by opts->format):
 *
 *   text     one article per file; id = the file name; date = opts->date or
 *            the first full date in the text (in its first lines)
 *   html     libxml2's forgiving HTML parser; the article body is the
 *            <article>, <main>, or the element with the most paragraph
 *            text, without nav/header/footer/aside/script/style/forms and
 *            elements whose class or id says menu, share, comment, ...;
 *            title from og:title or <title>; date from
 *            article:published_time or <time datetime>
 *   jsonl    one JSON object per line: id, date, title, text, source, url;
 *            the names common scrapers use are read too (text: body,
 *            content, article, news-please's maintext; date:
 *            date_publish, published; source: source_domain), and
 *            opts->fields names any other; other fields kept in
 *            doc->meta; a file holding one JSON array of such objects is
 *            read too
 *   petrarch PETRARCH XML: each <Sentence date= id=> with its <Text> is a
 *            document; its <Parse>, raw (a Penn Treebank bracketing in
 *            PETRARCH-2's files, CoNLL-U lines in UD-PETRARCH's), goes to
 *            meta "parse" and the line it starts on to "parse_line" (see
 *            "Parsing"); other attributes go to meta;
 *            <EventCoding> elements go to meta "expected" and
 *            "expected_other" (below), and each <Config option= value=>
 *            met since the previous document to meta "config:OPTION" =
 *            VALUE, in file order (options after the last sentence are
 *            dropped)
 *   tabari   TABARI records: a "YYMMDD ID" line (the id is the rest of
 *            the line; YY 00-30 is 2000-2030 and 31-99 is 1931-1999, as in
 *            TABARI; YYYYMMDD is read too), then text lines up to a blank
 *            line; C-style
 *            comments and TABARI's literal "\n" are not text; a block that
 *            does not start with a digit is a comment block.  The {...}
 *            groups in a record's comments go to meta: each {OPTION: ...}
 *            to "option" (the group's text, in order), {SRC / TGT / CODE}
 *            to "expected", others ({+++}, {---}, ...) to
 *            "expected_other".  An undated record (digits that are not a
 *            date) gets opts->date, or 0.
 *
 * What a validation record expects (both formats), in doc->meta:
 *   expected        "SRC TGT CODE;SRC TGT CODE" -- the events it should
 *                   code, each code without blanks ("---" when empty).
 *                   Present, perhaps "", whenever the record states any
 *                   expectation (a TABARI {...} group, a PETRARCH
 *                   <EventCoding>); absent when it states none.
 *   expected_other  the expectations that are not events, ';'-separated:
 *                   TABARI's marks as written ("+++" no events, "---"
 *                   discarded, "###"), PETRARCH's other <EventCoding>
 *                   attributes as "name=value ..." ("noevents=True",
 *                   "error=sentencediscard").
 * Records (petrarch, tabari) are flattened to one line: each is meant to
 * be one sentence, and a one-line text is never blanked by clean.c.
 *
 * Every document's text is valid UTF-8 in NFC: invalid bytes are read as
 * Windows-1252 (undefined ones become U+FFFD) and counted; NUL and other
 * control bytes become spaces; CR LF and lone CR become LF.  Valid UTF-8 is
 * never changed except by NFC.  Nothing is dropped silently: an unreadable,
 * empty, binary, truncated or malformed input is reported through the
 * kh_diag as "FILE:LINE: what is wrong" and counted in the statistics.
 *
 * Inputs are streamed: jsonl, tabari and petrarch inputs are read, and
 * their documents returned, record by record, in memory that does not
 * grow with the input, and a pipe's documents are returned as they
 * arrive.  A line longer than KH_MAX_LINE_BYTES (kh_limits.h, 16 MB) is
 * reported and skipped; a text, HTML or JSON-array input, read whole,
 * may be at most KH_MAX_DOCUMENT_BYTES (64 MB).  Empty, binary and
 * broken compressed inputs are recognised from their first 128 KB;
 * compressed data that breaks later is reported where it
 * breaks, after the documents before it.

 * --------------------------------------------------------------------- */

typedef enum kh_read_format {
    KH_FORMAT_AUTO = 0,
    KH_FORMAT_TEXT,
    KH_FORMAT_HTML,
    KH_FORMAT_JSONL,
    KH_FORMAT_PETRARCH,
    KH_FORMAT_TABARI
} kh_read_format;

/* "text", "html", "jsonl" (or "json"), "petrarch" (or "xml"), "tabari",
 * "auto"; -1 when unknown. */
int kh_read_format_parse(const char *name);
const char *kh_read_format_name(kh_read_format format);

/* A JSON-lines member read as one of a document's fields (--field
 * text=body): `name` is "id", "date", "title", "text", "source" or "url",
 * `key` the member's name in the input. */
typedef struct kh_read_field {
    const char *name;
    const char *key;
} kh_read_field;

/* Parses "NAME=KEY" into *field, whose strings then point into `spec`.
 * Returns 0, or -1 when there is no '=', no key, or NAME is none of the
 * above. */
int kh_read_field_parse(const char *spec, kh_read_field *field);

typedef struct kh_read_options {
    long date;              /* YYYYMMDD (--date): for documents without one */
    kh_read_format format;  /* KH_FORMAT_AUTO: recognise each file */
    const kh_read_field *fields;  /* JSON lines: members read before the
                                     usual names (--field), or NULL; must
                                     outlive the reader */
    size_t field_count;
    size_t name_from;       /* > 0: bytes of an input path left out of its
                               documents' ids -- a file listed from a
                               directory argument opened on its own (the
                               cluster mode) keeps the id it has when the
                               directory is read; 0: the usual rule */
} kh_read_options;

typedef struct kh_read_stats {
    size_t files;            /* files (or stdin) opened */
    size_t documents;        /* documents returned */
    size_t skipped;          /* inputs or documents not returned, in all: */
    size_t unreadable;       /*   cannot open or read */
    size_t empty;            /*   empty file, or a document with no text */
    size_t binary;           /*   not text */
    size_t corrupt;          /*   truncated or broken gzip/zstd stream */
    size_t malformed;        /*   bad JSON line, bad record, bad XML */
    size_t no_article;       /*   HTML page with no article text */
    size_t bytes_repaired;   /* invalid UTF-8 sequences replaced */
    size_t controls_replaced;/* NUL and control bytes made spaces */
} kh_read_stats;

typedef struct kh_reader kh_reader;

/* Opens a file, a directory or "-".  Never returns NULL: a path that
 * cannot be read is reported and counted, and the reader yields nothing.
 * opts may be NULL (auto-detect, no date); diag may be NULL (stderr). */
kh_reader *kh_reader_open(const char *path, const kh_read_options *opts,
                          kh_diag *diag);

/* The files a reader will read, in order: the one file, or a
 * directory's, walked and sorted as kh_reader_open says; none for "-", a
 * buffer or a path that cannot be read.  Valid until the first
 * kh_reader_next.  (What the cluster mode shares among its ranks.) */
size_t kh_reader_file_count(const kh_reader *r);
const char *kh_reader_file(const kh_reader *r, size_t i);

/* Reads bytes [start, end) of one file, as if they were all of it but
 * for the line numbers, which count from first_line (the number of the
 * line at `start`): a share of a large JSON-lines file, for the cluster
 * mode (kh_cluster_code).  start and end should be line starts (end may
 * be the file's size); the file must not be compressed. */
kh_reader *kh_reader_open_range(const char *path, long long start, long long end,
                                long first_line, const kh_read_options *opts,
                                kh_diag *diag);

/* Reads documents from memory; `name` is used as the file name (ids,
 * diagnostics, format detection by extension).  The data is copied. */
kh_reader *kh_reader_open_buffer(const char *name, const char *data,
                                 size_t len, const kh_read_options *opts,
                                 kh_diag *diag);

/* Stores the next document in *out (which must be empty: zeroed or
 * kh_doc_clear'ed) and returns 1; returns 0 at the end. */
int kh_reader_next(kh_reader *r, kh_doc *out);

void kh_reader_stats(const kh_reader *r, kh_read_stats *stats);

/* The format of the input the last document came from (KH_FORMAT_AUTO
 * before the first). */
kh_read_format kh_reader_format(const kh_reader *r);
void kh_reader_close(kh_reader *r);

/* ---------------------------------------------------------------------
 * Coding
 * --------------------------------------------------------------------- */

typedef struct kh_coder kh_coder;

/* How a coder decides what to code.  The peers differ in many small
 * rules; each is a field here, and the two presets below set them all as
 * PETRARCH-2 or TABARI does. */
typedef enum {
    KH_CODE_BY_CLAUSE,      /* first event of each clause (default) */
    KH_CODE_BY_SENTENCE,    /* first event of the sentence */
    KH_CODE_ALL             /* every verb that yields an event */
} kh_code_by;

enum { KH_AGENTS_IGNORE, KH_AGENTS_PETRARCH, KH_AGENTS_TABARI };
/* Whose word decides a future cooperative event ("will give aid", "plans
 * to send aid") and an obligation in reported speech ("said Greece must
 * withdraw"): the dictionary's pattern, which codes the act itself, as
 * the PETRARCH and TABARI suites expect; or the CAMEO codebook, for which
 * they are an intent (03x) unless a pattern spells out the modal words,
 * and the reporter's demand (10x). */
typedef enum { KH_INTENTS_DICTIONARY, KH_INTENTS_CODEBOOK } kh_intents;

typedef struct kh_coder_options {
    /* Comma-delimited phrases whose word count lies in [min, max] are
     * nonrestrictive clauses and are not coded: middle, final ("end") and
     * opening ("begin") phrases have their own limits. */
    int comma_min, comma_max;
    int comma_end_min, comma_end_max;
    int comma_begin_min, comma_begin_max;
    kh_code_by code_by;
    int require_dyad;       /* an event needs a source and a target;
                               without, a missing target is "---" */
    int agents_as_actors;   /* an agent with no actor ("the minister") is
                               an actor: KH_AGENTS_PETRARCH codes it
                               "---GOV", KH_AGENTS_TABARI "~GOV"; 0
                               ignores it */
    int possessive_agents;  /* "Arnor's first deputy minister" gives the
                               agent to the possessor across modifiers
                               (PETRARCH); off, agents attach only to
                               adjacent actors (TABARI) */
    int modal_verbs;        /* modals and auxiliaries listed as verbs
                               ("should", "has") are coded even when a
                               verb follows them (TABARI); off, the
                               following verb is the clause's verb */
    int tabari_compounds;   /* a "%" compound after the verb still pairs
                               its members (TABARI); off, it is the
                               target of the subject (PETRARCH) */
    int possessive_pronouns;/* "its", "their" stand for actors (TABARI);
                               off, only subject and object pronouns do
                               (PETRARCH) */
    int comma_clauses;      /* a comma phrase that is kept is a clause of
                               its own, coded for its own verb
                               (PETRARCH); off, commas do not split
                               clauses (TABARI) */
    int new_actor_length;   /* PETRARCH's new actors: with no dictionary
                               actor, a noun phrase of at most this many
                               words is an actor coded by its words
                               ('"THE MINISTRY OF MAGIC"'); 0 = off */
    int actor_discards;     /* an actor coded "###" discards the sentence
                               (TABARI); off, "###" is just its code
                               (PETRARCH) */
    int syntax;             /* tag each sentence (tagger.c) and build its
                               verb groups and noun phrases (chunk.c):
                               a word is a verb only when tagged one,
                               passive voice and reported speech come
                               from the verb groups (PETRARCH-2, which
                               reads a parse); off, the sparse parse
                               guesses them from dictionary hits
                               (TABARI) */
    int greedy_source;      /* with no actor before the verb, take the
                               first one after it as the source (TABARI);
                               off by default: "Three soldiers were killed
                               in Syria" has no source */
    int whole_code_lists;   /* an actor coded with a list, THE_SHIRE
                               [FRO/BIL/SAM], is one actor coded by the
                               whole list (UD-PETRARCH); off, each code of
                               the list is an actor (PETRARCH-2, TABARI) */
    int plus_actors_coded;  /* an actor coded "+++" is coded like any
                               other (UD-PETRARCH); off, it marks the
                               sentence too complex to code (TABARI manual
                               6.4, PETRARCH-2) */
    int upper_in_subject;   /* with syntax, a pattern's words before the
                               verb match only in the verb's subject
                               ("{DEATH TOLL} *"; not "RECENTLY *" or
                               "INDICATED *": UD-PETRARCH); off, anywhere
                               before it in the clause (PETRARCH-2) */
    int passive_any_doer;   /* with syntax, the doer of a passive verb with
                               no BY phrase is the actor of any of its
                               prepositional phrases ("was criticized over
                               its dispute with Eriador": Eriador
                               criticized; UD-PETRARCH); off, only FROM
                               and IN phrases name it (PETRARCH-2) */
    kh_intents intents;     /* see kh_intents; KH_INTENTS_DICTIONARY in
                               every preset */
    int forward_pronouns;   /* a pronoun with no antecedent in its sentence
                               takes the previous sentence's actor
                               (TABARI's FORWARD); see
                               kh_coder_begin_document */
    /* Complexity filter (TABARI's COMPLEX): a sentence with at least this
     * many verbs, conjunctions or actors is not coded; 0 turns a test
     * off.  no_actor_prior: not coded when no actor precedes the first
     * verb. */
    int complex_verbs, complex_conj, complex_actors;
    int no_actor_prior;
    int min_words;          /* shorter sentences are not coded; 0 = off */
    /* Codes used when no source (target) is found; "" = none.  With
     * *_prior / *_after the default also replaces an actor that is not
     * before (after) the verb.  16 bytes hold any CAMEO actor code (at
     * most 15 characters: a country and three roles); longer are cut. */
    char default_source[16], default_target[16];
    int default_source_prior, default_target_after;
} kh_coder_options;

/* PETRARCH-2's behaviour (PETR_config.ini defaults): the default. */
void kh_coder_options_default(kh_coder_options *options);
/* TABARI 0.8's behaviour, for TABARI dictionaries and suites. */
void kh_coder_options_tabari(kh_coder_options *options);
/* UD-PETRARCH's behaviour: PETRARCH-2's, with its conventions for code
 * lists and passive verbs (its validation suite reads CoNLL-U). */
void kh_coder_options_ud(kh_coder_options *options);
void kh_coder_set_options(kh_coder *coder, const kh_coder_options *options);

/* A coder reads `dict`, which must be frozen and outlive the coder. */
kh_coder *kh_coder_new(const kh_dict *dict);
void kh_coder_free(kh_coder *coder);

/* Codes one sentence.  `date` is YYYYMMDD (0 if unknown) and selects dated
 * actor roles.  Events are appended to `out`.  Returns the number of events
 * added, or -1 if the sentence was discarded by a discard phrase. */
int kh_code_sentence(kh_coder *coder, const char *text, size_t len, long date,
                     kh_events *out);

/* Starts a new document: pronouns no longer refer to the actors of the
 * sentences coded before.  Call it between documents. */
void kh_coder_begin_document(kh_coder *coder);

/* The code of the first actor named in `text` ("the Iranian defence
 * minister" -> "IRNMIL"), or NULL.  The caller frees the result.  Used to
 * code the speakers of quotations. */
char *kh_coder_actor_code(kh_coder *coder, const char *text, size_t len, long date);

/* When set, kh_code_sentence writes a human-readable trace of tags, clauses
 * and pattern attempts to `stream`.  NULL turns it off. */
void kh_coder_set_explain(kh_coder *coder, FILE *stream);

/* One token of a sentence, as the coder's tokenizer (the only one) made
 * it.  Words are upper-cased (so they compare directly with dictionary
 * words), punctuation is a token of its own, "n't" is NOT and a
 * possessive "'s" the token 'S; hyphenated words are split into their
 * parts ("al-Qaeda" -> AL QAEDA, the second KH_TOK_JOINED); "U.S.",
 * "3.5" and an abbreviation's period ("Gen.") stay in their word;
 * quotation marks and symbols ($ % / &) make no token.  start and end
 * are the bytes of the sentence the token came from. */
enum {
    KH_TOK_WORD = 1u << 0,      /* letters or digits */
    KH_TOK_CAPITAL = 1u << 1,   /* first letter upper-case in the text */
    KH_TOK_COMMA = 1u << 2,
    KH_TOK_STOP = 1u << 3,      /* . ; : ? ! */
    KH_TOK_QUOTE = 1u << 4,     /* an apostrophe that is no 'S */
    KH_TOK_BRACKET = 1u << 5,
    KH_TOK_NUMBER = 1u << 6,    /* digits only (and an inner period) */
    KH_TOK_JOINED = 1u << 7,    /* joined to the previous token by a hyphen */
    KH_TOK_DASH = 1u << 8,      /* a free-standing dash */
    /* A word as the text spells it: only ASCII letters and digits, and
     * the word exactly those bytes upper-cased (not "U.S.", "Gen.", 'S,
     * NOT, nor "won" made WILL).  Set by the tokenizer, which sees it
     * as it copies the word: stages that compare a word with the text
     * (lexicon.h: kh_lex_plain_token) need not read both again. */
    KH_TOK_PLAIN = 1u << 9
};

typedef struct kh_token {
    const char *word;   /* upper-cased, NUL-terminated */
    long start, end;    /* byte range in the sentence */
    unsigned flags;     /* KH_TOK_* */
    unsigned len;       /* strlen(word): the coder needs it of every word
                           three times, and it fills the struct's padding */
} kh_token;

/* A sentence's tokens: how the coder hands its work forward, so that the
 * stages after it (dates, places) never cut the text again. */
typedef struct kh_token_view {
    const char *text;       /* the sentence the offsets are in */
    size_t len;
    const kh_token *tokens; /* in text order, not overlapping */
    size_t count;
} kh_token_view;

/* The tokens of the sentence `coder` last coded (kh_code_sentence) or
 * tagged.  They belong to the coder and stay valid until its next call
 * (kh_coder_actor_code tags too); text is the caller's, as it was given
 * to kh_code_sentence.  Before the first sentence the view is empty. */
void kh_coder_token_view(const kh_coder *coder, kh_token_view *view);

/* ---------------------------------------------------------------------
 * Parsing
 *
 * A sentence's syntax: per token a Universal POS tag, the Penn tag and
 * lemma when known, and a dependency (head token and relation; at least
 * each verb's nsubj / nsubj:pass, obj and obl and the sentence's root).
 * It comes from one of two sources, kh_pipeline_options.parse:
 *
 *   KH_PARSE_TAGGER  khaldun's tagger (not written yet: until it is, the
 *                    tokens are untagged, UPOS "_", and have no heads)
 *   KH_PARSE_GIVEN   the parse a document carries in meta "parse" (a
 *                    PETRARCH <Parse>: a Penn Treebank bracketing or
 *                    CoNLL-U lines), aligned to khaldun's tokens by the
 *                    characters they cover; a sentence of a document
 *                    without one falls back to the tagger
 *
 * How a given tokenization ("did n't", "al-Qaeda", -LRB-) is aligned to
 * ours, how UD v1 relations map to v2 and the head rules for Penn trees
 * are described in src/parse.h and src/parse_penn.c.  The pipeline builds
 * a sentence's parse when asked (kh_pipeline_options), the CoNLL-U output
 * (KH_OUTPUT_CONLLU) writes it, and `khaldun parse` does both.  kh_parse
 * is opaque here.
 * --------------------------------------------------------------------- */

typedef enum { KH_PARSE_TAGGER = 0, KH_PARSE_GIVEN } kh_parse_source;

/* "tagger" or "given" (the --parse values); -1 for anything else. */
int kh_parse_source_parse(const char *name);

typedef struct kh_parse kh_parse;

/* What parsing a run's sentences met, summed over its documents. */
typedef struct kh_parse_stats {
    long sentences;          /* sentences parsed */
    long tokens;             /* their tokens */
    long given_sentences;    /* sentences of documents with a given parse */
    long given_tokens;       /* their tokens */
    long aligned;            /*   of those, matched to a given token */
    long unlocated;          /* given tokens whose form is not in the text */
    long malformed;          /* given-parse lines or brackets skipped */
} kh_parse_stats;

/* Adds b's counts to a's. */
void kh_parse_stats_add(kh_parse_stats *a, const kh_parse_stats *b);

/* ---------------------------------------------------------------------
 * The pipeline: coding whole documents
 *
 * A kh_pipeline runs the stages that follow reading on one document at a
 * time: clean (site furniture and the dateline are blanked, offsets kept),
 * segment (sentences; a record is one sentence), parse (when asked: see
 * Parsing and the options below), code, enrich (the date
 * and place of each event, quotations and their speakers, statements) and,
 * unless keep_all, hold back negated and hypothetical events.  Its result
 * is a kh_coded_doc: the document's sentences with their events, ready
 * for a kh_writer.
 *
 *     kh_pipeline_options po;
 *     kh_pipeline_options_default(&po);
 *     kh_pipeline *p = kh_pipeline_new(dict, &po);
 *     kh_coded_doc coded;
 *     kh_coded_doc_init(&coded);
 *     while (kh_reader_next(reader, &doc) == 1) {
 *         kh_pipeline_code(p, &doc, &coded);
 *         kh_writer_write(writer, &doc, &coded);
 *         kh_doc_clear(&doc);
 *     }
 *     kh_coded_doc_free(&coded);
 *     kh_pipeline_free(p);
 *
 * Threads: a pipeline holds a coder and an enricher, so it belongs to one
 * thread at a time; any number of pipelines may share one frozen kh_dict.
 * A kh_coded_doc belongs to its caller and may be handed to another thread
 * (a writer thread) once kh_pipeline_code has returned.
 * --------------------------------------------------------------------- */

typedef struct kh_pipeline kh_pipeline;

typedef struct kh_pipeline_options {
    kh_coder_options coding;  /* the dialect's rules (and a config's) */
    int lede;                 /* code only the first N sentences; 0 = all */
    int keep_all;             /* keep negated and hypothetical events too */
    FILE *explain;            /* the coder's trace (kh_coder_set_explain),
                                 or NULL; with parses, their tags and
                                 verbs' arguments too */
    int parse;                /* kh_parse_source (--parse): where the
                                 sentences' syntax comes from */
    int keep_parses;          /* build each sentence's parse into
                                 kh_coded_sentence.parse (for CoNLL-U);
                                 parse = KH_PARSE_GIVEN builds them too,
                                 for the coder (which does not use them
                                 yet) */
    int parse_only;           /* parse and code nothing (khaldun parse) */
    int any_language;         /* also code documents not in English
                                 (--any-language); otherwise one whose
                                 language libexttextcat recognises as
                                 another is not coded (not_english) */
    kh_diag *diag;            /* problems of given parses; NULL: stderr */
} kh_pipeline_options;

/* PETRARCH-2's coding rules, every sentence, events held back. */
void kh_pipeline_options_default(kh_pipeline_options *options);

/* One sentence of a coded document: doc->text[start, end) and its events,
 * whose spans are relative to `start`. */
typedef struct kh_coded_sentence {
    size_t start, end;
    int discarded;            /* a discard phrase matched: no events */
    kh_events events;
    const kh_parse *parse;    /* its syntax when the pipeline built one
                                 (see Parsing), else NULL */
    kh_parse *parse_memory;   /* private: parse's storage, kept for reuse */
} kh_coded_sentence;

/* A coded document: its sentences in order (sentence i is number i + 1 in
 * the outputs) and its totals.  Reusable: kh_pipeline_code replaces the
 * content and keeps the memory. */
typedef struct kh_coded_doc {
    kh_coded_sentence *items;
    size_t count, capacity;
    long events;              /* events kept, over all sentences */
    long held_back;           /* negated or hypothetical events left out */
    long discarded;           /* sentences discarded */
    int undated;              /* the document has no date (no --date, none
                                 in its metadata, text or dateline): its
                                 events carry only dates the text gives */
    long too_long;            /* sentences past KH_MAX_SENTENCE_BYTES, not
                                 coded (src/kh_limits.h; reported) */
    kh_parse_stats parse;     /* when sentences were parsed */
    const char *not_english;  /* not coded: the language it is in ("de",
                                 static), or NULL when it was coded */
} kh_coded_doc;

void kh_coded_doc_init(kh_coded_doc *coded);
void kh_coded_doc_clear(kh_coded_doc *coded);
void kh_coded_doc_free(kh_coded_doc *coded);

/* A pipeline over `dict`, which must be frozen and outlive it.  options
 * may be NULL (kh_pipeline_options_default); they are copied. */
kh_pipeline *kh_pipeline_new(const kh_dict *dict, const kh_pipeline_options *options);
void kh_pipeline_free(kh_pipeline *pipeline);

/* Codes `doc` into `coded` (its previous content is replaced).  The
 * document is changed in place: junk lines and the dateline are blanked
 * with spaces (every offset stays valid) and doc->place (and doc->source,
 * when unset) is taken from the dateline.  A document in another language
 * than English is left uncoded, with coded->not_english set, unless
 * options.any_language: its language is judged once, on its first 1 KB
 * (KH_LANGUAGE_SAMPLE_BYTES), and a text under 200 bytes is coded.
 * Returns the number of events kept. */
long kh_pipeline_code(kh_pipeline *pipeline, kh_doc *doc, kh_coded_doc *coded);

/* ---------------------------------------------------------------------
 * Coding on several threads
 *
 * A kh_pool codes documents on `jobs` threads, each with its own
 * kh_pipeline (coder, enricher, buffers) over the one frozen kh_dict, and
 * hands every coded document back on the caller's thread, in the order
 * the documents were submitted, through a callback.  jobs - 1 of them are
 * workers; the last is the caller's, which reads and writes, and codes
 * queued documents whenever it would otherwise wait for the workers.
 * The writer and the summary see exactly what one pipeline would have
 * given them, document by document.
 *
 *     static int deliver(void *ctx, kh_doc *doc, kh_coded_doc *coded)
 *     {
 *         kh_writer_write(ctx, doc, coded);
 *         return 0;                              // nonzero: stop
 *     }
 *     kh_pool *pool = kh_pool_new(dict, &po, jobs, deliver, writer);
 *     while (kh_reader_next(reader, &doc) == 1)
 *         kh_pool_submit(pool, &doc);           // the pool takes the doc
 *     kh_pool_finish(pool);                     // delivers the rest
 *     kh_pool_free(pool);
 *
 * Memory stays flat: at most a window of documents is in flight
 * (queued, being coded, or coded and waiting for an earlier one):
 * KH_POOL_WINDOW_PER_JOB per job, and at most KH_POOL_MAX_TEXT_BYTES
 * of text whatever their number (src/kh_limits.h).  While the window is
 * full, kh_pool_submit codes queued documents itself, or sleeps without
 * spinning, until half of it is done.  Each call to kh_pool_submit first delivers every document
 * that is already done, so a stream's events come out while it is read,
 * at most the window behind.
 *
 * Diagnostics of the workers (problems of given parses) are recorded per
 * document and reported through options->diag (NULL: stderr) on the
 * caller's thread when the document is delivered: the caller's kh_diag
 * needs no lock, and the pipelines' messages come out in the same order,
 * and with the same counts, as with one job.  (Only their place among
 * the caller's own messages, a reader's say, can differ: a document is
 * delivered up to a window after it was read.)
 *
 * jobs 1 (and jobs <= 0 on a one-core machine) codes inline on the
 * caller's thread, with no thread at all.  options->explain forces that
 * too: a trace is only readable one document at a time.  If a thread
 * cannot be started the pool runs on those that could (inline if none),
 * with the same output.
 * --------------------------------------------------------------------- */

typedef struct kh_pool kh_pool;

/* Receives a coded document on the submitting thread, in submission
 * order.  doc and coded belong to the pool and are valid until it
 * returns.  Returns 0 to go on; anything else stops the pool: documents
 * still in flight are dropped and kh_pool_submit and kh_pool_finish
 * return -1. */
typedef int (*kh_pool_deliver)(void *ctx, kh_doc *doc, kh_coded_doc *coded);

/* A pool of `jobs` threads (<= 0: one per online core; at most
 * KH_MAX_JOBS, src/kh_limits.h) over `dict`, which must be frozen and
 * outlive it.  options may be NULL (kh_pipeline_options_default); they
 * are copied, and options->diag, if set, must outlive the pool. */
kh_pool *kh_pool_new(const kh_dict *dict, const kh_pipeline_options *options, int jobs,
                     kh_pool_deliver deliver, void *ctx);

/* The number of threads coding, the caller's included: 0 when the pool
 * codes inline, on the caller's thread alone. */
int kh_pool_threads(const kh_pool *pool);

/* Takes the document (its contents move to the pool and *doc is left
 * empty, ready for kh_reader_next), delivers whatever is done, and
 * queues it.  Returns 0, or -1 once the callback has stopped the pool
 * (the document is then freed, not coded). */
int kh_pool_submit(kh_pool *pool, kh_doc *doc);

/* Waits for and delivers every document submitted, then stops the
 * workers.  Returns 0, or -1 if the callback stopped the pool.  After
 * it, kh_pool_submit frees the document and returns -1. */
int kh_pool_finish(kh_pool *pool);

/* Stops the workers (dropping documents not yet delivered, if
 * kh_pool_finish was not called) and frees the pool. */
void kh_pool_free(kh_pool *pool);

/* ---------------------------------------------------------------------
 * Writing events
 *
 * The output stage: coded documents to JSON lines, TSV, SQLite or GDELT
 * 2.0 tables.
 *
 *     kh_writer *w = kh_writer_open("events.jsonl", KH_OUTPUT_JSONL, &diag);
 *     for each document:
 *         kh_writer_write(w, &doc, &coded);      // from kh_pipeline_code
 *     if (kh_writer_close(w) != 0) ... the output is not complete
 *
 * Crash safety.  File outputs are written to a temporary file in the same
 * directory ("PATH.tmp-PID-N") and renamed over PATH by kh_writer_close, so
 * a run that dies never leaves a half-written file under the final name.
 * Standard output ("-") is written directly and flushed on close.  SQLite
 * output commits in batches (see write_sqlite.c); an interrupted run keeps
 * every committed batch and re-running the same input adds no duplicates.
 * PostgreSQL output (write_postgres.c) does the same, one transaction per
 * batch, and records each run in a `runs` row: `complete` only when
 * kh_writer_close returned 0, `failed` after an error it could report,
 * `running` forever when the process died, until a rerun completes it.
 *
 * The output fields and the SQLite schema are documented in docs/schema.md.
 * Errors are reported through the kh_diag as "khaldun: PATH: what failed".
 * A writer belongs to one thread at a time; worker threads hand their
 * events to the one thread that writes, in document order.
 * --------------------------------------------------------------------- */

typedef enum {
    KH_OUTPUT_JSONL,
    KH_OUTPUT_TSV,
    KH_OUTPUT_SQLITE,
    KH_OUTPUT_GDELT,  /* PATH: 61-column events; PATH.mentions: 16 columns */
    KH_OUTPUT_CONLLU, /* the sentences' parses, not their events (below) */
    KH_OUTPUT_CSV,     /* the TSV table as RFC 4180 CSV (docs/schema.md) */
    KH_OUTPUT_POSTGRES /* PATH: a libpq connection string or URI */
} kh_format;

typedef struct kh_writer kh_writer;

/* CoNLL-U (KH_OUTPUT_CONLLU) writes, for every sentence that has a parse
 * (kh_coded_sentence.parse: set keep_parses), "# doc = ID", "# sent_id =
 * ID-N", "# text = ..." and one line per token: ID, FORM (the text as
 * written), LEMMA, UPOS, XPOS, FEATS (_), HEAD, DEPREL, DEPS (_), MISC
 * "TokenRange=START:END", byte offsets in the document's text.  A token
 * without a known head has HEAD and DEPREL "_".  Events are not written.
 * It is an output format beside the event tables because it writes the
 * same coded documents, and so gets the crash-safe file, standard output
 * and memory writers (and -o FILE.conllu) for nothing. */

/* Parses "jsonl" (or "json"), "tsv", "csv", "sqlite", "gdelt" or
 * "conllu"; -1 if none. */
int kh_format_parse(const char *name);

/* The format a path asks for: SQLite when it ends in ".db", ".sqlite" or
 * ".sqlite3", TSV for ".tsv", CSV for ".csv", CoNLL-U for ".conllu",
 * PostgreSQL when it starts "postgresql://" or "postgres://",
 * otherwise `fallback`.  Lets `-o events.db` just work. */
kh_format kh_format_for_path(const char *path, kh_format fallback);

/* Opens an output.  `path` "-" is standard output (not for SQLite).  Returns
 * NULL after reporting through `diag` when the output cannot be created. */
kh_writer *kh_writer_open(const char *path, kh_format fmt, kh_diag *diag);

/* Duplicates.  Between enrich and write every event output (JSON lines,
 * TSV, SQLite, GDELT) runs one duplicate stage (src/dedup.h; the rule is
 * in docs/schema.md, "Duplicates"): reports of one event (a headline and
 * its lede, a wire copy in another story within the window) become one
 * event whose `mentions` counts them and whose `id` is its first
 * report's stable id.  JSON lines, TSV and GDELT's event table write the
 * merged event once; SQLite keeps every report in `events` and the merge
 * in `mentions`.  To merge, the writer holds each document until its
 * events are final -- at most KH_DEDUP_WINDOW_DOCS documents
 * (src/kh_limits.h) -- and writes documents in input order.
 *
 * kh_writer_set_dedup_window sets the window in days across documents
 * (default KH_DEDUP_DEFAULT_WINDOW, 3); kh_writer_set_dedup(w, 0) turns
 * merging off (--no-dedup): every report is written as an event, with its
 * own id, as it arrives.  Call both before the first document. */
void kh_writer_set_dedup_window(kh_writer *w, int days);
void kh_writer_set_dedup(kh_writer *w, int on);

/* A writer whose output stays in memory, for bindings and tests: text
 * formats only (not SQLite).  kh_writer_take returns what was written since
 * the previous take. */
kh_writer *kh_writer_open_memory(kh_format fmt, kh_diag *diag);

/* The output written since the last call, NUL-terminated (length in
 * *len), owned by the caller (free()); NULL on a writer that is not a
 * memory writer.  It first writes what the duplicate stage holds, ending
 * the current document: reports written after a take do not merge with
 * those before it (a binding taking after each document merges within
 * documents only). */
char *kh_writer_take(kh_writer *w, size_t *len);

/* Writes a coded document (kh_pipeline_code): starts it, then writes each
 * of its sentences with their events.  Returns 0, or -1 on a write error
 * (reported); the writer then fails on close. */
int kh_writer_write(kh_writer *w, const kh_doc *doc, const kh_coded_doc *coded);

/* Names the run's inputs, for outputs that record runs (SQLite's `runs`
 * table, docs/schema.md); others ignore them.  Call before the first
 * write.  Returns 0, or -1 on a write error (reported). */
int kh_writer_set_inputs(kh_writer *w, const char *const *inputs, int count);

/* Finishes the output (commit, rename) and frees the writer.  Returns -1 if
 * any write failed at any point; the output is then not complete (and a
 * file output is removed rather than left under its final name). */
int kh_writer_close(kh_writer *w);

/* Closes and frees the writer without finishing its output, for a caller
 * that learns after opening it that the run cannot be complete (a failed
 * MPI rank): a file output's temporary file is removed, nothing is
 * renamed into place, and a database output ends its load as it does
 * after a write error (the batch in flight rolled back, the run row
 * `failed`). */
void kh_writer_abort(kh_writer *w);

/* Removes the temporary files (PATH.tmp-PID-N) of every writer still
 * open, for a handler of SIGINT or SIGTERM that then ends the program:
 * async-signal-safe (unlink(2) alone).  Outputs already renamed into
 * place stay; a SQLite output keeps its committed batches. */
void kh_writer_remove_temporaries(void);


/* ---------------------------------------------------------------------
 * Testing dictionaries (khaldun dict test)
 *
 * A dictionary author's test file states, sentence by sentence, the
 * events a careful coder gives; kh_dict_test codes each case through a
 * kh_pipeline (so exactly as `khaldun code` codes it, held-back negated
 * and hypothetical events included) and compares.  The format
 * (docs/dict-test.md), read line by line, UTF-8:
 *
 *   # comment                      blank lines separate cases
 *   @date 20230115                 (or 2023-01-15) the article date of the
 *                                  cases that follow, until the next @date;
 *                                  none before the first (as code without
 *                                  --date)
 *   @id NAME                       names the next case; else it is named
 *                                  FILE:LINE of its first text line
 *   Text of the case ...           one or more lines, joined by a blank:
 *   ... more text                  the case is coded as one document
 *   => SOURCE CODE TARGET          one or more expectations: actor codes
 *   => none                        as khaldun writes them ("---": none),
 *                                  a CAMEO code; "none": no event at all
 *
 * A case passes when the multiset of its events' (source, code, target)
 * equals the expected one.  Over all cases: exact precision is matched /
 * produced, exact recall matched / expected; root-level precision and
 * recall compare (source, two-digit root, target).  Per root, an
 * expected event counts for its root's recall and a produced event for
 * its root's precision.  A malformed line is reported through `diag` as
 * FILE:LINE and counted; the file's well-formed cases still run.
 * --------------------------------------------------------------------- */

/* Event counts of a comparison: expected, produced, and matched (the
 * multiset intersection). */
typedef struct kh_match_counts {
    long expected, produced, matched;
} kh_match_counts;

/* CAMEO roots 01 to 20; kh_dict_test_result.by_root[0] collects codes
 * that have no CAMEO root. */
#define KH_CAMEO_ROOTS 20

typedef struct kh_dict_test_result {
    long passed, failed;        /* cases */
    long malformed;             /* lines reported and skipped */
    kh_match_counts exact;      /* (source, code, target) */
    kh_match_counts root;       /* (source, root, target) */
    kh_match_counts by_root[KH_CAMEO_ROOTS + 1];   /* root level, per root */
} kh_dict_test_result;

/* Precision and recall as percentages; 100 when the denominator is 0
 * (nothing produced is nothing wrong; nothing expected, nothing missed). */
double kh_match_precision(const kh_match_counts *c);
double kh_match_recall(const kh_match_counts *c);

/* Runs the test file at `path` against `dict` (frozen) with the pipeline
 * `options` (NULL: the defaults), printing "PASS NAME: expected {...} got
 * {...}" (FAIL for a failing case) for each case to `out`; with `quiet`,
 * failures only.  Adds to *result, which the caller zeroes first (so the
 * results of several files add up).  Returns 0, or -1 when the file
 * cannot be read (reported). */
int kh_dict_test(const char *path, const kh_dict *dict, const kh_pipeline_options *options,
                 FILE *out, int quiet, kh_dict_test_result *result, kh_diag *diag);

/* Prints the summary of a result: "N passed, M failed", the exact and
 * root-level precision and recall, and with `by_root` a table of roots
 * 01-20 (root, expected, produced, matched, P, R). */
void kh_dict_test_summary(FILE *out, const kh_dict_test_result *result, int by_root);

/* ---------------------------------------------------------------------
 * Finding dictionary gaps (khaldun dict gaps)
 *
 * A kh_gaps codes documents as `khaldun code` does (a kh_pipeline over
 * the same options) and counts what the dictionaries missed:
 *
 *   KH_GAP_ACTOR  a noun phrase headed by a name (tagged PROPN) that is
 *                 the subject, object, passive agent or an oblique of a
 *                 verb group (not a copula) and has no dictionary actor
 *                 or agent at its head.  The phrase is the name's
 *                 capitalised words around the head (with an "of" phrase
 *                 of capitalised words: "Ministry of Magic"), titles
 *                 (and what comes before the last title) left out;
 *                 months and weekdays are no names.  Suggested
 *                 kind, the first that applies: "organisation" (a word
 *                 such as Party, Front, Army, Council, Ministry, Union,
 *                 Group, Movement, Brigade, Forces, Command,
 *                 International, or an all-capitals acronym), "person"
 *                 (a title before it: President, Minister, Gen. ...),
 *                 "place" (a gazetteer name, a place word such as Sea,
 *                 Heights, River, Province, or after "in", "from" or
 *                 another locative preposition), "person" (two or more
 *                 words, a hyphenated word being one), else "unknown".
 *   KH_GAP_VERB   the main verb of a verb group (not a copula, not a
 *                 reporting verb: SAY's event is its complement's) whose
 *                 subject holds an actor and whose object, passive agent
 *                 or an oblique holds another (a mention at the phrase's
 *                 head, or a dictionary actor in it: an agent alone off
 *                 the head, "military exercises", is none), when no event
 *                 was coded on that verb nor on the verb it complements
 *                 ("said it will attack" coded by SAY's "* (WILL ATTACK)").
 *                 Counted by lemma; the suggestion is "add verb: FRAME"
 *                 when the dictionaries have no such verb, "add pattern:
 *                 FRAME" when they have it but no pattern matched, with
 *                 FRAME where the target stood: "* +" (the object) or
 *                 "* TALKS WITH +" (an oblique, after the object's head).
 *                 Each verb's frames are counted too: its row shows the
 *                 most frequent one (the first seen of equals) and that
 *                 frame's first example.
 *
 * Headlines (title case) and discarded sentences are skipped.  Each
 * candidate keeps the first sentence it was seen in.  At most
 * KH_GAPS_MAX_CANDIDATES (src/kh_limits.h) distinct candidates are kept;
 * when there are more, the least frequent are dropped (counted in
 * kh_gaps_stats.pruned).  A kh_gaps belongs to one thread.
 * --------------------------------------------------------------------- */

typedef enum { KH_GAP_ACTOR, KH_GAP_VERB } kh_gap_kind;

typedef struct kh_gap {
    int kind;                 /* kh_gap_kind */
    long count;               /* sentences it was seen in (once each per
                                 verb group or noun phrase) */
    const char *phrase;       /* actor: the words as first seen; verb:
                                 the lemma ("PLEDGE") */
    const char *suggestion;   /* see above */
    const char *example;      /* the first sentence seen, on one line */
    const char *doc;          /* that sentence's document id */
} kh_gap;

typedef struct kh_gaps_stats {
    long documents, sentences, events;
    long candidates;          /* distinct candidates kept (a verb's
                                 frames included) */
    long pruned;              /* dropped to keep within the limit */
} kh_gaps_stats;

typedef struct kh_gaps kh_gaps;

/* Over `dict` (frozen, outliving it); options may be NULL (defaults). */
kh_gaps *kh_gaps_new(const kh_dict *dict, const kh_pipeline_options *options);
void kh_gaps_free(kh_gaps *gaps);

/* Codes one document (changed in place as kh_pipeline_code changes it)
 * and counts its gaps.  Returns the number of events kept. */
long kh_gaps_code(kh_gaps *gaps, kh_doc *doc);

void kh_gaps_get_stats(const kh_gaps *gaps, kh_gaps_stats *stats);

/* The candidates of one kind, most frequent first (ties by phrase), in
 * *items; valid until the next call on `gaps`.  Returns their number. */
size_t kh_gaps_list(kh_gaps *gaps, kh_gap_kind kind, const kh_gap **items);

/* Writes the actor gaps, then the verb gaps, at most `top` of each (0:
 * all): as TSV with the header line "kind count phrase suggestion
 * example" (tab-separated; kind "actor" or "verb"), or with `json` one
 * JSON object per line with those fields and "doc".  Returns -1 on a
 * write error. */
int kh_gaps_write(kh_gaps *gaps, FILE *out, int json, size_t top);

/* ---------------------------------------------------------------------
 * Aggregates
 *
 * kh_aggregate writes, as CSV (RFC 4180, header row), the merged events
 * of a khaldun database (a SQLite file, or a postgresql:// URL of the
 * PostgreSQL output: the same CSV for the same events) counted by `by`:
 * a comma-separated list of
 * at most four keys -- dyad (source,target), actor (each of the event's
 * actors), root, code, quad, and a time bin of the day the event happened:
 * day, week (its Monday), month or year.  Each row ends with the events,
 * their Goldstein sum and the four QuadClass counts.  The database is
 * opened read-only.  Returns 0, or -1 after reporting (an unknown key, a
 * file that is not a khaldun database).
 * --------------------------------------------------------------------- */

int kh_aggregate(const char *db_path, const char *by, FILE *out, kh_diag *diag);

/* kh_sqlite_reindex rebuilds the derived tables of a khaldun SQLite
 * database (docs/schema.md): the rollups that `khaldun serve` counts its
 * views from and the full-text index of the merged events' sentences;
 * given a postgresql:// URL, a PostgreSQL database's rollups (it has no
 * text index), which its writer also builds at the end of every run.
 * The SQLite writer builds them at the end of every run; this is for a
 * database written by an older khaldun (schema version 3, which it makes
 * 4) or whose tables were changed by other means.  Returns 0, or -1
 * after reporting (a file that is not a khaldun database, a locked or
 * read-only one). */
int kh_sqlite_reindex(const char *db_path, kh_diag *diag);

/* ---------------------------------------------------------------------
 * The web view (`khaldun serve`)
 *
 * kh_serve_start serves a khaldun database over HTTP, read-only: a
 * SQLite file, or a PostgreSQL database given by a postgresql:// (or
 * postgres://) URL:
 * the page compiled into the binary at "/" and the JSON endpoints of
 * docs/serve.md under "/api/" (counts over time, the actor network, a
 * dyad's series, the map's places, pages of events, an event's
 * evidence).  It returns once the server listens, on threads of its own;
 * kh_serve_stop stops it.  There is no authentication: anyone who can
 * reach the address reads the whole database, hence the loopback
 * default.
 *
 * The database is opened with SQLITE_OPEN_READONLY and `PRAGMA
 * query_only` (PostgreSQL: every transaction read-only,
 * default_transaction_read_only), one connection per server thread; the
 * server never writes to it or creates an index (the writers create the
 * ones the endpoints use; a database without them is answered, more
 * slowly).  A request whose queries take longer than `query_ms` is
 * stopped and answered 503, so no request runs unbounded (PostgreSQL:
 * each statement, statement_timeout).  The views are counted from a
 * SQLite database's rollups when they are current (kh_sqlite_reindex),
 * else from its events, with the same answers; a PostgreSQL database has
 * no rollups and is counted from its events.  Returns NULL after
 * reporting (a file that is not a version-3 or 4 khaldun database, a
 * PostgreSQL database that is not of the writer's schema version 1, an
 * address that cannot be bound).
 * --------------------------------------------------------------------- */

/* Each request's time budget: enough for every endpoint on a
 * million-event database (bench/README.md), short enough that a slow
 * filter cannot hold a thread for long. */
#define KH_SERVE_QUERY_MS 10000

typedef struct kh_serve_options {
    const char *listen;  /* the address to bind: an IPv4 or IPv6 address or a
                            host name; NULL: "127.0.0.1" */
    unsigned port;       /* 0: a free port (kh_server_port says which) */
    long query_ms;       /* each request's time budget; 0: KH_SERVE_QUERY_MS */
} kh_serve_options;

typedef struct kh_server kh_server;

kh_server *kh_serve_start(const char *db_path, const kh_serve_options *opts, kh_diag *diag);

/* The port it listens on, and the address as a URL ("http://127.0.0.1:8080/",
 * an IPv6 address in brackets), owned by the server. */
unsigned kh_server_port(const kh_server *s);
const char *kh_server_url(const kh_server *s);

/* Stops listening, waits for the requests in flight, closes the database
 * and frees the server.  NULL is allowed. */
void kh_serve_stop(kh_server *s);

/* ---------------------------------------------------------------------
 * Running on a cluster (MPI)
 *
 * kh_cluster_code is `khaldun code --mpi`: the same run as a kh_reader,
 * kh_pool and kh_writer make on one machine, shared among the ranks of an
 * MPI job (mpirun, srun).  It initialises MPI itself, and only when
 * called, so a binary built with MPI runs without mpirun when --mpi is
 * not given; a binary built without it (kh_cluster_available() == 0)
 * refuses with "built without MPI".
 *
 * Sharing.  Rank 0 lists the inputs (directories walked and sorted as the
 * readers do) into units: a file, or, for an uncompressed JSON-lines file
 * larger than split_bytes, one byte range per rank, each starting at a
 * record start (a record belongs to the range holding its first byte).
 * Rank 0 reads such a file once to find those starts and their line
 * numbers, so records without an id get the same "file:line" ids as in a
 * single run.  The units, in input order, are dealt to the ranks in
 * contiguous blocks of about equal bytes; every rank codes its block with
 * its own kh_pool of `jobs` threads.
 *
 * Output, by the form of `output`:
 *   FILE, "-" or a URL   gathered: one output in input order, any format,
 *                 written by rank 0's one writer, rank 0's own share (the
 *                 first in input order) as it is coded.  Every other rank
 *                 spools its coded documents (CoNLL-U: every rank its
 *                 formatted output) to a temporary file (TMPDIR); after
 *                 every rank has finished,
 *                 rank 0 receives the spools in rank order,
 *                 KH_CLUSTER_CHUNK_BYTES at a time, and writes them as
 *                 they come, so its memory does not grow with the corpus.
 *                 Its one duplicate stage (dedup.h) sees every report in
 *                 input order: the output is a single run's, byte for
 *                 byte, whatever the number of ranks.  A file appears
 *                 under its name only when every rank succeeded.
 *   shards        (no_dedup only) one output per rank, any format:
 *                 "-o out.jsonl" is written as out.rank-K.jsonl (K from
 *                 0; no extension: out.rank-K).  With merging it is
 *                 refused (2): a shard cannot merge reports on other ranks.
 *   URL with no_dedup   every rank opens the output itself (a database
 *                 server every rank can write to).
 *
 * Failure.  A rank that cannot read one of its inputs, or whose output
 * fails, reports "khaldun: rank K of N: ..." and the whole run fails on
 * every rank (exit status 1); rank 0 names the failed ranks and writes no
 * gathered output.  A rank that is killed makes mpirun end the job.  The
 * totals are summed over the ranks (MPI_Reduce).
 * --------------------------------------------------------------------- */

typedef struct kh_cluster_options {
    const char *const *inputs;   /* files and directories (not "-") */
    int input_count;
    const char *output;          /* file, "-" (NULL: "-") or a URL */
    kh_format format;
    int shards;                  /* one output per rank */
    int jobs;                    /* threads per rank (kh_pool_new) */
    int dedup_window;            /* days, -1: the writer's default */
    int no_dedup;                /* merge nothing (--no-dedup).  Otherwise
                                    rank 0 merges every rank's reports, in
                                    the one writer it gathers into, as a
                                    single run does (see Output above) */
    long long split_bytes;       /* 0: KH_CLUSTER_SPLIT_BYTES */
    kh_read_options read;
    kh_pipeline_options pipeline;
} kh_cluster_options;

/* The run's totals, summed over the ranks, on rank 0 (other ranks: their
 * own).  The same counts a single run's summary gives. */
typedef struct kh_cluster_result {
    int rank, ranks;
    long documents, undated, sentences, events, discarded, held_back;
    kh_read_stats read;
} kh_cluster_result;

/* Whether this build has MPI (the build found OpenMPI: see README). */
int kh_cluster_available(void);

/* Runs the cluster mode: MPI_Init, share, code, write, MPI_Finalize.
 * Returns the exit status every rank should exit with: 0, 1 when any
 * rank failed (reported), 2 when the options cannot be used (reported;
 * also without MPI). */
int kh_cluster_code(const kh_dict *dict, const kh_cluster_options *options,
                    kh_cluster_result *result, kh_diag *diag);

/* ---------------------------------------------------------------------
 * The peers' configurations and validation suites
 *
 * A PETRARCH-2 configuration (PETR_config.ini) names dictionaries and sets
 * coding options; so does a TABARI project (.project, with its options
 * file).  Both load into a kh_dict and a kh_coder_options as they are.
 *
 * A suite is a TABARI project (.project naming its dictionaries, options
 * and a Validate.text of records with expected events) or a PETRARCH
 * validation XML (<Validation> with <Environment> naming dictionaries and
 * <Sentence> records with <EventCoding> expectations).  Each record's coded
 * events are compared as a set with the expected ones.
 *
 * The records are read by the TABARI and PETRARCH readers (read.h), which
 * put each record's expectations and options in its meta; a TABARI record
 * is a test when it states expectations and has a date, a PETRARCH
 * sentence always is.
 * --------------------------------------------------------------------- */

/* Loads the dictionaries a PETRARCH-2 configuration's [Dictionaries] names
 * (beside the .ini file, else in ../dictionaries as PETRARCH lays them
 * out) and applies the [Options] khaldun's coder has.  Problems are
 * reported as FILE:LINE; returns -1 if the file cannot be read or a
 * dictionary it names cannot be loaded. */
int kh_petrarch_config_load(const char *path, kh_dict *dict, kh_coder_options *options,
                            kh_diag *diag);

/* Loads the <actorsfile>, <verbsfile> and <agentsfile> the project names
 * (relative to the project's folder) and applies its <optionsfile> to
 * `options` (may be NULL).  With `text_file`, stores the path of its
 * <textfile> (malloc'd; NULL if it names none).  Returns -1 if the
 * project or a dictionary cannot be read. */
int kh_tabari_project_load(const char *path, kh_dict *dict, kh_coder_options *options,
                           char **text_file, kh_diag *diag);

typedef struct kh_validate_result {
    long passed, failed;
} kh_validate_result;

typedef struct kh_validate_options {
    int verbose;        /* print the passing records too */
    int explain;        /* the coder's trace of each record, to `out` */
    int parse;          /* kh_parse_source: KH_PARSE_GIVEN codes a record
                           with the tags of the parse it carries */
} kh_validate_options;

/* Runs the suite at `path`, printing one line per failing record to `out`.
 * options may be NULL (all zero).  Returns 0, or -1 when the suite itself
 * cannot be read. */
int kh_validate(const char *path, FILE *out, const kh_validate_options *options,
                kh_validate_result *result, kh_diag *diag);


#ifdef __cplusplus
}
#endif

#endif
