/* report.h - the indicator report of a region: every catalogue indicator (indicator.h) as a
 * table with one column per institution level present in the region, one per consortium of
 * the region and one for the region itself, and a "shape" section saying how near the region
 * is to the national figures (visits and admissions per person-year, the primary-care share
 * of visits, referrals as a share of visits).
 *
 * Everything is computed through yl_indicator_compute: a level column sums the numerators and
 * denominators of the institutions of that level located in the region (each computed with an
 * institution scope), then divides once; rates are never averaged. Consortium and region
 * columns are one compute call each. A cell whose indicator is not defined for its column (a
 * residents'-county or stock row at a level or a consortium, a median at a level) is marked
 * undefined with a reason. The shape figures are derived from the region column's
 * numerators and denominators only (docs/report.md). Used by `yilian report` and by the
 * simulator's `sim compare`; nothing here writes to the database or prints unless asked.
 */
#ifndef YL_REPORT_REPORT_H
#define YL_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "domain/ctx.h"
#include "domain/indicator.h"

/* What to report; strings borrowed. */
struct yl_report_query {
	const char *area_code; /* NULL: the default region, the one province holding institutions */
	const char *from;      /* "YYYY-MM"; NULL: 11 months before to */
	const char *to;        /* "YYYY-MM"; NULL: 11 months after from, or, when from is NULL
				* too, the month of today (c->clock) */
	const char *since;     /* "YYYY-MM-DD" or NULL: the first day with data (a simulation's
				* start); person-years count from it when it is inside the period */
};

enum yl_report_col_kind {
	YL_REPORT_LEVEL = 0,      /* the institutions of one level located in the region */
	YL_REPORT_CONSORTIUM = 1, /* a consortium of the region, members month by month */
	YL_REPORT_REGION = 2,     /* the region (area scope), always the last column */
};

struct yl_report_column {
	enum yl_report_col_kind kind;
	const char *key;       /* "village", "primary", "secondary", "tertiary", "consortium:3",
				* "region"; unique within a report */
	const char *label;     /* short heading: the level, the consortium's code, "region" */
	const char *name;      /* the level, the consortium's name, or the area's name */
	const char *level;     /* level columns; NULL otherwise */
	int64_t consortium_id; /* consortium columns; 0 otherwise */
	int institutions;      /* level: institutions summed; consortium: current members;
				* region: institutions located in the region */
};

/* One indicator in one column. Strings are static or arena-owned. */
struct yl_report_cell {
	bool defined;              /* false: the indicator has no meaning for this column */
	const char *reason;        /* why not defined; NULL when defined */
	struct yl_indicator_value cur;
	const char *note;          /* defined but no value: why (zero denominator, no events) */
	const char *as_of;         /* stock rows: the day counted */
	/* when the row asks for growth: the same months a year earlier */
	struct yl_indicator_value prev;
	bool has_growth;
	double growth;             /* percent */
	const char *growth_note;   /* NULL, or why there is no growth */
};

struct yl_report_row {
	const struct yl_indicator_def *def; /* arena-owned */
	struct yl_report_cell *cells;       /* one per column, in column order */
};

/* The national figures the region is held against, and the region's own. */
enum yl_report_figure_id {
	YL_SHAPE_VISITS = 0,   /* outpatient and emergency visits per person-year */
	YL_SHAPE_ADMISSIONS,   /* admissions per person-year */
	YL_SHAPE_PRIMARY,      /* % of visits at primary level (primary and village) */
	YL_SHAPE_REFERRALS,    /* two-way (up + down) referrals, % of visits */
	YL_SHAPE_UP,           /* up-referrals from primary care, % of visits */
	YL_SHAPE_DOWN,         /* down-referrals, % of visits */
	YL_SHAPE_COUNT
};

struct yl_report_figure {
	const char *key;     /* "visits_per_person_year", ... */
	const char *name_zh;
	const char *name_en;
	const char *unit;    /* "人次/人年", "%" */
	double national;     /* the national figure (docs/report.md gives the source) */
	const char *source;  /* where the national figure comes from, in words */
	double numerator;    /* what the region's value divides (a count) */
	double denominator;  /* person-years or visits; 0 when unknown */
	bool has_value;
	double value;        /* numerator / denominator, scaled to unit */
	double ratio;        /* value / national, when has_value */
	const char *note;    /* NULL, or why there is no value, or a caveat */
};

struct yl_report_shape {
	int64_t visits;          /* opem_visits in the region */
	int64_t primary_visits;  /* opem_visits_primary */
	int64_t admissions;      /* ip_admissions */
	int64_t up;              /* ref_up_primary_op + ref_up_primary_ip */
	int64_t down;            /* ref_down_op + ref_down_ip */
	int64_t residents;       /* C1's denominator: residents living in the region on as_of */
	double person_years;     /* residents x months / 12, clipped at today; 0 when unknown */
	int days;                /* days of the period up to today (the exposure counted) */
	int period_days;         /* days of the whole period */
	const char *person_years_note; /* NULL, or why there are no person-years */
	struct yl_report_figure fig[YL_SHAPE_COUNT];
};

/* A built report; everything arena-owned (the ctx's arena). */
struct yl_report {
	const char *area_code;
	const char *area_name;
	const char *from;  /* "YYYY-MM" */
	const char *to;
	int months;
	const char *today; /* "YYYY-MM-DD", the clock's date the report was built on */
	const char *since; /* the query's since (arena copy), or NULL */
	struct yl_report_column *cols;
	int ncols;         /* levels first (village..tertiary), consortia by id, region last */
	struct yl_report_row *rows;
	int nrows;         /* catalogue order */
	struct yl_report_shape shape;
};

/* Builds the report of q into *out (arena-owned, the ctx's arena; per-institution work uses
 * a scratch arena released before returning). Reads only: run it in one read transaction for
 * a consistent snapshot; never begins or commits one. Any staff role. Errors:
 * YL_ERR_INVALID ("from"/"to" not YYYY-MM, "to" before "from", a period over
 * YL_INDICATOR_MAX_MONTHS; "area_code" not an area code), YL_ERR_NOT_FOUND ("area_code": no
 * such area), YL_ERR_MISSING ("area_code": no default region because no province or several
 * provinces hold institutions), YL_ERR_FORBIDDEN, and the store's errors. On error *out is
 * zeroed and c->diag says why. */
enum yl_err yl_report_build(const struct yl_ctx *c, const struct yl_report_query *q,
			    struct yl_report *out);

/* The index of the row with catalogue id `id`, or -1. */
int yl_report_row_index(const struct yl_report *r, const char *id);
/* The index of the column with key `key` ("region", "primary", "consortium:3"), or -1. */
int yl_report_col_index(const struct yl_report *r, const char *key);
/* The cell of row id in column key, or NULL when either is absent. Borrowed from r. */
const struct yl_report_cell *yl_report_cell(const struct yl_report *r, const char *id,
					    const char *key);

/* Prints r as text on f: a header, the table by institution level (levels and region), the
 * table by consortium (at most four consortia a block, each with the region), a legend and
 * the shape section. Values are rounded with yl_indicator_round; "—" marks a cell not
 * defined for its column, "n/a" a value or growth that cannot be computed. Names are UTF-8;
 * column widths count a CJK character as two. Errors: none (f's errors are the caller's). */
void yl_report_print_text(FILE *f, const struct yl_report *r);

/* Prints r on f as one JSON object: area, period, columns, rows (each with its cells keyed by
 * column key: numerator, denominator, value, growth, note, or defined=false and a reason) and
 * shape; values rounded with yl_indicator_round, shape figures at full precision; a newline
 * ends it. */
void yl_report_print_json(FILE *f, const struct yl_report *r);

/* Prints the region column of a and b side by side on f with the difference (value b -
 * value a, in the row's unit; growth differences in percentage points), rows matched by id,
 * then the two shape sections side by side. label_a and label_b name the runs in the
 * headings (borrowed). */
void yl_report_print_compare(FILE *f, const struct yl_report *a, const char *label_a,
			     const struct yl_report *b, const char *label_b);

#endif
