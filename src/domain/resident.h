/* resident.h - the resident registry (居民): one row per person, keyed by the GB 11643 identity
 * number, from which sex and birth date are derived (never trusted from input).
 *
 * Key-population tags: the five stored ones (hypertension, diabetes, pregnant, disabled,
 * low income) are given by staff; elderly_65 and child_0_6 are computed from the birth date
 * on the clock's date each time a resident is read, and refused on input. Residents register
 * anywhere: any staff role (admin, institution_admin, doctor) may create and edit them; a
 * user with role resident may read only their own record. Residents are never deleted.
 */
#ifndef YL_DOMAIN_RESIDENT_H
#define YL_DOMAIN_RESIDENT_H

#include "domain/ctx.h"

struct yl_resident {
	int64_t id;
	const char *id_number;      /* 18 characters, upper-case X */
	const char *name;
	const char *sex;            /* "male" | "female"; on create NULL or must match id_number */
	const char *birth_date;     /* "YYYY-MM-DD"; on create NULL or must match id_number */
	const char *phone;          /* NULL when none */
	const char *home_area_code; /* an existing area */
	const char *insurance;      /* employee | resident | none; NULL on create means resident */
	unsigned tags;              /* input: stored bits only; output: stored | derived */
	int age;                    /* output only: whole years on the clock's date */
	int64_t created_at;
};

/* Insurance schemes accepted: employee (职工医保), resident (城乡居民医保), none. */
bool yl_resident_insurance_ok(const char *insurance);

/* Registers a resident (admin, institution_admin or doctor; FORBIDDEN otherwise). Errors, each
 * naming its field: YL_ERR_MISSING (id_number, name, home_area_code), YL_ERR_BAD_ID_NUMBER
 * (format, checksum or birth date of id_number, checked against the clock's date),
 * YL_ERR_INVALID (sex or birth_date contradicting the id number, phone, insurance, a derived
 * or unknown tag in tags, pregnant for a male), YL_ERR_NOT_FOUND (home_area_code unknown),
 * YL_ERR_CONFLICT (id_number already registered). Writes an audit row unless c->batch.
 * *out (may be NULL) is filled arena-owned, with derived tags and age. */
enum yl_err yl_resident_create(const struct yl_ctx *c, const struct yl_resident *in,
			       struct yl_resident *out);

/* Loads resident id into *out (arena-owned; tags include the derived ones). Staff readers may
 * read any resident; role resident only their own (FORBIDDEN otherwise). YL_ERR_NOT_FOUND
 * when absent. */
enum yl_err yl_resident_get(const struct yl_ctx *c, int64_t id, struct yl_resident *out);

/* A partial update: NULL / false leaves a field as it is. */
struct yl_resident_change {
	const char *name;
	const char *phone;          /* new phone, unless clear_phone */
	bool clear_phone;           /* set phone to none */
	const char *home_area_code;
	const char *insurance;
	bool set_tags;              /* replace the stored tags with `tags` */
	unsigned tags;
};

/* Applies ch to resident id (staff roles only, as create) with the same rules as create, and
 * writes an audit row unless c->batch. *out (may be NULL) receives the updated resident,
 * arena-owned. Errors as create, plus YL_ERR_NOT_FOUND for an unknown id. */
enum yl_err yl_resident_update(const struct yl_ctx *c, int64_t id,
			       const struct yl_resident_change *ch, struct yl_resident *out);

struct yl_resident_filter {
	const char *home_area_code; /* NULL: any; else the area and everything under it */
	const char *id_number;      /* NULL: any */
	unsigned tag;               /* 0: any; else one tag bit, stored or derived */
	int64_t after;              /* cursor: ids greater than this */
	int limit;                  /* 1..1000 */
};

/* Lists residents in id order (staff readers only; FORBIDDEN for role resident). *items is
 * an arena array of *n entries; *more says whether another page follows. Derived tags are
 * evaluated on the clock's date. */
enum yl_err yl_resident_list(const struct yl_ctx *c, const struct yl_resident_filter *f,
			     struct yl_resident **items, int *n, bool *more);

#endif
