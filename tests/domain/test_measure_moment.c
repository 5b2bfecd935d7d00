/* Measures: a visit counts as a signed resident's when a contract covered its date at the
 * moment it was recorded, live and in the rebuild alike (found by the simulator: a resident
 * who signed in the afternoon had the morning's visit counted unsigned live and signed by the
 * rebuild). On 2026-03-10:
 *   R1 visits at 10:00 (no contract), signs at 16:00, visits again at 17:00 -> 1 signed visit;
 *   R2 (contract since 2025) visits at 10:00, the contract is ended at 15:00, visits at
 *   16:00 -> 1 signed visit.
 * R1 visits the team's own centre (institution 3), R2 the county hospital (2, the
 * contract's secondary): both inside the combination. So opem_visits 4, opem_visits_signed 2
 * (one at each), and the rebuild gives the same rows. (Reading coverage by the visit's date
 * alone would count R1's morning visit and not R2's: the same total, other rows.)
 */
#include "yltest.h"

#include <string.h>

#include "domain/contract.h"
#include "domain/encounter.h"
#include "domain/measure.h"
#include "ylt_booking.h"

static struct ylt_db T;
static int64_t R1, R2, TEAM;
static const char *DX[] = {"J06.9"};

static void at(const char *hhmm)
{
	yl_clock_fixed(&T.clock, yltb_at("2026-03-10", hhmm));
}

static void visit(int64_t res, int64_t inst)
{
	struct yl_encounter e = {0};

	e.kind = "outpatient";
	e.resident_id = res;
	e.institution_id = inst;
	e.visit_date = "2026-03-10";
	e.diagnoses = DX;
	e.ndiagnoses = 1;
	e.costs.treatment = 1000;
	e.fund_paid = 600;
	e.out_of_pocket = 400;
	ylt_begin(&T);
	if (yl_encounter_create(&T.ctx, &e, NULL))
		fail_msg("encounter: %s %s", T.diag.field, T.diag.message);
	ylt_commit(&T);
}

static int64_t measure(const char *m)
{
	return yltb_scalar(&T, "SELECT coalesce(sum(value), 0) FROM measure_agg WHERE measure = '%s'",
			   m);
}

static char *digest(void)
{
	struct yl_stmt *st;
	bool row;
	char *s;

	assert_int_equal(yl_store_prepare(T.store, "SELECT group_concat(measure || institution_id ||"
						   " month || resident_county || '=' || value, ',') FROM"
						   " (SELECT * FROM measure_agg ORDER BY 1, 2, 3, 4)",
					  &st, &T.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	s = strdup(yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return s;
}

static void test_signed_at_the_moment_of_the_visit(void **state)
{
	struct yl_contract_sign k = {0};
	int64_t contract2;
	char *live, *rebuilt;
	(void)state;

	at("10:00");
	visit(R1, 3);
	visit(R2, 2);
	at("15:00");
	contract2 = yltb_scalar(&T, "SELECT id FROM contracts WHERE resident_id = %lld",
				(long long)R2);
	ylt_begin(&T);
	assert_int_equal(yl_contract_end(&T.ctx, contract2, "moved away", NULL), YL_OK);
	ylt_commit(&T);
	at("16:00");
	k.resident_id = R1;
	k.team_id = TEAM;
	k.secondary_id = 2;
	k.tertiary_id = 1;
	ylt_begin(&T);
	if (yl_contract_sign(&T.ctx, &k, NULL))
		fail_msg("sign: %s %s", T.diag.field, T.diag.message);
	ylt_commit(&T);
	visit(R2, 2);
	at("17:00");
	visit(R1, 3);

	assert_int_equal(measure("opem_visits"), 4);
	assert_int_equal(measure("opem_visits_signed"), 2);
	assert_int_equal(measure("opem_visits_signed_combo"), 2);
	assert_int_equal(yltb_scalar(&T, "SELECT value FROM measure_agg WHERE measure ="
				     " 'opem_visits_signed' AND institution_id = 2"), 1);
	live = digest();
	ylt_begin(&T);
	assert_int_equal(yl_measure_rebuild(&T.ctx, NULL), YL_OK);
	ylt_commit(&T);
	rebuilt = digest();
	assert_string_equal(live, rebuilt);
	assert_int_equal(measure("opem_visits_signed"), 2);
	free(live);
	free(rebuilt);
}

/* The write-behind buffer (ctx.measures): the same sums, written once per key at the flush. */
static void test_buffered_equals_direct(void **state)
{
	struct yl_measure_buf *b = yl_measure_buf_new();
	int64_t before = measure("opem_visits");
	(void)state;

	T.ctx.measures = b;
	at("17:30");
	for (int i = 0; i < 3; i++)
		visit(R1, 3);
	T.ctx.measures = NULL;
	assert_int_equal(measure("opem_visits"), before); /* not flushed yet */
	T.ctx.measures = b;
	ylt_begin(&T);
	assert_int_equal(yl_measure_flush(&T.ctx), YL_OK);
	ylt_commit(&T);
	T.ctx.measures = NULL;
	assert_int_equal(measure("opem_visits"), before + 3);
	assert_int_equal(measure("opem_visits_signed"), 5);
	ylt_begin(&T);
	assert_int_equal(yl_measure_rebuild(&T.ctx, NULL), YL_OK);
	ylt_commit(&T);
	assert_int_equal(measure("opem_visits"), before + 3);
	assert_int_equal(measure("opem_visits_signed"), 5);
	yl_measure_buf_free(b);
}

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	R1 = yltb_residents(&T, 2);
	R2 = R1 + 1;
	TEAM = yltb_team(&T, 3, true);
	yltb_contract(&T, R2, TEAM, "2025-01-01", "2026-12-31");
	ylt_commit(&T);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_at_the_moment_of_the_visit),
		cmocka_unit_test(test_buffered_equals_direct),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
