// Command whyrefused explains why a connection is refused: it lists the
// host's listening sockets with their owners and compares them with the
// address a client expected.
//
// It parses flags, wires render, probe, match, target and inspect, runs
// them and maps the results to exit statuses; it holds no logic of its own.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], newApp())) }
