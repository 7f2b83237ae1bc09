/*
 * What several subcommands do with their operands the same way: an
 * [HOST:]PORT endpoint parsed, checked and resolved (serve, echo-client),
 * with one set of messages; and operands that are lists of targets or
 * names, from the arguments and from stdin.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "net/addr.h"
#include "net/gai.h"
#include "util/diag.h"
#include "util/linesrc.h"
#include "util/opt.h"

#include <unistd.h>

int cmd_endpoint(const struct cmd_endpoint_spec *spec, struct cmd_endpoint *ep)
{
	struct ry_hostport hp;
	const char *why;
	unsigned port;
	int rc;

	if (spec->host && (ry_hostport_parse(spec->host, &hp, &why) != 0 || hp.port[0])) {
		ry_err("invalid value '%s' for %s: %s", ry_quote(spec->host), spec->host_opt,
		       hp.port[0] ? "an address without a port (the port is the argument)" : why);
		return 2;
	}
	rc = ry_endpoint_parse(spec->arg, spec->min_port, &hp, &port, &why);
	if (rc == -ERANGE) {
		ry_err("invalid value '%s' for PORT: must be from %u to 65535", ry_quote(spec->arg),
		       spec->min_port);
		return 2;
	}
	if (rc != 0) {
		ry_err("invalid address '%s': %s", ry_quote(spec->arg), why);
		return 2;
	}
	if (spec->numeric_port && !hp.numeric_port) {
		ry_err("invalid address '%s': give a port number, as in 127.0.0.1:8000",
		       ry_quote(spec->arg));
		return 2;
	}
	if (hp.host[0] && spec->host && strcmp(hp.host, spec->host) != 0) {
		ry_err("'%s' names an address and so does %s ('%s'): give it once",
		       ry_quote(spec->arg), spec->host_opt, ry_quote(spec->host));
		return 2;
	}
	const char *host = hp.host[0] ? hp.host : spec->host ? spec->host : spec->default_host;
	struct ry_lookup q = { .host = host, .port = hp.port, .family = AF_UNSPEC, .passive = spec->passive };
	if (strchr(host, ':'))
		snprintf(ep->shown, sizeof ep->shown, "[%s]:%s", ry_quote(host), hp.port);
	else
		snprintf(ep->shown, sizeof ep->shown, "%s:%s", ry_quote(host), hp.port);
	rc = ry_lookup_first(&q, spec->timeout_ns, &ep->ss, &ep->len, &why);
	if (rc != 0) {
		ry_err("cannot resolve '%s': %s", ep->shown, why ? why : ry_strerror(rc));
		return 2;
	}
	return 0;
}

int cmd_operands(const struct cmd_operand_spec *spec, int argc, char **argv, int args)
{
	struct ry_linesrc src;
	char *text;
	size_t n;
	int got = 0, rc = 0;

	if (args == argc && (!spec->stdin_if_none || isatty(STDIN_FILENO))) {
		ry_err("no %s given (see 'rustyc %s --help')", spec->what, ry_diag_cmd());
		return 2;
	}
	ry_linesrc_init(&src, argv, argc, args, STDIN_FILENO);
	while (rc == 0 && (got = ry_linesrc_next_wait(&src, &text, &n, NULL)) > 0)
		rc = spec->fn(spec->ctx, text, n, src.item_line);
	if (rc == 0 && got < 0) {
		ry_err("cannot read %s from stdin: %s", spec->what, ry_strerror(got));
		rc = 2;
	} else if (rc < 0) {
		ry_err("cannot read %s: %s", spec->what, ry_strerror(rc));
		rc = 2;
	} else if (rc == 0 && src.items == 0) {
		ry_err("no %s given (see 'rustyc %s --help')", spec->what, ry_diag_cmd());
		rc = 2;
	}
	ry_linesrc_free(&src);
	return rc;
}
