/* slot.c - release policies and the pool arithmetic of a slot. The arithmetic is pure so it
 * can be tested across midnight and month ends with nothing but numbers, and so search and
 * booking cannot disagree about what is free.
 */
#include "domain/slot.h"

#include <string.h>

#include "domain/contract.h"
#include "domain/institution.h"

static const char *const pool_names[] = {"public", "family_doctor", "referral"};

const char *yl_pool_name(enum yl_pool p)
{
	return (unsigned)p < 3 ? pool_names[p] : "unknown";
}

int yl_pool_parse(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(pool_names[i], s) == 0)
			return i;
	return -1;
}

bool yl_local_time(int32_t date, const char *hhmm, int64_t *out)
{
	int h, m;

	if (!hhmm || strlen(hhmm) != 5 || hhmm[2] != ':' || hhmm[0] < '0' || hhmm[0] > '2' ||
	    hhmm[1] < '0' || hhmm[1] > '9' || hhmm[3] < '0' || hhmm[3] > '5' || hhmm[4] < '0' ||
	    hhmm[4] > '9')
		return false;
	h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
	m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
	if (h > 23)
		return false;
	*out = (int64_t)date * 86400 + h * 3600 + m * 60 - YL_SHANGHAI_OFFSET;
	return true;
}

void yl_release_policy_default(struct yl_release_policy *p, int64_t institution_id)
{
	p->institution_id = institution_id;
	p->days_ahead = 7;
	p->release_time = "08:00";
	p->fallback_hours = 24;
	p->cancel_cutoff_hours = 2;
	p->is_default = true;
}

enum yl_err yl_release_policy_get(const struct yl_ctx *c, int64_t institution_id,
				  struct yl_release_policy *out)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_institution_get(c, institution_id, NULL);
	if (err)
		return err;
	yl_release_policy_default(out, institution_id);
	err = yl_store_prepare(c->store, "SELECT days_ahead, release_time, fallback_hours,"
					 " cancel_cutoff_hours FROM release_policies WHERE institution_id = ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, institution_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		out->days_ahead = yl_stmt_int(st, 0);
		out->release_time = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
		out->fallback_hours = yl_stmt_int(st, 2);
		out->cancel_cutoff_hours = yl_stmt_int(st, 3);
		out->is_default = false;
	}
	yl_stmt_reset(st);
	return err;
}

enum yl_err yl_release_policy_set(const struct yl_ctx *c, const struct yl_release_policy *in)
{
	struct yl_stmt *st;
	enum yl_err err;
	int64_t t;

	if ((err = yl_require_institution_admin(c, in->institution_id)) ||
	    (err = yl_institution_get(c, in->institution_id, NULL)))
		return err;
	if (in->days_ahead < 0 || in->days_ahead > 90)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "days_ahead", "days_ahead must be 0-90");
	if (!yl_local_time(0, in->release_time, &t))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "release_time",
				   "release_time must be HH:MM (00:00-23:59)");
	if (in->fallback_hours < 0 || in->fallback_hours > 720)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "fallback_hours",
				   "fallback_hours must be 0-720");
	if (in->cancel_cutoff_hours < 0 || in->cancel_cutoff_hours > 720)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "cancel_cutoff_hours",
				   "cancel_cutoff_hours must be 0-720");
	err = yl_store_prepare(c->store, "DELETE FROM release_policies WHERE institution_id = ?", &st,
			       c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, in->institution_id);
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	err = yl_store_prepare(c->store, "INSERT INTO release_policies(institution_id, days_ahead,"
					 " release_time, fallback_hours, cancel_cutoff_hours, updated_at)"
					 " VALUES (?, ?, ?, ?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, in->institution_id);
	yl_stmt_bind_int(st, 2, in->days_ahead);
	yl_stmt_bind_text(st, 3, in->release_time);
	yl_stmt_bind_int(st, 4, in->fallback_hours);
	yl_stmt_bind_int(st, 5, in->cancel_cutoff_hours);
	yl_stmt_bind_int(st, 6, yl_clock_now(c->clock));
	if ((err = yl_stmt_run(st, c->diag)))
		return err;
	return yl_audit_id(c, "set_release_policy", "institution", in->institution_id);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static int64_t at_least_zero(int64_t v)
{
	return v > 0 ? v : 0;
}

void yl_slot_pools(const struct yl_slot *s, const struct yl_release_policy *p, int64_t now,
		   struct yl_pool_view *out)
{
	int32_t date = (int32_t)floor_div(s->starts_at + YL_SHANGHAI_OFFSET, 86400);
	int64_t reserved_held, left;

	memset(out, 0, sizeof(*out));
	if (!yl_local_time(date - (int32_t)p->days_ahead, p->release_time, &out->opens_at))
		yl_local_time(date - (int32_t)p->days_ahead, "08:00", &out->opens_at);
	out->falls_back_at = s->starts_at - p->fallback_hours * 3600;
	out->released = now >= out->opens_at;
	out->fallen_back = now >= out->falls_back_at;
	if (out->fallen_back) {
		/* reserved pools keep what they hold; everything else is public */
		reserved_held = s->booked[YL_POOL_FAMILY_DOCTOR] + s->booked[YL_POOL_REFERRAL];
		out->limit[YL_POOL_FAMILY_DOCTOR] = s->booked[YL_POOL_FAMILY_DOCTOR];
		out->limit[YL_POOL_REFERRAL] = s->booked[YL_POOL_REFERRAL];
		out->limit[YL_POOL_PUBLIC] = at_least_zero(s->capacity - reserved_held);
	} else {
		out->limit[YL_POOL_FAMILY_DOCTOR] = s->quota[YL_POOL_FAMILY_DOCTOR];
		out->limit[YL_POOL_REFERRAL] = s->quota[YL_POOL_REFERRAL];
		out->limit[YL_POOL_PUBLIC] = at_least_zero(s->capacity - s->quota[YL_POOL_FAMILY_DOCTOR] -
							   s->quota[YL_POOL_REFERRAL]);
	}
	if (!out->released)
		out->limit[YL_POOL_PUBLIC] = s->booked[YL_POOL_PUBLIC];
	/* a pool's free places are also places of the slot: public bookings taken after the
	 * fallback may fill places that a reserved pool's quota still names at an earlier
	 * moment, and those are not free */
	left = at_least_zero(s->capacity - s->booked[YL_POOL_PUBLIC] -
			     s->booked[YL_POOL_FAMILY_DOCTOR] - s->booked[YL_POOL_REFERRAL]);
	for (int i = 0; i < 3; i++) {
		int64_t f = at_least_zero(out->limit[i] - s->booked[i]);
		out->free[i] = s->stopped || now >= s->starts_at ? 0 : f < left ? f : left;
	}
}

enum yl_err yl_slot_caller_pools(const struct yl_ctx *c, int64_t resident_id,
				 int64_t institution_id, bool allowed[3])
{
	const struct yl_actor *a = c->actor;
	char today[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int p;

	allowed[YL_POOL_PUBLIC] = true;
	allowed[YL_POOL_FAMILY_DOCTOR] = false;
	allowed[YL_POOL_REFERRAL] = false;
	if (!resident_id || (a->role != YL_ROLE_DOCTOR && a->role != YL_ROLE_ADMIN))
		return YL_OK;
	yl_date_format(yl_clock_today(c->clock), today);
	err = yl_store_prepare(c->store, "SELECT t.institution_id FROM contracts k JOIN teams t"
					 " ON t.id = k.team_id WHERE k.resident_id = ? AND "
					 YL_CONTRACT_IN_FORCE " AND (k.secondary_id = ? OR k.tertiary_id = ?)",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, resident_id);
	p = yl_contract_bind_day(st, 2, today);
	yl_stmt_bind_int(st, p, institution_id);
	yl_stmt_bind_int(st, p + 1, institution_id);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row)
		allowed[YL_POOL_FAMILY_DOCTOR] =
			a->role == YL_ROLE_ADMIN || yl_stmt_int(st, 0) == a->institution_id;
	yl_stmt_reset(st);
	return err;
}
