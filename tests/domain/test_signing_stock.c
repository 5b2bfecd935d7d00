/* Domain: the live aggregates of C1 and C2 (signing_stock.h) along a scripted history written
 * through the domain with the clock stepped forward: the four counts on chosen days against
 * numbers counted by hand below, past months included (history-aware); after every write the
 * live counts equal the direct count (yl_signing_count_on) on every day from 2024-12-01 to
 * 2028-03-31 in five areas, and the table equals a rebuild row for row; a rolled-back write
 * leaves it unchanged; with live aggregates off the table is marked stale, reads fall back to
 * the direct count, and a rebuild clears the mark; so is a database upgraded to migration 7
 * with residents in it.
 *
 * World: the registry of yltest.h (county 440106, townships T1 = 440106001, T2 = 440106002).
 * Residents (birth, home, stored tags):
 *   A 1980-05-05 T1 -              not key in 2025-2026 (aged 44-46)
 *   B 1961-06-10 T1 -              65 on 2026-06-10
 *   C 2019-04-20 T1 -              7 on 2026-04-20 (key, as a child, until 2026-04-19)
 *   D 1990-01-01 T2 - ; hypertension from step 12 (then key for its whole life)
 *   E 1985-03-03 T1 ; moves to T2 at step 11 (its whole history moves)
 *   F 2026-02-10 T1 -              registered 2026-02-15
 *   G 1950-02-01 T2 diabetes       never signed
 *   L 2020-02-29 440100 -          7 on 2027-03-01 (no 29 February in 2027)
 *   M 1960-02-29 440100 -          65 on 2025-03-01; never signed
 *   N 1970-07-07 440100 -          two contracts covering the same days
 * Writes (the day is the clock's):
 *   1 2025-01-01 sign A 2025-01-01..2025-12-31     2 2025-01-01 sign B, same term
 *   3 2025-06-01 sign E 2025-06-01..2026-05-31     4 2025-11-15 renew A early: 2026-01-01..12-31
 *   5 2026-01-05 sign D 2026-01-05..2027-01-04     6 2026-01-10 sign B again ..2027-01-09
 *   7 2026-02-01 sign C ..2027-01-31               8 2026-02-15 register F, sign it backdated
 *     from 2026-01-20 (..2027-01-19): covered from its birth on 2026-02-10
 *   9 2026-03-01 sign L for 2 years ..2028-02-29  10 2026-03-10 end D (covered until 03-09)
 *  11 2026-03-20 change A's renewal to team 2 (old ended_on 03-20, new 03-20..2026-12-31)
 *  12 2026-04-01 E moves to T2                    13 2026-04-05 D gets hypertension
 *  14 2026-05-01 sign N ..2027-04-30              15 2026-05-10 end N (covered until 05-09)
 *  16 2026-05-10 sign N again, backdated from 2026-05-05 (..2027-05-04): 05-05..05-09 are
 *     covered twice, N counts once
 * Counted by hand in the final state for county 440106 (residents, signed, key, signed_key):
 *   2025-12-31  6 3 3 0  A B E signed; key C (6), D (tagged now), G
 *   2026-01-01  6 2 3 0  A once (its renewal starts the day after), B's gap, E
 *   2026-01-05  6 3 3 1  D signed and key
 *   2026-01-31  6 4 3 1  B again from 01-10
 *   2026-02-09  6 5 3 2  C from 02-01
 *   2026-02-10  7 6 4 3  F born, signed and a child
 *   2026-02-28  7 6 4 3  D still counted for February
 *   2026-03-10  7 5 4 2  D ended
 *   2026-03-20  7 5 4 2  A once across the change of team
 *   2026-04-19  7 5 4 2  C still 6
 *   2026-04-20  7 5 3 1  C is 7
 *   2026-04-30  7 5 3 1  D not counted for April
 *   2026-06-01  7 4 3 1  E's term is over
 *   2026-06-10  7 4 4 2  B is 65, mid-contract
 */
#include "yltest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/contract.h"
#include "domain/indicator.h"
#include "domain/population.h"
#include "domain/resident.h"
#include "domain/signing.h"
#include "domain/signing_stock.h"
#include "domain/team.h"
#include "ylt_booking.h"

static struct ylt_db T;
static int64_t team1, team2;
static int64_t A, B, C, D, E, F, G, L, M, N;
static const char *const AREAS[] = {"440000", "440100", "440106", "440106001", "440106002"};

static int32_t day_of(const char *date)
{
	int32_t d;

	if (!yl_date_parse(date, &d))
		fail_msg("bad date %s", date);
	return d;
}

/* The clock at 10:00 Asia/Shanghai on date. */
static void at(const char *date)
{
	yl_clock_fixed(&T.clock, (int64_t)day_of(date) * 86400 + 2 * 3600);
}

static int64_t resident(const char *birth, const char *area, unsigned tags)
{
	static int seq;
	struct yl_resident in = {0}, out;
	char idn[19], ymd[9];

	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", birth, birth + 5, birth + 8);
	ylt_id_number(idn, "440106", ymd, ++seq);
	in.id_number = idn;
	in.name = "r";
	in.home_area_code = area;
	in.tags = tags;
	if (yl_resident_create(&T.ctx, &in, &out))
		fail_msg("resident: %s %s", T.diag.field, T.diag.message);
	return out.id;
}

static int64_t sign(int64_t r, const char *start, int years)
{
	struct yl_contract_sign in = {0};
	struct yl_contract out;

	in.resident_id = r;
	in.team_id = team1;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	in.has_start = true;
	in.start_date = day_of(start);
	in.term_years = years;
	if (yl_contract_sign(&T.ctx, &in, &out))
		fail_msg("sign: %s %s", T.diag.field, T.diag.message);
	return out.id;
}

static int64_t make_team(int64_t inst)
{
	struct yl_team in = {0};

	yltb_exec(&T, "INSERT INTO practitioners(name, title, general_practitioner, institution_id,"
		  " created_at) VALUES ('gp', 'attending_physician', 1, %lld, 0)", (long long)inst);
	in.name = "t";
	in.institution_id = inst;
	in.leader_id = yltb_scalar(&T, "SELECT max(id) FROM practitioners");
	in.capacity = 100;
	assert_int_equal(yl_team_create(&T.ctx, &in, NULL), YL_OK);
	return yltb_scalar(&T, "SELECT max(id) FROM teams");
}

/* Every row of signing_stock, in key order, as text (caller frees). */
static char *snapshot(void)
{
	struct yl_buf b;
	struct yl_stmt *st;
	bool row;

	yl_buf_init(&b);
	assert_int_equal(yl_store_prepare(T.store, "SELECT area_code, grain, period, residents,"
						   " tagged_residents, signed_residents,"
						   " signed_key_residents FROM signing_stock"
						   " ORDER BY 1, 2, 3", &st, &T.diag), YL_OK);
	while (yl_stmt_step(st, &row, &T.diag) == YL_OK && row)
		yl_buf_addf(&b, "%s|%s|%s|%lld|%lld|%lld|%lld\n", yl_stmt_text(st, 0),
			    yl_stmt_text(st, 1), yl_stmt_text(st, 2), (long long)yl_stmt_int(st, 3),
			    (long long)yl_stmt_int(st, 4), (long long)yl_stmt_int(st, 5),
			    (long long)yl_stmt_int(st, 6));
	yl_stmt_reset(st);
	return yl_buf_detach(&b, NULL);
}

static struct yl_signing_counts live(const char *area, const char *date)
{
	struct yl_signing_counts k;

	if (yl_signing_stock_counts(&T.ctx, area, day_of(date), &k))
		fail_msg("stock counts: %s", T.diag.message);
	yl_arena_release(&T.arena);
	return k;
}

static void expect(const char *area, const char *date, int64_t residents, int64_t signed_,
		   int64_t key, int64_t signed_key)
{
	struct yl_signing_counts k = live(area, date), direct;

	if (k.residents != residents || k.signed_ != signed_ || k.key != key ||
	    k.signed_key != signed_key)
		fail_msg("%s on %s: %lld %lld %lld %lld, expected %lld %lld %lld %lld", area, date,
			 (long long)k.residents, (long long)k.signed_, (long long)k.key,
			 (long long)k.signed_key, (long long)residents, (long long)signed_,
			 (long long)key, (long long)signed_key);
	assert_int_equal(yl_signing_count_on(&T.ctx, area, day_of(date), &direct), YL_OK);
	assert_memory_equal(&k, &direct, sizeof(k));
}

/* Live counts equal the direct count on every day of the range, in every area; then the
 * table equals its rebuild row for row (the rebuild is rolled back, so the live table goes
 * on being the one under test). */
static void check_all(const char *after)
{
	int32_t first = day_of("2024-12-01"), last = day_of("2028-03-31");
	char *before_rebuild, *rebuilt;

	for (size_t a = 0; a < sizeof(AREAS) / sizeof(AREAS[0]); a++)
		for (int32_t d = first; d <= last; d++) {
			struct yl_signing_counts k, direct;
			assert_int_equal(yl_signing_stock_counts(&T.ctx, AREAS[a], d, &k), YL_OK);
			assert_int_equal(yl_signing_count_on(&T.ctx, AREAS[a], d, &direct), YL_OK);
			if (memcmp(&k, &direct, sizeof(k)) != 0) {
				char date[YL_DATE_LEN];
				yl_date_format(d, date);
				fail_msg("after %s, %s on %s: live %lld %lld %lld %lld, direct %lld"
					 " %lld %lld %lld", after, AREAS[a], date,
					 (long long)k.residents, (long long)k.signed_,
					 (long long)k.key, (long long)k.signed_key,
					 (long long)direct.residents, (long long)direct.signed_,
					 (long long)direct.key, (long long)direct.signed_key);
			}
			yl_arena_release(&T.arena);
		}
	before_rebuild = snapshot();
	ylt_begin(&T);
	assert_int_equal(yl_signing_stock_rebuild(&T.ctx, NULL), YL_OK);
	rebuilt = snapshot();
	ylt_rollback(&T);
	if (strcmp(before_rebuild, rebuilt) != 0)
		fail_msg("after %s: live table\n%s\ndiffers from its rebuild\n%s", after,
			 before_rebuild, rebuilt);
	free(before_rebuild);
	free(rebuilt);
}

static int setup(void **state)
{
	struct yl_contract out;
	struct yl_contract_change ch = {0};
	struct yl_resident_change move = {0}, tag = {0};
	int64_t a_renewal, d1, n1;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	team1 = make_team(3);
	team2 = make_team(4);
	at("2025-01-01");
	A = resident("1980-05-05", "440106001", 0);
	B = resident("1961-06-10", "440106001", 0);
	C = resident("2019-04-20", "440106001", 0);
	D = resident("1990-01-01", "440106002", 0);
	E = resident("1985-03-03", "440106001", 0);
	G = resident("1950-02-01", "440106002", YL_TAG_DIABETES);
	L = resident("2020-02-29", "440100", 0);
	M = resident("1960-02-29", "440100", 0);
	N = resident("1970-07-07", "440100", 0);
	check_all("registration");
	sign(A, "2025-01-01", 1);
	sign(B, "2025-01-01", 1);
	check_all("steps 1-2");
	at("2025-06-01");
	sign(E, "2025-06-01", 1);
	at("2025-11-15");
	assert_int_equal(yl_contract_renew(&T.ctx, yltb_scalar(&T, "SELECT min(id) FROM contracts"),
					   0, &out), YL_OK);
	a_renewal = out.id;
	assert_string_equal(out.start_date, "2026-01-01");
	check_all("steps 3-4 (early renewal)");
	at("2026-01-05");
	d1 = sign(D, "2026-01-05", 1);
	at("2026-01-10");
	sign(B, "2026-01-10", 1);
	at("2026-02-01");
	sign(C, "2026-02-01", 1);
	at("2026-02-15");
	F = resident("2026-02-10", "440106001", 0);
	sign(F, "2026-01-20", 1);
	check_all("steps 5-8 (a contract starting before birth)");
	at("2026-03-01");
	sign(L, "2026-03-01", 2);
	at("2026-03-10");
	assert_int_equal(yl_contract_end(&T.ctx, d1, "moved away", NULL), YL_OK);
	check_all("steps 9-10 (end)");
	at("2026-03-20");
	ch.team_id = team2;
	ch.reason = "closer to home";
	assert_int_equal(yl_contract_change(&T.ctx, a_renewal, &ch, &out), YL_OK);
	assert_string_equal(out.start_date, "2026-03-20");
	check_all("step 11 (change of team)");
	at("2026-04-01");
	move.home_area_code = "440106002";
	assert_int_equal(yl_resident_update(&T.ctx, E, &move, NULL), YL_OK);
	check_all("step 12 (move)");
	at("2026-04-05");
	tag.set_tags = true;
	tag.tags = YL_TAG_HYPERTENSION;
	assert_int_equal(yl_resident_update(&T.ctx, D, &tag, NULL), YL_OK);
	check_all("step 13 (tag)");
	at("2026-05-01");
	n1 = sign(N, "2026-05-01", 1);
	at("2026-05-10");
	assert_int_equal(yl_contract_end(&T.ctx, n1, "signed at the wrong team", NULL), YL_OK);
	sign(N, "2026-05-05", 1);
	check_all("steps 14-16 (overlapping contracts)");
	at("2026-07-15");
	return 0;
}

static void test_hand_counts(void **state)
{
	(void)state;
	expect("440106", "2025-12-31", 6, 3, 3, 0);
	expect("440106", "2026-01-01", 6, 2, 3, 0);
	expect("440106", "2026-01-05", 6, 3, 3, 1);
	expect("440106", "2026-01-31", 6, 4, 3, 1);
	expect("440106", "2026-02-09", 6, 5, 3, 2);
	expect("440106", "2026-02-10", 7, 6, 4, 3);
	expect("440106", "2026-02-28", 7, 6, 4, 3);
	expect("440106", "2026-03-09", 7, 6, 4, 3);
	expect("440106", "2026-03-10", 7, 5, 4, 2);
	expect("440106", "2026-03-20", 7, 5, 4, 2);
	expect("440106", "2026-04-19", 7, 5, 4, 2);
	expect("440106", "2026-04-20", 7, 5, 3, 1);
	expect("440106", "2026-04-30", 7, 5, 3, 1);
	expect("440106", "2026-06-01", 7, 4, 3, 1);
	expect("440106", "2026-06-09", 7, 4, 3, 1);
	expect("440106", "2026-06-10", 7, 4, 4, 2);
	expect("440106", "2026-07-15", 7, 4, 4, 2);
	/* Townships: E lives in T2 now, and so does its whole history. T1 on 2025-12-31: A, B, C
	 * (A, B signed; C key). T2: D, E, G (E signed; D, G key). */
	expect("440106001", "2025-12-31", 3, 2, 1, 0);
	expect("440106002", "2025-12-31", 3, 1, 2, 0);
	/* T2 in February: D (signed, key), E (signed), G (key). */
	expect("440106002", "2026-02-28", 3, 2, 2, 1);
	/* The city adds L, M and N (440100 itself). M is 65 from 2025-03-01 (born 29 February):
	 * on 2025-02-28 the city's key persons are C, D, G and L (a child); on 03-01 M too. */
	expect("440100", "2025-02-28", 9, 2, 4, 0);
	expect("440100", "2025-03-01", 9, 2, 5, 0);
	/* 2026-05-07, both of N's contracts cover the day: county 7 5 3 1 (A B C E F signed; D F
	 * G key; F both), plus L (signed, a child), M (key), N (signed, once). */
	expect("440100", "2026-05-07", 10, 7, 5, 2);
	/* L is 7 on 2027-03-01, not 2027-02-28, and signed until 2028-02-29. By 2027-02-28 every
	 * county contract has run out (the last, C's, on 01-31): signed are L and N. Key: B, D,
	 * F, G, M, and L until its birthday. */
	expect("440100", "2027-02-28", 10, 2, 6, 1);
	expect("440100", "2027-03-01", 10, 2, 5, 0);
}

static struct yl_indicator_result *RES;
static int NRES;

static const struct yl_indicator_result *indicator(const char *area, const char *month,
						   const char *id)
{
	struct yl_indicator_query q = {0};

	q.area_code = area;
	q.from = month;
	q.to = month;
	q.id = id;
	if (yl_indicator_compute(&T.ctx, &q, &RES, &NRES) || NRES != 1)
		fail_msg("compute: %s", T.diag.message);
	return &RES[0];
}

static void expect_rate(const char *area, const char *month, const char *id, int64_t num,
			int64_t den, double value, const char *as_of)
{
	const struct yl_indicator_result *r = indicator(area, month, id);

	if (r->cur.numerator != num || r->cur.denominator != den)
		fail_msg("%s %s %s: %lld/%lld, expected %lld/%lld", id, area, month,
			 (long long)r->cur.numerator, (long long)r->cur.denominator, (long long)num,
			 (long long)den);
	assert_true(r->cur.has_value);
	if (fabs(yl_indicator_round(r->cur.value) - value) > 1e-9)
		fail_msg("%s: %.6f, expected %.2f", id, r->cur.value, value);
	assert_string_equal(r->as_of, as_of);
}

/* C1/C2 of past months count each month's last day as it was: D, ended in March, counts for
 * February (the old status reading gave C1 5/7 there) and not for April. */
static void test_indicators_history_aware(void **state)
{
	(void)state;
	expect_rate("440106", "2025-12", "C1", 3, 6, 50.00, "2025-12-31");
	expect_rate("440106", "2025-12", "C2", 0, 3, 0.00, "2025-12-31");
	expect_rate("440106", "2026-02", "C1", 6, 7, 85.71, "2026-02-28");
	expect_rate("440106", "2026-02", "C2", 3, 4, 75.00, "2026-02-28");
	expect_rate("440106", "2026-04", "C1", 5, 7, 71.43, "2026-04-30");
	expect_rate("440106", "2026-04", "C2", 1, 3, 33.33, "2026-04-30");
	/* The current month is counted today, 2026-07-15. */
	expect_rate("440106", "2026-07", "C1", 4, 7, 57.14, "2026-07-15");
	expect_rate("440106", "2026-07", "C2", 2, 4, 50.00, "2026-07-15");
	expect_rate("440106002", "2026-02", "C1", 2, 3, 66.67, "2026-02-28");
	expect_rate("440106002", "2026-02", "C2", 1, 2, 50.00, "2026-02-28");
}

/* Rows of signing_stock meeting cond. */
static int64_t rows_where(const char *cond)
{
	return yltb_scalar(&T, "SELECT count(*) FROM signing_stock WHERE %s", cond);
}

/* The table's shape: day rows carry only the signed counts, no row is all zeros, and a day
 * row exists only where a contract run or a signed key interval starts or ends. */
static void test_rows(void **state)
{
	(void)state;
	assert_int_equal(rows_where("grain = 'd' AND (residents <> 0 OR tagged_residents <> 0)"), 0);
	assert_int_equal(rows_where("residents = 0 AND tagged_residents = 0 AND signed_residents = 0"
				    " AND signed_key_residents = 0"), 0);
	/* A's early renewal and change of team leave no mark on 2026-01-01 or 03-20 in T1: the
	 * runs merge. B's end (-1 on 2026-01-01) does. */
	assert_int_equal(rows_where("area_code = '440106001' AND grain = 'd'"
				    " AND period = '2026-03-20'"), 0);
	assert_int_equal(rows_where("area_code = '440106001' AND grain = 'd'"
				    " AND period = '2026-01-01' AND signed_residents = -1"), 1);
	/* T1's birth years: A 1980, B 1961, C 2019, F 2026, each +1 resident and no tag; T2's
	 * tagged births: D 1990 (hypertension since step 13), G 1950 (diabetes). */
	assert_int_equal(rows_where("area_code = '440106001' AND grain = 'y' AND residents = 1"), 4);
	assert_int_equal(rows_where("area_code = '440106001' AND tagged_residents <> 0"), 0);
	assert_int_equal(rows_where("area_code = '440106002' AND grain = 'y' AND tagged_residents = 1"
				    " AND period IN ('1950', '1990')"), 2);
}

static int64_t stale_marks(void)
{
	return yltb_scalar(&T, "SELECT count(*) FROM settings WHERE key = 'signing_stock_stale'");
}

static void test_rollback_and_stale(void **state)
{
	char *before, *after;
	struct yl_signing_counts k;
	int64_t h;

	(void)state;
	before = snapshot();
	ylt_begin(&T);
	sign(G, "2026-07-01", 1);
	/* T2 today: D ended, E's term over; G now */
	assert_int_equal(live("440106002", "2026-07-15").signed_, 1);
	ylt_rollback(&T);
	after = snapshot();
	assert_string_equal(before, after);
	free(after);

	/* Live aggregates off: nothing written, the table is stale, reads count directly. */
	T.ctx.no_live_measures = true;
	ylt_begin(&T);
	h = resident("1940-01-01", "440106002", 0);
	sign(h, "2026-07-15", 1);
	ylt_commit(&T);
	T.ctx.no_live_measures = false;
	after = snapshot();
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(stale_marks(), 1);
	/* T2 today: D, E, G, H; signed H; key D, G, H. */
	expect("440106002", "2026-07-15", 4, 1, 3, 1);
	ylt_begin(&T);
	assert_int_equal(yl_signing_stock_rebuild(&T.ctx, NULL), YL_OK);
	ylt_commit(&T);
	assert_int_equal(stale_marks(), 0);
	expect("440106002", "2026-07-15", 4, 1, 3, 1);
	check_all("a rebuild after live aggregates were off");
	/* Only an admin rebuilds; a resident may not read the counts. */
	T.actor.role = YL_ROLE_REGULATOR;
	assert_int_equal(yl_signing_stock_rebuild(&T.ctx, NULL), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_RESIDENT;
	assert_int_equal(yl_signing_stock_counts(&T.ctx, "440106", day_of("2026-07-15"), &k),
			 YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_ADMIN;
	assert_int_equal(yl_signing_stock_counts(&T.ctx, "440199", day_of("2026-07-15"), &k),
			 YL_ERR_NOT_FOUND);
	assert_int_equal(yl_signing_stock_counts(&T.ctx, NULL, day_of("2026-07-15"), &k),
			 YL_ERR_MISSING);
	free(before);
}

/* A database upgraded to migration 7 with residents already in it: the table is empty and
 * marked stale, C1/C2 are counted directly (same numbers), and a rebuild fills it. Run here
 * by forgetting migration 7 and opening the file again, which applies it anew. */
static void test_upgrade_marks_stale(void **state)
{
	char *before, *after;

	(void)state;
	before = snapshot();
	assert_int_equal(yl_store_exec(T.store, "DELETE FROM schema_migrations WHERE version >= 7",
				       &T.diag), YL_OK);
	yl_store_close(T.store);
	if (yl_store_open(T.path, YL_STORE_CREATE, &T.store, &T.diag))
		fail_msg("reopen: %s", T.diag.message);
	T.ctx.store = T.store;
	assert_int_equal(yl_store_schema_version(T.store), yl_store_schema_latest());
	assert_int_equal(rows_where("1 = 1"), 0);
	assert_int_equal(stale_marks(), 1);
	/* the hand count of February plus H (test_rollback_and_stale): born 1940, so key,
	 * and signed only from 2026-07-15 */
	expect("440106", "2026-02-28", 8, 6, 5, 3); /* counted directly */
	ylt_begin(&T);
	assert_int_equal(yl_signing_stock_rebuild(&T.ctx, NULL), YL_OK);
	ylt_commit(&T);
	assert_int_equal(stale_marks(), 0);
	after = snapshot();
	assert_string_equal(before, after);
	expect("440106", "2026-02-28", 8, 6, 5, 3);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_counts),
		cmocka_unit_test(test_indicators_history_aware),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_rollback_and_stale),
		cmocka_unit_test(test_upgrade_marks_stale),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
