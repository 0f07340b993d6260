/*
 * dict_ontology.c -- PETRARCH's internal coding ontology (PICO): each
 * CAMEO code as a number whose hex digits are its category, and the
 * negation that PETRARCH-2 derives from it.
 *
 * A line is "CODE:VALUE" with more values after "#" and a name or a
 * comment last: "110:0x1007f#0xFFFF+0x0080#0x7000#Disapprove".  A value
 * is a sum of hex terms ("-0xFFFF+0x2040+0x300").  PETRARCH-2 codes "not
 * doing X" as X minus 0xFFFF (its manual: "WILL NOT HELP" = 0x0040 -
 * 0xFFFF = "REFUSE TO HELP"), so the negation of a code is the code whose
 * value that is, when the ontology has one.
 */
#include "dict_read.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What PETRARCH-2 subtracts from a code's value for "not". */
#define KH_PICO_NEGATION 0xFFFF

/* Parses a sum of terms, hex ("0x2040") or decimal ("0", the null
 * code's), filling all of `s` (blanks allowed between terms); 0 with
 * *value set, or -1 when `s` is not one (a name or a comment). */
static int parse_value(const char *s, long *value)
{
    long sum = 0;
    int terms = 0;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        int sign = 1;
        if (*s == '+' || *s == '-')
            sign = *s++ == '-' ? -1 : 1;
        int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        if (hex ? !isxdigit((unsigned char)s[2]) : !isdigit((unsigned char)s[0]))
            return -1;
        char *end;
        sum += sign * strtol(hex ? s + 2 : s, &end, hex ? 16 : 10);
        if (*end && !isspace((unsigned char)*end) && *end != '+' && *end != '-')
            return -1;
        s = end;
        terms++;
    }
    if (!terms)
        return -1;
    *value = sum;
    return 0;
}

static void add_entry(kh_dict *dict, const char *code, long value, int primary,
                      kh_origin origin)
{
    kh_ontology_entry *e = KH_VEC_PUSH(&dict->ontology);
    e->code = code;
    e->value = value;
    e->primary = primary;
    e->origin = origin;
}

/* One line, NUL-terminated and writable.  Returns the entries added. */
static int ontology_line(kh_dict *dict, char *line, kh_origin origin, kh_diag *diag)
{
    char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p || *p == '#')
        return 0;
    char *colon = strchr(p, ':');
    size_t n = colon ? (size_t)(colon - p) : 0;
    /* digits, or "---" for the null code */
    if (!n || n > KH_MAX_EVENT_CODE || strspn(p, "0123456789-") != n) {
        kh_diag_report(diag, KH_ERROR, origin.file, origin.line,
                       "ontology line is not CODE:VALUE");
        return 0;
    }
    const char *code = kh_dict_intern(dict, p, n);
    int added = 0;
    for (char *seg = colon + 1; seg;) {
        char *hash = strchr(seg, '#');
        if (hash)
            *hash = 0;
        long value;
        if (parse_value(seg, &value) < 0)
            break;                   /* the name or a comment */
        add_entry(dict, code, value, added == 0, origin);
        added++;
        seg = hash ? hash + 1 : NULL;
    }
    if (!added)
        kh_diag_report(diag, KH_ERROR, origin.file, origin.line, "ontology code %s has no value",
                       code);
    return added;
}

int kh_dict_read_ontology(kh_dict *dict, const char *name, const char *text,
                          size_t len, kh_diag *diag, kh_dict_read_stats *stats)
{
    kh_dict_read_stats local;
    kh_dict_read_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    st->syntax = KH_SYNTAX_PETRARCH2;
    kh_origin origin = {name, 0};
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        char *line = kh_xstrndup(text + at, end - at);
        origin.line++;
        st->lines++;
        st->entries += ontology_line(dict, line, origin, diag);
        free(line);
        at = end + 1;
    }
    return 0;
}

static const kh_ontology_entry *primary_entry(const kh_dict *dict, const char *code)
{
    for (size_t i = 0; i < dict->ontology.count; i++) {
        const kh_ontology_entry *e = &dict->ontology.items[i];
        if (e->primary && strcmp(e->code, code) == 0)
            return e;
    }
    return NULL;
}

const char *kh_dict_negated_code(const kh_dict *dict, const char *code)
{
    const kh_ontology_entry *e = primary_entry(dict, code);
    if (!e)
        return NULL;
    long want = e->value - KH_PICO_NEGATION;
    for (size_t i = 0; i < dict->ontology.count; i++)
        if (dict->ontology.items[i].value == want)
            return dict->ontology.items[i].code;
    return NULL;
}
