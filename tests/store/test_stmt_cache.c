/* Store: the statement cache. A literal prepared twice is the same cached statement; a buffer
 * reused for other SQL at the same address (the fast path keys on the address) gets the
 * other statement, never the first one's; more distinct statements than the cache holds all
 * still answer right; and the scratch tuning sets synchronous OFF. */
#include "yltest.h"

#include <stdio.h>

static void test_same_address_other_sql(void **state)
{
	struct ylt_db t;
	struct yl_stmt *a, *b;
	struct yl_diag d;
	char buf[64];
	(void)state;

	ylt_db_open(&t);
	assert_int_equal(yl_store_prepare(t.store, "SELECT 1", &a, &d), YL_OK);
	assert_int_equal(yl_store_prepare(t.store, "SELECT 1", &b, &d), YL_OK);
	assert_ptr_equal(a, b);
	snprintf(buf, sizeof(buf), "SELECT 41");
	assert_int_equal(ylt_store_int(t.store, buf), 41);
	snprintf(buf, sizeof(buf), "SELECT 42");
	assert_int_equal(ylt_store_int(t.store, buf), 42);
	snprintf(buf, sizeof(buf), "SELECT 41");
	assert_int_equal(ylt_store_int(t.store, buf), 41);
	ylt_db_close(&t);
}

static void test_more_statements_than_slots(void **state)
{
	struct ylt_db t;
	char buf[64];
	(void)state;

	ylt_db_open(&t);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3000; i++) {
			snprintf(buf, sizeof(buf), "SELECT %d", i);
			assert_int_equal(ylt_store_int(t.store, buf), i);
		}
	ylt_db_close(&t);
}

static void test_scratch_tuning(void **state)
{
	struct ylt_db t;
	struct yl_diag d;
	(void)state;

	ylt_db_open(&t);
	assert_int_equal(yl_store_tune_scratch(t.store, &d), YL_OK);
	assert_int_equal(ylt_store_int(t.store, "PRAGMA synchronous"), 0); /* OFF */
	assert_int_equal(ylt_store_int(t.store, "PRAGMA wal_autocheckpoint"), 16384);
	ylt_db_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_address_other_sql),
		cmocka_unit_test(test_more_statements_than_slots),
		cmocka_unit_test(test_scratch_tuning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
