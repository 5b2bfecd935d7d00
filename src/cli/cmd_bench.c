/* cmd_bench.c - `yilian bench` (to be written). */
#include <stdio.h>

#include "cli/cli.h"

int yl_cmd_bench(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "yilian bench: not built yet\n");
	return 69;
}
