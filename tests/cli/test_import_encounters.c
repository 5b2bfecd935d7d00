/* CLI: `yilian import` of encounters, as the real binary (YILIAN_BIN) on JSON Lines (nested
 * costs) and CSV (flat cost_* columns, diagnoses as a ';' list): rows land with their
 * diagnoses, a booking becomes seen, and one bad row imports nothing and names FILE:LINE and
 * the field. */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ylt_booking.h"
#include "ylt_cli.h"

static struct ylt_db T;
static char ERR[4096];
static int64_t R1, BOOKING;

static int setup(void **state)
{
	int64_t dept, slot;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	R1 = yltb_residents(&T, 2);
	dept = yltb_department(&T, 2, "内科");
	slot = yltb_slot(&T, yltb_session(&T, dept, "2026-03-14", "08:00", "12:00"), "08:00", 30,
			 10, 0, 0);
	yltb_exec(&T, "INSERT INTO bookings(slot_id, resident_id, institution_id, department_id,"
		  " date, pool, status, created_at, updated_at) VALUES (%lld, %lld, 2, %lld,"
		  " '2026-03-14', 'public', 'booked', 0, 0)", (long long)slot, (long long)R1,
		  (long long)dept);
	BOOKING = yltb_scalar(&T, "SELECT max(id) FROM bookings");
	ylt_commit(&T);
	return 0;
}

/* Runs `yilian import --db DB DIR/name`; returns the exit status, stderr in ERR. */
static int import(const char *name)
{
	const char *bin = ylt_cli_bin();
	char cmd[1024], err[200];
	int st;

	snprintf(err, sizeof(err), "%s/err.txt", T.dir);
	snprintf(cmd, sizeof(cmd), "'%s' import --db '%s' '%s/%s' >/dev/null 2>'%s'", bin, T.path,
		 T.dir, name, err);
	st = system(cmd);
	ylt_cli_slurp(err, ERR, sizeof(ERR));
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_jsonl(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text),
		 "{\"kind\":\"outpatient\",\"resident_id\":%lld,\"institution_id\":2,"
		 "\"visit_date\":\"2026-03-14\",\"diagnoses\":[\"I10\",\"E11.900\"],\"costs\":"
		 "{\"drugs\":100,\"exams\":50},\"fund_paid\":90,\"out_of_pocket\":60,"
		 "\"booking_id\":%lld}\n"
		 "{\"kind\":\"inpatient\",\"resident_id\":%lld,\"institution_id\":1,"
		 "\"visit_date\":\"2026-03-01\",\"discharge_date\":\"2026-03-08\",\"diagnoses\":"
		 "[\"I63.900\"],\"costs\":{\"bed\":7000,\"drugs\":30000},\"fund_paid\":25000,"
		 "\"out_of_pocket\":12000}\n",
		 (long long)R1, (long long)BOOKING, (long long)R1 + 1);
	ylt_cli_write_file(T.dir, "encounters.jsonl", text);
	if (import("encounters.jsonl") != 0)
		fail_msg("import: %s", ERR);
	assert_int_equal(ylt_count(&T, "encounters"), 2);
	assert_int_equal(ylt_count(&T, "encounter_diagnoses"), 3);
	assert_int_equal(yltb_scalar(&T, "SELECT cost_bed + cost_drugs FROM encounters WHERE kind ="
				     " 'inpatient'"), 37000);
	assert_int_equal(yltb_scalar(&T, "SELECT status = 'seen' FROM bookings WHERE id = %lld",
				     (long long)BOOKING), 1);
	/* One summary audit row for the file, none per row. */
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM audit_log WHERE entity ="
				     " 'encounters' AND action = 'import'"), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM audit_log WHERE entity ="
				     " 'encounter'"), 0);
}

static void test_csv(void **state)
{
	char text[1024];
	int64_t before = ylt_count(&T, "encounters");

	(void)state;
	snprintf(text, sizeof(text),
		 "kind,resident_id,institution_id,visit_date,diagnoses,cost_drugs,cost_exams,"
		 "cost_bed,fund_paid,out_of_pocket\n"
		 "outpatient,%lld,3,2026-03-10,I10;E11.900,1200,800,,1500,500\n"
		 "emergency,%lld,2,2026-03-11,S52.500,300,0,0,0,300\n",
		 (long long)R1, (long long)R1 + 1);
	ylt_cli_write_file(T.dir, "encounters.csv", text);
	if (import("encounters.csv") != 0)
		fail_msg("import: %s", ERR);
	assert_int_equal(ylt_count(&T, "encounters"), before + 2);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM encounter_diagnoses d JOIN"
				     " encounters e ON e.id = d.encounter_id WHERE e.visit_date ="
				     " '2026-03-10'"), 2);
	assert_int_equal(yltb_scalar(&T, "SELECT fund_paid FROM encounters WHERE visit_date ="
				     " '2026-03-10'"), 1500);
}

static void test_bad_row_imports_nothing(void **state)
{
	char text[1024];
	const char *tables[] = {"encounters", "encounter_diagnoses", "bookings", "audit_log"};
	int64_t before[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		before[i] = ylt_count(&T, tables[i]);
	/* Line 3 does not add up: 1000 + 0 != 1200. */
	snprintf(text, sizeof(text),
		 "kind,resident_id,institution_id,visit_date,diagnoses,cost_drugs,fund_paid,"
		 "out_of_pocket\n"
		 "outpatient,%lld,3,2026-03-12,I10,100,100,0\n"
		 "outpatient,%lld,3,2026-03-12,I10,1200,1000,0\n", (long long)R1, (long long)R1);
	ylt_cli_write_file(T.dir, "encounters.csv", text);
	assert_int_equal(import("encounters.csv"), 65);
	assert_non_null(strstr(ERR, "encounters.csv:3: out_of_pocket:"));
	assert_non_null(strstr(ERR, "costs total 1200 fen"));

	/* A bad ICD-10 code on JSON Lines line 2. */
	snprintf(text, sizeof(text),
		 "{\"kind\":\"outpatient\",\"resident_id\":%lld,\"institution_id\":3,"
		 "\"visit_date\":\"2026-03-12\",\"diagnoses\":[\"I10\"],\"costs\":{},"
		 "\"fund_paid\":0,\"out_of_pocket\":0}\n"
		 "{\"kind\":\"outpatient\",\"resident_id\":%lld,\"institution_id\":3,"
		 "\"visit_date\":\"2026-03-12\",\"diagnoses\":[\"high blood pressure\"],"
		 "\"costs\":{},\"fund_paid\":0,\"out_of_pocket\":0}\n", (long long)R1, (long long)R1);
	ylt_cli_write_file(T.dir, "encounters.jsonl", text);
	assert_int_equal(import("encounters.jsonl"), 65);
	assert_non_null(strstr(ERR, "encounters.jsonl:2: diagnoses:"));
	for (int i = 0; i < 4; i++)
		assert_int_equal(ylt_count(&T, tables[i]), before[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_bad_row_imports_nothing),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
