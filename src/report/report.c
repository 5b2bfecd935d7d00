/* report.c - builds the indicator report of a region (report.h): the period, the columns
 * (institution levels present, consortia of the region, the region), every cell through
 * yl_indicator_compute, and the shape figures against the national statistics.
 *
 * A level column is a sum over institutions: each institution of the level is computed with
 * an institution scope in a scratch arena (released after each one, so a province of
 * thousands of institutions does not hold thousands of result sets), its numerators and
 * denominators are added, and the column divides once. This file issues no SQL of its own:
 * the indicator rules stay in the domain. Printing lives in report_print.c.
 */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/institution.h"

/* The national figures (../shared/DOMAIN.md, "Figures for a realistic region": the 2023
 * statistical bulletin of the NHC). Visits are 诊疗人次, in 亿 (1e8); referrals in 万 (1e4). */
#define NAT_VISITS_PER_PERSON 6.8
#define NAT_ADMISSIONS_PER_PERSON 0.215 /* 30,187.3万 admissions / 14.04亿 people */
#define NAT_VISITS_YI 95.5
#define NAT_HOSPITAL_VISITS_YI 42.6
/* township centres 13.1 + community centres 8.3 + stations 2.1 + village clinics 14.0 */
#define NAT_PRIMARY_VISITS_YI (13.1 + 8.3 + 2.1 + 14.0)
#define NAT_UP_WAN 1560.0
#define NAT_DOWN_WAN 1472.0

static const char *const LEVELS[] = {"village", "primary", "secondary", "tertiary"};
enum { NLEVELS = 4, PAGE = 1000 };

static const char *month_str(const struct yl_ctx *c, int idx)
{
	return yl_arena_printf(c->arena, "%04d-%02d", idx / 12, idx % 12 + 1);
}

static int32_t month_first_day(int idx)
{
	return yl_days_from_civil(idx / 12, idx % 12 + 1, 1);
}

/* The period of q: both ends given, one end and twelve months, or the twelve months ending
 * with today's month. Errors name the field as yl_indicator_compute does. */
static enum yl_err resolve_period(const struct yl_ctx *c, const struct yl_report_query *q,
				  int *lo, int *hi)
{
	int y, m, d;

	*lo = *hi = 0;
	if (q->from && !yl_indicator_month_parse(q->from, lo))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "from",
				   "from must be a month YYYY-MM, not '%.20s'", q->from);
	if (q->to && !yl_indicator_month_parse(q->to, hi))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to",
				   "to must be a month YYYY-MM, not '%.20s'", q->to);
	if (!q->from && !q->to) {
		yl_civil_from_days(yl_clock_today(c->clock), &y, &m, &d);
		*hi = y * 12 + m - 1;
	}
	if (!q->from)
		*lo = *hi - 11;
	else if (!q->to)
		*hi = *lo + 11;
	if (*hi < *lo)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to", "to %s is before from %s", q->to,
				   q->from);
	if (*hi - *lo + 1 > YL_INDICATOR_MAX_MONTHS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to",
				   "the period may cover at most %d months", YL_INDICATOR_MAX_MONTHS);
	return YL_OK;
}

/* Whether any institution is located in area code (or under it). */
static enum yl_err has_institutions(const struct yl_ctx *c, const char *code, bool *yes)
{
	struct yl_institution_filter f = {0};
	struct yl_institution *items;
	enum yl_err err;
	bool more;
	int n;

	f.area_code = code;
	f.limit = 1;
	err = yl_institution_list(c, &f, &items, &n, &more);
	*yes = !err && n > 0;
	return err;
}

/* The default region: the one province holding institutions. */
static enum yl_err default_area(const struct yl_ctx *c, const char **code)
{
	struct yl_area_filter f = {0};
	struct yl_area *items;
	const char *first = NULL, *second = NULL;
	enum yl_err err;
	bool more = true;
	int n;

	f.level = "province";
	f.limit = PAGE;
	while (more) {
		if ((err = yl_area_list(c, &f, &items, &n, &more)))
			return err;
		for (int i = 0; i < n; i++) {
			bool yes;
			if ((err = has_institutions(c, items[i].code, &yes)))
				return err;
			if (yes && !first)
				first = items[i].code;
			else if (yes && !second)
				second = items[i].code;
		}
		if (n)
			f.after = items[n - 1].code;
	}
	if (!first)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code",
				   "no province holds institutions: give an area code");
	if (second)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code",
				   "several provinces hold institutions (%s, %s, ...): give an area"
				   " code", first, second);
	*code = first;
	return YL_OK;
}

/* Every institution located in area (or under it), in id order. */
static enum yl_err list_institutions(const struct yl_ctx *c, const char *area,
				     struct yl_institution **out, int *nout)
{
	struct yl_institution_filter f = {0};
	struct yl_institution *all = NULL, *page;
	int n = 0, cap = 0, got;
	enum yl_err err;
	bool more = true;

	f.area_code = area;
	f.limit = PAGE;
	while (more) {
		if ((err = yl_institution_list(c, &f, &page, &got, &more)))
			return err;
		all = yl_arena_grow(c->arena, all, sizeof(*all), n, n + got, &cap);
		if (got)
			memcpy(all + n, page, sizeof(*page) * (size_t)got);
		n += got;
		if (got)
			f.after = page[got - 1].id;
	}
	*out = all;
	*nout = n;
	return YL_OK;
}

static bool in_range(const char *code, const char lo[10], const char hi[10])
{
	return code && strcmp(code, lo) >= 0 && strcmp(code, hi) < 0;
}

static bool has_id(const struct yl_institution *inst, int n, int64_t id)
{
	int a = 0, b = n - 1;

	while (a <= b) { /* inst is in id order */
		int mid = a + (b - a) / 2;
		if (inst[mid].id == id)
			return true;
		if (inst[mid].id < id)
			a = mid + 1;
		else
			b = mid - 1;
	}
	return false;
}

/* The consortia of the region: registered at an area in it, or, with no area, led by an
 * institution located in it. */
static enum yl_err list_consortia(const struct yl_ctx *c, const char *area,
				  const struct yl_institution *inst, int ninst,
				  struct yl_consortium **out, int *nout)
{
	struct yl_consortium_filter f = {0};
	struct yl_consortium *keep = NULL, *page;
	char lo[10], hi[10];
	int n = 0, cap = 0, got;
	enum yl_err err;
	bool more = true;

	yl_area_range(area, lo, hi);
	f.limit = PAGE;
	while (more) {
		if ((err = yl_consortium_list(c, &f, &page, &got, &more)))
			return err;
		for (int i = 0; i < got; i++) {
			const struct yl_consortium *k = &page[i];
			if (k->area_code ? !in_range(k->area_code, lo, hi)
					 : !has_id(inst, ninst, k->lead_institution_id))
				continue;
			keep = yl_arena_grow(c->arena, keep, sizeof(*keep), n, n + 1, &cap);
			keep[n++] = *k;
		}
		if (got)
			f.after = page[got - 1].id;
	}
	*out = keep;
	*nout = n;
	return YL_OK;
}

/* A cell straight from a compute result. */
static void cell_from(struct yl_report_cell *cell, const struct yl_indicator_result *r)
{
	memset(cell, 0, sizeof(*cell));
	cell->defined = true;
	cell->cur = r->cur;
	cell->note = r->note;
	cell->as_of = r->as_of;
	cell->prev = r->prev;
	cell->has_growth = r->has_growth;
	cell->growth = r->growth;
	cell->growth_note = r->growth_note;
}

static void cell_undefined(struct yl_report_cell *cell, const char *reason)
{
	memset(cell, 0, sizeof(*cell));
	cell->reason = reason;
}

/* Divides a summed numerator and denominator as indicator.c does: a count is its numerator,
 * a ratio needs a positive denominator. */
static void evaluate(const struct yl_indicator_def *d, struct yl_indicator_value *v)
{
	v->has_value = false;
	v->value = 0;
	if (!d->den_measure) {
		v->has_value = true;
		v->value = (double)v->numerator * (double)d->scale;
	} else if (v->denominator > 0) {
		v->has_value = true;
		v->value = (double)v->numerator / (double)v->denominator * (double)d->scale;
	}
}

/* Finishes a level cell whose cur and prev hold sums: value, note and growth with the rules
 * and words of indicator.c, so a level reads like any other scope. */
static void finish_sum(const struct yl_indicator_def *d, struct yl_report_cell *cell)
{
	evaluate(d, &cell->cur);
	if (!cell->cur.has_value)
		cell->note = "not computable: the denominator is 0";
	if (!d->growth)
		return;
	evaluate(d, &cell->prev);
	if (!cell->cur.has_value) {
		cell->growth_note = "not computable: no denominator in this period";
	} else if (!cell->prev.has_value || cell->prev.value == 0.0) {
		cell->growth_note = "no data for the same period a year earlier";
	} else {
		cell->has_growth = true;
		cell->growth = (cell->cur.value - cell->prev.value) / cell->prev.value * 100.0;
	}
}

static int level_index(const char *level)
{
	for (int i = 0; i < NLEVELS; i++)
		if (level && strcmp(level, LEVELS[i]) == 0)
			return i;
	return -1;
}

/* Adds institution inst's numerators and denominators to sums[] (one cell per row; only
 * institution rows), computing it in a scratch arena. */
static enum yl_err add_institution(const struct yl_ctx *c, int64_t inst,
				   const struct yl_report *r, struct yl_report_cell *sums)
{
	struct yl_indicator_query q = {0};
	struct yl_indicator_result *res;
	struct yl_arena scratch;
	struct yl_ctx sc = *c;
	enum yl_err err;
	int n;

	yl_arena_init(&scratch);
	sc.arena = &scratch;
	q.institution_id = inst;
	q.from = r->from;
	q.to = r->to;
	err = yl_indicator_compute(&sc, &q, &res, &n);
	for (int i = 0; !err && i < n; i++) {
		int row = i < r->nrows && strcmp(res[i].def->id, r->rows[i].def->id) == 0
				  ? i
				  : yl_report_row_index(r, res[i].def->id);
		if (row < 0 || res[i].def->scope != YL_SCOPE_INSTITUTION)
			continue;
		sums[row].cur.numerator += res[i].cur.numerator;
		sums[row].cur.denominator += res[i].cur.denominator;
		sums[row].prev.numerator += res[i].prev.numerator;
		sums[row].prev.denominator += res[i].prev.denominator;
	}
	yl_arena_release(&scratch);
	return err;
}

static const char *level_reason(const struct yl_indicator_def *d)
{
	if (d->scope == YL_SCOPE_RESIDENT_COUNTY)
		return "defined for an area only: the residents of its counties, not the"
		       " institutions of a level";
	if (d->scope == YL_SCOPE_STOCK)
		return "defined for an area only: the residents living in it";
	if (d->scope == YL_SCOPE_EVENT)
		return "a median cannot be summed over the institutions of a level";
	return "not an institution sum";
}

/* Fills column col of every row with the level sums of the institutions of `level`. */
static enum yl_err fill_level(const struct yl_ctx *c, struct yl_report *r, int col,
			      const struct yl_institution *inst, int ninst)
{
	struct yl_report_cell *sums = yl_arena_alloc(c->arena, sizeof(*sums) * (size_t)r->nrows);
	const char *level = r->cols[col].level;
	enum yl_err err = YL_OK;

	for (int i = 0; !err && i < ninst; i++)
		if (strcmp(inst[i].level, level) == 0)
			err = add_institution(c, inst[i].id, r, sums);
	if (err)
		return err;
	for (int i = 0; i < r->nrows; i++) {
		struct yl_report_cell *cell = &r->rows[i].cells[col];
		const struct yl_indicator_def *d = r->rows[i].def;
		if (d->scope != YL_SCOPE_INSTITUTION) {
			cell_undefined(cell, level_reason(d));
			continue;
		}
		*cell = sums[i];
		cell->defined = true;
		finish_sum(d, cell);
	}
	return YL_OK;
}

/* Fills column col (a consortium or the region) from its compute results. */
static void fill_results(struct yl_report *r, int col, const struct yl_indicator_result *res,
			 int n)
{
	bool consortium = r->cols[col].kind == YL_REPORT_CONSORTIUM;

	for (int i = 0; i < n; i++) {
		int row = yl_report_row_index(r, res[i].def->id);
		const struct yl_indicator_def *d = res[i].def;
		struct yl_report_cell *cell;
		bool undefined;
		if (row < 0)
			continue;
		cell = &r->rows[row].cells[col];
		/* A consortium has no residents of its own; an area below county level has no
		 * county to hold its residents against (indicator.h, scope kinds). */
		undefined = consortium ? d->scope == YL_SCOPE_RESIDENT_COUNTY || d->scope == YL_SCOPE_STOCK
				       : d->scope == YL_SCOPE_RESIDENT_COUNTY && strlen(r->area_code) != 6;
		if (undefined)
			cell_undefined(cell, res[i].note ? res[i].note : "not defined for this scope");
		else
			cell_from(cell, &res[i]);
	}
}

static enum yl_err fill_consortium(const struct yl_ctx *c, struct yl_report *r, int col)
{
	struct yl_indicator_query q = {0};
	struct yl_indicator_result *res;
	enum yl_err err;
	int n;

	q.consortium_id = r->cols[col].consortium_id;
	q.from = r->from;
	q.to = r->to;
	if ((err = yl_indicator_compute(c, &q, &res, &n)))
		return err;
	fill_results(r, col, res, n);
	return YL_OK;
}

/* The region's sum of measure key, read from the first institution row of the region column
 * whose numerator or denominator is exactly that measure. */
static bool measure_total(const struct yl_report *r, const char *key, int64_t *out)
{
	int col = r->ncols - 1;

	for (int i = 0; i < r->nrows; i++) {
		const struct yl_indicator_def *d = r->rows[i].def;
		const struct yl_report_cell *cell = &r->rows[i].cells[col];
		if (d->scope != YL_SCOPE_INSTITUTION || !cell->defined)
			continue;
		if (d->num_measure && strcmp(d->num_measure, key) == 0) {
			*out = cell->cur.numerator;
			return true;
		}
		if (d->den_measure && strcmp(d->den_measure, key) == 0) {
			*out = cell->cur.denominator;
			return true;
		}
	}
	return false;
}

/* Sums measures a and b (either may be absent from the catalogue: then *missing names it). */
static int64_t two_measures(const struct yl_report *r, const char *a, const char *b,
			    const char **missing)
{
	int64_t x = 0, y = 0;

	if (!measure_total(r, a, &x))
		*missing = a;
	if (!measure_total(r, b, &y))
		*missing = b;
	return x + y;
}

/* One figure: value = num / den * scale when nothing blocks it (why_not NULL) and den > 0;
 * note is why_not, or a zero denominator (always visits: person-years without a value have a
 * why_not), or the caveat. */
static void figure(struct yl_report_figure *f, const char *key, const char *zh, const char *en,
		   const char *unit, double national, const char *source, double num, double den,
		   double scale, const char *why_not, const char *caveat)
{
	f->key = key;
	f->name_zh = zh;
	f->name_en = en;
	f->unit = unit;
	f->national = national;
	f->source = source;
	f->numerator = num;
	f->denominator = den;
	f->has_value = !why_not && den > 0;
	f->note = why_not ? why_not : den > 0 ? caveat : "no visits in the period (denominator 0)";
	if (f->has_value) {
		f->value = num / den * scale;
		f->ratio = f->value / national;
	}
}

/* Person-years of the region: C1's denominator (residents living in it on the period's end
 * or today) times the months of the period, clipped at today so a period that runs into the
 * future (the default one does) counts only the days lived, and at the query's `since`
 * (the first day with data) when that falls inside the period. */
static void person_years(const struct yl_ctx *c, const struct yl_report *r, int lo, int hi,
			 struct yl_report_shape *s)
{
	int32_t first = month_first_day(lo), end = month_first_day(hi + 1) - 1, since;
	int32_t today = yl_clock_today(c->clock), from;
	int col = r->ncols - 1;

	s->period_days = end - first + 1;
	/* a simulation that started inside the period: its residents lived the days since */
	from = r->since && yl_date_parse(r->since, &since) && since > first ? since : first;
	s->days = (today < end ? today : end) - from + 1;
	if (s->days < 0)
		s->days = 0;
	s->person_years_note = "the catalogue has no stock row counting residents (C1)";
	for (int i = 0; i < r->nrows; i++) {
		const struct yl_indicator_def *d = r->rows[i].def;
		const struct yl_report_cell *cell = &r->rows[i].cells[col];
		if (d->scope != YL_SCOPE_STOCK || !d->den_measure || strcmp(d->den_measure, "residents"))
			continue;
		if (!cell->defined || !cell->cur.has_value || cell->cur.denominator <= 0) {
			s->person_years_note = yl_arena_printf(
				c->arena, "%s has no value: %s", d->id,
				cell->note ? cell->note : cell->reason ? cell->reason : "no residents");
			return;
		}
		s->residents = cell->cur.denominator;
		s->person_years = (double)s->residents * (double)r->months / 12.0 *
				  (double)s->days / (double)s->period_days;
		s->person_years_note = NULL;
		return;
	}
}

static const char *missing(const struct yl_ctx *c, const char *measure)
{
	return measure ? yl_arena_printf(c->arena, "no catalogue row carries the measure %s",
					 measure)
		       : NULL;
}

/* The shape figures from the region column (docs/report.md gives the national sources). */
static void build_shape(const struct yl_ctx *c, struct yl_report *r, int lo, int hi)
{
	static const char up_caveat[] = "up-referrals from primary care only (B2): the catalogue"
					" has no row for up-referrals sent by hospitals";
	struct yl_report_shape *s = &r->shape;
	const char *miss_v = NULL, *miss_p = NULL, *miss_a = NULL, *miss_up = NULL,
		   *miss_down = NULL;
	const char *why_visits, *why_ref;
	double nat_visits = NAT_VISITS_YI * 1e8, visits;

	if (!measure_total(r, "opem_visits", &s->visits))
		miss_v = "opem_visits";
	if (!measure_total(r, "opem_visits_primary", &s->primary_visits))
		miss_p = "opem_visits_primary";
	if (!measure_total(r, "ip_admissions", &s->admissions))
		miss_a = "ip_admissions";
	s->up = two_measures(r, "ref_up_primary_op", "ref_up_primary_ip", &miss_up);
	s->down = two_measures(r, "ref_down_op", "ref_down_ip", &miss_down);
	person_years(c, r, lo, hi, s);
	visits = (double)s->visits;
	why_visits = missing(c, miss_v);
	why_ref = why_visits ? why_visits : missing(c, miss_up ? miss_up : miss_down);

	figure(&s->fig[YL_SHAPE_VISITS], "visits_per_person_year", "人均年诊疗人次",
	       "Visits per person-year", "人次/人年", NAT_VISITS_PER_PERSON,
	       "2023 bulletin: 95.5亿 visits, 6.8 per resident", visits, s->person_years, 1.0,
	       why_visits ? why_visits : s->person_years_note, NULL);
	figure(&s->fig[YL_SHAPE_ADMISSIONS], "admissions_per_person_year", "人均年住院人次",
	       "Admissions per person-year", "人次/人年", NAT_ADMISSIONS_PER_PERSON,
	       "2023 bulletin: 30,187.3万 admissions, about 21.5 per 100 residents",
	       (double)s->admissions, s->person_years, 1.0,
	       miss_a ? missing(c, miss_a) : s->person_years_note, NULL);
	figure(&s->fig[YL_SHAPE_PRIMARY], "primary_share_of_visits", "基层诊疗人次占比",
	       "Share of visits at primary level", "%",
	       NAT_PRIMARY_VISITS_YI / (NAT_PRIMARY_VISITS_YI + NAT_HOSPITAL_VISITS_YI) * 100.0,
	       "2023 bulletin: township centres 13.1 + community centres 8.3 + stations 2.1 +"
	       " village clinics 14.0 of those and hospitals 42.6 (亿 visits)",
	       (double)s->primary_visits, visits, 100.0,
	       why_visits ? why_visits : missing(c, miss_p), NULL);
	figure(&s->fig[YL_SHAPE_REFERRALS], "referrals_share_of_visits", "双向转诊占诊疗人次比例",
	       "Two-way referrals as a share of visits", "%",
	       (NAT_UP_WAN + NAT_DOWN_WAN) * 1e4 / nat_visits * 100.0,
	       "2023: 3,032万 two-way referrals of 95.5亿 visits", (double)(s->up + s->down),
	       visits, 100.0, why_ref, up_caveat);
	figure(&s->fig[YL_SHAPE_UP], "up_referrals_share_of_visits", "上转占诊疗人次比例",
	       "Up-referrals as a share of visits", "%", NAT_UP_WAN * 1e4 / nat_visits * 100.0,
	       "2023: 1,560万 up-referrals of 95.5亿 visits", (double)s->up, visits, 100.0,
	       why_visits ? why_visits : missing(c, miss_up), up_caveat);
	figure(&s->fig[YL_SHAPE_DOWN], "down_referrals_share_of_visits", "下转占诊疗人次比例",
	       "Down-referrals as a share of visits", "%", NAT_DOWN_WAN * 1e4 / nat_visits * 100.0,
	       "2023: 1,472万 down-referrals of 95.5亿 visits", (double)s->down, visits, 100.0,
	       why_visits ? why_visits : missing(c, miss_down), NULL);
}

/* Columns: the levels present, the consortia, the region. */
static void make_columns(const struct yl_ctx *c, struct yl_report *r,
			 const struct yl_institution *inst, int ninst,
			 const struct yl_consortium *cons, int ncons)
{
	int count[NLEVELS] = {0};
	int k = 0;

	for (int i = 0; i < ninst; i++) {
		int l = level_index(inst[i].level);
		if (l >= 0)
			count[l]++;
	}
	r->cols = yl_arena_alloc(c->arena, sizeof(*r->cols) * (size_t)(NLEVELS + ncons + 1));
	for (int l = 0; l < NLEVELS; l++) {
		if (!count[l])
			continue;
		r->cols[k].kind = YL_REPORT_LEVEL;
		r->cols[k].key = LEVELS[l];
		r->cols[k].label = LEVELS[l];
		r->cols[k].name = LEVELS[l];
		r->cols[k].level = LEVELS[l];
		r->cols[k++].institutions = count[l];
	}
	for (int i = 0; i < ncons; i++) {
		r->cols[k].kind = YL_REPORT_CONSORTIUM;
		r->cols[k].key = yl_arena_printf(c->arena, "consortium:%lld", (long long)cons[i].id);
		r->cols[k].label = cons[i].code;
		r->cols[k].name = cons[i].name;
		r->cols[k].consortium_id = cons[i].id;
		r->cols[k++].institutions = cons[i].n_members;
	}
	r->cols[k].kind = YL_REPORT_REGION;
	r->cols[k].key = "region";
	r->cols[k].label = "region";
	r->cols[k].name = r->area_name;
	r->cols[k++].institutions = ninst;
	r->ncols = k;
}

static enum yl_err resolve_area(const struct yl_ctx *c, const struct yl_report_query *q,
				struct yl_area *area)
{
	const char *code = q->area_code;
	enum yl_err err;

	if (code && !*code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is empty");
	if (!code && (err = default_area(c, &code)))
		return err;
	err = yl_area_get(c, code, area);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "area_code", "no area with code '%.20s'", code);
	return err;
}

static enum yl_err build(const struct yl_ctx *c, const struct yl_report_query *q,
			 struct yl_report *r)
{
	struct yl_institution *inst;
	struct yl_consortium *cons;
	struct yl_indicator_query iq = {0};
	struct yl_indicator_result *res;
	struct yl_area area;
	int lo, hi, ninst, ncons, n;
	char today[YL_DATE_LEN];
	enum yl_err err;

	if ((err = yl_require_staff_reader(c)) || (err = resolve_period(c, q, &lo, &hi)) ||
	    (err = resolve_area(c, q, &area)))
		return err;
	r->area_code = area.code;
	r->area_name = area.name;
	r->from = month_str(c, lo);
	r->to = month_str(c, hi);
	r->months = hi - lo + 1;
	yl_date_format(yl_clock_today(c->clock), today);
	r->today = yl_arena_strdup(c->arena, today);
	r->since = q->since ? yl_arena_strdup(c->arena, q->since) : NULL;
	if ((err = list_institutions(c, r->area_code, &inst, &ninst)) ||
	    (err = list_consortia(c, r->area_code, inst, ninst, &cons, &ncons)))
		return err;
	make_columns(c, r, inst, ninst, cons, ncons);
	/* The region's results give the rows (the catalogue, in its order). */
	iq.area_code = r->area_code;
	iq.from = r->from;
	iq.to = r->to;
	if ((err = yl_indicator_compute(c, &iq, &res, &n)))
		return err;
	r->nrows = n;
	r->rows = yl_arena_alloc(c->arena, sizeof(*r->rows) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		r->rows[i].def = res[i].def;
		r->rows[i].cells = yl_arena_alloc(c->arena, sizeof(struct yl_report_cell) *
							      (size_t)r->ncols);
	}
	fill_results(r, r->ncols - 1, res, n);
	for (int k = 0; !err && k < r->ncols - 1; k++)
		err = r->cols[k].kind == YL_REPORT_LEVEL ? fill_level(c, r, k, inst, ninst)
							 : fill_consortium(c, r, k);
	if (!err)
		build_shape(c, r, lo, hi);
	return err;
}

enum yl_err yl_report_build(const struct yl_ctx *c, const struct yl_report_query *q,
			    struct yl_report *out)
{
	enum yl_err err;

	memset(out, 0, sizeof(*out));
	err = build(c, q, out);
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

int yl_report_row_index(const struct yl_report *r, const char *id)
{
	for (int i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].def->id, id) == 0)
			return i;
	return -1;
}

int yl_report_col_index(const struct yl_report *r, const char *key)
{
	for (int i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].key, key) == 0)
			return i;
	return -1;
}

const struct yl_report_cell *yl_report_cell(const struct yl_report *r, const char *id,
					    const char *key)
{
	int row = yl_report_row_index(r, id), col = yl_report_col_index(r, key);

	return row < 0 || col < 0 ? NULL : &r->rows[row].cells[col];
}
