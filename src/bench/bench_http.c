/* bench_http.c - simple-GET throughput of `yilian serve`: an in-process server, N client
 * threads with their own keep-alive TCP connections, latency recorded per request. The
 * client is a minimal HTTP/1.1 reader (status line + Content-Length) so that it costs little
 * next to the server it measures.
 */
#include "bench/bench.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/server.h"
#include "base/arena.h"
#include "base/clock.h"
#include "domain/area.h"
#include "domain/institution.h"
#include "domain/user.h"
#include "store/store.h"

struct client {
	int port;
	const char *request;
	size_t request_len;
	double deadline;
	int64_t count, errors;
	struct yl_bench_lat lat;
	pthread_t thread;
};

int yl_bench_connect(int port)
{
	struct sockaddr_in a;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int yl_bench_read_response(int fd, char *buf, size_t cap)
{
	size_t have = 0;
	char *hdr_end = NULL;
	long clen = 0;
	int status;

	while (!hdr_end) {
		ssize_t n = read(fd, buf + have, cap - have - 1);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		hdr_end = strstr(buf, "\r\n\r\n");
		if (!hdr_end && have >= cap - 1)
			return -1;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	{
		char *cl = strstr(buf, "Content-Length:");
		if (cl && cl < hdr_end)
			clen = strtol(cl + 15, NULL, 10);
	}
	{
		size_t body_have = have - (size_t)(hdr_end + 4 - buf);
		while ((long)body_have < clen) {
			ssize_t n = read(fd, buf, cap - 1);
			if (n <= 0)
				return -1;
			body_have += (size_t)n;
		}
	}
	return status;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	char buf[65536];
	int fd = yl_bench_connect(c->port);

	while (fd >= 0 && yl_monotonic() < c->deadline) {
		double t0 = yl_monotonic();
		int status;

		if (write(fd, c->request, c->request_len) != (ssize_t)c->request_len) {
			c->errors++;
			break;
		}
		status = yl_bench_read_response(fd, buf, sizeof(buf));
		if (status != 200) {
			c->errors++;
			if (status < 0)
				break;
		}
		c->count++;
		yl_bench_lat_add(&c->lat, (yl_monotonic() - t0) * 1000.0);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void yl_bench_lat_add(struct yl_bench_lat *l, double ms)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->ms = realloc(l->ms, l->cap * sizeof(*l->ms));
		if (!l->ms)
			abort();
	}
	l->ms[l->n++] = ms;
}

void yl_bench_lat_merge(struct yl_bench_lat *into, struct yl_bench_lat *from)
{
	for (size_t i = 0; i < from->n; i++)
		yl_bench_lat_add(into, from->ms[i]);
	free(from->ms);
	memset(from, 0, sizeof(*from));
}

void yl_bench_lat_summary(struct yl_bench_lat *l, double *p50, double *p99, double *max)
{
	*p50 = *p99 = *max = 0;
	if (l->n) {
		qsort(l->ms, l->n, sizeof(*l->ms), cmp_double);
		*p50 = l->ms[l->n / 2];
		*p99 = l->ms[(size_t)((double)l->n * 0.99)];
		*max = l->ms[l->n - 1];
	}
	free(l->ms);
	memset(l, 0, sizeof(*l));
}

/* A temporary database with a tiny registry and an admin; returns the admin token. */
static enum yl_err make_db(const char *path, char token[YL_TOKEN_LEN + 1], struct yl_diag *d)
{
	struct yl_store *s;
	struct yl_arena a = YL_ARENA_INIT;
	struct yl_actor actor = {0, "system:bench", YL_ROLE_ADMIN, 0, 0};
	struct yl_ctx c = {NULL, NULL, &a, d, &actor, false, false, NULL};
	struct yl_area areas[] = {{"440000", "广东省", NULL, NULL, 0}, {"440100", "广州市", NULL, NULL, 0}};
	struct yl_institution inst = {0, "H-BENCH", "基准医院", "tertiary", "general", "440100", 800, 0, 0};
	struct yl_user u = {0, "bench-admin", "admin", 0, 0, 0};
	enum yl_err err = yl_store_open(path, YL_STORE_CREATE, &s, d);

	if (err)
		return err;
	c.store = s;
	err = yl_store_begin(s, d);
	for (int i = 0; !err && i < 2; i++)
		err = yl_area_create(&c, &areas[i], NULL);
	if (!err)
		err = yl_institution_create(&c, &inst, NULL);
	if (!err)
		err = yl_user_create(&c, &u, NULL, token);
	if (!err)
		err = yl_store_commit(s, d);
	else
		yl_store_rollback(s);
	yl_store_close(s);
	yl_arena_release(&a);
	return err;
}

enum yl_err yl_bench_http(const struct yl_bench_http_opts *o, struct yl_bench_http_result *r,
			  struct yl_diag *d)
{
	char dir[] = "/tmp/yilian-bench.XXXXXX";
	char path[128], token[YL_TOKEN_LEN + 1], request[512];
	struct yl_server_config cfg = {0};
	struct yl_server *srv;
	struct client *cl;
	struct yl_bench_lat all = {0};
	int port, n;
	enum yl_err err;

	memset(r, 0, sizeof(*r));
	if (!mkdtemp(dir))
		return yl_diag_set(d, YL_ERR_IO, NULL, "cannot create a temp dir");
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	err = make_db(path, token, d);
	if (err)
		return err;
	cfg.db_path = path;
	cfg.threads = o->threads;
	err = yl_server_start(&cfg, &srv, &port, d);
	if (err)
		return err;
	n = snprintf(request, sizeof(request),
		     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
		     o->path ? o->path : "/api/v1/institutions/1", token);
	cl = calloc((size_t)o->clients, sizeof(*cl));
	if (!cl)
		abort();
	/* warm-up of half a second is part of each client's run but not of the count */
	double start = yl_monotonic();
	for (int i = 0; i < o->clients; i++) {
		cl[i].port = port;
		cl[i].request = request;
		cl[i].request_len = (size_t)n;
		cl[i].deadline = start + o->seconds;
		pthread_create(&cl[i].thread, NULL, client_main, &cl[i]);
	}
	for (int i = 0; i < o->clients; i++) {
		pthread_join(cl[i].thread, NULL);
		r->requests += cl[i].count;
		r->errors += cl[i].errors;
		yl_bench_lat_merge(&all, &cl[i].lat);
	}
	r->seconds = yl_monotonic() - start;
	yl_server_stop(srv);
	free(cl);
	yl_bench_lat_summary(&all, &r->p50_ms, &r->p99_ms, &r->max_ms);
	r->rps = (double)r->requests / r->seconds;
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		fprintf(stderr, "yilian bench: could not remove %s\n", dir);
	return YL_OK;
}

void yl_bench_header(const char *title)
{
	printf("\n%s\n", title);
	printf("| %-38s | %14s | %-8s | %-30s |\n", "measure", "value", "unit", "note");
	printf("|%.40s|%.16s|%.10s|%.32s|\n", "----------------------------------------",
	       "----------------", "----------", "--------------------------------");
}

void yl_bench_row(const char *name, double value, const char *unit, const char *note)
{
	if (strcmp(unit, "count") == 0)
		printf("| %-38s | %14.0f | %-8s | %-30s |\n", name, value, unit, note ? note : "");
	else
		printf("| %-38s | %14.2f | %-8s | %-30s |\n", name, value, unit, note ? note : "");
}
