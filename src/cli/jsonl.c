/* jsonl.c - JSON Lines reading: fread blocks, memchr for line ends (a 200 MB file is a few
 * thousand reads), then one json_loadb per line. Parsing stays jansson's; we only frame.
 */
#include "cli/jsonl.h"

#include <string.h>

#include "base/json_read.h"

void yl_jsonl_init(struct yl_jsonl *r, FILE *f)
{
	r->f = f;
	yl_buf_init(&r->line);
	r->line_no = 0;
	r->next_line = 1;
	r->pos = r->end = 0;
	r->started = false;
}

void yl_jsonl_release(struct yl_jsonl *r)
{
	yl_buf_release(&r->line);
}

/* Reads one line (without its LF) into r->line; false at end of input. */
static enum yl_err read_line(struct yl_jsonl *r, bool *got, struct yl_diag *d)
{
	yl_buf_reset(&r->line);
	*got = false;
	for (;;) {
		const char *p;
		size_t take;

		if (r->pos == r->end) {
			r->pos = 0;
			r->end = fread(r->blk, 1, sizeof(r->blk), r->f);
			if (r->end == 0) {
				if (ferror(r->f))
					return yl_diag_set(d, YL_ERR_IO, NULL, "read error");
				*got = r->line.len > 0;
				return YL_OK;
			}
		}
		p = memchr(r->blk + r->pos, '\n', r->end - r->pos);
		take = p ? (size_t)(p - (r->blk + r->pos)) : r->end - r->pos;
		if (r->line.len + take > YL_JSON_MAX_BODY)
			return yl_diag_set(d, YL_ERR_TOO_LARGE, NULL, "line longer than %d bytes",
					   YL_JSON_MAX_BODY);
		yl_buf_add(&r->line, r->blk + r->pos, take);
		r->pos += take + (p ? 1 : 0);
		if (p) {
			*got = true;
			return YL_OK;
		}
	}
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

enum yl_err yl_jsonl_next(struct yl_jsonl *r, json_t **obj, struct yl_diag *d)
{
	json_error_t jerr;
	const char *s;
	size_t n;
	bool got;
	enum yl_err err;

	*obj = NULL;
	for (;;) {
		r->line_no = r->next_line;
		if ((err = read_line(r, &got, d)) || !got)
			return err;
		r->next_line++;
		s = r->line.data;
		n = r->line.len;
		if (!r->started) {
			r->started = true;
			if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
				s += 3;
				n -= 3;
			}
		}
		if (n && s[n - 1] == '\r')
			n--;
		if (!blank(s, n))
			break;
	}
	*obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!*obj)
		return yl_diag_set(d, YL_ERR_BAD_JSON, NULL, "malformed JSON at column %d: %s",
				   jerr.column, jerr.text);
	if (!json_is_object(*obj)) {
		json_decref(*obj);
		*obj = NULL;
		return yl_diag_set(d, YL_ERR_BAD_JSON, NULL, "a JSON object is expected on each line");
	}
	return YL_OK;
}
