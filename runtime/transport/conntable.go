package transport

import (
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// ConnTable is the table of open TCP connections, indexed by id and by
// remote address. It is safe for concurrent use.
type ConnTable struct {
	t        *Transport
	mu       sync.RWMutex
	byID     map[ConnID]*conn
	byRemote map[netip.AddrPort]ConnID
	// perIP counts the accepted connections by source address.
	perIP  map[netip.Addr]int
	lastID ConnID
}

// errLimit says which limit refused a connection.
type errLimit string

func (e errLimit) Error() string { return string(e) }

// add registers c under a new id unless max connections are open, or
// (for an accepted connection) maxPerIP from its source address.
func (ct *ConnTable) add(c *conn, max, maxPerIP int) (ConnID, error) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if len(ct.byID) >= max {
		return 0, errLimit(fmt.Sprintf("tcp connection limit (%d) reached", max))
	}
	if !c.info.Outgoing {
		ip := c.info.Remote.Addr()
		if maxPerIP > 0 && ct.perIP[ip] >= maxPerIP {
			return 0, errLimit(fmt.Sprintf("tcp connection limit per source address (%d) reached", maxPerIP))
		}
		ct.perIP[ip]++
	}
	ct.lastID++
	id := ct.lastID
	c.id = id
	c.info.ID = id
	ct.byID[id] = c
	ct.byRemote[c.info.Remote] = id
	return id, nil
}

// remove drops c from both indexes.
func (ct *ConnTable) remove(c *conn) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if ct.byID[c.id] != c {
		return
	}
	delete(ct.byID, c.id)
	if !c.info.Outgoing {
		ip := c.info.Remote.Addr()
		if ct.perIP[ip]--; ct.perIP[ip] <= 0 {
			delete(ct.perIP, ip)
		}
	}
	if ct.byRemote[c.info.Remote] != c.id {
		return
	}
	delete(ct.byRemote, c.info.Remote)
	// Two connections to one address are rare (an incoming and an
	// outgoing one); keep the address pointing at the survivor.
	for id, other := range ct.byID {
		if other.info.Remote == c.info.Remote {
			ct.byRemote[c.info.Remote] = id
			break
		}
	}
}

func (ct *ConnTable) get(id ConnID) *conn {
	ct.mu.RLock()
	defer ct.mu.RUnlock()
	return ct.byID[id]
}

func (ct *ConnTable) lookup(id ConnID) (*conn, error) {
	if c := ct.get(id); c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("transport: connection %d: %w", id, ErrNoConn)
}

func (ct *ConnTable) findConn(remote netip.AddrPort) *conn {
	remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
	ct.mu.RLock()
	defer ct.mu.RUnlock()
	id, ok := ct.byRemote[remote]
	if !ok {
		return nil
	}
	return ct.byID[id]
}

func (ct *ConnTable) all() []*conn {
	ct.mu.RLock()
	defer ct.mu.RUnlock()
	out := make([]*conn, 0, len(ct.byID))
	for _, c := range ct.byID {
		out = append(out, c)
	}
	return out
}

// Get returns a snapshot of connection id.
func (ct *ConnTable) Get(id ConnID) (ConnInfo, bool) {
	c := ct.get(id)
	if c == nil {
		return ConnInfo{}, false
	}
	return c.snapshot(), true
}

// State returns the state of connection id, StateNone when there is no
// such connection (any more).
func (ct *ConnTable) State(id ConnID) ConnState {
	c := ct.get(id)
	if c == nil {
		return StateNone
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info.State
}

// Find returns the open connection to remote (IPv4-mapped addresses
// match their IPv4 form).
func (ct *ConnTable) Find(remote netip.AddrPort) (ConnID, bool) {
	if c := ct.findConn(remote); c != nil {
		return c.id, true
	}
	return 0, false
}

// List returns snapshots of all connections, sorted by id.
func (ct *ConnTable) List() []ConnInfo {
	conns := ct.all()
	out := make([]ConnInfo, 0, len(conns))
	for _, c := range conns {
		out = append(out, c.snapshot())
	}
	slices.SortFunc(out, func(a, b ConnInfo) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// Len returns the number of open connections.
func (ct *ConnTable) Len() int {
	ct.mu.RLock()
	defer ct.mu.RUnlock()
	return len(ct.byID)
}

// Close closes connection id locally: no event is raised.
func (ct *ConnTable) Close(id ConnID) error {
	c, err := ct.lookup(id)
	if err != nil {
		return err
	}
	ct.t.closeConn(c, CloseLocal, StateNone, nil)
	return nil
}

// SetLifetime changes the idle lifetime of connection id; the deadline
// becomes last activity + d.
func (ct *ConnTable) SetLifetime(id ConnID, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("transport: connection %d: lifetime %v must be positive", id, d)
	}
	return ct.withLive(id, func(c *conn) error {
		c.info.Lifetime = d
		c.info.Deadline = c.info.LastActive.Add(d)
		// Wake the reader so it re-arms its read deadline from the new one.
		if c.nc != nil {
			_ = c.nc.SetReadDeadline(time.Now())
		}
		return nil
	})
}

// withLive runs f on connection id, locked, when it is still open.
func (ct *ConnTable) withLive(id ConnID, f func(c *conn) error) error {
	c, err := ct.lookup(id)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("transport: connection %d: %w", id, ErrNoConn)
	}
	return f(c)
}

// SetKeepalive applies k to the live socket of connection id and
// records it.
func (ct *ConnTable) SetKeepalive(id ConnID, k Keepalive) error {
	if k.Idle < 0 || k.Interval < 0 || k.Count < 0 {
		return fmt.Errorf("transport: connection %d: negative keepalive setting", id)
	}
	return ct.withLive(id, func(c *conn) error {
		if c.nc != nil {
			// A connection still connecting gets it when the connect ends.
			if err := ct.t.applyKeepalive(c.nc, k); err != nil {
				return fmt.Errorf("transport: connection %d: keepalive: %w", id, err)
			}
		}
		c.info.Keepalive = k
		return nil
	})
}

// EnableClosedEvent marks connection id for tcpops' closed_event=2 mode;
// the core raises script events only for marked connections then. The
// transport reports every end anyway (ConnEvent.Conn.ClosedEvent).
func (ct *ConnTable) EnableClosedEvent(id ConnID) error {
	return ct.withLive(id, func(c *conn) error {
		c.info.ClosedEvent = true
		return nil
	})
}

// errConnGone wraps ErrNoConn for a connection that closed under us.
func errConnGone(id ConnID) error {
	return fmt.Errorf("transport: connection %d: %w", id, ErrNoConn)
}
