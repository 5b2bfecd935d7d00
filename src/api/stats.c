/* stats.c - /api/v1/stats: family-doctor signing rates of an area, by key population and,
 * with group=children, for each direct child area. A rate that cannot be computed (nobody
 * lives there) is null, never 0.
 */
#include <string.h>

#include "api/routes.h"
#include "domain/signing.h"

static void count_json(struct yl_jw *w, const struct yl_signing_count *k)
{
	yl_jw_kint(w, "residents", k->residents);
	yl_jw_kint(w, "signed", k->signed_);
	yl_jw_key(w, "rate");
	if (k->has_rate)
		yl_jw_double(w, k->rate);
	else
		yl_jw_null(w);
}

static void area_json(struct yl_jw *w, const struct yl_signing *s)
{
	yl_jw_kstr(w, "area_code", s->area_code);
	yl_jw_kstr(w, "area_name", s->area_name);
	count_json(w, &s->all);
	yl_jw_key(w, "by_population");
	yl_jw_arr_begin(w);
	for (int i = 0; i < s->ngroups; i++) {
		yl_jw_obj_begin(w);
		yl_jw_kstr(w, "tag", s->by_population[i].name);
		count_json(w, &s->by_population[i].count);
		yl_jw_obj_end(w);
	}
	yl_jw_arr_end(w);
}

static enum yl_err get_signing(struct yl_req *r, struct yl_jw *w)
{
	struct yl_signing s;
	const char *group = yl_req_query(r, "group");
	enum yl_err err;

	if (group && strcmp(group, "children") != 0)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "group", "group must be 'children'");
	err = yl_signing_rates(&r->ctx, yl_req_query(r, "area_code"), group != NULL, &s);
	if (err)
		return err;
	yl_jw_obj_begin(w);
	yl_jw_kstr(w, "on", s.on);
	area_json(w, &s);
	if (group) {
		yl_jw_key(w, "children");
		yl_jw_arr_begin(w);
		for (int i = 0; i < s.nchildren; i++) {
			yl_jw_obj_begin(w);
			area_json(w, &s.children[i]);
			yl_jw_obj_end(w);
		}
		yl_jw_arr_end(w);
	}
	yl_jw_obj_end(w);
	return YL_OK;
}

const struct yl_route yl_routes_stats[] = {
	{"GET", "/api/v1/stats/signing", get_signing, 0},
	{NULL, NULL, NULL, 0},
};
