/* codes.c - national code validation. The province list is GB/T 2260's first two digits
 * (mainland 11-65 plus 71 Taiwan, 81 Hong Kong, 82 Macao); Hong Kong/Macao/Taiwan residents'
 * mainland-issued numbers use 81/82/83.
 */
#include "base/codes.h"

#include <string.h>

#include "base/clock.h"

static const char *const provinces[] = {
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
	"37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
	"63", "64", "65", "71", "81", "82", "83",
};

static bool province_ok(const char *s)
{
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (s[0] == provinces[i][0] && s[1] == provinces[i][1])
			return true;
	return false;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

char yl_id_number_check_char(const char *first17)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weights[i];
	return map[sum % 11];
}

enum yl_err yl_id_number_parse(const char *s, int32_t today, const char *field,
			       struct yl_id_number *out, struct yl_diag *d)
{
	char date[11];
	char check;
	int32_t birth;

	if (!s || strlen(s) != 18)
		return yl_diag_set(d, YL_ERR_BAD_ID_NUMBER, field, "resident id must have 18 characters");
	if (!all_digits(s, 17) || !(all_digits(s + 17, 1) || s[17] == 'X' || s[17] == 'x'))
		return yl_diag_set(d, YL_ERR_BAD_ID_NUMBER, field,
				   "resident id must be 17 digits and a digit or X");
	if (!province_ok(s))
		return yl_diag_set(d, YL_ERR_BAD_ID_NUMBER, field,
				   "resident id has no valid province code '%.2s'", s);
	memcpy(date, s + 6, 4);
	date[4] = '-';
	memcpy(date + 5, s + 10, 2);
	date[7] = '-';
	memcpy(date + 8, s + 12, 2);
	date[10] = '\0';
	if (!yl_date_parse(date, &birth) || birth > today)
		return yl_diag_set(d, YL_ERR_BAD_ID_NUMBER, field,
				   "resident id has no valid birth date '%s'", date);
	check = yl_id_number_check_char(s);
	if ((s[17] == 'x' ? 'X' : s[17]) != check)
		return yl_diag_set(d, YL_ERR_BAD_ID_NUMBER, field,
				   "resident id checksum fails (check character should be %c)", check);
	if (out) {
		memcpy(out->number, s, 18);
		out->number[17] = check;
		out->number[18] = '\0';
		memcpy(out->area, s, 6);
		out->area[6] = '\0';
		out->birth = birth;
		out->sex = (s[16] - '0') % 2 ? YL_SEX_MALE : YL_SEX_FEMALE;
	}
	return YL_OK;
}

bool yl_area_code_check(const char *code, enum yl_area_level *level)
{
	size_t n = code ? strlen(code) : 0;
	enum yl_area_level l;

	if ((n != 6 && n != 9) || !all_digits(code, n) || !province_ok(code))
		return false;
	if (n == 9) {
		if (memcmp(code + 6, "000", 3) == 0 || memcmp(code + 4, "00", 2) == 0)
			return false;
		l = YL_AREA_TOWNSHIP;
	} else if (memcmp(code + 2, "0000", 4) == 0) {
		l = YL_AREA_PROVINCE;
	} else if (memcmp(code + 4, "00", 2) == 0) {
		l = YL_AREA_CITY;
	} else {
		l = YL_AREA_COUNTY;
	}
	if (level)
		*level = l;
	return true;
}

bool yl_area_code_parent(const char *code, char out[10])
{
	enum yl_area_level l;

	if (!yl_area_code_check(code, &l) || l == YL_AREA_PROVINCE)
		return false;
	memcpy(out, code, 6);
	out[6] = '\0';
	if (l == YL_AREA_CITY)
		memcpy(out + 2, "0000", 4);
	else if (l == YL_AREA_COUNTY)
		memcpy(out + 4, "00", 2);
	return true;
}

const char *yl_area_level_name(enum yl_area_level l)
{
	switch (l) {
	case YL_AREA_PROVINCE: return "province";
	case YL_AREA_CITY: return "city";
	case YL_AREA_COUNTY: return "county";
	case YL_AREA_TOWNSHIP: return "township";
	}
	return "unknown";
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_upper(c) || is_digit(c) || (c >= 'a' && c <= 'z'); }

bool yl_icd10_check(const char *code)
{
	size_t n;

	if (!code)
		return false;
	n = strlen(code);
	if (n < 3 || !is_upper(code[0]) || !is_digit(code[1]) ||
	    !(is_digit(code[2]) || is_upper(code[2])))
		return false;
	if (n == 3)
		return true;
	if (code[3] != '.' || n < 5 || n > 10)
		return false;
	for (size_t i = 4; i < n; i++)
		if (!is_alnum(code[i]))
			return false;
	return true;
}
