/* user.c - users and tokens. Token secrets never touch the database or the audit log; only
 * their SHA-256 hex digest is stored and compared (via the UNIQUE index lookup).
 */
#include "domain/user.h"

#include <sodium.h>
#include <string.h>

#include "domain/institution.h"

static void hash_hex(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static enum yl_err insert_token(const struct yl_ctx *c, int64_t user_id,
				char token[YL_TOKEN_LEN + 1])
{
	unsigned char secret[32];
	char hash[65];
	struct yl_stmt *st;
	enum yl_err err;

	if (sodium_init() < 0)
		return yl_diag_set(c->diag, YL_ERR_INTERNAL, NULL, "libsodium failed to initialise");
	randombytes_buf(secret, sizeof(secret));
	memcpy(token, "yl_", 3);
	sodium_bin2hex(token + 3, 65, secret, sizeof(secret));
	sodium_memzero(secret, sizeof(secret));
	hash_hex(token, hash);
	err = yl_store_prepare(c->store, "INSERT INTO tokens(user_id, token_hash, created_at)"
					 " VALUES (?, ?, ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, user_id);
	yl_stmt_bind_text(st, 2, hash);
	yl_stmt_bind_int(st, 3, yl_clock_now(c->clock));
	return yl_stmt_run(st, c->diag);
}

static bool username_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-' || *s == '.'))
			return false;
	return true;
}

enum yl_err yl_user_create(const struct yl_ctx *c, const struct yl_user *in, struct yl_user *out,
			   char token[YL_TOKEN_LEN + 1])
{
	enum yl_role role = yl_role_parse(in->role);
	struct yl_stmt *st;
	enum yl_err err;
	bool row;
	int64_t id, now = yl_clock_now(c->clock);

	if (!in->username)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "username", "username is required");
	if (!username_ok(in->username))
		return yl_diag_set(c->diag, YL_ERR_INVALID, "username",
				   "username must be 1-64 of a-z 0-9 _ - .");
	if (role == YL_ROLE_NONE)
		return yl_diag_set(c->diag, in->role ? YL_ERR_INVALID : YL_ERR_MISSING, "role",
				   "role must be admin, institution_admin, doctor, resident, insurer"
				   " or regulator");
	if (role == YL_ROLE_INSTITUTION_ADMIN || role == YL_ROLE_DOCTOR) {
		if (!in->institution_id)
			return yl_diag_set(c->diag, YL_ERR_MISSING, "institution_id",
					   "role %s needs an institution_id", in->role);
		err = yl_require_institution_admin(c, in->institution_id);
		if (err)
			return err;
		err = yl_institution_get(c, in->institution_id, NULL);
		if (err)
			return yl_diag_set(c->diag, err, "institution_id", "institution %lld does not exist",
					   (long long)in->institution_id);
	} else {
		err = yl_require_admin(c);
		if (err)
			return err;
		if (in->institution_id)
			return yl_diag_set(c->diag, YL_ERR_INVALID, "institution_id",
					   "role %s is not bound to an institution", in->role);
	}
	if (role == YL_ROLE_RESIDENT && !in->resident_id)
		return yl_diag_set(c->diag, YL_ERR_MISSING, "resident_id", "role resident needs a resident_id");
	if (role != YL_ROLE_RESIDENT && in->resident_id)
		return yl_diag_set(c->diag, YL_ERR_INVALID, "resident_id",
				   "only role resident is bound to a resident");
	if (role == YL_ROLE_RESIDENT) {
		err = yl_store_prepare(c->store, "SELECT count(*) FROM users WHERE resident_id = ?", &st,
				       c->diag);
		if (err)
			return err;
		yl_stmt_bind_int(st, 1, in->resident_id);
		err = yl_stmt_step(st, &row, c->diag);
		if (!err && row && yl_stmt_int(st, 0) > 0)
			err = yl_diag_set(c->diag, YL_ERR_CONFLICT, "resident_id",
					  "resident %lld already has an account", (long long)in->resident_id);
		yl_stmt_reset(st);
		if (err)
			return err;
	}
	err = yl_store_prepare(c->store, "INSERT INTO users(username, role, institution_id, resident_id,"
					 " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, in->username);
	yl_stmt_bind_text(st, 2, yl_role_name(role));
	yl_stmt_bind_id(st, 3, in->institution_id);
	yl_stmt_bind_id(st, 4, in->resident_id);
	yl_stmt_bind_int(st, 5, now);
	err = yl_stmt_step(st, &row, c->diag);
	if (err == YL_ERR_CONFLICT)
		return yl_diag_set(c->diag, err, "username", "username '%s' is taken", in->username);
	if (err == YL_ERR_NOT_FOUND)
		return yl_diag_set(c->diag, err, "resident_id", "resident %lld does not exist",
				   (long long)in->resident_id);
	if (err)
		return err;
	id = yl_stmt_int(st, 0);
	yl_stmt_reset(st);
	err = insert_token(c, id, token);
	if (!err)
		err = yl_audit(c, "create", "user", in->username, yl_role_name(role));
	if (!err && out) {
		*out = *in;
		out->id = id;
		out->role = yl_role_name(role);
		out->created_at = now;
	}
	return err;
}

#define USER_COLS "id, username, role, institution_id, resident_id, created_at"

static void read_row(const struct yl_ctx *c, struct yl_stmt *st, void *item)
{
	struct yl_user *u = item;

	u->id = yl_stmt_int(st, 0);
	u->username = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
	u->role = yl_arena_strdup(c->arena, yl_stmt_text(st, 2));
	u->institution_id = yl_stmt_int(st, 3);
	u->resident_id = yl_stmt_int(st, 4);
	u->created_at = yl_stmt_int(st, 5);
}

static enum yl_err may_see_user(const struct yl_ctx *c, const struct yl_user *u)
{
	const struct yl_actor *a = c->actor;

	if (a->role == YL_ROLE_ADMIN || a->user_id == u->id)
		return YL_OK;
	if (a->role == YL_ROLE_INSTITUTION_ADMIN && u->institution_id == a->institution_id)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "role %s may not see user %lld",
			   yl_role_name(a->role), (long long)u->id);
}

enum yl_err yl_user_get(const struct yl_ctx *c, int64_t id, struct yl_user *out)
{
	struct yl_stmt *st;
	struct yl_user u;
	enum yl_err err;

	err = yl_store_prepare(c->store, "SELECT " USER_COLS " FROM users WHERE id = ?", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, id);
	err = yl_row_one(c, st, read_row, &u, "id", "no user with id %lld", (long long)id);
	if (!err)
		err = may_see_user(c, &u);
	if (!err && out)
		*out = u;
	return err;
}

enum yl_err yl_user_list(const struct yl_ctx *c, const struct yl_user_filter *f,
			 struct yl_user **items, int *n, bool *more)
{
	struct yl_stmt *st;
	enum yl_err err;
	int64_t inst = f->institution_id;
	const struct yl_actor *a = c->actor;

	if (a->role == YL_ROLE_INSTITUTION_ADMIN)
		inst = a->institution_id;
	else if (a->role != YL_ROLE_ADMIN)
		return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL, "role %s may not list users",
				   yl_role_name(a->role));
	err = yl_store_prepare(c->store, "SELECT " USER_COLS " FROM users WHERE (? IS NULL OR role = ?)"
					 " AND (? = 0 OR institution_id = ?) AND id > ? ORDER BY id LIMIT ?",
			       &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, f->role);
	yl_stmt_bind_text(st, 2, f->role);
	yl_stmt_bind_int(st, 3, inst);
	yl_stmt_bind_int(st, 4, inst);
	yl_stmt_bind_int(st, 5, f->after);
	yl_stmt_bind_int(st, 6, f->limit + 1);
	err = yl_rows_page(c, st, read_row, sizeof(**items), f->limit, items, n, more);
	return err;
}

/* Admins manage anyone's tokens, users their own, institution admins those of their staff. */
static enum yl_err may_manage_tokens(const struct yl_ctx *c, int64_t user_id)
{
	struct yl_user u;
	enum yl_err err = yl_user_get(c, user_id, &u);

	if (err)
		return err;
	if (c->actor->role == YL_ROLE_ADMIN || c->actor->user_id == user_id)
		return YL_OK;
	if (c->actor->role == YL_ROLE_INSTITUTION_ADMIN && u.institution_id == c->actor->institution_id)
		return YL_OK;
	return yl_diag_set(c->diag, YL_ERR_FORBIDDEN, NULL,
			   "only the user, their institution admin or an admin may do this");
}

enum yl_err yl_token_issue(const struct yl_ctx *c, int64_t user_id, char token[YL_TOKEN_LEN + 1])
{
	enum yl_err err = may_manage_tokens(c, user_id);

	if (!err)
		err = insert_token(c, user_id, token);
	if (!err)
		err = yl_audit_id(c, "issue_token", "user", user_id);
	return err;
}

enum yl_err yl_token_revoke_all(const struct yl_ctx *c, int64_t user_id)
{
	struct yl_stmt *st;
	enum yl_err err = may_manage_tokens(c, user_id);

	if (!err)
		err = yl_store_prepare(c->store, "UPDATE tokens SET revoked_at = ? WHERE user_id = ?"
						 " AND revoked_at IS NULL", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_int(st, 1, yl_clock_now(c->clock));
	yl_stmt_bind_int(st, 2, user_id);
	err = yl_stmt_run(st, c->diag);
	if (!err)
		err = yl_audit_id(c, "revoke_tokens", "user", user_id);
	return err;
}

enum yl_err yl_token_authenticate(const struct yl_ctx *c, const char *token, struct yl_actor *out)
{
	char hash[65];
	struct yl_stmt *st;
	enum yl_err err;
	bool row;

	if (!token || strlen(token) != YL_TOKEN_LEN || strncmp(token, "yl_", 3) != 0)
		return yl_diag_set(c->diag, YL_ERR_UNAUTHORIZED, NULL, "bearer token is malformed");
	hash_hex(token, hash);
	err = yl_store_prepare(c->store, "SELECT u.id, u.username, u.role, u.institution_id,"
					 " u.resident_id FROM tokens t JOIN users u ON u.id = t.user_id"
					 " WHERE t.token_hash = ? AND t.revoked_at IS NULL"
					 " AND (t.expires_at IS NULL OR t.expires_at > ?)", &st, c->diag);
	if (err)
		return err;
	yl_stmt_bind_text(st, 1, hash);
	yl_stmt_bind_int(st, 2, yl_clock_now(c->clock));
	err = yl_stmt_step(st, &row, c->diag);
	if (!err && !row)
		err = yl_diag_set(c->diag, YL_ERR_UNAUTHORIZED, NULL, "bearer token is unknown or revoked");
	if (!err) {
		out->user_id = yl_stmt_int(st, 0);
		out->name = yl_arena_strdup(c->arena, yl_stmt_text(st, 1));
		out->role = yl_role_parse(yl_stmt_text(st, 2));
		out->institution_id = yl_stmt_int(st, 3);
		out->resident_id = yl_stmt_int(st, 4);
	}
	yl_stmt_reset(st);
	return err;
}
