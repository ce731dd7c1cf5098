package device

import (
	"errors"
	"fmt"
)

// Errors wrapped by the plain-language errors of this package, for callers
// that branch on them with errors.Is.
var (
	// ErrDeviceLost: a stream stopped on its own (device unplugged, JACK
	// server stopped), or a device stopped answering.
	ErrDeviceLost = errors.New("the audio device stopped")
	// ErrNotFound: no device has that ID, or matches that query.
	ErrNotFound = errors.New("no such audio device")
	// ErrAmbiguous: a query matches more than one device.
	ErrAmbiguous = errors.New("more than one audio device matches")
	// ErrDeviceBusy: the device is in use by another program, or
	// unavailable.
	ErrDeviceBusy = errors.New("the audio device is busy")
	// ErrUnsupportedRate: the device (or Sangstudio) cannot run at the
	// sample rate asked for.
	ErrUnsupportedRate = errors.New("unsupported sample rate")
	// ErrChannels: the device does not have the channels asked for.
	ErrChannels = errors.New("unsupported channel count")
	// ErrBufferSize: the buffer size is outside 64..2048 frames or the
	// device refuses it.
	ErrBufferSize = errors.New("unsupported buffer size")
	// ErrConfig: some other part of the Config is wrong (virtual source,
	// output file, no callback).
	ErrConfig = errors.New("invalid stream configuration")
)

// deviceError is a message in plain words that wraps one of the Err values
// above and, if there is one, the error that caused it (PortAudio's, a
// file's). Its text is the message alone: the wrapped errors are for
// errors.Is and errors.As.
type deviceError struct {
	msg   string
	kind  error
	cause error
}

func newError(kind, cause error, format string, args ...any) error {
	return &deviceError{msg: fmt.Sprintf(format, args...), kind: kind, cause: cause}
}

func (e *deviceError) Error() string { return e.msg }

func (e *deviceError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}
