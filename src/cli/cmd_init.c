/* cmd_init.c - `yilian init --db FILE`: create or upgrade; refuse a newer schema. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

int yl_cmd_init(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file to create or upgrade (required)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos;
	struct yl_diag d;
	struct yl_store *s;
	const char *db;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 0, &npos, "init",
			  "Creates the database FILE, or applies pending schema migrations to it.\n"
			  "A database made by a newer yilian is refused and left untouched."))
		return 64;
	db = yl_cli_opt(opts, "--db");
	if (!db) {
		fprintf(stderr, "yilian init: --db FILE is required\n");
		return 64;
	}
	yl_diag_clear(&d);
	if (yl_store_open(db, YL_STORE_CREATE, &s, &d))
		return yl_cli_fail("init", &d);
	printf("%s: schema version %d\n", db, yl_store_schema_version(s));
	yl_store_close(s);
	return 0;
}
