/* buf.c - growable buffer; doubles capacity so appends are amortised O(1). */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void yl_buf_init(struct yl_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void yl_buf_release(struct yl_buf *b)
{
	free(b->data);
	yl_buf_init(b);
}

void yl_buf_reset(struct yl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void grow(struct yl_buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (want <= b->cap)
		return;
	while (cap < want)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		fputs("yilian: out of memory\n", stderr);
		abort();
	}
	b->data = p;
	b->cap = cap;
}

void yl_buf_add(struct yl_buf *b, const void *p, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void yl_buf_adds(struct yl_buf *b, const char *s)
{
	yl_buf_add(b, s, strlen(s));
}

void yl_buf_addc(struct yl_buf *b, char c)
{
	grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void yl_buf_addf(struct yl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *yl_buf_str(const struct yl_buf *b)
{
	return b->data ? b->data : "";
}

char *yl_buf_detach(struct yl_buf *b, size_t *len)
{
	char *p = b->data;

	if (!p) {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	}
	if (len)
		*len = b->len;
	yl_buf_init(b);
	return p;
}
