/* names.h - plausible Chinese personal and place names for generated data. */
#ifndef YL_SIM_NAMES_H
#define YL_SIM_NAMES_H

#include <stddef.h>

#include "sim/rng.h"

/* Writes a person's name (surname + one or two given characters, UTF-8) into out. */
void yl_name_person(struct yl_rng *r, int female, char *out, size_t cap);
/* The i-th township name stem ("东皇", ...) for i in [0, 40); wraps beyond. */
const char *yl_name_township(int i);
/* The i-th village name stem; wraps beyond the list. */
const char *yl_name_village(int i);

#endif
