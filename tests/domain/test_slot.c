/* Domain: the pool arithmetic of a slot (yl_slot_pools) on hand-computed instants - release
 * time N days ahead across a month end and at local midnight, the fallback of reserved
 * places, stopped and past slots - and the validation of release policies. Every instant is
 * written as unix seconds worked out by hand (UTC = Asia/Shanghai - 8 h) so the test does not
 * share arithmetic with the code it checks. */
#include "yltest.h"

#include <string.h>

#include "domain/slot.h"

/* 2026-03-15 00:00 UTC; every other instant below is this plus whole hours. */
#define D0315 ((int64_t)1773532800)
#define H ((int64_t)3600)
#define DAY ((int64_t)86400)

static struct yl_slot slot_at(int64_t starts_at, int capacity, int fd, int ref)
{
	struct yl_slot s;

	memset(&s, 0, sizeof(s));
	s.id = 1;
	s.starts_at = starts_at;
	s.ends_at = starts_at + 30 * 60;
	s.capacity = capacity;
	s.quota[YL_POOL_FAMILY_DOCTOR] = fd;
	s.quota[YL_POOL_REFERRAL] = ref;
	return s;
}

static struct yl_release_policy policy(int days, const char *at, int fallback)
{
	struct yl_release_policy p;

	yl_release_policy_default(&p, 1);
	p.days_ahead = days;
	p.release_time = at;
	p.fallback_hours = fallback;
	return p;
}

static void test_default_policy_pools(void **state)
{
	/* 2026-03-22 09:00 local = 01:00 UTC; default 7 days at 08:00: opens 2026-03-15 08:00
	 * local = 00:00 UTC; fallback 24 h before: 2026-03-21 01:00 UTC */
	struct yl_slot s = slot_at(D0315 + 7 * DAY + 1 * H, 10, 3, 2);
	struct yl_release_policy p;
	struct yl_pool_view v;
	(void)state;

	yl_release_policy_default(&p, 1);
	s.booked[YL_POOL_PUBLIC] = 1;
	s.booked[YL_POOL_FAMILY_DOCTOR] = 1;
	yl_slot_pools(&s, &p, YLT_NOW, &v);
	assert_int_equal(v.opens_at, D0315);
	assert_int_equal(v.falls_back_at, D0315 + 6 * DAY + 1 * H);
	assert_true(v.released);
	assert_false(v.fallen_back);
	assert_int_equal(v.limit[YL_POOL_PUBLIC], 5);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 4);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 2);
	assert_int_equal(v.free[YL_POOL_REFERRAL], 2);
	/* one second before the release: public closed (limit = what it holds), reserved open */
	yl_slot_pools(&s, &p, D0315 - 1, &v);
	assert_false(v.released);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 0);
	assert_int_equal(v.limit[YL_POOL_PUBLIC], 1);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 2);
}

static void test_release_across_month_end(void **state)
{
	/* slot 2026-04-02 09:00 local = 2026-04-02 01:00 UTC; 3 days ahead at 08:00 -> opens
	 * 2026-03-30 08:00 local = 2026-03-30 00:00 UTC */
	struct yl_slot s = slot_at(D0315 + 18 * DAY + 1 * H, 4, 1, 0);
	struct yl_release_policy p = policy(3, "08:00", 24);
	struct yl_pool_view v;
	(void)state;

	yl_slot_pools(&s, &p, D0315 + 15 * DAY - 60, &v);
	assert_int_equal(v.opens_at, D0315 + 15 * DAY);
	assert_false(v.released);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 0);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 1);
	yl_slot_pools(&s, &p, D0315 + 15 * DAY, &v);
	assert_true(v.released);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 3);
}

static void test_release_uses_the_local_date(void **state)
{
	/* slot 2026-04-01 00:30 local = 2026-03-31 16:30 UTC: its day is 1 April (local), so one
	 * day ahead at 08:00 is 2026-03-31 08:00 local = 2026-03-31 00:00 UTC, not 30 March */
	struct yl_slot s = slot_at(D0315 + 16 * DAY + 16 * H + 30 * 60, 2, 0, 0);
	struct yl_release_policy p = policy(1, "08:00", 2);
	struct yl_pool_view v;
	(void)state;

	yl_slot_pools(&s, &p, YLT_NOW, &v);
	assert_int_equal(v.opens_at, D0315 + 16 * DAY);
	yl_slot_pools(&s, &p, D0315 + 16 * DAY - 1, &v);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 0);
	yl_slot_pools(&s, &p, D0315 + 16 * DAY, &v);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 2);
}

static void test_release_at_local_midnight(void **state)
{
	/* slot 2026-04-01 09:00 local = 01:00 UTC; same day at 00:00 local -> opens
	 * 2026-03-31 16:00 UTC */
	struct yl_slot s = slot_at(D0315 + 17 * DAY + 1 * H, 3, 0, 0);
	struct yl_release_policy p = policy(0, "00:00", 1);
	struct yl_pool_view v;
	(void)state;

	yl_slot_pools(&s, &p, D0315 + 16 * DAY + 16 * H - 1, &v);
	assert_int_equal(v.opens_at, D0315 + 16 * DAY + 16 * H);
	assert_false(v.released);
	yl_slot_pools(&s, &p, D0315 + 16 * DAY + 16 * H, &v);
	assert_true(v.released);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 3);
	/* 23:59 release 2 days ahead: 2026-03-30 23:59 local = 15:59 UTC */
	p = policy(2, "23:59", 1);
	yl_slot_pools(&s, &p, YLT_NOW, &v);
	assert_int_equal(v.opens_at, D0315 + 15 * DAY + 15 * H + 59 * 60);
}

/* Bookings are made in any order of their moments: public places taken after the fallback
 * (a full slot) are not offered again by a reserved quota seen at an earlier moment. */
static void test_no_pool_offers_more_than_the_slot_has(void **state)
{
	/* slot 2026-03-22 01:00 UTC, fallback 24 h -> 2026-03-21 01:00 UTC */
	struct yl_slot s = slot_at(D0315 + 7 * DAY + 1 * H, 10, 3, 2);
	struct yl_release_policy p;
	struct yl_pool_view v;
	(void)state;

	yl_release_policy_default(&p, 1);
	s.booked[YL_POOL_FAMILY_DOCTOR] = 1;
	s.booked[YL_POOL_PUBLIC] = 8; /* taken after the fallback: 10 - 1 - 0 */
	yl_slot_pools(&s, &p, D0315 + 6 * DAY + 1 * H, &v);
	assert_true(v.fallen_back);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 1);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 0);
	/* an hour before the fallback the quotas still hold 2 and 2, but one place is left */
	yl_slot_pools(&s, &p, D0315 + 6 * DAY, &v);
	assert_false(v.fallen_back);
	assert_int_equal(v.limit[YL_POOL_FAMILY_DOCTOR], 3);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 1);
	assert_int_equal(v.free[YL_POOL_REFERRAL], 1);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 0);
	s.booked[YL_POOL_PUBLIC] = 9;
	yl_slot_pools(&s, &p, D0315 + 6 * DAY, &v);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 0);
	assert_int_equal(v.free[YL_POOL_REFERRAL], 0);
}

/* What the simulator's memo of full days (src/sim/care.c) relies on: with the bookings held
 * fixed, a booker who finds nothing at a moment finds nothing at any earlier one, unless the
 * slot's reserved places fell back before its public pool opened. A public booker takes the
 * public pool; a family doctor the reserved pool or public. Checked on every hour of the week
 * before slots of every small shape, booking state and policy. */
static bool nothing_for(const struct yl_pool_view *v, bool fd)
{
	return v->free[YL_POOL_PUBLIC] <= 0 && (!fd || v->free[YL_POOL_FAMILY_DOCTOR] <= 0);
}

static void test_no_place_stays_gone_earlier(void **state)
{
	static const int days[] = {0, 1, 3, 7}, fallbacks[] = {0, 2, 24, 48};
	int64_t start = D0315 + 8 * DAY + 1 * H, checked = 0;
	struct yl_release_policy p;
	struct yl_pool_view v, w;
	(void)state;

	for (size_t di = 0; di < sizeof(days) / sizeof(days[0]); di++)
	for (size_t fi = 0; fi < sizeof(fallbacks) / sizeof(fallbacks[0]); fi++)
	for (int fdq = 0; fdq <= 2; fdq++)
	for (int refq = 0; refq <= 1; refq++)
	for (int bf = 0; bf <= fdq; bf++)
	for (int br = 0; br <= refq; br++)
	for (int bp = 0; bp + bf + br <= 4; bp++)
	for (int fd = 0; fd <= 1; fd++) {
		struct yl_slot s = slot_at(start, 4, fdq, refq);
		p = policy(days[di], "08:00", fallbacks[fi]);
		s.booked[YL_POOL_FAMILY_DOCTOR] = bf;
		s.booked[YL_POOL_REFERRAL] = br;
		s.booked[YL_POOL_PUBLIC] = bp;
		for (int64_t t = start - 9 * DAY; t < start; t += H) {
			yl_slot_pools(&s, &p, t, &v);
			if (!nothing_for(&v, fd) || (v.fallen_back && !v.released))
				continue;
			for (int64_t e = start - 9 * DAY; e < t; e += H) {
				yl_slot_pools(&s, &p, e, &w);
				if (!nothing_for(&w, fd))
					fail_msg("places at %lld but none at %lld (days %d, fallback %d,"
						 " quotas %d/%d, booked %d/%d/%d, fd %d)",
						 (long long)e, (long long)t, days[di], fallbacks[fi], fdq,
						 refq, bp, bf, br, fd);
				checked++;
			}
		}
	}
	assert_true(checked > 1000);
}

static void test_fallback(void **state)
{
	/* slot 2026-03-22 01:00 UTC, fallback 24 h -> 2026-03-21 01:00 UTC */
	struct yl_slot s = slot_at(D0315 + 7 * DAY + 1 * H, 10, 3, 2);
	struct yl_release_policy p = policy(7, "08:00", 24);
	int64_t fb = D0315 + 6 * DAY + 1 * H;
	struct yl_pool_view v;
	(void)state;

	s.booked[YL_POOL_PUBLIC] = 5;
	s.booked[YL_POOL_FAMILY_DOCTOR] = 1;
	yl_slot_pools(&s, &p, fb - 1, &v);
	assert_false(v.fallen_back);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 0);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 2);
	assert_int_equal(v.free[YL_POOL_REFERRAL], 2);
	yl_slot_pools(&s, &p, fb, &v);
	assert_true(v.fallen_back);
	assert_int_equal(v.limit[YL_POOL_PUBLIC], 9);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 4);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 0);
	assert_int_equal(v.free[YL_POOL_REFERRAL], 0);
	assert_int_equal(v.limit[YL_POOL_FAMILY_DOCTOR], 1);
	/* fallback 0 hours: reserved places stay reserved until the slot starts */
	p = policy(7, "08:00", 0);
	yl_slot_pools(&s, &p, s.starts_at - 1, &v);
	assert_false(v.fallen_back);
	assert_int_equal(v.free[YL_POOL_FAMILY_DOCTOR], 2);
}

static void test_stopped_and_past(void **state)
{
	struct yl_slot s = slot_at(D0315 + 7 * DAY + 1 * H, 10, 3, 2);
	struct yl_release_policy p = policy(7, "08:00", 24);
	struct yl_pool_view v;
	(void)state;

	s.stopped = true;
	yl_slot_pools(&s, &p, YLT_NOW, &v);
	for (int i = 0; i < 3; i++)
		assert_int_equal(v.free[i], 0);
	s.stopped = false;
	yl_slot_pools(&s, &p, s.starts_at, &v);
	for (int i = 0; i < 3; i++)
		assert_int_equal(v.free[i], 0);
	yl_slot_pools(&s, &p, s.starts_at - 1, &v);
	assert_int_equal(v.free[YL_POOL_PUBLIC], 10);
}

static void test_policy_validation(void **state)
{
	struct ylt_db t;
	struct yl_release_policy p, got;
	struct {
		int64_t days;
		const char *at;
		int64_t fb, cut;
		const char *field;
	} bad[] = {
		{91, "08:00", 24, 2, "days_ahead"},    {-1, "08:00", 24, 2, "days_ahead"},
		{7, "24:00", 24, 2, "release_time"},   {7, "8:00", 24, 2, "release_time"},
		{7, "08:60", 24, 2, "release_time"},   {7, "08-00", 24, 2, "release_time"},
		{7, "08:00", 721, 2, "fallback_hours"}, {7, "08:00", -1, 2, "fallback_hours"},
		{7, "08:00", 24, 721, "cancel_cutoff_hours"},
	};
	(void)state;

	ylt_db_open(&t);
	ylt_seed_registry(&t);
	ylt_begin(&t);
	assert_int_equal(yl_release_policy_get(&t.ctx, 1, &got), YL_OK);
	assert_true(got.is_default);
	assert_int_equal(got.days_ahead, 7);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		yl_release_policy_default(&p, 1);
		p.days_ahead = bad[i].days;
		p.release_time = bad[i].at;
		p.fallback_hours = bad[i].fb;
		p.cancel_cutoff_hours = bad[i].cut;
		assert_int_equal(yl_release_policy_set(&t.ctx, &p), YL_ERR_INVALID);
		assert_string_equal(t.diag.field, bad[i].field);
		assert_int_equal(ylt_count(&t, "release_policies"), 0);
	}
	yl_release_policy_default(&p, 99);
	assert_int_equal(yl_release_policy_set(&t.ctx, &p), YL_ERR_NOT_FOUND);
	/* an institution admin of another institution */
	t.actor.role = YL_ROLE_INSTITUTION_ADMIN;
	t.actor.institution_id = 2;
	yl_release_policy_default(&p, 1);
	assert_int_equal(yl_release_policy_set(&t.ctx, &p), YL_ERR_FORBIDDEN);
	assert_int_equal(ylt_count(&t, "release_policies"), 0);
	t.actor.institution_id = 1;
	p.days_ahead = 14;
	p.release_time = "07:30";
	assert_int_equal(yl_release_policy_set(&t.ctx, &p), YL_OK);
	p.days_ahead = 90;
	assert_int_equal(yl_release_policy_set(&t.ctx, &p), YL_OK);
	assert_int_equal(ylt_count(&t, "release_policies"), 1);
	assert_int_equal(yl_release_policy_get(&t.ctx, 1, &got), YL_OK);
	assert_false(got.is_default);
	assert_int_equal(got.days_ahead, 90);
	assert_string_equal(got.release_time, "07:30");
	assert_int_equal(yl_release_policy_get(&t.ctx, 99, &got), YL_ERR_NOT_FOUND);
	ylt_rollback(&t);
	ylt_db_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_policy_pools),
		cmocka_unit_test(test_release_across_month_end),
		cmocka_unit_test(test_release_uses_the_local_date),
		cmocka_unit_test(test_release_at_local_midnight),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_no_pool_offers_more_than_the_slot_has),
		cmocka_unit_test(test_no_place_stays_gone_earlier),
		cmocka_unit_test(test_stopped_and_past),
		cmocka_unit_test(test_policy_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
