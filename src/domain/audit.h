/* audit.h - reading the audit log (who did what, when). Rows are written by yl_audit in
 * ctx.h inside each write's own transaction; this module only reads them.
 */
#ifndef YL_DOMAIN_AUDIT_H
#define YL_DOMAIN_AUDIT_H

#include "domain/ctx.h"

struct yl_audit_entry {
	int64_t id;
	int64_t at;
	int64_t user_id; /* 0 for the system (CLI, importer, demo) */
	const char *actor;
	const char *action;
	const char *entity;
	const char *entity_id; /* NULL when none */
	const char *detail;    /* NULL when none */
};

struct yl_audit_filter {
	const char *entity;    /* NULL: any */
	const char *entity_id; /* NULL: any */
	int64_t user_id;       /* 0: any */
	int64_t since;         /* unix seconds; 0: from the start */
	int64_t after;         /* cursor */
	int limit;
};

/* Lists entries in id order (admin and regulator only). */
enum yl_err yl_audit_list(const struct yl_ctx *c, const struct yl_audit_filter *f,
			  struct yl_audit_entry **items, int *n, bool *more);

#endif
