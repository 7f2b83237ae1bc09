#include "net/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "net/icmp_sock.h"
#include "util/proc.h"
#include "net/sweep_impl.h"

/* The methods, in the order --help lists them. */
static const struct ry_sweep_method *const methods[] = {
	&ry_sweep_auto,
	&ry_sweep_icmp,
	&ry_sweep_arp,
	&ry_sweep_exec,
	&ry_sweep_tcp,
};

#define NMETHODS (sizeof methods / sizeof methods[0])

const struct ry_sweep_method *ry_sweep_method_find(const char *name)
{
	for (size_t i = 0; i < NMETHODS; i++)
		if (strcmp(methods[i]->name, name) == 0)
			return methods[i];
	return NULL;
}

/* The texts made from the table, once. */
static struct {
	char list[128];			/* "auto, icmp, ... or tcp:PORT" */
	char help[512];			/* one line per method */
	char names[NMETHODS][16];	/* as -m takes them: "tcp:" */
	const char *choices[NMETHODS + 1];
} texts;
static pthread_once_t text_once = PTHREAD_ONCE_INIT;

static void text_make(void)
{
	for (size_t i = 0; i < NMETHODS; i++) {
		const struct ry_sweep_method *m = methods[i];
		char shown[24];
		size_t l = strlen(texts.list), h = strlen(texts.help);
		snprintf(texts.names[i], sizeof texts.names[i], "%s%s", m->name, m->takes_port ? ":" : "");
		texts.choices[i] = texts.names[i];
		snprintf(texts.list + l, sizeof texts.list - l, "%s%s%s",
			 i == 0 ? "" : i + 1 == NMETHODS ? " or " : ", ", m->name, m->takes_port ? ":PORT" : "");
		snprintf(shown, sizeof shown, "%s%s", m->name, m->takes_port ? ":PORTS" : "");
		snprintf(texts.help + h, sizeof texts.help - h, "\n  %-11s%s%s", shown, m->help,
			 i == 0 ? " (default)" : "");
	}
}

const char *ry_sweep_method_list(void)
{
	(void)pthread_once(&text_once, text_make);
	return texts.list;
}

const char *ry_sweep_method_help(void)
{
	(void)pthread_once(&text_once, text_make);
	return texts.help;
}

const char *const *ry_sweep_method_choices(void)
{
	(void)pthread_once(&text_once, text_make);
	return texts.choices;
}

int ry_sweep_method_parse(const char *text, struct ry_sweep_config *cfg, const char **why)
{
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);

	for (size_t i = 0; i < NMETHODS; i++) {
		const struct ry_sweep_method *m = methods[i];
		if (strlen(m->name) != len || strncmp(m->name, text, len) != 0)
			continue;
		if (!m->takes_port && colon) {
			*why = "this method takes no port";
			return RY_EBADADDR;
		}
		if (m->takes_port && !colon) {
			*why = "give a port, as in tcp:22";
			return RY_EBADADDR;
		}
		if (m->takes_port) {
			/* A list: numbers and service names, comma-separated. */
			const char *p = colon + 1;
			unsigned n = 0;
			for (;;) {
				char item[RY_SERV_MAX];
				size_t ilen = strcspn(p, ",");
				unsigned long port;
				unsigned sport;
				if (ilen == 0 || ilen >= sizeof item) {
					*why = "give ports from 1 to 65535 or service names, comma-separated";
					return -ERANGE;
				}
				if (n == RY_SWEEP_MAXPORTS) {
					*why = "at most 16 ports";
					return -ERANGE;
				}
				memcpy(item, p, ilen);
				item[ilen] = 0;
				if (strspn(item, "0123456789") == ilen) {
					port = strtoul(item, NULL, 10);
					if (port < 1 || port > 65535) {
						*why = "must be from 1 to 65535";
						return -ERANGE;
					}
				} else if (ry_service_port(item, &sport) == 0) {
					port = sport;
				} else {
					*why = "not a port number or a known service name";
					return -ERANGE;
				}
				cfg->tcp_ports[n++] = (unsigned)port;
				if (!p[ilen])
					break;
				p += ilen + 1;
			}
			cfg->ntcp_ports = n;
		}
		cfg->method = m;
		return 0;
	}
	*why = NULL;	/* not a method: the caller lists them */
	return RY_EBADADDR;
}

int ry_sweep_usable(struct ry_sweep_config *cfg, const struct ry_ipaddr *t, size_t n,
		    bool *fell_back)
{
	bool v4 = false, v6 = false, raw;

	*fell_back = false;
	if (!cfg->method || !cfg->method->privileged || cfg->method == &ry_sweep_auto)
		return 0;	/* auto finds its way per target */
	if (cfg->method == &ry_sweep_arp)
		return ry_sweep_arp_access();
	for (size_t i = 0; i < n; i++)
		*(t[i].family == AF_INET ? &v4 : &v6) = true;
	if ((!v4 || ry_icmp_access(AF_INET, &raw) == 0) && (!v6 || ry_icmp_access(AF_INET6, &raw) == 0))
		return 0;
	if (!ry_proc_exists(cfg->ping ? cfg->ping : "ping"))
		return -EPERM;
	cfg->method = &ry_sweep_exec;
	*fell_back = true;
	return 0;
}

int ry_sweep_choose(struct ry_sweep_config *cfg, const struct ry_ipaddr *t, size_t n,
		    struct ry_sweep_choice *ch)
{
	*ch = (struct ry_sweep_choice){ RY_SWEEP_OK, false, 0 };
	/* Count mode counts echoes; auto without an on-link target or
	 * without packet sockets (so without raw ICMP either) is icmp, with
	 * its unprivileged socket and its fallback. */
	if (cfg->method == &ry_sweep_auto &&
	    (cfg->count || ry_sweep_arp_onlink(t, n, NULL) == 0 || ry_sweep_arp_access() != 0))
		cfg->method = &ry_sweep_icmp;
	if (cfg->method == &ry_sweep_arp) {
		if (ry_sweep_arp_access() != 0) {
			ch->refused = RY_SWEEP_NO_PACKET;
			return -EPERM;
		}
		ch->off_link = n - ry_sweep_arp_onlink(t, n, NULL);
		return 0;
	}
	if (ry_sweep_usable(cfg, t, n, &ch->fell_back) != 0) {
		ch->refused = RY_SWEEP_NO_ICMP;
		return -EPERM;
	}
	if (ch->fell_back && cfg->count) {
		ch->refused = RY_SWEEP_NO_COUNT;
		return -EPERM;
	}
	return 0;
}

int ry_sweep_run(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	if (!cfg->method)
		return -EINVAL;
	for (size_t i = 0; cfg->by && i < n; i++)
		cfg->by[i] = cfg->method;
	return cfg->method->run(t, n, cfg, up);
}
