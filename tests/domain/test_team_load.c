/* Domain: a family-doctor team's load (yl_team_load), now derived from team_held (a count kept
 * by the triggers of migration 8) less small corrections, must equal the counting SQL it
 * replaced in every state. A seeded random history (signs, backdated signs, early renewals and
 * renewals after expiry, changes of team of running contracts and of scheduled renewals, ends,
 * settling, a raw row stored 'active' that starts later, refusals for capacity and conflicts)
 * runs under a clock that steps 0-40 days forward and sometimes one day back; after every write
 * and every clock step each team's load, with no exclusion and excluding assorted contracts, is
 * compared with the reference, and team_held with a direct count. Also: a rolled-back write
 * leaves team_held as it was, and re-running migration 8 rebuilds it. YLT_TEAM_LOAD_SEED=N
 * replays another history.
 */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contract.h"
#include "domain/team.h"

enum { NTEAMS = 3, MAX_TEAMS = 16, NRESIDENTS = 40, NSTEPS = 400, NPROBES = 16 };

/* The load as it was counted before team_held: parameters team, day, day, excluded resident,
 * team, day, excluded resident, day, day. */
#define REFERENCE_SQL                                                                              \
	"SELECT (SELECT count(*) FROM contracts k WHERE k.team_id = ? AND " YL_CONTRACT_IN_FORCE   \
	" AND k.resident_id <> ?)"                                                                 \
	" + (SELECT count(*) FROM contracts s WHERE s.team_id = ? AND s.status = 'scheduled'"      \
	" AND s.start_date > ? AND s.resident_id <> ? AND NOT EXISTS (SELECT 1 FROM contracts k"   \
	" WHERE k.resident_id = s.resident_id AND +k.team_id = s.team_id "                         \
	"AND " YL_CONTRACT_IN_FORCE "))"

static struct ylt_db T;
static int64_t teams[NTEAMS];
static const int64_t capacities[NTEAMS] = {3, 5, 8}; /* 16 places for 40 residents */
static int64_t residents[NRESIDENTS];
static uint32_t seed = 20260315;
static uint32_t history_rng, probe_rng; /* the history's choices; the probes' picks */
static int step;
static char doing[160] = "setup";

/* What the history did: each success, and the refusals. */
static struct {
	int signs, early_renewals, late_renewals, active_changes, scheduled_changes, ends;
	int settles, future_rows, capacity, refused;
} tally;

/* xorshift32: the same history on every platform for a given seed. */
static uint32_t next(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static int64_t below(uint32_t *s, int64_t n)
{
	return (int64_t)(next(s) % (uint32_t)n);
}

/* One bound parameter: text when text is not NULL, else the integer. */
struct param {
	const char *text;
	int64_t i;
};

#define PINT(v) ((struct param){NULL, (v)})
#define PTEXT(v) ((struct param){(v), 0})

/* The first column of the first row of sql run with p[0..n), or 0 when there is no row. */
static int64_t query(const char *sql, int n, const struct param *p)
{
	struct yl_stmt *st;
	bool row;
	int64_t v;

	if (yl_store_prepare(T.store, sql, &st, &T.diag))
		fail_msg("%s: %s", sql, T.diag.message);
	for (int i = 0; i < n; i++) {
		if (p[i].text)
			yl_stmt_bind_text(st, i + 1, p[i].text);
		else
			yl_stmt_bind_int(st, i + 1, p[i].i);
	}
	if (yl_stmt_step(st, &row, &T.diag))
		fail_msg("%s: %s", sql, T.diag.message);
	v = row ? yl_stmt_int(st, 0) : 0;
	yl_stmt_reset(st);
	return v;
}

static void sql(const char *s)
{
	if (yl_store_exec(T.store, s, &T.diag))
		fail_msg("%s: %s", s, T.diag.message);
}

/* A contract matching `where` (parameters p[0..n), at most 3), chosen by rng; 0 when none. */
static int64_t pick(uint32_t *rng, const char *where, int n, const struct param *p)
{
	char count_sql[300], row_sql[300];
	struct param q[4];
	int64_t rows;

	snprintf(count_sql, sizeof(count_sql), "SELECT count(*) FROM contracts WHERE %s", where);
	snprintf(row_sql, sizeof(row_sql),
		 "SELECT id FROM contracts WHERE %s ORDER BY id LIMIT 1 OFFSET ?", where);
	rows = query(count_sql, n, p);
	if (!rows)
		return 0;
	for (int i = 0; i < n; i++)
		q[i] = p[i];
	q[n] = PINT(below(rng, rows));
	return query(row_sql, n + 1, q);
}

static void today(char out[YL_DATE_LEN])
{
	yl_date_format(yl_clock_today(&T.clock), out);
}

/* Sets the clock to 10:00 Asia/Shanghai on day (days since the epoch). */
static void at_day(int32_t day)
{
	yl_clock_fixed(&T.clock, (int64_t)day * 86400 + 2 * 3600);
}

static int64_t add_resident(void)
{
	static int seq;
	char s[400], idn[19];

	ylt_id_number(idn, "440106", "19800101", ++seq);
	snprintf(s, sizeof(s),
		 "INSERT INTO residents(id_number, name, sex, birth_date,"
		 " home_area_code, insurance, tags, created_at) VALUES ('%s', 'r', 'male',"
		 " '1980-01-01', '440106001', 'employee', 0, 0)",
		 idn);
	sql(s);
	return query("SELECT max(id) FROM residents", 0, NULL);
}

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	for (int i = 0; i < NTEAMS; i++)
		teams[i] = ylt_gp_team(&T, i % 2 ? 4 : 3, capacities[i]);
	for (int i = 0; i < NRESIDENTS; i++)
		residents[i] = add_resident();
	return 0;
}

static int64_t reference(int64_t team, int64_t exclude)
{
	char day[YL_DATE_LEN];
	int64_t excluded = 0;

	if (exclude)
		excluded = query("SELECT resident_id FROM contracts WHERE id = ?", 1,
				 (struct param[]){PINT(exclude)});
	today(day);
	return query(REFERENCE_SQL, 9,
		     (struct param[]){PINT(team), PTEXT(day), PTEXT(day), PINT(excluded),
				      PINT(team), PTEXT(day), PINT(excluded), PTEXT(day),
				      PTEXT(day)});
}

static int64_t load(int64_t team, int64_t exclude)
{
	int64_t n = -1;

	yl_diag_clear(&T.diag);
	if (yl_team_load(&T.ctx, team, exclude, &n))
		fail_msg("seed %u step %d after %s: yl_team_load(%lld, %lld): %s", seed, step,
			 doing, (long long)team, (long long)exclude, T.diag.message);
	return n;
}

static int64_t held(int64_t team)
{
	return query("SELECT contracts FROM team_held WHERE team_id = ?", 1,
		     (struct param[]){PINT(team)});
}

static int64_t held_counted(int64_t team)
{
	return query("SELECT count(*) FROM contracts WHERE team_id = ?"
		     " AND status IN ('active','scheduled')",
		     1, (struct param[]){PINT(team)});
}

/* Every team_held row as "team:contracts,..." into out. */
static void snapshot(char out[512])
{
	struct yl_stmt *st;
	bool row;

	if (yl_store_prepare(T.store,
			     "SELECT group_concat(team_id || ':' || contracts, ',')"
			     " FROM (SELECT * FROM team_held ORDER BY team_id)",
			     &st, &T.diag))
		fail_msg("snapshot: %s", T.diag.message);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	snprintf(out, 512, "%s", row && !yl_stmt_null(st, 0) ? yl_stmt_text(st, 0) : "");
	yl_stmt_reset(st);
}

/* The contracts a load may leave out: none, an unknown id, the last row written, random rows,
 * one past its end date, a scheduled renewal, an 'active' row not yet started, and a row held
 * by each team (so every team is also probed with other teams' contracts). */
static int probes(int64_t *out)
{
	char day[YL_DATE_LEN];
	int64_t max_id = query("SELECT coalesce(max(id), 0) FROM contracts", 0, NULL);
	int n = 0;

	today(day);
	out[n++] = 0;
	out[n++] = max_id + 1;
	out[n++] = max_id;
	for (int i = 0; i < 3; i++)
		out[n++] = max_id ? 1 + below(&probe_rng, max_id) : 0;
	out[n++] = pick(&probe_rng, "end_date < ?", 1, (struct param[]){PTEXT(day)});
	out[n++] = pick(&probe_rng, "status = 'scheduled'", 0, NULL);
	out[n++] = pick(&probe_rng, "status = 'active' AND start_date > ?", 1,
			(struct param[]){PTEXT(day)});
	for (int t = 0; t < NTEAMS; t++)
		out[n++] = pick(&probe_rng, "team_id = ? AND status IN ('active','scheduled')", 1,
				(struct param[]){PINT(teams[t])});
	return n;
}

/* Every team's id (the history's and those the later tests add) into out; returns the count. */
static int team_ids(int64_t out[MAX_TEAMS])
{
	struct yl_stmt *st;
	bool row = true;
	int n = 0;

	if (yl_store_prepare(T.store, "SELECT id FROM teams ORDER BY id", &st, &T.diag))
		fail_msg("teams: %s", T.diag.message);
	while (row) {
		assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
		if (row) {
			assert_true(n < MAX_TEAMS);
			out[n++] = yl_stmt_int(st, 0);
		}
	}
	yl_stmt_reset(st);
	return n;
}

/* The invariants, for every team: team_held counts the rows stored active or scheduled, and
 * the load equals the reference with each probe left out. */
static void check_all(void)
{
	int64_t ids[NPROBES], all[MAX_TEAMS];
	int n = probes(ids), nteams = team_ids(all);
	char day[YL_DATE_LEN];

	today(day);
	for (int t = 0; t < nteams; t++) {
		int64_t h = held(all[t]), counted = held_counted(all[t]);
		if (h != counted)
			fail_msg(
			    "seed %u step %d on %s after %s: team %lld: team_held %lld, rows stored"
			    " active or scheduled %lld",
			    seed, step, day, doing, (long long)all[t], (long long)h,
			    (long long)counted);
		for (int i = 0; i < n; i++) {
			int64_t got = load(all[t], ids[i]), want = reference(all[t], ids[i]);
			if (got != want)
				fail_msg(
				    "seed %u step %d on %s after %s: team %lld excluding contract"
				    " %lld: yl_team_load %lld, reference %lld",
				    seed, step, day, doing, (long long)all[t], (long long)ids[i],
				    (long long)got, (long long)want);
		}
	}
}

/* Starts one face-style request: its own transaction. */
static void begin(const char *what, int64_t id)
{
	snprintf(doing, sizeof(doing), "%s %lld", what, (long long)id);
	ylt_begin(&T);
	yl_diag_clear(&T.diag);
}

/* Commits a success, rolls back a refusal (counted) and fails on anything unexpected. */
static enum yl_err finish(enum yl_err err)
{
	if (err)
		ylt_rollback(&T);
	else
		ylt_commit(&T);
	switch (err) {
	case YL_OK:
		break;
	case YL_ERR_CAPACITY:
		tally.capacity++;
		break;
	case YL_ERR_CONFLICT:
	case YL_ERR_ACTIVE_CONTRACT:
		tally.refused++;
		break;
	default:
		fail_msg("seed %u step %d: %s: unexpected %s: %s", seed, step, doing,
			 yl_err_code(err), T.diag.message);
	}
	snprintf(doing + strlen(doing), sizeof(doing) - strlen(doing), " -> %s",
		 err ? yl_err_code(err) : "ok");
	yl_diag_clear(&T.diag);
	return err;
}

static int64_t other_team(int64_t team)
{
	int i = 0;

	while (i < NTEAMS - 1 && teams[i] != team)
		i++;
	return teams[(i + 1 + below(&history_rng, NTEAMS - 1)) % NTEAMS];
}

/* A sign with a random team, sometimes backdated (still ending after today). */
static void do_sign(int64_t resident)
{
	struct yl_contract_sign in = {0};

	in.resident_id = resident;
	in.team_id = teams[below(&history_rng, NTEAMS)];
	in.secondary_id = 2;
	in.tertiary_id = 1;
	in.term_years = 1;
	if (below(&history_rng, 4) == 0) {
		in.has_start = true;
		in.start_date = yl_clock_today(&T.clock) - (int32_t)below(&history_rng, 300);
	} else if (below(&history_rng, 4) == 0) {
		in.term_years = 2;
	}
	begin("sign resident", resident);
	if (finish(yl_contract_sign(&T.ctx, &in, NULL)) == YL_OK)
		tally.signs++;
}

static void do_renew(int64_t id)
{
	struct yl_contract out;

	if (!id)
		return;
	begin("renew", id);
	if (finish(yl_contract_renew(&T.ctx, id, 1, &out)) == YL_OK) {
		if (strcmp(out.status, "scheduled") == 0)
			tally.early_renewals++;
		else
			tally.late_renewals++;
	}
}

static void do_change(int64_t id)
{
	struct yl_contract_change in = {0};
	struct yl_contract out;
	int64_t team;

	if (!id)
		return;
	team = query("SELECT team_id FROM contracts WHERE id = ?", 1, (struct param[]){PINT(id)});
	in.team_id = other_team(team);
	in.reason = "moved";
	begin("change", id);
	if (finish(yl_contract_change(&T.ctx, id, &in, &out)) == YL_OK) {
		if (strcmp(out.status, "scheduled") == 0)
			tally.scheduled_changes++;
		else
			tally.active_changes++;
	}
}

static void do_end(int64_t id)
{
	if (!id)
		return;
	begin("end", id);
	if (finish(yl_contract_end(&T.ctx, id, "left the area", NULL)) == YL_OK)
		tally.ends++;
}

static void do_settle_all(void)
{
	int64_t changed = 0;

	begin("settle_all", 0);
	if (finish(yl_contract_settle_all(&T.ctx, &changed)) == YL_OK && changed > 0)
		tally.settles++;
}

/* A row stored 'active' that starts after today, which the domain never writes, for a
 * resident with no row stored active or scheduled (so the unique indexes stay satisfiable). */
static void insert_future_active(int64_t resident)
{
	char start[YL_DATE_LEN], end[YL_DATE_LEN];
	int32_t from = yl_clock_today(&T.clock) + 1 + (int32_t)below(&history_rng, 60);
	int64_t team = teams[below(&history_rng, NTEAMS)];

	if (query("SELECT count(*) FROM contracts WHERE resident_id = ?"
		  " AND status IN ('active','scheduled')",
		  1, (struct param[]){PINT(resident)}))
		return;
	yl_date_format(from, start);
	yl_date_format(from + 364, end);
	snprintf(doing, sizeof(doing), "raw future active row of resident %lld from %s",
		 (long long)resident, start);
	query(
	    "INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id, start_date,"
	    " end_date, status, created_at, updated_at) VALUES (?, ?, 2, 1, ?, ?, 'active', 0, 0)",
	    4, (struct param[]){PINT(resident), PINT(team), PTEXT(start), PTEXT(end)});
	tally.future_rows++;
}

/* The clock moves 0-40 days on, or one day back (a clock that disagrees). */
static void step_clock(void)
{
	int32_t day = yl_clock_today(&T.clock);

	if (below(&history_rng, 12) == 0)
		day -= 1;
	else
		day += (int32_t)below(&history_rng, 41);
	at_day(day);
	snprintf(doing, sizeof(doing), "clock step");
}

/* One random write. Targets are mostly rows the action suits, sometimes any row at all. */
static void random_write(void)
{
	char day[YL_DATE_LEN];
	int64_t resident = residents[below(&history_rng, NRESIDENTS)];
	int64_t max_id = query("SELECT coalesce(max(id), 0) FROM contracts", 0, NULL);
	int64_t r = below(&history_rng, 100);

	today(day);
	snprintf(doing, sizeof(doing), "no write (no contract suited)");
	if (r < 30)
		do_sign(resident);
	else if (r < 50)
		do_renew(pick(&history_rng, "status IN ('active','expired')", 0, NULL));
	else if (r < 58)
		do_change(pick(&history_rng, "status = 'scheduled' AND start_date > ?", 1,
			       (struct param[]){PTEXT(day)}));
	else if (r < 66)
		do_change(pick(&history_rng, "status = 'active'", 0, NULL));
	else if (r < 78)
		do_end(pick(&history_rng, "status IN ('active','scheduled')", 0, NULL));
	else if (r < 84)
		do_settle_all();
	else if (r < 88)
		insert_future_active(resident);
	else if (max_id && r < 92)
		do_renew(1 + below(&history_rng, max_id));
	else if (max_id && r < 96)
		do_change(1 + below(&history_rng, max_id));
	else if (max_id)
		do_end(1 + below(&history_rng, max_id));
}

static void test_history_matches_reference(void **state)
{
	const char *env = getenv("YLT_TEAM_LOAD_SEED");
	(void)state;

	if (env && *env)
		seed = (uint32_t)strtoul(env, NULL, 10);
	history_rng = seed ? seed : 1;
	probe_rng = (seed ^ 0x9e3779b9u) ? seed ^ 0x9e3779b9u : 1;
	print_message("seed %u\n", seed);
	check_all();
	for (step = 1; step <= NSTEPS; step++) {
		step_clock();
		check_all();
		random_write();
		check_all();
	}
	print_message("%d signs, %d early renewals, %d renewals after expiry, %d changes of running"
		      " contracts, %d of scheduled renewals, %d ends, %d settlings, %d raw future"
		      " rows; refused: %d for capacity, %d conflicts\n",
		      tally.signs, tally.early_renewals, tally.late_renewals, tally.active_changes,
		      tally.scheduled_changes, tally.ends, tally.settles, tally.future_rows,
		      tally.capacity, tally.refused);
	assert_true(tally.signs > 0);
	assert_true(tally.early_renewals > 0);
	assert_true(tally.late_renewals > 0);
	assert_true(tally.active_changes > 0);
	assert_true(tally.scheduled_changes > 0);
	assert_true(tally.ends > 0);
	assert_true(tally.settles > 0);
	assert_true(tally.future_rows > 0);
	assert_true(tally.capacity > 0);
	assert_true(tally.refused > 0);
}

/* A write that succeeded inside a transaction which then fails and is rolled back leaves
 * team_held as it was: a sign, and a change between two teams. */
static void test_rollback_keeps_held(void **state)
{
	struct yl_contract_sign in = {0};
	struct yl_contract_change ch = {0};
	struct yl_contract out;
	char before[512], after[512];
	int64_t team_a, team_b;
	(void)state;

	yl_store_rollback(T.store); /* a failed history may have left one open */
	step = 0;
	snprintf(doing, sizeof(doing), "rollback test");
	team_a = ylt_gp_team(&T, 3, 5);
	team_b = ylt_gp_team(&T, 4, 5);
	in.resident_id = add_resident();
	in.team_id = team_a;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	snapshot(before);

	ylt_begin(&T);
	yl_diag_clear(&T.diag);
	assert_int_equal(yl_contract_sign(&T.ctx, &in, &out), YL_OK);
	assert_int_equal(held(team_a), 1);
	/* a later statement of the same request fails: the request is rolled back */
	assert_int_equal(yl_store_exec(T.store,
				       "INSERT INTO contracts(resident_id, team_id,"
				       " secondary_id, tertiary_id, start_date, end_date, status,"
				       " created_at, updated_at) VALUES (1, 1, 2, 1, '2026-01-01',"
				       " '2026-12-31', 'bogus', 0, 0)",
				       &T.diag),
			 YL_ERR_INVALID);
	yl_store_rollback(T.store);
	snapshot(after);
	assert_string_equal(before, after);
	check_all();

	ylt_begin(&T);
	yl_diag_clear(&T.diag);
	assert_int_equal(yl_contract_sign(&T.ctx, &in, &out), YL_OK);
	ylt_commit(&T);
	snapshot(before);
	ylt_begin(&T);
	ch.team_id = team_b;
	ch.reason = "moved";
	assert_int_equal(yl_contract_change(&T.ctx, out.id, &ch, NULL), YL_OK);
	assert_int_equal(held(team_a), 0);
	assert_int_equal(held(team_b), 1);
	yl_store_rollback(T.store);
	snapshot(after);
	assert_string_equal(before, after);
	assert_int_equal(held(team_a), 1);
	check_all();
}

/* Migration 8 re-run on a database with contracts recounts team_held (even one that has
 * drifted) and puts its triggers back. */
static void test_migration_rebuilds_held(void **state)
{
	struct yl_contract_sign in = {0};
	char before[512], after[512];
	int64_t team;
	(void)state;

	yl_store_rollback(T.store);
	step = 0;
	snprintf(doing, sizeof(doing), "migration 8 re-run");
	assert_true(ylt_count(&T, "contracts") > 0);
	snapshot(before);
	sql("UPDATE team_held SET contracts = contracts + 7");
	sql("DELETE FROM schema_migrations WHERE version >= 8");
	yl_store_close(T.store);
	if (yl_store_open(T.path, YL_STORE_CREATE, &T.store, &T.diag))
		fail_msg("reopen: %s", T.diag.message);
	T.ctx.store = T.store;
	assert_int_equal(yl_store_schema_version(T.store), yl_store_schema_latest());
	snapshot(after);
	assert_string_equal(before, after);
	check_all();

	team = ylt_gp_team(&T, 4, 5);
	assert_int_equal(held(team), 0);
	in.resident_id = add_resident();
	in.team_id = team;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	ylt_begin(&T);
	yl_diag_clear(&T.diag);
	assert_int_equal(yl_contract_sign(&T.ctx, &in, NULL), YL_OK);
	ylt_commit(&T);
	assert_int_equal(held(team), 1);
	check_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_history_matches_reference),
	    cmocka_unit_test(test_rollback_keeps_held),
	    cmocka_unit_test(test_migration_rebuilds_held),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
