/* signing.h - family-doctor signing rates (签约率) of an area on a day, overall and for each
 * key population (重点人群), as the reform's assessment indicators ask.
 *
 * Counts are exact (aggregate SQL over every resident, no sampling). A resident counts as
 * signed when they hold a contract in force on the caller's today (YL_CONTRACT_IN_FORCE:
 * started, not past its end date, not ended). A rate is only defined when the population is not empty: has_rate says so, and faces
 * print null rather than 0 when it is false.
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

/* Counts residents living in area_code (home area equal to it or under it) and those signed,
 * overall and per key-population tag; with children, also for every direct child area. Any
 * staff role may read (residents may not: YL_ERR_FORBIDDEN). YL_ERR_MISSING without an area,
 * YL_ERR_NOT_FOUND for an unknown one. *out is arena-owned. */
enum yl_err yl_signing_rates(const struct yl_ctx *c, const char *area_code, bool children,
			     struct yl_signing *out);

#endif
