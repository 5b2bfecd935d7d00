/* consortia.c - /api/v1/consortia: create with the lead and first members (admin), get,
 * list by kind or by current member, and the membership history: join, leave, list.
 * The rules live in domain/consortium.c; this file only maps JSON and query strings.
 */
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/consortium.h"

static void consortium_json(struct yl_jw *w, const struct yl_consortium *o)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kstr(w, "code", o->code);
	yl_jw_kstr(w, "name", o->name);
	yl_jw_kstr(w, "kind", o->kind);
	yl_jw_kint(w, "lead_institution_id", o->lead_institution_id);
	yl_jw_kstr(w, "area_code", o->area_code);
	yl_jw_key(w, "member_ids");
	yl_jw_arr_begin(w);
	for (int i = 0; i < o->n_members; i++)
		yl_jw_int(w, o->member_ids[i]);
	yl_jw_arr_end(w);
	yl_jw_ktime(w, "created_at", o->created_at);
	yl_jw_obj_end(w);
}

static void member_json(struct yl_jw *w, const struct yl_consortium_member *m)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "consortium_id", m->consortium_id);
	yl_jw_kint(w, "institution_id", m->institution_id);
	yl_jw_kstr(w, "joined_on", m->joined_on);
	yl_jw_kstr(w, "left_on", m->left_on);
	yl_jw_kbool(w, "current", m->current);
	yl_jw_kbool(w, "lead", m->lead);
	yl_jw_obj_end(w);
}

/* member_ids: an array of positive institution ids. CSV import turns a list column into an
 * array of strings (decode.c marks it YL_FIELD_STRING_LIST), so all-digit strings are read
 * as ids too. */
static enum yl_err decode_ids(const struct yl_ctx *c, json_t *obj, const char *key,
			      const int64_t **out, int *n)
{
	json_t *arr = json_object_get(obj, key), *v;
	int64_t *ids;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!arr || json_is_null(arr))
		return YL_OK;
	if (!json_is_array(arr))
		return yl_diag_set(c->diag, YL_ERR_INVALID, key, "%s must be an array of ids", key);
	if (json_array_size(arr) > YL_CONSORTIUM_MAX_MEMBERS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, key, "%s may list at most %d ids", key,
				   YL_CONSORTIUM_MAX_MEMBERS);
	ids = yl_arena_alloc(c->arena, sizeof(*ids) * (json_array_size(arr) + 1));
	json_array_foreach(arr, i, v) {
		int64_t id = 0;
		if (json_is_integer(v)) {
			id = (int64_t)json_integer_value(v);
		} else if (json_is_string(v)) {
			const char *s = json_string_value(v);
			size_t len = strlen(s);
			if (len == 0 || len > 18 || strspn(s, "0123456789") != len)
				id = 0;
			else
				for (size_t k = 0; k < len; k++)
					id = id * 10 + (s[k] - '0');
		}
		if (id <= 0)
			return yl_diag_set(c->diag, YL_ERR_INVALID, key,
					   "%s[%zu] must be a positive integer id", key, i);
		ids[i] = id;
	}
	*out = ids;
	*n = (int)json_array_size(arr);
	return YL_OK;
}

enum yl_err yl_decode_consortium(const struct yl_ctx *c, json_t *obj, struct yl_consortium *in)
{
	static const char *const fields[] = {"code", "name", "kind", "lead_institution_id",
					     "area_code", "member_ids", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "code", true, 64, c->arena, &in->code, c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_str(obj, "kind", true, 32, c->arena, &in->kind, c->diag)) ||
	    (err = yl_json_int(obj, "lead_institution_id", true, 1, INT64_MAX,
			       &in->lead_institution_id, NULL, c->diag)) ||
	    (err = yl_json_str(obj, "area_code", false, 9, c->arena, &in->area_code, c->diag)) ||
	    (err = decode_ids(c, obj, "member_ids", &in->member_ids, &in->n_members)))
		return err;
	return YL_OK;
}

static enum yl_err post_consortium(struct yl_req *r, struct yl_jw *w)
{
	struct yl_consortium in, out;
	enum yl_err err;

	if ((err = yl_decode_consortium(&r->ctx, r->body, &in)) ||
	    (err = yl_consortium_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	consortium_json(w, &out);
	return YL_OK;
}

static enum yl_err get_consortium(struct yl_req *r, struct yl_jw *w)
{
	struct yl_consortium o;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_require_staff_reader(&r->ctx)) ||
	    (err = yl_consortium_get(&r->ctx, id, &o)))
		return err;
	consortium_json(w, &o);
	return YL_OK;
}

static enum yl_err list_consortia(struct yl_req *r, struct yl_jw *w)
{
	struct yl_consortium_filter f = {0};
	struct yl_consortium *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)))
		return err;
	f.kind = yl_req_query(r, "kind");
	err = yl_consortium_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		consortium_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err post_member(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"institution_id", "joined_on", NULL};
	struct yl_ctx *c = &r->ctx;
	struct yl_consortium_member m;
	int64_t id, inst = 0;
	int32_t day;
	bool given;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "institution_id", true, 1, INT64_MAX, &inst, NULL, c->diag)) ||
	    (err = yl_json_date(r->body, "joined_on", false, &day, &given, c->diag)) ||
	    (err = yl_consortium_join(c, id, inst, given ? &day : NULL, &m)))
		return err;
	r->status = 201;
	member_json(w, &m);
	return YL_OK;
}

static enum yl_err post_leave(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"left_on", NULL};
	struct yl_ctx *c = &r->ctx;
	struct yl_consortium_member m;
	int64_t id, inst;
	int32_t day;
	bool given;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_id(r, 1, &inst)) ||
	    (err = yl_req_only(r, fields)) ||
	    (err = yl_json_date(r->body, "left_on", false, &day, &given, c->diag)) ||
	    (err = yl_consortium_leave(c, id, inst, given ? &day : NULL, &m)))
		return err;
	member_json(w, &m);
	return YL_OK;
}

static enum yl_err list_members(struct yl_req *r, struct yl_jw *w)
{
	struct yl_consortium_member *items;
	const char *cur = yl_req_query(r, "current");
	int64_t id;
	int n;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)))
		return err;
	if (cur && strcmp(cur, "true") != 0 && strcmp(cur, "false") != 0)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "current", "current must be true or false");
	err = yl_consortium_members(&r->ctx, id, cur && strcmp(cur, "true") == 0, &items, &n);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		member_json(w, &items[i]);
	yl_page_end(w, NULL);
	return YL_OK;
}

const struct yl_route yl_routes_consortia[] = {
	{"POST", "/api/v1/consortia", post_consortium, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/consortia", list_consortia, 0},
	{"GET", "/api/v1/consortia/{id}", get_consortium, 0},
	{"GET", "/api/v1/consortia/{id}/members", list_members, 0},
	{"POST", "/api/v1/consortia/{id}/members", post_member, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/consortia/{id}/members/{institution_id}/leave", post_leave,
	 YL_ROUTE_WRITE | YL_ROUTE_BODY | YL_ROUTE_BODY_OPT},
	{NULL, NULL, NULL, 0},
};
