/* report_print.c - the faces of a built report (report.h): a text table (levels and consortia
 * as separate tables, so a province with many consortia stays readable), one JSON object, and
 * the side-by-side comparison of two reports' region columns and shapes.
 *
 * Values are rounded here only, with yl_indicator_round (2 decimals, INDICATORS.md §4.5);
 * the shape figures, a few hundredths of a percent for referrals, are printed with 3 decimals
 * and carried at full precision in JSON. Nothing here computes an indicator.
 */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#include "api/indicator_json.h"
#include "base/buf.h"
#include "base/json_write.h"

enum { VALUE_W = 18, ID_W = 11, UNIT_W = 10, LABEL_W = 17, CONSORTIA_PER_TABLE = 4 };

#define DASH "\xe2\x80\x94" /* — : not defined for the column */

/* Display columns of UTF-8 s: East Asian wide characters take two, everything else one. */
static int cols_of(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int cols = 0;

	while (*p) {
		unsigned cp = *p;
		int len = 1;
		if (cp >= 0xF0) {
			cp &= 0x07;
			len = 4;
		} else if (cp >= 0xE0) {
			cp &= 0x0F;
			len = 3;
		} else if (cp >= 0xC0) {
			cp &= 0x1F;
			len = 2;
		}
		for (int i = 1; i < len && (p[i] & 0xC0) == 0x80; i++)
			cp = cp << 6 | (p[i] & 0x3F);
		for (int i = 0; i < len && *p; i++)
			p++;
		cols += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
				(cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
				(cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
				(cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000
			? 2
			: 1;
	}
	return cols;
}

static void pad(FILE *f, int n)
{
	for (; n > 0; n--)
		fputc(' ', f);
}

static void left(FILE *f, const char *s, int width)
{
	fputs(s, f);
	pad(f, width - cols_of(s));
}

static void right(FILE *f, const char *s, int width)
{
	pad(f, width - cols_of(s));
	fputs(s, f);
}

/* s cut to at most width display columns (whole characters), in out. */
static const char *cut(const char *s, int width, char *out, size_t cap)
{
	size_t n = 0;
	int cols = 0;

	while (s[n]) {
		size_t len = 1;
		char one[5];
		while (s[n + len] && ((unsigned char)s[n + len] & 0xC0) == 0x80 && len < 4)
			len++;
		memcpy(one, s + n, len);
		one[len] = '\0';
		if (cols + cols_of(one) > width || n + len >= cap)
			break;
		cols += cols_of(one);
		n += len;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static bool is_count(const struct yl_indicator_def *d)
{
	return !d->den_measure && d->scope == YL_SCOPE_INSTITUTION;
}

/* A value as printed: a count as an integer, anything else with 2 decimals. */
static void fmt_number(char *out, size_t cap, const struct yl_indicator_def *d, bool has,
		       double v)
{
	if (!has)
		snprintf(out, cap, "n/a");
	else if (is_count(d))
		snprintf(out, cap, "%.0f", yl_indicator_round(v));
	else
		snprintf(out, cap, "%.2f", yl_indicator_round(v));
}

/* A cell: "—", "n/a", the value, and for growth rows "(+1.23%)" or "(n/a)". */
static void fmt_cell(char *out, size_t cap, const struct yl_indicator_def *d,
		     const struct yl_report_cell *cell)
{
	char v[40];

	if (!cell->defined) {
		snprintf(out, cap, DASH);
		return;
	}
	fmt_number(v, sizeof(v), d, cell->cur.has_value, cell->cur.value);
	if (!d->growth || !d->scope == YL_SCOPE_INSTITUTION)
		snprintf(out, cap, "%s", v);
	else if (cell->has_growth)
		snprintf(out, cap, "%s (%+.2f%%)", v, yl_indicator_round(cell->growth));
	else
		snprintf(out, cap, "%s (n/a)", v);
}

/* One table over the columns listed in cols[0..n). */
static void print_table(FILE *f, const struct yl_report *r, const char *title, const int *cols,
			int n)
{
	char label[64];

	fprintf(f, "%s\n", title);
	left(f, "id", ID_W + 1);
	left(f, "unit", UNIT_W);
	for (int k = 0; k < n; k++)
		right(f, cut(r->cols[cols[k]].label, LABEL_W, label, sizeof(label)), VALUE_W);
	fputc('\n', f);
	for (int i = 0; i < r->nrows; i++) {
		const struct yl_indicator_def *d = r->rows[i].def;
		left(f, d->id, ID_W + 1);
		left(f, d->unit ? d->unit : "", UNIT_W);
		for (int k = 0; k < n; k++) {
			char cell[64];
			fmt_cell(cell, sizeof(cell), d, &r->rows[i].cells[cols[k]]);
			right(f, cell, VALUE_W);
		}
		fprintf(f, "\n%*s%s · %s\n", ID_W + 1, "", d->name_zh, d->name_en ? d->name_en : "");
	}
	fputc('\n', f);
}

static void print_columns(FILE *f, const struct yl_report *r)
{
	fprintf(f, "Columns:\n");
	for (int k = 0; k < r->ncols; k++) {
		const struct yl_report_column *c = &r->cols[k];
		fprintf(f, "  ");
		left(f, c->label, LABEL_W + 1);
		if (c->kind == YL_REPORT_LEVEL)
			fprintf(f, "sum over the %d %s institutions of the region\n", c->institutions,
				c->level);
		else if (c->kind == YL_REPORT_CONSORTIUM)
			fprintf(f, "consortium %" PRId64 " %s, %d current members (members month by"
				   " month)\n", c->consortium_id, c->name, c->institutions);
		else
			fprintf(f, "%s (%s), %d institutions located in it\n", r->area_name,
				r->area_code, c->institutions);
	}
	fprintf(f, "  " DASH " not defined for the column (the reason is in --json); n/a: no"
		   " value (denominator 0, no events, no year-earlier data)\n\n");
}

static void print_shape(FILE *f, const struct yl_report *r)
{
	const struct yl_report_shape *s = &r->shape;

	fprintf(f, "Shape: the region against the national figures (2023; docs/report.md)\n");
	left(f, "figure", 42);
	left(f, "unit", UNIT_W);
	fprintf(f, "%10s %10s %7s   region from\n", "national", "region", "ratio");
	for (int i = 0; i < YL_SHAPE_COUNT; i++) {
		const struct yl_report_figure *g = &s->fig[i];
		left(f, g->name_en, 42);
		left(f, g->unit, UNIT_W);
		fprintf(f, "%10.3f ", g->national);
		if (g->has_value)
			fprintf(f, "%10.3f %7.2f   ", g->value, g->ratio);
		else
			fprintf(f, "%10s %7s   ", "n/a", "n/a");
		if (i == YL_SHAPE_VISITS || i == YL_SHAPE_ADMISSIONS)
			fprintf(f, "%.0f / %.1f person-years\n", g->numerator, g->denominator);
		else
			fprintf(f, "%.0f / %.0f visits\n", g->numerator, g->denominator);
	}
	if (s->person_years > 0)
		fprintf(f, "person-years: %" PRId64 " residents (C1's denominator) x %d months / 12"
			   " x %d of %d days lived by %s = %.1f\n", s->residents, r->months, s->days,
			s->period_days, r->today, s->person_years);
	else
		fprintf(f, "person-years: unknown (%s)\n", s->person_years_note);
	for (int i = 0; i < YL_SHAPE_COUNT; i++) {
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = s->fig[j].note && s->fig[i].note &&
			       strcmp(s->fig[j].note, s->fig[i].note) == 0;
		if (s->fig[i].note && !seen)
			fprintf(f, "note: %s\n", s->fig[i].note);
	}
}

void yl_report_print_text(FILE *f, const struct yl_report *r)
{
	int cols[CONSORTIA_PER_TABLE + 5];
	int n = 0, nlevels = 0, ncons = 0, region = r->ncols - 1;

	if (r->ncols == 0) {
		fprintf(f, "empty report\n");
		return;
	}
	fprintf(f, "Indicator report: %s (%s), months %s to %s (%d), today %s\n\n", r->area_name,
		r->area_code, r->from, r->to, r->months, r->today);
	for (int k = 0; k < r->ncols; k++) {
		nlevels += r->cols[k].kind == YL_REPORT_LEVEL;
		ncons += r->cols[k].kind == YL_REPORT_CONSORTIUM;
	}
	for (int k = 0; k < r->ncols; k++)
		if (r->cols[k].kind == YL_REPORT_LEVEL)
			cols[n++] = k;
	cols[n++] = region;
	print_table(f, r, "By institution level (value; growth against a year earlier where the"
			  " catalogue asks for it)", cols, n);
	for (int first = nlevels; first < nlevels + ncons; first += CONSORTIA_PER_TABLE) {
		char title[96];
		int last = first + CONSORTIA_PER_TABLE;
		if (last > nlevels + ncons)
			last = nlevels + ncons;
		n = 0;
		for (int k = first; k < last; k++)
			cols[n++] = k;
		cols[n++] = region;
		snprintf(title, sizeof(title), "By consortium (%d to %d of %d)", first - nlevels + 1,
			 last - nlevels, ncons);
		print_table(f, r, title, cols, n);
	}
	if (!ncons)
		fprintf(f, "No consortium is registered in the region.\n\n");
	print_columns(f, r);
	print_shape(f, r);
}

/* JSON */


static void opt_str(struct yl_jw *w, const char *key, const char *s)
{
	yl_jw_key(w, key);
	yl_jw_str(w, s);
}

static void cell_json(struct yl_jw *w, const struct yl_indicator_def *d,
		      const struct yl_report_cell *cell)
{
	yl_jw_obj_begin(w);
	yl_jw_kbool(w, "defined", cell->defined);
	if (!cell->defined) {
		yl_jw_key(w, "value");
		yl_jw_null(w);
		yl_jw_kstr(w, "reason", cell->reason);
		yl_jw_obj_end(w);
		return;
	}
	yl_indicator_value_json(w, d, &cell->cur);
	opt_str(w, "note", cell->note);
	if (cell->as_of)
		yl_jw_kstr(w, "as_of", cell->as_of);
	yl_jw_key(w, "growth");
	if (!d->growth) {
		yl_jw_null(w);
	} else {
		yl_jw_obj_begin(w);
		yl_indicator_json_opt(w, "value", cell->has_growth, cell->growth);
		yl_jw_key(w, "previous");
		yl_jw_obj_begin(w);
		yl_indicator_value_json(w, d, &cell->prev);
		yl_jw_obj_end(w);
		opt_str(w, "note", cell->growth_note);
		yl_jw_obj_end(w);
	}
	yl_jw_obj_end(w);
}

static const char *kind_name(enum yl_report_col_kind k)
{
	return k == YL_REPORT_LEVEL ? "level" : k == YL_REPORT_CONSORTIUM ? "consortium" : "region";
}

static void shape_json(struct yl_jw *w, const struct yl_report_shape *s)
{
	yl_jw_obj_begin(w);
	yl_jw_kint(w, "visits", s->visits);
	yl_jw_kint(w, "primary_visits", s->primary_visits);
	yl_jw_kint(w, "admissions", s->admissions);
	yl_jw_kint(w, "up_referrals", s->up);
	yl_jw_kint(w, "down_referrals", s->down);
	yl_jw_kint(w, "residents", s->residents);
	yl_jw_kint(w, "days", s->days);
	yl_jw_kint(w, "period_days", s->period_days);
	yl_indicator_json_opt(w, "person_years", s->person_years > 0, s->person_years);
	opt_str(w, "person_years_note", s->person_years_note);
	yl_jw_key(w, "figures");
	yl_jw_arr_begin(w);
	for (int i = 0; i < YL_SHAPE_COUNT; i++) {
		const struct yl_report_figure *g = &s->fig[i];
		yl_jw_obj_begin(w);
		yl_jw_kstr(w, "key", g->key);
		yl_jw_kstr(w, "name_zh", g->name_zh);
		yl_jw_kstr(w, "name_en", g->name_en);
		yl_jw_kstr(w, "unit", g->unit);
		yl_jw_kdouble(w, "national", g->national);
		yl_jw_kstr(w, "source", g->source);
		yl_jw_kdouble(w, "numerator", g->numerator);
		yl_jw_kdouble(w, "denominator", g->denominator);
		yl_jw_key(w, "value");
		if (g->has_value)
			yl_jw_double(w, g->value);
		else
			yl_jw_null(w);
		yl_jw_key(w, "ratio");
		if (g->has_value)
			yl_jw_double(w, g->ratio);
		else
			yl_jw_null(w);
		opt_str(w, "note", g->note);
		yl_jw_obj_end(w);
	}
	yl_jw_arr_end(w);
	yl_jw_obj_end(w);
}

void yl_report_print_json(FILE *f, const struct yl_report *r)
{
	struct yl_buf b = YL_BUF_INIT;
	struct yl_jw w;

	yl_jw_init(&w, &b);
	yl_jw_obj_begin(&w);
	yl_jw_key(&w, "area");
	yl_jw_obj_begin(&w);
	yl_jw_kstr(&w, "code", r->area_code);
	yl_jw_kstr(&w, "name", r->area_name);
	yl_jw_obj_end(&w);
	yl_jw_kstr(&w, "from", r->from);
	yl_jw_kstr(&w, "to", r->to);
	yl_jw_kint(&w, "months", r->months);
	yl_jw_kstr(&w, "today", r->today);
	yl_jw_key(&w, "columns");
	yl_jw_arr_begin(&w);
	for (int k = 0; k < r->ncols; k++) {
		const struct yl_report_column *c = &r->cols[k];
		yl_jw_obj_begin(&w);
		yl_jw_kstr(&w, "key", c->key);
		yl_jw_kstr(&w, "kind", kind_name(c->kind));
		yl_jw_kstr(&w, "label", c->label);
		yl_jw_kstr(&w, "name", c->name);
		if (c->level)
			yl_jw_kstr(&w, "level", c->level);
		if (c->consortium_id)
			yl_jw_kint(&w, "consortium_id", c->consortium_id);
		yl_jw_kint(&w, "institutions", c->institutions);
		yl_jw_obj_end(&w);
	}
	yl_jw_arr_end(&w);
	yl_jw_key(&w, "rows");
	yl_jw_arr_begin(&w);
	for (int i = 0; i < r->nrows; i++) {
		const struct yl_indicator_def *d = r->rows[i].def;
		yl_jw_obj_begin(&w);
		yl_jw_kstr(&w, "id", d->id);
		yl_jw_kstr(&w, "name_zh", d->name_zh);
		yl_jw_kstr(&w, "name_en", d->name_en);
		yl_jw_kstr(&w, "unit", d->unit);
		yl_jw_kstr(&w, "direction", d->direction);
		yl_jw_kstr(&w, "scope_kind", d->scope_kind);
		yl_jw_kbool(&w, "growth", d->growth);
		yl_jw_key(&w, "cells");
		yl_jw_obj_begin(&w);
		for (int k = 0; k < r->ncols; k++) {
			yl_jw_key(&w, r->cols[k].key);
			cell_json(&w, d, &r->rows[i].cells[k]);
		}
		yl_jw_obj_end(&w);
		yl_jw_obj_end(&w);
	}
	yl_jw_arr_end(&w);
	yl_jw_key(&w, "shape");
	shape_json(&w, &r->shape);
	yl_jw_obj_end(&w);
	fputs(yl_buf_str(&b), f);
	fputc('\n', f);
	yl_buf_release(&b);
}

/* Comparison */

static const struct yl_report_cell *region_cell(const struct yl_report *r, const char *id)
{
	int row = yl_report_row_index(r, id);

	return row < 0 || r->ncols == 0 ? NULL : &r->rows[row].cells[r->ncols - 1];
}

static bool has_value(const struct yl_report_cell *c)
{
	return c && c->defined && c->cur.has_value;
}

static void fmt_side(char *out, size_t cap, const struct yl_indicator_def *d,
		     const struct yl_report_cell *c)
{
	if (!c || !c->defined)
		snprintf(out, cap, DASH);
	else
		fmt_number(out, cap, d, c->cur.has_value, c->cur.value);
}

static void fmt_diff(char *out, size_t cap, bool ok, double diff)
{
	if (ok)
		snprintf(out, cap, "%+.2f", yl_indicator_round(diff));
	else
		snprintf(out, cap, "n/a");
}

static void fmt_growth(char *out, size_t cap, bool ok, double g)
{
	if (ok)
		snprintf(out, cap, "%+.2f%%", yl_indicator_round(g));
	else
		snprintf(out, cap, "n/a");
}

static void compare_row(FILE *f, const struct yl_indicator_def *d,
			const struct yl_report_cell *a, const struct yl_report_cell *b)
{
	char va[40], vb[40], vd[40];

	fmt_side(va, sizeof(va), d, a);
	fmt_side(vb, sizeof(vb), d, b);
	fmt_diff(vd, sizeof(vd), has_value(a) && has_value(b),
		 has_value(a) && has_value(b) ? b->cur.value - a->cur.value : 0);
	left(f, d->id, ID_W + 1);
	left(f, d->unit ? d->unit : "", UNIT_W);
	right(f, va, VALUE_W);
	right(f, vb, VALUE_W);
	right(f, vd, VALUE_W);
	fprintf(f, "\n%*s%s · %s\n", ID_W + 1, "", d->name_zh, d->name_en ? d->name_en : "");
	if (d->growth && d->scope == YL_SCOPE_INSTITUTION) {
		bool ga = a && a->defined && a->has_growth, gb = b && b->defined && b->has_growth;
		fmt_growth(va, sizeof(va), ga, ga ? a->growth : 0);
		fmt_growth(vb, sizeof(vb), gb, gb ? b->growth : 0);
		if (ga && gb)
			snprintf(vd, sizeof(vd), "%+.2f pp", yl_indicator_round(b->growth - a->growth));
		else
			snprintf(vd, sizeof(vd), "n/a");
		pad(f, ID_W + 1);
		left(f, "growth", UNIT_W);
		right(f, va, VALUE_W);
		right(f, vb, VALUE_W);
		right(f, vd, VALUE_W);
		fputc('\n', f);
	}
}

static void compare_shape(FILE *f, const struct yl_report *a, const struct yl_report *b)
{
	fprintf(f, "Shape against the national figures (2023)\n");
	left(f, "figure", 42);
	left(f, "unit", UNIT_W);
	fprintf(f, "%10s %10s %7s %10s %7s %10s\n", "national", "A", "A/nat", "B", "B/nat",
		"B - A");
	for (int i = 0; i < YL_SHAPE_COUNT; i++) {
		const struct yl_report_figure *x = &a->shape.fig[i], *y = &b->shape.fig[i];
		left(f, x->name_en ? x->name_en : y->name_en, 42);
		left(f, x->unit ? x->unit : y->unit, UNIT_W);
		fprintf(f, "%10.3f ", x->national ? x->national : y->national);
		if (x->has_value)
			fprintf(f, "%10.3f %7.2f ", x->value, x->ratio);
		else
			fprintf(f, "%10s %7s ", "n/a", "n/a");
		if (y->has_value)
			fprintf(f, "%10.3f %7.2f ", y->value, y->ratio);
		else
			fprintf(f, "%10s %7s ", "n/a", "n/a");
		if (x->has_value && y->has_value)
			fprintf(f, "%+10.3f\n", y->value - x->value);
		else
			fprintf(f, "%10s\n", "n/a");
	}
}

void yl_report_print_compare(FILE *f, const struct yl_report *a, const char *label_a,
			     const struct yl_report *b, const char *label_b)
{
	fprintf(f, "A: %s: %s (%s), months %s to %s\n", label_a, a->area_name, a->area_code,
		a->from, a->to);
	fprintf(f, "B: %s: %s (%s), months %s to %s\n\n", label_b, b->area_name, b->area_code,
		b->from, b->to);
	fprintf(f, "Region column, B - A in the row's unit\n");
	left(f, "id", ID_W + 1);
	left(f, "unit", UNIT_W);
	right(f, "A", VALUE_W);
	right(f, "B", VALUE_W);
	right(f, "B - A", VALUE_W);
	fputc('\n', f);
	for (int i = 0; i < a->nrows; i++) {
		const struct yl_indicator_def *d = a->rows[i].def;
		compare_row(f, d, region_cell(a, d->id), region_cell(b, d->id));
	}
	for (int i = 0; i < b->nrows; i++)
		if (yl_report_row_index(a, b->rows[i].def->id) < 0)
			compare_row(f, b->rows[i].def, NULL, region_cell(b, b->rows[i].def->id));
	fputc('\n', f);
	compare_shape(f, a, b);
}
