package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// maxResponseBytes bounds one answer held while it arrives; a DID document answer is a few KB.
const maxResponseBytes = 4 << 20

// eventLoop sends the open loop's requests and reads their answers on one OS thread, over one epoll
// set: it waits for the next due time and for answers in the same epoll_pwait2 call. On the two-vCPU
// VMs this runs on, a system call costs ~10 µs, and the generator built on Go's netpoller (a reader
// goroutine per connection, woken through the runtime's own epoll, handing the connection back over
// a channel) made ~8 system calls and ~4 context switches per request: ~100 µs of CPU, as much as the
// node it measured, taken from the same two cores. This loop makes about three (write, read, a share of
// epoll_pwait2).
type eventLoop struct {
	ctx     context.Context
	addr    string
	timeout time.Duration
	rec     *recorder

	epfd    int
	events  []unix.EpollEvent
	conns   []*evConn
	idle    []int // indexes into conns with no request in flight, usable
	alive   int
	lastErr error // the last failed redial

	nextCheck time.Time // when in-flight requests are next checked for their timeout
	noPwait2  bool      // the kernel has no epoll_pwait2 (before Linux 5.11)
}

// evConn is one keep-alive connection: its socket and the request in flight on it, if any.
type evConn struct {
	fd       int // -1 once lost
	inflight bool
	due, at  time.Time
	buf      []byte // the answer so far
	eof      bool
	answer   answerReader
}

// begin empties c for its next answer: inflight says whether a request has just been sent on it.
func (c *evConn) begin(inflight bool) {
	c.inflight, c.buf, c.eof, c.answer = inflight, c.buf[:0], false, answerReader{}
}

func newEventLoop(ctx context.Context, addr string, n int, timeout time.Duration, rec *recorder) (*eventLoop, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	l := &eventLoop{ctx: ctx, addr: addr, timeout: timeout, rec: rec, epfd: epfd, events: make([]unix.EpollEvent, n)}
	for i := range n {
		c := &evConn{fd: -1, buf: make([]byte, 0, 16<<10)}
		l.conns = append(l.conns, c)
		if err := l.dial(i); err != nil {
			l.close()
			return nil, err
		}
		l.alive++
		l.idle = append(l.idle, i)
	}
	return l, nil
}

// dial connects conns[i] (blocking: only at the start and after a connection closed) and adds its
// socket to the epoll set. The socket is a duplicate of the one Go's dialer made, which is then
// closed, so that Go's netpoller never watches it.
func (l *eventLoop) dial(i int) error {
	conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(l.ctx, "tcp", l.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	raw, err := conn.(*net.TCPConn).SyscallConn()
	if err != nil {
		return err
	}
	fd := -1
	var dupErr error
	if err := raw.Control(func(s uintptr) { fd, dupErr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil {
		return err
	}
	if dupErr != nil {
		return fmt.Errorf("dup: %w", dupErr)
	}
	// The duplicate shares the socket's non-blocking mode, which Go's dialer set.
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLRDHUP, Fd: int32(i)}
	if err := unix.EpollCtl(l.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		unix.Close(fd)
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	c := l.conns[i]
	c.fd = fd
	c.begin(false)
	return nil
}

// drop closes conns[i]'s socket and dials it again; a connection that cannot be dialed is lost.
func (l *eventLoop) drop(i int) {
	c := l.conns[i]
	unix.EpollCtl(l.epfd, unix.EPOLL_CTL_DEL, c.fd, nil)
	unix.Close(c.fd)
	c.fd, c.inflight = -1, false
	if err := l.dial(i); err != nil {
		l.lastErr = err
		l.alive--
		return
	}
	l.idle = append(l.idle, i)
}

func (l *eventLoop) close() {
	for _, c := range l.conns {
		if c.fd >= 0 {
			unix.Close(c.fd)
		}
	}
	unix.Close(l.epfd)
}

// send writes a request on an idle connection, taking it out of the idle list. A failed write counts
// as that request's transport error.
func (l *eventLoop) send(due, at time.Time, req []byte) {
	i := l.idle[len(l.idle)-1]
	l.idle = l.idle[:len(l.idle)-1]
	c := l.conns[i]
	c.due, c.at = due, at
	c.begin(true)
	if err := writeAll(c.fd, req, at.Add(l.timeout)); err != nil {
		l.rec.record(due, at, 0, err)
		l.drop(i)
	}
}

// writeAll writes req to a non-blocking socket; a request is far smaller than a socket's buffer, so
// waiting for room (poll) is the exception.
func writeAll(fd int, req []byte, deadline time.Time) error {
	for len(req) > 0 {
		n, err := unix.Write(fd, req)
		if n > 0 {
			req = req[n:]
		}
		switch {
		case err == unix.EAGAIN:
			wait := time.Until(deadline)
			if wait <= 0 {
				return errors.New("write timed out")
			}
			pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
			if _, err := unix.Poll(pfd, int(wait/time.Millisecond)+1); err != nil && err != unix.EINTR {
				return fmt.Errorf("poll: %w", err)
			}
		case err == unix.EINTR:
		case err != nil:
			return fmt.Errorf("write: %w", err)
		}
	}
	return nil
}

// poll waits up to wait (0: only what is ready now) for answers and handles those that arrived. It
// reports whether the wait ran out with nothing to handle.
func (l *eventLoop) poll(wait time.Duration) (timedOut bool, err error) {
	n, err := l.epollWait(max(wait, 0))
	if err != nil {
		if err == unix.EINTR {
			return false, nil
		}
		return false, fmt.Errorf("epoll_pwait2: %w", err)
	}
	for _, ev := range l.events[:n] {
		l.readable(int(ev.Fd))
	}
	l.checkTimeouts()
	return n == 0, nil
}

// readable reads what arrived on conns[i] and records its answer once whole.
func (l *eventLoop) readable(i int) {
	c := l.conns[i]
	if c.fd < 0 {
		return
	}
	if len(c.buf) == cap(c.buf) {
		if cap(c.buf) >= maxResponseBytes {
			l.fail(i, fmt.Errorf("answer over %d bytes", maxResponseBytes))
			return
		}
		c.buf = append(c.buf, make([]byte, cap(c.buf))...)[:len(c.buf)]
	}
	n, err := unix.Read(c.fd, c.buf[len(c.buf):cap(c.buf)])
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return
	case err != nil:
		l.fail(i, fmt.Errorf("read: %w", err))
		return
	case n == 0:
		c.eof = true
	default:
		c.buf = c.buf[:len(c.buf)+n]
	}
	if !c.inflight {
		// The server closed an idle connection (or wrote what nobody asked for): use a new one.
		if c.eof || len(c.buf) > 0 {
			l.removeIdle(i)
			l.drop(i)
		}
		return
	}
	a, done, err := c.answer.read(c.buf, c.eof)
	switch {
	case err != nil:
		l.fail(i, err)
	case done:
		l.rec.record(c.due, c.at, a.status, nil)
		closing := a.close || c.eof
		c.begin(false)
		if closing {
			l.drop(i)
		} else {
			l.idle = append(l.idle, i)
		}
	case c.eof:
		l.fail(i, io.ErrUnexpectedEOF)
	}
}

// fail records the request in flight on conns[i] (if any) as a transport error and replaces the
// connection.
func (l *eventLoop) fail(i int, err error) {
	c := l.conns[i]
	if c.inflight {
		l.rec.record(c.due, c.at, 0, err)
	} else {
		l.removeIdle(i)
	}
	l.drop(i)
}

func (l *eventLoop) removeIdle(i int) {
	for k, j := range l.idle {
		if j == i {
			l.idle = append(l.idle[:k], l.idle[k+1:]...)
			return
		}
	}
}

// checkTimeouts fails the requests in flight for longer than the timeout; it looks every few
// milliseconds, which is all a timeout of seconds needs.
func (l *eventLoop) checkTimeouts() {
	now := time.Now()
	if now.Before(l.nextCheck) {
		return
	}
	l.nextCheck = now.Add(5 * time.Millisecond)
	for i, c := range l.conns {
		if c.fd >= 0 && c.inflight && now.Sub(c.at) > l.timeout {
			l.fail(i, fmt.Errorf("no answer within %s", l.timeout))
		}
	}
}

// epollWait is epoll_pwait2: epoll_wait with a nanosecond timeout (epoll_wait's is in milliseconds, too
// coarse for requests due every 200 µs). Where the kernel has none, epoll_wait with the timeout rounded up.
func (l *eventLoop) epollWait(wait time.Duration) (int, error) {
	if !l.noPwait2 {
		ts := unix.NsecToTimespec(int64(wait))
		n, _, errno := unix.Syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(l.epfd), uintptr(unsafe.Pointer(&l.events[0])), uintptr(len(l.events)),
			uintptr(unsafe.Pointer(&ts)), 0, 0)
		if errno != unix.ENOSYS {
			if errno != 0 {
				return 0, errno
			}
			return int(n), nil
		}
		l.noPwait2 = true
	}
	return unix.EpollWait(l.epfd, l.events, int((wait+time.Millisecond-1)/time.Millisecond))
}

// run sends request i of raw (raw[ends[i-1]:ends[i]]) at start + i × interval, each on an idle
// connection (waiting for one counts as lateness), then waits for every answer. It returns what the
// sending cost and how late it was.
func (l *eventLoop) run(start time.Time, interval time.Duration, raw []byte, ends []int, pace *pacer) (Dispatcher, error) {
	late := make([]time.Duration, 0, len(ends))
	cpu0 := threadCPU()
	sleep := func(until time.Time) (bool, error) { return l.poll(time.Until(until)) }
	var err error
	for i := range ends {
		due := start.Add(time.Duration(i) * interval)
		if err = pace.wait(l.ctx, due, sleep); err != nil {
			break
		}
		if err = l.ctx.Err(); err != nil {
			break
		}
		for len(l.idle) == 0 && err == nil {
			if l.alive == 0 {
				err = fmt.Errorf("no connection left: %w", l.lastErr)
				break
			}
			if _, err = l.poll(10 * time.Millisecond); err == nil {
				err = l.ctx.Err()
			}
		}
		if err != nil {
			break
		}
		at := time.Now()
		late = append(late, at.Sub(due))
		from := 0
		if i > 0 {
			from = ends[i-1]
		}
		l.send(due, at, raw[from:ends[i]])
	}
	d := Dispatcher{Spun: pace.spun, Sleeps: pace.sleeps, Late: Summarize(late, time.Since(start))}
	for err == nil && l.inflight() {
		if _, err = l.poll(10 * time.Millisecond); err == nil {
			err = l.ctx.Err()
		}
	}
	d.CPU = threadCPU() - cpu0
	return d, err
}

func (l *eventLoop) inflight() bool {
	for _, c := range l.conns {
		if c.fd >= 0 && c.inflight {
			return true
		}
	}
	return false
}
