/* cmd_demo.c - `yilian demo` (to be written). */
#include <stdio.h>

#include "cli/cli.h"

int yl_cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "yilian demo: not built yet\n");
	return 69;
}
