/* region.h - `yilian sim generate`'s region generator: one or several counties of Guizhou
 * with their cities' hospitals, consortia, departments, practitioners, family-doctor teams,
 * weekly schedule templates, residents and initial "1+1+1" contracts, all created through the
 * domain functions (never raw SQL). It streams: memory does not grow with the number of
 * residents. It does not generate sessions, slots or activity (the simulation run does, day
 * by day), and it never begins or commits a transaction.
 *
 * Shape of a generated region (the run discovers everything from the registry by these
 * conventions):
 *  - Areas: province 520000 贵州省; cities 52XX00 (real GB/T 2260 prefecture codes); counties
 *    52XXYY taken in a fixed order of Guizhou's 88 county-level divisions: county 1 is 520330
 *    习水县 under 520300 遵义市, then 遵义's other 13, then 贵阳, 六盘水, 安顺, 毕节, 铜仁,
 *    黔西南, 黔东南, 黔南. Townships are county + 3 digits (001..), named "<stem>镇".
 *  - Per city with a generated county: "<city>-H01" tertiary general hospital, lead of the
 *    city group, and "<city>-H02" tertiary general hospital outside any consortium; each has
 *    departments 内科 03, 外科 04, 妇产科 05, 儿科 07, 急诊医学科 20, 全科医疗科 02 and six
 *    practitioners per department (the first a chief physician).
 *  - Per county: "<county>-H01" county hospital (secondary, general; the six departments,
 *    three practitioners each), "<county>-H02" TCM hospital (secondary, tcm; 中医科 50),
 *    "<county>-H03" maternal-child hospital (secondary, maternal_child; 妇女保健科 01 and
 *    儿科 07), two practitioners per department of H02 and H03; per township "<county>-Cnn"
 *    township centre (primary; 全科医疗科 02 and 预防保健科 01) with 4 family-doctor teams
 *    (GP leader and nurse; capacity the team_capacity_default setting), and village clinics
 *    "<county>-Cnn-Vmm" (level village, centre the township centre), one village doctor each.
 *  - Consortia: "<county>-YGT" county_community led by the county hospital with H02, H03
 *    and every township centre; "<city>-YLJT" city_group led by the city's H01 with every
 *    county hospital of the city. The chief of each department of a city's H01 also
 *    practises at every county hospital of that city (a practice site).
 *  - Schedule templates (no sessions): Monday to Friday 08:00-12:00 and 14:00-17:30, 30-minute
 *    slots, valid from today, for every hospital department except 急诊医学科 (capacity 6,
 *    quota_family_doctor round(6 x fd_quota), quota_referral round(6 x referral_quota)) and
 *    for each township centre's 全科医疗科 (capacity 4, no quotas).
 *  - Residents: residents / counties per county (the remainder to county 1), township uniform
 *    within the county, home_area_code the township; ID numbers start with the county code.
 *  - Contracts: signed with a team of the resident's township, secondary = own county
 *    hospital, tertiary = the city's H01, on a day of the past 420 days; expired ones renewed
 *    today with probability 0.7.
 */
#ifndef YL_SIM_REGION_H
#define YL_SIM_REGION_H

#include <stdint.h>
#include <stdio.h>

#include "domain/ctx.h"
#include "sim/policy.h"

enum {
	YL_SIM_MAX_COUNTIES = 88,  /* Guizhou's county-level divisions */
	YL_SIM_MAX_TOWNSHIPS = 99, /* per county: three-digit township codes 001..099 */
	YL_SIM_MAX_VILLAGES = 50,  /* village clinics per township */
	YL_SIM_TEAMS_PER_CENTRE = 4,
};
/* Upper bound on opts.residents (ten times the 10-million province the design aims at). */
#define YL_SIM_MAX_RESIDENTS ((int64_t)100000000)

struct yl_sim_region_opts {
	int counties;        /* default 1; 1..YL_SIM_MAX_COUNTIES */
	int64_t residents;   /* total, default 300000, 0..YL_SIM_MAX_RESIDENTS; spread evenly */
	int townships;       /* per county, default 20, 1..YL_SIM_MAX_TOWNSHIPS */
	int villages;        /* village clinics per township, default 10, 0..YL_SIM_MAX_VILLAGES */
	uint64_t seed;       /* default 1 */
	const struct yl_sim_policy *policy; /* borrowed; fd_quota and referral_quota size the
					     * hospital templates; NULL: quotas 2 and 1 of 6 */
	FILE *progress;      /* borrowed; progress lines on long work, or NULL */
};

/* Fills o with the defaults above (policy and progress NULL). */
void yl_sim_region_opts_init(struct yl_sim_region_opts *o);

struct yl_sim_region_result {
	int64_t areas, institutions, consortia, departments, practitioners, teams, residents,
		contracts, active_contracts, templates;
	/* contracts counts signatures and renewals; active_contracts those in force today */
	int64_t first_centre_id;    /* county 1's first township centre */
	int64_t first_tertiary_id;  /* the first city's H01 (遵义市第一人民医院) */
	int64_t first_secondary_id; /* county 1's county hospital (习水县人民医院) */
	char top_area[13]; /* the area that contains everything: the city code when every county
			    * lies in one city, the province code otherwise */
};

/* Generates the region described above into c->store, inside the caller's transaction
 * (c->actor an admin; c->clock gives today, the start of the simulation; c->batch set so
 * audit writes one summary row). The same opts on an empty registry always give the same
 * rows (same ids, names, ID numbers, tags, contracts); another seed gives others.
 * Memory is bounded by the number of counties and townships, not residents: c->arena is
 * released after each county and each resident, so nothing the caller allocated there
 * survives the call (o and o->policy are read before the first release and may live there).
 * Residents whose township's four teams are full stay unsigned. Cost: each signature counts
 * its team's load (contract.h), so time grows with residents per team; the live signing
 * stocks (signing_stock.h) add to every resident and contract write, so a bulk caller may
 * set c->no_live_measures and rebuild them afterwards (yl_signing_stock_rebuild).
 * Errors: YL_ERR_INVALID with field "counties", "residents", "townships", "villages",
 * "fd_quota" or "referral_quota" for an out-of-range option (a quota outside 0-1, or both
 * rounding to more than the 6 places of a slot), checked before anything is written;
 * otherwise the first error of a domain function (for instance YL_ERR_CONFLICT when the
 * registry already holds these codes), with c->diag set, after which the caller rolls back.
 * *r is zeroed first and holds the counts so far. */
enum yl_err yl_sim_region_generate(const struct yl_ctx *c, const struct yl_sim_region_opts *o,
				   struct yl_sim_region_result *r);

#endif
