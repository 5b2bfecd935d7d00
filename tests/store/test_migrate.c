/* Store: create, reopen, refuse an old schema without init, refuse a newer schema, constraint
 * errors mapped to the vocabulary, rollback leaves nothing. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

static void test_create_and_reopen(void **state)
{
	struct ylt_db t;
	struct yl_store *s2;
	struct yl_diag d;
	(void)state;
	ylt_db_open(&t);
	assert_int_equal(yl_store_schema_version(t.store), yl_store_schema_latest());
	assert_int_equal(yl_store_open(t.path, 0, &s2, &d), YL_OK);
	yl_store_close(s2);
	ylt_db_close(&t);
}

static void test_refuses_newer_schema(void **state)
{
	struct ylt_db t;
	struct yl_store *s2;
	struct yl_diag d;
	(void)state;
	ylt_db_open(&t);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO schema_migrations VALUES (999, 'future', 0)", &d), YL_OK);
	assert_int_equal(yl_store_open(t.path, YL_STORE_CREATE, &s2, &d), YL_ERR_SCHEMA);
	assert_non_null(strstr(d.message, "newer"));
	assert_null(s2);
	ylt_db_close(&t);
}

static void test_refuses_uninitialised(void **state)
{
	struct yl_store *s;
	struct yl_diag d;
	char path[] = "/tmp/ylt-empty-XXXXXX";
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(yl_store_open(path, 0, &s, &d), YL_ERR_SCHEMA);
	assert_non_null(strstr(d.message, "yilian init"));
	assert_int_equal(yl_store_open("/nonexistent/dir/x.db", 0, &s, &d), YL_ERR_IO);
	remove(path);
}

/* A database at version 1 (as the first release left it) is refused by serve-style opens and
 * upgraded in place by init, keeping its data. */
static void test_upgrade_from_version_1(void **state)
{
	struct ylt_db t;
	struct yl_store *s2;
	struct yl_diag d;
	(void)state;
	ylt_db_open(&t);
	ylt_seed_registry(&t);
	assert_int_equal(yl_store_exec(t.store, "DROP TABLE measure_agg; DROP TABLE indicators;"
				       " DROP TABLE referral_encounters;"
				       " DROP TABLE encounter_diagnoses; DROP TABLE encounters;"
				       " DROP TABLE care_plan_items; DROP TABLE referral_events;"
				       " DROP TABLE referrals; DELETE FROM settings WHERE key ="
				       " 'referral_expiry_hours'; DROP TABLE bookings; DROP TABLE slots;"
				       " DROP TABLE sessions; DROP TABLE schedule_templates;"
				       " DROP TABLE release_policies; DELETE FROM settings WHERE key"
				       " LIKE '%show%' OR key = 'booking_max_active';"
				       " DELETE FROM schema_migrations WHERE version >= 2", &d), YL_OK);
	yl_store_close(t.store);
	t.store = NULL;
	assert_int_equal(yl_store_open(t.path, 0, &s2, &d), YL_ERR_SCHEMA);
	assert_non_null(strstr(d.message, "yilian init"));
	assert_int_equal(yl_store_open(t.path, YL_STORE_CREATE, &s2, &d), YL_OK);
	assert_int_equal(yl_store_schema_version(s2), yl_store_schema_latest());
	t.store = s2;
	assert_int_equal(ylt_count(&t, "institutions"), 5);
	assert_int_equal(ylt_count(&t, "bookings"), 0);
	assert_true(ylt_count(&t, "indicators") > 0);
	assert_int_equal(ylt_count(&t, "measure_agg"), 0);
	assert_int_equal(ylt_count(&t, "indicators WHERE scope_kind = 'resident_county'"), 3);
	ylt_db_close(&t);
}

/* A database at version 4 (indicators without scope kinds) gains migration 5: the column,
 * with 'institution' for the rows it had, the new rows and the county index. */
static void test_upgrade_from_version_4(void **state)
{
	struct ylt_db t;
	struct yl_store *s2;
	struct yl_diag d;
	(void)state;
	ylt_db_open(&t);
	ylt_seed_registry(&t);
	assert_int_equal(yl_store_exec(t.store, "DROP INDEX measure_agg_county_month;"
				       " DELETE FROM indicators WHERE scope_kind <> 'institution';"
				       " ALTER TABLE indicators DROP COLUMN scope_kind;"
				       " DELETE FROM schema_migrations WHERE version >= 5", &d), YL_OK);
	yl_store_close(t.store);
	t.store = NULL;
	assert_int_equal(yl_store_open(t.path, 0, &s2, &d), YL_ERR_SCHEMA);
	assert_int_equal(yl_store_open(t.path, YL_STORE_CREATE, &s2, &d), YL_OK);
	assert_int_equal(yl_store_schema_version(s2), yl_store_schema_latest());
	t.store = s2;
	assert_int_equal(ylt_count(&t, "indicators WHERE scope_kind = 'resident_county'"), 3);
	assert_int_equal(ylt_count(&t, "indicators WHERE scope_kind = 'stock'"), 2);
	assert_int_equal(ylt_count(&t, "indicators WHERE scope_kind = 'event'"), 1);
	assert_int_equal(ylt_count(&t, "indicators WHERE id = 'A4' AND scope_kind = 'institution'"),
			 1);
	ylt_db_close(&t);
}

static void test_constraints_and_rollback(void **state)
{
	struct ylt_db t;
	struct yl_diag d;
	(void)state;
	ylt_db_open(&t);
	ylt_seed_registry(&t);
	ylt_begin(&t);
	/* CHECK: a village clinic without a township centre */
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO institutions(code, name, level, kind,"
				       " area_code, created_at) VALUES ('X', 'x', 'village', 'general', '440106', 0)", &d),
			 YL_ERR_INVALID);
	/* UNIQUE */
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO institutions(code, name, level, kind,"
				       " area_code, created_at) VALUES ('H-CITY', 'x', 'primary', 'general', '440106', 0)", &d),
			 YL_ERR_CONFLICT);
	/* FOREIGN KEY */
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO institutions(code, name, level, kind,"
				       " area_code, created_at) VALUES ('Y', 'y', 'primary', 'general', '999999', 0)", &d),
			 YL_ERR_NOT_FOUND);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO institutions(code, name, level, kind,"
				       " area_code, created_at) VALUES ('Z', 'z', 'primary', 'general', '440106', 0)", &d),
			 YL_OK);
	ylt_rollback(&t);
	assert_int_equal(ylt_count(&t, "institutions"), 5);
	ylt_db_close(&t);
}

/* Migration 9 writes the hottest CHECKs as OR chains: the stored text says so, the checks
 * still refuse what they refused, and a database whose text still has the IN lists gets them
 * rewritten when it is opened for init. */
static const char *const OR_CHECKS[][2] = {
	{"residents", "insurance"}, {"contracts", "status"},  {"bookings", "pool"},
	{"bookings", "status"},     {"referrals", "direction"}, {"referrals", "status"},
	{"encounters", "kind"},
};

static void expect_or_checks(struct ylt_db *t)
{
	char q[256];

	for (size_t i = 0; i < sizeof(OR_CHECKS) / sizeof(OR_CHECKS[0]); i++) {
		snprintf(q, sizeof(q), "sqlite_master WHERE name = '%s' AND sql LIKE '%%CHECK (%s = %%'"
			 " AND sql NOT LIKE '%%CHECK (%s IN (%%'", OR_CHECKS[i][0], OR_CHECKS[i][1],
			 OR_CHECKS[i][1]);
		if (ylt_count(t, q) != 1)
			fail_msg("%s.%s: not an OR chain", OR_CHECKS[i][0], OR_CHECKS[i][1]);
	}
}

static void test_checks_as_or_chains(void **state)
{
	struct ylt_db t;
	struct yl_store *s2;
	struct yl_diag d;
	(void)state;
	ylt_db_open(&t);
	ylt_seed_registry(&t);
	expect_or_checks(&t);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO residents(id_number, name, sex,"
				       " birth_date, home_area_code, insurance, tags, created_at) VALUES"
				       " ('44010619800101001X', 'r', 'male', '1980-01-01', '440106001',"
				       " 'gold', 0, 0)", &d),
			 YL_ERR_INVALID);
	assert_non_null(strstr(d.message, "insurance = 'employee'"));
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO encounters(kind, resident_id,"
				       " institution_id, visit_date, created_at) VALUES ('visit', 1, 1,"
				       " '2026-03-15', 0)", &d),
			 YL_ERR_INVALID);
	/* back to an IN list (as migration 1 wrote it), migration 9 forgotten: init rewrites it */
	assert_int_equal(yl_store_exec(t.store, "PRAGMA writable_schema = ON;"
				       " UPDATE sqlite_master SET sql = replace(sql, 'CHECK (kind ="
				       " ''outpatient'' OR kind = ''emergency'' OR kind = ''inpatient'')',"
				       " 'CHECK (kind IN (''outpatient'',''emergency'',''inpatient''))')"
				       " WHERE name = 'encounters'; PRAGMA writable_schema = RESET;"
				       " DELETE FROM schema_migrations WHERE version = 9", &d), YL_OK);
	assert_int_equal(ylt_count(&t, "sqlite_master WHERE name = 'encounters'"
				   " AND sql LIKE '%CHECK (kind IN (%'"), 1);
	yl_store_close(t.store);
	t.store = NULL;
	assert_int_equal(yl_store_open(t.path, YL_STORE_CREATE, &s2, &d), YL_OK);
	t.store = s2;
	assert_int_equal(yl_store_schema_version(s2), yl_store_schema_latest());
	expect_or_checks(&t);
	assert_int_equal(yl_store_exec(t.store, "PRAGMA integrity_check", &d), YL_OK);
	ylt_db_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_reopen),
		cmocka_unit_test(test_refuses_newer_schema),
		cmocka_unit_test(test_refuses_uninitialised),
		cmocka_unit_test(test_upgrade_from_version_1),
		cmocka_unit_test(test_upgrade_from_version_4),
		cmocka_unit_test(test_constraints_and_rollback),
		cmocka_unit_test(test_checks_as_or_chains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
