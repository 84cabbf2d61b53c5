// Package target holds what the user asked about: a Target parsed from
// PORT, HOST:PORT, a URL, a service name or a pasted client error line, with
// credentials and secret values removed before anything is echoed.
//
// It imports only inspect (for the protocol names) and internal/text. It
// never resolves a name: a Resolver is given by the caller.
package target
