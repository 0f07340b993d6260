/*
 * read_petrarch.c -- PETRARCH XML (read.h): each <Sentence> with its <Text>
 * is a document; its attributes, its <EventCoding> expectations, its
 * <Parse> and the <Config> options met before it go to the document's
 * meta.  The <Environment> of a validation file is read by
 * kh_petrarch_environment.
 *
 * The file is fed to libxml2's push parser a block at a time.  A file
 * with no DOCTYPE (every real one: a DOCTYPE is where entities would be
 * declared) is read through SAX callbacks that keep only the <Sentence>
 * in progress: no tree is built, which halves the parser's work.  A file
 * with a DOCTYPE is read as a tree: after each block the elements it has
 * finished are taken from the tree, in document order, made documents
 * and freed, so that memory does not grow with the file either; the tree
 * is what expands declared entities within the bounds below.  Both paths
 * gather a sentence into one petr_sentence and make the document from it
 * alike.  (xmlTextReader would be simpler, but in libxml2 2.9 it stops at
 * the first well-formedness error whatever XML_PARSE_RECOVER says, and
 * validation files have such errors -- "--" in comments; the push parser
 * recovers exactly as xmlReadMemory did.)
 * libxml2's limits on entity expansion and node sizes stay on (no
 * XML_PARSE_HUGE): a sentence is never near them.  A file they stop
 * (a "billion laughs") is reported as such and left; a <Text> whose
 * entity references expand past KH_XML_MAX_TEXT_BYTES is skipped, its
 * expansion cut off there, whatever the version of libxml2 allows.
 */
#include "read_format.h"
#include "read_petrarch.h"
#include "arena.h"
#include "date.h"
#include "kh_limits.h"
#include "util.h"
#include "vec.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>  /* nodePush, nodePop */
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

/* ---- a sentence, as either path gathers it ---- */

/* name is the parser's dictionary's (alive as long as the parser, longer
 * than the sentence) or the sentence's arena's; value is the arena's. */
typedef struct petr_attr {
    const char *name;
    char *value;
} petr_attr;

typedef KH_VEC(petr_attr) petr_attrs;

/* A <Sentence>: what its document is made of (petr_emit).  The first
 * <Text> child and the first <Parse> child count, and every
 * <EventCoding> child. */
typedef struct petr_sentence {
    long line;                /* where it starts */
    petr_attrs attrs;         /* its attributes, in order */
    kh_arena strings;         /* theirs */
    int has_text;
    int text_too_long;        /* past KH_XML_MAX_TEXT_BYTES, or nested
                                 past KH_XML_MAX_ENTITY_DEPTH */
    kh_read_buffer text;
    int codings;              /* <EventCoding> children met */
    kh_read_buffer events;    /* "SRC TGT CODE;..." */
    kh_read_buffer other;     /* the codings that are not events */
    int has_parse;
    long parse_line;
    kh_read_buffer parse;
} petr_sentence;

/* Ready for the next sentence; its buffers kept for it. */
static void petr_sentence_reset(petr_sentence *ps)
{
    kh_arena_reset(&ps->strings);
    ps->attrs.count = 0;
    ps->has_text = ps->text_too_long = ps->codings = ps->has_parse = 0;
    ps->text.len = ps->events.len = ps->other.len = ps->parse.len = 0;
    ps->line = ps->parse_line = 0;
}

static void petr_sentence_free(petr_sentence *ps)
{
    kh_arena_free(&ps->strings);
    KH_VEC_FREE(&ps->attrs);
    free(ps->text.data);
    free(ps->events.data);
    free(ps->other.data);
    free(ps->parse.data);
    memset(ps, 0, sizeof *ps);
}

/* An attribute of the sentence.  A name from the parser's dictionary
 * (`interned`: every name but a "prefix:name" built for the occasion)
 * outlives the sentence and is kept as it is, not copied: most names
 * are such, four of the eight strings of a bench <Sentence>. */
static void add_attr(petr_sentence *ps, const char *name, int interned, const char *value,
                     size_t value_len)
{
    petr_attr *a = KH_VEC_PUSH(&ps->attrs);
    a->name = interned ? name : kh_arena_strdup(&ps->strings, name);
    a->value = kh_arena_strndup(&ps->strings, value, value_len);
}

/* Appends text to the <Text>'s, unless that would pass
 * KH_XML_MAX_TEXT_BYTES: the work is bounded by that, not by what the
 * entities multiply to. */
static void add_text(petr_sentence *ps, const char *text, size_t n)
{
    if (ps->text_too_long || ps->text.len + n > KH_XML_MAX_TEXT_BYTES)
        ps->text_too_long = 1;
    else
        kh_read_buffer_add(&ps->text, text, n);
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

/* An <EventCoding> met: "expected" is present, if empty, once there is
 * one. */
static void begin_coding(petr_sentence *ps)
{
    if (!ps->codings++)
        kh_read_buffer_add(&ps->events, "", 0);
}

/* "SRC TGT CODE" of an <EventCoding> that names all three. */
static void add_event(petr_sentence *ps, const char *const v[3])
{
    kh_read_buffer *b = &ps->events;
    if (b->len)
        kh_read_buffer_add(b, ";", 1);
    for (int i = 0; i < 3; i++) {
        if (i)
            kh_read_buffer_add(b, " ", 1);
        add_code(b, v[i]);
    }
}

/* An <EventCoding> that is not an event, as "name=value ...": it begins
 * after a ';', then each attribute. */
static void begin_other(petr_sentence *ps)
{
    if (ps->other.len)
        kh_read_buffer_add(&ps->other, ";", 1);
}

static void add_other(petr_sentence *ps, int first, const char *name, const char *value,
                      size_t value_len)
{
    kh_read_buffer *b = &ps->other;
    if (!first)
        kh_read_buffer_add(b, " ", 1);
    kh_read_buffer_add(b, name, strlen(name));
    kh_read_buffer_add(b, "=", 1);
    kh_read_buffer_add(b, value, value_len);
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
 * the <Config> options met since the last document, which go to the
 * next one's meta, and, reading without a tree, where the callbacks
 * are. */
typedef struct petr_state {
    kh_read_input *in;
    xmlParserCtxtPtr xml;
    int ended;           /* the whole input has been fed */
    int started;         /* the parser is made (at the first block) */
    int streaming;       /* SAX callbacks, no tree */
    petr_docs ready;
    size_t ready_next;
    size_t found;
    kh_doc config;       /* only its meta is used */
    /* streaming: the depths, on the parser's node stack, of the
     * elements gathered (0: none open), and what stands for every
     * element on that stack (no tree node is made) */
    long config_depth, sentence_depth, text_depth, parse_depth;
    petr_sentence sentence;   /* the <Sentence> open */
    xmlNode marker;
    char feed[PETR_FEED_BYTES];
} petr_state;

/* <Config option= value=> as meta "config:OPTION" = VALUE. */
static void petr_config(petr_state *st, const char *opt, const char *val)
{
    kh_read_input *in = st->in;
    char *o = opt ? kh_read_clean_field(in, opt, strlen(opt)) : NULL;
    char *v = val ? kh_read_clean_field(in, val, strlen(val)) : NULL;
    if (o && v) {
        char *key = kh_xmalloc(strlen("config:") + strlen(o) + 1);
        strcat(strcpy(key, "config:"), o);
        kh_read_meta_add(&st->config, key, v);
        free(key);
    }
    free(o), free(v);
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

/* A <Sentence> attribute to d: id, date and source to their fields, the
 * rest to meta.  A recovering parser may hand one over twice: the last
 * counts. */
static void petr_attr_to_doc(kh_read_input *in, kh_doc *d, const char *k, const char *s,
                             long line)
{
    if (!strcmp(k, "id"))
        free(d->id), d->id = kh_read_clean_field(in, s, strlen(s));
    else if (!strcmp(k, "date") && !(d->date = kh_date_parse(s)))
        kh_read_warn(in, line, "Sentence date is not YYYYMMDD; ignored");
    else if (!strcmp(k, "source"))
        free(d->source), d->source = kh_read_clean_field(in, s, strlen(s));
    else if (strcmp(k, "date"))
        kh_read_meta_add(d, k, s);
}

/* The gathered sentence to *d, or reported.  Returns 1, or 0 after
 * reporting it. */
static int petr_emit(petr_state *st, const petr_sentence *ps, kh_doc *d)
{
    kh_read_input *in = st->in;
    if (!ps->has_text) {
        kh_read_skip(in, KH_READ_MALFORMED, ps->line, "<Sentence> without <Text>");
        return 0;
    }
    if (ps->text_too_long) {
        kh_read_skip(in, KH_READ_MALFORMED, ps->line, "<Text> longer than "
                     KH_LIMIT_TEXT(KH_XML_MAX_TEXT_BYTES) " bytes with its entities "
                     "expanded; sentence skipped");
        return 0;
    }
    if (!kh_read_set_text(in, d, ps->text.data ? ps->text.data : "", ps->text.len, 1)) {
        kh_read_skip(in, KH_READ_EMPTY, ps->line, "<Sentence> with empty <Text>");
        return 0;
    }
    for (size_t i = 0; i < ps->attrs.count; i++)
        petr_attr_to_doc(in, d, ps->attrs.items[i].name, ps->attrs.items[i].value, ps->line);
    take_config(d, st);
    if (ps->codings)
        kh_read_meta_add(d, "expected", ps->events.data);
    if (ps->other.len)
        kh_read_meta_add(d, "expected_other", ps->other.data);
    if (ps->has_parse) {
        char line[32];
        snprintf(line, sizeof line, "%ld", ps->parse_line);
        kh_read_meta_add(d, "parse", ps->parse.data ? ps->parse.data : "");
        kh_read_meta_add(d, "parse_line", line);
    }
    kh_read_finish_doc(in, d, 0);
    return 1;
}

/* A sentence is met: counted, and its document made ready, or reported. */
static void petr_finish_sentence(petr_state *st, petr_sentence *ps)
{
    kh_doc d = {0};
    st->found++;
    if (petr_emit(st, ps, &d))
        *KH_VEC_PUSH(&st->ready) = d;
    else
        kh_doc_clear(&d);
    petr_sentence_reset(ps);
}

/* ---- the tree path (a file with a DOCTYPE) ---- */

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

/* Appends the text under the nodes from `first` on to the sentence's,
 * entity references expanded, until it would pass KH_XML_MAX_TEXT_BYTES.
 * Returns 0, or -1 when the text is longer or nested too deep. */
static int tree_text(xmlNodePtr first, petr_sentence *ps, int depth)
{
    if (depth > KH_XML_MAX_ENTITY_DEPTH)
        return -1;
    for (xmlNodePtr c = first; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const char *t = c->content ? (const char *)c->content : "";
            add_text(ps, t, strlen(t));
            if (ps->text_too_long)
                return -1;
        } else if (c->type == XML_ELEMENT_NODE) {
            if (tree_text(c->children, ps, depth + 1) < 0)
                return -1;
        } else if (c->type == XML_ENTITY_REF_NODE) {
            /* its child is the entity's declaration, whose children are
             * the parsed replacement text */
            xmlNodePtr e = c->children;
            if (e && e->type == XML_ENTITY_DECL && tree_text(e->children, ps, depth + 1) < 0)
                return -1;
        }
    }
    return 0;
}

/* "expected" and "expected_other" of an <EventCoding>, its codes as
 * xmlGetProp gives them (with a DTD's defaults). */
static void tree_coding(xmlNodePtr coding, petr_sentence *ps)
{
    char *v[3];
    int all = 1;
    begin_coding(ps);
    for (int i = 0; i < 3; i++)
        all &= (v[i] = xml_attr(coding, petr_code_attrs[i])) != NULL;
    if (all)
        add_event(ps, (const char *const *)v);
    else
        begin_other(ps);
    for (xmlAttrPtr a = coding->properties; !all && a; a = a->next) {
        xmlChar *copy;
        const char *s = attr_value(coding, a, &copy);
        add_other(ps, a == coding->properties, (const char *)a->name, s, strlen(s));
        xmlFree(copy);
    }
    for (int i = 0; i < 3; i++)
        free(v[i]);
}

/* The sentence element n, gathered. */
static void tree_sentence(xmlNodePtr n, petr_sentence *ps)
{
    ps->line = node_line(n);
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        xmlChar *copy;
        const char *value = attr_value(n, a, &copy);
        add_attr(ps, (const char *)a->name, 0, value, strlen(value));
        xmlFree(copy);
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!ps->has_text && tag_is(c, "Text")) {
            ps->has_text = 1;
            kh_read_buffer_add(&ps->text, "", 0);
            if (tree_text(c->children, ps, 0) < 0)
                ps->text_too_long = 1;
        } else if (tag_is(c, "EventCoding")) {
            tree_coding(c, ps);
        } else if (!ps->has_parse && tag_is(c, "Parse")) {
            xmlChar *t = xmlNodeGetContent(c);
            ps->has_parse = 1;
            ps->parse_line = node_line(c);
            kh_read_buffer_add(&ps->parse, t ? (const char *)t : "", t ? strlen((const char *)t) : 0);
            xmlFree(t);
        }
    }
}

static void petr_walk(petr_state *st, xmlNodePtr n);

/* A finished node of the tree, in document order: a <Sentence> becomes a
 * document, a <Config> is kept for the next, other elements are walked. */
static void petr_visit(petr_state *st, xmlNodePtr c)
{
    if (tag_is(c, "Sentence")) {
        tree_sentence(c, &st->sentence);
        petr_finish_sentence(st, &st->sentence);
    } else if (tag_is(c, "Config")) {
        char *opt = xml_attr(c, "option"), *val = xml_attr(c, "value");
        petr_config(st, opt, val);
        free(opt), free(val);
    } else if (c->type == XML_ELEMENT_NODE) {
        petr_walk(st, c);
    }
}

static void petr_walk(petr_state *st, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        petr_visit(st, c);
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
static void petr_harvest(petr_state *st, xmlNodePtr parent)
{
    xmlParserCtxtPtr xml = st->xml;
    xmlNodePtr c = parent->children, next;
    for (; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && petr_open(st, c)) {
            if (!tag_is(c, "Sentence") && !tag_is(c, "Config"))
                petr_harvest(st, c);
            return;
        }
        if (!next && c->type == XML_TEXT_NODE && parent == xml->node && !st->ended)
            return;
        petr_visit(st, c);
        if (c->type == XML_ELEMENT_NODE || c->type == XML_TEXT_NODE ||
            c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE ||
            c->type == XML_CDATA_SECTION_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
}

/* ---- the streaming path (a file without a DOCTYPE) ---- */

/* The first `needle` in d[0, n), or NULL; d may hold NULs. */
static const char *find_bytes(const char *d, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (d[i] == needle[0] && !memcmp(d + i, needle, k))
            return d + i;
    return NULL;
}

/* Whether the prolog of the file starting d[0, n) is only blanks,
 * processing instructions (the XML declaration) and comments, and an
 * element starts within it: then there is no DOCTYPE, so no entity the
 * SAX callbacks would have to expand, and the file is streamed.  Any
 * doubt (a DOCTYPE, a prolog past the block, anything else) is left to
 * the tree. */
static int petr_can_stream(const char *d, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n) {
        const char *end;
        if (strchr(" \t\r\n", d[i])) {
            i++;
        } else if (n - i >= 2 && !memcmp(d + i, "<?", 2)) {
            if (!(end = find_bytes(d + i + 2, n - i - 2, "?>")))
                return 0;
            i = (size_t)(end - d) + 2;
        } else if (n - i >= 4 && !memcmp(d + i, "<!--", 4)) {
            if (!(end = find_bytes(d + i + 4, n - i - 4, "-->")))
                return 0;
            i = (size_t)(end - d) + 3;
        } else {
            return d[i] == '<' && i + 1 < n &&
                   (((d[i + 1] | 32) >= 'a' && (d[i + 1] | 32) <= 'z') || d[i + 1] == '_' ||
                    d[i + 1] == ':' || (unsigned char)d[i + 1] >= 0x80);
        }
    }
    return 0;
}

static long sax_line(const xmlParserCtxt *xml)
{
    return xml->input ? xml->input->line : 0;
}

/* Whether a SAX element is the tag.  An undeclared prefix stays in the
 * tree's name ("x:Sentence"), so that is no tag of ours. */
static int name_is(const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                   const char *tag)
{
    return !(prefix && !uri) && !xmlStrcasecmp(name, BAD_CAST tag);
}

/* A SAX attribute's name as the tree has it: its local name, or
 * "prefix:name" when the prefix is undeclared.  *copy is what to free. */
static const char *sax_attr_name(const xmlChar **attr, xmlChar **copy)
{
    *copy = NULL;
    if (!attr[1] || attr[2])
        return (const char *)attr[0];
    *copy = xmlBuildQName(attr[0], attr[1], NULL, 0);
    return (const char *)*copy;
}

/* The value of a SAX attribute [value, end) when the parser copied it
 * (it had references: *end is its NUL, where an uncopied value ends at
 * its quote), decoded as xmlSAX2AttributeNs and xmlNodeListGetString
 * decode it; to free. */
static xmlChar *sax_decoded_value(xmlParserCtxtPtr xml, const xmlChar *value,
                                  const xmlChar *end)
{
    xmlNodePtr list = xmlStringLenGetNodeList(xml->myDoc, value, (int)(end - value));
    xmlChar *v;
    if (list && !list->next && list->type == XML_TEXT_NODE)
        v = xmlStrdup(list->content ? list->content : BAD_CAST "");
    else
        v = xmlNodeListGetString(xml->myDoc, list, 1);
    xmlFreeNodeList(list);
    return v ? v : xmlStrdup(BAD_CAST "");
}

/* A SAX attribute's value as the tree gives it: itself unless the
 * parser copied it.  *copy is what to free. */
static const char *sax_attr_value(xmlParserCtxtPtr xml, const xmlChar *value,
                                  const xmlChar *end, size_t *len, xmlChar **copy)
{
    *copy = NULL;
    if (*end != 0) {
        *len = (size_t)(end - value);
        return (const char *)value;
    }
    *copy = sax_decoded_value(xml, value, end);
    *len = strlen((const char *)*copy);
    return (const char *)*copy;
}

/* SAX2 attributes: five pointers each (local name, prefix, URI, value,
 * end of value). */
#define SAX_ATTR_FIELDS 5

static void sax_sentence_attrs(xmlParserCtxtPtr xml, petr_sentence *ps, int count,
                               const xmlChar **attrs)
{
    for (int i = 0; i < count; i++, attrs += SAX_ATTR_FIELDS) {
        xmlChar *name_copy, *value_copy;
        size_t len;
        const char *name = sax_attr_name(attrs, &name_copy);
        const char *value = sax_attr_value(xml, attrs[3], attrs[4], &len, &value_copy);
        add_attr(ps, name, !name_copy, value, len);
        xmlFree(name_copy);
        xmlFree(value_copy);
    }
}

/* The first attribute named `name`, decoded (to free), or NULL: what
 * xmlGetProp gives without a DTD. */
static char *sax_attr(xmlParserCtxtPtr xml, int count, const xmlChar **attrs,
                      const char *name)
{
    for (int i = 0; i < count; i++, attrs += SAX_ATTR_FIELDS) {
        xmlChar *qname;
        int same = !strcmp(sax_attr_name(attrs, &qname), name);
        xmlFree(qname);
        if (!same)
            continue;
        xmlChar *copy;
        size_t len;
        const char *value = sax_attr_value(xml, attrs[3], attrs[4], &len, &copy);
        char *v = kh_xstrndup(value, len);
        xmlFree(copy);
        return v;
    }
    return NULL;
}

static void sax_coding(xmlParserCtxtPtr xml, petr_sentence *ps, int count,
                       const xmlChar **attrs)
{
    char *v[3];
    int all = 1;
    begin_coding(ps);
    for (int i = 0; i < 3; i++)
        all &= (v[i] = sax_attr(xml, count, attrs, petr_code_attrs[i])) != NULL;
    if (all)
        add_event(ps, (const char *const *)v);
    else
        begin_other(ps);
    for (int i = 0; !all && i < count; i++) {
        const xmlChar **a = attrs + SAX_ATTR_FIELDS * i;
        xmlChar *name_copy, *value_copy;
        size_t len;
        const char *name = sax_attr_name(a, &name_copy);
        const char *value = sax_attr_value(xml, a[3], a[4], &len, &value_copy);
        add_other(ps, i == 0, name, value, len);
        xmlFree(name_copy);
        xmlFree(value_copy);
    }
    for (int i = 0; i < 3; i++)
        free(v[i]);
}

/* A child of the open <Sentence>: its first <Text> and <Parse> are
 * gathered from here on, its <EventCoding>s at once. */
static void sax_sentence_child(petr_state *st, const xmlChar *name, const xmlChar *prefix,
                               const xmlChar *uri, long depth, int count,
                               const xmlChar **attrs)
{
    petr_sentence *ps = &st->sentence;
    if (!ps->has_text && name_is(name, prefix, uri, "Text")) {
        ps->has_text = 1;
        kh_read_buffer_add(&ps->text, "", 0);
        st->text_depth = depth;
    } else if (name_is(name, prefix, uri, "EventCoding")) {
        sax_coding(st->xml, ps, count, attrs);
    } else if (!ps->has_parse && name_is(name, prefix, uri, "Parse")) {
        ps->has_parse = 1;
        ps->parse_line = sax_line(st->xml);
        kh_read_buffer_add(&ps->parse, "", 0);
        st->parse_depth = depth;
    }
}

/* The depths of the gathered elements follow the parser's node stack,
 * as the tree's structure does: besides the end of an element, the
 * parser pops one it gives up on ("<PLEvent {...}>", a start tag it
 * cannot finish, in a validation file), and what follows is then the
 * parent's.  An element no longer on the stack is closed here. */
static void sax_follow_stack(petr_state *st)
{
    long depth = st->xml->nodeNr;
    if (st->config_depth > depth)
        st->config_depth = 0;
    if (st->text_depth > depth)
        st->text_depth = 0;
    if (st->parse_depth > depth)
        st->parse_depth = 0;
    if (st->sentence_depth > depth) {
        st->sentence_depth = 0;
        petr_finish_sentence(st, &st->sentence);
    }
}

static void sax_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int namespaces, const xmlChar **ns,
                      int count, int defaulted, const xmlChar **attrs)
{
    xmlParserCtxtPtr xml = ctx;
    petr_state *st = xml->_private;
    sax_follow_stack(st);
    /* As the tree builder pushes its node: the parser's depth limit
     * applies alike. */
    if (nodePush(xml, &st->marker) < 0)
        return;
    long depth = xml->nodeNr;
    if (st->config_depth)
        return;                     /* a <Config>'s content means nothing */
    if (st->sentence_depth) {
        if (st->text_depth && depth - st->text_depth > KH_XML_MAX_ENTITY_DEPTH)
            st->sentence.text_too_long = 1;
        if (depth == st->sentence_depth + 1)
            sax_sentence_child(st, name, prefix, uri, depth, count, attrs);
    } else if (name_is(name, prefix, uri, "Sentence")) {
        st->sentence_depth = depth;
        st->sentence.line = sax_line(xml);
        sax_sentence_attrs(xml, &st->sentence, count, attrs);
    } else if (name_is(name, prefix, uri, "Config")) {
        st->config_depth = depth;
        char *opt = sax_attr(xml, count, attrs, "option");
        char *val = sax_attr(xml, count, attrs, "value");
        petr_config(st, opt, val);
        free(opt), free(val);
    }
}

static void sax_end(void *ctx, const xmlChar *name, const xmlChar *prefix,
                    const xmlChar *uri)
{
    xmlParserCtxtPtr xml = ctx;
    petr_state *st = xml->_private;
    sax_follow_stack(st);
    nodePop(xml);
    sax_follow_stack(st);
}

/* Text, blanks and CDATA: the <Text>'s and the <Parse>'s, at any depth
 * under them, as the tree's text would be. */
static void sax_text(void *ctx, const xmlChar *text, int n)
{
    xmlParserCtxtPtr xml = ctx;
    petr_state *st = xml->_private;
    sax_follow_stack(st);
    if (st->text_depth)
        add_text(&st->sentence, (const char *)text, (size_t)n);
    else if (st->parse_depth)
        kh_read_buffer_add(&st->sentence.parse, (const char *)text, (size_t)n);
}

/* Once the end is fed, a <Sentence> a broken file leaves open is taken
 * as it is, as the tree takes it. */
static void sax_finish(petr_state *st)
{
    st->config_depth = st->text_depth = st->parse_depth = 0;
    if (st->sentence_depth) {
        st->sentence_depth = 0;
        petr_finish_sentence(st, &st->sentence);
    }
}

/* libxml2's SAX2 handlers, which build the document (and its DTD, were
 * there one), but for the content: ours.  Comments and processing
 * instructions are dropped, as the tree's text leaves them out. */
static void sax_handlers(xmlSAXHandler *h)
{
    xmlSAXVersion(h, 2);
    h->startElementNs = sax_start;
    h->endElementNs = sax_end;
    h->characters = sax_text;
    h->ignorableWhitespace = sax_text;
    h->cdataBlock = sax_text;
    h->comment = NULL;
    h->processingInstruction = NULL;
    h->reference = NULL;
}

/* ---- feeding the parser ---- */

static void petr_start(kh_read_input *in)
{
    petr_state *st = kh_xcalloc(1, sizeof *st);
    st->in = in;
    in->state = st;
}

/* The parser, for a file whose first block is d[0, n): streaming when
 * it can.  As xmlReadMemory(..., "UTF-8", options) sets up its parser:
 * the text is UTF-8 whatever its declaration says. */
static void petr_parser(kh_read_input *in, petr_state *st, const char *d, size_t n)
{
    xmlSAXHandler sax;
    st->streaming = petr_can_stream(d, n);
    if (st->streaming)
        sax_handlers(&sax);
    st->xml = xmlCreatePushParserCtxt(st->streaming ? &sax : NULL, NULL, NULL, 0, in->name);
    if (st->xml) {
        xmlCtxtResetPush(st->xml, NULL, 0, in->name, "UTF-8");
        xmlCtxtUseOptions(st->xml, PETR_XML_OPTIONS);
        st->xml->_private = st;
    }
}

/* Feeds the next block and takes what it finished.  Returns 0 once the
 * end has been fed. */
static int petr_feed(kh_read_input *in, petr_state *st)
{
    if (st->ended)
        return 0;
    size_t n = kh_read_block(in, st->feed, sizeof st->feed);
    st->ended = n == 0;
    if (!st->started) {
        st->started = 1;
        petr_parser(in, st, st->feed, n);
    }
    if (!st->xml)
        return 0;
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
    if (st->streaming && st->ended)
        sax_finish(st);
    else if (!st->streaming && st->xml->myDoc)
        petr_harvest(st, (xmlNodePtr)st->xml->myDoc);
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
    petr_sentence_free(&st->sentence);
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
