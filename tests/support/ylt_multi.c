/* ylt_multi.c - concurrent POSTs over one libcurl multi handle. */
#include "ylt_multi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct ylt_call *c = ud;
	char *q = realloc(c->resp, c->len + size * n + 1);

	if (!q)
		return 0;
	memcpy(q + c->len, p, size * n);
	c->len += size * n;
	q[c->len] = '\0';
	c->resp = q;
	return size * n;
}

void ylt_post_all(struct ylt_server *s, const char *path, const char *token,
		  struct ylt_call *calls, int n)
{
	char url[256], auth[128];
	CURLM *multi = curl_multi_init();
	int running = 1;

	assert_non_null(multi);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	for (int i = 0; i < n; i++) {
		struct ylt_call *c = &calls[i];

		c->curl = curl_easy_init();
		assert_non_null(c->curl);
		c->headers = curl_slist_append(NULL, auth);
		c->headers = curl_slist_append(c->headers, "Content-Type: application/json");
		c->headers = curl_slist_append(c->headers, "Expect:");
		curl_easy_setopt(c->curl, CURLOPT_URL, url);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, c->body);
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
		curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
		curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 120L);
		/* a connection of its own for every client: nothing waits for a reused one */
		curl_easy_setopt(c->curl, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(c->curl, CURLOPT_FORBID_REUSE, 1L);
		curl_multi_add_handle(multi, c->curl);
	}
	while (running) {
		CURLMcode mc = curl_multi_perform(multi, &running);

		if (mc != CURLM_OK)
			fail_msg("curl_multi_perform: %s", curl_multi_strerror(mc));
		if (running)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
	for (CURLMsg *m; (m = curl_multi_info_read(multi, &running));) {
		if (m->msg == CURLMSG_DONE && m->data.result != CURLE_OK)
			fail_msg("request failed: %s", curl_easy_strerror(m->data.result));
	}
	for (int i = 0; i < n; i++) {
		struct ylt_call *c = &calls[i];

		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
		c->json = c->resp ? json_loads(c->resp, 0, NULL) : NULL;
		curl_multi_remove_handle(multi, c->curl);
		curl_easy_cleanup(c->curl);
		curl_slist_free_all(c->headers);
		c->curl = NULL;
		c->headers = NULL;
	}
	curl_multi_cleanup(multi);
}

void ylt_calls_free(struct ylt_call *calls, int n)
{
	for (int i = 0; i < n; i++) {
		free(calls[i].resp);
		json_decref(calls[i].json);
	}
	memset(calls, 0, sizeof(*calls) * (size_t)n);
}

const char *ylt_call_code(const struct ylt_call *c)
{
	const char *s = json_string_value(json_object_get(json_object_get(c->json, "error"), "code"));
	return s ? s : "";
}
