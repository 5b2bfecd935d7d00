/* referral_int.h - what referral.c (requests and reads) shares with referral_flow.c
 * (transitions and the care plan). Not for other modules: they go through referral.h.
 */
#ifndef YL_DOMAIN_REFERRAL_INT_H
#define YL_DOMAIN_REFERRAL_INT_H
#include "domain/referral.h"

/* Loads referral id with its derived status, without a permission check; with_detail also
 * loads history, care plan and encounter ids. YL_ERR_NOT_FOUND (field id). Arena-owned. */
enum yl_err yl_referral_load(const struct yl_ctx *c, int64_t id, bool with_detail,
			     struct yl_referral *out);
/* Settles the resident's referrals: each stored 'requested' row past expires_at becomes
 * 'expired', with a history row dated expires_at by the system. Called by every successful
 * write after its checks and before its own writes. */
enum yl_err yl_referral_settle(const struct yl_ctx *c, int64_t resident_id);
/* Appends a history row for referral id (from may be NULL) by the acting user. */
enum yl_err yl_referral_event_add(const struct yl_ctx *c, int64_t id, const char *from,
				  const char *to, const char *reason);
/* The institution of the team of the resident's contract in force today, or 0. */
enum yl_err yl_referral_fd_institution(const struct yl_ctx *c, int64_t resident_id,
				       int64_t *inst);

#endif
