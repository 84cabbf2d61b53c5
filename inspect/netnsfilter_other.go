//go:build !linux

// netnsfilter_other.go holds ReadNetnsFilter where there are no network
// namespaces to enter (Windows, macOS).

package inspect

// ReadNetnsFilter fails: there are no network namespaces to enter.
func ReadNetnsFilter(*Netns) error { return ErrNoNetns }
