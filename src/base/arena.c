/* arena.c - chunked bump allocator. Chunks grow to fit large requests; a request's arena
 * usually lives in one or two 16 KiB chunks.
 */
#include "base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct yl_arena_chunk {
	struct yl_arena_chunk *next;
	size_t size;
	max_align_t data[];
};

enum { CHUNK_MIN = 16 * 1024 };

void yl_arena_init(struct yl_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void yl_arena_release(struct yl_arena *a)
{
	struct yl_arena_chunk *c = a->head;

	while (c) {
		struct yl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	yl_arena_init(a);
}

void *yl_arena_alloc(struct yl_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	size_t need = (n + align - 1) / align * align;
	void *p;

	if (need == 0)
		need = align;
	if (!a->head || a->used + need > a->head->size) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
		struct yl_arena_chunk *c = malloc(sizeof(*c) + size);
		if (!c) {
			fputs("yilian: out of memory\n", stderr);
			abort();
		}
		c->next = a->head;
		c->size = size;
		a->head = c;
		a->used = 0;
	}
	p = (char *)a->head->data + a->used;
	a->used += need;
	a->total += need;
	memset(p, 0, n);
	return p;
}

void *yl_arena_grow(struct yl_arena *a, void *items, size_t item_size, int n, int want, int *cap)
{
	int size = *cap * 2;
	void *bigger;

	if (want <= *cap)
		return items;
	if (size < want)
		size = want;
	if (size < 16)
		size = 16;
	bigger = yl_arena_alloc(a, item_size * (size_t)size);
	if (n)
		memcpy(bigger, items, item_size * (size_t)n);
	*cap = size;
	return bigger;
}

char *yl_arena_strndup(struct yl_arena *a, const char *s, size_t n)
{
	char *p = yl_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *yl_arena_strdup(struct yl_arena *a, const char *s)
{
	return s ? yl_arena_strndup(a, s, strlen(s)) : NULL;
}

char *yl_arena_printf(struct yl_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = yl_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	if (n > 0)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
