/* population.c - key-population tag names and the age rules (65+; 0-6 meaning under 7). */
#include "domain/population.h"

#include <string.h>

#include "base/clock.h"

static const unsigned all[] = {YL_TAG_ELDERLY, YL_TAG_CHILD, YL_TAG_HYPERTENSION,
			       YL_TAG_DIABETES, YL_TAG_PREGNANT, YL_TAG_DISABLED,
			       YL_TAG_LOW_INCOME};

const char *yl_tag_name(unsigned bit)
{
	switch (bit) {
	case YL_TAG_HYPERTENSION: return "hypertension";
	case YL_TAG_DIABETES: return "diabetes";
	case YL_TAG_PREGNANT: return "pregnant";
	case YL_TAG_DISABLED: return "disabled";
	case YL_TAG_LOW_INCOME: return "low_income";
	case YL_TAG_ELDERLY: return "elderly_65";
	case YL_TAG_CHILD: return "child_0_6";
	default: return NULL;
	}
}

unsigned yl_tag_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(yl_tag_name(all[i]), name) == 0)
			return all[i];
	return 0;
}

const unsigned *yl_tag_all(int *n)
{
	*n = (int)(sizeof(all) / sizeof(all[0]));
	return all;
}

unsigned yl_tag_derived(int32_t birth, int32_t on)
{
	int age = yl_age_on(birth, on);
	unsigned t = 0;

	if (age >= 65)
		t |= YL_TAG_ELDERLY;
	if (age >= 0 && age <= 6)
		t |= YL_TAG_CHILD;
	return t;
}
