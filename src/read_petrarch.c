/*
 * read_petrarch.c -- PETRARCH XML (read.h): each <Sentence> with its <Text>
 * is a document; its attributes, its <EventCoding> expectations, its
 * <Parse> and the <Config> options met before it go to the document's
 * meta.  The <Environment> of a validation file is read by
 * kh_petrarch_environment.
 *
 * The file is fed to libxml2's push parser a block at a time; after each
 * block the elements it has finished are taken from the tree it builds,
 * in document order, made documents and freed, so that memory does not
 * grow with the file.  (xmlTextReader would be simpler, but in libxml2
 * 2.9 it stops at the first well-formedness error whatever
 * XML_PARSE_RECOVER says, and validation files have such errors -- "--"
 * in comments; the push parser recovers exactly as xmlReadMemory did.)
 * libxml2's limits on entity expansion and node sizes stay on (no
 * XML_PARSE_HUGE): a sentence is never near them.  A file they stop
 * (a "billion laughs") is reported as such and left; a <Text> whose
 * entity references expand past KH_XML_MAX_TEXT_BYTES is skipped, its
 * expansion cut off there, whatever the version of libxml2 allows.
 */
#include "read_format.h"
#include "read_petrarch.h"
#include "date.h"
#include "kh_limits.h"
#include "util.h"
#include "vec.h"

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

/* An attribute's value, as xmlNodeListGetString(doc, a->children, 1)
 * gives it, and the copy to free (NULL if none was made): most values
 * are one text node, read where it is. */
static const char *attr_value(xmlNodePtr n, xmlAttrPtr a, xmlChar **copy)
{
    xmlNodePtr c = a->children;
    *copy = NULL;
    if (c && !c->next && c->type == XML_TEXT_NODE)
        return c->content ? (const char *)c->content : "";
    *copy = xmlNodeListGetString(n->doc, c, 1);
    return *copy ? (const char *)*copy : "";
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
        xmlChar *v;
        const char *s = attr_value(coding, a, &v);
        if (a != coding->properties)
            kh_read_buffer_add(b, " ", 1);
        kh_read_buffer_add(b, (const char *)a->name, strlen((const char *)a->name));
        kh_read_buffer_add(b, "=", 1);
        kh_read_buffer_add(b, s, strlen(s));
        xmlFree(v);
    }
}

/* <EventCoding> children to meta "expected" ("SRC TGT CODE;...",
 * present whenever there is one) and "expected_other". */
static void petr_expected(xmlNodePtr sentence, kh_doc *d)
{
    kh_read_buffer events = {0}, other = {0};
    int any = 0;
    for (xmlNodePtr c = sentence->children; c; c = c->next) {
        if (!tag_is(c, "EventCoding"))
            continue;
        if (!any)               /* "expected" is present, if empty */
            kh_read_buffer_add(&events, "", 0);
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

/* The parser's options: forgiving, quiet, never on the network.  Line
 * numbers past 65,535 are kept (BIG_LINES: without it libxml2 reports
 * every line after that as 65535, and a large file's warnings all named
 * one line).  Small text nodes -- the blanks between elements, most of
 * the nodes of a file -- are stored in their node rather than in a
 * malloc'd string of their own (COMPACT: the tree is only read, then
 * freed). */
#define PETR_XML_OPTIONS (XML_PARSE_RECOVER | XML_PARSE_NONET | \
                          XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
                          XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

/* Text fed to the parser at a time: a tuning value. */
#define PETR_FEED_BYTES 65536

typedef KH_VEC(kh_doc) petr_docs;

/* What the parse carries from block to block: the documents made from
 * the last block and not yet returned, how many sentences it has met,
 * and the <Config> options met since the last document, which go to the
 * next one's meta. */
typedef struct petr_state {
    xmlParserCtxtPtr xml;
    int ended;           /* the whole input has been fed */
    petr_docs ready;
    size_t ready_next;
    size_t found;
    kh_doc config;       /* only its meta is used */
    char feed[PETR_FEED_BYTES];
} petr_state;

/* <Config option= value=> as meta "config:OPTION" = VALUE. */
static void petr_config(kh_read_input *in, xmlNodePtr n, petr_state *st)
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
static void take_config(kh_doc *d, petr_state *st)
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
        xmlChar *v;
        const char *s = attr_value(n, a, &v);
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

/* libxml2's largest line number in a node's own field; past it, with
 * XML_PARSE_BIG_LINES, xmlGetLineNo takes an element's line from its
 * first child, a text node, which records the line its first piece of
 * text ended on. */
#define XML_NODE_MAX_LINE 65535

/* The line element n starts on.  Past XML_NODE_MAX_LINE it is the first
 * child's line less the line ends in it when that child is blank (the
 * "\n" between <Sentence> and <Text>, parsed in one piece): exact.  When
 * it is not blank (a <Parse>'s tree), the line where libxml2's first
 * piece of that text ended, a few lines late at most. */
static long node_line(xmlNodePtr n)
{
    long line = xmlGetLineNo(n);
    xmlNodePtr c = n->children;
    if (n->line < XML_NODE_MAX_LINE || !c || c->type != XML_TEXT_NODE || !c->content ||
        !xmlIsBlankNode(c))
        return line;
    for (const xmlChar *t = c->content; *t; t++)
        line -= *t == '\n';
    return line;
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
        snprintf(line, sizeof line, "%ld", node_line(c));
        kh_read_meta_add(d, "parse", t ? (const char *)t : "");
        kh_read_meta_add(d, "parse_line", line);
        xmlFree(t);
        return;
    }
}

/* Appends the text under the nodes from `first` on to b, entity
 * references expanded, until b would pass KH_XML_MAX_TEXT_BYTES: the
 * work is bounded by that, not by what the entities multiply to.
 * Returns 0, or -1 when the text is longer. */
static int petr_text(xmlNodePtr first, kh_read_buffer *b, int depth)
{
    if (depth > KH_XML_MAX_ENTITY_DEPTH)
        return -1;
    for (xmlNodePtr c = first; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            size_t k = c->content ? strlen((const char *)c->content) : 0;
            if (b->len + k > KH_XML_MAX_TEXT_BYTES)
                return -1;
            kh_read_buffer_add(b, (const char *)c->content, k);
        } else if (c->type == XML_ELEMENT_NODE) {
            if (petr_text(c->children, b, depth + 1) < 0)
                return -1;
        } else if (c->type == XML_ENTITY_REF_NODE) {
            /* its child is the entity's declaration, whose children are
             * the parsed replacement text */
            xmlNodePtr e = c->children;
            if (e && e->type == XML_ENTITY_DECL && petr_text(e->children, b, depth + 1) < 0)
                return -1;
        }
    }
    return 0;
}

/* One <Sentence> to *d.  Returns 1, or 0 after reporting it. */
static int petr_sentence(kh_read_input *in, xmlNodePtr n, petr_state *st,
                         kh_doc *d)
{
    long line = node_line(n);
    xmlNodePtr text = NULL;
    for (xmlNodePtr c = n->children; c && !text; c = c->next)
        if (tag_is(c, "Text"))
            text = c;
    if (!text) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "<Sentence> without <Text>");
        return 0;
    }
    kh_read_buffer t = {0};
    kh_read_buffer_add(&t, "", 0);
    if (petr_text(text->children, &t, 0) < 0) {
        free(t.data);
        kh_read_skip(in, KH_READ_MALFORMED, line, "<Text> longer than "
                     KH_LIMIT_TEXT(KH_XML_MAX_TEXT_BYTES) " bytes with its entities "
                     "expanded; sentence skipped");
        return 0;
    }
    int ok = kh_read_set_text(in, d, t.data, t.len, 1);
    free(t.data);
    if (!ok) {
        kh_read_skip(in, KH_READ_EMPTY, line, "<Sentence> with empty <Text>");
        return 0;
    }
    petr_attrs(in, n, d, line);
    take_config(d, st);
    petr_expected(n, d);
    petr_parse(n, d);
    kh_read_finish_doc(in, d, 0);
    return 1;
}

static void petr_walk(kh_read_input *in, xmlNodePtr n, petr_state *st);

/* A finished node of the tree, in document order: a <Sentence> becomes a
 * document, a <Config> is kept for the next, other elements are walked. */
static void petr_visit(kh_read_input *in, xmlNodePtr c, petr_state *st)
{
    if (tag_is(c, "Sentence")) {
        kh_doc d = {0};
        st->found++;
        if (petr_sentence(in, c, st, &d))
            *KH_VEC_PUSH(&st->ready) = d;
    } else if (tag_is(c, "Config")) {
        petr_config(in, c, st);
    } else if (c->type == XML_ELEMENT_NODE) {
        petr_walk(in, c, st);
    }
}

static void petr_walk(kh_read_input *in, xmlNodePtr n, petr_state *st)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        petr_visit(in, c, st);
}

/* Whether the parser has yet to close element n.  Once the end is fed
 * none is open: elements a broken file leaves open are taken as they
 * are, as a tree parse of the whole file would. */
static int petr_open(const petr_state *st, xmlNodePtr n)
{
    for (int i = 0; !st->ended && i < st->xml->nodeNr; i++)
        if (st->xml->nodeTab[i] == n)
            return 1;
    return 0;
}

/* Visits and frees the children of `parent` the parser has finished, up
 * to the one it is in (the last: nothing after it is parsed yet), whose
 * own finished children go too unless it is a <Sentence> or <Config>,
 * which are visited whole.  Kept: a text node the parser may still add
 * to, and nodes the document owns (its DTD). */
static void petr_harvest(kh_read_input *in, petr_state *st, xmlNodePtr parent)
{
    xmlParserCtxtPtr xml = st->xml;
    xmlNodePtr c = parent->children, next;
    for (; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && petr_open(st, c)) {
            if (!tag_is(c, "Sentence") && !tag_is(c, "Config"))
                petr_harvest(in, st, c);
            return;
        }
        if (!next && c->type == XML_TEXT_NODE && parent == xml->node && !st->ended)
            return;
        petr_visit(in, c, st);
        if (c->type == XML_ELEMENT_NODE || c->type == XML_TEXT_NODE ||
            c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE ||
            c->type == XML_CDATA_SECTION_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
}

static void petr_start(kh_read_input *in)
{
    petr_state *st = kh_xcalloc(1, sizeof *st);
    in->state = st;
    /* As xmlReadMemory(..., "UTF-8", options) sets up its parser: the
     * text is UTF-8 whatever its declaration says. */
    st->xml = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, in->name);
    if (st->xml) {
        xmlCtxtResetPush(st->xml, NULL, 0, in->name, "UTF-8");
        xmlCtxtUseOptions(st->xml, PETR_XML_OPTIONS);
    }
}

/* Feeds the next block and takes what it finished.  Returns 0 once the
 * end has been fed. */
static int petr_feed(kh_read_input *in, petr_state *st)
{
    if (st->ended || !st->xml)
        return 0;
    size_t n = kh_read_block(in, st->feed, sizeof st->feed);
    st->ended = n == 0;
    xmlParseChunk(st->xml, st->feed, (int)n, st->ended);
    if (st->xml->errNo == XML_ERR_ENTITY_LOOP) {
        /* libxml2 has stopped the parse; what it built of the sentence
         * in progress is cut short, so nothing more is taken. */
        kh_read_skip(in, KH_READ_MALFORMED, st->xml->input ? st->xml->input->line : 0,
                     "entity references expand too far (libxml2 stops a "
                     "\"billion laughs\" file); the rest of the file is skipped");
        st->ended = 1;
        st->found++;        /* no "no <Sentence>" on top */
        return 1;
    }
    if (st->xml->myDoc)
        petr_harvest(in, st, (xmlNodePtr)st->xml->myDoc);
    if (st->ended && !st->found)
        kh_read_skip(in, KH_READ_MALFORMED, 0,
                     st->xml->myDoc ? "no <Sentence> elements" : "cannot parse XML");
    return 1;
}

static int petr_next(kh_read_input *in, kh_doc *out)
{
    petr_state *st = in->state;
    do {
        if (st->ready_next < st->ready.count) {
            *out = st->ready.items[st->ready_next++];
            return 1;
        }
        st->ready.count = st->ready_next = 0;
    } while (petr_feed(in, st));
    return 0;
}

static void petr_close(kh_read_input *in)
{
    petr_state *st = in->state;
    if (!st)
        return;
    for (size_t i = st->ready_next; i < st->ready.count; i++)
        kh_doc_clear(&st->ready.items[i]);
    KH_VEC_FREE(&st->ready);
    kh_doc_clear(&st->config);     /* options after the last sentence */
    if (st->xml) {
        xmlFreeDoc(st->xml->myDoc);
        xmlFreeParserCtxt(st->xml);
    }
    free(st);
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
    .next = petr_next,
    .close = petr_close,
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
    /* A validation file is small: read as a tree, with the same guards. */
    xmlDocPtr doc = xmlReadFile(path, NULL, PETR_XML_OPTIONS);
    if (!doc)
        return -1;
    find_environments((xmlNodePtr)doc, env);
    env->path = kh_xstrdup(path);
    xmlFreeDoc(doc);
    return 0;
}
