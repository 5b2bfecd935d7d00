/* src/report: the indicator report by institution level and consortium, against values
 * computed by hand from the fixture below. A level column sums numerators and denominators
 * over its institutions and divides once (primary cost per visit 100/2 and 500/8 give
 * 600/10 = 60, not the 56.25 of averaged rates); consortium columns follow membership; cells
 * not defined for a column say why; the shape figures come from the region's counts and
 * C1's residents; the default period is clipped at today; the text, JSON and comparison
 * printers show those numbers; bad queries fail with the field named.
 *
 * World (writes on 2026-02-20, report on 2026-03-15): the registry of yltest.h (1 tertiary
 * at city 440100; 2 secondary, 3 and 4 primary, 5 village in county 440106), six residents
 * living in 440106001, the first signed (2025-01-01..2026-12-31). Outpatient visits in
 * 2026-02, costs in fen: at 3: 40, 60; at 4: seven of 60 and one of 80 (500); at 5: 30, 30;
 * at 2: 1000; at 1: 3000. Admissions: at 2 costing 10000, at 1 costing 20000. A year
 * earlier (2025-02-10): one visit at 3 costing 40. Referrals (2026-02-20): up op 3->1, up ip
 * 4->2, down op 1->3. Consortia: K1 "K-COUNTY" (area 440106) lead 2 with 3 and 5; K2
 * "K-CITY" (no area) lead 1 with 4; all members since 2025-01-01.
 */
#include "yltest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/encounter.h"
#include "domain/signing_stock.h"
#include "report/report.h"
#include "ylt_booking.h"
#include "ylt_indicator.h"

static struct ylt_db T;
static int64_t R;
static const char *DX[] = {"I10"};
/* 2026-02-20 10:00 Asia/Shanghai */
static const int64_t WRITES = YLT_NOW - 23 * 86400;

static void visit(const char *kind, int64_t inst, const char *date, int64_t cost)
{
	struct yl_encounter e = {0};

	e.kind = kind;
	e.resident_id = R;
	e.institution_id = inst;
	e.visit_date = date;
	e.diagnoses = DX;
	e.ndiagnoses = 1;
	e.costs.treatment = cost;
	e.fund_paid = cost;
	if (yl_encounter_create(&T.ctx, &e, NULL))
		fail_msg("encounter: %s %s", T.diag.field, T.diag.message);
}

static void consortium(const char *code, const char *area, int64_t lead, int64_t a, int64_t b)
{
	int64_t id;

	yltb_exec(&T, "INSERT INTO consortia(code, name, kind, lead_institution_id, area_code,"
		  " created_at) VALUES ('%s', '%s group', 'county_community', %lld, %s%s%s, 0)",
		  code, code, (long long)lead, area ? "'" : "", area ? area : "NULL", area ? "'" : "");
	id = yltb_scalar(&T, "SELECT max(id) FROM consortia");
	yltb_exec(&T, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on,"
		  " created_at) VALUES (%lld, %lld, '2025-01-01', 0), (%lld, %lld, '2025-01-01', 0)",
		  (long long)id, (long long)lead, (long long)id, (long long)a);
	if (b)
		yltb_exec(&T, "INSERT INTO consortium_members(consortium_id, institution_id,"
			  " joined_on, created_at) VALUES (%lld, %lld, '2025-01-01', 0)",
			  (long long)id, (long long)b);
}

static int setup(void **state)
{
	int64_t team;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	yl_clock_fixed(&T.clock, WRITES);
	ylt_begin(&T);
	R = yltb_residents(&T, 6);
	team = yltb_team(&T, 3, false);
	yltb_contract(&T, R, team, "2025-01-01", "2026-12-31");
	consortium("K-COUNTY", "440106", 2, 3, 5);
	consortium("K-CITY", NULL, 1, 4, 0);
	visit("outpatient", 3, "2026-02-02", 40);
	visit("outpatient", 3, "2026-02-03", 60);
	for (int i = 0; i < 7; i++)
		visit("outpatient", 4, "2026-02-04", 60);
	visit("outpatient", 4, "2026-02-05", 80);
	visit("outpatient", 5, "2026-02-06", 30);
	visit("outpatient", 5, "2026-02-06", 30);
	visit("outpatient", 2, "2026-02-07", 1000);
	visit("inpatient", 2, "2026-02-08", 10000);
	visit("outpatient", 1, "2026-02-09", 3000);
	visit("inpatient", 1, "2026-02-10", 20000);
	visit("outpatient", 3, "2025-02-10", 40);
	ylt_referral(&T, "up", "outpatient", R, 3, 1);
	ylt_referral(&T, "up", "inpatient", R, 4, 2);
	ylt_referral(&T, "down", "outpatient", R, 1, 3);
	/* The contract went in by plain SQL, past the live hooks, as a bulk load would: the
	 * signing stocks (C1, C2) are rebuilt once, as an importer does after its file. */
	if (yl_signing_stock_rebuild(&T.ctx, NULL))
		fail_msg("signing stock: %s", T.diag.message);
	ylt_commit(&T);
	yl_clock_fixed(&T.clock, YLT_NOW);
	return 0;
}

static struct yl_report REP;

static void build(const char *area, const char *from, const char *to)
{
	struct yl_report_query q = {area, from, to, NULL};

	if (yl_report_build(&T.ctx, &q, &REP))
		fail_msg("report: %s %s", T.diag.field, T.diag.message);
}

static const struct yl_report_cell *cell(const char *id, const char *col)
{
	const struct yl_report_cell *c = yl_report_cell(&REP, id, col);

	if (!c)
		fail_msg("no cell %s / %s", id, col);
	return c;
}

static void near(double got, double want, const char *what)
{
	if (fabs(yl_indicator_round(got) - want) > 1e-9)
		fail_msg("%s: %.6f, expected %.2f", what, got, want);
}

/* Expects a defined cell with num/den and value (rounded; value < 0: no value, a note). */
static void expect(const char *id, const char *col, int64_t num, int64_t den, double value)
{
	const struct yl_report_cell *c = cell(id, col);

	if (!c->defined)
		fail_msg("%s/%s not defined: %s", id, col, c->reason);
	if (c->cur.numerator != num || c->cur.denominator != den)
		fail_msg("%s/%s: %lld/%lld, expected %lld/%lld", id, col,
			 (long long)c->cur.numerator, (long long)c->cur.denominator, (long long)num,
			 (long long)den);
	if (value < 0) {
		assert_false(c->cur.has_value);
		assert_non_null(c->note);
		return;
	}
	assert_true(c->cur.has_value);
	near(c->cur.value, value, id);
}

static void expect_undefined(const char *id, const char *col, const char *reason_part)
{
	const struct yl_report_cell *c = cell(id, col);

	assert_false(c->defined);
	assert_non_null(c->reason);
	if (!strstr(c->reason, reason_part))
		fail_msg("%s/%s: reason '%s' lacks '%s'", id, col, c->reason, reason_part);
}

static void test_columns(void **state)
{
	static const char *keys[] = {"village", "primary", "secondary", "tertiary",
				     "consortium:1", "consortium:2", "region"};

	(void)state;
	build(NULL, "2026-02", "2026-02");
	assert_string_equal(REP.area_code, "440000");
	assert_string_equal(REP.from, "2026-02");
	assert_int_equal(REP.months, 1);
	assert_int_equal(REP.ncols, 7);
	for (int k = 0; k < 7; k++)
		assert_string_equal(REP.cols[k].key, keys[k]);
	assert_int_equal(REP.cols[1].institutions, 2);
	assert_string_equal(REP.cols[4].label, "K-COUNTY");
	assert_int_equal(REP.cols[4].institutions, 3);
	assert_int_equal(REP.cols[6].institutions, 5);
}

static void test_level_sums_not_averages(void **state)
{
	const struct yl_report_cell *c;

	(void)state;
	build(NULL, "2026-02", "2026-02");
	/* 3: 100/2, 4: 500/8: 600/10 = 60 (the mean of 50 and 62.5 would be 56.25). */
	expect("D28", "primary", 600, 10, 60.00);
	expect("D28", "village", 60, 2, 30.00);
	expect("D28", "secondary", 1000, 1, 1000.00);
	expect("D28", "tertiary", 3000, 1, 3000.00);
	/* 100 + 500 + 60 + 1000 + 3000 = 4660 over 14 visits */
	expect("D28", "region", 4660, 14, 332.86);
	/* A year earlier the primary level had 40/1: (60 - 40) / 40 = +50 %. */
	c = cell("D28", "primary");
	assert_int_equal(c->prev.numerator, 40);
	assert_int_equal(c->prev.denominator, 1);
	assert_true(c->has_growth);
	near(c->growth, 50.00, "primary growth");
	c = cell("D28", "village");
	assert_false(c->has_growth);
	assert_string_equal(c->growth_note, "no data for the same period a year earlier");
	/* region: (4660/14 - 40) / 40 = 732.14 % */
	near(cell("D28", "region")->growth, 732.14, "region growth");
	expect("A4", "primary", 10, 10, 100.00);
	expect("A4", "secondary", 0, 1, 0.00);
	expect("A4", "region", 12, 14, 85.71);
	/* No admission at primary level: no value, not 0. */
	expect("D30", "primary", 0, 0, -1);
	expect("D30", "region", 30000, 2, 15000.00);
	expect("B2.op", "primary", 1, 0, 1);
	expect("B2.ip", "primary", 1, 0, 1);
	expect("B1.op", "tertiary", 1, 0, 1);
	expect("B1.op", "primary", 0, 0, 0);
}

static void test_levels_add_up_to_region(void **state)
{
	(void)state;
	build(NULL, "2026-02", "2026-02");
	for (int i = 0; i < REP.nrows; i++) {
		int64_t num = 0, den = 0;
		const char *kind = REP.rows[i].def->scope_kind;
		if (kind && strcmp(kind, "institution") != 0)
			continue;
		for (int k = 0; k < REP.ncols; k++)
			if (REP.cols[k].kind == YL_REPORT_LEVEL) {
				num += REP.rows[i].cells[k].cur.numerator;
				den += REP.rows[i].cells[k].cur.denominator;
			}
		if (num != REP.rows[i].cells[REP.ncols - 1].cur.numerator ||
		    den != REP.rows[i].cells[REP.ncols - 1].cur.denominator)
			fail_msg("%s: levels %lld/%lld, region %lld/%lld", REP.rows[i].def->id,
				 (long long)num, (long long)den,
				 (long long)REP.rows[i].cells[REP.ncols - 1].cur.numerator,
				 (long long)REP.rows[i].cells[REP.ncols - 1].cur.denominator);
	}
}

static void test_consortia(void **state)
{
	(void)state;
	build(NULL, "2026-02", "2026-02");
	/* K-COUNTY: 2, 3, 5: (1000 + 100 + 60) / (1 + 2 + 2) */
	expect("D28", "consortium:1", 1160, 5, 232.00);
	expect("A4", "consortium:1", 4, 5, 80.00);
	/* K-CITY (no area, led from the region): 1, 4: 3500 / 9 */
	expect("D28", "consortium:2", 3500, 9, 388.89);
	expect("B1.op", "consortium:2", 1, 0, 1);
	/* A median comes from the compute call; no referral arrived, so no value. */
	expect("ref_days", "consortium:1", 0, 0, -1);
}

static void test_undefined_cells(void **state)
{
	const struct yl_report_cell *c;

	(void)state;
	build(NULL, "2026-02", "2026-02");
	expect_undefined("A1", "primary", "residents of its counties");
	expect_undefined("C1", "village", "residents living in it");
	expect_undefined("ref_days", "secondary", "median");
	expect_undefined("C1", "consortium:1", "area scope only");
	expect_undefined("A1", "consortium:2", "area scope only");
	/* The region has C1: 1 of 6 residents signed on the period's last day. */
	expect("C1", "region", 1, 6, 16.67);
	c = cell("C1", "region");
	assert_string_equal(c->as_of, "2026-02-28");
	/* A township region has no county to hold its residents against. */
	build("440106001", "2026-02", "2026-02");
	expect_undefined("A1", "region", "not a township");
}

static void test_shape(void **state)
{
	const struct yl_report_shape *s;

	(void)state;
	build(NULL, "2026-02", "2026-02");
	s = &REP.shape;
	assert_int_equal(s->visits, 14);
	assert_int_equal(s->primary_visits, 12);
	assert_int_equal(s->admissions, 2);
	assert_int_equal(s->up, 2);
	assert_int_equal(s->down, 1);
	assert_int_equal(s->residents, 6);
	/* February, fully lived by 2026-03-15: 6 residents x 1/12 = 0.5 person-years. */
	assert_int_equal(s->days, 28);
	assert_int_equal(s->period_days, 28);
	near(s->person_years, 0.50, "person-years");
	near(s->fig[YL_SHAPE_VISITS].value, 28.00, "visits per person-year");
	near(s->fig[YL_SHAPE_VISITS].ratio, 4.12, "visits ratio"); /* 28 / 6.8 */
	near(s->fig[YL_SHAPE_ADMISSIONS].value, 4.00, "admissions per person-year");
	near(s->fig[YL_SHAPE_PRIMARY].value, 85.71, "primary share");
	/* national: (13.1 + 8.3 + 2.1 + 14.0) / (that + 42.6) = 37.5 / 80.1 = 46.82 % */
	near(s->fig[YL_SHAPE_PRIMARY].national, 46.82, "national primary share");
	near(s->fig[YL_SHAPE_PRIMARY].ratio, 1.83, "primary ratio"); /* 85.714 / 46.816 */
	near(s->fig[YL_SHAPE_REFERRALS].value, 21.43, "referrals"); /* 3 / 14 */
	near(s->fig[YL_SHAPE_REFERRALS].national, 0.32, "national referrals");
	near(s->fig[YL_SHAPE_UP].value, 14.29, "up");
	near(s->fig[YL_SHAPE_DOWN].value, 7.14, "down");
	assert_non_null(s->fig[YL_SHAPE_UP].note); /* up from primary care only */
}

static void test_default_period_clipped_at_today(void **state)
{
	const struct yl_report_shape *s;

	(void)state;
	build(NULL, NULL, NULL);
	assert_string_equal(REP.from, "2025-04");
	assert_string_equal(REP.to, "2026-03");
	assert_string_equal(REP.today, "2026-03-15");
	s = &REP.shape;
	/* 2025-04-01..2026-03-15 is 349 of the period's 365 days; C1 counts today. */
	assert_int_equal(s->days, 349);
	assert_int_equal(s->period_days, 365);
	assert_int_equal(s->residents, 6);
	assert_int_equal(s->visits, 14);
	/* 14 / (6 x 349 / 365) = 5110 / 2094 */
	near(s->fig[YL_SHAPE_VISITS].value, 2.44, "visits per person-year");
	/* data since 2026-02-15 (a simulation's start): 2026-02-15..2026-03-15 is 29 days */
	{
		struct yl_report_query q = {NULL, NULL, NULL, "2026-02-15"};
		if (yl_report_build(&T.ctx, &q, &REP))
			fail_msg("build since: %s", T.diag.message);
		assert_int_equal(REP.shape.days, 29);
		/* 14 / (6 x 29 / 365) = 5110 / 174 */
		near(REP.shape.fig[YL_SHAPE_VISITS].value, 29.37, "visits per person-year since");
	}
	build(NULL, "2025-02", NULL);
	assert_string_equal(REP.to, "2026-01");
	build(NULL, NULL, "2026-02");
	assert_string_equal(REP.from, "2025-03");
}

static void test_county_region(void **state)
{
	(void)state;
	build("440106", "2026-02", "2026-02");
	/* 1 is registered at city level: no tertiary column; K-CITY is led from outside. */
	assert_int_equal(REP.ncols, 5);
	assert_int_equal(yl_report_col_index(&REP, "tertiary"), -1);
	assert_int_equal(yl_report_col_index(&REP, "consortium:2"), -1);
	assert_int_equal(yl_report_col_index(&REP, "consortium:1"), 3);
	/* 1000 + 100 + 500 + 60 over 13 visits */
	expect("D28", "region", 1660, 13, 127.69);
}

/* The printed output of fn(f, ...) as a malloc'd string. */
static char *capture_text(const struct yl_report *r, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	if (json)
		yl_report_print_json(f, r);
	else
		yl_report_print_text(f, r);
	fclose(f);
	return out;
}

/* The line of text that starts with prefix (a copy in line). */
static const char *line_of(const char *text, const char *prefix, char *line, size_t cap)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			size_t n = strcspn(p, "\n");
			if (n >= cap)
				n = cap - 1;
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
	fail_msg("no line starting with '%s' in:\n%s", prefix, text);
	return NULL;
}

static void test_print_text(void **state)
{
	char line[512], *out;

	(void)state;
	build(NULL, "2026-02", "2026-02");
	out = capture_text(&REP, false);
	assert_non_null(strstr(out, "Indicator report: 广东省 (440000), months 2026-02 to 2026-02"));
	/* levels table first: village, primary, secondary, tertiary, region */
	line_of(out, "D28 ", line, sizeof(line));
	if (!strstr(line, "30.00 (n/a)") || !strstr(line, "60.00 (+50.00%)") ||
	    !strstr(line, "332.86 (+732.14%)"))
		fail_msg("D28 line: %s", line);
	line_of(out, "A1 ", line, sizeof(line));
	assert_non_null(strstr(line, "—"));
	assert_non_null(strstr(out, "By consortium (1 to 2 of 2)"));
	line_of(out, "Visits per person-year", line, sizeof(line));
	if (!strstr(line, "6.800") || !strstr(line, "28.000") || !strstr(line, "4.12"))
		fail_msg("shape line: %s", line);
	free(out);
}

static void test_print_json(void **state)
{
	json_t *root, *rows, *row, *c, *fig;
	json_error_t e;
	char *out;
	size_t i;

	(void)state;
	build(NULL, "2026-02", "2026-02");
	out = capture_text(&REP, true);
	root = json_loads(out, 0, &e);
	if (!root)
		fail_msg("bad JSON at %d: %s", e.line, e.text);
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "area"),
								 "code")), "440000");
	assert_int_equal(json_array_size(json_object_get(root, "columns")), 7);
	rows = json_object_get(root, "rows");
	json_array_foreach(rows, i, row) {
		const char *id = json_string_value(json_object_get(row, "id"));
		json_t *cells = json_object_get(row, "cells");
		if (strcmp(id, "D28") == 0) {
			c = json_object_get(cells, "primary");
			assert_int_equal(json_integer_value(json_object_get(c, "numerator")), 600);
			assert_int_equal(json_integer_value(json_object_get(c, "denominator")), 10);
			near(json_number_value(json_object_get(c, "value")), 60.00, "json value");
			near(json_number_value(json_object_get(json_object_get(c, "growth"), "value")),
			     50.00, "json growth");
		} else if (strcmp(id, "A1") == 0) {
			c = json_object_get(cells, "primary");
			assert_true(json_is_false(json_object_get(c, "defined")));
			assert_true(json_is_string(json_object_get(c, "reason")));
		}
	}
	fig = json_array_get(json_object_get(json_object_get(root, "shape"), "figures"), 0);
	assert_string_equal(json_string_value(json_object_get(fig, "key")),
			    "visits_per_person_year");
	near(json_number_value(json_object_get(fig, "value")), 28.00, "json shape");
	json_decref(root);
	free(out);
}

static void test_print_compare(void **state)
{
	struct yl_report a, b;
	struct yl_report_query qa = {NULL, "2026-02", "2026-02", NULL};
	struct yl_report_query qb = {"440106", "2026-02", "2026-02", NULL};
	char line[512], *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(yl_report_build(&T.ctx, &qa, &a), YL_OK);
	assert_int_equal(yl_report_build(&T.ctx, &qb, &b), YL_OK);
	f = open_memstream(&out, &len);
	yl_report_print_compare(f, &a, "province", &b, "county");
	fclose(f);
	assert_non_null(strstr(out, "A: province: 广东省 (440000)"));
	assert_non_null(strstr(out, "B: county: 天河区 (440106)"));
	/* 1660/13 - 4660/14 = -205.1648..., rounded once (the rounded values differ by 205.17) */
	line_of(out, "D28 ", line, sizeof(line));
	if (!strstr(line, "332.86") || !strstr(line, "127.69") || !strstr(line, "-205.16"))
		fail_msg("D28 compare: %s", line);
	/* growth: county (127.69 - 40) / 40 = 219.23 %, province 732.14 %: -512.91 points */
	line_of(strstr(out, "\nD28 "), "            growth", line, sizeof(line));
	if (!strstr(line, "+732.14%") || !strstr(line, "+219.23%") || !strstr(line, "-512.91 pp"))
		fail_msg("growth compare: %s", line);
	/* county: 13 visits / 0.5 person-years = 26 against 28 */
	line_of(out, "Visits per person-year", line, sizeof(line));
	if (!strstr(line, "28.000") || !strstr(line, "26.000") || !strstr(line, "-2.000"))
		fail_msg("shape compare: %s", line);
	free(out);
}

static void expect_error(const char *area, const char *from, const char *to, enum yl_err err,
			 const char *field)
{
	struct yl_report_query q = {area, from, to, NULL};
	struct yl_report r;

	assert_int_equal(yl_report_build(&T.ctx, &q, &r), err);
	assert_string_equal(T.diag.field, field);
	assert_int_equal(r.ncols, 0);
}

static void test_errors(void **state)
{
	struct yl_actor resident = {0};
	const struct yl_actor *admin = T.ctx.actor;

	(void)state;
	expect_error(NULL, "2026-13", "2026-12", YL_ERR_INVALID, "from");
	expect_error(NULL, "2026-01", "26-02", YL_ERR_INVALID, "to");
	expect_error(NULL, "2026-05", "2026-01", YL_ERR_INVALID, "to");
	expect_error(NULL, "2020-01", "2025-01", YL_ERR_INVALID, "to"); /* 61 months */
	expect_error("999999", "2026-01", "2026-02", YL_ERR_NOT_FOUND, "area_code");
	assert_non_null(strstr(T.diag.message, "999999"));
	expect_error("", "2026-01", "2026-02", YL_ERR_MISSING, "area_code");
	resident.role = YL_ROLE_RESIDENT;
	resident.resident_id = R;
	T.ctx.actor = &resident;
	expect_error(NULL, "2026-01", "2026-02", YL_ERR_FORBIDDEN, "");
	T.ctx.actor = admin;
	/* A second province with an institution: no default region any more. */
	ylt_begin(&T);
	yltb_exec(&T, "INSERT INTO areas(code, name, level, created_at) VALUES ('450000', '广西',"
		  " 'province', 0)");
	yltb_exec(&T, "INSERT INTO institutions(code, name, level, kind, area_code, beds,"
		  " created_at) VALUES ('GX', 'gx', 'secondary', 'general', '450000', 10, 0)");
	expect_error(NULL, "2026-01", "2026-02", YL_ERR_MISSING, "area_code");
	assert_non_null(strstr(T.diag.message, "440000"));
	ylt_rollback(&T);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_level_sums_not_averages),
		cmocka_unit_test(test_levels_add_up_to_region),
		cmocka_unit_test(test_consortia),
		cmocka_unit_test(test_undefined_cells),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_default_period_clipped_at_today),
		cmocka_unit_test(test_county_region),
		cmocka_unit_test(test_print_text),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_print_compare),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
