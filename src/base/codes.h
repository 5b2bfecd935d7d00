/* codes.h - validators for the national codes yilian stores.
 *
 * Resident identity numbers (GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check character),
 * administrative division codes (GB/T 2260 six digits; nine digits for a township, GB/T 10114
 * style), and the ICD-10 code format. Pure functions, thread-safe, no allocation.
 */
#ifndef YL_BASE_CODES_H
#define YL_BASE_CODES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"

enum yl_sex { YL_SEX_UNKNOWN = 0, YL_SEX_MALE = 1, YL_SEX_FEMALE = 2 };

struct yl_id_number {
	char number[19];  /* normalised: upper-case X */
	char area[7];     /* first six digits (area of first registration) */
	int32_t birth;    /* days since epoch */
	enum yl_sex sex;  /* from the 17th digit: odd male, even female */
};

/* Parses and checks an 18-character resident ID (lower-case x accepted). The birth date must
 * be a real date no later than `today` and not before 1900-01-01. Errors:
 * YL_ERR_BAD_ID_NUMBER with a message saying which rule failed; `field` names the field. */
enum yl_err yl_id_number_parse(const char *s, int32_t today, const char *field,
			       struct yl_id_number *out, struct yl_diag *d);
/* The check character ('0'..'9' or 'X') for the first 17 digits of s. */
char yl_id_number_check_char(const char *first17);

enum yl_area_level {
	YL_AREA_PROVINCE = 1,
	YL_AREA_CITY = 2,
	YL_AREA_COUNTY = 3,
	YL_AREA_TOWNSHIP = 4,
};

/* Checks a division code: 6 digits with a real province prefix (GB/T 2260), or 9 digits
 * (township under a county). Returns its level in *level. */
bool yl_area_code_check(const char *code, enum yl_area_level *level);
/* The code of the parent division, written into out (10 bytes); false for a province. */
bool yl_area_code_parent(const char *code, char out[10]);
const char *yl_area_level_name(enum yl_area_level l);

/* Checks the ICD-10 code format: a letter, two digits (the third may be a letter in some
 * national extensions), then optionally '.' and 1-6 alphanumerics ("I10", "E11.900"). */
bool yl_icd10_check(const char *code);

#endif
