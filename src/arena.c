/* arena.c -- see arena.h */
#include "arena.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct kh_arena_block {
    kh_arena_block *next;
    size_t size;
    max_align_t data[];
};

void kh_arena_init(kh_arena *arena) { memset(arena, 0, sizeof *arena); }

void kh_arena_init_sized(kh_arena *arena, size_t block_size)
{
    kh_arena_init(arena);
    arena->block_size = block_size;
}

static size_t block_size(const kh_arena *arena)
{
    return arena->block_size ? arena->block_size : KH_ARENA_BLOCK_SIZE;
}

void kh_arena_free(kh_arena *arena)
{
    kh_arena_block *b = arena->head;
    while (b) {
        kh_arena_block *next = b->next;
        free(b);
        b = next;
    }
    kh_arena_init_sized(arena, arena->block_size);
}

void kh_arena_reset(kh_arena *arena)
{
    kh_arena_block *keep = arena->head;
    if (keep && keep->size == block_size(arena)) {
        arena->head = keep->next;
        keep->next = NULL;
    } else {
        keep = NULL;
    }
    kh_arena_free(arena);
    arena->head = keep;
}

void *kh_arena_take(kh_arena *arena, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    if (!arena->head || arena->used + size > arena->head->size) {
        size_t cap = size > block_size(arena) ? size : block_size(arena);
        kh_arena_block *b = kh_xmalloc(sizeof *b + cap);
        b->size = cap;
        b->next = arena->head;
        arena->head = b;
        arena->used = 0;
    }
    void *p = (char *)arena->head->data + arena->used;
    arena->used += size;
    arena->total += size;
    return p;
}

void *kh_arena_alloc(kh_arena *arena, size_t size)
{
    void *p = kh_arena_take(arena, size);
    memset(p, 0, size);
    return p;
}

char *kh_arena_strndup(kh_arena *arena, const char *s, size_t len)
{
    char *p = kh_arena_take(arena, len + 1);   /* every byte written below */
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *kh_arena_strdup(kh_arena *arena, const char *s)
{
    return s ? kh_arena_strndup(arena, s, strlen(s)) : NULL;
}
