/* health.c - GET /api/v1/health: answers without auth; checks the store answers too. */
#include "api/routes.h"
#include "store/store.h"

static enum yl_err get_health(struct yl_req *r, struct yl_jw *w)
{
	yl_jw_obj_begin(w);
	yl_jw_kstr(w, "status", "ok");
	yl_jw_kint(w, "schema_version", yl_store_schema_version(r->ctx.store));
	yl_jw_ktime(w, "now", yl_clock_now(r->ctx.clock));
	yl_jw_obj_end(w);
	return YL_OK;
}

const struct yl_route yl_routes_health[] = {
	{"GET", "/api/v1/health", get_health, YL_ROUTE_PUBLIC},
	{NULL, NULL, NULL, 0},
};
