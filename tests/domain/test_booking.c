/* Domain: bookings - every rule and its error code, the pools (reserved, released, fallen
 * back), idempotent retries, cancellation until the cutoff, the check-in window, derived
 * no-shows and the suspension they cause across the window (the pinned clock is moved), and
 * the lists. After every refusal the bookings, the slot counters and the audit log are
 * compared before the rollback: a refused request writes nothing at all. */
#include "ylt_booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/booking.h"
#include "domain/contract.h"
#include "domain/practitioner.h"
#include "domain/team.h"

static struct ylt_db T;
static int64_t dept_a, dept_b, r1, r2, r3, r4;
static struct yl_actor doc1, doc3, doc4, reg, res1, res2;

static void must(enum yl_err err, const char *what)
{
	if (err)
		fail_msg("%s: %s (%s)", what, T.diag.message, T.diag.field);
}

/* Bookings, slot counters and the audit log as one text. */
static char *digest(void)
{
	struct yl_stmt *st;
	bool row;
	char *s;

	must(yl_store_prepare(T.store, "SELECT coalesce((SELECT group_concat(id || status ||"
				       " coalesce(cancel_reason, '') || updated_at, ',') FROM bookings), '')"
				       " || '|' || coalesce((SELECT group_concat(booked_public || '.' ||"
				       " booked_family_doctor || '.' || booked_referral, ',') FROM slots), '')"
				       " || '|' || (SELECT count(*) FROM audit_log)", &st, &T.diag), "digest");
	must(yl_stmt_step(st, &row, &T.diag), "digest");
	s = strdup(yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return s;
}

/* IN_TX(a, call) runs call in a transaction as actor a (NULL: the system admin); on error it
 * checks that nothing was written before rolling back. */
static char *tx_before;

static void tx_begin(const struct yl_actor *a)
{
	tx_before = digest();
	ylt_begin(&T);
	T.ctx.actor = a ? a : &T.actor;
}

static enum yl_err tx_end(enum yl_err err)
{
	T.ctx.actor = &T.actor;
	if (err) {
		char *after = digest();
		if (strcmp(tx_before, after) != 0)
			fail_msg("refusal wrote: %s -> %s", tx_before, after);
		free(after);
		ylt_rollback(&T);
	} else {
		ylt_commit(&T);
	}
	free(tx_before);
	tx_before = NULL;
	return err;
}

#define IN_TX(a, call) (tx_begin(a), tx_end(call))

static enum yl_err book_as(const struct yl_actor *a, int64_t slot, int64_t resident,
			   enum yl_pool pool, const char *key, struct yl_booking *out)
{
	struct yl_booking_new in = {slot, resident, pool, key, pool == YL_POOL_REFERRAL};
	struct yl_booking tmp;

	return IN_TX(a, yl_booking_create(&T.ctx, &in, out ? out : &tmp, NULL));
}

static enum yl_err book(int64_t slot, int64_t resident)
{
	return book_as(NULL, slot, resident, YL_POOL_PUBLIC, NULL, NULL);
}

static enum yl_err cancel_as(const struct yl_actor *a, int64_t id, const char *reason)
{
	return IN_TX(a, yl_booking_cancel(&T.ctx, id, reason, NULL));
}

static void at(const char *date, const char *hhmm)
{
	yl_clock_fixed(&T.clock, yltb_at(date, hhmm));
}

static void expect(enum yl_err got, enum yl_err want)
{
	if (got != want)
		fail_msg("got %s (%s), want %s", yl_err_code(got), T.diag.message, yl_err_code(want));
}

static void expect_msg(const char *part)
{
	if (!strstr(T.diag.message, part))
		fail_msg("message '%s' lacks '%s'", T.diag.message, part);
}

/* One slot on date at hhmm (30 min) in dept; a new session each time. */
static int64_t slot_on(int64_t dept, const char *date, const char *hhmm, int cap, int fd, int ref)
{
	int64_t s = yltb_session(&T, dept, date, "08:00", "17:00");
	return yltb_slot(&T, s, hhmm, 30, cap, fd, ref);
}

static int64_t slot_public(int64_t slot)
{
	return yltb_scalar(&T, "SELECT booked_public FROM slots WHERE id = %lld", (long long)slot);
}

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	dept_a = yltb_department(&T, 1, "内科");
	dept_b = yltb_department(&T, 1, "外科");
	r1 = yltb_residents(&T, 4);
	r2 = r1 + 1;
	r3 = r1 + 2;
	r4 = r1 + 3;
	doc1 = (struct yl_actor){yltb_user(&T, "doc1", "doctor", 1, 0), "doc1", YL_ROLE_DOCTOR, 1, 0};
	doc3 = (struct yl_actor){yltb_user(&T, "doc3", "doctor", 3, 0), "doc3", YL_ROLE_DOCTOR, 3, 0};
	doc4 = (struct yl_actor){yltb_user(&T, "doc4", "doctor", 4, 0), "doc4", YL_ROLE_DOCTOR, 4, 0};
	reg = (struct yl_actor){yltb_user(&T, "reg", "regulator", 0, 0), "reg", YL_ROLE_REGULATOR, 0, 0};
	res1 = (struct yl_actor){yltb_user(&T, "res1", "resident", 0, r1), "res1", YL_ROLE_RESIDENT, 0, r1};
	res2 = (struct yl_actor){yltb_user(&T, "res2", "resident", 0, r2), "res2", YL_ROLE_RESIDENT, 0, r2};
	return 0;
}

static void test_book_public(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 5, 0, 0);
	struct yl_booking b, g;
	(void)state;

	must(book_as(NULL, x, r1, YL_POOL_PUBLIC, NULL, &b), "book");
	assert_int_equal(b.slot_id, x);
	assert_int_equal(b.resident_id, r1);
	assert_int_equal(b.institution_id, 1);
	assert_int_equal(b.department_id, dept_a);
	assert_string_equal(b.date, "2026-03-17");
	assert_string_equal(b.pool, "public");
	assert_string_equal(b.status, "booked");
	assert_int_equal(b.starts_at, yltb_at("2026-03-17", "09:00"));
	assert_int_equal(b.booked_by, 0);
	assert_null(b.idempotency_key);
	assert_int_equal(slot_public(x), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM audit_log WHERE action = 'book'"
				     " AND entity = 'booking' AND entity_id = '%lld'", (long long)b.id), 1);
	must(yl_booking_get(&T.ctx, b.id, &g), "get");
	assert_int_equal(g.id, b.id);
	/* a resident user books for themself, and only for themself */
	must(book_as(&res2, x, r2, YL_POOL_PUBLIC, NULL, &b), "resident books");
	assert_int_equal(b.booked_by, res2.user_id);
	expect(book_as(&res2, x, r3, YL_POOL_PUBLIC, NULL, NULL), YL_ERR_FORBIDDEN);
	expect(book_as(&reg, x, r3, YL_POOL_PUBLIC, NULL, NULL), YL_ERR_FORBIDDEN);
	expect(book(x + 100, r3), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "slot_id");
	expect(book(x, r1 + 100), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "resident_id");
	/* institution staff of another institution book too (a family doctor for a resident) */
	must(book_as(&doc4, x, r3, YL_POOL_PUBLIC, NULL, NULL), "doctor elsewhere books");
	assert_int_equal(slot_public(x), 3);
}

static void test_slot_full_and_pools(void **state)
{
	/* capacity 3: family_doctor 1, referral 1, so public may hold 1 */
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 3, 1, 1);
	(void)state;

	must(book(x, r1), "first public");
	expect(book(x, r2), YL_ERR_SLOT_FULL);
	expect_msg("public pool");
	must(book_as(NULL, x, r2, YL_POOL_REFERRAL, NULL, NULL), "referral");
	expect(book_as(NULL, x, r3, YL_POOL_REFERRAL, NULL, NULL), YL_ERR_SLOT_FULL);
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public * 100 + booked_family_doctor * 10 +"
				     " booked_referral FROM slots WHERE id = %lld", (long long)x), 101);
	assert_int_equal(ylt_count(&T, "bookings"), 2);
}

static void test_fallback(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 3, 1, 1);
	(void)state;

	must(book(x, r1), "public");
	expect(book(x, r2), YL_ERR_SLOT_FULL);
	/* default policy: reserved places fall back 24 h before the start */
	at("2026-03-16", "08:59");
	expect(book(x, r2), YL_ERR_SLOT_FULL);
	at("2026-03-16", "09:00");
	must(book(x, r2), "public after fallback");
	must(book(x, r3), "public after fallback, second");
	expect(book(x, r4), YL_ERR_SLOT_FULL);
	/* the reserved pools are closed at what they hold */
	expect(book_as(NULL, x, r4, YL_POOL_REFERRAL, NULL, NULL), YL_ERR_SLOT_FULL);
	assert_int_equal(slot_public(x), 3);
}

/* Two requests judged at different times (clock skew between servers, a replayed queue): the
 * public pool filled the slot after the fallback; a referral booking judged before the
 * fallback still sees its quota free, but the slot as a whole is full, so it gets slot_full,
 * not a failed CHECK. Found by the simulator. */
static void test_skewed_clocks_never_overbook(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 3, 1, 1);
	(void)state;

	at("2026-03-16", "10:00");
	must(book(x, r1), "public 1");
	must(book(x, r2), "public 2");
	must(book(x, r3), "public 3");
	at("2026-03-15", "10:00");
	expect(book_as(NULL, x, r4, YL_POOL_REFERRAL, NULL, NULL), YL_ERR_SLOT_FULL);
	assert_int_equal(yltb_scalar(&T, "SELECT booked_public * 100 + booked_family_doctor * 10 +"
				     " booked_referral FROM slots WHERE id = %lld", (long long)x), 300);
}

static void test_pool_not_allowed(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 4, 2, 1);
	struct yl_booking_new in = {x, r1, YL_POOL_REFERRAL, NULL, false};
	struct yl_booking b;
	(void)state;

	expect(book_as(NULL, x, r1, YL_POOL_FAMILY_DOCTOR, NULL, NULL), YL_ERR_POOL_NOT_ALLOWED);
	expect(book_as(&doc3, x, r1, YL_POOL_FAMILY_DOCTOR, NULL, NULL), YL_ERR_POOL_NOT_ALLOWED);
	expect(IN_TX(NULL, yl_booking_create(&T.ctx, &in, &b, NULL)), YL_ERR_POOL_NOT_ALLOWED);
	expect_msg("up-referral");
	expect(book_as(&res1, x, r1, YL_POOL_FAMILY_DOCTOR, NULL, NULL), YL_ERR_POOL_NOT_ALLOWED);
	expect(book_as(&res1, x, r1, YL_POOL_REFERRAL, NULL, NULL), YL_ERR_POOL_NOT_ALLOWED);
	assert_int_equal(ylt_count(&T, "bookings"), 0);
}

static void test_family_doctor_pool(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 4, 2, 1);
	struct yl_practitioner p = {0}, po;
	struct yl_team t = {0}, to;
	struct yl_contract_sign k = {0};
	struct yl_booking b;
	(void)state;

	p.name = "全科";
	p.title = "attending_physician";
	p.general_practitioner = true;
	p.institution_id = 3;
	ylt_begin(&T);
	must(yl_practitioner_create(&T.ctx, &p, &po), "gp");
	t.name = "一队";
	t.institution_id = 3;
	t.leader_id = po.id;
	t.capacity = 10;
	must(yl_team_create(&T.ctx, &t, &to), "team");
	k.resident_id = r1;
	k.team_id = to.id;
	k.secondary_id = 2;
	k.tertiary_id = 1;
	must(yl_contract_sign(&T.ctx, &k, NULL), "contract");
	ylt_commit(&T);
	/* only a doctor of the team's institution, only for the contracted resident */
	must(book_as(&doc3, x, r1, YL_POOL_FAMILY_DOCTOR, NULL, &b), "family doctor books");
	assert_string_equal(b.pool, "family_doctor");
	expect(book_as(&doc4, x, r1, YL_POOL_FAMILY_DOCTOR, NULL, NULL), YL_ERR_POOL_NOT_ALLOWED);
	expect(book_as(&doc3, x, r2, YL_POOL_FAMILY_DOCTOR, NULL, NULL), YL_ERR_POOL_NOT_ALLOWED);
	assert_int_equal(yltb_scalar(&T, "SELECT booked_family_doctor FROM slots WHERE id = %lld",
				     (long long)x), 1);
	/* reserved places open before the public release (priority access) */
	x = slot_on(dept_b, "2026-03-25", "09:00", 4, 2, 1);
	expect(book(x, r2), YL_ERR_NOT_RELEASED);
	must(book_as(&doc3, x, r1, YL_POOL_FAMILY_DOCTOR, NULL, NULL), "reserved before release");
}

static void test_not_released(void **state)
{
	/* default policy: public places open 7 days ahead at 08:00 */
	int64_t x = slot_on(dept_a, "2026-03-25", "09:00", 4, 0, 1);
	(void)state;

	expect(book(x, r1), YL_ERR_NOT_RELEASED);
	expect_msg("2026-03-18 08:00");
	must(book_as(NULL, x, r1, YL_POOL_REFERRAL, NULL, NULL), "referral is open");
	at("2026-03-18", "07:59");
	expect(book(x, r2), YL_ERR_NOT_RELEASED);
	at("2026-03-18", "08:00");
	must(book(x, r2), "released");
	/* a policy of the institution moves the opening */
	yltb_exec(&T, "INSERT INTO release_policies VALUES (1, 1, '20:30', 24, 2, 0)");
	x = slot_on(dept_b, "2026-03-20", "09:00", 4, 0, 0);
	expect(book(x, r3), YL_ERR_NOT_RELEASED);
	expect_msg("2026-03-19 20:30");
}

static void test_past_and_stopped(void **state)
{
	int64_t early = slot_on(dept_a, "2026-03-15", "09:00", 4, 0, 0);
	int64_t now_slot = slot_on(dept_a, "2026-03-15", "10:00", 4, 0, 0);
	int64_t later = slot_on(dept_b, "2026-03-16", "10:00", 4, 0, 0);
	(void)state;

	expect(book(early, r1), YL_ERR_SLOT_PAST);
	expect(book(now_slot, r1), YL_ERR_SLOT_PAST);
	yltb_exec(&T, "UPDATE sessions SET status = 'stopped', stop_reason = '专家外出'"
		  " WHERE id = (SELECT session_id FROM slots WHERE id = %lld)", (long long)later);
	expect(book(later, r1), YL_ERR_SESSION_STOPPED);
	assert_int_equal(ylt_count(&T, "bookings"), 0);
}

static void test_duplicate(void **state)
{
	int64_t s = yltb_session(&T, dept_a, "2026-03-17", "08:00", "12:00");
	int64_t x = yltb_slot(&T, s, "09:00", 30, 4, 0, 0), y = yltb_slot(&T, s, "09:30", 30, 4, 0, 0);
	int64_t other_dept = slot_on(dept_b, "2026-03-17", "09:00", 4, 0, 0);
	int64_t next_day = slot_on(dept_a, "2026-03-18", "09:00", 4, 0, 0);
	struct yl_booking b;
	(void)state;

	must(book_as(NULL, x, r1, YL_POOL_PUBLIC, NULL, &b), "first");
	expect(book(y, r1), YL_ERR_DUPLICATE_BOOKING);
	expect(book(x, r1), YL_ERR_DUPLICATE_BOOKING);
	must(book(other_dept, r1), "another department");
	must(book(next_day, r1), "another day");
	must(cancel_as(NULL, b.id, "改期"), "cancel");
	must(book(y, r1), "after cancelling");
}

static void test_too_many(void **state)
{
	int64_t a = slot_on(dept_a, "2026-03-16", "09:00", 4, 0, 0);
	int64_t b = slot_on(dept_a, "2026-03-17", "09:00", 4, 0, 0);
	int64_t c = slot_on(dept_a, "2026-03-18", "09:00", 4, 0, 0);
	(void)state;

	yltb_exec(&T, "UPDATE settings SET value = '2' WHERE key = 'booking_max_active'");
	must(book(a, r1), "one");
	must(book(b, r1), "two");
	expect(book(c, r1), YL_ERR_TOO_MANY_BOOKINGS);
	expect_msg("at most 2");
	must(book(c, r2), "another resident");
	/* a booking whose slot has ended is no longer active */
	at("2026-03-16", "09:30");
	must(book(c, r1), "after the first slot ended");
}

static void test_no_show_suspension(void **state)
{
	int64_t a = slot_on(dept_a, "2026-03-16", "09:00", 4, 0, 0);
	int64_t b = slot_on(dept_a, "2026-03-26", "09:00", 4, 0, 0);
	int64_t c = slot_on(dept_a, "2026-04-05", "09:00", 4, 0, 0);
	int64_t d = slot_on(dept_a, "2026-04-20", "09:00", 4, 0, 0);
	int64_t e = slot_on(dept_a, "2026-07-10", "09:00", 4, 0, 0);
	struct yl_booking bk, *items;
	struct yl_booking_filter f = {0};
	int64_t until;
	bool more;
	int n;
	(void)state;

	yltb_exec(&T, "INSERT INTO release_policies VALUES (1, 90, '08:00', 24, 2, 0)");
	must(book_as(NULL, a, r1, YL_POOL_PUBLIC, NULL, &bk), "a");
	must(book(b, r1), "b");
	must(book(c, r1), "c");
	/* two no-shows do not suspend */
	at("2026-03-26", "09:30");
	must(yl_booking_get(&T.ctx, bk.id, &bk), "get");
	assert_string_equal(bk.status, "no_show");
	must(yl_booking_suspended_until(&T.ctx, r1, &until), "until");
	assert_int_equal(until, 0);
	/* the third, 20 days after the first, does: 90 days from the last no-show */
	at("2026-04-05", "09:29");
	must(book(d, r2), "r2 unaffected");
	at("2026-04-05", "09:30");
	expect(book(d, r1), YL_ERR_BOOKING_SUSPENDED);
	expect_msg("2026-07-04 09:30");
	must(book(d, r2 + 1), "another resident books");
	f.status = "no_show";
	f.limit = 10;
	f.resident_id = r1;
	must(yl_booking_list(&T.ctx, &f, &items, &n, &more), "list no-shows");
	assert_int_equal(n, 3);
	at("2026-07-04", "09:29");
	expect(book(e, r1), YL_ERR_BOOKING_SUSPENDED);
	at("2026-07-04", "09:30");
	must(book(e, r1), "suspension over");
}

static void test_suspension_window(void **state)
{
	int64_t a = slot_on(dept_a, "2026-03-16", "09:00", 4, 0, 0);
	int64_t b = slot_on(dept_a, "2026-04-20", "09:00", 4, 0, 0);
	int64_t c = slot_on(dept_a, "2026-06-20", "09:00", 4, 0, 0);
	int64_t d = slot_on(dept_a, "2026-06-25", "09:00", 4, 0, 0);
	int64_t e = slot_on(dept_a, "2026-07-01", "09:00", 4, 0, 0);
	(void)state;

	yltb_exec(&T, "INSERT INTO release_policies VALUES (1, 90, '08:00', 24, 2, 0)");
	must(book(a, r1), "a");
	must(book(b, r1), "b");
	at("2026-04-21", "08:00");
	must(book(c, r1), "c");
	/* three no-shows spread over 96 days: never three within 90 */
	at("2026-06-21", "08:00");
	must(book(d, r1), "d");
	/* the fourth makes 04-20, 06-20, 06-25 three within 90 days */
	at("2026-06-26", "08:00");
	expect(book(e, r1), YL_ERR_BOOKING_SUSPENDED);
	expect_msg("2026-09-23 09:30");
	/* both limits are settings */
	yltb_exec(&T, "UPDATE settings SET value = '4' WHERE key = 'no_show_limit'");
	must(book(e, r1), "limit 4");
}

static void test_cancel(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 1, 0, 0);
	struct yl_booking b, b2;
	(void)state;

	must(book_as(NULL, x, r1, YL_POOL_PUBLIC, NULL, &b), "book");
	expect(book(x, r2), YL_ERR_SLOT_FULL);
	expect(cancel_as(NULL, b.id, NULL), YL_ERR_MISSING);
	expect(cancel_as(&res2, b.id, "no"), YL_ERR_NOT_FOUND);
	expect(cancel_as(&reg, b.id, "no"), YL_ERR_FORBIDDEN);
	expect(cancel_as(&doc4, b.id, "no"), YL_ERR_FORBIDDEN);
	must(cancel_as(&res1, b.id, "有事"), "own cancel");
	must(yl_booking_get(&T.ctx, b.id, &b), "get");
	assert_string_equal(b.status, "cancelled");
	assert_string_equal(b.cancel_reason, "有事");
	assert_int_equal(slot_public(x), 0);
	expect(cancel_as(NULL, b.id, "again"), YL_ERR_CONFLICT);
	/* the place is free again; the booker (a doctor elsewhere) may cancel it */
	must(book_as(&doc4, x, r2, YL_POOL_PUBLIC, NULL, &b2), "rebook");
	at("2026-03-17", "07:00"); /* the default cutoff: 2 h before */
	must(cancel_as(&doc4, b2.id, "转诊"), "cancel at the cutoff");
	at("2026-03-16", "12:00");
	must(book_as(&doc1, x, r3, YL_POOL_PUBLIC, NULL, &b2), "staff of the hospital books");
	at("2026-03-17", "07:01");
	expect(cancel_as(NULL, b2.id, "late"), YL_ERR_CANCEL_TOO_LATE);
	expect_msg("2026-03-17 07:00");
	assert_int_equal(slot_public(x), 1);
}

static void test_check_in_and_seen(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 4, 0, 0);
	struct yl_booking b1, b2, out;
	(void)state;

	must(book_as(NULL, x, r1, YL_POOL_PUBLIC, NULL, &b1), "b1");
	must(book_as(NULL, x, r2, YL_POOL_PUBLIC, NULL, &b2), "b2");
	at("2026-03-17", "07:59");
	expect(IN_TX(&doc1, yl_booking_check_in(&T.ctx, b1.id, &out)), YL_ERR_CHECK_IN_CLOSED);
	expect_msg("2026-03-17 08:00");
	at("2026-03-17", "08:00");
	expect(IN_TX(&doc3, yl_booking_check_in(&T.ctx, b1.id, &out)), YL_ERR_FORBIDDEN);
	expect(IN_TX(&res1, yl_booking_check_in(&T.ctx, b1.id, &out)), YL_ERR_FORBIDDEN);
	expect(IN_TX(&doc1, yl_booking_seen(&T.ctx, b1.id, &out)), YL_ERR_CONFLICT);
	must(IN_TX(&doc1, yl_booking_check_in(&T.ctx, b1.id, &out)), "check in");
	assert_string_equal(out.status, "checked_in");
	expect(IN_TX(&doc1, yl_booking_check_in(&T.ctx, b1.id, &out)), YL_ERR_CONFLICT);
	expect(cancel_as(NULL, b1.id, "x"), YL_ERR_CONFLICT);
	/* a checked-in resident is seen after the slot too; not a no-show */
	at("2026-03-17", "11:00");
	must(IN_TX(&doc1, yl_booking_seen(&T.ctx, b1.id, &out)), "seen");
	assert_string_equal(out.status, "seen");
	expect(IN_TX(&doc1, yl_booking_check_in(&T.ctx, b2.id, &out)), YL_ERR_CHECK_IN_CLOSED);
	must(yl_booking_get(&T.ctx, b2.id, &out), "get");
	assert_string_equal(out.status, "no_show");
	/* a stopped session cannot check in */
	x = slot_on(dept_b, "2026-03-18", "09:00", 4, 0, 0);
	at("2026-03-15", "10:00");
	must(book_as(NULL, x, r1, YL_POOL_PUBLIC, NULL, &b1), "b3");
	yltb_exec(&T, "UPDATE sessions SET status = 'stopped', stop_reason = 'x' WHERE id ="
		  " (SELECT session_id FROM slots WHERE id = %lld)", (long long)x);
	at("2026-03-18", "08:30");
	expect(IN_TX(NULL, yl_booking_check_in(&T.ctx, b1.id, &out)), YL_ERR_SESSION_STOPPED);
}

static void test_idempotency(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 4, 0, 0);
	int64_t y = slot_on(dept_b, "2026-03-17", "09:00", 4, 0, 0);
	struct yl_booking_new in = {x, r1, YL_POOL_PUBLIC, "k-1", false};
	struct yl_booking b, again;
	bool replayed = true;
	char *before;
	(void)state;

	expect(book_as(&doc4, x, r1, YL_POOL_PUBLIC, "", NULL), YL_ERR_INVALID);
	must(IN_TX(&doc4, yl_booking_create(&T.ctx, &in, &b, &replayed)), "first");
	assert_false(replayed);
	assert_string_equal(b.idempotency_key, "k-1");
	before = digest();
	must(IN_TX(&doc4, yl_booking_create(&T.ctx, &in, &again, &replayed)), "retry");
	assert_true(replayed);
	assert_int_equal(again.id, b.id);
	{
		char *after = digest();
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	/* the same key for another slot, resident or pool is a conflict */
	expect(book_as(&doc4, y, r1, YL_POOL_PUBLIC, "k-1", NULL), YL_ERR_IDEMPOTENCY);
	expect(book_as(&doc4, x, r2, YL_POOL_PUBLIC, "k-1", NULL), YL_ERR_IDEMPOTENCY);
	/* keys belong to their user: another user's k-1 is a new request */
	expect(book_as(&doc3, x, r1, YL_POOL_PUBLIC, "k-1", NULL), YL_ERR_DUPLICATE_BOOKING);
	must(book_as(&doc3, x, r2, YL_POOL_PUBLIC, "k-1", NULL), "doc3 k-1");
	/* a retry is answered even once the rules would refuse a new booking */
	at("2026-03-17", "10:00");
	must(IN_TX(&doc4, yl_booking_create(&T.ctx, &in, &again, &replayed)), "late retry");
	assert_true(replayed);
	assert_string_equal(again.status, "no_show");
	/* the system actor has keys too */
	at("2026-03-15", "10:00");
	must(book_as(NULL, y, r3, YL_POOL_PUBLIC, "sys", &b), "system");
	must(book_as(NULL, y, r3, YL_POOL_PUBLIC, "sys", &again), "system retry");
	assert_int_equal(again.id, b.id);
	assert_int_equal(ylt_count(&T, "bookings"), 3);
}

static void test_list(void **state)
{
	int64_t x = slot_on(dept_a, "2026-03-17", "09:00", 4, 0, 0);
	struct yl_booking_filter f = {0};
	struct yl_booking *items, b;
	bool more;
	int n;
	(void)state;

	must(book(x, r1), "r1");
	must(book_as(NULL, x, r2, YL_POOL_PUBLIC, NULL, &b), "r2");
	must(book(x, r3), "r3");
	must(cancel_as(NULL, b.id, "x"), "cancel r2");
	f.limit = 2;
	f.slot_id = x;
	must(yl_booking_list(&T.ctx, &f, &items, &n, &more), "list");
	assert_int_equal(n, 2);
	assert_true(more);
	f.after = items[1].id;
	must(yl_booking_list(&T.ctx, &f, &items, &n, &more), "page 2");
	assert_int_equal(n, 1);
	assert_false(more);
	f.after = 0;
	f.limit = 10;
	f.status = "booked";
	must(yl_booking_list(&T.ctx, &f, &items, &n, &more), "booked");
	assert_int_equal(n, 2);
	f.status = "cancelled";
	must(yl_booking_list(&T.ctx, &f, &items, &n, &more), "cancelled");
	assert_int_equal(n, 1);
	assert_int_equal(items[0].resident_id, r2);
	f.status = "bogus";
	expect(yl_booking_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "status");
	/* a resident sees only their own */
	f.status = NULL;
	T.ctx.actor = &res1;
	must(yl_booking_list(&T.ctx, &f, &items, &n, &more), "own");
	assert_int_equal(n, 1);
	assert_int_equal(items[0].resident_id, r1);
	f.resident_id = r2;
	expect(yl_booking_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN);
	expect(yl_booking_get(&T.ctx, b.id, &b), YL_ERR_NOT_FOUND);
	T.ctx.actor = &T.actor;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_book_public, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_slot_full_and_pools, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_skewed_clocks_never_overbook, setup,
						ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_pool_not_allowed, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_family_doctor_pool, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_not_released, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_past_and_stopped, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_no_show_suspension, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_suspension_window, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_check_in_and_seen, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_idempotency, setup, ylt_db_teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, ylt_db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
