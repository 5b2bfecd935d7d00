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
 * Rows of other scope kinds (indicator.h) read other tables of totals: the residents'-county
 * sums (two tables: inside their own county, anywhere), the stock counts of the period's last
 * day (signing_stock.h), or, for the one event query, the median of days computed here from
 * referral_events.
 */
#include "domain/indicator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/consortium.h"
#include "domain/institution.h"
#include "domain/signing_stock.h"

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
	d->scope_kind = dup(c, st, 14);
	if (strcmp(d->scope_kind, "resident_county") == 0)
		d->scope = YL_SCOPE_RESIDENT_COUNTY;
	else if (strcmp(d->scope_kind, "event") == 0)
		d->scope = YL_SCOPE_EVENT;
	else if (strcmp(d->scope_kind, "stock") == 0)
		d->scope = YL_SCOPE_STOCK;
	else
		d->scope = YL_SCOPE_INSTITUTION;
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
					 " den_measure, scale, growth, scope_kind FROM indicators"
					 " ORDER BY seq, id"
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

bool yl_indicator_month_parse(const char *s, int *out)
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

/* An institution's months [lo, hi] of membership in a consortium. */
struct member {
	int64_t inst;
	int lo, hi;
};

/* Membership periods are half-open [joined_on, left_on); a month counts when the institution
 * was a member on one of its days, and once however many periods touch it. *out is an arena
 * array of *nout ranges clipped to [lo, hi]. */
static enum yl_err consortium_members(const struct yl_ctx *c, int64_t id, int lo, int hi,
				      struct member **out, int *nout)
{
	char first[YL_DATE_LEN], last[YL_DATE_LEN];
	int64_t prev_inst = 0;
	int prev_hi = -1;
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	struct member *m = NULL;
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
		m = yl_arena_grow(c->arena, m, sizeof(*m), n, n + 1, &cap);
		m[n++] = (struct member){inst, a, b};
		prev_inst = inst;
		prev_hi = b;
	}
	yl_stmt_reset(st);
	*out = m;
	*nout = n;
	return err;
}

static enum yl_err consortium_sums(const struct yl_ctx *c, int64_t id, int lo, int hi,
				   struct sums *s)
{
	struct member *m;
	int n;
	enum yl_err err = consortium_members(c, id, lo, hi, &m, &n);

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

/* Residents'-county sums (A1, A2, A8): over each county of the area (a resident_county that is
 * a county-level area under it), *in gets its residents' measures at institutions located in
 * that same county (the institution's area code starts with the county's code), *all those
 * anywhere. Institutions registered at city or province level lie inside no county. */
static enum yl_err county_sums(const struct yl_ctx *c, const char *code, int lo, int hi,
			       struct sums *in, struct sums *all)
{
	char from[8], to[8], alo[10], ahi[10];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	month_format(lo, from);
	month_format(hi, to);
	yl_area_range(code, alo, ahi);
	err = yl_store_prepare(c->store, "SELECT a.measure, sum(a.value), sum(CASE WHEN"
					 " substr(i.area_code, 1, 6) = a.resident_county THEN a.value"
					 " ELSE 0 END) FROM measure_agg a"
					 " JOIN areas ar ON ar.code = a.resident_county"
					 " JOIN institutions i ON i.id = a.institution_id"
					 " WHERE a.resident_county >= ? AND a.resident_county < ?"
					 " AND ar.level = 'county' AND a.month >= ? AND a.month <= ?"
					 " GROUP BY a.measure", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, alo);
	yl_stmt_bind_text(st, 2, ahi);
	yl_stmt_bind_text(st, 3, from);
	yl_stmt_bind_text(st, 4, to);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		sums_add(c, all, yl_stmt_text(st, 0), yl_stmt_int(st, 1));
		sums_add(c, in, yl_stmt_text(st, 0), yl_stmt_int(st, 2));
	}
	yl_stmt_reset(st);
	return err;
}

/* Days from request to arrival, one per referral. */
struct days {
	int32_t *v;
	int n, cap;
};

static int cmp_days(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* The first instant of month idx in Asia/Shanghai, as unix seconds. */
static int64_t month_start(int idx)
{
	return (int64_t)yl_days_from_civil(idx / 12, idx % 12 + 1, 1) * 86400 - YL_SHANGHAI_OFFSET;
}

/* Referrals that arrived (arrived or completed now), with the time of their 'arrived'
 * transition; the scope's condition on the sender is appended. */
#define ARRIVALS                                                                           \
	"SELECT r.requested_at, (SELECT min(e.at) FROM referral_events e"                  \
	" WHERE e.referral_id = r.id AND e.to_status = 'arrived') FROM referrals r"          \
	" JOIN institutions i ON i.id = r.from_institution_id"                               \
	" WHERE r.status IN ('arrived', 'completed') AND r.requested_at >= ?"                \
	" AND r.requested_at < ? AND "

/* Appends to d the days to visit of the referrals sent from institution inst (or, when inst is
 * 0, from the institutions in area) requested in months lo..hi. Days are counted between
 * local (Asia/Shanghai) dates, so a request at 23:00 and an arrival at 01:00 is one day. */
static enum yl_err arrivals(const struct yl_ctx *c, int64_t inst, const char *area, int lo,
			    int hi, struct days *d)
{
	char alo[10], ahi[10];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	if (inst) {
		err = yl_store_prepare(c->store, ARRIVALS "r.from_institution_id = ?", &st, c->diag);
		if (err)
			return err;
		yl_stmt_bind_int(st, 3, inst);
	} else {
		err = yl_store_prepare(c->store, ARRIVALS "i.area_code >= ? AND i.area_code < ?", &st,
				       c->diag);
		if (err)
			return err;
		yl_area_range(area, alo, ahi);
		yl_stmt_bind_text(st, 3, alo);
		yl_stmt_bind_text(st, 4, ahi);
	}
	yl_stmt_bind_int(st, 1, month_start(lo));
	yl_stmt_bind_int(st, 2, month_start(hi + 1));
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		int64_t req, at;
		if (yl_stmt_null(st, 1))
			continue; /* no history row: nothing to measure */
		req = yl_stmt_int(st, 0);
		at = yl_stmt_int(st, 1);
		d->v = yl_arena_grow(c->arena, d->v, sizeof(*d->v), d->n, d->n + 1, &d->cap);
		d->v[d->n++] = (int32_t)((at + YL_SHANGHAI_OFFSET) / 86400 -
					 (req + YL_SHANGHAI_OFFSET) / 86400);
	}
	yl_stmt_reset(st);
	return err;
}

/* The median of days from referral to visit in the scope (indicator.h, event rows). A median
 * is not additive, so this reads referrals and their history rather than measure_agg; the
 * scope is the sender's, by request month, as for the other referral measures. */
static enum yl_err median_days(const struct yl_ctx *c, const struct yl_indicator_query *q,
			       int lo, int hi, struct yl_indicator_value *v)
{
	struct days d = {0};
	enum yl_err err;

	if (q->institution_id) {
		err = arrivals(c, q->institution_id, NULL, lo, hi, &d);
	} else if (q->consortium_id) {
		struct member *m;
		int n;
		err = consortium_members(c, q->consortium_id, lo, hi, &m, &n);
		for (int i = 0; !err && i < n; i++)
			err = arrivals(c, m[i].inst, NULL, m[i].lo, m[i].hi, &d);
	} else {
		err = arrivals(c, 0, q->area_code, lo, hi, &d);
	}
	if (err)
		return err;
	memset(v, 0, sizeof(*v));
	v->numerator = d.n;
	if (d.n == 0)
		return YL_OK;
	qsort(d.v, (size_t)d.n, sizeof(*d.v), cmp_days);
	v->has_value = true;
	v->value = d.n % 2 ? (double)d.v[d.n / 2]
			   : ((double)d.v[d.n / 2 - 1] + (double)d.v[d.n / 2]) / 2.0;
	return YL_OK;
}

/* Stock counts (C1, C2) of the area on the last day of months lo..hi, or today when that is
 * earlier: they are states, not flows, so a period has one value, its end's. The four counts
 * (residents, signed_residents, key_residents, signed_key_residents) come from the live
 * aggregates (signing_stock.h), history-aware. *as_of receives the day; *future is set (and
 * nothing counted) when the period starts after today. */
static enum yl_err stock_sums(const struct yl_ctx *c, const char *area, int lo, int hi,
			      struct sums *s, const char **as_of, bool *future)
{
	int32_t today = yl_clock_today(c->clock);
	int32_t on = yl_days_from_civil((hi + 1) / 12, (hi + 1) % 12 + 1, 1) - 1;
	struct yl_signing_counts k;
	char day[YL_DATE_LEN];
	enum yl_err err;

	if (yl_days_from_civil(lo / 12, lo % 12 + 1, 1) > today) {
		*future = true;
		return YL_OK;
	}
	if (on > today)
		on = today;
	if ((err = yl_signing_stock_counts(c, area, on, &k)))
		return err;
	sums_add(c, s, "residents", k.residents);
	sums_add(c, s, "signed_residents", k.signed_);
	sums_add(c, s, "key_residents", k.key);
	sums_add(c, s, "signed_key_residents", k.signed_key);
	yl_date_format(on, day);
	*as_of = yl_arena_strdup(c->arena, day);
	return YL_OK;
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
	if (!yl_indicator_month_parse(q->from, lo))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "from",
				   "from must be a month YYYY-MM, not '%.20s'", q->from);
	if (!yl_indicator_month_parse(q->to, hi))
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

/* The numerator from num's totals, the denominator from den's (the same table but for the
 * residents'-county rows). */
static struct yl_indicator_value evaluate(const struct yl_indicator_def *d,
					  const struct sums *num, const struct sums *den)
{
	struct yl_indicator_value v = {0};

	v.numerator = sums_eval(num, d->num_measure);
	if (!d->den_measure) {
		v.has_value = true;
		v.value = (double)v.numerator * (double)d->scale;
		return v;
	}
	v.denominator = sums_eval(den, d->den_measure);
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

enum kind {
	K_INSTITUTION = YL_SCOPE_INSTITUTION,
	K_COUNTY = YL_SCOPE_RESIDENT_COUNTY,
	K_EVENT = YL_SCOPE_EVENT,
	K_STOCK = YL_SCOPE_STOCK,
	K_COUNT
};

static enum kind kind_of(const struct yl_indicator_def *d)
{
	return (enum kind)d->scope;
}

/* What the non-institution rows need, computed once per query. */
struct extra {
	struct sums in, all;            /* residents'-county sums */
	bool county_ok;                 /* an area at county level or above */
	struct yl_indicator_value median;
	struct sums stock;
	const char *as_of;
	bool future;
};

static enum yl_err compute_extra(const struct yl_ctx *c, const struct yl_indicator_query *q,
				 int lo, int hi, const bool need[K_COUNT], struct extra *x)
{
	enum yl_err err = YL_OK;

	/* Area codes are 6 digits down to the county, 9 for a township (schema). */
	x->county_ok = q->area_code && strlen(q->area_code) == 6;
	if (need[K_COUNTY] && x->county_ok &&
	    (err = county_sums(c, q->area_code, lo, hi, &x->in, &x->all)))
		return err;
	if (need[K_EVENT] && (err = median_days(c, q, lo, hi, &x->median)))
		return err;
	if (need[K_STOCK] && q->area_code)
		err = stock_sums(c, q->area_code, lo, hi, &x->stock, &x->as_of, &x->future);
	return err;
}

/* Fills r->cur (and r->note when there is no value) for a row that is not an institution
 * sum. */
static void evaluate_extra(const struct yl_indicator_query *q, const struct extra *x,
			   enum kind k, struct yl_indicator_result *r)
{
	switch (k) {
	case K_COUNTY:
		if (!q->area_code)
			r->note = "defined for an area scope only: the residents of its counties";
		else if (!x->county_ok)
			r->note = "defined for a county or an area above it, not a township";
		else
			r->cur = evaluate(r->def, &x->in, &x->all);
		break;
	case K_EVENT:
		if (strcmp(r->def->num_measure, "referral_days_to_visit") != 0)
			r->note = "unknown event query";
		else if (!x->median.has_value)
			r->note = "no referral with an arrival in this period";
		r->cur = x->median;
		if (r->note)
			r->cur.has_value = false;
		break;
	case K_STOCK:
		if (!q->area_code) {
			r->note = "defined for an area scope only: the residents living in it";
		} else if (x->future) {
			r->note = "the period starts after today";
		} else {
			r->cur = evaluate(r->def, &x->stock, &x->stock);
			r->as_of = x->as_of;
		}
		break;
	default:
		break;
	}
}

enum yl_err yl_indicator_compute(const struct yl_ctx *c, const struct yl_indicator_query *q,
				 struct yl_indicator_result **results, int *n)
{
	struct sums cur = {0}, prev = {0};
	struct extra x = {0};
	bool need[K_COUNT] = {false};
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
		need[kind_of(&defs[i])] = true;
		any_growth |= defs[i].growth && kind_of(&defs[i]) == K_INSTITUTION;
	}
	if (q->id && k == 0)
		return yl_diag_set(c->diag, YL_ERR_NOT_FOUND, "id", "no indicator '%.32s'", q->id);
	if (need[K_INSTITUTION] && (err = scope_sums(c, q, lo, hi, &cur)))
		return err;
	if (any_growth && (err = scope_sums(c, q, lo - 12, hi - 12, &prev)))
		return err;
	if ((err = compute_extra(c, q, lo, hi, need, &x)))
		return err;
	for (int i = 0; i < k; i++) {
		struct yl_indicator_result *r = &(*results)[i];
		enum kind kind = kind_of(r->def);
		if (kind == K_INSTITUTION)
			r->cur = evaluate(r->def, &cur, &cur);
		else
			evaluate_extra(q, &x, kind, r);
		if (!r->cur.has_value && !r->note)
			r->note = "not computable: the denominator is 0";
		if (r->def->growth && kind != K_INSTITUTION) {
			r->growth_note = "growth is reported for institution-scope rows only";
		} else if (r->def->growth) {
			r->prev = evaluate(r->def, &prev, &prev);
			grow(r);
		}
	}
	*n = k;
	return YL_OK;
}
