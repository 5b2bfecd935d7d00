/* indicator.c - indicators from the catalogue and measure_agg.
 *
 * A query becomes a list of (institution, first month, last month) ranges, like
 * booking_stats.c does with days: one for an institution, one per membership of a consortium
 * clipped to the period (months are the aggregates' grain, so a month counts when the
 * institution was a member on any of its days), while an area is one grouped query over the
 * institutions located in it. Each range is one grouped query on measure_agg's
 * (institution_id, month) index, summed into a small table of measure totals; each catalogue
 * row then reads its numerator and denominator from that table. Nothing here knows what a
 * measure means: that is measure.c and the catalogue's business.
 */
#include "domain/indicator.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/institution.h"

double yl_indicator_round(double v)
{
	return floor(v * 100.0 + 0.5) / 100.0;
}

static const char *dup(const struct yl_ctx *c, struct yl_stmt *st, int col)
{
	return yl_stmt_null(st, col) ? NULL : yl_arena_strdup(c->arena, yl_stmt_text(st, col));
}

static void read_def(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_indicator_def *d = item;

	d->id = dup(c, st, 0);
	d->name_zh = dup(c, st, 1);
	d->name_en = dup(c, st, 2);
	d->source = dup(c, st, 3);
	d->version = dup(c, st, 4);
	d->tag = dup(c, st, 5);
	d->numerator = dup(c, st, 6);
	d->denominator = dup(c, st, 7);
	d->unit = dup(c, st, 8);
	d->direction = dup(c, st, 9);
	d->num_measure = dup(c, st, 10);
	d->den_measure = dup(c, st, 11);
	d->scale = yl_stmt_int(st, 12);
	d->growth = yl_stmt_int(st, 13) != 0;
}

enum yl_err yl_indicator_catalogue(const struct yl_ctx *c, struct yl_indicator_def **defs,
				   int *n)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool more;

	if ((err = yl_require_staff_reader(c)))
		return err;
	err = yl_store_prepare(c->store, "SELECT id, name_zh, name_en, source, version, tag,"
					 " numerator, denominator, unit, direction, num_measure,"
					 " den_measure, scale, growth FROM indicators ORDER BY seq, id"
					 " LIMIT ?", &st, c->diag);
	if (err)
		return err;
	/* A catalogue is tens of rows; a thousand is a generous cap, not a page. */
	yl_stmt_bind_int(st, 1, 1001);
	return yl_rows_page(c, st, read_def, sizeof(**defs), 1000, defs, n, &more);
}

/* Measure totals of one period. */
struct sums {
	const char **names;
	int64_t *values;
	int n, cap;
};

static void sums_add(const struct yl_ctx *c, struct sums *s, const char *name, int64_t v)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0) {
			s->values[i] += v;
			return;
		}
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 32;
		const char **names = yl_arena_alloc(c->arena, sizeof(*names) * (size_t)cap);
		int64_t *values = yl_arena_alloc(c->arena, sizeof(*values) * (size_t)cap);
		if (s->n) {
			memcpy(names, s->names, sizeof(*names) * (size_t)s->n);
			memcpy(values, s->values, sizeof(*values) * (size_t)s->n);
		}
		s->names = names;
		s->values = values;
		s->cap = cap;
	}
	s->names[s->n] = yl_arena_strdup(c->arena, name);
	s->values[s->n++] = v;
}

/* The sum of the '+'-joined measures of expr. */
static int64_t sums_eval(const struct sums *s, const char *expr)
{
	int64_t total = 0;

	while (expr && *expr) {
		const char *end = strchr(expr, '+');
		size_t len = end ? (size_t)(end - expr) : strlen(expr);
		for (int i = 0; i < s->n; i++)
			if (strlen(s->names[i]) == len && memcmp(s->names[i], expr, len) == 0)
				total += s->values[i];
		expr = end ? end + 1 : NULL;
	}
	return total;
}

/* Months as y * 12 + (m - 1). */
static bool month_parse(const char *s, int *out)
{
	int y, m;

	if (!s || strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1900 || m < 1 || m > 12)
		return false;
	*out = y * 12 + m - 1;
	return true;
}

/* idx comes from month_parse (years 1900..9999), less 12 at most for the year before. */
static void month_format(int idx, char out[8])
{
	int y = idx / 12, m = idx % 12 + 1;

	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
}

static int month_of_day(int32_t day)
{
	int y, m, d;

	yl_civil_from_days(day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* Adds the sums of stmt st (rows of measure, sum) into s; resets st. */
static enum yl_err collect(const struct yl_ctx *c, struct yl_stmt *st, struct sums *s)
{
	enum yl_err err;
	bool row;

	while (!(err = yl_stmt_step(st, &row, c->diag)) && row)
		sums_add(c, s, yl_stmt_text(st, 0), yl_stmt_int(st, 1));
	yl_stmt_reset(st);
	return err;
}

static enum yl_err institution_sums(const struct yl_ctx *c, int64_t inst, int lo, int hi,
				    struct sums *s)
{
	char from[8], to[8];
	struct yl_stmt *st;
	enum yl_err err;

	month_format(lo, from);
	month_format(hi, to);
	err = yl_store_prepare(c->store, "SELECT measure, sum(value) FROM measure_agg"
					 " WHERE institution_id = ? AND month >= ? AND month <= ?"
					 " GROUP BY measure", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, inst);
	yl_stmt_bind_text(st, 2, from);
	yl_stmt_bind_text(st, 3, to);
	return collect(c, st, s);
}

static enum yl_err area_sums(const struct yl_ctx *c, const char *code, int lo, int hi,
			     struct sums *s)
{
	char from[8], to[8], alo[10], ahi[10];
	struct yl_stmt *st;
	enum yl_err err;

	month_format(lo, from);
	month_format(hi, to);
	yl_area_range(code, alo, ahi);
	err = yl_store_prepare(c->store, "SELECT a.measure, sum(a.value) FROM measure_agg a"
					 " JOIN institutions i ON i.id = a.institution_id"
					 " WHERE i.area_code >= ? AND i.area_code < ?"
					 " AND a.month >= ? AND a.month <= ? GROUP BY a.measure",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, alo);
	yl_stmt_bind_text(st, 2, ahi);
	yl_stmt_bind_text(st, 3, from);
	yl_stmt_bind_text(st, 4, to);
	return collect(c, st, s);
}

/* Membership periods are half-open [joined_on, left_on); a month counts when the institution
 * was a member on one of its days, and once however many periods touch it. */
static enum yl_err consortium_sums(const struct yl_ctx *c, int64_t id, int lo, int hi,
				   struct sums *s)
{
	char first[YL_DATE_LEN], last[YL_DATE_LEN];
	int64_t prev_inst = 0;
	int prev_hi = -1;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	struct member {
		int64_t inst;
		int lo, hi;
	} *m = NULL;
	int n = 0, cap = 0;

	yl_date_format(yl_days_from_civil(lo / 12, lo % 12 + 1, 1), first);
	yl_date_format(yl_days_from_civil((hi + 1) / 12, (hi + 1) % 12 + 1, 1) - 1, last);
	err = yl_store_prepare(c->store, "SELECT institution_id, joined_on, left_on"
					 " FROM consortium_members WHERE consortium_id = ?"
					 " AND joined_on <= ? AND (left_on IS NULL OR left_on > ?)"
					 " ORDER BY institution_id, joined_on", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	yl_stmt_bind_text(st, 2, last);
	yl_stmt_bind_text(st, 3, first);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		int32_t joined, left;
		int64_t inst = yl_stmt_int(st, 0);
		int a = lo, b = hi;
		if (!yl_date_parse(yl_stmt_text(st, 1), &joined) ||
		    (!yl_stmt_null(st, 2) && !yl_date_parse(yl_stmt_text(st, 2), &left))) {
			err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "bad membership dates");
			break;
		}
		if (month_of_day(joined) > a)
			a = month_of_day(joined);
		if (!yl_stmt_null(st, 2) && month_of_day(left - 1) < b)
			b = month_of_day(left - 1);
		if (inst == prev_inst && a <= prev_hi)
			a = prev_hi + 1;
		if (a > b)
			continue;
		if (n == cap) {
			struct member *bigger;
			cap = cap ? cap * 2 : 16;
			bigger = yl_arena_alloc(c->arena, sizeof(*bigger) * (size_t)cap);
			if (n)
				memcpy(bigger, m, sizeof(*bigger) * (size_t)n);
			m = bigger;
		}
		m[n++] = (struct member){inst, a, b};
		prev_inst = inst;
		prev_hi = b;
	}
	yl_stmt_reset(st);
	for (int i = 0; !err && i < n; i++)
		err = institution_sums(c, m[i].inst, m[i].lo, m[i].hi, s);
	return err;
}

static enum yl_err scope_sums(const struct yl_ctx *c, const struct yl_indicator_query *q,
			      int lo, int hi, struct sums *s)
{
	if (q->institution_id)
		return institution_sums(c, q->institution_id, lo, hi, s);
	if (q->consortium_id)
		return consortium_sums(c, q->consortium_id, lo, hi, s);
	return area_sums(c, q->area_code, lo, hi, s);
}

static enum yl_err check_query(const struct yl_ctx *c, const struct yl_indicator_query *q,
			       int *lo, int *hi)
{
	int scopes = (q->institution_id != 0) + (q->consortium_id != 0) + (q->area_code != NULL);
	enum yl_err err;

	if (scopes == 0)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "scope",
				   "give one of institution_id, consortium_id or area_code");
	if (scopes > 1)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "scope",
				   "give only one of institution_id, consortium_id or area_code");
	if (!q->from || !*q->from)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "from", "from is required");
	if (!q->to || !*q->to)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "to", "to is required");
	if (!month_parse(q->from, lo))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "from",
				   "from must be a month YYYY-MM, not '%.20s'", q->from);
	if (!month_parse(q->to, hi))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to",
				   "to must be a month YYYY-MM, not '%.20s'", q->to);
	if (*hi < *lo)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to", "to %s is before from %s", q->to,
				   q->from);
	if (*hi - *lo + 1 > YL_INDICATOR_MAX_MONTHS)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "to",
				   "the period may cover at most %d months", YL_INDICATOR_MAX_MONTHS);
	if (q->institution_id) {
		err = yl_institution_get(c, q->institution_id, NULL);
		if (err == YL_ERR_NOT_FOUND)
			return yl_diag_set(c->diag, err, "institution_id",
					   "no institution with id %lld", (long long)q->institution_id);
		return err;
	}
	if (q->consortium_id) {
		err = yl_consortium_get(c, q->consortium_id, NULL);
		if (err == YL_ERR_NOT_FOUND)
			return yl_diag_set(c->diag, err, "consortium_id",
					   "no consortium with id %lld", (long long)q->consortium_id);
		return err;
	}
	if (!*q->area_code)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "area_code", "area_code is empty");
	err = yl_area_get(c, q->area_code, NULL);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "area_code", "no area with code '%.20s'",
				   q->area_code);
	return err;
}

static struct yl_indicator_value evaluate(const struct yl_indicator_def *d,
					  const struct sums *s)
{
	struct yl_indicator_value v = {0};

	v.numerator = sums_eval(s, d->num_measure);
	if (!d->den_measure) {
		v.has_value = true;
		v.value = (double)v.numerator * (double)d->scale;
		return v;
	}
	v.denominator = sums_eval(s, d->den_measure);
	v.has_value = v.denominator > 0;
	if (v.has_value)
		v.value = (double)v.numerator / (double)v.denominator * (double)d->scale;
	return v;
}

static void grow(struct yl_indicator_result *r)
{
	if (!r->cur.has_value) {
		r->growth_note = "not computable: no denominator in this period";
		return;
	}
	/* Growth over a zero or missing base is undefined (INDICATORS.md §2), not infinite. */
	if (!r->prev.has_value || r->prev.value == 0.0) {
		r->growth_note = "no data for the same period a year earlier";
		return;
	}
	r->has_growth = true;
	r->growth = (r->cur.value - r->prev.value) / r->prev.value * 100.0;
}

enum yl_err yl_indicator_compute(const struct yl_ctx *c, const struct yl_indicator_query *q,
				 struct yl_indicator_result **results, int *n)
{
	struct sums cur = {0}, prev = {0};
	struct yl_indicator_def *defs;
	int lo, hi, ndefs, k = 0;
	bool any_growth = false;
	enum yl_err err;

	*results = NULL;
	*n = 0;
	if ((err = yl_require_staff_reader(c)) || (err = check_query(c, q, &lo, &hi)) ||
	    (err = yl_indicator_catalogue(c, &defs, &ndefs)))
		return err;
	*results = yl_arena_alloc(c->arena, sizeof(**results) * (size_t)(ndefs ? ndefs : 1));
	for (int i = 0; i < ndefs; i++) {
		if (q->id && strcmp(q->id, defs[i].id) != 0)
			continue;
		memset(&(*results)[k], 0, sizeof((*results)[k]));
		(*results)[k++].def = &defs[i];
		any_growth |= defs[i].growth;
	}
	if (q->id && k == 0)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no indicator '%.32s'", q->id);
	if ((err = scope_sums(c, q, lo, hi, &cur)))
		return err;
	if (any_growth && (err = scope_sums(c, q, lo - 12, hi - 12, &prev)))
		return err;
	for (int i = 0; i < k; i++) {
		struct yl_indicator_result *r = &(*results)[i];
		r->cur = evaluate(r->def, &cur);
		if (!r->cur.has_value)
			r->note = "not computable: the denominator is 0";
		if (r->def->growth) {
			r->prev = evaluate(r->def, &prev);
			grow(r);
		}
	}
	*n = k;
	return YL_OK;
}
