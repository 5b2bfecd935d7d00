/* Resident id (GB 11643), area code (GB/T 2260) and ICD-10 format checks. */
#include "yltest.h"

#include <string.h>

#include "base/codes.h"

static int32_t today(void)
{
	int32_t d;
	yl_date_parse("2026-03-15", &d);
	return d;
}

static void test_known_valid_ids(void **state)
{
	struct yl_id_number id;
	struct yl_diag d;
	(void)state;
	/* The GB 11643-1999 worked example: 11010519491231002X. */
	assert_int_equal(yl_id_number_parse("11010519491231002X", today(), "id_number", &id, &d), YL_OK);
	assert_int_equal(id.sex, YL_SEX_FEMALE);
	assert_int_equal(id.birth, yl_days_from_civil(1949, 12, 31));
	assert_string_equal(id.area, "110105");
	/* lower-case x is accepted and normalised */
	assert_int_equal(yl_id_number_parse("11010519491231002x", today(), "f", &id, &d), YL_OK);
	assert_string_equal(id.number, "11010519491231002X");
	/* another example with a digit check: 440524188001010014 */
	assert_int_equal(yl_id_number_parse("440524188001010014", today(), "f", &id, &d), YL_ERR_BAD_ID_NUMBER);
	assert_int_equal(yl_id_number_parse("440524190001010014", today(), "f", &id, &d),
			 yl_id_number_check_char("44052419000101001") == '4' ? YL_OK : YL_ERR_BAD_ID_NUMBER);
}

static void test_bad_ids(void **state)
{
	struct yl_diag d;
	(void)state;
	assert_int_equal(yl_id_number_parse("110105194912310021", today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	assert_non_null(strstr(d.message, "checksum"));
	assert_string_equal(d.field, "f");
	assert_int_equal(yl_id_number_parse("1101051949123100", today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	assert_int_equal(yl_id_number_parse("", today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	assert_int_equal(yl_id_number_parse(NULL, today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	assert_int_equal(yl_id_number_parse("1101051949123100A2", today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	/* province 99 does not exist */
	char s[19];
	ylt_id_number(s, "990105", "19491231", 2);
	assert_int_equal(yl_id_number_parse(s, today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	/* Feb 30 and a birth date in the future */
	ylt_id_number(s, "110105", "19490230", 2);
	assert_int_equal(yl_id_number_parse(s, today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	ylt_id_number(s, "110105", "20260316", 2);
	assert_int_equal(yl_id_number_parse(s, today(), "f", NULL, &d), YL_ERR_BAD_ID_NUMBER);
	ylt_id_number(s, "110105", "20260315", 2);
	assert_int_equal(yl_id_number_parse(s, today(), "f", NULL, &d), YL_OK);
}

static void test_every_single_digit_change_is_caught(void **state)
{
	char s[19];
	struct yl_diag d;
	int caught = 0, total = 0;
	(void)state;
	/* MOD 11-2 detects every single-character substitution. */
	for (int pos = 0; pos < 18; pos++) {
		for (char c = '0'; c <= '9'; c++) {
			memcpy(s, "11010519491231002X", 19);
			if (s[pos] == c)
				continue;
			s[pos] = c;
			total++;
			if (yl_id_number_parse(s, today(), "f", NULL, &d) != YL_OK)
				caught++;
		}
	}
	assert_int_equal(caught, total);
}

static void test_area_codes(void **state)
{
	enum yl_area_level l;
	char parent[10];
	(void)state;
	assert_true(yl_area_code_check("440000", &l));
	assert_int_equal(l, YL_AREA_PROVINCE);
	assert_true(yl_area_code_check("440100", &l));
	assert_int_equal(l, YL_AREA_CITY);
	assert_true(yl_area_code_check("440106", &l));
	assert_int_equal(l, YL_AREA_COUNTY);
	assert_true(yl_area_code_check("440106001", &l));
	assert_int_equal(l, YL_AREA_TOWNSHIP);
	assert_false(yl_area_code_check("990000", &l));
	assert_false(yl_area_code_check("44010", &l));
	assert_false(yl_area_code_check("44a106", &l));
	assert_false(yl_area_code_check("440106000", &l));
	assert_true(yl_area_code_parent("440106001", parent));
	assert_string_equal(parent, "440106");
	assert_true(yl_area_code_parent("440106", parent));
	assert_string_equal(parent, "440100");
	assert_true(yl_area_code_parent("440100", parent));
	assert_string_equal(parent, "440000");
	assert_false(yl_area_code_parent("440000", parent));
}

static void test_icd10(void **state)
{
	(void)state;
	assert_true(yl_icd10_check("I10"));
	assert_true(yl_icd10_check("E11.9"));
	assert_true(yl_icd10_check("E11.900"));
	assert_true(yl_icd10_check("J18.901"));
	assert_false(yl_icd10_check("i10"));
	assert_false(yl_icd10_check("I1"));
	assert_false(yl_icd10_check("I10."));
	assert_false(yl_icd10_check("I10-1"));
	assert_false(yl_icd10_check("110"));
	assert_false(yl_icd10_check(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_valid_ids),
		cmocka_unit_test(test_bad_ids),
		cmocka_unit_test(test_every_single_digit_change_is_caught),
		cmocka_unit_test(test_area_codes),
		cmocka_unit_test(test_icd10),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
