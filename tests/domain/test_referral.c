/* Domain: referrals - the level rules of each direction, the family-doctor default of a
 * down-referral, the consortium flag, every (state, action) pair of the lifecycle, who may do
 * each action, expiry by moving the pinned clock (and its settling), the referral-pool booking
 * made by an accept in the same transaction, and the care plan. After every refusal the
 * referral tables, bookings, slot counters and audit log are compared before the rollback: a
 * refused request writes nothing at all. */
#include "ylt_booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/referral.h"

static struct ylt_db T;
static int64_t dept1, dept3, r1, r2, r3, enc1, enc2, slot1, slot_full, slot3;
static struct yl_actor doc1, doc3, doc4, ia2, ia3, res1;

enum { HOUR = 3600 };

static void must(enum yl_err err, const char *what)
{
	if (err)
		fail_msg("%s: %s (%s)", what, T.diag.message, T.diag.field);
}

/* Every table a referral write touches, as one text. */
static char *digest(void)
{
	struct yl_stmt *st;
	bool row;
	char *s;

	must(yl_store_prepare(T.store,
			      "SELECT coalesce((SELECT group_concat(id || status || updated_at ||"
			      " coalesce(booking_id, '') || coalesce(acknowledged_at, ''), ',')"
			      " FROM referrals), '') || '|' || (SELECT count(*) FROM referral_events)"
			      " || '|' || coalesce((SELECT group_concat(id || coalesce(done_at, '-'),"
			      " ',') FROM care_plan_items), '') || '|' || (SELECT count(*) FROM"
			      " referral_encounters) || '|' || (SELECT count(*) FROM bookings) || '|'"
			      " || coalesce((SELECT group_concat(booked_referral, ',') FROM slots), '')"
			      " || '|' || (SELECT count(*) FROM audit_log)", &st, &T.diag), "digest");
	must(yl_stmt_step(st, &row, &T.diag), "digest");
	s = strdup(yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	return s;
}

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

/* Runs call in a transaction as actor a (NULL: the system admin). */
#define IN_TX(a, call) (tx_begin(a), tx_end(call))

static struct yl_referral_new req(const char *dir, const char *care, int64_t resident,
				  int64_t from, int64_t to)
{
	struct yl_referral_new in = {0};

	in.direction = dir;
	in.care_type = care;
	in.resident_id = resident;
	in.from_institution_id = from;
	in.to_institution_id = to;
	in.diagnosis_code = "I10";
	in.reason = "blood pressure not controlled";
	return in;
}

static int64_t create(const struct yl_actor *a, const struct yl_referral_new *in)
{
	struct yl_referral out;

	must(IN_TX(a, yl_referral_create(&T.ctx, in, &out)), "create");
	return out.id;
}

static void expect(enum yl_err got, enum yl_err want, const char *field)
{
	if (got != want)
		fail_msg("got %s (%s: %s), want %s", yl_err_code(got), T.diag.field, T.diag.message,
			 yl_err_code(want));
	if (field && strcmp(T.diag.field, field) != 0)
		fail_msg("field %s, want %s (%s)", T.diag.field, field, T.diag.message);
}

static const char *status_of(int64_t id)
{
	static char s[16];
	struct yl_referral r;

	must(yl_referral_get(&T.ctx, id, &r), "get");
	snprintf(s, sizeof(s), "%s", r.status);
	return s;
}

static int setup(void **state)
{
	int64_t p3, team, u;
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	/* consortium of 1, 2, 3; institution 4 stays outside */
	yltb_exec(&T, "INSERT INTO consortia(code, name, kind, lead_institution_id, created_at)"
		  " VALUES ('C1', 'c1', 'county_community', 1, 0)");
	yltb_exec(&T, "INSERT INTO consortium_members(consortium_id, institution_id, joined_on,"
		  " created_at) VALUES (1, 1, '2026-01-01', 0), (1, 2, '2026-01-01', 0),"
		  " (1, 3, '2026-01-01', 0)");
	dept1 = yltb_department(&T, 1, "内科");
	dept3 = yltb_department(&T, 3, "全科");
	r1 = yltb_residents(&T, 3);
	r2 = r1 + 1;
	r3 = r1 + 2;
	yltb_exec(&T, "INSERT INTO practitioners(name, title, general_practitioner, institution_id,"
		  " created_at) VALUES ('gp', 'attending_physician', 1, 3, 0)");
	p3 = yltb_scalar(&T, "SELECT max(id) FROM practitioners");
	yltb_exec(&T, "INSERT INTO teams(name, institution_id, leader_id, capacity, created_at)"
		  " VALUES ('t', 3, %lld, 10, 0)", (long long)p3);
	team = yltb_scalar(&T, "SELECT max(id) FROM teams");
	/* r1 (and r3) hold a contract with the team at 3; r2 holds none */
	yltb_exec(&T, "INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id,"
		  " start_date, end_date, status, created_at, updated_at) VALUES (%lld, %lld, 2, 1,"
		  " '2026-01-01', '2026-12-31', 'active', 0, 0), (%lld, %lld, 2, 1, '2026-01-01',"
		  " '2026-12-31', 'active', 0, 0)", (long long)r1, (long long)team, (long long)r3,
		  (long long)team);
	yltb_exec(&T, "INSERT INTO encounters(kind, resident_id, institution_id, visit_date,"
		  " created_at) VALUES ('outpatient', %lld, 3, '2026-03-10', 0)", (long long)r1);
	enc1 = yltb_scalar(&T, "SELECT max(id) FROM encounters");
	yltb_exec(&T, "INSERT INTO encounters(kind, resident_id, institution_id, visit_date,"
		  " created_at) VALUES ('outpatient', %lld, 3, '2026-03-10', 0)", (long long)r2);
	enc2 = yltb_scalar(&T, "SELECT max(id) FROM encounters");
	/* slots on 2026-03-20 (reserved pools open, no fallback yet) */
	slot1 = yltb_slot(&T, yltb_session(&T, dept1, "2026-03-20", "08:00", "12:00"), "09:00", 30,
			  4, 0, 2);
	slot_full = yltb_slot(&T, yltb_session(&T, dept1, "2026-03-21", "08:00", "12:00"),
			      "09:00", 30, 4, 0, 1);
	slot3 = yltb_slot(&T, yltb_session(&T, dept3, "2026-03-20", "08:00", "12:00"), "09:00", 30,
			  4, 0, 2);
	u = yltb_user(&T, "doc1", "doctor", 1, 0);
	doc1 = (struct yl_actor){u, "doc1", YL_ROLE_DOCTOR, 1, 0};
	u = yltb_user(&T, "doc3", "doctor", 3, 0);
	doc3 = (struct yl_actor){u, "doc3", YL_ROLE_DOCTOR, 3, 0};
	u = yltb_user(&T, "doc4", "doctor", 4, 0);
	doc4 = (struct yl_actor){u, "doc4", YL_ROLE_DOCTOR, 4, 0};
	u = yltb_user(&T, "ia2", "institution_admin", 2, 0);
	ia2 = (struct yl_actor){u, "ia2", YL_ROLE_INSTITUTION_ADMIN, 2, 0};
	u = yltb_user(&T, "ia3", "institution_admin", 3, 0);
	ia3 = (struct yl_actor){u, "ia3", YL_ROLE_INSTITUTION_ADMIN, 3, 0};
	u = yltb_user(&T, "res1", "resident", 0, r1);
	res1 = (struct yl_actor){u, "res1", YL_ROLE_RESIDENT, 0, r1};
	ylt_commit(&T);
	return 0;
}

static void test_create_rules(void **state)
{
	struct yl_referral_new in;
	struct yl_referral out;
	struct yl_care_plan_new plan[] = {{"check blood pressure", 20540}};
	int64_t encs[2];
	(void)state;

	in = req("up", "outpatient", r1, 3, 1);
	in.to_department_id = dept1;
	encs[0] = enc1;
	in.encounter_ids = encs;
	in.nencounters = 1;
	must(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, &out)), "up");
	assert_string_equal(out.status, "requested");
	assert_false(out.outside_consortium);
	assert_int_equal(out.expires_at, YLT_NOW + 48 * HOUR);
	assert_int_equal(out.nevents, 1);
	assert_null(out.events[0].from_status);
	assert_string_equal(out.events[0].to_status, "requested");
	assert_int_equal(out.events[0].user_id, doc3.user_id);
	assert_int_equal(out.nencounters, 1);
	assert_int_equal(out.encounter_ids[0], enc1);

	/* level rules: up to the same level only as lateral, lateral stays, down to primary */
	in = req("up", "outpatient", r1, 3, 4);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_LEVEL, "to_institution_id");
	in = req("up", "outpatient", r1, 1, 2);
	expect(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_LEVEL, "to_institution_id");
	in = req("lateral", "outpatient", r1, 3, 1);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_LEVEL, "to_institution_id");
	in = req("down", "outpatient", r1, 1, 2);
	expect(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_LEVEL, "to_institution_id");
	in = req("down", "outpatient", r1, 3, 4);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_LEVEL,
	       "from_institution_id");
	in = req("up", "outpatient", r1, 3, 3);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID,
	       "to_institution_id");
	in = req("up", "outpatient", r1, 3, 99);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_NOT_FOUND,
	       "to_institution_id");
	in = req("up", "outpatient", r1, 3, 0);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_MISSING,
	       "to_institution_id");

	/* fields */
	in = req("sideways", "outpatient", r1, 3, 1);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "direction");
	in = req("up", "daycare", r1, 3, 1);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "care_type");
	in = req("up", "outpatient", r1, 3, 1);
	in.diagnosis_code = "hypertension";
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "diagnosis_code");
	in.diagnosis_code = "1I0";
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "diagnosis_code");
	in = req("up", "outpatient", r1, 3, 1);
	in.reason = "";
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_MISSING, "reason");
	in = req("up", "outpatient", 999, 3, 1);
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_NOT_FOUND, "resident_id");
	in = req("up", "outpatient", r1, 3, 1);
	in.care_plan = plan;
	in.ncare_plan = 1;
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "care_plan");
	in = req("up", "outpatient", r1, 3, 1);
	in.to_department_id = dept3;
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID,
	       "to_department_id");
	/* encounters: another resident's, unknown, twice */
	in = req("up", "outpatient", r1, 3, 1);
	encs[0] = enc2;
	in.encounter_ids = encs;
	in.nencounters = 1;
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "encounter_ids");
	encs[0] = 999;
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_NOT_FOUND, "encounter_ids");
	encs[0] = enc1;
	encs[1] = enc1;
	in.nencounters = 2;
	expect(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_INVALID, "encounter_ids");

	/* who: staff of the sender only */
	in = req("up", "outpatient", r1, 3, 1);
	expect(IN_TX(&doc4, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&res1, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_FORBIDDEN, NULL);
	must(IN_TX(&ia3, yl_referral_create(&T.ctx, &in, NULL)), "institution admin");
}

static void test_down_defaults_to_family_doctor(void **state)
{
	struct yl_referral_new in;
	struct yl_referral out;
	(void)state;

	in = req("down", "outpatient", r1, 1, 0);
	must(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, &out)), "down");
	assert_int_equal(out.to_institution_id, 3);
	assert_string_equal(out.direction, "down");
	/* r2 has no contract in force: the target must be named */
	in = req("down", "outpatient", r2, 1, 0);
	expect(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, NULL)), YL_ERR_MISSING,
	       "to_institution_id");
	in.to_institution_id = 4;
	must(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, &out)), "down named");
	assert_int_equal(out.to_institution_id, 4);
	assert_true(out.outside_consortium);
	/* a secondary hospital sends down too */
	in = req("down", "inpatient", r1, 2, 0);
	must(IN_TX(&ia2, yl_referral_create(&T.ctx, &in, &out)), "down from secondary");
	assert_int_equal(out.to_institution_id, 3);
}

static void test_outside_consortium(void **state)
{
	struct yl_referral_new in;
	struct yl_referral out, *items;
	struct yl_referral_filter f = {0};
	int n;
	bool more;
	int64_t lat;
	(void)state;

	in = req("lateral", "outpatient", r2, 3, 4);
	must(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, &out)), "lateral");
	assert_true(out.outside_consortium);
	lat = out.id;
	in = req("up", "outpatient", r2, 3, 2);
	must(IN_TX(&doc3, yl_referral_create(&T.ctx, &in, &out)), "up inside");
	assert_false(out.outside_consortium);
	f.outside_consortium = 1;
	f.resident_id = r2;
	f.direction = "lateral";
	f.limit = 100;
	must(yl_referral_list(&T.ctx, &f, &items, &n, &more), "list");
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, lat);
	f.direction = "sideways";
	expect(yl_referral_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID, "direction");
	f.direction = NULL;
	f.status = "pending";
	expect(yl_referral_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID, "status");
}

enum action { ACCEPT, REJECT, CANCEL, ARRIVE, COMPLETE, NACTIONS };
static const char *const verbs[] = {"accept", "reject", "cancel", "arrive", "complete"};

/* Runs action on id as the system admin (inpatient referrals: accept needs a date). */
static enum yl_err act(enum action a, int64_t id)
{
	struct yl_referral_accept acc = {0, 20540, true};

	switch (a) {
	case ACCEPT: return yl_referral_accept(&T.ctx, id, &acc, NULL);
	case REJECT: return yl_referral_reject(&T.ctx, id, "no beds", NULL);
	case CANCEL: return yl_referral_cancel(&T.ctx, id, "resident declined", NULL);
	case ARRIVE: return yl_referral_arrive(&T.ctx, id, NULL);
	case COMPLETE: return yl_referral_complete(&T.ctx, id, NULL);
	default: return YL_ERR_INTERNAL;
	}
}

/* A new inpatient up-referral driven to state (expired: the clock is moved past expiry, and
 * the caller moves it back). */
static int64_t in_state(const char *state)
{
	struct yl_referral_new in = req("up", "inpatient", r3, 3, 1);
	int64_t id = create(&doc3, &in);
	static const struct { const char *state; enum action path[2]; int n; } paths[] = {
		{"requested", {0, 0}, 0}, {"accepted", {ACCEPT, 0}, 1},
		{"arrived", {ACCEPT, ARRIVE}, 2}, {"rejected", {REJECT, 0}, 1},
		{"cancelled", {CANCEL, 0}, 1}, {"completed", {ACCEPT, ARRIVE}, 2},
	};

	if (strcmp(state, "expired") == 0) {
		yl_clock_fixed(&T.clock, YLT_NOW + 48 * HOUR);
		return id;
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (strcmp(paths[i].state, state) != 0)
			continue;
		for (int k = 0; k < paths[i].n; k++)
			must(IN_TX(NULL, act(paths[i].path[k], id)), "path");
		if (strcmp(state, "completed") == 0)
			must(IN_TX(NULL, act(COMPLETE, id)), "path");
	}
	assert_string_equal(status_of(id), state);
	return id;
}

static void test_transition_table(void **state)
{
	static const char *const states[] = {"requested", "accepted",  "arrived", "completed",
					     "rejected",  "cancelled", "expired"};
	/* the state each action leads to from each state; NULL: conflict */
	static const char *const to[7][NACTIONS] = {
		{"accepted", "rejected", "cancelled", NULL, NULL},
		{NULL, NULL, NULL, "arrived", NULL},
		{NULL, NULL, NULL, NULL, "completed"},
		{NULL, NULL, NULL, NULL, NULL},
		{NULL, NULL, NULL, NULL, NULL},
		{NULL, NULL, NULL, NULL, NULL},
		{NULL, NULL, NULL, NULL, NULL},
	};
	(void)state;

	for (int s = 0; s < 7; s++) {
		for (int a = 0; a < NACTIONS; a++) {
			int64_t id = in_state(states[s]);
			int64_t events = ylt_count(&T, "referral_events");
			enum yl_err err = IN_TX(NULL, act((enum action)a, id));

			if (to[s][a]) {
				if (err)
					fail_msg("%s a %s referral: %s", verbs[a], states[s],
						 T.diag.message);
				assert_string_equal(status_of(id), to[s][a]);
				assert_int_equal(ylt_count(&T, "referral_events"), events + 1);
				assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referral_events"
							     " WHERE referral_id = %lld AND from_status ="
							     " '%s' AND to_status = '%s'", (long long)id,
							     states[s], to[s][a]), 1);
			} else {
				char want[80];
				expect(err, YL_ERR_CONFLICT, "id");
				snprintf(want, sizeof(want), "cannot %s a", verbs[a]);
				if (strncmp(T.diag.message, want, strlen(want)) != 0)
					fail_msg("%s/%s: message '%s'", states[s], verbs[a],
						 T.diag.message);
				assert_non_null(strstr(T.diag.message, states[s]));
				assert_string_equal(status_of(id), states[s]);
			}
			yl_clock_fixed(&T.clock, YLT_NOW);
		}
	}
}

static void test_who(void **state)
{
	struct yl_referral_new in = req("up", "inpatient", r3, 3, 1);
	struct yl_referral_accept acc = {0, 20540, true};
	int64_t id = create(&doc3, &in), done;
	(void)state;

	expect(IN_TX(&doc3, yl_referral_accept(&T.ctx, id, &acc, NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc4, yl_referral_reject(&T.ctx, id, "x", NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc3, yl_referral_reject(&T.ctx, id, "x", NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc1, yl_referral_cancel(&T.ctx, id, "x", NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&res1, yl_referral_cancel(&T.ctx, id, "x", NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc1, yl_referral_reject(&T.ctx, id, "", NULL)), YL_ERR_MISSING, "reason");
	/* accept: the inpatient date is required and not in the past */
	acc.has_planned_admission = false;
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, id, &acc, NULL)), YL_ERR_MISSING,
	       "planned_admission_date");
	acc = (struct yl_referral_accept){0, 20500, true};
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, id, &acc, NULL)), YL_ERR_INVALID,
	       "planned_admission_date");
	acc = (struct yl_referral_accept){slot1, 20540, true};
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, id, &acc, NULL)), YL_ERR_INVALID, "slot_id");
	acc = (struct yl_referral_accept){0, 20540, true};
	must(IN_TX(&doc1, yl_referral_accept(&T.ctx, id, &acc, NULL)), "accept by target");
	expect(IN_TX(&doc3, yl_referral_arrive(&T.ctx, id, NULL)), YL_ERR_FORBIDDEN, NULL);
	must(IN_TX(&doc1, yl_referral_arrive(&T.ctx, id, NULL)), "arrive");
	expect(IN_TX(&doc3, yl_referral_complete(&T.ctx, id, NULL)), YL_ERR_FORBIDDEN, NULL);
	must(IN_TX(&doc1, yl_referral_complete(&T.ctx, id, NULL)), "complete");
	/* who before state: a stranger learns nothing about the state */
	expect(IN_TX(&doc4, yl_referral_complete(&T.ctx, id, NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc1, yl_referral_complete(&T.ctx, id, NULL)), YL_ERR_CONFLICT, "id");
	/* cancel by the sender */
	done = create(&doc3, &in);
	must(IN_TX(&ia3, yl_referral_cancel(&T.ctx, done, "resident declined", NULL)), "cancel");
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " status_reason = 'resident declined'", (long long)done), 1);
	/* a resident reads only their own */
	T.ctx.actor = &res1;
	expect(yl_referral_get(&T.ctx, id, &(struct yl_referral){0}), YL_ERR_NOT_FOUND, "id");
	T.ctx.actor = &T.actor;
	expect(yl_referral_accept(&T.ctx, 9999, &acc, NULL), YL_ERR_NOT_FOUND, "id");
}

static void test_expiry(void **state)
{
	struct yl_referral_new in = req("up", "inpatient", r2, 3, 1);
	struct yl_referral_accept acc = {0, 20540, true};
	struct yl_referral_filter f = {0};
	struct yl_referral *items;
	int64_t a = create(&doc3, &in), b;
	int n;
	bool more;
	(void)state;

	yl_clock_fixed(&T.clock, YLT_NOW + 48 * HOUR - 1);
	assert_string_equal(status_of(a), "requested");
	yl_clock_fixed(&T.clock, YLT_NOW + 48 * HOUR);
	assert_string_equal(status_of(a), "expired");
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, a, &acc, NULL)), YL_ERR_CONFLICT, "id");
	assert_non_null(strstr(T.diag.message, "expired"));
	expect(IN_TX(&doc3, yl_referral_cancel(&T.ctx, a, "late", NULL)), YL_ERR_CONFLICT, "id");
	/* derived in lists both ways */
	f.resident_id = r2;
	f.status = "expired";
	f.limit = 100;
	must(yl_referral_list(&T.ctx, &f, &items, &n, &more), "list expired");
	assert_true(n >= 1);
	assert_int_equal(items[n - 1].id, a);
	f.status = "requested";
	must(yl_referral_list(&T.ctx, &f, &items, &n, &more), "list requested");
	for (int i = 0; i < n; i++)
		assert_int_not_equal(items[i].id, a);
	/* still stored as requested; the next write for the resident settles it */
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " status = 'requested'", (long long)a), 1);
	b = create(&doc3, &in);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referrals WHERE id = %lld AND"
				     " status = 'expired'", (long long)a), 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referral_events WHERE"
				     " referral_id = %lld AND from_status = 'requested' AND to_status ="
				     " 'expired' AND actor = 'system:expiry' AND at = %lld",
				     (long long)a, (long long)(YLT_NOW + 48 * HOUR)), 1);
	assert_string_equal(status_of(b), "requested");
	yl_clock_fixed(&T.clock, YLT_NOW);
}

static void test_accept_books_referral_pool(void **state)
{
	struct yl_referral_new in = req("up", "outpatient", r1, 3, 1);
	struct yl_referral_accept acc = {0};
	struct yl_referral out;
	int64_t a, b, bookings;
	(void)state;

	in.to_department_id = dept1;
	a = create(&doc3, &in);
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, a, &acc, NULL)), YL_ERR_MISSING, "slot_id");
	acc.slot_id = slot3;
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, a, &acc, NULL)), YL_ERR_INVALID, "slot_id");
	acc.slot_id = 9999;
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, a, &acc, NULL)), YL_ERR_NOT_FOUND, "slot_id");
	acc.slot_id = slot_full;
	bookings = ylt_count(&T, "bookings");
	must(IN_TX(&doc1, yl_referral_accept(&T.ctx, a, &acc, &out)), "accept");
	assert_string_equal(out.status, "accepted");
	assert_true(out.booking_id > 0);
	assert_int_equal(ylt_count(&T, "bookings"), bookings + 1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM bookings WHERE id = %lld AND pool ="
				     " 'referral' AND resident_id = %lld AND slot_id = %lld",
				     (long long)out.booking_id, (long long)r1, (long long)slot_full),
			 1);
	assert_int_equal(yltb_scalar(&T, "SELECT booked_referral FROM slots WHERE id = %lld",
				     (long long)slot_full), 1);
	/* the referral pool of slot_full (quota 1) is now full: the accept fails, nothing moves */
	in.resident_id = r2;
	b = create(&doc3, &in);
	expect(IN_TX(&doc1, yl_referral_accept(&T.ctx, b, &acc, NULL)), YL_ERR_SLOT_FULL, NULL);
	assert_string_equal(status_of(b), "requested");
	assert_int_equal(ylt_count(&T, "bookings"), bookings + 1);
	/* another slot with room works */
	acc.slot_id = slot1;
	must(IN_TX(&doc1, yl_referral_accept(&T.ctx, b, &acc, &out)), "accept other slot");
	assert_int_equal(out.nevents, 2);
}

static void test_care_plan(void **state)
{
	struct yl_care_plan_new plan[] = {{"recheck blood pressure", 0}, {"adjust dose", 0}};
	struct yl_referral_new in = req("down", "outpatient", r1, 1, 0);
	struct yl_referral_accept acc = {0};
	struct yl_care_plan_filter f = {0};
	struct yl_care_plan_item *items, item;
	struct yl_referral out;
	int64_t id, other, up;
	int n;
	bool more;
	(void)state;

	yl_date_parse("2026-03-10", &plan[0].due_date);
	yl_date_parse("2026-04-01", &plan[1].due_date);
	in.care_plan = plan;
	in.ncare_plan = 2;
	must(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, &out)), "down with plan");
	id = out.id;
	assert_int_equal(out.nitems, 2);
	assert_true(out.items[0].overdue);
	assert_false(out.items[1].overdue);
	/* not yet accepted */
	expect(IN_TX(&doc3, yl_referral_acknowledge(&T.ctx, id, NULL)), YL_ERR_CONFLICT, "id");
	must(IN_TX(&doc3, yl_referral_accept(&T.ctx, id, &acc, NULL)), "accept down");
	expect(IN_TX(&doc3, yl_referral_item_done(&T.ctx, id, out.items[0].id, NULL)),
	       YL_ERR_CONFLICT, "id");
	expect(IN_TX(&doc4, yl_referral_acknowledge(&T.ctx, id, NULL)), YL_ERR_FORBIDDEN, NULL);
	expect(IN_TX(&doc1, yl_referral_acknowledge(&T.ctx, id, NULL)), YL_ERR_FORBIDDEN, NULL);
	must(IN_TX(&doc3, yl_referral_acknowledge(&T.ctx, id, NULL)), "acknowledge");
	expect(IN_TX(&doc3, yl_referral_acknowledge(&T.ctx, id, NULL)), YL_ERR_CONFLICT, "id");
	/* the task list */
	f.institution_id = 3;
	f.overdue_only = true;
	f.limit = 100;
	must(yl_care_plan_list(&T.ctx, &f, &items, &n, &more), "overdue");
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, out.items[0].id);
	assert_int_equal(items[0].resident_id, r1);
	f.overdue_only = false;
	must(yl_care_plan_list(&T.ctx, &f, &items, &n, &more), "all");
	assert_int_equal(n, 2);
	f.institution_id = 4;
	must(yl_care_plan_list(&T.ctx, &f, &items, &n, &more), "other institution");
	assert_int_equal(n, 0);
	/* done */
	must(IN_TX(&doc3, yl_referral_item_done(&T.ctx, id, out.items[0].id, &item)), "done");
	assert_true(item.done_at > 0);
	assert_false(item.overdue);
	expect(IN_TX(&doc3, yl_referral_item_done(&T.ctx, id, out.items[0].id, NULL)),
	       YL_ERR_CONFLICT, "item_id");
	expect(IN_TX(&doc3, yl_referral_item_done(&T.ctx, id, 9999, NULL)), YL_ERR_NOT_FOUND,
	       "item_id");
	f.institution_id = 3;
	f.overdue_only = true;
	must(yl_care_plan_list(&T.ctx, &f, &items, &n, &more), "overdue after done");
	assert_int_equal(n, 0);
	/* the family doctor's institution (3) acknowledges a plan sent to another centre (4) */
	in.to_institution_id = 4;
	must(IN_TX(&doc1, yl_referral_create(&T.ctx, &in, &out)), "down to 4");
	other = out.id;
	must(IN_TX(&doc4, yl_referral_accept(&T.ctx, other, &acc, NULL)), "accept at 4");
	expect(IN_TX(&ia3, yl_referral_acknowledge(&T.ctx, other, NULL)), YL_ERR_FORBIDDEN, NULL);
	must(IN_TX(&doc3, yl_referral_acknowledge(&T.ctx, other, NULL)), "family doctor acks");
	expect(IN_TX(&doc3, yl_referral_item_done(&T.ctx, id, out.items[0].id, NULL)),
	       YL_ERR_NOT_FOUND, "item_id");
	/* an up-referral has no care plan */
	in = req("up", "inpatient", r1, 3, 1);
	up = create(&doc3, &in);
	expect(IN_TX(&doc3, yl_referral_acknowledge(&T.ctx, up, NULL)), YL_ERR_CONFLICT, "id");
	T.ctx.actor = &res1;
	expect(yl_care_plan_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN, NULL);
	T.ctx.actor = &T.actor;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_rules),
		cmocka_unit_test(test_down_defaults_to_family_doctor),
		cmocka_unit_test(test_outside_consortium),
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_who),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_accept_books_referral_pool),
		cmocka_unit_test(test_care_plan),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
