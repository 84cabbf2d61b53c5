// Command whyrefused explains why a connection is refused: it lists the
// host's listening sockets with their owners and compares them with the
// address a client expected.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], newApp())) }
