/* user.h - users, roles and bearer tokens.
 *
 * A token is "yl_" + 64 hex characters of randomness (256 bits, libsodium); only its SHA-256
 * is stored, so a stolen database yields no usable token. High-entropy secrets need no slow
 * password hash. Users are bound to an institution (institution_admin, doctor) or a resident
 * (resident) where the role needs it.
 */
#ifndef YL_DOMAIN_USER_H
#define YL_DOMAIN_USER_H

#include "domain/ctx.h"

enum { YL_TOKEN_LEN = 67 }; /* "yl_" + 64 hex, without NUL */

struct yl_user {
	int64_t id;
	const char *username;
	const char *role;
	int64_t institution_id; /* 0 when none */
	int64_t resident_id;    /* 0 when none */
	int64_t created_at;
};

/* Creates a user and a first token (written into token, YL_TOKEN_LEN + 1 bytes). Admins may
 * create any user; an institution_admin only doctors and institution_admins of their own
 * institution. c->actor may be the system actor (role admin) for `yilian user add`. Errors:
 * YL_ERR_INVALID/MISSING, YL_ERR_NOT_FOUND (institution/resident), YL_ERR_CONFLICT (username),
 * YL_ERR_FORBIDDEN. */
enum yl_err yl_user_create(const struct yl_ctx *c, const struct yl_user *in, struct yl_user *out,
			   char token[YL_TOKEN_LEN + 1]);
enum yl_err yl_user_get(const struct yl_ctx *c, int64_t id, struct yl_user *out);

struct yl_user_filter {
	const char *role;
	int64_t institution_id;
	int64_t after;
	int limit;
};
enum yl_err yl_user_list(const struct yl_ctx *c, const struct yl_user_filter *f,
			 struct yl_user **items, int *n, bool *more);

/* Issues a new token for user_id (the user themself or an admin). */
enum yl_err yl_token_issue(const struct yl_ctx *c, int64_t user_id, char token[YL_TOKEN_LEN + 1]);
/* Revokes every token of user_id (the user themself or an admin). */
enum yl_err yl_token_revoke_all(const struct yl_ctx *c, int64_t user_id);

/* Resolves a bearer token into an actor (strings arena-owned in c->arena). Needs only
 * c->store, c->clock, c->arena, c->diag. YL_ERR_UNAUTHORIZED for unknown or revoked tokens. */
enum yl_err yl_token_authenticate(const struct yl_ctx *c, const char *token, struct yl_actor *out);

#endif
