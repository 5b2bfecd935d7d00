/* Fuzzes the RFC 4180 reader (src/cli/csv.c): never crashes, reports only YL_ERR_INVALID with
 * a message and a line for bad input, yields cells without NUL bytes, record lines that never
 * go backwards, and whatever it accepts survives a round trip: written back with every cell
 * quoted, it reads back to the same records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/csv.h"

/* Not assert: the fuzz build is a release build (NDEBUG) and the checks must stay. */
#define CHECK(x)                  \
	do {                      \
		if (!(x))         \
			abort();  \
	} while (0)

/* Reads all records of data, checking the invariants, and appends each to out with all cells
 * quoted; *nrec receives the number of records. Returns the reader's error. */
static enum yl_err read_all(const uint8_t *data, size_t size, struct yl_buf *out, long *nrec)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	struct yl_csv r;
	struct yl_diag d;
	bool got;
	long last = 0;
	enum yl_err err;

	CHECK(f);
	*nrec = 0;
	yl_csv_init(&r, f);
	while (!(err = yl_csv_next(&r, &got, &d)) && got) {
		int n = yl_csv_count(&r);
		CHECK(n >= 1 && n <= YL_CSV_MAX_CELLS);
		CHECK(r.line >= last && r.line >= 1);
		last = r.line;
		for (int i = 0; i < n; i++) {
			size_t len;
			const char *s = yl_csv_cell(&r, i, &len);
			CHECK(strlen(s) == len && len <= YL_CSV_MAX_CELL);
			if (out) {
				if (i)
					yl_buf_addc(out, ',');
				yl_buf_addc(out, '"');
				for (size_t k = 0; k < len; k++) {
					if (s[k] == '"')
						yl_buf_addc(out, '"');
					yl_buf_addc(out, s[k]);
				}
				yl_buf_addc(out, '"');
			}
		}
		if (out)
			yl_buf_add(out, "\r\n", 2);
		(*nrec)++;
	}
	if (err) {
		CHECK(err == YL_ERR_INVALID);
		CHECK(d.message[0]);
		CHECK(r.line >= 1);
	}
	yl_csv_release(&r);
	fclose(f);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yl_buf a = YL_BUF_INIT, b = YL_BUF_INIT;
	long n1, n2;

	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer on some libcs */
	if (read_all(data, size, &a, &n1) == YL_OK && a.len > 0) {
		CHECK(read_all((const uint8_t *)a.data, a.len, &b, &n2) == YL_OK);
		CHECK(n1 == n2);
		CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	}
	yl_buf_release(&a);
	yl_buf_release(&b);
	return 0;
}
