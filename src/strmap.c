/* strmap.c -- see strmap.h */
#include "strmap.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Grow at 50% load: probes stay short, and the maps are small (one entry
 * per distinct dictionary word) so the space is cheap. */
#define KH_STRMAP_MAX_LOAD_PERCENT 50

void kh_strmap_init(kh_strmap *m) { memset(m, 0, sizeof *m); }

void kh_strmap_free(kh_strmap *m)
{
    free(m->slots);
    kh_strmap_init(m);
}

uint32_t kh_strmap_hash(const char *s, size_t len)
{
    uint32_t h = KH_STRMAP_HASH_SEED;          /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = kh_strmap_hash_extend(h, s[i]);
    return h;
}

/* Inline rather than strncmp: keys are words of a few letters, and the
 * call costs more than the comparison.  Stops at the stored key's end. */
static int key_equals(const kh_strmap_slot *slot, const char *key, size_t len)
{
    const char *k = slot->key;
    for (size_t i = 0; i < len; i++)
        if (k[i] != key[i] || k[i] == '\0')
            return 0;
    return k[len] == '\0';
}

int kh_strmap_get(const kh_strmap *m, const char *key, size_t len)
{
    if (!m->slots)
        return -1;
    return kh_strmap_get_hashed(m, key, len, kh_strmap_hash(key, len));
}

static const kh_strmap_slot *find_slot(const kh_strmap *m, const char *key,
                                       size_t len, uint32_t h)
{
    if (!m->slots)
        return NULL;
    for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
        const kh_strmap_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && key_equals(s, key, len))
            return s;
    }
}

int kh_strmap_get_hashed(const kh_strmap *m, const char *key, size_t len,
                         uint32_t h)
{
    const kh_strmap_slot *s = find_slot(m, key, len, h);
    return s ? s->value : -1;
}

const char *kh_strmap_get_key_hashed(const kh_strmap *m, const char *key,
                                     size_t len, uint32_t h)
{
    const kh_strmap_slot *s = find_slot(m, key, len, h);
    return s ? s->key : NULL;
}

const char *kh_strmap_get_key(const kh_strmap *m, const char *key, size_t len)
{
    return kh_strmap_get_key_hashed(m, key, len, kh_strmap_hash(key, len));
}

static void insert_slot(kh_strmap *m, const char *key, uint32_t h, int value)
{
    for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
        kh_strmap_slot *s = &m->slots[i];
        if (!s->key) {
            s->key = key;
            s->hash = h;
            s->value = value;
            m->count++;
            return;
        }
        if (s->hash == h && strcmp(s->key, key) == 0) {
            s->value = value;
            return;
        }
    }
}

static void grow(kh_strmap *m)
{
    size_t old_cap = m->slots ? m->mask + 1 : 0;
    kh_strmap_slot *old = m->slots;
    size_t cap = old_cap ? old_cap * 2 : 64;
    m->slots = kh_xcalloc(cap, sizeof *m->slots);
    m->mask = cap - 1;
    m->count = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            insert_slot(m, old[i].key, old[i].hash, old[i].value);
    free(old);
}

void kh_strmap_put(kh_strmap *m, const char *key, int value)
{
    if (!m->slots || (m->count + 1) * 100 > (m->mask + 1) * KH_STRMAP_MAX_LOAD_PERCENT)
        grow(m);
    insert_slot(m, key, kh_strmap_hash(key, strlen(key)), value);
}
