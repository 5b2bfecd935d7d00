/* The real `yilian report` binary on a database made here through the domain: its exit
 * codes, a few printed values computed by hand (text and JSON), --today moving the default
 * period, and bad input (a month 13, an unknown area, a missing --db or file, a bad --today)
 * refused with a message naming the problem.
 *
 * World (written on 2026-02-20): the registry of yltest.h and six residents; outpatient
 * visits in 2026-02 at the two primary institutions, 3: 40 + 60 fen, 4: seven of 60 and one
 * of 80 (500 fen), so the primary level's cost per visit is 600/10 = 60.00 (the mean of the
 * two rates would be 56.25); one visit at the secondary hospital 2 costing 1000.
 */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "domain/encounter.h"
#include "ylt_booking.h"
#include "ylt_cli.h"

static struct ylt_db T;
static const char *DX[] = {"I10"};

/* Runs `report --db DB fmt...` and returns the exit status. */
static int report(char *out, size_t cap, const char *extra)
{
	char args[512];

	snprintf(args, sizeof(args), "report --db '%s' %s", T.path, extra);
	return ylt_cli_run(out, cap, args);
}

static void visit(int64_t res, int64_t inst, const char *date, int64_t cost)
{
	struct yl_encounter e = {0};

	e.kind = "outpatient";
	e.resident_id = res;
	e.institution_id = inst;
	e.visit_date = date;
	e.diagnoses = DX;
	e.ndiagnoses = 1;
	e.costs.treatment = cost;
	e.fund_paid = cost;
	if (yl_encounter_create(&T.ctx, &e, NULL))
		fail_msg("encounter: %s %s", T.diag.field, T.diag.message);
}

static int setup(void **state)
{
	int64_t r;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	yl_clock_fixed(&T.clock, YLT_NOW - 23 * 86400);
	ylt_begin(&T);
	r = yltb_residents(&T, 6);
	visit(r, 3, "2026-02-02", 40);
	visit(r, 3, "2026-02-03", 60);
	for (int i = 0; i < 7; i++)
		visit(r, 4, "2026-02-04", 60);
	visit(r, 4, "2026-02-05", 80);
	visit(r, 2, "2026-02-07", 1000);
	ylt_commit(&T);
	yl_clock_fixed(&T.clock, YLT_NOW);
	return 0;
}

/* The line of out starting with prefix, copied into line. */
static const char *line_of(const char *out, const char *prefix, char *line, size_t cap)
{
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			size_t n = strcspn(p, "\n");
			if (n >= cap)
				n = cap - 1;
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
	fail_msg("no line starting with '%s' in:\n%s", prefix, out);
	return NULL;
}

static void test_text(void **state)
{
	static char out[1 << 17];
	char line[512];

	(void)state;
	assert_int_equal(report(out, sizeof(out), "--from 2026-02 --to 2026-02 --today 2026-03-15"),
			 0);
	assert_non_null(strstr(out, "Indicator report: 广东省 (440000), months 2026-02 to 2026-02"));
	/* columns primary, secondary, region (no village or tertiary visit, but both exist) */
	line_of(out, "D28 ", line, sizeof(line));
	/* region: (100 + 500 + 1000) / 11 = 145.45 */
	if (!strstr(line, "60.00 (n/a)") || !strstr(line, "1000.00 (n/a)") ||
	    !strstr(line, "145.45 (n/a)"))
		fail_msg("D28: %s", line);
	line_of(out, "A4 ", line, sizeof(line));
	if (!strstr(line, "100.00") || !strstr(line, "90.91")) /* 10 / 11 */
		fail_msg("A4: %s", line);
	/* shape: 11 visits, 6 residents x 1/12 = 0.5 person-years: 22 a person-year */
	line_of(out, "Visits per person-year", line, sizeof(line));
	if (!strstr(line, "22.000") || !strstr(line, "11 / 0.5 person-years"))
		fail_msg("shape: %s", line);
}

static void test_json(void **state)
{
	static char out[1 << 17];
	json_error_t e;
	json_t *root, *row;
	size_t i;
	bool seen = false;

	(void)state;
	assert_int_equal(report(out, sizeof(out), "--area 440106 --from 2026-02 --to 2026-02"
						    " --json"), 0);
	root = json_loads(out, 0, &e);
	if (!root)
		fail_msg("not JSON (%s): %s", e.text, out);
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "area"),
								 "code")), "440106");
	json_array_foreach(json_object_get(root, "rows"), i, row) {
		json_t *c;
		if (strcmp(json_string_value(json_object_get(row, "id")), "D28") != 0)
			continue;
		c = json_object_get(json_object_get(row, "cells"), "primary");
		assert_int_equal(json_integer_value(json_object_get(c, "numerator")), 600);
		assert_int_equal(json_integer_value(json_object_get(c, "denominator")), 10);
		assert_true(json_number_value(json_object_get(c, "value")) == 60.0);
		seen = true;
	}
	assert_true(seen);
	json_decref(root);
}

static void test_today_moves_the_default_period(void **state)
{
	static char out[1 << 17];

	(void)state;
	assert_int_equal(report(out, sizeof(out), "--today 2026-03-15"), 0);
	assert_non_null(strstr(out, "months 2025-04 to 2026-03 (12), today 2026-03-15"));
	assert_int_equal(report(out, sizeof(out), "--today 2027-01-10"), 0);
	assert_non_null(strstr(out, "months 2026-02 to 2027-01 (12), today 2027-01-10"));
	assert_int_equal(report(out, sizeof(out), "--today 2026-03-15 --from 2026-02"), 0);
	assert_non_null(strstr(out, "months 2026-02 to 2027-01"));
}

static void test_bad_input(void **state)
{
	static char out[1 << 16];
	char args[256];

	(void)state;
	assert_int_equal(report(out, sizeof(out), "--from 2026-13 --to 2026-12"), 65);
	assert_non_null(strstr(out, "from must be a month YYYY-MM, not '2026-13'"));
	assert_int_equal(report(out, sizeof(out), "--area 999999"), 66);
	assert_non_null(strstr(out, "no area with code '999999'"));
	assert_int_equal(report(out, sizeof(out), "--from 2026-05 --to 2026-01"), 65);
	assert_non_null(strstr(out, "before"));
	assert_int_equal(report(out, sizeof(out), "--today 2026-02-30"), 64);
	assert_non_null(strstr(out, "--today"));
	assert_int_equal(report(out, sizeof(out), "--frobnicate"), 64);
	assert_non_null(strstr(out, "unknown option"));
	assert_int_equal(ylt_cli_run(out, sizeof(out), "report --area 440000"), 64);
	assert_non_null(strstr(out, "--db"));
	snprintf(args, sizeof(args), "report --db '%s.missing'", T.path);
	assert_int_not_equal(ylt_cli_run(out, sizeof(out), args), 0);
	assert_non_null(strstr(out, "cannot open database"));
	assert_int_equal(ylt_cli_run(out, sizeof(out), "report --help"), 0);
	assert_non_null(strstr(out, "usage: yilian report"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_today_moves_the_default_period),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
