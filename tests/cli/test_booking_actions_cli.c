/* The real `yilian` binary on the booking writes: `schedule template`, `schedule stop`,
 * `booking create | cancel | check-in | seen`. A full path (template, generate, create,
 * check-in, seen) with the database checked after each step; the idempotency key, a
 * cancellation and a stopped session; then every refusal: its exit code, a message naming
 * the problem, and the database left exactly as it was. The binary runs on the system clock,
 * so the path's slot is put a few minutes from now (check-in opens an hour before) and the
 * slots to cancel lie days ahead (the cancel cutoff is two hours). */
#include "yltest.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/schedule.h"
#include "ylt_booking.h"
#include "ylt_cli.h"

static struct ylt_db T;
static int64_t dept, resident;   /* residents resident .. resident + 5 */
static char now_date[YL_DATE_LEN]; /* the local date and times of the slot a few minutes on */
static char now_start[8], now_end[8];
static int64_t now_slot;          /* set by test_full_path */
static char later_date[YL_DATE_LEN]; /* three days on: far from the cancel cutoff */

/* Everything a refused write could have touched, one value a query. */
static const char *const SNAP[] = {
	"SELECT count(*) FROM bookings",
	"SELECT coalesce(sum(id * length(status) + length(coalesce(cancel_reason, ''))), 0) FROM"
	" bookings",
	"SELECT coalesce(sum(booked_public + 10 * booked_family_doctor + 100 * booked_referral +"
	" 1000 * capacity), 0) FROM slots",
	"SELECT count(*) FROM schedule_templates",
	"SELECT count(*) FROM sessions",
	"SELECT count(*) FROM sessions WHERE status = 'stopped'",
	"SELECT count(*) FROM audit_log",
	NULL,
};

/* Runs a command that must be refused with code and a message containing needle, and checks
 * that the database is unchanged. */
static void expect_fail(int code, const char *needle, const char *args)
{
	ylt_cli_expect_refused(&T, SNAP, code, needle, args);
}

static const char *status_of(int64_t booking)
{
	static const char *const names[] = {"booked", "cancelled", "checked_in", "seen"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (yltb_scalar(&T, "SELECT count(*) FROM bookings WHERE id = %lld AND status = '%s'",
				(long long)booking, names[i]))
			return names[i];
	return "?";
}

static void hhmm(int64_t sec_of_day, char out[8])
{
	snprintf(out, 8, "%02d:%02d", (int)(sec_of_day / 3600), (int)(sec_of_day % 3600 / 60));
}

static int setup(void **state)
{
	int64_t now = (int64_t)time(NULL), start, local, tod;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	dept = yltb_department(&T, 2, "内科");
	resident = yltb_residents(&T, 6);
	ylt_commit(&T);
	/* A 5-minute slot starting 3 to 7 minutes from now; one that would end after midnight
	 * moves to 00:00 of the next day, still well inside the hour check-in opens early. */
	start = ((now + 120) / 300 + 1) * 300;
	local = start + YL_SHANGHAI_OFFSET;
	tod = local % 86400;
	if (tod + 300 > 86400 - 60) {
		local += 86400 - tod;
		tod = 0;
	}
	yl_date_format((int32_t)(local / 86400), now_date);
	hhmm(tod, now_start);
	hhmm(tod + 300, now_end);
	yl_date_format(yl_clock_today(NULL) + 3, later_date);
	return 0;
}

static int weekday_of(const char *date)
{
	int32_t d;

	if (!yl_date_parse(date, &d))
		fail_msg("bad date %s", date);
	return yl_iso_weekday(d);
}

static void test_help(void **state)
{
	char out[8192];

	(void)state;
	ylt_cli_must_run(out, sizeof(out), "booking --help");
	assert_non_null(strstr(out, "booking create --db FILE --slot N --resident N"));
	assert_non_null(strstr(out, "booking cancel --db FILE --id N --reason TEXT"));
	assert_non_null(strstr(out, "booking check-in"));
	assert_non_null(strstr(out, "booking seen"));
	assert_non_null(strstr(out, "--key"));
	ylt_cli_must_run(out, sizeof(out), "booking create --help");
	assert_non_null(strstr(out, "--pool"));
	ylt_cli_must_run(out, sizeof(out), "schedule --help");
	assert_non_null(strstr(out, "schedule template --db FILE --department N"));
	assert_non_null(strstr(out, "schedule stop --db FILE --session N --reason TEXT"));
	assert_non_null(strstr(out, "--slot-minutes"));
	assert_non_null(strstr(out, "--quota-referral"));
}

/* template -> generate -> create -> check-in -> seen, the database checked at each step. */
static void test_full_path(void **state)
{
	char args[512], out[4096], want[64];
	int64_t tpl, booking;

	(void)state;
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday %d"
		 " --start %s --end %s --slot-minutes 5 --capacity 1 --from %s --to %s", T.path,
		 (long long)dept, weekday_of(now_date), now_start, now_end, now_date, now_date);
	ylt_cli_must_run(out, sizeof(out), args);
	tpl = ylt_cli_printed_id(out, "template");
	assert_non_null(strstr(out, "institution 2"));
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM schedule_templates WHERE id = %lld"
				     " AND department_id = %lld AND capacity = 1 AND start_time = '%s'"
				     " AND valid_to = '%s' AND active = 1", (long long)tpl,
				     (long long)dept, now_start, now_date), 1);

	snprintf(args, sizeof(args), "schedule generate --db '%s' --institution 2 --from %s"
		 " --to %s", T.path, now_date, now_date);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, "1 sessions and 1 slots generated"));
	now_slot = yltb_scalar(&T, "SELECT s.id FROM slots s JOIN sessions e ON e.id = s.session_id"
			       " WHERE e.template_id = %lld", (long long)tpl);
	assert_true(now_slot > 0);

	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident %lld",
		 T.path, (long long)now_slot, (long long)resident);
	ylt_cli_must_run(out, sizeof(out), args);
	booking = ylt_cli_printed_id(out, "booking");
	assert_non_null(strstr(out, ": booked,"));
	assert_non_null(strstr(out, "pool public"));
	/* times are local: the date and HH:MM-HH:MM the template said */
	snprintf(want, sizeof(want), "%s %s-%s Asia/Shanghai", now_date, now_start, now_end);
	if (!strstr(out, want))
		fail_msg("want '%s' in: %s", want, out);
	assert_string_equal(status_of(booking), "booked");
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)now_slot), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM bookings WHERE id = %lld AND"
				     " resident_id = %lld AND slot_id = %lld AND pool = 'public' AND"
				     " booked_by IS NULL", (long long)booking, (long long)resident,
				     (long long)now_slot), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM audit_log WHERE entity = 'booking'"
				     " AND entity_id = '%lld' AND actor = 'system:booking'",
				     (long long)booking), 1);

	snprintf(args, sizeof(args), "booking check-in --db '%s' --id %lld", T.path,
		 (long long)booking);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": checked_in,"));
	assert_string_equal(status_of(booking), "checked_in");

	snprintf(args, sizeof(args), "booking seen --db '%s' --id %lld", T.path, (long long)booking);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": seen,"));
	assert_string_equal(status_of(booking), "seen");
	/* a seen booking keeps its place */
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)now_slot), 1);
}

/* A slot days ahead: the idempotency key, a cancellation, then the session stopped. */
static void test_cancel_and_stop(void **state)
{
	char args[512], out[4096];
	int64_t tpl, session, slot, b1, b2;

	(void)state;
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday %d"
		 " --start 08:00 --end 09:00 --slot-minutes 30 --capacity 4"
		 " --quota-family-doctor 1 --quota-referral 1 --from %s", T.path, (long long)dept,
		 weekday_of(later_date), later_date);
	ylt_cli_must_run(out, sizeof(out), args);
	tpl = ylt_cli_printed_id(out, "template");
	assert_non_null(strstr(out, "valid"));
	assert_non_null(strstr(out, "to open"));
	snprintf(args, sizeof(args), "schedule generate --db '%s' --institution 2 --from %s"
		 " --to %s", T.path, later_date, later_date);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, "1 sessions and 2 slots generated"));
	session = yltb_scalar(&T, "SELECT id FROM sessions WHERE template_id = %lld", (long long)tpl);
	slot = yltb_scalar(&T, "SELECT min(id) FROM slots WHERE session_id = %lld",
			   (long long)session);

	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident %lld"
		 " --key desk-1", T.path, (long long)slot, (long long)resident + 2);
	ylt_cli_must_run(out, sizeof(out), args);
	b1 = ylt_cli_printed_id(out, "booking");
	assert_non_null(strstr(out, " 08:00-08:30 Asia/Shanghai"));
	/* the same key again: the same booking, nothing written */
	ylt_cli_must_run(out, sizeof(out), args);
	assert_int_equal(ylt_cli_printed_id(out, "booking"), b1);
	assert_non_null(strstr(out, "already made with this key"));
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), 1);

	snprintf(args, sizeof(args), "booking cancel --db '%s' --id %lld --reason 'fever gone'",
		 T.path, (long long)b1);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": cancelled,"));
	assert_non_null(strstr(out, "reason: fever gone"));
	assert_string_equal(status_of(b1), "cancelled");
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM bookings WHERE id = %lld AND"
				     " cancel_reason = 'fever gone'", (long long)b1), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), 0);

	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident %lld",
		 T.path, (long long)slot, (long long)resident + 3);
	ylt_cli_must_run(out, sizeof(out), args);
	b2 = ylt_cli_printed_id(out, "booking");

	snprintf(args, sizeof(args), "schedule stop --db '%s' --session %lld --reason 'doctor ill'",
		 T.path, (long long)session);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": stopped,"));
	assert_non_null(strstr(out, "1 booking cancelled"));
	assert_non_null(strstr(out, " 08:00-09:00 Asia/Shanghai"));
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM sessions WHERE id = %lld AND"
				     " status = 'stopped' AND stop_reason = 'doctor ill'",
				     (long long)session), 1);
	assert_string_equal(status_of(b2), "cancelled");
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM bookings WHERE id = %lld AND"
				     " cancel_reason = 'session stopped: doctor ill'",
				     (long long)b2), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), 0);
}

/* Every refusal: a non-zero exit, a message naming the problem, nothing written. */
static void test_refusals(void **state)
{
	char args[512];
	int64_t seen, cancelled, session;

	(void)state;
	assert_true(now_slot > 0);
	seen = yltb_scalar(&T, "SELECT id FROM bookings WHERE status = 'seen'");
	cancelled = yltb_scalar(&T, "SELECT min(id) FROM bookings WHERE status = 'cancelled'");
	session = yltb_scalar(&T, "SELECT id FROM sessions WHERE status = 'stopped'");

	/* booking create */
	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident %lld",
		 T.path, (long long)now_slot, (long long)resident + 1);
	expect_fail(75, "no free place in the public pool", args); /* slot_full: capacity 1 */
	snprintf(args, sizeof(args), "booking create --db '%s' --slot 99999 --resident %lld",
		 T.path, (long long)resident + 1);
	expect_fail(66, "no slot with id 99999", args);
	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident 99999",
		 T.path, (long long)now_slot);
	expect_fail(66, "resident", args);
	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident %lld"
		 " --pool referral", T.path, (long long)now_slot, (long long)resident + 1);
	expect_fail(77, "up-referral", args);
	snprintf(args, sizeof(args), "booking create --db '%s' --slot %lld --resident %lld"
		 " --pool vip", T.path, (long long)now_slot, (long long)resident + 1);
	expect_fail(64, "--pool must be public or family_doctor", args);
	snprintf(args, sizeof(args), "booking create --db '%s' --resident %lld", T.path,
		 (long long)resident + 1);
	expect_fail(64, "create needs --slot N and --resident N", args);
	snprintf(args, sizeof(args), "booking create --db '%s' --slot x --resident 1", T.path);
	expect_fail(64, "--slot must be an integer", args);

	/* booking cancel, check-in, seen */
	snprintf(args, sizeof(args), "booking cancel --db '%s' --id %lld", T.path, (long long)seen);
	expect_fail(64, "cancel needs --reason TEXT", args);
	snprintf(args, sizeof(args), "booking cancel --db '%s' --id %lld --reason ''", T.path,
		 (long long)seen);
	expect_fail(65, "reason is required", args);
	snprintf(args, sizeof(args), "booking cancel --db '%s' --id %lld --reason moved", T.path,
		 (long long)seen);
	expect_fail(75, "seen", args);
	snprintf(args, sizeof(args), "booking check-in --db '%s' --id %lld", T.path,
		 (long long)seen);
	expect_fail(75, "is seen; it must be booked", args);
	snprintf(args, sizeof(args), "booking check-in --db '%s' --id %lld", T.path,
		 (long long)cancelled);
	expect_fail(75, "was stopped", args); /* its session was stopped after it was cancelled */
	snprintf(args, sizeof(args), "booking seen --db '%s' --id 99999", T.path);
	expect_fail(66, "99999", args);
	snprintf(args, sizeof(args), "booking check-in --db '%s'", T.path);
	expect_fail(64, "check-in needs --id N", args);
	snprintf(args, sizeof(args), "booking confirm --db '%s' --id 1", T.path);
	expect_fail(64, "'create', 'cancel', 'check-in' or 'seen'", args);

	/* schedule template */
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday 8"
		 " --start 08:00 --end 12:00 --slot-minutes 30 --capacity 5 --from 2099-01-01",
		 T.path, (long long)dept);
	expect_fail(65, "weekday must be 1-7", args);
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday mon"
		 " --start 08:00 --end 12:00 --slot-minutes 30 --capacity 5 --from 2099-01-01",
		 T.path, (long long)dept);
	expect_fail(64, "--weekday must be an integer", args);
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday 1"
		 " --start 12:00 --end 08:00 --slot-minutes 30 --capacity 5 --from 2099-01-01",
		 T.path, (long long)dept);
	expect_fail(65, "end_time must be after start_time", args);
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday 1"
		 " --start 08:00 --end 12:00 --slot-minutes 30 --capacity 5 --quota-referral 6"
		 " --from 2099-01-01", T.path, (long long)dept);
	expect_fail(65, "quota_referral", args);
	snprintf(args, sizeof(args), "schedule template --db '%s' --department 99999 --weekday 1"
		 " --start 08:00 --end 12:00 --slot-minutes 30 --capacity 5 --from 2099-01-01",
		 T.path);
	expect_fail(66, "department", args);
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday 1"
		 " --start 08:00 --end 12:00 --capacity 5 --from 2099-01-01", T.path,
		 (long long)dept);
	expect_fail(64, "template needs --slot-minutes N", args);
	snprintf(args, sizeof(args), "schedule template --db '%s' --department %lld --weekday 1"
		 " --start 08:00 --end 12:00 --slot-minutes 30 --capacity 5 --from 2099-02-01"
		 " --to 2099-01-01", T.path, (long long)dept);
	expect_fail(65, "valid_to is before valid_from", args);

	/* schedule stop */
	snprintf(args, sizeof(args), "schedule stop --db '%s' --session %lld --reason again",
		 T.path, (long long)session);
	expect_fail(75, "stopped", args);
	snprintf(args, sizeof(args), "schedule stop --db '%s' --session 99999 --reason x", T.path);
	expect_fail(66, "99999", args);
	snprintf(args, sizeof(args), "schedule stop --db '%s' --session %lld", T.path,
		 (long long)session);
	expect_fail(64, "stop needs --reason TEXT", args);
	snprintf(args, sizeof(args), "schedule stop --db '%s' --reason x", T.path);
	expect_fail(64, "stop needs --session N", args);
	snprintf(args, sizeof(args), "schedule halt --db '%s' --session 1", T.path);
	expect_fail(64, "'template' or 'stop'", args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_full_path),
		cmocka_unit_test(test_cancel_and_stop),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
