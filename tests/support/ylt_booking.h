/* ylt_booking.h - booking fixtures written with plain SQL: departments, sessions and slots
 * (the schedule module is tested on its own and is not needed to book), residents in bulk,
 * teams and contracts, users of any role, and formatted scalar queries. Used by the booking
 * and indicator tests of tests/domain, tests/sim and tests/api. Every helper asserts success;
 * none opens a transaction.
 */
#ifndef YLT_BOOKING_H
#define YLT_BOOKING_H

#include "yltest.h"

/* Runs formatted SQL (at most 1 KiB) that returns no rows. */
void yltb_exec(struct ylt_db *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs formatted SQL and returns the first column of the first row (0 when no row). */
int64_t yltb_scalar(struct ylt_db *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Unix seconds of "YYYY-MM-DD" + "HH:MM" in Asia/Shanghai. */
int64_t yltb_at(const char *date, const char *hhmm);
/* A department of inst; returns its id. */
int64_t yltb_department(struct ylt_db *t, int64_t inst, const char *name);
/* An open session of dept (its institution is looked up) on date from start to end. */
int64_t yltb_session(struct ylt_db *t, int64_t dept, const char *date, const char *start,
		     const char *end);
/* A slot of the session starting at hhmm on the session's date, lasting minutes. */
int64_t yltb_slot(struct ylt_db *t, int64_t session, const char *hhmm, int minutes,
		  int capacity, int quota_family_doctor, int quota_referral);
/* n residents with consecutive ids (valid-length id numbers, home 440106001); returns the
 * first id. */
int64_t yltb_residents(struct ylt_db *t, int n);
/* A practitioner '甲' at inst (a general practitioner when gp) leading a new team 't' of
 * capacity 100 at inst; returns the team's id. */
int64_t yltb_team(struct ylt_db *t, int64_t inst, bool gp);
/* An active contract of resident with team (secondary 2, tertiary 1) from start to end
 * ("YYYY-MM-DD"). Plain SQL: the signing stocks do not see it (rebuild them if they matter). */
void yltb_contract(struct ylt_db *t, int64_t resident, int64_t team, const char *start,
		   const char *end);
/* A user row (no token); institution and resident may be 0. Returns its id. */
int64_t yltb_user(struct ylt_db *t, const char *username, const char *role, int64_t inst,
		  int64_t resident);

#endif
