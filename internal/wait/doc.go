// Package wait holds the retry loop behind --wait: poll until ready, with
// a backoff from 100 ms growing to 1 s, until a deadline or until the
// context ends (Ctrl-C). The clock is injected, so that the loop is tested
// without sleeping.
// It imports nothing of whyrefused.
package wait
