/*
 * fuzz.c - helpers shared by the libFuzzer targets (see fuzz.h).
 */
#include <config.h>

#include "fuzz.h"
#include "utf8.h"

bool
fuzz_printable(const char *s, size_t n, bool nl)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, len;

	while (i < n) {
		len = utf8_decode(u + i, n - i, &cp);
		if (len == 0 || (!utf8_printable(cp) && !(nl && cp == '\n')))
			return false;
		i += len;
	}
	return true;
}

bool
fuzz_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
