/* areas.c - /api/v1/areas: create (admin), get by code, list by parent or level. */
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/area.h"

static void area_json(struct yl_jw *w, const struct yl_area *a)
{
	yl_jw_obj_begin(w);
	yl_jw_kstr(w, "code", a->code);
	yl_jw_kstr(w, "name", a->name);
	yl_jw_kstr(w, "level", a->level);
	yl_jw_kstr(w, "parent_code", a->parent_code);
	yl_jw_ktime(w, "created_at", a->created_at);
	yl_jw_obj_end(w);
}

enum yl_err yl_decode_area(const struct yl_ctx *c, json_t *obj, struct yl_area *in)
{
	static const char *const fields[] = {"code", "name", "parent_code", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "code", true, 9, c->arena, &in->code, c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_str(obj, "parent_code", false, 9, c->arena, &in->parent_code, c->diag)))
		return err;
	return YL_OK;
}

static enum yl_err post_area(struct yl_req *r, struct yl_jw *w)
{
	struct yl_area in, out;
	enum yl_err err;

	if ((err = yl_decode_area(&r->ctx, r->body, &in)) || (err = yl_area_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	area_json(w, &out);
	return YL_OK;
}

static enum yl_err get_area(struct yl_req *r, struct yl_jw *w)
{
	struct yl_area a;
	enum yl_err err = yl_area_get(&r->ctx, r->params[0], &a);

	if (!err)
		area_json(w, &a);
	return err;
}

static enum yl_err list_areas(struct yl_req *r, struct yl_jw *w)
{
	struct yl_area_filter f = {0};
	struct yl_area *items;
	int64_t limit;
	int n;
	bool more;
	enum yl_err err = yl_req_query_int(r, "limit", 50, 1, 1000, &limit);

	if (err)
		return err;
	f.limit = (int)limit;
	f.parent_code = yl_req_query(r, "parent_code");
	f.level = yl_req_query(r, "level");
	if (f.level && strcmp(f.level, "province") && strcmp(f.level, "city") &&
	    strcmp(f.level, "county") && strcmp(f.level, "township"))
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "level",
				   "level must be province, city, county or township");
	f.after = yl_req_query(r, "cursor");
	err = yl_area_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		area_json(w, &items[i]);
	yl_page_end(w, more && n ? items[n - 1].code : NULL);
	return YL_OK;
}

const struct yl_route yl_routes_areas[] = {
	{"POST", "/api/v1/areas", post_area, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/areas", list_areas, 0},
	{"GET", "/api/v1/areas/{code}", get_area, 0},
	{NULL, NULL, NULL, 0},
};
