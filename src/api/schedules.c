/* schedules.c - an institution's release policy (/api/v1/institutions/{id}/release-policy)
 * and weekly schedule templates (/api/v1/schedule-templates). Sessions generated from the
 * templates are in sessions.c. PUT of a policy replaces it whole, so every field is required.
 */
#include <string.h>

#include "api/routes.h"
#include "base/json_read.h"
#include "domain/schedule.h"
#include "domain/slot.h"

static void policy_json(struct yl_jw *w, const struct yl_release_policy *p)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "institution_id", p->institution_id);
	yl_jw_kint(w, "days_ahead", p->days_ahead);
	yl_jw_kstr(w, "release_time", p->release_time);
	yl_jw_kint(w, "fallback_hours", p->fallback_hours);
	yl_jw_kint(w, "cancel_cutoff_hours", p->cancel_cutoff_hours);
	yl_jw_kbool(w, "default", p->is_default);
	yl_jw_obj_end(w);
}

static enum yl_err get_policy(struct yl_req *r, struct yl_jw *w)
{
	struct yl_release_policy p;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_release_policy_get(&r->ctx, id, &p)))
		return err;
	policy_json(w, &p);
	return YL_OK;
}

static enum yl_err put_policy(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"days_ahead", "release_time", "fallback_hours",
					     "cancel_cutoff_hours", NULL};
	struct yl_release_policy p = {0};
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &p.institution_id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "days_ahead", true, 0, 90, &p.days_ahead, NULL,
			       r->ctx.diag)) ||
	    (err = yl_json_str(r->body, "release_time", true, 5, r->ctx.arena, &p.release_time,
			       r->ctx.diag)) ||
	    (err = yl_json_int(r->body, "fallback_hours", true, 0, 720, &p.fallback_hours, NULL,
			       r->ctx.diag)) ||
	    (err = yl_json_int(r->body, "cancel_cutoff_hours", true, 0, 720, &p.cancel_cutoff_hours,
			       NULL, r->ctx.diag)) ||
	    (err = yl_release_policy_set(&r->ctx, &p)) ||
	    (err = yl_release_policy_get(&r->ctx, p.institution_id, &p)))
		return err;
	policy_json(w, &p);
	return YL_OK;
}

static void template_json(struct yl_jw *w, const struct yl_schedule_template *t)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", t->id);
	yl_jw_kint(w, "institution_id", t->institution_id);
	yl_jw_kint(w, "department_id", t->department_id);
	yl_jw_kid(w, "practitioner_id", t->practitioner_id);
	yl_jw_kint(w, "weekday", t->weekday);
	yl_jw_kstr(w, "start_time", t->start_time);
	yl_jw_kstr(w, "end_time", t->end_time);
	yl_jw_kint(w, "slot_minutes", t->slot_minutes);
	yl_jw_kint(w, "capacity", t->capacity);
	yl_jw_kint(w, "quota_family_doctor", t->quota_family_doctor);
	yl_jw_kint(w, "quota_referral", t->quota_referral);
	yl_jw_kstr(w, "valid_from", t->valid_from);
	yl_jw_kstr(w, "valid_to", t->valid_to);
	yl_jw_kbool(w, "active", t->active);
	yl_jw_ktime(w, "created_at", t->created_at);
	yl_jw_obj_end(w);
}

/* Dates are checked as dates here and kept as their text (the stored form). */
static enum yl_err date_text(struct yl_req *r, const char *key, bool required, const char **out)
{
	int32_t day;
	bool present;
	enum yl_err err = yl_json_date(r->body, key, required, &day, &present, r->ctx.diag);

	*out = NULL;
	if (!err && present)
		*out = yl_arena_strdup(r->ctx.arena, json_string_value(json_object_get(r->body, key)));
	return err;
}

static enum yl_err post_template(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"department_id", "practitioner_id", "weekday",
					     "start_time", "end_time", "slot_minutes", "capacity",
					     "quota_family_doctor", "quota_referral", "valid_from",
					     "valid_to", NULL};
	struct yl_schedule_template in = {0}, out;
	struct yl_diag *d = r->ctx.diag;
	struct yl_arena *a = r->ctx.arena;
	enum yl_err err;

	if ((err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "department_id", true, 1, INT64_MAX, &in.department_id, NULL,
			       d)) ||
	    (err = yl_json_int(r->body, "practitioner_id", false, 1, INT64_MAX, &in.practitioner_id,
			       NULL, d)) ||
	    (err = yl_json_int(r->body, "weekday", true, 1, 7, &in.weekday, NULL, d)) ||
	    (err = yl_json_str(r->body, "start_time", true, 5, a, &in.start_time, d)) ||
	    (err = yl_json_str(r->body, "end_time", true, 5, a, &in.end_time, d)) ||
	    (err = yl_json_int(r->body, "slot_minutes", true, 5, 240, &in.slot_minutes, NULL, d)) ||
	    (err = yl_json_int(r->body, "capacity", true, 1, 1000, &in.capacity, NULL, d)) ||
	    (err = yl_json_int(r->body, "quota_family_doctor", false, 0, 1000,
			       &in.quota_family_doctor, NULL, d)) ||
	    (err = yl_json_int(r->body, "quota_referral", false, 0, 1000, &in.quota_referral, NULL,
			       d)) ||
	    (err = date_text(r, "valid_from", true, &in.valid_from)) ||
	    (err = date_text(r, "valid_to", false, &in.valid_to)) ||
	    (err = yl_schedule_template_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	template_json(w, &out);
	return YL_OK;
}

static enum yl_err get_template(struct yl_req *r, struct yl_jw *w)
{
	struct yl_schedule_template t;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_schedule_template_get(&r->ctx, id, &t)))
		return err;
	template_json(w, &t);
	return YL_OK;
}

static enum yl_err patch_template(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"capacity", "quota_family_doctor", "quota_referral",
					     "active", NULL};
	struct yl_schedule_template_patch p = {0};
	struct yl_schedule_template t;
	struct yl_diag *d = r->ctx.diag;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "capacity", false, 1, 1000, &p.capacity, &p.has_capacity,
			       d)) ||
	    (err = yl_json_int(r->body, "quota_family_doctor", false, 0, 1000,
			       &p.quota_family_doctor, &p.has_quota_family_doctor, d)) ||
	    (err = yl_json_int(r->body, "quota_referral", false, 0, 1000, &p.quota_referral,
			       &p.has_quota_referral, d)) ||
	    (err = yl_json_bool(r->body, "active", false, &p.active, &p.has_active, d)))
		return err;
	if (!p.has_capacity && !p.has_quota_family_doctor && !p.has_quota_referral && !p.has_active)
		return yl_diag_set(d, YL_ERR_MISSING, "capacity",
				   "give capacity, quota_family_doctor, quota_referral or active");
	if ((err = yl_schedule_template_patch(&r->ctx, id, &p, &t)))
		return err;
	template_json(w, &t);
	return YL_OK;
}

static enum yl_err list_templates(struct yl_req *r, struct yl_jw *w)
{
	struct yl_schedule_template_filter f = {0};
	struct yl_schedule_template *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)) ||
	    (err = yl_req_query_int(r, "department_id", 0, 1, INT64_MAX, &f.department_id)) ||
	    (err = yl_schedule_template_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		template_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

const struct yl_route yl_routes_schedules[] = {
	{"GET", "/api/v1/institutions/{id}/release-policy", get_policy, 0},
	{"PUT", "/api/v1/institutions/{id}/release-policy", put_policy,
	 YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/schedule-templates", post_template, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/schedule-templates", list_templates, 0},
	{"GET", "/api/v1/schedule-templates/{id}", get_template, 0},
	{"PATCH", "/api/v1/schedule-templates/{id}", patch_template, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{NULL, NULL, NULL, 0},
};
