// wine_windows.go holds the detection of Wine on Windows, from ntdll's
// wine_get_version.

package testwine

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// detect asks ntdll.dll for wine_get_version, which only Wine's exports.
var detect = sync.OnceValues(func() (string, bool) {
	proc := windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")
	if proc.Find() != nil {
		return "", false
	}
	// const char *wine_get_version(void): a static string inside ntdll.
	r, _, _ := proc.Call()
	if r == 0 {
		return "", true
	}
	return windows.BytePtrToString(*(**byte)(unsafe.Pointer(&r))), true
})
