/* ylt_cli.h - running the real `yilian` binary (YILIAN_BIN, which ctest sets) from the CLI
 * tests: a command line in, the exit status and the combined output out; a refusal checked
 * to leave the database as it was; files written and read back in a test's directory. The
 * binary runs through the shell, so arguments are quoted by the caller. Every helper fails the
 * test on a setup error (no YILIAN_BIN, a command line too long, a file that cannot be made).
 */
#ifndef YLT_CLI_H
#define YLT_CLI_H

#include <stddef.h>

#include "yltest.h"

/* The path of the binary under test (fails the test when YILIAN_BIN is not set). Borrowed. */
const char *ylt_cli_bin(void);

/* Runs the binary with args (shell syntax, at most about 1000 bytes); stores stdout and stderr
 * together in out (at most cap - 1 bytes, NUL-terminated); returns the exit status, -1 when
 * the binary did not exit normally. */
int ylt_cli_run(char *out, size_t cap, const char *args);
/* The same with args made from a printf format (at most 767 bytes). */
int ylt_cli_runf(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ylt_cli_run that must exit 0 (fails the test with the output otherwise). */
void ylt_cli_must_run(char *out, size_t cap, const char *args);

/* Runs args, which must be refused: exit status code and needle in the output. Each query of
 * snap (a NULL-terminated list of at most 16 SQL statements of one integer value each: what
 * the command could have touched) is run on t before and after, and must give the same
 * value. */
void ylt_cli_expect_refused(struct ylt_db *t, const char *const *snap, int code,
			    const char *needle, const char *args);

/* The N of "WHAT N:" (what: "booking", "referral", ...) where the first "WHAT " stands in
 * out, as the write commands print it; fails the test when it is not there. */
int64_t ylt_cli_printed_id(const char *out, const char *what);

/* Writes text to the file dir/name (created or truncated). */
void ylt_cli_write_file(const char *dir, const char *name, const char *text);
/* Reads the file at path into buf (at most cap - 1 bytes, NUL-terminated); "" when it cannot
 * be opened. */
void ylt_cli_slurp(const char *path, char *buf, size_t cap);

#endif
