/* CLI: `yilian sim` as the real binary (YILIAN_BIN): generate a small region, run it twice
 * (the second continues the first), print the policy with an override, compare two policies
 * on a tiny region, and the errors: a bad --set, an unknown knob in a config file (FILE:LINE
 * named), a run on a database that holds no simulation, missing --db. */
#include "yltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ylt_cli.h"

static char DIR_[64];

static int setup(void **state)
{
	ylt_tmpdir(DIR_, "/tmp/yl-simcli-XXXXXX");
	*state = DIR_;
	return 0;
}

/* Runs `yilian ARGS` with stdout in DIR/out and stderr in DIR/err; returns the exit code. */
static int run(const char *args)
{
	const char *bin = ylt_cli_bin();
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s >out 2>err", DIR_, bin, args);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The whole of DIR/name (at most 64 KiB), in a static buffer. */
static const char *slurp(const char *name)
{
	static char buf[65536];
	char path[128];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", DIR_, name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_generate_run_continue(void **state)
{
	(void)state;
	assert_int_equal(run("sim generate --db r.db --residents 2000 --townships 2 --villages 1"
			     " --start 2026-01-05 --seed 3"), 0);
	assert_non_null(strstr(slurp("out"), "2000 residents"));
	assert_int_equal(run("sim run --db r.db --days 5 --quiet --set booking_share=0.9"), 0);
	assert_non_null(strstr(slurp("out"), "simulated 5 days"));
	assert_int_equal(run("sim run --db r.db --days 3 --quiet"), 0);
	assert_non_null(strstr(slurp("out"), "simulated 3 days"));
	assert_int_equal(run("report --db r.db --today 2026-01-12 --from 2026-01 --to 2026-01"), 0);
	assert_non_null(strstr(slurp("out"), "C4"));
}

static void test_policy_print_and_errors(void **state)
{
	(void)state;
	assert_int_equal(run("sim policy --set fd_quota=0.3 --set primary_first=yes"), 0);
	assert_non_null(strstr(slurp("out"), "fd_quota"));
	assert_non_null(strstr(slurp("out"), "0.3 "));
	assert_non_null(strstr(slurp("out"), "primary_first"));
	assert_int_equal(run("sim policy --set fd_quota=2"), 64);
	assert_non_null(strstr(slurp("err"), "fd_quota"));
	ylt_cli_write_file(DIR_, "bad.conf", "# a policy\nfd_quota = 0.3\nfd_qouta = 0.4\n");
	assert_int_equal(run("sim policy --config bad.conf"), 64);
	assert_non_null(strstr(slurp("err"), "bad.conf:3"));
	assert_non_null(strstr(slurp("err"), "fd_quota")); /* the suggestion */
	assert_int_equal(run("init --db plain.db"), 0);
	assert_int_equal(run("sim run --db plain.db --days 1 --quiet"), 66);
	assert_non_null(strstr(slurp("err"), "sim generate"));
	assert_int_equal(run("sim run --days 1"), 64);
	assert_int_equal(run("sim nonsense"), 64);
}

static void test_compare(void **state)
{
	char args[512];

	(void)state;
	ylt_cli_write_file(DIR_, "a.conf", "fd_quota = 0\n");
	ylt_cli_write_file(DIR_, "b.conf", "fd_quota = 0.5\n");
	snprintf(args, sizeof(args), "sim compare a.conf b.conf --dir '%s' --residents 1500"
		 " --townships 2 --villages 1 --days 5", DIR_);
	assert_int_equal(run(args), 0);
	assert_non_null(strstr(slurp("out"), "a.conf"));
	assert_non_null(strstr(slurp("out"), "b.conf"));
	assert_non_null(strstr(slurp("out"), "C4"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_run_continue),
		cmocka_unit_test(test_policy_print_and_errors),
		cmocka_unit_test(test_compare),
	};
	return cmocka_run_group_tests(tests, setup, ylt_tmpdir_teardown);
}
