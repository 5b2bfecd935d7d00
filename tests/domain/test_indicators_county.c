/* Domain: the indicators that are not sums over the institutions of a scope (indicator.h,
 * scope kinds): A1, A2 and A8 over the residents of a county (visits inside and outside their
 * own county), the median days from referral to visit (odd and even counts, local dates),
 * and the signing stocks C1 and C2 on the period's last day (equal to the signing module's
 * counts, key population deduplicated); every value computed by hand below, zero
 * denominators null, and scopes where an indicator is not defined null with a note.
 *
 * World (clock 2026-03-15): the registry of yltest.h plus county 440111 (township 440111001,
 * primary institution 6) and an empty county 440112. Institution 1 is registered at city
 * level (440100), inside no county. Residents (home, birth, tags, contract):
 *   P 440106001 1990 -           signed 2025-01-01..2026-12-31
 *   Q 440111001 1990 -           not signed
 *   R 440106001 1950 hypertension signed 2025-01-01..2026-12-31
 *   S 440106001 2022 -           not signed (a child)
 *   U 440106002 1980 diabetes+disabled, not signed
 *   V 440111001 1955 -           signed 2026-03-01..2027-02-28
 * Encounters (fen; fund paid):
 *   P op at 3, op at 4 (inside 440106; fund 100, 200); em at 1, op at 6 (outside; 1000, 0);
 *   P ip at 2 (inside; 5000), ip at 1 (outside; 20000);
 *   Q op at 6 (inside 440111; 300), op at 2 (outside; 400), ip at 6 (inside; 2000), all March;
 *   Q op at 6 on 2026-02-10 (inside; 100).
 * Referrals (down, outpatient, resident P), days from request to arrival in local dates:
 *   from 1: 1, 3 (completed), 10, one accepted only, one rejected, all requested 03-02; one
 *   requested 02-27 that arrived after 5 days;
 *   from 2: requested 03-05 23:00, arrived 03-06 01:00 (1 day); requested 03-02, 6 days.
 */
#include "yltest.h"

#include "domain/area.h"
#include "domain/encounter.h"
#include "domain/indicator.h"
#include "domain/referral.h"
#include "domain/signing.h"
#include "domain/signing_stock.h"
#include "ylt_booking.h"
#include "ylt_indicator.h"

enum { P = 1, Q, R, S, U, V };
static struct ylt_db T;
static int64_t K;
static const char *DX[] = {"I10"};
static const int64_t DAY = 86400;
/* 2026-03-02 10:00 Asia/Shanghai */
static const int64_t B = YLT_NOW - 13 * 86400;

static void resident(int id, const char *home, const char *birth, int tags)
{
	yltb_exec(&T, "INSERT INTO residents(id, id_number, name, sex, birth_date, home_area_code,"
		  " insurance, tags, created_at) VALUES (%d, '4401061990%08d', 'r', 'male', '%s',"
		  " '%s', 'resident', %d, 0)", id, id, birth, home, tags);
}

/* One encounter whose cost is all treatment: fund + own. */
static void enc(const char *kind, int64_t res, int64_t inst, const char *date, int64_t fund,
		int64_t own)
{
	struct yl_encounter e = {0};

	e.kind = kind;
	e.resident_id = res;
	e.institution_id = inst;
	e.visit_date = date;
	e.diagnoses = DX;
	e.ndiagnoses = 1;
	e.costs.treatment = fund + own;
	e.fund_paid = fund;
	e.out_of_pocket = own;
	if (yl_encounter_create(&T.ctx, &e, NULL))
		fail_msg("encounter: %s %s", T.diag.field, T.diag.message);
}

/* A down-referral of P from `from` to 3 requested at req; accepted then; arrived at arr
 * (0: never); completed when asked; rejected instead when arr < 0. */
static void ref(int64_t from, int64_t req, int64_t arr, bool complete)
{
	struct yl_referral_accept acc = {0};
	int64_t id;

	yl_clock_fixed(&T.clock, req);
	id = ylt_referral(&T, "down", "outpatient", P, from, 3);
	if (arr < 0) {
		assert_int_equal(yl_referral_reject(&T.ctx, id, "full", NULL), YL_OK);
		return;
	}
	assert_int_equal(yl_referral_accept(&T.ctx, id, &acc, NULL), YL_OK);
	if (!arr)
		return;
	yl_clock_fixed(&T.clock, arr);
	assert_int_equal(yl_referral_arrive(&T.ctx, id, NULL), YL_OK);
	if (complete)
		assert_int_equal(yl_referral_complete(&T.ctx, id, NULL), YL_OK);
}

static int setup(void **state)
{
	static const struct yl_area areas[] = {
		{"440111", "白云区", NULL, NULL, 0},
		{"440111001", "白云街道", NULL, NULL, 0},
		{"440112", "黄埔区", NULL, NULL, 0},
	};
	int64_t team;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		assert_int_equal(yl_area_create(&T.ctx, &areas[i], NULL), YL_OK);
	yltb_exec(&T, "INSERT INTO institutions(id, code, name, level, kind, area_code, beds,"
		  " created_at) VALUES (6, 'C-BAIYUN', '白云社区卫生服务中心', 'primary', 'general',"
		  " '440111001', 20, 0)");
	resident(P, "440106001", "1990-01-01", 0);
	resident(Q, "440111001", "1990-01-01", 0);
	resident(R, "440106001", "1950-05-05", 1);
	resident(S, "440106001", "2022-06-01", 0);
	resident(U, "440106002", "1980-01-01", 2 | 8);
	resident(V, "440111001", "1955-01-01", 0);
	team = yltb_team(&T, 3, false);
	yltb_contract(&T, P, team, "2025-01-01", "2026-12-31");
	yltb_contract(&T, R, team, "2025-01-01", "2026-12-31");
	yltb_contract(&T, V, team, "2026-03-01", "2027-02-28");
	yltb_exec(&T, "INSERT INTO consortia(code, name, kind, lead_institution_id, created_at)"
		  " VALUES ('K', 'k', 'county_community', 2, 0)");
	K = yltb_scalar(&T, "SELECT max(id) FROM consortia");
	yltb_exec(&T, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on,"
		  " left_on, created_at) VALUES (%lld, 2, '2025-01-01', NULL, 0)", (long long)K);

	enc("outpatient", P, 3, "2026-03-01", 100, 0);
	enc("outpatient", P, 4, "2026-03-02", 200, 100);
	enc("emergency", P, 1, "2026-03-03", 1000, 0);
	enc("outpatient", P, 6, "2026-03-04", 0, 50);
	enc("inpatient", P, 2, "2026-03-02", 5000, 3000);
	enc("inpatient", P, 1, "2026-03-05", 20000, 10000);
	enc("outpatient", Q, 6, "2026-03-01", 300, 0);
	enc("outpatient", Q, 2, "2026-03-06", 400, 100);
	enc("inpatient", Q, 6, "2026-03-07", 2000, 0);
	enc("outpatient", Q, 6, "2026-02-10", 100, 0);

	ref(1, B, B + 1 * DAY, false);
	ref(1, B, B + 3 * DAY, true);
	ref(1, B, B + 10 * DAY, false);
	ref(1, B, 0, false);
	ref(1, B, -1, false);
	ref(1, B - 3 * DAY, B + 2 * DAY, false);
	ref(2, B + 3 * DAY + 13 * 3600, B + 3 * DAY + 15 * 3600, false);
	ref(2, B, B + 6 * DAY, false);
	yl_clock_fixed(&T.clock, YLT_NOW);
	/* Residents and contracts went in by plain SQL, past the live hooks, as a bulk load
	 * would: the signing stocks are rebuilt once, as an importer would after its file. */
	assert_int_equal(yl_signing_stock_rebuild(&T.ctx, NULL), YL_OK);
	ylt_commit(&T);
	return 0;
}

static struct ylt_ind IND;

static void expect_note(const char *id, const char *note)
{
	const struct yl_indicator_result *r = ylt_ind_find(&IND, id);

	assert_false(r->cur.has_value);
	assert_string_equal(r->note, note);
}

static void test_resident_county(void **state)
{
	(void)state;
	ylt_ind_query(&T, &IND, 0, 0, "440106", "2026-03", "2026-03");
	/* P: 4 visits, 2 inside (at 3 and 4); Q's visit at 2 is inside 440106 but Q is not its
	 * resident. 2 admissions, 1 inside. Fund 100+200+5000 inside of 26300. */
	ylt_ind_expect(&IND, "A1", 2, 4, 50.00);
	ylt_ind_expect(&IND, "A2", 1, 2, 50.00);
	ylt_ind_expect(&IND, "A8", 5300, 26300, 20.15);
	/* The institution-scope A3 of the same area counts visits at 2, 3, 4 instead. */
	ylt_ind_expect(&IND, "A3", 2, 3, 66.67);
	ylt_ind_query(&T, &IND, 0, 0, "440111", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "A1", 1, 2, 50.00);
	ylt_ind_expect(&IND, "A2", 1, 1, 100.00);
	ylt_ind_expect(&IND, "A8", 2300, 2700, 85.19);
	/* A city sums over its counties: P at 6 is inside the city but outside P's county. */
	ylt_ind_query(&T, &IND, 0, 0, "440100", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "A1", 3, 6, 50.00);
	ylt_ind_expect(&IND, "A2", 2, 3, 66.67);
	ylt_ind_expect(&IND, "A8", 7600, 29000, 26.21);
	ylt_ind_query(&T, &IND, 0, 0, "440000", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "A1", 3, 6, 50.00);
	/* February: Q's one visit, inside; no admission anywhere: null, never 0. */
	ylt_ind_query(&T, &IND, 0, 0, "440111", "2026-02", "2026-02");
	ylt_ind_expect(&IND, "A1", 1, 1, 100.00);
	ylt_ind_expect(&IND, "A2", 0, 0, -1);
	ylt_ind_query(&T, &IND, 0, 0, "440112", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "A1", 0, 0, -1);
	ylt_ind_expect(&IND, "A8", 0, 0, -1);
	/* Not defined for an institution, a consortium or a township. */
	ylt_ind_query(&T, &IND, 3, 0, NULL, "2026-03", "2026-03");
	expect_note("A1", "defined for an area scope only: the residents of its counties");
	ylt_ind_query(&T, &IND, 0, K, NULL, "2026-03", "2026-03");
	expect_note("A2", "defined for an area scope only: the residents of its counties");
	ylt_ind_query(&T, &IND, 0, 0, "440106001", "2026-03", "2026-03");
	expect_note("A8", "defined for a county or an area above it, not a township");
}

static void test_median_days(void **state)
{
	const struct yl_indicator_result *r;

	(void)state;
	/* From 1 in March: 1, 3, 10 (odd); the accepted and the rejected ones never arrived. */
	ylt_ind_query(&T, &IND, 1, 0, NULL, "2026-03", "2026-03");
	r = ylt_ind_find(&IND, "ref_days");
	assert_string_equal(r->def->scope_kind, "event");
	assert_string_equal(r->def->unit, "天");
	ylt_ind_expect(&IND, "ref_days", 3, 0, 3.00);
	/* With February's 5 days: 1, 3, 5, 10 (even): (3 + 5) / 2. */
	ylt_ind_query(&T, &IND, 1, 0, NULL, "2026-02", "2026-03");
	ylt_ind_expect(&IND, "ref_days", 4, 0, 4.00);
	/* From 2: 1 (23:00 to 01:00 crosses a local date) and 6: 3.5. */
	ylt_ind_query(&T, &IND, 2, 0, NULL, "2026-03", "2026-03");
	ylt_ind_expect(&IND, "ref_days", 2, 0, 3.50);
	ylt_ind_query(&T, &IND, 0, 0, "440106", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "ref_days", 2, 0, 3.50);
	ylt_ind_query(&T, &IND, 0, K, NULL, "2026-03", "2026-03");
	ylt_ind_expect(&IND, "ref_days", 2, 0, 3.50);
	/* Everything: 1, 1, 3, 6, 10. */
	ylt_ind_query(&T, &IND, 0, 0, "440000", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "ref_days", 5, 0, 3.00);
	/* Nothing sent from 3. */
	ylt_ind_query(&T, &IND, 3, 0, NULL, "2026-03", "2026-03");
	expect_note("ref_days", "no referral with an arrival in this period");
	assert_int_equal(ylt_ind_find(&IND, "ref_days")->cur.numerator, 0);
}

static void expect_signing(const char *area, const struct yl_signing *sg)
{
	const struct yl_indicator_result *c1 = ylt_ind_find(&IND, "C1");
	int64_t tagged = 0;

	assert_int_equal(c1->cur.numerator, sg->all.signed_);
	assert_int_equal(c1->cur.denominator, sg->all.residents);
	assert_string_equal(c1->as_of, sg->on);
	for (int i = 0; i < sg->ngroups; i++)
		tagged += sg->by_population[i].count.residents;
	/* C2 counts persons: never more than the per-tag counts added up. */
	assert_true(ylt_ind_find(&IND, "C2")->cur.denominator <= tagged);
	(void)area;
}

static void test_signing_stocks(void **state)
{
	struct yl_signing sg;
	int64_t tagged = 0;

	(void)state;
	/* March ends after today: counted on 2026-03-15. P, R, S, U; P and R signed. Key persons
	 * R (65+, hypertension), S (child), U (diabetes, disabled): 3, of whom R is signed. */
	ylt_ind_query(&T, &IND, 0, 0, "440106", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C1", 2, 4, 50.00);
	ylt_ind_expect(&IND, "C2", 1, 3, 33.33);
	assert_string_equal(ylt_ind_find(&IND, "C1")->as_of, "2026-03-15");
	assert_int_equal(yl_signing_rates(&T.ctx, "440106", false, &sg), YL_OK);
	expect_signing("440106", &sg);
	for (int i = 0; i < sg.ngroups; i++)
		tagged += sg.by_population[i].count.residents;
	assert_int_equal(tagged, 5); /* R and U count twice there */
	ylt_ind_query(&T, &IND, 0, 0, "440111", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C1", 1, 2, 50.00);
	ylt_ind_expect(&IND, "C2", 1, 1, 100.00);
	assert_int_equal(yl_signing_rates(&T.ctx, "440111", false, &sg), YL_OK);
	expect_signing("440111", &sg);
	/* The end of February: V's contract starts on 03-01. */
	ylt_ind_query(&T, &IND, 0, 0, "440111", "2026-01", "2026-02");
	ylt_ind_expect(&IND, "C1", 0, 2, 0.00);
	ylt_ind_expect(&IND, "C2", 0, 1, 0.00);
	assert_string_equal(ylt_ind_find(&IND, "C2")->as_of, "2026-02-28");
	ylt_ind_query(&T, &IND, 0, 0, "440100", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C1", 3, 6, 50.00);
	ylt_ind_expect(&IND, "C2", 2, 4, 50.00);
	ylt_ind_query(&T, &IND, 0, 0, "440106001", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C1", 2, 3, 66.67);
	ylt_ind_expect(&IND, "C2", 1, 2, 50.00);
	/* Nobody lives in 440112: null. */
	ylt_ind_query(&T, &IND, 0, 0, "440112", "2026-03", "2026-03");
	ylt_ind_expect(&IND, "C1", 0, 0, -1);
	ylt_ind_expect(&IND, "C2", 0, 0, -1);
	/* Not defined for an institution or a consortium, nor for a period after today. */
	ylt_ind_query(&T, &IND, 3, 0, NULL, "2026-03", "2026-03");
	expect_note("C1", "defined for an area scope only: the residents living in it");
	ylt_ind_query(&T, &IND, 0, K, NULL, "2026-03", "2026-03");
	expect_note("C2", "defined for an area scope only: the residents living in it");
	ylt_ind_query(&T, &IND, 0, 0, "440106", "2026-05", "2026-06");
	expect_note("C1", "the period starts after today");
}

static void test_one_id(void **state)
{
	struct yl_indicator_query q = {0};

	(void)state;
	q.area_code = "440106";
	q.from = "2026-03";
	q.to = "2026-03";
	q.id = "C2";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_OK);
	assert_int_equal(IND.n, 1);
	ylt_ind_expect(&IND, "C2", 1, 3, 33.33);
	q.id = "A8";
	assert_int_equal(yl_indicator_compute(&T.ctx, &q, &IND.res, &IND.n), YL_OK);
	assert_int_equal(IND.n, 1);
	ylt_ind_expect(&IND, "A8", 5300, 26300, 20.15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resident_county),
		cmocka_unit_test(test_median_days),
		cmocka_unit_test(test_signing_stocks),
		cmocka_unit_test(test_one_id),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
