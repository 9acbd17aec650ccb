/*
 * names.c - print the names smtpsend knows, from its own tables, for
 * tests/docs/man-names.sh: "option NAME" for every long option (cli.c),
 * "directive NAME" for every configuration directive (conf.c's own, the
 * settings and msmtp's other spellings of settings, account.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "account.h"
#include "cli.h"
#include "conf.h"

int
main(void)
{
	const char *name;
	bool needs_value;
	size_t i;
	int f;

	for (i = 0; (name = cli_long_option(i)) != NULL; i++)
		printf("option %s\n", name);
	for (i = 0; (name = conf_directive_name(i)) != NULL; i++)
		printf("directive %s\n", name);
	for (f = 0; f < ACC_NFIELDS; f++)
		if (account_field_directive((enum account_field)f))
			printf("directive %s\n",
			       account_field_name((enum account_field)f));
	for (i = 0; (name = account_alias_name(i, &needs_value)) != NULL; i++)
		printf("directive %s\n", name);
	return fflush(stdout) == 0 ? 0 : 1;
}
