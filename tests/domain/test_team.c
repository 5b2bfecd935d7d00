/* Domain: family-doctor teams - who may create them, where their leader must practise,
 * capacity defaults and changes, the residents signed with a team, and what the load counts
 * (contracts in force on the day, places promised to scheduled renewals). */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "domain/contract.h"
#include "domain/team.h"

/* Practitioners and residents are written with plain SQL: their modules belong to others. */
static int64_t last_id(struct ylt_db *t, const char *table)
{
	char sql[96];
	struct yl_stmt *st;
	bool row;
	int64_t id;

	snprintf(sql, sizeof(sql), "SELECT max(id) FROM %s", table);
	assert_int_equal(yl_store_prepare(t->store, sql, &st, &t->diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &t->diag), YL_OK);
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return id;
}

static void sql(struct ylt_db *t, const char *s)
{
	if (yl_store_exec(t->store, s, &t->diag))
		fail_msg("%s: %s", s, t->diag.message);
}

static int64_t add_practitioner(struct ylt_db *t, const char *name, int gp, int64_t inst)
{
	char s[300];

	snprintf(s, sizeof(s), "INSERT INTO practitioners(name, title, general_practitioner,"
		 " institution_id, created_at) VALUES ('%s', 'attending_physician', %d, %lld, 0)",
		 name, gp, (long long)inst);
	sql(t, s);
	return last_id(t, "practitioners");
}

static int64_t add_resident(struct ylt_db *t, int seq)
{
	char s[400], idn[19];

	ylt_id_number(idn, "440106", "19800101", seq);
	snprintf(s, sizeof(s), "INSERT INTO residents(id_number, name, sex, birth_date,"
		 " home_area_code, insurance, tags, created_at) VALUES ('%s', 'r%d', 'male',"
		 " '1980-01-01', '440106001', 'employee', 0, 0)", idn, seq);
	sql(t, s);
	return last_id(t, "residents");
}

static struct ylt_db T;
static int64_t gp3, nurse3, gp4, gp4site3, spec2;

static int setup(void **state)
{
	char s[200];
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	gp3 = add_practitioner(&T, "gp3", 1, 3);
	nurse3 = add_practitioner(&T, "nurse3", 0, 3);
	gp4 = add_practitioner(&T, "gp4", 1, 4);
	gp4site3 = add_practitioner(&T, "gp4site3", 1, 4);
	spec2 = add_practitioner(&T, "spec2", 0, 2);
	snprintf(s, sizeof(s), "INSERT INTO practice_sites(practitioner_id, institution_id,"
		 " created_at) VALUES (%lld, 3, 0)", (long long)gp4site3);
	sql(&T, s);
	/* the site is lawful because centres 3 and 4 share a county community */
	sql(&T, "INSERT INTO consortia(id, code, name, kind, lead_institution_id, created_at)"
		" VALUES (1, 'YGT', '医共体', 'county_community', 2, 0)");
	sql(&T, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on, created_at)"
		" VALUES (1, 2, '2020-01-01', 0), (1, 3, '2020-01-01', 0), (1, 4, '2020-01-01', 0)");
	return 0;
}

static struct yl_team team_in(const char *name, int64_t inst, int64_t leader)
{
	struct yl_team in = {0};

	in.name = name;
	in.institution_id = inst;
	in.leader_id = leader;
	return in;
}

/* Runs a create in its own transaction, rolled back on failure as the faces do. */
static enum yl_err create(const struct yl_team *in, struct yl_team *out)
{
	enum yl_err err;

	ylt_begin(&T);
	yl_diag_clear(&T.diag);
	err = yl_team_create(&T.ctx, in, out);
	if (err)
		ylt_rollback(&T);
	else
		ylt_commit(&T);
	return err;
}

static void test_create_defaults_and_members(void **state)
{
	int64_t members[] = {spec2, nurse3, gp3};
	struct yl_team in = team_in("五山一队", 3, gp3), out;
	int64_t audits = ylt_count(&T, "audit_log");
	(void)state;

	in.member_ids = members;
	in.nmember_ids = 3;
	assert_int_equal(create(&in, &out), YL_OK);
	assert_true(out.id > 0);
	assert_int_equal(out.capacity, 2000); /* settings: team_capacity_default */
	assert_int_equal(out.active_contracts, 0);
	assert_int_equal(out.nmembers, 3);    /* the leader listed again is one member */
	assert_int_equal(out.members[0].practitioner_id, gp3);
	assert_true(out.members[0].general_practitioner);
	assert_int_equal(out.members[1].practitioner_id, nurse3);
	assert_int_equal(out.members[2].practitioner_id, spec2);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);

	/* the default follows the setting; an explicit capacity wins */
	sql(&T, "UPDATE settings SET value = '300' WHERE key = 'team_capacity_default'");
	in = team_in("五山二队", 3, gp3);
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.capacity, 300);
	assert_int_equal(out.nmembers, 1);
	in.capacity = 7;
	in.name = "五山三队";
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.capacity, 7);
	sql(&T, "UPDATE settings SET value = '2000' WHERE key = 'team_capacity_default'");

	/* a leader practising at the centre as a practice site (多点执业) */
	in = team_in("五山四队", 3, gp4site3);
	assert_int_equal(create(&in, &out), YL_OK);

	/* once centre 4 has left the consortium, the site no longer lets its GP lead at 3 */
	sql(&T, "UPDATE consortium_members SET left_on = '2026-03-01' WHERE institution_id = 4");
	in = team_in("五山五队", 3, gp4site3);
	int64_t teams = ylt_count(&T, "teams");
	assert_int_equal(create(&in, &out), YL_ERR_NOT_MEMBER);
	assert_string_equal(T.diag.field, "leader_id");
	assert_int_equal(ylt_count(&T, "teams"), teams);
	sql(&T, "UPDATE consortium_members SET left_on = NULL WHERE institution_id = 4");
}

static void expect_refused(const struct yl_team *in, enum yl_err want, const char *field)
{
	int64_t teams = ylt_count(&T, "teams"), members = ylt_count(&T, "team_members");
	int64_t audits = ylt_count(&T, "audit_log");

	assert_int_equal(create(in, NULL), want);
	assert_string_equal(T.diag.field, field);
	assert_int_equal(ylt_count(&T, "teams"), teams);
	assert_int_equal(ylt_count(&T, "team_members"), members);
	assert_int_equal(ylt_count(&T, "audit_log"), audits);
}

static void test_create_rules(void **state)
{
	int64_t twice[] = {nurse3, nurse3}, unknown[] = {nurse3, 999}, bad[] = {0};
	struct yl_team in;
	(void)state;

	in = team_in("x", 2, gp3);
	expect_refused(&in, YL_ERR_LEVEL, "institution_id"); /* a secondary hospital */
	in = team_in("x", 5, gp3);
	expect_refused(&in, YL_ERR_LEVEL, "institution_id"); /* a village clinic */
	in = team_in("x", 99, gp3);
	expect_refused(&in, YL_ERR_NOT_FOUND, "institution_id");
	in = team_in("x", 3, nurse3);
	expect_refused(&in, YL_ERR_INVALID, "leader_id"); /* not a general practitioner */
	in = team_in("x", 3, gp4);
	expect_refused(&in, YL_ERR_INVALID, "leader_id"); /* practises elsewhere */
	in = team_in("x", 3, 999);
	expect_refused(&in, YL_ERR_NOT_FOUND, "leader_id");
	in = team_in("x", 3, 0);
	expect_refused(&in, YL_ERR_MISSING, "leader_id");
	in = team_in(NULL, 3, gp3);
	expect_refused(&in, YL_ERR_MISSING, "name");
	in = team_in("x", 3, gp3);
	in.capacity = -1;
	expect_refused(&in, YL_ERR_INVALID, "capacity");
	in.capacity = YL_TEAM_MAX_CAPACITY + 1;
	expect_refused(&in, YL_ERR_INVALID, "capacity");
	in = team_in("x", 3, gp3);
	in.member_ids = twice;
	in.nmember_ids = 2;
	expect_refused(&in, YL_ERR_INVALID, "member_ids");
	in.member_ids = unknown;
	expect_refused(&in, YL_ERR_NOT_FOUND, "member_ids");
	in.member_ids = bad;
	in.nmember_ids = 1;
	expect_refused(&in, YL_ERR_INVALID, "member_ids");
}

static void test_create_permissions(void **state)
{
	struct yl_team in = team_in("员村一队", 4, gp4), out;
	(void)state;

	T.actor.role = YL_ROLE_INSTITUTION_ADMIN;
	T.actor.institution_id = 3; /* admin of another centre */
	expect_refused(&in, YL_ERR_FORBIDDEN, "");
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 4; /* a doctor, even of this centre */
	expect_refused(&in, YL_ERR_FORBIDDEN, "");
	T.actor.role = YL_ROLE_REGULATOR;
	expect_refused(&in, YL_ERR_FORBIDDEN, "");
	T.actor.role = YL_ROLE_INSTITUTION_ADMIN;
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.institution_id, 4);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
}

static enum yl_err sign(int64_t resident, int64_t team)
{
	struct yl_contract_sign in = {0};

	in.resident_id = resident;
	in.team_id = team;
	in.secondary_id = 2;
	in.tertiary_id = 1;
	yl_diag_clear(&T.diag);
	return yl_contract_sign(&T.ctx, &in, NULL);
}

static void test_capacity_residents_and_list(void **state)
{
	struct yl_team in = team_in("容量队", 3, gp3), out, got;
	struct yl_team_resident *res;
	struct yl_team_filter f = {0};
	struct yl_team *items;
	int64_t r1, r2, r3, r4, audits;
	int n;
	bool more;
	char s[300];
	(void)state;

	in.capacity = 5;
	assert_int_equal(create(&in, &out), YL_OK);
	r1 = add_resident(&T, 11);
	r2 = add_resident(&T, 12);
	r3 = add_resident(&T, 13);
	r4 = add_resident(&T, 14);
	assert_int_equal(sign(r2, out.id), YL_OK);
	assert_int_equal(sign(r1, out.id), YL_OK);
	assert_int_equal(sign(r3, out.id), YL_OK);
	/* an expired contract (still marked active) is not part of the team's load */
	snprintf(s, sizeof(s), "INSERT INTO contracts(resident_id, team_id, secondary_id,"
		 " tertiary_id, start_date, end_date, status, created_at, updated_at) VALUES"
		 " (%lld, %lld, 2, 1, '2025-01-01', '2025-12-31', 'active', 0, 0)",
		 (long long)r4, (long long)out.id);
	sql(&T, s);
	assert_int_equal(yl_team_get(&T.ctx, out.id, &got), YL_OK);
	assert_int_equal(got.active_contracts, 3);

	audits = ylt_count(&T, "audit_log");
	assert_int_equal(yl_team_set_capacity(&T.ctx, out.id, 2, NULL), YL_ERR_CONFLICT);
	assert_string_equal(T.diag.field, "capacity");
	assert_int_equal(yl_team_get(&T.ctx, out.id, &got), YL_OK);
	assert_int_equal(got.capacity, 5);
	assert_int_equal(ylt_count(&T, "audit_log"), audits);
	assert_int_equal(yl_team_set_capacity(&T.ctx, out.id, 0, NULL), YL_ERR_INVALID);
	assert_int_equal(yl_team_set_capacity(&T.ctx, 999, 10, NULL), YL_ERR_NOT_FOUND);
	T.actor.role = YL_ROLE_INSTITUTION_ADMIN;
	T.actor.institution_id = 4;
	assert_int_equal(yl_team_set_capacity(&T.ctx, out.id, 10, NULL), YL_ERR_FORBIDDEN);
	T.actor.institution_id = 3;
	assert_int_equal(yl_team_set_capacity(&T.ctx, out.id, 3, &got), YL_OK); /* exactly the load */
	assert_int_equal(got.capacity, 3);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
	/* full now: a fourth resident is refused */
	assert_int_equal(sign(add_resident(&T, 15), out.id), YL_ERR_CAPACITY);

	/* residents signed with the team: active ones only, by resident id, paginated */
	assert_int_equal(yl_team_residents(&T.ctx, out.id, 0, 2, &res, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	assert_int_equal(res[0].resident_id, r1);
	assert_int_equal(res[1].resident_id, r2);
	assert_string_equal(res[0].end_date, "2027-03-14");
	assert_int_equal(yl_team_residents(&T.ctx, out.id, r2, 2, &res, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_int_equal(res[0].resident_id, r3);
	assert_int_equal(yl_team_residents(&T.ctx, 999, 0, 2, &res, &n, &more), YL_ERR_NOT_FOUND);
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 4;
	assert_int_equal(yl_team_residents(&T.ctx, out.id, 0, 2, &res, &n, &more), YL_ERR_FORBIDDEN);
	T.actor.institution_id = 3;
	assert_int_equal(yl_team_residents(&T.ctx, out.id, 0, 10, &res, &n, &more), YL_OK);
	assert_int_equal(n, 3);
	T.actor.role = YL_ROLE_RESIDENT;
	assert_int_equal(yl_team_residents(&T.ctx, out.id, 0, 2, &res, &n, &more), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_REGULATOR;
	assert_int_equal(yl_team_residents(&T.ctx, out.id, 0, 2, &res, &n, &more), YL_OK);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;

	/* list by institution */
	f.institution_id = 4;
	f.limit = 10;
	assert_int_equal(yl_team_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].institution_id, 4);
	assert_int_equal(items[0].nmembers, 1);
	f.institution_id = 3;
	f.limit = 2;
	assert_int_equal(yl_team_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	f.after = items[1].id;
	f.limit = 100;
	assert_int_equal(yl_team_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 3); /* 5 teams at centre 3 in all */
	assert_false(more);
	assert_int_equal(items[2].id, out.id);
	assert_int_equal(items[2].active_contracts, 3);
	assert_int_equal(yl_team_get(&T.ctx, 999, &got), YL_ERR_NOT_FOUND);
}

static int64_t load_of(int64_t team)
{
	int64_t n;

	assert_int_equal(yl_team_load(&T.ctx, team, 0, &n), YL_OK);
	return n;
}

static void at(const char *date)
{
	int32_t d;

	assert_true(yl_date_parse(date, &d));
	yl_clock_fixed(&T.clock, (int64_t)d * 86400 + 2 * 3600);
}

/* The load counts contracts in force on the day (start date included) and the places promised
 * to scheduled renewals, each resident once. Runs last: it moves the clock. */
static void test_load_counts_in_force_and_scheduled(void **state)
{
	struct yl_team in = team_in("负荷一队", 4, gp4), t1, t2;
	struct yl_contract_change ch = {0};
	struct yl_contract renewal;
	struct yl_team_resident *res;
	int64_t r1 = add_resident(&T, 31), r2 = add_resident(&T, 32), k1, k2;
	int n;
	bool more;
	char s[300];
	(void)state;

	in.capacity = 3;
	assert_int_equal(create(&in, &t1), YL_OK);
	in = team_in("负荷二队", 4, gp4);
	in.capacity = 1;
	assert_int_equal(create(&in, &t2), YL_OK);
	assert_int_equal(sign(r1, t1.id), YL_OK);
	k1 = last_id(&T, "contracts");
	assert_int_equal(load_of(t1.id), 1);

	/* a row stored active that starts tomorrow is not in force today (it used to count) */
	snprintf(s, sizeof(s), "INSERT INTO contracts(resident_id, team_id, secondary_id,"
		 " tertiary_id, start_date, end_date, status, created_at, updated_at) VALUES"
		 " (%lld, %lld, 2, 1, '2026-03-16', '2027-03-15', 'active', 0, 0)",
		 (long long)r2, (long long)t1.id);
	sql(&T, s);
	k2 = last_id(&T, "contracts");
	assert_int_equal(load_of(t1.id), 1);
	assert_int_equal(yl_team_residents(&T.ctx, t1.id, 0, 10, &res, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].resident_id, r1);

	/* an early renewal with the same team: one resident, one place */
	assert_int_equal(yl_contract_renew(&T.ctx, k1, 0, &renewal), YL_OK);
	assert_string_equal(renewal.status, "scheduled");
	assert_int_equal(load_of(t1.id), 1);
	assert_int_equal(yl_team_residents(&T.ctx, t1.id, 0, 10, &res, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].contract_id, k1);
	/* moved to team 2, the renewal holds a place there from now on */
	ch.team_id = t2.id;
	ch.reason = "closer to home";
	assert_int_equal(yl_contract_change(&T.ctx, renewal.id, &ch, &renewal), YL_OK);
	assert_int_equal(load_of(t1.id), 1);
	assert_int_equal(load_of(t2.id), 1);
	assert_int_equal(yl_team_get(&T.ctx, t2.id, &t2), YL_OK);
	assert_int_equal(t2.active_contracts, 1);
	assert_int_equal(sign(add_resident(&T, 33), t2.id), YL_ERR_CAPACITY);
	assert_int_equal(yl_team_residents(&T.ctx, t2.id, 0, 10, &res, &n, &more), YL_OK);
	assert_int_equal(n, 0); /* promised, not yet covered */

	/* tomorrow r2's contract is in force */
	at("2026-03-16");
	assert_int_equal(load_of(t1.id), 2);
	assert_int_equal(yl_team_residents(&T.ctx, t1.id, 0, 10, &res, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(res[1].contract_id, k2);

	/* the renewal's first day: r1 is covered by team 2, no longer by team 1 */
	at("2027-03-15");
	assert_int_equal(load_of(t1.id), 1); /* r2's last day */
	assert_int_equal(load_of(t2.id), 1);
	assert_int_equal(yl_team_residents(&T.ctx, t2.id, 0, 10, &res, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].resident_id, r1);
	assert_int_equal(res[0].contract_id, renewal.id);
	at("2027-03-16");
	assert_int_equal(load_of(t1.id), 0);
	yl_clock_fixed(&T.clock, YLT_NOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_defaults_and_members),
		cmocka_unit_test(test_create_rules),
		cmocka_unit_test(test_create_permissions),
		cmocka_unit_test(test_capacity_residents_and_list),
		cmocka_unit_test(test_load_counts_in_force_and_scheduled),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
