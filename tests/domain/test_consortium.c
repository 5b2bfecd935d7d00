/* Domain: consortia, dated membership, yl_consortium_shared; every error path leaves the row
 * counts unchanged. Seeded institutions: 1 tertiary, 2 secondary, 3 and 4 primary, 5 village. */
#include "yltest.h"

#include <string.h>

#include "domain/consortium.h"

static struct ylt_db T;

static const char *const tables[] = {"consortia", "consortium_members", "audit_log", NULL};

struct snap {
	int64_t n[4];
};

static struct snap snap_take(void)
{
	struct snap s = {{0}};
	for (int i = 0; tables[i]; i++)
		s.n[i] = ylt_count(&T, tables[i]);
	return s;
}

static void snap_check(const struct snap *s)
{
	for (int i = 0; tables[i]; i++)
		assert_int_equal(ylt_count(&T, tables[i]), s->n[i]);
}

/* Expects call to fail with e on field fld and to change no row. */
#define EXPECT_FAIL(call, e, fld)                                \
	do {                                                     \
		struct snap s0_ = snap_take();                   \
		assert_int_equal((call), (e));                   \
		assert_int_equal(T.diag.err, (e));               \
		assert_string_equal(T.diag.field, (fld));        \
		snap_check(&s0_);                                \
	} while (0)

static int setup(void **state)
{
	(void)state;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	ylt_begin(&T);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_rollback(&T);
	ylt_db_close(&T);
	return 0;
}

static void as_role(enum yl_role role, int64_t inst)
{
	T.actor.role = role;
	T.actor.institution_id = inst;
	T.actor.resident_id = role == YL_ROLE_RESIDENT ? 1 : 0;
}

static void set_day(int days_from_now)
{
	yl_clock_fixed(&T.clock, YLT_NOW + (int64_t)days_from_now * 86400);
}

static int32_t date(const char *s)
{
	int32_t d;
	assert_true(yl_date_parse(s, &d));
	return d;
}

/* Creates a consortium of kind county_community led by lead with the given members. */
static int64_t make(const char *code, int64_t lead, const int64_t *members, int n)
{
	struct yl_consortium in = {0}, out;

	in.code = code;
	in.name = "医共体";
	in.kind = "county_community";
	in.lead_institution_id = lead;
	in.member_ids = members;
	in.n_members = n;
	if (yl_consortium_create(&T.ctx, &in, &out))
		fail_msg("create: %s", T.diag.message);
	return out.id;
}

static bool shared(int64_t a, int64_t b)
{
	bool s = true;
	assert_int_equal(yl_consortium_shared(&T.ctx, a, b, &s), YL_OK);
	return s;
}

static void test_create_adds_lead_and_members(void **state)
{
	static const int64_t members[] = {4, 3};
	struct yl_consortium in = {0}, out, got;
	struct yl_consortium_member *m;
	int n;
	int64_t audits = ylt_count(&T, "audit_log");
	(void)state;

	in.code = "CG-1";
	in.name = "城市医疗集团";
	in.kind = "city_group";
	in.lead_institution_id = 1;
	in.area_code = "440100";
	in.member_ids = members;
	in.n_members = 2;
	assert_int_equal(yl_consortium_create(&T.ctx, &in, &out), YL_OK);
	assert_true(out.id > 0);
	assert_string_equal(out.kind, "city_group");
	assert_string_equal(out.area_code, "440100");
	assert_int_equal(out.n_members, 3);
	assert_int_equal(out.member_ids[0], 1);
	assert_int_equal(out.member_ids[1], 3);
	assert_int_equal(out.member_ids[2], 4);
	assert_int_equal(ylt_count(&T, "consortium_members"), 3);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);

	assert_int_equal(yl_consortium_members(&T.ctx, out.id, false, &m, &n), YL_OK);
	assert_int_equal(n, 3);
	for (int i = 0; i < n; i++) {
		assert_string_equal(m[i].joined_on, "2026-03-15");
		assert_null(m[i].left_on);
		assert_true(m[i].current);
		assert_int_equal(m[i].lead, m[i].institution_id == 1);
	}
	assert_int_equal(yl_consortium_get(&T.ctx, out.id, &got), YL_OK);
	assert_string_equal(got.code, "CG-1");
	assert_int_equal(got.n_members, 3);
	/* no area, no members */
	in.code = "CG-2";
	in.area_code = NULL;
	in.n_members = 0;
	assert_int_equal(yl_consortium_create(&T.ctx, &in, &out), YL_OK);
	assert_null(out.area_code);
	assert_int_equal(out.n_members, 1);
	assert_int_equal(out.member_ids[0], 1);
}

static void test_create_errors_write_nothing(void **state)
{
	static const int64_t dup[] = {3, 3}, lead[] = {3, 1}, unknown[] = {3, 99}, zero[] = {0};
	struct yl_consortium in = {0};
	(void)state;

	make("TAKEN", 2, NULL, 0);
	in.code = "X";
	in.name = "x";
	in.kind = "specialty_alliance";
	in.lead_institution_id = 1;

	as_role(YL_ROLE_INSTITUTION_ADMIN, 1);
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_DOCTOR, 1);
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_ADMIN, 0);

	in.code = NULL;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "code");
	in.code = "TAKEN";
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_CONFLICT, "code");
	in.code = "X";
	in.name = "";
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "name");
	in.name = "x";
	in.kind = "hospital_group";
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "kind");
	in.kind = NULL;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "kind");
	in.kind = "tele_network";
	in.lead_institution_id = 0;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "lead_institution_id");
	in.lead_institution_id = 99;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_NOT_FOUND, "lead_institution_id");
	in.lead_institution_id = 1;
	in.area_code = "440107";
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_NOT_FOUND, "area_code");
	in.area_code = NULL;
	in.n_members = 2;
	in.member_ids = dup;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "member_ids");
	in.member_ids = lead;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "member_ids");
	/* the unknown id comes after a valid one: nothing may be half-written */
	in.member_ids = unknown;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_NOT_FOUND, "member_ids");
	in.member_ids = zero;
	in.n_members = 1;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "member_ids");
	in.n_members = YL_CONSORTIUM_MAX_MEMBERS + 1;
	EXPECT_FAIL(yl_consortium_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "member_ids");
	in.n_members = 0;
	assert_int_equal(yl_consortium_create(&T.ctx, &in, NULL), YL_OK);
}

static void test_join_rules(void **state)
{
	struct yl_consortium_member m, *items;
	int32_t past = date("2025-01-01"), future = date("2026-03-16"), d;
	int64_t id = make("CC-1", 2, NULL, 0);
	int n;
	(void)state;

	assert_int_equal(yl_consortium_join(&T.ctx, id, 4, NULL, &m), YL_OK);
	assert_string_equal(m.joined_on, "2026-03-15");
	assert_true(m.current);
	assert_false(m.lead);
	assert_int_equal(yl_consortium_join(&T.ctx, id, 5, &past, &m), YL_OK);
	assert_string_equal(m.joined_on, "2025-01-01");
	d = date("2026-01-01");
	assert_int_equal(yl_consortium_join(&T.ctx, id, 3, &d, NULL), YL_OK);

	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 3, NULL, NULL), YL_ERR_CONFLICT, "institution_id");
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 2, &past, NULL), YL_ERR_CONFLICT, "institution_id");
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 1, &future, NULL), YL_ERR_INVALID, "joined_on");
	EXPECT_FAIL(yl_consortium_join(&T.ctx, 99, 1, NULL, NULL), YL_ERR_NOT_FOUND, "id");
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 99, NULL, NULL), YL_ERR_NOT_FOUND, "institution_id");
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 0, NULL, NULL), YL_ERR_MISSING, "institution_id");
	as_role(YL_ROLE_INSTITUTION_ADMIN, 2);
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 1, NULL, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_ADMIN, 0);

	/* leave, then rejoin: not inside the earlier period, fine from its end on */
	d = date("2026-03-01");
	assert_int_equal(yl_consortium_leave(&T.ctx, id, 3, &d, NULL), YL_OK);
	d = date("2026-02-28");
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 3, &d, NULL), YL_ERR_CONFLICT, "joined_on");
	d = date("2026-03-01");
	assert_int_equal(yl_consortium_join(&T.ctx, id, 3, &d, &m), YL_OK);
	/* history ordered by joined_on, then institution */
	assert_int_equal(yl_consortium_members(&T.ctx, id, false, &items, &n), YL_OK);
	assert_int_equal(n, 5);
	assert_int_equal(items[0].institution_id, 5);
	assert_int_equal(items[1].institution_id, 3);
	assert_string_equal(items[1].joined_on, "2026-01-01");
	assert_string_equal(items[1].left_on, "2026-03-01");
	assert_false(items[1].current);
	assert_int_equal(items[2].institution_id, 3);
	assert_string_equal(items[2].joined_on, "2026-03-01");
	assert_null(items[2].left_on);
	assert_true(items[2].current);
	assert_int_equal(items[3].institution_id, 2);
	assert_true(items[3].lead);
	assert_int_equal(items[4].institution_id, 4);
	assert_int_equal(yl_consortium_members(&T.ctx, id, true, &items, &n), YL_OK);
	assert_int_equal(n, 4);
	EXPECT_FAIL(yl_consortium_members(&T.ctx, 99, true, &items, &n), YL_ERR_NOT_FOUND, "id");
}

static void test_leave_rules(void **state)
{
	static const int64_t members[] = {3, 4};
	struct yl_consortium_member m, *items;
	struct yl_consortium c;
	int32_t before = date("2026-03-14"), later = date("2026-04-01");
	int64_t id = make("CC-2", 2, members, 2);
	int n;
	(void)state;

	EXPECT_FAIL(yl_consortium_leave(&T.ctx, id, 2, NULL, NULL), YL_ERR_CONFLICT, "institution_id");
	EXPECT_FAIL(yl_consortium_leave(&T.ctx, id, 1, NULL, NULL), YL_ERR_NOT_FOUND, "institution_id");
	EXPECT_FAIL(yl_consortium_leave(&T.ctx, id, 3, &before, NULL), YL_ERR_INVALID, "left_on");
	EXPECT_FAIL(yl_consortium_leave(&T.ctx, 99, 3, NULL, NULL), YL_ERR_NOT_FOUND, "id");
	as_role(YL_ROLE_INSTITUTION_ADMIN, 3);
	EXPECT_FAIL(yl_consortium_leave(&T.ctx, id, 3, NULL, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_ADMIN, 0);

	/* leaving today (same day as joining) ends the membership at once */
	assert_int_equal(yl_consortium_leave(&T.ctx, id, 3, NULL, &m), YL_OK);
	assert_string_equal(m.joined_on, "2026-03-15");
	assert_string_equal(m.left_on, "2026-03-15");
	assert_false(m.current);
	EXPECT_FAIL(yl_consortium_leave(&T.ctx, id, 3, NULL, NULL), YL_ERR_CONFLICT, "institution_id");
	assert_false(shared(2, 3));

	/* a scheduled leave keeps the member current until that day */
	assert_int_equal(yl_consortium_leave(&T.ctx, id, 4, &later, &m), YL_OK);
	assert_true(m.current);
	assert_true(shared(2, 4));
	assert_int_equal(yl_consortium_get(&T.ctx, id, &c), YL_OK);
	assert_int_equal(c.n_members, 2);
	EXPECT_FAIL(yl_consortium_join(&T.ctx, id, 4, NULL, NULL), YL_ERR_CONFLICT, "institution_id");
	EXPECT_FAIL(yl_consortium_leave(&T.ctx, id, 4, NULL, NULL), YL_ERR_CONFLICT, "institution_id");
	set_day(16); /* 2026-03-31 */
	assert_true(shared(2, 4));
	set_day(17); /* 2026-04-01 */
	assert_false(shared(2, 4));
	assert_int_equal(yl_consortium_members(&T.ctx, id, true, &items, &n), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].institution_id, 2);
	set_day(0);
}

static void test_shared(void **state)
{
	static const int64_t a[] = {3}, b[] = {4, 5};
	(void)state;

	assert_false(shared(1, 2));
	assert_false(shared(3, 3));
	make("CC-A", 2, a, 1);
	make("CG-B", 1, b, 2);
	assert_true(shared(2, 3));
	assert_true(shared(3, 2));
	assert_true(shared(1, 5));
	assert_true(shared(4, 5));
	assert_false(shared(3, 4));
	assert_false(shared(2, 1));
	assert_true(shared(3, 3));
	assert_false(shared(3, 99));
	/* an institution in two consortia shares with both */
	make("SA-C", 3, b, 2);
	assert_true(shared(3, 4));
	assert_true(shared(3, 2));
}

static void test_list_filters_and_pages(void **state)
{
	static const int64_t m3[] = {3}, m34[] = {3, 4};
	struct yl_consortium_filter f = {0};
	struct yl_consortium *items;
	struct yl_consortium_member *ms;
	int n;
	bool more;
	int64_t a, b, c;
	(void)state;

	a = make("L-1", 2, m3, 1);
	b = make("L-2", 2, m34, 2);
	c = make("L-3", 1, NULL, 0);
	f.limit = 2;
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	assert_int_equal(items[0].id, a);
	assert_int_equal(items[1].n_members, 3);
	f.after = items[1].id;
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_int_equal(items[0].id, c);

	f.after = 0;
	f.limit = 50;
	f.institution_id = 4;
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, b);
	assert_int_equal(yl_consortium_leave(&T.ctx, b, 4, NULL, NULL), YL_OK);
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 0);
	f.institution_id = 3;
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);

	f.institution_id = 0;
	f.kind = "county_community";
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 3);
	f.kind = "tele_network";
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 0);
	f.kind = "nope";
	EXPECT_FAIL(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_ERR_INVALID, "kind");
	f.kind = NULL;
	as_role(YL_ROLE_RESIDENT, 0);
	EXPECT_FAIL(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN, "");
	EXPECT_FAIL(yl_consortium_members(&T.ctx, a, false, &ms, &n), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_DOCTOR, 3);
	assert_int_equal(yl_consortium_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 3);
	as_role(YL_ROLE_ADMIN, 0);
	EXPECT_FAIL(yl_consortium_get(&T.ctx, 99, NULL), YL_ERR_NOT_FOUND, "id");
}

static void test_kinds(void **state)
{
	(void)state;
	assert_true(yl_consortium_kind_ok("city_group"));
	assert_true(yl_consortium_kind_ok("county_community"));
	assert_true(yl_consortium_kind_ok("specialty_alliance"));
	assert_true(yl_consortium_kind_ok("tele_network"));
	assert_false(yl_consortium_kind_ok("City_group"));
	assert_false(yl_consortium_kind_ok(""));
	assert_false(yl_consortium_kind_ok(NULL));
}

#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(test_create_adds_lead_and_members),
		T_(test_create_errors_write_nothing),
		T_(test_join_rules),
		T_(test_leave_rules),
		T_(test_shared),
		T_(test_list_filters_and_pages),
		T_(test_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
