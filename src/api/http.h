/* http.h - what an API handler sees: the request (path parameters, query, parsed JSON body,
 * domain context) and a JSON writer for the response.
 *
 * The server (server.c) owns the transport: it authenticates, opens one transaction (write
 * routes) or a read snapshot, calls the handler, commits or rolls back, and turns a returned
 * yl_err plus the diag into {"error":{"code","message","field"}} with the mapped status.
 * Handlers write only the success body and never commit; a YL_ROUTE_OWN_TX handler hands its
 * write to the group committer (api/committer.h) with yl_req_defer and writes its body in a
 * finish function once the write is durable; the HTTP worker is not held meanwhile.
 */
#ifndef YL_API_HTTP_H
#define YL_API_HTTP_H

#include <jansson.h>

#include "api/committer.h"
#include "base/json_write.h"
#include "domain/ctx.h"

struct yl_req;

/* Writes the success body of a deferred request (see yl_req_defer) after its write committed;
 * arg is the one given to yl_req_defer. Returns YL_OK or an error (diag set) as a handler
 * does. Called on an HTTP worker thread, with r as the handler left it. */
typedef enum yl_err (*yl_finish_fn)(struct yl_req *r, struct yl_jw *w, void *arg);

enum { YL_MAX_PATH_PARAMS = 4 };

struct yl_req {
	const char *method;
	const char *path;
	const char *params[YL_MAX_PATH_PARAMS]; /* the {…} segments of the pattern, in order */
	int nparams;
	json_t *body;     /* borrowed; an object for write routes with a body, else NULL */
	struct yl_ctx ctx;
	int status;       /* success status; handlers set 201 on create */
	/* query and request-header lookups, provided by the transport */
	const char *(*query)(void *conn, const char *key);
	const char *(*header)(void *conn, const char *key);
	void *conn;
	/* YL_ROUTE_OWN_TX routes: the group committer to submit writes to (ctx.store is NULL) */
	struct yl_committer *committer;
	/* set by yl_req_defer, read by the transport */
	yl_commit_fn defer_run;
	yl_finish_fn defer_finish;
	void *defer_arg;
};

typedef enum yl_err (*yl_handler)(struct yl_req *r, struct yl_jw *out);

enum yl_route_flags {
	YL_ROUTE_PUBLIC = 1, /* no authentication */
	YL_ROUTE_WRITE = 2,  /* runs in a write transaction */
	YL_ROUTE_BODY = 4,   /* needs a JSON object body */
	YL_ROUTE_BODY_OPT = 8, /* with YL_ROUTE_BODY: an empty body means {} */
	/* the handler writes through r->committer (group commit) instead of the per-request
	 * transaction: the server authenticates in a short read snapshot, then gives the
	 * handler no store */
	YL_ROUTE_OWN_TX = 16,
};

struct yl_route {
	const char *method;
	const char *pattern; /* "/api/v1/residents/{id}" */
	yl_handler fn;
	unsigned flags;
};

/* Query parameter or NULL. */
const char *yl_req_query(struct yl_req *r, const char *key);
/* Request header (case-insensitive name) or NULL when absent or empty. The string is borrowed
 * from the transport and valid until the response is queued. */
const char *yl_req_header(struct yl_req *r, const char *key);
/* For a YL_ROUTE_OWN_TX handler with r->committer set: asks the transport to run
 * run(&r->ctx', arg) on the group committer after the handler returns YL_OK, and then, once it
 * has committed, finish(r, w, arg) to write the body (if run failed, its error is answered and
 * finish is not called). arg and everything it points to must live in r->ctx.arena (or be
 * static): the transport keeps the arena, diag, actor and body alive until the answer. The
 * handler must not have written to w. */
void yl_req_defer(struct yl_req *r, yl_commit_fn run, yl_finish_fn finish, void *arg);
/* Path parameter i as a positive id; YL_ERR_NOT_FOUND when not a positive integer. */
enum yl_err yl_req_id(struct yl_req *r, int i, int64_t *out);
/* Query integer within [min,max], default when absent; YL_ERR_INVALID names the parameter. */
enum yl_err yl_req_query_int(struct yl_req *r, const char *key, int64_t def, int64_t min,
			     int64_t max, int64_t *out);
/* Reads ?limit= (1..1000, default 50) and ?cursor= as an id (0 when absent). */
enum yl_err yl_req_page(struct yl_req *r, int *limit, int64_t *after);
/* Rejects body keys not in allowed (NULL-terminated). */
enum yl_err yl_req_only(struct yl_req *r, const char *const *allowed);

/* Writes {"data":[ and leaves the array open; yl_page_end closes it with the cursor. */
void yl_page_begin(struct yl_jw *w);
/* next_cursor is NULL when there is no further page. */
void yl_page_end(struct yl_jw *w, const char *next_cursor);
void yl_page_end_id(struct yl_jw *w, bool more, int64_t last_id);

/* Writes a unix time as an ISO-8601 UTC string value under key. */
void yl_jw_ktime(struct yl_jw *w, const char *key, int64_t t);

#endif
