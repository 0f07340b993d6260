/*
 * strmap.h -- a hash map from strings to non-negative ints.
 *
 * Open addressing with linear probing; keys are borrowed, not copied (the
 * caller keeps them alive, which in khaldun means the dictionary arena).
 * Read-only lookups are safe from many threads once building is done.
 */
#ifndef KH_STRMAP_H
#define KH_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct kh_strmap_slot {
    const char *key;
    uint32_t hash;
    int value;
    size_t len;       /* of key: a probe passes over the slots of other
                         keys by this and the hash, without reading them */
    /* The key's first sixteen bytes as two numbers (short_key.h): a probe
     * compares a key of at most sixteen bytes by these, and reads the
     * key itself only when it is longer. */
    uint64_t first, last;
} kh_strmap_slot;

typedef struct kh_strmap {
    kh_strmap_slot *slots;
    size_t mask;      /* capacity - 1; capacity is a power of two */
    size_t count;
} kh_strmap;

void kh_strmap_init(kh_strmap *m);
void kh_strmap_free(kh_strmap *m);
/* Value for key, or -1. */
int kh_strmap_get(const kh_strmap *m, const char *key, size_t len);
/* The key as stored (the pointer given to kh_strmap_put), or NULL. */
const char *kh_strmap_get_key(const kh_strmap *m, const char *key, size_t len);
/* Sets key to value (replacing); the key pointer is kept. */
void kh_strmap_put(kh_strmap *m, const char *key, int value);

#endif
