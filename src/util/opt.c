#include "util/opt.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const struct {
	const char *name;
	double secs;
} units[] = { { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 } };

int ry_parse_seconds(const char *s, double min, double max, double *out)
{
	const char *p = s;
	char num[64];
	double v, mult = 1;
	int digits = 0;

	/* Plain decimal only: digits, at most one point, digits.  This
	 * rules out signs, exponents, hex floats, "nan" and "inf". */
	for (; isdigit((unsigned char)*p); p++)
		digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (digits == 0)
		return RY_ENOTNUM;
	if (*p != '\0') {
		size_t k;
		for (k = 0; k < sizeof units / sizeof units[0]; k++)
			if (strcmp(p, units[k].name) == 0)
				break;
		if (k == sizeof units / sizeof units[0])
			return RY_ENOTNUM;
		mult = units[k].secs;
	}
	if ((size_t)(p - s) >= sizeof num)
		return -ERANGE;		/* 64 digits: far past any maximum */
	memcpy(num, s, (size_t)(p - s));
	num[p - s] = '\0';
	errno = 0;
	v = strtod(num, NULL) * mult;
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
	switch (*end) {
	case 'K': case 'k': mult = 1UL << 10; end++; break;
	case 'M': case 'm': mult = 1UL << 20; end++; break;
	case 'G': case 'g': mult = 1UL << 30; end++; break;
	default: break;
	}
	if (*end != '\0')
		return RY_ENOTNUM;
	if (errno == ERANGE || v > max / mult || v * mult < min || v * mult > max)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

/* The name an error message gives an option: "-j/--jobs" or "--rate". */
static void opt_name(const struct ry_opt *o, char *buf, size_t len)
{
	if (o->short_name && o->long_name)
		snprintf(buf, len, "-%c/--%s", o->short_name, o->long_name);
	else if (o->short_name)
		snprintf(buf, len, "-%c", o->short_name);
	else
		snprintf(buf, len, "--%s", o->long_name);
}

static void choices_text(const struct ry_opt *o, char *buf, size_t len)
{
	size_t n = 0, used = 0;

	buf[0] = '\0';
	while (o->choices[n])
		n++;
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
				 o->choices[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void ry_optlist_free(struct ry_optlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* Adds the comma-separated values of text; an empty one is an error. */
static int list_add(struct ry_optlist *l, const char *name, const char *text)
{
	const char *p = text;

	for (;;) {
		size_t n = strcspn(p, ",");
		if (n == 0) {
			ry_err("invalid value '%s' for %s: an empty item", ry_quote(text), name);
			return -1;
		}
		if (l->n == RY_OPTLIST_MAX) {
			ry_err("too many values for %s (at most %d)", name, RY_OPTLIST_MAX);
			return -1;
		}
		if (!(l->v[l->n] = strndup(p, n))) {
			ry_err("out of memory");
			return -1;
		}
		l->n++;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* Parses one value as the row o says and stores it; on error prints the
 * message and returns -1. */
static int opt_value(const struct ry_opt *o, const char *name, const char *text)
{
	int rc = 0;

	switch (o->kind) {
	case RY_OPT_FLAG:
		*(bool *)o->dest = true;
		break;
	case RY_OPT_COUNT:
		++*(unsigned long *)o->dest;
		break;
	case RY_OPT_STRING:
		*(const char **)o->dest = text;
		break;
	case RY_OPT_LIST:
		rc = list_add(o->dest, name, text);
		break;
	case RY_OPT_ULONG:
		rc = ry_parse_ulong(text, o->min, o->max, o->dest);
		if (rc == RY_ENOTNUM)
			ry_err("invalid value '%s' for %s: not a whole number", ry_quote(text), name);
		else if (rc)
			ry_err("invalid value '%s' for %s: must be from %lu to %lu", ry_quote(text), name,
			       o->min, o->max);
		break;
	case RY_OPT_SECONDS:
		rc = ry_parse_seconds(text, o->fmin, o->fmax, o->dest);
		if (rc == RY_ENOTNUM)
			ry_err("invalid value '%s' for %s: not a number of seconds (a unit may "
			       "follow: 500ms, 2s, 1m)", ry_quote(text), name);
		else if (rc)
			ry_err("invalid value '%s' for %s: must be from %g to %g seconds", ry_quote(text),
			       name, o->fmin, o->fmax);
		break;
	case RY_OPT_SIZE:
		rc = ry_parse_size(text, o->min, o->max, o->dest);
		if (rc == RY_ENOTNUM)
			ry_err("invalid value '%s' for %s: not a size (a number, optionally with K, M or G)",
			       ry_quote(text), name);
		else if (rc)
			ry_err("invalid value '%s' for %s: must be from %lu to %lu bytes", ry_quote(text),
			       name, o->min, o->max);
		break;
	case RY_OPT_ENUM:
		rc = -1;
		for (int i = 0; o->choices[i]; i++) {
			if (strcmp(text, o->choices[i]) == 0) {
				*(int *)o->dest = i;
				rc = 0;
				break;
			}
		}
		if (rc) {
			char list[256];
			choices_text(o, list, sizeof list);
			ry_err("invalid value '%s' for %s: must be %s", ry_quote(text), name, list);
		}
		break;
	}
	if (rc == 0 && o->given)
		*o->given = true;
	return rc ? -1 : 0;
}

void ry_opt_usage(const struct ry_cmdline *cl, FILE *f)
{
	/* One line per form of the command ('\n' in the synopsis). */
	const char *form = cl->synopsis;
	for (int k = 0; k == 0 || *form; k++) {
		size_t len = strcspn(form, "\n");
		fprintf(f, "%s rustyc %s [options]%s%.*s\n", k ? "   or:" : "usage:", ry_diag_cmd(),
			len ? " " : "", (int)len, form);
		form += len + (form[len] == '\n');
	}
	if (cl->about)
		fprintf(f, "\n%s", cl->about);
	fputc('\n', f);
	for (size_t i = 0; i <= cl->nopts; i++) {
		static const struct ry_opt help = RY_OPT_F('h', "help", NULL, "show this help");
		const struct ry_opt *o = i < cl->nopts ? &cl->opts[i] : &help;
		char head[64];
		int n;

		if (o->short_name)
			n = snprintf(head, sizeof head, "  -%c, --%s%s%s", o->short_name, o->long_name,
				     o->arg ? " " : "", o->arg ? o->arg : "");
		else
			n = snprintf(head, sizeof head, "      --%s%s%s", o->long_name,
				     o->arg ? " " : "", o->arg ? o->arg : "");
		/* Help text starts in column 24; a longer head gets a line
		 * of its own.  Continuation lines line up under it. */
		fputs(head, f);
		const char *h = o->help;
		if (n >= 23)
			fprintf(f, "\n%24s", "");
		else
			fprintf(f, "%*s", 24 - n, "");
		for (const char *nl; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
			fprintf(f, "%.*s\n%24s", (int)(nl - h), h, "");
		fprintf(f, "%s\n", h);
	}
	if (cl->footer)
		fprintf(f, "\n%s", cl->footer);
}

#define MAX_OPTS 32

/* The branch of the bash completion script for this subcommand (see
 * cmd/completion.c): its options, and the values of those that take a
 * known set. */
static void completion_branch(const struct ry_cmdline *cl)
{
	printf("\t%s)\n\t\topts='-h --help", ry_diag_cmd());
	for (size_t i = 0; i < cl->nopts; i++) {
		const struct ry_opt *o = &cl->opts[i];
		if (o->short_name)
			printf(" -%c", o->short_name);
		printf(" --%s", o->long_name);
	}
	printf("'\n\t\tcase $prev in\n");
	for (size_t i = 0; i < cl->nopts; i++) {
		const struct ry_opt *o = &cl->opts[i];
		if (o->kind == RY_OPT_FLAG || o->kind == RY_OPT_COUNT)
			continue;
		printf("\t\t");
		if (o->short_name)
			printf("-%c|", o->short_name);
		printf("--%s)", o->long_name);
		if (o->choices) {
			printf(" COMPREPLY=($(compgen -W '");
			for (int k = 0; o->choices[k]; k++)
				printf("%s%s", k ? " " : "", o->choices[k]);
			printf("' -- \"$cur\"));");
			/* A choice ending in ':' takes more: no space after it. */
			printf(" [[ ${COMPREPLY[0]} == *: ]] && compopt -o nospace 2>/dev/null;");
		}
		printf(" return ;;\n");
	}
	printf("\t\tesac ;;\n");
}

int ry_opt_parse(const struct ry_cmdline *cl, int argc, char **argv, int *args)
{
	struct option lo[MAX_OPTS + 2];
	char spec[3 * MAX_OPTS + 8], *sp = spec;
	int c;

	if (cl->nopts > MAX_OPTS)
		return 2;	/* a table error, caught by the options test */
	/* A leading ':' makes getopt report a missing value as ':'. */
	*sp++ = ':';
	*sp++ = 'h';
	for (size_t i = 0; i < cl->nopts; i++) {
		const struct ry_opt *o = &cl->opts[i];
		bool has_arg = o->kind != RY_OPT_FLAG && o->kind != RY_OPT_COUNT;
		lo[i] = (struct option){ o->long_name, has_arg ? required_argument : no_argument, NULL,
					 o->short_name ? o->short_name : 256 + (int)i };
		if (o->short_name) {
			*sp++ = o->short_name;
			if (has_arg)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	lo[cl->nopts] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[cl->nopts + 1] = (struct option){ 0 };

	if (argc == 2 && strcmp(argv[1], "--bash-completion") == 0) {
		completion_branch(cl);
		return 0;
	}
	opterr = 0;
	optind = 0;	/* reinitialise getopt, which main used too */
	while ((c = getopt_long(argc, argv, spec, lo, NULL)) != -1) {
		const struct ry_opt *o = NULL;
		char name[80];

		if (c == 'h') {
			ry_opt_usage(cl, stdout);
			return 0;
		}
		if (c == '?') {
			if (optopt > 0 && optopt < 256)
				ry_err("unknown option '%s' (see 'rustyc %s --help')",
				       ry_quote_n((char[]){ '-', (char)optopt }, 2), ry_diag_cmd());
			else
				ry_err("unknown option '%s' (see 'rustyc %s --help')",
				       ry_quote(argv[optind - 1]), ry_diag_cmd());
			return 2;
		}
		if (c == ':') {
			ry_err("option '%s' needs a value", ry_quote(argv[optind - 1]));
			return 2;
		}
		for (size_t i = 0; i < cl->nopts && !o; i++)
			if (c == (cl->opts[i].short_name ? cl->opts[i].short_name : 256 + (int)i))
				o = &cl->opts[i];
		if (!o)
			return 2;	/* cannot happen: getopt returns our values */
		opt_name(o, name, sizeof name);
		if (opt_value(o, name, optarg) != 0)
			return 2;
	}
	int n = argc - optind;
	*args = optind;
	if (n < cl->min_args) {
		ry_err("%s (see 'rustyc %s --help')", cl->missing ? cl->missing : "too few arguments",
		       ry_diag_cmd());
		return 2;
	}
	if (cl->max_args >= 0 && n > cl->max_args) {
		if (cl->max_args == 0)
			ry_err("unexpected argument '%s' (see 'rustyc %s --help')", ry_quote(argv[optind]),
			       ry_diag_cmd());
		else
			ry_err("too many arguments (see 'rustyc %s --help')", ry_diag_cmd());
		return 2;
	}
	return -1;
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
