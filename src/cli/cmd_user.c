/* cmd_user.c - `yilian user add`: create a user (the first admin, typically) and print a
 * token; `yilian user token`: issue another token for an existing user. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/user.h"

static int run(const char *db, const char *cmd, bool add, struct yl_user *in)
{
	struct yl_cli_session ss;
	struct yl_user out;
	char token[YL_TOKEN_LEN + 1];
	enum yl_err err = yl_cli_session_open(&ss, db, "system:user", true);

	if (!err && add)
		err = yl_user_create(&ss.ctx, in, &out, token);
	else if (!err)
		err = yl_token_issue(&ss.ctx, in->id, token);
	if (!err)
		err = yl_store_commit(ss.store, &ss.diag);
	if (!err) {
		if (add)
			printf("user %" PRId64 " '%s' (%s) created\n", out.id, out.username,
			       out.role);
		printf("token: %s\n", token);
		fprintf(stderr, "keep the token secret: it is shown once and stored only as a hash\n");
	}
	return yl_cli_session_close(&ss, err, cmd);
}

int yl_cmd_user(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required)"},
		{"--username", true, NULL, "user name (add)"},
		{"--role", true, NULL, "admin|institution_admin|doctor|resident|insurer|regulator (add)"},
		{"--institution", true, NULL, "institution id (institution_admin, doctor)"},
		{"--resident", true, NULL, "resident id (resident)"},
		{"--id", true, NULL, "user id (token)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos;
	struct yl_user in = {0};
	const char *db;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 1, &npos, "user",
			  "yilian user add --db FILE --username NAME --role ROLE  creates a user\n"
			  "yilian user token --db FILE --id N                    issues a new token"))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (npos != 1 || !db || (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "token") != 0)) {
		fprintf(stderr, "yilian user: say 'add' or 'token' and give --db FILE (see --help)\n");
		return 64;
	}
	in.username = yl_cli_opt(opts, "--username");
	in.role = yl_cli_opt(opts, "--role");
	if (!yl_cli_int(opts, "--institution", 0, 1, INT64_MAX, &in.institution_id, "user") ||
	    !yl_cli_int(opts, "--resident", 0, 1, INT64_MAX, &in.resident_id, "user") ||
	    !yl_cli_int(opts, "--id", 0, 1, INT64_MAX, &in.id, "user"))
		return 64;
	return run(db, "user", strcmp(pos[0], "add") == 0, &in);
}
