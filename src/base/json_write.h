/* json_write.h - a streaming JSON writer into a yl_buf.
 *
 * The writer inserts commas and colons itself; callers say what comes next. Strings are
 * escaped per RFC 8259 and must be UTF-8 (invalid bytes are replaced by U+FFFD so the output
 * is always valid JSON). Nesting is capped at YL_JSON_MAX_DEPTH (assert).
 */
#ifndef YL_BASE_JSON_WRITE_H
#define YL_BASE_JSON_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

enum { YL_JSON_MAX_DEPTH = 32 };

struct yl_jw {
	struct yl_buf *out; /* borrowed */
	int depth;
	bool need_comma[YL_JSON_MAX_DEPTH];
	bool after_key;
};

void yl_jw_init(struct yl_jw *w, struct yl_buf *out);
void yl_jw_obj_begin(struct yl_jw *w);
void yl_jw_obj_end(struct yl_jw *w);
void yl_jw_arr_begin(struct yl_jw *w);
void yl_jw_arr_end(struct yl_jw *w);
void yl_jw_key(struct yl_jw *w, const char *key);
/* A string value; NULL writes null. */
void yl_jw_str(struct yl_jw *w, const char *s);
void yl_jw_int(struct yl_jw *w, int64_t v);
void yl_jw_double(struct yl_jw *w, double v);
void yl_jw_bool(struct yl_jw *w, bool v);
void yl_jw_null(struct yl_jw *w);
/* Inserts already-serialised JSON (trusted) as one value. */
void yl_jw_raw(struct yl_jw *w, const char *json);

/* key + value shorthands */
void yl_jw_kstr(struct yl_jw *w, const char *key, const char *s);
void yl_jw_kint(struct yl_jw *w, const char *key, int64_t v);
void yl_jw_kbool(struct yl_jw *w, const char *key, bool v);
void yl_jw_kdouble(struct yl_jw *w, const char *key, double v);
/* Writes v, or null when v is 0 (used for optional foreign keys). */
void yl_jw_kid(struct yl_jw *w, const char *key, int64_t v);

#endif
