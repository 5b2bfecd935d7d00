/* arena.h - memory grouped by lifetime: one arena per request or command, freed at once.
 *
 * Allocations are bump-pointer from chunks; nothing is freed individually. Allocation failure
 * aborts the process (a request arena is small and capped; running out of memory there is not
 * a recoverable business error). Not thread-safe: one arena belongs to one thread at a time.
 */
#ifndef YL_BASE_ARENA_H
#define YL_BASE_ARENA_H

#include <stddef.h>

struct yl_arena_chunk;

struct yl_arena {
	struct yl_arena_chunk *head;
	size_t used;  /* bytes used in head */
	size_t total; /* bytes handed out overall, for diagnostics */
};

#define YL_ARENA_INIT {NULL, 0, 0}

void yl_arena_init(struct yl_arena *a);
/* Frees every chunk; the arena may be reused afterwards. */
void yl_arena_release(struct yl_arena *a);
/* Returns n zeroed bytes aligned for any type; arena-owned. Never NULL. */
void *yl_arena_alloc(struct yl_arena *a, size_t n);
/* Room for `want` items in an arena array of n items of item_size bytes: items itself when
 * *cap already holds want, else a copy in a larger block (at least twice *cap, at least 16
 * items) with *cap updated. The arena cannot realloc: the old block stays until released. */
void *yl_arena_grow(struct yl_arena *a, void *items, size_t item_size, int n, int want, int *cap);
/* Copies s (NULL gives NULL) into the arena. */
char *yl_arena_strdup(struct yl_arena *a, const char *s);
/* Copies n bytes of s and a NUL. */
char *yl_arena_strndup(struct yl_arena *a, const char *s, size_t n);
/* printf into the arena. */
char *yl_arena_printf(struct yl_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
