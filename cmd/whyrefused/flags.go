// flags.go holds the flag types that check their values: --port and --pid.

package main

import (
	"fmt"
	"strconv"
)

// portValue is a --port flag: a number from 1 to 65535; 0 means unset.
type portValue uint16

func (p *portValue) String() string {
	if *p == 0 {
		return ""
	}
	return strconv.Itoa(int(*p))
}

func (p *portValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("a port is a number from 1 to 65535")
	}
	*p = portValue(n)
	return nil
}

func (p *portValue) Type() string { return "port" }

// pidValue is a --pid flag: a positive process ID; 0 means unset.
type pidValue int32

func (p *pidValue) String() string {
	if *p == 0 {
		return ""
	}
	return strconv.Itoa(int(*p))
}

func (p *pidValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 1 {
		return fmt.Errorf("a process ID is a positive whole number")
	}
	*p = pidValue(n)
	return nil
}

func (p *pidValue) Type() string { return "pid" }
