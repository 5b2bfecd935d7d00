/* institutions.c - /api/v1/institutions: create (admin), get, list by level, area (and
 * everything under it), township centre or consortium membership. */
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/institution.h"

static void institution_json(struct yl_jw *w, const struct yl_institution *o)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kstr(w, "code", o->code);
	yl_jw_kstr(w, "name", o->name);
	yl_jw_kstr(w, "level", o->level);
	yl_jw_kstr(w, "kind", o->kind);
	yl_jw_kstr(w, "area_code", o->area_code);
	yl_jw_kint(w, "beds", o->beds);
	yl_jw_kid(w, "township_centre_id", o->township_centre_id);
	yl_jw_ktime(w, "created_at", o->created_at);
	yl_jw_obj_end(w);
}

enum yl_err yl_decode_institution(const struct yl_ctx *c, json_t *obj, struct yl_institution *in)
{
	static const char *const fields[] = {"code", "name", "level", "kind", "area_code", "beds",
					     "township_centre_id", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "code", true, 64, c->arena, &in->code, c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_str(obj, "level", true, 16, c->arena, &in->level, c->diag)) ||
	    (err = yl_json_str(obj, "kind", false, 32, c->arena, &in->kind, c->diag)) ||
	    (err = yl_json_str(obj, "area_code", true, 9, c->arena, &in->area_code, c->diag)) ||
	    (err = yl_json_int(obj, "beds", false, 0, 100000, &in->beds, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "township_centre_id", false, 1, INT64_MAX,
			       &in->township_centre_id, NULL, c->diag)))
		return err;
	if (!in->kind)
		in->kind = "general";
	return YL_OK;
}

static enum yl_err post_institution(struct yl_req *r, struct yl_jw *w)
{
	struct yl_institution in, out;
	enum yl_err err;

	if ((err = yl_decode_institution(&r->ctx, r->body, &in)) ||
	    (err = yl_institution_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	institution_json(w, &out);
	return YL_OK;
}

static enum yl_err get_institution(struct yl_req *r, struct yl_jw *w)
{
	struct yl_institution o;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_institution_get(&r->ctx, id, &o);
	if (!err)
		institution_json(w, &o);
	return err;
}

static enum yl_err list_institutions(struct yl_req *r, struct yl_jw *w)
{
	struct yl_institution_filter f = {0};
	struct yl_institution *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "township_centre_id", 0, 1, INT64_MAX, &f.township_centre_id)) ||
	    (err = yl_req_query_int(r, "consortium_id", 0, 1, INT64_MAX, &f.consortium_id)))
		return err;
	f.level = yl_req_query(r, "level");
	if (f.level && !yl_institution_level_ok(f.level))
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "level",
				   "level must be village, primary, secondary or tertiary");
	f.area_code = yl_req_query(r, "area_code");
	err = yl_institution_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		institution_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_institutions[] = {
	{"POST", "/api/v1/institutions", post_institution, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/institutions", list_institutions, 0},
	{"GET", "/api/v1/institutions/{id}", get_institution, 0},
	{NULL, NULL, NULL, 0},
};
