/* cli.c - option parsing and error printing shared by the subcommands. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(const char *cmd, const char *summary, const struct yl_opt *opts)
{
	printf("usage: yilian %s [options]\n\n%s\n\noptions:\n", cmd, summary);
	for (const struct yl_opt *o = opts; o->name; o++)
		printf("  %-22s %s\n", o->has_value ? o->name : o->name, o->help);
	printf("  %-22s %s\n", "--help", "show this help");
}

bool yl_cli_parse(int argc, char **argv, int first, struct yl_opt *opts, const char **positional,
		  int max_pos, int *npos, const char *cmd, const char *summary)
{
	*npos = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		struct yl_opt *o;
		const char *eq;
		size_t len;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(cmd, summary, opts);
			exit(0);
		}
		if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0) {
			if (*npos >= max_pos) {
				fprintf(stderr, "yilian %s: unexpected argument '%s'\n", cmd, a);
				return false;
			}
			positional[(*npos)++] = a;
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o->name; o++)
			if (strlen(o->name) == len && strncmp(o->name, a, len) == 0)
				break;
		if (!o->name) {
			fprintf(stderr, "yilian %s: unknown option '%s' (see yilian %s --help)\n", cmd, a, cmd);
			return false;
		}
		if (!o->has_value) {
			o->value = "1";
		} else if (eq) {
			o->value = eq + 1;
		} else if (i + 1 < argc) {
			o->value = argv[++i];
		} else {
			fprintf(stderr, "yilian %s: option %s needs a value\n", cmd, o->name);
			return false;
		}
	}
	return true;
}

const char *yl_cli_opt(const struct yl_opt *opts, const char *name)
{
	for (const struct yl_opt *o = opts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->value;
	return NULL;
}

bool yl_cli_int(const struct yl_opt *opts, const char *name, int64_t def, int64_t min,
		int64_t max, int64_t *out, const char *cmd)
{
	const char *v = yl_cli_opt(opts, name);
	char *end;
	long long x;

	*out = def;
	if (!v)
		return true;
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max) {
		fprintf(stderr, "yilian %s: %s must be an integer from %lld to %lld, not '%s'\n", cmd,
			name, (long long)min, (long long)max, v);
		return false;
	}
	*out = x;
	return true;
}

int yl_cli_fail(const char *cmd, const struct yl_diag *d)
{
	if (d->field[0])
		fprintf(stderr, "yilian %s: %s (field: %s)\n", cmd, d->message, d->field);
	else
		fprintf(stderr, "yilian %s: %s\n", cmd, d->message[0] ? d->message : yl_err_code(d->err));
	return yl_err_exit_code(d->err);
}

void yl_cli_system_actor(struct yl_actor *a, const char *cmd)
{
	memset(a, 0, sizeof(*a));
	a->role = YL_ROLE_ADMIN;
	a->name = cmd;
}

enum yl_err yl_cli_session_open_store(struct yl_cli_session *s, const char *db, unsigned flags,
				      const char *actor)
{
	enum yl_err err;

	memset(s, 0, sizeof(*s));
	yl_diag_clear(&s->diag);
	yl_arena_init(&s->arena);
	yl_cli_system_actor(&s->actor, actor);
	s->ctx.arena = &s->arena;
	s->ctx.diag = &s->diag;
	s->ctx.actor = &s->actor;
	err = yl_store_open(db, flags, &s->store, &s->diag);
	if (err)
		return err;
	s->ctx.store = s->store;
	return YL_OK;
}

enum yl_err yl_cli_session_open(struct yl_cli_session *s, const char *db, const char *actor,
				bool write)
{
	enum yl_err err = yl_cli_session_open_store(s, db, 0, actor);

	if (err)
		return err;
	return write ? yl_store_begin(s->store, &s->diag) : yl_store_begin_read(s->store, &s->diag);
}

int yl_cli_session_close(struct yl_cli_session *s, enum yl_err err, const char *cmd)
{
	int code = 0;

	if (!err && s->store && yl_store_in_tx(s->store))
		err = yl_store_commit(s->store, &s->diag);
	if (err) {
		if (s->store)
			yl_store_rollback(s->store);
		code = yl_cli_fail(cmd, &s->diag);
	}
	yl_store_close(s->store);
	s->store = NULL;
	yl_arena_release(&s->arena);
	return code;
}
