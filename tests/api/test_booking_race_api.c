/* API: the never-overbook invariant through the real server. 1,000 HTTP clients, all in
 * flight at once on one libcurl multi handle, each for a different resident, race for one
 * slot of capacity 10: exactly 10 get 201, the 990 others 409 slot_full, and the slot counter
 * and the bookings table both say 10. Then 50 concurrent retries of one request with one
 * idempotency key: one 201, 49 × 200 carrying the same booking, one row. */
#include "ylt_booking.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { CLIENTS = 1000, CAPACITY = 10, RETRIES = 50 };

static struct ylt_server S;
static int64_t first_resident;

struct call {
	CURL *curl;
	struct curl_slist *headers;
	char body[160];
	char *resp;
	size_t len;
	long status;
	json_t *json;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct call *c = ud;
	char *q = realloc(c->resp, c->len + size * n + 1);

	if (!q)
		return 0;
	memcpy(q + c->len, p, size * n);
	c->len += size * n;
	q[c->len] = '\0';
	c->resp = q;
	return size * n;
}

/* Sends every call's body as POST /api/v1/bookings at once and waits for all answers. */
static void send_all(struct call *calls, int n)
{
	char url[128], auth[128];
	CURLM *multi = curl_multi_init();
	int running = 1;

	assert_non_null(multi);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/bookings", S.port);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", S.admin_token);
	for (int i = 0; i < n; i++) {
		struct call *c = &calls[i];

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
		struct call *c = &calls[i];

		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
		c->json = c->resp ? json_loads(c->resp, 0, NULL) : NULL;
		curl_multi_remove_handle(multi, c->curl);
		curl_easy_cleanup(c->curl);
		curl_slist_free_all(c->headers);
	}
	curl_multi_cleanup(multi);
}

static void free_calls(struct call *calls, int n)
{
	for (int i = 0; i < n; i++) {
		free(calls[i].resp);
		json_decref(calls[i].json);
	}
	memset(calls, 0, sizeof(*calls) * (size_t)n);
}

static const char *code_of(const struct call *c)
{
	const char *s = json_string_value(json_object_get(json_object_get(c->json, "error"), "code"));
	return s ? s : "";
}

static int64_t new_slot(const char *dept_name)
{
	int64_t dept = yltb_department(&S.db, 1, dept_name);
	int64_t session = yltb_session(&S.db, dept, "2026-03-17", "08:00", "12:00");

	return yltb_slot(&S.db, session, "09:00", 30, CAPACITY, 0, 0);
}

static int setup(void **state)
{
	struct rlimit rl;
	(void)state;

	/* both ends of 1,000 connections live in this process */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ylt_server_start(&S);
	ylt_begin(&S.db);
	first_resident = yltb_residents(&S.db, CLIENTS);
	ylt_commit(&S.db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ylt_server_stop(&S);
	curl_global_cleanup();
	return 0;
}

static void test_thousand_clients_one_slot(void **state)
{
	static struct call calls[CLIENTS];
	int64_t slot = new_slot("抢号");
	struct timespec t0, t1;
	int created = 0, full = 0;
	(void)state;

	for (int i = 0; i < CLIENTS; i++)
		snprintf(calls[i].body, sizeof(calls[i].body), "{\"slot_id\":%lld,\"resident_id\":%lld}",
			 (long long)slot, (long long)(first_resident + i));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_all(calls, CLIENTS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "# %d concurrent HTTP clients, capacity %d: %.2f s\n", CLIENTS, CAPACITY,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (int i = 0; i < CLIENTS; i++) {
		if (calls[i].status == 201)
			created++;
		else if (calls[i].status == 409 && strcmp(code_of(&calls[i]), "slot_full") == 0)
			full++;
		else
			fail_msg("client %d: %ld %s", i, calls[i].status, calls[i].resp);
	}
	assert_int_equal(created, CAPACITY);
	assert_int_equal(full, CLIENTS - CAPACITY);
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), CAPACITY);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE slot_id = %lld",
				     (long long)slot), CAPACITY);
	free_calls(calls, CLIENTS);
}

static void test_retries_one_key(void **state)
{
	static struct call calls[RETRIES];
	int64_t slot = new_slot("重试"), id = 0;
	int created = 0, replayed = 0;
	(void)state;

	for (int i = 0; i < RETRIES; i++)
		snprintf(calls[i].body, sizeof(calls[i].body),
			 "{\"slot_id\":%lld,\"resident_id\":%lld,\"idempotency_key\":\"same-key\"}",
			 (long long)slot, (long long)first_resident);
	send_all(calls, RETRIES);
	for (int i = 0; i < RETRIES; i++) {
		int64_t got = json_integer_value(json_object_get(calls[i].json, "id"));

		if (calls[i].status == 201)
			created++;
		else if (calls[i].status == 200)
			replayed++;
		else
			fail_msg("retry %d: %ld %s", i, calls[i].status, calls[i].resp);
		if (!id)
			id = got;
		assert_int_equal(got, id);
	}
	assert_int_equal(created, 1);
	assert_int_equal(replayed, RETRIES - 1);
	assert_int_equal(yltb_scalar(&S.db, "SELECT count(*) FROM bookings WHERE idempotency_key ="
				     " 'same-key'"), 1);
	assert_int_equal(yltb_scalar(&S.db, "SELECT booked_public FROM slots WHERE id = %lld",
				     (long long)slot), 1);
	free_calls(calls, RETRIES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thousand_clients_one_slot),
		cmocka_unit_test(test_retries_one_key),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
