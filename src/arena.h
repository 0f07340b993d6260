/*
 * arena.h -- a bump allocator for data that lives and dies together.
 *
 * The dictionary allocates its many small strings and arrays here so that
 * loading stays fast (no malloc per word) and freeing is one call; the
 * JSON lines reader gives yajl its memory for each line from one, reset
 * between lines.
 */
#ifndef KH_ARENA_H
#define KH_ARENA_H

#include <stddef.h>

/* Block size: large enough that the Phoenix dictionaries (about 3 MB of
 * text) need only a few dozen blocks, small enough not to waste memory on
 * a tiny test dictionary. */
#define KH_ARENA_BLOCK_SIZE (64 * 1024)

typedef struct kh_arena_block kh_arena_block;

typedef struct kh_arena {
    kh_arena_block *head;
    size_t used;            /* bytes used in head */
    size_t total;           /* bytes handed out, for statistics */
    size_t block_size;      /* of a new block; 0: KH_ARENA_BLOCK_SIZE */
} kh_arena;

void kh_arena_init(kh_arena *arena);
/* An arena whose blocks are `block_size` bytes: for one that holds a
 * few kilobytes, many of them alive at once (the duplicate stage's held
 * documents), where 64 KB blocks would waste most of the memory. */
void kh_arena_init_sized(kh_arena *arena, size_t block_size);
void kh_arena_free(kh_arena *arena);
/* Forgets every allocation, keeping one block of the arena's size for
 * the next ones: for memory reused from one record to the next (a larger
 * block, made for one big allocation, is freed rather than kept). */
void kh_arena_reset(kh_arena *arena);
/* Returns zeroed memory aligned for any type; aborts on out-of-memory. */
void *kh_arena_alloc(kh_arena *arena, size_t size);
/* The same, not zeroed: for memory its user fills before reading (yajl's
 * buffers, some of them kilobytes long). */
void *kh_arena_take(kh_arena *arena, size_t size);
char *kh_arena_strndup(kh_arena *arena, const char *s, size_t len);
/* A copy of s, or NULL for NULL. */
char *kh_arena_strdup(kh_arena *arena, const char *s);

#endif
