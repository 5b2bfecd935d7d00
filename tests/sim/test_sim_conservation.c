/* Sim: conservation. At the end of two consecutive runs (the second continues the first)
 * every booking is seen, cancelled or no-show, or waits for a slot that has not ended; nobody
 * is left checked in; every seen booking has its one encounter; every referral is in a known
 * state and most accepted ones have their next step queued; encounter costs add up (fund plus
 * out-of-pocket to the categories; the encounters' sum to the runs' own count of money
 * spent and to the live aggregate cost_total); and every live aggregate the runs kept
 * (measure_agg, signing_stock) equals, row for row, its rebuild from the raw events. */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "domain/measure.h"
#include "domain/signing_stock.h"
#include "ylt_sim.h"

static int64_t scalar(struct yl_store *s, const char *sql)
{
	struct yl_stmt *st;
	struct yl_diag d;
	bool row;
	int64_t v;

	assert_int_equal(yl_store_prepare(s, sql, &st, &d), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &d), YL_OK);
	assert_true(row);
	v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

/* measure_agg and signing_stock, every row, as one text in key order. */
static char *aggregates(struct yl_store *s)
{
	struct yl_stmt *st;
	struct yl_diag d;
	bool row;
	char *out;

	assert_int_equal(yl_store_prepare(s, "SELECT (SELECT group_concat(x, ',') FROM (SELECT"
					     " measure || ':' || institution_id || ':' || month || ':' ||"
					     " resident_county || '=' || value AS x FROM measure_agg"
					     " ORDER BY measure, institution_id, month, resident_county))"
					     " || '|' || (SELECT group_concat(y, ',') FROM (SELECT area_code"
					     " || grain || period || '=' || residents || '/' ||"
					     " tagged_residents || '/' || signed_residents || '/' ||"
					     " signed_key_residents AS y FROM signing_stock"
					     " ORDER BY area_code, grain, period))", &st, &d),
			 YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &d), YL_OK);
	out = strdup(yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return out;
}

static void test_conservation(void **state)
{
	struct yl_sim_region_opts o;
	struct yl_sim_policy p;
	struct yl_sim_stats more;
	struct yl_sim_state ss;
	struct ylt_sim_run r;
	struct yl_store *s;
	struct yl_diag d;
	struct yl_arena arena;
	struct yl_actor actor;
	struct yl_ctx c = {0};
	char end[64];
	int64_t open_bookings, future, bad;

	(void)state;
	yl_sim_policy_init(&p);
	ylt_sim_small(&o, 3000, 5);
	ylt_sim_generate_and_run(&r, &o, &p, 30);
	/* a second run continues the first: 20 more days from day 30 */
	assert_int_equal(yl_cli_sim_run(r.db, &p, 20, NULL, &more), 0);
	assert_int_equal(more.days, 20);
	assert_int_equal(yl_store_open(r.db, YL_STORE_READONLY, &s, &d), YL_OK);
	yl_arena_init(&arena);
	yl_cli_system_actor(&actor, "test");
	c.store = s;
	c.arena = &arena;
	c.diag = &d;
	c.actor = &actor;
	assert_int_equal(yl_sim_state_load(&c, &ss), YL_OK);
	assert_int_equal(ss.day, ylt_sim_start() + 50);
	/* the end of the run, 00:00 Asia/Shanghai of its next day, in unix seconds */
	snprintf(end, sizeof(end), "%lld", (long long)ss.day * 86400 - 8 * 3600);

	/* bookings: nobody left checked in; every 'booked' one waits for a slot not yet ended
	 * (the others derive to no_show) */
	assert_int_equal(scalar(s, "SELECT count(*) FROM bookings WHERE status = 'checked_in'"), 0);
	open_bookings = scalar(s, "SELECT count(*) FROM bookings WHERE status = 'booked'");
	{
		char sql[300];
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM bookings b JOIN slots s ON s.id = b.slot_id"
			 " WHERE b.status = 'booked' AND s.ends_at > %s", end);
		future = scalar(s, sql);
	}
	assert_true(scalar(s, "SELECT count(*) FROM bookings WHERE status = 'seen'") > 0);
	assert_true(scalar(s, "SELECT count(*) FROM bookings WHERE status = 'cancelled'") > 0);
	assert_true(open_bookings > future); /* some past ones are no-shows */
	assert_int_equal(scalar(s, "SELECT count(*) FROM bookings WHERE status NOT IN"
				   " ('booked','cancelled','seen')"), 0);
	/* each booking the simulator made (all but the referral pool's, which referrals make)
	 * ended as it counted: seen, cancelled, or a no-show (still 'booked', nothing queued for
	 * it: the no-shows of slots not yet over are counted when booked) */
	{
		assert_int_equal(scalar(s, "SELECT count(*) FROM bookings WHERE pool <> 'referral'"),
				 r.st.bookings + more.bookings);
		assert_int_equal(scalar(s, "SELECT count(*) FROM bookings WHERE status = 'cancelled'"),
				 r.st.cancellations + more.cancellations);
		assert_int_equal(scalar(s, "SELECT count(*) FROM bookings WHERE status = 'seen'"
					   " AND pool <> 'referral'"), r.st.seen + more.seen);
		assert_int_equal(scalar(s, "SELECT count(*) FROM bookings b WHERE b.status = 'booked'"
					   " AND b.pool <> 'referral' AND NOT EXISTS (SELECT 1 FROM"
					   " sim_events e WHERE e.booking = b.id)"),
				 r.st.no_shows + more.no_shows);
	}
	/* every seen booking has exactly its encounter */
	assert_int_equal(scalar(s, "SELECT count(*) FROM bookings b WHERE b.status = 'seen' AND"
				   " (SELECT count(*) FROM encounters e WHERE e.booking_id = b.id) <> 1"),
			 0);

	/* referrals: known states; an accepted one has its arrival queued (or never comes, one
	 * in ten, which the queue does not hold: so at most that many without) */
	bad = scalar(s, "SELECT count(*) FROM referrals WHERE status NOT IN ('requested',"
			"'accepted','arrived','completed','rejected','cancelled','expired')");
	assert_int_equal(bad, 0);
	assert_true(scalar(s, "SELECT count(*) FROM referrals WHERE status = 'completed'") > 0);
	assert_true(scalar(s, "SELECT count(*) FROM referrals WHERE status = 'accepted' AND"
			      " id NOT IN (SELECT referral FROM sim_events WHERE kind = 5)") <=
		    scalar(s, "SELECT count(*) FROM referrals WHERE status <> 'requested'") / 5 + 1);

	/* money: categories add to the total, fund + out-of-pocket to the total, and the sum
	 * of the encounters is what the two runs counted */
	assert_int_equal(scalar(s, "SELECT count(*) FROM encounters WHERE fund_paid + out_of_pocket"
				   " <> " YLT_SIM_TOTAL), 0);
	assert_int_equal(scalar(s, "SELECT coalesce(sum(" YLT_SIM_TOTAL "), 0) FROM encounters"),
			 r.st.cost + more.cost);
	assert_int_equal(scalar(s, "SELECT count(*) FROM encounters"),
			 r.st.outpatient + r.st.emergency + r.st.inpatient + more.outpatient +
				 more.emergency + more.inpatient);
	/* the live aggregates agree with the raw events */
	assert_int_equal(scalar(s, "SELECT coalesce(sum(value), 0) FROM measure_agg"
				   " WHERE measure = 'cost_total'"),
			 scalar(s, "SELECT coalesce(sum(" YLT_SIM_TOTAL "), 0) FROM encounters"));
	yl_arena_release(&arena);
	yl_store_close(s);
	/* every live aggregate the two runs kept equals its rebuild from the raw events */
	{
		char *live, *rebuilt;
		assert_int_equal(yl_store_open(r.db, 0, &s, &d), YL_OK);
		c.store = s;
		live = aggregates(s);
		assert_int_equal(yl_store_begin(s, &d), YL_OK);
		assert_int_equal(yl_measure_rebuild(&c, NULL), YL_OK);
		assert_int_equal(yl_signing_stock_rebuild(&c, NULL), YL_OK);
		assert_int_equal(yl_store_commit(s, &d), YL_OK);
		rebuilt = aggregates(s);
		assert_true(strlen(live) > 1000);
		assert_string_equal(live, rebuilt);
		free(live);
		free(rebuilt);
		yl_arena_release(&arena);
		yl_store_close(s);
	}
	ylt_sim_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conservation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
