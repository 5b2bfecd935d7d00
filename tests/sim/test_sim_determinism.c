/* Sim: determinism. One seed, sizes and policy generated and run into two databases give the
 * same run counts and a byte-identical indicator report (JSON). */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "ylt_sim.h"

static void test_deterministic(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy p;
	struct ylt_sim_run a, b;
	char *ja, *jb;

	(void)state;
	yl_sim_policy_init(&p);
	ylt_sim_small(&o, 3000, 11);
	ylt_sim_generate_and_run(&a, &o, &p, 40);
	ylt_sim_generate_and_run(&b, &o, &p, 40);
	assert_memory_equal(&a.st, &b.st, sizeof(a.st));
	assert_true(a.st.outpatient > 1000); /* 3,000 x 6.8 x 40 / 365 = 2,235 visits */
	assert_true(a.st.inpatient > 0 && a.st.bookings > 0 && a.st.referrals_down > 0);
	ja = ylt_sim_report_json(a.db);
	jb = ylt_sim_report_json(b.db);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
	ylt_sim_cleanup(&a);
	ylt_sim_cleanup(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
