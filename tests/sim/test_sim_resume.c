/* Sim: a run continues where the last stopped. One population simulated for 12 days in one
 * run, and in runs of 5 and 7 days, gives the same days: the same counts (summed over the
 * two runs) and a byte-identical indicator report. And a run whose policy is out of range
 * is refused before it writes anything. */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "ylt_sim.h"

static void add(struct yl_sim_stats *sum, const struct yl_sim_stats *st)
{
	sum->days += st->days;
	sum->outpatient += st->outpatient;
	sum->emergency += st->emergency;
	sum->inpatient += st->inpatient;
	sum->admitted += st->admitted;
	sum->bookings += st->bookings;
	sum->fd_bookings += st->fd_bookings;
	sum->booking_refused += st->booking_refused;
	sum->walk_ins += st->walk_ins;
	sum->seen += st->seen;
	sum->no_shows += st->no_shows;
	sum->cancellations += st->cancellations;
	sum->diverted += st->diverted;
	sum->referrals_up += st->referrals_up;
	sum->referrals_down += st->referrals_down;
	sum->referral_arrivals += st->referral_arrivals;
	sum->care_items_done += st->care_items_done;
	sum->signed_new += st->signed_new;
	sum->renewed += st->renewed;
	sum->lapsed += st->lapsed;
	sum->cost += st->cost;
}

#define SAME(field) assert_int_equal(split.field, whole.st.field)

static void test_split_run_is_the_whole_run(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy p;
	struct ylt_sim_run whole, parts;
	struct yl_sim_stats split = {0};
	char *jw, *jp;

	(void)state;
	yl_sim_policy_init(&p);
	ylt_sim_small(&o, 3000, 17);
	ylt_sim_generate(&whole, &o, &p);
	ylt_sim_copy(&whole, &parts);
	ylt_sim_run(&whole, &p, 12);
	ylt_sim_run(&parts, &p, 5);
	add(&split, &parts.st);
	ylt_sim_run(&parts, &p, 7);
	add(&split, &parts.st);
	SAME(days);
	SAME(outpatient);
	SAME(emergency);
	SAME(inpatient);
	SAME(admitted);
	SAME(bookings);
	SAME(fd_bookings);
	SAME(booking_refused);
	SAME(walk_ins);
	SAME(seen);
	SAME(no_shows);
	SAME(cancellations);
	SAME(diverted);
	SAME(referrals_up);
	SAME(referrals_down);
	SAME(referral_arrivals);
	SAME(care_items_done);
	SAME(signed_new);
	SAME(renewed);
	SAME(lapsed);
	SAME(cost);
	assert_true(whole.st.outpatient > 500 && whole.st.bookings > 0);
	jw = ylt_sim_report_json(whole.db);
	jp = ylt_sim_report_json(parts.db);
	assert_string_equal(jw, jp);
	free(jw);
	free(jp);
	ylt_sim_cleanup(&whole);
	ylt_sim_cleanup(&parts);
}

static void test_bad_policy_refused(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy p, bad;
	struct ylt_sim_run r;
	struct yl_sim_stats st;
	char *before, *after;

	(void)state;
	yl_sim_policy_init(&p);
	ylt_sim_small(&o, 500, 3);
	ylt_sim_generate(&r, &o, &p);
	before = ylt_sim_report_json(r.db);
	bad = p;
	bad.slot_supply = 0; /* below its range */
	assert_int_not_equal(yl_cli_sim_run(r.db, &bad, 3, NULL, &st), 0);
	assert_int_equal(st.days, 0);
	after = ylt_sim_report_json(r.db);
	assert_string_equal(before, after);
	ylt_sim_run(&r, &p, 1); /* the database is still good */
	assert_int_equal(r.st.days, 1);
	free(before);
	free(after);
	ylt_sim_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_run_is_the_whole_run),
		cmocka_unit_test(test_bad_policy_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
