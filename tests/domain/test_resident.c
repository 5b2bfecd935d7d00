/* Domain: the resident registry's rules, on the pinned clock (2026-03-15). Every failing case
 * also checks that nothing was written. */
#include "yltest.h"

#include <string.h>

#include "domain/population.h"
#include "domain/resident.h"

static struct ylt_db T;

static int setup(void **state)
{
	*state = &T;
	ylt_db_open(&T);
	ylt_seed_registry(&T);
	return 0;
}

/* A resident born on birth (YYYYMMDD) with sequence seq (odd male, even female). */
static struct yl_resident person(char id[19], const char *birth, int seq)
{
	struct yl_resident r = {0};

	ylt_id_number(id, "440106", birth, seq);
	r.id_number = id;
	r.name = "张三";
	r.home_area_code = "440106001";
	return r;
}

/* Creates in its own transaction; commits on success, rolls back otherwise. */
static enum yl_err create(struct yl_resident *in, struct yl_resident *out)
{
	enum yl_err err;

	ylt_begin(&T);
	yl_diag_clear(&T.diag);
	err = yl_resident_create(&T.ctx, in, out);
	if (err)
		ylt_rollback(&T);
	else
		ylt_commit(&T);
	return err;
}

/* Expects create to fail with err on field, writing nothing. */
static void refused(struct yl_resident *in, enum yl_err err, const char *field)
{
	int64_t n = ylt_count(&T, "residents"), a = ylt_count(&T, "audit_log");

	assert_int_equal(create(in, NULL), err);
	assert_int_equal(T.diag.err, err);
	if (field)
		assert_string_equal(T.diag.field, field);
	assert_true(T.diag.message[0]);
	assert_int_equal(ylt_count(&T, "residents"), n);
	assert_int_equal(ylt_count(&T, "audit_log"), a);
}

static void test_create_derives_sex_birth_and_audits(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19800101", 11), out;
	int64_t audits = ylt_count(&T, "audit_log");
	(void)state;

	in.phone = "+8613800000000";
	in.tags = YL_TAG_HYPERTENSION | YL_TAG_DIABETES;
	assert_int_equal(create(&in, &out), YL_OK);
	assert_true(out.id > 0);
	assert_string_equal(out.sex, "male");
	assert_string_equal(out.birth_date, "1980-01-01");
	assert_int_equal(out.age, 46);
	assert_string_equal(out.insurance, "resident");
	assert_int_equal(out.tags, YL_TAG_HYPERTENSION | YL_TAG_DIABETES);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);
	/* sex and birth date given and matching are fine */
	in = person(id, "19800102", 12);
	in.sex = "female";
	in.birth_date = "1980-01-02";
	in.insurance = "employee";
	assert_int_equal(create(&in, &out), YL_OK);
	assert_string_equal(out.insurance, "employee");
}

static void test_bad_id_numbers(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19800103", 11);
	(void)state;

	id[17] = id[17] == '0' ? '1' : '0'; /* wrong check character */
	refused(&in, YL_ERR_BAD_ID_NUMBER, "id_number");
	in.id_number = "44010619800103001";
	refused(&in, YL_ERR_BAD_ID_NUMBER, "id_number");
	in = person(id, "20260316", 11); /* born tomorrow */
	refused(&in, YL_ERR_BAD_ID_NUMBER, "id_number");
	in = person(id, "19800230", 11); /* no such date */
	refused(&in, YL_ERR_BAD_ID_NUMBER, "id_number");
	in.id_number = NULL;
	refused(&in, YL_ERR_MISSING, "id_number");
}

static void test_sex_and_birth_must_match(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19800104", 11);
	(void)state;

	in.sex = "female";
	refused(&in, YL_ERR_INVALID, "sex");
	assert_non_null(strstr(T.diag.message, "id number says male"));
	in.sex = "other";
	refused(&in, YL_ERR_INVALID, "sex");
	in.sex = NULL;
	in.birth_date = "1980-01-05";
	refused(&in, YL_ERR_INVALID, "birth_date");
	assert_non_null(strstr(T.diag.message, "1980-01-04"));
	in.birth_date = "1980/01/04";
	refused(&in, YL_ERR_INVALID, "birth_date");
}

static void test_field_rules(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19800105", 12);
	(void)state;

	in.name = NULL;
	refused(&in, YL_ERR_MISSING, "name");
	in.name = "李四";
	in.phone = "12";
	refused(&in, YL_ERR_INVALID, "phone");
	in.phone = "138-0000-0000";
	refused(&in, YL_ERR_INVALID, "phone");
	in.phone = "123456789012345678901";
	refused(&in, YL_ERR_INVALID, "phone");
	in.phone = NULL;
	in.insurance = "private";
	refused(&in, YL_ERR_INVALID, "insurance");
	in.insurance = NULL;
	in.home_area_code = NULL;
	refused(&in, YL_ERR_MISSING, "home_area_code");
	in.home_area_code = "440106099";
	refused(&in, YL_ERR_NOT_FOUND, "home_area_code");
}

static void test_derived_tags_not_accepted(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19500101", 12);
	(void)state;

	in.tags = YL_TAG_ELDERLY;
	refused(&in, YL_ERR_INVALID, "tags");
	assert_non_null(strstr(T.diag.message, "elderly_65 is derived from age"));
	in.tags = YL_TAG_CHILD | YL_TAG_DIABETES;
	refused(&in, YL_ERR_INVALID, "tags");
	assert_non_null(strstr(T.diag.message, "child_0_6"));
}

static void test_pregnant_only_female(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19950101", 13), out;
	(void)state;

	in.tags = YL_TAG_PREGNANT;
	refused(&in, YL_ERR_INVALID, "tags");
	assert_non_null(strstr(T.diag.message, "female"));
	in = person(id, "19950101", 14);
	in.tags = YL_TAG_PREGNANT;
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.tags, YL_TAG_PREGNANT);
}

static void test_duplicate(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19700101", 21);
	(void)state;

	assert_int_equal(create(&in, NULL), YL_OK);
	in.name = "另一个人";
	refused(&in, YL_ERR_CONFLICT, "id_number");
	/* lower-case x is the same number */
	for (int seq = 1; seq < 1000; seq++) {
		ylt_id_number(id, "440106", "19700102", seq);
		if (id[17] == 'X')
			break;
	}
	assert_int_equal(id[17], 'X');
	assert_int_equal(create(&in, NULL), YL_OK);
	id[17] = 'x';
	refused(&in, YL_ERR_CONFLICT, "id_number");
}

static void test_permissions(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19800106", 31), out;
	struct yl_actor saved = T.actor;
	static const enum yl_role denied[] = {YL_ROLE_RESIDENT, YL_ROLE_INSURER, YL_ROLE_REGULATOR,
					      YL_ROLE_NONE};
	(void)state;

	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		T.actor.role = denied[i];
		T.actor.resident_id = 1;
		refused(&in, YL_ERR_FORBIDDEN, NULL);
	}
	/* a doctor of any institution may register a resident anywhere */
	T.actor.role = YL_ROLE_DOCTOR;
	T.actor.institution_id = 5;
	in.home_area_code = "440106002";
	assert_int_equal(create(&in, &out), YL_OK);
	T.actor.role = YL_ROLE_INSTITUTION_ADMIN;
	T.actor.institution_id = 2;
	in = person(id, "19800106", 33);
	assert_int_equal(create(&in, NULL), YL_OK);
	/* a resident reads only their own record and may not list */
	T.actor.role = YL_ROLE_RESIDENT;
	T.actor.resident_id = out.id;
	ylt_begin(&T);
	assert_int_equal(yl_resident_get(&T.ctx, out.id, &in), YL_OK);
	assert_string_equal(in.birth_date, "1980-01-06");
	assert_int_equal(yl_resident_get(&T.ctx, out.id + 1, &in), YL_ERR_FORBIDDEN);
	{
		struct yl_resident_filter f = {.limit = 10};
		struct yl_resident *items;
		int n;
		bool more;
		assert_int_equal(yl_resident_list(&T.ctx, &f, &items, &n, &more), YL_ERR_FORBIDDEN);
	}
	{
		struct yl_resident_change ch = {.name = "x"};
		assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, NULL), YL_ERR_FORBIDDEN);
		T.actor.role = YL_ROLE_REGULATOR;
		assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, NULL), YL_ERR_FORBIDDEN);
		assert_int_equal(yl_resident_get(&T.ctx, out.id, &in), YL_OK);
	}
	ylt_rollback(&T);
	T.actor = saved;
}

static int list_count(unsigned tag, const char *area)
{
	struct yl_resident_filter f = {.limit = 1000, .tag = tag, .home_area_code = area};
	struct yl_resident *items;
	int n;
	bool more;

	ylt_begin(&T);
	assert_int_equal(yl_resident_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	for (int i = 0; i < n && tag; i++)
		assert_true(items[i].tags & tag);
	ylt_rollback(&T);
	return n;
}

static void test_derived_tags_on_pinned_date(void **state)
{
	char id[19];
	struct yl_resident in, out;
	int elderly = list_count(YL_TAG_ELDERLY, NULL), child = list_count(YL_TAG_CHILD, NULL);
	(void)state;

	in = person(id, "19610315", 41); /* 65 today */
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.age, 65);
	assert_true(out.tags & YL_TAG_ELDERLY);
	in = person(id, "19610316", 41); /* 65 tomorrow */
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.age, 64);
	assert_false(out.tags & YL_TAG_ELDERLY);
	in = person(id, "20190316", 41); /* 6 until tomorrow */
	assert_int_equal(create(&in, &out), YL_OK);
	assert_true(out.tags & YL_TAG_CHILD);
	in = person(id, "20190315", 41); /* 7 today */
	assert_int_equal(create(&in, &out), YL_OK);
	assert_false(out.tags & YL_TAG_CHILD);
	in = person(id, "20260315", 41); /* born today */
	assert_int_equal(create(&in, &out), YL_OK);
	assert_int_equal(out.age, 0);
	assert_true(out.tags & YL_TAG_CHILD);
	/* get and list agree with create */
	ylt_begin(&T);
	assert_int_equal(yl_resident_get(&T.ctx, out.id, &in), YL_OK);
	assert_true(in.tags & YL_TAG_CHILD);
	ylt_rollback(&T);
	assert_int_equal(list_count(YL_TAG_ELDERLY, NULL), elderly + 1);
	assert_int_equal(list_count(YL_TAG_CHILD, NULL), child + 2);
}

static void test_list_filters_and_pages(void **state)
{
	char id[19];
	struct yl_resident in;
	struct yl_resident_filter f = {.limit = 2};
	struct yl_resident *items;
	int n, total = 0, before = list_count(0, "440106002");
	bool more = true;
	(void)state;

	in = person(id, "19900101", 51);
	in.home_area_code = "440106002";
	in.tags = YL_TAG_LOW_INCOME;
	assert_int_equal(create(&in, NULL), YL_OK);
	assert_int_equal(list_count(0, "440106002"), before + 1);
	assert_int_equal(list_count(0, "440106"), list_count(0, NULL));
	assert_int_equal(list_count(0, "4401"), list_count(0, NULL));
	assert_int_equal(list_count(0, "440107"), 0);
	assert_true(list_count(YL_TAG_LOW_INCOME, NULL) >= 1);
	ylt_begin(&T);
	f.id_number = id;
	assert_int_equal(yl_resident_list(&T.ctx, &f, &items, &n, &more), YL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id_number, id);
	f.id_number = NULL;
	more = true;
	while (more) {
		assert_int_equal(yl_resident_list(&T.ctx, &f, &items, &n, &more), YL_OK);
		assert_true(n <= 2);
		for (int i = 0; i < n; i++)
			assert_true(items[i].id > f.after);
		total += n;
		if (n)
			f.after = items[n - 1].id;
	}
	ylt_rollback(&T);
	assert_int_equal(total, ylt_count(&T, "residents"));
}

static void test_update(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19880808", 62), out, got;
	struct yl_resident_change ch = {0};
	int64_t audits;
	(void)state;

	assert_int_equal(create(&in, &out), YL_OK);
	audits = ylt_count(&T, "audit_log");
	ch.phone = "13900000000";
	ch.home_area_code = "440106002";
	ch.insurance = "none";
	ch.set_tags = true;
	ch.tags = YL_TAG_PREGNANT | YL_TAG_DISABLED;
	ylt_begin(&T);
	assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, &got), YL_OK);
	ylt_commit(&T);
	assert_string_equal(got.phone, "13900000000");
	assert_string_equal(got.home_area_code, "440106002");
	assert_string_equal(got.insurance, "none");
	assert_int_equal(got.tags, YL_TAG_PREGNANT | YL_TAG_DISABLED);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 1);
	/* refusals change nothing */
	memset(&ch, 0, sizeof(ch));
	ch.set_tags = true;
	ch.tags = YL_TAG_ELDERLY;
	ylt_begin(&T);
	assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, NULL), YL_ERR_INVALID);
	assert_string_equal(T.diag.field, "tags");
	memset(&ch, 0, sizeof(ch));
	ch.home_area_code = "999999";
	assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, NULL), YL_ERR_NOT_FOUND);
	assert_string_equal(T.diag.field, "home_area_code");
	memset(&ch, 0, sizeof(ch));
	ch.phone = "abc";
	assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, NULL), YL_ERR_INVALID);
	assert_int_equal(yl_resident_update(&T.ctx, 999999, &ch, NULL), YL_ERR_NOT_FOUND);
	ylt_rollback(&T);
	/* a male cannot be tagged pregnant by an update either */
	in = person(id, "19880808", 63);
	assert_int_equal(create(&in, &out), YL_OK);
	memset(&ch, 0, sizeof(ch));
	ch.set_tags = true;
	ch.tags = YL_TAG_PREGNANT;
	ylt_begin(&T);
	assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, NULL), YL_ERR_INVALID);
	memset(&ch, 0, sizeof(ch));
	ch.clear_phone = true;
	ch.name = "新名字";
	assert_int_equal(yl_resident_update(&T.ctx, out.id, &ch, &got), YL_OK);
	assert_null(got.phone);
	assert_string_equal(got.name, "新名字");
	ylt_rollback(&T);
	assert_int_equal(ylt_count(&T, "audit_log"), audits + 2);
}

static void test_batch_writes_no_audit(void **state)
{
	char id[19];
	struct yl_resident in = person(id, "19770707", 71);
	int64_t audits = ylt_count(&T, "audit_log");
	(void)state;

	T.ctx.batch = true;
	assert_int_equal(create(&in, NULL), YL_OK);
	T.ctx.batch = false;
	assert_int_equal(ylt_count(&T, "audit_log"), audits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_derives_sex_birth_and_audits),
		cmocka_unit_test(test_bad_id_numbers),
		cmocka_unit_test(test_sex_and_birth_must_match),
		cmocka_unit_test(test_field_rules),
		cmocka_unit_test(test_derived_tags_not_accepted),
		cmocka_unit_test(test_pregnant_only_female),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_derived_tags_on_pinned_date),
		cmocka_unit_test(test_list_filters_and_pages),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_batch_writes_no_audit),
	};
	return cmocka_run_group_tests(tests, setup, ylt_db_teardown);
}
