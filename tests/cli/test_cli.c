/* The real `yilian` binary: init (create, upgrade no-op, refuse newer), user add, serve on an
 * ephemeral port answering /health and stopping cleanly on SIGTERM, and helpful failures. */
#include "yltest.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ylt_cli.h"

static char dir[64];
static char db[128];

static int setup(void **state)
{
	ylt_tmpdir(dir, "/tmp/ylcli.XXXXXX");
	snprintf(db, sizeof(db), "%s/y.db", dir);
	*state = dir;
	return 0;
}

static void test_help(void **state)
{
	char out[4096];
	(void)state;
	assert_int_equal(ylt_cli_run(out, sizeof(out), "--help"), 0);
	assert_non_null(strstr(out, "serve"));
	const char *cmds[] = {"init", "serve", "user", "import", "demo", "bench", "schedule", "booking"};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char args[64];
		snprintf(args, sizeof(args), "%s --help", cmds[i]);
		if (ylt_cli_run(out, sizeof(out), args) != 0 || !strstr(out, "usage"))
			fail_msg("%s --help: %s", cmds[i], out);
	}
	assert_int_not_equal(ylt_cli_run(out, sizeof(out), "frobnicate"), 0);
	assert_non_null(strstr(out, "unknown command"));
	assert_int_not_equal(ylt_cli_run(out, sizeof(out), "init"), 0);
	assert_non_null(strstr(out, "--db"));
}

static void test_init_and_user(void **state)
{
	char out[4096], args[512];
	(void)state;
	snprintf(args, sizeof(args), "init --db '%s'", db);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 0);
	assert_non_null(strstr(out, "schema version"));
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 0); /* idempotent */

	snprintf(args, sizeof(args), "user add --db '%s' --username root --role admin", db);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 0);
	assert_non_null(strstr(out, "token: yl_"));
	/* same name again: conflict, exit 75, message names the field */
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 75);
	assert_non_null(strstr(out, "username"));
	snprintf(args, sizeof(args), "user add --db '%s' --username d --role doctor", db);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 65);
	assert_non_null(strstr(out, "institution_id"));
	snprintf(args, sizeof(args), "user add --db '%s' --username d --role admin --institution x", db);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 64);
}

static void test_init_refuses_newer(void **state)
{
	char out[4096], args[512], path[160];
	struct yl_store *s;
	struct yl_diag d;
	(void)state;
	snprintf(path, sizeof(path), "%s/new.db", dir);
	assert_int_equal(yl_store_open(path, YL_STORE_CREATE, &s, &d), YL_OK);
	assert_int_equal(yl_store_exec(s, "INSERT INTO schema_migrations VALUES (999, 'future', 0)", &d), YL_OK);
	yl_store_close(s);
	snprintf(args, sizeof(args), "init --db '%s'", path);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 78);
	assert_non_null(strstr(out, "newer"));
	snprintf(args, sizeof(args), "serve --db '%s' --port 0", path);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 78);

	/* a file that is not a database: an i/o error with a clear message, not "internal" */
	snprintf(path, sizeof(path), "%s/text.db", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a database, just some text that is long enough to look like a header\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "init --db '%s'", path);
	assert_int_equal(ylt_cli_run(out, sizeof(out), args), 74);
	assert_non_null(strstr(out, "not a database"));
	assert_null(strstr(out, "set up database '")  == NULL ? NULL : strstr(strstr(out, "set up database '") + 1, "set up database '"));
}

static void test_serve_answers_and_stops(void **state)
{
	int pipefd[2];
	pid_t pid;
	char line[512] = "";
	FILE *f;
	int port = 0, st;
	struct ylt_server s;
	(void)state;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl(ylt_cli_bin(), "yilian", "serve", "--db", db, "--port", "0", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(sscanf(strstr(line, "http://127.0.0.1:"), "http://127.0.0.1:%d", &port), 1);
	memset(&s, 0, sizeof(s));
	s.port = port;
	struct ylt_resp r = ylt_http(&s, "GET", "/api/v1/health", NULL, NULL);
	assert_int_equal(r.status, 200);
	ylt_resp_free(&r);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_init_and_user),
		cmocka_unit_test(test_init_refuses_newer),
		cmocka_unit_test(test_serve_answers_and_stops),
	};
	return cmocka_run_group_tests(tests, setup, ylt_tmpdir_teardown);
}
