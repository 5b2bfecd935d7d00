/* referrals.c - /api/v1/referrals: request a referral, read one (with its history, care plan
 * and encounters), list them, the transitions accept, reject, cancel, arrive and complete,
 * the care plan's acknowledge and item done, and /api/v1/care-plan-items (the family
 * doctors' task list). Referrals are not importable, so the decoder stays in this file.
 */
#include <stdio.h>
#include <string.h>

#include "api/routes.h"
#include "base/json_read.h"
#include "domain/referral.h"

static void event_json(struct yl_jw *w, const struct yl_referral_event *e)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", e->id);
	yl_jw_ktime(w, "at", e->at);
	yl_jw_kstr(w, "from_status", e->from_status);
	yl_jw_kstr(w, "to_status", e->to_status);
	yl_jw_kid(w, "user_id", e->user_id);
	yl_jw_kstr(w, "actor", e->actor);
	yl_jw_kstr(w, "reason", e->reason);
	yl_jw_obj_end(w);
}

static void item_json(struct yl_jw *w, const struct yl_care_plan_item *it, bool task)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", it->id);
	yl_jw_kint(w, "referral_id", it->referral_id);
	if (task) {
		yl_jw_kint(w, "resident_id", it->resident_id);
		yl_jw_kint(w, "institution_id", it->institution_id);
	}
	yl_jw_kstr(w, "description", it->description);
	yl_jw_kstr(w, "due_date", it->due_date);
	yl_jw_kbool(w, "done", it->done_at != 0);
	if (it->done_at)
		yl_jw_ktime(w, "done_at", it->done_at);
	else
		yl_jw_kstr(w, "done_at", NULL);
	yl_jw_kid(w, "done_by", it->done_by);
	yl_jw_kbool(w, "overdue", it->overdue);
	yl_jw_obj_end(w);
}

static void referral_json(struct yl_jw *w, const struct yl_referral *r)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", r->id);
	yl_jw_kstr(w, "direction", r->direction);
	yl_jw_kstr(w, "care_type", r->care_type);
	yl_jw_kint(w, "resident_id", r->resident_id);
	yl_jw_kint(w, "from_institution_id", r->from_institution_id);
	yl_jw_kid(w, "from_practitioner_id", r->from_practitioner_id);
	yl_jw_kint(w, "to_institution_id", r->to_institution_id);
	yl_jw_kid(w, "to_department_id", r->to_department_id);
	yl_jw_kstr(w, "diagnosis_code", r->diagnosis_code);
	yl_jw_kstr(w, "reason", r->reason);
	yl_jw_kstr(w, "status", r->status);
	yl_jw_kstr(w, "status_reason", r->status_reason);
	yl_jw_kbool(w, "outside_consortium", r->outside_consortium);
	yl_jw_kid(w, "booking_id", r->booking_id);
	yl_jw_kstr(w, "planned_admission_date", r->planned_admission_date);
	if (r->acknowledged_at)
		yl_jw_ktime(w, "acknowledged_at", r->acknowledged_at);
	else
		yl_jw_kstr(w, "acknowledged_at", NULL);
	yl_jw_kid(w, "acknowledged_by", r->acknowledged_by);
	yl_jw_ktime(w, "requested_at", r->requested_at);
	yl_jw_ktime(w, "expires_at", r->expires_at);
	yl_jw_ktime(w, "updated_at", r->updated_at);
	if (r->events) {
		yl_jw_key(w, "history");
		yl_jw_arr_begin(w);
		for (int i = 0; i < r->nevents; i++)
			event_json(w, &r->events[i]);
		yl_jw_arr_end(w);
		yl_jw_key(w, "care_plan");
		yl_jw_arr_begin(w);
		for (int i = 0; i < r->nitems; i++)
			item_json(w, &r->items[i], false);
		yl_jw_arr_end(w);
		yl_jw_key(w, "encounter_ids");
		yl_jw_arr_begin(w);
		for (int i = 0; i < r->nencounters; i++)
			yl_jw_int(w, r->encounter_ids[i]);
		yl_jw_arr_end(w);
	}
	yl_jw_obj_end(w);
}

static enum yl_err decode_encounters(const struct yl_ctx *c, json_t *obj,
				     struct yl_referral_new *in)
{
	json_t *arr = json_object_get(obj, "encounter_ids"), *v;
	int64_t *ids;
	size_t i;

	if (!arr || json_is_null(arr))
		return YL_OK;
	if (!json_is_array(arr))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "encounter_ids",
				   "encounter_ids must be an array of ids");
	if (json_array_size(arr) > YL_REFERRAL_MAX_ENCOUNTERS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "encounter_ids",
				   "encounter_ids may list at most %d ids", YL_REFERRAL_MAX_ENCOUNTERS);
	ids = yl_arena_alloc(c->arena, sizeof(*ids) * (json_array_size(arr) + 1));
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "encounter_ids",
					   "encounter_ids[%zu] must be a positive integer id", i);
		ids[i] = (int64_t)json_integer_value(v);
	}
	in->encounter_ids = ids;
	in->nencounters = (int)json_array_size(arr);
	return YL_OK;
}

static enum yl_err decode_care_plan(const struct yl_ctx *c, json_t *obj,
				    struct yl_referral_new *in)
{
	static const char *const fields[] = {"description", "due_date", NULL};
	json_t *arr = json_object_get(obj, "care_plan"), *v;
	struct yl_care_plan_new *items;
	enum yl_err err;
	size_t i;

	if (!arr || json_is_null(arr))
		return YL_OK;
	if (!json_is_array(arr))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "care_plan",
				   "care_plan must be an array of {description, due_date}");
	if (json_array_size(arr) > YL_REFERRAL_MAX_ITEMS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "care_plan",
				   "care_plan may hold at most %d items", YL_REFERRAL_MAX_ITEMS);
	items = yl_arena_alloc(c->arena, sizeof(*items) * (json_array_size(arr) + 1));
	json_array_foreach(arr, i, v) {
		if (!json_is_object(v))
			return yl_diag_set(c->diag, YL_ERR_INVALID, "care_plan",
					   "care_plan[%zu] must be an object", i);
		/* The item's own field names are reported as care_plan.<name>. */
		if ((err = yl_json_only(v, fields, c->diag)) ||
		    (err = yl_json_str(v, "description", true, YL_REFERRAL_ITEM_MAX, c->arena,
				       &items[i].description, c->diag)) ||
		    (err = yl_json_date(v, "due_date", true, &items[i].due_date, NULL, c->diag))) {
			char field[sizeof(c->diag->field)];
			memcpy(field, c->diag->field, sizeof(field));
			snprintf(c->diag->field, sizeof(c->diag->field), "care_plan.%.100s", field);
			return err;
		}
	}
	in->care_plan = items;
	in->ncare_plan = (int)json_array_size(arr);
	return YL_OK;
}

static enum yl_err decode_new(const struct yl_ctx *c, json_t *obj, struct yl_referral_new *in)
{
	static const char *const fields[] = {"direction", "care_type", "resident_id",
					     "from_institution_id", "from_practitioner_id",
					     "to_institution_id", "to_department_id", "diagnosis_code",
					     "reason", "care_plan", "encounter_ids", NULL};
	enum yl_err err;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_str(obj, "direction", true, 16, c->arena, &in->direction, c->diag)) ||
	    (err = yl_json_str(obj, "care_type", true, 16, c->arena, &in->care_type, c->diag)) ||
	    (err = yl_json_int(obj, "resident_id", true, 1, INT64_MAX, &in->resident_id, NULL,
			       c->diag)) ||
	    (err = yl_json_int(obj, "from_institution_id", true, 1, INT64_MAX,
			       &in->from_institution_id, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "from_practitioner_id", false, 1, INT64_MAX,
			       &in->from_practitioner_id, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "to_institution_id", false, 1, INT64_MAX,
			       &in->to_institution_id, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "to_department_id", false, 1, INT64_MAX, &in->to_department_id,
			       NULL, c->diag)) ||
	    (err = yl_json_str(obj, "diagnosis_code", true, 10, c->arena, &in->diagnosis_code,
			       c->diag)) ||
	    (err = yl_json_str(obj, "reason", true, YL_REFERRAL_REASON_MAX, c->arena, &in->reason,
			       c->diag)) ||
	    (err = decode_care_plan(c, obj, in)) || (err = decode_encounters(c, obj, in)))
		return err;
	return YL_OK;
}

static enum yl_err post_referral(struct yl_req *r, struct yl_jw *w)
{
	struct yl_referral_new in;
	struct yl_referral out;
	enum yl_err err;

	if ((err = decode_new(&r->ctx, r->body, &in)) ||
	    (err = yl_referral_create(&r->ctx, &in, &out)))
		return err;
	r->status = 201;
	referral_json(w, &out);
	return YL_OK;
}

static enum yl_err get_referral(struct yl_req *r, struct yl_jw *w)
{
	struct yl_referral out;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_referral_get(&r->ctx, id, &out);
	if (!err)
		referral_json(w, &out);
	return err;
}

/* ?name=true|false into *out (-1 when absent). */
static enum yl_err query_bool(struct yl_req *r, const char *name, int *out)
{
	const char *v = yl_req_query(r, name);

	*out = -1;
	if (!v)
		return YL_OK;
	if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, name, "%s must be true or false", name);
	*out = strcmp(v, "true") == 0;
	return YL_OK;
}

static enum yl_err list_referrals(struct yl_req *r, struct yl_jw *w)
{
	struct yl_referral_filter f = {0};
	struct yl_referral *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "resident_id", 0, 1, INT64_MAX, &f.resident_id)) ||
	    (err = yl_req_query_int(r, "from_institution_id", 0, 1, INT64_MAX,
				    &f.from_institution_id)) ||
	    (err = yl_req_query_int(r, "to_institution_id", 0, 1, INT64_MAX,
				    &f.to_institution_id)) ||
	    (err = query_bool(r, "outside_consortium", &f.outside_consortium)))
		return err;
	f.status = yl_req_query(r, "status");
	f.direction = yl_req_query(r, "direction");
	if ((err = yl_referral_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		referral_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err post_accept(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"slot_id", "planned_admission_date", NULL};
	struct yl_referral_accept in = {0};
	struct yl_referral out;
	struct yl_ctx *c = &r->ctx;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "slot_id", false, 1, INT64_MAX, &in.slot_id, NULL,
			       c->diag)) ||
	    (err = yl_json_date(r->body, "planned_admission_date", false,
				&in.planned_admission_date, &in.has_planned_admission, c->diag)) ||
	    (err = yl_referral_accept(c, id, &in, &out)))
		return err;
	referral_json(w, &out);
	return YL_OK;
}

typedef enum yl_err (*reason_fn)(const struct yl_ctx *c, int64_t id, const char *reason,
				 struct yl_referral *out);

static enum yl_err with_reason(struct yl_req *r, struct yl_jw *w, reason_fn fn)
{
	static const char *const fields[] = {"reason", NULL};
	struct yl_referral out;
	const char *reason;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_str(r->body, "reason", true, YL_REFERRAL_NOTE_MAX, r->ctx.arena, &reason,
			       r->ctx.diag)) ||
	    (err = fn(&r->ctx, id, reason, &out)))
		return err;
	referral_json(w, &out);
	return YL_OK;
}

static enum yl_err post_reject(struct yl_req *r, struct yl_jw *w)
{
	return with_reason(r, w, yl_referral_reject);
}

static enum yl_err post_cancel(struct yl_req *r, struct yl_jw *w)
{
	return with_reason(r, w, yl_referral_cancel);
}

typedef enum yl_err (*plain_fn)(const struct yl_ctx *c, int64_t id, struct yl_referral *out);

static enum yl_err plain(struct yl_req *r, struct yl_jw *w, plain_fn fn)
{
	static const char *const none[] = {NULL};
	struct yl_referral out;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, none)) ||
	    (err = fn(&r->ctx, id, &out)))
		return err;
	referral_json(w, &out);
	return YL_OK;
}

static enum yl_err post_arrive(struct yl_req *r, struct yl_jw *w)
{
	return plain(r, w, yl_referral_arrive);
}

static enum yl_err post_complete(struct yl_req *r, struct yl_jw *w)
{
	return plain(r, w, yl_referral_complete);
}

static enum yl_err post_acknowledge(struct yl_req *r, struct yl_jw *w)
{
	return plain(r, w, yl_referral_acknowledge);
}

static enum yl_err post_item_done(struct yl_req *r, struct yl_jw *w)
{
	static const char *const none[] = {NULL};
	struct yl_care_plan_item out;
	int64_t id, item;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_id(r, 1, &item)) ||
	    (err = yl_req_only(r, none)) || (err = yl_referral_item_done(&r->ctx, id, item, &out)))
		return err;
	item_json(w, &out, false);
	return YL_OK;
}

static enum yl_err list_items(struct yl_req *r, struct yl_jw *w)
{
	struct yl_care_plan_filter f = {0};
	struct yl_care_plan_item *items;
	int n, overdue;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)) ||
	    (err = query_bool(r, "overdue", &overdue)))
		return err;
	f.overdue_only = overdue == 1;
	if ((err = yl_care_plan_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		item_json(w, &items[i], true);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

#define ACTION (YL_ROUTE_WRITE | YL_ROUTE_BODY | YL_ROUTE_BODY_OPT)

const struct yl_route yl_routes_referrals[] = {
	{"POST", "/api/v1/referrals", post_referral, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/referrals", list_referrals, 0},
	{"GET", "/api/v1/referrals/{id}", get_referral, 0},
	{"POST", "/api/v1/referrals/{id}/accept", post_accept, ACTION},
	{"POST", "/api/v1/referrals/{id}/reject", post_reject, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/referrals/{id}/cancel", post_cancel, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/referrals/{id}/arrive", post_arrive, ACTION},
	{"POST", "/api/v1/referrals/{id}/complete", post_complete, ACTION},
	{"POST", "/api/v1/referrals/{id}/acknowledge", post_acknowledge, ACTION},
	{"POST", "/api/v1/referrals/{id}/care-plan/{item_id}/done", post_item_done, ACTION},
	{"GET", "/api/v1/care-plan-items", list_items, 0},
	{NULL, NULL, NULL, 0},
};
