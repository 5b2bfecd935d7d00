/* indicator.h - the official indicators (INDICATORS.md) computed from the catalogue table
 * `indicators` and the live sums of measure_agg (measure.h), for an institution, a consortium
 * or an area over a period of whole months.
 *
 * There is no function per indicator: a catalogue row names the measures whose sums make its
 * numerator and its denominator ('+'-joined measure keys), a scale (100 for a percentage) and
 * whether year-on-year growth is asked for. Aggregating institutions or months sums numerators
 * and denominators, then divides once; rates are never averaged. A zero denominator gives no
 * value ("not computable"), never 0. A row without a denominator is a count: its value is
 * the numerator.
 *
 * A row's scope_kind says what its measure keys are sums of (migration 5):
 *   institution      measure_agg of the institutions in the scope (events where they happen);
 *   resident_county  measure_agg by the residents' county (A1, A2, A8): for an area at county
 *                    level or above, the numerator sums, over each county of the area, the
 *                    measures of its residents at institutions located in that same county,
 *                    the denominator those of its residents anywhere. Not defined for an
 *                    institution, a consortium or a township (no value, a note);
 *   event            computed from raw events because it cannot be summed: num_measure
 *                    "referral_days_to_visit" is the median number of days from the local
 *                    date of the request to the local date of the 'arrived' transition, over
 *                    the referrals sent from the scope's institutions in the period (by
 *                    request month) that reached arrived or completed. The value is the
 *                    median; numerator is the number of referrals, denominator 0;
 *   stock            people counted on the period's last day (or today when that is
 *                    earlier): "residents", "signed_residents", "key_residents" and
 *                    "signed_key_residents" as defined in signing_stock.h (born by that day;
 *                    a contract covering it in the historical reading; a stored tag, 65+ or
 *                    0-6 that day; each person once), read from the live aggregates.
 *                    Defined for an area scope only.
 */
#ifndef YL_DOMAIN_INDICATOR_H
#define YL_DOMAIN_INDICATOR_H

#include "domain/ctx.h"

/* The longest period one query may cover, in months. */
enum { YL_INDICATOR_MAX_MONTHS = 60 };

/* One catalogue row; strings arena-owned. */
/* What a row's measure keys are sums of (the catalogue's scope_kind, migration 5). */
enum yl_indicator_scope {
	YL_SCOPE_INSTITUTION,
	YL_SCOPE_RESIDENT_COUNTY,
	YL_SCOPE_EVENT,
	YL_SCOPE_STOCK,
};

struct yl_indicator_def {
	const char *id;          /* "C4", "B1.op", "drug_share" */
	const char *name_zh;
	const char *name_en;
	const char *source;      /* the document */
	const char *version;
	const char *tag;         /* S (official wording seen), M (recalled), I (working) */
	const char *numerator;   /* what the numerator counts, in words */
	const char *denominator; /* NULL for a count */
	const char *unit;        /* "%", "分/人次", "例次", "人次" */
	const char *direction;   /* 逐步提高 | 逐步降低 | 监测比较 */
	const char *num_measure; /* measure keys joined by '+' */
	const char *den_measure; /* NULL for a count */
	int64_t scale;           /* value = numerator / denominator * scale */
	bool growth;             /* also report growth against the same period a year earlier
				  * (institution rows only) */
	const char *scope_kind;  /* institution | resident_county | event | stock */
	enum yl_indicator_scope scope; /* scope_kind, parsed once */
};

/* Loads the catalogue in display order into *defs (arena array of *n). Any staff role
 * (YL_ERR_FORBIDDEN for a resident). */
enum yl_err yl_indicator_catalogue(const struct yl_ctx *c, struct yl_indicator_def **defs,
				   int *n);

/* What to compute: exactly one scope, a period of months (both ends inclusive), and
 * optionally one indicator id. Strings are borrowed. */
struct yl_indicator_query {
	int64_t institution_id; /* 0: not this scope */
	int64_t consortium_id;  /* 0: not this scope; an institution counts for each month in
				 * which it was a member on at least one day */
	const char *area_code;  /* NULL: not this scope; institutions located in the area or
				 * under it (yl_area_range) */
	const char *from;       /* "YYYY-MM" */
	const char *to;         /* "YYYY-MM", not before from, at most YL_INDICATOR_MAX_MONTHS */
	const char *id;         /* NULL: every indicator */
};

struct yl_indicator_value {
	int64_t numerator;   /* for an event row: the number of events the value is taken over */
	int64_t denominator; /* 0 for a count and an event row */
	bool has_value;      /* a count always; a ratio when denominator > 0 */
	double value;        /* full precision; faces round at presentation */
};

struct yl_indicator_result {
	const struct yl_indicator_def *def; /* arena-owned */
	struct yl_indicator_value cur;
	const char *note;                   /* NULL, or why there is no value; static */
	const char *as_of;                  /* stock rows: the day counted, YYYY-MM-DD (arena);
					     * NULL otherwise */
	/* when def->growth: the same months a year earlier, and (cur - prev) / prev * 100 */
	struct yl_indicator_value prev;
	bool has_growth;
	double growth;                      /* percent */
	const char *growth_note;            /* NULL, or why there is no growth; static */
};

/* Computes the indicators of q from measure_agg. Any staff role. Errors: YL_ERR_MISSING
 * (field "scope" when none is given; "from", "to"), YL_ERR_INVALID ("scope" when several are
 * given; "from"/"to" not YYYY-MM; "to" before from or the period longer than
 * YL_INDICATOR_MAX_MONTHS), YL_ERR_NOT_FOUND (institution_id, consortium_id, area_code, id),
 * YL_ERR_FORBIDDEN. *results is an arena array of *n in catalogue order. Reads only; run it
 * in a read transaction for one consistent snapshot. */
enum yl_err yl_indicator_compute(const struct yl_ctx *c, const struct yl_indicator_query *q,
				 struct yl_indicator_result **results, int *n);

/* Parses "YYYY-MM" (year 1900 or later) into months as y * 12 + (m - 1); false when s is
 * NULL or malformed. */
bool yl_indicator_month_parse(const char *s, int *out);

/* Rounds v half-up to 2 decimals, the one presentation rounding (INDICATORS.md §4.5). */
double yl_indicator_round(double v);

#endif
