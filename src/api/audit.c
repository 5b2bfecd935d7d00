/* audit.c - /api/v1/audit: the audit log for admins and regulators. */
#include "api/routes.h"
#include "domain/audit.h"

static enum yl_err list_audit(struct yl_req *r, struct yl_jw *w)
{
	struct yl_audit_filter f = {0};
	struct yl_audit_entry *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "user_id", 0, 1, INT64_MAX, &f.user_id)) ||
	    (err = yl_req_query_int(r, "since", 0, 0, INT64_MAX, &f.since)))
		return err;
	f.entity = yl_req_query(r, "entity");
	f.entity_id = yl_req_query(r, "entity_id");
	if ((err = yl_audit_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++) {
		yl_jw_obj_begin(w);
		yl_jw_kint(w, "id", items[i].id);
		yl_jw_ktime(w, "at", items[i].at);
		yl_jw_kid(w, "user_id", items[i].user_id);
		yl_jw_kstr(w, "actor", items[i].actor);
		yl_jw_kstr(w, "action", items[i].action);
		yl_jw_kstr(w, "entity", items[i].entity);
		yl_jw_kstr(w, "entity_id", items[i].entity_id);
		yl_jw_kstr(w, "detail", items[i].detail);
		yl_jw_obj_end(w);
	}
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_audit[] = {
	{"GET", "/api/v1/audit", list_audit, 0},
	{NULL, NULL, NULL, 0},
};
