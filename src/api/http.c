/* http.c - helpers every handler uses: path ids, query integers, pagination envelopes. */
#include "api/http.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json_read.h"

const char *yl_req_query(struct yl_req *r, const char *key)
{
	const char *v = r->query ? r->query(r->conn, key) : NULL;
	return v && *v ? v : NULL;
}

const char *yl_req_header(struct yl_req *r, const char *key)
{
	const char *v = r->header ? r->header(r->conn, key) : NULL;
	return v && *v ? v : NULL;
}

void yl_req_defer(struct yl_req *r, yl_commit_fn run, yl_finish_fn finish, void *arg)
{
	assert(r->committer && run && finish);
	r->defer_run = run;
	r->defer_finish = finish;
	r->defer_arg = arg;
}

static bool parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

enum yl_err yl_req_id(struct yl_req *r, int i, int64_t *out)
{
	if (i >= r->nparams || !parse_i64(r->params[i], out) || *out <= 0)
		return yl_diag_set(r->ctx.diag, YL_ERR_NOT_FOUND, "id", "'%.40s' is not a valid id",
				   i < r->nparams ? r->params[i] : "");
	return YL_OK;
}

enum yl_err yl_req_query_int(struct yl_req *r, const char *key, int64_t def, int64_t min,
			     int64_t max, int64_t *out)
{
	const char *v = yl_req_query(r, key);

	*out = def;
	if (!v)
		return YL_OK;
	if (!parse_i64(v, out) || *out < min || *out > max)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, key,
				   "%s must be an integer between %" PRId64 " and %" PRId64, key, min, max);
	return YL_OK;
}

enum yl_err yl_req_page(struct yl_req *r, int *limit, int64_t *after)
{
	int64_t l;
	enum yl_err err = yl_req_query_int(r, "limit", 50, 1, 1000, &l);

	if (err)
		return err;
	*limit = (int)l;
	return yl_req_query_int(r, "cursor", 0, 0, INT64_MAX, after);
}

enum yl_err yl_req_only(struct yl_req *r, const char *const *allowed)
{
	return yl_json_only(r->body, allowed, r->ctx.diag);
}

void yl_page_begin(struct yl_jw *w)
{
	yl_jw_obj_begin(w);
	yl_jw_key(w, "data");
	yl_jw_arr_begin(w);
}

void yl_page_end(struct yl_jw *w, const char *next_cursor)
{
	yl_jw_arr_end(w);
	yl_jw_kstr(w, "next_cursor", next_cursor);
	yl_jw_obj_end(w);
}

void yl_page_end_id(struct yl_jw *w, bool more, int64_t last_id)
{
	char cur[24];

	snprintf(cur, sizeof(cur), "%" PRId64, last_id);
	yl_page_end(w, more ? cur : NULL);
}

void yl_jw_ktime(struct yl_jw *w, const char *key, int64_t t)
{
	char s[21];

	yl_time_format(t, s);
	yl_jw_kstr(w, key, s);
}
