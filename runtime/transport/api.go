// Package transport owns kamgo's sockets: UDP listen sockets read by worker
// goroutines that handle each datagram inline, TCP listeners and outgoing
// connections with a connection table whose ids are $conid, stream framing
// (runtime/sip.Framer), CRLF keepalives, the TCP limits, and the events a
// connection's end produces (closed by the peer, reset, timeout), which the
// core turns into event_route[tcp:closed|tcp:reset|tcp:timeout].
//
// The transport knows nothing of routes: it hands every complete message to
// a Receiver, one per worker, and sends the bytes it is given.
package transport

import (
	"net/netip"
	"time"

	"github.com/kamgo/kamgo/pv"
	"github.com/kamgo/kamgo/runtime/logging"
)

// Socket is one listen socket.
type Socket struct {
	Proto pv.Proto       // pv.ProtoUDP or pv.ProtoTCP
	Addr  netip.AddrPort // bound address; a 0 port is filled in by Start
	// AdvHost and AdvPort are the advertise address ("" / 0 when none):
	// what goes into Via and Record-Route instead of Addr.
	AdvHost string
	AdvPort int
	Name    string // listen's name "…" ($Rn)
}

// ConnID identifies a TCP connection: $conid. Ids start at 1 and are never
// reused within a process.
type ConnID int64

// ConnState is a connection's state, numbered as tcpops'
// tcp_conid_state() returns it.
type ConnState int8

// Connection states.
const (
	StateOK         ConnState = 1  // established
	StateAccepting  ConnState = 2  // accepted, no data read yet
	StateConnecting ConnState = 3  // outgoing connect in progress
	StateNone       ConnState = -1 // no such connection (or closed and gone)
	StateEOF        ConnState = -2 // the peer closed its side
	StateError      ConnState = -3 // a socket error happened; closing
	StateBad        ConnState = -4 // framing lost or limits broken; closing
)

// CloseReason says why a connection ended.
type CloseReason uint8

// Close reasons. Only ClosePeer, CloseReset and CloseTimeout raise a script
// event (tcp:closed, tcp:reset, tcp:timeout).
const (
	CloseLocal   CloseReason = iota // we closed it (shutdown, tcp_close_connection, set_*_close)
	ClosePeer                       // the peer closed: EOF
	CloseReset                      // the peer reset it: ECONNRESET / EPIPE
	CloseTimeout                    // lifetime expired, keepalive probes unanswered, send timeout
	CloseError                      // framing error, size or chunk limit, other socket error
)

// Keepalive are a connection's TCP keepalive settings (SO_KEEPALIVE,
// TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT). Zero durations and count mean
// the OS defaults.
type Keepalive struct {
	Enabled  bool
	Idle     time.Duration
	Interval time.Duration
	Count    int
}

// ConnInfo is a snapshot of one connection.
type ConnInfo struct {
	ID       ConnID
	Socket   *Socket // the listen socket it belongs to (outgoing: the one of its family)
	Local    netip.AddrPort
	Remote   netip.AddrPort
	Outgoing bool
	State    ConnState
	Created  time.Time
	// LastActive is the last read or write; Deadline is when the
	// connection's lifetime ends unless traffic refreshes it.
	LastActive time.Time
	Deadline   time.Time
	Lifetime   time.Duration
	Keepalive  Keepalive
	// ClosedEvent is set by tcp_enable_closed_event (tcpops closed_event=2).
	ClosedEvent bool
	// LastErr is the last socket error, "" when none.
	LastErr string
}

// ConnEvent reports the end of a connection.
type ConnEvent struct {
	Conn   ConnInfo
	Reason CloseReason
	Err    error
}

// Packet is one received SIP message (a whole datagram, or one framed
// message of a stream). Packet and Data are valid only during Receive.
type Packet struct {
	Data   []byte
	Src    netip.AddrPort
	Socket *Socket
	ConnID ConnID // 0 for UDP
	// Received is when the read returned.
	Received time.Time
}

// Receiver handles what one worker receives. A worker (a UDP reader
// goroutine, a TCP worker slot) owns its Receiver and calls it from one
// goroutine at a time, so a Receiver may keep per-worker state (its VM
// context, a parsed message) without locks.
type Receiver interface {
	Receive(p *Packet)
	ConnClosed(ev *ConnEvent)
}

// TCPOptions are the TCP settings (Kamailio's tcp_* core parameters and
// proto_tcp's modparams, converted to one set of units). New fills zero
// durations and limits with the defaults quoted below; start from
// DefaultTCPOptions to get the default booleans too.
type TCPOptions struct {
	// ConnectTimeout bounds an outgoing connect (tcp_connect_timeout, 10 s).
	ConnectTimeout time.Duration
	// SendTimeout bounds one write; a connection that cannot take the data
	// in time is closed (tcp_send_timeout, 10 s; proto_tcp 100 ms).
	SendTimeout time.Duration
	// Lifetime is the idle lifetime, refreshed by traffic
	// (tcp_connection_lifetime, 120 s).
	Lifetime time.Duration
	// MaxConnections caps the open connections, both directions (2048).
	MaxConnections int
	// MaxConnsPerIP caps the connections accepted from one source address
	// (1024, Kamailio's tcp_accept_iplimit), so that one peer cannot take
	// every connection.
	MaxConnsPerIP int
	// Keepalive is applied to every new connection (tcp_keepalive=1 with
	// OS defaults; tcp_keepidle, tcp_keepintvl, tcp_keepcnt).
	Keepalive Keepalive
	// CRLFPing answers a "\r\n\r\n" keepalive with "\r\n" (tcp_crlf_ping,
	// proto_tcp tcp_crlf_pingpong; default on).
	CRLFPing bool
	// CRLFDrop drops a read that is a single "\r\n" (proto_tcp tcp_crlf_drop).
	CRLFDrop bool
	// MaxMsgChunks closes a connection whose message arrives in more
	// reads than this (proto_tcp tcp_max_msg_chunks, 4); 0 is no limit.
	MaxMsgChunks int
	// ReadTimeout is the time a started message has to complete, and an
	// accepted connection has to send its first bytes (20 s, Kamailio's
	// tcp_msg_read_timeout and tcp_msg_data_timeout).
	ReadTimeout time.Duration
	// NoConnect never opens outgoing connections (tcp_no_connect).
	NoConnect bool
	// Async writes through a per-connection queue once a direct write has
	// not completed within LocalWriteTimeout; MaxQueued caps the queued
	// messages (proto_tcp tcp_async, tcp_async_max_postponed_chunks,
	// tcp_async_local_write_timeout; tcp_async_local_connect_timeout is
	// LocalConnectTimeout).
	Async               bool
	MaxQueued           int
	LocalWriteTimeout   time.Duration
	LocalConnectTimeout time.Duration
	// ParallelHandling lets a connection's next message be read while the
	// previous one is still being handled (proto_tcp tcp_parallel_handling).
	ParallelHandling bool
	// MaxStreamMsg is the largest message a connection may carry: a
	// longer one closes the connection (tcp_rd_buf_size, Kamailio's read
	// buffer); 0 is Config.MaxMsgSize.
	MaxStreamMsg int
	// AcceptNoCL takes a message without Content-Length as having no
	// body instead of closing the connection (tcp_accept_no_cl).
	AcceptNoCL bool
	// ConnQueueMax caps the bytes waiting in one connection's write
	// queue, QueueMax those of all connections together; past either the
	// connection is closed (tcp_conn_wq_max, 32 KB; tcp_wq_max, 10 MB).
	ConnQueueMax int
	QueueMax     int
	// Socket options (Linux): TCP_DEFER_ACCEPT on listening sockets
	// (tcp_defer_accept), SO_REUSEPORT on listening sockets
	// (tcp_reuse_port), TCP_SYNCNT on outgoing connects (tcp_syncnt),
	// TCP_LINGER2 on every connection (tcp_linger2), and DelayedAck: the
	// first ACK of an outgoing connection waits for data (TCP_QUICKACK
	// off; tcp_delayed_ack). Zero values leave the kernel's defaults.
	DeferAccept time.Duration
	ReusePort   bool
	SynCount    int
	Linger2     time.Duration
	DelayedAck  bool
	// SourceV4 and SourceV6 are the local addresses outgoing connections
	// start from instead of the listening socket's (tcp_source_ipv4,
	// tcp_source_ipv6).
	SourceV4, SourceV6 netip.Addr
}

// Config is what New needs.
type Config struct {
	Sockets []Socket
	// UDPWorkers reading each UDP socket (children), TCPWorkers handling
	// complete TCP messages and connection events (tcp_children).
	UDPWorkers int
	TCPWorkers int
	// NewReceiver is called once per worker; name describes the worker
	// for core.ps ("udp receiver child=0 sock=udp:127.0.0.1:5060").
	NewReceiver func(name string) Receiver
	TCP         TCPOptions
	// MaxMsgSize is the largest message accepted (32767 by default);
	// bigger datagrams are dropped with a log line, a bigger stream
	// message closes the connection.
	MaxMsgSize int
	// UDPRecvBuffer sets SO_RCVBUF on UDP sockets when > 0.
	UDPRecvBuffer int
	Log           *logging.Logger
}

// Dest is where Send sends.
type Dest struct {
	Proto pv.Proto
	Addr  netip.AddrPort
	// ConnID, when set and still open, is the connection to use (replies
	// go back over the connection the request came on).
	ConnID ConnID
	// From is the socket to send from; nil picks one of Proto and Addr's
	// family.
	From *Socket
	// NoConnect fails instead of opening a new TCP connection; CloseAfter
	// closes the connection once the data is written.
	NoConnect  bool
	CloseAfter bool
}

// WorkerInfo describes one worker goroutine for core.ps.
type WorkerInfo struct {
	ID   int
	Name string
}
