/* Domain: "1+1+1" contracts - every signing rule and its error (no future start, terms across
 * 29 February), capacity with a team of two, expiry by the clock, the renew/change/end chains
 * and the history they leave, early renewals (scheduled, settled when they start), the list
 * filters, and an unchanged database after each refusal. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "domain/contract.h"
#include "domain/team.h"

static struct ylt_db T;
static int64_t team_a, team_b, team_full; /* A: centre 3, capacity 2; B: centre 4, 100 */

/* Practitioners and residents are written with plain SQL: their modules belong to others. */
static int64_t last_id(const char *table)
{
	char s[96];
	struct yl_stmt *st;
	bool row;
	int64_t id;

	snprintf(s, sizeof(s), "SELECT max(id) FROM %s", table);
	assert_int_equal(yl_store_prepare(T.store, s, &st, &T.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return id;
}

static void sql(const char *s)
{
	if (yl_store_exec(T.store, s, &T.diag))
		fail_msg("%s: %s", s, T.diag.message);
}

static int64_t add_resident(void)
{
	static int seq = 100;
	char s[400], idn[19];

	ylt_id_number(idn, "440106", "19800101", ++seq);
	snprintf(s, sizeof(s), "INSERT INTO residents(id_number, name, sex, birth_date,"
		 " home_area_code, insurance, tags, created_at) VALUES ('%s', 'r', 'male',"
		 " '1980-01-01', '440106001', 'employee', 0, 0)", idn);
	sql(s);
	return last_id("residents");
}

/* Sets the test clock to 10:00 Asia/Shanghai on date (YYYY-MM-DD). */
static void at(const char *date)
{
	int32_t d;

	assert_true(yl_date_parse(date, &d));
	yl_clock_fixed(&T.clock, (int64_t)d * 86400 + 2 * 3600);
}

static void now(void) { yl_clock_fixed(&T.clock, YLT_NOW); }

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	team_a = ylt_gp_team(&T, 3, 2);
	team_b = ylt_gp_team(&T, 4, 100);
	team_full = ylt_gp_team(&T, 4, 1);
	return 0;
}

static struct yl_contract_sign sign_in(int64_t resident, int64_t team)
{
	struct yl_contract_sign in = {0};

	in.resident_id = resident;
	in.team_id = team;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	return in;
}

/* One face-style request: a transaction, committed or rolled back. */
static enum yl_err run_sign(const struct yl_contract_sign *in, struct yl_contract *out)
{
	enum yl_err err;

	ylt_begin(&T);
	yl_diag_clear(&T.diag);
	err = yl_contract_sign(&T.ctx, in, out);
	if (err)
		ylt_rollback(&T);
	else
		ylt_commit(&T);
	return err;
}

static int64_t must_sign(int64_t resident, int64_t team)
{
	struct yl_contract_sign in = sign_in(resident, team);
	struct yl_contract out;

	if (run_sign(&in, &out))
		fail_msg("sign: %s", T.diag.message);
	return out.id;
}

struct counts {
	int64_t contracts, audits;
};

static struct counts counts(void)
{
	struct counts k = {ylt_count(&T, "contracts"), ylt_count(&T, "audit_log")};
	return k;
}

static void same_counts(struct counts before)
{
	assert_int_equal(ylt_count(&T, "contracts"), before.contracts);
	assert_int_equal(ylt_count(&T, "audit_log"), before.audits);
}

/* Signing is refused with want on field; no call writes anything, even without rollback. */
static void refused(const struct yl_contract_sign *in, enum yl_err want, const char *field)
{
	struct counts before = counts();

	yl_diag_clear(&T.diag);
	assert_int_equal(yl_contract_sign(&T.ctx, in, NULL), want);
	assert_string_equal(T.diag.field, field);
	assert_true(T.diag.message[0] != '\0');
	same_counts(before);
}

static void test_sign_dates_and_defaults(void **state)
{
	struct yl_contract_sign in = sign_in(add_resident(), team_b);
	struct yl_contract out, got;
	struct counts before = counts();
	(void)state;

	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.start_date, "2026-03-15");
	assert_string_equal(out.end_date, "2027-03-14"); /* one year (setting) less a day */
	assert_string_equal(out.status, "active");
	assert_int_equal(out.team_institution_id, 4);
	assert_int_equal(out.previous_id, 0);
	assert_null(out.end_reason);
	assert_null(out.ended_on);
	assert_int_equal(ylt_count(&T, "contracts"), before.contracts + 1);
	assert_int_equal(ylt_count(&T, "audit_log"), before.audits + 1);
	assert_int_equal(yl_contract_get(&T.ctx, out.id, &got), YL_OK);
	assert_string_equal(got.end_date, "2027-03-14");
	assert_int_equal(got.secondary_id, 2);
	assert_int_equal(got.tertiary_id, 1);

	/* a backdated start (a future one is refused: test_sign_rules) */
	in = sign_in(add_resident(), team_b);
	in.term_years = 3;
	in.has_start = true;
	assert_true(yl_date_parse("2026-01-01", &in.start_date));
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.start_date, "2026-01-01");
	assert_string_equal(out.end_date, "2028-12-31");

	/* the default term follows the setting */
	sql("UPDATE settings SET value = '2' WHERE key = 'contract_term_years'");
	in = sign_in(add_resident(), team_b);
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.end_date, "2028-03-14");
	sql("UPDATE settings SET value = '1' WHERE key = 'contract_term_years'");

	/* a leap day start: 2028-02-29 + 1 year is 2029-03-01 (no 29 February in 2029), so the
	 * term ends 2029-02-28; to a leap year it stays 29 February */
	at("2028-02-29");
	in = sign_in(add_resident(), team_b);
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.start_date, "2028-02-29");
	assert_string_equal(out.end_date, "2029-02-28");
	in = sign_in(add_resident(), team_b);
	in.term_years = 4;
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.end_date, "2032-02-28");
	in = sign_in(add_resident(), team_b);
	in.term_years = 2;
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.end_date, "2030-02-28");
	/* backdated to a leap day: covered up to and including 2025-02-28 */
	at("2025-02-28");
	in = sign_in(add_resident(), team_b);
	in.has_start = true;
	assert_true(yl_date_parse("2024-02-29", &in.start_date));
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.end_date, "2025-02-28");
	now();
}

static void test_sign_rules(void **state)
{
	int64_t r = add_resident();
	struct yl_contract_sign in;
	(void)state;

	in = sign_in(r, team_b);
	in.secondary_id = 1; /* tertiary */
	refused(&in, YL_ERR_LEVEL, "secondary_id");
	in.secondary_id = 3; /* primary */
	refused(&in, YL_ERR_LEVEL, "secondary_id");
	in = sign_in(r, team_b);
	in.tertiary_id = 2; /* secondary */
	refused(&in, YL_ERR_LEVEL, "tertiary_id");
	in = sign_in(r, team_b);
	in.secondary_id = 99;
	refused(&in, YL_ERR_NOT_FOUND, "secondary_id");
	in = sign_in(r, team_b);
	in.tertiary_id = 0;
	refused(&in, YL_ERR_MISSING, "tertiary_id");
	in = sign_in(9999, team_b);
	refused(&in, YL_ERR_NOT_FOUND, "resident_id");
	in = sign_in(r, 9999);
	refused(&in, YL_ERR_NOT_FOUND, "team_id");
	in = sign_in(0, team_b);
	refused(&in, YL_ERR_MISSING, "resident_id");
	in = sign_in(r, team_b);
	in.term_years = 6;
	refused(&in, YL_ERR_INVALID, "term_years");
	in.term_years = -1;
	refused(&in, YL_ERR_INVALID, "term_years");
	in = sign_in(r, team_b);
	in.has_start = true;
	assert_true(yl_date_parse("2025-03-01", &in.start_date)); /* would end 2026-02-28 */
	refused(&in, YL_ERR_INVALID, "start_date");
	/* no start after today: a contract covers from its signing (renewals wait instead) */
	assert_true(yl_date_parse("2026-03-16", &in.start_date));
	refused(&in, YL_ERR_INVALID, "start_date");
	assert_non_null(strstr(T.diag.message, "after today"));
	assert_true(yl_date_parse("2027-01-01", &in.start_date));
	refused(&in, YL_ERR_INVALID, "start_date");
	assert_true(yl_date_parse("2026-03-15", &in.start_date)); /* today is fine */
	assert_int_equal(yl_contract_sign(&T.ctx, &in, NULL), YL_OK);
	assert_int_equal(yl_contract_end(&T.ctx, last_id("contracts"), "test over", NULL), YL_OK);

	/* one active contract per resident */
	must_sign(r, team_b);
	in = sign_in(r, team_b);
	refused(&in, YL_ERR_ACTIVE_CONTRACT, "resident_id");
	in = sign_in(r, team_a);
	refused(&in, YL_ERR_ACTIVE_CONTRACT, "resident_id");
}

static void test_sign_permissions(void **state)
{
	struct yl_contract_sign in = sign_in(add_resident(), team_a);
	struct yl_contract out;
	(void)state;

	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 4; /* team A belongs to centre 3 */
	refused(&in, YL_ERR_FORBIDDEN, "");
	T.actor.role = YL_ROLE_INSURER;
	T.actor.institution_id = 0;
	refused(&in, YL_ERR_FORBIDDEN, "");
	T.actor.role = YL_ROLE_RESIDENT;
	T.actor.resident_id = in.resident_id;
	refused(&in, YL_ERR_FORBIDDEN, "");
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 3;
	T.actor.resident_id = 0;
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_int_equal(yl_contract_end(&T.ctx, out.id, "test over", NULL), YL_OK);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
}

static int64_t load_of(int64_t team)
{
	int64_t n;

	assert_int_equal(yl_team_load(&T.ctx, team, 0, &n), YL_OK);
	return n;
}

static void test_capacity_and_expiry(void **state)
{
	struct yl_contract_sign in;
	struct yl_contract out, got;
	int64_t r1 = add_resident(), r2 = add_resident(), r3 = add_resident(), old, k3;
	(void)state;

	/* r1 signed with team A on 2025-03-01 for a year: expired by 2026-03-15 */
	at("2025-03-01");
	old = must_sign(r1, team_a);
	assert_int_equal(yl_contract_get(&T.ctx, old, &got), YL_OK);
	assert_string_equal(got.end_date, "2026-02-28");
	assert_string_equal(got.status, "active");
	assert_int_equal(load_of(team_a), 1);
	now();
	assert_int_equal(yl_contract_get(&T.ctx, old, &got), YL_OK);
	assert_string_equal(got.status, "expired");
	assert_int_equal(load_of(team_a), 0);

	/* capacity 2 counts only active, unexpired contracts */
	must_sign(r2, team_a);
	k3 = must_sign(r3, team_a);
	assert_int_equal(load_of(team_a), 2);
	in = sign_in(add_resident(), team_a);
	refused(&in, YL_ERR_CAPACITY, "team_id");

	/* the expired contract does not block r1: it signs anew (with team B) */
	in = sign_in(r1, team_b);
	assert_int_equal(run_sign(&in, &out), YL_OK);
	assert_string_equal(out.status, "active");
	assert_int_equal(yl_contract_get(&T.ctx, old, &got), YL_OK);
	assert_string_equal(got.status, "expired"); /* now stored as expired */
	/* an expired contract cannot be ended or changed */
	assert_int_equal(yl_contract_end(&T.ctx, old, "x", NULL), YL_ERR_CONFLICT);
	assert_non_null(strstr(T.diag.message, "expired"));

	/* ending one of team A's contracts frees a place */
	assert_int_equal(yl_contract_end(&T.ctx, k3, "moved away", NULL), YL_OK);
	assert_int_equal(load_of(team_a), 1);
	must_sign(add_resident(), team_a);
	assert_int_equal(load_of(team_a), 2);
}

/* The status as stored, which reads never rewrite (only writes settle). */
static const char *stored(int64_t id)
{
	static char out[16];
	struct yl_stmt *st;
	bool row;

	assert_int_equal(yl_store_prepare(T.store, "SELECT status FROM contracts WHERE id = ?", &st,
					  &T.diag), YL_OK);
	yl_stmt_bind_int(st, 1, id);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	assert_true(row);
	snprintf(out, sizeof(out), "%s", yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return out;
}

static const char *status_of(int64_t id)
{
	static char out[16];
	struct yl_contract k;

	assert_int_equal(yl_contract_get(&T.ctx, id, &k), YL_OK);
	snprintf(out, sizeof(out), "%s", k.status);
	return out;
}

static void test_renew(void **state)
{
	struct yl_contract_sign in;
	struct yl_contract out, got;
	struct counts before;
	int64_t r = add_resident(), first, old, r2 = add_resident(), load, own;
	(void)state;

	/* renewing a contract in force: the successor waits for the old end, the old one keeps
	 * covering the resident (it used to become renewed at once, leaving a gap until the
	 * successor's start) */
	first = must_sign(r, team_b);
	load = load_of(team_b);
	assert_int_equal(yl_contract_renew(&T.ctx, first, 2, &out), YL_OK);
	assert_string_equal(out.start_date, "2027-03-15"); /* the day after the old end */
	assert_string_equal(out.end_date, "2029-03-14");
	assert_string_equal(out.status, "scheduled");
	assert_int_equal(out.previous_id, first);
	assert_int_equal(yl_contract_get(&T.ctx, first, &got), YL_OK);
	assert_string_equal(got.status, "active");
	assert_null(got.end_reason);
	assert_null(got.ended_on);
	assert_string_equal(stored(first), "active");
	assert_string_equal(stored(out.id), "scheduled");
	assert_int_equal(load_of(team_b), load); /* one resident, one place */

	before = counts();
	assert_int_equal(yl_contract_renew(&T.ctx, first, 0, NULL), YL_ERR_CONFLICT);
	assert_non_null(strstr(T.diag.message, "already renewed"));
	assert_int_equal(yl_contract_renew(&T.ctx, out.id, 0, NULL), YL_ERR_CONFLICT);
	assert_non_null(strstr(T.diag.message, "scheduled"));
	assert_int_equal(yl_contract_renew(&T.ctx, 9999, 0, NULL), YL_ERR_NOT_FOUND);
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 3;
	assert_int_equal(yl_contract_renew(&T.ctx, first, 0, NULL), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
	/* neither the running contract nor the renewal lets the resident sign again */
	in = sign_in(r, team_b);
	refused(&in, YL_ERR_ACTIVE_CONTRACT, "resident_id");
	same_counts(before);

	/* a just-expired contract renews from today, and becomes renewed at once */
	at("2025-03-01");
	old = must_sign(r2, team_b);
	now();
	before = counts();
	assert_int_equal(yl_contract_renew(&T.ctx, old, 9, NULL), YL_ERR_INVALID);
	same_counts(before);
	assert_int_equal(yl_contract_renew(&T.ctx, old, 0, &out), YL_OK);
	assert_string_equal(out.start_date, "2026-03-15");
	assert_string_equal(out.end_date, "2027-03-14");
	assert_string_equal(out.status, "active");
	assert_int_equal(out.previous_id, old);
	assert_int_equal(yl_contract_get(&T.ctx, old, &got), YL_OK);
	assert_string_equal(got.status, "renewed");
	assert_string_equal(stored(old), "renewed");

	/* an expired contract of a resident who has signed anew cannot be renewed */
	r = add_resident();
	at("2025-03-01");
	old = must_sign(r, team_b);
	now();
	must_sign(r, team_b);
	before = counts();
	assert_int_equal(yl_contract_renew(&T.ctx, old, 0, NULL), YL_ERR_ACTIVE_CONTRACT);
	same_counts(before);

	/* renewal keeps the team's place; an expired one needs a free place */
	r = add_resident();
	at("2025-03-01");
	old = must_sign(r, team_full);
	now();
	own = must_sign(add_resident(), team_full); /* takes the only place */
	before = counts();
	assert_int_equal(yl_contract_renew(&T.ctx, old, 0, NULL), YL_ERR_CAPACITY);
	same_counts(before);
	assert_int_equal(yl_contract_renew(&T.ctx, own, 0, &out), YL_OK); /* full, but its own */
	assert_string_equal(out.status, "scheduled");
	assert_int_equal(load_of(team_full), 1);
}

/* Early renewal: what change, end and sign do while a renewal waits, and the capacity it
 * holds. */
static void test_scheduled_renewal(void **state)
{
	struct yl_contract_change ch = {0};
	struct yl_contract_sign in;
	struct yl_contract out, got;
	struct counts before;
	int64_t r = add_resident(), k, s1, s2, s3, t1, t2;
	char q[400];
	(void)state;

	t1 = ylt_gp_team(&T, 3, 1);
	t2 = ylt_gp_team(&T, 3, 1);
	k = must_sign(r, team_b);
	assert_int_equal(yl_contract_renew(&T.ctx, k, 0, &out), YL_OK);
	s1 = out.id;

	/* the running contract cannot change while its renewal waits */
	ch.reason = "closer to home";
	ch.secondary_id = 6; /* the second district hospital (test_change_and_end) */
	before = counts();
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_CONFLICT);
	assert_string_equal(T.diag.field, "id");
	assert_non_null(strstr(T.diag.message, "change the renewal or end it first"));
	same_counts(before);

	/* the renewal itself can: the new one is scheduled too, with the same dates */
	assert_int_equal(yl_contract_change(&T.ctx, s1, &ch, &out), YL_OK);
	s2 = out.id;
	assert_string_equal(out.status, "scheduled");
	assert_string_equal(out.start_date, "2027-03-15");
	assert_string_equal(out.end_date, "2028-03-14");
	assert_int_equal(out.secondary_id, 6);
	assert_int_equal(out.previous_id, s1);
	assert_int_equal(yl_contract_get(&T.ctx, s1, &got), YL_OK);
	assert_string_equal(got.status, "changed");
	assert_string_equal(got.end_reason, "closer to home");
	assert_string_equal(status_of(k), "active");

	/* a scheduled place is promised: the renewal moved to empty team t1 fills it */
	ch.secondary_id = 0;
	ch.team_id = t1;
	assert_int_equal(yl_contract_change(&T.ctx, s2, &ch, &out), YL_OK);
	s3 = out.id;
	assert_string_equal(out.status, "scheduled");
	assert_int_equal(load_of(t1), 1);
	in = sign_in(add_resident(), t1);
	refused(&in, YL_ERR_CAPACITY, "team_id");
	/* and a full team (t2) takes no renewal */
	must_sign(add_resident(), t2);
	ch.team_id = t2;
	before = counts();
	assert_int_equal(yl_contract_change(&T.ctx, s3, &ch, NULL), YL_ERR_CAPACITY);
	same_counts(before);

	/* ending the renewal cancels only it; the running contract stays, and may renew again */
	assert_int_equal(yl_contract_end(&T.ctx, s3, "changed her mind", &got), YL_OK);
	assert_string_equal(got.status, "ended");
	assert_string_equal(got.ended_on, "2026-03-15");
	assert_string_equal(status_of(k), "active");
	assert_string_equal(stored(k), "active");
	assert_int_equal(load_of(t1), 0);
	assert_int_equal(yl_contract_renew(&T.ctx, k, 0, &out), YL_OK);
	s1 = out.id;

	/* ending the running contract ends its renewal too, with the same reason */
	before = counts();
	assert_int_equal(yl_contract_end(&T.ctx, k, "moved away", &got), YL_OK);
	assert_string_equal(got.status, "ended");
	assert_int_equal(yl_contract_get(&T.ctx, s1, &got), YL_OK);
	assert_string_equal(got.status, "ended");
	assert_string_equal(got.end_reason, "moved away");
	assert_string_equal(got.ended_on, "2026-03-15");
	assert_int_equal(ylt_count(&T, "contracts"), before.contracts);
	assert_int_equal(ylt_count(&T, "audit_log"), before.audits + 2);
	must_sign(r, team_b); /* nothing left: the resident may sign again */

	/* a scheduled contract alone also blocks signing (one scheduled row per resident) */
	r = add_resident();
	snprintf(q, sizeof(q), "INSERT INTO contracts(resident_id, team_id, secondary_id,"
		 " tertiary_id, start_date, end_date, status, created_at, updated_at) VALUES"
		 " (%lld, %lld, 2, 1, '2026-04-01', '2027-03-31', 'scheduled', 0, 0)",
		 (long long)r, (long long)team_b);
	sql(q);
	in = sign_in(r, team_b);
	refused(&in, YL_ERR_ACTIVE_CONTRACT, "resident_id");
	assert_non_null(strstr(T.diag.message, "scheduled"));
	snprintf(q, sizeof(q), "INSERT INTO contracts(resident_id, team_id, secondary_id,"
		 " tertiary_id, start_date, end_date, status, created_at, updated_at) VALUES"
		 " (%lld, %lld, 2, 1, '2027-04-01', '2028-03-31', 'scheduled', 0, 0)",
		 (long long)r, (long long)team_b);
	assert_int_equal(yl_store_exec(T.store, q, &T.diag), YL_ERR_CONFLICT);
}

static void test_change_and_end(void **state)
{
	struct yl_contract_change ch = {0};
	struct yl_contract out, got;
	struct counts before;
	int64_t r = add_resident(), k, k2;
	char s[96];
	(void)state;

	k = must_sign(r, team_b);
	ch.reason = "moved to wushan";
	ch.team_id = team_a;
	before = counts();
	/* team A is full (capacity 2) */
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_CAPACITY);
	same_counts(before);
	ch.team_id = 0;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_INVALID); /* no change */
	ch.team_id = team_b;
	ch.secondary_id = 2;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_INVALID); /* same again */
	ch.secondary_id = 1;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_LEVEL);
	assert_string_equal(T.diag.field, "secondary_id");
	ch.secondary_id = 0;
	ch.tertiary_id = 4;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_LEVEL);
	assert_string_equal(T.diag.field, "tertiary_id");
	ch.tertiary_id = 0;
	ch.team_id = 9999;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_NOT_FOUND);
	ch.team_id = team_full;
	ch.reason = NULL;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_MISSING);
	assert_string_equal(T.diag.field, "reason");
	same_counts(before);

	/* a new team with room: the old one is closed, the new one keeps the old end date */
	snprintf(s, sizeof(s), "UPDATE teams SET capacity = 10 WHERE id = %lld", (long long)team_full);
	sql(s);
	ch.reason = "closer to home";
	ch.team_id = team_full;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, &out), YL_OK);
	assert_int_equal(out.team_id, team_full);
	assert_int_equal(out.previous_id, k);
	assert_string_equal(out.start_date, "2026-03-15");
	assert_string_equal(out.end_date, "2027-03-14");
	assert_int_equal(ylt_count(&T, "audit_log"), before.audits + 1);
	assert_int_equal(yl_contract_get(&T.ctx, k, &got), YL_OK);
	assert_string_equal(got.status, "changed");
	assert_string_equal(got.end_reason, "closer to home");
	assert_string_equal(got.ended_on, "2026-03-15");
	k2 = out.id;
	assert_int_equal(yl_contract_change(&T.ctx, k, &ch, NULL), YL_ERR_CONFLICT);

	/* only hospitals change */
	sql("INSERT INTO institutions(code, name, level, kind, area_code, beds, created_at)"
	    " VALUES ('H-2', 'second district', 'secondary', 'general', '440106', 10, 0)");
	ch.team_id = 0;
	ch.secondary_id = 6;
	ch.reason = "nearer hospital";
	assert_int_equal(yl_contract_change(&T.ctx, k2, &ch, &out), YL_OK);
	assert_int_equal(out.secondary_id, 6);
	assert_int_equal(out.team_id, team_full);

	/* end it */
	before = counts();
	assert_int_equal(yl_contract_end(&T.ctx, out.id, NULL, NULL), YL_ERR_MISSING);
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 3;
	assert_int_equal(yl_contract_end(&T.ctx, out.id, "x", NULL), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
	same_counts(before);
	assert_int_equal(yl_contract_end(&T.ctx, out.id, "resident asked", &got), YL_OK);
	assert_string_equal(got.status, "ended");
	assert_string_equal(got.end_reason, "resident asked");
	assert_string_equal(got.ended_on, "2026-03-15");
	assert_int_equal(ylt_count(&T, "audit_log"), before.audits + 1);
	before = counts();
	assert_int_equal(yl_contract_end(&T.ctx, out.id, "again", NULL), YL_ERR_CONFLICT);
	assert_int_equal(yl_contract_renew(&T.ctx, out.id, 0, NULL), YL_ERR_CONFLICT);
	assert_int_equal(yl_contract_change(&T.ctx, out.id, &ch, NULL), YL_ERR_CONFLICT);
	assert_int_equal(yl_contract_end(&T.ctx, 9999, "x", NULL), YL_ERR_NOT_FOUND);
	same_counts(before);
	/* after ending, the resident may sign again */
	must_sign(r, team_b);
}

static void test_history_and_filters(void **state)
{
	struct yl_contract_filter f = {0};
	struct yl_contract_change ch = {0};
	struct yl_contract *items, out;
	int seen;
	int64_t r = add_resident(), other = add_resident(), k, other_k, ends_soon, ends_today;
	int64_t renewed_soon, renewal;
	int n;
	bool more;
	(void)state;

	/* sign, renew, change, end, sign again: four rows of history. The first contract has
	 * expired, so its renewal starts today and it becomes renewed at once (an early renewal
	 * would leave it active: test_scheduled_renewal) */
	at("2025-03-01");
	k = must_sign(r, team_b);
	now();
	assert_int_equal(yl_contract_renew(&T.ctx, k, 0, &out), YL_OK);
	assert_string_equal(out.status, "active");
	ch.team_id = team_full;
	ch.reason = "switch";
	assert_int_equal(yl_contract_change(&T.ctx, out.id, &ch, &out), YL_OK);
	assert_int_equal(yl_contract_end(&T.ctx, out.id, "left", NULL), YL_OK);
	must_sign(r, team_b);
	f.resident_id = r;
	f.expiring_within = -1;
	f.limit = 50;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 4);
	assert_false(more);
	assert_string_equal(items[0].status, "renewed");
	assert_string_equal(items[1].status, "changed");
	assert_int_equal(items[1].previous_id, items[0].id);
	assert_string_equal(items[2].status, "ended");
	assert_int_equal(items[2].previous_id, items[1].id);
	assert_string_equal(items[3].status, "active");
	assert_true(items[0].id < items[1].id && items[1].id < items[2].id);
	f.limit = 2;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	f.after = items[1].id;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_false(more);
	f.after = 0;
	f.limit = 50;
	f.status = "ended";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	f.status = "bogus";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "status");

	/* a resident sees only their own */
	other_k = must_sign(other, team_b);
	T.actor.role = YL_ROLE_RESIDENT;
	T.actor.resident_id = r;
	f.status = NULL;
	f.resident_id = 0;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 4);
	for (int i = 0; i < n; i++)
		assert_int_equal(items[i].resident_id, r);
	f.resident_id = other;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN);
	assert_int_equal(yl_contract_get(&T.ctx, k, &out), YL_OK);
	assert_int_equal(yl_contract_get(&T.ctx, other_k, &out), YL_ERR_NOT_FOUND);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.resident_id = 0;

	/* expiring_within: contracts in force ending between today and today+N, not renewed */
	at("2025-03-21");
	ends_soon = must_sign(add_resident(), team_b); /* ends 2026-03-20 */
	at("2025-03-16");
	ends_today = must_sign(add_resident(), team_b); /* ends 2026-03-15 */
	at("2025-03-01");
	must_sign(add_resident(), team_b); /* ended 2026-02-28: expired, not expiring */
	at("2025-03-19");
	renewed_soon = must_sign(add_resident(), team_b); /* ends 2026-03-18 */
	now();
	assert_int_equal(yl_contract_renew(&T.ctx, renewed_soon, 0, &out), YL_OK);
	renewal = out.id; /* scheduled from 2026-03-19: already renewed, not expiring */
	memset(&f, 0, sizeof(f));
	f.limit = 100;
	f.expiring_within = 10;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, ends_soon);
	assert_int_equal(items[1].id, ends_today);
	assert_string_equal(items[1].status, "active"); /* its last day */
	f.expiring_within = 0;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, ends_today);
	f.expiring_within = 4;
	f.team_id = team_a;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 0);

	/* derived status filters: active excludes expired rows still stored active */
	f.expiring_within = -1;
	f.team_id = team_b;
	f.status = "expired";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_true(n >= 1);
	for (int i = 0; i < n; i++) {
		assert_string_equal(items[i].status, "expired");
		assert_true(strcmp(items[i].end_date, "2026-03-15") < 0);
	}
	f.status = "active";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	seen = 0;
	for (int i = 0; i < n; i++) {
		assert_string_equal(items[i].status, "active");
		assert_true(strcmp(items[i].start_date, "2026-03-15") <= 0);
		assert_true(strcmp(items[i].end_date, "2026-03-15") >= 0);
		assert_int_equal(items[i].team_id, team_b);
		assert_true(items[i].id != renewal);
		seen += items[i].id == renewed_soon;
	}
	assert_int_equal(seen, 1); /* renewed early, still running */
	f.status = "scheduled";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	seen = 0;
	for (int i = 0; i < n; i++) {
		assert_string_equal(items[i].status, "scheduled");
		assert_true(strcmp(items[i].start_date, "2026-03-15") > 0);
		seen += items[i].id == renewal;
	}
	assert_int_equal(seen, 1);
	f.status = "renewed";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	for (int i = 0; i < n; i++) {
		assert_string_equal(items[i].status, "renewed");
		assert_true(items[i].id != renewed_soon);
	}
	T.actor.role = YL_ROLE_NONE;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_ADMIN;
}

/* The combination of the contract in force (yl_contract_combo_current): the row in force on
 * every day of a renewal chain, none before or after, and its permissions. */
static void expect_current(int64_t r, int64_t want)
{
	struct yl_contract k;
	struct yl_contract_combo m;
	bool found;

	assert_int_equal(yl_contract_combo_current(&T.ctx, r, &m, &found), YL_OK);
	assert_int_equal(found, want != 0);
	if (!want)
		return;
	assert_int_equal(yl_contract_get(&T.ctx, want, &k), YL_OK);
	assert_int_equal(m.contract_id, want);
	assert_int_equal(m.team_id, k.team_id);
	assert_int_equal(m.team_institution_id, k.team_institution_id);
	assert_int_equal(m.secondary_id, k.secondary_id);
	assert_int_equal(m.tertiary_id, k.tertiary_id);
}

static void test_current(void **state)
{
	struct yl_contract out;
	struct yl_contract_combo m;
	int64_t r = add_resident(), other = add_resident(), first, renewal;
	bool found;
	(void)state;

	expect_current(r, 0);
	first = must_sign(r, team_b); /* 2026-03-15 .. 2027-03-14 */
	expect_current(r, first);
	assert_int_equal(yl_contract_renew(&T.ctx, first, 0, &out), YL_OK);
	renewal = out.id;
	assert_int_equal(out.team_institution_id, 4);
	at("2027-03-14");
	expect_current(r, first);
	at("2027-03-15");
	expect_current(r, renewal);
	at("2028-03-15");
	expect_current(r, 0);
	now();

	/* a resident reads only their own; a signed-out caller nothing */
	T.actor.role = YL_ROLE_RESIDENT;
	T.actor.resident_id = r;
	expect_current(r, first);
	assert_int_equal(yl_contract_combo_current(&T.ctx, other, &m, &found), YL_ERR_FORBIDDEN);
	assert_string_equal(T.diag.field, "resident_id");
	T.actor.role = YL_ROLE_NONE;
	assert_int_equal(yl_contract_combo_current(&T.ctx, r, &m, &found), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.resident_id = 0;
}

/* The daily sweep: the stored statuses of every resident brought up to today at once, the
 * derived ones unchanged, a second sweep changing nothing. */
static void test_settle_all(void **state)
{
	int64_t r = add_resident(), r2 = add_resident(), k, s, k2, n = -1;
	struct yl_contract out;
	struct yl_actor doc = T.actor;
	(void)state;

	k = must_sign(r, team_b);                        /* 2026-03-15 .. 2027-03-14 */
	assert_int_equal(yl_contract_renew(&T.ctx, k, 0, &out), YL_OK);
	s = out.id;                                      /* 2027-03-15 .. 2028-03-14, scheduled */
	k2 = must_sign(r2, team_b);                      /* not renewed: expires */
	at("2027-03-15");
	assert_string_equal(stored(k), "active");
	assert_string_equal(stored(s), "scheduled");
	assert_string_equal(stored(k2), "active");
	ylt_begin(&T);
	assert_int_equal(yl_contract_settle_all(&T.ctx, &n), YL_OK);
	ylt_commit(&T);
	assert_true(n >= 3); /* the earlier tests' rows are swept too */
	assert_string_equal(stored(k), "renewed");
	assert_string_equal(stored(s), "active");
	assert_string_equal(stored(k2), "expired");
	assert_string_equal(status_of(k), "renewed");
	assert_string_equal(status_of(s), "active");
	assert_string_equal(status_of(k2), "expired");
	ylt_begin(&T);
	assert_int_equal(yl_contract_settle_all(&T.ctx, &n), YL_OK);
	ylt_commit(&T);
	assert_int_equal(n, 0);
	/* admin only */
	doc.role = YL_ROLE_DOCTOR;
	doc.institution_id = 3;
	T.ctx.actor = &doc;
	assert_int_equal(yl_contract_settle_all(&T.ctx, &n), YL_ERR_FORBIDDEN);
	T.ctx.actor = &T.actor;
	now();
}

/* Days pass over an early renewal: reads derive the day's statuses without writing, the next
 * write touching the resident settles them. Runs last: it moves the clock years ahead. */
static void test_settling(void **state)
{
	struct yl_contract_filter f = {0};
	struct yl_contract_change ch = {0};
	struct yl_contract_sign in;
	struct yl_contract *items, out;
	int64_t r = add_resident(), r2 = add_resident(), k, s, k2, s2, c;
	int n;
	bool more;
	(void)state;

	k = must_sign(r, team_b);                        /* 2026-03-15 .. 2027-03-14 */
	assert_int_equal(yl_contract_renew(&T.ctx, k, 0, &out), YL_OK);
	s = out.id;                                      /* 2027-03-15 .. 2028-03-14 */
	f.resident_id = r;
	f.expiring_within = -1;
	f.limit = 10;

	/* the old contract's last day: it is in force, the renewal still waits */
	at("2027-03-14");
	assert_string_equal(status_of(k), "active");
	assert_string_equal(status_of(s), "scheduled");
	f.expiring_within = 0;
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 0); /* renewed: not expiring */
	f.expiring_within = -1;

	/* the renewal's first day: derived at once, stored as they were */
	at("2027-03-15");
	assert_string_equal(status_of(k), "renewed");
	assert_string_equal(status_of(s), "active");
	assert_string_equal(stored(k), "active");
	assert_string_equal(stored(s), "scheduled");
	f.status = "renewed";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, k);
	f.status = "active";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, s);
	f.status = "scheduled";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 0);
	f.status = NULL;
	/* the renewal is in force: signing is refused, and a refusal writes nothing */
	in = sign_in(r, team_b);
	refused(&in, YL_ERR_ACTIVE_CONTRACT, "resident_id");
	assert_string_equal(stored(k), "active");
	/* a write settles: the renewal becomes active, the old contract renewed */
	ch.secondary_id = 6;
	ch.reason = "nearer hospital";
	assert_int_equal(yl_contract_change(&T.ctx, s, &ch, &out), YL_OK);
	c = out.id;
	assert_string_equal(out.status, "active");
	assert_string_equal(out.start_date, "2027-03-15");
	assert_string_equal(out.end_date, "2028-03-14");
	assert_string_equal(stored(k), "renewed");
	assert_string_equal(stored(s), "changed");
	assert_string_equal(stored(c), "active");

	/* a renewal changed before it started: its active predecessor becomes renewed all the same
	 * (previous_id of the renewal in force names the changed one) */
	now();
	k2 = must_sign(r2, team_b);
	assert_int_equal(yl_contract_renew(&T.ctx, k2, 0, &out), YL_OK);
	ch.secondary_id = 6;
	ch.reason = "nearer hospital";
	assert_int_equal(yl_contract_change(&T.ctx, out.id, &ch, &out), YL_OK);
	s2 = out.id;
	/* a year after the renewal ended, nothing written since: renewed, then expired */
	at("2028-03-15");
	assert_string_equal(status_of(k2), "renewed");
	assert_string_equal(status_of(s2), "expired");
	assert_string_equal(stored(s2), "scheduled");
	f.resident_id = r2;
	f.status = "expired";
	assert_int_equal(yl_contract_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, s2);
	/* renewing the expired renewal settles first and resumes cover today */
	assert_int_equal(yl_contract_renew(&T.ctx, s2, 0, &out), YL_OK);
	assert_string_equal(out.status, "active");
	assert_string_equal(out.start_date, "2028-03-15");
	assert_string_equal(stored(k2), "renewed");
	assert_string_equal(stored(s2), "renewed");
	/* and r's changed contract ran out the day before */
	assert_string_equal(status_of(c), "expired");
	now();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_dates_and_defaults),
		cmocka_unit_test(test_sign_rules),
		cmocka_unit_test(test_sign_permissions),
		cmocka_unit_test(test_capacity_and_expiry),
		cmocka_unit_test(test_renew),
		cmocka_unit_test(test_change_and_end),
		cmocka_unit_test(test_scheduled_renewal),
		cmocka_unit_test(test_history_and_filters),
		cmocka_unit_test(test_settling),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_settle_all), /* last: it sweeps the other tests' rows too */
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
