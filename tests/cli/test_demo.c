/* CLI: `yilian demo` as the real binary (YILIAN_BIN) on a small county (5,000 residents)
 * simulated for its last 60 days, run twice with one seed: it exits 0 quickly, both databases
 * hold the same activity (determinism), every kind of encounter and referrals both ways exist
 * (about 11 up-referrals are expected: 5,000 x 6.8 x 60 / 365 visits, half at primary level,
 * 0.4 % of those referred), no visit or discharge date lies in the future, some encounters
 * came from bookings, and the report was printed. */
#include "yltest.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ylt_cli.h"

static char DIR_[64];

static int setup(void **state)
{
	ylt_tmpdir(DIR_, "/tmp/yl-demo-XXXXXX");
	*state = DIR_;
	return 0;
}

/* Runs the demo into DIR/name; returns the exit status and the wall time in *secs. */
static int demo(const char *name, double *secs)
{
	const char *bin = ylt_cli_bin();
	char cmd[1024];
	double t0 = yl_monotonic();
	int st;

	snprintf(cmd, sizeof(cmd),
		 "'%s' demo --db '%s/%s' --residents 5000 --townships 3 --days 60 --seed 7"
		 " >'%s/%s.out' 2>'%s/%s.err'",
		 bin, DIR_, name, DIR_, name, DIR_, name);
	st = system(cmd);
	*secs = yl_monotonic() - t0;
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* What must agree between two runs of one seed (ids, amounts, statuses; not tokens or
 * timestamps of the real clock). */
static const char *const FACTS[] = {
	"SELECT count(*) FROM encounters WHERE kind = 'outpatient'",
	"SELECT count(*) FROM encounters WHERE kind = 'emergency'",
	"SELECT count(*) FROM encounters WHERE kind = 'inpatient'",
	"SELECT count(*) FROM referrals",
	"SELECT count(*) FROM referrals WHERE status = 'completed'",
	"SELECT count(*) FROM referral_events",
	"SELECT count(*) FROM bookings",
	"SELECT count(*) FROM encounter_diagnoses",
	"SELECT count(*) FROM care_plan_items",
	"SELECT total(fund_paid + out_of_pocket) FROM encounters",
	"SELECT total(resident_id * 7 + institution_id) FROM encounters",
	"SELECT total(julianday(visit_date)) FROM encounters",
};
enum { NFACTS = sizeof(FACTS) / sizeof(FACTS[0]) };

static void facts(const char *name, int64_t out[NFACTS])
{
	char path[128];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/%s", DIR_, name);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int i = 0; i < NFACTS; i++)
		out[i] = scalar(db, FACTS[i]);
	sqlite3_close(db);
}

static void test_demo_activity(void **state)
{
	int64_t a[NFACTS], b[NFACTS];
	char path[128];
	double secs;
	sqlite3 *db;

	(void)state;
	assert_int_equal(demo("a.db", &secs), 0);
	assert_true(secs < 20.0);
	assert_int_equal(demo("b.db", &secs), 0);
	assert_true(secs < 20.0);
	facts("a.db", a);
	facts("b.db", b);
	for (int i = 0; i < NFACTS; i++)
		if (a[i] != b[i])
			fail_msg("not deterministic: %s gives %lld then %lld", FACTS[i],
				 (long long)a[i], (long long)b[i]);
	assert_true(a[0] > 0 && a[1] > 0 && a[2] > 0);
	assert_true(a[3] > 0);

	snprintf(path, sizeof(path), "%s/a.db", DIR_);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	/* both directions, and referrals that got somewhere */
	assert_true(scalar(db, "SELECT count(*) FROM referrals WHERE direction = 'up'") > 0);
	assert_true(scalar(db, "SELECT count(*) FROM referrals WHERE direction = 'down'") > 0);
	/* no date in the future of Asia/Shanghai's today (the demo runs on the real clock) */
	assert_int_equal(scalar(db, "SELECT count(*) FROM encounters WHERE visit_date >"
				" date('now', '+8 hours') OR discharge_date > date('now', '+8 hours')"),
			 0);
	assert_true(scalar(db, "SELECT count(*) FROM encounters WHERE booking_id IS NOT NULL") > 0);
	/* the simulator's bookkeeping says the year ended today */
	assert_int_equal(scalar(db, "SELECT day FROM sim_state"),
			 scalar(db, "SELECT CAST(julianday(date('now', '+8 hours')) -"
				    " julianday('1970-01-01') AS INTEGER)"));
	/* an encounter from a booking marked it seen */
	assert_int_equal(scalar(db, "SELECT count(*) FROM encounters e JOIN bookings b ON"
				" b.id = e.booking_id WHERE b.status <> 'seen'"),
			 0);
	sqlite3_close(db);
	/* the indicator report with the combination rate and the national shape */
	{
		char out[128], buf[65536];
		size_t n;
		FILE *f;

		snprintf(out, sizeof(out), "%s/a.db.out", DIR_);
		f = fopen(out, "r");
		assert_non_null(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		assert_non_null(strstr(buf, "Indicator report"));
		assert_non_null(strstr(buf, "签约居民组合内就诊率"));
		assert_non_null(strstr(buf, "Visits per person-year"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_activity),
	};
	return cmocka_run_group_tests(tests, setup, ylt_tmpdir_teardown);
}
