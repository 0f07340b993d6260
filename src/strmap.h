/*
 * strmap.h -- a hash map from strings to non-negative ints.
 *
 * Open addressing with linear probing; keys are borrowed, not copied (the
 * caller keeps them alive, which in khaldun means the dictionary arena).
 * Read-only lookups are safe from many threads once building is done.
 */
#ifndef KH_STRMAP_H
#define KH_STRMAP_H

#include "short_key.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Thirty-two bytes, and the table aligned to a cache line (KH_STRMAP_ALIGN),
 * so that a probe's first slot is one line, not two: the tagger's word map
 * is larger than the caches, and each line is a miss.  (The key's hash is
 * not kept: its sixteen bytes and length pass over another key's slot as
 * surely, and growing hashes the keys again.) */
typedef struct kh_strmap_slot {
    const char *key;
    /* The key's first sixteen bytes as two numbers (short_key.h): a probe
     * compares a key of at most sixteen bytes by these, and reads the
     * key itself only when it is longer. */
    uint64_t first, last;
    uint32_t len;     /* of key (kh_strmap_put refuses longer ones) */
    int value;
} kh_strmap_slot;

/* A cache line: the slots start on one (see kh_strmap_slot). */
#define KH_STRMAP_ALIGN 64

typedef struct kh_strmap {
    kh_strmap_slot *slots;      /* in `store`, at a multiple of KH_STRMAP_ALIGN */
    void *store;                /* owned; what was allocated */
    size_t mask;      /* capacity - 1; capacity is a power of two */
    size_t count;
} kh_strmap;

void kh_strmap_init(kh_strmap *m);
void kh_strmap_free(kh_strmap *m);
/* Sets key to value (replacing); the key pointer is kept. */
void kh_strmap_put(kh_strmap *m, const char *key, int value);

/* ---- lookups ----
 *
 * Inline: the tagger looks a word up for every token of every sentence,
 * and the call cost a fifth of the lookup.  Only keys longer than
 * KH_SHORT_KEY_MAX, which few words are, take a call. */

/* The hash of a key of `len` bytes from its two numbers `k` (short_key.h;
 * for a key longer than KH_SHORT_KEY_MAX, with the rest of its bytes mixed
 * in by strmap.c). */
KH_ALWAYS_INLINE uint32_t kh_strmap_hash(kh_short_key k, size_t len)
{
    return (uint32_t)(kh_short_key_hash(k, len) >> 32);
}

/* The slot of `key` (`len` bytes, at most UINT32_MAX; short key `k`, hash
 * `h`), or the empty slot where it would go.  A slot of another key is
 * passed over by its length and two numbers; only a long key that matches
 * them is compared byte by byte. */
KH_ALWAYS_INLINE kh_strmap_slot *kh_strmap_probe(const kh_strmap *m, const char *key,
                                                 size_t len, kh_short_key k, uint32_t h)
{
    for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
        kh_strmap_slot *s = &m->slots[i];
        if (!s->key)
            return s;
        if (s->len != len || s->first != k.first || s->last != k.last)
            continue;
        if (len <= KH_SHORT_KEY_MAX || memcmp(s->key, key, len) == 0)
            return s;
    }
}

/* The slot of a key longer than KH_SHORT_KEY_MAX, or NULL: out of line,
 * since its calls (the longer hash, memcmp) would make every lookup save
 * registers. */
const kh_strmap_slot *kh_strmap_find_long(const kh_strmap *m, const char *key, size_t len);

/* The slot of `key`, or NULL. */
KH_ALWAYS_INLINE const kh_strmap_slot *kh_strmap_find(const kh_strmap *m, const char *key,
                                                      size_t len)
{
    if (!m->slots)
        return NULL;
    if (len > KH_SHORT_KEY_MAX)
        return kh_strmap_find_long(m, key, len);
    kh_short_key k = kh_short_key_of((const unsigned char *)key, len);
    const kh_strmap_slot *s = kh_strmap_probe(m, key, len, k, kh_strmap_hash(k, len));
    return s->key ? s : NULL;
}

/* Starts loading the slot where a lookup of `key` begins, for a caller
 * about to look up many keys: in a table larger than the caches each
 * first slot is a miss, and loads started together overlap, where
 * lookups one after another would wait for each in turn.  Keys longer
 * than KH_SHORT_KEY_MAX, which hash otherwise, are left to the lookup. */
KH_ALWAYS_INLINE void kh_strmap_prefetch(const kh_strmap *m, const char *key, size_t len)
{
    if (!m->slots || len > KH_SHORT_KEY_MAX)
        return;
    kh_short_key k = kh_short_key_of((const unsigned char *)key, len);
    KH_PREFETCH(&m->slots[kh_strmap_hash(k, len) & m->mask]);
}

/* Value for key, or -1. */
static inline int kh_strmap_get(const kh_strmap *m, const char *key, size_t len)
{
    const kh_strmap_slot *s = kh_strmap_find(m, key, len);
    return s ? s->value : -1;
}

/* The key as stored (the pointer given to kh_strmap_put), or NULL. */
static inline const char *kh_strmap_get_key(const kh_strmap *m, const char *key, size_t len)
{
    const kh_strmap_slot *s = kh_strmap_find(m, key, len);
    return s ? s->key : NULL;
}

#endif
