/* ylt_cli.c - running the yilian binary from tests (see ylt_cli.h). */
#include "ylt_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ylt_booking.h"

enum { SNAP_MAX = 16 };

const char *ylt_cli_bin(void)
{
	const char *b = getenv("YILIAN_BIN");

	if (!b)
		fail_msg("YILIAN_BIN is not set");
	return b;
}

int ylt_cli_run(char *out, size_t cap, const char *args)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int len, st;

	len = snprintf(cmd, sizeof(cmd), "'%s' %s 2>&1", ylt_cli_bin(), args);
	if (len < 0 || (size_t)len >= sizeof(cmd))
		fail_msg("command line too long: %s", args);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int ylt_cli_runf(char *out, size_t cap, const char *fmt, ...)
{
	char args[768];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(args))
		fail_msg("arguments too long: %s", fmt);
	return ylt_cli_run(out, cap, args);
}

void ylt_cli_must_run(char *out, size_t cap, const char *args)
{
	int rc = ylt_cli_run(out, cap, args);

	if (rc != 0)
		fail_msg("%s: exit %d, output: %s", args, rc, out);
}

void ylt_cli_expect_refused(struct ylt_db *t, const char *const *snap, int code,
			    const char *needle, const char *args)
{
	int64_t before[SNAP_MAX];
	char out[4096];
	int n, rc;

	for (n = 0; snap[n]; n++) {
		assert_true(n < SNAP_MAX);
		before[n] = yltb_scalar(t, "%s", snap[n]);
	}
	rc = ylt_cli_run(out, sizeof(out), args);
	if (rc != code || !strstr(out, needle))
		fail_msg("%s: exit %d (want %d, '%s'), output: %s", args, rc, code, needle, out);
	for (int i = 0; i < n; i++)
		if (yltb_scalar(t, "%s", snap[i]) != before[i])
			fail_msg("%s: refused but the database changed", args);
}

int64_t ylt_cli_printed_id(const char *out, const char *what)
{
	char pat[32];
	const char *p;
	long long id;

	snprintf(pat, sizeof(pat), "%s ", what);
	p = strstr(out, pat);
	if (!p || sscanf(p + strlen(pat), "%lld:", &id) != 1)
		fail_msg("no '%s N:' in: %s", what, out);
	return id;
}

void ylt_cli_write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

void ylt_cli_slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}
