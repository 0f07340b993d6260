/* write_gdelt.c -- GDELT 2.0 tables: PATH gets the 61-column event table,
 * PATH.mentions the 16-column mentions table, both tab-separated with no
 * header, in the column order of the GDELT 2.0 Event and Mentions
 * codebooks, so GDELT's own loaders and BigQuery schemas read them.
 *
 * One event row per merged event (dedup.h): repeated reports become
 * NumMentions / NumSources / NumArticles and one mentions row each, not
 * more event rows.  The duplicate stage hands documents on in input
 * order once their events are final, so the rows are in input order (of
 * each event's first report), and GLOBALEVENTID is the merged event's
 * stable id: the same in every run.
 *
 * What khaldun does not know is left empty (AvgTone, MentionDocTone,
 * ethnic codes, ADM2, feature ids of cities, actor locations), never
 * invented; docs/schema.md lists every column and its source here. */
#include "write_backends.h"
#include "write_fields.h"
#include "date.h"
#include "cameo.h"
#include "dedup.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GDELT_EVENT_COLUMNS 61
#define GDELT_MENTION_COLUMNS 16
#define GDELT_MENTIONS_SUFFIX ".mentions"
/* Decimal places of FractionDate, Lat and Long, as GDELT writes them. */
#define GDELT_DECIMALS 4

/* GDELT geo types (codebook: 1 country, 2 US state, 3 US city, 4 world
 * city, 5 world state); 0 when there is no location. */
enum { GEO_NONE = 0, GEO_COUNTRY = 1, GEO_US_STATE = 2, GEO_US_CITY = 3,
       GEO_WORLD_CITY = 4, GEO_WORLD_STATE = 5 };

/* MentionType 1: a web or wire document (GDELT's other types are
 * citation-only, CORE, DTIC, JSTOR and non-textual archives). */
#define MENTION_TYPE_WEB 1

/* Confidence (GDELT: 10-100, how sure the extraction is).  A plain report
 * is 100; one the coder flagged as hypothetical, future or negated reports
 * an event that may not have happened, so it is halved. */
#define CONFIDENCE_PLAIN 100
#define CONFIDENCE_UNCERTAIN 50

typedef struct gdelt_state {
    kh_writer mentions;      /* the second stream, PATH.mentions */
    char date_added[sizeof "YYYYMMDDHHMMSS"];   /* UTC, when the run started */
} gdelt_state;

/* ------------------------------------------------------------------ */

/* A field with tab, newline and carriage return turned into spaces: GDELT
 * files have no escaping, a field simply never contains them. */
static void put_textn(kh_buf *out, const char *s, size_t len)
{
    kh_buf_reserve(out, len);
    char *d = out->data + out->len;
    for (size_t i = 0; i < len; i++)
        d[i] = s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
    out->len += len;
}

static void put_text(kh_buf *out, const char *s)
{
    put_textn(out, s, s ? strlen(s) : 0);
}

/* A number and the tab after it. */
static void put_number(kh_buf *out, long long v)
{
    kh_buf_add_long(out, v, 0);
    kh_buf_addc(out, '\t');
}

static void put_field(kh_buf *out, const char *s)
{
    put_text(out, s);
    kh_buf_addc(out, '\t');
}

/* CAMEO religion codes (GDELT Religion1Code is the general religion,
 * Religion2Code the denomination).  The lists are CAMEO's; a group that is
 * in neither and not a role type is taken as a known group (IGO member
 * code, militant group: "UNO", "HMS"). */
static const char *const religions[] = {
    "ADR", "ATH", "BAH", "BUD", "CHR", "CON", "HIN", "ITH", "JAI", "JEW",
    "MOS", "SHN", "SIK", "TAO", "ZRO"};
static const char *const denominations[] = {
    "ALE", "CTH", "DRZ", "HSD", "JHW", "LDS", "MAZ", "ORJ", "ORT", "PRO",
    "SFI", "SHI", "SUN", "UDX", "REF"};
/* CAMEO role and sector codes, GDELT's Type1-3 codes. */
static const char *const role_types[] = {
    "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV",
    "HLH", "HRI", "IGO", "IMG", "INS", "JUD", "LAB", "LEG", "MED", "MIL",
    "MNC", "MOD", "NGM", "NGO", "OPP", "PTY", "RAD", "REB", "REF", "REL",
    "SEP", "SPY", "UAF", "UIS", "UNR"};

static int in_list(const char *g, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (g[0] == list[i][0] && strcmp(g, list[i]) == 0)
            return 1;
    return 0;
}
#define IN(g, list) in_list((g), (list), sizeof(list) / sizeof(list)[0])

/* The ten actor columns: Code, Name, CountryCode, KnownGroupCode,
 * EthnicCode, Religion1Code, Religion2Code, Type1Code, Type2Code,
 * Type3Code. */
enum { ACTOR_KNOWN, ACTOR_ETHNIC, ACTOR_REL1, ACTOR_REL2, ACTOR_TYPES,
       ACTOR_GROUP_COLUMNS = ACTOR_TYPES + 3 };

/* The group columns, KnownGroupCode to Type3Code, from the groups of the
 * code (kh_write_actor_country_len): each its group's offset in the code,
 * or -1 for an empty column. */
static void classify_groups(const char *code, long at[ACTOR_GROUP_COLUMNS])
{
    size_t len = strlen(code), ntypes = 0;
    for (int i = 0; i < ACTOR_GROUP_COLUMNS; i++)
        at[i] = -1;
    for (size_t pos = kh_write_actor_country_len(code), n; pos < len; pos += n) {
        n = kh_write_actor_group_len(len, pos);
        char g[KH_ACTOR_GROUP_LEN + 1];
        memcpy(g, code + pos, n);
        g[n] = 0;
        if (IN(g, role_types) && ntypes < 3)
            at[ACTOR_TYPES + ntypes++] = (long)pos;
        else if (IN(g, religions) && at[ACTOR_REL1] < 0)
            at[ACTOR_REL1] = (long)pos;
        else if (IN(g, denominations) && at[ACTOR_REL2] < 0)
            at[ACTOR_REL2] = (long)pos;
        else if (at[ACTOR_KNOWN] < 0 && !IN(g, role_types))
            at[ACTOR_KNOWN] = (long)pos;
    }
}

/* The ten actor columns: Code, Name, CountryCode, KnownGroupCode,
 * EthnicCode, Religion1Code, Religion2Code, Type1Code, Type2Code,
 * Type3Code. */
static void put_actor(kh_buf *out, const char *code, const char *text)
{
    int has = code && *code && strcmp(code, "---") != 0;
    long at[ACTOR_GROUP_COLUMNS];
    put_field(out, has ? code : "");
    put_field(out, has ? text : "");
    if (!has) {     /* CountryCode and the group columns, all empty */
        kh_buf_add(out, "\t\t\t\t\t\t\t\t", 1 + ACTOR_GROUP_COLUMNS);
        return;
    }
    put_textn(out, code, kh_write_actor_country_len(code));
    kh_buf_addc(out, '\t');
    classify_groups(code, at);
    size_t len = strlen(code);
    /* The groups are written as they are, as they always have been;
     * EthnicCode is never known. */
    for (int i = 0; i < ACTOR_GROUP_COLUMNS; i++) {
        if (at[i] >= 0)
            kh_buf_add(out, code + at[i], kh_write_actor_group_len(len, (size_t)at[i]));
        kh_buf_addc(out, '\t');
    }
}

/* SQLDATE, MonthYear, Year, FractionDate; empty when undated. */
static void put_dates(kh_buf *out, long date)
{
    if (!kh_date_valid(date)) {
        kh_buf_adds(out, "\t\t\t\t");
        return;
    }
    long y = date / 10000;
    kh_buf_add_long(out, date, 8);
    kh_buf_addc(out, '\t');
    kh_buf_add_long(out, date / 100, 6);
    kh_buf_addc(out, '\t');
    kh_buf_add_long(out, y, 4);
    kh_buf_addc(out, '\t');
    kh_write_fixed(out, (double)y + kh_date_day_of_year(date) / 365.0, GDELT_DECIMALS);
    kh_buf_addc(out, '\t');
}

static int is_us(const kh_place *p)
{
    return strcmp(p->fips, "US") == 0 || strcmp(p->country, "USA") == 0;
}

static int geo_type(const kh_place *p)
{
    switch (p->precision) {
    case KH_PLACE_COUNTRY: return GEO_COUNTRY;
    case KH_PLACE_REGION: return is_us(p) ? GEO_US_STATE : GEO_WORLD_STATE;
    case KH_PLACE_CITY: return is_us(p) ? GEO_US_CITY : GEO_WORLD_CITY;
    default: return GEO_NONE;
    }
}

/* The eight geo columns: Type, FullName, CountryCode (FIPS 10-4),
 * ADM1Code (FIPS country + division, "SY13"), ADM2Code, Lat, Long,
 * FeatureID (the FIPS code for a country, as GDELT does; unknown else).
 * NULL writes a location that is not known. */
static void put_geo(kh_buf *out, const kh_place *p)
{
    int type = p ? geo_type(p) : GEO_NONE;
    if (type == GEO_NONE) {
        kh_buf_adds(out, "0\t\t\t\t\t\t\t\t");
        return;
    }
    kh_buf_add_long(out, type, 0);
    kh_buf_addc(out, '\t');
    put_field(out, p->name ? p->name : p->country);
    put_field(out, p->fips);
    if (p->admin1[0] && strncmp(p->admin1, p->fips, 2) != 0)
        put_text(out, p->fips);
    put_field(out, p->admin1[0] ? p->admin1 : (type == GEO_COUNTRY ? "" : p->fips));
    kh_buf_addc(out, '\t');
    kh_write_fixed(out, p->lat, GDELT_DECIMALS);
    kh_buf_addc(out, '\t');
    kh_write_fixed(out, p->lon, GDELT_DECIMALS);
    kh_buf_addc(out, '\t');
    put_field(out, type == GEO_COUNTRY ? p->fips : "");
}

/* IsRootEvent: reported in a story's lead sentence by some mention. */
static int is_root(const kh_dedup_event *ev)
{
    for (size_t i = 0; i < ev->mention_count; i++)
        if (ev->mentions[i].sent_no == 1)
            return 1;
    return 0;
}

static void put_event_row(kh_buf *out, const gdelt_state *st, const kh_dedup_event *ev)
{
    const kh_event *e = &ev->event;
    const kh_cameo_info *info = kh_cameo_lookup(e->code);
    char root[KH_CAMEO_ROOT_SIZE];
    put_number(out, (long long)ev->id);     /* below 2^63 (dedup.h) */
    put_dates(out, ev->date);
    put_actor(out, e->source, e->source_text);
    put_actor(out, e->target, e->target_text);
    kh_buf_add_long(out, is_root(ev), 0);
    kh_buf_addc(out, '\t');
    put_field(out, e->code);
    kh_buf_add(out, e->code, strnlen(e->code, 3));     /* EventBaseCode */
    kh_buf_addc(out, '\t');
    put_field(out, kh_cameo_root(e->code, root) == 0 ? root : "");
    kh_write_quad_goldstein(out, info);
    kh_buf_addc(out, '\t');
    put_number(out, (long long)ev->mention_count);
    put_number(out, (long long)ev->source_count);
    put_number(out, (long long)ev->article_count);
    kh_buf_addc(out, '\t');                           /* AvgTone: unknown */
    put_geo(out, NULL);                                /* Actor1Geo */
    put_geo(out, NULL);                                /* Actor2Geo */
    put_geo(out, &e->place);                           /* ActionGeo */
    put_field(out, st->date_added);
    const kh_dedup_report *m = &ev->mentions[0];
    put_text(out, m->url ? m->url : m->doc_id);
    kh_buf_addc(out, '\n');
}

/* -------------------------------------------------------------- mentions */

static long doc_offset(const kh_dedup_report *m, kh_span span)
{
    return span.start < 0 ? -1 : m->sentence_offset + span.start;
}

static void put_mention_row(kh_buf *out, const gdelt_state *st, const kh_dedup_event *ev,
                            const kh_dedup_report *m)
{
    put_number(out, (long long)ev->id);
    put_field(out, st->date_added);
    if (m->doc_date > 0) {
        kh_buf_add_long(out, m->doc_date, 8);
        kh_buf_add(out, "000000", 6);
    } else {
        kh_buf_adds(out, st->date_added);
    }
    kh_buf_addc(out, '\t');
    put_number(out, MENTION_TYPE_WEB);
    put_field(out, m->outlet ? m->outlet : m->doc_id);
    put_field(out, m->url ? m->url : m->doc_id);
    unsigned uncertain = KH_EVENT_HYPOTHETICAL | KH_EVENT_FUTURE | KH_EVENT_NEGATED;
    put_number(out, m->sent_no);
    put_number(out, doc_offset(m, m->source_span));
    put_number(out, doc_offset(m, m->target_span));
    put_number(out, doc_offset(m, m->verb_span));
    kh_buf_add(out, "1\t", 2);                         /* InRawText */
    put_number(out, (m->flags & uncertain) ? CONFIDENCE_UNCERTAIN : CONFIDENCE_PLAIN);
    kh_buf_add_long(out, (long long)m->doc_len, 0);
    kh_buf_add(out, "\t\t\t\n", 4);
}

/* An event's row and its mentions' rows are built in each stream's buffer
 * and written in one call per stream. */
static int write_merged(kh_writer *w, const kh_dedup_event *ev)
{
    gdelt_state *st = w->state;
    put_event_row(&w->buf, st, ev);
    for (size_t i = 0; i < ev->mention_count; i++)
        put_mention_row(&st->mentions.buf, st, ev, &ev->mentions[i]);
    /* Each flush reports its own failure; after one, stop. */
    if (kh_write_flush(w) != 0 || kh_write_flush(&st->mentions) != 0) {
        w->failed = 1;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */

/* A merged event is written with its first report, when the stage hands
 * that on: every mention is known by then. */
static int gdelt_add(kh_writer *w, const kh_write_item *it)
{
    for (size_t i = 0; it->refs && i < it->events->count; i++)
        if (it->refs[i].first && write_merged(w, it->refs[i].merged) != 0)
            return -1;
    return 0;
}

static int gdelt_close(kh_writer *w, int failed)
{
    gdelt_state *st = w->state;
    int rc = 0;
    if (st->mentions.out && kh_write_stream_close(&st->mentions, failed) != 0)
        rc = -1;
    if (w->out && kh_write_stream_close(w, failed || rc != 0) != 0)
        rc = -1;
    kh_buf_free(&st->mentions.buf);
    free(st->mentions.path);
    free(st->mentions.tmp_path);
    free(st);
    w->state = NULL;
    return rc;
}

static const kh_writer_ops gdelt_ops = {NULL, gdelt_add, gdelt_close, NULL};

static int gdelt_open(kh_writer *w)
{
    if (strcmp(w->path, "-") == 0) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "GDELT output needs a file name (it writes PATH and PATH"
                       GDELT_MENTIONS_SUFFIX "), not standard output");
        return -1;
    }
    gdelt_state *st = kh_xcalloc(1, sizeof *st);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(st->date_added, sizeof st->date_added, "%Y%m%d%H%M%S", &tm);
    st->mentions.diag = w->diag;
    st->mentions.path = kh_xmalloc(strlen(w->path) + sizeof GDELT_MENTIONS_SUFFIX);
    strcpy(st->mentions.path, w->path);
    strcat(st->mentions.path, GDELT_MENTIONS_SUFFIX);
    w->ops = &gdelt_ops;
    w->state = st;
    if (kh_write_stream_open(w) != 0 || kh_write_stream_open(&st->mentions) != 0) {
        gdelt_close(w, 1);
        return -1;
    }
    return 0;
}

const kh_write_backend kh_write_backend_gdelt = {{"gdelt", NULL}, {NULL}, gdelt_open, {NULL}};
