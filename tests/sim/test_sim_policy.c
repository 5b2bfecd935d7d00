/* Sim: policy direction. With places scarce (slot_supply 0.5), reserving two thirds of each
 * hospital slot's places for family doctors instead of none raises 签约居民组合内就诊率 (C4):
 * the family doctor finds the signed resident a place inside the 1+1+1 combination where a
 * resident booking alone would find none and go elsewhere. (A reserve no larger than the
 * signed residents' share of demand changes little: priority matters only when it gives
 * them more than their share.) */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "ylt_sim.h"

static void test_policy_direction(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy none, many;
	struct ylt_sim_run a, b;
	double c4_none, c4_many;

	(void)state;
	/* places scarce (half the booked demand), everyone books, family doctors book every
	 * signed resident's hospital visit: the reserve decides who gets the places */
	yl_sim_policy_init(&none);
	none.slot_supply = 0.5;
	none.booking_share = 1.0;
	none.fd_booking = 1.0;
	none.referral_quota = 0.0;
	none.fd_quota = 0.0;
	many = none;
	many.fd_quota = 0.67;
	ylt_sim_small(&o, 60000, 3);
	ylt_sim_generate(&a, &o, &none);
	ylt_sim_copy(&a, &b);
	ylt_sim_run(&a, &none, 30);
	ylt_sim_run(&b, &many, 30);
	c4_none = ylt_sim_region_value(a.db, "C4");
	c4_many = ylt_sim_region_value(b.db, "C4");
	print_message("C4: fd_quota 0 -> %.2f %%, fd_quota 0.67 -> %.2f %%\n", c4_none, c4_many);
	assert_int_equal(a.st.fd_bookings, 0);
	assert_true(b.st.fd_bookings > 1000);
	/* about 15,000 signed visits: C4's standard error is about 0.4 points */
	assert_true(c4_many > c4_none + 1.0);
	ylt_sim_cleanup(&a);
	ylt_sim_cleanup(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_direction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
