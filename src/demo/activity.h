/* activity.h - the demo county's recent care activity: outpatient, emergency and inpatient
 * encounters, bookings and two-way referrals over the past N days, generated through the
 * domain functions (yl_encounter_create, yl_booking_create, yl_referral_*) with the clock set
 * to each day, so every indicator of the demo has real numbers behind it.
 *
 * It does not create the registry, residents, contracts or schedule templates: county.c does
 * that first and hands over what it made in a struct yl_demo_world.
 */
#ifndef YL_DEMO_ACTIVITY_H
#define YL_DEMO_ACTIVITY_H

#include <stdint.h>
#include <stdio.h>

#include "domain/ctx.h"

enum {
	YL_DEMO_HOSPITAL_DEPTS = 6, /* 内科 外科 妇产科 儿科 急诊医学科 全科医疗科, in this order */
	YL_DEMO_MAX_DAYS = 365,
};

/* What county.c generated, borrowed by yl_demo_activity. Arrays are indexed as noted. */
struct yl_demo_world {
	int64_t tertiary_id, secondary_id, tcm_id, mch_id;
	int64_t hospital_depts[2][YL_DEMO_HOSPITAL_DEPTS]; /* [0] tertiary, [1] secondary */
	int64_t tcm_dept, mch_dept;
	int townships, villages;
	const int64_t *centres;      /* [township] */
	const int64_t *centre_depts; /* [township]: the centre's 全科医疗科 */
	const int64_t *clinics;      /* [township * villages + v] */
	int64_t nresidents;
	const int64_t *resident_ids; /* [i] */
	const uint8_t *township;     /* [i] home township index */
	const uint8_t *age;          /* [i] age in years today (capped at 255) */
	const uint8_t *tags;         /* [i] YL_TAG_* stored bits */
	const uint8_t *is_signed;    /* [i] 1: a contract in force today */
};

/* Counts of what was generated; referral statuses as read (derived) after generation. */
struct yl_demo_activity {
	int64_t outpatient, emergency, inpatient, booked, past_sessions;
	int64_t referrals_up, referrals_down;
	int64_t requested, accepted, arrived, completed, rejected, cancelled, expired;
};

/* Generates activity for the days today-days .. today-1 (today from c->clock) into c->store,
 * inside the caller's transaction, with c->actor an admin. Sessions for those past days are
 * generated first from the existing templates (which must be valid from today-days). Visit
 * dates are never after the clock's date. Deterministic for a given seed. days 0 does
 * nothing; days above YL_DEMO_MAX_DAYS is YL_ERR_INVALID. Errors come from the domain
 * functions: the caller rolls back. */
enum yl_err yl_demo_activity(const struct yl_ctx *c, const struct yl_demo_world *w, int days,
			     uint64_t seed, FILE *progress, struct yl_demo_activity *out);

#endif
