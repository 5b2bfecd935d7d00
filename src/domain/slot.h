/* slot.h - time-sliced outpatient slots, their pools, and the institution's release policy.
 *
 * A slot's capacity is split into three pools: `public`, `family_doctor` (bookings a family
 * doctor makes for a resident whose 1+1+1 contract names the hospital) and `referral`
 * (up-referrals). Reserved pools open as soon as the slot exists (priority access, 优先预留
 * 号源); the public pool opens at the release time: N days ahead at a local time
 * (Asia/Shanghai). T hours before the slot starts, reserved places still unused fall back to
 * public. Both moments are computed from the clock at query and booking time; no background
 * job moves anything. yl_slot_pools is the one place these rules live.
 */
#ifndef YL_DOMAIN_SLOT_H
#define YL_DOMAIN_SLOT_H

#include "domain/ctx.h"

enum yl_pool { YL_POOL_PUBLIC = 0, YL_POOL_FAMILY_DOCTOR = 1, YL_POOL_REFERRAL = 2 };

/* "public" | "family_doctor" | "referral"; parse gives -1 for an unknown name. */
const char *yl_pool_name(enum yl_pool p);
int yl_pool_parse(const char *s);

struct yl_release_policy {
	int64_t institution_id;
	int64_t days_ahead;          /* public slots open this many days before the slot's date */
	const char *release_time;    /* "HH:MM" local time of opening */
	int64_t fallback_hours;      /* unused reserved places fall back this long before start */
	int64_t cancel_cutoff_hours; /* bookings may be cancelled until this long before start */
	bool is_default;             /* output: the institution has set none */
};

/* The defaults when an institution has set no policy: 7 days ahead at 08:00, fallback 24 h
 * before the slot, cancellation until 2 h before. */
void yl_release_policy_default(struct yl_release_policy *p, int64_t institution_id);
/* Loads the institution's policy (the default when none is set). YL_ERR_NOT_FOUND for an
 * unknown institution. Any signed-in role may read it. */
enum yl_err yl_release_policy_get(const struct yl_ctx *c, int64_t institution_id,
				  struct yl_release_policy *out);
/* Sets the policy (admin, or institution_admin of the institution). Errors: YL_ERR_INVALID on
 * the field at fault (days_ahead 0-90, release_time HH:MM, fallback_hours 0-720,
 * cancel_cutoff_hours 0-720), YL_ERR_NOT_FOUND, YL_ERR_FORBIDDEN. Audited. */
enum yl_err yl_release_policy_set(const struct yl_ctx *c, const struct yl_release_policy *in);

struct yl_slot {
	int64_t id;
	int64_t session_id;
	int64_t institution_id;
	int64_t department_id;
	int64_t practitioner_id;   /* 0 for a department-level slot */
	const char *category_code; /* the department's national category, NULL if none */
	int64_t starts_at;         /* unix seconds, UTC */
	int64_t ends_at;
	int64_t capacity;
	int64_t quota[3];          /* per pool, indexed by enum yl_pool; quota[PUBLIC] unused */
	int64_t booked[3];         /* per pool */
	bool stopped;              /* the session was stopped (停诊) */
};

/* What a slot offers at time `now` under policy p. */
struct yl_pool_view {
	bool released;    /* the public pool is open */
	bool fallen_back; /* reserved places left have fallen back to public */
	int64_t free[3];  /* places free now, per pool (0 for a stopped slot) */
	int64_t limit[3]; /* the most bookings each pool may hold now (booked[i] <= limit[i]) */
	int64_t opens_at; /* when the public pool opens (unix seconds) */
	int64_t falls_back_at;
};

/* Pure: the pools of s at `now`. Before the fallback, public may hold capacity minus both
 * quotas, each reserved pool its quota; after it, the reserved pools are closed at what they
 * hold and public may take everything else. Public is 0 before the release time. No pool
 * offers more than the slot has left: public places taken after the fallback may fill what a
 * reserved quota still names at an earlier moment. */
void yl_slot_pools(const struct yl_slot *s, const struct yl_release_policy *p, int64_t now,
		   struct yl_pool_view *out);

/* Which pools the caller may book from at institution_id for resident_id: public always;
 * family_doctor when the actor is a doctor (or admin) at the institution of the team of the
 * resident's contract in force today and that contract names institution_id as its secondary
 * or tertiary hospital; referral never here (only the referral module books it, through
 * yl_booking_create with YL_POOL_REFERRAL). allowed[] is indexed by enum yl_pool. */
enum yl_err yl_slot_caller_pools(const struct yl_ctx *c, int64_t resident_id,
				 int64_t institution_id, bool allowed[3]);

/* Unix seconds of local (Asia/Shanghai) date + "HH:MM"; false if hhmm is malformed. */
bool yl_local_time(int32_t date, const char *hhmm, int64_t *out);

#endif
