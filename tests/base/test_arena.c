/* Base: the arena - zeroed, aligned blocks, strings, and arrays grown by copying into a larger
 * block (yl_arena_grow): the same block while it has room, the items kept when it moves. */
#include "yltest.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"

static void test_alloc_and_strings(void **state)
{
	struct yl_arena a = YL_ARENA_INIT;
	char *p;
	(void)state;

	p = yl_arena_alloc(&a, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal((uintptr_t)yl_arena_alloc(&a, 3) % alignof(max_align_t), 0);
	assert_string_equal(yl_arena_strdup(&a, "医联"), "医联");
	assert_null(yl_arena_strdup(&a, NULL));
	assert_string_equal(yl_arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(yl_arena_printf(&a, "%d-%s", 7, "x"), "7-x");
	/* larger than a chunk */
	p = yl_arena_alloc(&a, 100000);
	p[99999] = 1;
	yl_arena_release(&a);
	assert_null(a.head);
}

static void test_grow(void **state)
{
	struct yl_arena a = YL_ARENA_INIT;
	int64_t *v = NULL, *before;
	int cap = 0, n = 0;
	(void)state;

	for (int i = 0; i < 1000; i++) {
		int old = cap;
		before = v;
		v = yl_arena_grow(&a, v, sizeof(*v), n, n + 1, &cap);
		/* moves only when full, then at least doubles */
		if (n < old)
			assert_ptr_equal(v, before);
		else
			assert_true(cap >= 2 * old && cap >= 16);
		v[n++] = i * 3;
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 3);
	/* room left: the same block */
	before = v;
	assert_ptr_equal(yl_arena_grow(&a, v, sizeof(*v), n, cap, &cap), before);
	/* room for many at once */
	v = yl_arena_grow(&a, v, sizeof(*v), n, n + 5000, &cap);
	assert_true(cap >= n + 5000);
	assert_int_equal(v[999], 999 * 3);
	/* from nothing: at least 16 */
	cap = 0;
	assert_non_null(yl_arena_grow(&a, NULL, 8, 0, 1, &cap));
	assert_int_equal(cap, 16);
	yl_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_and_strings),
		cmocka_unit_test(test_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
