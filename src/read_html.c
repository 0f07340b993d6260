/*
 * read_html.c -- HTML pages (read.h): libxml2's forgiving parser, then the
 * article body without the page's furniture, and the title, outlet,
 * address and date from its metadata.
 */
#include "read_format.h"
#include "date.h"
#include "kh_limits.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* An HTML page whose article text has fewer words than this has no
 * article (a menu, an error page, a cookie wall). */
#define KH_MIN_ARTICLE_WORDS 5

/* Elements that never hold article text. */
static const char *const html_skip_tags[] = {
    "script", "style", "noscript", "nav", "header", "footer", "aside",
    "form", "button", "iframe", "svg", "select", "option", "template",
    "figure", "figcaption", "input", "label", "textarea", "menu", "dialog",
    "object", "embed", "canvas", "video", "audio", "head", "title", NULL};

/* Words in class or id attributes that mark page furniture. */
static const char *const html_junk_names[] = {
    "nav", "menu", "footer", "share", "social", "comment", "related",
    "advert", "promo", "newsletter", "subscribe", "cookie", "breadcrumb",
    "sidebar", "widget", "banner", "popup", "modal", "byline", "author",
    "caption", "signup", "login", "toolbar", "recommend", "trending", NULL};

static const char *const html_junk_roles[] = {
    "navigation", "banner", "contentinfo", "complementary", "search",
    "menu", "menubar", "dialog", "alert", NULL};

static const char *const html_blocks[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
    "dt", "dd", "table", "tr", "section", "article", "main", "blockquote",
    "pre", "hr", "address", "center", "body", NULL};

static int tag_in(xmlNodePtr n, const char *const *list)
{
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    for (; *list; list++)
        if (!xmlStrcasecmp(n->name, BAD_CAST * list))
            return 1;
    return 0;
}

static int tag_is(xmlNodePtr n, const char *tag)
{
    return n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, BAD_CAST tag);
}

/* Whether attribute `a` of n contains one of the words (case-insensitive
 * substring) or, with exact, equals one. */
static int attr_has(xmlNodePtr n, const char *a, const char *const *words,
                    int exact)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST a);
    int hit = 0;
    if (!v)
        return 0;
    for (const char *const *w = words; *w && !hit; w++)
        hit = exact ? kh_strcaseeq((char *)v, *w)
                    : kh_read_contains_ci((char *)v, strlen((char *)v), *w);
    xmlFree(v);
    return hit;
}

static int html_skipped(xmlNodePtr n)
{
    static const char *const yes[] = {"true", NULL};
    static const char *const containers[] = {"html", "body", "main",
                                             "article", NULL};
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    /* Page wrappers often carry names like "has-sidebar": only inner
     * elements are judged by their class and id. */
    int named_junk = !tag_in(n, containers) &&
                     (attr_has(n, "class", html_junk_names, 0) ||
                      attr_has(n, "id", html_junk_names, 0));
    return named_junk || tag_in(n, html_skip_tags) ||
           attr_has(n, "role", html_junk_roles, 1) ||
           attr_has(n, "aria-hidden", yes, 1) || xmlHasProp(n, BAD_CAST "hidden");
}

/* Bytes of text under n, skipping furniture. */
static size_t text_bytes(xmlNodePtr n)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content)
            k += strlen((const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE && !html_skipped(c))
            k += text_bytes(c);
    }
    return k;
}

/* Text in n's own <p> children: how readability tools find the body. */
static size_t paragraph_bytes(xmlNodePtr n)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (tag_is(c, "p") && !html_skipped(c))
            k += text_bytes(c);
    return k;
}

static size_t deep_paragraph_bytes(xmlNodePtr n)
{
    size_t k = paragraph_bytes(n);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !html_skipped(c))
            k += deep_paragraph_bytes(c);
    return k;
}

typedef struct html_pick {
    xmlNodePtr article, main, best, body;
    size_t article_score, best_score;
} html_pick;

static void html_find(xmlNodePtr n, html_pick *pk)
{
    static const char *const main_role[] = {"main", NULL};
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tag_is(c, "body") && !pk->body)
            pk->body = c;
        if (html_skipped(c))
            continue;
        size_t s;
        if (tag_is(c, "article") &&
            ((s = deep_paragraph_bytes(c)) > pk->article_score || !pk->article)) {
            pk->article = c;
            pk->article_score = s;
        }
        if (!pk->main && (tag_is(c, "main") || attr_has(c, "role", main_role, 1)))
            pk->main = c;
        if ((s = paragraph_bytes(c)) > pk->best_score) {
            pk->best = c;
            pk->best_score = s;
        }
        html_find(c, pk);
    }
}

static void put_break(kh_read_buffer *b, int lines)
{
    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = 0;
    if (b->len == 0)
        return;
    int have = 0;
    while (have < lines && have < (int)b->len &&
           b->data[b->len - 1 - have] == '\n')
        have++;
    for (; have < lines; have++)
        kh_read_buffer_add(b, "\n", 1);
}

static void put_text(kh_read_buffer *b, const char *s, int pre)
{
    for (; *s; s++) {
        int space = strchr(" \t\r\n\f", *s) != NULL;
        if (pre || !space)
            kh_read_buffer_add(b, s, 1);
        else if (b->len > 0 && !strchr(" \n", b->data[b->len - 1]))
            kh_read_buffer_add(b, " ", 1);
    }
}

static void html_text(xmlNodePtr n, kh_read_buffer *b, int pre)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content) {
            put_text(b, (const char *)c->content, pre);
        } else if (c->type == XML_ELEMENT_NODE && !html_skipped(c)) {
            if (tag_is(c, "br")) {
                put_break(b, 1);
                continue;
            }
            int block = tag_in(c, html_blocks);
            if (block)
                put_break(b, 2);
            html_text(c, b, pre || tag_is(c, "pre"));
            if (block)
                put_break(b, 2);
        }
    }
}

static void set_field(kh_read_input *in, char **field, const xmlChar *v)
{
    if (*field || !v)
        return;
    *field = kh_read_clean_field(in, (const char *)v, strlen((const char *)v));
}

static void html_meta_tag(kh_read_input *in, xmlNodePtr n, kh_doc *d, char **title)
{
    static const char *const date_keys[] = {
        "article:published_time", "og:published_time", "datePublished",
        "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
        "sailthru.date", "parsely-pub-date", NULL};
    xmlChar *key = xmlGetProp(n, BAD_CAST "property");
    if (!key)
        key = xmlGetProp(n, BAD_CAST "name");
    if (!key)
        key = xmlGetProp(n, BAD_CAST "itemprop");
    xmlChar *content = xmlGetProp(n, BAD_CAST "content");
    if (key && content) {
        const char *k = (const char *)key;
        if (kh_strcaseeq(k, "og:title"))
            set_field(in, title, content);
        else if (kh_strcaseeq(k, "og:site_name"))
            set_field(in, &d->source, content);
        else if (kh_strcaseeq(k, "og:url"))
            set_field(in, &d->url, content);
        for (int i = 0; date_keys[i] && !d->date; i++)
            if (kh_strcaseeq(k, date_keys[i]))
                d->date = kh_date_parse((const char *)content);
    }
    xmlFree(key);
    xmlFree(content);
}

/* Title, outlet, address and date from the whole page. */
static void html_meta(kh_read_input *in, xmlNodePtr n, kh_doc *d, char **og_title,
                      char **title_tag)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tag_is(c, "meta")) {
            html_meta_tag(in, c, d, og_title);
        } else if (tag_is(c, "title") && !*title_tag) {
            xmlChar *t = xmlNodeGetContent(c);
            set_field(in, title_tag, t);
            xmlFree(t);
        } else if (tag_is(c, "time") && !d->date) {
            xmlChar *t = xmlGetProp(c, BAD_CAST "datetime");
            d->date = kh_date_parse((const char *)t);
            xmlFree(t);
        } else if (tag_is(c, "link") && !d->url) {
            static const char *const canon[] = {"canonical", NULL};
            if (attr_has(c, "rel", canon, 1)) {
                xmlChar *h = xmlGetProp(c, BAD_CAST "href");
                set_field(in, &d->url, h);
                xmlFree(h);
            }
        }
        html_meta(in, c, d, og_title, title_tag);
    }
}

static size_t count_words(const char *s, size_t n)
{
    size_t words = 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\n", s[i]) && (i == 0 || strchr(" \t\n", s[i - 1])))
            words++;
    return words;
}

/* The element holding the article: an <article>, else <main>, else the
 * element with the most paragraph text, else the whole body. */
static xmlNodePtr html_body(htmlDocPtr doc, xmlNodePtr root)
{
    html_pick pk = {0};
    html_find((xmlNodePtr)doc, &pk);
    return pk.article ? pk.article : pk.main ? pk.main
         : pk.best_score ? pk.best : pk.body ? pk.body : root;
}

/* The page's title: og:title, which sites keep free of their own name,
 * else <title>. */
static void html_title(kh_read_input *in, htmlDocPtr doc, kh_doc *d)
{
    char *og_title = NULL, *title_tag = NULL;
    html_meta(in, (xmlNodePtr)doc, d, &og_title, &title_tag);
    d->title = og_title ? og_title : title_tag;
    free(og_title ? title_tag : NULL);
}

/* Whether elements under `top` nest deeper than `limit`, found without
 * recursion (the walks below recurse, so they run on a tree this says is
 * shallow enough). */
static int html_deeper_than(xmlNodePtr top, int limit)
{
    int depth = 0;
    for (xmlNodePtr n = top->children; n; n = n->next) {
        while (n->type == XML_ELEMENT_NODE && n->children) {
            if (++depth > limit)
                return 1;
            n = n->children;
        }
        while (!n->next) {
            n = n->parent;
            if (n == top)
                return 0;
            depth--;
        }
    }
    return 0;
}

/* Whether libxml2 stopped the parse at its nesting guard (256 elements
 * without XML_PARSE_HUGE), cutting the page off there. */
static int html_too_deep(htmlParserCtxtPtr ctxt)
{
    xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
    return e && e->code == XML_ERR_INTERNAL_ERROR && e->message &&
           strstr(e->message, "depth");
}

#define HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

/* The page's tree, or NULL after saying exactly why there is none.  A
 * page nested past libxml2's guard (generated layouts put the article
 * 300 elements deep) is parsed again without it -- HTML has no entities
 * to multiply -- if it is small enough for that to stay quick, and kept
 * if it nests no deeper than KH_HTML_MAX_DEPTH. */
static htmlDocPtr html_parse(kh_read_input *in, const char *page, size_t len)
{
    int n = (int)(len < INT_MAX ? len : INT_MAX);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    htmlDocPtr doc = ctxt ? htmlCtxtReadMemory(ctxt, page, n, in->name, "UTF-8", HTML_OPTIONS)
                          : NULL;
    const char *why = doc && xmlDocGetRootElement(doc) ? NULL : "cannot parse HTML";
    if (!why && html_too_deep(ctxt)) {
        xmlFreeDoc(doc);
        doc = NULL;
        why = "HTML nested deeper than 256 elements in a page over "
              KH_LIMIT_TEXT(KH_HTML_DEEP_MAX_BYTES) " bytes; page skipped";
        if (len <= KH_HTML_DEEP_MAX_BYTES) {
            doc = htmlCtxtReadMemory(ctxt, page, n, in->name, "UTF-8",
                                     HTML_OPTIONS | XML_PARSE_HUGE);
            why = !doc || !xmlDocGetRootElement(doc) ? "cannot parse HTML"
                : html_deeper_than((xmlNodePtr)doc, KH_HTML_MAX_DEPTH)
                ? "HTML nested deeper than " KH_LIMIT_TEXT(KH_HTML_MAX_DEPTH)
                  " elements; page skipped" : NULL;
        }
    }
    htmlFreeParserCtxt(ctxt);
    if (why) {
        kh_read_skip(in, KH_READ_MALFORMED, 0, "%s", why);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static void html_start(kh_read_input *in)
{
    const char *page;
    size_t len;
    if (!kh_read_whole(in, &page, &len))
        return;                                       /* reported */
    htmlDocPtr doc = html_parse(in, page, len);
    if (!doc)
        return;                                       /* reported */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    kh_doc d = {0};
    html_title(in, doc, &d);
    kh_read_buffer b = {0};
    kh_read_buffer_add(&b, "", 0);
    html_text(html_body(doc, root), &b, 0);
    xmlFreeDoc(doc);
    if (count_words(b.data, b.len) < KH_MIN_ARTICLE_WORDS ||
        !kh_read_set_text(in, &d, b.data, b.len, 0)) {
        kh_read_skip(in, KH_READ_NO_ARTICLE, 0, "no article text in HTML page");
        kh_doc_clear(&d);
    } else {
        kh_read_finish_doc(in, &d, 1);
        kh_read_push_doc(in, &d);
    }
    free(b.data);
}

/* Any markup: PETRARCH XML, which also starts with '<', is tried first. */
static int html_sniff(const char *d, size_t n)
{
    return n > 0 && d[0] == '<';
}

static const char *const html_names[] = {"html", NULL};
static const char *const html_extensions[] = {"html", "htm", "xhtml", NULL};

const kh_read_backend kh_read_html = {
    .format = KH_FORMAT_HTML,
    .names = html_names,
    .sniff = html_sniff,
    .extensions = html_extensions,
    .start = html_start,
};
