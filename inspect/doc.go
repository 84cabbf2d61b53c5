// Package inspect is the only part of whyrefused that talks to the operating
// system. It takes a Snapshot of the host's sockets (protocol, family, local
// and remote address, state) together with the processes that own them.
//
// A Source produces snapshots. The gopsutil backend works on every OS; a
// platform may add a faster or richer backend behind the same interface.
// Fields a backend cannot know are left unknown (nil), never guessed.
package inspect
