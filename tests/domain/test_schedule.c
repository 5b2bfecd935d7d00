/* Domain: schedule templates, session generation and the session changes - ISO weekdays,
 * valid_from/valid_to, slot times in UTC for Asia/Shanghai (a session at local midnight, one
 * at 23:30, one across the month end), idempotent re-generation, template changes affecting
 * only later sessions, capacity and quota changes refused below what slots hold, stopping a
 * session (bookings cancelled with the reason, counters lowered), permissions, and nothing
 * written by any refusal. Bookings are inserted with plain SQL: booking is another module. */
#include "yltest.h"

#include <stdio.h>
#include <string.h>

#include "domain/department.h"
#include "domain/schedule.h"
#include "domain/session.h"

/* 2026-03-15 00:00 UTC = 08:00 Asia/Shanghai; instants below are this plus whole hours. */
#define D0315 ((int64_t)1773532800)
#define H ((int64_t)3600)
#define DAY ((int64_t)86400)

static struct ylt_db T;
static int64_t dept1, dept2, p1, p3site, p4;

static void sql(const char *s)
{
	if (yl_store_exec(T.store, s, &T.diag))
		fail_msg("%s: %s", s, T.diag.message);
}

static int64_t scalar(const char *q)
{
	struct yl_stmt *st;
	bool row;
	int64_t v = 0;

	assert_int_equal(yl_store_prepare(T.store, q, &st, &T.diag), YL_OK);
	assert_int_equal(yl_stmt_step(st, &row, &T.diag), YL_OK);
	if (row)
		v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

/* Everything a refusal must leave alone, folded into one number. */
static int64_t signature(void)
{
	return scalar("SELECT (SELECT count(*) FROM sessions) * 1000003"
		      " + (SELECT count(*) FROM slots) * 10007"
		      " + (SELECT count(*) FROM schedule_templates) * 101"
		      " + (SELECT count(*) FROM audit_log) * 7"
		      " + (SELECT coalesce(sum(capacity * 31 + quota_family_doctor * 17 + quota_referral * 13"
		      "   + booked_public * 11 + booked_family_doctor * 5 + booked_referral * 3), 0)"
		      "   FROM slots)"
		      " + (SELECT coalesce(sum(capacity + quota_family_doctor + active * 3), 0)"
		      "   FROM schedule_templates)"
		      " + (SELECT count(*) FROM bookings WHERE status = 'cancelled') * 100019"
		      " + (SELECT count(*) FROM sessions WHERE status = 'stopped') * 1009");
}

static int setup(void **state)
{
	struct yl_department d = {0};
	struct yl_department out;
	char idn[19], s[400];
	*state = &T;

	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	d.institution_id = 1;
	d.name = "内科";
	d.category_code = "03";
	assert_int_equal(yl_department_create(&T.ctx, &d, &out), YL_OK);
	dept1 = out.id;
	d.institution_id = 2;
	assert_int_equal(yl_department_create(&T.ctx, &d, &out), YL_OK);
	dept2 = out.id;
	sql("INSERT INTO practitioners(name, title, general_practitioner, institution_id, created_at)"
	    " VALUES ('甲', 'chief_physician', 0, 1, 0), ('乙', 'attending_physician', 1, 3, 0),"
	    " ('丙', 'attending_physician', 1, 4, 0)");
	p1 = 1;
	p3site = 2;
	p4 = 3;
	sql("INSERT INTO consortia(code, name, kind, lead_institution_id, created_at)"
	    " VALUES ('C1', '医联体', 'county_community', 1, 0)");
	sql("INSERT INTO consortium_members(consortium_id, institution_id, joined_on, created_at)"
	    " VALUES (1, 1, '2026-01-01', 0), (1, 3, '2026-01-01', 0)");
	sql("INSERT INTO practice_sites(practitioner_id, institution_id, created_at) VALUES (2, 1, 0)");
	for (int i = 1; i <= 6; i++) {
		ylt_id_number(idn, "440106", "19800101", i);
		snprintf(s, sizeof(s), "INSERT INTO residents(id_number, name, sex, birth_date,"
			 " home_area_code, insurance, tags, created_at) VALUES ('%s', 'r%d', 'male',"
			 " '1980-01-01', '440106001', 'employee', 0, 0)", idn, i);
		sql(s);
	}
	ylt_commit(&T);
	return 0;
}

static void as_admin(void)
{
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
}

static void as(enum yl_role role, int64_t inst)
{
	T.actor.role = role;
	T.actor.institution_id = inst;
}

static struct yl_schedule_template tpl(int64_t dept, int weekday, const char *start,
				       const char *end, int minutes, int cap)
{
	struct yl_schedule_template t = {0};

	t.department_id = dept;
	t.weekday = weekday;
	t.start_time = start;
	t.end_time = end;
	t.slot_minutes = minutes;
	t.capacity = cap;
	t.valid_from = "2026-03-01";
	return t;
}

static int64_t make_tpl(struct yl_schedule_template t)
{
	struct yl_schedule_template out;

	if (yl_schedule_template_create(&T.ctx, &t, &out))
		fail_msg("template: %s", T.diag.message);
	return out.id;
}

static int32_t day(int y, int m, int d)
{
	return yl_days_from_civil(y, m, d);
}

static void test_iso_weekday(void **state)
{
	(void)state;
	assert_int_equal(yl_iso_weekday(0), 4);                   /* 1970-01-01 Thursday */
	assert_int_equal(yl_iso_weekday(-1), 3);                  /* 1969-12-31 Wednesday */
	assert_int_equal(yl_iso_weekday(day(2026, 3, 15)), 7);    /* Sunday */
	assert_int_equal(yl_iso_weekday(day(2026, 3, 16)), 1);    /* Monday */
	assert_int_equal(yl_iso_weekday(day(2026, 3, 31)), 2);    /* Tuesday */
	assert_int_equal(yl_iso_weekday(day(2026, 4, 1)), 3);
}

static void refuse_tpl(struct yl_schedule_template t, enum yl_err want, const char *field)
{
	int64_t before = signature();

	assert_int_equal(yl_schedule_template_create(&T.ctx, &t, NULL), want);
	if (field)
		assert_string_equal(T.diag.field, field);
	assert_int_equal(signature(), before);
}

static void test_template_rules(void **state)
{
	struct yl_schedule_template t;
	struct yl_schedule_template_patch p = {0};
	(void)state;

	ylt_begin(&T);
	t = tpl(dept1, 8, "08:00", "12:00", 30, 5);
	refuse_tpl(t, YL_ERR_INVALID, "weekday");
	t = tpl(dept1, 1, "8:00", "12:00", 30, 5);
	refuse_tpl(t, YL_ERR_INVALID, "start_time");
	t = tpl(dept1, 1, "08:00", "24:00", 30, 5);
	refuse_tpl(t, YL_ERR_INVALID, "end_time");
	t = tpl(dept1, 1, "12:00", "08:00", 30, 5);
	refuse_tpl(t, YL_ERR_INVALID, "end_time");
	t = tpl(dept1, 1, "08:00", "08:20", 30, 5);
	refuse_tpl(t, YL_ERR_INVALID, "slot_minutes");
	t = tpl(dept1, 1, "08:00", "12:00", 4, 5);
	refuse_tpl(t, YL_ERR_INVALID, "slot_minutes");
	t = tpl(dept1, 1, "08:00", "12:00", 30, 0);
	refuse_tpl(t, YL_ERR_INVALID, "capacity");
	t = tpl(dept1, 1, "08:00", "12:00", 30, 5);
	t.quota_family_doctor = 4;
	t.quota_referral = 2;
	refuse_tpl(t, YL_ERR_INVALID, "quota_referral");
	t = tpl(dept1, 1, "08:00", "12:00", 30, 5);
	t.valid_to = "2026-02-28";
	refuse_tpl(t, YL_ERR_INVALID, "valid_to");
	t.valid_to = NULL;
	t.valid_from = NULL;
	refuse_tpl(t, YL_ERR_MISSING, "valid_from");
	t = tpl(999, 1, "08:00", "12:00", 30, 5);
	refuse_tpl(t, YL_ERR_NOT_FOUND, "department_id");
	t = tpl(dept1, 1, "08:00", "12:00", 30, 5);
	t.practitioner_id = 999;
	refuse_tpl(t, YL_ERR_NOT_FOUND, "practitioner_id");
	t.practitioner_id = p4; /* practises at 4 only */
	refuse_tpl(t, YL_ERR_INVALID, "practitioner_id");
	/* permissions: the institution admin of another institution, a doctor of this one */
	t.practitioner_id = 0;
	as(YL_ROLE_INSTITUTION_ADMIN, 2);
	refuse_tpl(t, YL_ERR_FORBIDDEN, NULL);
	as(YL_ROLE_DOCTOR, 1);
	refuse_tpl(t, YL_ERR_FORBIDDEN, NULL);
	as(YL_ROLE_INSTITUTION_ADMIN, 1);
	t.practitioner_id = p1;
	make_tpl(t);
	t.practitioner_id = p3site; /* main post at 3, practice site at 1 */
	make_tpl(t);
	/* once 3 has left the consortium the site no longer counts */
	sql("UPDATE consortium_members SET left_on = '2026-03-10' WHERE institution_id = 3");
	refuse_tpl(t, YL_ERR_NOT_MEMBER, "practitioner_id");
	as_admin();
	/* patch: quotas above capacity refused; permission */
	p.has_quota_family_doctor = true;
	p.quota_family_doctor = 6;
	assert_int_equal(yl_schedule_template_patch(&T.ctx, 1, &p, NULL), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "quota_family_doctor");
	p.quota_family_doctor = 2;
	as(YL_ROLE_INSTITUTION_ADMIN, 2);
	assert_int_equal(yl_schedule_template_patch(&T.ctx, 1, &p, NULL), YL_ERR_FORBIDDEN);
	as_admin();
	assert_int_equal(yl_schedule_template_patch(&T.ctx, 1, &p, &t), YL_OK);
	assert_int_equal(t.quota_family_doctor, 2);
	assert_int_equal(yl_schedule_template_patch(&T.ctx, 99, &p, NULL), YL_ERR_NOT_FOUND);
	as(YL_ROLE_RESIDENT, 0);
	assert_int_equal(yl_schedule_template_get(&T.ctx, 1, &t), YL_ERR_FORBIDDEN);
	as_admin();
	ylt_rollback(&T);
}

static int64_t slot_time(int64_t session_id, int nth)
{
	char q[160];

	snprintf(q, sizeof(q), "SELECT starts_at FROM slots WHERE session_id = %lld"
		 " ORDER BY starts_at LIMIT 1 OFFSET %d", (long long)session_id, nth);
	return scalar(q);
}

static int64_t session_of(int64_t template_id, const char *date)
{
	char q[160];

	snprintf(q, sizeof(q), "SELECT id FROM sessions WHERE template_id = %lld AND date = '%s'",
		 (long long)template_id, date);
	return scalar(q);
}

static void test_generate(void **state)
{
	struct yl_schedule_template t;
	struct yl_schedule_template_patch p = {0};
	int64_t mon, tue0, tue23, wed, ns, nl, s, before;
	(void)state;

	ylt_begin(&T);
	t = tpl(dept1, 1, "08:00", "09:00", 20, 5);
	t.quota_family_doctor = 1;
	t.quota_referral = 1;
	t.valid_from = "2026-03-16";
	t.valid_to = "2026-03-29";
	mon = make_tpl(t);                                         /* Mondays 16 and 23 March */
	t = tpl(dept1, 2, "00:00", "00:40", 15, 2);                /* 2 slots; 00:30-00:45 overruns */
	tue0 = make_tpl(t);
	t = tpl(dept1, 2, "23:30", "23:59", 29, 1);
	tue23 = make_tpl(t);
	t = tpl(dept1, 3, "14:00", "14:30", 30, 3);
	t.valid_from = "2026-04-01";
	wed = make_tpl(t);
	t = tpl(dept2, 1, "08:00", "09:00", 30, 3);                /* another institution */
	make_tpl(t);

	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 15), day(2026, 4, 1), &ns, &nl),
			 YL_OK);
	/* Mondays 16, 23 (30 is past valid_to): 2 x 3 slots; Tuesdays 17, 24, 31: 3 x (2 + 1);
	 * Wednesday 1 April: 1; Wednesdays before valid_from: none */
	assert_int_equal(ns, 2 + 3 + 3 + 1);
	assert_int_equal(nl, 6 + 6 + 3 + 1);
	assert_int_equal(ylt_count(&T, "sessions"), 9);
	/* Monday 16 March 08:00 local = 00:00 UTC, slots every 20 minutes */
	s = session_of(mon, "2026-03-16");
	assert_true(s > 0);
	assert_int_equal(slot_time(s, 0), D0315 + DAY);
	assert_int_equal(slot_time(s, 2), D0315 + DAY + 40 * 60);
	assert_int_equal(session_of(mon, "2026-03-30"), 0);
	/* Tuesday 31 March 00:00 local = 30 March 16:00 UTC (the day before in UTC) */
	s = session_of(tue0, "2026-03-31");
	assert_int_equal(slot_time(s, 0), D0315 + 15 * DAY + 16 * H);
	assert_int_equal(slot_time(s, 1), D0315 + 15 * DAY + 16 * H + 15 * 60);
	/* Tuesday 31 March 23:30 local = 15:30 UTC, ends 23:59 local */
	s = session_of(tue23, "2026-03-31");
	assert_int_equal(slot_time(s, 0), D0315 + 16 * DAY + 15 * H + 30 * 60);
	{
		char q[120];

		snprintf(q, sizeof(q), "SELECT ends_at FROM slots WHERE session_id = %lld", (long long)s);
		assert_int_equal(scalar(q), D0315 + 16 * DAY + 15 * H + 59 * 60);
		snprintf(q, sizeof(q), "SELECT count(*) FROM slots WHERE session_id = %lld AND"
			 " category_code = '03' AND quota_family_doctor = 0", (long long)s);
		assert_int_equal(scalar(q), 1);
	}
	/* Wednesday 1 April 14:00 local = 06:00 UTC, across the month end */
	s = session_of(wed, "2026-04-01");
	assert_int_equal(slot_time(s, 0), D0315 + 17 * DAY + 6 * H);
	assert_int_equal(session_of(wed, "2026-03-25"), 0);
	assert_int_equal(scalar("SELECT count(*) FROM slots WHERE quota_family_doctor = 1 AND"
				" quota_referral = 1 AND capacity = 5"), 6);

	/* idempotent: the same range again creates nothing; an overlapping one only the new days */
	before = signature();
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 15), day(2026, 4, 1), &ns, &nl),
			 YL_OK);
	assert_int_equal(ns, 0);
	assert_int_equal(nl, 0);
	assert_int_equal(signature(), before + 7); /* the audit row only */
	/* a template change affects later sessions only; an inactive template makes none */
	p.has_capacity = true;
	p.capacity = 8;
	assert_int_equal(yl_schedule_template_patch(&T.ctx, tue0, &p, NULL), YL_OK);
	memset(&p, 0, sizeof(p));
	p.has_active = true;
	p.active = false;
	assert_int_equal(yl_schedule_template_patch(&T.ctx, tue23, &p, NULL), YL_OK);
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 31), day(2026, 4, 8), &ns, &nl),
			 YL_OK);
	assert_int_equal(ns, 2); /* Tuesday 7 April (tue0 only), Wednesday 8 April */
	assert_int_equal(nl, 3);
	assert_int_equal(scalar("SELECT count(*) FROM slots WHERE capacity = 8"), 2);
	assert_int_equal(scalar("SELECT capacity FROM slots s JOIN sessions se ON se.id = s.session_id"
				" WHERE se.date = '2026-03-31' AND se.start_time = '00:00' LIMIT 1"), 2);

	/* refusals */
	before = signature();
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 14), day(2026, 3, 20), &ns, &nl),
			 YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "from");
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 20), day(2026, 3, 19), &ns, &nl),
			 YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "to");
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 15), day(2026, 3, 15) + 92, &ns,
					      &nl), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "to");
	assert_int_equal(yl_schedule_generate(&T.ctx, 99, day(2026, 3, 15), day(2026, 3, 16), &ns, &nl),
			 YL_ERR_NOT_FOUND);
	as(YL_ROLE_INSTITUTION_ADMIN, 2);
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 15), day(2026, 3, 16), &ns, &nl),
			 YL_ERR_FORBIDDEN);
	as(YL_ROLE_DOCTOR, 1);
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 15), day(2026, 3, 16), &ns, &nl),
			 YL_ERR_FORBIDDEN);
	as_admin();
	assert_int_equal(signature(), before);
	/* 92 days is the most */
	assert_int_equal(yl_schedule_generate(&T.ctx, 2, day(2026, 3, 15), day(2026, 3, 15) + 91, &ns,
					      &nl), YL_OK);
	assert_int_equal(ns, 13); /* Mondays 16 March .. 8 June */
	ylt_rollback(&T);
}

/* A Monday session of dept1 with 3 slots of capacity 5 (quota 1 + 1); returns its id. */
static int64_t one_session(void)
{
	struct yl_schedule_template t = tpl(dept1, 1, "08:00", "09:00", 20, 5);
	int64_t id, ns, nl;

	t.quota_family_doctor = 1;
	t.quota_referral = 1;
	id = make_tpl(t);
	assert_int_equal(yl_schedule_generate(&T.ctx, 1, day(2026, 3, 16), day(2026, 3, 16), &ns, &nl),
			 YL_OK);
	return session_of(id, "2026-03-16");
}

static void book(int64_t slot, int64_t resident, const char *pool, const char *status)
{
	char s[400];

	snprintf(s, sizeof(s), "INSERT INTO bookings(slot_id, resident_id, institution_id,"
		 " department_id, date, pool, status, cancel_reason, created_at, updated_at)"
		 " VALUES (%lld, %lld, 1, %lld, '2026-03-16', '%s', '%s', %s, 0, 0)",
		 (long long)slot, (long long)resident, (long long)dept1, pool, status,
		 strcmp(status, "cancelled") == 0 ? "'by resident'" : "NULL");
	sql(s);
}

static void set_booked(int64_t slot, int pub, int fd, int ref)
{
	char s[200];

	snprintf(s, sizeof(s), "UPDATE slots SET booked_public = %d, booked_family_doctor = %d,"
		 " booked_referral = %d WHERE id = %lld", pub, fd, ref, (long long)slot);
	sql(s);
}

static void refuse_patch(int64_t session, struct yl_session_patch p, enum yl_err want,
			 const char *field)
{
	int64_t before = signature();

	assert_int_equal(yl_session_patch(&T.ctx, session, &p, NULL), want);
	if (field)
		assert_string_equal(T.diag.field, field);
	assert_int_equal(signature(), before);
}

static void test_session_patch(void **state)
{
	struct yl_session_patch p;
	struct yl_session o;
	int64_t s, slot;
	(void)state;

	ylt_begin(&T);
	s = one_session();
	slot = scalar("SELECT min(id) FROM slots");
	book(slot, 1, "public", "booked");
	book(slot, 2, "public", "booked");
	book(slot, 3, "family_doctor", "booked");
	set_booked(slot, 2, 1, 0);

	memset(&p, 0, sizeof(p));
	p.has_capacity = true;
	p.capacity = 2; /* the slot holds 3 */
	refuse_patch(s, p, YL_ERR_CONFLICT, "capacity");
	memset(&p, 0, sizeof(p));
	p.has_quota_family_doctor = true;
	p.quota_family_doctor = 0; /* holds 1 family-doctor booking */
	refuse_patch(s, p, YL_ERR_CONFLICT, "quota_family_doctor");
	p.quota_family_doctor = 3; /* public share 5-3-1 = 1 below the 2 public bookings */
	refuse_patch(s, p, YL_ERR_CONFLICT, NULL);
	p.quota_family_doctor = 5; /* 5 + 1 > capacity 5 */
	refuse_patch(s, p, YL_ERR_INVALID, "quota_referral");
	memset(&p, 0, sizeof(p));
	p.has_capacity = true;
	p.capacity = 1001;
	refuse_patch(s, p, YL_ERR_INVALID, "capacity");
	p.capacity = 8;
	as(YL_ROLE_DOCTOR, 1);
	refuse_patch(s, p, YL_ERR_FORBIDDEN, NULL);
	as(YL_ROLE_INSTITUTION_ADMIN, 2);
	refuse_patch(s, p, YL_ERR_FORBIDDEN, NULL);
	refuse_patch(999, p, YL_ERR_NOT_FOUND, NULL);
	as(YL_ROLE_INSTITUTION_ADMIN, 1);
	p.has_quota_family_doctor = true;
	p.quota_family_doctor = 3;
	assert_int_equal(yl_session_patch(&T.ctx, s, &p, &o), YL_OK);
	assert_int_equal(o.nslots, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(o.slots[i].capacity, 8);
		assert_int_equal(o.slots[i].quota[YL_POOL_FAMILY_DOCTOR], 3);
		assert_int_equal(o.slots[i].quota[YL_POOL_REFERRAL], 1);
	}
	assert_int_equal(o.capacity, 24);
	assert_int_equal(o.booked, 3);
	/* exactly what it holds is allowed */
	memset(&p, 0, sizeof(p));
	p.has_capacity = true;
	p.capacity = 5;
	p.has_quota_family_doctor = true;
	p.quota_family_doctor = 1;
	p.has_quota_referral = true;
	p.quota_referral = 0;
	assert_int_equal(yl_session_patch(&T.ctx, s, &p, NULL), YL_OK);
	as_admin();
	ylt_rollback(&T);
}

static void test_stop(void **state)
{
	struct yl_session o;
	struct yl_session_patch p = {.has_capacity = true, .capacity = 9};
	int64_t s, s1, s2, cancelled, before;
	(void)state;

	ylt_begin(&T);
	s = one_session();
	s1 = scalar("SELECT min(id) FROM slots");
	s2 = s1 + 1;
	book(s1, 1, "public", "booked");
	book(s1, 2, "public", "booked");
	book(s1, 3, "family_doctor", "booked");
	book(s1, 4, "public", "checked_in");
	book(s2, 5, "referral", "booked");
	book(s2, 6, "public", "cancelled");
	set_booked(s1, 3, 1, 0);
	set_booked(s2, 0, 0, 1);

	before = signature();
	assert_int_equal(yl_session_stop(&T.ctx, s, "", &cancelled, NULL), YL_ERR_MISSING);
	assert_string_equal(T.diag.field, "reason");
	as(YL_ROLE_INSTITUTION_ADMIN, 2);
	assert_int_equal(yl_session_stop(&T.ctx, s, "医生外出", &cancelled, NULL), YL_ERR_FORBIDDEN);
	as(YL_ROLE_DOCTOR, 1);
	assert_int_equal(yl_session_stop(&T.ctx, s, "医生外出", &cancelled, NULL), YL_ERR_FORBIDDEN);
	as(YL_ROLE_INSTITUTION_ADMIN, 1);
	assert_int_equal(yl_session_stop(&T.ctx, 999, "医生外出", &cancelled, NULL), YL_ERR_NOT_FOUND);
	assert_int_equal(signature(), before);

	assert_int_equal(yl_session_stop(&T.ctx, s, "医生外出", &cancelled, &o), YL_OK);
	assert_int_equal(cancelled, 4);
	assert_string_equal(o.status, "stopped");
	assert_string_equal(o.stop_reason, "医生外出");
	assert_int_equal(scalar("SELECT count(*) FROM bookings WHERE status = 'cancelled' AND"
				" cancel_reason = 'session stopped: 医生外出'"), 4);
	assert_int_equal(scalar("SELECT count(*) FROM bookings WHERE status = 'checked_in'"), 1);
	assert_int_equal(scalar("SELECT count(*) FROM bookings WHERE cancel_reason = 'by resident'"), 1);
	assert_int_equal(o.slots[0].id, s1);
	assert_int_equal(o.slots[0].booked[YL_POOL_PUBLIC], 1);
	assert_int_equal(o.slots[0].booked[YL_POOL_FAMILY_DOCTOR], 0);
	assert_int_equal(o.slots[1].booked[YL_POOL_REFERRAL], 0);
	assert_int_equal(o.booked, 1);
	assert_true(o.slots[0].stopped);
	assert_int_equal(scalar("SELECT count(*) FROM audit_log WHERE action = 'stop' AND"
				" entity = 'session'"), 1);
	/* stopped: no second stop, no change of places */
	before = signature();
	assert_int_equal(yl_session_stop(&T.ctx, s, "again", &cancelled, NULL), YL_ERR_CONFLICT);
	assert_int_equal(yl_session_patch(&T.ctx, s, &p, NULL), YL_ERR_CONFLICT);
	assert_int_equal(signature(), before);
	/* a session whose day is past cannot be stopped */
	sql("UPDATE sessions SET status = 'open', stop_reason = NULL, date = '2026-03-14'");
	assert_int_equal(yl_session_stop(&T.ctx, s, "late", &cancelled, NULL), YL_ERR_CONFLICT);
	as_admin();
	ylt_rollback(&T);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_weekday),
		cmocka_unit_test(test_template_rules),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_session_patch),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
