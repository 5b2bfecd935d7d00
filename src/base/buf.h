/* buf.h - a growable byte buffer that is always NUL-terminated (after git's strbuf).
 *
 * Owns its memory (malloc); release with yl_buf_release. Allocation failure aborts.
 */
#ifndef YL_BASE_BUF_H
#define YL_BASE_BUF_H

#include <stddef.h>

struct yl_buf {
	char *data; /* NUL-terminated; "" (static) while nothing is allocated */
	size_t len;
	size_t cap;
};

#define YL_BUF_INIT {NULL, 0, 0}

void yl_buf_init(struct yl_buf *b);
void yl_buf_release(struct yl_buf *b);
/* Empties b, keeping its memory. */
void yl_buf_reset(struct yl_buf *b);
void yl_buf_add(struct yl_buf *b, const void *p, size_t n);
void yl_buf_adds(struct yl_buf *b, const char *s);
void yl_buf_addc(struct yl_buf *b, char c);
void yl_buf_addf(struct yl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the contents (never NULL); valid until the next change to b. */
const char *yl_buf_str(const struct yl_buf *b);
/* Hands the malloc'd contents to the caller (caller frees) and resets b. */
char *yl_buf_detach(struct yl_buf *b, size_t *len);

#endif
