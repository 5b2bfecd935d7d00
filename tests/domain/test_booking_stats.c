/* Domain: booking indicators against hand-computed numbers. The clock is 2026-03-15 10:00
 * (Asia/Shanghai). Institution 2 (county hospital) has slots A and B on 2026-03-10 (ended), C
 * on 2026-03-20 (future) and D in a session stopped on 2026-03-11; institution 1 (city
 * hospital) has E on 03-10; institution 3 (township 440106001) has F on 03-12. Bookings:
 *
 *   A (fd 3, ref 2): b1 fd seen (booked 03-05), b2 fd booked -> no-show, b3 public checked in
 *                    (booked 03-09 23:30 local, 15:30 UTC), b4 referral cancelled
 *   B (fd 2, ref 1): b5 referral seen (booked 03-10 00:10 local, still 03-09 in UTC),
 *                    b6 public booked -> no-show
 *   C (fd 4, ref 0): b7 fd booked (not ended), b8 fd cancelled
 *   D (fd 5, ref 5): b9 fd cancelled by the stop
 *   E (fd 1, ref 1): b10 fd seen (booked 03-01)
 *   F (fd 2, ref 0): nothing
 *
 * Consortium 1 (lead institution 1 since 2026-01-01): institution 2 from 03-10 until it left
 * on 03-20 (so C no longer counts), institution 3 from 03-13 (after F).
 *
 * Encounters, by visit date (the appointment rate: outpatient with a booking / outpatient):
 *
 *   institution 2: e1 outpatient 03-10 from b1, e2 outpatient 03-10 from b5, e3 outpatient
 *                  03-12, e4 emergency 03-10 and e5 inpatient 03-10 (not outpatient: never
 *                  counted), e6 outpatient 02-28 (before March, and before it joined 1)
 *   institution 1: e7 outpatient 03-10 from b10
 *   institution 3: e8 outpatient 03-12 (before it joined 1), e9 outpatient 03-13
 */
#include "yltest.h"

#include <string.h>

#include "domain/booking_stats.h"
#include "ylt_booking.h"

static struct ylt_db T;
static int64_t slot_a, slot_b, slot_c, slot_d, slot_e, slot_f, next_resident;

static void book(int64_t slot, const char *pool, const char *status, const char *date,
		 const char *hhmm)
{
	yltb_exec(&T, "INSERT INTO bookings(slot_id, resident_id, institution_id, department_id,"
		  " date, pool, status, cancel_reason, created_at, updated_at) SELECT s.id, %lld,"
		  " s.institution_id, s.department_id, e.date, '%s', '%s', CASE WHEN '%s' ="
		  " 'cancelled' THEN 'test' END, %lld, %lld FROM slots s JOIN sessions e ON"
		  " e.id = s.session_id WHERE s.id = %lld", (long long)next_resident++, pool, status,
		  status, (long long)yltb_at(date, hhmm), (long long)yltb_at(date, hhmm),
		  (long long)slot);
}

static void encounter(int64_t inst, const char *kind, const char *date, int64_t booking)
{
	yltb_exec(&T, "INSERT INTO encounters(kind, resident_id, institution_id, visit_date,"
		  " booking_id, created_at) VALUES ('%s', coalesce((SELECT resident_id FROM bookings"
		  " WHERE id = %lld), 1), %lld, '%s', nullif(%lld, 0), 0)", kind, (long long)booking,
		  (long long)inst, date, (long long)booking);
}

static int setup(void **state)
{
	int64_t d1, d2, d3, s;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	next_resident = yltb_residents(&T, 12);
	d1 = yltb_department(&T, 2, "内科");
	d2 = yltb_department(&T, 1, "心内科");
	d3 = yltb_department(&T, 3, "全科");
	s = yltb_session(&T, d1, "2026-03-10", "08:00", "12:00");
	slot_a = yltb_slot(&T, s, "08:00", 30, 10, 3, 2);
	slot_b = yltb_slot(&T, s, "08:30", 30, 10, 2, 1);
	s = yltb_session(&T, d1, "2026-03-20", "08:00", "12:00");
	slot_c = yltb_slot(&T, s, "08:00", 30, 10, 4, 0);
	s = yltb_session(&T, d1, "2026-03-11", "08:00", "12:00");
	slot_d = yltb_slot(&T, s, "08:00", 30, 10, 5, 5);
	yltb_exec(&T, "UPDATE sessions SET status = 'stopped', stop_reason = 'x' WHERE id = %lld",
		  (long long)s);
	s = yltb_session(&T, d2, "2026-03-10", "08:00", "12:00");
	slot_e = yltb_slot(&T, s, "09:00", 30, 5, 1, 1);
	s = yltb_session(&T, d3, "2026-03-12", "08:00", "12:00");
	slot_f = yltb_slot(&T, s, "09:00", 30, 4, 2, 0);

	book(slot_a, "family_doctor", "seen", "2026-03-05", "10:00");
	book(slot_a, "family_doctor", "booked", "2026-03-06", "10:00");
	book(slot_a, "public", "checked_in", "2026-03-09", "23:30");
	book(slot_a, "referral", "cancelled", "2026-03-08", "10:00");
	book(slot_b, "referral", "seen", "2026-03-10", "00:10");
	book(slot_b, "public", "booked", "2026-03-09", "10:00");
	book(slot_c, "family_doctor", "booked", "2026-03-14", "10:00");
	book(slot_c, "family_doctor", "cancelled", "2026-03-14", "11:00");
	book(slot_d, "family_doctor", "cancelled", "2026-03-09", "10:00");
	book(slot_e, "family_doctor", "seen", "2026-03-01", "09:00");

	/* Bookings b1..b10 have ids 1..10. */
	encounter(2, "outpatient", "2026-03-10", 1);
	encounter(2, "outpatient", "2026-03-10", 5);
	encounter(2, "outpatient", "2026-03-12", 0);
	encounter(2, "emergency", "2026-03-10", 0);
	encounter(2, "inpatient", "2026-03-10", 0);
	encounter(2, "outpatient", "2026-02-28", 0);
	encounter(1, "outpatient", "2026-03-10", 10);
	encounter(3, "outpatient", "2026-03-12", 0);
	encounter(3, "outpatient", "2026-03-13", 0);

	yltb_exec(&T, "INSERT INTO consortia(id, code, name, kind, lead_institution_id,"
		  " created_at) VALUES (1, 'YG-1', '天河医共体', 'county_community', 1, 0)");
	yltb_exec(&T, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on,"
		  " left_on, created_at) VALUES (1, 1, '2026-01-01', NULL, 0),"
		  " (1, 2, '2026-03-10', '2026-03-20', 0), (1, 3, '2026-03-13', NULL, 0)");
	yltb_exec(&T, "INSERT INTO consortia(id, code, name, kind, lead_institution_id,"
		  " created_at) VALUES (2, 'YG-2', '空', 'specialty_alliance', 4, 0)");
	ylt_commit(&T);
	return 0;
}

static void expect(const struct yl_ratio *k, int64_t num, int64_t den, bool has, double value)
{
	assert_int_equal(k->numerator, num);
	assert_true(k->denominator_known);
	assert_int_equal(k->denominator, den);
	assert_int_equal(k->has_value, has);
	if (has)
		assert_float_equal(k->value, value, 1e-12);
}

static struct yl_booking_stats run(int64_t inst, int64_t cons, const char *area,
				   const char *from, const char *to)
{
	struct yl_booking_stats_query q = {inst, cons, area, from, to};
	struct yl_booking_stats s;

	if (yl_booking_stats(&T.ctx, &q, &s))
		fail_msg("stats: %s", T.diag.message);
	return s;
}

static void test_institution(void **state)
{
	struct yl_booking_stats s = run(2, 0, NULL, "2026-03-01", "2026-03-31");

	(void)state;
	assert_string_equal(s.from, "2026-03-01");
	assert_string_equal(s.to, "2026-03-31");
	assert_int_equal(s.as_of, YLT_NOW);
	assert_int_equal(s.institutions, 1);
	assert_int_equal(s.slots, 3);                        /* A, B, C; D was stopped */
	expect(&s.pool_family_doctor, 3, 3 + 2 + 4, true, 3.0 / 9); /* b1, b2, b7 */
	expect(&s.pool_referral, 1, 2 + 1 + 0, true, 1.0 / 3);      /* b5; b4 cancelled */
	expect(&s.pool_reserved, 4, 12, true, 4.0 / 12);
	expect(&s.no_show, 2, 5, true, 0.4);          /* b2, b6 of b1, b2, b3, b5, b6 */
	expect(&s.days_to_visit, 5 + 1 + 0, 3, true, 2.0); /* b1, b3, b5 in local dates */
	assert_string_equal(s.days_to_visit.unit, "days");
	assert_string_equal(s.no_show.unit, "ratio");
	expect(&s.appointment, 2, 3, true, 2.0 / 3); /* e1, e2 of e1, e2, e3 */
	assert_string_equal(s.appointment.unit, "ratio");
	assert_null(s.appointment.note);
}

static void test_zero_denominators_are_null(void **state)
{
	struct yl_booking_stats s = run(2, 0, NULL, "2026-03-20", "2026-03-20");

	(void)state;
	assert_int_equal(s.slots, 1);
	expect(&s.pool_family_doctor, 1, 4, true, 0.25);
	expect(&s.pool_referral, 0, 0, false, 0);
	expect(&s.pool_reserved, 1, 4, true, 0.25);
	expect(&s.no_show, 0, 0, false, 0); /* C has not ended */
	expect(&s.days_to_visit, 0, 0, false, 0);
	expect(&s.appointment, 0, 0, false, 0); /* no outpatient encounter on 03-20 */

	s = run(4, 0, NULL, "2026-03-01", "2026-03-31"); /* no slots at all */
	assert_int_equal(s.institutions, 1);
	assert_int_equal(s.slots, 0);
	expect(&s.pool_family_doctor, 0, 0, false, 0);
	expect(&s.pool_reserved, 0, 0, false, 0);
	expect(&s.no_show, 0, 0, false, 0);
	expect(&s.appointment, 0, 0, false, 0);
}

static void test_period_edges(void **state)
{
	struct yl_booking_stats s;

	(void)state;
	/* The period is of local slot dates: 03-10 holds A and B, 03-11 only the stopped D. */
	s = run(2, 0, NULL, "2026-03-10", "2026-03-10");
	assert_int_equal(s.slots, 2);
	expect(&s.pool_family_doctor, 2, 5, true, 0.4);
	expect(&s.appointment, 2, 2, true, 1.0); /* e1, e2 */
	s = run(2, 0, NULL, "2026-03-11", "2026-03-19");
	assert_int_equal(s.slots, 0);
	expect(&s.pool_family_doctor, 0, 0, false, 0);
	expect(&s.appointment, 0, 1, true, 0.0); /* e3: a rate of 0, not "not computable" */
	s = run(2, 0, NULL, "2026-02-28", "2026-02-28");
	expect(&s.appointment, 0, 1, true, 0.0); /* e6 */
	s = run(2, 0, NULL, "2026-03-09", "2026-03-09");
	assert_int_equal(s.slots, 0);
}

static void test_area(void **state)
{
	struct yl_booking_stats s;

	(void)state;
	/* County 440106: institutions 2, 3, 4 and 5; F adds two offered family-doctor places. */
	s = run(0, 0, "440106", "2026-03-01", "2026-03-31");
	assert_int_equal(s.institutions, 4);
	assert_int_equal(s.slots, 4);
	expect(&s.pool_family_doctor, 3, 11, true, 3.0 / 11);
	expect(&s.pool_referral, 1, 3, true, 1.0 / 3);
	expect(&s.no_show, 2, 5, true, 0.4);
	expect(&s.appointment, 2, 5, true, 0.4); /* e1, e2 of e1, e2, e3, e8, e9 */

	/* Township 440106001: institution 3 and the village clinic. */
	s = run(0, 0, "440106001", "2026-03-01", "2026-03-31");
	assert_int_equal(s.institutions, 2);
	expect(&s.pool_family_doctor, 0, 2, true, 0.0);
	expect(&s.no_show, 0, 0, false, 0);
	expect(&s.appointment, 0, 2, true, 0.0); /* e8, e9, neither booked */

	/* The province: everything, summed then divided (not an average of rates). */
	s = run(0, 0, "440000", "2026-03-01", "2026-03-31");
	assert_int_equal(s.institutions, 5);
	expect(&s.pool_family_doctor, 4, 12, true, 4.0 / 12);
	expect(&s.pool_referral, 1, 4, true, 0.25);
	expect(&s.no_show, 2, 6, true, 2.0 / 6);
	expect(&s.days_to_visit, 6 + 9, 4, true, 3.75);
	expect(&s.appointment, 3, 6, true, 0.5); /* summed, then divided: + e7 */
}

static void test_consortium_by_date(void **state)
{
	struct yl_booking_stats s;

	(void)state;
	/* Institution 1 (E), institution 2 for A and B only (left on 03-20, the day of C),
	 * institution 3 not for F (joined the next day). */
	s = run(0, 1, NULL, "2026-03-01", "2026-03-31");
	assert_int_equal(s.institutions, 3);
	assert_int_equal(s.slots, 3);
	expect(&s.pool_family_doctor, 3, 1 + 3 + 2, true, 0.5); /* b10, b1, b2 */
	expect(&s.pool_referral, 1, 1 + 2 + 1, true, 0.25);
	expect(&s.no_show, 2, 6, true, 2.0 / 6);
	expect(&s.days_to_visit, 9 + 5 + 1 + 0, 4, true, 3.75);
	/* e7, then e1, e2, e3 (2 was a member 03-10..03-19), then e9 (3 from 03-13, so not e8) */
	expect(&s.appointment, 3, 5, true, 0.6);

	/* Before institution 2 joined, only the lead counts: not e6. */
	s = run(0, 1, NULL, "2026-02-01", "2026-03-09");
	assert_int_equal(s.institutions, 1);
	assert_int_equal(s.slots, 0);
	expect(&s.appointment, 0, 0, false, 0);

	/* A period with no member at all, and a consortium whose lead has no membership row. */
	s = run(0, 1, NULL, "2025-01-01", "2025-12-31");
	assert_int_equal(s.institutions, 0);
	expect(&s.pool_reserved, 0, 0, false, 0);
	s = run(0, 2, NULL, "2026-03-01", "2026-03-31");
	assert_int_equal(s.institutions, 0);
}

static void test_errors(void **state)
{
	struct yl_booking_stats s;
	struct yl_booking_stats_query q = {0};

	(void)state;
	q.from = "2026-03-01";
	q.to = "2026-03-31";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_MISSING);
	assert_string_equal(T.diag.field, "scope");
	q.institution_id = 2;
	q.area_code = "440106";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "scope");
	q.area_code = NULL;
	q.from = NULL;
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_MISSING);
	assert_string_equal(T.diag.field, "from");
	q.from = "2026-02-30";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "from");
	q.from = "2026-04-01";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "to");
	q.from = "2025-03-30";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_INVALID); /* 367 days */
	q.from = "2025-03-31";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_OK); /* 366 days */
	q.institution_id = 99;
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "institution_id");
	q.institution_id = 0;
	q.consortium_id = 99;
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "consortium_id");
	q.consortium_id = 0;
	q.area_code = "449999";
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "area_code");
	q.area_code = "440106";
	T.actor.role = YL_ROLE_RESIDENT;
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_REGULATOR;
	assert_int_equal(yl_booking_stats(&T.ctx, &q, &s), YL_OK);
	T.actor.role = YL_ROLE_ADMIN;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_institution),
		cmocka_unit_test(test_zero_denominators_are_null),
		cmocka_unit_test(test_period_edges),
		cmocka_unit_test(test_area),
		cmocka_unit_test(test_consortium_by_date),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
