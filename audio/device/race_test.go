//go:build race

package device_test

// raceEnabled: the race detector is on. Its sync.Pool drops a quarter of
// what is put back, so reflect.Value.Call (which the portaudio package
// uses for every callback, and which keeps its call frames in a
// sync.Pool) allocates about once every four callbacks under -race, and
// never without it.
const raceEnabled = true
