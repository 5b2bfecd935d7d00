/* bench.h - the measurements behind `yilian bench`: each runs against real parts (a real
 * server on loopback, a real database file) and prints a table. Speed targets live here,
 * never in timed unit tests.
 */
#ifndef YL_BENCH_BENCH_H
#define YL_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

struct yl_bench_http_opts {
	int clients;         /* concurrent keep-alive connections */
	int threads;         /* server worker threads */
	double seconds;      /* duration of the measured run */
	const char *path;    /* GET path, default /api/v1/institutions/1 */
};

struct yl_bench_http_result {
	int64_t requests;
	int64_t errors; /* non-200 answers or broken connections */
	double seconds;
	double rps;
	double p50_ms, p99_ms, max_ms;
};

/* Starts a server in-process on an ephemeral loopback port and drives it with `clients`
 * threads doing GET requests over keep-alive connections. */
enum yl_err yl_bench_http(const struct yl_bench_http_opts *o, struct yl_bench_http_result *r,
			  struct yl_diag *d);

/* Generates `rows` residents as JSON Lines in a temp dir and times `yilian import` of them
 * into a fresh database (the real command path), printing a table. */
enum yl_err yl_bench_import(int64_t rows, struct yl_diag *d);

/* Runs the indicators bench (see docs/bench.md) on two fresh temp databases and prints its
 * table: `encounters` encounters through yl_encounter_create in one transaction with live
 * aggregates on and off, the county-year indicator query's latency, and the full rebuild's
 * time. Returns YL_OK when it ran; *failed is set when the rebuilt numbers differ from the
 * live ones. */
enum yl_err yl_bench_indicators(int64_t encounters, bool *failed, struct yl_diag *d);

struct yl_bench_booking_opts {
	int clients;    /* concurrent keep-alive HTTP clients */
	int threads;    /* server worker threads (bounds how many bookings share a commit) */
	double seconds; /* length of each of the three measured runs */
};

/* Runs the booking bench (see docs/bench.md) on a fresh temp database and prints its table:
 * the raw booking transaction one commit at a time without and with fsync, then durable
 * HTTP bookings from o->clients clients, latency, bookings per commit, and the overbooking
 * and lost-answer checks. Returns YL_OK when it ran (the table says whether checks passed;
 * *failed is set when any did). */
enum yl_err yl_bench_booking(const struct yl_bench_booking_opts *o, bool *failed,
			     struct yl_diag *d);

/* Loopback client helpers shared by the HTTP benches: a TCP_NODELAY connection to port
 * (-1 on failure), and one response read into buf (cap bytes) returning its status or -1. */
int yl_bench_connect(int port);
int yl_bench_read_response(int fd, char *buf, size_t cap);

/* Latencies in milliseconds, one list per client thread, merged at the end. */
struct yl_bench_lat {
	double *ms;
	size_t n, cap;
};

/* Appends one latency (aborts on out of memory: a bench has nothing to save). */
void yl_bench_lat_add(struct yl_bench_lat *l, double ms);
/* Moves every entry of from into into and frees from's storage. */
void yl_bench_lat_merge(struct yl_bench_lat *into, struct yl_bench_lat *from);
/* Sorts l and reads its p50, p99 and max (0 when empty), then frees it. */
void yl_bench_lat_summary(struct yl_bench_lat *l, double *p50, double *p99, double *max);

/* Prints one row of a bench table: name, value with unit, and a note. */
void yl_bench_row(const char *name, double value, const char *unit, const char *note);
void yl_bench_header(const char *title);

#endif
