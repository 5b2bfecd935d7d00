/* The real `yilian` binary on booking: `schedule generate` (counts, idempotent, refusals),
 * `schedule policy` (default, set, kept, refusals), `booking stats` (the indicator table with
 * hand-computed figures, null where not computable, bad scopes and dates) and `booking list`
 * (derived statuses). The binary runs on the system clock, so generation uses days after
 * today and the bookings lie in 2020, long ended. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "ylt_booking.h"
#include "ylt_cli.h"

static struct ylt_db T;
static int64_t resident_a, resident_b;

static void expect_fail(int code, const char *needle, const char *fmt, const char *arg)
{
	char out[4096];
	int rc = ylt_cli_runf(out, sizeof(out), fmt, T.path, arg);

	if (rc != code || !strstr(out, needle))
		fail_msg("%s %s: exit %d (want %d), output: %s", fmt, arg, rc, code, out);
}

/* The row of the indicator table named name: numerator, denominator and value as printed. */
static void row(const char *out, const char *name, long long *num, char den[16], char val[16])
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s ", name);
	p = strstr(out, pat);
	if (!p || sscanf(p + strlen(pat), "%lld %15s %15s", num, den, val) != 3)
		fail_msg("no row %s in: %s", name, out);
}

static void book(int64_t slot, int64_t resident, const char *pool, const char *status)
{
	yltb_exec(&T, "INSERT INTO bookings(slot_id, resident_id, institution_id, department_id,"
		  " date, pool, status, created_at, updated_at) SELECT s.id, %lld,"
		  " s.institution_id, s.department_id, e.date, '%s', '%s', %lld, %lld FROM slots s"
		  " JOIN sessions e ON e.id = s.session_id WHERE s.id = %lld", (long long)resident,
		  pool, status, (long long)yltb_at("2020-01-07", "09:00"),
		  (long long)yltb_at("2020-01-07", "09:00"), (long long)slot);
}

static int setup(void **state)
{
	int64_t dept, session, slot;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	dept = yltb_department(&T, 2, "内科");
	/* One template per weekday, 08:00-10:00 in 30-minute slots: 4 slots a day. */
	for (int wd = 1; wd <= 7; wd++)
		yltb_exec(&T, "INSERT INTO schedule_templates(institution_id, department_id, weekday,"
			  " start_time, end_time, slot_minutes, capacity, quota_family_doctor,"
			  " quota_referral, valid_from, active, created_at) VALUES (2, %lld, %d,"
			  " '08:00', '10:00', 30, 10, 2, 1, '2020-01-01', 1, 0)", (long long)dept, wd);
	/* Slot dates 2020-01-10: capacity 10, family doctor 2, referral 1. */
	session = yltb_session(&T, dept, "2020-01-10", "08:00", "12:00");
	slot = yltb_slot(&T, session, "08:00", 30, 10, 2, 1);
	resident_a = yltb_residents(&T, 3);
	resident_b = resident_a + 1;
	book(slot, resident_a, "family_doctor", "booked");
	book(slot, resident_b, "public", "seen");
	ylt_commit(&T);
	return 0;
}

static void test_help(void **state)
{
	char out[4096];

	(void)state;
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "--help"), 0);
	assert_non_null(strstr(out, "schedule"));
	assert_non_null(strstr(out, "booking"));
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "schedule --help"), 0);
	assert_non_null(strstr(out, "usage"));
	assert_non_null(strstr(out, "--release-time"));
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "booking --help"), 0);
	assert_non_null(strstr(out, "usage"));
	assert_non_null(strstr(out, "--consortium"));
}

static void test_schedule_generate(void **state)
{
	char out[4096], from[YL_DATE_LEN], to[YL_DATE_LEN], yesterday[YL_DATE_LEN];
	int32_t today = yl_clock_today(NULL);

	(void)state;
	yl_date_format(today + 1, from);
	yl_date_format(today + 7, to);
	yl_date_format(today - 1, yesterday);
	if (ylt_cli_runf(out, sizeof(out), "schedule generate --db '%s' --institution 2 --from %s"
			 " --to %s", T.path, from, to) != 0)
		fail_msg("generate: %s", out);
	assert_non_null(strstr(out, "7 sessions and 28 slots generated"));
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM slots WHERE starts_at > %lld",
				     (long long)yltb_at("2021-01-01", "00:00")), 28);
	/* Again: nothing new. */
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "schedule generate --db '%s' --institution"
				      " 2 --from %s --to %s", T.path, from, to), 0);
	assert_non_null(strstr(out, "0 sessions and 0 slots generated"));

	expect_fail(65, "from", "schedule generate --db '%s' --institution 2 --from %s"
		    " --to 2099-01-01", yesterday);
	expect_fail(66, "institution", "schedule generate --db '%s' --institution %s"
		    " --from 2099-01-01 --to 2099-01-02", "99");
	expect_fail(64, "--from must be a date", "schedule generate --db '%s' --institution 2"
		    " --from %s --to 2099-01-02", "2099-13-01");
	expect_fail(64, "--to DATE is required", "schedule generate --db '%s' --institution 2"
		    " --from %s", "2099-01-01");
	expect_fail(64, "--institution N is required", "schedule generate --db '%s' --from %s",
		    "2099-01-01");
	expect_fail(64, "say 'generate' or 'policy'", "schedule frob --db '%s' %s", "");
	expect_fail(64, "unknown option", "schedule generate --db '%s' --institutions %s", "2");
}

static void test_schedule_policy(void **state)
{
	char out[4096];

	(void)state;
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "schedule policy --db '%s' --institution 3",
				      T.path), 0);
	assert_non_null(strstr(out, "(default policy)"));
	assert_non_null(strstr(out, "release_time         08:00"));
	if (ylt_cli_runf(out, sizeof(out), "schedule policy --db '%s' --institution 3 --days-ahead"
			 " 14 --release-time 07:30", T.path) != 0)
		fail_msg("set: %s", out);
	assert_null(strstr(out, "default"));
	assert_non_null(strstr(out, "days_ahead           14"));
	assert_non_null(strstr(out, "release_time         07:30"));
	/* Kept, and the settings not given keep their values. */
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "schedule policy --db '%s' --institution 3 "
				      "--fallback-hours 12", T.path), 0);
	assert_non_null(strstr(out, "days_ahead           14"));
	assert_non_null(strstr(out, "fallback_hours       12"));
	assert_non_null(strstr(out, "cancel_cutoff_hours  2"));

	expect_fail(65, "release_time", "schedule policy --db '%s' --institution 3"
		    " --release-time %s", "25:00");
	expect_fail(65, "days_ahead", "schedule policy --db '%s' --institution 3 --days-ahead %s",
		    "91");
	expect_fail(64, "--fallback-hours must be an integer", "schedule policy --db '%s'"
		    " --institution 3 --fallback-hours %s", "soon");
	expect_fail(66, "institution", "schedule policy --db '%s' --institution %s", "99");
	/* A refused change wrote nothing. */
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "schedule policy --db '%s' --institution 3",
				      T.path), 0);
	assert_non_null(strstr(out, "release_time         07:30"));
}

static void test_booking_stats(void **state)
{
	char out[8192], den[16], val[16];
	long long num;

	(void)state;
	if (ylt_cli_runf(out, sizeof(out), "booking stats --db '%s' --institution 2 --from"
			 " 2020-01-01 --to 2020-01-31", T.path) != 0)
		fail_msg("stats: %s", out);
	row(out, "reserved_pool_use.family_doctor", &num, den, val);
	assert_int_equal(num, 1);
	assert_string_equal(den, "2");
	assert_string_equal(val, "0.5000");
	row(out, "reserved_pool_use.referral", &num, den, val);
	assert_int_equal(num, 0);
	assert_string_equal(den, "1");
	assert_string_equal(val, "0.0000");
	row(out, "reserved_pool_use.reserved", &num, den, val);
	assert_int_equal(num, 1);
	assert_string_equal(den, "3");
	assert_string_equal(val, "0.3333");
	row(out, "no_show_rate", &num, den, val);
	assert_int_equal(num, 1);
	assert_string_equal(den, "2");
	assert_string_equal(val, "0.5000");
	row(out, "avg_days_booking_to_visit", &num, den, val);
	assert_int_equal(num, 3); /* booked 01-07, seen 01-10 */
	assert_string_equal(den, "1");
	assert_string_equal(val, "3.00");
	/* Outpatient encounters, not seen bookings: none recorded here, so not computable. */
	row(out, "appointment_rate", &num, den, val);
	assert_int_equal(num, 0);
	assert_string_equal(den, "0");
	assert_string_equal(val, "null");

	/* An area with nothing booked: zero denominators print null. */
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "booking stats --db '%s' --area 440106002"
				      " --from 2020-01-01 --to 2020-01-31", T.path), 0);
	row(out, "no_show_rate", &num, den, val);
	assert_int_equal(num, 0);
	assert_string_equal(den, "0");
	assert_string_equal(val, "null");

	expect_fail(65, "give one of", "booking stats --db '%s' --from 2020-01-01 --to %s",
		    "2020-01-31");
	expect_fail(65, "give only one", "booking stats --db '%s' --institution 2 --area 440106"
		    " --from 2020-01-01 --to %s", "2020-01-31");
	expect_fail(65, "from", "booking stats --db '%s' --institution 2 --from %s"
		    " --to 2020-01-31", "2020-1-1");
	expect_fail(65, "is before from", "booking stats --db '%s' --institution 2"
		    " --from 2020-02-01 --to %s", "2020-01-31");
	expect_fail(65, "to is required", "booking stats --db '%s' --consortium 1 --from %s",
		    "2020-01-01");
	expect_fail(66, "no area", "booking stats --db '%s' --area %s --from 2020-01-01"
		    " --to 2020-01-31", "449999");
	expect_fail(66, "no consortium", "booking stats --db '%s' --consortium %s"
		    " --from 2020-01-01 --to 2020-01-31", "9");
	expect_fail(64, "--institution must be an integer", "booking stats --db '%s'"
		    " --institution %s --from 2020-01-01 --to 2020-01-31", "two");
	expect_fail(64, "say 'stats' or 'list'", "booking count --db '%s' %s", "");
}

static void test_booking_list(void **state)
{
	char out[8192];

	(void)state;
	if (ylt_cli_runf(out, sizeof(out), "booking list --db '%s' --resident %lld", T.path,
			 (long long)resident_a) != 0)
		fail_msg("list: %s", out);
	assert_non_null(strstr(out, "2020-01-10"));
	assert_non_null(strstr(out, "no_show")); /* still booked after the slot ended */
	assert_non_null(strstr(out, "family_doctor"));
	assert_non_null(strstr(out, "1 booking\n"));
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "booking list --db '%s' --resident %lld",
				      T.path, (long long)resident_b), 0);
	assert_non_null(strstr(out, "seen"));
	assert_int_equal(ylt_cli_runf(out, sizeof(out), "booking list --db '%s' --resident %lld",
				      T.path, (long long)resident_a + 2), 0);
	assert_non_null(strstr(out, "0 bookings"));

	expect_fail(66, "no resident", "booking list --db '%s' --resident %s", "999");
	expect_fail(64, "--resident N is required", "booking list --db '%s' %s", "");
	expect_fail(64, "--resident must be an integer", "booking list --db '%s' --resident %s",
		    "-1");
	expect_fail(74, "cannot open database", "booking list --db '%s/missing.db' --resident %s",
		    "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_schedule_generate),
		cmocka_unit_test(test_schedule_policy),
		cmocka_unit_test(test_booking_stats),
		cmocka_unit_test(test_booking_list),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
