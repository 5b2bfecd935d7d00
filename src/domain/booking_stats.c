/* booking_stats.c - booking indicators by institution, consortium or area over a period.
 *
 * The scope is first turned into a list of (institution, first day, last day) ranges: one for
 * an institution, one per institution of an area, and one per membership period of a
 * consortium clipped to the period, so membership by date costs nothing per slot. Each range
 * becomes a slot start-time window [local midnight of the first day, local midnight after the
 * last) computed in C, which the slots_inst_time index answers; two aggregate queries per
 * range (slots for the offered places, bookings joined to their slots for the rest) add into
 * the sums, and a third (outpatient encounters by visit date, on encounters_inst_date) gives
 * the appointment rate. Only integer arithmetic is done in SQL (no date functions), so it
 * stays portable. Rates are never averaged: numerators and denominators are summed, then divided once.
 */
#include "domain/booking_stats.h"

#include <string.h>

#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/institution.h"
#include "domain/slot.h"

/* One institution counted over the days [lo, hi] (inclusive, local day counts). */
struct range {
	int64_t institution_id;
	int32_t lo, hi;
};

struct ranges {
	struct range *items;
	int n, cap;
};

static void ranges_add(const struct yl_ctx *c, struct ranges *r, int64_t inst, int32_t lo,
		       int32_t hi)
{
	if (lo > hi)
		return;
	r->items = yl_arena_grow(c->arena, r->items, sizeof(*r->items), r->n, r->n + 1, &r->cap);
	r->items[r->n++] = (struct range){inst, lo, hi};
}

static enum yl_err parse_day(const struct yl_ctx *c, const char *s, const char *field,
			     int32_t *out)
{
	if (!s || !*s)
		return yl_diag_set(c->diag, YL_ERR_MISSING, field, "%s is required", field);
	if (!yl_date_parse(s, out))
		return yl_diag_set(c->diag, YL_ERR_INVALID, field,
				   "%s must be a date YYYY-MM-DD, not '%.20s'", field, s);
	return YL_OK;
}

static enum yl_err check_query(const struct yl_ctx *c, const struct yl_booking_stats_query *q,
			       int32_t *from, int32_t *to)
{
	enum yl_err err;
	int scopes = (q->institution_id != 0) + (q->consortium_id != 0) +
		     (q->area_code != NULL);

	if (scopes == 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "scope",
				   "give one of institution_id, consortium_id or area_code");
	if (scopes > 1)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "scope",
				   "give only one of institution_id, consortium_id or area_code");
	if ((err = parse_day(c, q->from, "from", from)) || (err = parse_day(c, q->to, "to", to)))
		return err;
	if (*to < *from)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to", "to %s is before from %s", q->to,
				   q->from);
	if (*to - *from + 1 > YL_BOOKING_STATS_MAX_DAYS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to",
				   "the period may cover at most %d days", YL_BOOKING_STATS_MAX_DAYS);
	return YL_OK;
}

static enum yl_err institution_ranges(const struct yl_ctx *c, int64_t id, int32_t from,
				      int32_t to, struct ranges *r)
{
	struct yl_institution inst;
	enum yl_err err = yl_institution_get(c, id, &inst);

	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "institution_id", "no institution with id %lld",
				   (long long)id);
	if (!err)
		ranges_add(c, r, id, from, to);
	return err;
}

static enum yl_err area_ranges(const struct yl_ctx *c, const char *code, int32_t from,
			       int32_t to, struct ranges *r)
{
	struct yl_area area;
	struct yl_stmt *st;
	enum yl_err err;
	char lo[10], hi[10];
	bool row;

	if (!*code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is empty");
	err = yl_area_get(c, code, &area);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "area_code", "no area with code '%.20s'", code);
	if (err)
		return err;
	yl_area_range(area.code, lo, hi);
	err = yl_store_prepare(c->store, "SELECT id FROM institutions"
					 " WHERE area_code >= ? AND area_code < ? ORDER BY id",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, lo);
	yl_stmt_bind_text(st, 2, hi);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row)
		ranges_add(c, r, yl_stmt_int(st, 0), from, to);
	yl_stmt_reset(st);
	return err;
}

/* Membership periods are half-open [joined_on, left_on) (consortium.h): a slot on the day an
 * institution left no longer counts for the consortium. */
static enum yl_err consortium_ranges(const struct yl_ctx *c, int64_t id, int32_t from,
				     int32_t to, struct ranges *r)
{
	struct yl_stmt *st;
	enum yl_err err;
	char from_s[YL_DATE_LEN], to_s[YL_DATE_LEN];
	bool row;

	err = yl_consortium_get(c, id, NULL);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "consortium_id", "no consortium with id %lld",
				   (long long)id);
	if (err)
		return err;
	yl_date_format(from, from_s);
	yl_date_format(to, to_s);
	err = yl_store_prepare(c->store, "SELECT institution_id, joined_on, left_on"
					 " FROM consortium_members WHERE consortium_id = ?"
					 " AND joined_on <= ? AND (left_on IS NULL OR left_on > ?)"
					 " ORDER BY institution_id, joined_on", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	yl_stmt_bind_text(st, 2, to_s);
	yl_stmt_bind_text(st, 3, from_s);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		int32_t joined, left, lo = from, hi = to;
		if (!yl_date_parse(yl_stmt_text(st, 1), &joined)) {
			err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "bad joined_on '%.20s'",
					  yl_stmt_text(st, 1));
			break;
		}
		if (joined > lo)
			lo = joined;
		if (!yl_stmt_null(st, 2)) {
			if (!yl_date_parse(yl_stmt_text(st, 2), &left)) {
				err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL,
						  "bad left_on '%.20s'", yl_stmt_text(st, 2));
				break;
			}
			if (left - 1 < hi)
				hi = left - 1;
		}
		ranges_add(c, r, yl_stmt_int(st, 0), lo, hi);
	}
	yl_stmt_reset(st);
	return err;
}

/* The offered reserved places: slots of open sessions only (a stopped session offers nothing
 * and has had its bookings cancelled). */
static const char *const slots_sql =
	"SELECT count(*), COALESCE(sum(s.quota_family_doctor), 0),"
	" COALESCE(sum(s.quota_referral), 0)"
	" FROM slots s JOIN sessions e ON e.id = s.session_id"
	" WHERE s.institution_id = ? AND s.starts_at >= ? AND s.starts_at < ?"
	" AND e.status = 'open'";

/* Parameters: now twice, the Shanghai offset twice, then institution and window. The day
 * difference is of local day numbers, (t + offset) / 86400 in integer arithmetic: times are
 * positive, so the division truncates like floor. */
static const char *const bookings_sql =
	"SELECT count(CASE WHEN b.pool = 'family_doctor' AND b.status <> 'cancelled' THEN 1 END),"
	" count(CASE WHEN b.pool = 'referral' AND b.status <> 'cancelled' THEN 1 END),"
	" count(CASE WHEN s.ends_at <= ? AND b.status = 'booked' THEN 1 END),"
	" count(CASE WHEN s.ends_at <= ? AND b.status <> 'cancelled' THEN 1 END),"
	" COALESCE(sum(CASE WHEN b.status IN ('checked_in', 'seen')"
	"  THEN (s.starts_at + ?) / 86400 - (b.created_at + ?) / 86400 END), 0),"
	" count(CASE WHEN b.status IN ('checked_in', 'seen') THEN 1 END)"
	" FROM slots s JOIN bookings b ON b.slot_id = s.id"
	" WHERE s.institution_id = ? AND s.starts_at >= ? AND s.starts_at < ?";

/* D14 预约诊疗率: outpatient encounters that came from a booking / all outpatient encounters,
 * by the encounter's visit date. Emergency and inpatient encounters are not outpatient visits. */
static const char *const encounters_sql =
	"SELECT count(booking_id), count(*) FROM encounters"
	" WHERE institution_id = ? AND kind = 'outpatient' AND visit_date >= ? AND visit_date <= ?";

static enum yl_err count_encounters(const struct yl_ctx *c, const struct range *g,
				    struct yl_booking_stats *o)
{
	char lo[YL_DATE_LEN], hi[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	yl_date_format(g->lo, lo);
	yl_date_format(g->hi, hi);
	if ((err = yl_store_prepare(c->store, encounters_sql, &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, 1, g->institution_id);
	yl_stmt_bind_text(st, 2, lo);
	yl_stmt_bind_text(st, 3, hi);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		o->appointment.numerator += yl_stmt_int(st, 0);
		o->appointment.denominator += yl_stmt_int(st, 1);
	}
	yl_stmt_reset(st);
	return err;
}

static enum yl_err count_range(const struct yl_ctx *c, const struct range *g, int64_t now,
			       struct yl_booking_stats *o)
{
	struct yl_stmt *st;
	enum yl_err err;
	int64_t lo, hi;
	bool row;

	/* Local midnight of the first day and of the day after the last. */
	if (!yl_local_time(g->lo, "00:00", &lo) || !yl_local_time(g->hi + 1, "00:00", &hi))
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "bad day window");
	if ((err = yl_store_prepare(c->store, slots_sql, &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, 1, g->institution_id);
	yl_stmt_bind_int(st, 2, lo);
	yl_stmt_bind_int(st, 3, hi);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		o->slots += yl_stmt_int(st, 0);
		o->pool_family_doctor.denominator += yl_stmt_int(st, 1);
		o->pool_referral.denominator += yl_stmt_int(st, 2);
	}
	yl_stmt_reset(st);
	if (err || (err = yl_store_prepare(c->store, bookings_sql, &st, c->diag)))
		return err;
	yl_stmt_bind_int(st, 1, now);
	yl_stmt_bind_int(st, 2, now);
	yl_stmt_bind_int(st, 3, YL_SHANGHAI_OFFSET);
	yl_stmt_bind_int(st, 4, YL_SHANGHAI_OFFSET);
	yl_stmt_bind_int(st, 5, g->institution_id);
	yl_stmt_bind_int(st, 6, lo);
	yl_stmt_bind_int(st, 7, hi);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		o->pool_family_doctor.numerator += yl_stmt_int(st, 0);
		o->pool_referral.numerator += yl_stmt_int(st, 1);
		o->no_show.numerator += yl_stmt_int(st, 2);
		o->no_show.denominator += yl_stmt_int(st, 3);
		o->days_to_visit.numerator += yl_stmt_int(st, 4);
		o->days_to_visit.denominator += yl_stmt_int(st, 5);
	}
	yl_stmt_reset(st);
	return err ? err : count_encounters(c, g, o);
}

static void finish(struct yl_ratio *k, const char *unit)
{
	k->unit = unit;
	k->denominator_known = true;
	k->has_value = k->denominator > 0;
	k->value = k->has_value ? (double)k->numerator / (double)k->denominator : 0.0;
}

static int64_t count_institutions(const struct ranges *r)
{
	int64_t n = 0;

	/* Ranges come grouped by institution (id order, or one institution). */
	for (int i = 0; i < r->n; i++)
		if (i == 0 || r->items[i].institution_id != r->items[i - 1].institution_id)
			n++;
	return n;
}

enum yl_err yl_booking_stats(const struct yl_ctx *c, const struct yl_booking_stats_query *q,
			     struct yl_booking_stats *out)
{
	struct ranges r = {0};
	enum yl_err err;
	int32_t from, to;

	memset(out, 0, sizeof(*out));
	if ((err = yl_require_staff_reader(c)) || (err = check_query(c, q, &from, &to)))
		return err;
	yl_date_format(from, out->from);
	yl_date_format(to, out->to);
	out->as_of = yl_clock_now(c->clock);
	if (q->institution_id)
		err = institution_ranges(c, q->institution_id, from, to, &r);
	else if (q->consortium_id)
		err = consortium_ranges(c, q->consortium_id, from, to, &r);
	else
		err = area_ranges(c, q->area_code, from, to, &r);
	for (int i = 0; !err && i < r.n; i++)
		err = count_range(c, &r.items[i], out->as_of, out);
	if (err)
		return err;
	out->institutions = count_institutions(&r);

	out->pool_reserved.numerator =
		out->pool_family_doctor.numerator + out->pool_referral.numerator;
	out->pool_reserved.denominator =
		out->pool_family_doctor.denominator + out->pool_referral.denominator;
	finish(&out->pool_family_doctor, "ratio");
	finish(&out->pool_referral, "ratio");
	finish(&out->pool_reserved, "ratio");
	finish(&out->no_show, "ratio");
	finish(&out->days_to_visit, "days");
	finish(&out->appointment, "ratio");
	return YL_OK;
}
