/* cmd_import.c - `yilian import` (to be written). */
#include <stdio.h>

#include "cli/cli.h"

int yl_cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "yilian import: not built yet\n");
	return 69;
}
