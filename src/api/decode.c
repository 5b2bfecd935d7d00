/* decode.c - the column types that CSV import needs to build JSON objects for the
 * decoders. Every integer, boolean or list field of an importable entity is listed here;
 * anything else is a string. Keep in step with the decoders.
 */
#include "api/decode.h"

#include <string.h>

static const struct {
	const char *entity;
	const char *column;
	enum yl_field_kind kind;
} kinds[] = {
	{"institutions", "beds", YL_FIELD_INT},
	{"institutions", "township_centre_id", YL_FIELD_INT},
	{"consortia", "lead_institution_id", YL_FIELD_INT},
	{"consortia", "member_ids", YL_FIELD_STRING_LIST},
	{"departments", "institution_id", YL_FIELD_INT},
	{"practitioners", "institution_id", YL_FIELD_INT},
	{"practitioners", "department_id", YL_FIELD_INT},
	{"practitioners", "general_practitioner", YL_FIELD_BOOL},
	{"residents", "tags", YL_FIELD_STRING_LIST},
	{"encounters", "resident_id", YL_FIELD_INT},
	{"encounters", "institution_id", YL_FIELD_INT},
	{"encounters", "department_id", YL_FIELD_INT},
	{"encounters", "practitioner_id", YL_FIELD_INT},
	{"encounters", "diagnoses", YL_FIELD_STRING_LIST},
	{"encounters", "cost_drugs", YL_FIELD_INT},
	{"encounters", "cost_consumables", YL_FIELD_INT},
	{"encounters", "cost_exams", YL_FIELD_INT},
	{"encounters", "cost_treatment", YL_FIELD_INT},
	{"encounters", "cost_bed", YL_FIELD_INT},
	{"encounters", "cost_other", YL_FIELD_INT},
	{"encounters", "fund_paid", YL_FIELD_INT},
	{"encounters", "out_of_pocket", YL_FIELD_INT},
	{"encounters", "booking_id", YL_FIELD_INT},
	{"encounters", "referral_id", YL_FIELD_INT},
	{"teams", "institution_id", YL_FIELD_INT},
	{"teams", "leader_id", YL_FIELD_INT},
	{"teams", "capacity", YL_FIELD_INT},
	{"teams", "member_ids", YL_FIELD_STRING_LIST},
};

enum yl_field_kind yl_decode_field_kind(const char *entity, const char *column)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].entity, entity) == 0 && strcmp(kinds[i].column, column) == 0)
			return kinds[i].kind;
	return YL_FIELD_STRING;
}
