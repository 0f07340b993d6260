/* events.c -- the kh_events list (see khaldun.h). */
#include "khaldun.h"
#include <stdlib.h>
#include <string.h>

void kh_events_init(kh_events *events) { memset(events, 0, sizeof *events); }

static void event_free(kh_event *e)
{
    free(e->source);
    free(e->target);
    free(e->source_text);
    free(e->target_text);
    free(e->issues);
    free(e->place.name);
    free(e->quote);
    free(e->speaker);
}

void kh_events_clear(kh_events *events)
{
    for (size_t i = 0; i < events->count; i++)
        event_free(&events->items[i]);
    events->count = 0;
}

void kh_events_free(kh_events *events)
{
    kh_events_clear(events);
    free(events->items);
    kh_events_init(events);
}

void kh_doc_clear(kh_doc *doc)
{
    free(doc->id);
    free(doc->text);
    free(doc->title);
    free(doc->source);
    free(doc->url);
    free(doc->place);
    free(doc->path);
    for (size_t i = 0; i < doc->meta_count; i++) {
        free(doc->meta[i].key);
        free(doc->meta[i].value);
    }
    free(doc->meta);
    memset(doc, 0, sizeof *doc);
}
