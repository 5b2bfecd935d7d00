/* practitioners.c - /api/v1/practitioners: create (admin or the main institution's
 * institution_admin), get, list by institution (main or practice site) and general
 * practitioner flag, and add a practice site inside a shared consortium.
 */
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/practitioner.h"

static void practitioner_json(struct yl_jw *w, const struct yl_practitioner *o)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kstr(w, "name", o->name);
	yl_jw_kstr(w, "title", o->title);
	yl_jw_kbool(w, "general_practitioner", o->general_practitioner);
	yl_jw_kstr(w, "licence_no", o->licence_no);
	yl_jw_kint(w, "institution_id", o->institution_id);
	yl_jw_kid(w, "department_id", o->department_id);
	yl_jw_key(w, "sites");
	yl_jw_arr_begin(w);
	for (int i = 0; i < o->n_sites; i++)
		yl_jw_int(w, o->sites[i]);
	yl_jw_arr_end(w);
	yl_jw_ktime(w, "created_at", o->created_at);
	yl_jw_obj_end(w);
}

enum yl_err yl_decode_practitioner(const struct yl_ctx *c, json_t *obj, struct yl_practitioner *in)
{
	static const char *const fields[] = {"name", "title", "general_practitioner", "licence_no",
					     "institution_id", "department_id", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_str(obj, "title", true, 32, c->arena, &in->title, c->diag)) ||
	    (err = yl_json_bool(obj, "general_practitioner", false, &in->general_practitioner, NULL,
				c->diag)) ||
	    (err = yl_json_str(obj, "licence_no", false, 64, c->arena, &in->licence_no, c->diag)) ||
	    (err = yl_json_int(obj, "institution_id", true, 1, INT64_MAX, &in->institution_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "department_id", false, 1, INT64_MAX, &in->department_id, NULL,
			       c->diag)))
		return err;
	return YL_OK;
}

static enum yl_err post_practitioner(struct yl_req *r, struct yl_jw *w)
{
	struct yl_practitioner in, out;
	enum yl_err err;

	if ((err = yl_decode_practitioner(&r->ctx, r->body, &in)) ||
	    (err = yl_practitioner_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	practitioner_json(w, &out);
	return YL_OK;
}

static enum yl_err get_practitioner(struct yl_req *r, struct yl_jw *w)
{
	struct yl_practitioner o;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_require_staff_reader(&r->ctx)) ||
	    (err = yl_practitioner_get(&r->ctx, id, &o)))
		return err;
	practitioner_json(w, &o);
	return YL_OK;
}

static enum yl_err post_site(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"institution_id", NULL};
	struct yl_practitioner out;
	int64_t id, inst = 0;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "institution_id", true, 1, INT64_MAX, &inst, NULL,
			       r->ctx.diag)) ||
	    (err = yl_practitioner_add_site(&r->ctx, id, inst, &out)))
		return err;
	r->status = 201;
	practitioner_json(w, &out);
	return YL_OK;
}

static enum yl_err list_practitioners(struct yl_req *r, struct yl_jw *w)
{
	struct yl_practitioner_filter f = {0};
	struct yl_practitioner *items;
	const char *gp = yl_req_query(r, "general_practitioner");
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)))
		return err;
	if (gp) {
		if (strcmp(gp, "true") != 0 && strcmp(gp, "false") != 0)
			return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "general_practitioner",
					   "general_practitioner must be true or false");
		f.gp_given = true;
		f.gp = strcmp(gp, "true") == 0;
	}
	err = yl_practitioner_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		practitioner_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_practitioners[] = {
	{"POST", "/api/v1/practitioners", post_practitioner, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/practitioners", list_practitioners, 0},
	{"GET", "/api/v1/practitioners/{id}", get_practitioner, 0},
	{"POST", "/api/v1/practitioners/{id}/sites", post_site, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{NULL, NULL, NULL, 0},
};
