package sipclient

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Received is a message a fake peer got, with its source address.
type Received struct {
	Msg  *Message
	From netip.AddrPort
}

// Answer decides the response of a UAS to a request: code 0 means no
// response at all.
type Answer func(req *Message) (code int, reason string)

// UAS is a fake user agent server on a loopback port, UDP and TCP: it
// records every request it receives and answers each (except ACK) as Answer
// says. UDP responses go where RFC 3261 §18.2.2 says, from the top Via;
// TCP responses go back on the request's connection.
type UAS struct {
	udp      *net.UDPConn
	tcp      *net.TCPListener
	answer   Answer
	toTag    string
	requests chan Received
	done     sync.WaitGroup

	mu     sync.Mutex
	conns  map[*net.TCPConn]bool // open accepted connections, closed by Close
	closed bool                  // Close ran: new connections are closed at once
}

// uasQueue bounds the requests a UAS keeps for the test to read; further
// ones are answered but not recorded.
const uasQueue = 256

// StartUAS starts a fake UAS on 127.0.0.1, UDP and TCP on the same free
// port. Close it when done.
func StartUAS(answer Answer) (*UAS, error) {
	u := &UAS{answer: answer, toTag: randomToken(), requests: make(chan Received, uasQueue), conns: map[*net.TCPConn]bool{}}
	for range 50 {
		udp, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
		if err != nil {
			return nil, fmt.Errorf("sipclient: opening the UAS socket: %w", err)
		}
		tcp, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(udp.LocalAddr().(*net.UDPAddr).AddrPort()))
		if err != nil {
			udp.Close() // the TCP port is taken: try another number
			continue
		}
		u.udp, u.tcp = udp, tcp
		break
	}
	if u.udp == nil {
		return nil, errors.New("sipclient: no port free for the UAS on both UDP and TCP in 50 tries")
	}
	u.done.Add(2)
	go u.serveUDP()
	go u.acceptTCP()
	return u, nil
}

// Addr returns the UAS's address.
func (u *UAS) Addr() netip.AddrPort { return u.udp.LocalAddr().(*net.UDPAddr).AddrPort() }

// NextRequest returns the next request the UAS received, waiting up to
// timeout.
func (u *UAS) NextRequest(timeout time.Duration) (Received, error) {
	select {
	case r, ok := <-u.requests:
		if !ok {
			return Received{}, errors.New("sipclient: the UAS is closed")
		}
		return r, nil
	case <-time.After(timeout):
		return Received{}, fmt.Errorf("sipclient: no request reached the UAS within %v", timeout)
	}
}

// Close stops the UAS, closes its connections and waits for its
// goroutines.
func (u *UAS) Close() error {
	err := errors.Join(u.udp.Close(), u.tcp.Close())
	u.mu.Lock()
	u.closed = true
	for c := range u.conns {
		c.Close()
	}
	u.mu.Unlock()
	u.done.Wait()
	close(u.requests)
	return err
}

// handle records req and returns the response bytes to send, or nil.
func (u *UAS) handle(req *Message, from netip.AddrPort) []byte {
	select {
	case u.requests <- Received{Msg: req, From: from}:
	default:
	}
	if req.Method == "ACK" {
		return nil
	}
	code, reason := u.answer(req)
	if code == 0 {
		return nil
	}
	return BuildResponse(req, code, reason, u.toTag)
}

func (u *UAS) serveUDP() {
	defer u.done.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := u.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		m, err := Parse(append([]byte(nil), buf[:n]...))
		if err != nil || !m.IsRequest() {
			continue
		}
		if resp := u.handle(m, from); resp != nil {
			// A failed send is what a lossy network does; the test sees
			// the missing response.
			_, _ = u.udp.WriteToUDPAddrPort(resp, ResponseTarget(m, from))
		}
	}
}

func (u *UAS) acceptTCP() {
	defer u.done.Done()
	for {
		conn, err := u.tcp.AcceptTCP()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		u.mu.Lock()
		if u.closed {
			u.mu.Unlock()
			conn.Close()
			continue
		}
		u.conns[conn] = true
		u.done.Add(1)
		u.mu.Unlock()
		go u.serveTCP(conn)
	}
}

// serveTCP reads requests from one connection until it closes and answers
// each on it.
func (u *UAS) serveTCP(conn *net.TCPConn) {
	defer u.done.Done()
	defer func() {
		u.mu.Lock()
		delete(u.conns, conn)
		u.mu.Unlock()
		conn.Close()
	}()
	from := conn.RemoteAddr().(*net.TCPAddr).AddrPort()
	stream := &Client{transport: "TCP", server: from, tcp: conn, readBuf: make([]byte, 64<<10)}
	for {
		// No deadline: Close ends the read by closing the connection.
		m, _, err := stream.Read(time.Time{})
		if err != nil {
			return
		}
		if !m.IsRequest() {
			continue
		}
		if resp := u.handle(m, from); resp != nil {
			if _, err := conn.Write(resp); err != nil {
				return
			}
		}
	}
}

// ResponseTarget returns where a UDP response to req goes (RFC 3261
// §18.2.2 with RFC 3581): the top Via's received address, else its sent-by
// host when that is an IP literal, else the source; the rport value, else
// the sent-by port, else 5060.
func ResponseTarget(req *Message, source netip.AddrPort) netip.AddrPort {
	vias := req.Vias()
	if len(vias) == 0 {
		return source
	}
	top := vias[0]
	_, sentBy, err := ViaSentBy(top)
	if err != nil {
		return source
	}
	host, port := sentBy, uint16(5060)
	if h, p, err := net.SplitHostPort(sentBy); err == nil {
		host = h
		if n, err := strconv.ParseUint(p, 10, 16); err == nil {
			port = uint16(n)
		}
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		addr = source.Addr()
	}
	if received, ok := Param(top, "received"); ok {
		if a, err := netip.ParseAddr(received); err == nil {
			addr = a
		}
	}
	if rport, ok := Param(top, "rport"); ok {
		if n, err := strconv.ParseUint(rport, 10, 16); err == nil && n > 0 {
			port = uint16(n)
		} else {
			port = source.Port()
		}
	}
	return netip.AddrPortFrom(addr, port)
}
