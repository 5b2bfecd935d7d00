/* practitioner.h - doctors, nurses and other health workers, their main institution and
 * the further sites where they practise (多点执业 / 医联体内流动执业).
 *
 * A practitioner has one main institution and optionally a department of it. Further practice
 * sites are allowed only at institutions that currently share a consortium with the main one,
 * the rule of free movement inside a 医联体. Practitioners are managed by an admin or the
 * main institution's institution_admin; they are never deleted.
 */
#ifndef YL_DOMAIN_PRACTITIONER_H
#define YL_DOMAIN_PRACTITIONER_H

#include "domain/ctx.h"

struct yl_practitioner {
	int64_t id;
	const char *name;
	const char *title; /* chief_physician | associate_chief_physician | attending_physician |
			      resident_physician | assistant_physician | village_doctor | nurse |
			      pharmacist | technician | other */
	bool general_practitioner; /* 全科医生 */
	const char *licence_no;    /* 执业证书编码, unique; NULL when none */
	int64_t institution_id;    /* main institution */
	int64_t department_id;     /* 0 when none; a department of the main institution */
	int64_t created_at;
	const int64_t *sites;      /* further practice sites in id order (output only); arena */
	int n_sites;
};

/* Whether title is one of the practitioner titles. */
bool yl_practitioner_title_ok(const char *title);

/* Creates a practitioner (admin, or institution_admin of in->institution_id). Errors:
 * YL_ERR_MISSING/INVALID (field named; department of another institution), YL_ERR_NOT_FOUND
 * (institution, department), YL_ERR_CONFLICT (licence_no taken), YL_ERR_FORBIDDEN. Nothing is
 * written on failure. *out (may be NULL) is arena-owned. */
enum yl_err yl_practitioner_create(const struct yl_ctx *c, const struct yl_practitioner *in,
				   struct yl_practitioner *out);
/* Loads a practitioner with its sites; YL_ERR_NOT_FOUND when absent. out may be NULL.
 * No permission check (other domain rules use it). */
enum yl_err yl_practitioner_get(const struct yl_ctx *c, int64_t id, struct yl_practitioner *out);

/* Adds a practice site at institution_id (admin, or institution_admin of the main
 * institution). Errors: YL_ERR_NOT_FOUND (practitioner, institution), YL_ERR_INVALID (the
 * main institution itself), YL_ERR_CONFLICT (already a site), YL_ERR_NOT_MEMBER (no current
 * consortium shared with the main institution), YL_ERR_FORBIDDEN. *out (may be NULL) is the
 * practitioner afterwards, arena-owned. */
enum yl_err yl_practitioner_add_site(const struct yl_ctx *c, int64_t practitioner_id,
				     int64_t institution_id, struct yl_practitioner *out);

struct yl_practitioner_filter {
	int64_t institution_id; /* 0: any; else main institution or a practice site */
	bool gp_given;          /* filter on general_practitioner */
	bool gp;
	int64_t after;          /* cursor: ids greater than this */
	int limit;              /* 1..1000 */
};

/* Lists practitioners with their sites in id order (any role but resident); *items is an
 * arena array of *n entries; *more says whether a further page exists. */
enum yl_err yl_practitioner_list(const struct yl_ctx *c, const struct yl_practitioner_filter *f,
				 struct yl_practitioner **items, int *n, bool *more);

#endif
