// Package conffile reads the OS's small configuration files (the hosts and
// services files) with bounds: a regular file only, of bounded size, read
// in bounded time, line by line with no line able to stop the reading. A
// broken file (a FIFO, /dev/zero, gigabytes, a line of megabytes) must not
// take the tool down.
//
// It imports nothing of whyrefused.
package conffile
