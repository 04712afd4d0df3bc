// Package daemon holds kamgo's end-to-end tests of the SIP daemon: each test
// builds a config, runs the real `kamgo run` binary on loopback ports and
// drives it with tests/sipclient (UDP and TCP requests, a fake UAS behind
// stateless forwarding, raw sockets for keepalives, resets and garbage),
// with the RFC 4475 and RFC 5118 torture messages, with `kamgo rpc`, and
// with SIPp when it is installed. The package has no code of its own
// outside its tests.
package daemon
