/* Fuzzes the JSON Lines reader of the importer: arbitrary bytes (BOM, CR, blank lines, long
 * lines, broken UTF-8) must give objects or a clean error with a line number, never a crash,
 * and line numbers must only grow. */
#undef NDEBUG /* the checks below are the point of the target */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct yl_jsonl r;
	struct yl_diag d;
	json_t *obj;
	long last = 0;

	if (!f)
		return 0;
	yl_jsonl_init(&r, f);
	for (;;) {
		enum yl_err err = yl_jsonl_next(&r, &obj, &d);
		if (err) {
			assert(err == YL_ERR_BAD_JSON || err == YL_ERR_TOO_LARGE || err == YL_ERR_IO);
			assert(d.message[0]);
			break;
		}
		if (!obj)
			break;
		assert(json_is_object(obj));
		assert(r.line_no > last);
		last = r.line_no;
		json_decref(obj);
	}
	yl_jsonl_release(&r);
	fclose(f);
	return 0;
}
