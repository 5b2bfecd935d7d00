/* population.h - key-population tags of residents (重点人群).
 *
 * Five tags are stored as bits of residents.tags because only the caller can know them
 * (hypertension, diabetes, pregnant, disabled, low income). Two are derived from the birth
 * date on the day asked and never trusted from input: 65+ (老年人) and child 0-6 (儿童).
 */
#ifndef YL_DOMAIN_POPULATION_H
#define YL_DOMAIN_POPULATION_H

#include <stdbool.h>
#include <stdint.h>

enum yl_tag {
	YL_TAG_HYPERTENSION = 1,
	YL_TAG_DIABETES = 2,
	YL_TAG_PREGNANT = 4,
	YL_TAG_DISABLED = 8,
	YL_TAG_LOW_INCOME = 16,
	YL_TAG_STORED_MASK = 31,
	/* derived from age, never stored */
	YL_TAG_ELDERLY = 32,  /* aged 65 or more */
	YL_TAG_CHILD = 64,    /* aged 0 to 6 */
};

/* Names on the wire: "hypertension", "diabetes", "pregnant", "disabled", "low_income",
 * "elderly_65", "child_0_6". Returns 0 for an unknown name. */
unsigned yl_tag_parse(const char *name);
/* Name of one tag bit; NULL if not exactly one known bit. */
const char *yl_tag_name(unsigned bit);
/* All tags in wire order, for iteration; *n receives the count (7). */
const unsigned *yl_tag_all(int *n);
/* The derived tags for a birth date on date `on` (days since epoch). */
unsigned yl_tag_derived(int32_t birth, int32_t on);

#endif
