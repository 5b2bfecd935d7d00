/* signing_stock.c - the live aggregates of C1 and C2 (signing_stock.h): a resident's part as
 * dated changes of four counts, the retract-and-apply difference a write leaves behind, the
 * read of a day's counts, and the rebuild.
 *
 * One function (contribution) turns a resident's rows into changes, and both the live path
 * and the rebuild use it, so they cannot disagree on what a part is; the tests check it
 * against yl_signing_count_on (signing.c), a direct count that uses none of this date
 * arithmetic, on every day of a scripted history. Retracting and re-applying a whole
 * resident is simpler to get right than a rule per kind of write, and a resident's part is a
 * handful of changes. Not here: what the indicators make of the counts (indicator.c), and the
 * contract rules (contract.c and resident.c call the hooks).
 */
#include "domain/signing_stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/institution.h"
#include "domain/population.h"

/* The four columns: births, births of residents with a stored tag (both dated by birth),
 * and the signed and signed-key changes (dated when they happen). */
enum { NCOLS = 4, C_RES = 0, C_TAG = 1, C_SIGNED = 2, C_SKEY = 3 };

/* Grains, coarsest first: decade ('x', 'YYY'), year ('y', 'YYYY'), month ('m', 'YYYY-MM') and
 * day ('d', 'YYYY-MM-DD', the signed columns only). */
enum { G_DECADE, G_YEAR, G_MONTH, G_DAY, NGRAINS };
static const char GRAINS[] = "xymd";

/* The rebuild's totals cover the days of 1900-2299: birth dates are 1900-2199 (yl_date_parse),
 * so 65th birthdays and the day after a contract's end fall inside. */
enum { FIRST_YEAR = 1900, YEARS = 400 };

#define OPEN INT32_MAX /* a key interval without end */
#define STALE_KEY "signing_stock_stale"
#define COLS "residents, tagged_residents, signed_residents, signed_key_residents"

/* Covered days, both ends included. */
struct span {
	int32_t from, to;
};

/* What a resident's part depends on. spans: the runs of covered days, sorted, merged and
 * cut at birth once normalised. */
struct person {
	char area[10];
	int32_t birth;
	unsigned tags; /* stored bits only */
	struct span *spans;
	int nspans, cap;
};

/* +1/-1 of each count on one day. */
struct change {
	int32_t day;
	int d[NCOLS];
};

struct yl_signing_stock_mark {
	int64_t resident_id;
	bool off;    /* no_live_measures: nothing recorded */
	bool exists; /* the resident existed at mark time */
	struct person p;
};

/* The day someone born on `birth` turns `age` (yl_age_on): the first day of that age, so a
 * 29 February birthday falls on 1 March in other years. */
static int32_t birthday(int32_t birth, int age)
{
	int32_t d = yl_date_add_years(birth, age);

	while (yl_age_on(birth, d) < age)
		d++;
	return d;
}

static void push_span(const struct yl_ctx *c, struct person *p, int32_t from, int32_t to)
{
	p->spans = yl_arena_grow(c->arena, p->spans, sizeof(*p->spans), p->nspans, p->nspans + 1,
				 &p->cap);
	p->spans[p->nspans++] = (struct span){from, to};
}

/* Adds the days contract (start, end, ended_on: text, ended_on may be NULL) covers: start to
 * end, but not ended_on nor after it. */
static enum yl_err add_contract(const struct yl_ctx *c, struct person *p, const char *start,
				const char *end, const char *ended_on)
{
	int32_t from, to, stop;

	if (!yl_date_parse(start, &from) || !yl_date_parse(end, &to) ||
	    (ended_on && !yl_date_parse(ended_on, &stop)))
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "contract with bad dates");
	if (ended_on && stop - 1 < to)
		to = stop - 1;
	if (from <= to)
		push_span(c, p, from, to);
	return YL_OK;
}

static int cmp_span(const void *a, const void *b)
{
	int32_t x = ((const struct span *)a)->from, y = ((const struct span *)b)->from;

	return (x > y) - (x < y);
}

/* Sorts the spans, cuts the days before birth and merges overlapping or adjacent runs (a
 * renewal starting the day after its predecessor, a change's new row starting the day the old
 * one was closed): a person counts once. Cutting keeps the order, as from only rises. */
static void normalise(struct person *p)
{
	int n = 0;

	if (p->nspans > 1)
		qsort(p->spans, (size_t)p->nspans, sizeof(*p->spans), cmp_span);
	for (int i = 0; i < p->nspans; i++) {
		struct span s = p->spans[i];
		if (s.from < p->birth)
			s.from = p->birth;
		if (s.to < s.from)
			continue;
		if (n && (int64_t)p->spans[n - 1].to + 1 >= s.from) {
			if (s.to > p->spans[n - 1].to)
				p->spans[n - 1].to = s.to;
			continue;
		}
		p->spans[n++] = s;
	}
	p->nspans = n;
}

/* The room contribution needs for p. */
static int changes_max(const struct person *p)
{
	return 1 + 6 * p->nspans;
}

/* +1 of count col on from, -1 the day after to (none for an open end). */
static int run(struct change *ev, int n, int32_t from, int32_t to, int col)
{
	ev[n] = (struct change){from, {0}};
	ev[n++].d[col] = 1;
	if (to != OPEN) {
		ev[n] = (struct change){to + 1, {0}};
		ev[n++].d[col] = -1;
	}
	return n;
}

/* Writes the changes of p's part into ev (room for changes_max(p)); returns how many: its
 * birth, and the runs of signed and of signed-and-key days. Key intervals: with a stored tag,
 * from birth on; else [birth, 7th birthday) and [65th birthday, on). */
static int contribution(const struct person *p, struct change *ev)
{
	struct span key[2];
	int n = 0, nkey;

	ev[n++] = (struct change){p->birth, {1, p->tags ? 1 : 0, 0, 0}};
	if (p->tags) {
		key[0] = (struct span){p->birth, OPEN};
		nkey = 1;
	} else {
		int32_t b7 = birthday(p->birth, 7), b65 = birthday(p->birth, 65);
		key[0] = (struct span){p->birth, b7 - 1};
		key[1] = (struct span){b65, OPEN};
		nkey = 2;
	}
	for (int i = 0; i < p->nspans; i++) {
		const struct span *s = &p->spans[i];
		n = run(ev, n, s->from, s->to, C_SIGNED);
		for (int k = 0; k < nkey; k++) {
			int32_t from = s->from > key[k].from ? s->from : key[k].from;
			int32_t to = s->to < key[k].to ? s->to : key[k].to;
			if (from <= to)
				n = run(ev, n, from, to, C_SKEY);
		}
	}
	return n;
}

/* Loads resident id's rows into p (arena); *exists is false for an unknown id. */
static enum yl_err load_person(const struct yl_ctx *c, int64_t id, struct person *p,
			       bool *exists)
{
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	memset(p, 0, sizeof(*p));
	err = yl_store_prepare(c->store, "SELECT home_area_code, birth_date, tags FROM residents"
					 " WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_stmt_step(st, &row, c->diag);
	*exists = !err && row;
	if (*exists) {
		snprintf(p->area, sizeof(p->area), "%s", yl_stmt_text(st, 0));
		p->tags = (unsigned)yl_stmt_int(st, 2) & YL_TAG_STORED_MASK;
		if (!yl_date_parse(yl_stmt_text(st, 1), &p->birth))
			err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "resident %lld has a bad"
					  " birth date", (long long)id);
	}
	yl_stmt_reset(st);
	if (err || !*exists)
		return err;
	err = yl_store_prepare(c->store, "SELECT start_date, end_date, ended_on FROM contracts"
					 " WHERE resident_id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		err = add_contract(c, p, yl_stmt_text(st, 0), yl_stmt_text(st, 1),
				   yl_stmt_null(st, 2) ? NULL : yl_stmt_text(st, 2));
		if (err)
			break;
	}
	yl_stmt_reset(st);
	normalise(p);
	return err;
}

/* One (area, grain, period) delta of the live path; key as key_of. */
struct entry {
	char area[10];
	int grain;
	int32_t key;
	int64_t v[NCOLS];
};

/* Room for any period text, so formatting never truncates (real ones have 3 to 10). */
enum { PERIOD_LEN = 32 };

/* The key of day `day` at grain g: the decade (year / 10), the year, the month as
 * year * 12 + month - 1, or the day itself. */
static int32_t key_of(int g, int32_t day)
{
	int y, m, d;

	if (g == G_DAY)
		return day;
	yl_civil_from_days(day, &y, &m, &d);
	return g == G_DECADE ? y / 10 : g == G_YEAR ? y : y * 12 + m - 1;
}

static void period_of(int g, int32_t key, char out[PERIOD_LEN])
{
	if (g == G_DECADE)
		snprintf(out, PERIOD_LEN, "%03d", (int)key);
	else if (g == G_YEAR)
		snprintf(out, PERIOD_LEN, "%04d", (int)key);
	else if (g == G_MONTH)
		snprintf(out, PERIOD_LEN, "%04d-%02d", (int)(key / 12), (int)(key % 12 + 1));
	else
		yl_date_format(key, out);
}

/* Whether change ch has a part at grain g: day rows hold only the signed columns. */
static bool at_grain(int g, const struct change *ch)
{
	return g != G_DAY || ch->d[C_SIGNED] || ch->d[C_SKEY];
}

/* The value of column k of ch at grain g. */
static int col_at(int g, const struct change *ch, int k)
{
	return g == G_DAY && (k == C_RES || k == C_TAG) ? 0 : ch->d[k];
}

/* Appends the entries of ch, times sign, at every grain it has a part in. */
static int add_entries(struct entry *e, int n, const char *area, const struct change *ch,
		       int sign)
{
	for (int g = 0; g < NGRAINS; g++) {
		struct entry *x = &e[n];
		if (!at_grain(g, ch))
			continue;
		memcpy(x->area, area, sizeof(x->area));
		x->grain = g;
		x->key = key_of(g, ch->day);
		for (int k = 0; k < NCOLS; k++)
			x->v[k] = (int64_t)sign * col_at(g, ch, k);
		n++;
	}
	return n;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int k = strcmp(x->area, y->area);

	if (k)
		return k;
	if (x->grain != y->grain)
		return x->grain < y->grain ? -1 : 1;
	return (x->key > y->key) - (x->key < y->key);
}

/* Adds e's values to its row (creating it), then deletes the row if all four became 0. Two
 * plain statements: an UPSERT ... RETURNING would tell whether the row reached 0, but SQLite
 * builds a temporary table for every RETURNING, which made registering a resident three
 * times slower; a DELETE by primary key that finds nothing to do costs about a lookup. */
static enum yl_err upsert(const struct yl_ctx *c, const struct entry *e)
{
	char period[PERIOD_LEN], grain[2] = {GRAINS[e->grain], '\0'};
	struct yl_stmt *st;
	enum yl_err err;

	period_of(e->grain, e->key, period);
	err = yl_store_prepare(c->store, "INSERT INTO signing_stock(area_code, grain, period, " COLS
					 ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (area_code, grain,"
					 " period) DO UPDATE SET"
					 " residents = signing_stock.residents + excluded.residents,"
					 " signed_residents = signing_stock.signed_residents"
					 " + excluded.signed_residents,"
					 " tagged_residents = signing_stock.tagged_residents"
					 " + excluded.tagged_residents,"
					 " signed_key_residents = signing_stock.signed_key_residents"
					 " + excluded.signed_key_residents", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, e->area);
	yl_stmt_bind_text(st, 2, grain);
	yl_stmt_bind_text(st, 3, period);
	for (int k = 0; k < NCOLS; k++)
		yl_stmt_bind_int(st, 4 + k, e->v[k]);
	/* The residents count of a row never drops below 0 (births are its only +1s, and only
	 * they are retracted), so a row that gained residents cannot be all 0. */
	if ((err = yl_stmt_run(st, c->diag)) || e->v[C_RES] > 0)
		return err;
	err = yl_store_prepare(c->store, "DELETE FROM signing_stock WHERE area_code = ?"
					 " AND grain = ? AND period = ? AND residents = 0"
					 " AND tagged_residents = 0 AND signed_residents = 0"
					 " AND signed_key_residents = 0", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, e->area);
	yl_stmt_bind_text(st, 2, grain);
	yl_stmt_bind_text(st, 3, period);
	return yl_stmt_run(st, c->diag);
}

/* Writes after's part minus before's (either may be NULL: nothing), merged per row. */
static enum yl_err write_diff(const struct yl_ctx *c, const struct person *before,
			      const struct person *after)
{
	int nb = before ? changes_max(before) : 0, na = after ? changes_max(after) : 0;
	struct change *ev = yl_arena_alloc(c->arena, sizeof(*ev) * (size_t)(nb + na));
	struct entry *e = yl_arena_alloc(c->arena, sizeof(*e) * (size_t)(NGRAINS * (nb + na) + 1));
	enum yl_err err = YL_OK;
	int n = 0, k = 0;

	nb = before ? contribution(before, ev) : 0;
	na = after ? contribution(after, ev + nb) : 0;
	for (int i = 0; i < nb; i++)
		n = add_entries(e, n, before->area, &ev[i], -1);
	for (int i = 0; i < na; i++)
		n = add_entries(e, n, after->area, &ev[nb + i], 1);
	qsort(e, (size_t)n, sizeof(*e), cmp_entry);
	/* Merge runs of equal keys into e[k], then write it unless it is all zeros. */
	for (int i = 0; !err && i < n; i = k) {
		bool zero = true;
		for (k = i + 1; k < n && cmp_entry(&e[i], &e[k]) == 0; k++)
			for (int j = 0; j < NCOLS; j++)
				e[i].v[j] += e[k].v[j];
		for (int j = 0; j < NCOLS; j++)
			zero = zero && e[i].v[j] == 0;
		if (!zero)
			err = upsert(c, &e[i]);
	}
	return err;
}

/* Live aggregates are off (ctx.no_live_measures): the table no longer follows the writes. */
static enum yl_err mark_stale(const struct yl_ctx *c)
{
	struct yl_stmt *st;
	enum yl_err err = yl_store_prepare(c->store, "INSERT INTO settings(key, value) VALUES ('"
					   STALE_KEY "', '1') ON CONFLICT (key) DO NOTHING", &st,
					   c->diag);

	return err ? err : yl_stmt_run(st, c->diag);
}

enum yl_err yl_signing_stock_mark(const struct yl_ctx *c, int64_t resident_id,
				  struct yl_signing_stock_mark **out)
{
	struct yl_signing_stock_mark *m = yl_arena_alloc(c->arena, sizeof(*m));

	*out = m;
	m->resident_id = resident_id;
	m->off = c->no_live_measures;
	if (m->off)
		return YL_OK;
	return load_person(c, resident_id, &m->p, &m->exists);
}

enum yl_err yl_signing_stock_update(const struct yl_ctx *c, const struct yl_signing_stock_mark *m)
{
	struct person now;
	bool exists;
	enum yl_err err;

	if (m->off || c->no_live_measures)
		return mark_stale(c);
	if ((err = load_person(c, m->resident_id, &now, &exists)))
		return err;
	return write_diff(c, m->exists ? &m->p : NULL, exists ? &now : NULL);
}

enum yl_err yl_signing_stock_add_resident(const struct yl_ctx *c, const char *home_area_code,
					  int32_t birth, unsigned tags)
{
	struct person p = {0};

	if (c->no_live_measures)
		return mark_stale(c);
	snprintf(p.area, sizeof(p.area), "%s", home_area_code);
	p.birth = birth;
	p.tags = tags & YL_TAG_STORED_MASK;
	return write_diff(c, NULL, &p);
}

/* Adds to v the rows of grain with period in [from, to] of the home areas in [lo, hi). The
 * areas drive the join so each home area is one seek on the primary key (area, grain, period
 * range), whatever its other rows: CROSS JOIN fixes that order in SQLite, whose planner would
 * otherwise carry the code range over to signing_stock and read every row of every area in
 * it (14 ms instead of 1 for the demo county's year rows). */
static enum yl_err sum_rows(const struct yl_ctx *c, const char *lo, const char *hi, int grain,
			    const char *from, const char *to, int64_t v[NCOLS])
{
	char g[2] = {GRAINS[grain], '\0'};
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	err = yl_store_prepare(c->store, "SELECT coalesce(sum(s.residents), 0),"
					 " coalesce(sum(s.tagged_residents), 0),"
					 " coalesce(sum(s.signed_residents), 0),"
					 " coalesce(sum(s.signed_key_residents), 0)"
					 " FROM areas a CROSS JOIN signing_stock s"
					 " WHERE s.area_code = a.code AND s.grain = ? AND s.period >= ?"
					 " AND s.period <= ? AND a.code >= ? AND a.code < ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, g);
	yl_stmt_bind_text(st, 2, from);
	yl_stmt_bind_text(st, 3, to);
	yl_stmt_bind_text(st, 4, lo);
	yl_stmt_bind_text(st, 5, hi);
	err = yl_stmt_step(st, &row, c->diag);
	for (int k = 0; !err && row && k < NCOLS; k++)
		v[k] += yl_stmt_int(st, k);
	yl_stmt_reset(st);
	return err;
}

/* Adds to v the births, and births with a stored tag, of days first..upto counted in
 * residents (index residents_birth): the month rows of the cohort columns are complete only
 * for finished months, and they have no day rows. */
static enum yl_err births(const struct yl_ctx *c, const char *lo, const char *hi, int32_t first,
			  int32_t upto, int64_t v[NCOLS])
{
	char a[YL_DATE_LEN], b[YL_DATE_LEN];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	yl_date_format(first, a);
	yl_date_format(upto, b);
	err = yl_store_prepare(c->store, "SELECT count(*), coalesce(sum(CASE WHEN (tags & ?) <> 0"
					 " THEN 1 ELSE 0 END), 0) FROM residents WHERE birth_date >= ?"
					 " AND birth_date <= ? AND home_area_code >= ?"
					 " AND home_area_code < ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, YL_TAG_STORED_MASK);
	yl_stmt_bind_text(st, 2, a);
	yl_stmt_bind_text(st, 3, b);
	yl_stmt_bind_text(st, 4, lo);
	yl_stmt_bind_text(st, 5, hi);
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && row) {
		v[C_RES] += yl_stmt_int(st, 0);
		v[C_TAG] += yl_stmt_int(st, 1);
	}
	yl_stmt_reset(st);
	return err;
}

/* Adds to v the changes dated on or before x of the home areas in [lo, hi): the decade rows
 * before x's decade, the year rows of its decade before its year, the month rows of its year
 * up to its month (included when x ends it), and otherwise the days of x's month: day rows
 * for the signed columns (when signed_too) and births counted in residents for the others. */
static enum yl_err prefix(const struct yl_ctx *c, const char *lo, const char *hi, int32_t x,
			  bool signed_too, int64_t v[NCOLS])
{
	char from[PERIOD_LEN], to[PERIOD_LEN];
	int y, m, d, ny, nm, nd;
	int32_t first;
	bool month_end;
	enum yl_err err;

	yl_civil_from_days(x, &y, &m, &d);
	yl_civil_from_days(x + 1, &ny, &nm, &nd);
	month_end = nd == 1;
	snprintf(to, sizeof(to), "%03d", y / 10 - 1);
	if ((err = sum_rows(c, lo, hi, G_DECADE, "000", to, v)))
		return err;
	snprintf(from, sizeof(from), "%04d", y / 10 * 10);
	snprintf(to, sizeof(to), "%04d", y - 1);
	if (y % 10 && (err = sum_rows(c, lo, hi, G_YEAR, from, to, v)))
		return err;
	snprintf(from, sizeof(from), "%04d-01", y);
	snprintf(to, sizeof(to), "%04d-%02d", y, month_end ? m : m - 1);
	if ((month_end || m > 1) && (err = sum_rows(c, lo, hi, G_MONTH, from, to, v)))
		return err;
	if (month_end)
		return YL_OK;
	first = yl_days_from_civil(y, m, 1);
	yl_date_format(first, from);
	yl_date_format(x, to);
	if (signed_too && (err = sum_rows(c, lo, hi, G_DAY, from, to, v)))
		return err;
	return births(c, lo, hi, first, x, v);
}

enum yl_err yl_signing_stock_counts(const struct yl_ctx *c, const char *area_code, int32_t on,
				    struct yl_signing_counts *out)
{
	char lo[10], hi[10];
	int64_t at[NCOLS] = {0}, young[NCOLS] = {0}, old[NCOLS] = {0}, stale = 0;
	enum yl_err err;

	memset(out, 0, sizeof(*out));
	if ((err = yl_signing_area_check(c, area_code)) ||
	    (err = yl_setting_int(c, STALE_KEY, &stale)))
		return err;
	if (stale)
		return yl_signing_count_on(c, area_code, on, out);
	yl_area_range(area_code, lo, hi);
	/* Key persons by birth date: tagged and born by `on`, or untagged and born by the last
	 * birth date aged 65 (old), or after the last aged 7 (young). With R and T the births and
	 * tagged births up to a date: T(on) + R(old) - T(old) + (R(on) - T(on)) - (R(young) -
	 * T(young)). */
	if ((err = prefix(c, lo, hi, on, true, at)) ||
	    (err = prefix(c, lo, hi, yl_signing_latest_birth(on, 7), false, young)) ||
	    (err = prefix(c, lo, hi, yl_signing_latest_birth(on, 65), false, old)))
		return err;
	out->residents = at[C_RES];
	out->signed_ = at[C_SIGNED];
	out->key = at[C_RES] - young[C_RES] + young[C_TAG] + old[C_RES] - old[C_TAG];
	out->signed_key = at[C_SKEY];
	return YL_OK;
}

/* The rebuild's totals of one home area: a slot per decade, year, month and day of
 * 1900-2299, and the range of slots touched at each grain. */
struct totals {
	char area[10];
	int64_t (*slot[NGRAINS])[NCOLS];
	int32_t base[NGRAINS], size[NGRAINS];
	int lo[NGRAINS], hi[NGRAINS];
	int64_t rows;
};

static enum yl_err total_add(const struct yl_ctx *c, struct totals *t, const struct change *ch)
{
	for (int g = 0; g < NGRAINS; g++) {
		int32_t i = key_of(g, ch->day) - t->base[g];
		if (!at_grain(g, ch))
			continue;
		if (i < 0 || i >= t->size[g])
			return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL,
					   "a change dated outside 1900-2299");
		for (int k = 0; k < NCOLS; k++)
			t->slot[g][i][k] += col_at(g, ch, k);
		if (t->lo[g] > i)
			t->lo[g] = i;
		if (t->hi[g] < i)
			t->hi[g] = i;
	}
	return YL_OK;
}

static enum yl_err insert_row(const struct yl_ctx *c, const char *area, int grain,
			      const char *period, const int64_t v[NCOLS])
{
	char g[2] = {GRAINS[grain], '\0'};
	struct yl_stmt *st;
	enum yl_err err;

	err = yl_store_prepare(c->store, "INSERT INTO signing_stock(area_code, grain, period, " COLS
					 ") VALUES (?, ?, ?, ?, ?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, area);
	yl_stmt_bind_text(st, 2, g);
	yl_stmt_bind_text(st, 3, period);
	for (int k = 0; k < NCOLS; k++)
		yl_stmt_bind_int(st, 4 + k, v[k]);
	return yl_stmt_run(st, c->diag);
}

/* Writes the area's non-zero slots and clears the touched ones. */
static enum yl_err flush(const struct yl_ctx *c, struct totals *t)
{
	char period[PERIOD_LEN];
	enum yl_err err = YL_OK;

	for (int g = 0; g < NGRAINS; g++) {
		for (int i = t->lo[g]; !err && i <= t->hi[g]; i++) {
			int64_t *v = t->slot[g][i];
			if (v[0] || v[1] || v[2] || v[3]) {
				period_of(g, i + t->base[g], period);
				err = insert_row(c, t->area, g, period, v);
				t->rows++;
			}
			memset(v, 0, sizeof(t->slot[g][i]));
		}
		t->lo[g] = INT32_MAX;
		t->hi[g] = -1;
	}
	return err;
}

/* Adds p's part to the totals, writing out the previous area's first when p lives elsewhere.
 * *ev is a buffer reused from one resident to the next (grown in the arena). */
static enum yl_err total_person(const struct yl_ctx *c, struct totals *t, struct person *p,
				struct change **ev, int *cap)
{
	enum yl_err err = YL_OK;
	int n;

	normalise(p);
	if (strcmp(t->area, p->area) != 0) {
		if (t->area[0] && (err = flush(c, t)))
			return err;
		memcpy(t->area, p->area, sizeof(t->area));
	}
	if (changes_max(p) > *cap) {
		*cap = changes_max(p) * 2;
		*ev = yl_arena_alloc(c->arena, sizeof(**ev) * (size_t)*cap);
	}
	n = contribution(p, *ev);
	for (int i = 0; !err && i < n; i++)
		err = total_add(c, t, &(*ev)[i]);
	return err;
}

/* One pass over residents in home-area order with their contracts (LEFT JOIN: one row per
 * contract, one with NULLs for a resident without any). */
static enum yl_err rebuild_pass(const struct yl_ctx *c, struct totals *t)
{
	struct person p = {0};
	struct change *ev = NULL;
	struct yl_stmt *st;
	enum yl_err err;
	int64_t cur = 0;
	int cap = 0;
	bool row;

	err = yl_store_prepare(c->store, "SELECT r.id, r.home_area_code, r.birth_date, r.tags,"
					 " k.start_date, k.end_date, k.ended_on FROM residents r"
					 " LEFT JOIN contracts k ON k.resident_id = r.id"
					 " ORDER BY r.home_area_code, r.id", &st, c->diag);
	if (err)
		return err;
	while (!(err = yl_stmt_step(st, &row, c->diag)) && row) {
		int64_t id = yl_stmt_int(st, 0);
		if (id != cur) {
			if (cur && (err = total_person(c, t, &p, &ev, &cap)))
				break;
			cur = id;
			p.nspans = 0;
			snprintf(p.area, sizeof(p.area), "%s", yl_stmt_text(st, 1));
			p.tags = (unsigned)yl_stmt_int(st, 3) & YL_TAG_STORED_MASK;
			if (!yl_date_parse(yl_stmt_text(st, 2), &p.birth)) {
				err = yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "resident %lld has a"
						  " bad birth date", (long long)id);
				break;
			}
		}
		if (!yl_stmt_null(st, 4) &&
		    (err = add_contract(c, &p, yl_stmt_text(st, 4), yl_stmt_text(st, 5),
					yl_stmt_null(st, 6) ? NULL : yl_stmt_text(st, 6))))
			break;
	}
	yl_stmt_reset(st);
	if (!err && cur)
		err = total_person(c, t, &p, &ev, &cap);
	if (!err && t->area[0])
		err = flush(c, t);
	return err;
}

enum yl_err yl_signing_stock_rebuild(const struct yl_ctx *c, int64_t *rows)
{
	struct totals t;
	enum yl_err err;

	if ((err = yl_require_admin(c)) ||
	    (err = yl_store_exec(c->store, "DELETE FROM signing_stock", c->diag)))
		return err;
	memset(&t, 0, sizeof(t));
	for (int g = 0; g < NGRAINS; g++) {
		int32_t first = yl_days_from_civil(FIRST_YEAR, 1, 1);
		int32_t end = yl_days_from_civil(FIRST_YEAR + YEARS, 1, 1);
		t.base[g] = key_of(g, first);
		t.size[g] = key_of(g, end) - t.base[g];
		t.slot[g] = yl_arena_alloc(c->arena, sizeof(*t.slot[g]) * (size_t)t.size[g]);
		t.lo[g] = INT32_MAX;
		t.hi[g] = -1;
	}
	if ((err = rebuild_pass(c, &t)) ||
	    (err = yl_store_exec(c->store, "DELETE FROM settings WHERE key = '" STALE_KEY "'",
				 c->diag)))
		return err;
	if (rows)
		*rows = t.rows;
	return YL_OK;
}
