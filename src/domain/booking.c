/* booking.c - booking, cancelling, checking in and marking seen; the rules that refuse a
 * booking, each with its own error; derived no-shows and the suspension they cause.
 *
 * What is free in a pool comes from yl_slot_pools (slot.c), never from arithmetic here, so
 * search and booking cannot disagree. The place itself is taken by one conditional UPDATE of
 * the slot's counter (`booked_x < limit`) inside the caller's transaction: a concurrent writer
 * that got there first makes it change no row, which is slot_full, and the schema's CHECKs
 * stop any path that skipped this module. Every rule is checked before the first write.
 * Schedules, sessions and stopping them belong to the schedule module, not to this file.
 */
#include "domain/booking.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"

/* Columns of a booking joined to its slot and session; read by read_row. */
#define B_COLS "b.id, b.slot_id, s.session_id, b.resident_id, b.institution_id, b.department_id," \
	       " s.practitioner_id, b.date, s.starts_at, s.ends_at, b.pool, b.status," \
	       " b.cancel_reason, b.booked_by, b.idempotency_key, b.created_at, b.updated_at," \
	       " se.status"
#define B_FROM " FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN sessions se" \
	       " ON se.id = s.session_id"

static const char *const statuses[] = {"booked", "cancelled", "checked_in", "seen", "no_show",
				       NULL};

/* Counter column of each pool, indexed by enum yl_pool. Besides the pool's own limit (which
 * depends on the time: before or after the fallback), every take also requires a free place
 * in the whole slot, so two requests judged at different times (clock skew between servers,
 * a replayed queue) can never overbook: the loser gets slot_full, not a CHECK failure. */
static const char *const take_sql[] = {
	"UPDATE slots SET booked_public = booked_public + 1 WHERE id = ? AND booked_public < ?"
	" AND booked_public + booked_family_doctor + booked_referral < capacity",
	"UPDATE slots SET booked_family_doctor = booked_family_doctor + 1"
	" WHERE id = ? AND booked_family_doctor < ?"
	" AND booked_public + booked_family_doctor + booked_referral < capacity",
	"UPDATE slots SET booked_referral = booked_referral + 1 WHERE id = ? AND booked_referral < ?"
	" AND booked_public + booked_family_doctor + booked_referral < capacity",
};
static const char *const give_back_sql[] = {
	"UPDATE slots SET booked_public = booked_public - 1 WHERE id = ? AND booked_public > 0",
	"UPDATE slots SET booked_family_doctor = booked_family_doctor - 1"
	" WHERE id = ? AND booked_family_doctor > 0",
	"UPDATE slots SET booked_referral = booked_referral - 1 WHERE id = ? AND booked_referral > 0",
};

/* A booking as loaded for an action: the public view plus what the rules need. */
struct loaded {
	struct yl_booking b;
	bool stopped;        /* the session was stopped */
	const char *stored;  /* the stored status (b.status is derived) */
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* "YYYY-MM-DD HH:MM" in Asia/Shanghai, for messages a resident reads. */
static void local_str(int64_t t, char out[32])
{
	int64_t l = t + YL_SHANGHAI_OFFSET;
	int32_t day = (int32_t)floor_div(l, 86400);
	int64_t sec = l - (int64_t)day * 86400;
	char date[YL_DATE_LEN];

	yl_date_format(day, date);
	snprintf(out, 32, "%s %02d:%02d", date, (int)(sec / 3600), (int)(sec % 3600 / 60));
}

static const char *derive_status(const char *stored, int64_t ends_at, int64_t now)
{
	return strcmp(stored, "booked") == 0 && now >= ends_at ? "no_show" : stored;
}

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_booking *o = item;
	int64_t now = yl_clock_now(c->clock);

	o->id = yl_stmt_int(st, 0);
	o->slot_id = yl_stmt_int(st, 1);
	o->session_id = yl_stmt_int(st, 2);
	o->resident_id = yl_stmt_int(st, 3);
	o->institution_id = yl_stmt_int(st, 4);
	o->department_id = yl_stmt_int(st, 5);
	o->practitioner_id = yl_stmt_int(st, 6);
	o->date = yl_arena_strdup(c->arena, yl_stmt_text(st, 7));
	o->starts_at = yl_stmt_int(st, 8);
	o->ends_at = yl_stmt_int(st, 9);
	o->pool = yl_arena_strdup(c->arena, yl_stmt_text(st, 10));
	o->status = yl_arena_strdup(c->arena, derive_status(yl_stmt_text(st, 11), o->ends_at, now));
	o->cancel_reason = yl_stmt_null(st, 12) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 12));
	o->booked_by = yl_stmt_int(st, 13);
	o->idempotency_key =
		yl_stmt_null(st, 14) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 14));
	o->created_at = yl_stmt_int(st, 15);
	o->updated_at = yl_stmt_int(st, 16);
}

static void read_loaded(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct loaded *o = item;

	read_row(c, st, &o->b);
	o->stored = yl_arena_strdup(c->arena, yl_stmt_text(st, 11));
	o->stopped = strcmp(yl_stmt_text(st, 17), "stopped") == 0;
}

/* Loads a booking without a permission check. */
static enum yl_err load(const struct yl_ctx *c, int64_t id, struct loaded *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " B_COLS B_FROM " WHERE b.id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	return yl_row_one(c, st, read_loaded, out, "id", "no booking with id %" PRId64, id);
}

struct loaded_slot {
	struct yl_slot s;
	const char *date; /* the session's local date */
};

static void read_slot(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct loaded_slot *o = item;

	o->s.id = yl_stmt_int(st, 0);
	o->s.session_id = yl_stmt_int(st, 1);
	o->s.institution_id = yl_stmt_int(st, 2);
	o->s.department_id = yl_stmt_int(st, 3);
	o->s.practitioner_id = yl_stmt_int(st, 4);
	o->s.category_code = yl_stmt_null(st, 5) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, 5));
	o->s.starts_at = yl_stmt_int(st, 6);
	o->s.ends_at = yl_stmt_int(st, 7);
	o->s.capacity = yl_stmt_int(st, 8);
	o->s.quota[YL_POOL_PUBLIC] = 0;
	o->s.quota[YL_POOL_FAMILY_DOCTOR] = yl_stmt_int(st, 9);
	o->s.quota[YL_POOL_REFERRAL] = yl_stmt_int(st, 10);
	o->s.booked[YL_POOL_PUBLIC] = yl_stmt_int(st, 11);
	o->s.booked[YL_POOL_FAMILY_DOCTOR] = yl_stmt_int(st, 12);
	o->s.booked[YL_POOL_REFERRAL] = yl_stmt_int(st, 13);
	o->s.stopped = strcmp(yl_stmt_text(st, 14), "stopped") == 0;
	o->date = yl_arena_strdup(c->arena, yl_stmt_text(st, 15));
}

static enum yl_err load_slot(const struct yl_ctx *c, int64_t id, struct loaded_slot *out)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store,
			       "SELECT s.id, s.session_id, s.institution_id, s.department_id,"
			       " s.practitioner_id, s.category_code, s.starts_at, s.ends_at, s.capacity,"
			       " s.quota_family_doctor, s.quota_referral, s.booked_public,"
			       " s.booked_family_doctor, s.booked_referral, se.status, se.date"
			       " FROM slots s JOIN sessions se ON se.id = s.session_id WHERE s.id = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	return yl_row_one(c, st, read_slot, out, "slot_id", "no slot with id %" PRId64, id);
}

/* Runs st (bound) expecting one integer; *out = 0 when there is no row. Resets st. */
static enum yl_err scalar(const struct yl_ctx *c, struct yl_stmt *st, int64_t *out)
{
	enum yl_err err;
	bool row;

	*out = 0;
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		*out = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return err;
}

static enum yl_err check_resident(const struct yl_ctx *c, int64_t resident_id)
{
	struct yl_stmt *st;
	enum yl_err err;
	int64_t found;

	err = yl_store_prepare(c->store, "SELECT 1 FROM residents WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	if ((err = scalar(c, st, &found)))
		return err;
	if (!found)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "resident_id",
				   "no resident with id %" PRId64, resident_id);
	return YL_OK;
}

enum yl_err yl_booking_suspended_until(const struct yl_ctx *c, int64_t resident_id,
				       int64_t *until)
{
	int64_t limit = 3, window = 90, suspension = 90, now = yl_clock_now(c->clock);
	int64_t *ring, seen = 0;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	*until = 0;
	if ((err = yl_setting_int(c, "no_show_limit", &limit)) ||
	    (err = yl_setting_int(c, "no_show_window_days", &window)) ||
	    (err = yl_setting_int(c, "no_show_suspension_days", &suspension)))
		return err;
	/* a limit, window or suspension of 0 switches suspension off; a limit over 1000 would
	 * never be reached in any window and is treated the same */
	if (limit <= 0 || limit > 1000 || window <= 0 || suspension <= 0)
		return YL_OK;
	/* Only no-shows that could still suspend matter: the last of a run ended less than
	 * `suspension` days ago, the run began less than `window` days before it. */
	err = yl_store_prepare(c->store, "SELECT s.ends_at FROM bookings b JOIN slots s"
					 " ON s.id = b.slot_id WHERE b.resident_id = ? AND b.status = 'booked'"
					 " AND s.ends_at <= ? AND s.ends_at > ? ORDER BY s.ends_at",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_int(st, 2, now);
	yl_stmt_bind_int(st, 3, now - (window + suspension) * 86400);
	/* ring holds the last `limit` no-show times: the i-th and the (i - limit + 1)-th lying
	 * within one window make `limit` no-shows in it, suspending from the i-th. */
	ring = yl_arena_alloc(c->arena, sizeof(*ring) * (size_t)limit);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		int64_t t = yl_stmt_int(st, 0);

		ring[seen % limit] = t;
		seen++;
		if (seen >= limit && ring[(seen - limit) % limit] > t - window * 86400 &&
		    t + suspension * 86400 > *until)
			*until = t + suspension * 86400;
	}
	yl_stmt_reset(st);
	if (*until <= now)
		*until = 0;
	return err;
}

/* Role rule of booking: staff of any institution, a resident for themself. */
static enum yl_err check_booker(const struct yl_ctx *c, const struct yl_booking_new *in)
{
	const struct yl_actor *a = c->actor;

	switch (a->role) {
	case YL_ROLE_ADMIN:
	case YL_ROLE_DOCTOR:
	case YL_ROLE_INSTITUTION_ADMIN:
		return YL_OK;
	case YL_ROLE_RESIDENT:
		if (in->resident_id != a->resident_id)
			return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
					   "a resident may book only for themself");
		return YL_OK;
	default:
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "role %s may not book",
				   yl_role_name(a->role));
	}
}

/* The booking the acting user already made with key, if any: *id = 0 when none. */
static enum yl_err find_by_key(const struct yl_ctx *c, const char *key, int64_t *id)
{
	struct yl_stmt *st;
	enum yl_err err;

	if (c->actor->user_id) {
		err = yl_store_prepare(c->store, "SELECT id FROM bookings WHERE booked_by = ?"
						 " AND idempotency_key = ?", &st, c->diag);
		if (err)
			return err;
		yl_stmt_bind_int(st, 1, c->actor->user_id);
		yl_stmt_bind_text(st, 2, key);
	} else {
		err = yl_store_prepare(c->store, "SELECT id FROM bookings WHERE booked_by IS NULL"
						 " AND idempotency_key = ?", &st, c->diag);
		if (err)
			return err;
		yl_stmt_bind_text(st, 1, key);
	}
	return scalar(c, st, id);
}

static enum yl_err replay(const struct yl_ctx *c, const struct yl_booking_new *in, int64_t id,
			  struct yl_booking *out)
{
	struct loaded l;
	enum yl_err err = load(c, id, &l);

	if (err)
		return err;
	if (l.b.slot_id != in->slot_id || l.b.resident_id != in->resident_id ||
	    strcmp(l.b.pool, yl_pool_name(in->pool)) != 0)
		return yl_diag_set(c->diag, YL_ERR_IDEMPOTENCY, "idempotency_key",
				   "idempotency key already used for booking %" PRId64
				   " (slot %" PRId64 ", resident %" PRId64 ", pool %s)",
				   id, l.b.slot_id, l.b.resident_id, l.b.pool);
	*out = l.b;
	return YL_OK;
}

static enum yl_err check_pool(const struct yl_ctx *c, const struct yl_booking_new *in,
			      const struct yl_slot *s)
{
	bool allowed[3];
	enum yl_err err;

	if (in->pool != YL_POOL_PUBLIC && c->actor->role == YL_ROLE_RESIDENT)
		return yl_diag_set(c->diag, YL_ERR_POOL_NOT_ALLOWED, "pool",
				   "a resident books from the public pool only");
	if (in->pool == YL_POOL_REFERRAL && !in->referral)
		return yl_diag_set(c->diag, YL_ERR_POOL_NOT_ALLOWED, "pool",
				   "the referral pool is booked only through an up-referral");
	if (in->pool != YL_POOL_FAMILY_DOCTOR)
		return YL_OK;
	if ((err = yl_slot_caller_pools(c, in->resident_id, s->institution_id, allowed)))
		return err;
	if (!allowed[YL_POOL_FAMILY_DOCTOR])
		return yl_diag_set(c->diag, YL_ERR_POOL_NOT_ALLOWED, "pool",
				   "the family_doctor pool needs a doctor of the team of the resident's"
				   " contract in force naming institution %" PRId64,
				   s->institution_id);
	return YL_OK;
}

/* The resident-level rules: suspension, one per department and day, the active maximum. */
static enum yl_err check_resident_rules(const struct yl_ctx *c, int64_t resident_id,
					const struct loaded_slot *ls)
{
	int64_t until, n, max_active = 5, now = yl_clock_now(c->clock);
	char when[32];
	struct yl_stmt *st;
	enum yl_err err;

	if ((err = yl_booking_suspended_until(c, resident_id, &until)))
		return err;
	if (until) {
		local_str(until, when);
		return yl_diag_set(c->diag, YL_ERR_BOOKING_SUSPENDED, "resident_id",
				   "booking is suspended until %s (Asia/Shanghai) after repeated no-shows",
				   when);
	}
	/* mirrors the partial unique index bookings_one_per_dept_day exactly */
	err = yl_store_prepare(c->store, "SELECT id FROM bookings WHERE resident_id = ?"
					 " AND department_id = ? AND date = ? AND status IN ('booked','checked_in')",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_int(st, 2, ls->s.department_id);
	yl_stmt_bind_text(st, 3, ls->date);
	if ((err = scalar(c, st, &n)))
		return err;
	if (n)
		return yl_diag_set(c->diag, YL_ERR_DUPLICATE_BOOKING, "slot_id",
				   "resident already holds booking %" PRId64 " in department %" PRId64
				   " on %s", n, ls->s.department_id, ls->date);
	if ((err = yl_setting_int(c, "booking_max_active", &max_active)))
		return err;
	err = yl_store_prepare(c->store, "SELECT count(*) FROM bookings b JOIN slots s"
					 " ON s.id = b.slot_id WHERE b.resident_id = ?"
					 " AND b.status IN ('booked','checked_in') AND s.ends_at > ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	yl_stmt_bind_int(st, 2, now);
	if ((err = scalar(c, st, &n)))
		return err;
	if (n >= max_active)
		return yl_diag_set(c->diag, YL_ERR_TOO_MANY_BOOKINGS, "resident_id",
				   "resident already holds %" PRId64 " active bookings (at most %" PRId64 ")",
				   n, max_active);
	return YL_OK;
}

/* Takes one place of pool p in the slot, if fewer than limit are taken. */
static enum yl_err take_place(const struct yl_ctx *c, const struct yl_slot *s, enum yl_pool p,
			      int64_t limit)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, take_sql[p], &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, s->id);
	yl_stmt_bind_int(st, 2, limit);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	if (yl_store_changes(c->store) != 1)
		return yl_diag_set(c->diag, YL_ERR_SLOT_FULL, "slot_id",
				   "slot %" PRId64 " has no free place in the %s pool", s->id,
				   yl_pool_name(p));
	return YL_OK;
}

static enum yl_err insert_booking(const struct yl_ctx *c, const struct yl_booking_new *in,
				  const struct loaded_slot *ls, int64_t *id)
{
	int64_t now = yl_clock_now(c->clock);
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_store_prepare(c->store, "INSERT INTO bookings(slot_id, resident_id, institution_id,"
					 " department_id, date, pool, status, booked_by, idempotency_key,"
					 " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?)"
					 " RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, ls->s.id);
	yl_stmt_bind_int(st, 2, in->resident_id);
	yl_stmt_bind_int(st, 3, ls->s.institution_id);
	yl_stmt_bind_int(st, 4, ls->s.department_id);
	yl_stmt_bind_text(st, 5, ls->date);
	yl_stmt_bind_text(st, 6, yl_pool_name(in->pool));
	yl_stmt_bind_id(st, 7, c->actor->user_id);
	yl_stmt_bind_text(st, 8, in->idempotency_key);
	yl_stmt_bind_int(st, 9, now);
	yl_stmt_bind_int(st, 10, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		*id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	/* the checks above mirror both unique indexes; a conflict here means a writer outside
	 * a transaction raced us, and the index is the backstop */
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, YL_ERR_DUPLICATE_BOOKING, "slot_id",
				   "resident already holds a booking in that department that day");
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "insert returned no id");
	return err;
}

enum yl_err yl_booking_create(const struct yl_ctx *c, const struct yl_booking_new *in,
			      struct yl_booking *out, bool *replayed)
{
	int64_t now = yl_clock_now(c->clock), existing = 0, id = 0;
	struct yl_release_policy pol;
	struct yl_pool_view view;
	struct loaded_slot ls;
	struct loaded l;
	char when[32];
	enum yl_err err;

	if (replayed)
		*replayed = false;
	if (!in->slot_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "slot_id", "slot_id is required");
	if (!in->resident_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "resident_id", "resident_id is required");
	if ((unsigned)in->pool > YL_POOL_REFERRAL)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "pool",
				   "pool must be public, family_doctor or referral");
	if (in->idempotency_key &&
	    (!in->idempotency_key[0] || strlen(in->idempotency_key) > YL_BOOKING_KEY_MAX))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "idempotency_key",
				   "idempotency_key must be 1-%d bytes", YL_BOOKING_KEY_MAX);
	if ((err = check_booker(c, in)))
		return err;
	if (in->idempotency_key && (err = find_by_key(c, in->idempotency_key, &existing)))
		return err;
	if (existing) {
		if ((err = replay(c, in, existing, out)))
			return err;
		if (replayed)
			*replayed = true;
		return YL_OK;
	}
	if ((err = load_slot(c, in->slot_id, &ls)) || (err = check_resident(c, in->resident_id)) ||
	    (err = check_pool(c, in, &ls.s)))
		return err;
	if (ls.s.stopped)
		return yl_diag_set(c->diag, YL_ERR_SESSION_STOPPED, "slot_id",
				   "the session of slot %" PRId64 " was stopped", ls.s.id);
	if (now >= ls.s.starts_at) {
		local_str(ls.s.starts_at, when);
		return yl_diag_set(c->diag, YL_ERR_SLOT_PAST, "slot_id",
				   "slot %" PRId64 " started at %s (Asia/Shanghai)", ls.s.id, when);
	}
	if ((err = yl_release_policy_get(c, ls.s.institution_id, &pol)))
		return err;
	yl_slot_pools(&ls.s, &pol, now, &view);
	if (in->pool == YL_POOL_PUBLIC && !view.released) {
		local_str(view.opens_at, when);
		return yl_diag_set(c->diag, YL_ERR_NOT_RELEASED, "slot_id",
				   "the public pool of slot %" PRId64 " opens at %s (Asia/Shanghai)",
				   ls.s.id, when);
	}
	if ((err = check_resident_rules(c, in->resident_id, &ls)) ||
	    (err = take_place(c, &ls.s, in->pool, view.limit[in->pool])) ||
	    (err = insert_booking(c, in, &ls, &id)) ||
	    (err = yl_audit_id(c, "book", "booking", id)) || (err = load(c, id, &l)))
		return err;
	*out = l.b;
	return YL_OK;
}

/* Who may act on an existing booking: a resident user only on their own (others look
 * unknown), staff of the slot's institution, admin; for cancelling also the user who booked
 * it (a family doctor at another institution). */
static enum yl_err check_actor(const struct yl_ctx *c, const struct loaded *l, bool booker_too)
{
	const struct yl_actor *a = c->actor;

	if (a->role == YL_ROLE_RESIDENT) {
		if (a->resident_id != l->b.resident_id)
			return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id",
					   "no booking with id %" PRId64, l->b.id);
		if (booker_too)
			return YL_OK;
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
				   "only staff of the institution may do this");
	}
	if (booker_too && a->user_id && a->user_id == l->b.booked_by)
		return YL_OK;
	return yl_require_institution_staff(c, l->b.institution_id);
}

static enum yl_err set_status(const struct yl_ctx *c, int64_t id, const char *from,
			      const char *to, const char *reason)
{
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "UPDATE bookings SET status = ?, cancel_reason = ?,"
					 " updated_at = ? WHERE id = ? AND status = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, to);
	yl_stmt_bind_text(st, 2, reason);
	yl_stmt_bind_int(st, 3, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 4, id);
	yl_stmt_bind_text(st, 5, from);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	if (yl_store_changes(c->store) != 1)
		return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
				   "booking %" PRId64 " is no longer %s", id, from);
	return YL_OK;
}

static enum yl_err not_in_state(const struct yl_ctx *c, const struct loaded *l, const char *need)
{
	return yl_diag_set(c->diag, YL_ERR_CONFLICT, "id",
			   "booking %" PRId64 " is %s; it must be %s", l->b.id, l->b.status, need);
}

/* Reloads into out after a write (out may be NULL). */
static enum yl_err reload(const struct yl_ctx *c, int64_t id, struct yl_booking *out)
{
	struct loaded l;
	enum yl_err err;

	if (!out)
		return YL_OK;
	if ((err = load(c, id, &l)))
		return err;
	*out = l.b;
	return YL_OK;
}

enum yl_err yl_booking_cancel(const struct yl_ctx *c, int64_t id, const char *reason,
			      struct yl_booking *out)
{
	int64_t now = yl_clock_now(c->clock), cutoff;
	struct yl_release_policy pol;
	struct yl_stmt *st;
	struct loaded l;
	char when[32];
	int pool;
	enum yl_err err;

	if (!reason || !reason[0])
		return yl_diag_set(c->diag, YL_ERR_MISSING, "reason", "reason is required");
	if (strlen(reason) > YL_BOOKING_REASON_MAX)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "reason", "reason is longer than %d bytes",
				   YL_BOOKING_REASON_MAX);
	if ((err = load(c, id, &l)) || (err = check_actor(c, &l, true)))
		return err;
	if (strcmp(l.b.status, "booked") != 0)
		return not_in_state(c, &l, "booked");
	if ((err = yl_release_policy_get(c, l.b.institution_id, &pol)))
		return err;
	cutoff = l.b.starts_at - pol.cancel_cutoff_hours * 3600;
	if (now > cutoff) {
		local_str(cutoff, when);
		return yl_diag_set(c->diag, YL_ERR_CANCEL_TOO_LATE, "id",
				   "booking %" PRId64 " could be cancelled until %s (Asia/Shanghai)", id,
				   when);
	}
	pool = yl_pool_parse(l.b.pool);
	if (pool < 0)
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "booking has unknown pool '%s'",
				   l.b.pool);
	if ((err = set_status(c, id, "booked", "cancelled", reason)) ||
	    (err = yl_store_prepare(c->store, give_back_sql[pool], &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, 1, l.b.slot_id);
	if ((err = yl_stmt_run(st, c->diag)) || (err = yl_audit_id(c, "cancel", "booking", id)))
		return err;
	return reload(c, id, out);
}

enum yl_err yl_booking_check_in(const struct yl_ctx *c, int64_t id, struct yl_booking *out)
{
	int64_t now = yl_clock_now(c->clock);
	char from[32], to[32];
	struct loaded l;
	enum yl_err err;

	if ((err = load(c, id, &l)) || (err = check_actor(c, &l, false)))
		return err;
	if (l.stopped)
		return yl_diag_set(c->diag, YL_ERR_SESSION_STOPPED, "id",
				   "the session of booking %" PRId64 " was stopped", id);
	if (strcmp(l.stored, "booked") != 0)
		return not_in_state(c, &l, "booked");
	if (now < l.b.starts_at - YL_BOOKING_CHECK_IN_EARLY || now >= l.b.ends_at) {
		local_str(l.b.starts_at - YL_BOOKING_CHECK_IN_EARLY, from);
		local_str(l.b.ends_at, to);
		return yl_diag_set(c->diag, YL_ERR_CHECK_IN_CLOSED, "id",
				   "check-in for booking %" PRId64 " is open from %s to %s (Asia/Shanghai)",
				   id, from, to);
	}
	if ((err = set_status(c, id, "booked", "checked_in", NULL)) ||
	    (err = yl_audit_id(c, "check_in", "booking", id)))
		return err;
	return reload(c, id, out);
}

enum yl_err yl_booking_seen(const struct yl_ctx *c, int64_t id, struct yl_booking *out)
{
	struct loaded l;
	enum yl_err err;

	if ((err = load(c, id, &l)) || (err = check_actor(c, &l, false)))
		return err;
	if (strcmp(l.stored, "checked_in") != 0)
		return not_in_state(c, &l, "checked_in");
	if ((err = set_status(c, id, "checked_in", "seen", NULL)) ||
	    (err = yl_audit_id(c, "seen", "booking", id)))
		return err;
	return reload(c, id, out);
}

enum yl_err yl_booking_get(const struct yl_ctx *c, int64_t id, struct yl_booking *out)
{
	const struct yl_actor *a = c->actor;
	struct loaded l;
	enum yl_err err;

	if (a->role != YL_ROLE_RESIDENT && (err = yl_require_staff_reader(c)))
		return err;
	if ((err = load(c, id, &l)))
		return err;
	if (a->role == YL_ROLE_RESIDENT && l.b.resident_id != a->resident_id)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no booking with id %" PRId64, id);
	*out = l.b;
	return YL_OK;
}

static bool status_ok(const char *s)
{
	for (int i = 0; statuses[i]; i++)
		if (strcmp(statuses[i], s) == 0)
			return true;
	return false;
}

enum yl_err yl_booking_list(const struct yl_ctx *c, const struct yl_booking_filter *f,
			    struct yl_booking **items, int *n, bool *more)
{
	const struct yl_actor *a = c->actor;
	struct yl_buf sql = YL_BUF_INIT;
	int64_t resident_id = f->resident_id, now = yl_clock_now(c->clock);
	struct yl_stmt *st;
	enum yl_err err;
	int p = 1;

	*n = 0;
	*more = false;
	if (a->role == YL_ROLE_RESIDENT) {
		if (resident_id && resident_id != a->resident_id)
			return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, "resident_id",
					   "a resident may list only their own bookings");
		resident_id = a->resident_id;
	} else if ((err = yl_require_staff_reader(c))) {
		return err;
	}
	if (f->status && !status_ok(f->status))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "status",
				   "status must be booked, cancelled, checked_in, seen or no_show");
	/* a few fixed shapes, each cached as its own prepared statement */
	yl_buf_adds(&sql, "SELECT " B_COLS B_FROM " WHERE b.id > ?");
	if (resident_id)
		yl_buf_adds(&sql, " AND b.resident_id = ?");
	if (f->slot_id)
		yl_buf_adds(&sql, " AND b.slot_id = ?");
	if (f->status && strcmp(f->status, "booked") == 0)
		yl_buf_adds(&sql, " AND b.status = 'booked' AND s.ends_at > ?");
	else if (f->status && strcmp(f->status, "no_show") == 0)
		yl_buf_adds(&sql, " AND b.status = 'booked' AND s.ends_at <= ?");
	else if (f->status)
		yl_buf_adds(&sql, " AND b.status = ?");
	yl_buf_adds(&sql, " ORDER BY b.id LIMIT ?");
	err = yl_store_prepare(c->store, yl_buf_str(&sql), &st, c->diag);
	yl_buf_release(&sql);
	if (err)
		return err;
	yl_stmt_bind_int(st, p++, f->after);
	if (resident_id)
		yl_stmt_bind_int(st, p++, resident_id);
	if (f->slot_id)
		yl_stmt_bind_int(st, p++, f->slot_id);
	if (f->status && (strcmp(f->status, "booked") == 0 || strcmp(f->status, "no_show") == 0))
		yl_stmt_bind_int(st, p++, now);
	else if (f->status)
		yl_stmt_bind_text(st, p++, f->status);
	yl_stmt_bind_int(st, p, f->limit + 1);
	return yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
}
