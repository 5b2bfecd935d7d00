/* session.h - dated outpatient sessions (出诊) and their slots: read, change places, stop.
 *
 * Sessions are created by yl_schedule_generate (schedule.h). A session's capacity and quotas
 * can be changed for all its slots at once, never below what the slots already hold. Stopping
 * a session (停诊) cancels every booking still 'booked' on its slots with a reason the
 * resident sees, and gives the places back to the counters in the same transaction. Booking
 * itself belongs to the booking module; this one never creates bookings.
 */
#ifndef YL_DOMAIN_SESSION_H
#define YL_DOMAIN_SESSION_H

#include "domain/ctx.h"
#include "domain/slot.h"

/* The slot columns yl_session_slot_read expects, for "FROM " YL_SLOT_FROM. */
#define YL_SLOT_COLS                                                                               \
	"s.id, s.session_id, s.institution_id, s.department_id, s.practitioner_id,"               \
	" s.category_code, s.starts_at, s.ends_at, s.capacity, s.quota_family_doctor,"            \
	" s.quota_referral, s.booked_public, s.booked_family_doctor, s.booked_referral, se.status"
#define YL_SLOT_FROM "slots s JOIN sessions se ON se.id = s.session_id"
enum { YL_SLOT_NCOLS = 15 };

/* Reads the YL_SLOT_COLS of the current row of st, starting at column first, into *out
 * (category_code arena-owned). */
void yl_session_slot_read(const struct yl_ctx *c, struct yl_stmt *st, int first,
			  struct yl_slot *out);

struct yl_session {
	int64_t id;
	int64_t template_id;     /* 0 when made by hand */
	int64_t institution_id;
	int64_t department_id;
	int64_t practitioner_id; /* 0: department-level */
	const char *date;        /* "YYYY-MM-DD" local */
	const char *start_time;  /* "HH:MM" local */
	const char *end_time;
	int64_t slot_minutes;
	const char *status;      /* "open" | "stopped" */
	const char *stop_reason; /* NULL unless stopped */
	int64_t created_at;
	int64_t slot_count;      /* totals over the session's slots */
	int64_t capacity;
	int64_t booked;
	struct yl_slot *slots;   /* arena array in time order; filled by yl_session_get only */
	int nslots;
};

/* Loads a session with its totals and, when with_slots, its slots (any signed-in role).
 * YL_ERR_NOT_FOUND when absent. *out is arena-owned. */
enum yl_err yl_session_get(const struct yl_ctx *c, int64_t id, bool with_slots,
			   struct yl_session *out);

struct yl_session_filter {
	int64_t institution_id; /* 0: any */
	int64_t department_id;  /* 0: any */
	const char *date;       /* "YYYY-MM-DD" or NULL: any */
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists sessions with their totals (not their slots) in id order (any signed-in role). *items
 * is an arena array of *n entries; *more says whether a further page exists. */
enum yl_err yl_session_list(const struct yl_ctx *c, const struct yl_session_filter *f,
			    struct yl_session **items, int *n, bool *more);

/* A change of places for every slot of a session; fields without has_ stay as each slot has
 * them. */
struct yl_session_patch {
	bool has_capacity, has_quota_family_doctor, has_quota_referral;
	int64_t capacity, quota_family_doctor, quota_referral;
};

/* Changes capacity and quotas of every slot of the session (admin, or institution_admin of
 * its institution). Errors: YL_ERR_INVALID (range, or quotas above capacity; field named),
 * YL_ERR_CONFLICT (the session is stopped, or a slot would hold less than it already has:
 * capacity below its bookings, a quota below that pool's bookings, or a smaller public share
 * below the public bookings), YL_ERR_NOT_FOUND, YL_ERR_FORBIDDEN. Nothing is written on
 * failure. Audited. *out (may be NULL) is the session afterwards with its slots. */
enum yl_err yl_session_patch(const struct yl_ctx *c, int64_t id, const struct yl_session_patch *p,
			     struct yl_session *out);

/* Stops a session (停诊; admin, or institution_admin of its institution): status 'stopped'
 * with reason, and every booking of its slots still 'booked' becomes 'cancelled' with
 * cancel_reason "session stopped: <reason>", its slot's counter of that pool going down by
 * one. Checked-in and seen bookings stay. Errors: YL_ERR_MISSING/INVALID (reason empty or
 * over 500 bytes), YL_ERR_CONFLICT (already stopped, or its day is past), YL_ERR_NOT_FOUND,
 * YL_ERR_FORBIDDEN. Audited. *cancelled (may be NULL) receives the bookings cancelled; *out
 * (may be NULL) the session afterwards with its slots. */
enum yl_err yl_session_stop(const struct yl_ctx *c, int64_t id, const char *reason,
			    int64_t *cancelled, struct yl_session *out);

#endif
