/* departments.c - /api/v1/departments: create (admin or the institution's own
 * institution_admin), get, and list filtered by institution_id. Departments of one
 * institution are listed here rather than under /institutions/{id}, so one cursor scheme
 * serves every filter.
 */
#include <string.h>

#include "api/decode.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/department.h"

static void department_json(struct yl_jw *w, const struct yl_department *o)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kint(w, "institution_id", o->institution_id);
	yl_jw_kstr(w, "name", o->name);
	yl_jw_kstr(w, "category_code", o->category_code);
	yl_jw_ktime(w, "created_at", o->created_at);
	yl_jw_obj_end(w);
}

enum yl_err yl_decode_department(const struct yl_ctx *c, json_t *obj, struct yl_department *in)
{
	static const char *const fields[] = {"institution_id", "name", "category_code", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_int(obj, "institution_id", true, 1, INT64_MAX, &in->institution_id, NULL,
			       c->diag)) ||
	    (err = yl_json_str(obj, "name", true, 200, c->arena, &in->name, c->diag)) ||
	    (err = yl_json_str(obj, "category_code", false, 8, c->arena, &in->category_code,
			       c->diag)))
		return err;
	return YL_OK;
}

static enum yl_err post_department(struct yl_req *r, struct yl_jw *w)
{
	struct yl_department in, out;
	enum yl_err err;

	if ((err = yl_decode_department(&r->ctx, r->body, &in)) ||
	    (err = yl_department_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	department_json(w, &out);
	return YL_OK;
}

static enum yl_err get_department(struct yl_req *r, struct yl_jw *w)
{
	struct yl_department o;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_require_staff_reader(&r->ctx)) ||
	    (err = yl_department_get(&r->ctx, id, &o)))
		return err;
	department_json(w, &o);
	return YL_OK;
}

static enum yl_err list_departments(struct yl_req *r, struct yl_jw *w)
{
	struct yl_department_filter f = {0};
	struct yl_department *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)))
		return err;
	err = yl_department_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		department_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_departments[] = {
	{"POST", "/api/v1/departments", post_department, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/departments", list_departments, 0},
	{"GET", "/api/v1/departments/{id}", get_department, 0},
	{NULL, NULL, NULL, 0},
};
