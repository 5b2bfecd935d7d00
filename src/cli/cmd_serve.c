/* cmd_serve.c - `yilian serve --db FILE --port N`: run the API until SIGINT/SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/server.h"
#include "cli/cli.h"

int yl_cmd_serve(int argc, char **argv)
{
	struct yl_opt opts[] = {
		{"--db", true, NULL, "database file (required; create it with yilian init)"},
		{"--port", true, NULL, "TCP port (default 8080; 0 picks a free one)"},
		{"--bind", true, NULL, "IPv4 address to listen on (default 127.0.0.1)"},
		{"--threads", true, NULL, "worker threads (default 8)"},
		{NULL, false, NULL, NULL},
	};
	const char *pos[1];
	int npos, port, sig;
	struct yl_server_config cfg = {0};
	struct yl_server *srv;
	struct yl_diag d;
	sigset_t set;
	int64_t v;

	if (!yl_cli_parse(argc, argv, 2, opts, pos, 0, &npos, "serve",
			  "Serves the HTTP JSON API under /api/v1 until interrupted."))
		return 64;
	cfg.db_path = yl_cli_opt(opts, "--db");
	if (!cfg.db_path) {
		fprintf(stderr, "yilian serve: --db FILE is required\n");
		return 64;
	}
	if (!yl_cli_int(opts, "--port", 8080, 0, 65535, &v, "serve"))
		return 64;
	cfg.port = (int)v;
	if (!yl_cli_int(opts, "--threads", 8, 1, 256, &v, "serve"))
		return 64;
	cfg.threads = (int)v;
	cfg.bind = yl_cli_opt(opts, "--bind");
	/* Block the signals before threads start so only sigwait sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	yl_diag_clear(&d);
	if (yl_server_start(&cfg, &srv, &port, &d))
		return yl_cli_fail("serve", &d);
	printf("yilian: serving %s on http://%s:%d/api/v1 (Ctrl-C stops)\n", cfg.db_path,
	       cfg.bind ? cfg.bind : "127.0.0.1", port);
	fflush(stdout);
	sigwait(&set, &sig);
	yl_server_stop(srv);
	printf("yilian: stopped\n");
	return 0;
}
