/* server.h - the HTTP face: `yilian serve`.
 *
 * libmicrohttpd with an internal thread pool; each worker borrows a store connection from a
 * pool for the duration of a request. Bodies are capped at YL_JSON_MAX_BODY before parsing.
 * Every write answered with success is on disk first (synchronous=FULL); bookings share
 * commits through a group committer (api/committer.h), their connections suspended (not their
 * worker threads blocked) until the commit.
 */
#ifndef YL_API_SERVER_H
#define YL_API_SERVER_H

#include <stdint.h>

#include "base/clock.h"
#include "base/diag.h"

struct yl_server_config {
	const char *db_path;
	const char *bind;             /* address, default "127.0.0.1" */
	int port;                     /* 0 picks an ephemeral port */
	int threads;                  /* worker threads, default 8 */
	const struct yl_clock *clock; /* NULL: system clock */
	const char *web_root;         /* dashboard files; NULL: none */
};

struct yl_server;

/* Starts serving in background threads; *port_out receives the bound port. *out is
 * caller-frees with yl_server_stop. */
enum yl_err yl_server_start(const struct yl_server_config *cfg, struct yl_server **out,
			    int *port_out, struct yl_diag *d);
/* Group-commit counters since start: jobs (bookings) and the commits that carried them. */
void yl_server_commit_stats(struct yl_server *s, int64_t *jobs, int64_t *commits);
/* Drains the group committer (bookings already queued are committed; one arriving from then
 * on is answered 503 busy), then stops MHD, which closes open connections (an answer not yet
 * written is lost: the booking stands), and closes the store pool. NULL is a no-op. */
void yl_server_stop(struct yl_server *s);

#endif
