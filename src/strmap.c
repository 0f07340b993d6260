/* strmap.c -- see strmap.h */
#include "strmap.h"
#include "short_key.h"
#include "util.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Grow at 50% load: probes stay short, and the maps are small (one entry
 * per distinct dictionary word) so the space is cheap. */
#define KH_STRMAP_MAX_LOAD_PERCENT 50

void kh_strmap_init(kh_strmap *m) { memset(m, 0, sizeof *m); }

void kh_strmap_free(kh_strmap *m)
{
    free(m->store);
    kh_strmap_init(m);
}

/* A key's first KH_SHORT_KEY_MAX bytes as two numbers (short_key.h), for
 * the hash and the compare. */
KH_ALWAYS_INLINE kh_short_key key_of(const char *s, size_t len)
{
    return kh_short_key_of((const unsigned char *)s,
                           len < KH_SHORT_KEY_MAX ? len : KH_SHORT_KEY_MAX);
}

/* key_of of a key longer than KH_SHORT_KEY_MAX, with the rest of its
 * bytes mixed in eight at a time, for its hash. */
static kh_short_key long_key(const char *s, size_t len, kh_short_key k)
{
    const unsigned char *p = (const unsigned char *)s;
    k.last = kh_read_le64(p + len - 8);
    for (size_t i = 8; i + 8 < len; i += 8)
        k.first = (k.first ^ kh_read_le64(p + i)) * 0xFF51AFD7ED558CCDull;
    return k;
}

/* The hash of s[0..len), whose key_of is `k`. */
static inline uint32_t key_hash(const char *s, size_t len, kh_short_key k)
{
    if (len > KH_SHORT_KEY_MAX)
        k = long_key(s, len, k);
    return kh_strmap_hash(k, len);
}

const kh_strmap_slot *kh_strmap_find_long(const kh_strmap *m, const char *key, size_t len)
{
    if (len > UINT32_MAX)
        return NULL;        /* longer than any key (kh_strmap_put) */
    kh_short_key k = key_of(key, len);
    const kh_strmap_slot *s = kh_strmap_probe(m, key, len, k, key_hash(key, len, k));
    return s->key ? s : NULL;
}

/* Places a slot's contents in the grown table, where no key is equal. */
static void reinsert(kh_strmap *m, const kh_strmap_slot *from)
{
    kh_short_key k = {from->first, from->last};
    size_t i = key_hash(from->key, from->len, k) & m->mask;
    while (m->slots[i].key)
        i = (i + 1) & m->mask;
    m->slots[i] = *from;
}

static void grow(kh_strmap *m)
{
    size_t old_cap = m->slots ? m->mask + 1 : 0;
    kh_strmap_slot *old = m->slots;
    void *old_store = m->store;
    size_t cap = old_cap ? old_cap * 2 : 64;
    _Static_assert(KH_STRMAP_ALIGN % sizeof(kh_strmap_slot) == 0, "whole slots to a line");
    m->store = kh_xcalloc(cap + KH_STRMAP_ALIGN / sizeof *m->slots, sizeof *m->slots);
    uintptr_t at = ((uintptr_t)m->store + KH_STRMAP_ALIGN - 1) & ~(uintptr_t)(KH_STRMAP_ALIGN - 1);
    m->slots = (kh_strmap_slot *)at;
    m->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            reinsert(m, &old[i]);
    free(old_store);
}

void kh_strmap_put(kh_strmap *m, const char *key, int value)
{
    if (!m->slots || (m->count + 1) * 100 > (m->mask + 1) * KH_STRMAP_MAX_LOAD_PERCENT)
        grow(m);
    size_t len = strlen(key);
    assert(len <= UINT32_MAX);      /* keys are words and codes */
    kh_short_key k = key_of(key, len);
    uint32_t h = key_hash(key, len, k);
    kh_strmap_slot *s = kh_strmap_probe(m, key, len, k, h);
    if (!s->key) {
        *s = (kh_strmap_slot){key, k.first, k.last, (uint32_t)len, value};
        m->count++;
    }
    s->value = value;
}
