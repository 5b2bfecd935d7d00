/* Domain: departments, practitioners and practice sites inside a consortium; every error path
 * leaves the row counts unchanged. Seeded institutions: 1 tertiary, 2 secondary, 3 and 4
 * primary, 5 village clinic under 3. */
#include "yltest.h"

#include <string.h>

#include "domain/consortium.h"
#include "domain/department.h"
#include "domain/practitioner.h"

static struct ylt_db T;

static const char *const tables[] = {"departments", "practitioners", "practice_sites", "audit_log",
				     NULL};

struct snap {
	int64_t n[5];
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
}

static int64_t dept(int64_t inst, const char *name, const char *cat)
{
	struct yl_department in = {0}, out;

	in.institution_id = inst;
	in.name = name;
	in.category_code = cat;
	if (yl_department_create(&T.ctx, &in, &out))
		fail_msg("department: %s", T.diag.message);
	return out.id;
}

static struct yl_practitioner prac_in(int64_t inst, const char *name)
{
	struct yl_practitioner in = {0};

	in.name = name;
	in.title = "attending_physician";
	in.institution_id = inst;
	return in;
}

static int64_t prac(int64_t inst, const char *name, bool gp)
{
	struct yl_practitioner in = prac_in(inst, name), out;

	in.general_practitioner = gp;
	if (yl_practitioner_create(&T.ctx, &in, &out))
		fail_msg("practitioner: %s", T.diag.message);
	return out.id;
}

static void test_category_codes(void **state)
{
	(void)state;
	assert_true(yl_department_category_ok("03"));
	assert_true(yl_department_category_ok("03.01"));
	assert_true(yl_department_category_ok("50.12"));
	assert_false(yl_department_category_ok("3"));
	assert_false(yl_department_category_ok("031"));
	assert_false(yl_department_category_ok("03."));
	assert_false(yl_department_category_ok("03.1"));
	assert_false(yl_department_category_ok("03-01"));
	assert_false(yl_department_category_ok("03.01.1"));
	assert_false(yl_department_category_ok("ab"));
	assert_false(yl_department_category_ok("0a.01"));
	assert_false(yl_department_category_ok(""));
	assert_false(yl_department_category_ok(NULL));
}

static void test_department_create(void **state)
{
	struct yl_department in = {0}, out, got;
	int64_t audits = ylt_count(&T, "audit_log");
	(void)state;

	in.institution_id = 1;
	in.name = "内科";
	in.category_code = "03";
	assert_int_equal(yl_department_create(&T.ctx, &in, &out), YL_OK);
	assert_true(out.id > 0);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);
	assert_int_equal(yl_department_get(&T.ctx, out.id, &got), YL_OK);
	assert_string_equal(got.name, "内科");
	assert_string_equal(got.category_code, "03");
	assert_int_equal(got.institution_id, 1);
	/* the same name elsewhere is fine; no category is fine */
	in.institution_id = 2;
	in.category_code = NULL;
	assert_int_equal(yl_department_create(&T.ctx, &in, &out), YL_OK);
	assert_int_equal(yl_department_get(&T.ctx, out.id, &got), YL_OK);
	assert_null(got.category_code);
	/* the institution's own institution_admin may create */
	as_role(YL_ROLE_INSTITUTION_ADMIN, 3);
	in.institution_id = 3;
	in.name = "全科";
	in.category_code = "03.01";
	assert_int_equal(yl_department_create(&T.ctx, &in, &out), YL_OK);
}

static void test_department_errors(void **state)
{
	struct yl_department in = {0};
	(void)state;

	dept(1, "内科", "03");
	in.institution_id = 1;
	in.name = "内科";
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_CONFLICT, "name");
	in.name = "外科";
	in.category_code = "3.1";
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "category_code");
	in.category_code = "04";
	in.name = NULL;
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "name");
	in.name = "外科";
	in.institution_id = 0;
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "institution_id");
	in.institution_id = 99;
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_NOT_FOUND, "institution_id");
	in.institution_id = 1;
	as_role(YL_ROLE_INSTITUTION_ADMIN, 2);
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	/* permission first: an unknown institution does not leak through a 404 */
	in.institution_id = 99;
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	in.institution_id = 1;
	as_role(YL_ROLE_DOCTOR, 1);
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_REGULATOR, 0);
	EXPECT_FAIL(yl_department_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_ADMIN, 0);
	EXPECT_FAIL(yl_department_get(&T.ctx, 99, NULL), YL_ERR_NOT_FOUND, "id");
}

static void test_department_list(void **state)
{
	struct yl_department_filter f = {0};
	struct yl_department *items;
	int n;
	bool more;
	(void)state;

	dept(1, "内科", "03");
	dept(1, "外科", "04");
	dept(2, "内科", NULL);
	f.limit = 50;
	f.institution_id = 1;
	assert_int_equal(yl_department_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_false(more);
	f.institution_id = 0;
	f.limit = 2;
	assert_int_equal(yl_department_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	f.after = items[1].id;
	assert_int_equal(yl_department_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].institution_id, 2);
	T.actor.role = YL_ROLE_RESIDENT;
	EXPECT_FAIL(yl_department_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN, "");
}

static void test_practitioner_create(void **state)
{
	struct yl_practitioner in = prac_in(3, "李医生"), out, got;
	int64_t d3 = dept(3, "全科", "03.01");
	int64_t audits = ylt_count(&T, "audit_log");
	(void)state;

	in.title = "resident_physician";
	in.general_practitioner = true;
	in.licence_no = "110440100000001";
	in.department_id = d3;
	assert_int_equal(yl_practitioner_create(&T.ctx, &in, &out), YL_OK);
	assert_true(out.id > 0);
	assert_int_equal(out.n_sites, 0);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);
	assert_int_equal(yl_practitioner_get(&T.ctx, out.id, &got), YL_OK);
	assert_string_equal(got.name, "李医生");
	assert_string_equal(got.title, "resident_physician");
	assert_true(got.general_practitioner);
	assert_string_equal(got.licence_no, "110440100000001");
	assert_int_equal(got.institution_id, 3);
	assert_int_equal(got.department_id, d3);
	/* optional fields absent */
	in = prac_in(5, "王村医");
	in.title = "village_doctor";
	assert_int_equal(yl_practitioner_create(&T.ctx, &in, &out), YL_OK);
	assert_null(out.licence_no);
	assert_int_equal(out.department_id, 0);
	assert_false(out.general_practitioner);
	/* institution_admin of the main institution */
	as_role(YL_ROLE_INSTITUTION_ADMIN, 4);
	in = prac_in(4, "张护士");
	in.title = "nurse";
	assert_int_equal(yl_practitioner_create(&T.ctx, &in, &out), YL_OK);
}

static void test_practitioner_errors(void **state)
{
	struct yl_practitioner in = prac_in(3, "x");
	int64_t d1 = dept(1, "心内科", "03.03");
	(void)state;

	in.licence_no = "L-1";
	assert_int_equal(yl_practitioner_create(&T.ctx, &in, NULL), YL_OK);
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_CONFLICT, "licence_no");
	in.licence_no = "";
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "licence_no");
	in.licence_no = NULL;
	in.department_id = d1;
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "department_id");
	in.department_id = 99;
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_NOT_FOUND, "department_id");
	in.department_id = 0;
	in.title = "surgeon";
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_INVALID, "title");
	in.title = NULL;
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "title");
	in.title = "nurse";
	in.name = "";
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "name");
	in.name = "x";
	in.institution_id = 0;
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_MISSING, "institution_id");
	in.institution_id = 99;
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_NOT_FOUND, "institution_id");
	in.institution_id = 3;
	as_role(YL_ROLE_INSTITUTION_ADMIN, 4);
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_DOCTOR, 3);
	EXPECT_FAIL(yl_practitioner_create(&T.ctx, &in, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_ADMIN, 0);
	EXPECT_FAIL(yl_practitioner_get(&T.ctx, 99, NULL), YL_ERR_NOT_FOUND, "id");
	assert_true(yl_practitioner_title_ok("associate_chief_physician"));
	assert_true(yl_practitioner_title_ok("technician"));
	assert_false(yl_practitioner_title_ok("doctor"));
}

static void test_sites_need_shared_consortium(void **state)
{
	static const int64_t members[] = {3, 5};
	struct yl_consortium cons = {0}, cout;
	struct yl_practitioner out;
	int64_t p = prac(3, "李医生", true);
	(void)state;

	/* no consortium yet */
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 2, NULL), YL_ERR_NOT_MEMBER, "institution_id");
	cons.code = "CC";
	cons.name = "区医共体";
	cons.kind = "county_community";
	cons.lead_institution_id = 2;
	cons.member_ids = members;
	cons.n_members = 2;
	assert_int_equal(yl_consortium_create(&T.ctx, &cons, &cout), YL_OK);

	assert_int_equal(yl_practitioner_add_site(&T.ctx, p, 2, &out), YL_OK);
	assert_int_equal(out.n_sites, 1);
	assert_int_equal(out.sites[0], 2);
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 2, NULL), YL_ERR_CONFLICT, "institution_id");
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 3, NULL), YL_ERR_INVALID, "institution_id");
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 1, NULL), YL_ERR_NOT_MEMBER, "institution_id");
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 4, NULL), YL_ERR_NOT_MEMBER, "institution_id");
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 99, NULL), YL_ERR_NOT_FOUND, "institution_id");
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 0, NULL), YL_ERR_MISSING, "institution_id");
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, 99, 2, NULL), YL_ERR_NOT_FOUND, "id");
	/* only the main institution's admin (not the site's) */
	as_role(YL_ROLE_INSTITUTION_ADMIN, 5);
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 5, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_DOCTOR, 3);
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 5, NULL), YL_ERR_FORBIDDEN, "");
	as_role(YL_ROLE_INSTITUTION_ADMIN, 3);
	assert_int_equal(yl_practitioner_add_site(&T.ctx, p, 5, &out), YL_OK);
	assert_int_equal(out.n_sites, 2);
	assert_int_equal(out.sites[1], 5);
	as_role(YL_ROLE_ADMIN, 0);

	/* once the main institution has left, no new site */
	assert_int_equal(yl_consortium_join(&T.ctx, cout.id, 4, NULL, NULL), YL_OK);
	assert_int_equal(yl_consortium_leave(&T.ctx, cout.id, 3, NULL, NULL), YL_OK);
	EXPECT_FAIL(yl_practitioner_add_site(&T.ctx, p, 4, NULL), YL_ERR_NOT_MEMBER, "institution_id");
}

static void test_practitioner_list(void **state)
{
	static const int64_t members[] = {3};
	struct yl_consortium cons = {0};
	struct yl_practitioner_filter f = {0};
	struct yl_practitioner *items;
	int n;
	bool more;
	int64_t a, b, c;
	(void)state;

	a = prac(3, "a", true);
	b = prac(2, "b", false);
	c = prac(4, "c", true);
	cons.code = "CC";
	cons.name = "x";
	cons.kind = "county_community";
	cons.lead_institution_id = 2;
	cons.member_ids = members;
	cons.n_members = 1;
	assert_int_equal(yl_consortium_create(&T.ctx, &cons, NULL), YL_OK);
	assert_int_equal(yl_practitioner_add_site(&T.ctx, b, 3, NULL), YL_OK);

	f.limit = 50;
	f.institution_id = 3; /* a by main institution, b by site */
	assert_int_equal(yl_practitioner_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, a);
	assert_int_equal(items[1].id, b);
	assert_int_equal(items[1].n_sites, 1);
	assert_int_equal(items[1].sites[0], 3);
	f.gp_given = true;
	f.gp = true;
	assert_int_equal(yl_practitioner_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, a);
	f.institution_id = 0;
	assert_int_equal(yl_practitioner_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[1].id, c);
	f.gp = false;
	assert_int_equal(yl_practitioner_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, b);
	f.gp_given = false;
	f.limit = 1;
	f.after = a;
	assert_int_equal(yl_practitioner_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_true(more);
	assert_int_equal(items[0].id, b);
	T.actor.role = YL_ROLE_RESIDENT;
	EXPECT_FAIL(yl_practitioner_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN, "");
}

#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(test_category_codes),
		T_(test_department_create),
		T_(test_department_errors),
		T_(test_department_list),
		T_(test_practitioner_create),
		T_(test_practitioner_errors),
		T_(test_sites_need_shared_consortium),
		T_(test_practitioner_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
