/* ylt_multi.h - many HTTP requests in flight at once (one libcurl multi handle, a fresh
 * connection each), for the race and group-commit tests. */
#ifndef YLT_MULTI_H
#define YLT_MULTI_H

#include <curl/curl.h>

#include "yltest.h"

struct ylt_call {
	char body[256];  /* in: the JSON body */
	long status;     /* out */
	char *resp;      /* out: malloc'd body */
	size_t len;
	json_t *json;    /* out: parsed body or NULL */
	CURL *curl;      /* private */
	struct curl_slist *headers;
};

/* POSTs every call's body to path with token, all at once, and waits for every answer
 * (fails the test on a transport error). */
void ylt_post_all(struct ylt_server *s, const char *path, const char *token,
		  struct ylt_call *calls, int n);
/* Frees the answers and zeroes the calls for reuse. */
void ylt_calls_free(struct ylt_call *calls, int n);
/* The error code of an answer, or "". */
const char *ylt_call_code(const struct ylt_call *c);

#endif
