/* booking_stats.h - the booking indicators of issue 3 for an institution, a consortium or an
 * area over a period of slot dates: reserved-pool use (family-doctor and referral places
 * booked / offered), no-show rate, average days from booking to visit, and the appointment
 * rate (预约诊疗率, INDICATORS.md D14).
 *
 * Every indicator is kept as a numerator and a denominator, never as a pre-computed rate, so
 * that callers aggregating several answers (months, institutions) sum both and divide once
 * (INDICATORS.md §4.1). A zero or unknown denominator gives no value ("not computable"), never
 * 0. The appointment rate counts outpatient encounters by their visit date, not slots.
 */
#ifndef YL_DOMAIN_BOOKING_STATS_H
#define YL_DOMAIN_BOOKING_STATS_H

#include "domain/ctx.h"

/* The longest period one query may cover, in days (a leap year). */
enum { YL_BOOKING_STATS_MAX_DAYS = 366 };

/* One indicator. value is numerator / denominator, defined only when has_value. */
struct yl_ratio {
	int64_t numerator;
	int64_t denominator;    /* meaningful only when denominator_known */
	bool denominator_known; /* false: no data source for the denominator yet (see note) */
	bool has_value;         /* denominator_known and denominator > 0 */
	double value;           /* full precision; faces round at presentation only */
	const char *unit;       /* "ratio" (0..1) or "days"; static */
	const char *note;       /* NULL, or why the value is missing; static */
};

/* What to count: exactly one of institution_id, consortium_id and area_code, and the period
 * of slot dates (Asia/Shanghai), both ends inclusive. Strings are borrowed. */
struct yl_booking_stats_query {
	int64_t institution_id;  /* 0: not this scope */
	int64_t consortium_id;   /* 0: not this scope; members on each slot's date count */
	const char *area_code;   /* NULL: not this scope; institutions in the area or under it */
	const char *from;        /* "YYYY-MM-DD" */
	const char *to;          /* "YYYY-MM-DD", not before from */
};

struct yl_booking_stats {
	char from[YL_DATE_LEN];
	char to[YL_DATE_LEN];
	int64_t as_of;        /* the clock's now: no-shows are counted up to it (unix seconds) */
	int64_t institutions; /* distinct institutions counted for at least one day */
	int64_t slots;        /* slots of open (not stopped) sessions in scope */
	/* booked in the pool (not cancelled) / places offered (sum of the pool's quota over the
	 * slots of open sessions); reserved = both pools together */
	struct yl_ratio pool_family_doctor;
	struct yl_ratio pool_referral;
	struct yl_ratio pool_reserved;
	/* bookings still 'booked' after their slot ended / bookings not cancelled whose slot
	 * has ended */
	struct yl_ratio no_show;
	/* sum over checked-in and seen bookings of (slot local date - booking local date) in
	 * days / their number */
	struct yl_ratio days_to_visit;
	/* outpatient encounters with a booking / all outpatient encounters, by visit date in
	 * the period (same scope: institution, members on the visit date, area) */
	struct yl_ratio appointment;
};

/* Computes the indicators of q at the clock's now. Any staff role may read (a resident gets
 * YL_ERR_FORBIDDEN). A consortium scope counts a slot when its institution was a member on the
 * slot's date (joined_on <= date < left_on); an area scope counts the institutions whose area
 * is area_code or under it (yl_area_range). Slots of stopped sessions (停诊) offer nothing and
 * are left out of the pool denominators; their bookings are cancelled and count nowhere.
 * Errors: YL_ERR_MISSING (field "scope" when no scope is given; "from", "to"), YL_ERR_INVALID
 * (field "scope" when several are given; "from"/"to" not a date; "to" before from or more
 * than YL_BOOKING_STATS_MAX_DAYS days), YL_ERR_NOT_FOUND (institution_id, consortium_id,
 * area_code). Reads only; a read transaction keeps the figures consistent. *out is filled
 * in place (its notes and units are static). */
enum yl_err yl_booking_stats(const struct yl_ctx *c, const struct yl_booking_stats_query *q,
			     struct yl_booking_stats *out);

#endif
