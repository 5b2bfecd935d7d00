/* server.c - libmicrohttpd glue: body accumulation with a cap, authentication, one
 * transaction per request (or, for YL_ROUTE_OWN_TX routes, a handler that goes through the
 * group committer), error envelopes, and the access path to the router. Every connection
 * commits durably (fsync before the answer).
 * libmicrohttpd was chosen over hand-rolled sockets for its HTTP/1.1 conformance
 * (pipelining, chunked bodies, limits) and its thread pool with epoll.
 */
#include "api/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
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

/* Per-connection request state, kept across MHD's upload callbacks. */
struct pending {
	struct yl_buf body;
	bool too_large;
	bool answered;    /* a response was queued before the body was read */
	size_t discarded; /* bytes dropped after crossing the cap */
};

enum { YL_DISCARD_MAX = 64 * 1024 * 1024 };

static const char *mhd_query(void *conn, const char *key)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
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

/* Runs one routed request against a pooled connection. */
static enum MHD_Result dispatch(struct yl_server *srv, struct MHD_Connection *conn,
				const char *method, const char *url, struct pending *p)
{
	struct yl_arena arena = YL_ARENA_INIT;
	struct yl_diag diag;
	struct yl_actor actor = {0};
	struct yl_req req = {0};
	struct yl_buf out = YL_BUF_INIT;
	struct yl_jw w;
	const struct yl_route *route;
	struct yl_store *store = NULL;
	json_t *body = NULL;
	bool known, in_tx = false;
	enum yl_err err = YL_OK;
	enum MHD_Result ret;

	yl_diag_clear(&diag);
	route = yl_route_match(&arena, method, url, req.params, &req.nparams, &known);
	if (!route) {
		if (known)
			yl_diag_set(&diag, YL_ERR_METHOD, NULL, "%s is not allowed on %.200s", method, url);
		else
			yl_diag_set(&diag, YL_ERR_NOT_FOUND, NULL, "no such endpoint: %.200s", url);
		yl_arena_release(&arena);
		return send_error(conn, &diag);
	}
	if (p->too_large) {
		yl_diag_set(&diag, YL_ERR_TOO_LARGE, NULL, "body exceeds %d bytes", YL_JSON_MAX_BODY);
		yl_arena_release(&arena);
		return send_error(conn, &diag);
	}
	actor.name = "anonymous";
	req.method = method;
	req.path = url;
	req.status = 200;
	req.query = mhd_query;
	req.conn = conn;
	req.ctx.clock = srv->clock;
	req.ctx.arena = &arena;
	req.ctx.diag = &diag;
	req.ctx.actor = &actor;
	store = yl_store_pool_get(srv->pool);
	req.ctx.store = store;
	err = (route->flags & YL_ROUTE_WRITE) && !(route->flags & YL_ROUTE_OWN_TX)
		      ? yl_store_begin(store, &diag)
		      : yl_store_begin_read(store, &diag);
	in_tx = !err;
	if (!err && !(route->flags & YL_ROUTE_PUBLIC))
		err = authenticate(conn, &req.ctx, &actor);
	if (route->flags & YL_ROUTE_OWN_TX) {
		/* Only the token is read here; the write goes to the committer, which has its own
		 * connection, so the pooled one is given back before the handler waits. */
		yl_store_rollback(store);
		yl_store_pool_put(srv->pool, store);
		store = NULL;
		in_tx = false;
		req.ctx.store = NULL;
		req.committer = srv->committer;
	}
	/* The body is parsed only for a caller who may call: anonymous garbage costs no parse. */
	if (err) {
		/* not authenticated (or no transaction): nothing to parse */
	} else if ((route->flags & YL_ROUTE_BODY_OPT) && p->body.len == 0) {
		body = json_object();
	} else if (route->flags & YL_ROUTE_BODY) {
		err = yl_json_parse(yl_buf_str(&p->body), p->body.len, &body, &diag);
	} else if (p->body.len > 0) {
		err = yl_diag_set(&diag, YL_ERR_INVALID, NULL, "this endpoint takes no body");
	}
	req.body = body;
	yl_jw_init(&w, &out);
	if (!err)
		err = route->fn(&req, &w);
	if (!err && in_tx)
		err = yl_store_commit(store, &diag);
	if (err && in_tx)
		yl_store_rollback(store);
	if (store)
		yl_store_pool_put(srv->pool, store);
	json_decref(body);
	if (err) {
		if (diag.err == YL_OK)
			yl_diag_set(&diag, err, NULL, "%s", yl_err_code(err));
		diag.err = err;
		yl_buf_release(&out);
		ret = send_error(conn, &diag);
	} else {
		ret = send_json(conn, req.status, &out);
	}
	yl_arena_release(&arena);
	return ret;
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
		if (cl && strtoull(cl, NULL, 10) > YL_JSON_MAX_BODY) {
			/* Refuse before reading: MHD answers and closes the connection. */
			struct yl_diag d;
			yl_diag_set(&d, YL_ERR_TOO_LARGE, NULL, "body exceeds %d bytes", YL_JSON_MAX_BODY);
			p->too_large = true;
			p->answered = true;
			return send_error(conn, &d);
		}
		return MHD_YES;
	}
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
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_ERROR_LOG, 0,
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
	MHD_stop_daemon(s->daemon); /* in-flight requests finish, their jobs included */
	yl_committer_stop(s->committer);
	yl_store_pool_close(s->pool);
	free(s);
}
