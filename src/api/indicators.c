/* indicators.c - /api/v1/indicators: the official indicators of an institution, consortium or
 * area over a period of months, computed from the catalogue and the live aggregates
 * (indicator.h); /api/v1/indicators/catalogue: the catalogue itself.
 *
 * Every result carries its numerator and denominator so that clients aggregate by summing
 * them; a value that cannot be computed is null with a note, never 0. Values are rounded
 * half-up to 2 decimals here, at presentation only. Any staff role may read. An event row
 * (a median) has no numerator or denominator to sum: both are null and `count` says how many
 * events the value is taken over; a stock row says the day it counted (`as_of`).
 */
#include <string.h>

#include "api/indicator_json.h"
#include "api/routes.h"
#include "domain/indicator.h"

static void def_json(struct yl_jw *w, const struct yl_indicator_def *d)
{
	yl_jw_kstr(w, "id", d->id);
	yl_jw_kstr(w, "name_zh", d->name_zh);
	yl_jw_kstr(w, "name_en", d->name_en);
	yl_jw_kstr(w, "unit", d->unit);
	yl_jw_kstr(w, "direction", d->direction);
	yl_jw_kstr(w, "scope_kind", d->scope_kind);
}

static enum yl_err get_indicators(struct yl_req *r, struct yl_jw *w)
{
	struct yl_indicator_query q = {0};
	struct yl_indicator_result *res;
	int n;
	enum yl_err err;

	if ((err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &q.institution_id)) ||
	    (err = yl_req_query_int(r, "consortium_id", 0, 1, INT64_MAX, &q.consortium_id)))
		return err;
	q.area_code = yl_req_query(r, "area_code");
	q.from = yl_req_query(r, "from");
	q.to = yl_req_query(r, "to");
	q.id = yl_req_query(r, "id");
	if ((err = yl_indicator_compute(&r->ctx, &q, &res, &n)))
		return err;
	yl_jw_obj_begin(w);
	yl_jw_key(w, "scope");
	yl_jw_obj_begin(w);
	if (q.institution_id)
		yl_jw_kint(w, "institution_id", q.institution_id);
	else if (q.consortium_id)
		yl_jw_kint(w, "consortium_id", q.consortium_id);
	else
		yl_jw_kstr(w, "area_code", q.area_code);
	yl_jw_obj_end(w);
	yl_jw_kstr(w, "from", q.from);
	yl_jw_kstr(w, "to", q.to);
	yl_jw_key(w, "indicators");
	yl_jw_arr_begin(w);
	for (int i = 0; i < n; i++) {
		yl_jw_obj_begin(w);
		def_json(w, res[i].def);
		yl_indicator_value_json(w, res[i].def, &res[i].cur);
		if (res[i].note)
			yl_jw_kstr(w, "note", res[i].note);
		if (res[i].as_of)
			yl_jw_kstr(w, "as_of", res[i].as_of);
		if (res[i].def->growth) {
			yl_jw_key(w, "growth");
			yl_jw_obj_begin(w);
			yl_indicator_json_opt(w, "value", res[i].has_growth, res[i].growth);
			yl_jw_key(w, "previous");
			yl_jw_obj_begin(w);
			yl_indicator_value_json(w, res[i].def, &res[i].prev);
			yl_jw_obj_end(w);
			if (res[i].growth_note)
				yl_jw_kstr(w, "note", res[i].growth_note);
			yl_jw_obj_end(w);
		}
		yl_jw_obj_end(w);
	}
	yl_jw_arr_end(w);
	yl_jw_obj_end(w);
	return YL_OK;
}

static void opt_str(struct yl_jw *w, const char *key, const char *s)
{
	yl_jw_key(w, key);
	if (s)
		yl_jw_str(w, s);
	else
		yl_jw_null(w);
}

static enum yl_err get_catalogue(struct yl_req *r, struct yl_jw *w)
{
	struct yl_indicator_def *d;
	int n;
	enum yl_err err;

	if ((err = yl_indicator_catalogue(&r->ctx, &d, &n)))
		return err;
	yl_jw_obj_begin(w);
	yl_jw_key(w, "items");
	yl_jw_arr_begin(w);
	for (int i = 0; i < n; i++) {
		yl_jw_obj_begin(w);
		def_json(w, &d[i]);
		yl_jw_kstr(w, "source", d[i].source);
		yl_jw_kstr(w, "version", d[i].version);
		yl_jw_kstr(w, "tag", d[i].tag);
		yl_jw_kstr(w, "numerator", d[i].numerator);
		opt_str(w, "denominator", d[i].denominator);
		yl_jw_kstr(w, "num_measure", d[i].num_measure);
		opt_str(w, "den_measure", d[i].den_measure);
		yl_jw_kint(w, "scale", d[i].scale);
		yl_jw_kbool(w, "growth", d[i].growth);
		yl_jw_obj_end(w);
	}
	yl_jw_arr_end(w);
	yl_jw_obj_end(w);
	return YL_OK;
}

const struct yl_route yl_routes_indicators[] = {
	{"GET", "/api/v1/indicators", get_indicators, 0},
	{"GET", "/api/v1/indicators/catalogue", get_catalogue, 0},
	{NULL, NULL, NULL, 0},
};
