/*
 * vec.h -- a typed growable array, the one dynamic array of the project.
 *
 *     KH_VEC(kh_actor) actors = {0};
 *     kh_actor *a = KH_VEC_PUSH(&actors);    // zeroed new element
 *     KH_VEC_FREE(&actors);
 *
 * Capacity doubles, so pushes are amortised O(1).  Pointers returned by
 * KH_VEC_PUSH are invalidated by the next push.
 *
 * KH_VEC(T) is an anonymous struct, so two of them are never the same
 * type.  A vector that crosses a function boundary (a parameter, a return
 * value, a field handed to a helper) therefore gets a name once:
 *
 *     typedef KH_VEC(kh_verb_hit) kh_verb_hit_vec;
 *     static void add_hit(kh_verb_hit_vec *v, ...);
 */
#ifndef KH_VEC_H
#define KH_VEC_H

#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KH_VEC(T) struct { T *items; size_t count, capacity; }

#define KH_VEC_RESERVE(v, n)                                              \
    kh_vec_reserve((void **)&(v)->items, &(v)->capacity, sizeof *(v)->items, (n))

#define KH_VEC_PUSH(v)                                                    \
    (KH_VEC_RESERVE((v), (v)->count + 1),                                 \
     memset(&(v)->items[(v)->count], 0, sizeof *(v)->items),              \
     &(v)->items[(v)->count++])

#define KH_VEC_FREE(v)                                                    \
    do { free((v)->items); (v)->items = NULL; (v)->count = (v)->capacity = 0; } while (0)

/* Grows *items to hold at least `need` elements of `size` bytes.  A size
 * that does not fit in size_t is no more recoverable than running out of
 * memory, and is treated the same way: a message and abort, never a
 * wrapped-around small buffer. */
static inline void kh_vec_reserve(void **items, size_t *capacity, size_t size,
                                  size_t need)
{
    if (need <= *capacity)
        return;
    size_t cap = *capacity ? *capacity : 16;
    while (cap < need && cap <= SIZE_MAX / 2)
        cap *= 2;
    if (cap < need || cap > SIZE_MAX / size) {
        fprintf(stderr, "khaldun: vector of %zu elements of %zu bytes is too large\n",
                need, size);
        abort();
    }
    *items = kh_xrealloc(*items, cap * size);
    *capacity = cap;
}

#endif
