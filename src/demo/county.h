/* county.h - the demo county: a generated region loaded through the domain API.
 *
 * One county of a prefecture city (default: 习水县 under 遵义市, 贵州省) with a city tertiary
 * hospital, a county hospital, county TCM and maternal-child hospitals, N township centres
 * each with village clinics, a county medical community and a city medical group, departments,
 * practitioners, family-doctor teams, residents with a census-like age structure and
 * chronic-disease prevalence, "1+1+1" contracts signed over the past year, and the past
 * days' encounters, bookings and referrals (activity.h). Every record
 * is created by the same domain functions as the API, so the demo exercises the rules.
 * Deterministic for a given seed.
 */
#ifndef YL_DEMO_COUNTY_H
#define YL_DEMO_COUNTY_H

#include <stdint.h>
#include <stdio.h>

#include "demo/activity.h"
#include "domain/ctx.h"

struct yl_demo_opts {
	int64_t residents;    /* default 300000 */
	int townships;        /* default 20 */
	int villages;         /* village clinics per township, default 10 */
	uint64_t seed;        /* default 1 */
	int days;             /* days of past activity (encounters, referrals), default 30 */
	FILE *progress;       /* progress lines, or NULL */
};

struct yl_demo_result {
	int64_t areas, institutions, consortia, departments, practitioners, teams, residents;
	int64_t contracts, active_contracts, renewed;
	int64_t templates, sessions, slots;
	int64_t tertiary_id, secondary_id, first_centre_id;
	int64_t first_hospital_department_id; /* the city hospital's 内科 */
	struct yl_demo_activity activity;
};

/* Generates the county into c->store inside the caller's transaction. c->actor must be an
 * admin; c->clock gives "today". Errors come from the domain functions (nothing is kept:
 * the caller rolls back). */
enum yl_err yl_demo_county(const struct yl_ctx *c, const struct yl_demo_opts *o,
			   struct yl_demo_result *r);

#endif
