/*
 * read_petrarch.c -- PETRARCH XML (read.h): each <Sentence> with its <Text>
 * is a document; its attributes, its <EventCoding> expectations, its
 * <Parse> and the <Config> options met before it go to the document's
 * meta.  The
 * <Environment> of a validation file is read by kh_petrarch_environment.
 */
#include "read_format.h"
#include "read_petrarch.h"
#include "date.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static int tag_is(xmlNodePtr n, const char *tag)
{
    return n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, BAD_CAST tag);
}

static char *xml_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *s = v ? kh_xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* ---- what the validation file expects ---- */

static const char *const petr_code_attrs[] = {"sourcecode", "targetcode",
                                              "eventcode"};

/* Appends a code without its blanks ("---" when it has none): codes
 * have none, and the file's quoting may add them ('"INJURY TOLL"'). */
static void add_code(kh_read_buffer *b, const char *code)
{
    size_t before = b->len;
    for (; code && *code; code++)
        if (*code != ' ' && *code != '\t')
            kh_read_buffer_add(b, code, 1);
    if (b->len == before)
        kh_read_buffer_add(b, "---", 3);
}

/* "SRC TGT CODE" of an <EventCoding> that names all three; 0 (adding
 * nothing) for one that says something else (noevents=, error=). */
static int add_event(kh_read_buffer *b, xmlNodePtr coding)
{
    char *v[3];
    int all = 1;
    for (int i = 0; i < 3; i++)
        all &= (v[i] = xml_attr(coding, petr_code_attrs[i])) != NULL;
    if (all && b->len)
        kh_read_buffer_add(b, ";", 1);
    for (int i = 0; all && i < 3; i++) {
        if (i)
            kh_read_buffer_add(b, " ", 1);
        add_code(b, v[i]);
    }
    for (int i = 0; i < 3; i++)
        free(v[i]);
    return all;
}

/* An <EventCoding> that is not an event, as "name=value ...". */
static void add_other(kh_read_buffer *b, xmlNodePtr coding)
{
    if (b->len)
        kh_read_buffer_add(b, ";", 1);
    for (xmlAttrPtr a = coding->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(coding->doc, a->children, 1);
        if (a != coding->properties)
            kh_read_buffer_add(b, " ", 1);
        kh_read_buffer_add(b, (const char *)a->name, strlen((const char *)a->name));
        kh_read_buffer_add(b, "=", 1);
        kh_read_buffer_add(b, v ? (const char *)v : "", v ? strlen((const char *)v) : 0);
        xmlFree(v);
    }
}

/* <EventCoding> children to meta "expected" ("SRC TGT CODE;...",
 * present whenever there is one) and "expected_other". */
static void petr_expected(xmlNodePtr sentence, kh_doc *d)
{
    kh_read_buffer events = {0}, other = {0};
    int any = 0;
    kh_read_buffer_add(&events, "", 0);
    for (xmlNodePtr c = sentence->children; c; c = c->next) {
        if (!tag_is(c, "EventCoding"))
            continue;
        any = 1;
        if (!add_event(&events, c))
            add_other(&other, c);
    }
    if (any)
        kh_read_meta_add(d, "expected", events.data);
    if (other.len)
        kh_read_meta_add(d, "expected_other", other.data);
    free(events.data);
    free(other.data);
}

/* ---- sentences ---- */

/* What the walk carries from element to element: how many sentences it
 * has met, and the <Config> options met since the last document, which
 * go to the next one's meta. */
typedef struct petr_walk_state {
    size_t found;
    kh_doc config;    /* only its meta is used */
} petr_walk_state;

/* <Config option= value=> as meta "config:OPTION" = VALUE. */
static void petr_config(kh_read_input *in, xmlNodePtr n, petr_walk_state *st)
{
    char *opt = xml_attr(n, "option"), *val = xml_attr(n, "value");
    char *o = opt ? kh_read_clean_field(in, opt, strlen(opt)) : NULL;
    char *v = val ? kh_read_clean_field(in, val, strlen(val)) : NULL;
    if (o && v) {
        char *key = kh_xmalloc(strlen("config:") + strlen(o) + 1);
        strcat(strcpy(key, "config:"), o);
        kh_read_meta_add(&st->config, key, v);
        free(key);
    }
    free(opt), free(val), free(o), free(v);
}

/* Moves the pending <Config> meta onto d. */
static void take_config(kh_doc *d, petr_walk_state *st)
{
    for (size_t i = 0; i < st->config.meta_count; i++) {
        kh_meta *m = &st->config.meta[i];
        kh_read_meta_add(d, m->key, m->value);
    }
    kh_doc_clear(&st->config);
}

static void petr_attrs(kh_read_input *in, xmlNodePtr n, kh_doc *d, long line)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *k = (const char *)a->name;
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        const char *s = v ? (const char *)v : "";
        /* recovering parsers may hand us an attribute twice */
        if (!strcmp(k, "id"))
            free(d->id), d->id = kh_read_clean_field(in, s, strlen(s));
        else if (!strcmp(k, "date") && !(d->date = kh_date_parse(s)))
            kh_read_warn(in, line, "Sentence date is not YYYYMMDD; ignored");
        else if (!strcmp(k, "source"))
            free(d->source), d->source = kh_read_clean_field(in, s, strlen(s));
        else if (strcmp(k, "date"))
            kh_read_meta_add(d, k, s);
        xmlFree(v);
    }
}

/* The sentence's <Parse>, raw, to meta "parse", and the line it starts
 * on to "parse_line", so that a given parse's problems are reported
 * where they are in the file. */
static void petr_parse(xmlNodePtr sentence, kh_doc *d)
{
    for (xmlNodePtr c = sentence->children; c; c = c->next) {
        if (!tag_is(c, "Parse"))
            continue;
        xmlChar *t = xmlNodeGetContent(c);
        char line[32];
        snprintf(line, sizeof line, "%ld", (long)xmlGetLineNo(c));
        kh_read_meta_add(d, "parse", t ? (const char *)t : "");
        kh_read_meta_add(d, "parse_line", line);
        xmlFree(t);
        return;
    }
}

static void petr_sentence(kh_read_input *in, xmlNodePtr n, petr_walk_state *st)
{
    long line = xmlGetLineNo(n);
    xmlNodePtr text = NULL;
    for (xmlNodePtr c = n->children; c && !text; c = c->next)
        if (tag_is(c, "Text"))
            text = c;
    if (!text) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "<Sentence> without <Text>");
        return;
    }
    kh_doc d = {0};
    xmlChar *t = xmlNodeGetContent(text);
    int ok = t && kh_read_set_text(in, &d, (const char *)t, strlen((const char *)t), 1);
    xmlFree(t);
    if (!ok) {
        kh_read_skip(in, KH_READ_EMPTY, line, "<Sentence> with empty <Text>");
        return;
    }
    petr_attrs(in, n, &d, line);
    take_config(&d, st);
    petr_expected(n, &d);
    petr_parse(n, &d);
    kh_read_finish_doc(in, &d, 0);
    kh_read_push_doc(in, &d);
}

static void petr_walk(kh_read_input *in, xmlNodePtr n, petr_walk_state *st)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (tag_is(c, "Sentence")) {
            st->found++;
            petr_sentence(in, c, st);
        } else if (tag_is(c, "Config")) {
            petr_config(in, c, st);
        } else if (c->type == XML_ELEMENT_NODE) {
            petr_walk(in, c, st);
        }
    }
}

static void petr_start(kh_read_input *in)
{
    xmlDocPtr doc = xmlReadMemory(in->data, (int)(in->len < INT_MAX ? in->len : INT_MAX),
                                  in->name, "UTF-8",
                                  XML_PARSE_RECOVER | XML_PARSE_NONET |
                                      XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_HUGE);
    petr_walk_state st = {0, {0}};
    if (doc)
        petr_walk(in, (xmlNodePtr)doc, &st);
    if (!st.found)
        kh_read_skip(in, KH_READ_MALFORMED, 0,
                     doc ? "no <Sentence> elements" : "cannot parse XML");
    kh_doc_clear(&st.config);     /* options after the last sentence */
    xmlFreeDoc(doc);
}

/* XML with <Sentence> elements near its start; other XML is left to the
 * HTML reader, which is tried after this one. */
static int petr_sniff(const char *d, size_t n)
{
    return n > 0 && d[0] == '<' &&
           kh_read_contains_ci(d, n < KH_SNIFF_BYTES ? n : KH_SNIFF_BYTES,
                               "<sentence");
}

static const char *const petr_names[] = {"petrarch", "xml", "petr", NULL};
static const char *const petr_extensions[] = {"xml", NULL};

const kh_read_backend kh_read_petrarch = {
    .format = KH_FORMAT_PETRARCH,
    .names = petr_names,
    .sniff = petr_sniff,
    .extensions = petr_extensions,
    .start = petr_start,
};

/* ---- the <Environment> of a validation file ---- */

/* The dictionary files an <Environment> names, by the kind names of
 * dict.h's kh_dict_kind_parse. */
static const struct {
    const char *tag, *kind;
} petr_dict_tags[] = {
    {"Verbfile", "verbs"},       {"Actorfile", "actors"},
    {"Agentfile", "agents"},     {"Discardfile", "discards"},
    {"Issuefile", "issues"},     {"PICOfile", "ontology"}};

/* The element's text without the blanks around it, as a new string. */
static char *trimmed_content(xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = c ? (const char *)c : "";
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    while (len && strchr(" \t\r\n", *s))
        s++, len--;
    char *out = kh_xstrndup(s, len);
    xmlFree(c);
    return out;
}

static void petr_environment(xmlNodePtr env, kh_doc *out)
{
    size_t kinds = sizeof petr_dict_tags / sizeof *petr_dict_tags;
    for (xmlNodePtr c = env->children; c; c = c->next)
        for (size_t k = 0; k < kinds; k++)
            if (tag_is(c, petr_dict_tags[k].tag)) {
                char *name = trimmed_content(c);
                kh_read_meta_add(out, petr_dict_tags[k].kind, name);
                free(name);
            }
}

static void find_environments(xmlNodePtr n, kh_doc *out)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (tag_is(c, "Environment"))
            petr_environment(c, out);
        else if (c->type == XML_ELEMENT_NODE && !tag_is(c, "Sentence"))
            find_environments(c, out);
    }
}

int kh_petrarch_environment(const char *path, kh_doc *env)
{
    xmlDocPtr doc = xmlReadFile(path, NULL,
                                XML_PARSE_RECOVER | XML_PARSE_NONET |
                                    XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_HUGE);
    if (!doc)
        return -1;
    find_environments((xmlNodePtr)doc, env);
    env->path = kh_xstrdup(path);
    xmlFreeDoc(doc);
    return 0;
}
