/* stats.c - /api/v1/stats: family-doctor signing rates of an area, by key population and,
 * with group=children, for each direct child area; booking indicators of an institution,
 * consortium or area over a period. A rate that cannot be computed (nobody lives there, no
 * denominator) is null, never 0; booking indicators carry numerator and denominator so that
 * clients aggregate by summing them.
 */
#include <string.h>

#include "api/routes.h"
#include "domain/booking_stats.h"
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

static void ratio_json(struct yl_jw *w, const char *key, const struct yl_ratio *k)
{
	yl_jw_key(w, key);
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "numerator", k->numerator);
	yl_jw_key(w, "denominator");
	if (k->denominator_known)
		yl_jw_int(w, k->denominator);
	else
		yl_jw_null(w);
	yl_jw_key(w, "value");
	if (k->has_value)
		yl_jw_double(w, k->value);
	else
		yl_jw_null(w);
	yl_jw_kstr(w, "unit", k->unit);
	if (k->note)
		yl_jw_kstr(w, "note", k->note);
	yl_jw_obj_end(w);
}

static enum yl_err get_booking(struct yl_req *r, struct yl_jw *w)
{
	struct yl_booking_stats_query q = {0};
	struct yl_booking_stats s;
	char as_of[21];
	enum yl_err err;

	if ((err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &q.institution_id)) ||
	    (err = yl_req_query_int(r, "consortium_id", 0, 1, INT64_MAX, &q.consortium_id)))
		return err;
	q.area_code = yl_req_query(r, "area_code");
	q.from = yl_req_query(r, "from");
	q.to = yl_req_query(r, "to");
	if ((err = yl_booking_stats(&r->ctx, &q, &s)))
		return err;
	yl_time_format(s.as_of, as_of);
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
	yl_jw_kstr(w, "from", s.from);
	yl_jw_kstr(w, "to", s.to);
	yl_jw_kstr(w, "as_of", as_of);
	yl_jw_kint(w, "institutions", s.institutions);
	yl_jw_kint(w, "slots", s.slots);
	yl_jw_key(w, "indicators");
	yl_jw_obj_begin(w);
	yl_jw_key(w, "reserved_pool_use");
	yl_jw_obj_begin(w);
	ratio_json(w, "family_doctor", &s.pool_family_doctor);
	ratio_json(w, "referral", &s.pool_referral);
	ratio_json(w, "reserved", &s.pool_reserved);
	yl_jw_obj_end(w);
	ratio_json(w, "no_show_rate", &s.no_show);
	ratio_json(w, "avg_days_booking_to_visit", &s.days_to_visit);
	ratio_json(w, "appointment_rate", &s.appointment);
	yl_jw_obj_end(w);
	yl_jw_obj_end(w);
	return YL_OK;
}

const struct yl_route yl_routes_stats[] = {
	{"GET", "/api/v1/stats/signing", get_signing, 0},
	{"GET", "/api/v1/stats/booking", get_booking, 0},
	{NULL, NULL, NULL, 0},
};
