/* server.c - libmicrohttpd glue: body accumulation with a cap, authentication, one
 * transaction per request (or, for YL_ROUTE_OWN_TX routes, a handler that goes through the
 * group committer), error envelopes, and the access path to the router. Every connection
 * commits durably (fsync before the answer). A request deferred to the committer suspends its
 * connection instead of blocking the worker: MHD binds a connection to one worker thread, so a
 * blocked worker would stall all its other connections and cap a batch at the pool size.
 * libmicrohttpd was chosen over hand-rolled sockets for its HTTP/1.1 conformance
 * (pipelining, chunked bodies, limits) and its thread pool with epoll.
 */
#include "api/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/committer.h"
#include "api/routes.h"
#include "base/buf.h"
#include "base/json_read.h"
#include "base/json_write.h"
#include "domain/user.h"
#include "store/store.h"

struct yl_server {
	struct MHD_Daemon *daemon;
	struct yl_store_pool *pool;
	struct yl_committer *committer;
	const struct yl_clock *clock;
};

/* Per-request state, kept across MHD's upload callbacks; on_completed frees it, whatever
 * became of the client.
 *
 * The call fields (arena to json) are the routed request. For a request deferred to the
 * committer they outlive the first dispatch: the connection is suspended, the committer
 * thread uses arena, diag and actor through job, and job_done hands them back (release store
 * on job_done, then MHD_resume_connection); the worker answers on MHD's next call. A suspended
 * connection is neither polled nor timed out, so nothing frees p while the committer holds
 * the job; yl_server_stop drains the committer before stopping MHD for the same reason. */
struct pending {
	struct yl_buf body;
	bool too_large;
	bool answered;    /* a response was queued (or, before the body was read, refused) */
	size_t discarded; /* bytes dropped after crossing the cap */
	struct yl_arena arena;
	struct yl_diag diag;
	struct yl_actor actor;
	struct yl_req req;
	json_t *json;     /* the parsed body (req.body) */
	/* deferred requests only */
	bool deferred;    /* job was handed to the committer (or refused by it) */
	struct MHD_Connection *conn;
	struct yl_commit_job job;
	enum yl_err job_err;
	atomic_bool job_done;
};

enum { YL_DISCARD_MAX = 64 * 1024 * 1024 };

static const char *mhd_query(void *conn, const char *key)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

static const char *mhd_header(void *conn, const char *key)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, key);
}

static enum MHD_Result send_json(struct MHD_Connection *conn, int status, struct yl_buf *body)
{
	size_t len;
	char *data = yl_buf_detach(body, &len);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!resp) {
		free(data);
		return MHD_NO; /* out of memory: MHD closes the connection */
	}
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void write_error(struct yl_buf *out, const struct yl_diag *d)
{
	struct yl_jw w;

	yl_buf_reset(out);
	yl_jw_init(&w, out);
	yl_jw_obj_begin(&w);
	yl_jw_key(&w, "error");
	yl_jw_obj_begin(&w);
	yl_jw_kstr(&w, "code", yl_err_code(d->err));
	yl_jw_kstr(&w, "message", d->message[0] ? d->message : yl_err_code(d->err));
	yl_jw_kstr(&w, "field", d->field[0] ? d->field : NULL);
	yl_jw_obj_end(&w);
	yl_jw_obj_end(&w);
}

static enum MHD_Result send_error(struct MHD_Connection *conn, const struct yl_diag *d)
{
	struct yl_buf out = YL_BUF_INIT;

	write_error(&out, d);
	return send_json(conn, yl_err_http_status(d->err), &out);
}

static enum yl_err authenticate(struct MHD_Connection *conn, struct yl_ctx *ctx,
				struct yl_actor *actor)
{
	const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");

	if (!h)
		return yl_diag_set(ctx->diag, YL_ERR_UNAUTHORIZED, NULL,
				   "missing Authorization: Bearer <token> header");
	if (strncmp(h, "Bearer ", 7) != 0)
		return yl_diag_set(ctx->diag, YL_ERR_UNAUTHORIZED, NULL,
				   "Authorization header must be 'Bearer <token>'");
	return yl_token_authenticate(ctx, h + 7, actor);
}

/* Frees what the routed request holds; p stays usable for MHD's remaining callbacks. */
static void release_call(struct pending *p)
{
	json_decref(p->json);
	p->json = NULL;
	p->req.body = NULL;
	yl_arena_release(&p->arena);
}

/* Queues the answer: err with p->diag, or the success body out with p->req.status. */
static enum MHD_Result answer(struct MHD_Connection *conn, struct pending *p, enum yl_err err,
			      struct yl_buf *out)
{
	enum MHD_Result ret;

	if (err) {
		if (p->diag.err == YL_OK)
			yl_diag_set(&p->diag, err, NULL, "%s", yl_err_code(err));
		p->diag.err = err;
		yl_buf_release(out);
		ret = send_error(conn, &p->diag);
	} else {
		ret = send_json(conn, p->req.status, out);
	}
	p->answered = true;
	release_call(p);
	return ret;
}

/* The committer's done callback (committer thread). */
static void job_done(void *arg, enum yl_err err)
{
	struct pending *p = arg;
	struct MHD_Connection *conn = p->conn;

	p->job_err = err;
	atomic_store_explicit(&p->job_done, true, memory_order_release);
	/* From here the worker may answer and free p; conn stays valid until it is resumed. */
	MHD_resume_connection(conn);
}

/* Hands the deferred write of p->req to the committer and parks the connection. */
static enum MHD_Result defer(struct yl_server *srv, struct MHD_Connection *conn,
			     struct pending *p)
{
	enum yl_err err;

	p->deferred = true;
	p->conn = conn;
	/* Suspended before the job is queued: a resume that came first would be cancelled by
	 * the suspend and leave the request parked for good. */
	MHD_suspend_connection(conn);
	err = yl_committer_submit(srv->committer, &p->job, &p->req.ctx, p->req.defer_run,
				  p->req.defer_arg, job_done, p);
	if (err)
		job_done(p, err); /* not queued (stopping): answered busy on the next call */
	return MHD_YES;
}

/* MHD's call after job_done resumed the connection: answers the deferred request. */
static enum MHD_Result finish_deferred(struct MHD_Connection *conn, struct pending *p)
{
	struct yl_buf out = YL_BUF_INIT;
	struct yl_jw w;
	enum yl_err err;

	if (!atomic_load_explicit(&p->job_done, memory_order_acquire))
		return MHD_YES; /* not expected: only job_done resumes the connection */
	err = p->job_err;
	yl_jw_init(&w, &out);
	if (!err)
		err = p->req.defer_finish(&p->req, &w, p->req.defer_arg);
	return answer(conn, p, err, &out);
}

/* Runs one routed request against a pooled connection. */
static enum MHD_Result dispatch(struct yl_server *srv, struct MHD_Connection *conn,
				const char *method, const char *url, struct pending *p)
{
	struct yl_req *req = &p->req;
	struct yl_buf out = YL_BUF_INIT;
	struct yl_jw w;
	const struct yl_route *route;
	struct yl_store *store = NULL;
	bool known, in_tx = false;
	enum yl_err err = YL_OK;

	yl_diag_clear(&p->diag);
	route = yl_route_match(&p->arena, method, url, req->params, &req->nparams, &known);
	if (!route) {
		if (known)
			err = yl_diag_set(&p->diag, YL_ERR_METHOD, NULL,
					  "%s is not allowed on %.200s", method, url);
		else
			err = yl_diag_set(&p->diag, YL_ERR_NOT_FOUND, NULL,
					  "no such endpoint: %.200s", url);
		return answer(conn, p, err, &out);
	}
	if (p->too_large) {
		err = yl_diag_set(&p->diag, YL_ERR_TOO_LARGE, NULL, "body exceeds %d bytes",
				  YL_JSON_MAX_BODY);
		return answer(conn, p, err, &out);
	}
	p->actor.name = "anonymous";
	req->method = method;
	req->path = url;
	req->status = 200;
	req->query = mhd_query;
	req->header = mhd_header;
	req->conn = conn;
	req->ctx.clock = srv->clock;
	req->ctx.arena = &p->arena;
	req->ctx.diag = &p->diag;
	req->ctx.actor = &p->actor;
	store = yl_store_pool_get(srv->pool);
	req->ctx.store = store;
	err = (route->flags & YL_ROUTE_WRITE) && !(route->flags & YL_ROUTE_OWN_TX)
		      ? yl_store_begin(store, &p->diag)
		      : yl_store_begin_read(store, &p->diag);
	in_tx = !err;
	if (!err && !(route->flags & YL_ROUTE_PUBLIC))
		err = authenticate(conn, &req->ctx, &p->actor);
	if (route->flags & YL_ROUTE_OWN_TX) {
		/* Only the token is read here; the write goes to the committer, which has its own
		 * connection, so the pooled one is given back before the handler runs. */
		yl_store_rollback(store);
		yl_store_pool_put(srv->pool, store);
		store = NULL;
		in_tx = false;
		req->ctx.store = NULL;
		req->committer = srv->committer;
	}
	/* The body is parsed only for a caller who may call: anonymous garbage costs no parse. */
	if (err) {
		/* not authenticated (or no transaction): nothing to parse */
	} else if ((route->flags & YL_ROUTE_BODY_OPT) && p->body.len == 0) {
		p->json = json_object();
	} else if (route->flags & YL_ROUTE_BODY) {
		err = yl_json_parse(yl_buf_str(&p->body), p->body.len, &p->json, &p->diag);
	} else if (p->body.len > 0) {
		err = yl_diag_set(&p->diag, YL_ERR_INVALID, NULL, "this endpoint takes no body");
	}
	req->body = p->json;
	yl_jw_init(&w, &out);
	if (!err)
		err = route->fn(req, &w);
	if (!err && req->defer_run) {
		assert(!in_tx && out.len == 0);
		yl_buf_release(&out);
		return defer(srv, conn, p);
	}
	if (!err && in_tx)
		err = yl_store_commit(store, &p->diag);
	if (err && in_tx)
		yl_store_rollback(store);
	if (store)
		yl_store_pool_put(srv->pool, store);
	return answer(conn, p, err, &out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct yl_server *srv = cls;
	struct pending *p = *con_cls;
	(void)version;

	if (!p) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		p = calloc(1, sizeof(*p));
		if (!p)
			return MHD_NO;
		*con_cls = p;
		if (cl && strtoull(cl, NULL, 10) > YL_JSON_MAX_BODY &&
		    strtoull(cl, NULL, 10) <= YL_DISCARD_MAX) {
			/* Over the cap but not absurd: read and drop the body, then answer 413.
			 * Answering at once would close the connection under a client that is
			 * still sending, and it would often see a reset instead of the 413. */
			p->too_large = true;
		} else if (cl && strtoull(cl, NULL, 10) > YL_JSON_MAX_BODY) {
			/* Refuse before reading: MHD answers and closes the connection. */
			struct yl_diag d;
			yl_diag_set(&d, YL_ERR_TOO_LARGE, NULL, "body exceeds %d bytes", YL_JSON_MAX_BODY);
			p->too_large = true;
			p->answered = true;
			return send_error(conn, &d);
		}
		return MHD_YES;
	}
	if (p->deferred && !p->answered)
		return finish_deferred(conn, p);
	if (*upload_data_size) {
		if (!p->too_large && p->body.len + *upload_data_size > YL_JSON_MAX_BODY) {
			p->too_large = true;
			yl_buf_release(&p->body);
		}
		if (!p->too_large) {
			yl_buf_add(&p->body, upload_data, *upload_data_size);
		} else {
			/* A chunked body crossed the cap: the rest is read and dropped so that the
			 * client, still sending, can read the 413 (closing now would reset the
			 * connection under it). An endless stream is cut off at YL_DISCARD_MAX. */
			p->discarded += *upload_data_size;
			if (p->discarded > YL_DISCARD_MAX)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (p->answered)
		return MHD_YES;
	return dispatch(srv, conn, method, url, p);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *con_cls;
	(void)cls;
	(void)conn;
	(void)toe;

	if (p) {
		/* the committer is done with a deferred job: it is answered before MHD resumes
		 * the connection, and MHD never ends a suspended one (see yl_server_stop) */
		assert(!p->deferred || atomic_load_explicit(&p->job_done, memory_order_acquire));
		release_call(p);
		yl_buf_release(&p->body);
		free(p);
		*con_cls = NULL;
	}
}

enum yl_err yl_server_start(const struct yl_server_config *cfg, struct yl_server **out,
			    int *port_out, struct yl_diag *d)
{
	struct yl_server *s = calloc(1, sizeof(*s));
	struct sockaddr_in addr;
	int threads = cfg->threads > 0 ? cfg->threads : 8;
	const union MHD_DaemonInfo *info;
	enum yl_err err;

	*out = NULL;
	if (!s)
		return yl_diag_set(d, YL_ERR_NOMEM, NULL, "out of memory");
	s->clock = cfg->clock;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->bind ? cfg->bind : "127.0.0.1", &addr.sin_addr) != 1) {
		free(s);
		return yl_diag_set(d, YL_ERR_INVALID, "bind", "'%s' is not an IPv4 address", cfg->bind);
	}
	err = yl_store_pool_open(cfg->db_path, threads, YL_STORE_DURABLE, &s->pool, d);
	if (!err)
		err = yl_committer_start(cfg->db_path, 0, &s->committer, d);
	if (err) {
		yl_store_pool_close(s->pool);
		free(s);
		return err;
	}
	s->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME,
		0,
		NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_LISTEN_BACKLOG_SIZE,
		(unsigned)1024, MHD_OPTION_END);
	if (!s->daemon) {
		yl_committer_stop(s->committer);
		yl_store_pool_close(s->pool);
		free(s);
		return yl_diag_set(d, YL_ERR_IO, "port", "cannot listen on %s:%d (in use?)",
				   cfg->bind ? cfg->bind : "127.0.0.1", cfg->port);
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (port_out)
		*port_out = info ? info->port : cfg->port;
	*out = s;
	return YL_OK;
}

void yl_server_commit_stats(struct yl_server *s, int64_t *jobs, int64_t *commits)
{
	yl_committer_stats(s->committer, jobs, commits);
}

void yl_server_stop(struct yl_server *s)
{
	if (!s)
		return;
	/* The committer is drained first: MHD aborts when it stops with a connection still
	 * suspended. Jobs already queued are committed and answered; a booking that arrives
	 * after this is answered busy at once, never parked. */
	yl_committer_drain(s->committer);
	MHD_stop_daemon(s->daemon); /* in-flight requests finish */
	yl_committer_stop(s->committer);
	yl_store_pool_close(s->pool);
	free(s);
}
