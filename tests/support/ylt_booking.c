/* ylt_booking.c - booking fixtures with plain SQL (see ylt_booking.h). */
#include "ylt_booking.h"

#include <stdio.h>

#include "domain/signing_stock.h"
#include "domain/slot.h"

static void vformat(char *out, size_t n, const char *fmt, va_list ap)
{
	int len = vsnprintf(out, n, fmt, ap);

	if (len < 0 || (size_t)len >= n)
		fail_msg("fixture sql too long: %s", fmt);
}

void yltb_exec(struct ylt_db *t, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vformat(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (yl_store_exec(t->store, sql, &t->diag))
		fail_msg("%s: %s", sql, t->diag.message);
}

int64_t yltb_scalar(struct ylt_db *t, const char *fmt, ...)
{
	char sql[1024];
	struct yl_stmt *st;
	va_list ap;
	bool row;
	int64_t v = 0;

	va_start(ap, fmt);
	vformat(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (yl_store_prepare(t->store, sql, &st, &t->diag) || yl_stmt_step(st, &row, &t->diag))
		fail_msg("%s: %s", sql, t->diag.message);
	if (row)
		v = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	return v;
}

int64_t yltb_at(const char *date, const char *hhmm)
{
	int32_t d;
	int64_t t;

	if (!yl_date_parse(date, &d) || !yl_local_time(d, hhmm, &t))
		fail_msg("bad date or time %s %s", date, hhmm);
	return t;
}

int64_t yltb_department(struct ylt_db *t, int64_t inst, const char *name)
{
	yltb_exec(t, "INSERT INTO departments(institution_id, name, category_code, created_at)"
		  " VALUES (%lld, '%s', '03.01', 0)", (long long)inst, name);
	return yltb_scalar(t, "SELECT max(id) FROM departments");
}

int64_t yltb_session(struct ylt_db *t, int64_t dept, const char *date, const char *start,
		     const char *end)
{
	yltb_exec(t, "INSERT INTO sessions(institution_id, department_id, date, start_time,"
		  " end_time, slot_minutes, status, created_at) SELECT institution_id, id, '%s',"
		  " '%s', '%s', 30, 'open', 0 FROM departments WHERE id = %lld", date, start, end,
		  (long long)dept);
	return yltb_scalar(t, "SELECT max(id) FROM sessions");
}

int64_t yltb_slot(struct ylt_db *t, int64_t session, const char *hhmm, int minutes,
		  int capacity, int quota_family_doctor, int quota_referral)
{
	char date[YL_DATE_LEN];
	struct yl_stmt *st;
	bool row;
	int64_t at;

	if (yl_store_prepare(t->store, "SELECT date FROM sessions WHERE id = ?", &st, &t->diag))
		fail_msg("%s", t->diag.message);
	yl_stmt_bind_int(st, 1, session);
	if (yl_stmt_step(st, &row, &t->diag) || !row)
		fail_msg("no session %lld", (long long)session);
	snprintf(date, sizeof(date), "%s", yl_stmt_text(st, 0));
	yl_stmt_reset(st);
	at = yltb_at(date, hhmm);
	yltb_exec(t, "INSERT INTO slots(session_id, institution_id, department_id, category_code,"
		  " starts_at, ends_at, capacity, quota_family_doctor, quota_referral) SELECT id,"
		  " institution_id, department_id, '03.01', %lld, %lld, %d, %d, %d FROM sessions"
		  " WHERE id = %lld", (long long)at, (long long)(at + minutes * 60), capacity,
		  quota_family_doctor, quota_referral, (long long)session);
	return yltb_scalar(t, "SELECT max(id) FROM slots");
}

int64_t yltb_residents(struct ylt_db *t, int n)
{
	int64_t first = yltb_scalar(t, "SELECT coalesce(max(id), 0) + 1 FROM residents");

	for (int i = 0; i < n; i++) {
		yltb_exec(t, "INSERT INTO residents(id, id_number, name, sex, birth_date,"
			  " home_area_code, insurance, tags, created_at) VALUES (%lld,"
			  " '4401061990%08lld', 'r', 'male', '1990-01-01', '440106001', 'resident', 0,"
			  " 0)", (long long)(first + i), (long long)(first + i));
		/* plain SQL passes the live hook: count them in the signing stocks (C1/C2) */
		if (yl_signing_stock_add_resident(&t->ctx, "440106001",
						  yl_days_from_civil(1990, 1, 1), 0))
			fail_msg("signing stock: %s", t->diag.message);
	}
	return first;
}

int64_t yltb_team(struct ylt_db *t, int64_t inst, bool gp)
{
	yltb_exec(t, "INSERT INTO practitioners(name, title, institution_id, general_practitioner,"
		  " created_at) VALUES ('甲', 'attending_physician', %lld, %d, 0)",
		  (long long)inst, gp ? 1 : 0);
	yltb_exec(t, "INSERT INTO teams(name, institution_id, leader_id, capacity, created_at)"
		  " VALUES ('t', %lld, (SELECT max(id) FROM practitioners), 100, 0)",
		  (long long)inst);
	return yltb_scalar(t, "SELECT max(id) FROM teams");
}

void yltb_contract(struct ylt_db *t, int64_t resident, int64_t team, const char *start,
		   const char *end)
{
	yltb_exec(t, "INSERT INTO contracts(resident_id, team_id, secondary_id, tertiary_id,"
		  " start_date, end_date, status, created_at, updated_at) VALUES (%lld, %lld, 2, 1,"
		  " '%s', '%s', 'active', 0, 0)", (long long)resident, (long long)team, start, end);
}

int64_t yltb_user(struct ylt_db *t, const char *username, const char *role, int64_t inst,
		  int64_t resident)
{
	yltb_exec(t, "INSERT INTO users(username, role, institution_id, resident_id, created_at)"
		  " VALUES ('%s', '%s', %s%lld%s, %s%lld%s, 0)", username, role,
		  inst ? "" : "nullif(", (long long)inst, inst ? "" : ", 0)",
		  resident ? "" : "nullif(", (long long)resident, resident ? "" : ", 0)");
	return yltb_scalar(t, "SELECT max(id) FROM users");
}
