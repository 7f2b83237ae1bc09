#include "net/serve_printer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/chan.h"
#include "core/thread.h"
#include "net/addr.h"
#include "util/out.h"
#include "util/time.h"

#define OUT_MAX ((size_t)64 * 1024)

/* Lines on their way to the printer thread, in blocks: a worker appends
 * records to a block of its own and hands the whole block over at the
 * end of its round (ry_printer_round), so the queue and the allocator
 * see one block per round or per 32 KiB, not one record per line (a
 * malloc per line on the workers and a free on the printer contended
 * for glibc's arena lock and cost 20% of print mode's throughput).
 * A record: the line's length (4 bytes), the peer's length (1 byte),
 * the peer, the line. */
struct block {
	size_t len, cap, lines;
	char data[];
};

#define BLOCK_MIN ((size_t)32 * 1024)

/* The calling worker's open block.  One printer per process. */
static _Thread_local struct block *tl_block;

struct ry_printer {
	struct ry_printer_config cfg;
	struct ry_sender *tx;		/* producers' side */
	struct ry_receiver *rx;		/* the printer thread's */
	struct ry_thread *thread;
	atomic_int failed;		/* a write failed: -EPIPE (the reader
					 * left) or another negative errno */
	atomic_bool done;		/* the thread has ended */
	_Atomic int64_t deadline;	/* finish: give up after it (0: none) */
	const atomic_bool *_Atomic hurry; /* finish: give up at once */
	atomic_uint_fast64_t delivered, undelivered;
	atomic_uint_fast64_t accepted;	/* lines handed over in blocks */
	/* Printer thread only: memory of lines taken off the queue, given
	 * back to *mem_used in one step per buffer (an atomic per line,
	 * shared with the workers, cost 20% of print mode's throughput). */
	size_t freed;
	/* Printer thread only. */
	char *out;
	size_t out_len, out_lines;
	struct ry_rec rec;
};

static size_t block_size(const struct block *b)
{
	return sizeof *b + b->cap;
}

static bool give_up(struct ry_printer *p)
{
	int64_t d = atomic_load(&p->deadline);
	const atomic_bool *h = atomic_load(&p->hurry);

	return atomic_load(&p->failed) || (h && atomic_load(h)) || (d && ry_now_ns() >= d);
}

/* Writes the buffer out: one write(2) for up to 64 KiB of lines.  It
 * may block while the reader does not read; workers never wait for it
 * (their memory budget does), and ry_printer_finish leaves a printer
 * stuck past the drain deadline behind.  On giving up, or a failed
 * write, the lines in the buffer count as undelivered. */
static void give_back(struct ry_printer *p)
{
	if (p->freed) {
		atomic_fetch_sub(p->cfg.mem_used, p->freed);
		p->freed = 0;
	}
}

static void write_out(struct ry_printer *p)
{
	size_t off = 0;

	while (off < p->out_len && !give_up(p)) {
		ssize_t k = write(p->cfg.fd, p->out + off, p->out_len - off);
		if (k > 0) {
			off += (size_t)k;
		} else if (k < 0 && errno != EINTR) {
			int none = 0;
			atomic_compare_exchange_strong(&p->failed, &none, -errno);
		}
	}
	if (off == p->out_len)
		atomic_fetch_add(&p->delivered, p->out_lines);
	else
		atomic_fetch_add(&p->undelivered, p->out_lines);
	p->out_len = p->out_lines = 0;
	give_back(p);
}

static void take_line(struct ry_printer *p, const char *peer, const char *line, size_t len)
{
	if (give_up(p)) {
		atomic_fetch_add(&p->undelivered, 1);
		return;
	}
	ry_rec_begin(&p->rec);
	ry_rec_cstr(&p->rec, "peer", peer, p->cfg.json || p->cfg.peer ? 0 : RY_REC_JSON);
	if (!p->cfg.json && !p->cfg.keep_cr && len > 0 && line[len - 1] == '\r')
		len--;
	ry_rec_str(&p->rec, "line", line, len, 0);
	ry_rec_end(&p->rec);
	struct ry_buf *b = &p->rec.b;
	if (b->oom || !b->p) {
		atomic_fetch_add(&p->undelivered, 1);
		return;
	}
	if (p->out_len + b->len + 1 > OUT_MAX)
		write_out(p);
	if (b->len + 1 > OUT_MAX) {
		/* A record longer than the buffer goes out alone. */
		char *keep = p->out;
		p->out = b->p;
		p->out_len = b->len;
		p->out[p->out_len++] = '\n';	/* over the NUL */
		p->out_lines = 1;
		write_out(p);
		p->out = keep;
		ry_rec_begin(&p->rec);
		return;
	}
	memcpy(p->out + p->out_len, b->p, b->len);
	p->out_len += b->len;
	p->out[p->out_len++] = '\n';
	p->out_lines++;
}

static void take(struct ry_printer *p, struct block *blk)
{
	char peer[RY_ADDRSTR_MAX];

	for (size_t off = 0; off < blk->len;) {
		uint32_t len;
		unsigned char plen;
		memcpy(&len, blk->data + off, sizeof len);
		plen = (unsigned char)blk->data[off + sizeof len];
		memcpy(peer, blk->data + off + sizeof len + 1, plen);
		peer[plen] = '\0';
		take_line(p, peer, blk->data + off + sizeof len + 1 + plen, len);
		off += sizeof len + 1 + plen + len;
	}
	p->freed += block_size(blk);
	free(blk);
}

static void *run(void *arg)
{
	struct ry_printer *p = arg;
	struct block *r;

	for (;;) {
		int rc = ry_chan_try_recv(p->rx, &r);
		if (rc == -EAGAIN) {
			/* Idle: let readers see what we have. */
			if (p->out_len)
				write_out(p);
			give_back(p);
			rc = ry_chan_recv(p->rx, &r);
		}
		if (rc != 0)
			break;		/* every producer is done */
		take(p, r);
	}
	if (p->out_len)
		write_out(p);
	atomic_store(&p->done, true);
	return NULL;
}

struct ry_printer *ry_printer_start(const struct ry_printer_config *cfg)
{
	struct ry_printer *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->cfg = *cfg;
	p->out = malloc(OUT_MAX);
	ry_rec_init(&p->rec, cfg->json);
	if (!p->out || ry_chan_new(sizeof(struct block *), RY_CHAN_UNBOUNDED, &p->tx, &p->rx) != 0)
		goto out_free;
	p->thread = ry_thread_spawn(run, p, "serve-print");
	if (!p->thread) {
		ry_sender_drop(p->tx);
		ry_receiver_drop(p->rx);
		goto out_free;
	}
	return p;

out_free:
	free(p->out);
	ry_rec_destroy(&p->rec);
	free(p);
	errno = ENOMEM;
	return NULL;
}

int ry_printer_line(struct ry_printer *p, const char *peer, const char *line, size_t len)
{
	size_t plen = strnlen(peer, RY_ADDRSTR_MAX - 1);
	size_t need = sizeof(uint32_t) + 1 + plen + len;
	struct block *b = tl_block;

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	if (b && b->len + need > b->cap) {
		ry_printer_round(p);
		b = NULL;
	}
	if (!b) {
		size_t cap = need > BLOCK_MIN ? need : BLOCK_MIN;
		b = malloc(sizeof *b + cap);
		if (!b) {
			atomic_fetch_add(&p->undelivered, 1);
			return -ENOMEM;
		}
		b->len = b->lines = 0;
		b->cap = cap;
		atomic_fetch_add_explicit(p->cfg.mem_used, block_size(b), memory_order_relaxed);
		tl_block = b;
	}
	uint32_t l32 = (uint32_t)len;
	memcpy(b->data + b->len, &l32, sizeof l32);
	b->data[b->len + sizeof l32] = (char)plen;
	memcpy(b->data + b->len + sizeof l32 + 1, peer, plen);
	memcpy(b->data + b->len + sizeof l32 + 1 + plen, line, len);
	b->len += need;
	b->lines++;
	return 0;
}

int ry_printer_round(struct ry_printer *p)
{
	struct block *b = tl_block;

	if (!b || b->lines == 0)
		return 0;
	tl_block = NULL;
	size_t lines = b->lines;
	if (ry_chan_send(p->tx, &b) != 0) {
		atomic_fetch_sub(p->cfg.mem_used, block_size(b));
		atomic_fetch_add(&p->undelivered, lines);
		free(b);
		return -EPIPE;
	}
	atomic_fetch_add_explicit(&p->accepted, lines, memory_order_relaxed);
	return 0;
}

int ry_printer_status(struct ry_printer *p)
{
	return atomic_load(&p->failed);
}

void ry_printer_finish(struct ry_printer *p, int64_t deadline_ns, const atomic_bool *hurry,
		       struct ry_printer_stats *st)
{
	atomic_store(&p->hurry, hurry);
	atomic_store(&p->deadline, deadline_ns);
	ry_sender_drop(p->tx);	/* the thread ends once it has drained */
	/* The thread gives up between writes once the deadline passes; wait a
	 * little past it, then leave it behind rather than hang (a write
	 * that blocks after all, on a terminal stopped mid-page). */
	while (!atomic_load(&p->done) && ry_now_ns() < deadline_ns + 200000000 &&
	       !(hurry && atomic_load(hurry))) {
		struct timespec ts = { 0, 20000000 };
		nanosleep(&ts, NULL);
	}
	st->delivered = atomic_load(&p->delivered);
	if (atomic_load(&p->done)) {
		ry_thread_join(p->thread, NULL);
		st->undelivered = atomic_load(&p->undelivered);
		ry_receiver_drop(p->rx);
		free(p->out);
		ry_rec_destroy(&p->rec);
		free(p);
		return;
	}
	/* Stuck in a write: what is still queued or buffered is
	 * undelivered, and the thread and its state are left to the
	 * process's end. */
	st->undelivered = atomic_load(&p->accepted) - st->delivered;
	ry_thread_detach(p->thread);
}
