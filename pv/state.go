package pv

import (
	"net/netip"
	"sync"
	"time"
	"unsafe"

	"github.com/kamgo/kamgo/runtime/sip"
)

// Proto is a transport protocol as $proto and $K name it.
type Proto uint8

// Transport protocols, numbered as Kamailio's $K(UDP) … $K(WSS) are.
const (
	ProtoNone Proto = iota
	ProtoUDP
	ProtoTCP
	ProtoTLS
	ProtoSCTP
	ProtoWS
	ProtoWSS
)

var protoNames = [...]string{"none", "udp", "tcp", "tls", "sctp", "ws", "wss"}

// String returns "udp", "tcp", ….
func (p Proto) String() string {
	if int(p) < len(protoNames) {
		return protoNames[p]
	}
	return "none"
}

// Core forwarding options, bits of State.CoreFlags.
const (
	FlagForceRport       uint32 = 1 << iota // force_rport: reply to the source port
	FlagLocalRport                          // add_local_rport: rport in our own Via
	FlagForwardNoConnect                    // set_forward_no_connect
	FlagReplyNoConnect                      // set_reply_no_connect
	FlagForwardClose                        // set_forward_close
	FlagReplyClose                          // set_reply_close
	FlagTCPAlias                            // force_tcp_alias
	FlagViaSrvID                            // corex via_add_srvid: ;srvid= in our Via
	FlagViaXAVPParams                       // corex via_add_xavp_params: xavp_via_params fields as Via params
	FlagViaXAVPFields                       // corex via_use_xavp_fields (no effect on stateless forwarding, as in Kamailio 5.6.3)
	// FlagRRAdded: rr will add a Record-Route when the request is sent;
	// what it holds depends on the outgoing socket, so msg_apply_changes
	// refuses to run, as Kamailio does.
	FlagRRAdded
)

// RecvInfo describes where a message came from and on which socket.
type RecvInfo struct {
	Src   netip.AddrPort // $si $sp
	Dst   netip.AddrPort // $Ri $Rp: the local socket
	Proto Proto          // $proto
	ConID int64          // $conid: the TCP connection id, 0 for UDP
	// SocketName is the name= of the receiving listen socket ($Rn).
	SocketName string
	// AdvHost and AdvPort are the advertised address of the socket
	// ($RAi $RAp), empty when none.
	AdvHost string
	AdvPort int
}

// SendInfo describes a message about to be sent (onsend_route).
type SendInfo struct {
	Src   netip.AddrPort // the local socket it leaves from
	Dst   netip.AddrPort // where it goes
	Proto Proto
	Buf   []byte // the bytes sent
}

// Branch is one entry of the destination set beyond the R-URI (append_branch).
type Branch struct {
	URI, DstURI, Path string
	Q                 int // -1 when unset; else 0..1000
	Flags             uint32
	SendSocket        string
	Ruid, Instance    string
	LocationUA        string
	OTCPID            int64
}

// Globals is what every message of one server shares and never changes
// after start-up: the start time, the preprocessor defines for $def, the
// shared $shv store.
type Globals struct {
	Start   time.Time
	Defines map[string]string
	Shared  *SharedVars
	// PID is what $pp reports.
	PID int
	// VarInit are the start-up values of $var names (pv's varset).
	VarInit map[string]Value
	// MaxBranches caps the destination set (max_branches, 12).
	MaxBranches int
	// Statistic reads a statistic by name or group:name ($stat); nil when
	// no server runs.
	Statistic func(name string) (uint64, bool)
}

// State is what pseudo-variables read and write while routes run on one
// message: the message and where it came from, the destination set, the
// flags, the AVPs, and (through Worker) the $var store of the worker that
// runs it. runtime/vm owns one per execution and resets it between
// messages; tm keeps the parts that outlive the request (AVPs, flags) with
// the transaction and hands them back when it runs a route later.
type State struct {
	Msg  *sip.Message
	Recv RecvInfo
	// Raw is the packet as received ($mb, $nosip): set for every message,
	// including one that is not SIP (Msg is nil then).
	Raw []byte

	// DstURI is $du, "" when unset.
	DstURI string
	// Flags are the message flags (setflag, $mf), BranchFlags the flags of
	// branch 0 ($bf), ScriptFlags the script flags (setsflag, $sf).
	Flags, BranchFlags, ScriptFlags uint32
	// Branches are the branches added beyond the R-URI.
	Branches []Branch
	// RURIQ is the q value of the R-URI branch, -1 when unset.
	RURIQ int
	// ForceSocket is $fs: the socket to send from, "" when unset.
	ForceSocket string
	// CoreFlags are the forwarding options the script set (force_rport,
	// set_forward_close, …): the Flag* bits.
	CoreFlags uint32
	// AdvHost and AdvPort override the sending socket's advertised
	// address for this message (set_advertised_address/_port); ""/0 when
	// unset.
	AdvHost string
	AdvPort int

	// AVPs are the message's (or transaction's) AVPs; XAVPs its XAVPs.
	AVPs  *AVPList
	XAVPs *XAVPList
	// Vars is the $var store of the worker; it persists across messages.
	Vars *VarStore
	// Globals are the server-wide values.
	Globals *Globals

	// Send describes the message being sent while onsend_route runs
	// (snd_ip, to_port, $snd(…)); its Dst is invalid at any other time.
	Send SendInfo

	// RC is the last return code ($rc, $retcode, $?).
	RC int64
	// Received is when the message arrived ($Ts); zero means now.
	Received time.Time

	// Arena holds strings built while routes run (concatenations,
	// transformations, formats). Views into it are valid until Reset.
	Arena []byte

	// Out is a send buffer for replies and forwarded copies built while
	// this state's routes run; it survives Reset, so a worker reuses it.
	Out []byte

	// Extra is per-message state of modules, by module name (tm's
	// transaction, sl's reply state). Reset clears it.
	Extra map[string]any

	// uris caches the URIs parsed by {uri.*} transformations.
	uris uriCache
}

// Reset clears everything that belongs to one message, keeping storage,
// the worker's Vars and the Globals.
func (st *State) Reset() {
	st.Msg = nil
	st.Recv = RecvInfo{}
	st.Raw = nil
	st.DstURI = ""
	st.Flags, st.BranchFlags, st.ScriptFlags = 0, 0, 0
	clear(st.Branches)
	st.Branches = st.Branches[:0]
	st.RURIQ = -1
	st.ForceSocket = ""
	st.CoreFlags = 0
	st.AdvHost, st.AdvPort = "", 0
	st.Send = SendInfo{}
	if st.AVPs != nil {
		st.AVPs.Reset()
	}
	if st.XAVPs != nil {
		st.XAVPs.Reset()
	}
	st.RC = 0
	st.Received = time.Time{}
	st.Arena = st.Arena[:0]
	st.uris.reset()
	if st.Vars != nil && len(st.Vars.cur) > 4096 {
		st.Vars.Compact()
	}
	clear(st.Extra)
}

// Now returns the time the message arrived, or the current time.
func (st *State) Now() time.Time {
	if st.Received.IsZero() {
		return time.Now()
	}
	return st.Received
}

// ArenaString returns the arena bytes from start to the end as a string
// view (valid until Reset).
func (st *State) ArenaString(start int) string {
	if start >= len(st.Arena) {
		return ""
	}
	return unsafe.String(&st.Arena[start], len(st.Arena)-start)
}

// AppendString copies b into the arena and returns it as a string view.
func (st *State) AppendString(b []byte) string {
	start := len(st.Arena)
	st.Arena = append(st.Arena, b...)
	return st.ArenaString(start)
}

// ConcatString returns a+b built in the arena.
func (st *State) ConcatString(a, b string) string {
	start := len(st.Arena)
	st.Arena = append(st.Arena, a...)
	st.Arena = append(st.Arena, b...)
	return st.ArenaString(start)
}

// VarStore holds one worker's $var values, by slot: the compiler gives
// every $var name of the program a slot. Values start as integer 0.
//
// String values live in the store's own memory, so that assigning a $var
// does not allocate: a new string is appended to cur (old bytes are never
// overwritten while a message runs, so a value read earlier stays
// intact), and Compact, at the start of each message, copies the live
// strings into the spare buffer and swaps the two.
type VarStore struct {
	Vals       []Value
	cur, spare []byte
}

// Own returns v with its string copied into the store's memory.
func (s *VarStore) Own(v Value) Value {
	if v.K != KindStr || len(v.S) == 0 {
		return v
	}
	start := len(s.cur)
	s.cur = append(s.cur, v.S...)
	v.S = unsafe.String(&s.cur[start], len(v.S))
	return v
}

// Compact moves the live strings to fresh memory, dropping the garbage of
// the previous message. Views of $var strings taken before are invalid
// afterwards, which is why only State.Reset calls it.
func (s *VarStore) Compact() {
	s.spare = s.spare[:0]
	for i := range s.Vals {
		v := &s.Vals[i]
		if v.K != KindStr || len(v.S) == 0 {
			continue
		}
		start := len(s.spare)
		s.spare = append(s.spare, v.S...)
		v.S = unsafe.String(&s.spare[start], len(v.S))
	}
	s.cur, s.spare = s.spare, s.cur
}

// NewVarStore returns a store with n slots, each holding 0.
func NewVarStore(n int) *VarStore {
	s := &VarStore{Vals: make([]Value, n)}
	for i := range s.Vals {
		s.Vals[i] = Int(0)
	}
	return s
}

// SharedVars is the $shv store, shared by every worker.
type SharedVars struct {
	mu   sync.Mutex
	vals map[string]Value
}

// NewSharedVars returns an empty store.
func NewSharedVars() *SharedVars { return &SharedVars{vals: map[string]Value{}} }

// Get returns the value of name, 0 when never set.
func (s *SharedVars) Get(name string) Value {
	s.mu.Lock()
	v, ok := s.vals[name]
	s.mu.Unlock()
	if !ok {
		return Int(0)
	}
	return v
}

// Set stores a copy of v under name.
func (s *SharedVars) Set(name string, v Value) {
	v = v.Clone()
	s.mu.Lock()
	s.vals[name] = v
	s.mu.Unlock()
}
