/* sessions.c - /api/v1/sessions: generate from templates, list, get with slots and their
 * pools, change places for every slot, stop (停诊). Generation and stopping are the write
 * paths an institution uses daily; the rules are in schedule.c and session.c.
 */
#include "api/routes.h"
#include "api/slots.h"
#include "base/json_read.h"
#include "domain/schedule.h"
#include "domain/session.h"

static void session_json(const struct yl_ctx *c, struct yl_jw *w, const struct yl_session *o,
			 const struct yl_release_policy *p)
{
	struct yl_pool_view v;
	int64_t now = yl_clock_now(c->clock);

	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", o->id);
	yl_jw_kid(w, "template_id", o->template_id);
	yl_jw_kint(w, "institution_id", o->institution_id);
	yl_jw_kint(w, "department_id", o->department_id);
	yl_jw_kid(w, "practitioner_id", o->practitioner_id);
	yl_jw_kstr(w, "date", o->date);
	yl_jw_kstr(w, "start_time", o->start_time);
	yl_jw_kstr(w, "end_time", o->end_time);
	yl_jw_kint(w, "slot_minutes", o->slot_minutes);
	yl_jw_kstr(w, "status", o->status);
	yl_jw_kstr(w, "stop_reason", o->stop_reason);
	yl_jw_kint(w, "slot_count", o->slot_count);
	yl_jw_kint(w, "capacity", o->capacity);
	yl_jw_kint(w, "booked", o->booked);
	yl_jw_ktime(w, "created_at", o->created_at);
	if (p) {
		yl_jw_key(w, "slots");
		yl_jw_arr_begin(w);
		for (int i = 0; i < o->nslots; i++) {
			yl_slot_pools(&o->slots[i], p, now, &v);
			yl_jw_obj_begin(w);
			yl_slot_json_members(w, &o->slots[i], &v);
			yl_jw_obj_end(w);
		}
		yl_jw_arr_end(w);
	}
	yl_jw_obj_end(w);
}

/* The session with its slots, each slot's pools under the institution's policy. */
static enum yl_err full_json(struct yl_req *r, struct yl_jw *w, const struct yl_session *o)
{
	struct yl_release_policy p;
	enum yl_err err = yl_release_policy_get(&r->ctx, o->institution_id, &p);

	if (!err)
		session_json(&r->ctx, w, o, &p);
	return err;
}

static enum yl_err generate(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"institution_id", "from", "to", NULL};
	int64_t inst, sessions, slots;
	int32_t from, to;
	char day[YL_DATE_LEN];
	enum yl_err err;

	if ((err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "institution_id", true, 1, INT64_MAX, &inst, NULL,
			       r->ctx.diag)) ||
	    (err = yl_json_date(r->body, "from", true, &from, NULL, r->ctx.diag)) ||
	    (err = yl_json_date(r->body, "to", true, &to, NULL, r->ctx.diag)) ||
	    (err = yl_schedule_generate(&r->ctx, inst, from, to, &sessions, &slots)))
		return err;
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "institution_id", inst);
	yl_date_format(from, day);
	yl_jw_kstr(w, "from", day);
	yl_date_format(to, day);
	yl_jw_kstr(w, "to", day);
	yl_jw_kint(w, "sessions_created", sessions);
	yl_jw_kint(w, "slots_created", slots);
	yl_jw_obj_end(w);
	return YL_OK;
}

static enum yl_err list_sessions(struct yl_req *r, struct yl_jw *w)
{
	struct yl_session_filter f = {0};
	struct yl_session *items;
	int32_t day;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "institution_id", 0, 1, INT64_MAX, &f.institution_id)) ||
	    (err = yl_req_query_int(r, "department_id", 0, 1, INT64_MAX, &f.department_id)))
		return err;
	f.date = yl_req_query(r, "date");
	if (f.date && !yl_date_parse(f.date, &day))
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "date", "date must be YYYY-MM-DD");
	if ((err = yl_session_list(&r->ctx, &f, &items, &n, &more)))
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		session_json(&r->ctx, w, &items[i], NULL);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err get_session(struct yl_req *r, struct yl_jw *w)
{
	struct yl_session o;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_session_get(&r->ctx, id, true, &o)))
		return err;
	return full_json(r, w, &o);
}

static enum yl_err patch_session(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"capacity", "quota_family_doctor", "quota_referral",
					     NULL};
	struct yl_session_patch p = {0};
	struct yl_session o;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_int(r->body, "capacity", false, 1, 1000, &p.capacity, &p.has_capacity,
			       r->ctx.diag)) ||
	    (err = yl_json_int(r->body, "quota_family_doctor", false, 0, 1000,
			       &p.quota_family_doctor, &p.has_quota_family_doctor, r->ctx.diag)) ||
	    (err = yl_json_int(r->body, "quota_referral", false, 0, 1000, &p.quota_referral,
			       &p.has_quota_referral, r->ctx.diag)))
		return err;
	if (!p.has_capacity && !p.has_quota_family_doctor && !p.has_quota_referral)
		return yl_diag_set(r->ctx.diag, YL_ERR_MISSING, "capacity",
				   "give capacity, quota_family_doctor or quota_referral");
	if ((err = yl_session_patch(&r->ctx, id, &p, &o)))
		return err;
	return full_json(r, w, &o);
}

static enum yl_err stop_session(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"reason", NULL};
	struct yl_session o;
	const char *reason;
	int64_t id, cancelled;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_str(r->body, "reason", true, 500, r->ctx.arena, &reason, r->ctx.diag)) ||
	    (err = yl_session_stop(&r->ctx, id, reason, &cancelled, &o)))
		return err;
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "cancelled_bookings", cancelled);
	yl_jw_key(w, "session");
	session_json(&r->ctx, w, &o, NULL);
	yl_jw_obj_end(w);
	return YL_OK;
}

const struct yl_route yl_routes_sessions[] = {
	{"POST", "/api/v1/sessions/generate", generate, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"GET", "/api/v1/sessions", list_sessions, 0},
	{"GET", "/api/v1/sessions/{id}", get_session, 0},
	{"PATCH", "/api/v1/sessions/{id}", patch_session, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/sessions/{id}/stop", stop_session, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{NULL, NULL, NULL, 0},
};
