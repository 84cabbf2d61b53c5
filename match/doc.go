// Package match interprets a snapshot of sockets: who can reach each
// listener, and why a connection to a target would be accepted or refused.
// It is pure: it never touches the OS or the network, so every case can be
// tested on fixed snapshots.
package match
