/*
 * read_petrarch.c -- PETRARCH XML (read.h): each <Sentence> with its <Text>
 * is a document; its attributes and <EventCoding> expectations go to the
 * document's meta.
 */
#include "read_format.h"
#include "util.h"

#include <limits.h>
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

/* <EventCoding sourcecode= targetcode= eventcode=> children, as
 * "SRC TGT CODE;..." for the validator. */
static void petr_expected(xmlNodePtr sentence, kh_doc *d)
{
    kh_read_buffer b = {0};
    for (xmlNodePtr c = sentence->children; c; c = c->next) {
        if (!tag_is(c, "EventCoding"))
            continue;
        static const char *const parts[] = {"sourcecode", "targetcode",
                                            "eventcode"};
        if (b.len)
            kh_read_buffer_add(&b, ";", 1);
        for (int i = 0; i < 3; i++) {
            char *v = xml_attr(c, parts[i]);
            if (i)
                kh_read_buffer_add(&b, " ", 1);
            kh_read_buffer_add(&b, v ? v : "---", strlen(v ? v : "---"));
            free(v);
        }
    }
    if (b.len)
        kh_read_meta_add(d, "expected", b.data);
    free(b.data);
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
        else if (!strcmp(k, "date") && !(d->date = kh_parse_date(s)))
            kh_read_warn(in, line, "Sentence date is not YYYYMMDD; ignored");
        else if (!strcmp(k, "source"))
            free(d->source), d->source = kh_read_clean_field(in, s, strlen(s));
        else if (strcmp(k, "date"))
            kh_read_meta_add(d, k, s);
        xmlFree(v);
    }
}

static void petr_sentence(kh_read_input *in, xmlNodePtr n)
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
    petr_expected(n, &d);
    kh_read_finish_doc(in, &d, 0);
    kh_read_push_doc(in, &d);
}

static void petr_walk(kh_read_input *in, xmlNodePtr n, size_t *found)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (tag_is(c, "Sentence")) {
            (*found)++;
            petr_sentence(in, c);
        } else if (c->type == XML_ELEMENT_NODE) {
            petr_walk(in, c, found);
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
    size_t found = 0;
    if (doc)
        petr_walk(in, (xmlNodePtr)doc, &found);
    if (!found)
        kh_read_skip(in, KH_READ_MALFORMED, 0,
             doc ? "no <Sentence> elements" : "cannot parse XML");
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
