/* booking.h - outpatient bookings (预约诊疗): book a place in one pool of a slot, cancel until
 * the institution's cutoff, check in, mark seen.
 *
 * The capacity invariant (a pool never holds more bookings than its limit at the moment of
 * booking, a slot never more than its capacity) is enforced in the caller's transaction by a
 * conditional counter update on the slot row, with the schema CHECKs as the backstop. A
 * no-show is derived, never written: a booking still 'booked' once its slot has ended reads
 * as "no_show" and counts towards suspension. Every rule refused has its own error code and
 * leaves the database unchanged.
 */
#ifndef YL_DOMAIN_BOOKING_H
#define YL_DOMAIN_BOOKING_H

#include "domain/ctx.h"
#include "domain/slot.h"

enum {
	YL_BOOKING_KEY_MAX = 128,     /* idempotency key length */
	YL_BOOKING_REASON_MAX = 500,  /* cancellation reason length */
	YL_BOOKING_CHECK_IN_EARLY = 3600, /* check-in opens this many seconds before the start */
};

struct yl_booking {
	int64_t id;
	int64_t slot_id;
	int64_t session_id;
	int64_t resident_id;
	int64_t institution_id;
	int64_t department_id;
	int64_t practitioner_id;   /* 0 for a department-level slot */
	const char *date;          /* the slot's local date, YYYY-MM-DD */
	int64_t starts_at;         /* the slot's start and end, unix seconds */
	int64_t ends_at;
	const char *pool;          /* public | family_doctor | referral */
	const char *status;        /* booked | cancelled | checked_in | seen | no_show (derived:
				    * booked and the slot has ended) */
	const char *cancel_reason; /* NULL unless cancelled */
	int64_t booked_by;         /* user id, 0 for the system */
	const char *idempotency_key; /* NULL when none was given */
	int64_t created_at;
	int64_t updated_at;
};

struct yl_booking_new {
	int64_t slot_id;
	int64_t resident_id;
	enum yl_pool pool;
	const char *idempotency_key; /* NULL or 1..YL_BOOKING_KEY_MAX bytes; borrowed */
	bool referral;               /* set only by the referral module: allows YL_POOL_REFERRAL */
};

/* Books a place for in->resident_id in in->pool of in->slot_id at the clock's now. Callers:
 * admin, doctor and institution_admin (of any institution: a family doctor books residents
 * into hospitals), and a resident user for themself from the public pool only. The caller
 * must hold a write transaction (BEGIN IMMEDIATE); nothing is committed here.
 *
 * Idempotency: when the acting user already made a booking with in->idempotency_key, that
 * booking is returned in *out with *replayed = true and nothing is written, provided the slot
 * and resident match (YL_ERR_IDEMPOTENCY otherwise). Without a key every call is a new
 * request.
 *
 * Rules, checked in this order before anything is written: YL_ERR_MISSING/INVALID (field
 * named), YL_ERR_FORBIDDEN (role; a resident booking for someone else), YL_ERR_NOT_FOUND
 * (slot_id, resident_id), YL_ERR_POOL_NOT_ALLOWED (family_doctor without a contract of the
 * caller's team naming the slot's institution, referral without in->referral, a resident
 * asking for a reserved pool), YL_ERR_SESSION_STOPPED, YL_ERR_SLOT_PAST (the slot has
 * started), YL_ERR_NOT_RELEASED (public pool before its release time; the message says when),
 * YL_ERR_BOOKING_SUSPENDED (setting no_show_limit no-shows within no_show_window_days suspend
 * booking for no_show_suspension_days from the last of them; the message says until when),
 * YL_ERR_DUPLICATE_BOOKING (an active booking in that department on that date),
 * YL_ERR_TOO_MANY_BOOKINGS (booking_max_active active bookings whose slot has not ended),
 * YL_ERR_SLOT_FULL (no free place in the pool now, decided by the conditional update).
 * Audited. *out is arena-owned; replayed may be NULL. */
enum yl_err yl_booking_create(const struct yl_ctx *c, const struct yl_booking_new *in,
			      struct yl_booking *out, bool *replayed);

/* Cancels a 'booked' booking with a reason (required, at most YL_BOOKING_REASON_MAX bytes)
 * until the institution's cancel_cutoff_hours before the slot starts, and gives its place
 * back to its pool. Who: the resident user of the booking, the user who booked it, staff of
 * the slot's institution, admin. Errors: YL_ERR_MISSING/INVALID (reason), YL_ERR_NOT_FOUND
 * (unknown, or another resident's for a resident user), YL_ERR_FORBIDDEN, YL_ERR_CONFLICT (not
 * booked: cancelled, checked in, seen or no-show), YL_ERR_CANCEL_TOO_LATE (message says the
 * cutoff). Audited. *out (may be NULL) is arena-owned. */
enum yl_err yl_booking_cancel(const struct yl_ctx *c, int64_t id, const char *reason,
			      struct yl_booking *out);

/* Checks a booked resident in: staff of the slot's institution (or admin), from
 * YL_BOOKING_CHECK_IN_EARLY seconds before the start until the slot ends. Errors:
 * YL_ERR_NOT_FOUND, YL_ERR_FORBIDDEN, YL_ERR_SESSION_STOPPED, YL_ERR_CONFLICT (not booked),
 * YL_ERR_CHECK_IN_CLOSED (outside the window; the message gives it). Audited. */
enum yl_err yl_booking_check_in(const struct yl_ctx *c, int64_t id, struct yl_booking *out);

/* Marks a checked-in booking seen (staff of the slot's institution, or admin); any time after
 * check-in. YL_ERR_CONFLICT when not checked in. Audited. */
enum yl_err yl_booking_seen(const struct yl_ctx *c, int64_t id, struct yl_booking *out);

/* Loads a booking with its derived status. Staff roles read any booking; a resident user
 * reads only their own (YL_ERR_NOT_FOUND for others, as for unknown ids). *out is
 * arena-owned. */
enum yl_err yl_booking_get(const struct yl_ctx *c, int64_t id, struct yl_booking *out);

struct yl_booking_filter {
	int64_t resident_id; /* 0: any */
	int64_t slot_id;     /* 0: any */
	const char *status;  /* NULL or booked | cancelled | checked_in | seen | no_show (derived) */
	int64_t after;       /* cursor: ids greater than this */
	int limit;           /* 1..1000 */
};

/* Lists bookings in id order. A resident user sees only their own (the filter is forced to
 * them; YL_ERR_FORBIDDEN when they ask for another resident). YL_ERR_INVALID (field status)
 * for an unknown status. Results arena-owned. */
enum yl_err yl_booking_list(const struct yl_ctx *c, const struct yl_booking_filter *f,
			    struct yl_booking **items, int *n, bool *more);

/* The end of the resident's booking suspension at the clock's now (unix seconds), or 0 when
 * not suspended. No permission check: for callers that already hold the resident. */
enum yl_err yl_booking_suspended_until(const struct yl_ctx *c, int64_t resident_id,
				       int64_t *until);

#endif
