/* json_write.c - streaming JSON output. Parsing is not here: requests are parsed with
 * jansson (see json_read.c); writing is ours because responses are the hot path and a
 * direct writer into one buffer avoids building a tree per response.
 */
#include "base/json_write.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void yl_jw_init(struct yl_jw *w, struct yl_buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void before_value(struct yl_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth - 1])
			yl_buf_addc(w->out, ',');
		w->need_comma[w->depth - 1] = true;
	}
}

static void open(struct yl_jw *w, char c)
{
	before_value(w);
	assert(w->depth < YL_JSON_MAX_DEPTH);
	yl_buf_addc(w->out, c);
	w->need_comma[w->depth++] = false;
}

static void close_(struct yl_jw *w, char c)
{
	assert(w->depth > 0);
	w->depth--;
	yl_buf_addc(w->out, c);
}

void yl_jw_obj_begin(struct yl_jw *w) { open(w, '{'); }
void yl_jw_obj_end(struct yl_jw *w) { close_(w, '}'); }
void yl_jw_arr_begin(struct yl_jw *w) { open(w, '['); }
void yl_jw_arr_end(struct yl_jw *w) { close_(w, ']'); }

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (s[0] == 0xE0 && s[1] < 0xA0)
			return 0;
		if (s[0] == 0xED && s[1] >= 0xA0)
			return 0; /* surrogates */
		return 3;
	}
	if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (s[0] == 0xF0 && s[1] < 0x90)
			return 0;
		if (s[0] == 0xF4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

static void escape(struct yl_buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	yl_buf_addc(out, '"');
	while (*s) {
		const unsigned char *run = s;
		int n;

		while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			yl_buf_add(out, run, (size_t)(s - run));
		if (!*s)
			break;
		switch (*s) {
		case '"': yl_buf_adds(out, "\\\""); s++; continue;
		case '\\': yl_buf_adds(out, "\\\\"); s++; continue;
		case '\n': yl_buf_adds(out, "\\n"); s++; continue;
		case '\r': yl_buf_adds(out, "\\r"); s++; continue;
		case '\t': yl_buf_adds(out, "\\t"); s++; continue;
		default: break;
		}
		if (*s < 0x20) {
			yl_buf_addf(out, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			yl_buf_adds(out, "\xEF\xBF\xBD");
			s++;
		} else {
			yl_buf_add(out, s, (size_t)n);
			s += n;
		}
	}
	yl_buf_addc(out, '"');
}

void yl_jw_key(struct yl_jw *w, const char *key)
{
	before_value(w);
	escape(w->out, key);
	yl_buf_addc(w->out, ':');
	w->after_key = true;
}

void yl_jw_str(struct yl_jw *w, const char *s)
{
	before_value(w);
	if (s)
		escape(w->out, s);
	else
		yl_buf_adds(w->out, "null");
}

void yl_jw_int(struct yl_jw *w, int64_t v)
{
	before_value(w);
	yl_buf_addf(w->out, "%" PRId64, v);
}

void yl_jw_double(struct yl_jw *w, double v)
{
	before_value(w);
	if (isfinite(v))
		yl_buf_addf(w->out, "%.10g", v);
	else
		yl_buf_adds(w->out, "null");
}

void yl_jw_bool(struct yl_jw *w, bool v)
{
	before_value(w);
	yl_buf_adds(w->out, v ? "true" : "false");
}

void yl_jw_null(struct yl_jw *w)
{
	before_value(w);
	yl_buf_adds(w->out, "null");
}

void yl_jw_raw(struct yl_jw *w, const char *json)
{
	before_value(w);
	yl_buf_adds(w->out, json);
}

void yl_jw_kstr(struct yl_jw *w, const char *key, const char *s) { yl_jw_key(w, key); yl_jw_str(w, s); }
void yl_jw_kint(struct yl_jw *w, const char *key, int64_t v) { yl_jw_key(w, key); yl_jw_int(w, v); }
void yl_jw_kbool(struct yl_jw *w, const char *key, bool v) { yl_jw_key(w, key); yl_jw_bool(w, v); }
void yl_jw_kdouble(struct yl_jw *w, const char *key, double v) { yl_jw_key(w, key); yl_jw_double(w, v); }

void yl_jw_kid(struct yl_jw *w, const char *key, int64_t v)
{
	yl_jw_key(w, key);
	if (v)
		yl_jw_int(w, v);
	else
		yl_jw_null(w);
}
