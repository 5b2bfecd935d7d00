/* Store: durability flag and savepoints. YL_STORE_DURABLE (and yl_store_set_durable) give
 * synchronous=FULL, the default NORMAL; a rollback to a savepoint undoes only what followed it
 * and the transaction goes on to commit the rest. */
#include "yltest.h"

static void test_durable_flag(void **state)
{
	struct ylt_db t;
	struct yl_store *s;
	struct yl_diag d;
	(void)state;

	ylt_db_open(&t);
	assert_int_equal(ylt_store_int(t.store, "PRAGMA synchronous"), 1); /* NORMAL */
	assert_int_equal(yl_store_open(t.path, YL_STORE_DURABLE, &s, &d), YL_OK);
	assert_int_equal(ylt_store_int(s, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(yl_store_set_durable(s, false, &d), YL_OK);
	assert_int_equal(ylt_store_int(s, "PRAGMA synchronous"), 1);
	assert_int_equal(yl_store_set_durable(s, true, &d), YL_OK);
	assert_int_equal(ylt_store_int(s, "PRAGMA synchronous"), 2);
	yl_store_close(s);
	ylt_db_close(&t);
}

static void test_savepoints(void **state)
{
	struct ylt_db t;
	struct yl_diag d;
	(void)state;

	ylt_db_open(&t);
	assert_int_equal(yl_store_exec(t.store, "CREATE TABLE x (v INTEGER UNIQUE)", &d), YL_OK);
	ylt_begin(&t);
	assert_int_equal(yl_store_savepoint(t.store, "job", &d), YL_OK);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO x VALUES (1)", &d), YL_OK);
	assert_int_equal(yl_store_release(t.store, "job", &d), YL_OK);
	assert_int_equal(yl_store_savepoint(t.store, "job", &d), YL_OK);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO x VALUES (2)", &d), YL_OK);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO x VALUES (1)", &d), YL_ERR_CONFLICT);
	assert_int_equal(yl_store_rollback_to(t.store, "job", &d), YL_OK);
	assert_int_equal(yl_store_release(t.store, "job", &d), YL_OK);
	assert_true(yl_store_in_tx(t.store));
	assert_int_equal(yl_store_savepoint(t.store, "job", &d), YL_OK);
	assert_int_equal(yl_store_exec(t.store, "INSERT INTO x VALUES (3)", &d), YL_OK);
	assert_int_equal(yl_store_release(t.store, "job", &d), YL_OK);
	ylt_commit(&t);
	assert_int_equal(ylt_store_int(t.store, "SELECT group_concat(v) = '1,3' FROM x ORDER BY v"),
			 1);
	assert_int_equal(ylt_store_int(t.store, "SELECT count(*) FROM x"), 2);
	ylt_db_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durable_flag),
		cmocka_unit_test(test_savepoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
