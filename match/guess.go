// guess.go holds the words for what rests on a guess: a socket whose
// IPV6_V6ONLY flag could not be read, so that the OS default (or dual
// stack) was assumed. The finding, the summary and the tables all say it
// from here.

package match

import "fmt"

// AssumedMark follows a verdict or a reach that rests on a guess.
const AssumedMark = " (assumed)"

// AssumedLegend explains AssumedMark under a table.
const AssumedLegend = "(assumed): this backend cannot read a socket's IPV6_V6ONLY flag; the OS default is shown."

// guessNote ends a sentence that rests on a guess, saying what it rests
// on: the OS default defaultV6Only, or dual stack when that is unknown too.
func guessNote(defaultV6Only *bool) string {
	if d := defaultV6Only; d != nil {
		v := "off"
		if *d {
			v = "on"
		}
		return fmt.Sprintf(" (assumed: this backend cannot read the socket's IPV6_V6ONLY flag; the OS default, %s, was used)", v)
	}
	return " (assumed: neither the socket's IPV6_V6ONLY flag nor the OS default is known; dual stack was assumed)"
}
