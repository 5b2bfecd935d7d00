/* bookings.c - /api/v1/bookings: book a place in a slot (idempotent by key), read one, list
 * by resident, slot or derived status, and the actions cancel, check-in and seen. Bookings
 * are not importable, so the decoder stays in this file. The idempotency key travels in the
 * body (`idempotency_key`), where every face can carry it, or in an `Idempotency-Key` header
 * (the HTTP convention); a retried request is answered 200 with the first booking instead of
 * 201. Booking goes through the group committer: the decoded request is deferred to it
 * (yl_req_defer) and run by yl_booking_create in a savepoint of a shared, durable commit.
 */
#include <string.h>

#include "api/committer.h"
#include "api/routes.h"
#include "base/json_read.h"
#include "domain/booking.h"

static void booking_json(struct yl_jw *w, const struct yl_booking *b)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "id", b->id);
	yl_jw_kint(w, "slot_id", b->slot_id);
	yl_jw_kint(w, "session_id", b->session_id);
	yl_jw_kint(w, "resident_id", b->resident_id);
	yl_jw_kint(w, "institution_id", b->institution_id);
	yl_jw_kint(w, "department_id", b->department_id);
	yl_jw_kid(w, "practitioner_id", b->practitioner_id);
	yl_jw_kstr(w, "date", b->date);
	yl_jw_ktime(w, "starts_at", b->starts_at);
	yl_jw_ktime(w, "ends_at", b->ends_at);
	yl_jw_kstr(w, "pool", b->pool);
	yl_jw_kstr(w, "status", b->status);
	yl_jw_kstr(w, "cancel_reason", b->cancel_reason);
	yl_jw_kid(w, "booked_by", b->booked_by);
	yl_jw_kstr(w, "idempotency_key", b->idempotency_key);
	yl_jw_ktime(w, "created_at", b->created_at);
	yl_jw_ktime(w, "updated_at", b->updated_at);
	yl_jw_obj_end(w);
}

static enum yl_err decode_booking(const struct yl_ctx *c, json_t *obj, struct yl_booking_new *in)
{
	static const char *const fields[] = {"slot_id", "resident_id", "pool", "idempotency_key",
					     NULL};
	const char *pool = NULL;
	bool has_resident = false;
	enum yl_err err;
	int p;

	memset(in, 0, sizeof(*in));
	if ((err = yl_json_only(obj, fields, c->diag)) ||
	    (err = yl_json_int(obj, "slot_id", true, 1, INT64_MAX, &in->slot_id, NULL, c->diag)) ||
	    (err = yl_json_int(obj, "resident_id", false, 1, INT64_MAX, &in->resident_id,
			       &has_resident, c->diag)) ||
	    (err = yl_json_str(obj, "pool", false, 32, c->arena, &pool, c->diag)) ||
	    (err = yl_json_str(obj, "idempotency_key", false, YL_BOOKING_KEY_MAX, c->arena,
			       &in->idempotency_key, c->diag)))
		return err;
	/* a resident user books for themself; everyone else names the resident */
	if (!has_resident && c->actor->role == YL_ROLE_RESIDENT)
		in->resident_id = c->actor->resident_id;
	else if (!has_resident)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "resident_id", "resident_id is required");
	p = pool ? yl_pool_parse(pool) : YL_POOL_PUBLIC;
	if (p < 0)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "pool",
				   "pool must be public or family_doctor");
	in->pool = (enum yl_pool)p;
	return YL_OK;
}

/* One booking request as a committer job. */
struct booking_job {
	struct yl_booking_new in;
	struct yl_booking out;
	bool replayed;
};

static enum yl_err run_booking(const struct yl_ctx *c, void *arg)
{
	struct booking_job *j = arg;

	return yl_booking_create(c, &j->in, &j->out, &j->replayed);
}

static enum yl_err finish_booking(struct yl_req *r, struct yl_jw *w, void *arg)
{
	struct booking_job *j = arg;

	r->status = j->replayed ? 200 : 201;
	booking_json(w, &j->out);
	return YL_OK;
}

/* The Idempotency-Key header stands in for a body key; both given must agree, so that a client
 * never has one of two keys silently ignored. */
static enum yl_err header_key(struct yl_req *r, struct yl_booking_new *in)
{
	const char *h = yl_req_header(r, "Idempotency-Key");

	if (!h)
		return YL_OK;
	if (strlen(h) > YL_BOOKING_KEY_MAX)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "idempotency_key",
				   "Idempotency-Key header is longer than %d bytes",
				   YL_BOOKING_KEY_MAX);
	if (in->idempotency_key && strcmp(in->idempotency_key, h) != 0)
		return yl_diag_set(r->ctx.diag, YL_ERR_INVALID, "idempotency_key",
				   "idempotency_key and the Idempotency-Key header differ");
	/* copied: the job may outlive the transport's view of the header */
	in->idempotency_key = yl_arena_strdup(r->ctx.arena, h);
	return YL_OK;
}

static enum yl_err post_booking(struct yl_req *r, struct yl_jw *w)
{
	/* arena-owned: with a committer it is read after this handler has returned */
	struct booking_job *j = yl_arena_alloc(r->ctx.arena, sizeof(*j));
	enum yl_err err;

	if ((err = decode_booking(&r->ctx, r->body, &j->in)) || (err = header_key(r, &j->in)))
		return err;
	if (r->committer) {
		yl_req_defer(r, run_booking, finish_booking, j);
		return YL_OK;
	}
	/* without a committer (a transaction is already open) the booking runs in it */
	if ((err = run_booking(&r->ctx, j)))
		return err;
	return finish_booking(r, w, j);
}

static enum yl_err get_booking(struct yl_req *r, struct yl_jw *w)
{
	struct yl_booking b;
	int64_t id;
	enum yl_err err = yl_req_id(r, 0, &id);

	if (!err)
		err = yl_booking_get(&r->ctx, id, &b);
	if (!err)
		booking_json(w, &b);
	return err;
}

static enum yl_err list_bookings(struct yl_req *r, struct yl_jw *w)
{
	struct yl_booking_filter f = {0};
	struct yl_booking *items;
	int n;
	bool more;
	enum yl_err err;

	if ((err = yl_req_page(r, &f.limit, &f.after)) ||
	    (err = yl_req_query_int(r, "resident_id", 0, 1, INT64_MAX, &f.resident_id)) ||
	    (err = yl_req_query_int(r, "slot_id", 0, 1, INT64_MAX, &f.slot_id)))
		return err;
	f.status = yl_req_query(r, "status");
	err = yl_booking_list(&r->ctx, &f, &items, &n, &more);
	if (err)
		return err;
	yl_page_begin(w);
	for (int i = 0; i < n; i++)
		booking_json(w, &items[i]);
	yl_page_end_id(w, more, n ? items[n - 1].id : 0);
	return YL_OK;
}

static enum yl_err post_cancel(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {"reason", NULL};
	struct yl_booking out;
	const char *reason;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_json_str(r->body, "reason", true, YL_BOOKING_REASON_MAX, r->ctx.arena, &reason,
			       r->ctx.diag)) ||
	    (err = yl_booking_cancel(&r->ctx, id, reason, &out)))
		return err;
	booking_json(w, &out);
	return YL_OK;
}

static enum yl_err post_check_in(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {NULL};
	struct yl_booking out;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_booking_check_in(&r->ctx, id, &out)))
		return err;
	booking_json(w, &out);
	return YL_OK;
}

static enum yl_err post_seen(struct yl_req *r, struct yl_jw *w)
{
	static const char *const fields[] = {NULL};
	struct yl_booking out;
	int64_t id;
	enum yl_err err;

	if ((err = yl_req_id(r, 0, &id)) || (err = yl_req_only(r, fields)) ||
	    (err = yl_booking_seen(&r->ctx, id, &out)))
		return err;
	booking_json(w, &out);
	return YL_OK;
}

const struct yl_route yl_routes_bookings[] = {
	{"POST", "/api/v1/bookings", post_booking, YL_ROUTE_WRITE | YL_ROUTE_BODY | YL_ROUTE_OWN_TX},
	{"GET", "/api/v1/bookings", list_bookings, 0},
	{"GET", "/api/v1/bookings/{id}", get_booking, 0},
	{"POST", "/api/v1/bookings/{id}/cancel", post_cancel, YL_ROUTE_WRITE | YL_ROUTE_BODY},
	{"POST", "/api/v1/bookings/{id}/check-in", post_check_in,
	 YL_ROUTE_WRITE | YL_ROUTE_BODY | YL_ROUTE_BODY_OPT},
	{"POST", "/api/v1/bookings/{id}/seen", post_seen,
	 YL_ROUTE_WRITE | YL_ROUTE_BODY | YL_ROUTE_BODY_OPT},
	{NULL, NULL, NULL, 0},
};
