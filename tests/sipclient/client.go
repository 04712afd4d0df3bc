package sipclient

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// maxStreamMessage bounds what a TCP client buffers for one message, so a
// broken peer cannot make a test eat memory.
const maxStreamMessage = 1 << 20

// Client is one SIP client socket: an unconnected UDP socket (replies may
// come from anywhere) or a TCP connection to the server. It is meant for
// one goroutine.
type Client struct {
	transport string // "UDP" or "TCP"
	server    netip.AddrPort
	udp       *net.UDPConn
	tcp       *net.TCPConn
	pending   []byte // TCP bytes read but not yet handed out
	readBuf   []byte
}

// DialUDP opens a UDP socket on a free loopback port of the server's
// address family; requests go to server.
func DialUDP(server netip.AddrPort) (*Client, error) {
	local := netip.AddrPortFrom(loopbackFor(server.Addr()), 0)
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(local))
	if err != nil {
		return nil, fmt.Errorf("sipclient: opening a UDP socket: %w", err)
	}
	return &Client{transport: "UDP", server: server, udp: conn, readBuf: make([]byte, 65535)}, nil
}

// DialTCP connects to server over TCP within timeout.
func DialTCP(server netip.AddrPort, timeout time.Duration) (*Client, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.Dial("tcp", server.String())
	if err != nil {
		return nil, fmt.Errorf("sipclient: connecting to %s: %w", server, err)
	}
	return &Client{transport: "TCP", server: server, tcp: conn.(*net.TCPConn), readBuf: make([]byte, 64<<10)}, nil
}

func loopbackFor(a netip.Addr) netip.Addr {
	if a.Is6() && !a.Is4In6() {
		return netip.IPv6Loopback()
	}
	return netip.AddrFrom4([4]byte{127, 0, 0, 1})
}

// Transport returns "UDP" or "TCP".
func (c *Client) Transport() string { return c.transport }

// Server returns the address requests go to.
func (c *Client) Server() netip.AddrPort { return c.server }

// LocalAddr returns the client's own address.
func (c *Client) LocalAddr() netip.AddrPort {
	if c.udp != nil {
		return c.udp.LocalAddr().(*net.UDPAddr).AddrPort()
	}
	return c.tcp.LocalAddr().(*net.TCPAddr).AddrPort()
}

// TCPConn returns the TCP connection (nil for UDP), for tests that need
// the raw socket: linger, half close, raw bytes.
func (c *Client) TCPConn() *net.TCPConn { return c.tcp }

// NewRequest returns fresh Fields for a request to the server: Request-URI
// sip:kamgo@SERVER, this client's transport and address.
func (c *Client) NewRequest(method string) Fields {
	return NewFields(method, "sip:kamgo@"+c.server.String(), c.transport, c.LocalAddr().String())
}

// Send sends b to the server: one datagram, or bytes on the connection.
func (c *Client) Send(b []byte) error {
	if c.udp != nil {
		return c.SendTo(b, c.server)
	}
	if _, err := c.tcp.Write(b); err != nil {
		return fmt.Errorf("sipclient: writing %d bytes to %s: %w", len(b), c.server, err)
	}
	return nil
}

// SendTo sends one datagram to addr (UDP clients only).
func (c *Client) SendTo(b []byte, addr netip.AddrPort) error {
	if c.udp == nil {
		return errors.New("sipclient: SendTo needs a UDP client")
	}
	if _, err := c.udp.WriteToUDPAddrPort(b, addr); err != nil {
		return fmt.Errorf("sipclient: sending %d bytes to %s: %w", len(b), addr, err)
	}
	return nil
}

// IsTimeout reports whether err comes from a deadline passing.
func IsTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// ReadDatagram returns the next datagram that arrives before deadline, as
// received (UDP clients only), for answers a test wants to look at even when
// they do not parse.
func (c *Client) ReadDatagram(deadline time.Time) ([]byte, netip.AddrPort, error) {
	if c.udp == nil {
		return nil, netip.AddrPort{}, errors.New("sipclient: ReadDatagram needs a UDP client")
	}
	if err := c.udp.SetReadDeadline(deadline); err != nil {
		return nil, netip.AddrPort{}, fmt.Errorf("sipclient: setting a deadline: %w", err)
	}
	n, from, err := c.udp.ReadFromUDPAddrPort(c.readBuf)
	if err != nil {
		return nil, netip.AddrPort{}, fmt.Errorf("sipclient: reading from UDP: %w", err)
	}
	return bytes.Clone(c.readBuf[:n]), from, nil
}

// Read returns the next message that arrives before deadline, with the
// address it came from. A datagram that does not parse is returned as an
// error that includes its bytes; the client stays usable.
func (c *Client) Read(deadline time.Time) (*Message, netip.AddrPort, error) {
	if c.udp != nil {
		datagram, from, err := c.ReadDatagram(deadline)
		if err != nil {
			return nil, netip.AddrPort{}, err
		}
		m, err := Parse(datagram)
		if err != nil {
			return nil, from, fmt.Errorf("%w (datagram %q)", err, datagram)
		}
		return m, from, nil
	}
	frame, err := c.readFrame(deadline)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	m, err := Parse(frame)
	if err != nil {
		return nil, c.server, fmt.Errorf("%w (frame %q)", err, frame)
	}
	return m, c.server, nil
}

// readFrame cuts the next message out of the TCP stream by Content-Length,
// skipping CRLFs before it (RFC 3261 §7.5).
func (c *Client) readFrame(deadline time.Time) ([]byte, error) {
	for {
		for bytes.HasPrefix(c.pending, []byte("\r\n")) {
			c.pending = c.pending[2:]
		}
		if end := bytes.Index(c.pending, []byte("\r\n\r\n")); end >= 0 {
			length, err := streamContentLength(c.pending[:end])
			if err != nil {
				return nil, err
			}
			total := end + 4 + length
			if total > maxStreamMessage {
				return nil, fmt.Errorf("sipclient: %d-byte message over TCP is too large", total)
			}
			if len(c.pending) >= total {
				frame := bytes.Clone(c.pending[:total])
				c.pending = c.pending[total:]
				return frame, nil
			}
		} else if len(c.pending) > maxStreamMessage {
			return nil, errors.New("sipclient: no end of header section within 1 MiB")
		}
		if err := c.fill(deadline); err != nil {
			return nil, err
		}
	}
}

// fill reads once from the TCP connection into pending.
func (c *Client) fill(deadline time.Time) error {
	if err := c.tcp.SetReadDeadline(deadline); err != nil {
		return fmt.Errorf("sipclient: setting a deadline: %w", err)
	}
	n, err := c.tcp.Read(c.readBuf)
	c.pending = append(c.pending, c.readBuf[:n]...)
	if err != nil {
		return fmt.Errorf("sipclient: reading from %s: %w", c.server, err)
	}
	return nil
}

// streamContentLength finds Content-Length (or l) in a header section; it
// is mandatory on streams.
func streamContentLength(section []byte) (int, error) {
	for _, line := range unfold(string(section)) {
		name, value, ok := strings.Cut(line, ":")
		if !ok || canonicalName(name) != "content-length" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("sipclient: bad Content-Length %q on TCP", value)
		}
		return n, nil
	}
	return 0, errors.New("sipclient: message without Content-Length on TCP")
}

// ReadRaw returns exactly n bytes from the TCP stream (bytes already
// buffered first), for keepalive pongs and other non-SIP answers.
func (c *Client) ReadRaw(n int, deadline time.Time) ([]byte, error) {
	if c.tcp == nil {
		return nil, errors.New("sipclient: ReadRaw needs a TCP client")
	}
	for len(c.pending) < n {
		if err := c.fill(deadline); err != nil {
			return nil, err
		}
	}
	out := bytes.Clone(c.pending[:n])
	c.pending = c.pending[n:]
	return out, nil
}

// WaitResponse returns the first final response (≥ 200) for callID that
// arrives before deadline; provisional responses and other messages are
// skipped. Datagrams that do not parse are skipped too.
func (c *Client) WaitResponse(callID string, deadline time.Time) (*Message, error) {
	for {
		m, _, err := c.Read(deadline)
		if err != nil {
			if IsTimeout(err) || c.tcp != nil {
				return nil, fmt.Errorf("sipclient: waiting for the response to Call-ID %s: %w", callID, err)
			}
			continue
		}
		if !m.IsRequest() && m.StatusCode >= 200 && m.CallID() == callID {
			return m, nil
		}
	}
}

// Request builds tmpl with f, sends it and waits up to timeout for the
// final response.
func (c *Client) Request(tmpl string, f Fields, timeout time.Duration) (*Message, error) {
	b, err := Build(tmpl, f)
	if err != nil {
		return nil, err
	}
	if err := c.Send(b); err != nil {
		return nil, err
	}
	return c.WaitResponse(f.CallID, time.Now().Add(timeout))
}

// Options sends a fresh OPTIONS to the server and returns the final
// response that comes back within timeout.
func (c *Client) Options(timeout time.Duration) (*Message, error) {
	return c.Request(RequestTemplate, c.NewRequest("OPTIONS"), timeout)
}

// Close closes the socket.
func (c *Client) Close() error {
	if c.udp != nil {
		return c.udp.Close()
	}
	return c.tcp.Close()
}
