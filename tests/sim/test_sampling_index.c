/* Sim: the sampling index (src/sim/people.c) says exactly what the registry says.
 *
 * A small region (3,000 residents, 3 townships) is generated and run for 20 days, so that
 * contracts are signed, renewed and lapse. Then nine residents are registered through the
 * domain, their townships interleaved (A B A C outside B A C outside), with stored tags, a 29 February birth turning 18 and another turning 7, a
 * birth on the earliest date the registry takes (1900-01-01) and one on the run's day, two
 * homes outside every township (the county and the city: unknown to the index, the last one
 * the highest id); three residents who never held a contract sign one, one of them living
 * outside. The world is then loaded as yl_sim_run does, and:
 *  - for every id 0..max+1, on the run's day, its first day, the eve and the day of the
 *    7th, 18th, 45th and 65th birthdays of the soonest residents to reach them (generated
 *    and registered) and around 29 February of 2026 to 2029, sim_person_indexed knows the
 *    resident iff yl_resident_get finds them with a home in a township of the region, and
 *    then gives the same age, tags (stored and derived) and township (sim_township_find);
 *  - SIM_HELD is set iff the resident has a contract row, whatever its status;
 *  - max_resident_id is the highest id.
 */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/codes.h"
#include "cli/cli.h"
#include "domain/contract.h"
#include "domain/population.h"
#include "domain/resident.h"
#include "sim/sim_int.h"
#include "ylt_sim.h"

/* Residents registered after the run, in this order (ids max+1 ...). The ID numbers use a
 * Beijing prefix so that they never meet the generator's (people register anywhere). A NULL
 * birth is the run's day. */
static const struct newcomer {
	const char *area;
	const char *birth; /* YYYYMMDD */
	int seq;           /* odd male, even female */
	unsigned tags;
	bool sign;         /* signs a first contract before the world is loaded */
} NEWCOMERS[] = {
	{"520330001", "20190201", 1, 0, false},                  /* 7 on 2026-02-01 */
	{"520330002", "20080229", 2, YL_TAG_PREGNANT, false},    /* 18 on 2026-03-01 */
	{"520330001", "19810210", 3, YL_TAG_HYPERTENSION | YL_TAG_DIABETES, true}, /* 45 */
	{"520330003", "19610215", 5, YL_TAG_DISABLED | YL_TAG_LOW_INCOME, false},  /* 65 */
	{"520330", "19700505", 7, YL_TAG_HYPERTENSION, true},    /* the county: no township */
	{"520330002", "19000101", 9, YL_TAG_LOW_INCOME, false},  /* the earliest birth date */
	{"520330001", "20200229", 4, 0, false},                  /* 7 on 2027-03-01 */
	{"520330003", NULL, 6, 0, false},                        /* born on the run's day */
	{"520300", "19900101", 11, 0, false},                    /* the city: the highest id */
};
#define NNEW ((int)(sizeof(NEWCOMERS) / sizeof(NEWCOMERS[0])))

struct fixture {
	struct ylt_sim_run r;
	struct yl_sim_policy p;
	int64_t generated;    /* residents before the newcomers */
	int64_t first_signer; /* a generated resident who signed a first contract */
	struct yl_store *store;
	struct yl_arena arena;
	struct yl_diag diag;
	struct yl_actor actor;
	struct sim s;
};

static struct yl_stmt *query(struct yl_store *s, const char *sql, int64_t param)
{
	struct yl_stmt *st;
	struct yl_diag d;

	if (yl_store_prepare(s, sql, &st, &d))
		fail_msg("prepare %s: %s", sql, d.message);
	if (strchr(sql, '?'))
		yl_stmt_bind_int(st, 1, param);
	return st;
}

/* The first column of the first row of sql (one optional integer parameter). */
static int64_t scalar(struct yl_store *s, const char *sql, int64_t param)
{
	struct yl_stmt *st = query(s, sql, param);
	struct yl_diag d;
	bool row;
	int64_t v;

	assert_int_equal(yl_stmt_step(st, &row, &d), YL_OK);
	assert_true(row);
	v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

/* Signs resident with a team (and hospitals) that residents of area already signed with,
 * the next team when one is full. */
static void sign_like(const struct yl_ctx *c, int64_t resident, const char *area)
{
	struct yl_stmt *st;
	struct yl_contract_sign in[8];
	struct yl_diag d;
	enum yl_err err = YL_ERR_CAPACITY;
	bool row;
	int n = 0;

	assert_int_equal(yl_store_prepare(c->store,
					  "SELECT DISTINCT k.team_id, k.secondary_id, k.tertiary_id"
					  " FROM contracts k JOIN residents r ON r.id = k.resident_id"
					  " WHERE r.home_area_code = ? ORDER BY 1, 2, 3 LIMIT 8",
					  &st, &d),
			 YL_OK);
	yl_stmt_bind_text(st, 1, area);
	while (yl_stmt_step(st, &row, &d) == YL_OK && row) {
		memset(&in[n], 0, sizeof(in[n]));
		in[n].resident_id = resident;
		in[n].team_id = yl_stmt_int(st, 0);
		in[n].secondary_id = yl_stmt_int(st, 1);
		in[n].tertiary_id = yl_stmt_int(st, 2);
		n++;
	}
	yl_stmt_reset(st);
	for (int i = 0; i < n && err == YL_ERR_CAPACITY; i++) {
		yl_diag_clear(c->diag);
		err = yl_contract_sign(c, &in[i], NULL);
	}
	if (err)
		fail_msg("sign resident %lld: %s", (long long)resident, c->diag->message);
}

/* Registers the newcomers and signs the first contracts, on the run's day. */
static void register_newcomers(struct fixture *f, int32_t day)
{
	struct yl_clock clock;
	struct yl_ctx c = {0};
	struct yl_store *s;
	char today[YL_DATE_LEN], idn[19], name[32], ymd[9];

	assert_int_equal(yl_store_open(f->r.db, 0, &s, &f->diag), YL_OK);
	yl_clock_fixed(&clock, (int64_t)day * 86400 + 2 * 3600); /* 10:00 Asia/Shanghai */
	c.store = s;
	c.clock = &clock;
	c.arena = &f->arena;
	c.diag = &f->diag;
	c.actor = &f->actor;
	yl_date_format(day, today);
	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", today, today + 5, today + 8);
	assert_int_equal(yl_store_begin(s, &f->diag), YL_OK);
	f->generated = scalar(s, "SELECT max(id) FROM residents", 0);
	for (int i = 0; i < NNEW; i++) {
		const struct newcomer *n = &NEWCOMERS[i];
		struct yl_resident in = {0}, out;

		ylt_id_number(idn, "110101", n->birth ? n->birth : ymd, n->seq);
		snprintf(name, sizeof(name), "新居民%d", i + 1);
		in.id_number = idn;
		in.name = name;
		in.home_area_code = n->area;
		in.tags = n->tags;
		if (yl_resident_create(&c, &in, &out))
			fail_msg("register newcomer %d: %s", i + 1, f->diag.message);
		assert_int_equal(out.id, f->generated + 1 + i);
		if (n->sign)
			sign_like(&c, out.id, n->area[6] ? n->area : "520330001");
		yl_arena_release(&f->arena);
	}
	/* and a generated resident who never held one */
	f->first_signer = scalar(s, "SELECT min(id) FROM residents r WHERE id <= ? AND NOT EXISTS"
				    " (SELECT 1 FROM contracts k WHERE k.resident_id = r.id)",
				 f->generated);
	assert_true(f->first_signer > 0);
	{
		struct yl_resident r;
		assert_int_equal(yl_resident_get(&c, f->first_signer, &r), YL_OK);
		sign_like(&c, f->first_signer, r.home_area_code);
	}
	assert_int_equal(yl_store_commit(s, &f->diag), YL_OK);
	yl_arena_release(&f->arena);
	yl_store_close(s);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct yl_sim_region_opts o;
	struct yl_sim_state ss;
	struct sim *s;

	assert_non_null(f);
	s = &f->s;
	yl_sim_policy_init(&f->p);
	ylt_sim_small(&o, 3000, 23);
	ylt_sim_generate(&f->r, &o, &f->p);
	ylt_sim_run(&f->r, &f->p, 20);
	assert_true(f->r.st.signed_new > 0 && f->r.st.renewed > 0 && f->r.st.lapsed > 0);
	print_message("sampling index: 20 days run: %lld contracts signed, %lld renewed,"
		      " %lld lapsed\n", (long long)f->r.st.signed_new,
		      (long long)f->r.st.renewed, (long long)f->r.st.lapsed);
	yl_arena_init(&f->arena);
	yl_cli_system_actor(&f->actor, "test");
	register_newcomers(f, ylt_sim_start() + 20);

	/* the world as yl_sim_run loads it */
	assert_int_equal(yl_store_open(f->r.db, 0, &f->store, &f->diag), YL_OK);
	s->c.store = f->store;
	s->c.arena = &f->arena;
	s->c.diag = &f->diag;
	s->c.clock = &s->clock;
	s->admin = f->actor;
	s->doctor = f->actor;
	s->doctor.role = YL_ROLE_DOCTOR;
	s->c.actor = &s->admin;
	s->p = &f->p;
	assert_int_equal(yl_store_begin(f->store, &f->diag), YL_OK);
	assert_int_equal(yl_sim_state_load(&s->c, &ss), YL_OK);
	assert_int_equal(ss.day, ylt_sim_start() + 20);
	s->day = ss.day;
	sim_at(s, s->day, 7 * 60);
	if (sim_world_load(s))
		fail_msg("sim_world_load: %s", f->diag.message);
	yl_arena_release(&f->arena);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_world_free(&f->s.w);
	yl_store_rollback(f->store);
	yl_store_close(f->store);
	yl_arena_release(&f->arena);
	ylt_sim_cleanup(&f->r);
	free(f);
	return 0;
}

/* Adds day to the set days (n of them, room for cap) unless it is there. */
static void add_day(int32_t *days, int *n, int cap, int32_t day)
{
	for (int i = 0; i < *n; i++)
		if (days[i] == day)
			return;
	assert_true(*n < cap);
	days[(*n)++] = day;
}

/* The eve and the day when a resident born on birth turns age. */
static void add_birthday(int32_t *days, int *n, int cap, int32_t birth, int age)
{
	int32_t d = yl_date_add_years(birth, age) - 1;

	while (yl_age_on(birth, d) >= age) /* a 29 February birth: 1 March in other years */
		d--;
	while (yl_age_on(birth, d + 1) < age)
		d++;
	add_day(days, n, cap, d);
	add_day(days, n, cap, d + 1);
}

/* Every id 0..max+1 on day: the index against the registry. Returns the residents known. */
static int64_t compare_day(struct fixture *f, int32_t day)
{
	const struct sim_world *w = &f->s.w;
	char date[YL_DATE_LEN];
	int64_t known_n = 0;

	yl_date_format(day, date);
	sim_at(&f->s, day, 7 * 60);
	for (int64_t id = 0; id <= w->max_resident_id + 1; id++) {
		struct sim_person p;
		struct yl_resident r;
		bool known = sim_person_indexed(w, id, day, &p);
		enum yl_err err = yl_resident_get(&f->s.c, id, &r);
		int t;

		if (err == YL_ERR_NOT_FOUND) {
			yl_diag_clear(&f->diag);
			if (known)
				fail_msg("%s: resident %lld is not registered but indexed", date,
					 (long long)id);
			continue;
		}
		if (err)
			fail_msg("%s: get resident %lld: %s", date, (long long)id, f->diag.message);
		t = sim_township_find(w, r.home_area_code);
		if (known != (t >= 0))
			fail_msg("%s: resident %lld (home %s, township %d) is %s by the index", date,
				 (long long)id, r.home_area_code, t, known ? "known" : "unknown");
		if (known && (p.id != id || p.age != r.age || p.tags != r.tags || p.township != t))
			fail_msg("%s: resident %lld born %s: index id %lld age %d tags %#x township %d;"
				 " registry age %d tags %#x township %d (%s)",
				 date, (long long)id, r.birth_date, (long long)p.id, p.age, p.tags,
				 p.township, r.age, r.tags, t, r.home_area_code);
		known_n += known;
		yl_arena_release(&f->arena);
	}
	return known_n;
}

static void test_index_is_the_registry(void **state)
{
	static const int ages[4] = {7, 18, 45, 65};
	struct fixture *f = *state;
	const struct sim_world *w = &f->s.w;
	int32_t run_day = f->s.day, days[64], birth;
	int n = 0;
	int64_t outside = 0;

	assert_int_equal(w->max_resident_id, f->generated + NNEW);
	assert_int_equal(w->max_resident_id, scalar(f->store, "SELECT max(id) FROM residents", 0));
	assert_int_equal(w->ntownships, 3);

	add_day(days, &n, 64, run_day);
	add_day(days, &n, 64, ylt_sim_start());
	/* the soonest generated resident to reach each band after the run's day */
	for (int i = 0; i < 4; i++) {
		char cut[YL_DATE_LEN], sql[200];
		struct yl_stmt *st;
		bool row;

		yl_date_format(yl_date_add_years(run_day, -ages[i]), cut);
		snprintf(sql, sizeof(sql), "SELECT min(birth_date) FROM residents WHERE id <= ? AND"
			 " birth_date > '%s'", cut);
		st = query(f->store, sql, f->generated);
		assert_int_equal(yl_stmt_step(st, &row, &f->diag), YL_OK);
		assert_true(row && yl_date_parse(yl_stmt_text(st, 0), &birth));
		yl_stmt_reset(st);
		add_birthday(days, &n, 64, birth, ages[i]);
	}
	/* the newcomers' bands reached within four years, and 28 February to 1 March of each of
	 * those years (the 29 February births' birthdays) */
	for (int i = 0; i < NNEW; i++) {
		const char *b = NEWCOMERS[i].birth;
		char iso[YL_DATE_LEN];
		if (!b)
			continue;
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", b, b + 4, b + 6);
		assert_true(yl_date_parse(iso, &birth));
		for (int k = 0; k < 4; k++)
			if (yl_age_on(birth, run_day) < ages[k] &&
			    yl_age_on(birth, yl_date_add_years(run_day, 4)) >= ages[k])
				add_birthday(days, &n, 64, birth, ages[k]);
	}
	for (int y = 2026; y <= 2029; y++)
		for (int32_t d = yl_days_from_civil(y, 2, 28); d <= yl_days_from_civil(y, 3, 1); d++)
			add_day(days, &n, 64, d);
	print_message("sampling index: 29 February births in the registry: %lld\n",
		      (long long)scalar(f->store, "SELECT count(*) FROM residents WHERE"
						  " substr(birth_date, 6, 5) = '02-29'", 0));

	for (int i = 0; i < n; i++) {
		int64_t known = compare_day(f, days[i]);
		char date[YL_DATE_LEN];

		yl_date_format(days[i], date);
		print_message("sampling index: %s: %lld residents known\n", date, (long long)known);
		/* everyone but the two newcomers who live outside every township */
		assert_int_equal(known, w->max_resident_id - 2);
	}
	for (int i = 0; i < NNEW; i++)
		outside += NEWCOMERS[i].area[6] == '\0';
	assert_int_equal(outside, 2);
	assert_true(n >= 12);
}

static void test_held_iff_contract_row(void **state)
{
	struct fixture *f = *state;
	const struct sim_world *w = &f->s.w;
	int64_t held = 0, never = 0;

	for (int64_t id = 1; id <= w->max_resident_id; id++) {
		int64_t rows = scalar(f->store, "SELECT count(*) FROM contracts WHERE resident_id = ?",
				      id);
		bool is_held = (w->flags[id] & SIM_HELD) != 0;

		if (is_held != (rows > 0))
			fail_msg("resident %lld has %lld contract rows but SIM_HELD is %s",
				 (long long)id, (long long)rows, is_held ? "set" : "clear");
		held += is_held;
		never += !is_held;
	}
	/* both sides seen, and the first contracts signed before the load among the held */
	assert_true(held > 0 && never > 0);
	assert_true(w->flags[f->first_signer] & SIM_HELD);
	for (int i = 0; i < NNEW; i++)
		if (NEWCOMERS[i].sign)
			assert_true(w->flags[f->generated + 1 + i] & SIM_HELD);
	/* rows of several statuses (active, renewed, expired...): the bit is for any row */
	assert_true(scalar(f->store, "SELECT count(DISTINCT status) FROM contracts", 0) >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_is_the_registry),
		cmocka_unit_test(test_held_iff_contract_row),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
