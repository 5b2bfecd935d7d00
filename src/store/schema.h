/* schema.h - numbered migrations compiled into the binary. */
#ifndef YL_STORE_SCHEMA_H
#define YL_STORE_SCHEMA_H

struct yl_migration {
	int version;
	const char *name;
	const char *const *steps; /* portable DDL statements, NULL-terminated */
};

/* The migrations in version order (1, 2, ...); *count receives their number. */
const struct yl_migration *yl_schema_migrations(int *count);

#endif
