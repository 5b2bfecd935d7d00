/* The real `yilian` binary on `referral create | accept | reject | cancel | arrive | complete
 * | list`. A full path (an inpatient up-referral from a township centre to the county
 * hospital: create, accept with an admission date, arrive, complete) with the database
 * checked after each step; a reject and a cancel; the list with its derived status; then
 * every refusal: its exit code, a message naming the problem, and the database left exactly
 * as it was. The binary runs on the system clock, so the admission date is days from today. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "ylt_booking.h"
#include "ylt_cli.h"

static struct ylt_db T;
static int64_t dept, resident;      /* residents resident .. resident + 3 */
static int64_t done_ref;            /* the completed referral, set by test_full_path */
static char admission[YL_DATE_LEN]; /* two days from today */

/* Everything a refused referral write could have touched, one value a query. */
static const char *const SNAP[] = {
	"SELECT count(*) FROM referrals",
	"SELECT coalesce(sum(id * length(status) + updated_at % 1000 + length(coalesce("
	"status_reason, '')) + length(coalesce(planned_admission_date, ''))), 0) FROM referrals",
	"SELECT count(*) FROM referral_events",
	"SELECT count(*) FROM bookings",
	"SELECT count(*) FROM audit_log",
	"SELECT coalesce(sum(value), 0) FROM measure_agg",
	NULL,
};

/* Runs a command that must be refused with code and a message containing needle, and checks
 * that the database is unchanged. */
static void expect_fail(int code, const char *needle, const char *args)
{
	ylt_cli_expect_refused(&T, SNAP, code, needle, args);
}

static int64_t with_status(int64_t id, const char *status)
{
	return yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND status = '%s'",
			   (long long)id, status);
}

static int64_t events_of(int64_t id)
{
	return yltb_scalar(&T, "SELECT count(*) FROM referral_events WHERE referral_id = %lld",
			   (long long)id);
}

/* An up-referral from the first township centre (3) to the county hospital (2). */
static int64_t create_up(const char *care, int64_t who)
{
	char args[512], out[4096];

	snprintf(args, sizeof(args), "referral create --db '%s' --direction up --care %s"
		 " --resident %lld --from 3 --to 2 --department %lld --diagnosis I10"
		 " --reason 'blood pressure not controlled'", T.path, care, (long long)who,
		 (long long)dept);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": requested, up "));
	return ylt_cli_printed_id(out, "referral");
}

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	dept = yltb_department(&T, 2, "心内科");
	resident = yltb_residents(&T, 4);
	ylt_commit(&T);
	yl_date_format(yl_clock_today(NULL) + 2, admission);
	return 0;
}

static void test_help(void **state)
{
	char out[8192];

	(void)state;
	ylt_cli_must_run(out, sizeof(out), "referral --help");
	assert_non_null(strstr(out, "referral create --db FILE --direction up|down|lateral"));
	assert_non_null(strstr(out, "referral accept --db FILE --id N [--slot N] [--admission"));
	assert_non_null(strstr(out, "referral reject --db FILE --id N --reason TEXT"));
	assert_non_null(strstr(out, "referral cancel --db FILE --id N --reason TEXT"));
	assert_non_null(strstr(out, "referral arrive"));
	assert_non_null(strstr(out, "referral complete"));
	assert_non_null(strstr(out, "referral list --db FILE [--resident N] [--status S]"));
	for (const char *const *v = (const char *const[]){"create", "accept", "reject", "cancel",
							   "arrive", "complete", "list", NULL};
	     *v; v++) {
		char args[64];

		snprintf(args, sizeof(args), "referral %s --help", *v);
		ylt_cli_must_run(out, sizeof(out), args);
		assert_non_null(strstr(out, "--diagnosis"));
		assert_non_null(strstr(out, "--admission"));
	}
	ylt_cli_must_run(out, sizeof(out), "--help");
	assert_non_null(strstr(out, "referral"));
}

/* create -> accept (inpatient, admission date) -> arrive -> complete, checked at each step. */
static void test_full_path(void **state)
{
	char args[512], out[4096];
	int64_t id;

	(void)state;
	id = create_up("inpatient", resident);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " direction = 'up' AND care_type = 'inpatient' AND resident_id"
				     " = %lld AND from_institution_id = 3 AND to_institution_id = 2 AND"
				     " to_department_id = %lld AND diagnosis_code = 'I10' AND reason ="
				     " 'blood pressure not controlled' AND status = 'requested'",
				     (long long)id, (long long)resident, (long long)dept), 1);
	assert_int_equal(events_of(id), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM audit_log WHERE entity = 'referral'"
				     " AND entity_id = '%lld' AND actor = 'system:referral'",
				     (long long)id), 1);
	/* the live aggregates count the request (ref_issued, ref_up_ip) at once */
	assert_int_equal(yltb_scalar(&T, "SELECT coalesce(sum(value), 0) FROM measure_agg WHERE"
				     " measure = 'ref_up_ip' AND institution_id = 3"), 1);

	snprintf(args, sizeof(args), "referral accept --db '%s' --id %lld --admission %s", T.path,
		 (long long)id, admission);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": accepted,"));
	assert_non_null(strstr(out, admission));
	assert_int_equal(with_status(id, "accepted"), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " planned_admission_date = '%s' AND booking_id IS NULL",
				     (long long)id, admission), 1);
	assert_int_equal(events_of(id), 2);

	snprintf(args, sizeof(args), "referral arrive --db '%s' --id %lld", T.path, (long long)id);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": arrived,"));
	assert_int_equal(with_status(id, "arrived"), 1);
	assert_int_equal(events_of(id), 3);

	snprintf(args, sizeof(args), "referral complete --db '%s' --id %lld", T.path,
		 (long long)id);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": completed,"));
	assert_int_equal(with_status(id, "completed"), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referral_events WHERE referral_id ="
				     " %lld AND from_status = 'arrived' AND to_status = 'completed'"
				     " AND actor = 'system:referral'", (long long)id), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT coalesce(sum(value), 0) FROM measure_agg WHERE"
				     " measure = 'ref_completed' AND institution_id = 3"), 1);
	done_ref = id;
}

/* A reject by the target and a cancel by the sender, each with its reason; then the list. */
static void test_reject_cancel_list(void **state)
{
	char args[512], out[8192];
	int64_t r1, r2;

	(void)state;
	r1 = create_up("outpatient", resident + 1);
	snprintf(args, sizeof(args), "referral reject --db '%s' --id %lld --reason 'no bed'",
		 T.path, (long long)r1);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": rejected,"));
	assert_non_null(strstr(out, "reason: no bed"));
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " status = 'rejected' AND status_reason = 'no bed'",
				     (long long)r1), 1);

	r2 = create_up("outpatient", resident + 1);
	snprintf(args, sizeof(args), "referral cancel --db '%s' --id %lld --reason 'went home'",
		 T.path, (long long)r2);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, ": cancelled,"));
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " status = 'cancelled' AND status_reason = 'went home'",
				     (long long)r2), 1);

	snprintf(args, sizeof(args), "referral list --db '%s' --resident %lld", T.path,
		 (long long)resident + 1);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, "rejected"));
	assert_non_null(strstr(out, "no bed"));
	assert_non_null(strstr(out, "cancelled"));
	assert_non_null(strstr(out, "2 referrals"));
	snprintf(args, sizeof(args), "referral list --db '%s' --status completed", T.path);
	ylt_cli_must_run(out, sizeof(out), args);
	assert_non_null(strstr(out, "completed"));
	assert_non_null(strstr(out, "1 referral\n"));
}

/* Every refusal: an exit code, a message naming the problem, nothing written. */
static void test_refusals(void **state)
{
	char args[512];
	int64_t open_ref;

	(void)state;
	assert_true(done_ref > 0);
	/* wrong state: 75 */
	snprintf(args, sizeof(args), "referral arrive --db '%s' --id %lld", T.path,
		 (long long)done_ref);
	expect_fail(75, "completed referral", args);
	snprintf(args, sizeof(args), "referral accept --db '%s' --id %lld --admission %s", T.path,
		 (long long)done_ref, admission);
	expect_fail(75, "cannot accept", args);
	snprintf(args, sizeof(args), "referral cancel --db '%s' --id %lld --reason late", T.path,
		 (long long)done_ref);
	expect_fail(75, "cannot cancel", args);
	/* unknown id: 66 */
	snprintf(args, sizeof(args), "referral complete --db '%s' --id 99999", T.path);
	expect_fail(66, "no referral with id 99999", args);
	snprintf(args, sizeof(args), "referral reject --db '%s' --id 99999 --reason x", T.path);
	expect_fail(66, "no referral with id 99999", args);
	snprintf(args, sizeof(args), "referral create --db '%s' --direction up --care outpatient"
		 " --resident 99999 --from 3 --to 2 --diagnosis I10 --reason x", T.path);
	expect_fail(66, "resident", args);
	snprintf(args, sizeof(args), "referral list --db '%s' --resident 99999", T.path);
	expect_fail(66, "no resident with id 99999", args);
	/* bad values: 65 */
	snprintf(args, sizeof(args), "referral create --db '%s' --direction up --care outpatient"
		 " --resident %lld --from 3 --to 2 --diagnosis XYZ --reason x", T.path,
		 (long long)resident + 2);
	expect_fail(65, "diagnosis", args);
	snprintf(args, sizeof(args), "referral create --db '%s' --direction sideways --care"
		 " outpatient --resident %lld --from 3 --to 2 --diagnosis I10 --reason x", T.path,
		 (long long)resident + 2);
	expect_fail(65, "direction must be up, down or lateral", args);
	snprintf(args, sizeof(args), "referral create --db '%s' --direction up --care outpatient"
		 " --resident %lld --from 2 --to 3 --diagnosis I10 --reason x", T.path,
		 (long long)resident + 2);
	expect_fail(65, "to_institution_id", args); /* up to a lower level */
	snprintf(args, sizeof(args), "referral list --db '%s' --status lost", T.path);
	expect_fail(65, "status must be", args);
	open_ref = create_up("inpatient", resident + 3);
	snprintf(args, sizeof(args), "referral accept --db '%s' --id %lld", T.path,
		 (long long)open_ref);
	expect_fail(65, "planned_admission_date", args);
	/* usage: 64 */
	snprintf(args, sizeof(args), "referral create --db '%s' --direction up --care outpatient"
		 " --resident %lld --from 3 --to 2 --diagnosis I10", T.path, (long long)resident + 2);
	expect_fail(64, "create needs --reason TEXT", args);
	snprintf(args, sizeof(args), "referral reject --db '%s' --id %lld", T.path,
		 (long long)open_ref);
	expect_fail(64, "reject needs --reason TEXT", args);
	snprintf(args, sizeof(args), "referral cancel --db '%s' --id %lld", T.path,
		 (long long)open_ref);
	expect_fail(64, "cancel needs --reason TEXT", args);
	snprintf(args, sizeof(args), "referral create --db '%s' --care outpatient --resident %lld"
		 " --from 3 --diagnosis I10 --reason x", T.path, (long long)resident + 2);
	expect_fail(64, "create needs --direction", args);
	snprintf(args, sizeof(args), "referral arrive --db '%s'", T.path);
	expect_fail(64, "arrive needs --id N", args);
	snprintf(args, sizeof(args), "referral accept --db '%s' --id %lld --admission tomorrow",
		 T.path, (long long)open_ref);
	expect_fail(64, "--admission must be a date", args);
	snprintf(args, sizeof(args), "referral accept --db '%s' --id x", T.path);
	expect_fail(64, "--id must be an integer", args);
	snprintf(args, sizeof(args), "referral approve --db '%s' --id 1", T.path);
	expect_fail(64, "'create', 'accept', 'reject'", args);
	/* the open one is still requested after all that */
	assert_int_equal(with_status(open_ref, "requested"), 1);
	assert_int_equal(events_of(open_ref), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_full_path),
		cmocka_unit_test(test_reject_cancel_list),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
