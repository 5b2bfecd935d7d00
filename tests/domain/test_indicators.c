/* Domain: indicators from the catalogue and the live aggregates, against values computed by
 * hand from the fixture below; institution, area and consortium answers sum numerators and
 * denominators (never average rates); a zero denominator is null; growth with and without the
 * same period a year earlier; the live aggregates equal a rebuild row by row; a rolled-back
 * write leaves them unchanged.
 *
 * World (clock 2026-03-15): institutions 1 tertiary, 2 secondary, 3 and 4 primary, 5 village
 * (under 3), all in province 440000; 2..5 in county 440106. R1 signed 2025-01-01..2026-12-31,
 * team at 3 + secondary 2 + tertiary 1 (its 1+1+1); R2 not signed. Costs in fen:
 *   E1 R1 outpatient at 3 2026-03-01  drugs 1000 treat 1000 = 2000 (fund 1200, own 800)
 *   E2 R1 outpatient at 1 2026-03-02  drugs 3000 exams 5000 = 8000 (5000, 3000)
 *   E3 R1 emergency  at 4 2026-03-03  drugs 500 = 500 (0, 500)
 *   E4 R2 outpatient at 2 2026-03-04  drugs 2000 treat 2000 = 4000 (2000, 2000)
 *   E5 R2 outpatient at 5 2026-03-05  treat 300 = 300 (300, 0)
 *   E6 R1 inpatient  at 2 2026-03-02  drugs 20000 bed 10000 treat 30000 = 60000 (42000, 18000)
 *   E7 R2 inpatient  at 1 2026-03-05  drugs 50000 other 50000 = 100000 (70000, 30000)
 *   E8 R2 outpatient at 3 2026-03-10  treat 400 = 400 (300, 100)
 *   E9 R2 outpatient at 3 2025-03-20  treat 1000 = 1000 (1000, 0)      a year earlier
 *   E10 R1 outpatient at 3 2026-02-10 drugs 600 = 600 (0, 600)          the month before
 * Referrals requested 2026-03-15: F1 up op 3->1 (rejected), F2 up ip 4->2, F3 down op 1->3
 * (completed), F4 down ip 2->4, F5 up op 2->1. Consortium K: 2 from 2025-01-01, 3 from
 * 2026-03-10, 4 from 2025-01-01 to 2026-03-01 (left).
 */
#include "yltest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "domain/encounter.h"
#include "domain/indicator.h"
#include "domain/measure.h"
#include "domain/referral.h"
#include "ylt_booking.h"
#include "ylt_indicator.h"

static struct ylt_db T;
static int64_t R1, R2, K;
static const char *DX[] = {"I10"};

static void enc(const char *kind, int64_t res, int64_t inst, const char *date,
		struct yl_encounter_costs k, int64_t fund, int64_t own)
{
	struct yl_encounter e = {0};
	enum yl_err err;

	e.kind = kind;
	e.resident_id = res;
	e.institution_id = inst;
	e.visit_date = date;
	e.diagnoses = DX;
	e.ndiagnoses = 1;
	e.costs = k;
	e.fund_paid = fund;
	e.out_of_pocket = own;
	err = yl_encounter_create(&T.ctx, &e, NULL);
	if (err)
		fail_msg("encounter: %s %s", T.diag.field, T.diag.message);
}

static int setup(void **state)
{
	struct yl_referral_accept acc = {0};
	int64_t f1, f3, team;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	R1 = yltb_residents(&T, 2);
	R2 = R1 + 1;
	team = yltb_team(&T, 3, false);
	yltb_contract(&T, R1, team, "2025-01-01", "2026-12-31");
	yltb_exec(&T, "INSERT INTO consortia(code, name, kind, lead_institution_id, created_at)"
		  " VALUES ('K', 'k', 'county_community', 2, 0)");
	K = yltb_scalar(&T, "SELECT max(id) FROM consortia");
	yltb_exec(&T, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on,"
		  " left_on, created_at) VALUES (%lld, 2, '2025-01-01', NULL, 0), (%lld, 3,"
		  " '2026-03-10', NULL, 0), (%lld, 4, '2025-01-01', '2026-03-01', 0)",
		  (long long)K, (long long)K, (long long)K);
	enc("outpatient", R1, 3, "2026-03-01", (struct yl_encounter_costs){1000, 0, 0, 1000, 0, 0},
	    1200, 800);
	enc("outpatient", R1, 1, "2026-03-02", (struct yl_encounter_costs){3000, 0, 5000, 0, 0, 0},
	    5000, 3000);
	enc("emergency", R1, 4, "2026-03-03", (struct yl_encounter_costs){500, 0, 0, 0, 0, 0}, 0,
	    500);
	enc("outpatient", R2, 2, "2026-03-04", (struct yl_encounter_costs){2000, 0, 0, 2000, 0, 0},
	    2000, 2000);
	enc("outpatient", R2, 5, "2026-03-05", (struct yl_encounter_costs){0, 0, 0, 300, 0, 0}, 300,
	    0);
	enc("inpatient", R1, 2, "2026-03-02",
	    (struct yl_encounter_costs){20000, 0, 0, 30000, 10000, 0}, 42000, 18000);
	enc("inpatient", R2, 1, "2026-03-05", (struct yl_encounter_costs){50000, 0, 0, 0, 0, 50000},
	    70000, 30000);
	enc("outpatient", R2, 3, "2026-03-10", (struct yl_encounter_costs){0, 0, 0, 400, 0, 0}, 300,
	    100);
	enc("outpatient", R2, 3, "2025-03-20", (struct yl_encounter_costs){0, 0, 0, 1000, 0, 0},
	    1000, 0);
	enc("outpatient", R1, 3, "2026-02-10", (struct yl_encounter_costs){600, 0, 0, 0, 0, 0}, 0,
	    600);
	f1 = ylt_referral(&T, "up", "outpatient", R1, 3, 1);
	ylt_referral(&T, "up", "inpatient", R2, 4, 2);
	f3 = ylt_referral(&T, "down", "outpatient", R1, 1, 3);
	ylt_referral(&T, "down", "inpatient", R2, 2, 4);
	ylt_referral(&T, "up", "outpatient", R2, 2, 1);
	assert_int_equal(yl_referral_reject(&T.ctx, f1, "full", NULL), YL_OK);
	assert_int_equal(yl_referral_accept(&T.ctx, f3, &acc, NULL), YL_OK);
	assert_int_equal(yl_referral_arrive(&T.ctx, f3, NULL), YL_OK);
	assert_int_equal(yl_referral_complete(&T.ctx, f3, NULL), YL_OK);
	ylt_commit(&T);
	return 0;
}

static struct ylt_ind IND;

/* Expects growth (percent, rounded) or, when growth < -1000, none with the missing note. */
static void expect_growth(const char *id, double growth)
{
	const struct yl_indicator_result *r = ylt_ind_find(&IND, id);

	assert_true(r->def->growth);
	if (growth < -1000) {
		assert_false(r->has_growth);
		assert_string_equal(r->growth_note, "no data for the same period a year earlier");
		return;
	}
	assert_true(r->has_growth);
	if (fabs(yl_indicator_round(r->growth) - growth) > 1e-9)
		fail_msg("%s: growth %.6f, expected %.2f", id, r->growth, growth);
}

static void test_county_area(void **state)
{
	(void)state;
	ylt_ind_query(&T, &IND, 0, 0, "440106", "2026-03", "2026-03");
	/* Visits at 2,3,4,5: E1 E3 E4 E5 E8; primary: E1 E3 E5 E8 (village counts as primary). */
	ylt_ind_expect(&IND, "A3", 4, 5, 80.00);
	ylt_ind_expect(&IND, "A4", 4, 5, 80.00);
	/* Signed: E1 (at 3, in the combination), E3 (at 4, outside it); both primary. */
	ylt_ind_expect(&IND, "C4", 1, 2, 50.00);
	ylt_ind_expect(&IND, "C5", 2, 2, 100.00);
	/* 2000 + 500 + 4000 + 300 + 400 = 7200 fen over 5 visits; drugs 1000+500+2000 = 3500. */
	ylt_ind_expect(&IND, "D28", 7200, 5, 1440.00);
	ylt_ind_expect(&IND, "D29", 3500, 5, 700.00);
	ylt_ind_expect(&IND, "D30", 60000, 1, 60000.00);
	ylt_ind_expect(&IND, "D31", 20000, 1, 20000.00);
	/* All kinds: cost 67200, drugs 23500, own 21400, fund 45800. */
	ylt_ind_expect(&IND, "drug_share", 23500, 67200, 34.97);
	ylt_ind_expect(&IND, "oop_share", 21400, 67200, 31.85);
	ylt_ind_expect(&IND, "fund_share", 45800, 67200, 68.15);
	/* Senders in the county: F1 (3, up op), F2 (4, up ip), F4 (2, down ip), F5 (2, up op
	 * from secondary: not a primary up-referral). F3 was sent from 1, outside. */
	ylt_ind_expect(&IND, "B1.op", 0, 0, 0);
	ylt_ind_expect(&IND, "B1.ip", 1, 0, 1);
	ylt_ind_expect(&IND, "B2.op", 1, 0, 1);
	ylt_ind_expect(&IND, "B2.ip", 1, 0, 1);
	ylt_ind_expect(&IND, "B3", 2, 4, 50.00);
	ylt_ind_expect(&IND, "B7", 0, 4, 0.00);
	ylt_ind_expect(&IND, "D2", 1, 0, 1);
	/* A year earlier the county had E9 only: 1000 fen for 1 visit; no admission. */
	expect_growth("D28", 44.00);
	expect_growth("D30", -2000);
	expect_growth("B4", -2000);
}

static void test_province_sums_not_averages(void **state)
{
	(void)state;
	ylt_ind_query(&T, &IND, 0, 0, "440000", "2026-03", "2026-03");
	/* Six visits, four at primary: 66.67 %, while the mean of the five institutions' rates
	 * (0, 0, 100, 100, 100) would be 60 %. */
	ylt_ind_expect(&IND, "A3", 4, 6, 66.67);
	ylt_ind_expect(&IND, "C4", 2, 3, 66.67);
	ylt_ind_expect(&IND, "C5", 2, 3, 66.67);
	ylt_ind_expect(&IND, "D28", 15200, 6, 2533.33);
	ylt_ind_expect(&IND, "D30", 160000, 2, 80000.00);
	ylt_ind_expect(&IND, "B1.op", 1, 0, 1);
	ylt_ind_expect(&IND, "B7", 1, 5, 20.00);
	ylt_ind_expect(&IND, "D2", 2, 0, 2);
	ylt_ind_expect(&IND, "B3", 2, 4, 50.00);
}

static void test_institution_months_and_zero(void **state)
{
	(void)state;
	ylt_ind_query(&T, &IND, 3, 0, NULL, "2026-03", "2026-03");
	ylt_ind_expect(&IND, "A3", 2, 2, 100.00);
	ylt_ind_expect(&IND, "C4", 1, 1, 100.00);
	ylt_ind_expect(&IND, "D28", 2400, 2, 1200.00);
	ylt_ind_expect(&IND, "D30", 0, 0, -1); /* no admission at 3: not computable, never 0 */
	expect_growth("D28", 20.00); /* 1200 against E9's 1000 */
	assert_non_null(ylt_ind_find(&IND, "D30")->growth_note);
	assert_false(ylt_ind_find(&IND, "D30")->has_growth);
	/* Two months sum: E10 (600, signed, in combination) joins. */
	ylt_ind_query(&T, &IND, 3, 0, NULL, "2026-02", "2026-03");
	ylt_ind_expect(&IND, "D28", 3000, 3, 1000.00);
	ylt_ind_expect(&IND, "C4", 2, 2, 100.00);
	/* Institution 4: R1 signed but outside the combination; 5: nobody signed. */
	ylt_ind_query(&T, &IND, 4, 0, NULL, "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C4", 0, 1, 0.00);
	ylt_ind_query(&T, &IND, 5, 0, NULL, "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C4", 0, 0, -1);
	/* A month with nothing at all. */
	ylt_ind_query(&T, &IND, 0, 0, "440000", "2024-01", "2024-01");
	ylt_ind_expect(&IND, "A3", 0, 0, -1);
	ylt_ind_expect(&IND, "B1.ip", 0, 0, 0);
}

static void test_consortium_by_membership(void **state)
{
	(void)state;
	/* March: 2 and 3 (joined on the 10th: a member on a day of March); 4 left on 03-01. */
	ylt_ind_query(&T, &IND, 0, K, NULL, "2026-03", "2026-03");
	ylt_ind_expect(&IND, "A3", 2, 3, 66.67);
	ylt_ind_expect(&IND, "D28", 6400, 3, 2133.33);
	ylt_ind_expect(&IND, "D30", 60000, 1, 60000.00);
	/* 2025-03: members 2 and 4; E9 at 3 does not count. */
	expect_growth("D28", -2000);
	/* February: 3 not yet, so E10 is out; 4 was a member but saw nobody. */
	ylt_ind_query(&T, &IND, 0, K, NULL, "2026-02", "2026-03");
	ylt_ind_expect(&IND, "D28", 6400, 3, 2133.33);
}

static void test_errors(void **state)
{
	struct yl_indicator_query q = {0};

	(void)state;
	q.from = "2026-03";
	q.to = "2026-03";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_MISSING);
	assert_string_equal(T.diag.field, "scope");
	q.institution_id = 3;
	q.area_code = "440106";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_INVALID);
	q.area_code = NULL;
	q.to = "2026-13";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "to");
	q.to = "2025-12";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_INVALID);
	q.to = "2031-03";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_INVALID);
	q.to = "2026-03";
	q.institution_id = 99;
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "institution_id");
	q.institution_id = 3;
	q.id = "Z9";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_NOT_FOUND);
	q.id = "C4";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_OK);
	assert_int_equal(IND.n, 1);
	T.actor.role = YL_ROLE_RESIDENT;
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_ADMIN;
}

/* Every row of measure_agg, in key order, as text. */
static char *snapshot(void)
{
	struct yl_buf b;
	struct yl_stmt *st;
	bool row;

	yl_buf_init(&b);
	assert_int_equal(yl_store_prepare(T.store, "SELECT measure, institution_id, month,"
						   " resident_county, value FROM measure_agg"
						   " ORDER BY 1, 2, 3, 4", &st, &T.diag), YL_OK);
	while (yl_stmt_step(st, &row, &T.diag) == YL_OK && row)
		yl_buf_addf(&b, "%s|%lld|%s|%s|%lld\n", yl_stmt_text(st, 0),
			    (long long)yl_stmt_int(st, 1), yl_stmt_text(st, 2), yl_stmt_text(st, 3),
			    (long long)yl_stmt_int(st, 4));
	yl_stmt_reset(st);
	return yl_buf_detach(&b, NULL);
}

static void test_live_equals_rebuild(void **state)
{
	char *live, *rebuilt;
	int64_t rows = 0;

	(void)state;
	live = snapshot();
	assert_non_null(strstr(live, "ref_completed|1|2026-03|440106|1\n"));
	assert_non_null(strstr(live, "opem_visits_signed_combo|3|2026-02|440106|1\n"));
	ylt_begin(&T);
	assert_int_equal(yl_measure_rebuild(&T.ctx, &rows), YL_OK);
	ylt_commit(&T);
	rebuilt = snapshot();
	assert_string_equal(live, rebuilt);
	assert_int_equal(rows, ylt_count(&T, "measure_agg"));
	free(live);
	free(rebuilt);
}

static void test_rollback_leaves_aggregates(void **state)
{
	char *before, *after;

	(void)state;
	before = snapshot();
	ylt_begin(&T);
	enc("outpatient", R1, 3, "2026-03-12", (struct yl_encounter_costs){10, 0, 0, 0, 0, 0}, 0,
	    10);
	ylt_rollback(&T);
	after = snapshot();
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* A non-admin may not rebuild. */
	T.actor.role = YL_ROLE_REGULATOR;
	ylt_begin(&T);
	assert_int_equal(yl_measure_rebuild(&T.ctx, NULL), YL_ERR_FORBIDDEN);
	ylt_rollback(&T);
	T.actor.role = YL_ROLE_ADMIN;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_county_area),
		cmocka_unit_test(test_province_sums_not_averages),
		cmocka_unit_test(test_institution_months_and_zero),
		cmocka_unit_test(test_consortium_by_membership),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_live_equals_rebuild),
		cmocka_unit_test(test_rollback_leaves_aggregates),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
