#include "util/opt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/diag.h"

int ry_parse_ulong(const char *s, unsigned long min, unsigned long max,
		   unsigned long *out)
{
	char *end;
	unsigned long v;

	/* strtoul accepts spaces and a minus sign; we do not. */
	if (!isdigit((unsigned char)s[0]))
		return RY_ENOTNUM;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return RY_ENOTNUM;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int ry_parse_seconds(const char *s, double min, double max, double *out)
{
	const char *p = s;
	char *end;
	double v;
	int digits = 0;

	/* Plain decimal only: digits, at most one point, digits.  This
	 * rules out signs, exponents, hex floats, "nan" and "inf". */
	for (; isdigit((unsigned char)*p); p++)
		digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (digits == 0 || *p != '\0')
		return RY_ENOTNUM;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0')
		return RY_ENOTNUM;
	if (errno == ERANGE || !isfinite(v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int ry_parse_size(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out)
{
	char *end;
	unsigned long v, mult = 1;

	if (!isdigit((unsigned char)s[0]))
		return RY_ENOTNUM;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		mult = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mult = (unsigned long)1024 * 1024, end++;
	if (*end != '\0')
		return RY_ENOTNUM;
	if (errno == ERANGE || v > max / mult || v * mult < min || v * mult > max)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

int ry_opt_ulong(const char *opt, const char *s, unsigned long min,
		 unsigned long max, unsigned long *out)
{
	int rc = ry_parse_ulong(s, min, max, out);

	if (rc == RY_ENOTNUM)
		ry_err("invalid value '%s' for %s: not a whole number", ry_quote(s), opt);
	else if (rc != 0)
		ry_err("invalid value '%s' for %s: must be from %lu to %lu", ry_quote(s), opt, min, max);
	return rc ? -1 : 0;
}

int ry_opt_seconds(const char *opt, const char *s, double min, double max,
		   double *out)
{
	int rc = ry_parse_seconds(s, min, max, out);

	if (rc == RY_ENOTNUM)
		ry_err("invalid value '%s' for %s: not a number of seconds", ry_quote(s), opt);
	else if (rc != 0)
		ry_err("invalid value '%s' for %s: must be from %g to %g seconds", ry_quote(s), opt,
		       min, max);
	return rc ? -1 : 0;
}

int ry_opt_size(const char *opt, const char *s, unsigned long min,
		unsigned long max, unsigned long *out)
{
	int rc = ry_parse_size(s, min, max, out);

	if (rc == RY_ENOTNUM)
		ry_err("invalid value '%s' for %s: not a size (a number, optionally with K or M)",
		       ry_quote(s), opt);
	else if (rc != 0)
		ry_err("invalid value '%s' for %s: must be from %lu to %lu bytes", ry_quote(s), opt, min,
		       max);
	return rc ? -1 : 0;
}

int ry_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *longopts)
{
	char spec[128];
	int c;

	/* A leading ':' makes getopt report a missing value as ':'. */
	snprintf(spec, sizeof spec, ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c == '?') {
		if (optopt)
			ry_err("unknown option '%s' (see 'rustyc %s --help')",
			       ry_quote_n((char[]){ '-', (char)optopt }, 2), ry_diag_cmd());
		else
			ry_err("unknown option '%s' (see 'rustyc %s --help')", ry_quote(argv[optind - 1]),
			       ry_diag_cmd());
	} else if (c == ':') {
		ry_err("option '%s' needs a value", ry_quote(argv[optind - 1]));
		c = '?';
	}
	return c;
}

char *ry_list_line(char *line, size_t len, size_t *n)
{
	char *s = line, *e = line + len;

	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s == e || *s == '#')
		return NULL;
	*n = (size_t)(e - s);
	return s;
}
