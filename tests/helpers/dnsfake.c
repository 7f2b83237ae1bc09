/*
 * dnsfake PORT [--burst N]: a hostile name server for tests, on
 * 127.0.0.1:PORT over UDP and TCP.  Prints "ready" once both listen.
 * What it answers depends on the first label of the question:
 *
 *   ok-N       A 198.51.100.(N % 256), TTL 300 (AAAA: no data)
 *   nx-*       NXDOMAIN
 *   servfail-* SERVFAIL
 *   garbage-*  the right id, then bytes that are no DNS message
 *   short-*    five bytes
 *   badid-*    a well-formed answer with another id (to be ignored)
 *   wrongq-*   a well-formed answer to another question (ignored)
 *   slow-*     a right answer, 3 s late
 *   silent-*   nothing
 *   big-*      over UDP: an empty answer with TC set; over TCP: 100 A
 *              records (so the answer only arrives by the TCP retry)
 *   bigrd-*    an A record whose length runs past the message
 *   ptrloop-*  an answer whose name is a compression pointer to itself
 *   weird-*    TXT with control bytes, SOA, MX, SRV, CAA records for
 *              the record parsers
 *   flood-N    over UDP: 2,000 copies of the answer under a wrong id,
 *              back to back (a spoofer's flood), then ok-N's answer
 *
 * Options (any number, in any order):
 *
 * --queue US: a server with a short queue, as dnsmasq is: an 8 KiB
 * socket buffer (a few dozen queries) and US microseconds of work per
 * query, so that whatever arrives while the buffer is full is dropped
 * by the kernel.
 * --every N: only every Nth query for a name and type over UDP gets its
 * answer (N = 2: a server that answers every other query, as DNS
 * response rate limiting with "slip 2" does); the rest are dropped.
 * --delay MS: every UDP answer leaves MS milliseconds after its query
 * came (a server that answers late, but answers).
 *
 * The count of queries received goes to stderr at SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static unsigned long received;

static void on_term(int sig)
{
	done = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct msg {
	unsigned char b[8192];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	if (m->n + n <= sizeof m->b) {
		memcpy(m->b + m->n, p, n);
		m->n += n;
	}
}

static void put16(struct msg *m, unsigned v)
{
	unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };
	put(m, b, 2);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* A record for the question's name (a pointer to offset 12). */
static void rr(struct msg *m, unsigned type, uint32_t ttl, const void *rd, size_t n)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	put16(m, (unsigned)n);
	put(m, rd, n);
}

/* A name in wire form into rd; its length. */
static size_t wname(unsigned char *rd, const char *name)
{
	size_t k = 0;

	while (*name) {
		size_t l = strcspn(name, ".");
		rd[k++] = (unsigned char)l;
		memcpy(rd + k, name, l);
		k += l;
		name += l + (name[l] == '.');
	}
	rd[k++] = 0;
	return k;
}

/* Builds the answer to query q (n bytes); 0: no answer. */
static size_t answer(const unsigned char *q, size_t n, bool tcp, struct msg *m, int *delay_ms)
{
	char label[64] = "";
	size_t p = 12, qend;
	unsigned qtype;

	*delay_ms = 0;
	m->n = 0;
	if (n < 17)
		return 0;
	if (q[12] > 0 && q[12] < 64 && 13u + q[12] <= n) {
		memcpy(label, q + 13, q[12]);
		label[q[12]] = '\0';
	}
	while (p < n && q[p])
		p += 1u + q[p];
	if (p + 5 > n)
		return 0;
	qend = p + 5;
	qtype = (unsigned)q[p + 1] << 8 | q[p + 2];

	/* Header: same id, QR, opcode 0, RD copied, RA. */
	put(m, q, 2);
	put16(m, 0x8180);
	put16(m, 1);
	put16(m, 0);	/* ancount, set below */
	put16(m, 0);
	put16(m, 0);
	put(m, q + 12, qend - 12);
	unsigned an = 0;

	if (strncmp(label, "silent-", 7) == 0)
		return 0;
	if (strncmp(label, "garbage-", 8) == 0) {
		m->n = 2;
		put(m, "\x81\x80\xff\xff\xff\xff\x00\x00\x00\x00garbage", 17);
		return m->n;
	}
	if (strncmp(label, "short-", 6) == 0) {
		m->n = 5;
		return m->n;
	}
	if (strncmp(label, "nx-", 3) == 0) {
		m->b[3] = 0x83;
		return m->n;
	}
	if (strncmp(label, "servfail-", 9) == 0) {
		m->b[3] = 0x82;
		return m->n;
	}
	if (strncmp(label, "badid-", 6) == 0)
		m->b[0] ^= 0x55;
	if (strncmp(label, "wrongq-", 7) == 0)
		m->b[13] ^= 0x20;	/* the question's first letter, case flipped... */
	if (strncmp(label, "wrongq-", 7) == 0 && m->n > 14)
		m->b[14] = 'Q';		/* ...and a letter changed */
	if (strncmp(label, "slow-", 5) == 0)
		*delay_ms = 3000;
	if (strncmp(label, "big-", 4) == 0) {
		if (!tcp) {
			m->b[2] |= 0x02;	/* TC */
			return m->n;
		}
		for (unsigned i = 0; i < 100 && qtype == 1; i++, an++) {
			unsigned char a[4] = { 198, 51, 100, (unsigned char)i };
			rr(m, 1, 60, a, 4);
		}
	} else if (strncmp(label, "bigrd-", 6) == 0 && qtype == 1) {
		put16(m, 0xc00c);
		put16(m, 1);
		put16(m, 1);
		put32(m, 60);
		put16(m, 4000);	/* far past the end */
		put(m, "\1\2\3\4", 4);
		an++;
	} else if (strncmp(label, "ptrloop-", 8) == 0) {
		size_t at = m->n;
		put16(m, 0xc000 | (unsigned)at);	/* points at itself */
		put16(m, qtype);
		put16(m, 1);
		put32(m, 60);
		put16(m, 2);
		put16(m, 0xc000 | (unsigned)at);
		an++;
	} else if (strncmp(label, "weird-", 6) == 0) {
		unsigned char rd[512];
		size_t k;
		switch (qtype) {
		case 16:	/* TXT: an escape sequence, a newline, a NUL; then
				 * quotes and a backslash that could fake a boundary */
			memcpy(rd, "\x0b" "a\x1b[31mb\nc\0d" "\x02" "ok", 15);
			rr(m, 16, 30, rd, 15);
			memcpy(rd, "\x0c" "hi \"x\" \\ \"y", 13);
			rr(m, 16, 30, rd, 13);
			an += 2;
			break;
		case 12:	/* PTR: a name with a space and a quote in a label */
			memcpy(rd, "\x07" "a b\"c.d" "\x05" "weird" "\x04" "test" "\0", 20);
			rr(m, 12, 30, rd, 20);
			an++;
			break;
		case 6:		/* SOA */
			k = wname(rd, "ns1.weird.test");
			k += wname(rd + k, "hostmaster.weird.test");
			memcpy(rd + k, "\0\0\0\x07\0\0\x0e\x10\0\0\x07\x08\0\x09\x3a\x80\0\0\x01\x2c", 20);
			rr(m, 6, 3600, rd, k + 20);
			an++;
			break;
		case 15:	/* MX */
			rd[0] = 0;
			rd[1] = 20;
			k = 2 + wname(rd + 2, "mx2.weird.test");
			rr(m, 15, 40, rd, k);
			rd[1] = 10;
			k = 2 + wname(rd + 2, "mx1.weird.test");
			rr(m, 15, 50, rd, k);
			an += 2;
			break;
		case 33:	/* SRV */
			memcpy(rd, "\0\1\0\2\0\x35", 6);
			k = 6 + wname(rd + 6, "dns.weird.test");
			rr(m, 33, 60, rd, k);
			an++;
			break;
		case 257:	/* CAA */
			memcpy(rd, "\x80\x05issueca.test", 14);
			rr(m, 257, 70, rd, 14);
			an++;
			break;
		default:
			break;
		}
	} else if (strncmp(label, "ok-", 3) == 0 || strncmp(label, "slow-", 5) == 0 ||
		   strncmp(label, "flood-", 6) == 0 ||
		   strncmp(label, "badid-", 6) == 0 || strncmp(label, "wrongq-", 7) == 0) {
		const char *digits = strchr(label, '-') + 1;
		unsigned char a[4] = { 198, 51, 100, (unsigned char)atoi(digits) };
		if (qtype == 1) {
			rr(m, 1, 300, a, 4);
			an++;
		}
	}
	m->b[6] = (unsigned char)(an >> 8);
	m->b[7] = (unsigned char)an;
	return m->n;
}

/* Answers waiting to leave (slow-*, --delay), in the order they came: a
 * ring, as every delay of one run is the same (an answer due earlier
 * behind a later one leaves with it). */
#define LATER 16384

/* --every: how often each question was asked, by hash. */
#define ASKED 65536

static uint32_t question_hash(const unsigned char *q, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 12; i < n; i++) {
		unsigned char c = q[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	return h;
}

struct later {
	int64_t due;
	struct sockaddr_in to;
	size_t n;
	unsigned char b[512];
};

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	unsigned work_us = 0, every = 1, delay_all = 0;
	static struct later later[LATER];
	static unsigned asked[ASKED];
	size_t head = 0, tail = 0;	/* later[head..tail) wait */
	int one = 1;

	if (argc < 2 || argc % 2 != 0) {
		fprintf(stderr, "usage: dnsfake PORT [--queue US] [--every N] [--delay MS]\n");
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	for (int i = 2; i + 1 < argc; i += 2) {
		unsigned v = (unsigned)atoi(argv[i + 1]);
		if (strcmp(argv[i], "--queue") == 0) {
			work_us = v;
		} else if (strcmp(argv[i], "--every") == 0 && v > 0) {
			every = v;
		} else if (strcmp(argv[i], "--delay") == 0) {
			delay_all = v;
		} else {
			fprintf(stderr, "dnsfake: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	int u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (u < 0 || t < 0 || bind(u, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    bind(t, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(t, 16) != 0) {
		perror("dnsfake");
		return 2;
	}
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Without --queue, room for any burst a test sends: only --queue
	 * drops for want of room. */
	int buf = work_us ? 8 * 1024 : 4 << 20;
	setsockopt(u, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	printf("ready\n");
	fflush(stdout);
	while (!done) {
		struct pollfd pf[2] = { { u, POLLIN, 0 }, { t, POLLIN, 0 } };
		int64_t now = now_ms(), wait = 100;
		while (head != tail && later[head % LATER].due <= now) {
			struct later *l = &later[head++ % LATER];
			sendto(u, l->b, l->n, 0, (struct sockaddr *)&l->to, sizeof l->to);
		}
		if (head != tail && later[head % LATER].due - now < wait)
			wait = later[head % LATER].due - now;
		if (poll(pf, 2, (int)wait) <= 0)
			continue;
		if (pf[0].revents & POLLIN) {
			unsigned char q[1500];
			struct sockaddr_in from;
			socklen_t fl = sizeof from;
			ssize_t n = recvfrom(u, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
			struct msg m;
			int delay;
			if (n <= 0)
				continue;
			received++;
			now = now_ms();
			if (work_us) {
				struct timespec w = { 0, (long)work_us * 1000 };
				nanosleep(&w, NULL);
			}
			if (every > 1 && ++asked[question_hash(q, (size_t)n) % ASKED] % every != 0)
				continue;
			if (!answer(q, (size_t)n, false, &m, &delay))
				continue;
			if (!delay)
				delay = (int)delay_all;
			if (n > 19 && memcmp(q + 13, "flood-", 6) == 0) {
				m.b[0] ^= 0x55;
				for (int k = 0; k < 2000; k++)
					sendto(u, m.b, m.n, 0, (struct sockaddr *)&from, fl);
				m.b[0] ^= 0x55;
			}
			if (!delay) {
				sendto(u, m.b, m.n, 0, (struct sockaddr *)&from, fl);
				continue;
			}
			if (tail - head < LATER && m.n <= sizeof later[0].b) {
				struct later *l = &later[tail++ % LATER];
				l->due = now + delay;
				l->to = from;
				l->n = m.n;
				memcpy(l->b, m.b, m.n);
			}
		}
		if (pf[1].revents & POLLIN) {
			/* TCP: one query per connection, answered at once. */
			int c = accept(t, NULL, NULL);
			unsigned char q[1500];
			size_t got = 0;
			struct msg m;
			int delay;
			if (c < 0)
				continue;
			struct timeval tv = { 1, 0 };
			setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
			while (got < 2 || got < 2u + ((unsigned)q[0] << 8 | q[1])) {
				ssize_t n = read(c, q + got, sizeof q - got);
				if (n <= 0)
					break;
				got += (size_t)n;
			}
			if (got >= 2 && answer(q + 2, got - 2, true, &m, &delay)) {
				unsigned char len[2] = { (unsigned char)(m.n >> 8), (unsigned char)m.n };
				if (write(c, len, 2) == 2 && write(c, m.b, m.n) < 0)
					perror("dnsfake: tcp");
			}
			close(c);
		}
	}
	fprintf(stderr, "dnsfake: %lu received\n", received);
	return 0;
}
