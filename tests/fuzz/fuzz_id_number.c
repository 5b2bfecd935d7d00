/* Fuzzes the resident-id parser: never crashes, and whatever it accepts re-validates and has
 * a consistent sex and birth date. */
#undef NDEBUG /* the checks below are the point of the target */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "base/clock.h"
#include "base/codes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	struct yl_id_number id;
	struct yl_diag d;
	int32_t today = yl_days_from_civil(2026, 3, 15);

	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	if (yl_id_number_parse(s, today, "id_number", &id, &d) == YL_OK) {
		assert(strlen(id.number) == 18);
		assert(id.birth <= today);
		assert(id.sex == ((id.number[16] - '0') % 2 ? YL_SEX_MALE : YL_SEX_FEMALE));
		assert(yl_id_number_check_char(id.number) == id.number[17]);
		assert(yl_id_number_parse(id.number, today, "id_number", NULL, &d) == YL_OK);
	} else {
		assert(d.err == YL_ERR_BAD_ID_NUMBER);
	}
	{
		enum yl_area_level l;
		char parent[10];
		if (yl_area_code_check(s, &l) && l != YL_AREA_PROVINCE)
			assert(yl_area_code_parent(s, parent));
		(void)yl_icd10_check(s);
	}
	return 0;
}
