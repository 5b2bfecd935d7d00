/* Domain: recording and reading encounters. Every rule of encounter.h is refused with its
 * error and field and leaves every table unchanged; a booking becomes seen in the same call;
 * a referral gets its referral_encounters row; a resident reads only their own.
 *
 * World (clock 2026-03-15 10:00 Asia/Shanghai): institutions 1..5 of ylt_seed_registry;
 * departments D1 at 2, D2 at 3; practitioners P1 posted at 2, P2 posted at 3 with a practice
 * site at 2; residents R1, R2; bookings at 2 for R1: B_BOOKED, B_CHECKED (checked_in), B_SEEN,
 * B_CANCELLED, and B_OTHER at 3; referral F1 of R1 (3 -> 2).
 */
#include "yltest.h"

#include <string.h>

#include "domain/encounter.h"
#include "ylt_booking.h"

static struct ylt_db T;
static int64_t D1, D2, P1, P2, R1, R2, B_BOOKED, B_CHECKED, B_SEEN, B_CANCELLED, B_OTHER, F1;
static const char *const TABLES[] = {"encounters", "encounter_diagnoses", "referral_encounters",
				     "bookings", "audit_log", NULL};

static int64_t booking(int64_t slot, int64_t resident, const char *status)
{
	yltb_exec(&T, "INSERT INTO bookings(slot_id, resident_id, institution_id, department_id,"
		  " date, pool, status, cancel_reason, created_at, updated_at) SELECT s.id, %lld,"
		  " s.institution_id, s.department_id, e.date, 'public', '%s', CASE WHEN '%s' ="
		  " 'cancelled' THEN 'x' END, 0, 0 FROM slots s JOIN sessions e ON e.id ="
		  " s.session_id WHERE s.id = %lld", (long long)resident, status, status,
		  (long long)slot);
	return yltb_scalar(&T, "SELECT max(id) FROM bookings");
}

static int setup(void **state)
{
	int64_t s2, s2b, s3;

	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	D1 = yltb_department(&T, 2, "内科");
	D2 = yltb_department(&T, 3, "全科");
	yltb_exec(&T, "INSERT INTO practitioners(name, title, institution_id, created_at)"
		  " VALUES ('甲', 'attending_physician', 2, 0), ('乙', 'chief_physician', 3, 0)");
	P1 = yltb_scalar(&T, "SELECT min(id) FROM practitioners");
	P2 = P1 + 1;
	yltb_exec(&T, "INSERT INTO practice_sites(practitioner_id, institution_id, created_at)"
		  " VALUES (%lld, 2, 0)", (long long)P2);
	R1 = yltb_residents(&T, 2);
	R2 = R1 + 1;
	s2 = yltb_slot(&T, yltb_session(&T, D1, "2026-03-14", "08:00", "12:00"), "08:00", 30, 10,
		       0, 0);
	s2b = yltb_slot(&T, yltb_session(&T, D1, "2026-03-13", "08:00", "12:00"), "08:00", 30,
			10, 0, 0);
	s3 = yltb_slot(&T, yltb_session(&T, D2, "2026-03-14", "08:00", "12:00"), "08:00", 30, 10,
		       0, 0);
	B_BOOKED = booking(s2, R1, "booked");
	B_CHECKED = booking(s2b, R1, "checked_in"); /* one active a day per department */
	B_SEEN = booking(s2, R1, "seen");
	B_CANCELLED = booking(s2, R1, "cancelled");
	B_OTHER = booking(s3, R1, "booked");
	yltb_exec(&T, "INSERT INTO referrals(direction, care_type, resident_id,"
		  " from_institution_id, to_institution_id, diagnosis_code, reason, status,"
		  " outside_consortium, requested_at, expires_at, updated_at) VALUES ('up',"
		  " 'outpatient', %lld, 3, 2, 'I10', 'r', 'requested', 0, 1, 2, 1)", (long long)R1);
	F1 = yltb_scalar(&T, "SELECT max(id) FROM referrals");
	ylt_commit(&T);
	return 0;
}

static const char *DX[] = {"I10", "E11.900"};

/* A valid outpatient encounter of R1 at institution 2: 100 + 20 + 30 + 0 + 0 + 5 = 155 fen,
 * fund 100, own 55. */
static struct yl_encounter valid(void)
{
	struct yl_encounter e = {0};

	e.kind = "outpatient";
	e.resident_id = R1;
	e.institution_id = 2;
	e.department_id = D1;
	e.practitioner_id = P1;
	e.visit_date = "2026-03-14";
	e.diagnoses = DX;
	e.ndiagnoses = 2;
	e.costs = (struct yl_encounter_costs){100, 20, 30, 0, 0, 5};
	e.fund_paid = 100;
	e.out_of_pocket = 55;
	return e;
}

/* Expects create(in) to fail with err on field, leaving the tables as they were. */
static void refuse(const struct yl_encounter *in, enum yl_err err, const char *field)
{
	int64_t before[8];
	enum yl_err got;

	for (int i = 0; TABLES[i]; i++)
		before[i] = ylt_count(&T, TABLES[i]);
	ylt_begin(&T);
	got = yl_encounter_create(&T.ctx, in, NULL);
	ylt_rollback(&T); /* the face would; counts are checked after to prove nothing was kept */
	if (got != err)
		fail_msg("expected %s, got %s (%s: %s)", yl_err_code(err), yl_err_code(got),
			 T.diag.field, T.diag.message);
	assert_string_equal(T.diag.field, field ? field : "");
	assert_true(T.diag.message[0] != '\0');
	for (int i = 0; TABLES[i]; i++)
		assert_int_equal(ylt_count(&T, TABLES[i]), before[i]);
}

/* Same, but without the rollback: the domain itself must not have written anything. */
static void refuse_unwritten(const struct yl_encounter *in, enum yl_err err, const char *field)
{
	int64_t before[8];

	for (int i = 0; TABLES[i]; i++)
		before[i] = ylt_count(&T, TABLES[i]);
	ylt_begin(&T);
	assert_int_equal(yl_encounter_create(&T.ctx, in, NULL), err);
	assert_string_equal(T.diag.field, field);
	for (int i = 0; TABLES[i]; i++)
		assert_int_equal(ylt_count(&T, TABLES[i]), before[i]);
	ylt_rollback(&T);
}

static struct yl_encounter create_ok(const struct yl_encounter *in)
{
	struct yl_encounter out;

	ylt_begin(&T);
	if (yl_encounter_create(&T.ctx, in, &out))
		fail_msg("create: %s: %s", T.diag.field, T.diag.message);
	ylt_commit(&T);
	return out;
}

static void test_create_and_get(void **state)
{
	struct yl_encounter in = valid(), out = create_ok(&in), got;

	(void)state;
	assert_true(out.id > 0);
	assert_int_equal(out.total, 155);
	assert_int_equal(out.created_at, YLT_NOW);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM audit_log WHERE entity = 'encounter'"
				     " AND entity_id = '%lld'", (long long)out.id), 1);
	assert_int_equal(yl_encounter_get(&T.ctx, out.id, &got), YL_OK);
	assert_string_equal(got.kind, "outpatient");
	assert_int_equal(got.resident_id, R1);
	assert_int_equal(got.department_id, D1);
	assert_int_equal(got.practitioner_id, P1);
	assert_string_equal(got.visit_date, "2026-03-14");
	assert_null(got.discharge_date);
	assert_int_equal(got.ndiagnoses, 2);
	assert_string_equal(got.diagnoses[0], "I10"); /* the principal diagnosis stays first */
	assert_string_equal(got.diagnoses[1], "E11.900");
	assert_int_equal(got.costs.drugs, 100);
	assert_int_equal(got.costs.other, 5);
	assert_int_equal(got.total, 155);
	assert_int_equal(got.fund_paid, 100);
	assert_int_equal(got.out_of_pocket, 55);
	assert_int_equal(got.booking_id, 0);
	assert_int_equal(yl_encounter_get(&T.ctx, 9999, &got), YL_ERR_NOT_FOUND);
}

static void test_inpatient_and_optional_fields(void **state)
{
	struct yl_encounter in = valid(), out;

	(void)state;
	in.kind = "inpatient";
	in.department_id = 0;
	in.practitioner_id = P2; /* posted at 3, practice site at 2 */
	in.visit_date = "2026-03-01";
	in.discharge_date = "2026-03-01"; /* same-day discharge is allowed */
	in.ndiagnoses = 1;
	in.costs = (struct yl_encounter_costs){0, 0, 0, 0, 300, 0};
	in.fund_paid = 300;
	in.out_of_pocket = 0;
	out = create_ok(&in);
	assert_string_equal(out.discharge_date, "2026-03-01");
	assert_int_equal(yltb_scalar(&T, "SELECT department_id IS NULL FROM encounters WHERE id ="
				     " %lld", (long long)out.id), 1);
	in.discharge_date = NULL; /* still admitted */
	in.costs.bed = 0;
	in.fund_paid = 0;
	out = create_ok(&in);
	assert_int_equal(out.total, 0);
	in.kind = "emergency";
	create_ok(&in);
}

static void test_field_rules(void **state)
{
	struct yl_encounter e;
	const char *bad[] = {"I10", "i10"};
	const char *dup[] = {"I10", "I10"};
	const char *many[21];

	(void)state;
	for (int i = 0; i < 21; i++)
		many[i] = "I10";
	e = valid(); e.kind = NULL; refuse(&e, YL_ERR_MISSING, "kind");
	e = valid(); e.kind = "daycare"; refuse(&e, YL_ERR_INVALID, "kind");
	e = valid(); e.resident_id = 0; refuse(&e, YL_ERR_MISSING, "resident_id");
	e = valid(); e.institution_id = 0; refuse(&e, YL_ERR_MISSING, "institution_id");
	e = valid(); e.visit_date = NULL; refuse(&e, YL_ERR_MISSING, "visit_date");
	e = valid(); e.visit_date = "2026-02-30"; refuse(&e, YL_ERR_INVALID, "visit_date");
	e = valid(); e.visit_date = "2026-03-16"; refuse(&e, YL_ERR_INVALID, "visit_date");
	e = valid(); e.discharge_date = "2026-03-14"; /* outpatient */
	refuse(&e, YL_ERR_INVALID, "discharge_date");
	e = valid(); e.kind = "inpatient"; e.discharge_date = "2026-03-13";
	refuse(&e, YL_ERR_INVALID, "discharge_date");
	assert_non_null(strstr(T.diag.message, "before"));
	e = valid(); e.kind = "inpatient"; e.discharge_date = "2026-03-16";
	refuse(&e, YL_ERR_INVALID, "discharge_date");
	e = valid(); e.diagnoses = NULL; e.ndiagnoses = 0; refuse(&e, YL_ERR_MISSING, "diagnoses");
	e = valid(); e.ndiagnoses = 0; refuse(&e, YL_ERR_INVALID, "diagnoses");
	e = valid(); e.diagnoses = many; e.ndiagnoses = 21; refuse(&e, YL_ERR_INVALID, "diagnoses");
	e = valid(); e.diagnoses = many; e.ndiagnoses = 20; /* 20 is allowed; duplicates are not */
	refuse(&e, YL_ERR_INVALID, "diagnoses");
	assert_non_null(strstr(T.diag.message, "twice"));
	e = valid(); e.diagnoses = bad; refuse(&e, YL_ERR_INVALID, "diagnoses");
	assert_non_null(strstr(T.diag.message, "i10"));
	e = valid(); e.diagnoses = dup; refuse(&e, YL_ERR_INVALID, "diagnoses");
	e = valid(); e.costs.exams = -1; e.out_of_pocket = 54; refuse(&e, YL_ERR_INVALID, "costs.exams");
	e = valid(); e.costs.bed = YL_ENCOUNTER_MAX_FEN + 1; refuse(&e, YL_ERR_INVALID, "costs.bed");
	e = valid(); e.fund_paid = -1; e.out_of_pocket = 156; refuse(&e, YL_ERR_INVALID, "fund_paid");
	e = valid(); e.out_of_pocket = 54; refuse(&e, YL_ERR_INVALID, "out_of_pocket");
	assert_non_null(strstr(T.diag.message, "100 + out_of_pocket 54 = 154"));
	assert_non_null(strstr(T.diag.message, "total 155"));
	e = valid(); e.kind = "emergency"; e.booking_id = B_BOOKED;
	refuse(&e, YL_ERR_INVALID, "booking_id");
}

static void test_references(void **state)
{
	struct yl_encounter e;

	(void)state;
	e = valid(); e.resident_id = 9999; refuse(&e, YL_ERR_NOT_FOUND, "resident_id");
	e = valid(); e.institution_id = 99; e.department_id = 0; e.practitioner_id = 0;
	refuse(&e, YL_ERR_NOT_FOUND, "institution_id");
	e = valid(); e.department_id = 9999; refuse(&e, YL_ERR_NOT_FOUND, "department_id");
	e = valid(); e.department_id = D2; refuse(&e, YL_ERR_INVALID, "department_id");
	e = valid(); e.practitioner_id = 9999; refuse(&e, YL_ERR_NOT_FOUND, "practitioner_id");
	e = valid(); e.institution_id = 3; e.department_id = D2; e.practitioner_id = P1;
	refuse(&e, YL_ERR_INVALID, "practitioner_id"); /* P1 is only at 2 */
	e = valid(); e.booking_id = 9999; refuse(&e, YL_ERR_NOT_FOUND, "booking_id");
	e = valid(); e.resident_id = R2; e.booking_id = B_BOOKED;
	refuse(&e, YL_ERR_INVALID, "booking_id");
	e = valid(); e.booking_id = B_OTHER; refuse(&e, YL_ERR_INVALID, "booking_id"); /* at 3 */
	e = valid(); e.booking_id = B_CANCELLED; refuse(&e, YL_ERR_CONFLICT, "booking_id");
	e = valid(); e.referral_id = 9999; refuse(&e, YL_ERR_NOT_FOUND, "referral_id");
	e = valid(); e.resident_id = R2; e.referral_id = F1; refuse(&e, YL_ERR_INVALID, "referral_id");
	/* Refusals after the lookups write nothing even without the face's rollback. */
	e = valid(); e.booking_id = B_CANCELLED; refuse_unwritten(&e, YL_ERR_CONFLICT, "booking_id");
	e = valid(); e.referral_id = 9999; refuse_unwritten(&e, YL_ERR_NOT_FOUND, "referral_id");
}

static void test_booking_becomes_seen(void **state)
{
	struct yl_encounter e = valid(), out;

	(void)state;
	e.booking_id = B_BOOKED;
	out = create_ok(&e);
	assert_int_equal(out.booking_id, B_BOOKED);
	assert_int_equal(yltb_scalar(&T, "SELECT status = 'seen' AND updated_at = %lld FROM bookings"
				     " WHERE id = %lld", (long long)YLT_NOW, (long long)B_BOOKED), 1);
	e.booking_id = B_CHECKED;
	create_ok(&e);
	assert_int_equal(yltb_scalar(&T, "SELECT status = 'seen' FROM bookings WHERE id = %lld",
				     (long long)B_CHECKED), 1);
	e.booking_id = B_SEEN; /* already seen: stays seen, untouched */
	create_ok(&e);
	assert_int_equal(yltb_scalar(&T, "SELECT updated_at FROM bookings WHERE id = %lld",
				     (long long)B_SEEN), 0);
	/* One encounter per booking. */
	e.booking_id = B_BOOKED;
	refuse(&e, YL_ERR_CONFLICT, "booking_id");
	assert_non_null(strstr(T.diag.message, "already has an encounter"));
}

static void test_referral_link(void **state)
{
	struct yl_encounter e = valid(), out;

	(void)state;
	e.referral_id = F1;
	out = create_ok(&e);
	assert_int_equal(out.referral_id, F1);
	assert_int_equal(yltb_scalar(&T, "SELECT count(*) FROM referral_encounters WHERE"
				     " referral_id = %lld AND encounter_id = %lld", (long long)F1,
				     (long long)out.id), 1);
}

static void test_permissions(void **state)
{
	struct yl_encounter e = valid(), out, got;
	struct yl_encounter_filter f = {0};
	struct yl_encounter *items;
	int n;
	bool more;

	(void)state;
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 3;
	refuse(&e, YL_ERR_FORBIDDEN, NULL); /* doctor of another institution */
	T.actor.role = YL_ROLE_REGULATOR;
	refuse(&e, YL_ERR_FORBIDDEN, NULL);
	T.actor.role = YL_ROLE_RESIDENT;
	T.actor.resident_id = R1;
	refuse(&e, YL_ERR_FORBIDDEN, NULL);
	T.actor.role = YL_ROLE_INSTITUTION_ADMIN;
	T.actor.institution_id = 2;
	create_ok(&e);
	T.actor.role = YL_ROLE_DOCTOR;
	out = create_ok(&e);
	e.resident_id = R2;
	e = create_ok(&e);

	/* A resident reads their own, and another's answers as unknown. */
	T.actor.role = YL_ROLE_RESIDENT;
	T.actor.resident_id = R1;
	assert_int_equal(yl_encounter_get(&T.ctx, out.id, &got), YL_OK);
	assert_int_equal(yl_encounter_get(&T.ctx, e.id, &got), YL_ERR_NOT_FOUND);
	f.limit = 1000;
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	for (int i = 0; i < n; i++)
		assert_int_equal(items[i].resident_id, R1);
	assert_true(n > 0);
	f.resident_id = R2;
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN);
	T.actor.role = YL_ROLE_INSURER;
	assert_int_equal(yl_encounter_get(&T.ctx, e.id, &got), YL_OK);
	T.actor.role = YL_ROLE_ADMIN;
	T.actor.institution_id = 0;
	T.actor.resident_id = 0;
}

static void test_list_filters_and_pages(void **state)
{
	struct yl_encounter_filter f = {0};
	struct yl_encounter *items;
	int n, seen = 0;
	bool more = true;
	int64_t total = yltb_scalar(&T, "SELECT count(*) FROM encounters");

	(void)state;
	assert_true(total >= 5);
	f.limit = 2;
	while (more) {
		assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_OK);
		for (int i = 0; i < n; i++) {
			assert_true(items[i].id > f.after);
			assert_true(items[i].ndiagnoses >= 1);
			f.after = items[i].id;
		}
		seen += n;
	}
	assert_int_equal(seen, total);

	memset(&f, 0, sizeof(f));
	f.limit = 1000;
	f.kind = "inpatient";
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, yltb_scalar(&T, "SELECT count(*) FROM encounters WHERE kind ="
					 " 'inpatient'"));
	f.kind = NULL;
	f.from = "2026-03-01";
	f.to = "2026-03-01";
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, yltb_scalar(&T, "SELECT count(*) FROM encounters WHERE visit_date ="
					 " '2026-03-01'"));
	assert_true(n >= 3);
	f.from = f.to = NULL;
	f.resident_id = R2;
	f.institution_id = 2;
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	f.institution_id = 3;
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 0);
	f.kind = "walk_in";
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "kind");
	f.kind = NULL;
	f.from = "2026-13-01";
	assert_int_equal(yl_encounter_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "from");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_get),
		cmocka_unit_test(test_inpatient_and_optional_fields),
		cmocka_unit_test(test_field_rules),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_booking_becomes_seen),
		cmocka_unit_test(test_referral_link),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_list_filters_and_pages),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
