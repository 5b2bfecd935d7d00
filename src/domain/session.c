/* session.c - reading, re-sizing and stopping sessions. The counters booked_* on a slot are
 * the booking module's to raise; this file only lowers them, when stopping a session cancels
 * bookings, and does so in the caller's transaction with the cancellations themselves so
 * the counters and the bookings never disagree. Totals shown on a session are summed from
 * its slots at read time rather than stored, so there is no second copy to keep right.
 */
#include "domain/session.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void yl_session_slot_read(const struct yl_ctx *c, struct yl_stmt *st, int first,
			  struct yl_slot *o)
{
	int k = first;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, k++);
	o->session_id = yl_stmt_int(st, k++);
	o->institution_id = yl_stmt_int(st, k++);
	o->department_id = yl_stmt_int(st, k++);
	o->practitioner_id = yl_stmt_null(st, k) ? 0 : yl_stmt_int(st, k);
	k++;
	o->category_code = yl_stmt_null(st, k) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, k));
	k++;
	o->starts_at = yl_stmt_int(st, k++);
	o->ends_at = yl_stmt_int(st, k++);
	o->capacity = yl_stmt_int(st, k++);
	o->quota[YL_POOL_FAMILY_DOCTOR] = yl_stmt_int(st, k++);
	o->quota[YL_POOL_REFERRAL] = yl_stmt_int(st, k++);
	o->booked[YL_POOL_PUBLIC] = yl_stmt_int(st, k++);
	o->booked[YL_POOL_FAMILY_DOCTOR] = yl_stmt_int(st, k++);
	o->booked[YL_POOL_REFERRAL] = yl_stmt_int(st, k++);
	o->stopped = strcmp(yl_stmt_text(st, k), "stopped") == 0;
}

static void read_slot_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	yl_session_slot_read(c, st, 0, item);
}

#define SESSION_COLS                                                                               \
	"se.id, se.template_id, se.institution_id, se.department_id, se.practitioner_id, se.date," \
	" se.start_time, se.end_time, se.slot_minutes, se.status, se.stop_reason, se.created_at,"  \
	" count(s.id), coalesce(sum(s.capacity), 0), coalesce(sum(s.booked_public"                 \
	" + s.booked_family_doctor + s.booked_referral), 0)"
#define SESSION_FROM "sessions se LEFT JOIN slots s ON s.session_id = se.id"

static const char *opt_text(const struct yl_ctx *c, struct yl_stmt *st, int col)
{
	return yl_stmt_null(st, col) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, col));
}

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_session *o = item;

	memset(o, 0, sizeof(*o));
	o->id = yl_stmt_int(st, 0);
	o->template_id = yl_stmt_null(st, 1) ? 0 : yl_stmt_int(st, 1);
	o->institution_id = yl_stmt_int(st, 2);
	o->department_id = yl_stmt_int(st, 3);
	o->practitioner_id = yl_stmt_null(st, 4) ? 0 : yl_stmt_int(st, 4);
	o->date = opt_text(c, st, 5);
	o->start_time = opt_text(c, st, 6);
	o->end_time = opt_text(c, st, 7);
	o->slot_minutes = yl_stmt_int(st, 8);
	o->status = opt_text(c, st, 9);
	o->stop_reason = opt_text(c, st, 10);
	o->created_at = yl_stmt_int(st, 11);
	o->slot_count = yl_stmt_int(st, 12);
	o->capacity = yl_stmt_int(st, 13);
	o->booked = yl_stmt_int(st, 14);
}

/* Every slot of a session in time order; a session has at most 24 * 60 / 5 of them. */
static enum yl_err load_slots(const struct yl_ctx *c, struct yl_session *o)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool more;

	err = yl_store_prepare(c->store, "SELECT " YL_SLOT_COLS " FROM " YL_SLOT_FROM
					 " WHERE s.session_id = ? ORDER BY s.starts_at LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, o->id);
	yl_stmt_bind_int(st, 2, 24 * 12 + 1);
	return yl_rows_page(c, st, read_slot_row, sizeof(*o->slots), 24 * 12, &o->slots, &o->nslots,
			    &more);
}

static enum yl_err get_bare(const struct yl_ctx *c, int64_t id, bool with_slots,
			    struct yl_session *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " SESSION_COLS " FROM " SESSION_FROM
					 " WHERE se.id = ? GROUP BY se.id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_row_one(c, st, read_row, out, "id", "no session with id %" PRId64, id);
	if (!err && with_slots)
		err = load_slots(c, out);
	return err;
}

/* Sessions and slots are the public timetable: every signed-in role may read them (a resident
 * chooses a slot from them). */
static enum yl_err require_reader(const struct yl_ctx *c)
{
	if (c->actor->role != YL_ROLE_NONE)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "sign in to read sessions");
}

enum yl_err yl_session_get(const struct yl_ctx *c, int64_t id, bool with_slots,
			   struct yl_session *out)
{
	enum yl_err err = require_reader(c);

	return err ? err : get_bare(c, id, with_slots, out);
}

enum yl_err yl_session_list(const struct yl_ctx *c, const struct yl_session_filter *f,
			    struct yl_session **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;

	*items = NULL;
	*n = 0;
	*more = false;
	if ((err = require_reader(c)))
		return err;
	err = yl_store_prepare(c->store, "SELECT " SESSION_COLS " FROM " SESSION_FROM
					 " WHERE (? = 0 OR se.institution_id = ?) AND (? = 0 OR"
					 " se.department_id = ?) AND (? IS NULL OR se.date = ?) AND se.id > ?"
					 " GROUP BY se.id ORDER BY se.id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, f->institution_id);
	yl_stmt_bind_int(st, 2, f->institution_id);
	yl_stmt_bind_int(st, 3, f->department_id);
	yl_stmt_bind_int(st, 4, f->department_id);
	yl_stmt_bind_text(st, 5, f->date);
	yl_stmt_bind_text(st, 6, f->date);
	yl_stmt_bind_int(st, 7, f->after);
	yl_stmt_bind_int(st, 8, f->limit + 1);
	return yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
}

/* The new places of slot s under patch p, and whether s can take them. */
static enum yl_err check_slot(const struct yl_ctx *c, const struct yl_slot *s,
			      const struct yl_session_patch *p, int64_t *cap, int64_t *fd,
			      int64_t *ref)
{
	int64_t held, old_public, new_public;

	*cap = p->has_capacity ? p->capacity : s->capacity;
	*fd = p->has_quota_family_doctor ? p->quota_family_doctor : s->quota[YL_POOL_FAMILY_DOCTOR];
	*ref = p->has_quota_referral ? p->quota_referral : s->quota[YL_POOL_REFERRAL];
	if (*cap < 1 || *cap > 1000)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "capacity", "capacity must be 1-1000");
	if (*fd < 0 || *fd > *cap)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "quota_family_doctor",
				   "quota_family_doctor must be 0-%" PRId64 " (the capacity)", *cap);
	if (*ref < 0 || *fd + *ref > *cap)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "quota_referral",
				   "quota_referral must be 0-%" PRId64
				   " (capacity minus quota_family_doctor)", *cap - *fd);
	held = s->booked[0] + s->booked[1] + s->booked[2];
	if (*cap < held)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "capacity",
				   "slot %" PRId64 " already holds %" PRId64 " bookings", s->id, held);
	if (*fd < s->booked[YL_POOL_FAMILY_DOCTOR])
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "quota_family_doctor",
				   "slot %" PRId64 " already holds %" PRId64 " family-doctor bookings",
				   s->id, s->booked[YL_POOL_FAMILY_DOCTOR]);
	if (*ref < s->booked[YL_POOL_REFERRAL])
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "quota_referral",
				   "slot %" PRId64 " already holds %" PRId64 " referral bookings", s->id,
				   s->booked[YL_POOL_REFERRAL]);
	/* After the fallback public may legitimately hold more than its share; refuse only a
	 * change that shrinks the share below what public already holds. */
	old_public = s->capacity - s->quota[YL_POOL_FAMILY_DOCTOR] - s->quota[YL_POOL_REFERRAL];
	new_public = *cap - *fd - *ref;
	if (new_public < old_public && new_public < s->booked[YL_POOL_PUBLIC])
		return yl_diag_set(c->diag, YL_ERR_CONFLICT,
				   p->has_capacity ? "capacity" : "quota_family_doctor",
				   "slot %" PRId64 " already holds %" PRId64
				   " public bookings; the public share would be %" PRId64, s->id,
				   s->booked[YL_POOL_PUBLIC], new_public);
	return YL_OK;
}

enum yl_err yl_session_patch(const struct yl_ctx *c, int64_t id, const struct yl_session_patch *p,
			     struct yl_session *out)
{
	struct yl_session o;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t cap, fd, ref;

	if ((err = get_bare(c, id, true, &o)) ||
	    (err = yl_require_institution_admin(c, o.institution_id)))
		return err;
	if (strcmp(o.status, "open") != 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, NULL,
				   "session %" PRId64 " is stopped", id);
	/* check every slot before writing any, so a refusal leaves nothing half-changed even
	 * without the caller's rollback */
	for (int i = 0; i < o.nslots; i++)
		if ((err = check_slot(c, &o.slots[i], p, &cap, &fd, &ref)))
			return err;
	if (o.nslots == 0 && (err = check_slot(c, &(struct yl_slot){.capacity = 1}, p, &cap, &fd,
					       &ref)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE slots SET capacity = ?, quota_family_doctor = ?,"
					 " quota_referral = ? WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	for (int i = 0; i < o.nslots; i++) {
		check_slot(c, &o.slots[i], p, &cap, &fd, &ref);
		yl_stmt_bind_int(st, 1, cap);
		yl_stmt_bind_int(st, 2, fd);
		yl_stmt_bind_int(st, 3, ref);
		yl_stmt_bind_int(st, 4, o.slots[i].id);
		if ((err = yl_stmt_run(st, c->diag)))
			return err;
	}
	if ((err = yl_audit_id(c, "update", "session", id)))
		return err;
	return out ? get_bare(c, id, true, out) : YL_OK;
}

/* Per slot of the session, the bookings still 'booked' in each pool. */
struct held {
	int64_t slot_id;
	int64_t n[3];
};

static void read_held(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct held *h = item;

	(void)c;
	h->slot_id = yl_stmt_int(st, 0);
	for (int i = 0; i < 3; i++)
		h->n[i] = yl_stmt_int(st, 1 + i);
}

enum yl_err yl_session_stop(const struct yl_ctx *c, int64_t id, const char *reason,
			    int64_t *cancelled, struct yl_session *out)
{
	struct yl_session o;
	struct held *held;
	struct yl_stmt *st;
	enum yl_err err;
	char today[YL_DATE_LEN], cancel_reason[600], idtext[24];
	int64_t now = yl_clock_now(c->clock), total = 0;
	int n;
	bool more;

	if (cancelled)
		*cancelled = 0;
	if ((err = get_bare(c, id, false, &o)) ||
	    (err = yl_require_institution_admin(c, o.institution_id)))
		return err;
	if (!reason || !*reason)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "reason", "reason is required");
	if (strlen(reason) > 500)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "reason", "reason is over 500 bytes");
	if (strcmp(o.status, "open") != 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, NULL,
				   "session %" PRId64 " is already stopped", id);
	yl_date_format(yl_clock_today(c->clock), today);
	if (strcmp(o.date, today) < 0)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, NULL,
				   "session %" PRId64 " of %s is over", id, o.date);
	err = yl_store_prepare(c->store, "SELECT b.slot_id,"
					 " sum(CASE WHEN b.pool = 'public' THEN 1 ELSE 0 END),"
					 " sum(CASE WHEN b.pool = 'family_doctor' THEN 1 ELSE 0 END),"
					 " sum(CASE WHEN b.pool = 'referral' THEN 1 ELSE 0 END)"
					 " FROM bookings b JOIN slots s ON s.id = b.slot_id"
					 " WHERE s.session_id = ? AND b.status = 'booked'"
					 " GROUP BY b.slot_id ORDER BY b.slot_id LIMIT ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	yl_stmt_bind_int(st, 2, 24 * 12 + 1);
	if ((err = yl_rows_page(c, st, read_held, sizeof(*held), 24 * 12, &held, &n, &more)))
		return err;
	snprintf(cancel_reason, sizeof(cancel_reason), "session stopped: %s", reason);
	err = yl_store_prepare(c->store, "UPDATE sessions SET status = 'stopped', stop_reason = ?"
					 " WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, reason);
	yl_stmt_bind_int(st, 2, id);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	err = yl_store_prepare(c->store, "UPDATE bookings SET status = 'cancelled', cancel_reason = ?,"
					 " updated_at = ? WHERE slot_id = ? AND status = 'booked'", &st,
			       c->diag);
	if (err)
		return err;
	for (int i = 0; i < n; i++) {
		yl_stmt_bind_text(st, 1, cancel_reason);
		yl_stmt_bind_int(st, 2, now);
		yl_stmt_bind_int(st, 3, held[i].slot_id);
		if ((err = yl_stmt_run(st, c->diag)))
			return err;
		total += yl_store_changes(c->store);
	}
	err = yl_store_prepare(c->store, "UPDATE slots SET booked_public = booked_public - ?,"
					 " booked_family_doctor = booked_family_doctor - ?,"
					 " booked_referral = booked_referral - ? WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 3; k++)
			yl_stmt_bind_int(st, 1 + k, held[i].n[k]);
		yl_stmt_bind_int(st, 4, held[i].slot_id);
		if ((err = yl_stmt_run(st, c->diag)))
			return err;
	}
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	if ((err = yl_audit(c, "stop", "session", idtext, reason)))
		return err;
	if (cancelled)
		*cancelled = total;
	return out ? get_bare(c, id, true, out) : YL_OK;
}
