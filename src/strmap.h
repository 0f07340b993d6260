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
} kh_strmap_slot;

typedef struct kh_strmap {
    kh_strmap_slot *slots;
    size_t mask;      /* capacity - 1; capacity is a power of two */
    size_t count;
} kh_strmap;

void kh_strmap_init(kh_strmap *m);
void kh_strmap_free(kh_strmap *m);
uint32_t kh_strmap_hash(const char *s, size_t len);
/* Value for key, or -1. */
int kh_strmap_get(const kh_strmap *m, const char *key, size_t len);
/* The same, with the key's hash already known (kh_strmap_hash): callers
 * looking up every prefix of a word extend one hash byte by byte. */
int kh_strmap_get_hashed(const kh_strmap *m, const char *key, size_t len,
                         uint32_t hash);
/* The key as stored (the pointer given to kh_strmap_put), or NULL. */
const char *kh_strmap_get_key(const kh_strmap *m, const char *key, size_t len);
const char *kh_strmap_get_key_hashed(const kh_strmap *m, const char *key,
                                     size_t len, uint32_t hash);
/* The hash of a key one byte longer than the one `hash` was made from. */
static inline uint32_t kh_strmap_hash_extend(uint32_t hash, char c)
{
    return (hash ^ (unsigned char)c) * 16777619u;      /* FNV-1a step */
}
#define KH_STRMAP_HASH_SEED 2166136261u
/* Sets key to value (replacing); the key pointer is kept. */
void kh_strmap_put(kh_strmap *m, const char *key, int value);

#endif
