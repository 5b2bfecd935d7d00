/* signing.h - family-doctor signing rates (签约率) of an area on a day, overall and for each
 * key population (重点人群), as the reform's assessment indicators ask.
 *
 * Counts are exact (aggregate SQL over every resident, no sampling). A resident counts as
 * signed when they hold a contract in force on the caller's today (YL_CONTRACT_IN_FORCE:
 * started, not past its end date, not ended). A rate is only defined when the population is
 * not empty: has_rate says so, and faces print null rather than 0 when it is false. For today
 * that status test and the historical reading of yl_signing_count_on (any day, past ones
 * included) agree; the indicators C1 and C2 read the live aggregates of signing_stock.h,
 * which are checked against yl_signing_count_on.
 */
#ifndef YL_DOMAIN_SIGNING_H
#define YL_DOMAIN_SIGNING_H

#include "domain/ctx.h"

enum { YL_SIGNING_MAX_CHILDREN = 1000 };

struct yl_signing_count {
	int64_t residents;
	int64_t signed_;
	bool has_rate; /* residents > 0 */
	double rate;   /* signed_ / residents when has_rate, else 0 (not computable) */
};

struct yl_signing_group {
	unsigned tag;     /* one yl_tag bit (population.h) */
	const char *name; /* its wire name, e.g. "elderly_65" */
	struct yl_signing_count count;
};

struct yl_signing {
	const char *area_code;
	const char *area_name;
	char on[11]; /* the day counted, YYYY-MM-DD */
	struct yl_signing_count all;
	struct yl_signing_group *by_population; /* every tag in yl_tag_all order */
	int ngroups;
	struct yl_signing *children; /* direct child areas in code order, when asked */
	int nchildren;
};

/* The four counts behind C1 and C2 for an area on one day (definitions in signing_stock.h):
 * residents born on or before the day, those with a contract covering it in the historical
 * reading, those in a key population that day, and those both signed and key; each person
 * once. */
struct yl_signing_counts {
	int64_t residents;
	int64_t signed_;
	int64_t key;
	int64_t signed_key;
};

/* The latest birth date of someone aged at least `age` (yl_age_on) on day `on`: a resident is
 * that old on `on` exactly when born on or before the result. */
int32_t yl_signing_latest_birth(int32_t on, int age);

/* The checks every count of an area starts with: a staff reader (YL_ERR_FORBIDDEN), an
 * area_code given (YL_ERR_MISSING) and known (YL_ERR_NOT_FOUND), each on field area_code. */
enum yl_err yl_signing_area_check(const struct yl_ctx *c, const char *area_code);

/* The counts of area_code (home area equal to it or under it) on day `on` (days since epoch),
 * by a direct scan of its residents and their contracts: the reference the live aggregates of
 * signing_stock.h are checked against, and their stand-in until they are rebuilt. A contract
 * covers D when start_date <= D <= end_date and ended_on is NULL or after D (measure.h); key
 * means a stored tag, or yl_tag_derived(birth, on) not 0. Any staff role (YL_ERR_FORBIDDEN
 * for a resident); YL_ERR_MISSING without an area, YL_ERR_NOT_FOUND for an unknown one.
 * Reads only; time grows with the residents of the area (about a second for 300,000). */
enum yl_err yl_signing_count_on(const struct yl_ctx *c, const char *area_code, int32_t on,
				struct yl_signing_counts *out);

/* Counts residents living in area_code (home area equal to it or under it) and those signed,
 * overall and per key-population tag; with children, also for every direct child area. Any
 * staff role may read (residents may not: YL_ERR_FORBIDDEN). YL_ERR_MISSING without an area,
 * YL_ERR_NOT_FOUND for an unknown one. *out is arena-owned. */
enum yl_err yl_signing_rates(const struct yl_ctx *c, const char *area_code, bool children,
			     struct yl_signing *out);

#endif
