/* Domain: signing rates against hand-computed numbers. On 2026-03-15, county 440106 has ten
 * residents: township 001 six (3 signed), township 002 four (1 signed); one more lives at the
 * city level (440100, signed). Expired and ended contracts do not count, nor contracts before
 * their start date; age bounds are checked on the exact birthdays (65 today is elderly, 7
 * today is no longer a child). */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "domain/area.h"
#include "domain/contract.h"
#include "domain/population.h"
#include "domain/signing.h"
#include "domain/team.h"

static struct ylt_db T;
static int64_t team;

static void sql(const char *s)
{
	if (yl_store_exec(T.store, s, &T.diag))
		fail_msg("%s: %s", s, T.diag.message);
}

static int64_t last_id(const char *table)
{
	char s[96];
	struct yl_stmt *st;
	bool row;
	int64_t id;

	snprintf(s, sizeof(s), "SELECT max(id) FROM %s", table);
	assert_int_equal(yl_store_prepare(T.store, s, &st, &T.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return id;
}

/* birth as YYYY-MM-DD; tags are the stored bits (population.h). */
static int64_t resident(const char *birth, const char *area, unsigned tags)
{
	static int seq;
	char s[400], idn[19], ymd[9];

	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", birth, birth + 5, birth + 8);
	ylt_id_number(idn, "440106", ymd, ++seq);
	snprintf(s, sizeof(s), "INSERT INTO residents(id_number, name, sex, birth_date,"
		 " home_area_code, insurance, tags, created_at) VALUES ('%s', 'r%d', 'female',"
		 " '%s', '%s', 'resident', %u, 0)", idn, seq, birth, area, tags);
	sql(s);
	return last_id("residents");
}

static void at(const char *date)
{
	int32_t d;

	assert_true(yl_date_parse(date, &d));
	yl_clock_fixed(&T.clock, (int64_t)d * 86400 + 2 * 3600);
}

/* Signs r from start (YYYY-MM-DD, backdated) or, with NULL, from today. */
static int64_t sign_from(int64_t r, const char *start)
{
	struct yl_contract_sign in = {0};
	struct yl_contract out;

	in.resident_id = r;
	in.team_id = team;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	in.has_start = start != NULL;
	if (start)
		assert_true(yl_date_parse(start, &in.start_date));
	if (yl_contract_sign(&T.ctx, &in, &out))
		fail_msg("sign: %s", T.diag.message);
	return out.id;
}

/* The counted contracts started on 2026-01-05 (signed then, or backdated to it). */
static int64_t sign(int64_t r)
{
	return sign_from(r, "2026-01-05");
}

static int setup(void **state)
{
	struct yl_team in = {0};
	struct yl_area empty = {"440103", "荔湾区", NULL, NULL, 0};
	int64_t e2, n1;
	*state = &T;

	ylt_db_open(&T);
	ylt_seed_registry(&T);
	assert_int_equal(yl_area_create(&T.ctx, &empty, NULL), YL_OK);
	sql("INSERT INTO practitioners(name, title, general_practitioner, institution_id,"
	    " created_at) VALUES ('gp', 'attending_physician', 1, 3, 0)");
	in.name = "t";
	in.institution_id = 3;
	in.leader_id = last_id("practitioners");
	assert_int_equal(yl_team_create(&T.ctx, &in, NULL), YL_OK);
	team = last_id("teams");

	/* township 001: six residents, three signed */
	sign(resident("1950-01-01", "440106001", 0));                      /* elderly, signed */
	e2 = resident("1955-06-01", "440106001", 0);                       /* elderly */
	sign(resident("2022-01-01", "440106001", 0));                      /* child, signed */
	sign(resident("1980-05-05", "440106001", YL_TAG_HYPERTENSION));    /* signed */
	resident("1970-05-05", "440106001", YL_TAG_HYPERTENSION | YL_TAG_DIABETES);
	n1 = resident("1990-05-05", "440106001", 0);
	/* township 002: four residents, one signed */
	sign(resident("1985-05-05", "440106002", YL_TAG_DIABETES));        /* signed */
	resident("1961-03-15", "440106002", 0); /* 65 today: elderly */
	resident("2019-03-15", "440106002", 0); /* 7 today: not a child */
	resident("2019-03-16", "440106002", 0); /* 6: child */
	/* the city itself: one resident, signed, outside the county */
	sign(resident("1988-01-01", "440100", YL_TAG_PREGNANT));

	/* contracts that must not count: e2's ended, n1's expired */
	assert_int_equal(yl_contract_end(&T.ctx, sign(e2), "moved", NULL), YL_OK);
	at("2025-03-01");
	sign_from(n1, NULL); /* 2025-03-01 .. 2026-02-28 */
	yl_clock_fixed(&T.clock, YLT_NOW);
	return 0;
}

static const struct yl_signing_count *group(const struct yl_signing *s, const char *name)
{
	for (int i = 0; i < s->ngroups; i++)
		if (strcmp(s->by_population[i].name, name) == 0)
			return &s->by_population[i].count;
	fail_msg("no group %s", name);
	return NULL;
}

static void expect(const struct yl_signing_count *k, int64_t residents, int64_t signed_,
		   double rate)
{
	assert_int_equal(k->residents, residents);
	assert_int_equal(k->signed_, signed_);
	if (residents == 0) {
		assert_false(k->has_rate);
	} else {
		assert_true(k->has_rate);
		assert_true(k->rate > rate - 1e-12 && k->rate < rate + 1e-12);
	}
}

static void test_county_by_population(void **state)
{
	struct yl_signing s;
	(void)state;

	assert_int_equal(yl_signing_rates(&T.ctx, "440106", false, &s), YL_OK);
	assert_string_equal(s.on, "2026-03-15");
	assert_string_equal(s.area_name, "天河区");
	expect(&s.all, 10, 4, 0.4);
	assert_int_equal(s.ngroups, 7);
	assert_string_equal(s.by_population[0].name, "elderly_65");
	expect(group(&s, "elderly_65"), 3, 1, 1.0 / 3.0);
	expect(group(&s, "child_0_6"), 2, 1, 0.5);
	expect(group(&s, "hypertension"), 2, 1, 0.5);
	expect(group(&s, "diabetes"), 2, 1, 0.5);
	expect(group(&s, "pregnant"), 0, 0, 0);
	expect(group(&s, "disabled"), 0, 0, 0);
	expect(group(&s, "low_income"), 0, 0, 0);
	assert_int_equal(s.nchildren, 0);
}

static void test_children_and_levels(void **state)
{
	struct yl_signing s;
	(void)state;

	assert_int_equal(yl_signing_rates(&T.ctx, "440106", true, &s), YL_OK);
	assert_int_equal(s.nchildren, 2);
	assert_string_equal(s.children[0].area_code, "440106001");
	expect(&s.children[0].all, 6, 3, 0.5);
	expect(group(&s.children[0], "elderly_65"), 2, 1, 0.5);
	assert_string_equal(s.children[1].area_code, "440106002");
	expect(&s.children[1].all, 4, 1, 0.25);
	expect(group(&s.children[1], "child_0_6"), 1, 0, 0.0);
	expect(group(&s.children[1], "elderly_65"), 1, 0, 0.0);

	/* the city counts its own residents and everything under it */
	assert_int_equal(yl_signing_rates(&T.ctx, "440100", true, &s), YL_OK);
	expect(&s.all, 11, 5, 5.0 / 11.0);
	expect(group(&s, "pregnant"), 1, 1, 1.0);
	assert_int_equal(s.nchildren, 2); /* 440103 (empty) and 440106 */
	expect(&s.children[0].all, 0, 0, 0);
	expect(&s.children[1].all, 10, 4, 0.4);
	assert_int_equal(yl_signing_rates(&T.ctx, "440000", false, &s), YL_OK);
	expect(&s.all, 11, 5, 5.0 / 11.0);
	assert_int_equal(yl_signing_rates(&T.ctx, "440106002", false, &s), YL_OK);
	expect(&s.all, 4, 1, 0.25);
}

static void test_empty_area_has_no_rate(void **state)
{
	struct yl_signing s;
	(void)state;

	assert_int_equal(yl_signing_rates(&T.ctx, "440103", true, &s), YL_OK);
	expect(&s.all, 0, 0, 0);
	for (int i = 0; i < s.ngroups; i++)
		assert_false(s.by_population[i].count.has_rate);
	assert_int_equal(s.nchildren, 0);
}

static void test_the_clock_decides(void **state)
{
	struct yl_signing s;
	(void)state;

	/* on 2026-02-20 n1's contract was still running and the 1961 birthday not yet reached */
	at("2026-02-20");
	assert_int_equal(yl_signing_rates(&T.ctx, "440106", false, &s), YL_OK);
	expect(&s.all, 10, 5, 0.5);
	expect(group(&s, "elderly_65"), 2, 1, 0.5);
	expect(group(&s, "child_0_6"), 3, 1, 1.0 / 3.0); /* 2019-03-15 is still 6 */
	/* on 2026-01-04 only n1's had started: a contract counts from its start date */
	at("2026-01-04");
	assert_int_equal(yl_signing_rates(&T.ctx, "440106", false, &s), YL_OK);
	expect(&s.all, 10, 1, 0.1);
	expect(group(&s, "elderly_65"), 2, 0, 0.0);
	yl_clock_fixed(&T.clock, YLT_NOW);
}

/* A resident renewed early counts once: the old contract until its end, then the renewal. */
static void test_early_renewal_counts_once(void **state)
{
	struct yl_signing s;
	struct yl_contract out;
	int64_t r, k;
	(void)state;

	at("2025-06-01");
	r = resident("1991-05-05", "440106002", 0);
	k = sign_from(r, NULL); /* 2025-06-01 .. 2026-05-31 */
	yl_clock_fixed(&T.clock, YLT_NOW);
	assert_int_equal(yl_contract_renew(&T.ctx, k, 0, &out), YL_OK);
	assert_string_equal(out.start_date, "2026-06-01");
	assert_int_equal(yl_signing_rates(&T.ctx, "440106002", false, &s), YL_OK);
	expect(&s.all, 5, 2, 0.4);
	at("2026-06-01");
	assert_int_equal(yl_signing_rates(&T.ctx, "440106002", false, &s), YL_OK);
	expect(&s.all, 5, 2, 0.4);
	/* the renewal cancelled: covered until 2026-05-31, not after */
	yl_clock_fixed(&T.clock, YLT_NOW);
	assert_int_equal(yl_contract_end(&T.ctx, out.id, "moved", NULL), YL_OK);
	at("2026-06-01");
	assert_int_equal(yl_signing_rates(&T.ctx, "440106002", false, &s), YL_OK);
	expect(&s.all, 5, 1, 0.2);
	yl_clock_fixed(&T.clock, YLT_NOW);
	assert_int_equal(yl_contract_end(&T.ctx, k, "moved", NULL), YL_OK);
}

static void test_errors(void **state)
{
	struct yl_signing s;
	(void)state;

	assert_int_equal(yl_signing_rates(&T.ctx, "440105", false, &s), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "area_code");
	assert_int_equal(yl_signing_rates(&T.ctx, NULL, false, &s), YL_ERR_MISSING);
	T.actor.role = YL_ROLE_RESIDENT;
	assert_int_equal(yl_signing_rates(&T.ctx, "440106", false, &s), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_INSURER;
	assert_int_equal(yl_signing_rates(&T.ctx, "440106", false, &s), YL_OK);
	T.actor.role = YL_ROLE_ADMIN;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_county_by_population),
		cmocka_unit_test(test_children_and_levels),
		cmocka_unit_test(test_empty_area_has_no_rate),
		cmocka_unit_test(test_the_clock_decides),
		cmocka_unit_test(test_early_renewal_counts_once),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
