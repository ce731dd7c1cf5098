//go:build !race

package device_test

// raceEnabled: see race_test.go.
const raceEnabled = false
