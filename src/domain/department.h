/* department.h - clinical departments (科室) of an institution.
 *
 * A department belongs to one institution and its name is unique there. category_code is
 * the national 诊疗科目 code ("03" internal medicine, "03.01" its first subdivision), kept
 * optional because many primary centres record departments without one. Departments are
 * created by an admin or the institution's own institution_admin; they are never deleted.
 */
#ifndef YL_DOMAIN_DEPARTMENT_H
#define YL_DOMAIN_DEPARTMENT_H

#include "domain/ctx.h"

struct yl_department {
	int64_t id;
	int64_t institution_id;
	const char *name;          /* unique per institution */
	const char *category_code; /* "NN" or "NN.NN", NULL when none */
	int64_t created_at;
};

/* Whether code is a 诊疗科目 code: two digits, optionally '.' and two more digits. */
bool yl_department_category_ok(const char *code);

/* Creates a department (admin, or institution_admin of in->institution_id). Errors:
 * YL_ERR_MISSING/INVALID (field named), YL_ERR_NOT_FOUND (institution unknown),
 * YL_ERR_CONFLICT (name taken in that institution), YL_ERR_FORBIDDEN. Nothing is written on
 * failure. *out (may be NULL) is arena-owned. */
enum yl_err yl_department_create(const struct yl_ctx *c, const struct yl_department *in,
				 struct yl_department *out);
/* Loads a department; YL_ERR_NOT_FOUND when absent. out may be NULL. No permission check. */
enum yl_err yl_department_get(const struct yl_ctx *c, int64_t id, struct yl_department *out);

struct yl_department_filter {
	int64_t institution_id; /* 0: any */
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists departments in id order (any role but resident); *items is an arena array of *n
 * entries; *more says whether a further page exists. Errors: YL_ERR_FORBIDDEN. */
enum yl_err yl_department_list(const struct yl_ctx *c, const struct yl_department_filter *f,
			       struct yl_department **items, int *n, bool *more);

#endif
