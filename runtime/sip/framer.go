package sip

import "bytes"

// FrameKind says what Framer.Next produced.
type FrameKind uint8

const (
	// FrameNone: no complete unit yet; Feed more bytes.
	FrameNone FrameKind = iota
	// FrameMessage: one complete SIP message.
	FrameMessage
	// FrameKeepalive: a "\r\n\r\n" ping (RFC 5626 §3.5.1); answer "\r\n".
	FrameKeepalive
)

// Framer cuts a byte stream (TCP, TLS) into SIP messages by
// Content-Length, incrementally and in linear time: bytes already searched
// are not searched again, and the header section is indexed once, with the
// same code Parse uses, so framer and parser always agree on where a
// message ends. A single CRLF between messages is skipped (RFC 3261 §7.5);
// "\r\n\r\n" there is reported as a keepalive.
//
// Every error is final: the stream has lost its framing (missing,
// malformed or duplicated Content-Length, an over-long message, too many
// headers, bytes that cannot start a SIP message) and the connection must be
// closed. Next keeps returning that error.
//
// The zero value is ready to use. A Framer is not safe for concurrent use.
type Framer struct {
	// Limits applies to every message; zero fields are the defaults.
	Limits Limits
	// AcceptNoCL takes a message without Content-Length as having no
	// body (Kamailio's tcp_accept_no_cl) instead of failing the stream.
	// Parse such a message with StreamNoCL.
	AcceptNoCL bool

	buf     []byte
	start   int // first unconsumed byte
	scanned int // bytes of the current message already searched for the header end
	need    int // length of the current message once its headers are known, else 0
	err     error
	scratch Message
}

// Feed appends p to the stream. Slices returned by Next before this call
// become invalid (their bytes may be moved). Drain Next before feeding
// again, so that the buffer stays bounded by one message plus one read.
func (f *Framer) Feed(p []byte) {
	if f.err != nil || len(p) == 0 {
		return
	}
	if f.start > 0 {
		n := copy(f.buf, f.buf[f.start:])
		f.buf = f.buf[:n]
		f.start = 0
	}
	f.buf = append(f.buf, p...)
}

// Buffered returns the number of bytes fed but not yet returned.
func (f *Framer) Buffered() int { return len(f.buf) - f.start }

// Reset forgets all state, keeping the buffer's storage.
func (f *Framer) Reset() {
	lim, noCL := f.Limits, f.AcceptNoCL
	buf := f.buf[:0]
	scratch := f.scratch
	*f = Framer{Limits: lim, AcceptNoCL: noCL, buf: buf, scratch: scratch}
}

func (f *Framer) fail(err error) ([]byte, FrameKind, error) {
	f.err = err
	return nil, FrameNone, err
}

// Next returns the next complete message or keepalive. The returned slice
// is a view into the Framer's buffer, valid until the next Feed: parse it
// (or copy it) before feeding more.
func (f *Framer) Next() ([]byte, FrameKind, error) {
	if f.err != nil {
		return nil, FrameNone, f.err
	}
	lim := f.Limits.resolved()
	// Each pass either returns or consumes two bytes, so the loop is
	// bounded by the buffered length.
	for {
		data := f.buf[f.start:]
		if f.need == 0 {
			if f.scanned == 0 {
				if len(data) == 0 || (len(data) == 1 && data[0] == '\r') {
					return nil, FrameNone, nil
				}
				if data[0] == '\r' {
					if data[1] != '\n' {
						return f.fail(newErr(ErrFraming, "Bare CR between messages", f.start))
					}
					if len(data) < 3 || (len(data) == 3 && data[2] == '\r') {
						return nil, FrameNone, nil
					}
					if len(data) >= 4 && data[2] == '\r' && data[3] == '\n' {
						f.start += 4
						return data[:4], FrameKeepalive, nil
					}
					f.start += 2 // a lone CRLF before a start line is ignored
					continue
				}
				// A start line begins with a method (token) or "SIP/": this
				// stops binary garbage (e.g. a TLS ClientHello) at once.
				if !isToken(data[0]) {
					return f.fail(newErr(ErrFraming, "Not a SIP message", f.start))
				}
			}
			from := f.scanned - 3
			if from < 0 {
				from = 0
			}
			idx := bytes.Index(data[from:], []byte("\r\n\r\n"))
			if idx < 0 {
				f.scanned = len(data)
				if len(data) > lim.MaxSize {
					return f.fail(newErr(ErrTooLarge, "Message Too Large", f.start))
				}
				return nil, FrameNone, nil
			}
			h := from + idx + 4
			if h > lim.MaxSize {
				return f.fail(newErr(ErrTooLarge, "Message Too Large", f.start))
			}
			cl, err := f.contentLength(data[:h], lim)
			if err != nil {
				return f.fail(err)
			}
			if h+cl > lim.MaxSize {
				// Refused before buffering the announced body.
				return f.fail(newErr(ErrTooLarge, "Message Too Large", f.start))
			}
			f.need = h + cl
			f.scanned = h
		}
		if len(data) < f.need {
			return nil, FrameNone, nil
		}
		msg := data[:f.need]
		f.start += f.need
		f.need, f.scanned = 0, 0
		return msg, FrameMessage, nil
	}
}

// contentLength indexes the header section b (ending with CRLFCRLF) and
// returns its Content-Length. Duplicated headers other than Content-Length
// do not affect framing; Parse reports them once the message is cut.
func (f *Framer) contentLength(b []byte, lim Limits) (int, error) {
	m := &f.scratch
	m.Reset()
	nl := bytes.IndexByte(b, '\n')
	if nl <= 0 || b[nl-1] != '\r' {
		return 0, newErr(ErrFraming, "Bad start line", 0)
	}
	if _, _, err := m.indexHeaders(b, nl+1, lim.MaxHeaders); err != nil {
		return 0, err
	}
	if m.cl < 0 {
		if f.AcceptNoCL {
			return 0, nil
		}
		return 0, newErr(ErrFraming, "Missing Content-Length", 0)
	}
	return m.cl, nil
}
